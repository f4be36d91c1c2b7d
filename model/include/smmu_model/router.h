// SPDX-License-Identifier: Apache-2.0 OR MIT
// An interconnect with an address map: any number of initiators bind to `target`, any number of
// targets to `initiator`. Each region maps [base, base + size) of the global address space to one
// target port, at target-local offsets (address - base + offset). b_transport, the AT base
// protocol (nb_transport_fw/bw), DMI (ranges converted back to global addresses and clipped to
// the region) and transport_dbg are forwarded; a target's invalidate_direct_mem_ptr reaches every
// initiator with the global ranges it maps to. An access that no region contains entirely gets
// TLM_ADDRESS_ERROR_RESPONSE.
#ifndef SMMU_MODEL_ROUTER_H
#define SMMU_MODEL_ROUTER_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

namespace smmu_model {

class router : public sc_core::sc_module {
  public:
    struct region {
        std::string name;
        uint64_t base = 0, size = 0; // global [base, base + size); size 0: up to 2^64
        unsigned port = 0;           // target port (binding order of `initiator`)
        uint64_t offset = 0;         // target-local address of base
    };

    tlm_utils::multi_passthrough_target_socket<router> target;       // initiators bind here
    tlm_utils::multi_passthrough_initiator_socket<router> initiator; // targets bound here

    // latency: annotated on every forwarded request (b_transport and BEGIN_REQ).
    router(sc_core::sc_module_name name, sc_core::sc_time latency = sc_core::SC_ZERO_TIME);

    // Adds a region; regions must not overlap (false if they do).
    bool map(const std::string &name, uint64_t base, uint64_t size, unsigned port,
             uint64_t offset = 0);
    const std::vector<region> &regions() const {
        return regions_;
    }
    // The region containing [addr, addr + len), or nullptr.
    const region *decode(uint64_t addr, uint64_t len) const;

    uint64_t decode_errors() const {
        return decode_errors_;
    }

  private:
    void b_transport(int id, tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    tlm::tlm_sync_enum nb_transport_fw(int id, tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                       sc_core::sc_time &t);
    tlm::tlm_sync_enum nb_transport_bw(int id, tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                       sc_core::sc_time &t);
    bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi);
    unsigned int transport_dbg(int id, tlm::tlm_generic_payload &gp);
    void invalidate_direct_mem_ptr(int id, sc_dt::uint64 start, sc_dt::uint64 end);

    // Decodes gp; on success rewrites its address to the local one and returns the region.
    const region *route(tlm::tlm_generic_payload &gp);

    struct pending { // an AT transaction in flight
        int initiator;
        uint64_t global_addr;
    };

    sc_core::sc_time latency_;
    std::vector<region> regions_;
    std::map<tlm::tlm_generic_payload *, pending> pending_;
    uint64_t decode_errors_ = 0;
};

} // namespace smmu_model

#endif
