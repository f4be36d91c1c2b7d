/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* smmu_translate_batch (<smmu/smmu.h>): n translations with exactly the side effects of n
 * smmu_translate() calls in order, whose TLB misses overlap their host memory latency. A
 * translation is a long chain of dependent work ending in one table read that usually misses
 * the host's caches (the level-3 descriptor of a scattered page); made one after the other, no
 * two such reads overlap. So each group of BATCH_CHUNK transactions is first looked at without
 * side effects (the cached STE and CD, the TLB, the walk cache and the upper-level
 * descriptors, all read-only: no statistics, no replacement state, no trace point) and the TLB
 * sets and leaf descriptors the group will read are prefetched; then the group is translated by
 * smmu_translate() itself, so that results, events and statistics cannot differ. The
 * look-ahead is a hint: whatever it gets wrong (an invalidation or a fill by an earlier
 * translation of the group) only makes a prefetch useless. Allocation-free. */
#include <stddef.h>

#include <smmu/smmu.h>

#include "cfgcache.h"
#include "instance.h"
#include "lock.h"
#include "regfile.h"
#include "tlb.h"
#include "walk.h"
#include "xlate.h"

enum { BATCH_CHUNK = 32 }; /* translations looked at before the first of them is made */

/* What the look-ahead of one transaction found: the table its walk would use (tt NULL: none
   to look at) with the walk cache tags, the TLB (or IPA cache, which) key. */
typedef struct ahead {
    const smmu_tt_t *tt;
    smmu_tlbkey_t key;
    uint64_t ia;
    bool endi, s2_only;
    uint8_t oas;
} ahead_t;

/* A Non-secure, non-ATS transaction through a cached STE to a cached CD (stage 1) or a stage-2
   only STE: where its walk would start. Nested streams (table addresses are IPAs) and every
   other case are left to the translation. */
static bool ahead_config(const smmu_t *s, const smmu_txn_t *t, ahead_t *a) {
    if (t->ats != SMMU_ATS_NONE || (t->secure && s->p.secure_impl) || !smmu_w_smmuen(s, false))
        return false;
    const smmu_stee_t *se = smmu_ste_peek(s, t->sid, false);
    if (!se || !smmu_ste_config_passes(se->c.config)) return false;
    const smmu_stecfg_t *c = &se->c;
    if (c->s1 && !c->s2) {
        uint32_t cd;
        uint8_t type;
        if (smmu_select_cd(s, c, t->ssv, t->ssid, &cd, &type) != SMMU_S1_TRANSLATE) return false;
        const smmu_cde_t *ce = smmu_cd_peek(s, t->sid, cd, false);
        if (!ce) return false;
        const smmu_s1cfg_t *s1 = &ce->c;
        const int half = smmu_s1_select(s1, t->addr, t->priv);
        if (half < 0) return false;
        *a = (ahead_t){.tt = &s1->tt[half],
                       .key = {.regime = s1->regime,
                               .aset = s1->aset,
                               .vmid = s1->vmid,
                               .asid = smmu_rg_asid(s1->regime) ? s1->asid : 0,
                               .ia = smmu_va_canon(t->addr)},
                       .ia = t->addr,
                       .endi = s1->endi,
                       .oas = s1->oas};
        return true;
    }
    if (c->s2 && !c->s1) {
        const smmu_s2cfg_t *s2 = &c->s2c;
        if (s2->tt.tsz < 1 || (t->addr >> (64u - s2->tt.tsz))) return false;
        *a = (ahead_t){.tt = &s2->tt,
                       .key = {.regime = SMMU_RG_S2, .vmid = s2->vmid, .ia = t->addr},
                       .ia = t->addr,
                       .endi = s2->endi,
                       .s2_only = true,
                       .oas = s2->oas};
        return true;
    }
    return false;
}

/* Same stream, same 4 KB page as the transaction looked at before: the same walk. */
static bool same_page(const smmu_txn_t *a, const smmu_txn_t *b) {
    return a->sid == b->sid && a->ssv == b->ssv && (!a->ssv || a->ssid == b->ssid) &&
           a->secure == b->secure && a->ats == b->ats && ((a->addr ^ b->addr) >> 12) == 0;
}

/* Two passes over the group, so that the first one's host cache misses (TLB sets) overlap:
   prefetch the TLB sets, then look up each transaction that misses the TLB and prefetch its
   leaf descriptor. Under the lock in concurrent mode (the caches are read). */
static void look_ahead(smmu_t *s, const smmu_txn_t *t, size_t n) {
    ahead_t a[BATCH_CHUNK];
    size_t m = 0;
    const smmu_txn_t *prev = NULL;
    smmu_lock(s);
    for (size_t i = 0; i < n; i++) {
        if (prev && same_page(prev, &t[i])) continue;
        prev = &t[i];
        if (!ahead_config(s, &t[i], &a[m])) continue;
        smmu_tlb_prefetch(s, SMMU_CACHE_TLB, &a[m].key);
        m++;
    }
    for (size_t i = 0; i < m; i++) {
        if (smmu_tlb_peek(s, SMMU_CACHE_TLB, &a[i].key)) continue;
        if (a[i].s2_only && smmu_tlb_peek(s, SMMU_CACHE_IPA, &a[i].key)) continue;
        smmu_walk_prefetch(s, a[i].tt, &a[i].key, a[i].ia, a[i].endi, a[i].oas);
    }
    smmu_unlock(s);
}

void smmu_translate_batch(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r, size_t n) {
    bool walked = true; /* the previous group walked: TLB misses are likely */
    for (size_t i = 0; i < n; i += BATCH_CHUNK) {
        const size_t m = n - i < BATCH_CHUNK ? n - i : BATCH_CHUNK;
        /* a group after one of TLB hits only is not looked at (the memo or the TLB answers
           them), except every fourth, which finds out whether misses came back */
        if ((walked || (i / BATCH_CHUNK) % 4 == 0) && m > 1) look_ahead(s, t + i, m);
        walked = false;
        for (size_t j = i; j < i + m; j++) {
            smmu_translate(s, &t[j], &r[j]);
            walked |= r[j].walk_reads != 0;
        }
    }
}
