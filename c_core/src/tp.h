/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Emitting trace points (<smmu/tracepoint.h>): each point tests its kind's bit of the mask the
 * host chose (smmu_set_trace), one predictable branch when off, and only then builds the
 * record. tracepoint.c holds the mask's setter and the text of the records. */
#ifndef SMMU_CORE_TP_H
#define SMMU_CORE_TP_H

#include <stdbool.h>

#include <smmu/smmu.h>
#include <smmu/tracepoint.h>

#include "instance.h"

static inline bool smmu_tp_on(const smmu_t *s, unsigned kind) {
    return __builtin_expect((s->tp_mask >> kind) & 1u, 0);
}

static inline void smmu_tp_emit(smmu_t *s, const smmu_tp_t *tp) {
    s->host.trace(s->host.ctx, tp);
}

#endif
