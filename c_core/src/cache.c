/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Caches of the model (spec 3.17, 3.21, 4.3, 4.4, 16.2): the set-associative storage every cache
 * shares (geometry, replacement, statistics), the dispatch of CMD_CFGI_* / CMD_TLBI_*, and the
 * per-stream statistics. What each cache holds and how an invalidation matches it lives in
 * cfgcache.c (STE, CD, L1STD/L1CD) and tlb.c (TLB, walk cache, IPA cache).
 *
 * Everything is allocated in smmu_new; the translation path only indexes into it. A lookup is a
 * hash of its key into one set, then a compare of the set's ways. */
/* MADV_HUGEPAGE: glibc's <sys/mman.h> defines it only with _DEFAULT_SOURCE, which the core's
   _XOPEN_SOURCE=700 (CMakeLists.txt) does not imply; without it smmu_table_alloc never asked
   for huge pages. First, before any header. */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE 1
#endif
#include "cache.h"

#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "cfgcache.h"
#include "dsan.h"
#include "cline.h"
#include "instance.h"
#include "lock.h"
#include "memo.h"
#include "regfile.h"
#include "tlb.h"
#include "tp.h"
#include "xctx.h"

/* Zeroed storage for a cache or the memo. Big tables are probed at random, so on Linux they
   are asked for in transparent huge pages: a probe then costs one host memory access instead of
   that plus a host page walk (a hint; without it everything works the same). */
void *smmu_table_alloc(size_t size) {
    enum { HUGE = 2u << 20 };
    const size_t align = size < HUGE ? 128 : HUGE; /* 128: a memo set */
    size = (size + align - 1) / align * align;
    void *p = aligned_alloc(align, size);
    if (!p) return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (align == HUGE) (void)madvise(p, size, MADV_HUGEPAGE);
#endif
    memset(p, 0, size);
    return p;
}

static const size_t line_size[SMMU_CACHE_COUNT] = {
    [SMMU_CACHE_TLB] = sizeof(smmu_tlbe_t), [SMMU_CACHE_WALK] = sizeof(smmu_walke_t),
    [SMMU_CACHE_IPA] = sizeof(smmu_tlbe_t), [SMMU_CACHE_STE] = sizeof(smmu_stee_t),
    [SMMU_CACHE_CD] = sizeof(smmu_cde_t),   [SMMU_CACHE_L1] = sizeof(smmu_l1e_t),
};

/* Sized like a real SMMU's (e.g. a few thousand TLB entries, a few hundred walk-cache and
   configuration entries). */
void smmu_cache_params_init(smmu_params_t *p) {
    static const uint32_t entries[SMMU_CACHE_COUNT] = {
        [SMMU_CACHE_TLB] = 2048, [SMMU_CACHE_WALK] = 256, [SMMU_CACHE_IPA] = 512,
        [SMMU_CACHE_STE] = 256,  [SMMU_CACHE_CD] = 1024,  [SMMU_CACHE_L1] = 128,
    };
    for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++)
        p->cache[i] = (smmu_cache_geom_t){
            .entries = entries[i], .ways = 4, .repl = SMMU_REPL_LRU, .enable = true};
    p->cache_seed = 0x5EED5EED12345678ull;
    p->stream_stats_entries = 256;
}

static bool geom_ok(const smmu_cache_geom_t *g) {
    if (!g->enable || g->entries == 0) return true; /* not used */
    if (g->ways == 0 || g->ways > 64 || g->entries % g->ways) return false;
    return g->repl <= SMMU_REPL_RANDOM && g->entries <= (1u << 24);
}

bool smmu_cache_params_ok(const smmu_params_t *p) {
    for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++)
        if (!geom_ok(&p->cache[i])) return false;
    bool memo_ok = !(p->memo_entries & (p->memo_entries - 1)) && p->memo_entries <= (1u << 24);
    return p->stream_stats_entries <= (1u << 16) && memo_ok;
}

static int cache_new(smmu_cache_t *c, const smmu_cache_geom_t *g, size_t esz) {
    *c = (smmu_cache_t){.esz = esz, .repl = g->repl, .vic_gen = UINT32_MAX}; /* none noted */
    uint32_t n = g->enable ? g->entries : 0;
    if (n) {
        c->ways = g->ways;
        c->sets = n / g->ways;
        c->rr = calloc(c->sets, sizeof(*c->rr));
        if (!c->rr) return -1;
    }
    c->lines = smmu_table_alloc(((size_t)n + 1) * esz); /* + the spare line */
    c->fill = smmu_table_alloc(((size_t)n + 1) * sizeof(*c->fill));
    if (!c->lines || !c->fill) return -1;
    for (uint32_t i = 0; i <= n; i++)
        ((smmu_cline_t *)smmu_cline(c, i))->idx = i;
    return 0;
}

int smmu_caches_new(smmu_t *s) {
    for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++) {
        if (cache_new(&s->cache[i], &s->p.cache[i], line_size[i])) return -1;
        s->cache[i].id = (uint8_t)i;
    }
    s->rng = s->p.cache_seed ? s->p.cache_seed : 1;
    if (s->p.stream_stats_entries) {
        s->sstats = calloc(s->p.stream_stats_entries, sizeof(*s->sstats));
        if (!s->sstats) return -1;
    }
    return smmu_memo_new(s);
}

void smmu_caches_free(smmu_t *s) {
    for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++) {
        free(s->cache[i].lines);
        free(s->cache[i].rr);
        free((void *)s->cache[i].fill);
        s->cache[i].lines = NULL;
        s->cache[i].rr = NULL;
        s->cache[i].fill = NULL;
    }
    free(s->sstats);
    s->sstats = NULL;
    smmu_memo_free(s);
}

static void cache_flush(smmu_t *s, smmu_cache_t *c) {
    uint32_t n = c->sets * c->ways;
    for (uint32_t i = 0; i < n && c->live; i++) {
        smmu_cline_t *h = smmu_cline(c, i);
        if (h->valid) smmu_cache_drop(s, c, h);
    }
    c->sizes = 0;
    c->split_log2 = 0;
}

void smmu_caches_flush(smmu_t *s) {
    for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++)
        cache_flush(s, &s->cache[i]);
}

/* Reset: the replacement state restarts as in a new instance (the random generator from
   params.cache_seed, every round-robin pointer, the LRU clock, the fill identities), so that a
   reset instance picks exactly the victims a new one would. Caches must be flushed first. */
void smmu_caches_restart(smmu_t *s) {
    for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++) {
        if (s->cache[i].rr) memset(s->cache[i].rr, 0, s->cache[i].sets * sizeof(*s->cache[i].rr));
        smmu_cache_forget_victim(&s->cache[i]);
    }
    s->rng = s->p.cache_seed ? s->p.cache_seed : 1;
    __atomic_store_n(&s->lru_clock, 0, __ATOMIC_RELAXED);
    s->fill_seq = 0;
}

void smmu_cache_clear_stats(smmu_t *s) {
    for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++)
        memset(&s->cache[i].st, 0, sizeof(s->cache[i].st));
    if (s->sstats) memset(s->sstats, 0, sizeof(*s->sstats) * s->p.stream_stats_entries);
    memset(&s->sstat_other, 0, sizeof(s->sstat_other));
    smmu_memo_clear_stats(s);
}

/* ------------------------------------------------------------------ lookup and replacement */

/* A cache line filled, evicted or invalidated, as a trace point. */
static void trace_line(smmu_t *s, unsigned kind, const smmu_cache_t *c, uint32_t line) {
    if (!smmu_tp_on(s, kind)) return;
    smmu_tp_t tp = {.kind = (uint8_t)kind, .u.cache = {.line = line, .cache = (uint8_t)c->id}};
    smmu_tp_emit(s, &tp);
}

void smmu_xctx_commit(smmu_t *s, const smmu_xctx_t *x) {
    if (x->dbg) return;
    s->st.walk_reads += x->walk_reads;
    s->st.cfg_reads += x->reads - x->walk_reads;
}

void smmu_cache_miss(smmu_xctx_t *x, smmu_cache_t *c) {
    if (x->dbg) return;
    c->st.misses++;
    x->lookups[c->id]++;
}

/* xorshift64: deterministic from params.cache_seed, private to the instance. */
static uint64_t rng_next(smmu_t *s) {
    uint64_t x = s->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    s->rng = x;
    return x;
}

/* The way a fill takes in the set at base: its first invalid way, else the victim of the
   replacement policy (IMPLEMENTATION DEFINED, 16.2): LRU the way with the oldest stamp (the
   first of equals), round robin the set's next way, random a seeded xorshift draw. One pass over
   the set finds both the first invalid way and the oldest stamp (a miss's fill touches each line
   of the set once); *evict tells whether a valid entry is replaced. */
static uint32_t fill_way(smmu_t *s, smmu_cache_t *c, uint32_t base, bool *evict) {
    uint32_t best = 0;
    uint64_t oldest = UINT64_MAX;
    *evict = false;
    for (uint32_t w = 0; w < c->ways; w++) {
        const smmu_cline_t *h = smmu_cline(c, base + w);
        if (!h->valid) return w;
        const uint64_t stamp = smmu_cline_stamp(h);
        if (stamp < oldest) {
            oldest = stamp;
            best = w;
        }
    }
    *evict = true;
    if (c->repl == SMMU_REPL_RR) {
        uint32_t set = base / c->ways, w = c->rr[set];
        c->rr[set] = (w + 1) % c->ways;
        return w;
    }
    if (c->repl == SMMU_REPL_RANDOM) return (uint32_t)(rng_next(s) % c->ways);
    return best;
}

/* A new fill identity; never 0. When they wrap, memo entries could match a reused one. */
static uint32_t next_fill(smmu_t *s) {
    if (++s->fill_seq == 0) {
        s->fill_seq = 1;
        smmu_memo_flush(s);
    }
    return s->fill_seq;
}

/* A Secure stream's lines are tagged with its Security state (configuration) or its Secure
   StreamWorld (translations), so no Non-secure lookup or command reaches them (3.10.2.1). */
/* A lookup's probe of the set at base (hash h) missed and found way the fill's choice of
   fill_way (first invalid way, else the oldest stamp), evict whether it holds an entry. */
void smmu_cache_note_victim(smmu_cache_t *c, uint64_t h, uint32_t base, uint32_t way, bool evict) {
    c->vic_h = h;
    c->vic_base = base;
    c->vic_way = way;
    c->vic_evict = evict;
    c->vic_gen = c->gen;
}

/* The way of the fill in the set of hash h: the noted one when nothing changed since the probe
   that noted it (the same choice as fill_way; round robin and random draw only when a valid
   entry is replaced, as there), else fill_way's. */
static uint32_t fill_index(smmu_t *s, smmu_cache_t *c, uint64_t h, bool *evict) {
    if (c->vic_gen == c->gen && c->vic_h == h) {
        const uint32_t base = c->vic_base;
        *evict = c->vic_evict;
        if (!*evict || c->repl == SMMU_REPL_LRU) return base + c->vic_way;
        if (c->repl == SMMU_REPL_RR) {
            uint32_t set = base / c->ways, w = c->rr[set];
            c->rr[set] = (w + 1) % c->ways;
            return base + w;
        }
        return base + (uint32_t)(rng_next(s) % c->ways);
    }
    const uint32_t base = smmu_cset(c, h);
    return base + fill_way(s, c, base, evict);
}

void *smmu_cache_alloc(smmu_t *s, const smmu_xctx_t *x, smmu_cache_t *c, uint64_t h) {
    if (!c->sets || x->dbg) return NULL;
    bool evict;
    const uint32_t i = fill_index(s, c, h, &evict);
    c->gen++;
    if (evict) {
        c->st.evictions++;
        trace_line(s, SMMU_TP_CACHE_EVICT, c, i);
    } else {
        c->live++;
    }
    smmu_cline_t *line = smmu_cline(c, i);
    /* all but the stamp, which a concurrent memo hit may be writing */
    memset((uint8_t *)line + sizeof(line->stamp), 0, c->esz - sizeof(line->stamp));
    line->valid = true;
    line->idx = i;
    smmu_cline_set_stamp(line, smmu_lru_tick(s));
    atomic_store_explicit(&c->fill[i], next_fill(s), memory_order_relaxed);
    c->st.fills++;
    trace_line(s, SMMU_TP_CACHE_FILL, c, i);
    return line;
}

void smmu_cache_drop(smmu_t *s, smmu_cache_t *c, void *line) {
    smmu_cline_t *h = line;
    uint32_t i = smmu_cline_index(line);
    h->valid = false;
    c->live--;
    smmu_cline_set_stamp(h, 0);
    c->gen++;
    atomic_store_explicit(&c->fill[i], 0, memory_order_relaxed);
    smmu_memo_tick(s);
    c->st.invalidations++;
    trace_line(s, SMMU_TP_CACHE_INVAL, c, i);
}

int smmu_cache_stats(const smmu_t *s, unsigned which, smmu_cache_stats_t *st) {
    SMMU_LOCKED(s);
    memset(st, 0, sizeof(*st));
    if (which >= SMMU_CACHE_COUNT) return -1;
    *st = s->cache[which].st;
    st->hits += smmu_memo_cache_hits(s, which);
    st->lookups = st->hits + st->misses;
    return 0;
}

void smmu_cost_counters(const smmu_t *s, smmu_cost_counters_t *c) {
    SMMU_LOCKED(s);
    for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++) {
        c->hits[i] = s->cache[i].st.hits + smmu_memo_cache_hits(s, i);
        c->lookups[i] = c->hits[i] + s->cache[i].st.misses;
    }
    c->walk_reads = s->st.walk_reads;
}

/* ------------------------------------------------------------------ per-stream statistics */

/* The first slot sid's search looks at (its home). */
static inline uint32_t sstat_home(uint32_t n, uint32_t sid) {
    return (uint32_t)(((uint64_t)(sid * 0x9E3779B1u) * n) >> 32);
}

/* The slot of sid (open addressing, linear probing), claiming a free one; NULL when the table
   is full or absent: the "other" bucket. */
static smmu_sstat_t *sstat_slot(smmu_sstat_t *tab, uint32_t n, uint32_t sid, bool claim) {
    if (!tab || n == 0) return NULL;
    uint32_t i = sstat_home(n, sid);
    for (uint32_t k = 0; k < n; k++, i = (i + 1) % n) {
        if (tab[i].key == sid + 1ull) return &tab[i];
        if (tab[i].key == 0) {
            if (!claim) return NULL;
            tab[i].key = sid + 1;
            return &tab[i];
        }
    }
    return NULL;
}

/* The counters of sid, claiming a slot for it: its index, UINT32_MAX for "other". */
uint32_t smmu_stream_slot(smmu_t *s, uint32_t sid) {
    /* sid 0xFFFFFFFF cannot be keyed as sid + 1: it always counts as "other". */
    smmu_sstat_t *slot =
        sid == UINT32_MAX ? NULL : sstat_slot(s->sstats, s->p.stream_stats_entries, sid, true);
    return slot ? (uint32_t)(slot - s->sstats) : UINT32_MAX;
}

/* The counters of sid: its home slot when it holds sid (the usual case: one test, no search;
   a slot holds one StreamID, and sid + 1 never equals the key of UINT32_MAX, which has none),
   else the search of smmu_stream_slot. */
static smmu_stream_stats_t *stream_counters(smmu_t *s, uint32_t sid) {
    const uint32_t n = s->p.stream_stats_entries;
    if (s->sstats && n) {
        smmu_sstat_t *home = &s->sstats[sstat_home(n, sid)];
        if (home->key == sid + 1ull) return &home->st;
    }
    const uint32_t i = smmu_stream_slot(s, sid);
    return i == UINT32_MAX ? &s->sstat_other : &s->sstats[i].st;
}

void smmu_stream_count(smmu_t *s, uint32_t sid, const smmu_result_t *r) {
    smmu_stream_stats_t *st = stream_counters(s, sid);
    st->translations++;
    if (r->status == SMMU_OK) st->ok++;
    if (r->status == SMMU_STALLED) st->stalls++;
    if (r->status != SMMU_FAULT) return;
    st->faults++;
    if (r->event < sizeof(st->by_event) / sizeof(st->by_event[0])) st->by_event[r->event]++;
}

void smmu_stream_count_ok(smmu_t *s, uint32_t sid, uint64_t n) {
    smmu_stream_stats_t *st = stream_counters(s, sid);
    st->translations += n;
    st->ok += n;
}

void smmu_sync_host_counts(const smmu_t *s) {
    if (s->host.sync_counts) s->host.sync_counts(s->host.ctx);
}

int smmu_stream_stats(const smmu_t *s, uint32_t sid, smmu_stream_stats_t *st) {
    SMMU_LOCKED(s);
    smmu_sync_host_counts(s);
    memset(st, 0, sizeof(*st));
    smmu_sstat_t *slot =
        sid == UINT32_MAX ? NULL : sstat_slot(s->sstats, s->p.stream_stats_entries, sid, false);
    if (!slot) return -1;
    *st = slot->st;
    smmu_memo_fold_stream(s, (uint32_t)(slot - s->sstats), st);
    return 0;
}

void smmu_stream_stats_other(const smmu_t *s, smmu_stream_stats_t *st) {
    SMMU_LOCKED(s);
    smmu_sync_host_counts(s);
    *st = s->sstat_other;
    smmu_memo_fold_stream(s, UINT32_MAX, st);
}

/* ------------------------------------------------------------------ commands */

/* The host learns what became stale: the scope first, then the plain notice. The sanitizer
   learns it too (sec: the Command queue that invalidated, whose CMD_SYNC completes it). */
static void notify_q(smmu_t *s, const smmu_inv_scope_t *scope, bool sec) {
    if (smmu_dsan_on(s)) smmu_dsan_inv(s, scope, sec);
    if (s->host.invalidate_scope) s->host.invalidate_scope(s->host.ctx, scope);
    if (s->host.invalidated) s->host.invalidated(s->host.ctx);
}

static void notify(smmu_t *s, const smmu_inv_scope_t *scope) {
    notify_q(s, scope, false);
}

/* SMMUEN or GBPA changed, or reset: nothing cached is used again (over-invalidation is always
   permitted, 4.3, 4.4), and the host learns that translations it holds may be stale. */
void smmu_cache_changed(smmu_t *s) {
    smmu_caches_flush(s);
    smmu_memo_flush(s); /* global bypass results use no cache line */
    const smmu_inv_scope_t all = {.kind = SMMU_INV_ALL};
    notify(s, &all);
}

void smmu_cache_changed_sec(smmu_t *s, bool sec) {
    smmu_cfg_flush_sec(s, sec);
    smmu_tlb_flush_sec(s, sec);
    smmu_memo_flush(s); /* global bypass results use no cache line */
    const smmu_inv_scope_t all = {.kind = SMMU_INV_ALL};
    notify(s, &all);
}

void smmu_cache_command(smmu_t *s, const uint64_t dw[2], bool sec) {
    unsigned op = (unsigned)SMMU_FGET(dw, SMMU_F_CMD_OPCODE);
    smmu_inv_scope_t scope;
    if (op >= SMMU_CMD_CFGI_STE && op <= SMMU_CMD_CFGI_CD_ALL)
        smmu_cfgi(s, dw, sec, &scope);
    else if (!smmu_tlbi(s, dw, sec, &scope))
        return;
    notify_q(s, &scope, sec);
}

/* Broadcast TLB maintenance (3.17): only when implemented and not opted out by the PTM of the
   operation's Security state (CR2.PTM 6.3.12, S_CR2.PTM 6.3.60; a change of PTM may take
   effect at any time before SMMUEN next becomes 1, 6.3.12.1, so the current value is used). */
bool smmu_dvm_tlbi(smmu_t *s, const smmu_dvm_tlbi_t *op) {
    SMMU_LOCKED(s);
    const bool sec = op->secure || op->op >= SMMU_DVM_VA_EL3; /* the EL3 forms are Secure */
    if (!s->p.btm || (sec && !s->p.secure_impl)) return false;
    if (SMMU_VGET(smmu_bank_c(s, sec)->cr2, SMMU_F_CR2_PTM)) return false; /* S_CR2.PTM too */
    smmu_inv_scope_t scope;
    if (!smmu_tlb_dvm(s, op, &scope)) return false;
    notify(s, &scope);
    return true;
}

/* A CFGI reaches the stream's STE, or the CD the translation used (CD 0 without a
   SubstreamID: S1DSS == 0b10 or S1CDMax == 0, 5.2). */
static bool cfg_covers(const smmu_inv_scope_t *sc, uint32_t sid, uint32_t ssid, bool ssv) {
    if (sid < sc->sid_lo || sid > sc->sid_hi) return false;
    return sc->ste || sc->ssid_all || sc->ssid == (ssv ? ssid : 0);
}

/* A TLBI reaches the translation's TLB entries: their regime and VMID, their ASID, and the
   input address (a VA, or the IPA for TLBI_S2_IPA) of stage 2-only or nested translations. */
static bool tlb_covers(const smmu_inv_scope_t *sc, uint64_t lo, uint64_t hi,
                       const smmu_xlate_tags_t *t) {
    if (!t->s1 && !t->s2) return false; /* bypass: no TLB entry */
    bool world = (sc->worlds & t->world) && (sc->vmid_any || t->vmid == sc->vmid);
    /* an IPA-scoped invalidation also reaches nested translations through the IPA cache */
    bool ipa = sc->ipa_cache && t->s1 && t->s2 && (sc->vmid_any || t->vmid == sc->vmid);
    if (!world && !ipa) return false;
    if (world && t->s1 && !smmu_inv_asid_match(sc, t->global, t->asid)) world = false;
    if (!world && !ipa) return false;
    if (!sc->by_addr) return true;
    if (sc->addr_ipa) {
        if (t->s1) { /* the range's IPAs: its input range moved to the IPA of lo */
            hi = t->ipa + (hi - lo);
            lo = t->ipa;
        }
    } else {
        lo = smmu_va_canon(lo), hi = smmu_va_canon(hi);
    }
    return lo <= sc->addr_hi && hi >= sc->addr_lo;
}

bool smmu_inv_covers(const smmu_inv_scope_t *sc, uint32_t sid, uint32_t ssid, bool ssv, uint64_t lo,
                     uint64_t hi, const smmu_xlate_tags_t *tags) {
    switch (sc->kind) {
    case SMMU_INV_CFG: /* the Stream table of the scope's Security state only (4.3) */
        return tags->via_ste && tags->secure == sc->secure && cfg_covers(sc, sid, ssid, ssv);
    case SMMU_INV_TLB:
        return tags->via_ste && tlb_covers(sc, lo, hi, tags);
    default:
        return true;
    }
}
