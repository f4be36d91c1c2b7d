/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The PRI queue producer (spec chapter 8, 3.9): PRI messages from devices become 16-byte records
 * at PRIQ_PROD when the queue is enabled, writable and not in an overflow condition. Otherwise the
 * message is discarded, and the device gets the automatic PRG Response the spec asks for
 * (8.1 overflow, 8.2 disabled queue / PRIQ_ABT_ERR / Secure stream / write abort, 8.3 codes).
 * The PRI queue interrupt follows PRIQ_IRQ_CFG2.LO (6.3.36). */
#include <smmu/smmu.h>

#include <smmu/regs.h>

#include "cache.h"
#include "fault.h"
#include "hostmem.h"
#include "instance.h"
#include "irq.h"
#include "lock.h"
#include "mpam.h"
#include "queue.h"
#include "regfile.h"
#include "strtab.h"
#include "xctx.h"

/* Effective PRIQEN: SMMUEN == 0 implies PRIQEN == 0 (8.2). */
static bool priq_enabled(const smmu_t *s) {
    return SMMU_VGET(s->r.cr0ack, SMMU_F_CR0_PRIQEN) && smmu_smmuen(s);
}

static bool priq_abort_active(const smmu_t *s) {
    return (s->r.gerror ^ s->r.gerrorn) & SMMU_GERROR_PRIQ_ABT_ERR;
}

/* An unacknowledged overflow: OVFLG differs from OVACKFLG (8.1). */
static bool overflow_active(const smmu_t *s) {
    return SMMU_VGET(s->r.priq.prod, SMMU_F_Q_OVFLG) !=
           SMMU_VGET(s->r.priq.cons, SMMU_F_Q_OVACKFLG);
}

/* Stop Marker: LWR == 0b100 with a PASID (chapter 8). No response is ever generated for one. */
static bool stop_marker(const smmu_pri_req_t *q, bool ssv) {
    return ssv && q->last && !q->read && !q->write;
}

static void respond(smmu_t *s, const smmu_pri_req_t *q, bool with_pasid, unsigned code) {
    if (!s->host.pri_resp) return;
    s->host.pri_resp(s->host.ctx, q->sid, with_pasid ? q->ssid : 0, with_pasid,
                     (uint16_t)(q->prgi & SMMU_FMASK64(SMMU_F_PRI_PRGIDX)), code);
}

/* The automatic response to a PPR discarded on overflow (8.1): Success, with the PASID only when
   IDR3.PPS == 1 or the stream's STE.PPAR == 1; Failure without PASID when the STE cannot be
   checked (out of range, fetch abort, ILLEGAL). No event: SMMU_CR2.REC_CFG_ATS is not
   implemented. */
static void overflow_response(smmu_t *s, const smmu_pri_req_t *q, bool ssv) {
    if (!ssv) {
        respond(s, q, false, SMMU_PRI_RESP_SUCCESS);
        return;
    }
    if (SMMU_VGET(s->r.idr[3], SMMU_F_IDR3_PPS)) {
        respond(s, q, true, SMMU_PRI_RESP_SUCCESS);
        return;
    }
    uint64_t ste[8];
    smmu_fault_t f = {0};
    smmu_stecfg_t c;
    smmu_xctx_t x = {0};
    int bad = smmu_ste_fetch(s, &x, q->sid, ste, NULL, &f) || smmu_ste_decode(s, ste, &c, &f);
    smmu_xctx_commit(s, &x);
    if (bad) {
        respond(s, q, false, SMMU_PRI_RESP_FAILURE);
        return;
    }
    respond(s, q, SMMU_FGET(ste, SMMU_F_STE_PPAR) != 0, SMMU_PRI_RESP_SUCCESS);
}

static void encode(const smmu_pri_req_t *q, bool ssv, uint64_t rec[2]) {
    rec[0] = rec[1] = 0;
    SMMU_FSET(rec, SMMU_F_PRI_SID, q->sid);
    if (ssv) { /* without a PASID, SubstreamID is UNKNOWN (0 here) and X, Priv are 0 */
        SMMU_FSET(rec, SMMU_F_PRI_SSV, 1);
        SMMU_FSET(rec, SMMU_F_PRI_SSID, q->ssid);
        SMMU_FSET(rec, SMMU_F_PRI_PRIV, q->priv);
        SMMU_FSET(rec, SMMU_F_PRI_EXEC, q->exec);
    }
    SMMU_FSET(rec, SMMU_F_PRI_READ, q->read);
    SMMU_FSET(rec, SMMU_F_PRI_WRITE, q->write);
    SMMU_FSET(rec, SMMU_F_PRI_LAST, q->last);
    SMMU_FSET(rec, SMMU_F_PRI_PRGIDX, q->prgi);
    rec[1] |= q->addr & SMMU_FMASK64(SMMU_F_PRI_ADDR); /* page address [63:12] in place */
}

/* LO == 1 (only meaningful when the register exists, IDR0.MSI): interrupt for Last == 1
   messages; LO == 0: when the queue goes from empty to non-empty (6.3.36). */
static bool last_only(const smmu_t *s) {
    return SMMU_VGET(s->r.idr[0], SMMU_F_IDR0_MSI) &&
           SMMU_VGET(s->r.priq.irq_cfg2, SMMU_F_PRIQ_IRQ_CFG2_LO);
}

/* The queue is full or in overflow: discard; the overflow condition starts if not active. */
static smmu_pri_status_t discard_overflow(smmu_t *s, const smmu_pri_req_t *q, bool ssv) {
    smmu_queue_t *pq = &s->r.priq;
    if (!overflow_active(s))
        pq->prod =
            (uint32_t)SMMU_VSET(pq->prod, SMMU_F_Q_OVFLG, !SMMU_VGET(pq->prod, SMMU_F_Q_OVFLG));
    if (stop_marker(q, ssv) || !q->last) return SMMU_PRI_DISCARDED;
    overflow_response(s, q, ssv);
    if (last_only(s)) smmu_irq_notify(s, SMMU_IRQ_PRIQ);
    return SMMU_PRI_AUTO_RESP;
}

static smmu_pri_status_t write_record(smmu_t *s, const smmu_pri_req_t *q, bool ssv) {
    smmu_queue_t *pq = &s->r.priq;
    unsigned log2 = smmu_q_log2(pq, s->p.priq_log2);
    uint64_t rec[2];
    encode(q, ssv, rec);
    bool was_empty = smmu_q_empty(pq->prod, pq->cons, log2);
    /* A synchronous write abort: PROD does not move, PRIQ_ABT_ERR, and the PPR gets a Failure
       response without PASID (8.2). */
    smmu_mpam_io_end(s, false); /* GMPAM's label (17.4) */
    if (smmu_mem_wr64(s, smmu_q_entry_s(s, pq, log2, SMMU_PRI_BYTES, pq->prod), rec, 2)) {
        smmu_gerror_raise(s, SMMU_GERROR_PRIQ_ABT_ERR);
        if (stop_marker(q, ssv)) return SMMU_PRI_DISCARDED;
        respond(s, q, false, SMMU_PRI_RESP_FAILURE);
        return SMMU_PRI_AUTO_RESP;
    }
    pq->prod = smmu_q_inc(pq->prod, log2);
    if (last_only(s) ? q->last : was_empty) smmu_irq_notify(s, SMMU_IRQ_PRIQ);
    return SMMU_PRI_QUEUED;
}

smmu_pri_status_t smmu_pri_request(smmu_t *s, const smmu_pri_req_t *q) {
    SMMU_LOCKED(s);
    if (!SMMU_VGET(s->r.idr[0], SMMU_F_IDR0_PRI)) return SMMU_PRI_UNSUPPORTED;
    /* Page requests are not affected by CR0.ATSCHK or STE.EATS (8.2): no STE lookup here. */
    bool ssv = q->ssv && s->p.ssidsize > 0; /* no PASIDs: SSV is 0 (chapter 8) */
    /* Secure stream, disabled queue or active PRIQ_ABT_ERR: every PPR is discarded with a
       Failure response without PASID; Stop Markers get none (8.2). */
    if (q->secure || !priq_enabled(s) || priq_abort_active(s)) {
        if (stop_marker(q, ssv)) return SMMU_PRI_DISCARDED;
        respond(s, q, false, SMMU_PRI_RESP_FAILURE);
        return SMMU_PRI_AUTO_RESP;
    }
    smmu_queue_t *pq = &s->r.priq;
    unsigned log2 = smmu_q_log2(pq, s->p.priq_log2);
    /* An active overflow inhibits new entries even when space was freed (8.1). */
    if (overflow_active(s) || smmu_q_full(pq->prod, pq->cons, log2))
        return discard_overflow(s, q, ssv);
    return write_record(s, q, ssv);
}
