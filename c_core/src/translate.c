/* SPDX-License-Identifier: Apache-2.0 */
/* The translation of one client transaction (spec 3.3 "Data structures and translation
 * procedure"): global bypass (SMMUEN = 0, GBPA), stream table, STE configuration, CD, stage 1
 * and stage 2 walks, the fault model of 3.12 / 5.5 (terminate, RAZ/WI, stall, record) and
 * output attributes. Allocation-free. */
#include <string.h>

#include "internal.h"

/* Attributes assumed for the incoming transaction: the smmu_txn_t carries none, so client
   traffic is taken as Normal Write-back, read/write-allocate, Inner Shareable. */
enum { IN_ATTR = 0xFF, IN_SH = SMMU_SH_ISH };

typedef struct xlate {
    const smmu_txn_t *t;
    smmu_access_t acc; /* after STE/GBPA PRIVCFG and INSTCFG overrides */
    smmu_result_t *r;
    uint8_t attr, sh; /* incoming attributes after STE/GBPA overrides */
} xlate_t;

/* ----------------------------------------------------------------- results */

static void finish_ok(smmu_t *s, xlate_t *x, uint64_t pa, uint64_t span, uint8_t perm) {
    x->r->status = SMMU_OK;
    x->r->pa = pa;
    x->r->span = span;
    x->r->perm = perm;
    x->r->ns = true;
    s->st.ok++;
}

static void count_fault(smmu_t *s, uint32_t type) {
    s->st.faults++;
    if (type < sizeof(s->st.by_event) / sizeof(s->st.by_event[0])) s->st.by_event[type]++;
}

/* Terminates with an abort and no event (STE.Config abort, GBPA.ABORT, silent cases). */
static void terminate_silent(smmu_t *s, xlate_t *x, uint32_t type) {
    x->r->status = SMMU_FAULT;
    x->r->abort = true;
    x->r->event = type;
    count_fault(s, type);
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
    return e;
}

static void record(smmu_t *s, xlate_t *x, const smmu_event_t *e) {
    if (s->dbg) return;
    x->r->recorded = true;
    smmu_evtq_record(s, e);
}

/* Configuration errors and non-translation faults: abort and record (5.5). */
static void terminate_record(smmu_t *s, xlate_t *x, const smmu_fault_t *f) {
    terminate_silent(s, x, f->type);
    smmu_event_t e = event_of(x, f);
    record(s, x, &e);
}

static bool translation_related(uint8_t type) {
    return type == SMMU_EVT_F_TRANSLATION || type == SMMU_EVT_F_ADDR_SIZE ||
           type == SMMU_EVT_F_ACCESS || type == SMMU_EVT_F_PERMISSION;
}

/* The fault model of 3.12 / 5.5 for one fault: stage 1 uses CD.{A,R,S}, stage 2 uses
   STE.{S2R,S2S} with an implied A = 1. */
static void fault(smmu_t *s, xlate_t *x, const smmu_fault_t *f, const smmu_stecfg_t *c,
                  const smmu_s1cfg_t *s1) {
    if (!translation_related(f->type) || x->t->ats == SMMU_ATS_REQUEST) {
        if (x->t->ats == SMMU_ATS_REQUEST && translation_related(f->type)) {
            /* ATS Translation Request: no event, no stall; answered R = W = 0 (5.5). */
            terminate_silent(s, x, f->type);
            x->r->abort = false;
            return;
        }
        terminate_record(s, x, f);
        return;
    }
    if (!f->s2 && !s1) { /* stage 1 bypassed: address size faults always abort + record */
        terminate_record(s, x, f);
        return;
    }
    bool stall = f->s2 ? c->s2c.s : s1->s;
    bool rec = f->s2 ? c->s2c.r : s1->r;
    bool abort = f->s2 ? true : s1->a;
    smmu_event_t e = event_of(x, f);
    /* A stall is always recorded (5.5); with no free STAG the transaction is terminated. */
    int stag = stall && !s->dbg ? smmu_stall_fault(s, &e) : -1;
    if (stag >= 0) {
        x->r->status = SMMU_STALLED;
        x->r->stag = (uint16_t)stag;
        x->r->event = f->type;
        x->r->recorded = true;
        s->st.stalls++;
        return;
    }
    e.stall = false;
    terminate_silent(s, x, f->type);
    x->r->abort = abort;
    if (rec || stall) record(s, x, &e);
}

/* ----------------------------------------------------------------- attribute overrides */

/* PRIVCFG / INSTCFG (5.2, 6.3.14): 0b0x use incoming; 0b10 unprivileged / data; 0b11
   privileged / instruction. Instruction applies to reads only. */
static smmu_access_t override_access(const smmu_txn_t *t, unsigned privcfg, unsigned instcfg) {
    smmu_access_t a = {.write = t->write, .exec = t->exec && !t->write, .priv = t->priv};
    if (privcfg & 2) a.priv = privcfg & 1;
    if ((instcfg & 2) && !t->write) a.exec = instcfg & 1;
    return a;
}

static void override_attrs(xlate_t *x, unsigned mtcfg, unsigned memattr, unsigned alloccfg,
                           unsigned shcfg) {
    uint8_t attr = IN_ATTR;
    /* MTCFG/MemAttr: Reserved encodings behave as Device-nGnRnE (5.2 MemAttr). */
    if (mtcfg) {
        bool reserved = (memattr & 0xC) && !(memattr & 0x3); /* 0b0100, 0b1000, 0b1100 */
        attr = reserved ? 0x00 : smmu_attr_from_s2memattr(memattr);
    }
    x->attr = smmu_attr_alloc_override(attr, alloccfg);
    /* SHCFG: 0b00 NSH, 0b01 use incoming, 0b10 OSH, 0b11 ISH. */
    static const uint8_t sh[4] = {SMMU_SH_NSH, IN_SH, SMMU_SH_OSH, SMMU_SH_ISH};
    x->sh = smmu_sh_combine(x->attr, sh[shcfg & 3], sh[shcfg & 3]);
}

/* The STE / GBPA overrides take effect only where IDR1.ATTR_PERMS_OVR / ATTR_TYPES_OVR say
   the SMMU implements them (the fields are RES0 otherwise, 6.3.2). */
static void apply_overrides(const smmu_t *s, xlate_t *x, unsigned privcfg, unsigned instcfg,
                            unsigned mtcfg, unsigned memattr, unsigned alloccfg, unsigned shcfg) {
    if (!s->p.attr_perms_ovr) privcfg = instcfg = 0;
    if (!s->p.attr_types_ovr) {
        mtcfg = alloccfg = 0;
        shcfg = 1; /* use incoming */
    }
    x->acc = override_access(x->t, privcfg, instcfg);
    override_attrs(x, mtcfg, memattr, alloccfg, shcfg);
}

/* ----------------------------------------------------------------- global bypass */

/* SMMUEN == 0: GBPA decides (3.11, 6.3.14); no event is ever recorded. */
static void global_bypass(smmu_t *s, xlate_t *x) {
    uint32_t g = s->r.gbpa;
    unsigned oas = smmu_oas_bits(s);
    if (VGET(g, GBPA_ABORT) || (oas < 64 && (x->t->addr >> oas))) { /* 3.4: no event */
        terminate_silent(s, x, 0);
        return;
    }
    apply_overrides(s, x, (unsigned)VGET(g, GBPA_PRIVCFG), (unsigned)VGET(g, GBPA_INSTCFG),
                    (unsigned)VGET(g, GBPA_MTCFG), (unsigned)VGET(g, GBPA_MEMATTR),
                    (unsigned)VGET(g, GBPA_ALLOCCFG), (unsigned)VGET(g, GBPA_SHCFG));
    x->r->attr = x->attr;
    x->r->sh = x->sh;
    finish_ok(s, x, x->t->addr, 1ull << 12, SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X);
}

/* ----------------------------------------------------------------- stage 1 selection */

enum { S1_TRANSLATE, S1_BYPASS, S1_DONE };

/* Substream checks (5.2 S1CDMax, S1DSS; 7.3.7, 7.3.9): decides which CD (if any) is used. */
static int select_cd(smmu_t *s, xlate_t *x, const smmu_stecfg_t *c, uint32_t *ssid) {
    smmu_fault_t f = {0};
    const smmu_txn_t *t = x->t;
    if (t->ssv &&
        (!c->s1 || c->s1cdmax == 0 || s->p.ssidsize == 0 || t->ssid >= (1u << c->s1cdmax))) {
        f.type = SMMU_EVT_C_BAD_SUBSTREAMID;
    } else if (!c->s1) {
        return S1_BYPASS;
    } else if (t->ssv) {
        if (t->ssid == 0 && c->s1dss == 2) f.type = SMMU_EVT_F_STREAM_DISABLED;
        *ssid = t->ssid;
    } else if (c->s1cdmax == 0 || c->s1dss == 2) {
        *ssid = 0;
    } else if (c->s1dss == 1) {
        return S1_BYPASS;
    } else {
        f.type = SMMU_EVT_F_STREAM_DISABLED; /* S1DSS 0b00, and 0b11 behaving as 0b00 */
    }
    if (f.type) {
        terminate_record(s, x, &f);
        return S1_DONE;
    }
    return S1_TRANSLATE;
}

/* ----------------------------------------------------------------- stages */

typedef struct stage_out {
    uint64_t oa, span;
    uint8_t perm, attr, sh;
} stage_out_t;

static int stage1(smmu_t *s, xlate_t *x, const smmu_stecfg_t *c, uint32_t ssid, smmu_s1cfg_t *s1,
                  stage_out_t *o) {
    uint64_t cd[8];
    smmu_fault_t f = {0};
    smmu_walk_out_t w;
    if (smmu_cd_fetch(s, c, ssid, cd, &f, &x->r->mem_reads) || smmu_cd_decode(s, c, cd, s1, &f)) {
        fault(s, x, &f, c, NULL);
        return -1;
    }
    if (smmu_walk_s1(s, s1, c->s2 ? &c->s2c : NULL, x->t->addr, &x->acc, &w, &f,
                     &x->r->mem_reads)) {
        fault(s, x, &f, c, s1);
        return -1;
    }
    *o = (stage_out_t){w.oa, w.span, w.perm, w.attr, w.sh};
    return 0;
}

/* Stage 1 bypassed: the input address is the IPA/PA; beyond the IAS it is a stage-1 Address
   Size fault (3.4.1, 7.3.14). Incoming attributes after overrides. */
static int stage1_bypass(smmu_t *s, xlate_t *x, const smmu_stecfg_t *c, stage_out_t *o) {
    unsigned ias = smmu_oas_bits(s);
    if (ias < 64 && (x->t->addr >> ias)) {
        smmu_fault_t f = {.type = SMMU_EVT_F_ADDR_SIZE, .cls = SMMU_CLASS_IN};
        fault(s, x, &f, c, NULL);
        return -1;
    }
    *o = (stage_out_t){x->t->addr, UINT64_MAX, SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X, x->attr,
                       x->sh};
    return 0;
}

static int stage2(smmu_t *s, xlate_t *x, const smmu_stecfg_t *c, const smmu_s1cfg_t *s1,
                  stage_out_t *o) {
    smmu_fault_t f = {0};
    smmu_walk_out_t w;
    if (smmu_walk_s2(s, &c->s2c, o->oa, &x->acc, SMMU_CLASS_IN, &w, &f, &x->r->mem_reads)) {
        fault(s, x, &f, c, s1);
        return -1;
    }
    o->attr = smmu_attr_combine(o->attr, w.attr);
    o->sh = smmu_sh_combine(o->attr, o->sh, w.sh);
    o->perm &= w.perm;
    o->span = o->span < w.span ? o->span : w.span;
    o->oa = w.oa;
    return 0;
}

/* ----------------------------------------------------------------- stream configuration */

static bool fetch_config(smmu_t *s, xlate_t *x, smmu_stecfg_t *c) {
    uint64_t ste[8];
    smmu_fault_t f = {0};
    if (smmu_ste_fetch(s, x->t->sid, ste, &f, &x->r->mem_reads) || smmu_ste_decode(s, ste, c, &f)) {
        /* C_BAD_STREAMID is recorded only when CR2.RECINVSID (6.3.12). */
        if (f.type == SMMU_EVT_C_BAD_STREAMID && !VGET(s->r.cr2, CR2_RECINVSID))
            terminate_silent(s, x, f.type);
        else
            terminate_record(s, x, &f);
        return false;
    }
    return true;
}

/* ATS Translated transactions (3.9.1, 6.3.9.2): with ATSCHK == 0 they bypass; with ATSCHK
   == 1 the STE's EATS decides. Returns true when the transaction was fully handled. */
static bool ats_translated(smmu_t *s, xlate_t *x, const smmu_stecfg_t *c, bool *s2_only) {
    smmu_fault_t f = {.type = SMMU_EVT_F_TRANSL_FORBIDDEN};
    if (c->config == 0x4 || c->eats == 0) {
        terminate_record(s, x, &f);
        return true;
    }
    *s2_only = c->eats == 2;
    if (*s2_only) return false;
    finish_ok(s, x, x->t->addr, 1ull << 12, SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X);
    return true;
}

static void translate_stream(smmu_t *s, xlate_t *x) {
    smmu_stecfg_t c;
    smmu_s1cfg_t s1c;
    stage_out_t o;
    bool s1_done = false, ats_s2_only = false;
    uint32_t ssid = 0;

    if (x->t->ats == SMMU_ATS_TRANSLATED && !VGET(s->r.cr0, CR0_ATSCHK)) {
        /* ATSCHK == 0: Translated traffic bypasses with only an address size check. */
        if (stage1_bypass(s, x, NULL, &o)) return;
        finish_ok(s, x, o.oa, 1ull << 12, o.perm);
        return;
    }
    if (!fetch_config(s, x, &c)) return;
    if (!(c.config & 0x4)) { /* 0b0xx: abort, no event (5.2 Config) */
        terminate_silent(s, x, 0);
        return;
    }
    apply_overrides(s, x, c.privcfg, c.instcfg, c.mtcfg, c.memattr, c.alloccfg, c.shcfg);
    if (x->t->ats == SMMU_ATS_TRANSLATED && ats_translated(s, x, &c, &ats_s2_only)) return;
    if (x->t->ats == SMMU_ATS_REQUEST && (!s->p.ats || c.eats == 0)) {
        smmu_fault_t f = {.type = SMMU_EVT_F_BAD_ATS_TREQ};
        terminate_record(s, x, &f);
        return;
    }
    int sel = ats_s2_only ? S1_BYPASS : select_cd(s, x, &c, &ssid);
    if (sel == S1_DONE) return;
    if (sel == S1_TRANSLATE) {
        if (stage1(s, x, &c, ssid, &s1c, &o)) return;
        s1_done = true;
    } else if (stage1_bypass(s, x, &c, &o)) {
        return;
    }
    if (c.s2 && stage2(s, x, &c, s1_done ? &s1c : NULL, &o)) return;
    if (o.span == UINT64_MAX) o.span = 1ull << 12; /* full bypass: report a 4KB granule */
    x->r->attr = o.attr;
    x->r->sh = o.sh;
    finish_ok(s, x, o.oa, o.span, o.perm);
}

/* Debug translation: the statistics are put back afterwards, and s->dbg stops events, stalls and
   cache fills on the way. */
void smmu_translate_dbg(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r) {
    smmu_stats_t saved = s->st;
    s->dbg = true;
    smmu_translate(s, t, r);
    s->dbg = false;
    s->st = saved;
}

void smmu_translate(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r) {
    memset(r, 0, sizeof(*r));
    xlate_t x = {.t = t, .r = r, .attr = IN_ATTR, .sh = IN_SH};
    x.acc = override_access(t, 0, 0);
    s->st.translations++;
    if (!smmu_smmuen(s))
        global_bypass(s, &x);
    else
        translate_stream(s, &x);
}
