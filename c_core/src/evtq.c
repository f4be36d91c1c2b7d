/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The Event queue producer (spec 3.5, 7.2, 7.3, 7.4): 32-byte records written at EVENTQ_PROD
 * when the queue is writable, the overflow flag on a full queue, EVENTQ_ABT_ERR on a write
 * abort, and the Event queue interrupt when the queue goes from empty to non-empty. */
#include "evtq.h"

#include <smmu/regs.h>

#include "fault.h"
#include "hostmem.h"
#include "instance.h"
#include "irq.h"
#include "mpam.h"
#include "queue.h"
#include "regfile.h"
#include "tp.h"

/* Fields a record carries besides type, StreamID (7.3). Everything else is RES0. */
enum {
    HAS_SSID = 1u << 0,  /* SSV and SubstreamID */
    HAS_ATTR = 1u << 1,  /* RnW, InD, PnU */
    HAS_RNW = 1u << 2,   /* RnW only */
    HAS_ADDR = 1u << 3,  /* InputAddr */
    HAS_STALL = 1u << 4, /* Stall, STAG */
    HAS_STAGE = 1u << 5, /* S2, CLASS */
    HAS_IPA = 1u << 6,   /* IPA, when S2 == 1 */
    HAS_FETCH = 1u << 7, /* FetchAddr */
    HAS_TTRNW = 1u << 8, /* TTRnW, when CLASS == TT */
    SSID_ONLY = 1u << 9, /* SubstreamID without SSV (C_BAD_SUBSTREAMID) */
    HAS_TREQ = 1u << 10, /* F_BAD_ATS_TREQ: Span, requested R/W/X/Priv; InputAddr[63:12] */
    HAS_HINT = 1u << 11, /* E_PAGE_REQUEST: Span, pR/pW/pX/uR/uW/uX; InputAddr[63:12] */
    HAS_S2 = 1u << 12,   /* S2 without CLASS (F_TLB_CONFLICT, 7.3.17) */
};

static unsigned fields_of(uint8_t type) {
    const unsigned xlate = HAS_SSID | HAS_ATTR | HAS_ADDR | HAS_STALL | HAS_STAGE | HAS_IPA;
    switch (type) {
    case SMMU_EVT_F_UUT:
        return HAS_SSID | HAS_ATTR | HAS_ADDR;
    case SMMU_EVT_C_BAD_STREAMID:
    case SMMU_EVT_C_BAD_STE:
    case SMMU_EVT_C_BAD_CD:
    case SMMU_EVT_F_CFG_CONFLICT:
        return HAS_SSID;
    case SMMU_EVT_F_STE_FETCH:
    case SMMU_EVT_F_CD_FETCH:
    case SMMU_EVT_F_VMS_FETCH:
        return HAS_SSID | HAS_FETCH;
    case SMMU_EVT_F_BAD_ATS_TREQ:
        return HAS_SSID | HAS_ADDR | HAS_TREQ;
    case SMMU_EVT_F_STREAM_DISABLED:
        return 0;
    case SMMU_EVT_F_TRANSL_FORBIDDEN:
        return HAS_RNW | HAS_ADDR;
    case SMMU_EVT_C_BAD_SUBSTREAMID:
        return SSID_ONLY;
    case SMMU_EVT_F_WALK_EABT:
        return HAS_SSID | HAS_ATTR | HAS_ADDR | HAS_STAGE | HAS_FETCH;
    case SMMU_EVT_F_TRANSLATION:
    case SMMU_EVT_F_ADDR_SIZE:
    case SMMU_EVT_F_ACCESS:
        return xlate;
    case SMMU_EVT_F_PERMISSION:
        return xlate | HAS_TTRNW;
    case SMMU_EVT_F_TLB_CONFLICT: /* 7.3.17: S2 and IPA, no CLASS; Reason (IMP DEF) 0 */
        return HAS_SSID | HAS_ATTR | HAS_ADDR | HAS_S2 | HAS_IPA;
    case SMMU_EVT_E_PAGE_REQUEST:
        return HAS_SSID | HAS_ADDR | HAS_HINT;
    default:
        return HAS_SSID;
    }
}

/* Addresses the SMMU reports have their bits above OAS as zero (7.3.4, 7.3.13). */
static uint64_t oas_trunc(const smmu_t *s, uint64_t a) {
    return a & smmu_bits_mask(smmu_oas_bits(s));
}

static void encode_attrs(uint64_t rec[4], const smmu_event_t *e, unsigned f) {
    if (f & (HAS_ATTR | HAS_RNW)) SMMU_FSET(rec, SMMU_F_EVT_RNW, e->rnw);
    if (!(f & HAS_ATTR)) return;
    SMMU_FSET(rec, SMMU_F_EVT_PNU, e->pnu);
    SMMU_FSET(rec, SMMU_F_EVT_IND, e->rnw && e->ind); /* InD == 0 when RnW == 0 (7.3.13) */
}

/* The ATS-related records (7.3.6, 7.3.19): Span and access flags; InputAddr[11:0] are RES0. */
static void encode_ats(uint64_t rec[4], const smmu_event_t *e, unsigned f) {
    SMMU_FSET(rec, SMMU_F_EVT_SPAN, e->span);
    if (f & HAS_TREQ) {
        SMMU_FSET(rec, SMMU_F_EVT_ATS_R, (e->perm & SMMU_PERM_R) != 0);
        SMMU_FSET(rec, SMMU_F_EVT_ATS_W, (e->perm & SMMU_PERM_W) != 0);
        SMMU_FSET(rec, SMMU_F_EVT_ATS_X, (e->perm & SMMU_PERM_X) != 0);
        SMMU_FSET(rec, SMMU_F_EVT_ATS_PRIV, e->pnu);
    } else {
        SMMU_FSET(rec, SMMU_F_EVT_PG_PR, (e->perm & SMMU_PERM_R) != 0);
        SMMU_FSET(rec, SMMU_F_EVT_PG_PW, (e->perm & SMMU_PERM_W) != 0);
        SMMU_FSET(rec, SMMU_F_EVT_PG_PX, (e->perm & SMMU_PERM_X) != 0);
        SMMU_FSET(rec, SMMU_F_EVT_PG_UR, (e->uperm & SMMU_PERM_R) != 0);
        SMMU_FSET(rec, SMMU_F_EVT_PG_UW, (e->uperm & SMMU_PERM_W) != 0);
        SMMU_FSET(rec, SMMU_F_EVT_PG_UX, (e->uperm & SMMU_PERM_X) != 0);
    }
    SMMU_FSET(rec, SMMU_F_EVT_INPUTADDR, e->addr & ~0xFFFull);
}

/* Builds the record in the layout of its event type (7.3), every other bit zero. */
static void encode(const smmu_t *s, const smmu_event_t *e, uint64_t rec[4]) {
    unsigned f = fields_of(e->type);
    rec[0] = rec[1] = rec[2] = rec[3] = 0;
    SMMU_FSET(rec, SMMU_F_EVT_TYPE, e->type);
    SMMU_FSET(rec, SMMU_F_EVT_SID, e->sid);
    if ((f & HAS_SSID) && e->ssv) {
        SMMU_FSET(rec, SMMU_F_EVT_SSV, 1);
        SMMU_FSET(rec, SMMU_F_EVT_SSID, e->ssid);
    }
    if (f & SSID_ONLY) SMMU_FSET(rec, SMMU_F_EVT_SSID, e->ssid);
    encode_attrs(rec, e, f);
    if ((f & HAS_STALL) && e->stall) {
        SMMU_FSET(rec, SMMU_F_EVT_STALL, 1);
        SMMU_FSET(rec, SMMU_F_EVT_STAG, e->stag);
    }
    if (f & HAS_STAGE) {
        SMMU_FSET(rec, SMMU_F_EVT_S2, e->s2);
        SMMU_FSET(rec, SMMU_F_EVT_CLASS, e->cls);
    }
    if (f & HAS_S2) SMMU_FSET(rec, SMMU_F_EVT_S2, e->s2);
    if ((f & HAS_TTRNW) && e->cls == SMMU_CLASS_TT) SMMU_FSET(rec, SMMU_F_EVT_TTRNW, e->ttrnw);
    if (f & HAS_ADDR) SMMU_FSET(rec, SMMU_F_EVT_INPUTADDR, e->addr);
    if (f & (HAS_TREQ | HAS_HINT)) encode_ats(rec, e, f);
    if ((f & HAS_IPA) && e->s2) SMMU_FSET(rec, SMMU_F_EVT_IPA, oas_trunc(s, e->ipa) >> 12);
    if (f & HAS_FETCH) SMMU_FSET(rec, SMMU_F_EVT_FETCHADDR, oas_trunc(s, e->fetch_addr) >> 3);
}

void smmu_evtq_update_irq(smmu_t *s) {
    smmu_irq_notify(s, SMMU_IRQ_EVENTQ);
}

static bool evtq_abort_active(const smmu_regs_t *b) {
    return (b->gerror ^ b->gerrorn) & SMMU_GERROR_EVTQ_ABT_ERR;
}

/* A full queue discards the record and enters the overflow condition, by toggling OVFLG,
   unless an unacknowledged overflow is already present (7.4). */
static void overflow(smmu_queue_t *q) {
    if (SMMU_VGET(q->prod, SMMU_F_Q_OVFLG) == SMMU_VGET(q->cons, SMMU_F_Q_OVACKFLG))
        q->prod = (uint32_t)SMMU_VSET(q->prod, SMMU_F_Q_OVFLG, !SMMU_VGET(q->prod, SMMU_F_Q_OVFLG));
}

/* An event record written (rec) or lost (NULL), as a trace point. */
static void trace_event(smmu_t *s, const smmu_event_t *e, const uint64_t *rec) {
    if (!smmu_tp_on(s, SMMU_TP_EVENT)) return;
    smmu_tp_t tp = {.kind = SMMU_TP_EVENT,
                    .u.event = {.rec = rec, .type = e->type, .sid = e->sid, .lost = rec == NULL}};
    smmu_tp_emit(s, &tp);
}

/* A Secure stream's record goes to the Secure Event queue, in Secure memory, with the Secure
   interface's GERROR and interrupt (3.10.2.1, 3.10.2). */
bool smmu_evtq_record(smmu_t *s, const smmu_event_t *e) {
    smmu_regs_t *b = smmu_bank(s, e->sec);
    smmu_queue_t *q = &b->eventq;
    unsigned log2 = smmu_q_log2(q, s->p.eventq_log2);
    bool full = smmu_q_full(q->prod, q->cons, log2);
    const bool on = smmu_w_eventqen(s, e->sec);
    if (!on || evtq_abort_active(b) || full) {
        /* Stall records are kept by the caller until the queue is writable (7.2.1). */
        if (e->stall) return false;
        if (full && on && !evtq_abort_active(b)) overflow(q);
        s->st.events_lost++;
        trace_event(s, e, NULL);
        return false;
    }
    uint64_t rec[4];
    encode(s, e, rec);
    bool was_empty = smmu_q_empty(q->prod, q->cons, log2);
    smmu_mpam_io_end(s, e->sec); /* the world's (S_)GMPAM label (17.4) */
    /* A write abort is synchronous: PROD does not move and the record is lost (7.2.2). */
    if (smmu_mem_wr64_w(s, smmu_q_entry_s(s, q, log2, SMMU_EVT_BYTES, q->prod), rec, 4, e->sec)) {
        s->st.events_lost++;
        trace_event(s, e, NULL);
        smmu_gerror_raise_w(s, e->sec, SMMU_GERROR_EVTQ_ABT_ERR);
        return false;
    }
    q->prod = smmu_q_inc(q->prod, log2);
    s->st.events_written++;
    trace_event(s, e, rec);
    if (was_empty) smmu_irq_notify(s, e->sec ? SMMU_IRQ_S_EVENTQ : SMMU_IRQ_EVENTQ);
    return true;
}
