/* SPDX-License-Identifier: Apache-2.0 OR MIT */
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
 *     identity (smmu_cache_t.fill, one word per line in a small array apart from the lines)
 *     that changes on every fill and becomes 0 when it is
 *     invalidated, so any CFGI/TLBI, eviction or flush of one of its lines retires it. Many
 *     entries may come from one line (all pages of a stream from its STE; the same page of
 *     streams sharing an ASID or VMID from one TLB entry);
 *   - nothing else it depends on changed: SMMUEN and GBPA (smmu_cache_changed) and a wrap of
 *     the fill identities bump memo_gen, which retires every entry (entries keep its low 16
 *     bits; a sweep retires them all every 2^16 - 1 generations).
 * The key is StreamID, SubstreamID, page and the access attributes that can change the result's
 * success but not its value (privilege, SSV), and SEC_SID, which selects the Stream table (a
 * Secure stream's entries come from Secure lines, 3.10.1); reads, writes and instruction fetches of
 * one page share an entry, with a mask of the (write, exec) kinds that the full path granted.
 * A stream handle (smmu_stream_handle_t) is that key less the page and access kind, prepared once
 * by the caller: it holds no state of the instance, so its translations are validated here
 * exactly as smmu_translate()'s (smmu_translate_handle, smmu_translate_handle_batch).
 *
 * Statistics are folded: a hit adds one to a counter per kind of entry (which caches it hit) and
 * one to its stream's pending count, in the shard of the port it came through (port.h);
 * smmu_memo_fold_* add those in when counters are read, so every counter reads exactly as if
 * the full path had run. LRU ages are written as the full path would: the current LRU time
 * (cache.h: it advances on fills only).
 *
 * Validation (plain mode): the instance's memo clock (smmu_memo_tick, cache.h) advances on every
 * fill and every invalidation of a cache line (the only changes of fill identities, which also
 * cover every change of the LRU time) and on every statistics clear. A hit that checked its
 * lines, claimed its statistics slot and stamped its lines keeps the clock's low 16 bits (ver);
 * while the clock has not moved, the next hits of that entry skip all three: its lines cannot
 * have changed, they carry the current LRU time already and its slot is of this epoch. A wrap of
 * the 16 bits retires every entry.
 *
 * A probe takes no lock: it may run in one port's thread while another thread's full path (under
 * the instance's lock) records an entry or a fill / invalidation changes a fill identity. So an
 * entry's fields are read and written whole (relaxed atomic accesses: plain moves on common
 * hosts), with a version (a sequence lock: odd while the entry is being written, read before and
 * after the other fields in concurrent mode); a probe that sees a version change or an odd one
 * is a miss.
 *
 * The table is 2-way set associative (64-byte entries, a set is one 128-byte pair): a conflict
 * just sends a translation down the full path. */
#include "memo.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "cfgcache.h"
#include "cline.h"
#include "instance.h"
#include "lock.h"
#include "pmcg.h"
#include "port.h"
#include "tlb.h"
#include "tp.h"
#include "xlate.h"

enum { MEMO_PAGE_SHIFT = 12 };    /* results are kept per 4KB page: every span is >= 4KB */
enum { MEMO_AUTO_MAX = 1 << 17 }; /* 8 MB of entries */

/* The access attributes in the key: the bytes of smmu_txn_t from ssv to ats, loaded at once;
   write and exec select a bit of the entry's access kinds (RES_OK), ssv, priv, secure and
   "ats non-zero" are the key code (CODE_*) in the tag word's bits [55:52]. An ATS transaction
   never matches: entries are recorded without. */
typedef struct txn_flags {
    uint32_t lo; /* ssv, write, exec, priv (one byte each, 0 or 1) */
    uint16_t hi; /* secure, ats */
} txn_flags_t;
_Static_assert(offsetof(smmu_txn_t, priv) == offsetof(smmu_txn_t, ssv) + 3 &&
                   offsetof(smmu_txn_t, ats) == offsetof(smmu_txn_t, secure) + 1 &&
                   offsetof(smmu_txn_t, secure) == offsetof(smmu_txn_t, ssv) + 4,
               "smmu_txn_t access attributes are consecutive bytes");
/* smmu_memo.tag: the input address >> 12 (52 bits: the top byte may select TTB1, TBI) and the
   key code above it, so that the word is compared whole. */
enum { CODE_SHIFT = 52, CODE_SSV = 1, CODE_SECURE = 2, CODE_PRIV = 4, CODE_ATS = 8 };
/* A tag word no entry holds (its bit 63 is never set): a stream handle whose transactions the
   memo never answers. */
#define TAG_NEVER (UINT64_C(1) << 63)
/* smmu_memo.res: the fast result's bytes [8, 16) (smmu_result_fast_t: ns, perm, attr, sh,
   partid, pmg, mpam_ns; the same bytes as in smmu_result_t, as two 32-bit words), stored whole,
   with the entry's own fields in bits the result never uses (RES_META, masked off by a hit):
   the access kinds the full path granted (bit write | exec << 1 of RES_OK), the kind (RES_KIND:
   bit SMMU_MEMO_* of each cache line the result came from) and, in way 0 of a set, the set's
   round-robin state (RES_VICTIM1). Little-endian hosts store the result word as it is; others
   decode it field by field. Only results with a Non-secure output are recorded (a Secure
   stream's Secure-PA results take the full path, hitting the TLB), so bit 0 (ns) is always 1. */
enum { RES_OK_SHIFT = 1, RES_KIND_SHIFT = 5 };
#define RES_OK      (UINT64_C(0xF) << RES_OK_SHIFT)
#define RES_KIND    (UINT64_C(7) << RES_KIND_SHIFT)
#define RES_VICTIM1 (UINT64_C(1) << 11)
#define RES_META    (RES_OK | RES_KIND | RES_VICTIM1)
enum { RES_PERM = 8, RES_ATTR = 16, RES_SH = 24, RES_PARTID = 32, RES_PMG = 48, RES_MPAM_NS = 56 };
_Static_assert(offsetof(smmu_result_t, perm) == offsetof(smmu_result_t, ns) + 1 &&
                   offsetof(smmu_result_t, attr) == offsetof(smmu_result_t, ns) + 2 &&
                   offsetof(smmu_result_t, sh) == offsetof(smmu_result_t, ns) + 3,
               "ns, perm, attr, sh are consecutive bytes");
_Static_assert(offsetof(smmu_result_t, pmg) == offsetof(smmu_result_t, partid) + 2 &&
                   offsetof(smmu_result_t, mpam_ns) == offsetof(smmu_result_t, partid) + 3,
               "partid, pmg, mpam_ns are one 32-bit word");
/* Big-endian hosts: the result word's fields into r (a smmu_result_t or smmu_result_fast_t). */
#define RES_DECODE(r, res)                                                                         \
    do {                                                                                           \
        (r)->perm = (uint8_t)((res) >> RES_PERM & 7);                                              \
        (r)->attr = (uint8_t)((res) >> RES_ATTR);                                                  \
        (r)->sh = (uint8_t)((res) >> RES_SH & 3);                                                  \
        (r)->partid = (uint16_t)((res) >> RES_PARTID);                                             \
        (r)->pmg = (uint8_t)((res) >> RES_PMG);                                                    \
        (r)->mpam_ns = ((res) >> RES_MPAM_NS) & 1;                                                 \
    } while (0)
/* smmu_memo.pa: the output address of the page (bits [63:12]) and log2 of the span ([5:0]) */
enum { PA_SPAN_MASK = 0x3F };
/* smmu_memo.sstat */
enum { SSLOT_BITS = 17, SEPOCH_MAX = 1 << (32 - SSLOT_BITS) };
_Static_assert((1 << 16) < (1 << SSLOT_BITS),
               "a slot index (<= stream_stats_entries <= 2^16) fits");
/* A 16-bit generation no entry holds: memo_gen skips it (and 0, the retired entries'); the
   fast entry points' fast_gv carries it while fast_off. */
enum { GEN_NEVER = 0xFFFF };

struct smmu_memo {
    uint64_t tag; /* input address >> 12, key code << CODE_SHIFT */
    uint64_t ids; /* StreamID, and SubstreamID << 32 (0 without SSV) */
    uint64_t res; /* the result word and the entry's access kinds and kind: RES_* */
    uint64_t pa;  /* output page address and span: PA_* */
    union {
        struct {
            /* memo_gen's low 16 bits when recorded (0: never used or retired; GEN_NEVER) */
            uint16_t gen;
            /* concurrent mode: the version, even: the fields are one filling; odd: being
               written (memo_write). Otherwise the memo clock's low 16 bits when the entry was
               last validated (validated()). */
            uint16_t ver;
        };
        uint32_t gv; /* both, as the fast entry points compare them (smmu_t.fast_gv) */
    };
    /* the stream's statistics slot (index in a port's memo_sok, bits [16:0]) and the
       sstat_epoch it belongs to (bits [31:17]) */
    uint32_t sstat;
    /* index of the line in its cache; a cache not used: its spare line (sets * ways), whose
       fill identity is always 0, so every check and LRU write needs no test */
    uint32_t line[SMMU_MEMO_LINES];
    uint32_t fill[SMMU_MEMO_LINES]; /* the line's fill identity when recorded */
};
_Static_assert(sizeof(struct smmu_memo) == 64, "a memo entry is one host cache line");

/* Whole-field accesses of an entry (memo.c's head): a probe may run while another thread writes. */
#define LD(x)    __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define ST(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

static uint32_t gen_of(const smmu_t *s) {
    return atomic_load_explicit(&s->memo_gen, memory_order_relaxed);
}
/* The generation entries carry: memo_gen's low 16 bits (never 0, smmu_memo_flush). */
static uint16_t gen16_of(const smmu_t *s) {
    return (uint16_t)gen_of(s);
}
/* s->fast_gv from memo_gen, the memo clock and fast_off; called wherever the generation or
   fast_off changes (smmu_memo_tick keeps its clock half). */
static void fast_gv_update(smmu_t *s) {
    const bool off = atomic_load_explicit(&s->fast_off, memory_order_relaxed);
    const uint32_t gen = off ? GEN_NEVER : gen16_of(s);
    __atomic_store_n(&s->fast_gv, gen | (uint32_t)s->memo_clock << 16, __ATOMIC_RELAXED);
}
static uint32_t fast_gv_of(const smmu_t *s) {
    return __atomic_load_n(&s->fast_gv, __ATOMIC_RELAXED);
}
static uint32_t epoch_of(const smmu_t *s) {
    return atomic_load_explicit(&s->sstat_epoch, memory_order_relaxed);
}
static uint32_t clock_of(const smmu_t *s) {
    return __atomic_load_n(&s->memo_clock, __ATOMIC_RELAXED);
}
/* Plain mode: the entry was validated (replay) at the current memo clock: its lines are still
   current, carry the current LRU time, and its statistics slot is of this epoch. */
static bool validated(const smmu_t *s, const smmu_memo_t *m) {
    return LD(m->ver) == (uint16_t)clock_of(s);
}

static const unsigned memo_cache[SMMU_MEMO_LINES] = {SMMU_CACHE_STE, SMMU_CACHE_CD, SMMU_CACHE_TLB};

/* A hit's result before its entry's fields, by kind: status, ns, tlb_hit, cfg_hit and the cost
   of one hit in each cache the kind has (memo_cache[]). */
#define MEMO_HIT(k, i) (((k) >> (i)) & 1)
#define MEMO_COST(k)                                                                               \
    {                                                                                              \
        [SMMU_CACHE_STE] = MEMO_HIT(k, SMMU_MEMO_STE),                                             \
        [SMMU_CACHE_CD] = MEMO_HIT(k, SMMU_MEMO_CD), [SMMU_CACHE_TLB] = MEMO_HIT(k, SMMU_MEMO_TLB) \
    }
#define MEMO_RES(k)                                                                                \
    {                                                                                              \
        .status = SMMU_OK, .ns = true, .tlb_hit = MEMO_HIT(k, SMMU_MEMO_TLB),                      \
        .cfg_hit = MEMO_HIT(k, SMMU_MEMO_STE), .lookups = MEMO_COST(k), .hits = MEMO_COST(k)       \
    }
_Static_assert(SMMU_MEMO_KINDS == 8, "one template per kind");
static const smmu_result_t memo_res[SMMU_MEMO_KINDS] = {MEMO_RES(0), MEMO_RES(1), MEMO_RES(2),
                                                        MEMO_RES(3), MEMO_RES(4), MEMO_RES(5),
                                                        MEMO_RES(6), MEMO_RES(7)};

static uint32_t pow2_at_least(uint32_t n) {
    uint32_t p = 1;
    while (p < n && p < (1u << 31))
        p <<= 1;
    return p;
}

/* Entries of the table: 0 for no memo. */
static uint32_t memo_size(const smmu_t *s) {
    if (s->p.memo_off) return 0;
    uint32_t n = s->p.memo_entries;
    if (!n) {
        /* As many entries as the TLB, so that every TLB entry can have its memo entry. Beyond
           2^17 the table no longer stays in the host's caches: a hit waits for the entry and
           then for the TLB line's LRU age, where the TLB probe of the full path waits once. */
        const smmu_cache_geom_t *g = &s->p.cache[SMMU_CACHE_TLB];
        n = pow2_at_least(g->enable ? g->entries : 0);
        if (n > MEMO_AUTO_MAX) return 0;
        n = n < 256 ? 256 : n;
    }
    return n < 2 ? 2 : n;
}

int smmu_memo_new(smmu_t *s) {
    uint32_t n = memo_size(s);
    /* Without memo: one set whose entries never match (generation 0), so that the probe needs
       no test of its own. */
    s->memo_on = n != 0;
    n = n ? n : 2;
    s->memo = smmu_table_alloc((size_t)n * sizeof(*s->memo));
    if (!s->memo) return -1;
    s->memo_mask = n - 1;
    s->memo_shift = (uint8_t)(64 - __builtin_ctz(n));
    atomic_store_explicit(&s->memo_gen, 1, memory_order_relaxed);
    fast_gv_update(s);
    return 0;
}

void smmu_memo_free(smmu_t *s) {
    free(s->memo);
    s->memo = NULL;
}

void smmu_memo_flush(smmu_t *s) {
    uint32_t gen = gen_of(s) + 1;
    gen += (uint16_t)gen == GEN_NEVER;
    if (!(uint16_t)gen) {
        /* 2^16 - 1 flushes: retire every entry so that no old one matches the reused
           generations (entries keep 16 bits), and skip 0, the retired entries' generation,
           which is never published (a lock-free probe meanwhile compares the old one). */
        for (uint64_t i = 0; i <= s->memo_mask; i++)
            ST(s->memo[i].gen, 0);
        gen++;
    }
    atomic_store_explicit(&s->memo_gen, gen, memory_order_relaxed);
    fast_gv_update(s);
}

/* ------------------------------------------------------------------ statistics */

/* The statistics slots are given out again from now on (in the order streams translate): an
   entry takes its stream's new slot on its first hit (as the full path would, smmu_stream_count)
   instead of being retired. */
void smmu_memo_clear_stats(smmu_t *s) {
    smmu_ports_clear(s);
    uint32_t epoch = epoch_of(s) + 1;
    if (epoch == SEPOCH_MAX) { /* a wrapped epoch could match an old entry's */
        epoch = 0;
        smmu_memo_flush(s);
    }
    atomic_store_explicit(&s->sstat_epoch, epoch, memory_order_relaxed);
    smmu_memo_tick(s); /* validated entries claim their slots again */
}

void smmu_memo_fold_stats(const smmu_t *s, smmu_stats_t *st) {
    for (unsigned k = 0; k < SMMU_MEMO_KINDS; k++) {
        const uint64_t n = smmu_ports_hits(s, k);
        st->translations += n;
        st->ok += n;
    }
}

uint64_t smmu_memo_cache_hits(const smmu_t *s, unsigned which) {
    uint64_t n = 0;
    for (unsigned k = 0; k < SMMU_MEMO_KINDS; k++)
        n += memo_res[k].hits[which] * smmu_ports_hits(s, k);
    return n;
}

/* slot: index in s->sstats, UINT32_MAX for the "other" bucket. */
void smmu_memo_fold_stream(const smmu_t *s, uint32_t slot, smmu_stream_stats_t *st) {
    const uint64_t n = smmu_ports_sok(s, slot == UINT32_MAX ? s->p.stream_stats_entries : slot);
    st->translations += n;
    st->ok += n;
}

/* ------------------------------------------------------------------ lookup */

/* The key of t as kept in an entry: tag (with the key code), ids, gen; and the bit of t's
   access kind in res (RES_OK). */
static txn_flags_t flags_of(const smmu_txn_t *t) {
    txn_flags_t f;
    memcpy(&f.lo, &t->ssv, sizeof(f.lo));
    memcpy(&f.hi, &t->secure, sizeof(f.hi));
    return f;
}
static uint64_t code_of(txn_flags_t f) {
    const uint32_t code = (f.lo & 1) | (f.lo >> 22 & CODE_PRIV) | (f.hi & 1) << 1 |
                          (uint32_t)(f.hi > 0xFF) << 3; /* ssv, priv, secure, ats */
    return (uint64_t)code << CODE_SHIFT;
}
static uint64_t tag_of(const smmu_txn_t *t) {
    return t->addr >> MEMO_PAGE_SHIFT;
}
static uint64_t ids_of(const smmu_txn_t *t) {
    return t->sid | (uint64_t)(t->ssv ? t->ssid : 0) << 32;
}
static uint64_t ok_bit(txn_flags_t f) {
    return UINT64_C(1) << (RES_OK_SHIFT + ((f.lo >> 8 & 1) | (f.lo >> 15 & 2))); /* write, exec */
}
static unsigned kind_of(uint64_t res) {
    return (unsigned)(res >> RES_KIND_SHIFT) & 7;
}

/* Way 0 of the set of a key. The key code and generation are not hashed: the keys of one page
   and stream differing only by them share a set. */
static uint64_t mix_of(uint64_t ids) { /* the stream's part of the hash (a handle keeps it) */
    return ids << 28 ^ ids >> 12;
}
static smmu_memo_t *memo_set_mixed(const smmu_t *s, uint64_t tag, uint64_t mix) {
    uint64_t h = (tag ^ mix) * 0x9E3779B97F4A7C15ull;
    return &s->memo[(h >> s->memo_shift) & ~(uint64_t)1]; /* top bits: the well mixed ones */
}
static smmu_memo_t *memo_set(const smmu_t *s, uint64_t tag, uint64_t ids) {
    return memo_set_mixed(s, tag, mix_of(ids));
}

/* tagk: the tag word with the key code; gen: a 16-bit generation */
static inline __attribute__((always_inline)) bool memo_match(const smmu_memo_t *m, uint64_t tagk,
                                                             uint64_t ids, uint32_t gen) {
    return LD(m->tag) == tagk && LD(m->ids) == ids && LD(m->gen) == gen;
}

/* The line still holds the filling the entry was computed from. */
static bool line_current(const smmu_t *s, const smmu_memo_t *m, const uint32_t line[], unsigned i) {
    const _Atomic uint32_t *fill = &s->cache[memo_cache[i]].fill[line[i]];
    return atomic_load_explicit(fill, memory_order_relaxed) == LD(m->fill[i]);
}

/* A writer (memo_write) was at work on the entry while the probe read it: the version it read
   first is odd, or moved since. Only in concurrent mode: otherwise nothing writes meanwhile. */
static bool torn(const smmu_memo_t *m, uint16_t ver) {
    atomic_thread_fence(memory_order_acquire);
    return (ver & 1) || LD(m->ver) != ver;
}

/* LRU: the lines of a hit are used now (cache.h, smmu_lru_now). */
static void touch_lines(smmu_t *s, const uint32_t line[SMMU_MEMO_LINES], uint64_t now) {
    /* smmu_cline() with the line sizes as constants (no load and multiply by c->esz) */
    smmu_cline_set_stamp(
        s->cache[SMMU_CACHE_STE].lines + (size_t)line[SMMU_MEMO_STE] * sizeof(smmu_stee_t), now);
    smmu_cline_set_stamp(
        s->cache[SMMU_CACHE_CD].lines + (size_t)line[SMMU_MEMO_CD] * sizeof(smmu_cde_t), now);
    smmu_cline_set_stamp(
        s->cache[SMMU_CACHE_TLB].lines + (size_t)line[SMMU_MEMO_TLB] * sizeof(smmu_tlbe_t), now);
}

/* Concurrent mode (no lock): the lines of a hit take the current LRU time, which only the full
   path advances (fills, under the lock), as in plain mode; the entry's ver being its sequence
   lock here, each line is compared instead, and a hit whose lines are stamped already writes
   nothing: hits of several threads share the lines without moving them between host caches. */
static void stamp_lines(smmu_t *s, const uint32_t line[SMMU_MEMO_LINES]) {
    const uint64_t now = __atomic_load_n(&s->lru_clock, __ATOMIC_RELAXED);
    for (unsigned i = 0; i < SMMU_MEMO_LINES; i++) {
        void *l = smmu_cline(&s->cache[memo_cache[i]], line[i]);
        if (smmu_cline_stamp(l) != now) smmu_cline_set_stamp(l, now);
    }
}

/* The stream's statistics slot, claimed again after smmu_clear_stats (the full path's order),
   with the epoch. */
static uint32_t sstat_of(smmu_t *s, uint32_t sid) {
    uint32_t slot = smmu_stream_slot(s, sid);
    return (slot == UINT32_MAX ? s->p.stream_stats_entries : slot) | epoch_of(s) << SSLOT_BITS;
}

/* The full path's side effects of hits in the entry's lines: LRU ages, counts in the port's
   shard. false: the entry's statistics slot is of an earlier epoch, which only the full path
   claims in concurrent mode. */
static inline __attribute__((always_inline)) bool replay(smmu_t *s, smmu_port_t *p, smmu_memo_t *m,
                                                         uint32_t sstat,
                                                         const uint32_t line[SMMU_MEMO_LINES],
                                                         unsigned kind, bool conc) {
    if (__builtin_expect(sstat >> SSLOT_BITS != epoch_of(s), 0)) {
        if (conc) return false;
        sstat = sstat_of(s, (uint32_t)LD(m->ids));
        ST(m->sstat, sstat);
    }
    if (conc) {
        stamp_lines(s, line);
    } else if (LD(m->ver) != (uint16_t)clock_of(s)) {
        /* validated: the lines are current and carry the LRU time now; until the clock moves
           (a fill, which also advances the LRU time, an invalidation, a statistics clear) that
           stays true, so hits skip the line checks and write no line (memo_probe) */
        touch_lines(s, line, smmu_lru_now(s));
        ST(m->ver, (uint16_t)clock_of(s));
    }
    smmu_port_bump(&p->memo_hits[kind]);
    smmu_port_bump(&p->memo_sok[sstat & ((1u << SSLOT_BITS) - 1)]);
    return true;
}

/* The probe; conc: concurrent mode (a constant at each call, so the plain instance has no
   version checks). */
static inline __attribute__((always_inline)) bool
memo_probe(smmu_t *s, smmu_port_t *p, const smmu_txn_t *t, smmu_result_t *r, bool conc) {
    const txn_flags_t f = flags_of(t);
    const uint64_t tag = tag_of(t), tagk = tag | code_of(f), ids = ids_of(t);
    const uint16_t gen = gen16_of(s);
    smmu_memo_t *m = memo_set(s, tag, ids);
    uint16_t ver = conc ? __atomic_load_n(&m->ver, __ATOMIC_ACQUIRE) : 0;
    if (!memo_match(m, tagk, ids, gen)) {
        ver = conc ? __atomic_load_n(&(++m)->ver, __ATOMIC_ACQUIRE) : (++m, 0);
        if (!memo_match(m, tagk, ids, gen)) return false;
    }
    const uint64_t res = LD(m->res);
    if (!(res & ok_bit(f))) return false;
    /* The result first: the kind's template, then the entry's fields (RES_*, PA_*), so that few
       values stay live across the checks and side effects. A probe that fails below leaves r to
       the full path, which rewrites all of it. */
    const unsigned kind = kind_of(res);
    const uint64_t pa = LD(m->pa);
    memcpy(r, &memo_res[kind], sizeof(*r));
    r->pa = (pa & ~(uint64_t)0xFFF) | (t->addr & 0xFFF);
    r->span = (uint64_t)1 << (pa & PA_SPAN_MASK);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t word = res & ~RES_META;
    const uint32_t nsperm = (uint32_t)word, label = (uint32_t)(word >> 32);
    memcpy(&r->ns, &nsperm, sizeof(nsperm));   /* ns, perm, attr, sh */
    memcpy(&r->partid, &label, sizeof(label)); /* partid, pmg, mpam_ns */
#else
    RES_DECODE(r, res);
#endif
    const uint32_t sstat = LD(m->sstat);
    const uint32_t line[SMMU_MEMO_LINES] = {LD(m->line[0]), LD(m->line[1]), LD(m->line[2])};
    if (!conc && validated(s, m)) {
        smmu_port_bump(&p->memo_hits[kind]);
        smmu_port_bump(&p->memo_sok[sstat & ((1u << SSLOT_BITS) - 1)]);
        return true;
    }
    if (!line_current(s, m, line, SMMU_MEMO_STE) || !line_current(s, m, line, SMMU_MEMO_CD) ||
        !line_current(s, m, line, SMMU_MEMO_TLB) || (conc && torn(m, ver)))
        return false;
    return replay(s, p, m, sstat, line, kind, conc);
}

/* The concurrent instance out of line: the plain one's registers and stack stay its own. */
static __attribute__((noinline)) bool memo_probe_concurrent(smmu_t *s, smmu_port_t *p,
                                                            const smmu_txn_t *t, smmu_result_t *r) {
    return memo_probe(s, p, t, r, true);
}

void smmu_memo_translate(smmu_t *s, smmu_port_t *p, const smmu_txn_t *t, smmu_result_t *r) {
    /* The key holds no input attributes: a transaction with its own takes the full path. */
    if (__builtin_expect(t->in_attr_valid, 0)) {
        smmu_translate_miss(s, t, r, false);
        return;
    }
    const bool memo = __builtin_expect(s->p.concurrent, 0) ? memo_probe_concurrent(s, p, t, r)
                                                           : memo_probe(s, p, t, r, false);
    /* A PMCG counts a hit as the full path would (10.3 event 1: every lookup hit). */
    if (__builtin_expect(smmu_pmcg_active(s), 0) && memo) smmu_pmcg_memo_hit(s, t);
    if (__builtin_expect(memo && !smmu_tp_on(s, SMMU_TP_XLATE), 1)) return;
    smmu_translate_miss(s, t, r, memo);
}

/* ------------------------------------------------------------------ the fast entry point */

/* The fast result's bytes [16, 24) of a hit, by kind: stag, event, status OK, no abort, nothing
   recorded, tlb_hit, cfg_hit; little-endian hosts store them as one 64-bit word. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TAIL_WORD(k)                                                                               \
    ((uint64_t)MEMO_HIT(k, SMMU_MEMO_TLB) << 48 | (uint64_t)MEMO_HIT(k, SMMU_MEMO_STE) << 56)
static const uint64_t fast_tail_word[SMMU_MEMO_KINDS] = {TAIL_WORD(0), TAIL_WORD(1), TAIL_WORD(2),
                                                         TAIL_WORD(3), TAIL_WORD(4), TAIL_WORD(5),
                                                         TAIL_WORD(6), TAIL_WORD(7)};
_Static_assert(offsetof(smmu_result_fast_t, tlb_hit) == 22 &&
                   offsetof(smmu_result_fast_t, cfg_hit) == 23 && SMMU_OK == 0,
               "tlb_hit and cfg_hit are the tail's bytes 6 and 7, status OK is 0");
#else
#define FAST_TAIL(k)                                                                               \
    {                                                                                              \
        .status = SMMU_OK, .tlb_hit = MEMO_HIT(k, SMMU_MEMO_TLB),                                  \
        .cfg_hit = MEMO_HIT(k, SMMU_MEMO_STE)                                                      \
    }
static const smmu_result_fast_t fast_tail[SMMU_MEMO_KINDS] = {
    FAST_TAIL(0), FAST_TAIL(1), FAST_TAIL(2), FAST_TAIL(3),
    FAST_TAIL(4), FAST_TAIL(5), FAST_TAIL(6), FAST_TAIL(7)};
#endif
_Static_assert(sizeof(smmu_result_fast_t) == 24 && offsetof(smmu_result_fast_t, stag) == 16 &&
                   offsetof(smmu_result_fast_t, perm) == offsetof(smmu_result_fast_t, ns) + 1 &&
                   offsetof(smmu_result_fast_t, attr) == offsetof(smmu_result_fast_t, ns) + 2 &&
                   offsetof(smmu_result_fast_t, sh) == offsetof(smmu_result_fast_t, ns) + 3 &&
                   offsetof(smmu_result_fast_t, pmg) == offsetof(smmu_result_fast_t, partid) + 2 &&
                   offsetof(smmu_result_fast_t, mpam_ns) ==
                       offsetof(smmu_result_fast_t, partid) + 3,
               "the fast result is three words laid out as the memo's fields");

/* Anything but a plain memo hit: the full entry point, its result copied. */
static __attribute__((noinline)) void fast_full(smmu_t *s, const smmu_txn_t *t,
                                                smmu_result_fast_t *r) {
    smmu_result_t f;
    smmu_translate(s, t, &f);
    *r = (smmu_result_fast_t){.pa = f.pa,
                              .ns = f.ns,
                              .perm = f.perm,
                              .attr = f.attr,
                              .sh = f.sh,
                              .partid = f.partid,
                              .pmg = f.pmg,
                              .mpam_ns = f.mpam_ns,
                              .stag = f.stag,
                              .event = (uint8_t)f.event,
                              .status = (uint8_t)f.status,
                              .abort = f.abort,
                              .recorded = f.recorded,
                              .tlb_hit = f.tlb_hit,
                              .cfg_hit = f.cfg_hit};
}

void smmu_memo_gate(smmu_t *s) {
    const bool off = s->p.concurrent || smmu_pmcg_active(s) || smmu_tp_on(s, SMMU_TP_XLATE);
    atomic_store_explicit(&s->fast_off, off, memory_order_relaxed);
    fast_gv_update(s);
}

/* An entry not validated at the current memo clock (plain mode), hit by smmu_translate_fast:
   memo_probe's checks and replay's LRU stamps, then validated. false (nothing changed): a line
   changed, or the statistics slot is of an earlier epoch, which the full entry point claims. */
static __attribute__((noinline)) bool fast_validate(smmu_t *s, smmu_memo_t *m) {
    const uint32_t line[SMMU_MEMO_LINES] = {LD(m->line[0]), LD(m->line[1]), LD(m->line[2])};
    if (!line_current(s, m, line, SMMU_MEMO_STE) || !line_current(s, m, line, SMMU_MEMO_CD) ||
        !line_current(s, m, line, SMMU_MEMO_TLB) || LD(m->sstat) >> SSLOT_BITS != epoch_of(s))
        return false;
    touch_lines(s, line, smmu_lru_now(s));
    ST(m->ver, (uint16_t)clock_of(s));
    return true;
}

/* A fast hit's result: the entry's words res and pa (the page address) and the kind's tail. */
static inline __attribute__((always_inline)) void
fast_result(smmu_result_fast_t *r, uint64_t addr, uint64_t res, uint64_t pa, unsigned kind) {
    r->pa = (pa & ~(uint64_t)0xFFF) | (addr & 0xFFF);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t word = res & ~RES_META; /* ns, perm, attr, sh, partid, pmg, mpam_ns */
    memcpy(&r->ns, &word, sizeof(word));
    memcpy(&r->stag, &fast_tail_word[kind], 8);
#else
    const uint64_t out = r->pa;
    *r = fast_tail[kind];
    r->pa = out;
    r->ns = true;
    RES_DECODE(r, res);
#endif
}
_Static_assert(offsetof(smmu_result_fast_t, ns) == 8 && offsetof(smmu_result_fast_t, partid) == 12,
               "the fast result's bytes [8, 16) are the memo's result word");

/* A validated entry m, res its result word: the two counters and the result. */
static inline __attribute__((always_inline)) void
fast_hit(smmu_t *s, const smmu_memo_t *m, uint64_t res, uint64_t addr, smmu_result_fast_t *r) {
    const unsigned kind = kind_of(res);
    const uint32_t sstat = LD(m->sstat);
    smmu_port_bump(&s->port0.memo_hits[kind]);
    smmu_port_bump(&s->port0.memo_sok[sstat & ((1u << SSLOT_BITS) - 1)]);
    fast_result(r, addr, res, LD(m->pa), kind);
}

/* The way of set m holding the key (tagk, ids), or NULL. */
static inline __attribute__((always_inline)) smmu_memo_t *fast_way(smmu_memo_t *m, uint64_t tagk,
                                                                   uint64_t ids) {
    if (LD(m->tag) == tagk && LD(m->ids) == ids) return m;
    m++;
    return LD(m->tag) == tagk && LD(m->ids) == ids ? m : NULL;
}

/* The fast entry points' probe after their short test failed (the entry found is not of the
   current generation and validation time, or fast_off): memo_probe's key and access check on
   both ways, then fast_validate; the entry to answer from, or NULL (nothing changed: the full
   entry point). */
static __attribute__((noinline)) smmu_memo_t *fast_slow(smmu_t *s, smmu_memo_t *set, uint64_t tagk,
                                                        uint64_t ids, uint64_t ok) {
    if (atomic_load_explicit(&s->fast_off, memory_order_relaxed)) return NULL;
    const uint16_t gen = gen16_of(s);
    smmu_memo_t *m = set;
    if (!memo_match(m, tagk, ids, gen) && !memo_match(++m, tagk, ids, gen)) return NULL;
    if (!(LD(m->res) & ok)) return NULL;
    return validated(s, m) || fast_validate(s, m) ? m : NULL;
}

/* memo_probe writing the compact result (plain mode): the same entry, key, access check and
   validation, and the same side effects (the two counters; fast_validate's LRU stamps), so that
   a hit here is a memo hit of smmu_translate in everything but r. Anything else takes the full
   entry point; nothing is changed before that decision. The short test: the key's way, the
   access kind, and the entry's generation and validation time against fast_gv at once (which
   also carries fast_off); anything else is fast_slow's. */
void smmu_translate_fast(smmu_t *s, const smmu_txn_t *t, smmu_result_fast_t *r) {
    /* The key holds no input attributes: a transaction with its own takes the full path (as in
       smmu_memo_translate). */
    if (__builtin_expect(t->in_attr_valid, 0)) goto full;
    const txn_flags_t f = flags_of(t);
    const uint64_t tag = tag_of(t), tagk = tag | code_of(f), ids = ids_of(t), ok = ok_bit(f);
    smmu_memo_t *const set = memo_set(s, tag, ids);
    smmu_memo_t *m = fast_way(set, tagk, ids);
    if (__builtin_expect(!m || !(LD(m->res) & ok) || LD(m->gv) != fast_gv_of(s), 0) &&
        !(m = fast_slow(s, set, tagk, ids, ok)))
        goto full;
    fast_hit(s, m, LD(m->res), t->addr, r);
    return;
full:
    fast_full(s, t, r);
}

/* ------------------------------------------------------------------ stream handles */

void smmu_stream_handle_init(smmu_stream_handle_t *h, const smmu_txn_t *t) {
    smmu_txn_t x = *t;
    x.write = x.exec = false; /* each call gives the access kind */
    x.addr = 0;
    memset(h, 0, sizeof(*h));
    h->txn = x;
    h->ids = ids_of(&x);
    h->mix = mix_of(h->ids);
    /* The memo's key holds no input attributes: such a template takes the full path, as
       smmu_memo_translate sends it. */
    h->key = x.in_attr_valid ? TAG_NEVER : code_of(flags_of(&x));
}

/* The handle's transaction with addr and access, through smmu_translate_fast's fallback. */
static __attribute__((noinline)) void handle_full(smmu_t *s, const smmu_stream_handle_t *h,
                                                  uint64_t addr, unsigned access,
                                                  smmu_result_fast_t *r) {
    smmu_txn_t t = h->txn;
    t.addr = addr;
    t.write = access & SMMU_ACCESS_WRITE;
    t.exec = (access & SMMU_ACCESS_EXEC) != 0;
    fast_full(s, &t, r);
}

/* smmu_translate_handle after its short test failed: fast_slow, then the hit or the full path.
   Out of line and tail-called, so that the short path needs no frame. */
static __attribute__((noinline)) void handle_slow(smmu_t *s, const smmu_stream_handle_t *h,
                                                  uint64_t addr, unsigned access,
                                                  smmu_result_fast_t *r) {
    const uint64_t tag = addr >> MEMO_PAGE_SHIFT;
    smmu_memo_t *m = fast_slow(s, memo_set_mixed(s, tag, h->mix), tag | h->key, h->ids,
                               UINT64_C(1) << (RES_OK_SHIFT + (access & 3)));
    if (!m) {
        handle_full(s, h, addr, access, r);
        return;
    }
    fast_hit(s, m, LD(m->res), addr, r);
}

/* smmu_translate_fast's short path with the key prepared in h: the same entry (tag word, ids),
   the same access-kind bit (RES_OK bit write | exec << 1 is access's bits [1:0]), the same test
   of generation and validation time (fast_gv, which carries fast_off) and side effects. */
void smmu_translate_handle(smmu_t *s, const smmu_stream_handle_t *h, uint64_t addr, unsigned access,
                           smmu_result_fast_t *r) {
    const uint64_t tag = addr >> MEMO_PAGE_SHIFT, tagk = tag | h->key, ids = h->ids;
    smmu_memo_t *m = fast_way(memo_set_mixed(s, tag, h->mix), tagk, ids);
    if (__builtin_expect(!m, 0)) goto slow;
    const uint64_t res = LD(m->res);
    if (__builtin_expect(!(res >> RES_OK_SHIFT >> (access & 3) & 1) || LD(m->gv) != fast_gv_of(s),
                         0))
        goto slow;
    fast_hit(s, m, res, addr, r);
    return;
slow:
    handle_slow(s, h, addr, access, r);
}

/* n translations of one handle: smmu_translate_handle(s, h, addr[i], access, &r[i]) in order.
   The short path's counts are kept in a run (one kind, one statistics slot) and added to the two
   port counters when the run ends: before any call of the slow path (so that everything it does
   sees the counters as n calls would have left them) and on return (statistics are read only
   between calls, plain mode), which spares each hit the two dependent read-modify-writes. */
void smmu_translate_handle_batch(smmu_t *s, const smmu_stream_handle_t *h, const uint64_t *addr,
                                 unsigned access, smmu_result_fast_t *r, size_t n) {
    const uint64_t key = h->key, ids = h->ids, mix = h->mix;
    const unsigned bit = RES_OK_SHIFT + (access & 3);
    uint64_t run = 0;
    unsigned run_kind = 0;
    uint32_t run_slot = 0;
    for (size_t i = 0; i < n; i++) {
        const uint64_t tag = addr[i] >> MEMO_PAGE_SHIFT;
        smmu_memo_t *m = fast_way(memo_set_mixed(s, tag, mix), tag | key, ids);
        uint64_t res;
        if (__builtin_expect(!m || !((res = LD(m->res)) >> bit & 1) || LD(m->gv) != fast_gv_of(s),
                             0)) {
            if (run) {
                smmu_port_add(&s->port0.memo_hits[run_kind], run);
                smmu_port_add(&s->port0.memo_sok[run_slot], run);
                run = 0;
            }
            handle_slow(s, h, addr[i], access, &r[i]);
            continue;
        }
        const unsigned kind = kind_of(res);
        const uint32_t slot = LD(m->sstat) & ((1u << SSLOT_BITS) - 1);
        if (__builtin_expect(kind != run_kind || slot != run_slot, 0)) {
            if (run) {
                smmu_port_add(&s->port0.memo_hits[run_kind], run);
                smmu_port_add(&s->port0.memo_sok[run_slot], run);
            }
            run = 0;
            run_kind = kind;
            run_slot = slot;
        }
        run++;
        fast_result(&r[i], addr[i], res, LD(m->pa), kind);
    }
    if (run) {
        smmu_port_add(&s->port0.memo_hits[run_kind], run);
        smmu_port_add(&s->port0.memo_sok[run_slot], run);
    }
}

/* ------------------------------------------------------------------ recording */

/* The way to (re)fill: the one holding the key already, else a free one, else the other way
   than the last fill (round robin, the bit kept in way 0's res). */
static smmu_memo_t *memo_way(smmu_memo_t *set, uint64_t tagk, uint64_t ids, uint16_t gen) {
    for (unsigned w = 0; w < 2; w++)
        if (memo_match(&set[w], tagk, ids, gen)) return &set[w];
    for (unsigned w = 0; w < 2; w++)
        if (LD(set[w].gen) != gen) return &set[w];
    const uint64_t res0 = LD(set[0].res);
    ST(set[0].res, res0 ^ RES_VICTIM1); /* probes ignore this bit (RES_META) */
    return &set[(res0 & RES_VICTIM1) != 0];
}

/* The entry m already holds this result from these lines: only the access kind is new. */
static bool same_result(const smmu_memo_t *m, const smmu_memo_t *n) {
    const uint64_t keep = ~(RES_OK | RES_VICTIM1); /* the result word and the kind */
    bool same = LD(m->tag) == n->tag && LD(m->ids) == n->ids && LD(m->gen) == n->gen &&
                (LD(m->res) & keep) == (n->res & keep) && LD(m->pa) == n->pa;
    for (unsigned i = 0; i < SMMU_MEMO_LINES; i++)
        same = same && LD(m->line[i]) == n->line[i] && LD(m->fill[i]) == n->fill[i];
    return same;
}

/* Writes entry m as one update for probes: in concurrent mode the version goes odd, the fields,
   the version goes even (under the instance's lock); otherwise (by the only thread) the entry is
   not validated yet (a memo clock time passed already), so its first hit checks its lines. */
static void memo_write(const smmu_t *s, smmu_memo_t *m, const smmu_memo_t *n) {
    const bool conc = s->p.concurrent;
    const uint16_t ver = conc ? LD(m->ver) : (uint16_t)(clock_of(s) - 1);
    ST(m->ver, (uint16_t)(ver + conc));
    atomic_thread_fence(memory_order_release);
    ST(m->tag, n->tag);
    ST(m->ids, n->ids);
    ST(m->res, n->res);
    ST(m->pa, n->pa);
    ST(m->gen, n->gen);
    ST(m->sstat, n->sstat);
    for (unsigned i = 0; i < SMMU_MEMO_LINES; i++) {
        ST(m->line[i], n->line[i]);
        ST(m->fill[i], n->fill[i]);
    }
    if (conc) __atomic_store_n(&m->ver, (uint16_t)(ver + 2), __ATOMIC_RELEASE);
}

/* The result word (RES_*) of r, without the entry's own bits. */
static uint64_t res_of(const smmu_result_t *r) {
    return 1u | (uint64_t)(r->perm & 7) << RES_PERM | (uint64_t)r->attr << RES_ATTR |
           (uint64_t)(r->sh & 3) << RES_SH | (uint64_t)r->partid << RES_PARTID |
           (uint64_t)r->pmg << RES_PMG | (uint64_t)(r->mpam_ns & 1) << RES_MPAM_NS;
}

void smmu_memo_record(smmu_t *s, const smmu_txn_t *t, const smmu_result_t *r,
                      const void *const lines[SMMU_MEMO_LINES]) {
    if (!s->memo_on || t->ats != SMMU_ATS_NONE || t->in_attr_valid || r->status != SMMU_OK ||
        !r->ns || r->span < ((uint64_t)1 << MEMO_PAGE_SHIFT) || (r->span & (r->span - 1)))
        return;
    const txn_flags_t f = flags_of(t);
    const uint64_t tag = tag_of(t);
    smmu_memo_t n = {.tag = tag | code_of(f),
                     .ids = ids_of(t),
                     .gen = gen16_of(s),
                     .res = res_of(r) | ok_bit(f),
                     .pa = (r->pa & ~(uint64_t)0xFFF) | (uint64_t)__builtin_ctzll(r->span),
                     .sstat = sstat_of(s, t->sid)};
    for (unsigned i = 0; i < SMMU_MEMO_LINES; i++) {
        const smmu_cache_t *c = &s->cache[memo_cache[i]];
        n.line[i] = lines[i] ? smmu_cline_index(lines[i]) : c->sets * c->ways; /* spare */
        /* what the next full path reports: hits in the caches it consults */
        n.res |= lines[i] ? (uint64_t)1 << (RES_KIND_SHIFT + i) : 0;
        n.fill[i] = atomic_load_explicit(&c->fill[n.line[i]], memory_order_relaxed);
    }
    smmu_memo_t *set = memo_set(s, tag, n.ids);
    smmu_memo_t *m = memo_way(set, n.tag, n.ids, n.gen);
    if (memo_match(m, n.tag, n.ids, n.gen) && same_result(m, &n)) {
        /* one field each, which probes read whole */
        ST(m->res, LD(m->res) | (n.res & RES_OK));
        ST(m->sstat, n.sstat);
        return;
    }
    n.res |= m == set ? LD(set->res) & RES_VICTIM1 : 0;
    memo_write(s, m, &n);
}
