/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The Event queue producer (evtq.c; spec 3.5, 7.2, 7.3, 7.4): appending a record and the Event
 * queue interrupt. */
#ifndef SMMU_CORE_EVTQ_H
#define SMMU_CORE_EVTQ_H

#include <stdbool.h>

#include <smmu/smmu.h>

#include "fault.h"

/* Appends a record when the Event queue is writable (7.2.1). A full queue discards the record
   and sets the overflow condition (EVENTQ_PROD.OVFLG, 7.4); a disabled queue or an active
   EVENTQ_ABT_ERR discards it silently. A record with e->stall set is never discarded: false is
   returned and the caller keeps it. Returns true if the record was written. */
bool smmu_evtq_record(smmu_t *s, const smmu_event_t *e);
/* Signals the Event queue interrupt (smmu_irq_notify(SMMU_IRQ_EVENTQ)); called when the queue
   goes from empty to non-empty (3.18.2). */
void smmu_evtq_update_irq(smmu_t *s);

#endif
