// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <smmu_model/probe.h>
#include <smmu_model/traffic.h>

namespace smmu_model {

using namespace sc_core;

probe::probe(sc_module_name name) : sc_module(name), in("in"), out("out") {
    in.register_b_transport(this, &probe::b_transport);
    in.register_nb_transport_fw(this, &probe::nb_transport_fw);
    in.register_get_direct_mem_ptr(this, &probe::get_direct_mem_ptr);
    in.register_transport_dbg(this, &probe::transport_dbg);
    out.register_nb_transport_bw(this, &probe::nb_transport_bw);
    out.register_invalidate_direct_mem_ptr(this, &probe::invalidate_direct_mem_ptr);
}

void probe::record(tlm::tlm_generic_payload &gp, const sc_time &t) {
    requests_++;
    bytes_ += gp.get_data_length();
    issue_extension *ix = nullptr;
    gp.get_extension(ix);
    if (ix) samples_.push_back({ix->master, ix->flow, sc_time_stamp() + t - ix->issued});
}

void probe::b_transport(tlm::tlm_generic_payload &gp, sc_time &delay) {
    record(gp, delay);
    out->b_transport(gp, delay);
}

tlm::tlm_sync_enum probe::nb_transport_fw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                          sc_time &t) {
    if (ph == tlm::BEGIN_REQ) record(gp, t);
    return out->nb_transport_fw(gp, ph, t);
}

tlm::tlm_sync_enum probe::nb_transport_bw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                          sc_time &t) {
    return in->nb_transport_bw(gp, ph, t);
}

bool probe::get_direct_mem_ptr(tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi) {
    return out->get_direct_mem_ptr(gp, dmi);
}

unsigned int probe::transport_dbg(tlm::tlm_generic_payload &gp) {
    return out->transport_dbg(gp);
}

void probe::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
    in->invalidate_direct_mem_ptr(start, end);
}

} // namespace smmu_model
