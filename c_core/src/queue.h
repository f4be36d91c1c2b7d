/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Circular queues (spec 3.5.1; queue.c): the state of one queue as its registers hold it
 * (smmu_queue_t: base, PROD, CONS and the MSI configuration of the Command, Event and PRI
 * queues) and the pointer arithmetic every producer and consumer shares. PROD/CONS values are
 * register values: index, wrap bit above it, and other bits (OVFLG, ERR) which these helpers
 * keep. */
#ifndef SMMU_CORE_QUEUE_H
#define SMMU_CORE_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct smmu_queue {
    uint64_t base; /* the *_BASE register as written (RES0 bits cleared) */
    uint32_t prod; /* PROD register value incl. wrap (and OVFLG for EVENTQ/PRIQ) */
    uint32_t cons; /* CONS register value incl. wrap (and ERR for CMDQ, OVACKFLG) */
    uint64_t irq_cfg0;
    uint32_t irq_cfg1, irq_cfg2;
} smmu_queue_t;

unsigned smmu_q_log2(const smmu_queue_t *q, unsigned max_log2); /* LOG2SIZE capped at IDR1 */
/* Address of entry idx: the base aligned to the larger of the queue size or 32 bytes (6.3.26). */
uint64_t smmu_q_entry(const smmu_queue_t *q, unsigned log2, unsigned entry_bytes, uint32_t ptr);
/* The same with the base aligned to 32 bytes only when !exact. */
uint64_t smmu_q_entry_align(const smmu_queue_t *q, unsigned log2, unsigned entry_bytes,
                            uint32_t ptr, bool exact);
/* The entry address as instance s takes it (choice queue_base_align, <smmu/choice.h>). */
struct smmu;
uint64_t smmu_q_entry_s(struct smmu *s, const smmu_queue_t *q, unsigned log2, unsigned entry_bytes,
                        uint32_t ptr);
uint32_t smmu_q_inc(uint32_t ptr, unsigned log2); /* next entry, toggling the wrap bit */
bool smmu_q_empty(uint32_t prod, uint32_t cons, unsigned log2);
bool smmu_q_full(uint32_t prod, uint32_t cons, unsigned log2);

#endif
