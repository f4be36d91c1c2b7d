/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The Command queue consumer (cmdq.c; spec 4, 7.1), as register writes reach it. smmu_cmdq_run
 * is public (<smmu/smmu.h>). */
#ifndef SMMU_CORE_CMDQ_H
#define SMMU_CORE_CMDQ_H

#include <stdbool.h>

#include <smmu/smmu.h>

/* A register write that can let the Command queue progress (CMDQ_PROD, CR0.CMDQEN to 1,
   acknowledgement of GERROR.CMDQ_ERR): consumes the queue unless params.defer_cmdq. */
void smmu_cmdq_prod_written(smmu_t *s);
/* The same for a world's queue: SMMU_(S_)CMDQ (3.10.2.1: the queues are independent). */
void smmu_cmdq_prod_written_w(smmu_t *s, bool secure);

#endif
