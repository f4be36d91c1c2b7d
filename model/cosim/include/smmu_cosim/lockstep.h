// SPDX-License-Identifier: Apache-2.0 OR MIT
// Reference checking of an RTL translation unit against the model (docs/cosim.md).
//
//  - cmdq_snoop: every command the SMMU consumes (CMD_TLBI_*, CMD_CFGI_*), from the core's trace
//    points, the way a command processor broadcasts invalidations to its micro-TLBs.
//  - utlb_lockstep: drives an RTL micro-TLB (model/rtl/smmu_utlb.v or anything with the same
//    ports) in lockstep with the traffic: every AXI request the bridge accepts is looked up in
//    the RTL; a hit (the RTL produced a translation) is compared with the C core's answer
//    (smmu_translate_dbg: no side effects) and a mismatch is recorded with the transaction, both
//    answers and the simulation time; a miss that the model translates is filled into the RTL
//    from the model's answer. Snooped invalidations go to the RTL's invalidation port in order
//    with the lookups.
//    Reset: bind rst_n to the micro-TLB's reset (optional; unbound: never in reset). At every
//    rising edge with rst_n low the checker drops the operations it holds (lookups of requests
//    accepted before the reset, fills, invalidations: the RTL empties itself) and stops waiting
//    for a lookup result the reset cancelled; it drives no pulse until rst_n is high.
#ifndef SMMU_COSIM_LOCKSTEP_H
#define SMMU_COSIM_LOCKSTEP_H

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <smmu/smmu.h>
#include <smmu_cosim/axi_bridge.h>
#include <smmu_tlm/smmu_tlm.h>

namespace smmu_cosim {

// A TLB invalidation, as the micro-TLB's invalidation port takes it (iv_op).
struct tlb_invalidation {
    enum op_t : uint8_t { ALL = 0, ASID = 1, VA = 2, VAA = 3, SID = 4 };
    op_t op = ALL;
    uint16_t asid = 0;
    uint64_t va = 0; // page-aligned
    uint32_t sid = 0;
    uint8_t opcode = 0; // the command it came from
};

// What a command means for a TLB of final stage-1 translations tagged with StreamID,
// SubstreamID and ASID. False for commands that invalidate nothing (SYNC, RESUME, PREFETCH ...).
// Scopes the micro-TLB cannot express exactly are widened (never narrowed): range TLBIs (TG != 0)
// become the whole ASID, stage-2 and EL2 forms and CFGI_ALL / STE_RANGE become ALL.
bool decode_invalidation(const uint64_t cmd[2], tlb_invalidation &out);

class cmdq_snoop {
  public:
    // Listens to the commands smmu consumes, from its trace points (SMMU_TP_CMD through
    // smmu_tlm::smmu_base::set_trace_hook: this takes the SMMU's trace hook).
    explicit cmdq_snoop(smmu_tlm::smmu_base &smmu);

    // Called for every command the SMMU consumes from its command queue (not for one that
    // stops the queue with a CERROR).
    void add_listener(std::function<void(const uint64_t cmd[2])> f) {
        listeners_.push_back(std::move(f));
    }
    uint64_t commands_seen() const {
        return commands_;
    }

  private:
    uint64_t commands_ = 0;
    std::vector<std::function<void(const uint64_t cmd[2])>> listeners_;
};

// The pins of a micro-TLB (model/rtl/smmu_utlb.v), typed as Verilator's SystemC models type them.
struct utlb_signals {
    sc_core::sc_signal<bool> lk_valid, lk_ssv, lk_done, lk_hit;
    sc_core::sc_signal<uint32_t> lk_sid, lk_ssid, lk_perm;
    sc_core::sc_signal<uint64_t> lk_vpn, lk_ppn;
    sc_core::sc_signal<bool> fl_valid, fl_ssv;
    sc_core::sc_signal<uint32_t> fl_sid, fl_ssid, fl_asid, fl_shift, fl_perm;
    sc_core::sc_signal<uint64_t> fl_vpn, fl_ppn;
    sc_core::sc_signal<bool> iv_valid;
    sc_core::sc_signal<uint32_t> iv_op, iv_asid, iv_sid;
    sc_core::sc_signal<uint64_t> iv_vpn;
};

// Binds a micro-TLB module U (e.g. Verilated smmu_utlb) whose ports are named like the signals.
template <class U> void bind_utlb(U &u, utlb_signals &s) {
    u.lk_valid(s.lk_valid);
    u.lk_sid(s.lk_sid);
    u.lk_ssid(s.lk_ssid);
    u.lk_ssv(s.lk_ssv);
    u.lk_vpn(s.lk_vpn);
    u.lk_done(s.lk_done);
    u.lk_hit(s.lk_hit);
    u.lk_ppn(s.lk_ppn);
    u.lk_perm(s.lk_perm);
    u.fl_valid(s.fl_valid);
    u.fl_sid(s.fl_sid);
    u.fl_ssid(s.fl_ssid);
    u.fl_ssv(s.fl_ssv);
    u.fl_asid(s.fl_asid);
    u.fl_vpn(s.fl_vpn);
    u.fl_ppn(s.fl_ppn);
    u.fl_shift(s.fl_shift);
    u.fl_perm(s.fl_perm);
    u.iv_valid(s.iv_valid);
    u.iv_op(s.iv_op);
    u.iv_asid(s.iv_asid);
    u.iv_vpn(s.iv_vpn);
    u.iv_sid(s.iv_sid);
}

struct lockstep_mismatch {
    sc_core::sc_time time;
    axi_request txn;
    // the RTL's answer: a hit with this output address and these permissions ({W, R})
    uint64_t rtl_pa = 0;
    uint8_t rtl_perm = 0;
    smmu_result_t model{}; // the core's answer (smmu_translate_dbg)
    std::string to_string() const;
};

struct lockstep_stats {
    uint64_t lookups = 0, hits = 0, misses = 0, fills = 0, invalidations = 0, compared = 0;
    uint64_t dropped = 0; // operations dropped by a reset (the one waiting for its result too)
};

class utlb_lockstep : public sc_core::sc_module {
  public:
    sc_core::sc_in<bool> clk;
    sc_core::sc_port<sc_core::sc_signal_in_if<bool>, 1, sc_core::SC_ZERO_OR_MORE_BOUND> rst_n;
    // to the micro-TLB
    sc_core::sc_out<bool> lk_valid, lk_ssv, fl_valid, fl_ssv, iv_valid;
    sc_core::sc_out<uint32_t> lk_sid, lk_ssid, fl_sid, fl_ssid, fl_asid, fl_shift, fl_perm, iv_op,
        iv_asid, iv_sid;
    sc_core::sc_out<uint64_t> lk_vpn, fl_vpn, fl_ppn, iv_vpn;
    // from the micro-TLB
    sc_core::sc_in<bool> lk_done, lk_hit;
    sc_core::sc_in<uint32_t> lk_perm;
    sc_core::sc_in<uint64_t> lk_ppn;

    SC_HAS_PROCESS(utlb_lockstep);
    // core: the reference (e.g. smmu_tlm::smmu::core()).
    utlb_lockstep(sc_core::sc_module_name name, ::smmu_t *core);

    void bind(utlb_signals &s);

    // A request to translate (e.g. from axi_tlm_bridge::set_request_hook).
    void observe(const axi_request &r);
    // An invalidation (e.g. decoded from cmdq_snoop).
    void invalidate(const tlb_invalidation &inv);
    // The ASID of a stream's context: fills of (sid, ssid, ssv) are tagged with it (0 if unset).
    // The model's answer does not carry the ASID; an RTL TLB gets it from its configuration
    // cache, the lockstep from the integrator.
    void set_asid(uint32_t sid, uint32_t ssid, bool ssv, uint16_t asid) {
        asid_[std::make_tuple(sid, ssv ? ssid : 0, ssv)] = asid;
    }
    // Report every mismatch with SC_REPORT_WARNING as well (default on).
    void set_report(bool on) {
        report_ = on;
    }

    const std::vector<lockstep_mismatch> &mismatches() const {
        return mismatches_;
    }
    const lockstep_stats &stats() const {
        return stats_;
    }
    // No operation waiting for the RTL.
    bool idle() const {
        return ops_.empty() && !waiting_;
    }

  private:
    struct op {
        enum kind_t { LOOKUP, FILL, INV } kind;
        axi_request req;      // LOOKUP
        tlb_invalidation inv; // INV
        // FILL
        uint32_t sid = 0, ssid = 0;
        bool ssv = false;
        uint16_t asid = 0;
        uint64_t vpn = 0, ppn = 0;
        unsigned shift = 0;
        uint8_t perm = 0;
    };
    void on_clock();
    void result();
    smmu_txn_t txn_of(const axi_request &r) const;

    ::smmu_t *core_;
    std::deque<op> ops_;
    bool waiting_ = false;
    op current_;
    bool report_ = true;
    std::map<std::tuple<uint32_t, uint32_t, bool>, uint16_t> asid_;
    std::vector<lockstep_mismatch> mismatches_;
    lockstep_stats stats_;
};

} // namespace smmu_cosim

#endif
