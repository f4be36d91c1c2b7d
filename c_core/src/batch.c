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

enum { BATCH_CHUNK = 16 }; /* translations looked at before the first of them is made */

/* What the look-ahead of one transaction found: the table its walk would use with the walk
   cache tags, which are also the TLB key (the IPA cache's for a stage-2-only stream). */
typedef struct ahead {
    const smmu_tt_t *tt;
    smmu_tlbkey_t key;
    uint64_t ia;
    bool endi, s2_only;
    uint8_t oas;
} ahead_t;

/* The cached configuration of a stream, as the look-ahead uses it: the CD of a stage-1 stream
   or the stage 2 of a stage-2-only one (neither: nothing to look at). */
typedef struct stream {
    const smmu_txn_t *t; /* the transaction it was found for (NULL: none yet) */
    const smmu_s1cfg_t *s1;
    const smmu_s2cfg_t *s2;
} stream_t;

static bool same_stream(const smmu_txn_t *a, const smmu_txn_t *b) {
    return a->sid == b->sid && a->ssv == b->ssv && (!a->ssv || a->ssid == b->ssid) &&
           a->secure == b->secure && a->ats == b->ats;
}

/* A Non-secure, non-ATS transaction through a cached STE to a cached CD (stage 1 only) or a
   stage-2-only STE. Nested streams (table addresses are IPAs) and every other case are left to
   the translation. */
static void find_stream(const smmu_t *s, const smmu_txn_t *t, stream_t *st) {
    *st = (stream_t){.t = t};
    if (t->ats != SMMU_ATS_NONE || (t->secure && s->p.secure_impl) || !smmu_w_smmuen(s, false))
        return;
    const smmu_stee_t *se = smmu_ste_peek(s, t->sid, false);
    if (!se || !smmu_ste_config_passes(se->c.config)) return;
    const smmu_stecfg_t *c = &se->c;
    if (c->s1 && !c->s2) {
        uint32_t cd;
        uint8_t type;
        if (smmu_select_cd(s, c, t->ssv, t->ssid, &cd, &type) != SMMU_S1_TRANSLATE) return;
        const smmu_cde_t *ce = smmu_cd_peek(s, t->sid, cd, false);
        if (ce) st->s1 = &ce->c;
    } else if (c->s2 && !c->s1) {
        st->s2 = &c->s2c;
    }
}

/* Where t's walk would start, through stream st. */
static bool ahead_of(const stream_t *st, const smmu_txn_t *t, ahead_t *a) {
    if (st->s1) {
        const smmu_s1cfg_t *s1 = st->s1;
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
    if (st->s2) {
        const smmu_s2cfg_t *s2 = st->s2;
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

/* Same stream and the same 32 KB (eight 4 KB pages: their level-3 descriptors share one 64-byte
   host cache line) as a transaction looked at recently: its walk reads what that one's read
   (streaming traffic), so the look-ahead skips it. */
enum { RECENT = 4, REGION_SHIFT = 15 };

/* Two passes over the group, so that the first one's host cache misses (TLB sets) overlap:
   prefetch the TLB sets, then look up each transaction that misses the TLB and prefetch its
   leaf descriptor. Under the lock in concurrent mode (the caches are read). */
static void look_ahead(smmu_t *s, const smmu_txn_t *t, size_t n) {
    ahead_t a[BATCH_CHUNK];
    size_t m = 0;
    const smmu_txn_t *recent[RECENT] = {NULL};
    unsigned next = 0;
    stream_t st = {0};
    smmu_lock(s);
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (unsigned j = 0; j < RECENT && recent[j] && !seen; j++)
            seen = ((recent[j]->addr ^ t[i].addr) >> REGION_SHIFT) == 0 &&
                   same_stream(recent[j], &t[i]);
        if (seen) continue;
        recent[next] = &t[i];
        next = (next + 1) % RECENT;
        if (!st.t || !same_stream(st.t, &t[i])) find_stream(s, &t[i], &st);
        if (!ahead_of(&st, &t[i], &a[m])) continue;
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

/* The look-ahead costs about half the instructions of a walk's lookups again; it pays only
   when the table reads it prefetches would miss the host's caches. The signal, free from the
   results: walks that read more than the leaf descriptor (walk_reads >= 2: the walk cache did
   not hold the leaf table's address) in at least one eighth of the last group, i.e. traffic
   scattered beyond the walk cache's reach, whose leaf tables are far apart. Streaming traffic
   and footprints the walk cache covers (one read per walk, or none) are translated without
   it. The decision changes no result. */
void smmu_translate_batch(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r, size_t n) {
    for (size_t i = 0; i < n; i += BATCH_CHUNK) {
        const size_t m = n - i < BATCH_CHUNK ? n - i : BATCH_CHUNK;
        if (s->batch_ahead && m > 1) look_ahead(s, t + i, m);
        size_t deep = 0;
        for (size_t j = i; j < i + m; j++) {
            smmu_translate(s, &t[j], &r[j]);
            deep += r[j].walk_reads >= 2;
        }
        s->batch_ahead = deep * 8 >= m && deep;
    }
}
