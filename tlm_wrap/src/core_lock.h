/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* core_lock.h: the core is entered by one process at a time.
 *
 * A table access may wait inside the memory model (a b_transport on `table` that calls
 * wait()), and another process must not enter the core meanwhile: translations, register
 * accesses and the command thread take this lock, which waits only while another process is
 * inside the core. A core call ends at unlock(), and that is when the DMI revocations the call
 * caused are delivered upstream (docs/tlm.md, "Revocation is scoped": an initiator's
 * invalidate_direct_mem_ptr must not run inside the core): upstream_dmi defers them with
 * deliver_at_unlock(). Inline: the LT hit path takes it. */
#ifndef SMMU_TLM_SRC_CORE_LOCK_H
#define SMMU_TLM_SRC_CORE_LOCK_H

#include "common.h"
#include "dmi.h"

namespace smmu_tlm {
namespace detail {

class core_lock {
  public:
    /* dmi: whose deferred revocations unlock() delivers (it may be constructed after the lock) */
    explicit core_lock(upstream_dmi &dmi) : dmi_(dmi) {}
    core_lock(const core_lock &) = delete;
    core_lock &operator=(const core_lock &) = delete;

    /* A process is inside the core. */
    bool busy() const {
        return busy_;
    }
    SMMU_TLM_ALWAYS_INLINE void lock() {
        while (busy_) {
            waiters_++;
            sc_core::wait(free_);
            waiters_--;
        }
        busy_ = true;
    }
    SMMU_TLM_ALWAYS_INLINE void unlock() {
        busy_ = false;
        if (revocations_) {
            revocations_ = false;
            dmi_.deliver();
        }
        if (waiters_) free_.notify(SC_ZERO_TIME);
    }
    /* Revocations were queued during the core call in progress: unlock() delivers them. */
    void deliver_at_unlock() {
        revocations_ = true;
    }

  private:
    upstream_dmi &dmi_;
    bool busy_ = false;
    bool revocations_ = false;
    unsigned waiters_ = 0; /* processes waiting in lock() */
    sc_core::sc_event free_;
};

} // namespace detail
} // namespace smmu_tlm

#endif
