/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* at.h: the approximately-timed protocol on the upstream sockets (docs/tlm.md, "Protocols").
 *
 * BEGIN_REQ is accepted at once (TLM_UPDATED, END_REQ): the translation slots of the timing
 * model are the back-pressure. The request waits in a payload event queue until its annotated
 * time; a worker thread (one more is spawned whenever all are busy) runs it through the
 * forwarder like a b_transport, waits for the delay, and sends BEGIN_RESP under the response
 * exclusion rule: one response in flight per socket until END_RESP (or TLM_COMPLETED).
 * Payloads with a memory manager are held (acquire / release) while the SMMU has them.
 *
 * It owns the queue, the job records, the workers and each socket's response state; it is
 * handed the forwarder and the upstream sockets' backward paths. */
#ifndef SMMU_TLM_SRC_AT_H
#define SMMU_TLM_SRC_AT_H

#include "common.h"
#include "forward.h"

#include <deque>
#include <vector>

#include <tlm_utils/peq_with_get.h>

namespace smmu_tlm {
namespace detail {

class at_engine {
  public:
    /* up: each upstream socket's backward path, filled at attach(). */
    at_engine(const sc_core::sc_object &owner, forwarder &fwd,
              const std::vector<tlm::tlm_bw_transport_if<> *> &up, unsigned n_ports);
    at_engine(const at_engine &) = delete;
    at_engine &operator=(const at_engine &) = delete;

    /* Transactions accepted (BEGIN_REQ) whose response has not completed (END_RESP): while any
       is, the module refuses to save or restore its state. */
    unsigned in_flight() const {
        return active_;
    }
    /* nb_transport_fw on upstream port `port`: BEGIN_REQ or END_RESP. */
    tlm::tlm_sync_enum nb_transport_fw(int port, tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                       sc_time &delay);

  private:
    /* A transaction waiting for its start time in the PEQ. */
    struct job {
        int port;
        tlm::tlm_generic_payload *gp;
    };
    struct port_state {
        bool resp_busy = false;
        unsigned resp_waiters = 0; /* workers waiting for resp_free */
        bool end_resp = false;
        sc_core::sc_event resp_free, end_resp_ev;
    };

    void start(int port, tlm::tlm_generic_payload &gp, const sc_time &delay);
    job *new_job(int port, tlm::tlm_generic_payload *gp);
    void worker();
    void respond(int port, tlm::tlm_generic_payload &gp);

    const sc_core::sc_object &owner_; /* for error reports */
    forwarder &fwd_;
    const std::vector<tlm::tlm_bw_transport_if<> *> &up_;
    std::vector<port_state> ports_;
    tlm_utils::peq_with_get<job> peq_;
    std::deque<job> job_store_; /* stable addresses */
    std::vector<job *> job_free_;
    unsigned idle_ = 0, pending_ = 0, starting_ = 0; /* workers waiting; jobs queued; spawned */
    unsigned active_ = 0;                            /* from BEGIN_REQ to the response's end */
};

} // namespace detail
} // namespace smmu_tlm

#endif
