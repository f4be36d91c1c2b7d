// SPDX-License-Identifier: Apache-2.0 OR MIT
// Data buses of 32 to 1024 bits (docs/cosim.md, "Data widths"):
//
//  - Pin master: axi_tlm_bridge_w<N> driven at pin level by a C++ AXI master of the same width,
//    answered by a memory. Random INCR (unaligned starts), WRAP and FIXED bursts of every beat
//    size up to the bus, with random partial write strobes, written then read back; the memory
//    and every read lane are compared byte by byte with a reference memory updated here by the
//    AXI addressing rules (IHI 0022 A3.4.1 Address_N, Lower_Byte_Lane, Upper_Byte_Lane).
//  - Master loop: a TLM initiator -> tlm_axi_bridge_w<N> -> pins -> axi_tlm_bridge_w<N> ->
//    memory: unaligned transfers with random byte enables, byte-exact against the reference.
//
// The ports are Verilator's types (uint32_t up to 32 bits, sc_bv<N> above 64: vl_port_t), so a
// master Verilated at that width binds the same way. Every case requires the protocol checkers on
// the pins to stay silent. One elaboration per process: every width's rigs are built at once.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>
#include <vector>

#include <smmu_cosim/axi.h>
#include <smmu_cosim/axi_bridge.h>
#include <smmu_cosim/axi_link.h>
#include <smmu_cosim/tlm_axi_bridge.h>
#include <smmu_model/memory.h>
#include <tlm_utils/simple_initiator_socket.h>

#include "axi_rig.h"

using namespace smmu_cosim;
using namespace sc_core;

namespace {

constexpr uint64_t MEM = 0x10000;

smmu_model::memory_params mparams() {
    smmu_model::memory_params p;
    p.size = MEM;
    p.dmi = false;
    return p;
}

using runner = cosim_test::rig_thread;

// Byte addresses of the lanes of beat `beat` of a burst (IHI 0022 A3.4.1), lane by lane: -1 for
// a lane the beat does not carry.
std::vector<int64_t> lanes_of(unsigned dbb, uint64_t start, unsigned len, unsigned size,
                              unsigned burst, unsigned beat) {
    const uint64_t nb = uint64_t(1) << size;
    const uint64_t aligned = start / nb * nb;
    uint64_t a = start; // Address_N
    if (burst == AXI_INCR && beat > 0) a = aligned + beat * nb;
    if (burst == AXI_WRAP && beat > 0) {
        const uint64_t total = nb * (len + 1);
        const uint64_t boundary = start / total * total;
        a = aligned + beat * nb;
        if (a >= boundary + total) a -= total;
    }
    const uint64_t lane_base = a / dbb * dbb;
    const uint64_t lower = a - lane_base;
    const uint64_t upper = a / nb * nb + nb - 1 - lane_base; // Upper_Byte_Lane
    std::vector<int64_t> v(dbb, -1);
    for (uint64_t l = lower; l <= upper; l++)
        v[l] = static_cast<int64_t>(lane_base + l);
    return v;
}

// Pin master + bridge + memory at DATA_BITS.
template <unsigned BITS> struct pin_rig : runner {
    static constexpr unsigned B = BITS / 8;
    axi_signals_w<BITS> s;
    axi_tlm_bridge_w<BITS> bridge;
    smmu_model::memory mem;

    explicit pin_rig(sc_module_name n, const bridge_params &bp = bridge_params())
        : runner(n), bridge("bridge", bp), mem("mem", mparams()) {
        bridge.clk(clk);
        bridge.rst_n(rst_n);
        bridge.bind(s);
        bridge.socket.bind(mem.socket);
    }
    void addr(bool write, uint32_t id, uint64_t a, uint32_t len, uint32_t size, uint32_t burst) {
        (write ? s.awvalid : s.arvalid).write(true);
        (write ? s.awid : s.arid).write(id);
        (write ? s.awaddr : s.araddr).write(a);
        (write ? s.awlen : s.arlen).write(len);
        (write ? s.awsize : s.arsize).write(size);
        (write ? s.awburst : s.arburst).write(burst);
        (write ? s.awprot : s.arprot).write(AXI_PROT_NS);
        do
            edge();
        while (!(write ? s.awready : s.arready).read());
        (write ? s.awvalid : s.arvalid).write(false);
    }
    void w(const std::vector<axi_data> &d, const std::vector<axi_strb> &st) {
        using D = typename axi_signals_w<BITS>::data_t;
        using S = typename axi_signals_w<BITS>::strb_t;
        for (size_t i = 0; i < d.size(); i++) {
            s.wvalid.write(true);
            s.wdata.write(lanes_to_pin<D>(d[i].lane.data(), B));
            s.wstrb.write(strb_to_pin<S>(st[i], B));
            s.wlast.write(i + 1 == d.size());
            do
                edge();
            while (!s.wready.read());
        }
        s.wvalid.write(false);
    }
    uint32_t b() {
        s.bready.write(true);
        do
            edge();
        while (!s.bvalid.read());
        s.bready.write(false);
        return s.bresp.read();
    }
    std::vector<axi_data> r(std::vector<uint32_t> &resp) {
        std::vector<axi_data> v;
        s.rready.write(true);
        for (;;) {
            edge();
            if (!s.rvalid.read()) continue;
            axi_data d;
            pin_to_lanes(s.rdata.read(), d.lane.data(), B);
            v.push_back(d);
            resp.push_back(s.rresp.read());
            if (s.rlast.read()) break;
        }
        s.rready.write(false);
        return v;
    }
};

// TLM initiator -> master bridge -> pins -> slave bridge -> memory, at DATA_BITS.
template <unsigned BITS> struct loop_rig : runner {
    axi_signals_w<BITS> s;
    tlm_axi_bridge_w<BITS> master;
    axi_tlm_bridge_w<BITS> bridge;
    smmu_model::memory mem;
    tlm_utils::simple_initiator_socket<loop_rig> init{"init"};

    explicit loop_rig(sc_module_name n)
        : runner(n), master("master"), bridge("bridge"), mem("mem", mparams()) {
        master.clk(clk);
        master.rst_n(rst_n);
        master.bind(s);
        bridge.clk(clk);
        bridge.rst_n(rst_n);
        bridge.bind(s);
        bridge.socket.bind(mem.socket);
        init.bind(master.socket);
    }
    tlm::tlm_response_status transport(bool write, uint64_t a, std::vector<uint8_t> &data,
                                       std::vector<uint8_t> *be) {
        tlm::tlm_generic_payload gp;
        gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        gp.set_address(a);
        gp.set_data_ptr(data.data());
        gp.set_data_length(static_cast<unsigned>(data.size()));
        gp.set_streaming_width(static_cast<unsigned>(data.size()));
        gp.set_byte_enable_ptr(be ? be->data() : nullptr);
        gp.set_byte_enable_length(be ? static_cast<unsigned>(be->size()) : 0);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time d = SC_ZERO_TIME;
        init->b_transport(gp, d);
        return gp.get_response_status();
    }
};

// A 1024-bit master as Verilator would type it (WDATA / RDATA sc_bv<1024>, a 32-bit address as
// uint32_t, a 1-bit ID as bool) with an m_axi_ prefix and without WSTRB, AxSIZE, AxLEN,
// AxBURST or WLAST: one bus-wide write of 128 bytes at 0x2080, then the read of it.
struct wide_master : sc_module {
    using bv = sc_dt::sc_bv<1024>;
    sc_in<bool> aclk{"aclk"}, aresetn{"aresetn"};
    sc_out<bool> m_axi_awvalid{"m_axi_awvalid"}, m_axi_wvalid{"m_axi_wvalid"};
    sc_out<bool> m_axi_bready{"m_axi_bready"}, m_axi_arvalid{"m_axi_arvalid"};
    sc_out<bool> m_axi_rready{"m_axi_rready"}, m_axi_awid{"m_axi_awid"};
    sc_out<bool> m_axi_arid{"m_axi_arid"};
    sc_in<bool> m_axi_awready{"m_axi_awready"}, m_axi_wready{"m_axi_wready"};
    sc_in<bool> m_axi_bvalid{"m_axi_bvalid"}, m_axi_arready{"m_axi_arready"};
    sc_in<bool> m_axi_rvalid{"m_axi_rvalid"}, m_axi_rlast{"m_axi_rlast"};
    sc_out<uint32_t> m_axi_awaddr{"m_axi_awaddr"}, m_axi_araddr{"m_axi_araddr"};
    sc_out<bv> m_axi_wdata{"m_axi_wdata"};
    sc_in<bv> m_axi_rdata{"m_axi_rdata"};
    sc_in<uint32_t> m_axi_bresp{"m_axi_bresp"}, m_axi_rresp{"m_axi_rresp"};
    axi_data wrote, read;
    uint32_t bresp = 9, rresp = 9;
    bool finished = false;

    SC_HAS_PROCESS(wide_master);
    explicit wide_master(sc_module_name n) : sc_module(n) {
        SC_THREAD(run);
    }
    void edge() {
        wait(aclk.posedge_event());
    }
    void run() {
        for (unsigned i = 0; i < 128; i++)
            wrote.lane[i] = static_cast<uint8_t>(0xA0 ^ (i * 5));
        while (!aresetn.read())
            edge();
        edge();
        m_axi_awvalid.write(true);
        m_axi_awaddr.write(0x2080);
        m_axi_wvalid.write(true);
        m_axi_wdata.write(lanes_to_pin<bv>(wrote.lane.data(), 128));
        bool aw = false, w = false;
        while (!aw || !w) {
            edge();
            if (m_axi_awready.read()) {
                aw = true;
                m_axi_awvalid.write(false);
            }
            if (m_axi_wready.read()) {
                w = true;
                m_axi_wvalid.write(false);
            }
        }
        m_axi_bready.write(true);
        do
            edge();
        while (!m_axi_bvalid.read());
        bresp = m_axi_bresp.read();
        m_axi_bready.write(false);
        m_axi_arvalid.write(true);
        m_axi_araddr.write(0x2080);
        do
            edge();
        while (!m_axi_arready.read());
        m_axi_arvalid.write(false);
        m_axi_rready.write(true);
        do
            edge();
        while (!m_axi_rvalid.read());
        pin_to_lanes(m_axi_rdata.read(), read.lane.data(), 128);
        rresp = m_axi_rresp.read();
        m_axi_rready.write(false);
        finished = true;
    }
};

struct link_rig : sc_module {
    sc_clock clk{"clk", 10, SC_NS};
    sc_signal<bool> rst_n{"rst_n"};
    wide_master master{"master"};
    axi_tlm_bridge_w<1024> bridge{"bridge"};
    smmu_model::memory mem{"mem", mparams()};
    axi_link link;
    std::vector<axi_request> requests;

    static axi_link_options options() {
        axi_link_options o;
        o.master_prefix = "m_axi_";
        o.master_clock = "aclk";
        o.master_reset = "aresetn";
        return o;
    }
    SC_HAS_PROCESS(link_rig);
    explicit link_rig(sc_module_name n)
        : sc_module(n), link("link", master, bridge, clk, rst_n, options()) {
        bridge.socket.bind(mem.socket);
        bridge.set_request_hook([this](const axi_request &r) { requests.push_back(r); });
        SC_THREAD(reset);
    }
    void reset() {
        wait(35, SC_NS);
        rst_n.write(true);
    }
};

bridge_params narrow_ids_and_addresses() {
    bridge_params p;
    p.id_bits = 2;
    p.addr_bits = 16;
    return p;
}

struct rigs {
    pin_rig<32> p32n{"p32n", narrow_ids_and_addresses()};
    link_rig k1024{"k1024"};
    pin_rig<32> p32{"p32"};
    pin_rig<64> p64{"p64"};
    pin_rig<128> p128{"p128"};
    pin_rig<256> p256{"p256"};
    pin_rig<512> p512{"p512"};
    pin_rig<1024> p1024{"p1024"};
    loop_rig<32> l32{"l32"};
    loop_rig<128> l128{"l128"};
    loop_rig<256> l256{"l256"};
    loop_rig<512> l512{"l512"};
    loop_rig<1024> l1024{"l1024"};
};
rigs *R = nullptr;

class CosimWidth : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (!R) R = new rigs;
    }
};

void fill(smmu_model::memory &mem, std::vector<uint8_t> &ref, std::mt19937 &rng) {
    ref.resize(MEM / 2);
    for (auto &b : ref)
        b = static_cast<uint8_t>(rng());
    ASSERT_TRUE(mem.write(0, ref.data(), ref.size()));
}

void expect_mem(smmu_model::memory &mem, const std::vector<uint8_t> &ref, const char *what) {
    std::vector<uint8_t> got(ref.size());
    ASSERT_TRUE(mem.read(0, got.data(), got.size()));
    size_t bad = 0;
    for (size_t i = 0; i < ref.size(); i++)
        if (got[i] != ref[i] && bad++ < 4)
            ADD_FAILURE() << what << ": byte 0x" << std::hex << i << " is 0x" << int(got[i])
                          << ", expected 0x" << int(ref[i]);
    EXPECT_EQ(bad, 0u) << what;
}

// Random bursts of every type and beat size, each written with random strobes and read back.
template <unsigned BITS> void pin_bursts(pin_rig<BITS> &t, unsigned seed) {
    constexpr unsigned B = BITS / 8;
    std::mt19937 rng(seed);
    std::vector<uint8_t> ref;
    fill(t.mem, ref, rng);
    unsigned max_size = 0;
    while ((2u << max_size) <= B)
        max_size++;
    unsigned n_narrow = 0, n_partial = 0, n_type[3] = {0, 0, 0};
    for (int it = 0; it < 60; it++) {
        const unsigned burst = it % 3; // FIXED, INCR, WRAP in turn
        const unsigned size = rng() % (max_size + 1);
        const uint64_t nb = uint64_t(1) << size;
        unsigned len;
        uint64_t a;
        if (burst == AXI_WRAP) {
            len = (2u << (rng() % 4)) - 1; // 2, 4, 8, 16 beats
            a = (rng() % (ref.size() - 4096)) / nb * nb;
        } else {
            len = burst == AXI_FIXED ? rng() % 16 : rng() % 24;
            const uint64_t span = (uint64_t(len) + 1) * nb;
            if (span > 4096) len = static_cast<unsigned>(4096 / nb - 1);
            a = rng() % (ref.size() - 8192);
            // INCR within one 4 KiB page (A3.4.1), from the aligned start on
            const uint64_t first = a / nb * nb, last = first + (uint64_t(len) + 1) * nb - 1;
            if ((first >> 12) != (last >> 12)) a = (last >> 12 << 12) + (a & (nb - 1));
        }
        std::vector<axi_data> wd(len + 1);
        std::vector<axi_strb> ws(len + 1);
        for (unsigned i = 0; i <= len; i++) {
            const auto lanes = lanes_of(B, a, len, size, burst, i);
            for (unsigned l = 0; l < B; l++) {
                if (lanes[l] < 0) continue;
                wd[i].lane[l] = static_cast<uint8_t>(rng());
                ws[i][l] = (rng() % 4) != 0; // about one lane in four left out
                if (!ws[i][l]) n_partial++;
                if (ws[i][l]) ref[static_cast<size_t>(lanes[l])] = wd[i].lane[l];
            }
        }
        n_narrow += nb < B;
        n_type[burst]++;
        uint32_t bresp = 9;
        std::vector<uint32_t> rresp;
        std::vector<axi_data> rd;
        ASSERT_TRUE(t.go([&] {
            t.addr(true, it & 3, a, len, size, burst);
            t.w(wd, ws);
            bresp = t.b();
            t.addr(false, it & 3, a, len, size, burst);
            rd = t.r(rresp);
        }));
        EXPECT_EQ(bresp, AXI_OKAY) << "burst " << it;
        ASSERT_EQ(rd.size(), len + 1u) << "burst " << it;
        for (unsigned i = 0; i <= len; i++) {
            EXPECT_EQ(rresp[i], AXI_OKAY);
            const auto lanes = lanes_of(B, a, len, size, burst, i);
            for (unsigned l = 0; l < B; l++) {
                if (lanes[l] < 0) continue;
                EXPECT_EQ(rd[i].lane[l], ref[static_cast<size_t>(lanes[l])])
                    << BITS << " bits, burst " << it << " (type " << burst << " size " << size
                    << " addr 0x" << std::hex << a << std::dec << ") beat " << i << " lane " << l;
            }
        }
        if (::testing::Test::HasFailure()) break;
    }
    expect_mem(t.mem, ref, "memory after the bursts");
    EXPECT_GT(n_partial, 0u);
    if (B > 1) {
        EXPECT_GT(n_narrow, 0u);
    }
    for (unsigned k = 0; k < 3; k++)
        EXPECT_GT(n_type[k], 0u);
    for (const auto &v : t.bridge.violations())
        ADD_FAILURE() << v.to_string();
    EXPECT_GT(t.bridge.checker().handshakes(), 0u);
}

// Unaligned TLM transactions with random byte enables through both bridges.
template <unsigned BITS> void loop_copies(loop_rig<BITS> &t, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> ref;
    fill(t.mem, ref, rng);
    for (int it = 0; it < 24; it++) {
        const uint64_t len = 1 + rng() % 700;
        const uint64_t a = rng() % (ref.size() - len);
        std::vector<uint8_t> data(len), be;
        for (auto &b : data)
            b = static_cast<uint8_t>(rng());
        const bool masked = it % 2;
        if (masked) {
            be.resize(1 + rng() % 16);
            for (auto &b : be)
                b = rng() % 3 ? TLM_BYTE_ENABLED : TLM_BYTE_DISABLED;
        }
        for (uint64_t i = 0; i < len; i++)
            if (!masked || be[i % be.size()] == TLM_BYTE_ENABLED) ref[a + i] = data[i];
        std::vector<uint8_t> back(len);
        tlm::tlm_response_status ws = tlm::TLM_INCOMPLETE_RESPONSE, rs = ws;
        ASSERT_TRUE(t.go(
            [&] {
                ws = t.transport(true, a, data, masked ? &be : nullptr);
                rs = t.transport(false, a, back, nullptr);
            },
            sc_time(1, SC_MS)));
        EXPECT_EQ(ws, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(rs, tlm::TLM_OK_RESPONSE);
        for (uint64_t i = 0; i < len; i++)
            if (back[i] != ref[a + i]) {
                ADD_FAILURE() << BITS << " bits, transfer " << it << " byte " << i;
                break;
            }
    }
    expect_mem(t.mem, ref, "memory after the transfers");
    for (const auto &v : t.master.violations())
        ADD_FAILURE() << "master pins: " << v.to_string();
    for (const auto &v : t.bridge.violations())
        ADD_FAILURE() << "slave pins: " << v.to_string();
    EXPECT_GE(t.bridge.stats().writes, 24u); // a burst or more per transfer
}

} // namespace

// IHI 0022 A3.4.1: byte lanes of narrow, unaligned INCR, WRAP and FIXED beats, WSTRB per lane.
TEST_F(CosimWidth, PinMasterBurstsAreByteExact_A3_4_1_At32Bits) {
    pin_bursts(R->p32, 32);
}
TEST_F(CosimWidth, PinMasterBurstsAreByteExact_A3_4_1_At64Bits) {
    pin_bursts(R->p64, 64);
}
TEST_F(CosimWidth, PinMasterBurstsAreByteExact_A3_4_1_At128Bits) {
    pin_bursts(R->p128, 128);
}
TEST_F(CosimWidth, PinMasterBurstsAreByteExact_A3_4_1_At256Bits) {
    pin_bursts(R->p256, 256);
}
TEST_F(CosimWidth, PinMasterBurstsAreByteExact_A3_4_1_At512Bits) {
    pin_bursts(R->p512, 512);
}
TEST_F(CosimWidth, PinMasterBurstsAreByteExact_A3_4_1_At1024Bits) {
    pin_bursts(R->p1024, 1024);
}

TEST_F(CosimWidth, MasterBridgeLoopIsByteExactAt32Bits) {
    loop_copies(R->l32, 320);
}
TEST_F(CosimWidth, MasterBridgeLoopIsByteExactAt128Bits) {
    loop_copies(R->l128, 1280);
}
TEST_F(CosimWidth, MasterBridgeLoopIsByteExactAt256Bits) {
    loop_copies(R->l256, 2560);
}
TEST_F(CosimWidth, MasterBridgeLoopIsByteExactAt512Bits) {
    loop_copies(R->l512, 5120);
}
TEST_F(CosimWidth, MasterBridgeLoopIsByteExactAt1024Bits) {
    loop_copies(R->l1024, 10240);
}

// axi_link by prefix at 1024 bits: the sc_bv<1024> data buses connect, the absent WSTRB is tied
// to all 128 lanes (an sc_bv<128>), AxSIZE to the bus width (7), AxLEN 0, WLAST 1; the 32-bit
// address and 1-bit IDs are converted. The 128 bytes reach the memory and come back.
TEST_F(CosimWidth, LinkBindsA1024BitMasterByPrefix) {
    link_rig &k = R->k1024;
    ASSERT_TRUE(R->l32.go([&] {
        while (!k.master.finished)
            wait(k.clk.posedge_event());
    }));
    EXPECT_EQ(k.master.bresp, AXI_OKAY);
    EXPECT_EQ(k.master.rresp, AXI_OKAY);
    ASSERT_EQ(k.requests.size(), 2u);
    for (const auto &r : k.requests) {
        EXPECT_EQ(r.addr, 0x2080u);
        EXPECT_EQ(r.size, 7u); // 128 bytes
        EXPECT_EQ(r.len, 0u);
    }
    uint8_t m[128];
    ASSERT_TRUE(k.mem.read(0x2080, m, 128));
    for (unsigned i = 0; i < 128; i++)
        EXPECT_EQ(m[i], k.master.wrote.lane[i]) << "byte " << i;
    EXPECT_TRUE(k.master.read == k.master.wrote);
    const axi_link_connection *strb = nullptr;
    for (const auto &c : k.link.connections())
        if (c.signal == "wstrb") strb = &c;
    ASSERT_TRUE(strb);
    EXPECT_EQ(strb->kind, axi_link_connection::TIED_OFF);
    for (const auto &v : k.bridge.violations())
        ADD_FAILURE() << v.to_string();
}

// bridge_params::id_bits / addr_bits: a master with 2-bit IDs and 16-bit addresses (IHI 0022
// A2: ID_W_WIDTH, ADDR_WIDTH) whose ports' upper bits are not its own: the bridge uses AxID[1:0]
// and AxADDR[15:0] only, and answers with that ID.
TEST_F(CosimWidth, IdAndAddressWidthsIgnoreBitsAboveThem) {
    pin_rig<32> &t = R->p32n;
    const uint8_t v[4] = {0x11, 0x22, 0x33, 0x44};
    ASSERT_TRUE(t.mem.write(0x1230, v, 4));
    std::vector<uint32_t> resp;
    std::vector<axi_data> d;
    uint32_t rid = 99;
    ASSERT_TRUE(t.go([&] {
        t.addr(false, 0x7, 0xABCD1230, 0, 2, AXI_INCR); // ID 0b111, address bits above 15 set
        t.s.rready.write(true);
        do
            t.edge();
        while (!t.s.rvalid.read());
        pin_to_lanes(t.s.rdata.read(), d.emplace_back().lane.data(), 4);
        rid = t.s.rid.read();
        resp.push_back(t.s.rresp.read());
        t.s.rready.write(false);
    }));
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(resp[0], AXI_OKAY); // 0xABCD1230 would be outside the 64 KiB memory: DECERR
    EXPECT_EQ(d[0].u64() & 0xFFFFFFFF, 0x44332211u);
    EXPECT_EQ(rid, 3u);
    for (const auto &x : t.bridge.violations())
        ADD_FAILURE() << x.to_string();
}

// Verilator's types at each width (what a Verilated master's ports bind to without glue).
TEST_F(CosimWidth, PortTypesAreVerilatorsAtEveryWidth) {
    static_assert(std::is_same_v<axi_tlm_bridge_w<32>::data_t, uint32_t>);
    static_assert(std::is_same_v<axi_tlm_bridge_w<32>::strb_t, uint32_t>);
    static_assert(std::is_same_v<axi_tlm_bridge_w<64>::data_t, uint64_t>);
    static_assert(std::is_same_v<axi_tlm_bridge_w<128>::data_t, sc_dt::sc_bv<128>>);
    static_assert(std::is_same_v<axi_tlm_bridge_w<128>::strb_t, uint32_t>);
    static_assert(std::is_same_v<axi_tlm_bridge_w<512>::strb_t, uint64_t>);
    static_assert(std::is_same_v<axi_tlm_bridge_w<1024>::strb_t, sc_dt::sc_bv<128>>);
    EXPECT_EQ(R->p1024.bridge.data_bytes(), 128u);
    EXPECT_EQ(R->p32.bridge.data_bytes(), 4u);
    // a lane round trip through a 1024-bit pin value: lane i -> bits 8i+7 .. 8i
    axi_data d;
    for (unsigned i = 0; i < 128; i++)
        d.lane[i] = static_cast<uint8_t>(i * 3 + 1);
    const auto v = lanes_to_pin<sc_dt::sc_bv<1024>>(d.lane.data(), 128);
    EXPECT_EQ(v.range(8 * 100 + 7, 8 * 100).to_uint(), (100u * 3 + 1) & 0xFF);
    axi_strb st;
    st[127] = st[0] = true;
    const auto sv = strb_to_pin<sc_dt::sc_bv<128>>(st, 128);
    EXPECT_TRUE(sv[127].to_bool());
    EXPECT_TRUE(sv[0].to_bool());
    EXPECT_FALSE(sv[64].to_bool());
}

int sc_main(int, char **) {
    return 0;
}
int main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
