/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* ATS and PRI towards devices (spec 3.9, 4.5, 13.6, 13.7): ATS Translation Requests answered with
 * the Translation Completion a device receives, CMD_ATC_INV and CMD_PRI_RESP delivered through
 * host callbacks, and the device-originated reports F_UUT (7.3.2) and E_PAGE_REQUEST (7.3.19).
 * Translation Requests never stall and record no translation event: only F_BAD_ATS_TREQ. */
#include "ats.h"

#include <string.h>

#include "cache.h"
#include "choice.h"
#include "cd.h"
#include "evtq.h"
#include "fault.h"
#include "instance.h"
#include "lock.h"
#include "pmcg.h"
#include "mpam.h"
#include "regfile.h"
#include "strtab.h"
#include "walk.h"
#include "xctx.h"
#include "xlate.h"

/* ----------------------------------------------------------------- commands (4.5) */

/* SSV == 1 without SubstreamIDs (IDR1.SSIDSIZE == 0): the command behaves as though SSV == 0
   or has no effect, CONSTRAINED UNPREDICTABLE (4.5.1, 4.5.2; choice ats_ssv_no_pasid). */
static bool ssv_no_effect(smmu_t *s, const uint64_t *dw) {
    if (!SMMU_FGET(dw, SMMU_F_CMD_SSV) || s->p.ssidsize > 0) return false;
    return smmu_choice(s, SMMU_CHOICE_ATS_SSV_NO_PASID) == SMMU_ATS_SSV_NO_EFFECT;
}

/* CMD_ATC_INV (4.5.1). Without PASIDs SSV behaves as 0 (one of the CONSTRAINED UNPREDICTABLE
   choices); Global is IGNORED when SSV == 0. Only Address[63:12 + Size] is meaningful (the span
   is naturally aligned), so the lower bits are cleared before the device sees them. */
static void atc_inv(smmu_t *s, const uint64_t *dw) {
    if (!s->host.atc_inv) return; /* no ATC attached: nothing to invalidate */
    if (ssv_no_effect(s, dw)) return;
    bool ssv = SMMU_FGET(dw, SMMU_F_CMD_SSV) && s->p.ssidsize > 0;
    unsigned size = (unsigned)SMMU_FGET(dw, SMMU_F_CMD_ATC_SIZE);
    uint64_t addr = (SMMU_FGET(dw, SMMU_F_CMD_ATC_ADDR) << 12) & ~smmu_bits_mask(12 + size);
    if (s->host.atc_inv(s->host.ctx, (uint32_t)SMMU_FGET(dw, SMMU_F_CMD_SID),
                        ssv ? (uint32_t)SMMU_FGET(dw, SMMU_F_CMD_SSID) : 0, ssv, addr, size,
                        ssv && SMMU_FGET(dw, SMMU_F_CMD_ATC_GLOBAL)))
        s->atc_inv_failed = true; /* reported by the next CMD_SYNC (3.9.1.4, 4.7.3) */
}

/* CMD_PRI_RESP (4.5.2): Resp 0b00 ResponseFailure, 0b01 InvalidRequest, 0b10 Success, sent as
   the PRG Response codes of 8.3. */
static void pri_resp(smmu_t *s, const uint64_t *dw) {
    static const unsigned code[4] = {SMMU_PRI_RESP_FAILURE, SMMU_PRI_RESP_INVALID,
                                     SMMU_PRI_RESP_SUCCESS, SMMU_PRI_RESP_FAILURE};
    if (!s->host.pri_resp) return;
    if (ssv_no_effect(s, dw)) return;
    bool ssv = SMMU_FGET(dw, SMMU_F_CMD_SSV) && s->p.ssidsize > 0;
    s->host.pri_resp(s->host.ctx, (uint32_t)SMMU_FGET(dw, SMMU_F_CMD_SID),
                     ssv ? (uint32_t)SMMU_FGET(dw, SMMU_F_CMD_SSID) : 0, ssv,
                     (uint16_t)SMMU_FGET(dw, SMMU_F_CMD_PRI_GRPID),
                     code[SMMU_FGET(dw, SMMU_F_CMD_PRI_RESP) & 3]);
}

/* Both commands are IGNORED while SMMUEN == 0 (4.5.1, 4.5.2). */
void smmu_ats_command(smmu_t *s, const uint64_t dw[2]) {
    if (!smmu_smmuen(s)) return;
    if (SMMU_FGET(dw, SMMU_F_CMD_OPCODE) == SMMU_CMD_ATC_INV)
        atc_inv(s, dw);
    else
        pri_resp(s, dw);
}

/* ----------------------------------------------------------------- Translation Requests */

uint64_t smmu_ats_stu(const smmu_t *s) {
    if (s->p.gran4k) return 1ull << 12;
    return s->p.gran16k ? 1ull << 14 : 1ull << 16;
}

typedef struct ats {
    smmu_xctx_t *x; /* the request's cost and debug mode */
    const smmu_ats_req_t *q;
    smmu_ats_resp_t *a;
    bool ssv; /* PASID present and SubstreamIDs implemented */
} ats_t;

/* UR with F_BAD_ATS_TREQ (3.9.1.2, 7.3.6): the requested permissions before overrides. */
static void bad_treq(smmu_t *s, ats_t *x) {
    const smmu_ats_req_t *q = x->q;
    x->a->status = SMMU_ATS_UR;
    x->a->event = SMMU_EVT_F_BAD_ATS_TREQ;
    if (x->x->dbg) return;
    smmu_event_t e = {0};
    e.type = SMMU_EVT_F_BAD_ATS_TREQ;
    e.sid = q->sid;
    e.ssv = x->ssv;
    e.ssid = x->ssv ? q->ssid : 0;
    e.addr = q->addr;
    e.span = q->stus ? q->stus : 1;
    e.perm =
        (uint8_t)(SMMU_PERM_R | (q->nw ? 0 : SMMU_PERM_W) | (x->ssv && q->exec ? SMMU_PERM_X : 0));
    e.pnu = x->ssv && q->priv;
    x->a->recorded = smmu_evtq_record(s, &e);
}

/* A fault on the way: translation-related faults answer Success with R == W == 0, any other
   (configuration) error Completer Abort; neither records an event (3.9.1.2; SMMU_CR2.REC_CFG_ATS
   is not implemented). */
static void fail(ats_t *x, uint8_t type) {
    x->a->status = smmu_fault_translation_related(type) ? SMMU_ATS_SC : SMMU_ATS_CA;
    x->a->event = type;
}

/* The walkers check one access; the permissions of the translation are found by probing a data
   read, an instruction read and a write at the effective privilege through every enabled stage
   (smmu_walk_stages, as an ordinary transaction's TLB miss does). A leaf Permission fault moves
   on to the next probe; any other fault is the answer (13.7.1). */
static int probe(smmu_t *s, ats_t *x, const smmu_stecfg_t *c, const smmu_s1cfg_t *s1, bool priv,
                 smmu_stage_out_t *o, smmu_fault_t *f) {
    static const smmu_access_t kind[3] = {
        {false, false, false}, {false, true, false}, {true, false, false}};
    const uint64_t va = x->q->addr;
    if (!s1 && smmu_s1_bypass_check(s, va, f)) return -1;
    const int half = s1 ? smmu_s1_select(s1, va, priv) : 0;
    /* HTTU of the dirty state at either stage: a write probe may make a descriptor dirty. */
    const bool hd = (s1 && s1->hd) || (c->s2 && c->s2c.hd);
    for (unsigned i = 0; i < 3; i++) {
        smmu_access_t acc = kind[i];
        acc.priv = priv;
        smmu_walk_out_t w[2];
        if (acc.write && hd && x->q->nw) break; /* NW == 1 never marks a page dirty (13.7.1) */
        *f = (smmu_fault_t){0};
        *o = (smmu_stage_out_t){0};
        if (!smmu_walk_stages(s, x->x, c, s1, half, va, &acc, w, o, f)) {
            /* A request for write (NW == 0) to a writable-clean page makes it dirty and is
               granted write (3.13.7.1, 13.7.1); a page that stays read-only keeps this answer. */
            smmu_stage_out_t ow;
            smmu_fault_t fw = {0};
            acc = kind[2];
            acc.priv = priv;
            if (hd && !x->q->nw && !(o->perm & SMMU_PERM_W) &&
                !smmu_walk_stages(s, x->x, c, s1, half, va, &acc, w, &ow, &fw))
                *o = ow;
            return 0;
        }
        if (f->type != SMMU_EVT_F_PERMISSION || f->cls != SMMU_CLASS_IN) return -1;
    }
    return -1;
}

/* Translation Completion permissions from the translation's permissions (13.7.1). */
static void grant(const smmu_t *s, ats_t *x, const smmu_stecfg_t *c, uint8_t perm) {
    unsigned instcfg = s->p.attr_perms_ovr ? c->instcfg : 0;
    bool exe_req = x->ssv && x->q->exec;
    bool r = perm & SMMU_PERM_R, w = perm & SMMU_PERM_W, xp = perm & SMMU_PERM_X;
    smmu_ats_resp_t *a = x->a;
    if (instcfg == SMMU_STE_INSTCFG_INSTR) { /* Instruction: every read is a fetch */
        a->r = xp;
        a->exe = exe_req && xp;
    } else if (instcfg == SMMU_STE_INSTCFG_DATA) { /* Data: X is taken as R */
        a->r = r;
        a->exe = exe_req && r;
    } else {
        a->r = r;
        a->exe = exe_req && r && xp; /* execute-only grants nothing to ATS */
    }
    a->w = w;
}

static void translate(smmu_t *s, ats_t *x, const smmu_stecfg_t *c) {
    uint32_t ssid = 0;
    uint8_t type = 0;
    uint64_t cd[8];
    smmu_s1cfg_t s1c;
    smmu_fault_t f = {0};
    int sel = smmu_select_cd(s, c, x->ssv, x->q->ssid, &ssid, &type);
    if (sel == SMMU_S1_FAULT) {
        fail(x, type);
        return;
    }
    /* 17.3: the accesses of a Translation Request carry the labels of an equivalent
       Untranslated transaction (17.4) */
    x->x->mpam_ste = x->x->mpam_s1 = smmu_mpam_ste_label(s, c, c->partid, c->pmg);
    if (sel == SMMU_S1_TRANSLATE &&
        (smmu_cd_fetch(s, x->x, c, ssid, cd, &f) || smmu_cd_decode(s, c, cd, &s1c, &f) ||
         smmu_mpam_stream(s, x->x, c, &s1c, &x->x->mpam_s1, &f))) {
        fail(x, f.type);
        return;
    }
    unsigned privcfg = s->p.attr_perms_ovr ? c->privcfg : 0;
    bool priv = privcfg & SMMU_STE_XCFG_OVERRIDE_BIT ? (privcfg & SMMU_STE_XCFG_VALUE_BIT)
                                                     : x->ssv && x->q->priv;
    smmu_stage_out_t o;
    if (probe(s, x, c, sel == SMMU_S1_TRANSLATE ? &s1c : NULL, priv, &o, &f)) {
        fail(x, f.type);
        return;
    }
    uint64_t stu = smmu_ats_stu(s);
    uint64_t size = o.span == UINT64_MAX || o.span < stu ? stu : o.span;
    /* Split-stage (13.6.3): the IPA, with the permissions and size of both stages. */
    uint64_t out = c->eats == SMMU_STE_EATS_SPLIT ? o.ipa : o.oa;
    x->a->status = SMMU_ATS_SC;
    x->a->addr = out & ~(size - 1);
    x->a->size = size;
    grant(s, x, c, o.perm);
}

/* A Translation Request in context cx (3.9.1.2, 13.6, 13.7.1). */
static void ats_translate(smmu_t *s, smmu_xctx_t *cx, const smmu_ats_req_t *q, smmu_ats_resp_t *a) {
    memset(a, 0, sizeof(*a));
    ats_t x = {.x = cx, .q = q, .a = a, .ssv = q->ssv && s->p.ssidsize > 0};
    a->priv = x.ssv && q->priv; /* echoed; no Priv without a PASID (13.7.1) */
    a->size = smmu_ats_stu(s);
    /* no ATS interface: the request is unsupported */
    if (!SMMU_VGET(s->r.idr[0], SMMU_F_IDR0_ATS)) {
        a->status = SMMU_ATS_UR;
        return;
    }
    /* Secure streams and SMMUEN == 0 are checked before any configuration lookup (3.9.1). */
    if (q->secure || !smmu_smmuen(s)) {
        bad_treq(s, &x);
        return;
    }
    uint64_t ste[8];
    smmu_stecfg_t c;
    smmu_fault_t f = {0};
    if (smmu_ste_fetch(s, cx, q->sid, ste, NULL, &f) || smmu_ste_decode(s, ste, &c, &f)) {
        fail(&x, f.type);
        return;
    }                                        /* C_BAD_STREAMID, F_STE_FETCH, C_BAD_STE: CA */
    if (!smmu_ste_config_passes(c.config)) { /* STE.Config 0b0xx: UR without event */
        a->status = SMMU_ATS_UR;
        return;
    }
    if (smmu_ste_eats(s, &c) == SMMU_STE_EATS_OFF) { /* bypass STE or effective EATS 0b00 */
        bad_treq(s, &x);
        return;
    }
    translate(s, &x, &c);
}

void smmu_ats_translate(smmu_t *s, const smmu_ats_req_t *q, smmu_ats_resp_t *a) {
    SMMU_LOCKED(s);
    smmu_xctx_t cx = {0};
    ats_translate(s, &cx, q, a);
    smmu_mpam_io_end(s, false);
    smmu_xctx_commit(s, &cx);
    if (smmu_pmcg_active(s)) smmu_pmcg_count_xlate(s, q->sid, q->secure, SMMU_ATS_REQUEST, &cx);
}

/* smmu_translate() of an SMMU_ATS_REQUEST: the completion as a result. A request asks for read
   (and write unless it is a read); the result is OK when the completion grants the access. */
void smmu_ats_request_txn(smmu_t *s, smmu_xctx_t *x, const smmu_txn_t *t, smmu_result_t *r) {
    smmu_ats_req_t q = {.addr = t->addr,
                        .sid = t->sid,
                        .ssid = t->ssid,
                        .ssv = t->ssv,
                        .nw = !t->write,
                        .exec = t->exec,
                        .priv = t->priv,
                        .secure = t->secure,
                        .stus = 1};
    smmu_ats_resp_t a;
    memset(r, 0, sizeof(*r));
    ats_translate(s, x, &q, &a);
    r->perm =
        (uint8_t)((a.r ? SMMU_PERM_R : 0) | (a.w ? SMMU_PERM_W : 0) | (a.exe ? SMMU_PERM_X : 0));
    r->recorded = a.recorded;
    r->event = a.event;
    bool ok = a.status == SMMU_ATS_SC && (t->write ? a.w : t->exec ? a.exe : a.r);
    if (ok) {
        r->status = SMMU_OK;
        r->pa = a.addr | (t->addr & (a.size - 1));
        r->span = a.size;
        r->ns = true;
        r->event = 0;
        return;
    }
    r->status = SMMU_FAULT;
    r->abort = a.status != SMMU_ATS_SC; /* UR / CA; R == W == 0 is a Success completion */
}

void smmu_ats_forbidden(smmu_t *s, const smmu_xctx_t *x, const smmu_txn_t *t, smmu_result_t *r) {
    memset(r, 0, sizeof(*r));
    r->status = SMMU_FAULT;
    r->abort = true;
    r->event = SMMU_EVT_F_TRANSL_FORBIDDEN;
    if (x->dbg || t->secure) return;
    smmu_event_t e = {0};
    e.type = SMMU_EVT_F_TRANSL_FORBIDDEN;
    e.sid = t->sid;
    e.rnw = !t->write;
    e.addr = t->addr;
    r->recorded = true;
    smmu_evtq_record(s, &e);
}

/* ----------------------------------------------------------------- device reports */

/* F_UUT (7.3.2): the incoming attributes, not the STE-overridden ones. A Translated transaction
   is aborted without an event (3.9.1.3); the model has no Secure Event queue. */
void smmu_report_uut(smmu_t *s, const smmu_txn_t *t, smmu_result_t *r) {
    SMMU_LOCKED(s);
    memset(r, 0, sizeof(*r));
    r->status = SMMU_FAULT;
    r->abort = true;
    r->event = SMMU_EVT_F_UUT;
    if (t->ats == SMMU_ATS_TRANSLATED || t->secure) return;
    s->st.faults++;
    s->st.by_event[SMMU_EVT_F_UUT]++;
    smmu_event_t e = {0};
    e.type = SMMU_EVT_F_UUT;
    e.sid = t->sid;
    e.ssv = t->ssv && s->p.ssidsize > 0;
    e.ssid = e.ssv ? t->ssid : 0;
    e.rnw = !t->write;
    e.ind = t->exec && !t->write;
    e.pnu = t->priv;
    e.addr = t->addr;
    r->recorded = true;
    smmu_evtq_record(s, &e);
}

/* E_PAGE_REQUEST (7.3.19): a hint, recorded when the Event queue is writable. */
void smmu_page_hint(smmu_t *s, const smmu_page_hint_t *h) {
    SMMU_LOCKED(s);
    smmu_event_t e = {0};
    e.type = SMMU_EVT_E_PAGE_REQUEST;
    e.sid = h->sid;
    e.ssv = h->ssv && s->p.ssidsize > 0;
    e.ssid = e.ssv ? h->ssid : 0;
    e.addr = h->addr;
    e.span = h->span;
    e.perm = (uint8_t)((h->pr ? SMMU_PERM_R : 0) | (h->pw ? SMMU_PERM_W : 0) |
                       (h->px ? SMMU_PERM_X : 0));
    e.uperm = (uint8_t)((h->ur ? SMMU_PERM_R : 0) | (h->uw ? SMMU_PERM_W : 0) |
                        (h->ux ? SMMU_PERM_X : 0));
    smmu_evtq_record(s, &e);
}
