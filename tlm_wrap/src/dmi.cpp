/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* dmi.cpp: DMI grants on the upstream sockets and their scoped revocation (dmi.h). */
#include "dmi.h"

#include "core_port.h"

namespace smmu_tlm {
namespace detail {

upstream_dmi::upstream_dmi(const std::vector<tlm::tlm_bw_transport_if<> *> &up, unsigned n_ports,
                           core_port &cp, payload_pool &pool, tlm_stats &st)
    : up_(up), cp_(cp), pool_(pool), st_(st), grants_(n_ports) {}

/* The page (the translation's span) is translated without side effects, the downstream is asked
   for DMI at its output address and the intersection is returned in the device's address space
   with the permissions both grant. A request for write on a mapping that grants only read gets
   a read-only region (IEEE 1666-2011 11.2: the target may grant less than requested), and the
   other way round. The grant is remembered with its stream and TLB tags: only the invalidations
   that cover it revoke it. A Secure stream gets none. */
bool upstream_dmi::get(unsigned port, const stream_extension &se, tlm::tlm_generic_payload &gp,
                       tlm::tlm_dmi &dmi) {
    smmu_txn_t t = make_txn(se, gp);
    t.len = 1;
    dmi.allow_none();
    dmi.set_start_address(t.addr);
    dmi.set_end_address(t.addr);
    /* No DMI for Secure streams: the core never caches their translations, so no invalidation
       notice would ever revoke such a grant (3.10.2.1) */
    if (!down_ || t.secure) return false;
    smmu_result_t r{};
    smmu_xlate_tags_t tags;
    cp_.translate_dbg(t, r, &tags);
    if (r.status != SMMU_OK) { /* the other direction may be allowed */
        t.write = !t.write;
        cp_.translate_dbg(t, r, &tags);
        if (r.status != SMMU_OK) return false;
    }
    const uint64_t span = r.span; /* never 0 when OK (smmu.h) */
    const uint64_t in_base = t.addr & ~(span - 1);
    const uint64_t pa_base = r.pa - (t.addr - in_base);
    const uint64_t pa_last = pa_base + (span - 1);

    pooled_payload *q = pool_.get();
    q->acquire();
    q->set_command(t.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    q->set_address(r.pa);
    q->set_data_ptr(nullptr);
    q->set_data_length(0);
    q->set_streaming_width(0);
    q->set_byte_enable_ptr(nullptr);
    q->set_byte_enable_length(0);
    q->set_dmi_allowed(false);
    q->set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    q->out = output_of(se.sid, r);
    q->set_extension(&q->out);
    tlm::tlm_dmi d;
    const bool ok = down_->get_direct_mem_ptr(*q, d);
    q->clear_extension(&q->out);
    q->release();
    if (!ok || d.get_start_address() > pa_last || d.get_end_address() < pa_base) return false;
    const uint64_t lo = std::max<uint64_t>(d.get_start_address(), pa_base);
    const uint64_t hi = std::min<uint64_t>(d.get_end_address(), pa_last);
    const bool rd = d.is_read_allowed() && (r.perm & SMMU_PERM_R);
    const bool wr = d.is_write_allowed() && (r.perm & SMMU_PERM_W);
    if (!rd && !wr) return false;
    dmi.set_dmi_ptr(d.get_dmi_ptr() + (lo - d.get_start_address()));
    dmi.set_start_address(in_base + (lo - pa_base));
    dmi.set_end_address(in_base + (hi - pa_base));
    if (rd && wr)
        dmi.allow_read_write();
    else if (rd)
        dmi.allow_read();
    else
        dmi.allow_write();
    dmi.set_read_latency(d.get_read_latency());
    dmi.set_write_latency(d.get_write_latency());
    grant g{};
    g.lo = dmi.get_start_address();
    g.hi = dmi.get_end_address();
    g.out_lo = lo;
    g.out_hi = hi;
    g.sid = se.sid;
    g.ssid = se.ssid;
    g.ssv = se.ssv;
    g.rd = rd;
    g.wr = wr;
    g.tags = tags;
    /* smmu_inv_covers takes tags.ipa as the IPA of the range's first byte, g.lo; the tags are
       t.addr's, which may lie further into the translation */
    if (tags.s1 || tags.s2) g.tags.ipa = tags.ipa - (t.addr - g.lo);
    remember(port, g);
    st_.dmi_grants++;
    return true;
}

void upstream_dmi::remember(unsigned port, const grant &g) {
    std::vector<grant> &v = grants_[port];
    for (grant &e : v)
        if (e.lo == g.lo && e.hi == g.hi && e.sid == g.sid && e.ssid == g.ssid && e.ssv == g.ssv) {
            e = g;
            return;
        }
    if (v.size() >= GRANTS_PER_PORT) { /* bounded: the oldest goes */
        revokes_.push_back({port, v.front().lo, v.front().hi});
        v.erase(v.begin());
        deliver_now_or_at_unlock();
    }
    v.push_back(g);
}

/* Exactly the grants the invalidation covers are revoked (the core decides which,
   smmu_inv_covers). Delivered when the core call ends. */
void upstream_dmi::scope_invalidated(const smmu_inv_scope_t &sc) {
    for (unsigned port = 0; port < grants_.size(); port++) {
        std::vector<grant> &v = grants_[port];
        for (size_t i = v.size(); i-- > 0;) {
            const grant &g = v[i];
            if (!smmu_inv_covers(&sc, g.sid, g.ssid, g.ssv, g.lo, g.hi, &g.tags)) continue;
            revokes_.push_back({port, g.lo, g.hi});
            v[i] = v.back();
            v.pop_back();
        }
    }
    deliver_now_or_at_unlock(); /* at once after a direct core call (core()), not ours */
}

/* Inside a core call the initiators' invalidate_direct_mem_ptr waits for its end. */
void upstream_dmi::deliver_now_or_at_unlock() {
    if (cp_.lock().busy())
        cp_.lock().deliver_at_unlock();
    else
        deliver();
}

/* Every grant whose output range meets [start, end] is revoked in its device's address space
   (only the part that meets it; a grant revoked whole is forgotten). */
void upstream_dmi::downstream_invalidated(uint64_t start, uint64_t end) {
    for (unsigned port = 0; port < grants_.size(); port++) {
        std::vector<grant> &v = grants_[port];
        for (size_t i = v.size(); i-- > 0;) {
            const grant &g = v[i];
            if (g.out_lo > end || g.out_hi < start) continue;
            const uint64_t lo = std::max(start, g.out_lo), hi = std::min(end, g.out_hi);
            revokes_.push_back({port, g.lo + (lo - g.out_lo), g.lo + (hi - g.out_lo)});
            if (lo == g.out_lo && hi == g.out_hi) {
                v[i] = v.back();
                v.pop_back();
            }
        }
    }
    deliver(); /* at once: the memory behind them is gone now */
}

void upstream_dmi::revoke_all() {
    for (unsigned port = 0; port < grants_.size(); port++) {
        grants_[port].clear();
        revokes_.push_back({port, 0, ~(uint64_t)0});
    }
    deliver();
}

void upstream_dmi::deliver() {
    while (!revokes_.empty()) {
        const revoke r = revokes_.back();
        revokes_.pop_back();
        st_.dmi_revocations++;
        if (r.port < up_.size() && up_[r.port]) up_[r.port]->invalidate_direct_mem_ptr(r.lo, r.hi);
    }
}

std::vector<smmu_base::dmi_region> upstream_dmi::regions(unsigned port) const {
    std::vector<smmu_base::dmi_region> v;
    if (port >= grants_.size()) return v;
    for (const grant &g : grants_[port])
        v.push_back({g.lo, g.hi, g.out_lo, g.sid, g.ssid, g.ssv, g.rd, g.wr});
    return v;
}

} // namespace detail
} // namespace smmu_tlm
