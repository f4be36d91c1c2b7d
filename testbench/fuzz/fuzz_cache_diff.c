/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Differential cache fuzzing (issue 21). The input is a program of table writes (STEs, CDs,
 * stage-1 and stage-2 descriptors at every level), commands (every CMD_CFGI_*, the Non-secure
 * CMD_TLBI_* with ranges, level hints, ASID / VMID scopes and Leaf 0/1, CMD_ATC_INV,
 * CMD_PREFETCH_*, CMD_SYNC) and translations. It runs on two cores side by side, each with its
 * own copy of memory, every table write going to both: A with every cache on, geometries from
 * the input (a few entries, few ways, LRU / round-robin / random replacement, memo on or off),
 * and B with every cache off and no memo, which walks the tables for every translation.
 *
 * The rule (IHI 0070 4.3, 4.4, 16.2, 3.17): once every invalidation the architecture requires
 * for each change made to the structures has been issued and completed by a CMD_SYNC, both
 * must answer every translation identically: status, output address, span, permissions,
 * attributes, fault and the event records written to the Event queue. Until then the caches
 * may legitimately hold stale entries, so the answers may differ, and only crashes, hangs and
 * sanitizer reports count. A mismatch aborts with both results printed.
 *
 * The shadow that decides "must agree" is conservative: a change stays pending unless an
 * invalidation that certainly covers it was issued and a later CMD_SYNC completed; a
 * translation is compared only when nothing at all is pending. Uncertain cases (an
 * invalidation the spec lets be UNPREDICTABLE, a TTL hint for another level, a range of another
 * granule, Leaf == 1 for a table descriptor, a command error) never clear anything.
 *
 * The structures are the fuzzer's own fixed trees, so it knows what each descriptor serves:
 *  - 4 StreamIDs, linear Stream table. An STE is abort, bypass, stage 1 (VMID 3), stage 2 or
 *    nested (VMID 1 or 2); CD table 0 or 1 of two CDs (S1CDMax 1, S1DSS SSID0).
 *  - a CD has ASID 1 or 2 and always uses the stage-1 tree of its ASID, a stage-2 stream always
 *    the stage-2 tree of its VMID: translations are a function of their (VMID, ASID) tags, as
 *    3.17 requires of software, so an entry cached through one stream is right for every other
 *    stream with the same tags.
 *  - stage 1: 4KB granule, 39-bit VA, levels 1-3. VA [0, 1GB) is private to each tree (leaves
 *    non-global); VA [1GB, 2GB) is one subtree shared by both trees (leaves global or not), so a
 *    global entry is the same in every address space (3.17.1).
 *  - stage 2: 4KB, 39-bit IPA, levels 1-3. IPA [0, 1GB) is a fixed identity block (where the
 *    tables and CDs live, for nested walks); IPA [1GB, 2GB) is written by the program; stage-1
 *    leaves output IPAs in it.
 * Encodings are written here from the spec (5.2 STE, 5.4 CD, 4.3 / 4.4 commands, Arm ARM D8.3
 * descriptors) with the field positions of <smmu/arch.h>. */
#include <smmu/arch.h>
#include <smmu/mem.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_reuse.h"

/* ------------------------------------------------------------------ memory layout */
#define GB        (1ull << 30)
#define STRTAB    0x100000ull                     /* 4 STEs */
#define CDT(t)    (0x101000ull + 0x1000ull * (t)) /* CD table t: 2 CDs */
#define CMDQ      0x110000ull
#define CMDQ_LOG2 8u
#define EVTQ      0x120000ull
#define EVTQ_LOG2 6u
/* stage-1 tree of ASID a (1, 2): level-1 table, private level-2 table, private level-3 tables */
#define S1L1(a)      (0x200000ull + 0x10000ull * (a))
#define S1L2P(a)     (S1L1(a) + 0x1000)
#define S1L3P(a, i2) (S1L1(a) + 0x2000 + 0x1000ull * (i2))
/* the shared subtree (VA [1GB, 2GB) of every stage-1 tree) */
#define S1L2S     0x300000ull
#define S1L3S(i2) (0x301000ull + 0x1000ull * (i2))
/* stage-2 tree of VMID v (1, 2) */
#define S2L1(v)     (0x400000ull + 0x10000ull * (v))
#define S2L2(v)     (S2L1(v) + 0x1000)
#define S2L3(v, i2) (S2L1(v) + 0x2000 + 0x1000ull * (i2))

enum { NSID = 4, NI2 = 4, NI3 = 8, MAXCHG = 48, MAXOPS = 200 };

/* ------------------------------------------------------------------ the two instances */
typedef struct side {
    smmu_t *s;
    smmu_mem_t *m;
    uint32_t evcons; /* EVENTQ_CONS written last */
    uint64_t dig;    /* what this side did (fuzz_reuse.h): memory writes, results */
} side_t;

static int h_rd(void *ctx, uint64_t pa, void *buf, size_t len, bool secure) {
    (void)secure;
    return smmu_mem_read(((side_t *)ctx)->m, pa, buf, len);
}
static int h_wr(void *ctx, uint64_t pa, const void *buf, size_t len, bool secure) {
    (void)secure;
    fz_mix64(&((side_t *)ctx)->dig, pa);
    fz_mix(&((side_t *)ctx)->dig, buf, len);
    return smmu_mem_write(((side_t *)ctx)->m, pa, buf, len);
}

/* Instance A is kept per geometry (a small pool), B once: smmu_reset() makes a reused instance
   behave exactly like a new one (Repl.ResetRestartsReplacementLikeNew). */
enum { POOL = 16, KEYLEN = 3 * SMMU_CACHE_COUNT + 1 };
typedef struct slot {
    uint8_t key[KEYLEN];
    bool used;
    side_t side;
} slot_t;
static slot_t pool[POOL];
static side_t side_b;
static bool have_b;

static smmu_t *make(side_t *sd, const smmu_params_t *p) {
    smmu_host_t h = {.ctx = sd, .mem_read = h_rd, .mem_write = h_wr};
    return smmu_new(p, &h);
}

static void base_params(smmu_params_t *p) {
    smmu_params_init(p);
    p->stall_model = SMMU_STALL_MODEL_TERMINATE;
    p->sidsize = 8;
}

/* fresh (FUZZ_CHECK_RESET=1, the second run of an input): new instances in these sides */
static side_t fresh_side[2];

static side_t *get_a(const uint8_t key[KEYLEN], bool fresh) {
    unsigned h = 0;
    for (unsigned i = 0; i < KEYLEN; i++)
        h = h * 31 + key[i];
    slot_t *sl = &pool[h % POOL];
    if (!fresh && sl->used && !memcmp(sl->key, key, KEYLEN)) {
        smmu_reset(sl->side.s);
        return &sl->side;
    }
    if (fresh) sl = &(slot_t){.used = false};
    if (sl->used) smmu_free(sl->side.s);
    sl->used = false;
    smmu_params_t p;
    base_params(&p);
    static const uint8_t ways[4] = {1, 2, 4, 1};
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
        const uint8_t w = ways[key[3 * c] & 3], sets = (uint8_t)(1u << ((key[3 * c] >> 2) & 3));
        p.cache[c] = (smmu_cache_geom_t){.entries = (uint32_t)w * sets,
                                         .ways = w,
                                         .repl = (uint8_t)(key[3 * c + 1] % 3),
                                         .enable = !(key[3 * c + 2] & 1)};
    }
    p.memo_off = key[KEYLEN - 1] & 1;
    p.cache_seed = 1 + key[KEYLEN - 1];
    side_t *sd = fresh ? &fresh_side[0] : &sl->side;
    sd->s = make(sd, &p);
    if (!sd->s) abort(); /* the geometries are all valid */
    if (fresh) return sd;
    memcpy(sl->key, key, KEYLEN);
    sl->used = true;
    return sd;
}

static side_t *get_b(bool fresh) {
    if (have_b && !fresh) {
        smmu_reset(side_b.s);
        return &side_b;
    }
    smmu_params_t p;
    base_params(&p);
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++)
        p.cache[c] = (smmu_cache_geom_t){.entries = 0, .ways = 1, .enable = false};
    p.memo_off = true;
    side_t *sd = fresh ? &fresh_side[1] : &side_b;
    sd->s = make(sd, &p);
    if (!sd->s) abort();
    if (!fresh) have_b = true;
    return sd;
}

/* ------------------------------------------------------------------ the program's state */
typedef struct world {
    side_t *sd[2]; /* A (caches on), B (caches off) */
    /* STE s: config (SMMU_STE_CONFIG_*), VMID, CD table; CD (t, i): V, ASID */
    uint8_t ste_cfg[NSID], ste_vmid[NSID], ste_cdt[NSID];
    bool ste_v[NSID];
    uint8_t cd_asid[2][2];
    bool cd_v[2][2];
    uint32_t cmd_prod;
    bool poisoned; /* a command failed or the shadow is full: nothing is compared any more */
    unsigned nchg;
    struct chg {
        uint8_t kind;        /* C_* */
        uint8_t level;       /* C_CD: the CD number (SubstreamID) */
        bool tbl;            /* the old or the new descriptor is a table descriptor */
        bool glob;           /* entries cached through it may be global */
        uint8_t vmid;        /* C_S2: the stage-2 tree's VMID; C_STE: the StreamID */
        uint8_t ocfg, ovmid; /* C_STE: the old Config and VMID (A may still use them) */
        bool ov;
        uint64_t lo, hi;
        uint32_t need;   /* invalidations still required (bits, by kind) */
        uint32_t staged; /* issued since the last CMD_SYNC: effective when it completes */
    } chg[MAXCHG];
    /* Contexts that may have entries cached in A (only grows): VMID index bits of stage-1
       contexts (stage 1 or nested), of stage-2 ones (stage 2 or nested), of nested ones. */
    uint8_t used_s1, used_s2, used_nest;
    /* the input range of the last descriptor written: translations and TLBI ranges may refer
       to it (starting or ending there), where off-by-one errors of the scopes show */
    uint64_t last_lo, last_hi;
    unsigned compared, skipped; /* statistics */
} world_t;

enum { C_S1, C_S2, C_STE, C_CD };
/* C_S1 and the TLB part of C_CD: bit vi * 2 + ai for the contexts (VMID index vi: VMID 1, 2,
   3; ASID index ai: ASID 1, 2) whose entries may hold the changed data. */
#define PAIR(vi, ai) (1u << ((vi)*2 + (ai)))
/* C_S2: stage-2 (and IPA cache) entries; combined stage-1+2 entries of nested streams. */
#define S2_ENT  1u
#define S2_COMB 2u
/* C_STE: the STE (bit 0), the TLB entries of VMID index vi (bit 1 + vi). C_CD: the CD as
   cached through StreamID s (bit 8 + s), TLB pairs in bits 0-5. */
#define CFG_SID(s) (1u << (8 + (s)))

static uint8_t vmid_index(uint8_t vmid) {
    return (uint8_t)(vmid - 1);
}

static void mark_cfg(world_t *w, uint8_t cfg, bool v, uint8_t vmid) {
    if (!v) return;
    const uint8_t bit = (uint8_t)(1u << vmid_index(vmid));
    if (cfg == SMMU_STE_CONFIG_S1) w->used_s1 |= bit;
    if (cfg == SMMU_STE_CONFIG_S2) w->used_s2 |= bit;
    if (cfg == SMMU_STE_CONFIG_NESTED) {
        w->used_s1 |= bit;
        w->used_s2 |= bit;
        w->used_nest |= bit;
    }
}

/* A translation or prefetch of StreamID sid may cache entries in the contexts of its STE as
   A sees it: the current one, or an older one whose invalidation has not completed. */
static void mark_used(world_t *w, unsigned sid) {
    mark_cfg(w, w->ste_cfg[sid], w->ste_v[sid], w->ste_vmid[sid]);
    for (unsigned i = 0; i < w->nchg; i++) {
        const struct chg *c = &w->chg[i];
        if (c->kind == C_STE && c->vmid == sid && (c->need & 1u))
            mark_cfg(w, c->ocfg, c->ov, c->ovmid);
    }
}

/* ------------------------------------------------------------------ memory writes (both) */
static void put64(world_t *w, uint64_t pa, uint64_t v) {
    for (int k = 0; k < 2; k++)
        smmu_mem_write64(w->sd[k]->m, pa, v);
}
static uint64_t get64(world_t *w, uint64_t pa) {
    return smmu_mem_read64(w->sd[1]->m, pa);
}

static void add_chg(world_t *w, const struct chg *c) {
    if (c->kind == C_S1 || c->kind == C_S2) {
        w->last_lo = c->lo;
        w->last_hi = c->hi;
    }
    if (!c->need) return;
    if (w->nchg == MAXCHG) {
        w->poisoned = true; /* could not track it: never compare again */
        return;
    }
    w->chg[w->nchg++] = *c;
}

/* ------------------------------------------------------------------ STE and CD (5.2, 5.4) */
static void write_ste(world_t *w, unsigned s) {
    uint64_t d[8] = {0};
    const uint8_t v = w->ste_vmid[s];
    SMMU_FSET(d, SMMU_F_STE_V, w->ste_v[s]);
    SMMU_FSET(d, SMMU_F_STE_CONFIG, w->ste_cfg[s]);
    SMMU_FSET(d, SMMU_F_STE_S1FMT, SMMU_STE_S1FMT_LINEAR);
    SMMU_FSET_ADDR(d, SMMU_F_STE_S1CONTEXTPTR, CDT(w->ste_cdt[s]));
    SMMU_FSET(d, SMMU_F_STE_S1CDMAX, 1); /* 2 CDs */
    SMMU_FSET(d, SMMU_F_STE_S1DSS, SMMU_STE_S1DSS_SSID0);
    SMMU_FSET(d, SMMU_F_STE_STRW, SMMU_STE_STRW_EL1);
    SMMU_FSET(d, SMMU_F_STE_S2VMID, v);
    SMMU_FSET(d, SMMU_F_STE_S2T0SZ, 25); /* 39-bit IPA */
    SMMU_FSET(d, SMMU_F_STE_S2SL0, 1);   /* 4KB: start at level 1 */
    SMMU_FSET(d, SMMU_F_STE_S2IR0, 1);
    SMMU_FSET(d, SMMU_F_STE_S2OR0, 1);
    SMMU_FSET(d, SMMU_F_STE_S2SH0, 3);
    SMMU_FSET(d, SMMU_F_STE_S2TG, 0); /* 4KB */
    SMMU_FSET(d, SMMU_F_STE_S2PS, 5); /* 48 bits */
    SMMU_FSET(d, SMMU_F_STE_S2AA64, 1);
    SMMU_FSET(d, SMMU_F_STE_S2R, 1);
    SMMU_FSET_ADDR(d, SMMU_F_STE_S2TTB, S2L1(v == 3 ? 1 : v));
    for (unsigned k = 0; k < 8; k++)
        put64(w, STRTAB + 64 * s + 8 * k, d[k]);
}

static void write_cd(world_t *w, unsigned t, unsigned i) {
    uint64_t d[8] = {0};
    const uint8_t a = w->cd_asid[t][i];
    SMMU_FSET(d, SMMU_F_CD_T0SZ, 25);
    SMMU_FSET(d, SMMU_F_CD_TG0, SMMU_CD_TG0_4K);
    SMMU_FSET(d, SMMU_F_CD_IR0, 1);
    SMMU_FSET(d, SMMU_F_CD_OR0, 1);
    SMMU_FSET(d, SMMU_F_CD_SH0, 3);
    SMMU_FSET(d, SMMU_F_CD_EPD1, 1);
    SMMU_FSET(d, SMMU_F_CD_V, w->cd_v[t][i]);
    SMMU_FSET(d, SMMU_F_CD_IPS, 5);
    SMMU_FSET(d, SMMU_F_CD_AA64, 1);
    SMMU_FSET(d, SMMU_F_CD_R, 1);
    SMMU_FSET(d, SMMU_F_CD_A, 1);
    SMMU_FSET(d, SMMU_F_CD_ASID, a);
    SMMU_FSET_ADDR(d, SMMU_F_CD_TTB0, S1L1(a));
    SMMU_FSET(d, SMMU_F_CD_MAIR, 0x0044FF04BB00FFEEull);
    for (unsigned k = 0; k < 8; k++)
        put64(w, CDT(t) + 64 * i + 8 * k, d[k]);
}

/* The TLB contexts a stream's configuration tags entries with: VMID index bit, 0 when the
   stream translates nothing (abort, bypass, invalid). */
static uint32_t ste_ctx(uint8_t cfg, bool v, uint8_t vmid) {
    if (!v || !(cfg & SMMU_STE_CONFIG_PASS_BIT) || cfg == SMMU_STE_CONFIG_BYPASS) return 0;
    return 2u << vmid_index(vmid);
}

/* An STE change (5.2, 16.2.2 "A change to an STE field requires an STE invalidation"): the
   STE (CMD_CFGI_STE / _STE_RANGE / _ALL for its StreamID) and, conservatively, every TLB entry
   of the VMIDs it tagged entries with before and after (CMD_TLBI_S12_VMALL, _NSNH_ALL; for a
   stage-1-only VMID also CMD_TLBI_NH_ALL). */
static void op_ste(world_t *w, fz_t *f) {
    const uint8_t b = fz_u8(f), c = fz_u8(f);
    const unsigned s = b & 3;
    static const uint8_t cfgs[8] = {
        SMMU_STE_CONFIG_S1,    SMMU_STE_CONFIG_S2, SMMU_STE_CONFIG_NESTED, SMMU_STE_CONFIG_BYPASS,
        SMMU_STE_CONFIG_ABORT, SMMU_STE_CONFIG_S1, SMMU_STE_CONFIG_NESTED, SMMU_STE_CONFIG_S2};
    const uint8_t ocfg = w->ste_cfg[s], ovm = w->ste_vmid[s];
    const bool ov = w->ste_v[s];
    w->ste_cfg[s] = cfgs[(b >> 2) & 7];
    w->ste_v[s] = !(c & 0x80);
    w->ste_cdt[s] = c & 1;
    w->ste_vmid[s] = w->ste_cfg[s] == SMMU_STE_CONFIG_S1 ? 3 : (uint8_t)(1 + ((c >> 1) & 1));
    write_ste(w, s);
    const uint32_t used = (uint32_t)(w->used_s1 | w->used_s2) << 1;
    struct chg ch = {.kind = C_STE,
                     .vmid = (uint8_t)s,
                     .ocfg = ocfg,
                     .ovmid = ovm,
                     .ov = ov,
                     .need = 1u | (used & (ste_ctx(ocfg, ov, ovm) |
                                           ste_ctx(w->ste_cfg[s], w->ste_v[s], w->ste_vmid[s])))};
    add_chg(w, &ch);
}

/* A CD change (5.4, 4.3.3, 16.2.2): the CD as cached through every StreamID (an STE may have
   pointed at its table: CMD_CFGI_CD (SSID), _CD_ALL, _STE, _STE_RANGE, _ALL) and the TLB
   entries of its old and new ASID in every VMID (CD.ASID tags them; CD.MAIR and the other
   fields modify what the TLB holds): CMD_TLBI_NH_ALL, _S12_VMALL, _NSNH_ALL. */
static void op_cd(world_t *w, fz_t *f) {
    const uint8_t b = fz_u8(f);
    const unsigned t = b & 1, i = (b >> 1) & 1;
    const uint8_t oa = w->cd_asid[t][i];
    w->cd_asid[t][i] = (uint8_t)(1 + ((b >> 2) & 1));
    w->cd_v[t][i] = !(b & 0x80);
    write_cd(w, t, i);
    uint32_t need = CFG_SID(0) | CFG_SID(1) | CFG_SID(2) | CFG_SID(3);
    for (unsigned vi = 0; vi < 3; vi++)
        if (w->used_s1 & (1u << vi)) need |= PAIR(vi, oa - 1) | PAIR(vi, w->cd_asid[t][i] - 1);
    struct chg ch = {.kind = C_CD, .level = (uint8_t)i, .need = need}; /* level: CD number */
    add_chg(w, &ch);
}

/* ------------------------------------------------------------------ descriptors (D8.3) */
static bool is_table(uint64_t d, unsigned level) {
    return level < 3 && (d & 3) == 3;
}

/* Stage-1 leaf (Block at level 1 / 2, Page at 3) with attributes from the input. */
static uint64_t s1_leaf(unsigned level, uint64_t oa, uint8_t at, bool global_ok) {
    uint64_t d = oa | (level == 3 ? 3u : 1u);
    d |= (uint64_t)(at & 7) << 2;                      /* AttrIndx */
    d |= (uint64_t)((at >> 3) & 3) << 6;               /* AP[2:1] */
    d |= 3ull << 8;                                    /* SH inner */
    d |= (uint64_t) !((at & 0xE0) == 0xE0) << 10;      /* AF (mostly 1) */
    d |= (uint64_t)(!global_ok || !(at & 0x20)) << 11; /* nG */
    d |= (uint64_t)((at >> 6) & 1) << 54;              /* UXN */
    return d;
}

static uint64_t s2_leaf(unsigned level, uint64_t oa, uint8_t at) {
    uint64_t d = oa | (level == 3 ? 3u : 1u);
    d |= (uint64_t)(0xF - (at & 3) * 5) << 2;     /* MemAttr: 0xF, 0xA, 0x5, 0x0 */
    d |= (uint64_t)(3 - ((at >> 2) & 3)) << 6;    /* S2AP (mostly RW) */
    d |= 3ull << 8;                               /* SH */
    d |= (uint64_t) !((at & 0x30) == 0x30) << 10; /* AF */
    d |= (uint64_t)((at >> 6) & 3) << 53;         /* XN[1:0] */
    return d;
}

static const uint64_t span_of[4] = {0, GB, 2ull << 20, 4096};

/* A stage-1 descriptor write: tree of ASID a (private, VA [0, 1GB)) or the shared subtree (VA
   [1GB, 2GB), which every tree's level-1 entry 1 points to); level 1, 2 or 3. */
static void op_s1(world_t *w, fz_t *f, bool shared) {
    const uint8_t b = fz_u8(f), k = fz_u8(f), at = fz_u8(f);
    const unsigned a = 1 + (b & 1), level = 1 + (b >> 1) % 3, i2 = (b >> 3) & 3, i3 = (b >> 5) & 7;
    const uint64_t va = (shared ? GB : 0) + ((uint64_t)i2 << 21) + ((uint64_t)i3 << 12);
    uint64_t slot, next = 0;
    if (level == 1) {
        slot = S1L1(a) + 8 * (shared ? 1 : 0);
        next = shared ? S1L2S : S1L2P(a);
    } else if (level == 2) {
        slot = (shared ? S1L2S : S1L2P(a)) + 8 * i2;
        next = shared ? S1L3S(i2) : S1L3P(a, i2);
    } else {
        slot = (shared ? S1L3S(i2) : S1L3P(a, i2)) + 8 * i3;
    }
    /* new value: invalid, table (levels 1, 2), or a leaf to IPA [1GB, 2GB) */
    const uint64_t oa = GB + (((uint64_t)(k >> 2) & 3) << 21) + (((uint64_t)(k >> 4) & 7) << 12);
    uint64_t d;
    switch (k & 3) {
    case 0:
        d = 0;
        break;
    case 1:
        if (level < 3) {
            d = next | 3;
            break;
        }
        /* fallthrough */
    default:
        d = s1_leaf(level, oa & ~(span_of[level] - 1), at, shared);
        break;
    }
    const uint64_t lo = va & ~(span_of[level] - 1);
    const unsigned ntrees = shared && level == 1 ? 2 : 1;
    for (unsigned tr = 0; tr < ntrees; tr++) {
        const uint64_t sl = ntrees == 2 ? S1L1(1 + tr) + 8 : slot;
        const uint64_t old = get64(w, sl);
        if (old == d) continue;
        put64(w, sl, d);
        const bool tbl = is_table(old, level) || is_table(d, level);
        struct chg ch = {.kind = C_S1,
                         .level = (uint8_t)level,
                         .tbl = tbl,
                         /* private leaves are non-global; below a shared table any may be */
                         .glob = shared && (tbl || ((old & 1) && !((old >> 11) & 1))),
                         .lo = lo,
                         .hi = lo + span_of[level] - 1};
        for (unsigned vi = 0; vi < 3; vi++) /* the contexts that may hold entries of it */
            if (w->used_s1 & (1u << vi))
                ch.need |= shared ? PAIR(vi, 0) | PAIR(vi, 1) : PAIR(vi, a - 1);
        add_chg(w, &ch);
    }
}

/* A stage-2 descriptor write in the tree of VMID v: level-1 entry 1 (IPA [1GB, 2GB)), a
   level-2 or a level-3 entry below it. Level-1 entry 0 (identity block over the tables) is
   never written. */
static void op_s2(world_t *w, fz_t *f) {
    const uint8_t b = fz_u8(f), k = fz_u8(f), at = fz_u8(f);
    const unsigned v = 1 + (b & 1), level = 1 + (b >> 1) % 3, i2 = (b >> 3) & 3, i3 = (b >> 5) & 7;
    const uint64_t ipa = GB + ((uint64_t)i2 << 21) + ((uint64_t)i3 << 12);
    uint64_t slot, next = 0;
    if (level == 1) {
        slot = S2L1(v) + 8;
        next = S2L2(v);
    } else if (level == 2) {
        slot = S2L2(v) + 8 * i2;
        next = S2L3(v, i2);
    } else {
        slot = S2L3(v, i2) + 8 * i3;
    }
    const uint64_t oa = ((uint64_t)(1 + ((k >> 2) & 3)) << 32) + (((uint64_t)(k >> 4) & 7) << 21) +
                        ((uint64_t)(at >> 5 & 7) << 12);
    uint64_t d;
    switch (k & 3) {
    case 0:
        d = 0;
        break;
    case 1:
        if (level < 3) {
            d = next | 3;
            break;
        }
        /* fallthrough */
    default:
        d = s2_leaf(level, oa & ~(span_of[level] - 1), at);
        break;
    }
    const uint64_t old = get64(w, slot);
    if (old == d) return;
    put64(w, slot, d);
    const uint64_t lo = ipa & ~(span_of[level] - 1);
    struct chg ch = {.kind = C_S2,
                     .level = (uint8_t)level,
                     .tbl = is_table(old, level) || is_table(d, level),
                     .vmid = (uint8_t)v,
                     .lo = lo,
                     .hi = lo + span_of[level] - 1,
                     .need = ((w->used_s2 >> (v - 1)) & 1 ? S2_ENT : 0u) |
                             ((w->used_nest >> (v - 1)) & 1 ? S2_COMB : 0u)};
    add_chg(w, &ch);
}

/* ------------------------------------------------------------------ commands */
typedef struct cmdv { /* a command as the shadow understands it */
    uint8_t op;
    uint32_t sid;
    uint8_t range, ssid, vmid, asid, tg, ttl, num, scale;
    bool leaf;
    uint64_t addr;
} cmdv_t;

/* Whether a by-address TLBI certainly covers every entry cached from a descriptor of span
   [lo, hi] at level (4.4.1.1, 4.4.2.3, 4.4.2.4, 4.4.3.1). tbl: the change involves a Table
   descriptor, so walk-cache entries and the leaves below it may be cached. */
static bool addr_covers(const cmdv_t *c, uint64_t lo, uint64_t hi, unsigned level, bool tbl) {
    /* Leaf == 1: "only cached entries for the last level of translation table walk are required
       to be invalidated": walk-cache entries of a table descriptor stay */
    if (c->leaf && tbl) return false;
    if (c->tg == SMMU_CMD_TLBI_TG_NONE) /* one address: the entries that contain it (4.4) */
        return !tbl && c->addr >= lo && c->addr <= hi;
    /* TG: only entries inserted with that granule are required; every tree here uses 4KB */
    if (c->tg != SMMU_CMD_TLBI_TG_4K) return false;
    if (c->ttl) {
        /* TTL: only leaves of that level (and with Leaf == 0 tables above it) are required */
        if (tbl || c->ttl != level) return false;
        /* misaligned base for the level: the invalidated range is UNPREDICTABLE */
        if (c->ttl == 1 && (c->addr & 0x3FFFF000ull)) return false;
        if (c->ttl == 2 && (c->addr & 0x1FF000ull)) return false;
    }
    /* Range = (NUM + 1) * 2^SCALE granules, Address <= A < Address + Range; no wrap */
    const uint64_t bytes = ((uint64_t)c->num + 1) << (c->scale + 12);
    const uint64_t end = c->addr + bytes;
    if (end < c->addr) return false;
    return c->addr <= lo && hi < end;
}

/* Bits of change ch that command c (issued, not yet completed) certainly covers. */
static uint32_t covers(const cmdv_t *c, const struct chg *ch) {
    uint32_t got = 0;
    switch (ch->kind) {
    case C_STE:
        if ((c->op == SMMU_CMD_CFGI_STE && c->sid == ch->vmid) ||
            (c->op == SMMU_CMD_CFGI_STE_RANGE &&
             (c->range >= 31 || (ch->vmid >> (c->range + 1)) == (c->sid >> (c->range + 1)))))
            got |= 1u; /* 4.3.1, 4.3.2 (CFGI_ALL is Range 31) */
        for (unsigned vi = 0; vi < 3; vi++) {
            const uint8_t vm = (uint8_t)(vi + 1);
            if (c->op == SMMU_CMD_TLBI_NSNH_ALL ||
                (c->op == SMMU_CMD_TLBI_S12_VMALL && c->vmid == vm) ||
                (c->op == SMMU_CMD_TLBI_NH_ALL && c->vmid == vm && vm == 3))
                got |= 2u << vi;
        }
        break;
    case C_CD:
        for (unsigned s = 0; s < NSID; s++) {
            bool cov = false;
            /* 4.3.3 CFGI_CD (SID, SSID; Leaf only limits L1CD), 4.3.4 CFGI_CD_ALL, and an STE
               invalidation also invalidates the CDs cached through it (16.2.2, 4.3.1) */
            if (c->op == SMMU_CMD_CFGI_CD) cov = c->sid == s && c->ssid == ch->level;
            if (c->op == SMMU_CMD_CFGI_CD_ALL || c->op == SMMU_CMD_CFGI_STE) cov = c->sid == s;
            if (c->op == SMMU_CMD_CFGI_STE_RANGE)
                cov = c->range >= 31 || (s >> (c->range + 1)) == (c->sid >> (c->range + 1));
            if (cov) got |= CFG_SID(s);
        }
        break;
    default:
        break;
    }
    if (ch->kind == C_S1 || ch->kind == C_CD) {
        for (unsigned vi = 0; vi < 3; vi++)
            for (unsigned ai = 0; ai < 2; ai++) {
                const uint8_t vm = (uint8_t)(vi + 1), as = (uint8_t)(ai + 1);
                bool cov = c->op == SMMU_CMD_TLBI_NSNH_ALL ||                     /* 4.4.4.1 */
                           (c->op == SMMU_CMD_TLBI_S12_VMALL && c->vmid == vm) || /* 4.4.3.2 */
                           (c->op == SMMU_CMD_TLBI_NH_ALL && c->vmid == vm);      /* 4.4.2.1 */
                if (ch->kind == C_S1 && c->vmid == vm) {
                    /* 4.4.2.2: non-global entries of the ASID (a table change may have global
                       leaves below, and its walk-cache entries: not relied on) */
                    if (c->op == SMMU_CMD_TLBI_NH_ASID && c->asid == as && !ch->glob && !ch->tbl)
                        cov = true;
                    /* 4.4.2.3 every ASID; 4.4.2.4 the ASID's entries and global ones */
                    if ((c->op == SMMU_CMD_TLBI_NH_VAA ||
                         (c->op == SMMU_CMD_TLBI_NH_VA && c->asid == as)) &&
                        addr_covers(c, ch->lo, ch->hi, ch->level, ch->tbl))
                        cov = true;
                }
                if (cov) got |= PAIR(vi, ai);
            }
    }
    if (ch->kind == C_S2) {
        if (c->op == SMMU_CMD_TLBI_NSNH_ALL ||
            (c->op == SMMU_CMD_TLBI_S12_VMALL && c->vmid == ch->vmid))
            got |= S2_ENT | S2_COMB;
        /* 4.4.3.1: stage-2 entries by IPA; combined stage 1+2 entries are not required to go */
        if (c->op == SMMU_CMD_TLBI_S2_IPA && c->vmid == ch->vmid &&
            addr_covers(c, ch->lo, ch->hi, ch->level, ch->tbl))
            got |= S2_ENT;
        /* ...they need a stage-1 invalidation after the stage-2 one completed (4.4.3.1, 16.2.1;
           Arm ARM: TLBI IPAS2E1, DSB, TLBI VMALLE1): NH_ALL of the VMID once S2_ENT is done.
           NH_VA / NH_VAA would need the VAs that map the IPA: not relied on. */
        if (c->op == SMMU_CMD_TLBI_NH_ALL && c->vmid == ch->vmid && !(ch->need & S2_ENT))
            got |= S2_COMB;
    }
    return got & ch->need;
}

static uint32_t rd32(side_t *sd, uint64_t off) {
    return (uint32_t)smmu_reg_read(sd->s, off, 4);
}

/* Writes the command to both queues and lets both cores consume it; a command error stops
   the comparisons (the queue stays stopped: later commands do nothing). */
static void submit(world_t *w, const uint64_t dw[2]) {
    if (w->poisoned) return;
    const uint32_t mask = (1u << CMDQ_LOG2) - 1;
    const uint64_t at = CMDQ + 16ull * (w->cmd_prod & mask);
    put64(w, at, dw[0]);
    put64(w, at + 8, dw[1]);
    w->cmd_prod = (w->cmd_prod + 1) & ((2u << CMDQ_LOG2) - 1); /* index and wrap bit */
    for (int k = 0; k < 2; k++)
        smmu_reg_write(w->sd[k]->s, SMMU_CMDQ_PROD, w->cmd_prod, 4);
    for (int k = 0; k < 2; k++) {
        const uint32_t ge = rd32(w->sd[k], SMMU_GERROR) ^ rd32(w->sd[k], SMMU_GERRORN);
        if ((ge & SMMU_GERROR_CMDQ_ERR) || rd32(w->sd[k], SMMU_CMDQ_CONS) != w->cmd_prod)
            w->poisoned = true;
    }
}

static void issue(world_t *w, const cmdv_t *c) {
    uint64_t dw[2] = {0, 0};
    SMMU_FSET(dw, SMMU_F_CMD_OPCODE, c->op);
    switch (c->op) {
    case SMMU_CMD_CFGI_STE:
    case SMMU_CMD_CFGI_CD_ALL:
    case SMMU_CMD_PREFETCH_CONFIG:
        SMMU_FSET(dw, SMMU_F_CMD_SID, c->sid);
        SMMU_FSET(dw, SMMU_F_CMD_LEAF, c->leaf);
        if (c->op == SMMU_CMD_PREFETCH_CONFIG) {
            SMMU_FSET(dw, SMMU_F_CMD_LEAF, 0);
            SMMU_FSET(dw, SMMU_F_CMD_SSID, c->ssid);
            SMMU_FSET(dw, SMMU_F_CMD_SSV, c->leaf);
        }
        if (c->op == SMMU_CMD_CFGI_CD_ALL) SMMU_FSET(dw, SMMU_F_CMD_LEAF, 0);
        break;
    case SMMU_CMD_CFGI_STE_RANGE:
        SMMU_FSET(dw, SMMU_F_CMD_SID, c->sid);
        SMMU_FSET(dw, SMMU_F_CMD_RANGE, c->range);
        break;
    case SMMU_CMD_CFGI_CD:
        SMMU_FSET(dw, SMMU_F_CMD_SID, c->sid);
        SMMU_FSET(dw, SMMU_F_CMD_SSID, c->ssid);
        SMMU_FSET(dw, SMMU_F_CMD_LEAF, c->leaf);
        break;
    case SMMU_CMD_PREFETCH_ADDR:
        SMMU_FSET(dw, SMMU_F_CMD_SID, c->sid);
        SMMU_FSET(dw, SMMU_F_CMD_SSID, c->ssid);
        SMMU_FSET(dw, SMMU_F_CMD_SSV, c->leaf);
        SMMU_FSET(dw, SMMU_F_CMD_PF_SIZE, c->num);
        SMMU_FSET_ADDR(dw, SMMU_F_CMD_PF_ADDR, c->addr);
        break;
    case SMMU_CMD_ATC_INV:
        SMMU_FSET(dw, SMMU_F_CMD_SID, c->sid);
        SMMU_FSET(dw, SMMU_F_CMD_SSID, c->ssid);
        SMMU_FSET(dw, SMMU_F_CMD_SSV, c->leaf);
        SMMU_FSET(dw, SMMU_F_CMD_ATC_SIZE, c->num);
        SMMU_FSET_ADDR(dw, SMMU_F_CMD_ATC_ADDR, c->addr & ~((2ull << (12 + c->num)) - 1));
        break;
    case SMMU_CMD_TLBI_NH_ALL:
    case SMMU_CMD_TLBI_NH_ASID:
    case SMMU_CMD_TLBI_S12_VMALL:
        SMMU_FSET(dw, SMMU_F_CMD_VMID, c->vmid);
        if (c->op == SMMU_CMD_TLBI_NH_ASID) SMMU_FSET(dw, SMMU_F_CMD_ASID, c->asid);
        break;
    case SMMU_CMD_TLBI_EL2_ASID:
        SMMU_FSET(dw, SMMU_F_CMD_ASID, c->asid);
        break;
    case SMMU_CMD_TLBI_NH_VA:
    case SMMU_CMD_TLBI_NH_VAA:
    case SMMU_CMD_TLBI_S2_IPA:
    case SMMU_CMD_TLBI_EL2_VA:
    case SMMU_CMD_TLBI_EL2_VAA:
        if (c->op != SMMU_CMD_TLBI_EL2_VA && c->op != SMMU_CMD_TLBI_EL2_VAA)
            SMMU_FSET(dw, SMMU_F_CMD_VMID, c->vmid);
        if (c->op == SMMU_CMD_TLBI_NH_VA || c->op == SMMU_CMD_TLBI_EL2_VA)
            SMMU_FSET(dw, SMMU_F_CMD_ASID, c->asid);
        SMMU_FSET(dw, SMMU_F_CMD_LEAF, c->leaf);
        SMMU_FSET(dw, SMMU_F_CMD_TLBI_TG, c->tg);
        SMMU_FSET(dw, SMMU_F_CMD_TLBI_TTL, c->ttl);
        SMMU_FSET(dw, SMMU_F_CMD_TLBI_NUM, c->num);
        SMMU_FSET(dw, SMMU_F_CMD_TLBI_SCALE, c->scale);
        if (c->op == SMMU_CMD_TLBI_S2_IPA)
            SMMU_FSET_ADDR(dw, SMMU_F_CMD_TLBI_IPA, c->addr);
        else
            SMMU_FSET_ADDR(dw, SMMU_F_CMD_TLBI_ADDR, c->addr);
        break;
    default:
        break; /* CFGI_ALL is CFGI_STE_RANGE; NSNH_ALL, EL2_ALL, SYNC: no operand */
    }
    if (c->op == SMMU_CMD_SYNC) SMMU_FSET(dw, SMMU_F_CMD_SYNC_CS, SMMU_CMD_SYNC_CS_NONE);
    const bool was = w->poisoned;
    submit(w, dw);
    if (w->poisoned && !was) return; /* a failed command is not counted as issued */
    if (w->poisoned) return;
    if (c->op == SMMU_CMD_SYNC) { /* 4.7.3: completes every earlier invalidation */
        unsigned n = 0;
        for (unsigned i = 0; i < w->nchg; i++) {
            struct chg *ch = &w->chg[i];
            ch->need &= ~ch->staged;
            ch->staged = 0;
            if (ch->need) w->chg[n++] = *ch;
        }
        w->nchg = n;
        return;
    }
    for (unsigned i = 0; i < w->nchg; i++)
        w->chg[i].staged |= covers(c, &w->chg[i]);
}

/* An address of the fuzzer's universe: region (0: private / identity, 1: shared / stage-2
   written), level-2 and level-3 indices. */
static uint64_t pick_addr(uint8_t b) {
    return ((uint64_t)((b >> 5) & 1) << 30) + ((uint64_t)(b & 3) << 21) +
           ((uint64_t)((b >> 2) & 7) << 12);
}

static void op_cmd(world_t *w, fz_t *f) {
    const uint8_t b = fz_u8(f), x = fz_u8(f), y = fz_u8(f), z = fz_u8(f), n = fz_u8(f);
    static const uint8_t ops[20] = {
        SMMU_CMD_CFGI_STE,    SMMU_CMD_CFGI_STE_RANGE,  SMMU_CMD_CFGI_CD,
        SMMU_CMD_CFGI_CD_ALL, SMMU_CMD_TLBI_NH_ALL,     SMMU_CMD_TLBI_NH_ASID,
        SMMU_CMD_TLBI_NH_VA,  SMMU_CMD_TLBI_NH_VAA,     SMMU_CMD_TLBI_S12_VMALL,
        SMMU_CMD_TLBI_S2_IPA, SMMU_CMD_TLBI_NSNH_ALL,   SMMU_CMD_TLBI_EL2_ALL,
        SMMU_CMD_TLBI_EL2_VA, SMMU_CMD_TLBI_EL2_VAA,    SMMU_CMD_TLBI_EL2_ASID,
        SMMU_CMD_ATC_INV,     SMMU_CMD_PREFETCH_CONFIG, SMMU_CMD_PREFETCH_ADDR,
        SMMU_CMD_TLBI_NH_VA,  SMMU_CMD_TLBI_S2_IPA};
    cmdv_t c = {.op = ops[b % 20],
                .sid = x & 3,
                .ssid = (x >> 2) & 1,
                .leaf = (x >> 3) & 1,
                .vmid = (uint8_t)(1 + ((x >> 4) & 3) % 3),
                .asid = (uint8_t)(1 + ((x >> 6) & 1)),
                .range = (uint8_t)((z & 0x80) ? 31 : (z & 3)),
                .addr = pick_addr(y)};
    if (c.op == SMMU_CMD_TLBI_S2_IPA) c.addr |= GB; /* the written IPA region */
    const bool at_last = y & 0x80;                  /* refer to the last descriptor written */
    if (at_last) c.addr = w->last_lo;
    if (c.op == SMMU_CMD_TLBI_NH_VA || c.op == SMMU_CMD_TLBI_NH_VAA ||
        c.op == SMMU_CMD_TLBI_S2_IPA || c.op == SMMU_CMD_TLBI_EL2_VA ||
        c.op == SMMU_CMD_TLBI_EL2_VAA) {
        /* range form (4.4.1.1) in about half the commands: TG, TTL, NUM, SCALE */
        if (z & 0x40) {
            c.tg = (uint8_t)((z & 0x30) == 0x30 ? 1 + ((z >> 2) & 1) * 2 : 1); /* mostly 4KB */
            c.ttl = (uint8_t)(z & 3);
            /* mostly ranges of up to 8 pages (the universe's level-3 tables), sometimes
               larger NUM, SCALE + 9 (2MB units) or + 18 (1GB units) */
            c.num = (uint8_t)((n & 7) | ((n & 0x80) ? (n & 0x18) : 0));
            c.scale = (uint8_t)(((n >> 5) & 3) + ((z & 0x08) ? 9 * (1 + (b >> 7)) : 0));
            if (!c.num && !c.scale && !c.ttl) c.ttl = 3;        /* the Reserved combination */
            if ((y & 0x40) && !at_last) c.addr &= ~0x1FFFFFull; /* aligned starts */
            if ((y & 0x40) && at_last) { /* the range ends where that descriptor's span ends */
                const uint64_t bytes = ((uint64_t)c.num + 1) << (c.scale + 12);
                if (bytes <= w->last_hi + 1) c.addr = w->last_hi + 1 - bytes;
            }
        }
    }
    if (c.op == SMMU_CMD_PREFETCH_ADDR || c.op == SMMU_CMD_ATC_INV) c.num = n & 15;
    if (c.op == SMMU_CMD_PREFETCH_ADDR || c.op == SMMU_CMD_PREFETCH_CONFIG) mark_used(w, c.sid);
    issue(w, &c);
}

static void sync(world_t *w) {
    const cmdv_t c = {.op = SMMU_CMD_SYNC};
    issue(w, &c);
}

/* ------------------------------------------------------------------ translations */
static void print_res(const char *who, const smmu_result_t *r) {
    fprintf(stderr,
            "  %s: status %d pa 0x%llx span 0x%llx event 0x%x (%s) ns %d perm %u attr 0x%02x sh %u "
            "abort %d recorded %d partid %u pmg %u tlb_hit %d cfg_hit %d\n",
            who, (int)r->status, (unsigned long long)r->pa, (unsigned long long)r->span,
            (unsigned)r->event, smmu_event_name(r->event), r->ns, r->perm, r->attr, r->sh, r->abort,
            r->recorded, r->partid, r->pmg, r->tlb_hit, r->cfg_hit);
}

/* The records the translation added to each Event queue (consumed at once, so never full). */
static unsigned new_events(side_t *sd, uint8_t rec[4][SMMU_EVT_BYTES]) {
    const uint32_t prod = rd32(sd, SMMU_EVENTQ_PROD) & ((2u << EVTQ_LOG2) - 1);
    const uint32_t mask = (1u << EVTQ_LOG2) - 1;
    unsigned n = 0;
    for (uint32_t c = sd->evcons; c != prod; c = (c + 1) & ((2u << EVTQ_LOG2) - 1), n++)
        if (n < 4) smmu_mem_read(sd->m, EVTQ + SMMU_EVT_BYTES * (c & mask), rec[n], SMMU_EVT_BYTES);
    sd->evcons = prod;
    smmu_reg_write(sd->s, SMMU_EVENTQ_CONS, prod, 4);
    return n;
}

static void op_xlate(world_t *w, fz_t *f) {
    const uint8_t b = fz_u8(f), a = fz_u8(f);
    smmu_txn_t t = {.sid = b & 3,
                    .ssv = (b >> 2) & 1,
                    .ssid = (b >> 3) & 1,
                    .write = (b >> 4) & 1,
                    .exec = (b >> 5) & 1,
                    .priv = (b >> 6) & 1,
                    .len = 4,
                    .addr = pick_addr(a) + ((a >> 6) & 1) * 0x7F8};
    if (a & 0x80) t.addr = w->last_lo + ((a >> 6) & 1) * 0x7F8; /* the last written */
    mark_used(w, t.sid);
    smmu_result_t r[2];
    uint8_t ev[2][4][SMMU_EVT_BYTES];
    unsigned nev[2];
    for (int k = 0; k < 2; k++) {
        memset(&r[k], 0, sizeof(r[k]));
        smmu_translate(w->sd[k]->s, &t, &r[k]);
        nev[k] = new_events(w->sd[k], ev[k]);
        fz_mix_result(&w->sd[k]->dig, &r[k]);
    }
    if (w->poisoned || w->nchg) {
        w->skipped++;
        return;
    }
    w->compared++;
    const smmu_result_t *x = &r[0], *y = &r[1];
    bool same = x->status == y->status && x->event == y->event && x->abort == y->abort &&
                x->recorded == y->recorded && nev[0] == nev[1];
    if (same && x->status == SMMU_OK)
        same = x->pa == y->pa && x->span == y->span && x->ns == y->ns && x->perm == y->perm &&
               x->attr == y->attr && x->sh == y->sh && x->partid == y->partid && x->pmg == y->pmg &&
               x->mpam_ns == y->mpam_ns;
    for (unsigned i = 0; same && i < nev[0] && i < 4; i++)
        same = !memcmp(ev[0][i], ev[1][i], SMMU_EVT_BYTES);
    if (same) return;
    fprintf(stderr,
            "fuzz_cache_diff: MISMATCH with nothing pending: sid %u ssv %d ssid %u addr 0x%llx "
            "write %d exec %d priv %d\n",
            t.sid, t.ssv, t.ssid, (unsigned long long)t.addr, t.write, t.exec, t.priv);
    print_res("A (caches on) ", x);
    print_res("B (caches off)", y);
    for (int k = 0; k < 2; k++)
        for (unsigned i = 0; i < nev[k] && i < 4; i++) {
            fprintf(stderr, "  %s event %u:", k ? "B" : "A", i);
            for (unsigned j = 0; j < SMMU_EVT_BYTES; j += 8) {
                uint64_t v;
                memcpy(&v, ev[k][i] + j, 8);
                fprintf(stderr, " %016llx", (unsigned long long)v);
            }
            fprintf(stderr, "\n");
        }
    abort();
}

/* ------------------------------------------------------------------ setup */
static void build(world_t *w, fz_t *f) {
    /* stage-1 trees: level 1 entry 0 -> private level 2 -> private level 3 pages; entry 1 ->
       the shared subtree; every page maps to IPA [1GB, 2GB) */
    for (unsigned a = 1; a <= 2; a++) {
        put64(w, S1L1(a), S1L2P(a) | 3);
        put64(w, S1L1(a) + 8, S1L2S | 3);
        for (unsigned i2 = 0; i2 < NI2; i2++) {
            put64(w, S1L2P(a) + 8 * i2, S1L3P(a, i2) | 3);
            for (unsigned i3 = 0; i3 < NI3; i3++)
                put64(w, S1L3P(a, i2) + 8 * i3,
                      s1_leaf(3, GB + ((uint64_t)((i2 + a) & 3) << 21) + ((uint64_t)i3 << 12), 0x09,
                              false));
        }
    }
    for (unsigned i2 = 0; i2 < NI2; i2++) {
        put64(w, S1L2S + 8 * i2, S1L3S(i2) | 3);
        for (unsigned i3 = 0; i3 < NI3; i3++)
            put64(w, S1L3S(i2) + 8 * i3,
                  s1_leaf(3, GB + ((uint64_t)i2 << 21) + ((uint64_t)(7 - i3) << 12),
                          (uint8_t)(0x09 | (i3 & 1) << 5), true));
    }
    /* stage-2 trees: IPA [0, 1GB) identity (tables); [1GB, 2GB) written by the program */
    for (unsigned v = 1; v <= 2; v++) {
        put64(w, S2L1(v), s2_leaf(1, 0, 0));
        put64(w, S2L1(v) + 8, S2L2(v) | 3);
        for (unsigned i2 = 0; i2 < NI2; i2++) {
            put64(w, S2L2(v) + 8 * i2, S2L3(v, i2) | 3);
            for (unsigned i3 = 0; i3 < NI3; i3++)
                put64(w, S2L3(v, i2) + 8 * i3,
                      s2_leaf(
                          3, ((uint64_t)v << 32) + GB + ((uint64_t)i2 << 21) + ((uint64_t)i3 << 12),
                          0));
        }
    }
    const uint8_t b = fz_u8(f), c = fz_u8(f);
    for (unsigned t = 0; t < 2; t++)
        for (unsigned i = 0; i < 2; i++) {
            w->cd_asid[t][i] = (uint8_t)(1 + ((b >> (2 * t + i)) & 1));
            w->cd_v[t][i] = true;
            write_cd(w, t, i);
        }
    static const uint8_t cfgs[4] = {SMMU_STE_CONFIG_S1, SMMU_STE_CONFIG_S2, SMMU_STE_CONFIG_NESTED,
                                    SMMU_STE_CONFIG_BYPASS};
    for (unsigned s = 0; s < NSID; s++) {
        w->ste_cfg[s] = cfgs[(c >> (2 * s)) & 3];
        w->ste_v[s] = true;
        w->ste_cdt[s] = (b >> (4 + s)) & 1;
        w->ste_vmid[s] = w->ste_cfg[s] == SMMU_STE_CONFIG_S1 ? 3 : (uint8_t)(1 + (s & 1));
        write_ste(w, s);
    }
}

static void enable(side_t *sd) {
    smmu_t *s = sd->s;
    smmu_reg_write(s, SMMU_STRTAB_BASE, STRTAB, 8);
    smmu_reg_write(s, SMMU_STRTAB_BASE_CFG, 2, 4); /* linear, 4 STEs (6.3.24) */
    smmu_reg_write(s, SMMU_CMDQ_BASE, CMDQ | CMDQ_LOG2, 8);
    smmu_reg_write(s, SMMU_CMDQ_PROD, 0, 4);
    smmu_reg_write(s, SMMU_CMDQ_CONS, 0, 4);
    smmu_reg_write(s, SMMU_EVENTQ_BASE, EVTQ | EVTQ_LOG2, 8);
    smmu_reg_write(s, SMMU_EVENTQ_PROD, 0, 4);
    smmu_reg_write(s, SMMU_EVENTQ_CONS, 0, 4);
    sd->evcons = 0;
    smmu_reg_write(s, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN, 4);
}

/* FUZZ_CACHE_DIFF_STATS=1 in the environment: how many translations were compared and how
   many skipped because some change was still pending, printed at exit. */
static unsigned long long tot_compared, tot_skipped, tot_inputs, tot_poisoned;
static void print_stats(void) {
    fprintf(stderr,
            "fuzz_cache_diff: %llu inputs (%llu with a command error or a full shadow), %llu "
            "translations compared, %llu skipped\n",
            tot_inputs, tot_poisoned, tot_compared, tot_skipped);
}

/* ------------------------------------------------------------------ structure-aware mutation */
/* libFuzzer's byte mutations mostly break a program: an inserted or deleted byte shifts every
   later operation onto other operands. This mutator works on whole operations instead: it
   parses the input into the header (geometry and build bytes) and the operations (an opcode
   byte and its operands, OP_LEN), then inserts a new operation (random, a CMD_SYNC, a
   translation of the last written descriptor) or a whole maintenance round (new_round), deletes,
   duplicates, moves or swaps one, mutates
   the operand bytes of one (keeping its kind), or mutates the header; one time in eight it
   leaves the whole input to libFuzzer's own mutators (LLVMFuzzerMutate). The crossover splices
   the operations of two programs at operation boundaries. fuzz_cache_diff_plain is this target
   without them (FUZZ_NO_CUSTOM_MUTATOR: plain libFuzzer), to measure their effect. */
#ifndef FUZZ_NO_CUSTOM_MUTATOR
enum { HDR = KEYLEN + 2 };
/* bytes of each operation, opcode included, by opcode % 12 (the dispatch of run()) */
static const uint8_t OP_LEN[12] = {4, 4, 4, 3, 2, 6, 6, 1, 3, 3, 3, 3};

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
                                 uint8_t *out, size_t max_out, unsigned int seed);

/* Start offsets of the operations of data (at most MAXOPS, as run() reads them); the last
   one may be truncated. Returns their number; off[n] is the end. */
static unsigned op_offsets(const uint8_t *data, size_t size, size_t off[MAXOPS + 1]) {
    unsigned n = 0;
    size_t i = HDR;
    while (i < size && n < MAXOPS) {
        off[n++] = i;
        i += OP_LEN[data[i] % 12];
    }
    off[n] = i < size ? i : size;
    return n;
}

static uint32_t rnd(uint32_t *st) {
    *st ^= *st << 13;
    *st ^= *st >> 17;
    *st ^= *st << 5;
    return *st;
}

/* A new operation into op[]: random kind and operands, or (biased) a CMD_SYNC or a
   translation of the last written descriptor. Returns its length. */
static size_t new_op(uint8_t op[8], uint32_t *st) {
    const uint32_t r = rnd(st);
    switch (r % 8) {
    case 0:
        op[0] = 7; /* CMD_SYNC */
        break;
    case 1: /* a translation of the last written address (operand a bit 7) */
        op[0] = (uint8_t)(8 + (r >> 8) % 4);
        op[1] = (uint8_t)(r >> 12);
        op[2] = (uint8_t)(0x80 | (r >> 20));
        break;
    default:
        op[0] = (uint8_t)(r >> 8);
        for (unsigned i = 1; i < 8; i++)
            op[i] = (uint8_t)rnd(st);
        break;
    }
    return OP_LEN[op[0] % 12];
}

/* A whole maintenance round into out[] (returns its length, at most ROUND): optionally a clean
   slate first (TLBI_NSNH_ALL, CFGI_STE_RANGE of every StreamID, CMD_SYNC: nothing pending, so
   what follows is compared), then a descriptor write, a translation of it (so it is cached), the
   same descriptor rewritten with other operand bits, an invalidation command (mostly a
   by-address TLBI of the written address, often a range ending at its span), CMD_SYNC and the
   translation again: the sequence the must-agree rule is about. Operand layouts: op_cmd,
   op_s1, op_s2, op_xlate. */
enum { CLEAN = 6 + 6 + 1, ROUND = CLEAN + 4 + 3 + 4 + 6 + 1 + 3 };
static size_t new_round(uint8_t out[ROUND], uint32_t *st) {
    static const uint8_t by_addr[5] = {6, 7, 9, 18, 19}; /* NH_VA, NH_VAA, S2_IPA (op_cmd) */
    uint8_t *o = out;
    if (rnd(st) & 1) {
        const uint8_t clean[CLEAN] = {5, 10, 0, 0, 0, 0, 5, 1, 0, 0, 0x80, 0, 7};
        memcpy(o, clean, CLEAN);
        o += CLEAN;
    }
    o[0] = (uint8_t)(12 * (rnd(st) % 21) + rnd(st) % 3); /* stage-1 private, shared, stage 2 */
    for (unsigned i = 1; i < 4; i++)
        o[i] = (uint8_t)rnd(st);
    memcpy(o + 7, o, 4);                              /* the rewrite: same place ... */
    o[7 + 2 + rnd(st) % 2] ^= (uint8_t)(rnd(st) | 1); /* ... another kind / OA or attributes */
    const uint32_t r = rnd(st);
    o[4] = o[18] = (uint8_t)(8 + r % 4); /* translations of the last written address */
    o[5] = o[19] = (uint8_t)(r >> 8);
    o[6] = o[20] = (uint8_t)(0x80 | (r >> 16));
    o[11] = (uint8_t)(5 + rnd(st) % 2); /* the command */
    for (unsigned i = 12; i < 17; i++)
        o[i] = (uint8_t)rnd(st);
    if (rnd(st) % 4) {
        o[12] = by_addr[rnd(st) % 5];
        o[14] |= rnd(st) & 0xC0; /* at the last written address; its span's end */
        o[15] |= rnd(st) & 0x40; /* a range */
    }
    o[17] = 7; /* CMD_SYNC */
    return (size_t)(o + 21 - out);
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed) {
    uint32_t st = seed | 1;
    if (size < HDR || max_size < HDR + 8 || rnd(&st) % 8 == 0)
        return LLVMFuzzerMutate(data, size, max_size);
    static size_t off[MAXOPS + 1];
    static uint8_t tmp[MAXOPS * 8 + HDR];
    const unsigned n = op_offsets(data, size, off);
    const size_t end = off[n];
    const unsigned a = n ? rnd(&st) % n : 0, b = n ? rnd(&st) % n : 0;
    switch (rnd(&st) % 8) {
    case 0: /* the header: geometry, policies, build bytes */
        return HDR - 1 < size ? (LLVMFuzzerMutate(data, HDR, HDR), size) : size;
    case 1:
    case 2: { /* insert a new operation before operation a (or at the end) */
        uint8_t op[8];
        const size_t len = new_op(op, &st), at = n && rnd(&st) % 4 ? off[a] : end;
        if (end + len > max_size || n >= MAXOPS) return LLVMFuzzerMutate(data, size, max_size);
        memmove(data + at + len, data + at, end - at);
        memcpy(data + at, op, len);
        return end + len;
    }
    case 7: { /* insert a maintenance round before operation a */
        const size_t at = n ? off[a] : end;
        uint8_t round[ROUND];
        const size_t len = new_round(round, &st);
        if (end + len > max_size || n + 9 > MAXOPS) return size;
        memmove(data + at + len, data + at, end - at);
        memcpy(data + at, round, len);
        return end + len;
    }
    case 3: /* delete operation a */
        if (!n) return size;
        memmove(data + off[a], data + off[a + 1], end - off[a + 1]);
        return end - (off[a + 1] - off[a]);
    case 4: { /* duplicate operation a before operation b */
        const size_t len = off[a + 1] - off[a];
        if (!n || end + len > max_size || n >= MAXOPS) return size;
        memcpy(tmp, data + off[a], len);
        memmove(data + off[b] + len, data + off[b], end - off[b]);
        memcpy(data + off[b], tmp, len);
        return end + len;
    }
    case 5: { /* swap operations a < b: rebuild the middle */
        if (n < 2 || a == b) return size;
        const unsigned lo = a < b ? a : b, hi = a < b ? b : a;
        size_t t = 0;
        memcpy(tmp + t, data + off[hi], off[hi + 1] - off[hi]);
        t += off[hi + 1] - off[hi];
        memcpy(tmp + t, data + off[lo + 1], off[hi] - off[lo + 1]);
        t += off[hi] - off[lo + 1];
        memcpy(tmp + t, data + off[lo], off[lo + 1] - off[lo]);
        t += off[lo + 1] - off[lo];
        memcpy(data + off[lo], tmp, t);
        return end;
    }
    default: { /* the operands of operation a, its kind kept */
        if (!n) return size;
        const size_t len = off[a + 1] - off[a];
        if (len > 1) {
            uint8_t *o = data + off[a] + 1;
            if (rnd(&st) & 1)
                o[rnd(&st) % (len - 1)] ^= (uint8_t)(1u << (rnd(&st) & 7));
            else
                (void)LLVMFuzzerMutate(o, len - 1, len - 1);
        }
        return end;
    }
    }
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
                                 uint8_t *out, size_t max_out, unsigned int seed) {
    static size_t o1[MAXOPS + 1], o2[MAXOPS + 1];
    if (s1 < HDR || s2 < HDR || max_out < HDR) return 0;
    uint32_t st = seed | 1;
    const unsigned n1 = op_offsets(d1, s1, o1), n2 = op_offsets(d2, s2, o2);
    /* d1's header and its first i operations, then d2's operations from j on */
    const size_t i = o1[rnd(&st) % (n1 + 1)], j = o2[rnd(&st) % (n2 + 1)];
    size_t len = i + (o2[n2] - j);
    if (len > max_out) len = max_out;
    memcpy(out, d1, i);
    memcpy(out + i, d2 + j, len - i);
    return len;
}
#endif

/* One input on pooled instances (reset) or new ones (fresh); returns the digest of what A and B
   did (fuzz_reuse.h). The two memories are kept and zeroed (smmu_mem_zero): the same pages
   every time, allocated once. */
static uint64_t run(const uint8_t *data, size_t size, bool fresh) {
    static smmu_mem_t *mem[2];
    fz_t f = {data, size, 0};
    uint8_t key[KEYLEN];
    for (unsigned i = 0; i < KEYLEN; i++)
        key[i] = fz_u8(&f);
    static world_t w;
    memset(&w, 0, sizeof(w));
    for (int k = 0; k < 2; k++) {
        if (!mem[k]) mem[k] = smmu_mem_new();
        if (!mem[k]) abort();
        smmu_mem_zero(mem[k]);
    }
    /* the memory first: smmu_reset() may write nothing, but a new instance reads none either */
    w.sd[0] = get_a(key, fresh);
    w.sd[1] = get_b(fresh);
    for (int k = 0; k < 2; k++) {
        w.sd[k]->m = mem[k];
        w.sd[k]->dig = 0xCBF29CE484222325ull;
    }
    build(&w, &f);
    for (int k = 0; k < 2; k++)
        enable(w.sd[k]);
    for (unsigned n = 0; n < MAXOPS && !fz_done(&f); n++) {
        const uint8_t op = fz_u8(&f);
        switch (op % 12) {
        case 0:
            op_s1(&w, &f, false);
            break;
        case 1:
            op_s1(&w, &f, true);
            break;
        case 2:
            op_s2(&w, &f);
            break;
        case 3:
            op_ste(&w, &f);
            break;
        case 4:
            op_cd(&w, &f);
            break;
        case 5:
        case 6:
            op_cmd(&w, &f);
            break;
        case 7:
            sync(&w);
            break;
        default:
            op_xlate(&w, &f);
            break;
        }
    }
    tot_inputs++;
    tot_poisoned += w.poisoned;
    tot_compared += w.compared;
    tot_skipped += w.skipped;
    uint64_t dig = 0;
    for (int k = 0; k < 2; k++) {
        fz_mix_state(&w.sd[k]->dig, w.sd[k]->s);
        fz_mix64(&dig, w.sd[k]->dig);
        if (fresh) smmu_free(w.sd[k]->s);
    }
    return dig;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static bool stats_init;
    if (!stats_init) {
        stats_init = true;
        const char *e = getenv("FUZZ_CACHE_DIFF_STATS");
        if (e && *e == '1') atexit(print_stats);
    }
    if (size < KEYLEN + 2) return 0;
    fz_run_checked(run, data, size);
    return 0;
}
