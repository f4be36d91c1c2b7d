// SPDX-License-Identifier: Apache-2.0 OR MIT
// A pass-through probe for a point-to-point link (e.g. between an SMMU's downstream socket and
// the interconnect). Everything is forwarded unchanged in both directions (b_transport, AT
// phases, DMI, debug, DMI invalidation); every request that carries an issue_extension gives one
// latency sample: the time from its issue by the master to its arrival here, i.e. the
// translation latency when the probe sits right behind the SMMU.
#ifndef SMMU_MODEL_PROBE_H
#define SMMU_MODEL_PROBE_H

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

namespace smmu_model {

class probe : public sc_core::sc_module {
  public:
    tlm_utils::simple_target_socket<probe> in;
    tlm_utils::simple_initiator_socket<probe> out;

    struct sample {
        unsigned master, flow;
        sc_core::sc_time latency;
    };

    explicit probe(sc_core::sc_module_name name);

    const std::vector<sample> &samples() const {
        return samples_;
    }
    uint64_t requests() const {
        return requests_;
    }
    uint64_t bytes() const {
        return bytes_;
    }

  private:
    void record(tlm::tlm_generic_payload &gp, const sc_core::sc_time &t);
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                       sc_core::sc_time &t);
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                       sc_core::sc_time &t);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi);
    unsigned int transport_dbg(tlm::tlm_generic_payload &gp);
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);

    std::vector<sample> samples_;
    uint64_t requests_ = 0, bytes_ = 0;
};

} // namespace smmu_model

#endif
