// SPDX-License-Identifier: Apache-2.0 OR MIT
// smmu_cosim::axi_link: a master whose AXI ports carry a prefix and Verilator's narrower types
// (1-bit IDs as bool, a 32-bit address as uint32_t, WSTRB as uint8_t as with --pins-uint8),
// without AxLEN / AxSIZE / AxBURST / AxPROT / AxUSER / WLAST and with AXI signals the bridge does
// not have (AWTRACE, ARTRACE out; RUSER in), linked to the bridge in one call. Expected values
// are AXI's defaults for absent signals (one beat, bus-wide, INCR, all strobes, WLAST high) and
// the options given here. Also: violations reported as one line with a message type; missing
// handshakes and a data bus of another width refused.
// The error tests come first: they elaborate nothing that survives them (a process elaborates
// once, and the link test simulates).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <smmu_cosim/axi.h>
#include <smmu_cosim/axi_bridge.h>
#include <smmu_cosim/axi_checker.h>
#include <smmu_cosim/axi_link.h>
#include <smmu_model/memory.h>

using namespace smmu_cosim;
using namespace sc_core;

namespace {

// A slave with the bridge's port names and no processes (the error tests' other side).
struct slave_stub : sc_module {
    sc_in<bool> clk{"clk"}, rst_n{"rst_n"};
    sc_in<bool> arvalid{"arvalid"};
    sc_out<bool> arready{"arready"};
    sc_in<uint64_t> araddr{"araddr"};
    sc_out<bool> rvalid{"rvalid"};
    sc_in<bool> rready{"rready"};
    sc_out<uint64_t> rdata{"rdata"};
    explicit slave_stub(sc_module_name n) : sc_module(n) {}
};

// A read-only master; rdata of type D, rready present or not.
template <class D, bool with_rready> struct read_master : sc_module {
    sc_out<bool> s0_arvalid{"s0_arvalid"};
    sc_in<bool> s0_arready{"s0_arready"};
    sc_out<uint32_t> s0_araddr{"s0_araddr"};
    sc_in<bool> s0_rvalid{"s0_rvalid"};
    sc_in<D> s0_rdata{"s0_rdata"};
    std::vector<sc_out<bool> *> rready;
    explicit read_master(sc_module_name n) : sc_module(n) {
        if (with_rready) rready.push_back(new sc_out<bool>("s0_rready"));
    }
    ~read_master() override {
        for (auto *p : rready)
            delete p;
    }
};

// The message of the sc_report the link's constructor throws, "" if none.
template <class M> std::string link_error(const char *name) {
    sc_signal<bool> clk, rst_n;
    slave_stub s((std::string(name) + "_slave").c_str());
    M m((std::string(name) + "_master").c_str());
    axi_link_options o;
    o.master_prefix = "s0_";
    try {
        axi_link l((std::string(name) + "_link").c_str(), m, s, clk, rst_n, o);
    } catch (const sc_report &r) {
        EXPECT_STREQ(r.get_msg_type(), axi_link::msg_type);
        return r.get_msg();
    }
    return "";
}

TEST(AxiLink, MasterWithoutRreadyIsRefused) {
    const std::string e = link_error<read_master<uint64_t, false>>("no_rready");
    EXPECT_NE(e.find("s0_rready"), std::string::npos) << e;
}

TEST(AxiLink, DataBusOfAnotherWidthIsRefused) {
    const std::string e = link_error<read_master<uint32_t, true>>("narrow_data");
    EXPECT_NE(e.find("data bus widths"), std::string::npos) << e;
}

TEST(AxiChecker, ViolationIsReportedAsOneLineWithItsMessageType) {
    sc_report_handler::set_actions(axi_checker::msg_type, SC_INFO, SC_THROW);
    axi_violation v{"rlast-position", "120 ns", "R id 1 beat 2"};
    try {
        report_violation("tb.bridge", v);
        ADD_FAILURE() << "no report";
    } catch (const sc_report &r) {
        EXPECT_STREQ(r.get_msg_type(), axi_checker::msg_type);
        EXPECT_EQ(r.get_severity(), SC_INFO);
        const std::string shown = sc_report_compose_message(r); // what SC_DISPLAY prints
        EXPECT_EQ(shown.find('\n'), std::string::npos) << shown;
        EXPECT_NE(shown.find("tb.bridge: 120 ns: AXI rlast-position: R id 1 beat 2"),
                  std::string::npos)
            << shown;
    }
    sc_report_handler::set_actions(axi_checker::msg_type, SC_INFO, SC_LOG | SC_DISPLAY);
}

// An AXI4-Lite-like master with prefixed ports and Verilator-style types.
struct lite_master : sc_module {
    sc_in<bool> clk{"clk"}, rst_n{"rst_n"};
    sc_out<bool> s0_awvalid{"s0_awvalid"}, s0_awid{"s0_awid"};
    sc_in<bool> s0_awready{"s0_awready"};
    sc_out<uint32_t> s0_awaddr{"s0_awaddr"}, s0_awtrace{"s0_awtrace"};
    sc_out<bool> s0_wvalid{"s0_wvalid"};
    sc_in<bool> s0_wready{"s0_wready"};
    sc_out<uint64_t> s0_wdata{"s0_wdata"};
    sc_out<uint8_t> s0_wstrb{"s0_wstrb"};
    sc_in<bool> s0_bvalid{"s0_bvalid"}, s0_bid{"s0_bid"};
    sc_out<bool> s0_bready{"s0_bready"};
    sc_in<uint32_t> s0_bresp{"s0_bresp"};
    sc_out<bool> s0_arvalid{"s0_arvalid"}, s0_arid{"s0_arid"};
    sc_in<bool> s0_arready{"s0_arready"};
    sc_out<uint32_t> s0_araddr{"s0_araddr"}, s0_artrace{"s0_artrace"};
    sc_in<bool> s0_rvalid{"s0_rvalid"}, s0_rid{"s0_rid"}, s0_rlast{"s0_rlast"};
    sc_out<bool> s0_rready{"s0_rready"};
    sc_in<uint64_t> s0_rdata{"s0_rdata"};
    sc_in<uint32_t> s0_rresp{"s0_rresp"}, s0_ruser{"s0_ruser"};

    struct beat {
        uint64_t data = 0;
        uint32_t resp = 9;
        bool id = false, last = false;
        uint32_t ruser = 9;
    };
    std::vector<uint32_t> bresps;
    std::vector<bool> bids;
    std::vector<beat> reads;
    bool finished = false;

    SC_HAS_PROCESS(lite_master);
    explicit lite_master(sc_module_name n) : sc_module(n) {
        SC_THREAD(run);
    }
    void edge() {
        wait(clk.posedge_event());
    }
    void write(uint32_t addr, uint64_t data, uint8_t strb) {
        s0_awvalid.write(true);
        s0_awid.write(true);
        s0_awaddr.write(addr);
        s0_wvalid.write(true);
        s0_wdata.write(data);
        s0_wstrb.write(strb);
        bool aw = false, w = false;
        while (!aw || !w) {
            edge();
            if (s0_awready.read()) aw = true, s0_awvalid.write(false);
            if (s0_wready.read()) w = true, s0_wvalid.write(false);
        }
        s0_bready.write(true);
        do
            edge();
        while (!s0_bvalid.read());
        bresps.push_back(s0_bresp.read());
        bids.push_back(s0_bid.read());
        s0_bready.write(false);
    }
    void read(uint32_t addr) {
        s0_arvalid.write(true);
        s0_arid.write(true);
        s0_araddr.write(addr);
        do
            edge();
        while (!s0_arready.read());
        s0_arvalid.write(false);
        s0_rready.write(true);
        do
            edge();
        while (!s0_rvalid.read());
        reads.push_back(
            {s0_rdata.read(), s0_rresp.read(), s0_rid.read(), s0_rlast.read(), s0_ruser.read()});
        s0_rready.write(false);
    }
    void run() {
        s0_awtrace.write(0xF);
        s0_artrace.write(0x55);
        while (!rst_n.read())
            edge();
        edge();
        write(0x1230, 0x1122334455667788ull, 0xFF);
        write(0x1238, 0xAAAAAAAABBBBBBBBull, 0x0F); // the low four lanes only
        read(0x1230);
        read(0x1238);
        finished = true;
    }
};

struct link_tb : sc_module {
    sc_clock clk{"clk", 10, SC_NS};
    sc_signal<bool> rst_n{"rst_n"};
    lite_master master{"master"};
    axi_tlm_bridge bridge{"bridge"};
    smmu_model::memory mem{"mem", mparams()};
    axi_link link;
    std::vector<axi_request> requests;

    static smmu_model::memory_params mparams() {
        smmu_model::memory_params p;
        p.size = 0x10000;
        p.dmi = false;
        return p;
    }
    static axi_link_options options() {
        axi_link_options o;
        o.master_prefix = "s0_";
        o.master_clock = "clk";
        o.master_reset = "rst_n";
        o.stream.sid = 7;
        o.stream.ssid = 0x12;
        o.stream.ssv = true;
        return o;
    }
    SC_HAS_PROCESS(link_tb);
    explicit link_tb(sc_module_name n)
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

const axi_link_connection *find(const axi_link &l, const std::string &sig) {
    for (const auto &c : l.connections())
        if (c.signal == sig) return &c;
    return nullptr;
}

TEST(AxiLink, PrefixedMasterWithNarrowTypesAndAbsentPortsWorksThroughTheBridge) {
    link_tb tb("tb");
    sc_start(sc_time(20, SC_US));
    ASSERT_TRUE(tb.master.finished);

    // the requests as the bridge accepted them
    ASSERT_EQ(tb.requests.size(), 4u);
    const uint64_t addrs[4] = {0x1230, 0x1238, 0x1230, 0x1238};
    for (size_t i = 0; i < 4; i++) {
        const axi_request &r = tb.requests[i];
        EXPECT_EQ(r.write, i < 2);
        EXPECT_EQ(r.addr, addrs[i]);
        EXPECT_EQ(r.id, 1u);   // a 1-bit ID of 1
        EXPECT_EQ(r.len, 0u);  // absent AxLEN: one beat
        EXPECT_EQ(r.size, 3u); // absent AxSIZE: the bus width, 8 bytes
        EXPECT_EQ(r.burst, unsigned(AXI_INCR));
        EXPECT_EQ(r.prot, unsigned(AXI_PROT_NS)); // the options' AxPROT
        EXPECT_EQ(r.user.sid, 7u);                // the options' stream
        EXPECT_EQ(r.user.ssid, 0x12u);
        EXPECT_TRUE(r.user.ssv);
    }
    // writes: OKAY with ID 1; the strobes of the 8-bit WSTRB select the lanes
    EXPECT_EQ(tb.master.bresps, (std::vector<uint32_t>{AXI_OKAY, AXI_OKAY}));
    EXPECT_EQ(tb.master.bids, (std::vector<bool>{true, true}));
    uint64_t m[2] = {0, 0};
    ASSERT_TRUE(tb.mem.read(0x1230, m, 16));
    EXPECT_EQ(m[0], 0x1122334455667788ull);
    EXPECT_EQ(m[1], 0x00000000BBBBBBBBull);
    // reads: the data, OKAY, ID 1 back through the 1-bit port, RLAST; RUSER tied to 0
    ASSERT_EQ(tb.master.reads.size(), 2u);
    for (size_t i = 0; i < 2; i++) {
        EXPECT_EQ(tb.master.reads[i].data, m[i]);
        EXPECT_EQ(tb.master.reads[i].resp, unsigned(AXI_OKAY));
        EXPECT_TRUE(tb.master.reads[i].id);
        EXPECT_TRUE(tb.master.reads[i].last);
        EXPECT_EQ(tb.master.reads[i].ruser, 0u);
    }
    EXPECT_TRUE(tb.bridge.violations().empty());

    // what the link says it did
    const auto *c = find(tb.link, "awaddr");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->kind, axi_link_connection::CONVERTED);
    EXPECT_EQ(c->master_port, "tb.master.s0_awaddr");
    EXPECT_EQ(c->slave_port, "tb.bridge.awaddr");
    ASSERT_TRUE(c = find(tb.link, "rdata"));
    EXPECT_EQ(c->kind, axi_link_connection::CONNECTED);
    ASSERT_TRUE(c = find(tb.link, "awuser"));
    EXPECT_EQ(c->kind, axi_link_connection::TIED_OFF);
    EXPECT_EQ(c->value, axi_user_encode(tb.options().stream));
    ASSERT_TRUE(c = find(tb.link, "wlast"));
    EXPECT_EQ(c->kind, axi_link_connection::TIED_OFF);
    EXPECT_EQ(c->value, 1u);
    ASSERT_TRUE(c = find(tb.link, "awtrace"));
    EXPECT_EQ(c->kind, axi_link_connection::OPEN);
    EXPECT_EQ(c->master_port, "tb.master.s0_awtrace");
    ASSERT_TRUE(c = find(tb.link, "artrace"));
    EXPECT_EQ(c->kind, axi_link_connection::OPEN);
    ASSERT_TRUE(c = find(tb.link, "ruser"));
    EXPECT_EQ(c->kind, axi_link_connection::TIED_OFF);
    EXPECT_TRUE(c->slave_port.empty());
}

} // namespace

int sc_main(int, char **) {
    return 0;
}
int main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
