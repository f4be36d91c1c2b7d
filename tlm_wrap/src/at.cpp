/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* at.cpp: the AT protocol on the upstream sockets (at.h): request queue, worker threads and the
 * response exclusion rule. */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "at.h"

namespace smmu_tlm {
namespace detail {

at_engine::at_engine(const sc_core::sc_object &owner, forwarder &fwd,
                     const std::vector<tlm::tlm_bw_transport_if<> *> &up, unsigned n_ports)
    : owner_(owner), fwd_(fwd), up_(up), ports_(n_ports), peq_("at_peq") {}

tlm::tlm_sync_enum at_engine::nb_transport_fw(int port, tlm::tlm_generic_payload &gp,
                                              tlm::tlm_phase &ph, sc_time &delay) {
    if (ph == tlm::BEGIN_REQ) {
        start(port, gp, delay);
        ph = tlm::END_REQ; /* accepted at once; the translation limits model the back-pressure */
        return tlm::TLM_UPDATED;
    }
    if (ph == tlm::END_RESP) {
        port_state &ps = ports_[(size_t)port];
        ps.end_resp = true;
        ps.end_resp_ev.notify(delay);
        return tlm::TLM_COMPLETED;
    }
    SC_REPORT_ERROR(owner_.name(), "nb_transport_fw: unexpected phase from an upstream master");
    return tlm::TLM_COMPLETED;
}

void at_engine::start(int port, tlm::tlm_generic_payload &gp, const sc_time &delay) {
    if (gp.has_mm()) gp.acquire();
    active_++;
    peq_.notify(*new_job(port, &gp), delay);
    pending_++;
    if (pending_ > idle_ + starting_) { /* every worker busy: one more */
        starting_++;
        sc_core::sc_spawn(
            [this] {
                starting_--;
                worker();
            },
            sc_core::sc_gen_unique_name("at_worker"));
    }
}

at_engine::job *at_engine::new_job(int port, tlm::tlm_generic_payload *gp) {
    job *j;
    if (job_free_.empty()) {
        job_store_.push_back(job{});
        j = &job_store_.back();
    } else {
        j = job_free_.back();
        job_free_.pop_back();
    }
    j->port = port;
    j->gp = gp;
    return j;
}

void at_engine::worker() {
    for (;;) {
        job *j;
        while (!(j = peq_.get_next_transaction())) {
            idle_++;
            sc_core::wait(peq_.get_event());
            idle_--;
        }
        pending_--;
        const int port = j->port;
        tlm::tlm_generic_payload *gp = j->gp;
        job_free_.push_back(j);
        sc_time d = SC_ZERO_TIME;
        fwd_.transport(port, *gp, d);
        if (d > SC_ZERO_TIME) sc_core::wait(d);
        respond(port, *gp);
    }
}

/* BEGIN_RESP under the response exclusion rule: one response in flight per socket. */
void at_engine::respond(int port, tlm::tlm_generic_payload &gp) {
    port_state &ps = ports_[(size_t)port];
    while (ps.resp_busy) {
        ps.resp_waiters++;
        sc_core::wait(ps.resp_free);
        ps.resp_waiters--;
    }
    ps.resp_busy = true;
    ps.end_resp = false;
    tlm::tlm_phase ph = tlm::BEGIN_RESP;
    sc_time t = SC_ZERO_TIME;
    tlm::tlm_sync_enum s = up_[(size_t)port]->nb_transport_bw(gp, ph, t);
    if (s == tlm::TLM_COMPLETED || (s == tlm::TLM_UPDATED && ph == tlm::END_RESP)) {
        if (t > SC_ZERO_TIME) sc_core::wait(t);
    } else {
        while (!ps.end_resp)
            sc_core::wait(ps.end_resp_ev);
    }
    ps.resp_busy = false;
    if (ps.resp_waiters) ps.resp_free.notify(SC_ZERO_TIME);
    active_--;
    if (gp.has_mm()) gp.release();
}

} // namespace detail
} // namespace smmu_tlm
