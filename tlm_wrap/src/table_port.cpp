/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* table_port.cpp: the core's memory accesses as TLM transactions on `table`, and the DMI regions
 * of the `table` target the core reads its tables through (table_port.h). */
#include "table_port.h"

namespace smmu_tlm {
namespace detail {

/* A power of two >= regions (smmu_tlm_params::table_dmi_regions), at most 2^20. */
static size_t region_slots(unsigned regions) {
    if (!regions) return 0;
    size_t n = 1;
    while (n < regions && n < ((size_t)1 << 20))
        n <<= 1;
    return n;
}

table_port::table_port(const sc_core::sc_object &owner, tlm_stats &st, unsigned regions)
    : owner_(owner), st_(st), regions_(region_slots(regions), region{1, 0, nullptr, SC_ZERO_TIME}),
      mask_(regions_.empty() ? 0 : regions_.size() - 1) {}

int table_port::access(tlm::tlm_command cmd, uint64_t pa, void *buf, size_t len, bool secure) {
    if (gp_busy_) {
        tlm::tlm_generic_payload own;
        return access(own, cmd, pa, buf, len, secure);
    }
    gp_busy_ = true;
    const int r = access(gp_, cmd, pa, buf, len, secure);
    gp_busy_ = false;
    return r;
}

int table_port::access(tlm::tlm_generic_payload &gp, tlm::tlm_command cmd, uint64_t pa, void *buf,
                       size_t len, bool secure) {
    output_extension ext;
    ext.ns = !secure;
    smmu_mpam_t m;
    if (core_ && smmu_mem_mpam(core_, &m)) { /* the access's MPAM label (17.4) */
        ext.partid = m.partid;
        ext.pmg = m.pmg;
        ext.mpam_ns = m.ns;
    }
    gp.set_gp_option(tlm::TLM_MIN_PAYLOAD);
    gp.set_command(cmd);
    gp.set_address(pa);
    gp.set_data_ptr(static_cast<unsigned char *>(buf));
    gp.set_data_length((unsigned)len);
    gp.set_streaming_width((unsigned)len);
    gp.set_byte_enable_ptr(nullptr);
    gp.set_byte_enable_length(0);
    gp.set_dmi_allowed(false);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    gp.set_extension(&ext);
    bool ok;
    if (!fw_) { /* before the end of elaboration: nothing is bound yet */
        SC_REPORT_ERROR(owner_.name(), "table access before the end of elaboration");
        ok = false;
    } else if (dbg_) {
        ok = fw_->transport_dbg(gp) == len;
    } else {
        sc_time local = SC_ZERO_TIME;
        sc_time &d = delay_ ? *delay_ : local;
        bt_calls_++;
        if (cmd == tlm::TLM_READ_COMMAND) bt_reads_++;
        if (record_) {
            table_access a;
            a.pa = pa;
            a.len = (uint32_t)len;
            a.write = cmd == tlm::TLM_WRITE_COMMAND;
            a.begin = sc_core::sc_time_stamp() + d;
            fw_->b_transport(gp, d);
            a.end = sc_core::sc_time_stamp() + d;
            accesses_.push_back(a);
        } else {
            fw_->b_transport(gp, d);
        }
        ok = gp.is_response_ok();
        /* the target hints that DMI is possible here now: forget a refusal */
        if (ok && gp.is_dmi_allowed() && !regions_.empty()) forget_refusal(pa);
    }
    gp.clear_extension(&ext);
    return ok ? 0 : 1;
}

int table_port::cas64(uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *observed,
                      bool secure) {
    unsigned char b[8];
    if (access(tlm::TLM_READ_COMMAND, pa, b, 8, secure)) return 1;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    *observed = v;
    if (v != expected) return 0;
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(desired >> (8 * i));
    return access(tlm::TLM_WRITE_COMMAND, pa, b, 8, secure);
}

bool table_port::read_dbg(uint64_t pa, unsigned char *buf, unsigned len) {
    tlm::tlm_generic_payload gp;
    gp.set_command(tlm::TLM_READ_COMMAND);
    gp.set_address(pa);
    gp.set_data_ptr(buf);
    gp.set_data_length(len);
    gp.set_streaming_width(len);
    return fw_ && fw_->transport_dbg(gp) == len;
}

/* Hands region r to the core. All grants of one epoch have the same read latency (the core does
   not tell which grant a read used): a region with another one is not handed out. */
bool table_port::hand(const region &r, smmu_mem_grant_t *g) {
    if (dmi_handed_ && r.read_latency != dmi_read_latency_) return false;
    dmi_read_latency_ = r.read_latency;
    g->ptr = r.ptr;
    g->base = r.start;
    g->size = r.end - r.start + 1;
    if (g->size == 0) g->size = ~(uint64_t)0; /* the whole 64-bit space: all but one byte */
    g->epoch = &dmi_epoch_;
    g->epoch_val = dmi_open_;
    dmi_handed_++;
    return true;
}

void table_port::remember(region &s, const region &r) {
    drop(s);
    s = r;
    if (!r.ptr) {
        refusals_++;
        if ((r.start >> 12) != (r.end >> 12)) wide_refusals_++;
    }
}

void table_port::drop(region &s) {
    if (s.empty()) return;
    if (!s.ptr) {
        refusals_--;
        if ((s.start >> 12) != (s.end >> 12)) wide_refusals_--;
    }
    s.start = 1;
    s.end = 0;
}

/* The target hints that DMI is possible at pa now: the refusals covering pa go (in pa's slot,
   and in other slots when a refusal spans pages). */
void table_port::forget_refusal(uint64_t pa) {
    if (!refusals_) return;
    region &s = slot(pa);
    if (!s.ptr && s.covers(pa)) drop(s);
    if (!wide_refusals_) return;
    for (region &r : regions_)
        if (!r.ptr && r.covers(pa)) drop(r);
}

/* From the region cache, or asked from the target (read access, the latency of the regions
   already granted) and kept in the slot of pa's page. */
bool table_port::mem_ptr(uint64_t pa, smmu_mem_grant_t *g) {
    if (!dmi_epoch_ || !fw_) return false; /* not in a timed translation, or recording */
    if (!regions_.empty()) {
        const region &s = slot(pa);
        if (s.covers(pa)) return s.ptr && hand(s, g);
    }
    output_extension ext; /* ns: the core asks only for Non-secure reads */
    dmi_gp_.set_command(tlm::TLM_READ_COMMAND);
    dmi_gp_.set_address(pa);
    dmi_gp_.set_extension(&ext);
    tlm::tlm_dmi d;
    const bool ok = fw_->get_direct_mem_ptr(dmi_gp_, d);
    dmi_gp_.clear_extension(&ext);
    region r{d.get_start_address(), d.get_end_address(), nullptr, SC_ZERO_TIME};
    if (!r.covers(pa)) r.start = r.end = pa; /* a target that set no range */
    const bool grant = ok && d.is_read_allowed() && d.get_dmi_ptr() &&
                       pa >= d.get_start_address() && pa <= d.get_end_address();
    if (grant) {
        r.ptr = d.get_dmi_ptr();
        r.read_latency = d.get_read_latency();
        st_.table_dmi_grants++;
    }
    if (!regions_.empty()) remember(slot(pa), r);
    return grant && hand(r, g);
}

/* Drops the regions [start, end] touches (refusals too: the target may grant there now) and
   moves the epoch on, so that the core drops every grant. */
void table_port::invalidated(uint64_t start, uint64_t end) {
    for (region &r : regions_)
        if (!r.empty() && r.start <= end && r.end >= start) drop(r);
    if (++dmi_open_ == 0) dmi_open_ = 1;
    if (dmi_epoch_) dmi_epoch_ = dmi_open_;
    dmi_handed_ = 0;
}

} // namespace detail
} // namespace smmu_tlm
