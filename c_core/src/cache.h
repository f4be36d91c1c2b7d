/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The caches of the model (cache.c; spec 3.17, 3.21, 4.3, 4.4): parameters and creation, the
 * accounting of a lookup (smmu_cache_hit, inline: the hot path of every hit, and
 * smmu_cache_miss), allocation with replacement, drop, flushes, the dispatch of CMD_CFGI_* /
 * CMD_TLBI_* with the host's notice, the per-stream statistics slots, and the commit of a
 * translation's cost. The storage is cline.h; what each cache holds is cfgcache.h and tlb.h. */
#ifndef SMMU_CORE_CACHE_H
#define SMMU_CORE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <smmu/smmu.h>

#include "cline.h"
#include "instance.h"
#include "xctx.h"

typedef struct smmu_sstat { /* per-stream statistics slot (open addressing) */
    uint32_t key;           /* sid + 1; 0 = free */
    smmu_stream_stats_t st;
} smmu_sstat_t;

/* The reads of a translation into the instance's statistics (nothing for a debug one). */
void smmu_xctx_commit(smmu_t *s, const smmu_xctx_t *x);

/* A valid CFGI_* or TLBI_* command (dw: its two words) of the Non-secure or Secure (sec)
   Command queue takes effect (4.3, 4.4). */
void smmu_cache_command(smmu_t *s, const uint64_t dw[2], bool sec);
/* Everything cached may be stale (SMMUEN or GBPA changed, reset): tells the host. */
void smmu_cache_changed(smmu_t *s);
/* The same for what one Security state's interface (sec: SMMU_S_*) controls: only that state's
   configuration and translations are dropped (the other interface's SMMUEN or GBPA does not
   change them, 3.10.2.1), the memo entirely (a model-internal cache). */
void smmu_cache_changed_sec(smmu_t *s, bool sec);
/* Parameters, storage and flushes. */
void smmu_cache_params_init(smmu_params_t *p);
bool smmu_cache_params_ok(const smmu_params_t *p);
int smmu_caches_new(smmu_t *s); /* allocates everything; -1 on allocation failure */
void smmu_caches_free(smmu_t *s);
void *smmu_table_alloc(size_t size); /* zeroed, 128-byte aligned; free() it */
void smmu_caches_flush(smmu_t *s);   /* every entry of every cache */
/* Replacement state back to that of a new instance (smmu_reset), after a flush. */
void smmu_caches_restart(smmu_t *s);
void smmu_cache_clear_stats(smmu_t *s);
/* LRU at the granularity of fills: the clock advances when a line is filled (smmu_lru_tick,
   under the lock in concurrent mode, where memo hits read the clock without); a hit stamps its
   line with the current time, so the lines used since the last fill are equally recent and the
   victim is the first way of the oldest (replacement is IMPLEMENTATION DEFINED, spec 16.2). A
   memo hit whose lines carry the current time already writes nothing (memo.c). */
static inline uint64_t smmu_lru_now(const smmu_t *s) {
    return __atomic_load_n(&s->lru_clock, __ATOMIC_RELAXED);
}
/* The memo's validation clock (memo.c, "validated"): a fill, an invalidation of a line or a
   statistics clear since an entry was validated makes it check its lines again. Entries keep the
   clock's low 16 bits, so a wrap retires every one. */
static inline void smmu_memo_tick(smmu_t *s) {
    const uint32_t v = s->memo_clock + 1;
    __atomic_store_n(&s->memo_clock, v, __ATOMIC_RELAXED);
    /* the fast entry points' copy (instance.h, fast_gv) */
    __atomic_store_n(&s->fast_gv, (s->fast_gv & 0xFFFFu) | v << 16, __ATOMIC_RELAXED);
    if (!(uint16_t)v) smmu_memo_flush(s);
}
static inline uint64_t smmu_lru_tick(smmu_t *s) {
    const uint64_t now = s->lru_clock + 1;
    __atomic_store_n(&s->lru_clock, now, __ATOMIC_RELAXED);
    smmu_memo_tick(s); /* a fill: the LRU time moved, and a line may have been evicted */
    return now;
}
/* Counts a lookup of translation x (nothing for a debug one), in the cache and in x's cost; a
   hit refreshes the line for LRU. */
static inline void smmu_cache_hit(smmu_t *s, smmu_xctx_t *x, smmu_cache_t *c, void *line) {
    if (x->dbg) return;
    c->st.hits++; /* lookups = hits + misses, computed by smmu_cache_stats */
    x->hits[c->id]++;
    x->lookups[c->id]++;
    smmu_cline_set_stamp(line, smmu_lru_now(s));
}
void smmu_cache_miss(smmu_xctx_t *x, smmu_cache_t *c);
/* The line to fill in the set of hash h (an invalid one, else the policy's victim), marked
   valid and counted; NULL when the cache is disabled or x is a debug translation. */
void *smmu_cache_alloc(smmu_t *s, const smmu_xctx_t *x, smmu_cache_t *c, uint64_t h);
/* A lookup that missed in the set at base (hash h) saw its ways and tells which one a fill
   would take (the first invalid one, else the oldest stamp, first of equals; evict: it is
   valid): a fill of that set before any other fill, invalidation (c->gen) or hit of the cache
   takes it without looking at the set again. */
void smmu_cache_note_victim(smmu_cache_t *c, uint64_t h, uint32_t base, uint32_t way, bool evict);
/* A lookup hit: the noted way may no longer be the oldest. */
static inline void smmu_cache_forget_victim(smmu_cache_t *c) {
    c->vic_gen = c->gen - 1;
}
void smmu_cache_drop(smmu_t *s, smmu_cache_t *c, void *line); /* invalidates one line */
/* Per-stream statistics of a finished translation. */
void smmu_stream_count(smmu_t *s, uint32_t sid, const smmu_result_t *r);
/* Index in s->sstats of sid's counters (claiming a free slot), UINT32_MAX: the "other" ones. */
uint32_t smmu_stream_slot(smmu_t *s, uint32_t sid);
/* n successful translations of sid (smmu_count_transactions). */
void smmu_stream_count_ok(smmu_t *s, uint32_t sid, uint64_t n);
/* host.sync_counts: the counts the host holds are handed over (before counters are read,
   cleared, saved or replaced). */
void smmu_sync_host_counts(const smmu_t *s);

#endif
