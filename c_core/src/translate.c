/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The translation of one client transaction (spec 3.3 "Data structures and translation
 * procedure"): global bypass (SMMUEN = 0, GBPA), stream table, STE configuration, CD, stage 1
 * and stage 2 walks, the fault model of 3.12 / 5.5 (terminate, RAZ/WI, stall, record) and
 * output attributes. Allocation-free. */
#include "xlate.h"

#include <string.h>

#include "ats.h"
#include "attr.h"
#include "cache.h"
#include "cd.h"
#include "cfgcache.h"
#include "dsan.h"
#include "evtq.h"
#include "fault.h"
#include "instance.h"
#include "lock.h"
#include "memo.h"
#include "pmcg.h"
#include "mpam.h"
#include "port.h"
#include "regfile.h"
#include "stall.h"
#include "strtab.h"
#include "tlb.h"
#include "tp.h"
#include "walk.h"
#include "xctx.h"

/* Attributes assumed for an incoming transaction that carries none (smmu_txn_t.in_attr_valid
   false): Normal Write-back, read/write-allocate, Inner Shareable. */
enum { IN_ATTR = 0xFF, IN_SH = SMMU_SH_ISH };

static uint8_t in_attr(const smmu_txn_t *t) {
    return t->in_attr_valid ? t->in_attr : (uint8_t)IN_ATTR;
}
/* The incoming shareability as combining sees it: Device and Normal iNC-oNC are Outer
   Shareable (13.1; an ACE-Sys input is OSH, 16.7.5.1.1). */
static uint8_t in_sh(const smmu_txn_t *t) {
    return t->in_attr_valid ? smmu_sh_combine(t->in_attr, t->in_sh & 3, t->in_sh & 3)
                            : (uint8_t)IN_SH;
}

typedef struct xlate {
    smmu_xctx_t cx; /* the translation's cost and debug mode, for every layer below */
    const smmu_txn_t *t;
    smmu_access_t acc; /* after STE/GBPA PRIVCFG and INSTCFG overrides */
    smmu_result_t *r;
    uint8_t attr, sh;   /* incoming attributes after STE/GBPA overrides */
    smmu_walk_out_t *w; /* [2]: stage 1 and stage 2 walk results, for a TLB fill */
    /* For the memo: the line of each cache consulted (hit or filled), and which were. */
    const void *lines[SMMU_MEMO_LINES];
    unsigned consulted;      /* bit SMMU_MEMO_* */
    smmu_xlate_tags_t *tags; /* smmu_translate_dbg_tags: filled on the way; NULL otherwise */
    bool ns;                 /* output NS attribute: always 1 for a Non-secure stream (3.10.2) */
    smmu_mpam_t mpam;        /* the output's MPAM label (17.2, 17.3), set on the way */
    bool walked;             /* the tables were walked (a TLB miss, or no TLB) */
} xlate_t;

static void consult(xlate_t *x, unsigned which, const void *line) {
    x->consulted |= 1u << which;
    x->lines[which] = line;
}

/* ----------------------------------------------------------------- results */

static void finish_ok(xlate_t *x, uint64_t pa, uint64_t span, uint8_t perm) {
    x->r->status = SMMU_OK;
    x->r->pa = pa;
    x->r->span = span;
    x->r->perm = perm;
    x->r->ns = x->ns;
    x->r->partid = x->mpam.partid;
    x->r->pmg = x->mpam.pmg;
    x->r->mpam_ns = x->mpam.ns;
}

/* Terminates with an abort and no event (STE.Config abort, GBPA.ABORT, silent cases). */
static void terminate_silent(xlate_t *x, uint32_t type) {
    x->r->status = SMMU_FAULT;
    x->r->abort = true;
    x->r->event = type;
}

static smmu_event_t event_of(const xlate_t *x, const smmu_fault_t *f) {
    smmu_event_t e = {0};
    e.type = f->type;
    e.sid = x->t->sid;
    e.ssv = x->t->ssv;
    e.ssid = x->t->ssv ? x->t->ssid : 0;
    e.pnu = x->acc.priv;
    e.ind = x->acc.exec && !x->acc.write;
    e.rnw = !x->acc.write;
    e.s2 = f->s2;
    e.cls = f->cls;
    e.ttrnw = f->ttrnw;
    e.reason = f->reason;
    e.addr = x->t->addr;
    e.ipa = f->ipa;
    e.fetch_addr = f->fetch_addr;
    e.sec = x->cx.sec;
    return e;
}

static void record(smmu_t *s, xlate_t *x, const smmu_event_t *e) {
    if (x->cx.dbg) return;
    x->r->recorded = true;
    smmu_evtq_record(s, e);
}

/* Configuration errors and non-translation faults: abort and record (5.5). */
static void terminate_record(smmu_t *s, xlate_t *x, const smmu_fault_t *f) {
    terminate_silent(x, f->type);
    smmu_event_t e = event_of(x, f);
    record(s, x, &e);
}

bool smmu_fault_translation_related(uint8_t type) {
    return type == SMMU_EVT_F_TRANSLATION || type == SMMU_EVT_F_ADDR_SIZE ||
           type == SMMU_EVT_F_ACCESS || type == SMMU_EVT_F_PERMISSION;
}

/* The fault model of 3.12 / 5.5 for one fault: stage 1 uses CD.{A,R,S}, stage 2 uses
   STE.{S2R,S2S} with an implied A = 1. */
static void fault(smmu_t *s, xlate_t *x, const smmu_fault_t *f, const smmu_stecfg_t *c,
                  const smmu_s1cfg_t *s1) {
    if (!smmu_fault_translation_related(f->type)) {
        terminate_record(s, x, f);
        return;
    }
    if (!f->s2 && !s1) { /* stage 1 bypassed: address size faults always abort + record */
        terminate_record(s, x, f);
        return;
    }
    if (x->t->pri && smmu_ste_eats(s, c) != SMMU_STE_EATS_OFF) {
        /* AMBA PRI flow (IHI 0022 A13.6.4) on a stream with ATS enabled: the fault an ATS
           Translation Request would answer with no access and no event (3.9.1.2), which the
           device resolves through a PRI Page Request (3.9.1, 3.13): TRANSFAULT, not stalled,
           not recorded. */
        terminate_silent(x, f->type);
        x->r->transfault = true;
        return;
    }
    /* Secure streams stall alike; their record goes to the Secure Event queue (3.12.2, e.sec). */
    bool stall = f->s2 ? c->s2c.s : s1->s;
    bool rec = f->s2 ? c->s2c.r : s1->r;
    bool abort = f->s2 ? true : s1->a;
    if (stall && (x->t->nostall || x->t->pri)) {
        /* A client that must not stall (AMBA NoStall / PRI flow): the stalling configuration is
           treated as terminating, the fault reported with Stall == 0 and the transaction
           aborted (3.12, the countermeasure for devices that cannot be stalled). */
        stall = false;
        rec = true;
        abort = true;
    }
    smmu_event_t e = event_of(x, f);
    /* A stall is always recorded (5.5); with no free STAG the transaction is terminated. */
    int stag = stall && !x->cx.dbg ? smmu_stall_fault(s, &e) : -1;
    if (stag >= 0) {
        x->r->status = SMMU_STALLED;
        x->r->stag = (uint16_t)stag;
        x->r->event = f->type;
        x->r->recorded = true;
        return;
    }
    e.stall = false;
    terminate_silent(x, f->type);
    x->r->abort = abort;
    if (rec || stall) record(s, x, &e);
}

/* ----------------------------------------------------------------- attribute overrides */

/* PRIVCFG / INSTCFG (5.2, 6.3.14): 0b0x use incoming; 0b10 unprivileged / data; 0b11
   privileged / instruction. Instruction applies to reads only. */
static smmu_access_t override_access(const smmu_txn_t *t, unsigned privcfg, unsigned instcfg) {
    smmu_access_t a = {.write = t->write, .exec = t->exec && !t->write, .priv = t->priv};
    if (privcfg & SMMU_STE_XCFG_OVERRIDE_BIT) a.priv = privcfg & SMMU_STE_XCFG_VALUE_BIT;
    if ((instcfg & SMMU_STE_XCFG_OVERRIDE_BIT) && !t->write)
        a.exec = instcfg & SMMU_STE_XCFG_VALUE_BIT;
    return a;
}

static void override_attrs(xlate_t *x, unsigned mtcfg, unsigned memattr, unsigned alloccfg,
                           unsigned shcfg) {
    /* SHCFG: 0b00 NSH, 0b01 use incoming, 0b10 OSH, 0b11 ISH. */
    const uint8_t sh[4] = {SMMU_SH_NSH, in_sh(x->t), SMMU_SH_OSH, SMMU_SH_ISH};
    uint8_t attr = in_attr(x->t);
    /* MTCFG/MemAttr: Reserved encodings behave as Device-nGnRnE (5.2 MemAttr). */
    if (mtcfg) {
        bool reserved = (memattr & 0xC) && !(memattr & 0x3); /* 0b0100, 0b1000, 0b1100 */
        attr = reserved ? 0x00 : smmu_attr_from_s2memattr(memattr);
    }
    x->attr = smmu_attr_alloc_override(attr, alloccfg);
    x->sh = smmu_sh_combine(x->attr, sh[shcfg & 3], sh[shcfg & 3]);
}

/* The STE / GBPA overrides take effect only where IDR1.ATTR_PERMS_OVR / ATTR_TYPES_OVR say
   the SMMU implements them (the fields are RES0 otherwise, 6.3.2). */
/* Fields that all say "use incoming" leave x as translate_full made it (override_access(t, 0,
   0), in_attr(t), in_sh(t): ALLOCCFG 0b0xxx keeps the byte and smmu_sh_combine of a byte with
   the shareability it combined to gives it again), so they cost a miss nothing. */
static inline void apply_overrides(const smmu_t *s, xlate_t *x, unsigned privcfg, unsigned instcfg,
                                   unsigned mtcfg, unsigned memattr, unsigned alloccfg,
                                   unsigned shcfg) {
    if (s->p.attr_perms_ovr && ((privcfg | instcfg) & SMMU_STE_XCFG_OVERRIDE_BIT))
        x->acc = override_access(x->t, privcfg, instcfg);
    if (s->p.attr_types_ovr && (mtcfg || (alloccfg & SMMU_STE_ALLOCCFG_REPLACE_BIT) ||
                                (shcfg & 3) != SMMU_STE_SHCFG_INCOMING))
        override_attrs(x, mtcfg, memattr, alloccfg, shcfg);
}

/* ----------------------------------------------------------------- global bypass */

/* A Secure stream's output NS when stage 1 does not give it (5.2 NSCFG, 6.3.63 S_GBPA.NSCFG):
   0b10 Secure, 0b11 Non-secure, otherwise the incoming NS attribute, which smmu_txn_t does not
   carry: a Secure stream's transactions are taken as Secure (NS == 0). RES0 (use incoming)
   without ATTR_PERMS_OVR. */
static bool secure_bypass_ns(const smmu_t *s, unsigned nscfg) {
    if (!s->p.attr_perms_ovr || !(nscfg & SMMU_STE_XCFG_OVERRIDE_BIT)) return false;
    return nscfg & SMMU_STE_XCFG_VALUE_BIT;
}

/* S_CR0.SIF (6.3.57.2): a Secure stream's instruction fetch whose output is Non-secure. */
static bool sif_denies(const smmu_t *s, const xlate_t *x) {
    return x->cx.sec && !x->acc.write && x->acc.exec && x->ns &&
           SMMU_VGET(s->sr.cr0ack, SMMU_F_S_CR0_SIF);
}

/* SMMUEN == 0: GBPA decides (3.11, 6.3.14); no event is ever recorded. A Secure stream uses
   S_GBPA (3.10.2), with its NSCFG; an instruction fetch SIF denies is aborted (6.3.57.2). */
static void global_bypass(smmu_t *s, xlate_t *x) {
    uint32_t g = smmu_bank_c(s, x->cx.sec)->gbpa;
    unsigned oas = smmu_oas_bits(s);
    if (SMMU_VGET(g, SMMU_F_GBPA_ABORT) || (oas < 64 && (x->t->addr >> oas))) { /* 3.4: no event */
        terminate_silent(x, 0);
        return;
    }
    apply_overrides(
        s, x, (unsigned)SMMU_VGET(g, SMMU_F_GBPA_PRIVCFG),
        (unsigned)SMMU_VGET(g, SMMU_F_GBPA_INSTCFG), (unsigned)SMMU_VGET(g, SMMU_F_GBPA_MTCFG),
        (unsigned)SMMU_VGET(g, SMMU_F_GBPA_MEMATTR), (unsigned)SMMU_VGET(g, SMMU_F_GBPA_ALLOCCFG),
        (unsigned)SMMU_VGET(g, SMMU_F_GBPA_SHCFG));
    x->r->attr = x->attr;
    x->r->sh = x->sh;
    x->mpam = smmu_mpam_gbp(s, x->cx.sec); /* 17.2 step 1: the world's SMMUEN == 0 */
    if (x->cx.sec) x->ns = secure_bypass_ns(s, (unsigned)SMMU_VGET(g, SMMU_F_GBPA_NSCFG));
    if (sif_denies(s, x)) {
        terminate_silent(x, 0);
        return;
    }
    finish_ok(x, x->t->addr, 1ull << 12, SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X);
}

/* ----------------------------------------------------------------- the front end */
/* Shared with ATS Translation Requests (ats.c): which CD a transaction uses, the EATS rule, and
   the walks of the enabled stages. */

/* Substream checks (5.2 S1CDMax, S1DSS; 7.3.7, 7.3.9): decides which CD (if any) is used. */
int smmu_select_cd(const smmu_t *s, const smmu_stecfg_t *c, bool ssv, uint32_t ssid, uint32_t *cd,
                   uint8_t *type) {
    *type = 0;
    if (ssv && (!c->s1 || c->s1cdmax == 0 || s->p.ssidsize == 0 || ssid >= (1u << c->s1cdmax))) {
        *type = SMMU_EVT_C_BAD_SUBSTREAMID;
    } else if (!c->s1) {
        return SMMU_S1_BYPASS;
    } else if (ssv) {
        if (ssid == 0 && c->s1dss == SMMU_STE_S1DSS_SSID0) *type = SMMU_EVT_F_STREAM_DISABLED;
        *cd = ssid;
    } else if (c->s1cdmax == 0 || c->s1dss == SMMU_STE_S1DSS_SSID0) {
        *cd = 0;
    } else if (c->s1dss == SMMU_STE_S1DSS_BYPASS) {
        return SMMU_S1_BYPASS;
    } else {
        *type = SMMU_EVT_F_STREAM_DISABLED; /* S1DSS 0b00, and 0b11 behaving as 0b00 */
    }
    return *type ? SMMU_S1_FAULT : SMMU_S1_TRANSLATE;
}

/* The STE's effective EATS (5.2, 3.9.1): a bypass STE (Config 0b100) allows no ATS, and EATS
   0b10 (Split-stage) counts as 0b00 while CR0.ATSCHK == 0 (6.3.9). */
unsigned smmu_ste_eats(const smmu_t *s, const smmu_stecfg_t *c) {
    if (c->config == SMMU_STE_CONFIG_BYPASS) return SMMU_STE_EATS_OFF;
    if (c->eats == SMMU_STE_EATS_SPLIT && !SMMU_VGET(s->r.cr0, SMMU_F_CR0_ATSCHK))
        return SMMU_STE_EATS_OFF;
    return c->eats;
}

/* Stage 1 bypassed: the input address is the IPA/PA; beyond the IAS it is a stage-1 Address
   Size fault, CLASS IN (3.4.1, 7.3.14). */
int smmu_s1_bypass_check(const smmu_t *s, uint64_t addr, smmu_fault_t *f) {
    unsigned ias = smmu_oas_bits(s);
    if (ias < 64 && (addr >> ias)) {
        *f = (smmu_fault_t){.type = SMMU_EVT_F_ADDR_SIZE, .cls = SMMU_CLASS_IN};
        return -1;
    }
    return 0;
}

/* Walks the stages the STE enables for addr: stage 1 through s1 (table half `half`), or
   bypassed with o's incoming attributes (the caller made smmu_s1_bypass_check); then stage 2,
   whose permissions, attributes and size combine with stage 1's (Arm ARM D8.5.5). w[0], w[1]:
   each stage's walk result. 0 with o filled, or -1 with *f. */
int smmu_walk_stages(smmu_t *s, smmu_xctx_t *x, const smmu_stecfg_t *c, const smmu_s1cfg_t *s1,
                     int half, uint64_t addr, const smmu_access_t *acc, smmu_walk_out_t w[2],
                     smmu_stage_out_t *o, smmu_fault_t *f) {
    if (s1) {
        if (smmu_walk_s1(s, x, s1, half, c->s2 ? &c->s2c : NULL, addr, acc, &w[0], f)) return -1;
        *o = (smmu_stage_out_t){w[0].oa, w[0].oa, w[0].span, w[0].perm, w[0].attr, w[0].sh};
    } else {
        o->oa = o->ipa = addr;
        o->span = UINT64_MAX;
        o->perm = SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X;
    }
    if (!c->s2) return 0;
    if (smmu_walk_s2(s, x, &c->s2c, o->ipa, acc, SMMU_CLASS_IN, &w[1], f)) return -1;
    smmu_attr_combine_s2(&o->attr, &o->sh, w[1].attr, w[1].sh, w[1].force_wb);
    o->perm &= w[1].perm;
    o->span = o->span < w[1].span ? o->span : w[1].span;
    o->oa = w[1].oa;
    return 0;
}

/* ----------------------------------------------------------------- stages */

/* The CD at index ssid of the stream's table: from the configuration cache, else fetched,
   decoded and cached (3.21.3). NULL when a fault was handled. */
static const smmu_s1cfg_t *get_cd(smmu_t *s, xlate_t *x, const smmu_stecfg_t *c, uint32_t ssid,
                                  smmu_s1cfg_t *buf) {
    const smmu_cde_t *line = smmu_cd_cached(s, &x->cx, x->t->sid, ssid);
    consult(x, SMMU_MEMO_CD, line);
    if (line) return &line->c;
    x->r->cfg_hit = false;
    uint64_t cd[8];
    smmu_fault_t f = {0};
    if (smmu_cd_fetch_sid(s, &x->cx, c, x->t->sid, ssid, cd, &f) ||
        smmu_cd_decode(s, c, cd, buf, &f)) {
        fault(s, x, &f, c, NULL);
        return NULL;
    }
    consult(x, SMMU_MEMO_CD, smmu_cd_fill(s, &x->cx, x->t->sid, ssid, buf));
    return buf;
}

/* STE.S1MPAM with stage 1 translating (17.2): the CD's label, through the VMS when nested;
   stage-1 descriptors are read with it too (17.4). -1 when F_VMS_FETCH was handled. */
static int stream_mpam(smmu_t *s, xlate_t *x, const smmu_stecfg_t *c, const smmu_s1cfg_t *s1) {
    smmu_fault_t f = {0};
    if (smmu_mpam_stream(s, &x->cx, c, s1, &x->mpam, &f)) {
        fault(s, x, &f, c, NULL);
        return -1;
    }
    x->cx.mpam_s1 = x->mpam;
    return 0;
}

/* ----------------------------------------------------------------- TLB (3.17) */

/* Tags of the stream's translations: StreamWorld, VMID, ASID and ASET for stage 1 (VA);
   NS-EL1 IPA with the VMID for stage-2-only. */
static void tlb_key(const smmu_stecfg_t *c, const smmu_s1cfg_t *s1, uint64_t ia, smmu_tlbkey_t *k) {
    if (!s1) {
        *k = (smmu_tlbkey_t){.regime = SMMU_RG_S2, .vmid = c->vmid, .ia = ia};
        return;
    }
    *k = (smmu_tlbkey_t){.regime = s1->regime,
                         .aset = s1->aset,
                         .vmid = s1->vmid,
                         .asid = smmu_rg_asid(s1->regime) ? s1->asid : 0,
                         .ia = smmu_va_canon(ia)};
}

static bool access_ok(uint8_t perm, const smmu_access_t *acc) {
    if (acc->write) return perm & SMMU_PERM_W;
    if (acc->exec) return perm & SMMU_PERM_X;
    return perm & SMMU_PERM_R;
}

/* A TLB multi-hit at BBML 0/1 (tlb.c smmu_tlb_conflict): the transaction is aborted and
   F_TLB_CONFLICT recorded (3.20.1), never stalled (3.12.1: not translation-related). S2 == 1
   with the IPA (the input address) for a stage-2-only stream's entries (7.3.17); a stage-1 or
   nested stream reports S2 == 0. The entries stay until a TLBI removes them (3.21.1.3: a TLBI
   removes every matching entry). */
static void tlb_conflict(smmu_t *s, xlate_t *x, const smmu_tlbe_t *e) {
    smmu_fault_t f = {.type = SMMU_EVT_F_TLB_CONFLICT, .s2 = !e->s1};
    if (f.s2) f.ipa = x->t->addr;
    fault(s, x, &f, NULL, NULL);
}

/* A TLB entry answers: the permission checks of each stage it holds, in walk order, then the
   output. 1: o filled; -1: a Permission fault was handled; 0: miss. */
static int tlb_hit(smmu_t *s, xlate_t *x, const smmu_stecfg_t *c, const smmu_s1cfg_t *s1,
                   const smmu_tlbkey_t *k, smmu_stage_out_t *o) {
    const smmu_tlbe_t *e = smmu_tlb_lookup(s, &x->cx, SMMU_CACHE_TLB, k);
    consult(x, SMMU_MEMO_TLB, e);
    if (!e) return 0;
    x->r->tlb_hit = true;
    if (s->p.bbml < 2 && smmu_tlb_conflict(s, k, e)) {
        tlb_conflict(s, x, e);
        return -1;
    }
    uint64_t off = x->t->addr & smmu_bits_mask(e->size_log2);
    smmu_fault_t f = {.type = SMMU_EVT_F_PERMISSION, .cls = SMMU_CLASS_IN};
    *o = (smmu_stage_out_t){.oa = e->oa | off,
                            .span = 1ull << e->size_log2,
                            .perm = SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X,
                            .attr = x->attr,
                            .sh = x->sh};
    if (e->s1) {
        x->ns = e->ns1; /* a Secure stream's stage 1 gives the output NS (3.10.2) */
        o->perm = x->acc.priv ? e->perm_p : e->perm_u;
        o->attr = e->attr1;
        o->sh = e->sh1;
        if (!access_ok(o->perm, &x->acc)) goto perm_fault;
    }
    if (e->s2) {
        f.s2 = true;
        f.ipa = e->s1 ? e->ipa | off : x->t->addr;
        /* IDR3.XNX: stage-2 execution depends on PRIV (13.4; Arm ARM Table D8-78). */
        const uint8_t perm2 = x->acc.priv ? e->perm2_p : e->perm2_u;
        if (!access_ok(perm2, &x->acc)) goto perm_fault;
        smmu_attr_combine_s2(&o->attr, &o->sh, e->attr2, e->sh2, e->force_wb2);
        o->perm &= perm2;
    }
    return 1;
perm_fault:
    if (x->acc.write && (f.s2 ? c->s2c.hd : s1->hd)) {
        /* Perhaps cached while writable-clean: a write walks again to make the descriptor dirty,
           or fault (HTTU, spec 3.13.3; Arm ARM R SGJBL, I HQBGN); the walk's entry replaces this
           one. */
        if (!x->cx.dbg) smmu_tlb_drop(s, SMMU_CACHE_TLB, e);
        x->r->tlb_hit = false;
        return 0;
    }
    fault(s, x, &f, c, s1);
    return -1;
}

static unsigned log2_of(uint64_t span) {
    return (unsigned)__builtin_ctzll(span);
}

/* A walked translation enters the TLB, tagged by k; nG == 0 makes it global (3.17.1), and
   the EL2 and EL3 StreamWorlds have no ASIDs. */
static void tlb_fill(smmu_t *s, xlate_t *x, const smmu_tlbkey_t *k, bool s1, bool s2,
                     const smmu_stage_out_t *o) {
    if (!s->cache[SMMU_CACHE_TLB].sets || x->cx.dbg) return; /* nothing would be filled */
    if (x->w[0].nt || x->w[1].nt) {      /* BBML level 1: an nT block is not cached (3.21.1.2) */
        consult(x, SMMU_MEMO_TLB, NULL); /* nor remembered by the memo */
        return;
    }
    const unsigned size = log2_of(o->span);
    const uint64_t keep = ~smmu_bits_mask(size);
    const smmu_walk_out_t *w1 = &x->w[0], *w2 = &x->w[1];
    const smmu_walk_out_t *a = s1 ? w1 : w2; /* the stage of the input address */
    /* built in the line (zeroed by the fill), not copied there */
    smmu_tlbe_t *e = smmu_tlb_alloc(s, &x->cx, SMMU_CACHE_TLB, k->regime, k->vmid, k->ia & keep,
                                    size, log2_of(a->span));
    consult(x, SMMU_MEMO_TLB, e);
    if (!e) return;
    e->gran = a->gran;
    e->level = a->level;
    e->global = !s1 || !w1->ng || !smmu_rg_asid(k->regime);
    e->aset = k->aset;
    e->s1 = s1;
    e->s2 = s2;
    e->asid = k->asid;
    e->oa = o->oa & keep;
    e->ns1 = true;
    if (s1) {
        e->ipa = w1->oa & keep;
        e->perm_p = w1->perm_priv;
        e->perm_u = w1->perm_user;
        e->attr1 = w1->attr;
        e->sh1 = w1->sh;
        e->ns1 = w1->ns;
        e->cont = w1->cont;
    }
    if (s2) {
        e->perm2_p = w2->perm_priv;
        e->perm2_u = w2->perm_user;
        e->attr2 = w2->attr;
        e->force_wb2 = w2->force_wb;
        e->sh2 = w2->sh;
        e->cont |= w2->cont;
    }
}

/* The TLB tags of a translation (3.17) for smmu_translate_dbg_tags: those of tlb_key(), the
   leaf's global-ness (nG == 0, or a regime without ASIDs) and the IPA of the input address. */
static void fill_tags(xlate_t *x, const smmu_stecfg_t *c, const smmu_s1cfg_t *s1, bool global,
                      uint64_t ipa) {
    smmu_tlbkey_t k;
    tlb_key(c, s1, x->t->addr, &k);
    smmu_xlate_tags_t *t = x->tags;
    t->s1 = s1 != NULL;
    t->s2 = c->s2;
    t->world = (uint8_t)(1u << k.regime); /* SMMU_INV_W_* are regime bits */
    t->vmid = k.vmid;
    t->asid = k.asid;
    t->global = !s1 || global || !smmu_rg_asid(k.regime);
    t->secure = x->cx.sec;
    t->ipa = s1 ? ipa : x->t->addr;
}

static void tags_from_tlb(xlate_t *x, const smmu_stecfg_t *c, const smmu_s1cfg_t *s1) {
    const smmu_tlbe_t *e = x->lines[SMMU_MEMO_TLB];
    fill_tags(x, c, s1, e->global, e->ipa | (x->t->addr & smmu_bits_mask(e->size_log2)));
}

/* The translating stages (s1 non-NULL: stage 1; c->s2: stage 2) through the TLB. o holds the
   stage-1 bypass output when s1 is NULL. 0 with o filled, -1 when a fault was handled. */
static int translate_stages(smmu_t *s, xlate_t *x, const smmu_stecfg_t *c, const smmu_s1cfg_t *s1,
                            smmu_stage_out_t *o) {
    smmu_tlbkey_t k;
    smmu_walk_out_t w[2]; /* set only on a miss: a hit must stay cheap */
    smmu_fault_t f = {0};
    x->w = w;
    int half = s1 ? smmu_s1_select(s1, x->t->addr, x->acc.priv) : 0;
    if (half >= 0) {
        /* no TLB: no key, no lookup, no fill; outside both stage-1 tables: a fault, no lookup */
        if (s->cache[SMMU_CACHE_TLB].sets) {
            tlb_key(c, s1, x->t->addr, &k);
            int hit = tlb_hit(s, x, c, s1, &k, o);
            if (hit > 0 && x->tags) tags_from_tlb(x, c, s1);
            if (hit) return hit < 0 ? -1 : 0;
        } else {
            consult(x, SMMU_MEMO_TLB, NULL);
        }
    }
    /* a stage that walks writes its whole result; the other reads as zero (tlb_fill, tags) */
    if (!s1) w[0] = (smmu_walk_out_t){0};
    if (!c->s2) w[1] = (smmu_walk_out_t){0};
    if (smmu_walk_stages(s, &x->cx, c, s1, half, x->t->addr, &x->acc, w, o, &f)) {
        fault(s, x, &f, c, s1);
        return -1;
    }
    x->walked = true;
    if (s1) x->ns = w[0].ns; /* a Secure stream's stage 1 gives the output NS (3.10.2) */
    if (x->tags) fill_tags(x, c, s1, !w[0].ng, w[0].oa);
    tlb_fill(s, x, &k, s1 != NULL, c->s2, o);
    return 0;
}

/* ----------------------------------------------------------------- stream configuration */

static const smmu_stecfg_t *fetch_ste(smmu_t *s, xlate_t *x, smmu_stecfg_t *c) {
    uint64_t ste[8];
    unsigned cont = 0;
    smmu_fault_t f = {0};
    if (smmu_ste_fetch(s, &x->cx, x->t->sid, ste, &cont, &f) ||
        smmu_ste_decode_w(s, ste, c, &f, x->cx.sec)) {
        /* C_BAD_STREAMID is recorded only when (S_)CR2.RECINVSID (6.3.12, 6.3.60). */
        const uint32_t cr2 = smmu_bank_c(s, x->cx.sec)->cr2;
        if (f.type == SMMU_EVT_C_BAD_STREAMID && !SMMU_VGET(cr2, SMMU_F_CR2_RECINVSID))
            terminate_silent(x, f.type);
        else
            terminate_record(s, x, &f);
        return NULL;
    }
    consult(x, SMMU_MEMO_STE, smmu_ste_fill(s, &x->cx, x->t->sid, cont, c));
    return c;
}

/* The stream's STE: from the configuration cache, else fetched, decoded and cached (only
   valid STEs are cached, 3.21.3). NULL when the transaction was terminated: a lookup that
   matched a CONT span over a non-identical STE is aborted with F_CFG_CONFLICT (3.20.2, 5.2
   STE.CONT, 7.3.18: StreamID, SSV and SubstreamID; Reason 0), recorded whatever the stream's
   configuration (it is not translation-related, so never stalled: 3.12.1). */
static const smmu_stecfg_t *fetch_config(smmu_t *s, xlate_t *x, smmu_stecfg_t *buf) {
    bool conflict;
    const smmu_stee_t *line = smmu_ste_cached(s, &x->cx, x->t->sid, &conflict);
    consult(x, SMMU_MEMO_STE, line);
    x->r->cfg_hit = line != NULL;
    if (__builtin_expect(conflict, 0)) {
        smmu_fault_t f = {.type = SMMU_EVT_F_CFG_CONFLICT};
        terminate_record(s, x, &f);
        return NULL;
    }
    return line ? &line->c : fetch_ste(s, x, buf);
}

/* ATS Translated transactions (3.9.1, 6.3.9.2) with ATSCHK == 1: the STE's EATS decides.
   Returns true when the transaction was fully handled; *s2_only for Split-stage. */
static bool ats_translated(smmu_t *s, xlate_t *x, const smmu_stecfg_t *c, bool *s2_only) {
    const unsigned eats = smmu_ste_eats(s, c);
    if (eats == SMMU_STE_EATS_OFF) {
        smmu_fault_t f = {.type = SMMU_EVT_F_TRANSL_FORBIDDEN};
        terminate_record(s, x, &f);
        return true;
    }
    *s2_only = eats == SMMU_STE_EATS_SPLIT;
    if (*s2_only) return false;
    finish_ok(x, x->t->addr, 1ull << 12, SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X);
    return true;
}

/* Stage 1 bypassed: the IAS check, then the input address with the incoming attributes. */
static int stage1_bypass(smmu_t *s, xlate_t *x, const smmu_stecfg_t *c, smmu_stage_out_t *o) {
    smmu_fault_t f = {0};
    if (smmu_s1_bypass_check(s, x->t->addr, &f)) {
        fault(s, x, &f, c, NULL);
        return -1;
    }
    *o = (smmu_stage_out_t){.oa = x->t->addr,
                            .ipa = x->t->addr,
                            .span = UINT64_MAX,
                            .perm = SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X,
                            .attr = x->attr,
                            .sh = x->sh};
    return 0;
}

/* SIF with SMMUEN == 1 (6.3.57.2): a stage-1 F_PERMISSION, CLASS IN, S2 == 0; with stage 1
   the CD's A/R/S govern it, with stage 1 bypassed the transaction is aborted and recorded. */
static void sif_fault(smmu_t *s, xlate_t *x, const smmu_stecfg_t *c, const smmu_s1cfg_t *s1) {
    smmu_fault_t f = {.type = SMMU_EVT_F_PERMISSION, .cls = SMMU_CLASS_IN};
    if (s1)
        fault(s, x, &f, c, s1);
    else
        terminate_record(s, x, &f);
}

static void translate_stream(smmu_t *s, xlate_t *x) {
    smmu_stecfg_t cbuf;
    smmu_s1cfg_t s1c;
    const smmu_s1cfg_t *s1 = NULL;
    smmu_stage_out_t o = {0}; /* every path that uses it sets it; GCC -O3 cannot see that */
    bool ats_s2_only = false;
    uint32_t ssid = 0;

    if (x->t->ats == SMMU_ATS_TRANSLATED && !SMMU_VGET(s->r.cr0, SMMU_F_CR0_ATSCHK)) {
        /* ATSCHK == 0: Translated traffic bypasses with only an address size check, labelled by
           GBPMPAM (17.3, 6.3.43). */
        if (stage1_bypass(s, x, NULL, &o)) return;
        x->mpam = smmu_mpam_gbp(s, false); /* Non-secure: Secure ATS is refused */
        finish_ok(x, o.oa, 1ull << 12, o.perm);
        return;
    }
    const smmu_stecfg_t *c = fetch_config(s, x, &cbuf);
    if (!c) return;
    if (x->tags) {
        x->tags->via_ste = true;
        x->tags->secure = x->cx.sec; /* the Stream table's Security state (3.10.1) */
    }
    if (!smmu_ste_config_passes(c->config)) { /* 0b0xx: abort, no event (5.2 Config) */
        terminate_silent(x, 0);
        return;
    }
    apply_overrides(s, x, c->privcfg, c->instcfg, c->mtcfg, c->memattr, c->alloccfg, c->shcfg);
    /* 17.2, 17.3 (ATSCHK == 1, no PASID on Translated traffic: IDR3.PASIDTT == 0): the STE's
       label, for the output and for the stream's CD fetches and stage-2 walks (17.4) */
    x->mpam = x->cx.mpam_ste = x->cx.mpam_s1 = smmu_mpam_ste_label(s, c, c->partid, c->pmg);
    if (x->t->ats == SMMU_ATS_TRANSLATED && ats_translated(s, x, c, &ats_s2_only)) return;
    int sel = SMMU_S1_BYPASS;
    if (!ats_s2_only) {
        uint8_t type;
        sel = smmu_select_cd(s, c, x->t->ssv, x->t->ssid, &ssid, &type);
        if (sel == SMMU_S1_FAULT) {
            smmu_fault_t f = {.type = type};
            terminate_record(s, x, &f);
            return;
        }
    }
    if (sel == SMMU_S1_TRANSLATE && !(s1 = get_cd(s, x, c, ssid, &s1c))) return;
    if (s1 && c->s1mpam && stream_mpam(s, x, c, s1)) return;
    if (!s1 && stage1_bypass(s, x, c, &o)) return;
    if (!s1 && c->secure) x->ns = secure_bypass_ns(s, c->nscfg); /* 5.2 NSCFG */
    if ((s1 || c->s2) && translate_stages(s, x, c, s1, &o)) return;
    if (sif_denies(s, x)) {
        sif_fault(s, x, c, s1);
        return;
    }
    if (o.span == UINT64_MAX) o.span = 1ull << 12; /* full bypass: report a 4KB granule */
    x->r->attr = o.attr;
    x->r->sh = o.sh;
    finish_ok(x, o.oa, o.span, o.perm);
}

/* The same translation would now hit in every cache it consults: each consulted cache holds a
   line for it (not so when a cache is disabled, or in a debug translation). The memo (memo.c,
   architecturally invisible) takes a translation at its first reuse, a TLB hit on the full path,
   not at the miss that walked and filled the TLB: scattered traffic, whose pages are translated
   once, pays no memo insertion; a page used again is answered by the memo from its third use. */
static bool memo_complete(const xlate_t *x) {
    if (x->walked) return false;
    for (unsigned i = 0; i < SMMU_MEMO_LINES; i++)
        if ((x->consulted & (1u << i)) && !x->lines[i]) return false;
    return true;
}

static uint16_t sat16(uint64_t v) {
    return v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
}

/* One translation on the full path: its context (cost, debug mode) is made here and committed
   once at the end; a debug translation has no side effect (no event, stall, statistics, cache
   fill or LRU age). */
static void translate_full(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r, bool dbg,
                           smmu_xlate_tags_t *tags) {
    memset(r, 0, sizeof(*r));
    /* SEC_SID selects the programming interface (3.10.1); without SECURE_IMPL it is taken as 0 */
    const bool sec = t->secure && s->p.secure_impl;
    xlate_t x = {.cx = {.dbg = dbg, .sec = sec},
                 .t = t,
                 .r = r,
                 .attr = in_attr(t),
                 .sh = in_sh(t),
                 .tags = tags,
                 .ns = true};
    x.acc = override_access(t, 0, 0);
    if (smmu_dsan_on(s) && !dbg) smmu_dsan_use(s, sec, t->sid, t->ssid, t->ssv, t->addr);
    if (t->ats == SMMU_ATS_REQUEST) /* ats.c answers Translation Requests (3.9.1.2) */
        smmu_ats_request_txn(s, &x.cx, t, r);
    else if (t->ats == SMMU_ATS_TRANSLATED && (t->secure || !smmu_smmuen(s)))
        smmu_ats_forbidden(s, &x.cx, t, r); /* 3.9.1.3: never bypassed through GBPA */
    else if (!smmu_w_smmuen(s, sec))
        global_bypass(s, &x);
    else
        translate_stream(s, &x);
    if (smmu_dsan_on(s)) smmu_dsan_done(s);
    smmu_mpam_io_end(s, false);
    memcpy(r->lookups, x.cx.lookups, sizeof(r->lookups));
    memcpy(r->hits, x.cx.hits, sizeof(r->hits));
    r->mem_reads = sat16(x.cx.reads);
    if (dbg) return;
    r->walk_reads = sat16(x.cx.walk_reads);
    smmu_xctx_commit(s, &x.cx);
    if (smmu_pmcg_active(s)) smmu_pmcg_count_xlate(s, t->sid, t->secure, t->ats, &x.cx);
    s->st.translations++;
    if (t->ats != SMMU_ATS_REQUEST) { /* a request's outcome is a completion, not a fault */
        if (r->status == SMMU_OK) s->st.ok++;
        if (r->status == SMMU_STALLED) s->st.stalls++;
        if (r->status == SMMU_FAULT) {
            s->st.faults++;
            if (r->event < sizeof(s->st.by_event) / sizeof(s->st.by_event[0]))
                s->st.by_event[r->event]++;
        }
    }
    smmu_stream_count(s, t->sid, r);
    if (r->status == SMMU_OK && memo_complete(&x)) smmu_memo_record(s, t, r, x.lines);
}

static void trace_xlate(smmu_t *s, const smmu_txn_t *t, const smmu_result_t *r, bool dbg,
                        bool memo) {
    smmu_tp_t tp = {.kind = SMMU_TP_XLATE,
                    .u.xlate = {.txn = t, .res = r, .dbg = dbg, .memo = memo}};
    smmu_tp_emit(s, &tp);
}

/* After the memo's probe (memo.c): the full path on a miss, under the lock in concurrent mode,
   and the XLATE trace point, under the lock too (host callbacks never run two at once). */
void smmu_translate_miss(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r, bool memo) {
    SMMU_LOCKED(s);
    if (!memo) translate_full(s, t, r, false, NULL);
    if (smmu_tp_on(s, SMMU_TP_XLATE)) trace_xlate(s, t, r, false, memo);
}

/* The entry points of a translation: the memo's probe, which hands a miss to
   smmu_translate_miss. */
void smmu_port_translate(smmu_port_t *p, const smmu_txn_t *t, smmu_result_t *r) {
    smmu_memo_translate(p->s, p, t, r);
}

void smmu_translate(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r) {
    smmu_memo_translate(s, &s->port0, t, r);
}

void smmu_translate_dbg(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r) {
    SMMU_LOCKED(s);
    translate_full(s, t, r, true, NULL);
    if (smmu_tp_on(s, SMMU_TP_XLATE)) trace_xlate(s, t, r, true, false);
}

void smmu_translate_tags(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r,
                         smmu_xlate_tags_t *tags) {
    SMMU_LOCKED(s);
    smmu_xlate_tags_t none;
    if (!tags) tags = &none;
    memset(tags, 0, sizeof(*tags));
    translate_full(s, t, r, false, tags);
    if (r->status != SMMU_OK) memset(tags, 0, sizeof(*tags));
    if (smmu_tp_on(s, SMMU_TP_XLATE)) trace_xlate(s, t, r, false, false);
}

void smmu_count_transaction(smmu_t *s, const smmu_txn_t *t) {
    static const smmu_result_t ok = {.status = SMMU_OK};
    SMMU_LOCKED(s);
    if (smmu_pmcg_active(s)) smmu_pmcg_memo_hit(s, t);
    s->st.translations++;
    s->st.ok++;
    smmu_stream_count(s, t->sid, &ok);
}

void smmu_count_transactions(smmu_t *s, const smmu_txn_t *t, uint64_t n) {
    SMMU_LOCKED(s);
    if (!n) return;
    if (smmu_pmcg_active(s)) smmu_pmcg_count(s, SMMU_PMCG_EV_TRANSACTION, t->sid, t->secure, n);
    s->st.translations += n;
    s->st.ok += n;
    smmu_stream_count_ok(s, t->sid, n);
}

void smmu_translate_dbg_tags(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r,
                             smmu_xlate_tags_t *tags) {
    SMMU_LOCKED(s);
    if (tags) memset(tags, 0, sizeof(*tags));
    translate_full(s, t, r, true, tags);
    if (tags && r->status != SMMU_OK) memset(tags, 0, sizeof(*tags));
    if (smmu_tp_on(s, SMMU_TP_XLATE)) trace_xlate(s, t, r, true, false);
}
