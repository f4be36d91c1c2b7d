// SPDX-License-Identifier: Apache-2.0 OR MIT
// AXI4 definitions shared by the co-simulation pieces (docs/cosim.md): response codes, the AxUSER
// layout that carries the SMMU stream identity, the AXI5 MMU signals that carry it natively, the
// TLM-status -> AXI-response mapping, the width-agnostic beat (axi_data, axi_strb) with the pin
// types Verilator gives data buses of 8 to 1024 bits and their conversions, and a bundle of the
// signals of one AXI interface (axi_signals_w<DATA_BITS>, axi_signals at 64 bits) with helpers
// that bind a Verilated master whose ports follow the names used here (awvalid, awready, awid,
// ... rlast; armmusid, arcache, ...).
#ifndef SMMU_COSIM_AXI_H
#define SMMU_COSIM_AXI_H

#include <array>
#include <bitset>
#include <cstdint>
#include <string>
#include <type_traits>

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

// ---- Data widths (docs/cosim.md, "Data widths") ----
// The bridges take data buses of 2^n bytes, 1 (8 bits) to 128 (1024 bits; IHI 0022 A3.4: the
// data bus is 8 to 1024 bits). Inside them a beat is width-agnostic: bytes by lane and one strobe
// bit per lane; only the pin adaptors (axi_tlm_bridge_w<N>, tlm_axi_bridge_w<N>) know the type.
constexpr unsigned AXI_MAX_DATA_BYTES = 128;

// One beat of WDATA / RDATA by byte lane: lane[i] is bits 8i+7 .. 8i of the bus (IHI 0022
// A3.4.1). Lanes at and above the bus width are 0. Built from a uint64_t: lanes 0-7.
struct axi_data {
    std::array<uint8_t, AXI_MAX_DATA_BYTES> lane{};
    axi_data() = default;
    axi_data(uint64_t v) { // NOLINT: implicit, a 64-bit bus value
        for (unsigned i = 0; i < 8; i++)
            lane[i] = static_cast<uint8_t>(v >> (8 * i));
    }
    // The 8 lanes from `first` as a little-endian value.
    uint64_t u64(unsigned first = 0) const {
        uint64_t v = 0;
        for (unsigned i = 0; i < 8 && first + i < AXI_MAX_DATA_BYTES; i++)
            v |= uint64_t(lane[first + i]) << (8 * i);
        return v;
    }
    bool operator==(const axi_data &o) const {
        return lane == o.lane;
    }
    bool operator!=(const axi_data &o) const {
        return lane != o.lane;
    }
};
// WSTRB: bit i enables lane i.
using axi_strb = std::bitset<AXI_MAX_DATA_BYTES>;

// The value type Verilator 5 (--sc, without --pins-* options) gives a port of BITS bits: bool,
// uint32_t up to 32 bits, uint64_t up to 64, sc_bv<BITS> above (docs/cosim.md).
template <unsigned BITS>
using vl_port_t = std::conditional_t<
    BITS == 1, bool,
    std::conditional_t<(BITS <= 32), uint32_t,
                       std::conditional_t<(BITS <= 64), uint64_t, sc_dt::sc_bv<BITS>>>>;

namespace detail {
template <class T> struct is_sc_bv : std::false_type {};
template <int N> struct is_sc_bv<sc_dt::sc_bv<N>> : std::true_type {};
} // namespace detail

// A pin value's bits 8n-1 .. 0 as n lanes, and back (n <= AXI_MAX_DATA_BYTES).
template <class T> void pin_to_lanes(const T &v, uint8_t *lane, unsigned n) {
    if constexpr (detail::is_sc_bv<T>::value) {
        for (unsigned w = 0; 4 * w < n; w++) { // 32-bit words: no per-bit access
            const uint32_t x = v.get_word(static_cast<int>(w));
            for (unsigned k = 0; k < 4 && 4 * w + k < n; k++)
                lane[4 * w + k] = static_cast<uint8_t>(x >> (8 * k));
        }
    } else {
        const uint64_t x = static_cast<uint64_t>(v);
        for (unsigned k = 0; k < n && k < 8; k++)
            lane[k] = static_cast<uint8_t>(x >> (8 * k));
    }
}
template <class T> T lanes_to_pin(const uint8_t *lane, unsigned n) {
    if constexpr (detail::is_sc_bv<T>::value) {
        T v;
        for (unsigned w = 0; 4 * w < n; w++) {
            uint32_t x = 0;
            for (unsigned k = 0; k < 4 && 4 * w + k < n; k++)
                x |= uint32_t(lane[4 * w + k]) << (8 * k);
            v.set_word(static_cast<int>(w), x);
        }
        return v;
    } else {
        uint64_t x = 0;
        for (unsigned k = 0; k < n && k < 8; k++)
            x |= uint64_t(lane[k]) << (8 * k);
        return static_cast<T>(x);
    }
}
// A WSTRB pin value's n low bits, and back.
template <class T> axi_strb pin_to_strb(const T &v, unsigned n) {
    axi_strb s;
    if constexpr (detail::is_sc_bv<T>::value) {
        for (unsigned w = 0; 32 * w < n; w++) {
            const uint32_t x = v.get_word(static_cast<int>(w));
            for (unsigned k = 0; k < 32 && 32 * w + k < n; k++)
                s[32 * w + k] = (x >> k) & 1;
        }
    } else {
        const uint64_t x = static_cast<uint64_t>(v);
        for (unsigned k = 0; k < n && k < 64; k++)
            s[k] = (x >> k) & 1;
    }
    return s;
}
template <class T> T strb_to_pin(const axi_strb &s, unsigned n) {
    if constexpr (detail::is_sc_bv<T>::value) {
        T v;
        for (unsigned w = 0; 32 * w < n; w++) {
            uint32_t x = 0;
            for (unsigned k = 0; k < 32 && 32 * w + k < n; k++)
                x |= uint32_t(s[32 * w + k]) << k;
            v.set_word(static_cast<int>(w), x);
        }
        return v;
    } else {
        uint64_t x = 0;
        for (unsigned k = 0; k < n && k < 64; k++)
            x |= uint64_t(s[k]) << k;
        return static_cast<T>(x);
    }
}

// The signals of one AXI interface with a data bus of DATA_BITS (8 .. 1024), typed as Verilator's
// SystemC models type them (vl_port_t: WDATA / RDATA vl_port_t<DATA_BITS>, WSTRB
// vl_port_t<DATA_BITS / 8>; the other signals at their widest: 1 bit bool, up to 32 bits
// uint32_t, up to 64 bits uint64_t, so IDs up to 32 bits and addresses up to 64). The AXI4 set,
// then the AXI5 MMU signals, AxCACHE, AxDOMAIN, AxQOS and AxLOCK (0 unless driven).
template <unsigned DATA_BITS> struct axi_signals_w {
    static_assert(DATA_BITS >= 8 && DATA_BITS <= 8 * AXI_MAX_DATA_BYTES &&
                      (DATA_BITS & (DATA_BITS - 1)) == 0,
                  "AXI data buses are 8, 16, 32, ... 1024 bits (IHI 0022 A3.4)");
    using data_t = vl_port_t<DATA_BITS>;
    using strb_t = vl_port_t<DATA_BITS / 8>;
    sc_core::sc_signal<bool> awvalid, awready;
    sc_core::sc_signal<uint32_t> awid, awlen, awsize, awburst, awprot;
    sc_core::sc_signal<uint64_t> awaddr, awuser;
    sc_core::sc_signal<bool> wvalid, wready, wlast;
    sc_core::sc_signal<data_t> wdata;
    sc_core::sc_signal<strb_t> wstrb;
    sc_core::sc_signal<bool> bvalid, bready;
    sc_core::sc_signal<uint32_t> bid, bresp;
    sc_core::sc_signal<bool> arvalid, arready;
    sc_core::sc_signal<uint32_t> arid, arlen, arsize, arburst, arprot;
    sc_core::sc_signal<uint64_t> araddr, aruser;
    sc_core::sc_signal<bool> rvalid, rready, rlast;
    sc_core::sc_signal<uint32_t> rid, rresp;
    sc_core::sc_signal<data_t> rdata;
    // AXI5 MMU signals (axi_mmu), memory attributes, QoS, lock
    sc_core::sc_signal<bool> awmmuvalid, awmmusecsid, awmmussidv, awmmuatst, awlock;
    sc_core::sc_signal<uint32_t> awmmusid, awmmussid, awmmuflow, awcache, awdomain, awqos;
    sc_core::sc_signal<bool> armmuvalid, armmusecsid, armmussidv, armmuatst, arlock;
    sc_core::sc_signal<uint32_t> armmusid, armmussid, armmuflow, arcache, ardomain, arqos;
};

// The 64-bit interface (WDATA / RDATA uint64_t, WSTRB uint32_t).
struct axi_signals : axi_signals_w<64> {};

// Binds the AXI4 ports of a master module (e.g. a Verilated Verilog master) or of either bridge
// (their ports are named like the signals above) to s (an axi_signals_w<N> of the master's data
// width). M needs every port: awvalid ... rlast.
template <class M, class S> void bind_axi_master(M &m, S &s) {
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
template <class M, class S> void bind_axi5_mmu_master(M &m, S &s) {
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
