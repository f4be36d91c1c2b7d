/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The driver sanitizer's hooks (dsan.c; public side <smmu/dsan.h>). Every hook is called only
 * when smmu_dsan_on(s): the sanitizer off costs one pointer test where a hook sits. */
#ifndef SMMU_CORE_DSAN_H
#define SMMU_CORE_DSAN_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

#include "instance.h"

/* What a tracked table entry is (the table it was fetched from, 3.21.3). */
enum { DSAN_STE, DSAN_L1STD, DSAN_CD, DSAN_L1CD, DSAN_DESC };

static inline bool smmu_dsan_on(const smmu_t *s) {
    return s->dsan != NULL;
}

int smmu_dsan_new(smmu_t *s); /* smmu_new: 0, or -1 when the tracking table cannot be had */
void smmu_dsan_free(smmu_t *s);
void smmu_dsan_clear_stats(smmu_t *s);

/* Commands (cmdq.c): a CERROR_ILL command at pa; allowed: the bits its opcode defines. */
void smmu_dsan_cmd_illegal(smmu_t *s, bool sec, uint64_t pa, const uint64_t dw[2],
                           const uint64_t allowed[2]);
/* A CMD_SYNC of the queue of Security state sec completed (4.7.3). */
void smmu_dsan_sync(smmu_t *s, bool sec);
/* An invalidation took effect in the caches (cache.c notify): CFGI, TLBI, DVM TLBI, or all. */
void smmu_dsan_inv(smmu_t *s, const smmu_inv_scope_t *sc, bool sec);

/* Registers (regs.c): a write to the register at offset (of the bank of sec) that its enable
   guards (section: the register's section). */
void smmu_dsan_reg_guarded(smmu_t *s, bool sec, uint64_t offset, uint64_t value,
                           const char *section, const char *reg);
/* CR0 of bank sec changed from old to cur: bases of what was just enabled must be aligned. */
void smmu_dsan_cr0(smmu_t *s, bool sec, uint32_t old, uint32_t cur);

/* Fetches (strtab.c, cd.c, walk.c): n dwords at pa were read and may now be cached. Config
   structures: StreamIDs [sid_lo, sid_hi] and SubstreamIDs [ssid_lo, ssid_hi] they serve. */
void smmu_dsan_fetch_cfg(smmu_t *s, unsigned kind, bool sec, uint64_t pa, const uint64_t *dw,
                         unsigned n, uint32_t sid_lo, uint32_t sid_hi, uint32_t ssid_lo,
                         uint32_t ssid_hi);
/* A translation table descriptor d at pa, of stage (1, 2) and level, covering input addresses
   [ia_lo, ia_hi]. */
void smmu_dsan_fetch_desc(smmu_t *s, bool sec, uint64_t pa, uint64_t d, unsigned stage, int level,
                          uint64_t ia_lo, uint64_t ia_hi);
/* A pointer found misaligned in a fetched structure (5.1.1, 5.2). */
void smmu_dsan_misaligned(smmu_t *s, bool sec, const char *section, const char *what,
                          uint64_t struct_pa, uint64_t ptr, uint64_t align);
/* A transaction of StreamID sid (SubstreamID ssid when ssv) at input address addr is about to
   use the configuration and tables; smmu_dsan_done when it is over (the descriptors fetched in
   between are the stream's). */
void smmu_dsan_use(smmu_t *s, bool sec, uint32_t sid, uint32_t ssid, bool ssv, uint64_t addr);
void smmu_dsan_done(smmu_t *s);

#endif
