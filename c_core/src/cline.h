/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The storage of one cache: the header every cache line starts with (smmu_cline_t: LRU stamp,
 * valid, index), smmu_cache_t (geometry, lines, round-robin pointers, fill identities, sizes
 * present, statistics), which the instance embeds once per SMMU_CACHE_*, and the arithmetic of
 * lines and sets. Types and that arithmetic only: allocation, replacement and the accounting of
 * lookups are cache.h, what each cache's lines hold is cfgcache.h and tlb.h. */
#ifndef SMMU_CORE_CLINE_H
#define SMMU_CORE_CLINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <smmu/smmu.h>

/* Every cache line starts with this header. */
typedef struct smmu_cline {
    /* LRU: time of last use. In the line: a hit already has the line at hand (a separate array
       cost a second host cache miss per hit in big TLBs). Accessed whole (smmu_cline_stamp,
       smmu_cline_set_stamp): in concurrent mode a port's memo hit stamps lines without the
       lock. */
    uint64_t stamp;
    bool valid;
    uint32_t idx; /* index of the line in its cache (and in smmu_cache_t.fill) */
} smmu_cline_t;
_Static_assert(offsetof(smmu_cline_t, stamp) == 0, "the stamp leads the line (smmu_cache_alloc)");

typedef struct smmu_cache {
    uint32_t sets, ways; /* sets == 0: disabled */
    uint8_t id;          /* SMMU_CACHE_*: its index in s->cache */
    /* lines and fill have one more element than sets * ways: a spare line at index
       sets * ways, never valid, whose fill identity stays 0 (the memo's "no line") */
    uint8_t repl;
    size_t esz;     /* bytes per line */
    uint8_t *lines; /* sets * ways lines */
    uint32_t *rr;   /* round-robin pointer per set */
    /* Identity of the current filling of each line (never 0), 0 when invalid: the translation
       memo checks that a line still holds what it recorded. Apart from the lines so that the
       check reads a small array. Atomic: a port's memo probe reads it without the lock while a
       fill or an invalidation (under the lock) writes it. */
    _Atomic uint32_t *fill;
    uint64_t sizes;     /* TLB / IPA cache: bit n set when entries of 2^n bytes may be present */
    uint8_t split_log2; /* TLB / IPA cache: the largest range_log2 of an entry whose range_log2
                           exceeds its size_log2 that may be present (0: none) */
    bool vic_evict;     /* the noted way holds an entry (vic_way below) */
    /* Index of the line last filled or hit (configuration caches: a stream's STE and CD), which
       a lookup tries before hashing: consecutive misses of a stream use the same ones. Only a
       hint (any index names a line: 0 at first): its key and valid bit are checked, and a key
       is held by one line at most (a fill follows a lookup that missed it). */
    uint32_t mru;
    /* The fill's way, picked by the probe of a lookup that missed (tlb.c) while it compared
       the set's ways: valid for a fill of the set of hash vic_h while gen (every fill and
       invalidation of a line) still equals vic_gen and no lookup hit since (cache.c
       smmu_cache_alloc). */
    uint32_t gen, vic_gen;
    uint64_t vic_h;
    uint32_t vic_base, vic_way;
    /* Valid lines: the scans of flushes and invalidations stop at once on an empty cache (a
       reset or an SMMUEN change flushes every cache, however few lines are in use). */
    uint32_t live;
    smmu_cache_stats_t st;
} smmu_cache_t;

static inline uint64_t smmu_cline_stamp(const void *line) {
    return __atomic_load_n(&((const smmu_cline_t *)line)->stamp, __ATOMIC_RELAXED);
}
static inline void smmu_cline_set_stamp(void *line, uint64_t stamp) {
    __atomic_store_n(&((smmu_cline_t *)line)->stamp, stamp, __ATOMIC_RELAXED);
}

/* A fill: copies what line src holds after its header into line dst (size bytes each, the
   header first), leaving dst's header as smmu_cache_alloc set it. */
static inline void smmu_cline_fill(void *dst, const void *src, size_t size) {
    memcpy((uint8_t *)dst + sizeof(smmu_cline_t), (const uint8_t *)src + sizeof(smmu_cline_t),
           size - sizeof(smmu_cline_t));
}

/* Line i of cache c, and the first line of the set of hash h (multiplicative hashing). */
static inline void *smmu_cline(const smmu_cache_t *c, uint32_t i) {
    return c->lines + (size_t)i * c->esz;
}
static inline uint32_t smmu_cline_index(const void *line) {
    return ((const smmu_cline_t *)line)->idx;
}
static inline uint32_t smmu_cset(const smmu_cache_t *c, uint64_t h) {
    h *= 0x9E3779B97F4A7C15ull;
    return (uint32_t)(((h >> 32) * c->sets) >> 32) * c->ways;
}

#endif
