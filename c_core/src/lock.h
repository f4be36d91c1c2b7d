/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The instance's lock (<smmu/smmu.h>, "Concurrent use"): with params.concurrent, one recursive
 * mutex serialises every entry point but the ports' memo hits; without it, the caller
 * serialises and nothing is locked. SMMU_LOCKED(s) at the top of an entry point holds the lock
 * until the function returns. Recursive: a host callback may call back into the instance
 * (a trace callback reading a register). A POSIX mutex rather than C11's mtx_t: glibc's
 * mtx_lock bypasses ThreadSanitizer's interception, which then cannot check the contract. */
#ifndef SMMU_CORE_LOCK_H
#define SMMU_CORE_LOCK_H

#include <pthread.h>

#include "instance.h"

static inline smmu_t *smmu_lock(smmu_t *s) {
    if (s->p.concurrent) pthread_mutex_lock(&s->lock);
    return s;
}
static inline void smmu_unlock(smmu_t *s) {
    if (s->p.concurrent) pthread_mutex_unlock(&s->lock);
}
static inline void smmu_guard_release(smmu_t *const *s) {
    smmu_unlock(*s);
}
#define SMMU_LOCKED(s)                                                                             \
    smmu_t *const smmu_guard_ __attribute__((cleanup(smmu_guard_release), unused)) =               \
        smmu_lock((smmu_t *)(s))

#endif
