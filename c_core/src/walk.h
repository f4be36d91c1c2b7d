/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Translation table walks (walk.c; Arm ARM D8): an access's kind (smmu_access_t) and what a walk
 * of one stage gives (smmu_walk_out_t); stage 1, stage 2 and nested stage 1 walks, the stage-1
 * table selection and the start levels of both stages. */
#ifndef SMMU_CORE_WALK_H
#define SMMU_CORE_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

#include "cd.h"
#include "fault.h"
#include "strtab.h"
#include "tlb.h"
#include "xctx.h"

typedef struct smmu_access {
    bool write, exec, priv;
} smmu_access_t;

typedef struct smmu_walk_out {
    uint64_t oa;   /* output address of the input address (not just the page) */
    uint64_t span; /* size of the page or block, or of its contiguous range (cont) */
    uint8_t perm;  /* granted SMMU_PERM_* for this access's privilege */
    uint8_t attr;  /* MAIR-format byte: stage 1 from MAIR[AttrIndx]; stage 2 from MemAttr */
    bool force_wb; /* stage 2 with S2FWB, MemAttr[2:0] == 0b110: Normal Write-Back whatever
                      stage 1 gives (attr.c smmu_attr_combine_s2) */
    uint8_t sh;
    uint8_t level;
    bool ng;
    bool ns;
    uint8_t perm_priv, perm_user; /* granted to privileged / unprivileged accesses (stage 2:
                                     they differ in execution only, IDR3.XNX) */
    uint8_t gran;                 /* granule shift of the table */
    bool nt;   /* a Block descriptor (level < 3) with nT == 1 (3.21.1, Arm ARM D8.3.1.2 Block[16];
                  only meaningful at BBML level 1: the walker never faults on it) */
    bool cont; /* Contiguous == 1 and taken: span is the contiguous range (Arm ARM D8.7.1) */
} smmu_walk_out_t;

/* VMSAv8-64 walks (Arm ARM D8). Return 0 and fill out, or fill f and return -1.
   Stage 2: cls says why the IPA is translated (CD fetch, stage-1 table walk, input). */
int smmu_walk_s2(smmu_t *s, smmu_xctx_t *x, const smmu_s2cfg_t *c, uint64_t ipa,
                 const smmu_access_t *acc, uint8_t cls, smmu_walk_out_t *out, smmu_fault_t *f);
/* Stage 1 with the table half selected (smmu_s1_select(c, va), -1: a fault); s2 non-NULL for
   nested (every table address is an IPA translated through it). */
int smmu_walk_s1(smmu_t *s, smmu_xctx_t *x, const smmu_s1cfg_t *c, int half, const smmu_s2cfg_t *s2,
                 uint64_t va, const smmu_access_t *acc, smmu_walk_out_t *out, smmu_fault_t *f);
/* smmu_translate_batch's look-ahead: follows the Non-secure, non-nested tables of tt for ia as
   far as the walk cache (peeked) and held or newly granted table pages (smmu_mem_ahead) allow
   and prefetches the level-3 descriptor into the host's caches. No statistics, no cache fill
   or LRU refresh, no trace point, no host->mem_read; key: the walk cache tags. */
void smmu_walk_prefetch(smmu_t *s, const smmu_tt_t *tt, const smmu_tlbkey_t *key, uint64_t ia,
                        bool endi, uint8_t oas);
/* Stage-1 table selection and input-range check for va (TBI, TxSZ, EPDx), and E0PDx for an
   unprivileged access (!priv): returns the half (0/1) or -1 when va is outside both or E0PD
   denies the access (F_TRANSLATION, before any TLB lookup or walk). */
int smmu_s1_select(const smmu_s1cfg_t *c, uint64_t va, bool priv);
/* Start level and concatenation of a stage-2 table from T0SZ/SL0/TG; -1 if inconsistent.
   sl0 is STE.{S2SL0_2, S2SL0} (3 bits); ds: STE.S2DS in effect (4KB/16KB only). */
int smmu_s2_start_level(unsigned gran, unsigned tsz, unsigned sl0, bool ds, int8_t *start,
                        uint8_t *concat);
/* Start level (-1..3) of a stage-1 table from TxSZ and granule (D8.2). */
int smmu_s1_start_level(unsigned gran, unsigned tsz);
/* Low bit of the input address resolved at a lookup level (-1..3): each level below resolves
   gran - 3 bits (Arm ARM D8.2). */
static inline unsigned smmu_lvl_shift(unsigned gran, int level) {
    return gran + (unsigned)(3 - level) * (gran - 3);
}

#endif
