/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Translation caches (spec 3.17, 3.21.1, 4.4; Arm ARM D8.13 TLB maintenance):
 *   TLB         final translations of a stream: stage 1 (VA), combined stage 1 + stage 2 (VA),
 *               or stage-2-only (IPA), tagged with the translation regime (StreamWorld), VMID
 *               (NS-EL1 when stage 2 is implemented), ASID (nG == 1) or global with its ASET.
 *   walk cache  table descriptors of stage 1 and stage 2 walks, tagged likewise (stage 2 by
 *               VMID), holding the next table address and the hierarchical controls so far.
 *   IPA cache   stage-2 translations (IPA -> PA by VMID), used by every stage-2 walk: nested
 *               stage-1 table reads, CD fetches, and the stage 2 of a nested translation.
 * Only valid translations are cached (3.21.1): a walk that faults fills nothing.
 *
 * A lookup hashes (regime, VMID, page number, size) into one set; the entry sizes that may be
 * present are kept as a bit mask, so a TLB holding one page size is probed once. ASIDs are not
 * hashed so that a global entry is found by any ASID.
 *
 * CMD_TLBI_* remove exactly their scope (4.4): each is turned into an smmu_inv_scope_t
 * (worlds, VMID, ASID match, address range, TG / TTL, Leaf) matched against the lines it can
 * reach: for a by-address scope of a few pages, the sets those pages hash to (for each entry
 * size present, regime and VMID in scope); otherwise every line. */
#include "tlb.h"

#include "cache.h"
#include "choice.h"
#include "cline.h"
#include "instance.h"
#include "memo.h"
#include "regfile.h"
#include "xctx.h"

uint64_t smmu_va_canon(uint64_t va) {
    /* TBI may apply (3.4.1): the top byte never distinguishes translations. */
    return (va & 0x00FFFFFFFFFFFFFFull) | ((va >> 55) & 1 ? 0xFF00000000000000ull : 0);
}

static uint64_t tlb_hash(uint8_t regime, uint16_t vmid, uint64_t ia, unsigned size_log2) {
    uint64_t page = size_log2 >= 64 ? 0 : ia >> size_log2;
    return page ^ ((uint64_t)size_log2 << 56) ^ ((uint64_t)regime << 48) ^ ((uint64_t)vmid << 32);
}

/* The address first: on a miss it is the test that fails, so a way costs one compare. */
static bool tlb_match(const smmu_tlbe_t *e, const smmu_tlbkey_t *k, unsigned size_log2) {
    if (((e->ia ^ k->ia) >> size_log2) != 0) return false;
    if (!e->h.valid || e->size_log2 != size_log2 || e->regime != k->regime || e->vmid != k->vmid)
        return false;
    /* Global entries match any ASID of the same ASET (3.17.1). */
    return e->global ? e->aset == k->aset : e->asid == k->asid;
}

static smmu_tlbe_t *tlb_probe(smmu_cache_t *c, const smmu_tlbkey_t *k, unsigned size_log2) {
    uint32_t base = smmu_cset(c, tlb_hash(k->regime, k->vmid, k->ia, size_log2));
    for (uint32_t w = 0; w < c->ways; w++) {
        smmu_tlbe_t *e = smmu_cline(c, base + w);
        if (tlb_match(e, k, size_log2)) return e;
    }
    return NULL;
}

/* tlb_probe of a lookup: on a miss it also picks the way the fill of this set will take, as
   smmu_cache_alloc would (first invalid way, else the oldest stamp), while the lines are at
   hand (the walk's fill then does not read the set again). */
static smmu_tlbe_t *tlb_probe_noting(smmu_cache_t *c, const smmu_tlbkey_t *k, unsigned size_log2) {
    const uint64_t h = tlb_hash(k->regime, k->vmid, k->ia, size_log2);
    const uint32_t base = smmu_cset(c, h);
    uint32_t invalid = UINT32_MAX, oldest_way = 0;
    uint64_t oldest = UINT64_MAX;
    for (uint32_t w = 0; w < c->ways; w++) {
        smmu_tlbe_t *e = smmu_cline(c, base + w);
        if (tlb_match(e, k, size_log2)) return e;
        if (!e->h.valid) {
            if (invalid == UINT32_MAX) invalid = w;
        } else {
            const uint64_t stamp = smmu_cline_stamp(e);
            if (stamp < oldest) {
                oldest = stamp;
                oldest_way = w;
            }
        }
    }
    const bool evict = invalid == UINT32_MAX;
    smmu_cache_note_victim(c, h, base, evict ? oldest_way : invalid, evict);
    return NULL;
}

const smmu_tlbe_t *smmu_tlb_lookup(smmu_t *s, smmu_xctx_t *x, unsigned which,
                                   const smmu_tlbkey_t *k) {
    smmu_cache_t *c = &s->cache[which];
    if (!c->sets) return NULL;
    for (uint64_t m = c->sizes; m; m &= m - 1) {
        smmu_tlbe_t *e = tlb_probe_noting(c, k, (unsigned)__builtin_ctzll(m));
        if (e) {
            smmu_cache_hit(s, x, c, e);
            smmu_cache_forget_victim(c);
            return e;
        }
    }
    smmu_cache_miss(x, c);
    return NULL;
}

/* Entries a and b, both matching the key of ia, differ only by the Contiguous hint: one of them
   was cached as a contiguous range, both come from leaves of the same level and granule, and
   they give ia the same translation (output, IPA, permissions, attributes, ASID tagging). */
static bool cont_only(const smmu_tlbe_t *a, const smmu_tlbe_t *b, uint64_t ia) {
    const uint64_t off_a = ia & smmu_bits_mask(a->size_log2),
                   off_b = ia & smmu_bits_mask(b->size_log2);
    return (a->cont || b->cont) && a->level == b->level && a->gran == b->gran && a->s1 == b->s1 &&
           a->s2 == b->s2 && a->global == b->global && a->asid == b->asid &&
           (a->oa | off_a) == (b->oa | off_b) && (!a->s1 || (a->ipa | off_a) == (b->ipa | off_b)) &&
           a->perm_p == b->perm_p && a->perm_u == b->perm_u && a->attr1 == b->attr1 &&
           a->sh1 == b->sh1 && a->perm2_p == b->perm2_p && a->perm2_u == b->perm2_u &&
           a->attr2 == b->attr2 && a->sh2 == b->sh2 && a->force_wb2 == b->force_wb2;
}

/* TLB conflicts (3.20.1) at BBML levels 0 and 1 (3.21.1.2): a lookup that hit e (the smallest
   matching size: sizes are probed upwards) also probes the larger sizes present; a second match
   is a multi-hit of entries of different sizes, which a block or page size change made without
   break-before-make and without nT leaves behind, or a misprogrammed Contiguous bit (Arm ARM
   D8.7.1.1 R NGLXZ: a TLB conflict abort is a permitted result). At level 1 a change of only
   the Contiguous bit never conflicts (3.21.1.2; Arm ARM D8.17 R KHRBC): entries that differ
   only by the hint are reconciled (e answers). Only the TLB is checked (the IPA cache resolves a
   multi-hit by its first match, which 3.20.1 permits: detection is not required). At level 2
   (3.21.1.3), or with one size present, this costs one test on the hit path. */
bool smmu_tlb_conflict(smmu_t *s, const smmu_tlbkey_t *k, const smmu_tlbe_t *e) {
    smmu_cache_t *c = &s->cache[SMMU_CACHE_TLB];
    if (s->p.bbml >= 2 || e->size_log2 >= 63) return false;
    for (uint64_t m = c->sizes >> (e->size_log2 + 1u) << (e->size_log2 + 1u); m; m &= m - 1) {
        const smmu_tlbe_t *o = tlb_probe(c, k, (unsigned)__builtin_ctzll(m));
        if (o && !(s->p.bbml == 1 && cont_only(e, o, k->ia))) return true;
    }
    return false;
}

/* The memo (memo.c) answers a translation whose TLB line is unchanged, so it would not see a
   conflicting entry filled later. When conflicts are reported (BBML < 2), a TLB fill while
   another entry size is present retires every memo entry (one generation bump): the next
   translation of any address takes the full path, whose lookup finds the multi-hit. Entries of
   one size only never conflict (the same address has one entry per size), so a TLB of one page
   size keeps its memo. */
static void conflict_memo(smmu_t *s, unsigned which, uint64_t sizes, unsigned size_log2) {
    if (which == SMMU_CACHE_TLB && s->p.bbml < 2 && (sizes & ~(1ull << size_log2)))
        smmu_memo_flush(s);
}

smmu_tlbe_t *smmu_tlb_alloc(smmu_t *s, const smmu_xctx_t *x, unsigned which, uint8_t regime,
                            uint16_t vmid, uint64_t ia, unsigned size_log2, unsigned range_log2) {
    smmu_cache_t *c = &s->cache[which];
    if (size_log2 > 63) return NULL;
    conflict_memo(s, which, c->sizes, size_log2);
    smmu_tlbe_t *e = smmu_cache_alloc(s, x, c, tlb_hash(regime, vmid, ia, size_log2));
    if (!e) return NULL;
    e->regime = regime;
    e->vmid = vmid;
    e->ia = ia;
    e->size_log2 = (uint8_t)size_log2;
    e->range_log2 = (uint8_t)range_log2;
    c->sizes |= 1ull << size_log2;
    if (range_log2 > size_log2 && range_log2 > c->split_log2) c->split_log2 = (uint8_t)range_log2;
    return e;
}

const void *smmu_tlb_fill(smmu_t *s, const smmu_xctx_t *x, unsigned which, const smmu_tlbe_t *src) {
    smmu_tlbe_t *e = smmu_tlb_alloc(s, x, which, src->regime, src->vmid, src->ia, src->size_log2,
                                    src->range_log2);
    if (e) smmu_cline_fill(e, src, sizeof(*e));
    return e;
}

void smmu_tlb_drop(smmu_t *s, unsigned which, const smmu_tlbe_t *e) {
    smmu_cache_drop(s, &s->cache[which], (void *)(uintptr_t)e);
}

/* ------------------------------------------------------------------ walk cache */

static unsigned lvl_shift(unsigned gran, unsigned level) {
    return gran + (3 - level) * (gran - 3);
}

static uint64_t walk_hash(const smmu_tlbkey_t *k, unsigned level, uint64_t ia) {
    return ia ^ ((uint64_t)level << 60) ^ ((uint64_t)k->regime << 56) ^ ((uint64_t)k->vmid << 32) ^
           ((uint64_t)k->asid << 16);
}

static inline bool walk_match(const smmu_walke_t *e, const smmu_tlbkey_t *k, unsigned gran,
                              unsigned level, uint64_t ia) {
    return e->ia == ia && e->h.valid && e->level == level && e->gran == gran && /* ia first */
           e->regime == k->regime && e->vmid == k->vmid && e->asid == k->asid;
}

/* Inlined into both callers: a call per level would cost the miss path's walk-cache lookup. */
static inline __attribute__((always_inline)) smmu_walke_t *
walk_probe(smmu_cache_t *c, const smmu_tlbkey_t *k, unsigned gran, unsigned level) {
    uint64_t ia = k->ia & ~smmu_bits_mask(lvl_shift(gran, level));
    uint32_t base = smmu_cset(c, walk_hash(k, level, ia));
    for (uint32_t w = 0; w < c->ways; w++) {
        smmu_walke_t *e = smmu_cline(c, base + w);
        if (walk_match(e, k, gran, level, ia)) return e;
    }
    return NULL;
}

bool smmu_walkc_lookup(smmu_t *s, smmu_xctx_t *x, const smmu_tlbkey_t *k, unsigned gran,
                       unsigned start, smmu_walke_t *out) {
    smmu_cache_t *c = &s->cache[SMMU_CACHE_WALK];
    if (!c->sets || (gran != 12 && gran != 14 && gran != 16)) return false;
    for (int level = 2; level >= (int)start; level--) {
        smmu_walke_t *e = walk_probe(c, k, gran, (unsigned)level);
        if (e) {
            smmu_cache_hit(s, x, c, e);
            *out = *e;
            return true;
        }
    }
    smmu_cache_miss(x, c);
    return false;
}

void smmu_walkc_fill(smmu_t *s, const smmu_xctx_t *x, const smmu_tlbkey_t *k,
                     const smmu_walke_t *src) {
    if (src->level > 2 || !s->cache[SMMU_CACHE_WALK].sets || x->dbg) return;
    uint64_t ia = k->ia & ~smmu_bits_mask(lvl_shift(src->gran, src->level));
    smmu_walke_t *e =
        smmu_cache_alloc(s, x, &s->cache[SMMU_CACHE_WALK], walk_hash(k, src->level, ia));
    if (!e) return;
    smmu_cline_fill(e, src, sizeof(*e));
    e->ia = ia;
    e->regime = k->regime;
    e->vmid = k->vmid;
    e->asid = k->asid;
}

/* ------------------------------------------------------------------ look-ahead */
/* smmu_translate_batch (batch.c): lookups that count and refresh nothing. */

void smmu_tlb_prefetch(const smmu_t *s, unsigned which, const smmu_tlbkey_t *k) {
    const smmu_cache_t *c = &s->cache[which];
    if (!c->sets) return;
    for (uint64_t m = c->sizes; m; m &= m - 1) {
        const unsigned size = (unsigned)__builtin_ctzll(m);
        __builtin_prefetch(smmu_cline(c, smmu_cset(c, tlb_hash(k->regime, k->vmid, k->ia, size))));
    }
}

bool smmu_tlb_peek(const smmu_t *s, unsigned which, const smmu_tlbkey_t *k) {
    smmu_cache_t *c = (smmu_cache_t *)&s->cache[which]; /* tlb_probe changes nothing */
    if (!c->sets) return false;
    for (uint64_t m = c->sizes; m; m &= m - 1)
        if (tlb_probe(c, k, (unsigned)__builtin_ctzll(m))) return true;
    return false;
}

bool smmu_walkc_peek(const smmu_t *s, const smmu_tlbkey_t *k, unsigned gran, unsigned start,
                     smmu_walke_t *out) {
    smmu_cache_t *c = (smmu_cache_t *)&s->cache[SMMU_CACHE_WALK]; /* walk_probe changes nothing */
    if (!c->sets || (gran != 12 && gran != 14 && gran != 16)) return false;
    for (int level = 2; level >= (int)start; level--) {
        const smmu_walke_t *e = walk_probe(c, k, gran, (unsigned)level);
        if (e) {
            *out = *e;
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------ CMD_TLBI_* */

/* The scope of a TLBI is the public smmu_inv_scope_t (<smmu/smmu.h>), so the host learns
   exactly what the caches apply. Its world bits are 1 << SMMU_RG_*. */
typedef smmu_inv_scope_t inv_t;
#define RG(r) (1u << (r))
_Static_assert(SMMU_INV_W_EL1 == RG(SMMU_RG_EL1) && SMMU_INV_W_EL2 == RG(SMMU_RG_EL2) &&
                   SMMU_INV_W_EL2E2H == RG(SMMU_RG_EL2E2H) && SMMU_INV_W_S2 == RG(SMMU_RG_S2) &&
                   SMMU_INV_W_SEL1 == RG(SMMU_RG_SEL1) && SMMU_INV_W_EL3 == RG(SMMU_RG_EL3),
               "world bits are regime bits");

static bool overlaps(uint64_t base, unsigned log2, const inv_t *v) {
    uint64_t last = log2 >= 64 ? UINT64_MAX : base + (smmu_bits_mask(log2));
    return base <= v->addr_hi && last >= v->addr_lo;
}

static bool world_match(const inv_t *v, uint8_t regime, uint16_t vmid) {
    return (v->worlds & RG(regime)) && (v->vmid_any || vmid == v->vmid);
}

/* ASID scope of a leaf (3.17.1: the ASID forms leave global entries). */
bool smmu_inv_asid_match(const smmu_inv_scope_t *v, bool global, uint16_t asid) {
    if (v->asid_mode == SMMU_INV_ASID_NONGLOBAL) return !global && asid == v->asid;
    if (v->asid_mode == SMMU_INV_ASID_OR_GLOBAL) return global || asid == v->asid;
    return true;
}

/* A leaf entry: ASID scope (and the ASET rule of broadcasts, 3.17), then address. */
static bool tlbe_in_scope(const smmu_tlbe_t *e, const inv_t *v) {
    if (!smmu_inv_asid_match(v, e->global, e->asid)) return false;
    if (v->shared_only && e->aset) return false;
    if (!v->by_addr) return true;
    if (v->tg && e->gran != v->tg) return false;
    if (v->ttl && e->level != v->ttl) return false;
    /* The leaf of the entry's address stage covers range_log2 (a combined entry may be a
       smaller piece of a larger stage-1 block). */
    return overlaps(e->ia & ~smmu_bits_mask(e->range_log2), e->range_log2, v);
}

/* A table entry: removed by non-Leaf address forms at levels above the TTL leaf level
   (4.4.1.1), and by every form without an address. The ASID of a table entry is not
   compared by address forms (over-invalidation). */
static bool walke_in_scope(const smmu_walke_t *e, const inv_t *v) {
    if (v->asid_mode == SMMU_INV_ASID_NONGLOBAL && e->asid != v->asid) return false;
    if (!v->by_addr) return true;
    if (v->leaf) return false;
    if (v->tg && e->gran != v->tg) return false;
    if (v->ttl && e->level >= v->ttl) return false;
    return overlaps(e->ia, lvl_shift(e->gran, e->level), v);
}

static bool tlbe_drop_if_in_scope(smmu_t *s, smmu_cache_t *c, smmu_tlbe_t *e, const inv_t *v) {
    if (!e->h.valid || !world_match(v, e->regime, e->vmid) || !tlbe_in_scope(e, v)) return false;
    smmu_cache_drop(s, c, e);
    return true;
}

/* The VMID a TLB entry of regime rg carries when the scope names one (strtab.c decode_vmid):
   S2VMID for the NS-EL1 StreamWorld and stage 2 when stage 2 is implemented, otherwise 0 (the
   Secure StreamWorlds too: no Secure stage 2, 3.10.2.2).
   false: the scope reaches every VMID of a tagged regime (no single set to probe). */
static bool scope_vmid(const smmu_t *s, const inv_t *v, unsigned rg, uint16_t *vmid) {
    if (rg == SMMU_RG_EL2 || rg == SMMU_RG_EL2E2H || rg >= SMMU_RG_SEL1 || !s->p.s2) {
        *vmid = 0;
        return true;
    }
    *vmid = v->vmid;
    return !v->vmid_any;
}

/* A by-address scope over few pages: only the sets its pages hash to can hold an entry in
   scope (a lookup finds an entry at tlb_hash(regime, vmid, page, size)). An entry whose
   range_log2 exceeds its size (a piece of a larger stage-1 leaf) is in scope when its range
   meets the addresses, so the pages probed are widened to the largest such range present.
   Returns false (nothing done) when the scope is not by address, reaches every VMID of a
   tagged regime, or would take more probes than a quarter of the sets: the caller sweeps. */
static bool inv_tlb_direct(smmu_t *s, smmu_cache_t *c, const inv_t *v) {
    if (!v->by_addr || v->addr_hi < v->addr_lo) return false;
    uint64_t budget = c->sets / 4, probes = 0;
    for (unsigned rg = 0; rg <= SMMU_RG_EL3; rg++) {
        uint16_t vmid;
        if (!(v->worlds & RG(rg))) continue;
        if (!scope_vmid(s, v, rg, &vmid)) return false;
        for (uint64_t m = c->sizes; m; m &= m - 1) {
            unsigned sz = (unsigned)__builtin_ctzll(m);
            unsigned w = sz > c->split_log2 ? sz : c->split_log2;
            if (w > 63) return false;
            uint64_t lo = v->addr_lo >> w << w >> sz, hi = (v->addr_hi | smmu_bits_mask(w)) >> sz;
            if (hi - lo >= budget || (probes += hi - lo + 1) > budget) return false;
        }
    }
    for (unsigned rg = 0; rg <= SMMU_RG_EL3; rg++) {
        uint16_t vmid;
        if (!(v->worlds & RG(rg)) || !scope_vmid(s, v, rg, &vmid)) continue;
        for (uint64_t m = c->sizes; m; m &= m - 1) {
            unsigned sz = (unsigned)__builtin_ctzll(m);
            unsigned w = sz > c->split_log2 ? sz : c->split_log2;
            uint64_t lo = v->addr_lo >> w << w >> sz, hi = (v->addr_hi | smmu_bits_mask(w)) >> sz;
            for (uint64_t pg = lo;; pg++) {
                uint32_t base = smmu_cset(c, tlb_hash((uint8_t)rg, vmid, pg << sz, sz));
                for (uint32_t i = 0; i < c->ways; i++) {
                    smmu_tlbe_t *e = smmu_cline(c, base + i);
                    if (e->size_log2 == sz) tlbe_drop_if_in_scope(s, c, e, v);
                }
                if (pg == hi) break;
            }
        }
    }
    return true;
}

static void inv_tlb(smmu_t *s, smmu_cache_t *c, const inv_t *v, bool ipa_cache) {
    if (ipa_cache && !v->ipa_cache) return; /* the scope holds no IPA-cache entry */
    if (!ipa_cache && inv_tlb_direct(s, c, v)) return;
    for (uint32_t i = 0; i < c->sets * c->ways && c->live; i++) {
        smmu_tlbe_t *e = smmu_cline(c, i);
        if (!e->h.valid) continue;
        bool regime_ok = ipa_cache ? v->ipa_cache : world_match(v, e->regime, e->vmid);
        if (ipa_cache && !v->vmid_any && e->vmid != v->vmid) regime_ok = false;
        if (regime_ok && tlbe_in_scope(e, v)) smmu_cache_drop(s, c, e);
    }
}

static void inv_walk(smmu_t *s, smmu_cache_t *c, const inv_t *v) {
    if (v->by_addr && v->leaf) return; /* Leaf == 1: table entries stay (walke_in_scope) */
    for (uint32_t i = 0; i < c->sets * c->ways && c->live; i++) {
        smmu_walke_t *e = smmu_cline(c, i);
        if (e->h.valid && world_match(v, e->regime, e->vmid) && walke_in_scope(e, v))
            smmu_cache_drop(s, c, e);
    }
}

static void inv_apply(smmu_t *s, const inv_t *v) {
    inv_tlb(s, &s->cache[SMMU_CACHE_TLB], v, false);
    inv_tlb(s, &s->cache[SMMU_CACHE_IPA], v, true);
    inv_walk(s, &s->cache[SMMU_CACHE_WALK], v);
}

static const uint8_t tg_shift[4] = {
    [SMMU_CMD_TLBI_TG_4K] = 12, [SMMU_CMD_TLBI_TG_16K] = 14, [SMMU_CMD_TLBI_TG_64K] = 16};

/* The granule and level hints of a by-address scope and its range: granules granules of TG
   from addr_lo, not wrapping (4.4.1.1). TG: 0b01 4KB, 0b10 16KB, 0b11 64KB; TTL 0b01 with TG 16KB
   is Reserved and behaves as 0b00 unless IDR5.DS (ds: 16KB level 1 blocks exist then).
   granules <= 32, granules_log2 <= 39: no overflow. */
static void inv_range(inv_t *v, unsigned tg, unsigned ttl, uint64_t granules,
                      unsigned granules_log2, bool ds) {
    v->tg = tg_shift[tg & 3];
    if (!v->tg) return;
    v->ttl = (uint8_t)(v->tg == 14 && ttl == 1 && !ds ? 0 : ttl);
    uint64_t bytes = granules << (granules_log2 + v->tg);
#ifdef SMMU_PLANT_RANGE_TLBI_BUG
    /* A planted bug for the differential cache fuzzer's test (testbench/fuzz, issue 21): a
       range of more than one granule misses its last granule. Never defined in a real build. */
    if (bytes > (1ull << v->tg)) bytes -= 1ull << v->tg;
#endif
    v->addr_hi = v->addr_lo + bytes - 1 < v->addr_lo ? UINT64_MAX : v->addr_lo + bytes - 1;
}

static void inv_at(inv_t *v, uint64_t addr, bool ipa, bool leaf) {
    v->by_addr = true;
    v->addr_ipa = ipa;
    v->leaf = leaf;
    v->addr_lo = v->addr_hi = ipa ? addr : smmu_va_canon(addr);
}

/* SCALE (4.4.1): bits [24:20] without IDR5.DS (bit [25] RES0); with it 6 bits, values above
   39 treated as 39. */
static unsigned inv_scale(const smmu_t *s, unsigned scale) {
    if (!SMMU_VGET(smmu_idr(s, 5), SMMU_F_IDR5_DS)) return scale & 0x1F;
    return scale > 39 ? 39 : scale;
}

/* Address, Leaf and the range fields of a command (4.4.1.1): Range = (NUM + 1) * 2^SCALE
   granules from Address. */
static void inv_addr(const smmu_t *s, const uint64_t dw[2], bool ipa, inv_t *v) {
    inv_at(v, ipa ? SMMU_FADDR(dw, SMMU_F_CMD_TLBI_IPA) : SMMU_FADDR(dw, SMMU_F_CMD_TLBI_ADDR), ipa,
           SMMU_FGET(dw, SMMU_F_CMD_LEAF));
    if (!SMMU_VGET(smmu_idr(s, 3), SMMU_F_IDR3_RIL)) return;
    inv_range(v, (unsigned)SMMU_FGET(dw, SMMU_F_CMD_TLBI_TG),
              (unsigned)SMMU_FGET(dw, SMMU_F_CMD_TLBI_TTL), SMMU_FGET(dw, SMMU_F_CMD_TLBI_NUM) + 1,
              inv_scale(s, (unsigned)SMMU_FGET(dw, SMMU_F_CMD_TLBI_SCALE)),
              SMMU_VGET(smmu_idr(s, 5), SMMU_F_IDR5_DS));
}

/* EL1 stage-1 commands (4.4.2.1 - 4.4.2.4): from the Non-secure queue NS-EL1 entries, the VMID
   only matched when stage 2 exists; from the Secure queue (sec) StreamWorld Secure entries,
   without VMID as Secure stage 2 is not implemented (S_IDR1.SEL2 == 0; EL3 entries are not
   required to be affected and are not, 4.4.2). */
static void inv_nh(const smmu_t *s, const uint64_t dw[2], unsigned op, bool sec, inv_t *v) {
    v->worlds = sec ? RG(SMMU_RG_SEL1) : RG(SMMU_RG_EL1);
    v->vmid_any = sec || !s->p.s2;
    if (op == SMMU_CMD_TLBI_NH_ASID) v->asid_mode = SMMU_INV_ASID_NONGLOBAL;
    if (op == SMMU_CMD_TLBI_NH_VA) v->asid_mode = SMMU_INV_ASID_OR_GLOBAL;
    if (op == SMMU_CMD_TLBI_NH_VA || op == SMMU_CMD_TLBI_NH_VAA) inv_addr(s, dw, false, v);
}

/* EL2 commands (4.4.2.7 - 4.4.2.10): the StreamWorld in scope follows CR2.E2H. */
static void inv_el2(const smmu_t *s, const uint64_t dw[2], unsigned op, inv_t *v) {
    bool e2h = SMMU_VGET(s->r.cr2, SMMU_F_CR2_E2H);
    unsigned rg = e2h ? RG(SMMU_RG_EL2E2H) : RG(SMMU_RG_EL2);
    v->vmid_any = true;
    switch (op) {
    case SMMU_CMD_TLBI_EL2_ALL:
        v->worlds = RG(SMMU_RG_EL2) | RG(SMMU_RG_EL2E2H);
        break;
    case SMMU_CMD_TLBI_EL2_ASID:
        v->worlds = RG(SMMU_RG_EL2E2H);
        v->asid_mode = SMMU_INV_ASID_NONGLOBAL;
        break;
    case SMMU_CMD_TLBI_EL2_VA:
        v->worlds = rg;
        v->asid_mode = e2h ? SMMU_INV_ASID_OR_GLOBAL : SMMU_INV_ASID_ANY;
        inv_addr(s, dw, false, v);
        break;
    default: /* EL2_VAA */
        v->worlds = rg;
        inv_addr(s, dw, false, v);
        break;
    }
}

void smmu_tlb_flush_sec(smmu_t *s, bool sec) {
    const inv_t v = {.worlds = sec ? RG(SMMU_RG_SEL1) | RG(SMMU_RG_EL3)
                                   : RG(SMMU_RG_EL1) | RG(SMMU_RG_EL2) | RG(SMMU_RG_EL2E2H) |
                                         RG(SMMU_RG_S2),
                     .ipa_cache = !sec, /* Non-secure stage 2 only */
                     .vmid_any = true};
    inv_apply(s, &v);
}

/* The TLBI forms of the Secure queue only: EL3 entries (4.4.2.5, 4.4.2.6), no ASID or VMID. */
static void inv_el3(const smmu_t *s, const uint64_t dw[2], unsigned op, inv_t *v) {
    v->worlds = RG(SMMU_RG_EL3);
    v->vmid_any = true;
    if (op == SMMU_CMD_TLBI_EL3_VA) inv_addr(s, dw, false, v);
}

/* A VMID or ASID parameter above the 8 bits implemented without VMID16 / ASID16 (4.1.7, 4.4.2):
   used as given (it matches nothing) or truncated to 8 bits (choice tlbi_out_of_range). */
static uint16_t tlbi_id(smmu_t *s, uint64_t id, bool wide) {
    if (wide || (id >> 8) == 0) return (uint16_t)id;
    if (smmu_choice(s, SMMU_CHOICE_TLBI_OUT_OF_RANGE) != SMMU_TLBI_RANGE_TRUNCATE)
        return (uint16_t)id;
    return (uint16_t)(id & 0xFF);
}

/* sec: the Secure Command queue. Only the NH and EL3 forms are Secure there; the others have
   "the same effect whether issued from the Secure or Non-secure command queues" (4.4). */
bool smmu_tlbi(smmu_t *s, const uint64_t dw[2], bool sec, smmu_inv_scope_t *scope) {
    unsigned op = (unsigned)SMMU_FGET(dw, SMMU_F_CMD_OPCODE);
    inv_t v = {.kind = SMMU_INV_TLB,
               .opcode = (uint8_t)op,
               .vmid = tlbi_id(s, SMMU_FGET(dw, SMMU_F_CMD_VMID), s->p.vmid16),
               .asid = tlbi_id(s, SMMU_FGET(dw, SMMU_F_CMD_ASID), s->p.asid16)};
    switch (op) {
    case SMMU_CMD_TLBI_NH_ALL:
    case SMMU_CMD_TLBI_NH_ASID:
    case SMMU_CMD_TLBI_NH_VA:
    case SMMU_CMD_TLBI_NH_VAA:
        inv_nh(s, dw, op, sec, &v);
        break;
    case SMMU_CMD_TLBI_EL3_ALL:
    case SMMU_CMD_TLBI_EL3_VA:
        if (!sec) return false; /* CERROR_ILL on the Non-secure queue (cmdq.c) */
        inv_el3(s, dw, op, &v);
        break;
    case SMMU_CMD_TLBI_EL2_ALL:
    case SMMU_CMD_TLBI_EL2_ASID:
    case SMMU_CMD_TLBI_EL2_VA:
    case SMMU_CMD_TLBI_EL2_VAA:
        inv_el2(s, dw, op, &v);
        break;
    case SMMU_CMD_TLBI_S2_IPA: /* 4.4.3.1: stage-2-only entries, not combined ones */
        v.worlds = RG(SMMU_RG_S2);
        v.ipa_cache = true;
        inv_addr(s, dw, true, &v);
        break;
    case SMMU_CMD_TLBI_S12_VMALL: /* 4.4.3.2: every NS-EL1 entry of VMID, all stages */
        v.worlds = RG(SMMU_RG_EL1) | RG(SMMU_RG_S2);
        v.ipa_cache = true;
        break;
    case SMMU_CMD_TLBI_NSNH_ALL: /* 4.4.4.1: every non-EL2 entry */
        v.worlds = RG(SMMU_RG_EL1) | RG(SMMU_RG_S2);
        v.ipa_cache = true;
        v.vmid_any = true;
        break;
    default:
        return false;
    }
    inv_apply(s, &v);
    *scope = v;
    return true;
}

/* ------------------------------------------------------------------ broadcast TLBI (3.17) */

/* The forms of stage 1 (with or without an address) and their command equivalents. */
static bool dvm_stage1_only(unsigned op) {
    return op != SMMU_DVM_IPA && op != SMMU_DVM_VMALLS12 && op != SMMU_DVM_ALLE1;
}

/* EL1&0 forms: the scope of the equivalent CMD_TLBI_NH_* / S2_IPA / S12_VMALL / NSNH_ALL
   (4.4). The message's VMID is compared even without stage 2, where every entry carries VMID 0:
   "the SMMU matches VMID 0" (3.17). false: not a form of this regime. */
static bool dvm_el1(const smmu_dvm_tlbi_t *op, inv_t *v) {
    static const uint8_t cmd[] = {
        [SMMU_DVM_VA] = SMMU_CMD_TLBI_NH_VA,      [SMMU_DVM_VAA] = SMMU_CMD_TLBI_NH_VAA,
        [SMMU_DVM_ASID] = SMMU_CMD_TLBI_NH_ASID,  [SMMU_DVM_VMALL] = SMMU_CMD_TLBI_NH_ALL,
        [SMMU_DVM_IPA] = SMMU_CMD_TLBI_S2_IPA,    [SMMU_DVM_VMALLS12] = SMMU_CMD_TLBI_S12_VMALL,
        [SMMU_DVM_ALLE1] = SMMU_CMD_TLBI_NSNH_ALL};
    if (op->op > SMMU_DVM_ALLE1) return false;
    v->opcode = cmd[op->op];
    v->vmid = op->vmid; /* without stage 2 every entry carries VMID 0 */
    v->worlds = RG(SMMU_RG_EL1);
    if (op->op == SMMU_DVM_VA || op->op == SMMU_DVM_ASID) v->shared_only = true;
    if (op->op == SMMU_DVM_VA) v->asid_mode = SMMU_INV_ASID_OR_GLOBAL;
    if (op->op == SMMU_DVM_ASID) v->asid_mode = SMMU_INV_ASID_NONGLOBAL;
    if (op->op == SMMU_DVM_IPA) v->worlds = RG(SMMU_RG_S2);
    if (op->op >= SMMU_DVM_IPA) v->ipa_cache = true; /* stage 2: nested walks' IPA cache too */
    if (op->op >= SMMU_DVM_VMALLS12) v->worlds |= RG(SMMU_RG_S2);
    if (op->op == SMMU_DVM_ALLE1) v->vmid_any = true;
    return true;
}

/* EL2 forms: from a PE in EL2-E2H they reach the EL2-E2H StreamWorld and carry an ASID; from
   EL2 the EL2 StreamWorld (3.17.5: neither is required to reach the other). ALLE2 reaches both. */
static bool dvm_el2(const smmu_dvm_tlbi_t *op, inv_t *v) {
    v->vmid_any = true;
    v->worlds = op->e2h ? RG(SMMU_RG_EL2E2H) : RG(SMMU_RG_EL2);
    switch (op->op) {
    case SMMU_DVM_VA_EL2:
        v->opcode = SMMU_CMD_TLBI_EL2_VA;
        v->asid_mode = op->e2h ? SMMU_INV_ASID_OR_GLOBAL : SMMU_INV_ASID_ANY;
        v->shared_only = op->e2h;
        return true;
    case SMMU_DVM_VAA_EL2:
        v->opcode = SMMU_CMD_TLBI_EL2_VAA;
        return true;
    case SMMU_DVM_ASID_EL2:
        v->opcode = SMMU_CMD_TLBI_EL2_ASID;
        v->asid_mode = SMMU_INV_ASID_NONGLOBAL;
        v->shared_only = true;
        return op->e2h; /* an EL2 regime without E2H has no ASIDs */
    case SMMU_DVM_ALLE2:
        v->opcode = SMMU_CMD_TLBI_EL2_ALL;
        v->worlds = RG(SMMU_RG_EL2) | RG(SMMU_RG_EL2E2H);
        return true;
    default:
        return false;
    }
}

/* The address of a by-address form: one page (the TTL hint's granule, if given), or the range
   of the R forms: (NUM + 1) * 2^(5 * SCALE + 1) pages (Arm ARM TLBI RVA*: FEAT_TLBIRANGE). */
static void dvm_addr(const smmu_t *s, const smmu_dvm_tlbi_t *op, inv_t *v) {
    const bool ds = s->p.lpa2; /* 16KB TTL level 1 names level 1 blocks (FEAT_LPA2) */
    inv_at(v, op->addr, op->op == SMMU_DVM_IPA, op->leaf);
    if (!op->tg) return;
    if (op->range)
        inv_range(v, op->tg, op->ttl, (uint64_t)(op->num & 31) + 1, 5 * (op->scale & 3u) + 1, ds);
    else
        inv_range(v, op->tg, op->ttl, 1, 0, ds);
}

/* EL3 forms (3.17.2: VA{L}E3, ALLE3 reach StreamWorld EL3 entries; no ASID, no VMID). */
static bool dvm_el3(const smmu_dvm_tlbi_t *op, inv_t *v) {
    v->vmid_any = true;
    v->worlds = RG(SMMU_RG_EL3);
    v->opcode = op->op == SMMU_DVM_VA_EL3 ? SMMU_CMD_TLBI_EL3_VA : SMMU_CMD_TLBI_EL3_ALL;
    return op->op == SMMU_DVM_VA_EL3 || op->op == SMMU_DVM_ALLE3;
}

/* A Secure EL1 form reaches StreamWorld Secure entries (3.17.2) of every VMID: without Secure
   stage 2 (S_IDR1.SEL2 == 0) the scope is not determined by VMID (3.17.2.1), and VMALLS12E1
   and ALLE1 act on the one implemented stage (3.17) as VMALLE1 does. */
static void dvm_secure_el1(inv_t *v) {
    v->worlds = RG(SMMU_RG_SEL1);
    v->vmid_any = true;
    v->ipa_cache = false; /* the IPA cache holds Non-secure stage 2 only */
}

bool smmu_tlb_dvm(smmu_t *s, const smmu_dvm_tlbi_t *op, smmu_inv_scope_t *scope) {
    inv_t v = {.kind = SMMU_INV_TLB, .broadcast = true, .asid = op->asid};
    const bool el3 = op->op >= SMMU_DVM_VA_EL3, sec = op->secure || el3;
    const bool el2 = !el3 && op->op >= SMMU_DVM_VA_EL2;
    /* a regime or stage not implemented (Secure EL2, Secure stage 2 included): silently
       ignored (3.17) */
    if ((el2 && (sec || !s->p.hyp)) || (dvm_stage1_only(op->op) && !s->p.s1) ||
        (op->op == SMMU_DVM_IPA && (sec || !s->p.s2)))
        return false;
    if (el3 ? !dvm_el3(op, &v) : el2 ? !dvm_el2(op, &v) : !dvm_el1(op, &v)) return false;
    if (sec && !el3) dvm_secure_el1(&v);
    const unsigned o = op->op;
    if (o == SMMU_DVM_VA || o == SMMU_DVM_VAA || o == SMMU_DVM_IPA || o == SMMU_DVM_VA_EL2 ||
        o == SMMU_DVM_VAA_EL2 || o == SMMU_DVM_VA_EL3)
        dvm_addr(s, op, &v);
    inv_apply(s, &v);
    *scope = v;
    return true;
}
