/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Instance reuse for the core fuzz targets (issue 21, volume). Creating and freeing an SMMU for
 * every input costs more than running most inputs under ASan (the caches' arrays are allocated,
 * poisoned and freed each time), so the targets keep instances in a small pool keyed by their
 * parameters and smmu_reset() them between inputs. The host callbacks of a pooled instance go
 * through a relay whose inner host (the input's memory) is replaced per input.
 *
 * Reproducibility (an input behaves the same whatever ran before it) is checked, not assumed:
 * with FUZZ_CHECK_RESET=1 in the environment every input runs twice, on the pooled (reset)
 * instance and on a brand-new one, each run folding everything observable into a digest
 * (translation results including the per-cache lookups / hits of each translation, register
 * reads, every byte the SMMU writes to memory, the statistics and every cache's counters at the
 * end), and the target aborts when the two digests differ. ctest runs every core target that way
 * (Fuzz.<target>_reset_equivalence). */
#ifndef SMMU_FUZZ_REUSE_H
#define SMMU_FUZZ_REUSE_H

#include <smmu/smmu.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ digest of behaviour */
static inline void fz_mix(uint64_t *d, const void *p, size_t n) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        *d = (*d ^ b[i]) * 0x100000001B3ull; /* FNV-1a, 64 bits */
}
static inline void fz_mix64(uint64_t *d, uint64_t v) {
    fz_mix(d, &v, sizeof(v));
}

/* Every field of a result (not the struct: its padding is not a value). */
static inline void fz_mix_result(uint64_t *d, const smmu_result_t *r) {
    fz_mix64(d, (uint64_t)r->status);
    fz_mix64(d, r->pa);
    fz_mix64(d, r->span);
    fz_mix64(d, r->event);
    fz_mix64(d, r->stag);
    fz_mix64(d, (uint64_t)r->ns | (uint64_t)r->perm << 8 | (uint64_t)r->attr << 16 |
                    (uint64_t)r->sh << 24 | (uint64_t)r->abort << 32 | (uint64_t)r->recorded << 40 |
                    (uint64_t)r->tlb_hit << 48 | (uint64_t)r->cfg_hit << 56);
    fz_mix64(d, r->mem_reads | (uint64_t)r->walk_reads << 16 | (uint64_t)r->partid << 32 |
                    (uint64_t)r->pmg << 48 | (uint64_t)r->mpam_ns << 56);
    fz_mix(d, r->lookups, sizeof(r->lookups));
    fz_mix(d, r->hits, sizeof(r->hits));
}

/* The end state an input leaves: statistics and every cache's counters (fills, evictions:
   the replacement state shows there). */
static inline void fz_mix_state(uint64_t *d, const smmu_t *s) {
    smmu_stats_t st;
    memset(&st, 0, sizeof(st));
    smmu_get_stats(s, &st);
    fz_mix(d, &st, sizeof(st));
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
        smmu_cache_stats_t cs;
        memset(&cs, 0, sizeof(cs));
        if (smmu_cache_stats(s, c, &cs) == 0) fz_mix(d, &cs, sizeof(cs));
    }
}

/* ------------------------------------------------------------------ host relay */
/* The host a pooled instance was created with: forwards to `in` (set per input) and folds the
   SMMU's memory writes into `dig`. */
typedef struct fz_relay {
    smmu_host_t in;
    uint64_t dig;
} fz_relay_t;

static int fz_rl_rd(void *c, uint64_t pa, void *buf, size_t len, bool secure) {
    fz_relay_t *r = c;
    return r->in.mem_read(r->in.ctx, pa, buf, len, secure);
}
static int fz_rl_wr(void *c, uint64_t pa, const void *buf, size_t len, bool secure) {
    fz_relay_t *r = c;
    fz_mix64(&r->dig, pa ^ (uint64_t)secure << 63);
    fz_mix(&r->dig, buf, len);
    return r->in.mem_write(r->in.ctx, pa, buf, len, secure);
}
static bool fz_rl_ptr(void *c, uint64_t pa, smmu_mem_grant_t *g) {
    fz_relay_t *r = c;
    return r->in.mem_ptr && r->in.mem_ptr(r->in.ctx, pa, g);
}
static int fz_rl_cas(void *c, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *observed,
                     bool secure) {
    fz_relay_t *r = c;
    int rc = r->in.mem_cas64(r->in.ctx, pa, expected, desired, observed, secure);
    fz_mix64(&r->dig, pa);
    fz_mix64(&r->dig, (uint64_t)rc ^ *observed);
    return rc;
}

/* The relay's own host: the optional callbacks are present exactly when `in` has them (the
   same for every input of a target). */
static inline smmu_host_t fz_relay_host(fz_relay_t *r) {
    smmu_host_t h;
    memset(&h, 0, sizeof(h));
    h.ctx = r;
    h.mem_read = fz_rl_rd;
    h.mem_write = fz_rl_wr;
    if (r->in.mem_ptr) h.mem_ptr = fz_rl_ptr;
    if (r->in.mem_cas64) h.mem_cas64 = fz_rl_cas;
    return h;
}

/* ------------------------------------------------------------------ the pool */
/* Up to FZ_POOL instances keyed by their parameters (compared as bytes: callers memset the
   parameters before smmu_params_init, so padding is zero). A slot taken by other parameters
   is freed and reused; each slot has its own relay. */
enum { FZ_POOL = 16 };
typedef struct fz_slot {
    bool used;
    smmu_params_t p;
    smmu_t *s;
    fz_relay_t rl;
} fz_slot_t;

/* An environment switch NAME=1, read once into *v (-1: not read yet). */
static inline bool fz_env_on(const char *name, int *v) {
    if (*v < 0) {
        const char *e = getenv(name);
        *v = e && *e == '1';
    }
    return *v;
}

/* FUZZ_CHECK_RESET=1: compare every input against a new instance (above). */
static inline bool fz_check_reset(void) {
    static int v = -1;
    return fz_env_on("FUZZ_CHECK_RESET", &v);
}

/* FUZZ_NO_REUSE=1: a new instance for every input, as before instances were reused (to
   measure what reuse brings, docs/robustness.md). */
static inline bool fz_no_reuse(void) {
    static int v = -1;
    return fz_env_on("FUZZ_NO_REUSE", &v);
}

/* An instance for params p whose host forwards to *in: reset from the pool, or (fresh, or
   smmu_new failing for these parameters) new; NULL when smmu_new refuses p. *rl receives the
   relay to pass to fz_put (the digest starts at a fixed value). */
static inline smmu_t *fz_get(const smmu_params_t *p, const smmu_host_t *in, bool fresh,
                             fz_relay_t **rl) {
    static fz_slot_t pool[FZ_POOL];
    static fz_relay_t fresh_rl;
    if (fresh) {
        fresh_rl.in = *in;
        fresh_rl.dig = 0xCBF29CE484222325ull;
        smmu_host_t h = fz_relay_host(&fresh_rl);
        *rl = &fresh_rl;
        return smmu_new(p, &h);
    }
    uint64_t k = 0xCBF29CE484222325ull;
    fz_mix(&k, p, sizeof(*p));
    fz_slot_t *sl = &pool[k % FZ_POOL];
    if (!sl->used || memcmp(&sl->p, p, sizeof(*p)) != 0) {
        if (sl->used) smmu_free(sl->s);
        sl->used = false;
        sl->rl.in = *in;
        smmu_host_t h = fz_relay_host(&sl->rl);
        sl->s = smmu_new(p, &h);
        if (!sl->s) return NULL;
        sl->p = *p;
        sl->used = true;
    } else {
        sl->rl.in = *in;
        smmu_reset(sl->s);
    }
    sl->rl.dig = 0xCBF29CE484222325ull;
    *rl = &sl->rl;
    return sl->s;
}

/* Done with an instance from fz_get: a fresh one is freed, a pooled one kept. */
static inline void fz_put(smmu_t *s, bool fresh) {
    if (fresh) smmu_free(s);
}

/* Runs one input through run(data, size, fresh) -> digest; with FUZZ_CHECK_RESET=1 a second
   time on new instances, aborting when the behaviour differs. */
static inline void fz_run_checked(uint64_t (*run)(const uint8_t *, size_t, bool),
                                  const uint8_t *data, size_t size) {
    uint64_t a = run(data, size, fz_no_reuse());
    if (!fz_check_reset()) return;
    uint64_t b = run(data, size, true);
    if (a != b) {
        fprintf(stderr,
                "RESET MISMATCH: a reset instance behaved differently from a new one "
                "(digest %016llx vs %016llx)\n",
                (unsigned long long)a, (unsigned long long)b);
        abort();
    }
}

#endif
