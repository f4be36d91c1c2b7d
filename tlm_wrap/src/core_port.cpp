/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* core_port.cpp: the out-of-line parts of the core port (core_port.h): the stall protocol, debug
 * translations and the recorder's translation records. */
#include "core_port.h"

namespace smmu_tlm {
namespace detail {

void stall_table::done(uint32_t sid, uint16_t stag, int outcome) {
    auto it = waiting_.find(key(sid, stag));
    if (it == waiting_.end()) return;
    it->second->done = true;
    it->second->outcome = outcome;
    it->second->ev.notify(SC_ZERO_TIME);
    waiting_.erase(it);
}

int stall_table::wait(uint32_t sid, uint16_t stag, sc_time &delay) {
    waiter w;
    waiting_[key(sid, stag)] = &w; /* before any wait: done() finds it */
    sc_core::wait(delay);
    delay = SC_ZERO_TIME;
    while (!w.done)
        sc_core::wait(w.ev);
    return w.outcome;
}

void core_port::translate_timed(const smmu_txn_t &t, smmu_result_t &r, sc_time &delay) {
    translate_timed_inline(t, r, delay);
}

void core_port::stalled(const smmu_txn_t &t, smmu_result_t &r, sc_time &delay) {
    for (;;) {
        st_.stalls++;
        const int outcome = stalls_.wait(t.sid, r.stag, delay);
        if (log_.on()) log_.stall_outcome(t, r.stag, outcome);
        if (outcome == SMMU_STALL_RETRY) {
            translate_timed(t, r, delay);
            if (r.status != SMMU_STALLED) return;
            continue;
        }
        r.status = SMMU_FAULT;
        r.abort = outcome != SMMU_STALL_RAZWI;
        return;
    }
}

void core_port::translate_dbg(const smmu_txn_t &t, smmu_result_t &r, smmu_xlate_tags_t *tags) {
    const bool was = table_.set_debug(true);
    smmu_translate_dbg_tags(core_, &t, &r, tags);
    table_.set_debug(was);
}

void core_port::record(const smmu_txn_t &t, const smmu_result_t &r, const sc_time &requested,
                       translation_phases ph) const {
    translation_record tr;
    tr.txn = t;
    tr.res = r;
    tr.requested = requested;
    tr.start = ph.start;
    tr.cfg = ph.cfg;
    tr.tlb = ph.tlb;
    tr.walk_start = ph.walk_start;
    tr.end = ph.end;
    tr.walked = ph.walked;
    for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++) {
        tr.lookups[i] = r.lookups[i];
        tr.hits[i] = r.hits[i];
    }
    tr.accesses = table_.accesses().data();
    tr.n_accesses = table_.accesses().size();
    rec_->translation(owner_, tr);
}

void core_port::record_utlb_hit(const smmu_txn_t &t, const smmu_result_t &r, const sc_time &delay,
                                const sc_time &lat) const {
    translation_record tr;
    tr.txn = t;
    tr.res = r;
    tr.end = sc_core::sc_time_stamp() + delay;
    tr.requested = tr.start = sub_or_zero(tr.end, lat);
    tr.walk_start = tr.end;
    rec_->translation(owner_, tr);
}

} // namespace detail
} // namespace smmu_tlm
