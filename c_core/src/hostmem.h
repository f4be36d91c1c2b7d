/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The core's own memory accesses (hostmem.c): structure fetches, descriptor reads, queue
 * records and MSIs, Non-secure (Secure ones, for Secure streams and queues, through the _w / _sec
 * forms below), through host->mem_read / mem_write, and direct reads from
 * the grants host->mem_ptr hands out (<smmu/smmu.h>), held in the instance's slots while their
 * epoch is current. The reads are inline here: a read a held grant answers is a copy, the hot
 * path of every fetch and walk. Structures in memory are little-endian (spec 3.3). */
#ifndef SMMU_CORE_HOSTMEM_H
#define SMMU_CORE_HOSTMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <smmu/smmu.h>

#include "instance.h"

/* The core's own Non-secure accesses; non-zero on external abort. A read that lies inside
   the grant of its slot, with the grant's epoch current, is a copy from host memory; any other
   goes to smmu_mem_rd_host (another held grant, host->mem_ptr for a new one, else
   host->mem_read). */
static inline smmu_mem_grant_t *smmu_grant_slot(smmu_t *s, uint64_t pa) {
    return &s->grants[((pa >> 12) ^ (pa >> 16) ^ (pa >> 20) ^ (pa >> 24)) & (SMMU_GRANTS - 1)];
}
static inline const uint8_t *smmu_grant_find(smmu_t *s, uint64_t pa, size_t len) {
    const smmu_mem_grant_t *g = smmu_grant_slot(s, pa);
    uint64_t off = pa - g->base;
    if (off < g->size && len <= g->size - off && *g->epoch == g->epoch_val) return g->ptr + off;
    return NULL;
}
int smmu_mem_rd_host(smmu_t *s, uint64_t pa, void *buf, size_t len);
static inline int smmu_mem_rd(smmu_t *s, uint64_t pa, void *buf, size_t len) {
    const uint8_t *p = smmu_grant_find(s, pa, len);
    if (!p) return smmu_mem_rd_host(s, pa, buf, len);
    memcpy(buf, p, len);
    return 0;
}
/* smmu_translate_batch's look-ahead: the host address of the Non-secure descriptor at pa, from
   a held grant or one host->mem_ptr gives (kept in pa's slot, as the read will keep it); NULL
   when no grant covers it. Reads nothing through host->mem_read. */
const uint8_t *smmu_mem_ahead(smmu_t *s, uint64_t pa);
int smmu_mem_wr(smmu_t *s, uint64_t pa, const void *buf, size_t len);
/* The same to the Secure (secure) or Non-secure PA space (a Secure MSI, 3.18). */
int smmu_mem_wr_w(smmu_t *s, uint64_t pa, const void *buf, size_t len, bool secure);
/* Structures in memory are little-endian (spec 3.3): b as a host word. */
static inline uint64_t smmu_le64(const uint8_t *b) {
    uint64_t v;
    memcpy(&v, b, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}
/* Reads n (<= 8) little-endian 64-bit words at pa into dw (host byte order). */
int smmu_mem_rd64_host(smmu_t *s, uint64_t pa, uint64_t *dw, unsigned n);
static inline int smmu_mem_rd64(smmu_t *s, uint64_t pa, uint64_t *dw, unsigned n) {
    const uint8_t *p = n <= 8 ? smmu_grant_find(s, pa, 8u * n) : NULL;
    if (!p) return smmu_mem_rd64_host(s, pa, dw, n);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (unsigned i = 0; i < n; i++)
        dw[i] = smmu_le64(p + 8 * i);
#else
    memcpy(dw, p, 8u * n); /* little-endian host: the words as they are */
#endif
    return 0;
}
int smmu_mem_wr64(smmu_t *s, uint64_t pa, const uint64_t *dw, unsigned n);
/* Accesses to the Secure PA space (NS == 0; 3.10.2: the Secure Stream table, queues, CDs and
   Secure stage-1 tables): always through host->mem_read / mem_write with secure set, since the
   direct read grants are Non-secure memory. The _w forms take the PA space. */
int smmu_mem_rd64_sec(smmu_t *s, uint64_t pa, uint64_t *dw, unsigned n);
static inline int smmu_mem_rd64_w(smmu_t *s, uint64_t pa, uint64_t *dw, unsigned n, bool secure) {
    return secure ? smmu_mem_rd64_sec(s, pa, dw, n) : smmu_mem_rd64(s, pa, dw, n);
}
int smmu_mem_wr64_w(smmu_t *s, uint64_t pa, const uint64_t *dw, unsigned n, bool secure);
/* HTTU's atomic update of a little-endian 64-bit word (host->mem_cas64): *observed = the word,
   desired stored when it equals expected; non-zero on external abort (also without the
   callback, which params.httu != 0 implies). */
int smmu_mem_cas(smmu_t *s, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *observed);
int smmu_mem_cas_w(smmu_t *s, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *observed,
                   bool secure);

#endif
