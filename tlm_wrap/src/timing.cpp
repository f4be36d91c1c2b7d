/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* timing.cpp: the set-up of the timing model (timing.h): the slot pools of the configured sizes
 * and the lookup latency tables, so that a translation's lookups cost a table read, not a
 * multiplication. */
#include "timing.h"

namespace smmu_tlm {
namespace detail {

timing_model::timing_model(const timing_params &tp, tlm_stats &st)
    : st_(st), xlate_(tp.max_outstanding), walk_(tp.max_walks) {
    for (unsigned n = 0; n < LAT_N; n++) {
        lat_[0][n] = times(tp.cfg_lookup, n);
        lat_[1][n] = times(tp.tlb_lookup, n);
        lat_[2][n] = times(tp.walk_cache_lookup, n);
    }
}

} // namespace detail
} // namespace smmu_tlm
