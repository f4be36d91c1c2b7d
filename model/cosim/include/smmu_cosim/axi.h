// SPDX-License-Identifier: Apache-2.0 OR MIT
// AXI4 definitions shared by the co-simulation pieces (docs/cosim.md): response codes, the AxUSER
// layout that carries the SMMU stream identity, the AXI5 MMU signals that carry it natively, the
// TLM-status -> AXI-response mapping, and a bundle of the signals of one AXI interface (64-bit
// data) with helpers that bind a Verilated master whose ports follow the names used here
// (awvalid, awready, awid, ... rlast; armmusid, arcache, ...).
#ifndef SMMU_COSIM_AXI_H
#define SMMU_COSIM_AXI_H

#include <cstdint>
#include <string>

#include <systemc>
#include <tlm>

namespace smmu_cosim {

// xRESP encodings (AMBA AXI: OKAY, EXOKAY, SLVERR, DECERR; with a 3-bit RRESP / BRESP,
// IHI 0022 Tables A3.28 and A3.31, TRANSFAULT: a PRI-flow translation fault, A13.6.4).
enum axi_resp : uint8_t {
    AXI_OKAY = 0,
    AXI_EXOKAY = 1,
    AXI_SLVERR = 2,
    AXI_DECERR = 3,
    AXI_TRANSFAULT = 5
};
const char *axi_resp_name(unsigned resp);

// AxBURST encodings.
enum axi_burst : uint8_t { AXI_FIXED = 0, AXI_INCR = 1, AXI_WRAP = 2 };

// AxPROT bits: [0] privileged, [1] Non-secure, [2] instruction.
enum : uint8_t { AXI_PROT_PRIV = 1, AXI_PROT_NS = 2, AXI_PROT_INSTR = 4 };

// AxUSER layout (53 bits used): [31:0] StreamID, [51:32] SubstreamID, [52] SSV.
struct axi_user {
    uint32_t sid = 0;
    uint32_t ssid = 0; // 20 bits
    bool ssv = false;
};
constexpr unsigned AXI_USER_BITS = 53;
inline uint64_t axi_user_encode(const axi_user &u) {
    return uint64_t(u.sid) | (uint64_t(u.ssid & 0xFFFFFu) << 32) | (uint64_t(u.ssv) << 52);
}
inline axi_user axi_user_decode(uint64_t v) {
    axi_user u;
    u.sid = static_cast<uint32_t>(v);
    u.ssid = static_cast<uint32_t>(v >> 32) & 0xFFFFFu;
    u.ssv = (v >> 52) & 1;
    return u;
}

// The AXI5 MMU signals of an untranslated transaction (AMBA AXI IHI 0022 H and later, chapter
// A13 "Untranslated Transactions"), as the bridge samples them with AR / AW:
//   AxMMUVALID   1 bit  (Untranslated_Transactions v3+, A13.7): low, the address is physical
//   AxMMUSECSID  1 bit  (SECSID_WIDTH 1 without RME, Table A13.4): 0 Non-secure, 1 Secure
//   AxMMUSID     SID_WIDTH 0..32 bits (A13.4.2): StreamID
//   AxMMUSSIDV   1 bit, AxMMUSSID SSID_WIDTH 0..20 bits (A13.4.3): SubstreamID and its valid
//   AxMMUATST    1 bit  (v1 only, A13.6): 1 ATST flow (ATS-translated), 0 Stall flow
//   AxMMUFLOW    2 bits (v2+, Table A13.13): the flow for translation faults
enum axi_mmu_flow : uint8_t {
    AXI_FLOW_STALL = 0,   // the SMMU Stall flow can be used (A13.6.1)
    AXI_FLOW_ATST = 1,    // ATS-translated: the ATST flow must be used (A13.6.2)
    AXI_FLOW_NOSTALL = 2, // the master cannot be stalled (A13.6.3)
    AXI_FLOW_PRI = 3      // PCIe PRI flow (A13.6.4)
};
struct axi_mmu {
    bool valid = true;
    bool secsid = false;
    uint32_t sid = 0;
    bool ssidv = false;
    uint32_t ssid = 0; // 20 bits
    uint8_t flow = AXI_FLOW_STALL;
};

// AxDOMAIN / AxCACHE encodings: <smmu/amba.h> (SMMU_AXDOMAIN_*, SMMU_AXCACHE_*).

// The AXI response a TLM status becomes (the bridge's default mapping, docs/cosim.md):
//   TLM_OK_RESPONSE            -> OKAY
//   TLM_ADDRESS_ERROR_RESPONSE -> address_error (default DECERR): an SMMU fault that aborts
//                                 (translation, permission, C_BAD_STE ...), a router decode miss
//   anything else              -> other_error (default SLVERR): a memory abort
//                                 (TLM_GENERIC_ERROR_RESPONSE), burst / byte-enable / command
//                                 errors, an unfinished (INCOMPLETE) transaction
struct resp_map {
    uint8_t address_error = AXI_DECERR;
    uint8_t other_error = AXI_SLVERR;
    uint8_t operator()(tlm::tlm_response_status s) const {
        if (s == tlm::TLM_OK_RESPONSE) return AXI_OKAY;
        if (s == tlm::TLM_ADDRESS_ERROR_RESPONSE) return address_error;
        return other_error;
    }
};

// The signals of one AXI interface as Verilator's SystemC models type them (1 bit: bool,
// up to 32 bits: uint32_t, up to 64 bits: uint64_t). IDs up to 32 bits, data 64 bits. The AXI4
// set, then the AXI5 MMU signals, AxCACHE, AxDOMAIN, AxQOS and AxLOCK (0 unless driven).
struct axi_signals {
    sc_core::sc_signal<bool> awvalid, awready;
    sc_core::sc_signal<uint32_t> awid, awlen, awsize, awburst, awprot;
    sc_core::sc_signal<uint64_t> awaddr, awuser;
    sc_core::sc_signal<bool> wvalid, wready, wlast;
    sc_core::sc_signal<uint64_t> wdata;
    sc_core::sc_signal<uint32_t> wstrb;
    sc_core::sc_signal<bool> bvalid, bready;
    sc_core::sc_signal<uint32_t> bid, bresp;
    sc_core::sc_signal<bool> arvalid, arready;
    sc_core::sc_signal<uint32_t> arid, arlen, arsize, arburst, arprot;
    sc_core::sc_signal<uint64_t> araddr, aruser;
    sc_core::sc_signal<bool> rvalid, rready, rlast;
    sc_core::sc_signal<uint32_t> rid, rresp;
    sc_core::sc_signal<uint64_t> rdata;
    // AXI5 MMU signals (axi_mmu), memory attributes, QoS, lock
    sc_core::sc_signal<bool> awmmuvalid, awmmusecsid, awmmussidv, awmmuatst, awlock;
    sc_core::sc_signal<uint32_t> awmmusid, awmmussid, awmmuflow, awcache, awdomain, awqos;
    sc_core::sc_signal<bool> armmuvalid, armmusecsid, armmussidv, armmuatst, arlock;
    sc_core::sc_signal<uint32_t> armmusid, armmussid, armmuflow, arcache, ardomain, arqos;
};

// Binds the AXI4 ports of a master module (e.g. a Verilated Verilog master) or of either bridge
// (their ports are named like the signals above) to s. M needs every port: awvalid ... rlast.
template <class M> void bind_axi_master(M &m, axi_signals &s) {
    m.awvalid(s.awvalid);
    m.awready(s.awready);
    m.awid(s.awid);
    m.awaddr(s.awaddr);
    m.awlen(s.awlen);
    m.awsize(s.awsize);
    m.awburst(s.awburst);
    m.awprot(s.awprot);
    m.awuser(s.awuser);
    m.wvalid(s.wvalid);
    m.wready(s.wready);
    m.wdata(s.wdata);
    m.wstrb(s.wstrb);
    m.wlast(s.wlast);
    m.bvalid(s.bvalid);
    m.bready(s.bready);
    m.bid(s.bid);
    m.bresp(s.bresp);
    m.arvalid(s.arvalid);
    m.arready(s.arready);
    m.arid(s.arid);
    m.araddr(s.araddr);
    m.arlen(s.arlen);
    m.arsize(s.arsize);
    m.arburst(s.arburst);
    m.arprot(s.arprot);
    m.aruser(s.aruser);
    m.rvalid(s.rvalid);
    m.rready(s.rready);
    m.rid(s.rid);
    m.rdata(s.rdata);
    m.rresp(s.rresp);
    m.rlast(s.rlast);
}

// Binds the AXI5 MMU ports of a master or the bridge (awmmuvalid ... armmuflow): those of
// Untranslated_Transactions v3 and later (AxMMUVALID, AxMMUFLOW; no AxMMUATST).
template <class M> void bind_axi5_mmu_master(M &m, axi_signals &s) {
    m.awmmuvalid(s.awmmuvalid);
    m.awmmusecsid(s.awmmusecsid);
    m.awmmusid(s.awmmusid);
    m.awmmussidv(s.awmmussidv);
    m.awmmussid(s.awmmussid);
    m.awmmuflow(s.awmmuflow);
    m.armmuvalid(s.armmuvalid);
    m.armmusecsid(s.armmusecsid);
    m.armmusid(s.armmusid);
    m.armmussidv(s.armmussidv);
    m.armmussid(s.armmussid);
    m.armmuflow(s.armmuflow);
}

} // namespace smmu_cosim

#endif
