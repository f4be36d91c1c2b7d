/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Translation caches (tlb.c; spec 3.17, 3.21.1, 4.4): the translation regimes that tag cached
 * translations, the TLB / IPA cache entry (smmu_tlbe_t) and the walk cache entry
 * (smmu_walke_t), their lookup key, lookups and fills, and every CMD_TLBI_* form. */
#ifndef SMMU_CORE_TLB_H
#define SMMU_CORE_TLB_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

#include "cline.h"
#include "xctx.h"

/* Translation regimes that tag cached translations (spec 3.17): NS-EL1 stage 1 (also combined
   stage 1 + stage 2), NS-EL2, NS-EL2-E2H, and NS-EL1 stage-2-only (address type IPA); the
   Secure streams' Secure (Secure EL1 stage 1) and EL3 (3.10, 3.17.2). Each is its own
   namespace: no lookup of one regime matches an entry of another (3.17). */
enum {
    SMMU_RG_EL1 = 0,
    SMMU_RG_EL2 = 1,
    SMMU_RG_EL2E2H = 2,
    SMMU_RG_S2 = 3,
    SMMU_RG_SEL1 = 4,
    SMMU_RG_EL3 = 5
};

/* The regime tags entries with an ASID (3.17: any-EL2 and EL3 have none, 3.17.1). */
static inline bool smmu_rg_asid(unsigned regime) {
    return regime != SMMU_RG_EL2 && regime != SMMU_RG_EL3;
}

/* TLB and IPA cache entry: a final translation (TLB) or a stage-2 translation (IPA cache). */
typedef struct smmu_tlbe {
    smmu_cline_t h;
    uint8_t regime;      /* SMMU_RG_* */
    uint8_t size_log2;   /* size of the region this entry translates (lookup granularity) */
    uint8_t range_log2;  /* size of the leaf of the entry's address stage (VA: stage 1) */
    uint8_t gran, level; /* granule shift and leaf level of that stage (TLBI TG / TTL) */
    bool global, aset;
    bool s1, s2; /* stages whose information the entry holds */
    uint16_t vmid, asid;
    uint64_t ia;  /* input address (canonical VA or IPA), aligned to size_log2 */
    uint64_t oa;  /* output address of ia */
    uint64_t ipa; /* combined entries: the IPA of ia */
    uint8_t perm_p, perm_u, attr1, sh1;   /* stage 1 */
    uint8_t perm2_p, perm2_u, attr2, sh2; /* stage 2 (by privilege: IDR3.XNX) */
    bool force_wb2; /* stage 2 forced Write-Back (S2FWB, cached as 5.2 permits) */
    bool ns1;       /* stage 1's output NS (a Secure stream's walk, 3.10.2); true otherwise */
    bool cont;      /* made from a Contiguous == 1 leaf cached as its contiguous range (Arm ARM
                       D8.7.1): size_log2 / range_log2 may be that range */
} smmu_tlbe_t;

/* Walk cache entry: a table descriptor of level `level` (spec 3.21.1 walk cache). */
typedef struct smmu_walke {
    smmu_cline_t h;
    uint8_t regime, gran, level;
    bool apt_nounpriv, apt_ro, pxnt, uxnt; /* hierarchical controls accumulated down to it */
    bool ns; /* the next table is read Non-secure (NSTable so far, Arm ARM D8.4.1; Secure walks) */
    uint16_t vmid, asid;
    uint64_t ia;    /* input address bits above the level's shift (aligned) */
    uint64_t table; /* next-level table address (an IPA for nested stage 1) */
} smmu_walke_t;

/* What a TLB, IPA cache or walk cache lookup matches. */
typedef struct smmu_tlbkey {
    uint8_t regime;
    bool aset;
    uint16_t vmid, asid;
    uint64_t ia; /* canonical VA (smmu_va_canon) or IPA */
} smmu_tlbkey_t;

uint64_t smmu_va_canon(uint64_t va); /* VA[63:56] replaced by copies of VA[55] */
const smmu_tlbe_t *smmu_tlb_lookup(smmu_t *s, smmu_xctx_t *x, unsigned which,
                                   const smmu_tlbkey_t *k);
/* e, the TLB's answer to k, is one of several entries of different sizes that cover k's
   address and the SMMU reports TLB conflicts (BBML 0 or 1; 3.20.1, 3.21.1.2); at level 1 not
   when they differ only by the Contiguous hint (3.21.1.2). */
bool smmu_tlb_conflict(smmu_t *s, const smmu_tlbkey_t *k, const smmu_tlbe_t *e);
/* Removes entry e of the TLB or IPA cache (which): a write found it without write permission
   while the dirty state is hardware-managed, so the walk that updates the descriptor replaces it
   (HTTU, spec 3.13.3). Counted as an invalidation. */
void smmu_tlb_drop(smmu_t *s, unsigned which, const smmu_tlbe_t *e);
const void *smmu_tlb_fill(smmu_t *s, const smmu_xctx_t *x, unsigned which,
                          const smmu_tlbe_t *e); /* the line */
/* The fill of smmu_tlb_fill without a source entry: the line (NULL: nothing filled) holding
   the key (regime, VMID, ia aligned to size_log2) and sizes, every other field zero, for the
   caller to write (the miss path builds its entry in place). */
smmu_tlbe_t *smmu_tlb_alloc(smmu_t *s, const smmu_xctx_t *x, unsigned which, uint8_t regime,
                            uint16_t vmid, uint64_t ia, unsigned size_log2, unsigned range_log2);
/* Deepest cached table descriptor for ia at a level in [start, 2]; false on a miss. */
bool smmu_walkc_lookup(smmu_t *s, smmu_xctx_t *x, const smmu_tlbkey_t *k, unsigned gran,
                       unsigned start, smmu_walke_t *out);
void smmu_walkc_fill(smmu_t *s, const smmu_xctx_t *x, const smmu_tlbkey_t *k,
                     const smmu_walke_t *e);
/* For smmu_translate_batch's look-ahead, without side effects (no statistics, no LRU refresh):
   prefetches the sets k's lookup will read (every entry size present), tells whether the
   lookup would hit, and gives the walk cache's answer. */
void smmu_tlb_prefetch(const smmu_t *s, unsigned which, const smmu_tlbkey_t *k);
bool smmu_tlb_peek(const smmu_t *s, unsigned which, const smmu_tlbkey_t *k);
bool smmu_walkc_peek(const smmu_t *s, const smmu_tlbkey_t *k, unsigned gran, unsigned start,
                     smmu_walke_t *out);
/* Drops every TLB, walk-cache and IPA-cache entry of one Security state's StreamWorlds. */
void smmu_tlb_flush_sec(smmu_t *s, bool sec);
/* Applies a CMD_TLBI_* of the Non-secure or Secure (sec) Command queue to the TLB, walk cache
   and IPA cache; false (nothing done) for another opcode. *scope: what it covered. */
bool smmu_tlbi(smmu_t *s, const uint64_t dw[2], bool sec, smmu_inv_scope_t *scope);
/* Applies a broadcast TLB invalidation (spec 3.17) like the equivalent command; false (nothing
   done) for a form of a regime, stage or Security state the SMMU does not implement. */
bool smmu_tlb_dvm(smmu_t *s, const smmu_dvm_tlbi_t *op, smmu_inv_scope_t *scope);
/* The ASID test of a TLBI scope (3.17.1), shared by the TLB and smmu_inv_covers(). */
bool smmu_inv_asid_match(const smmu_inv_scope_t *v, bool global, uint16_t asid);

#endif
