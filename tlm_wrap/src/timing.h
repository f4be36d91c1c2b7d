/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* timing.h: the timing model of one translation (docs/tlm.md, "Timing"), pure arithmetic on
 * sc_time: no SystemC process, no core call.
 *
 * timing_model::schedule() takes when a translation was requested, what its table accesses cost
 * and the lookups the core reports for it (smmu_result_t::lookups, ::walk_reads), and gives its
 * phases: the wait for a translation slot, the configuration and TLB lookups, the wait for a
 * walk slot when it walked, the walk-cache lookups and table accesses. It owns the two slot
 * pools (timing_params::max_outstanding, ::max_walks) and the lookup latency tables made at
 * construction, and adds the waits and the latency to tlm_stats. Inline: it is on the LT hit
 * path (core_port::translate_timed_inline). */
#ifndef SMMU_TLM_SRC_TIMING_H
#define SMMU_TLM_SRC_TIMING_H

#include "common.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace smmu_tlm {
namespace detail {

/* Slots reserved in simulated time: a slot is busy until some absolute time. Taking one at time
   `at` starts at the earliest moment a slot is free; the caller then marks it busy until the end
   of its work. Works the same under temporal decoupling (LT) and in AT threads.
   Only the multiset of busy-until times matters (take() always gets the earliest), so they are
   kept sorted in a ring starting at `head`: take() reads the earliest, hold() replaces it by the
   new end time, inserted in order from the back (no moves when end times only grow, the usual
   case). hold() follows the take() it belongs to, with no take() on the pool in between. */
class slot_pool {
  public:
    explicit slot_pool(size_t n) : ring_(n, SC_ZERO_TIME) {} /* n == 0: unlimited */
    SMMU_TLM_ALWAYS_INLINE size_t take(const sc_time &at, sc_time &start) const {
        if (ring_.empty()) {
            start = at;
            return SIZE_MAX;
        }
        start = max_time(at, ring_[head_]);
        return head_;
    }
    SMMU_TLM_ALWAYS_INLINE void hold(size_t i, const sc_time &until) {
        if (i == SIZE_MAX) return;
        const size_t n = ring_.size();
        const size_t last = head_; /* the earliest leaves: its cell is now the last */
        head_ = head_ + 1 == n ? 0 : head_ + 1;
        size_t k = last;
        while (k != head_) {
            const size_t prev = k ? k - 1 : n - 1;
            if (!(ring_[prev] > until)) break;
            ring_[k] = ring_[prev];
            k = prev;
        }
        ring_[k] = until;
    }

  private:
    std::vector<sc_time> ring_;
    size_t head_ = 0;
};

/* When the phases of one translation happened (absolute simulated times; the fields of
   translation_record, <smmu_tlm/recorder.h>). */
struct translation_phases {
    sc_time start;      /* got a translation slot */
    sc_time cfg, tlb;   /* configuration and TLB lookup latencies */
    sc_time walk_start; /* got a walk slot (walked), else start + cfg + tlb */
    sc_time end;
    bool walked; /* it looked up the walk cache or read page tables */
};

class timing_model {
  public:
    timing_model(const timing_params &tp, tlm_stats &st);

    /* A translation requested at t0 with result r whose table accesses took mem: its phases.
       Reserves its translation slot (and walk slot when it walked) until its end. */
    SMMU_TLM_ALWAYS_INLINE translation_phases schedule(const sc_time &t0, const sc_time &mem,
                                                       const smmu_result_t &r) {
        translation_phases ph;
        ph.cfg = lookups_time(0, (uint64_t)r.lookups[SMMU_CACHE_STE] + r.lookups[SMMU_CACHE_CD] +
                                     r.lookups[SMMU_CACHE_L1]);
        ph.tlb = lookups_time(1, (uint64_t)r.lookups[SMMU_CACHE_TLB] + r.lookups[SMMU_CACHE_IPA]);
        const sc_time wc = lookups_time(2, r.lookups[SMMU_CACHE_WALK]);
        ph.walked = r.lookups[SMMU_CACHE_WALK] > 0 || r.walk_reads > 0;
        const size_t xs = xlate_.take(t0, ph.start);
        st_.xlate_wait += ph.start - t0;
        sc_time t_end = ph.start + ph.cfg + ph.tlb;
        ph.walk_start = t_end;
        if (ph.walked) { /* a table walk also holds a walk slot */
            sc_time ws;
            const size_t w = walk_.take(t_end, ws);
            st_.walk_wait += ws - t_end;
            ph.walk_start = ws;
            t_end = ws + wc + mem;
            walk_.hold(w, t_end);
        } else {
            t_end += wc + mem;
        }
        xlate_.hold(xs, t_end);
        st_.xlate_time += t_end - t0;
        ph.end = t_end;
        return ph;
    }

  private:
    /* lat_[k][n]: n lookups of kind k (0 cfg, 1 tlb, 2 walk cache), for n < LAT_N */
    static constexpr unsigned LAT_N = 8;
    sc_time lookups_time(unsigned k, uint64_t n) const {
        return n < LAT_N ? lat_[k][n] : times(lat_[k][1], n);
    }

    tlm_stats &st_;
    slot_pool xlate_, walk_;
    sc_time lat_[3][LAT_N];
};

} // namespace detail
} // namespace smmu_tlm

#endif
