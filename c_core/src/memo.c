/* SPDX-License-Identifier: Apache-2.0 */
/* The translation memo: a model-internal cache of final translation results, probed before the
 * full path of translate.c. It is not an architectural structure and software cannot observe
 * it: an entry answers only when the full path would have hit in every cache it consults (STE,
 * CD and TLB; or only the STE for a bypassing stream; or none for global bypass), and then it
 * gives the same result with the same side effects (global, per-cache and per-stream statistics,
 * LRU ages), so a hit costs one probe instead of three cache probes, the attribute overrides,
 * the stage-1 range selection and the permission checks.
 *
 * An entry stays valid while
 *   - every cache line it was computed from still holds the same filling: each line has a fill
 *     identity (smmu_cache_t.fill_ids) that changes on every fill and becomes 0 when the line
 *     is invalidated, so any CFGI/TLBI, eviction or flush of one of its lines retires it; and
 *   - nothing else it depends on changed: SMMUEN and GBPA (smmu_cache_changed) and the per-stream
 *     statistics slots (smmu_cache_clear_stats) bump memo_gen, which retires every entry.
 * The result also depends on the transaction's StreamID, SubstreamID, page and access kind,
 * which form the key. Faults, stalls, ATS traffic and debug translations never use the memo.
 *
 * The table is 2-way set associative (the two entries of a set are adjacent, 128 bytes): a
 * conflict just sends a translation down the full path. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { MEMO_PAGE_SHIFT = 12 }; /* results are kept per 4KB page: every span is >= 4KB */
enum { MEMO_AUTO_MAX = 1 << 17 }; /* 8 MB of entries */

/* Key flags: the access kind, and which result flags to give back. */
enum {
    MF_WRITE = 1,
    MF_EXEC = 2,
    MF_PRIV = 4,
    MF_SECURE = 8,
    MF_SSV = 16,
    MF_TLB_HIT = 32, /* result flags, not part of the key */
    MF_CFG_HIT = 64,
    MF_VICTIM1 = 128, /* in way 0 of a set: the next fill replaces way 1 */
    MF_KEY = MF_WRITE | MF_EXEC | MF_PRIV | MF_SECURE | MF_SSV,
};

typedef struct smmu_memo {
    uint64_t page; /* input address >> 12 (all bits: the top byte may select TTB1, TBI) */
    uint32_t sid, ssid;
    uint32_t gen; /* memo_gen when recorded; 0: never used */
    uint8_t flags;
    uint8_t perm, attr, sh;
    uint64_t pa; /* output address of the page */
    uint8_t span_log2;
    uint8_t pad[3];
    uint32_t sstat;                 /* slot in s->sstats; UINT32_MAX: the "other" bucket */
    uint32_t line[SMMU_MEMO_LINES]; /* index of the line in its cache; NO_LINE: not used */
    uint32_t fill[SMMU_MEMO_LINES]; /* the line's fill identity when recorded */
} smmu_memo_t;

#define NO_LINE UINT32_MAX

static const unsigned memo_cache[SMMU_MEMO_LINES] = {SMMU_CACHE_STE, SMMU_CACHE_CD, SMMU_CACHE_TLB};

static uint32_t pow2_at_least(uint32_t n) {
    uint32_t p = 1;
    while (p < n && p < (1u << 31))
        p <<= 1;
    return p;
}

int smmu_memo_new(smmu_t *s) {
    if (s->p.memo_off) return 0;
    uint32_t n = s->p.memo_entries;
    if (!n) {
        /* As many entries as the TLB: while the memo stays in the host's caches a hit costs
           one probe; beyond that each hit would wait for two memory accesses (entry, then the
           line's fill identity) where the TLB probe waits for one, so big TLBs go without. */
        const smmu_cache_geom_t *g = &s->p.cache[SMMU_CACHE_TLB];
        n = pow2_at_least(g->enable ? g->entries : 0);
        if (n > MEMO_AUTO_MAX) return 0;
        n = n < 256 ? 256 : n;
    }
    if (n < 2) n = 2;
    s->memo = calloc(n, sizeof(*s->memo));
    s->memo_mask = n - 1;
    s->memo_shift = (uint8_t)(64 - __builtin_ctz(n));
    s->memo_gen = 1;
    return s->memo ? 0 : -1;
}

void smmu_memo_free(smmu_t *s) {
    free(s->memo);
    s->memo = NULL;
}

void smmu_memo_flush(smmu_t *s) {
    if (++s->memo_gen) return;
    /* 2^32 flushes: clear the table so that no old entry matches the reused generations. */
    if (s->memo) memset(s->memo, 0, sizeof(*s->memo) * ((size_t)s->memo_mask + 1));
    s->memo_gen = 1;
}

static uint8_t key_flags(const smmu_txn_t *t) {
    return (uint8_t)(t->write * MF_WRITE | t->exec * MF_EXEC | t->priv * MF_PRIV |
                     t->secure * MF_SECURE | t->ssv * MF_SSV);
}

/* Way 0 of the set of t. */
static smmu_memo_t *memo_set(const smmu_t *s, const smmu_txn_t *t, uint8_t flags) {
    uint64_t h = (t->addr >> MEMO_PAGE_SHIFT) ^ ((uint64_t)t->sid << 40) ^
                 ((uint64_t)(t->ssv ? t->ssid : 0) << 20) ^ ((uint64_t)flags << 60);
    h *= 0x9E3779B97F4A7C15ull; /* Fibonacci hashing: the top bits are the well mixed ones */
    return &s->memo[(h >> s->memo_shift) & ~(uint64_t)1];
}

static bool memo_match(const smmu_t *s, const smmu_memo_t *m, const smmu_txn_t *t, uint8_t flags) {
    return m->gen == s->memo_gen && m->page == t->addr >> MEMO_PAGE_SHIFT && m->sid == t->sid &&
           (m->flags & MF_KEY) == flags && (!t->ssv || m->ssid == t->ssid);
}

/* The line still holds the filling the entry was computed from (or the cache is not used). */
static bool line_current(const smmu_t *s, unsigned which, uint32_t i, uint32_t fill) {
    return i == NO_LINE || s->cache[which].fill_ids[i] == fill;
}

/* The side effect of the full path's hit in a cache: counted, and the line's LRU age (a store
   to the line: it does not wait for the line to arrive). */
static void line_touch(smmu_t *s, unsigned which, uint32_t i) {
    if (i == NO_LINE) return;
    smmu_cache_t *c = &s->cache[which];
    c->st.hits++;
    ((smmu_cline_t *)smmu_cline(c, i))->stamp = ++c->clock;
}

static void replay(smmu_t *s, const smmu_memo_t *m) {
    line_touch(s, SMMU_CACHE_STE, m->line[SMMU_MEMO_STE]);
    line_touch(s, SMMU_CACHE_CD, m->line[SMMU_MEMO_CD]);
    line_touch(s, SMMU_CACHE_TLB, m->line[SMMU_MEMO_TLB]);
    s->st.translations++;
    s->st.ok++;
    smmu_stream_stats_t *st = m->sstat == UINT32_MAX ? &s->sstat_other : &s->sstats[m->sstat].st;
    st->translations++;
    st->ok++;
}

bool smmu_memo_translate(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r) {
    if (!s->memo || s->dbg || t->ats != SMMU_ATS_NONE) return false;
    uint8_t flags = key_flags(t);
    const smmu_memo_t *m = memo_set(s, t, flags);
    if (!memo_match(s, m, t, flags) && !memo_match(s, ++m, t, flags)) return false;
    if (!line_current(s, SMMU_CACHE_STE, m->line[SMMU_MEMO_STE], m->fill[SMMU_MEMO_STE]) ||
        !line_current(s, SMMU_CACHE_CD, m->line[SMMU_MEMO_CD], m->fill[SMMU_MEMO_CD]) ||
        !line_current(s, SMMU_CACHE_TLB, m->line[SMMU_MEMO_TLB], m->fill[SMMU_MEMO_TLB]))
        return false;
    replay(s, m);
    *r = (smmu_result_t){.status = SMMU_OK,
                         .pa = m->pa | (t->addr & (((uint64_t)1 << MEMO_PAGE_SHIFT) - 1)),
                         .span = (uint64_t)1 << m->span_log2,
                         .ns = true,
                         .perm = m->perm,
                         .attr = m->attr,
                         .sh = m->sh,
                         .tlb_hit = (m->flags & MF_TLB_HIT) != 0,
                         .cfg_hit = (m->flags & MF_CFG_HIT) != 0};
    return true;
}

/* The way to (re)fill: the one holding t already, else a free one, else the other way than the
   last fill (round robin, the bit kept in way 0). */
static smmu_memo_t *memo_way(smmu_t *s, smmu_memo_t *set, const smmu_txn_t *t, uint8_t flags) {
    for (unsigned w = 0; w < 2; w++)
        if (memo_match(s, &set[w], t, flags)) return &set[w];
    for (unsigned w = 0; w < 2; w++)
        if (set[w].gen != s->memo_gen) return &set[w];
    bool way1 = set[0].flags & MF_VICTIM1;
    set[0].flags ^= MF_VICTIM1;
    return &set[way1];
}

/* Line indices and fill identities of the lines. */
static void line_ids(const smmu_t *s, const void *const lines[SMMU_MEMO_LINES],
                     uint32_t line[SMMU_MEMO_LINES], uint32_t fill[SMMU_MEMO_LINES]) {
    for (unsigned i = 0; i < SMMU_MEMO_LINES; i++) {
        const smmu_cache_t *c = &s->cache[memo_cache[i]];
        line[i] = lines[i] ? smmu_cline_index(c, lines[i]) : NO_LINE;
        fill[i] = lines[i] ? c->fill_ids[line[i]] : 0;
    }
}

void smmu_memo_record(smmu_t *s, const smmu_txn_t *t, const smmu_result_t *r,
                      const void *const lines[SMMU_MEMO_LINES]) {
    uint32_t line[SMMU_MEMO_LINES], fill[SMMU_MEMO_LINES];
    if (!s->memo || s->dbg || t->ats != SMMU_ATS_NONE || r->status != SMMU_OK || r->ns != true ||
        r->span < ((uint64_t)1 << MEMO_PAGE_SHIFT) || (r->span & (r->span - 1)))
        return;
    line_ids(s, lines, line, fill);
    uint8_t flags = key_flags(t);
    smmu_memo_t *set = memo_set(s, t, flags), *m = memo_way(s, set, t, flags);
    uint8_t keep = m == set ? set->flags & MF_VICTIM1 : 0;
    *m = (smmu_memo_t){.page = t->addr >> MEMO_PAGE_SHIFT,
                       .sid = t->sid,
                       .ssid = t->ssv ? t->ssid : 0,
                       .gen = s->memo_gen,
                       /* what the next full path reports: hits in the caches it consults */
                       .flags = (uint8_t)(flags | keep | (lines[SMMU_MEMO_TLB] ? MF_TLB_HIT : 0) |
                                          (lines[SMMU_MEMO_STE] ? MF_CFG_HIT : 0)),
                       .perm = r->perm,
                       .attr = r->attr,
                       .sh = r->sh,
                       .pa = r->pa & ~(((uint64_t)1 << MEMO_PAGE_SHIFT) - 1),
                       .span_log2 = (uint8_t)__builtin_ctzll(r->span),
                       .sstat = smmu_stream_slot(s, t->sid)};
    memcpy(m->line, line, sizeof(line));
    memcpy(m->fill, fill, sizeof(fill));
}
