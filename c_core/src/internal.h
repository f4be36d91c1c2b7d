/* SPDX-License-Identifier: Apache-2.0 */
/* Internal interfaces of the core: the instance struct, decoded configuration, faults and the
 * entry points of each concern (one .c file each). Nothing here is visible to integrators. */
#ifndef SMMU_INTERNAL_H
#define SMMU_INTERNAL_H

#include <string.h>

#include <smmu/smmu.h>
#include <smmu/regs.h> /* and, through it, <smmu/arch.h>: every field and encoding */

/* ---------------------------------------------------------------- register state (regs.c) */
typedef struct smmu_queue {
    uint64_t base; /* the *_BASE register as written (RES0 bits cleared) */
    uint32_t prod; /* PROD register value incl. wrap (and OVFLG for EVENTQ/PRIQ) */
    uint32_t cons; /* CONS register value incl. wrap (and ERR for CMDQ, OVACKFLG) */
    uint64_t irq_cfg0;
    uint32_t irq_cfg1, irq_cfg2;
} smmu_queue_t;

typedef struct smmu_regs {
    uint32_t cr0, cr0ack, cr1, cr2;
    uint32_t gbpa, agbpa;
    uint32_t irq_ctrl, irq_ctrlack;
    uint32_t gerror, gerrorn;
    uint64_t gerror_irq_cfg0;
    uint32_t gerror_irq_cfg1, gerror_irq_cfg2;
    uint64_t strtab_base;
    uint32_t strtab_base_cfg;
    smmu_queue_t cmdq, eventq, priq;
    uint32_t idr[6], iidr, aidr; /* computed once from params */
} smmu_regs_t;

/* -------------------------------------------------------------- decoded configuration */
/* One translation table of a stage: CD TTB0/TTB1 for stage 1, STE S2TTB for stage 2. */
typedef struct smmu_tt {
    uint64_t ttb;   /* table base, aligned as the walk uses it */
    uint8_t tsz;    /* TxSZ: input size is 64 - tsz */
    uint8_t gran;   /* granule shift: 12, 14 or 16 */
    uint8_t start;  /* start level 0..3 */
    uint8_t concat; /* stage 2: log2 of concatenated start-level tables (0..4) */
    bool epd;       /* walks on this half fault (stage 1 EPDx) */
    bool tbi;       /* top byte ignored (stage 1 TBIx) */
    bool had;       /* hierarchical attributes disabled (CD.HADx, when IDR3.HAD) */
    bool single_el; /* stage 1 regime of one EL (StreamWorld EL2/EL3): Arm ARM Table D8-66
                       permissions, all accesses privileged */
} smmu_tt_t;

typedef struct smmu_s1cfg { /* decoded, validated CD (5.4) */
    smmu_tt_t tt[2];
    uint8_t oas; /* effective output size in bits: min(CD.IPS, IDR5.OAS) */
    bool affd, wxn, uwxn, pan, endi;
    bool s, r, a; /* fault configuration (5.5) */
    bool aset;
    uint16_t asid;
    uint64_t mair;
    uint8_t regime; /* SMMU_RG_* of the StreamWorld (3.17): tags TLB and walk cache entries */
    uint16_t vmid;  /* VMID tag of the stream (smmu_stecfg_t.vmid) */
} smmu_s1cfg_t;

typedef struct smmu_s2cfg { /* decoded, validated stage-2 half of the STE (5.2) */
    smmu_tt_t tt;
    uint8_t oas; /* effective S2PS in bits, capped at IDR5.OAS */
    bool affd, endi, ptw, s, r, fwb;
    uint16_t vmid;
} smmu_s2cfg_t;

typedef struct smmu_stecfg { /* decoded, validated STE (5.2) */
    uint8_t config;          /* STE.Config */
    bool s1, s2;             /* stage enables (Config[0], Config[1] with Config[2] = 1) */
    uint8_t s1fmt, s1cdmax, s1dss;
    uint64_t s1ctxptr;
    bool s1stalld;
    uint8_t eats, strw;
    uint8_t memattr, mtcfg, alloccfg, shcfg, nscfg, privcfg, instcfg;
    smmu_s2cfg_t s2c;
    uint16_t vmid; /* TLB VMID tag: S2VMID when stage 2 is implemented (5.2 S2VMID), else 0 */
} smmu_stecfg_t;

/* Translation regimes that tag cached translations (spec 3.17): NS-EL1 stage 1 (also combined
   stage 1 + stage 2), NS-EL2, NS-EL2-E2H, and NS-EL1 stage-2-only (address type IPA). */
enum { SMMU_RG_EL1 = 0, SMMU_RG_EL2 = 1, SMMU_RG_EL2E2H = 2, SMMU_RG_S2 = 3 };

/* ------------------------------------------------------------------------ faults */
/* A fault found somewhere on the translation path, before it becomes an event record. */
typedef struct smmu_fault {
    uint8_t type;        /* SMMU_EVT_* */
    uint8_t cls;         /* SMMU_CLASS_* */
    bool s2;             /* the fault is at stage 2 */
    bool ttrnw;          /* F_PERMISSION, CLASS TT: 1 read, 0 write */
    uint8_t reason;      /* IMPLEMENTATION DEFINED cause (F_WALK_EABT ...) */
    uint64_t ipa;        /* S2 faults: the IPA */
    uint64_t fetch_addr; /* F_STE_FETCH, F_CD_FETCH, F_WALK_EABT */
} smmu_fault_t;

/* Everything an event record (7.3) can carry. */
typedef struct smmu_event {
    uint8_t type;
    uint32_t sid, ssid;
    bool ssv;
    bool stall;
    uint16_t stag;
    bool pnu, ind, rnw; /* post-override attributes of the input transaction */
    bool s2, ttrnw;
    uint8_t cls;
    uint8_t reason;
    uint64_t addr; /* InputAddr */
    uint64_t ipa;
    uint64_t fetch_addr;
    uint8_t span;        /* F_BAD_ATS_TREQ: STUs requested; E_PAGE_REQUEST: 4KB pages */
    uint8_t perm, uperm; /* F_BAD_ATS_TREQ: requested SMMU_PERM_* (Priv in pnu);
                            E_PAGE_REQUEST: privileged (perm) / unprivileged (uperm) accesses */
} smmu_event_t;

/* ------------------------------------------------------------------------ walks */
typedef struct smmu_access {
    bool write, exec, priv;
} smmu_access_t;

typedef struct smmu_walk_out {
    uint64_t oa;   /* output address of the input address (not just the page) */
    uint64_t span; /* size of the page or block */
    uint8_t perm;  /* granted SMMU_PERM_* for this access's privilege */
    uint8_t attr;  /* MAIR-format byte: stage 1 from MAIR[AttrIndx]; stage 2 from MemAttr */
    uint8_t sh;
    uint8_t level;
    bool ng;
    bool ns;
    uint8_t perm_priv, perm_user; /* stage 1: granted to privileged / unprivileged accesses */
    uint8_t gran;                 /* granule shift of the table */
} smmu_walk_out_t;

/* ---------------------------------------------------------------- caches (cache.c) */
/* Every cache line starts with this header. */
typedef struct smmu_cline {
    /* LRU: time of last use. In the line: a hit already has the line at hand (a separate array
       cost a second host cache miss per hit in big TLBs). */
    uint64_t stamp;
    bool valid;
    uint32_t idx; /* index of the line in its cache (and in smmu_cache_t.fill) */
} smmu_cline_t;

/* memo.c: the translation memo (see smmu_params_t.memo_entries). A memo entry records the
   cache lines it came from, by cache: STE, CD, TLB; a hit of an entry of kind k (bit
   SMMU_MEMO_* per line) counts as a hit in each of those caches. */
enum { SMMU_MEMO_STE, SMMU_MEMO_CD, SMMU_MEMO_TLB, SMMU_MEMO_LINES };
enum { SMMU_MEMO_KINDS = 1 << SMMU_MEMO_LINES };
typedef struct smmu_memo smmu_memo_t;

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
       check reads a small array. */
    uint32_t *fill;
    uint64_t sizes; /* TLB / IPA cache: bit n set when entries of 2^n bytes may be present */
    uint8_t split_log2; /* TLB / IPA cache: the largest range_log2 of an entry whose range_log2
                           exceeds its size_log2 that may be present (0: none) */
    smmu_cache_stats_t st;
} smmu_cache_t;

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
    uint8_t perm_p, perm_u, attr1, sh1; /* stage 1 */
    uint8_t perm2, attr2, sh2;          /* stage 2 */
} smmu_tlbe_t;

/* Walk cache entry: a table descriptor of level `level` (spec 3.21.1 walk cache). */
typedef struct smmu_walke {
    smmu_cline_t h;
    uint8_t regime, gran, level;
    bool apt_nounpriv, apt_ro, pxnt, uxnt; /* hierarchical controls accumulated down to it */
    uint16_t vmid, asid;
    uint64_t ia;    /* input address bits above the level's shift (aligned) */
    uint64_t table; /* next-level table address (an IPA for nested stage 1) */
} smmu_walke_t;

/* Configuration cache entries (spec 3.21.3, 4.3). */
typedef struct smmu_stee {
    smmu_cline_t h;
    uint32_t sid;
    smmu_stecfg_t c;
} smmu_stee_t;
typedef struct smmu_cde {
    smmu_cline_t h;
    uint32_t sid, ssid; /* ssid: index in the CD table */
    smmu_s1cfg_t c;
} smmu_cde_t;
typedef struct smmu_l1e { /* an L1STD (cd false) or L1CD (cd true) */
    smmu_cline_t h;
    bool cd;
    uint8_t bits; /* L1STD: SPLIT; L1CD: SubstreamID bits of a leaf table */
    uint32_t sid; /* L1CD: the StreamID that located it */
    uint32_t idx; /* L1STD: StreamID >> SPLIT; L1CD: SubstreamID >> bits */
    uint64_t desc;
} smmu_l1e_t;

typedef struct smmu_sstat { /* per-stream statistics slot (open addressing) */
    uint32_t key;           /* sid + 1; 0 = free */
    smmu_stream_stats_t st;
} smmu_sstat_t;

/* ---------------------------------------------------------------- stalls (stall.c) */
typedef struct smmu_stall {
    bool used;
    bool ev_pending; /* its event record waits for the queue to be writable (7.2.1) */
    uint32_t sid;
    uint32_t seq; /* order of the stalls, to write pending records in order */
    smmu_event_t ev;
} smmu_stall_t;

/* ---------------------------------------------------------------- the instance */
/* Direct read grants held, direct-mapped by address bits [15:12] (a nested walk touches ~8
   pages; a grant larger than a page is copied into each slot it is used from). */
enum { SMMU_GRANTS = 16 };
struct smmu {
    smmu_params_t p;
    smmu_host_t host;
    /* Direct read grants from host->mem_ptr (smmu.c), used while their epoch is current; size 0:
       an empty slot. */
    smmu_mem_grant_t grants[SMMU_GRANTS];
    bool grants_wide; /* a grant spanning more than one 4 KiB page was held (in several slots) */
    smmu_regs_t r;
    bool irq_level[SMMU_IRQ_COUNT];
    uint32_t gerror_pending_msi;
    smmu_stats_t st;
    smmu_stall_t *stalls; /* stall_max slots, allocated in smmu_new; STAG = slot index */
    unsigned stalls_used;
    bool atc_inv_failed; /* an ATC invalidation since the last CMD_SYNC did not complete */
    bool dbg; /* inside smmu_translate_dbg: no side effects (events, stalls, stats, fills) */
    uint32_t stall_seq;
    bool cmdq_busy; /* cmdq.c: consuming; a nested trigger (from a host callback) is ignored */
    smmu_cache_t cache[SMMU_CACHE_COUNT]; /* cache.c */
    uint64_t rng;                         /* SMMU_REPL_RANDOM state (xorshift64) */
    uint64_t lru_clock; /* LRU time of every cache (only the order within a cache matters) */
    /* The result whose lookups[] and hits[] the caches count into: the translation being made,
       else cost_sink (lookups outside smmu_translate: smmu_ats_translate, commands). */
    smmu_result_t *cost;
    smmu_result_t cost_sink;
    smmu_sstat_t *sstats; /* params.stream_stats_entries slots */
    smmu_stream_stats_t sstat_other;
    uint32_t fill_seq; /* last fill identity handed out (smmu_cache_t.fill) */
    smmu_memo_t *memo; /* memo.c: memo_mask + 1 entries (2 that never match when off) */
    bool memo_on;
    uint32_t memo_mask;
    uint8_t memo_shift; /* 64 - log2(entries): the index is the top bits of the hash */
    uint32_t memo_gen;  /* entries of other generations are invalid */
    /* Folded statistics of memo hits: per kind of entry (global and per-cache counters), and
       per stream statistics slot (stream_stats_entries + 1: the last is "other"). */
    uint64_t memo_hits[SMMU_MEMO_KINDS];
    uint64_t *memo_sok;
    uint32_t sstat_epoch; /* bumped when the statistics slots are cleared */
    uint16_t memo_cost[SMMU_MEMO_KINDS][2 * SMMU_CACHE_COUNT]; /* result lookups[], hits[] */
};

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

/* ---------------------------------------------------------------- entry points */
/* memory (smmu.c): the core's own accesses (all Non-secure); non-zero on external abort. A read
   that lies inside the grant of its slot, with the grant's epoch current, is a copy from host
   memory; any other goes to smmu_mem_rd_host (another held grant, host->mem_ptr for a new one,
   else host->mem_read). */
static inline smmu_mem_grant_t *smmu_grant_slot(smmu_t *s, uint64_t pa) {
    return &s->grants[((pa >> 12) ^ (pa >> 16) ^ (pa >> 20) ^ (pa >> 24)) & (SMMU_GRANTS - 1)];
}
static inline const uint8_t *smmu_grant_find(smmu_t *s, uint64_t pa, size_t len) {
    const smmu_mem_grant_t *g = smmu_grant_slot(s, pa);
    uint64_t off = pa - g->base;
    if (off < g->size && len <= g->size - off && *g->epoch == g->epoch_val) return g->ptr + off;
    return NULL;
}
int smmu_mem_rd_host(smmu_t *s, uint64_t pa, void *buf, size_t len);
static inline int smmu_mem_rd(smmu_t *s, uint64_t pa, void *buf, size_t len) {
    const uint8_t *p = smmu_grant_find(s, pa, len);
    if (!p) return smmu_mem_rd_host(s, pa, buf, len);
    memcpy(buf, p, len);
    return 0;
}
int smmu_mem_wr(smmu_t *s, uint64_t pa, const void *buf, size_t len);
/* Structures in memory are little-endian (spec 3.3): b as a host word. */
static inline uint64_t smmu_le64(const uint8_t *b) {
    uint64_t v;
    memcpy(&v, b, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}
/* Reads n (<= 8) little-endian 64-bit words at pa into dw (host byte order). */
int smmu_mem_rd64_host(smmu_t *s, uint64_t pa, uint64_t *dw, unsigned n);
static inline int smmu_mem_rd64(smmu_t *s, uint64_t pa, uint64_t *dw, unsigned n) {
    const uint8_t *p = n <= 8 ? smmu_grant_find(s, pa, 8u * n) : NULL;
    if (!p) return smmu_mem_rd64_host(s, pa, dw, n);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (unsigned i = 0; i < n; i++)
        dw[i] = smmu_le64(p + 8 * i);
#else
    memcpy(dw, p, 8u * n); /* little-endian host: the words as they are */
#endif
    return 0;
}
int smmu_mem_wr64(smmu_t *s, uint64_t pa, const uint64_t *dw, unsigned n);
void smmu_set_irq(smmu_t *s, smmu_irq_t line, bool level);

/* attr.c: output attributes as a MAIR-format byte (13.1) */
uint8_t smmu_attr_from_s2memattr(unsigned memattr);
bool smmu_attr_is_device(uint8_t attr);
uint8_t smmu_attr_combine(uint8_t s1, uint8_t s2);
uint8_t smmu_sh_combine(uint8_t attr, uint8_t sh1, uint8_t sh2);
uint8_t smmu_attr_alloc_override(uint8_t attr, unsigned alloccfg);

/* stall.c: stalled transactions (3.12.2) */
/* Stalls the transaction of event e (e->stall, e->stag are set here) and records the event, or
   keeps it pending while the Event queue is unwritable. Returns the STAG, -1 if no slot. */
int smmu_stall_fault(smmu_t *s, smmu_event_t *e);
/* CMD_RESUME (outcome SMMU_STALL_*); a STAG that is not stalled for sid is ignored. */
void smmu_stall_resume(smmu_t *s, uint32_t sid, uint16_t stag, int outcome);
/* CMD_STALL_TERM: every stall of sid ends with an abort; its pending record is dropped. */
void smmu_stall_terminate(smmu_t *s, uint32_t sid);
void smmu_stall_terminate_all(smmu_t *s);
/* The Event queue became writable: write the pending stall records, oldest first. */
void smmu_stall_flush_events(smmu_t *s);

/* regs.c */
void smmu_regs_reset(smmu_t *s);
void smmu_regs_compute_idr(smmu_t *s);
/* Raise a global error: toggles GERROR bit(s) (3.18, 6.3.17) and signals the GERROR irq/MSI. */
void smmu_gerror_raise(smmu_t *s, uint32_t bits);
bool smmu_smmuen(const smmu_t *s);
bool smmu_eventqen(const smmu_t *s);
bool smmu_cmdqen(const smmu_t *s);
/* Output size in bits for an IPS/PS encoding, capped to IDR5.OAS (3.4). */
unsigned smmu_ps_bits(const smmu_t *s, unsigned ps);
unsigned smmu_oas_bits(const smmu_t *s);
/* IDR value of a register, for internal feature checks */
uint32_t smmu_idr(const smmu_t *s, unsigned n);
/* Circular queues (3.5.1). PROD/CONS values are register values: index, wrap bit above it, and
   other bits (OVFLG, ERR) which these helpers keep. */
unsigned smmu_q_log2(const smmu_queue_t *q, unsigned max_log2); /* LOG2SIZE capped at IDR1 */
/* Address of entry idx: the base aligned to the larger of the queue size or 32 bytes (6.3.26). */
uint64_t smmu_q_entry(const smmu_queue_t *q, unsigned log2, unsigned entry_bytes, uint32_t ptr);
uint32_t smmu_q_inc(uint32_t ptr, unsigned log2); /* next entry, toggling the wrap bit */
bool smmu_q_empty(uint32_t prod, uint32_t cons, unsigned log2);
bool smmu_q_full(uint32_t prod, uint32_t cons, unsigned log2);

/* irq.c: interrupt sources (3.18). Wired outputs are edge-triggered: a notification is a pulse,
   host->irq(line, true) then host->irq(line, false). */
void smmu_irq_pulse(smmu_t *s, smmu_irq_t line);
/* A 32-bit MSI write of data to addr (truncated to OAS); returns non-zero on an abort. */
int smmu_msi_write(smmu_t *s, uint64_t addr, uint32_t data);
/* Notifies a register-configured source (SMMU_IRQ_GERROR, _EVENTQ, _PRIQ) when its
   IRQ_CTRL(ACK) enable is set: wired pulse, and the MSI of its *_IRQ_CFG0/1 when MSIs are
   implemented and the address is non-zero; an MSI abort activates the matching MSI_*_ABT_ERR. */
void smmu_irq_notify(smmu_t *s, smmu_irq_t line);

/* cache.c: a valid CFGI_* or TLBI_* command (dw: its two words) takes effect (4.3, 4.4). */
void smmu_cache_command(smmu_t *s, const uint64_t dw[2]);
/* Everything cached may be stale (SMMUEN or GBPA changed, reset): tells the host. */
void smmu_cache_changed(smmu_t *s);
/* Cache infrastructure (cache.c). */
void smmu_cache_params_init(smmu_params_t *p);
bool smmu_cache_params_ok(const smmu_params_t *p);
int smmu_caches_new(smmu_t *s); /* allocates everything; -1 on allocation failure */
void smmu_caches_free(smmu_t *s);
void *smmu_table_alloc(size_t size); /* zeroed, 128-byte aligned; free() it */
void smmu_caches_flush(smmu_t *s);   /* every entry of every cache */
void smmu_cache_clear_stats(smmu_t *s);
/* Counts a lookup (no side effect while s->dbg), also in the cost of the translation being
   made (s->cost); a hit refreshes the line for LRU. */
static inline void smmu_cache_hit(smmu_t *s, smmu_cache_t *c, void *line) {
    if (s->dbg) return;
    c->st.hits++; /* lookups = hits + misses, computed by smmu_cache_stats */
    s->cost->hits[c->id]++;
    s->cost->lookups[c->id]++;
    ((smmu_cline_t *)line)->stamp = ++s->lru_clock;
}
void smmu_cache_miss(smmu_t *s, smmu_cache_t *c);
/* The line to fill in the set of hash h (an invalid one, else the policy's victim), marked
   valid and counted; NULL when the cache is disabled or s->dbg. */
void *smmu_cache_alloc(smmu_t *s, smmu_cache_t *c, uint64_t h);
void smmu_cache_drop(smmu_cache_t *c, void *line); /* invalidates one line */
/* Per-stream statistics of a finished translation. */
void smmu_stream_count(smmu_t *s, uint32_t sid, const smmu_result_t *r);
/* Index in s->sstats of sid's counters (claiming a free slot), UINT32_MAX: the "other" ones. */
uint32_t smmu_stream_slot(smmu_t *s, uint32_t sid);

/* memo.c */
int smmu_memo_new(smmu_t *s); /* -1 on allocation failure */
void smmu_memo_free(smmu_t *s);
/* Every entry becomes invalid: state the entries do not track changed (SMMUEN, GBPA, stream
   statistics slots, wrap of the fill identities). */
void smmu_memo_flush(smmu_t *s);
/* translate.c: smmu_translate without the memo's probe (memo.c holds smmu_translate). */
void smmu_translate_full(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r);
/* Remembers the result r of t. lines: the line of each cache the translation consulted, which
   hit or was filled by it, so that the same translation would now hit in each (NULL: that cache
   was not consulted). */
void smmu_memo_record(smmu_t *s, const smmu_txn_t *t, const smmu_result_t *r,
                      const void *const lines[SMMU_MEMO_LINES]);
/* Folded statistics: the counters of memo hits added to what the full path counted. */
void smmu_memo_clear_stats(smmu_t *s);
void smmu_memo_fold_stats(const smmu_t *s, smmu_stats_t *st);
uint64_t smmu_memo_cache_hits(const smmu_t *s, unsigned which);
/* slot: index in s->sstats, UINT32_MAX for the "other" bucket. */
void smmu_memo_fold_stream(const smmu_t *s, uint32_t slot, smmu_stream_stats_t *st);

/* cfgcache.c: configuration caches (3.21.3) and CMD_CFGI_* (4.3). */
const smmu_stee_t *smmu_ste_cached(smmu_t *s, uint32_t sid); /* the line, NULL: miss */
const void *smmu_ste_fill(smmu_t *s, uint32_t sid, const smmu_stecfg_t *c); /* the line */
const smmu_cde_t *smmu_cd_cached(smmu_t *s, uint32_t sid, uint32_t ssid);
const void *smmu_cd_fill(smmu_t *s, uint32_t sid, uint32_t ssid, const smmu_s1cfg_t *c);
/* L1STD (cd false, key sid >> bits) or L1CD (cd true, key sid and ssid >> bits). */
bool smmu_l1_cached(smmu_t *s, bool cd, uint32_t sid, uint32_t ssid, unsigned bits, uint64_t *desc);
void smmu_l1_fill(smmu_t *s, bool cd, uint32_t sid, uint32_t ssid, unsigned bits, uint64_t desc);
/* Applies a CMD_CFGI_* to the configuration caches; *scope: what it covered. */
void smmu_cfgi(smmu_t *s, const uint64_t dw[2], smmu_inv_scope_t *scope);

/* tlb.c: TLB, walk cache and IPA cache (3.17, 3.21.1) and CMD_TLBI_* (4.4). */
typedef struct smmu_tlbkey {
    uint8_t regime;
    bool aset;
    uint16_t vmid, asid;
    uint64_t ia; /* canonical VA (smmu_va_canon) or IPA */
} smmu_tlbkey_t;
uint64_t smmu_va_canon(uint64_t va); /* VA[63:56] replaced by copies of VA[55] */
const smmu_tlbe_t *smmu_tlb_lookup(smmu_t *s, unsigned which, const smmu_tlbkey_t *k);
const void *smmu_tlb_fill(smmu_t *s, unsigned which, const smmu_tlbe_t *e); /* the line */
/* Deepest cached table descriptor for ia at a level in [start, 2]; false on a miss. */
bool smmu_walkc_lookup(smmu_t *s, const smmu_tlbkey_t *k, unsigned gran, unsigned start,
                       smmu_walke_t *out);
void smmu_walkc_fill(smmu_t *s, const smmu_tlbkey_t *k, const smmu_walke_t *e);
/* Applies a CMD_TLBI_* to the TLB, walk cache and IPA cache; false (nothing done) for another
   opcode. *scope: what it covered. */
bool smmu_tlbi(smmu_t *s, const uint64_t dw[2], smmu_inv_scope_t *scope);
/* The ASID test of a TLBI scope (3.17.1), shared by the TLB and smmu_inv_covers(). */
bool smmu_inv_asid_match(const smmu_inv_scope_t *v, bool global, uint16_t asid);

/* ats.c: a valid CMD_ATC_INV or CMD_PRI_RESP takes effect (4.5). */
void smmu_ats_command(smmu_t *s, const uint64_t dw[2]);
/* ats.c: smmu_translate() of an SMMU_ATS_REQUEST transaction: smmu_ats_translate() with the
   completion expressed as a result (SC with R/W -> OK, R == W == 0 -> RAZ/WI fault, UR/CA ->
   abort). */
void smmu_ats_request_txn(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r);
/* ats.c: an ATS Translated transaction while SMMUEN == 0 or from a Secure stream: aborted with
   F_TRANSL_FORBIDDEN (3.9.1.3; recorded for Non-secure streams only: no Secure Event queue). */
void smmu_ats_forbidden(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r);

/* cmdq.c: a register write that can let the Command queue progress (CMDQ_PROD, CR0.CMDQEN to
   1, acknowledgement of GERROR.CMDQ_ERR): consumes the queue unless params.defer_cmdq. */
void smmu_cmdq_prod_written(smmu_t *s);

/* evtq.c: appends a record when the Event queue is writable (7.2.1). A full queue discards the
   record and sets the overflow condition (EVENTQ_PROD.OVFLG, 7.4); a disabled queue or an active
   EVENTQ_ABT_ERR discards it silently. A record with e->stall set is never discarded: false is
   returned and the caller keeps it. Returns true if the record was written. */
bool smmu_evtq_record(smmu_t *s, const smmu_event_t *e);
/* Signals the Event queue interrupt (smmu_irq_notify(SMMU_IRQ_EVENTQ)); called when the queue
   goes from empty to non-empty (3.18.2). */
void smmu_evtq_update_irq(smmu_t *s);

/* strtab.c: STE fetch (3.3.2, 5.1, 6.3.25) and decode/validation (5.2). */
/* Returns 0 and fills ste[8] on success; otherwise fills f (C_BAD_STREAMID, F_STE_FETCH). */
int smmu_ste_fetch(smmu_t *s, uint32_t sid, uint64_t ste[8], smmu_fault_t *f, uint16_t *reads);
/* Returns 0 for a valid STE; otherwise f->type = C_BAD_STE. */
int smmu_ste_decode(const smmu_t *s, const uint64_t ste[8], smmu_stecfg_t *c, smmu_fault_t *f);

/* cd.c: CD fetch (3.3.2, 5.3) through stage 2 when nested, and decode/validation (5.4). */
int smmu_cd_fetch(smmu_t *s, const smmu_stecfg_t *c, uint32_t ssid, uint64_t cd[8], smmu_fault_t *f,
                  uint16_t *reads);
/* The same, for a stream of known StreamID sid: L1CDs come from and go to the configuration
   cache, where they are kept per StreamID (4.3.3); sid UINT64_MAX: not used (smmu_cd_fetch). */
int smmu_cd_fetch_sid(smmu_t *s, const smmu_stecfg_t *c, uint64_t sid, uint32_t ssid,
                      uint64_t cd[8], smmu_fault_t *f, uint16_t *reads);
int smmu_cd_decode(const smmu_t *s, const smmu_stecfg_t *c, const uint64_t cd[8], smmu_s1cfg_t *s1,
                   smmu_fault_t *f);

/* walk.c: VMSAv8-64 walks (Arm ARM D8). Return 0 and fill out, or fill f and return -1.
   Stage 2: cls says why the IPA is translated (CD fetch, stage-1 table walk, input). */
int smmu_walk_s2(smmu_t *s, const smmu_s2cfg_t *c, uint64_t ipa, const smmu_access_t *acc,
                 uint8_t cls, smmu_walk_out_t *out, smmu_fault_t *f, uint16_t *reads);
/* Stage 1; s2 non-NULL for nested (every table address is an IPA translated through it). */
int smmu_walk_s1(smmu_t *s, const smmu_s1cfg_t *c, const smmu_s2cfg_t *s2, uint64_t va,
                 const smmu_access_t *acc, smmu_walk_out_t *out, smmu_fault_t *f, uint16_t *reads);
/* The same with the table half already selected (smmu_s1_select(c, va), -1: a fault). */
int smmu_walk_s1_half(smmu_t *s, const smmu_s1cfg_t *c, int half, const smmu_s2cfg_t *s2,
                      uint64_t va, const smmu_access_t *acc, smmu_walk_out_t *out, smmu_fault_t *f,
                      uint16_t *reads);
/* Stage-1 table selection and input-range check for va (TBI, TxSZ, EPDx): returns the half
   (0/1) or -1 when va is outside both (F_TRANSLATION). */
int smmu_s1_select(const smmu_s1cfg_t *c, uint64_t va);
/* Start level and concatenation of a stage-2 table from T0SZ/SL0/TG; -1 if inconsistent. */
int smmu_s2_start_level(unsigned gran, unsigned tsz, unsigned sl0, unsigned ps_bits, uint8_t *start,
                        uint8_t *concat);
/* Start level of a stage-1 table from TxSZ and granule (D8.2). */
unsigned smmu_s1_start_level(unsigned gran, unsigned tsz);

#endif
