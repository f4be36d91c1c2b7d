/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* A sparse simulated physical memory: any 64-bit address, only touched 4 KiB pages allocated,
 * untouched memory reads as zero. Regions can be marked to abort, to model external aborts on
 * the SMMU's table, queue and MSI accesses. Part of libsmmu so that programs and tests need
 * nothing else; a platform with its own memory model provides smmu_host_t itself. */
#ifndef SMMU_MEM_H
#define SMMU_MEM_H

#include <smmu/smmu.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct smmu_mem smmu_mem_t;

smmu_mem_t *smmu_mem_new(void);
void smmu_mem_free(smmu_mem_t *m);
/* 0 on success; non-zero when any byte of [pa, pa+len) is in an abort region (nothing is
   transferred then) or on address wrap-around, or when memory for a new page can't be had. */
int smmu_mem_read(smmu_mem_t *m, uint64_t pa, void *buf, size_t len);
int smmu_mem_write(smmu_mem_t *m, uint64_t pa, const void *buf, size_t len);
/* Software's writes (smmu_mem_write, smmu_mem_write64) are told to fn(ctx, ...) once they have
   landed; the SMMU's own (the host callbacks of smmu_mem_host) and smmu_mem_cas64 are not. For a
   platform that notifies the driver sanitizer: fn = smmu_dsan_write_observer, ctx = the smmu_t
   (<smmu/dsan.h>). fn NULL: nobody is told. */
void smmu_mem_set_write_observer(smmu_mem_t *m,
                                 void (*fn)(void *ctx, uint64_t pa, const void *data, size_t len),
                                 void *ctx);
/* Little-endian 64-bit helpers (the architecture's structures are little-endian). */
uint64_t smmu_mem_read64(smmu_mem_t *m, uint64_t pa);
void smmu_mem_write64(smmu_mem_t *m, uint64_t pa, uint64_t v);
/* Atomic compare-and-swap of the little-endian 64-bit word at pa (host->mem_cas64): *observed
   = the word; stored = desired when it equals expected. Non-zero (nothing read or stored) in an
   abort region, on wrap-around or when pa is not 8-byte aligned. */
int smmu_mem_cas64(smmu_mem_t *m, uint64_t pa, uint64_t expected, uint64_t desired,
                   uint64_t *observed);
/* Accesses touching [base, base+size) abort from now on; up to 16 regions. Returns 0 on success. */
int smmu_mem_add_abort(smmu_mem_t *m, uint64_t base, uint64_t size);
void smmu_mem_clear_aborts(smmu_mem_t *m);
/* Every byte reads zero again and the abort regions are gone, as in a new memory, but the pages
   stay allocated (grants stay valid memory; the epoch is bumped anyway): a host that runs many
   short programs (the fuzz targets) reuses one memory without allocating its pages again. */
void smmu_mem_zero(smmu_mem_t *m);
/* Pages currently allocated (host memory use is this times 4 KiB plus the index). */
size_t smmu_mem_pages(const smmu_mem_t *m);
/* Fill a host struct whose mem_read/mem_write/mem_cas64 go to m (irq left NULL, ctx = m), with a
   mem_ptr
   that grants direct reads of each allocated 4 KiB page no abort region touches (revoked when
   the abort regions change; pages never move). */
void smmu_mem_host(smmu_mem_t *m, smmu_host_t *host);

#ifdef __cplusplus
}
#endif
#endif
