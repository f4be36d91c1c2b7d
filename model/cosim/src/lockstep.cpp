// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <smmu_cosim/lockstep.h>

#include <cstdio>
#include <cstring>

#include <smmu/regs.h>

namespace smmu_cosim {

using namespace sc_core;

namespace {

// Commands (two little-endian 64-bit words) and SMMU_CMDQ_BASE are decoded with the fields of
// <smmu/arch.h> (spec 4.1 command format, 4.3 CFGI, 4.4 TLBI, 6.3.26).

std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

} // namespace

bool decode_invalidation(const uint64_t cmd[2], tlb_invalidation &out) {
    out = tlb_invalidation();
    out.opcode = static_cast<uint8_t>(SMMU_FGET(cmd, SMMU_F_CMD_OPCODE));
    switch (out.opcode) {
    case SMMU_CMD_CFGI_STE:
    case SMMU_CMD_CFGI_CD:
    case SMMU_CMD_CFGI_CD_ALL:
        out.op = tlb_invalidation::SID;
        out.sid = static_cast<uint32_t>(SMMU_FGET(cmd, SMMU_F_CMD_SID));
        return true;
    case SMMU_CMD_TLBI_NH_ASID:
        out.op = tlb_invalidation::ASID;
        out.asid = static_cast<uint16_t>(SMMU_FGET(cmd, SMMU_F_CMD_ASID));
        return true;
    case SMMU_CMD_TLBI_NH_VA:
    case SMMU_CMD_TLBI_NH_VAA:
        out.asid = static_cast<uint16_t>(SMMU_FGET(cmd, SMMU_F_CMD_ASID));
        out.va = SMMU_FADDR(cmd, SMMU_F_CMD_TLBI_ADDR);
        // a range: widen to the ASID (or everything)
        if (SMMU_FGET(cmd, SMMU_F_CMD_TLBI_TG) != SMMU_CMD_TLBI_TG_NONE)
            out.op =
                out.opcode == SMMU_CMD_TLBI_NH_VA ? tlb_invalidation::ASID : tlb_invalidation::ALL;
        else
            out.op =
                out.opcode == SMMU_CMD_TLBI_NH_VA ? tlb_invalidation::VA : tlb_invalidation::VAA;
        return true;
    case SMMU_CMD_CFGI_ALL: // also CFGI_STE_RANGE
    case SMMU_CMD_TLBI_NH_ALL:
    case SMMU_CMD_TLBI_EL2_ALL:
    case SMMU_CMD_TLBI_EL2_ASID:
    case SMMU_CMD_TLBI_EL2_VA:
    case SMMU_CMD_TLBI_EL2_VAA:
    case SMMU_CMD_TLBI_S12_VMALL:
    case SMMU_CMD_TLBI_S2_IPA:
    case SMMU_CMD_TLBI_NSNH_ALL:
        out.op = tlb_invalidation::ALL;
        return true;
    default:
        return false;
    }
}

// ---- cmdq_snoop ----

cmdq_snoop::cmdq_snoop(smmu_tlm::smmu_base &smmu) {
    smmu.set_trace_hook(
        [this](const smmu_tp_t &tp) {
            if (tp.u.cmd.cerror != SMMU_CERROR_NONE) return; // it stopped the queue instead
            commands_++;
            for (auto &f : listeners_)
                f(tp.u.cmd.dw);
        },
        1u << SMMU_TP_CMD);
}

// ---- utlb_lockstep ----

std::string lockstep_mismatch::to_string() const {
    std::string s = time.to_string() + ": lockstep mismatch: " + (txn.write ? "write" : "read") +
                    " id " + std::to_string(txn.id) + " addr " + hex(txn.addr) + " sid " +
                    std::to_string(txn.user.sid);
    if (txn.user.ssv) s += " ssid " + std::to_string(txn.user.ssid);
    s += "; RTL: hit pa " + hex(rtl_pa) + " perm " + ((rtl_perm & 1) ? "R" : "-") +
         ((rtl_perm & 2) ? "W" : "-");
    s += "; model: ";
    if (model.status == SMMU_OK)
        s += "OK pa " + hex(model.pa) + " perm " + ((model.perm & SMMU_PERM_R) ? "R" : "-") +
             ((model.perm & SMMU_PERM_W) ? "W" : "-");
    else
        s += std::string(model.status == SMMU_STALLED ? "STALLED" : "FAULT") + " event " +
             hex(model.event);
    return s;
}

utlb_lockstep::utlb_lockstep(sc_module_name name, ::smmu_t *core)
    : sc_module(name), clk("clk"), rst_n("rst_n"), lk_valid("lk_valid"), lk_ssv("lk_ssv"),
      fl_valid("fl_valid"), fl_ssv("fl_ssv"), iv_valid("iv_valid"), lk_sid("lk_sid"),
      lk_ssid("lk_ssid"), fl_sid("fl_sid"), fl_ssid("fl_ssid"), fl_asid("fl_asid"),
      fl_shift("fl_shift"), fl_perm("fl_perm"), iv_op("iv_op"), iv_asid("iv_asid"),
      iv_sid("iv_sid"), lk_vpn("lk_vpn"), fl_vpn("fl_vpn"), fl_ppn("fl_ppn"), iv_vpn("iv_vpn"),
      lk_done("lk_done"), lk_hit("lk_hit"), lk_perm("lk_perm"), lk_ppn("lk_ppn"), core_(core) {
    SC_METHOD(on_clock);
    sensitive << clk.pos();
    dont_initialize();
}

void utlb_lockstep::bind(utlb_signals &s) {
    lk_valid(s.lk_valid);
    lk_sid(s.lk_sid);
    lk_ssid(s.lk_ssid);
    lk_ssv(s.lk_ssv);
    lk_vpn(s.lk_vpn);
    lk_done(s.lk_done);
    lk_hit(s.lk_hit);
    lk_ppn(s.lk_ppn);
    lk_perm(s.lk_perm);
    fl_valid(s.fl_valid);
    fl_sid(s.fl_sid);
    fl_ssid(s.fl_ssid);
    fl_ssv(s.fl_ssv);
    fl_asid(s.fl_asid);
    fl_vpn(s.fl_vpn);
    fl_ppn(s.fl_ppn);
    fl_shift(s.fl_shift);
    fl_perm(s.fl_perm);
    iv_valid(s.iv_valid);
    iv_op(s.iv_op);
    iv_asid(s.iv_asid);
    iv_vpn(s.iv_vpn);
    iv_sid(s.iv_sid);
}

void utlb_lockstep::observe(const axi_request &r) {
    op o;
    o.kind = op::LOOKUP;
    o.req = r;
    ops_.push_back(o);
}

void utlb_lockstep::invalidate(const tlb_invalidation &inv) {
    op o;
    o.kind = op::INV;
    o.inv = inv;
    ops_.push_back(o);
}

smmu_txn_t utlb_lockstep::txn_of(const axi_request &r) const {
    smmu_txn_t t{};
    t.addr = r.addr;
    t.sid = r.user.sid;
    t.ssid = r.user.ssid;
    t.ssv = r.user.ssv;
    uint64_t n = r.bytes();
    t.len = static_cast<uint32_t>(n ? n : 1);
    t.write = r.write;
    t.exec = r.prot & AXI_PROT_INSTR;
    t.priv = r.prot & AXI_PROT_PRIV;
    t.secure = !(r.prot & AXI_PROT_NS);
    t.ats = SMMU_ATS_NONE;
    return t;
}

void utlb_lockstep::result() {
    const axi_request &r = current_.req;
    smmu_txn_t t = txn_of(r);
    smmu_result_t m{};
    smmu_translate_dbg(core_, &t, &m);
    if (lk_hit.read()) {
        stats_.hits++;
        stats_.compared++;
        const uint64_t pa = (lk_ppn.read() << 12) | (r.addr & 0xFFF);
        const uint8_t perm = static_cast<uint8_t>(lk_perm.read() & 3);
        const bool rtl_allows = r.write ? (perm & 2) : (perm & 1);
        const uint8_t model_perm = (m.perm & SMMU_PERM_R ? 1 : 0) | (m.perm & SMMU_PERM_W ? 2 : 0);
        bool same =
            m.status == SMMU_OK ? rtl_allows && pa == m.pa && perm == model_perm : !rtl_allows;
        if (!same) {
            lockstep_mismatch x;
            x.time = sc_time_stamp();
            x.txn = r;
            x.rtl_pa = pa;
            x.rtl_perm = perm;
            x.model = m;
            mismatches_.push_back(x);
            if (report_)
                SC_REPORT_WARNING("smmu_cosim/lockstep",
                                  (std::string(name()) + ": " + x.to_string()).c_str());
        }
        return;
    }
    stats_.misses++;
    if (m.status != SMMU_OK) return; // nothing to cache
    const uint64_t span = m.span;    // never 0 when OK (smmu.h)
    unsigned shift = 0;
    while (shift < 31 && (uint64_t(0x1000) << (shift + 1)) <= span)
        shift++;
    const uint64_t size = uint64_t(0x1000) << shift;
    op f;
    f.kind = op::FILL;
    f.sid = t.sid;
    f.ssid = t.ssv ? t.ssid : 0;
    f.ssv = t.ssv;
    auto a = asid_.find(std::make_tuple(f.sid, f.ssid, f.ssv));
    f.asid = a == asid_.end() ? 0 : a->second;
    f.vpn = (r.addr & ~(size - 1)) >> 12;
    f.ppn = (m.pa - (r.addr & (size - 1))) >> 12;
    f.shift = shift;
    f.perm = (m.perm & SMMU_PERM_R ? 1 : 0) | (m.perm & SMMU_PERM_W ? 2 : 0);
    ops_.push_front(f);
}

void utlb_lockstep::on_clock() {
    // the pulses driven at the previous edge end here
    lk_valid.write(false);
    fl_valid.write(false);
    iv_valid.write(false);
    if (rst_n.size() && !rst_n->read()) { // the micro-TLB forgets everything at this edge
        stats_.dropped += ops_.size() + (waiting_ ? 1 : 0);
        ops_.clear();
        waiting_ = false;
        return;
    }
    if (waiting_) {
        if (!lk_done.read()) return;
        waiting_ = false;
        result();
    }
    if (ops_.empty()) return;
    op o = ops_.front();
    ops_.pop_front();
    switch (o.kind) {
    case op::LOOKUP:
        stats_.lookups++;
        lk_valid.write(true);
        lk_sid.write(o.req.user.sid);
        lk_ssid.write(o.req.user.ssv ? o.req.user.ssid : 0);
        lk_ssv.write(o.req.user.ssv);
        lk_vpn.write((o.req.addr >> 12) & ((uint64_t(1) << 52) - 1));
        current_ = o;
        waiting_ = true;
        break;
    case op::FILL:
        stats_.fills++;
        fl_valid.write(true);
        fl_sid.write(o.sid);
        fl_ssid.write(o.ssid);
        fl_ssv.write(o.ssv);
        fl_asid.write(o.asid);
        fl_vpn.write(o.vpn & ((uint64_t(1) << 52) - 1));
        fl_ppn.write(o.ppn & ((uint64_t(1) << 52) - 1));
        fl_shift.write(o.shift);
        fl_perm.write(o.perm);
        break;
    case op::INV:
        stats_.invalidations++;
        iv_valid.write(true);
        iv_op.write(o.inv.op);
        iv_asid.write(o.inv.asid);
        iv_vpn.write((o.inv.va >> 12) & ((uint64_t(1) << 52) - 1));
        iv_sid.write(o.inv.sid);
        break;
    }
}

} // namespace smmu_cosim
