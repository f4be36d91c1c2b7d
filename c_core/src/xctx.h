/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* One translation's context (smmu_xctx_t). What one translation (smmu_translate, a debug
 * translation, an ATS Translation Request, a PRI request's STE check) carries down to every
 * cache lookup, structure fetch and walk it makes: its cost and whether it may have side
 * effects. The entry point owns it and commits it once (smmu_xctx_commit, cache.h); the
 * instance keeps no per-translation state. A type only. */
#ifndef SMMU_CORE_XCTX_H
#define SMMU_CORE_XCTX_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

typedef struct smmu_xctx {
    uint16_t lookups[SMMU_CACHE_COUNT], hits[SMMU_CACHE_COUNT]; /* per SMMU_CACHE_* */
    uint32_t reads;      /* structure and descriptor reads: STE, L1STD, CD, L1CD, descriptors */
    uint32_t walk_reads; /* of which translation table descriptor reads */
    bool dbg;            /* no side effects: no event, stall, statistics, cache fill or LRU age */
    bool sec; /* a Secure stream's (SEC_SID, 3.10.1): Secure Stream table, Secure structure
                 fetches; its configuration-cache entries are tagged Secure (cfgcache.c) and
                 its translations by the Secure StreamWorlds (tlb.c) */
    /* MPAM labels of the translation's own accesses (17.4): L1CD/CD fetches and stage-2
       descriptors carry the STE's, stage-1 descriptors the transaction's (mpam.h) */
    smmu_mpam_t mpam_ste, mpam_s1;
} smmu_xctx_t;

#endif
