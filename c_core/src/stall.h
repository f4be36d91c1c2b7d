/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Stalled transactions (stall.c; spec 3.12.2): a slot per STAG (smmu_stall_t) holding the stalled
 * transaction's StreamID and its event record, which waits while the Event queue is unwritable;
 * the outcomes of CMD_RESUME and CMD_STALL_TERM, and the flush of pending records. */
#ifndef SMMU_CORE_STALL_H
#define SMMU_CORE_STALL_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/smmu.h>

#include "fault.h"

typedef struct smmu_stall {
    bool used;
    bool ev_pending; /* its event record waits for the queue to be writable (7.2.1) */
    bool sec;        /* of a Secure stream: only the Secure world resumes or ends it (4.7.1) */
    uint32_t sid;
    uint32_t seq; /* order of the stalls, to write pending records in order */
    smmu_event_t ev;
} smmu_stall_t;

/* Stalls the transaction of event e (e->stall, e->stag are set here) and records the event, or
   keeps it pending while the Event queue is unwritable. Returns the STAG, -1 if no slot. */
int smmu_stall_fault(smmu_t *s, smmu_event_t *e);
/* CMD_RESUME (outcome SMMU_STALL_*) for the Secure (sec: SSec == 1) or Non-secure StreamID sid;
   a STAG that is not stalled for that stream is ignored. */
void smmu_stall_resume(smmu_t *s, uint32_t sid, bool sec, uint16_t stag, int outcome);
/* CMD_STALL_TERM: every stall of the stream ends with an abort; its pending record is dropped. */
void smmu_stall_terminate(smmu_t *s, uint32_t sid, bool sec);
/* SMMUEN (sec: S_CR0.SMMUEN) 1 -> 0: every stall of that world ends with an abort. */
void smmu_stall_terminate_all(smmu_t *s, bool sec);
/* The Event queue of world sec became writable: write its pending stall records, oldest first. */
void smmu_stall_flush_events(smmu_t *s, bool sec);

#endif
