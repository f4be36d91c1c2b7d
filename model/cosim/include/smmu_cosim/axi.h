// SPDX-License-Identifier: Apache-2.0 OR MIT
// AXI4 definitions shared by the co-simulation pieces (docs/cosim.md): response codes, the AxUSER
// layout that carries the SMMU stream identity, the TLM-status -> AXI-response mapping, and a
// bundle of the signals of one AXI4 interface (64-bit data) with a helper that binds a Verilated
// master whose ports follow the names used here (awvalid, awready, awid, ... rlast).
#ifndef SMMU_COSIM_AXI_H
#define SMMU_COSIM_AXI_H

#include <cstdint>
#include <string>

#include <systemc>
#include <tlm>

namespace smmu_cosim {

// xRESP encodings (AMBA AXI: OKAY, EXOKAY, SLVERR, DECERR).
enum axi_resp : uint8_t { AXI_OKAY = 0, AXI_EXOKAY = 1, AXI_SLVERR = 2, AXI_DECERR = 3 };
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

// The signals of one AXI4 interface as Verilator's SystemC models type them (1 bit: bool,
// up to 32 bits: uint32_t, up to 64 bits: uint64_t). IDs up to 32 bits, data 64 bits.
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
};

// Binds the AXI ports of a master module (e.g. a Verilated Verilog master) named like the
// signals above. M needs every port: awvalid ... rlast.
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

} // namespace smmu_cosim

#endif
