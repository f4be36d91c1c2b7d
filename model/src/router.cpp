// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <smmu_model/router.h>

#include <algorithm>

namespace smmu_model {

using namespace sc_core;

namespace {
uint64_t last_of(uint64_t base, uint64_t size) { // inclusive end; size 0: to 2^64 - 1
    return size == 0 || base + size - 1 < base ? ~0ull : base + size - 1;
}
} // namespace

router::router(sc_module_name name, sc_time latency)
    : sc_module(name), target("target"), initiator("initiator"), latency_(latency) {
    target.register_b_transport(this, &router::b_transport);
    target.register_nb_transport_fw(this, &router::nb_transport_fw);
    target.register_get_direct_mem_ptr(this, &router::get_direct_mem_ptr);
    target.register_transport_dbg(this, &router::transport_dbg);
    initiator.register_nb_transport_bw(this, &router::nb_transport_bw);
    initiator.register_invalidate_direct_mem_ptr(this, &router::invalidate_direct_mem_ptr);
}

bool router::map(const std::string &name, uint64_t base, uint64_t size, unsigned port,
                 uint64_t offset) {
    uint64_t last = last_of(base, size);
    for (const region &r : regions_)
        if (base <= last_of(r.base, r.size) && last >= r.base) return false;
    regions_.push_back({name, base, size, port, offset});
    return true;
}

const router::region *router::decode(uint64_t addr, uint64_t len) const {
    uint64_t last = len ? addr + len - 1 : addr;
    if (last < addr) return nullptr;
    for (const region &r : regions_)
        if (addr >= r.base && last <= last_of(r.base, r.size)) return &r;
    return nullptr;
}

const router::region *router::route(tlm::tlm_generic_payload &gp) {
    const unsigned len = gp.get_data_length(), sw = gp.get_streaming_width();
    // a streaming access touches only its first `sw` bytes of addresses (IEEE 1666-2011 14.15)
    const region *r = decode(gp.get_address(), sw && sw < len ? sw : len);
    if (!r || r->port >= (unsigned)initiator.size()) {
        decode_errors_++;
        return nullptr;
    }
    gp.set_address(gp.get_address() - r->base + r->offset);
    return r;
}

void router::b_transport(int, tlm::tlm_generic_payload &gp, sc_time &delay) {
    uint64_t addr = gp.get_address();
    const region *r = route(gp);
    if (!r) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    delay += latency_;
    initiator[r->port]->b_transport(gp, delay);
    gp.set_address(addr);
}

tlm::tlm_sync_enum router::nb_transport_fw(int id, tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                           sc_time &t) {
    auto it = pending_.find(&gp);
    if (ph == tlm::BEGIN_REQ) {
        uint64_t addr = gp.get_address();
        const region *r = route(gp);
        if (!r) { // answer at once: the response is the error
            gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            ph = tlm::BEGIN_RESP;
            return tlm::TLM_UPDATED;
        }
        pending_[&gp] = {id, addr};
        // The request reaches the target latency_ later. That annotation is the router's own
        // call's: with TLM_ACCEPTED the caller's delay must come back unchanged (IEEE 1666-2011
        // 11.1.2); with TLM_UPDATED or TLM_COMPLETED the target's annotation of the phase it
        // returns is relative to the same time, so it goes back as it is.
        sc_time td = t + latency_;
        tlm::tlm_sync_enum s = initiator[r->port]->nb_transport_fw(gp, ph, td);
        if (s != tlm::TLM_ACCEPTED) t = td;
        if (s == tlm::TLM_COMPLETED || (s == tlm::TLM_UPDATED && ph == tlm::BEGIN_RESP)) {
            gp.set_address(addr);
            if (s == tlm::TLM_COMPLETED) pending_.erase(&gp);
        }
        return s;
    }
    if (it == pending_.end()) return tlm::TLM_COMPLETED; // protocol error by the initiator
    const region *r = decode(it->second.global_addr, gp.get_data_length());
    uint64_t addr = it->second.global_addr;
    if (ph == tlm::END_RESP) pending_.erase(it);
    if (!r) return tlm::TLM_COMPLETED;
    uint64_t saved = gp.get_address();
    gp.set_address(addr - r->base + r->offset); // the target sees its local address throughout
    tlm::tlm_sync_enum s = initiator[r->port]->nb_transport_fw(gp, ph, t);
    gp.set_address(saved);
    return s;
}

tlm::tlm_sync_enum router::nb_transport_bw(int, tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                           sc_time &t) {
    auto it = pending_.find(&gp);
    if (it == pending_.end()) return tlm::TLM_COMPLETED;
    pending pend = it->second;
    if (ph == tlm::BEGIN_RESP) gp.set_address(pend.global_addr);
    tlm::tlm_sync_enum s = target[pend.initiator]->nb_transport_bw(gp, ph, t);
    if (s == tlm::TLM_COMPLETED) pending_.erase(&gp);
    return s;
}

bool router::get_direct_mem_ptr(int, tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi) {
    uint64_t addr = gp.get_address();
    const region *r = route(gp);
    if (!r) {
        dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_NONE);
        return false;
    }
    bool ok = initiator[r->port]->get_direct_mem_ptr(gp, dmi);
    gp.set_address(addr);
    // Back to global addresses, clipped to the region: the pointer moves with the start.
    uint64_t lo = r->offset, hi = r->offset + (last_of(r->base, r->size) - r->base);
    uint64_t s = std::max<uint64_t>(dmi.get_start_address(), lo);
    uint64_t e = std::min<uint64_t>(dmi.get_end_address(), hi);
    if (s > e) { // nothing usable in this region
        dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_NONE);
        return false;
    }
    if (dmi.get_dmi_ptr()) dmi.set_dmi_ptr(dmi.get_dmi_ptr() + (s - dmi.get_start_address()));
    dmi.set_start_address(s - r->offset + r->base);
    dmi.set_end_address(e - r->offset + r->base);
    if (ok) {
        dmi.set_read_latency(dmi.get_read_latency() + latency_);
        dmi.set_write_latency(dmi.get_write_latency() + latency_);
    }
    return ok;
}

unsigned int router::transport_dbg(int, tlm::tlm_generic_payload &gp) {
    uint64_t addr = gp.get_address();
    const region *r = route(gp);
    if (!r) return 0;
    unsigned n = initiator[r->port]->transport_dbg(gp);
    gp.set_address(addr);
    return n;
}

void router::invalidate_direct_mem_ptr(int id, sc_dt::uint64 start, sc_dt::uint64 end) {
    for (const region &r : regions_) {
        if ((int)r.port != id) continue;
        uint64_t lo = r.offset, hi = r.offset + (last_of(r.base, r.size) - r.base);
        uint64_t s = std::max<uint64_t>(start, lo), e = std::min<uint64_t>(end, hi);
        if (s > e) continue;
        for (unsigned i = 0; i < target.size(); i++)
            target[i]->invalidate_direct_mem_ptr(s - r.offset + r.base, e - r.offset + r.base);
    }
}

} // namespace smmu_model
