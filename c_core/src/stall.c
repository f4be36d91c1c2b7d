/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Stalled transactions (spec 3.12.2): a transaction whose translation-related fault is
 * configured to stall is held under a STAG until CMD_RESUME, CMD_STALL_TERM or SMMUEN going to 0
 * decides. The core keeps the bookkeeping and the stall's event record, which is never discarded
 * (7.2.1): while the Event queue is unwritable it stays pending and is written when the queue
 * becomes writable. The host holding the transaction learns the outcome through
 * host->stall_done and retries it (smmu_translate again) or completes it.
 * Secure streams stall alike (3.12, S_IDR0.STALL_MODEL): their records go to the Secure Event
 * queue, and only the Secure world ends them (CMD_RESUME / STALL_TERM with SSec == 1 on the Secure
 * Command queue, S_CR0.SMMUEN going to 0; 4.7.1). STAGs are slot indexes shared by both worlds,
 * so a STAG names one stall of either world (4.7.1 allows equal values, it does not need them). */
#include "stall.h"

#include "evtq.h"
#include "fault.h"
#include "instance.h"
#include "lock.h"
#include "tp.h"

static int free_slot(const smmu_t *s) {
    for (unsigned i = 0; s->stalls && i < s->p.stall_max; i++)
        if (!s->stalls[i].used) return (int)i;
    return -1;
}

static void trace_stall(smmu_t *s, unsigned kind, uint32_t sid, uint16_t stag, int outcome) {
    if (!smmu_tp_on(s, kind)) return;
    smmu_tp_t tp = {.kind = (uint8_t)kind,
                    .u.stall = {.sid = sid, .stag = stag, .outcome = outcome}};
    smmu_tp_emit(s, &tp);
}

int smmu_stall_fault(smmu_t *s, smmu_event_t *e) {
    int stag = free_slot(s);
    if (stag < 0) return -1;
    smmu_stall_t *st = &s->stalls[stag];
    e->stall = true;
    e->stag = (uint16_t)stag;
    *st =
        (smmu_stall_t){.used = true, .sec = e->sec, .sid = e->sid, .seq = s->stall_seq++, .ev = *e};
    s->stalls_used++;
    trace_stall(s, SMMU_TP_STALL, e->sid, (uint16_t)stag, 0);
    st->ev_pending = !smmu_evtq_record(s, e);
    return stag;
}

static void release(smmu_t *s, unsigned stag, int outcome) {
    uint32_t sid = s->stalls[stag].sid;
    s->stalls[stag].used = false;
    s->stalls[stag].ev_pending = false;
    s->stalls_used--;
    trace_stall(s, SMMU_TP_STALL_END, sid, (uint16_t)stag, outcome);
    if (s->host.stall_done) s->host.stall_done(s->host.ctx, sid, (uint16_t)stag, outcome);
}

/* A stall of the stream (sid, sec): the Secure and Non-secure StreamID spaces are apart. */
static bool of_stream(const smmu_stall_t *st, uint32_t sid, bool sec) {
    return st->used && st->sid == sid && st->sec == sec;
}

void smmu_stall_resume(smmu_t *s, uint32_t sid, bool sec, uint16_t stag, int outcome) {
    if (!s->stalls || stag >= s->p.stall_max) return;
    if (!of_stream(&s->stalls[stag], sid, sec)) return;
    release(s, stag, outcome);
}

void smmu_stall_terminate(smmu_t *s, uint32_t sid, bool sec) {
    for (unsigned i = 0; s->stalls && i < s->p.stall_max; i++)
        if (of_stream(&s->stalls[i], sid, sec)) release(s, i, SMMU_STALL_ABORT);
}

/* SMMUEN 1 -> 0 terminates every stalled transaction of its world (6.3.9.6, 6.3.57). */
void smmu_stall_terminate_all(smmu_t *s, bool sec) {
    for (unsigned i = 0; s->stalls && i < s->p.stall_max; i++)
        if (s->stalls[i].used && s->stalls[i].sec == sec) release(s, i, SMMU_STALL_ABORT);
}

/* Oldest pending record of world sec, or NULL. */
static smmu_stall_t *oldest_pending(smmu_t *s, bool sec) {
    smmu_stall_t *best = NULL;
    for (unsigned i = 0; s->stalls && i < s->p.stall_max; i++) {
        smmu_stall_t *st = &s->stalls[i];
        if (st->used && st->ev_pending && st->sec == sec &&
            (!best || (int32_t)(st->seq - best->seq) < 0))
            best = st;
    }
    return best;
}

void smmu_stall_flush_events(smmu_t *s, bool sec) {
    smmu_stall_t *st;
    while ((st = oldest_pending(s, sec)) != NULL) {
        if (!smmu_evtq_record(s, &st->ev)) return; /* still unwritable */
        st->ev_pending = false;
    }
}

unsigned smmu_stalls_pending(const smmu_t *s) {
    SMMU_LOCKED(s);
    return s->stalls_used;
}
