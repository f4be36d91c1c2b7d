/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Circular queue pointers (spec 3.5.1): the entry address from the base register, and the
 * increment, empty and full tests of PROD/CONS values with their wrap bit, shared by the Command,
 * Event and PRI queues. */
#include "queue.h"

#include <smmu/arch.h>

#include "choice.h"

unsigned smmu_q_log2(const smmu_queue_t *q, unsigned max_log2) {
    unsigned l = (unsigned)SMMU_VGET(q->base, SMMU_F_Q_BASE_LOG2SIZE);
    return l < max_log2 ? l : max_log2;
}

uint64_t smmu_q_entry(const smmu_queue_t *q, unsigned log2, unsigned entry_bytes, uint32_t ptr) {
    return smmu_q_entry_align(q, log2, entry_bytes, ptr, true);
}

uint64_t smmu_q_entry_align(const smmu_queue_t *q, unsigned log2, unsigned entry_bytes,
                            uint32_t ptr, bool exact) {
    uint64_t size = (uint64_t)entry_bytes << log2;
    uint64_t align = size > 32 && exact ? size : 32;
    uint64_t base = SMMU_VADDR(q->base, SMMU_F_Q_BASE_ADDR) & ~(align - 1);
    return base + (uint64_t)smmu_q_index(ptr, log2) * entry_bytes;
}

/* Choice queue_base_align (6.3.26, 6.3.29, 6.3.33): the aligned base, or (a model-only
   tolerance of bases aligned to less than the queue size) the base as written. */
uint64_t smmu_q_entry_s(smmu_t *s, const smmu_queue_t *q, unsigned log2, unsigned entry_bytes,
                        uint32_t ptr) {
    const bool exact = smmu_choice(s, SMMU_CHOICE_QUEUE_BASE_ALIGN) == SMMU_QUEUE_BASE_ALIGN;
    return smmu_q_entry_align(q, log2, entry_bytes, ptr, exact);
}

uint32_t smmu_q_inc(uint32_t ptr, unsigned log2) {
    uint32_t m = (uint32_t)smmu_bits_mask(log2 + 1); /* index and wrap bit */
    return (ptr & ~m) | ((ptr + 1) & m);
}

bool smmu_q_empty(uint32_t prod, uint32_t cons, unsigned log2) {
    uint32_t m = (uint32_t)smmu_bits_mask(log2 + 1);
    return (prod & m) == (cons & m);
}

bool smmu_q_full(uint32_t prod, uint32_t cons, unsigned log2) {
    uint32_t idx = (uint32_t)smmu_bits_mask(log2);
    return (prod & idx) == (cons & idx) && !smmu_q_empty(prod, cons, log2);
}
