// SPDX-License-Identifier: Apache-2.0 OR MIT
// Reset in the middle of traffic (issue 20, bug 1), at pin level: a C++ AXI master copies
// memory through the bridge, ARESETn goes low for several edges with reads and writes
// outstanding, and a fresh copy follows. IHI 0022 A3.1.2: during reset the master drives
// ARVALID / AWVALID / WVALID low and the slave RVALID / BVALID; after reset nothing of before
// exists, so a response may only answer a request made after reset. Between the bridge and
// the memory sits a gate that can hold transactions inside the target (as a stalled SMMU
// transaction or a slow walk would) across the reset.
// Also the APB master's reset (IHI 0024: PSEL and PENABLE low while PRESETn is low).
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <vector>

#include <smmu_cosim/apb.h>
#include <smmu_cosim/axi.h>
#include <smmu_cosim/axi_bridge.h>
#include <smmu_model/memory.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

using namespace smmu_cosim;
using namespace sc_core;

namespace {

// Forwards to the memory; transactions that start inside [held_lo, held_hi) wait there until
// release() (they stay in b_transport).
struct gate : sc_module {
    tlm_utils::simple_target_socket<gate> in{"in"};
    tlm_utils::simple_initiator_socket<gate> out{"out"};
    uint64_t held_lo = 0, held_hi = 0;
    bool open = true;
    unsigned holding = 0, entered = 0;
    sc_event release_ev;

    explicit gate(sc_module_name n) : sc_module(n) {
        in.register_b_transport(this, &gate::b_transport);
    }
    void close(uint64_t lo, uint64_t hi) {
        held_lo = lo;
        held_hi = hi;
        open = false;
    }
    void release() {
        open = true;
        release_ev.notify(SC_ZERO_TIME);
    }
    void b_transport(tlm::tlm_generic_payload &gp, sc_time &delay) {
        entered++;
        const uint64_t a = gp.get_address();
        if (a >= held_lo && a < held_hi) {
            holding++;
            while (!open)
                wait(release_ev);
            holding--;
        }
        out->b_transport(gp, delay);
    }
};

// A trivial APB slave: PREADY stays low while `stall` is set, data = address + 1.
struct apb_slave : sc_module {
    sc_in<bool> clk;
    apb_signals *a = nullptr;
    bool stall = false;
    unsigned writes = 0;
    SC_HAS_PROCESS(apb_slave);
    explicit apb_slave(sc_module_name n) : sc_module(n), clk("clk") {
        SC_METHOD(tick);
        sensitive << clk.pos();
        dont_initialize();
    }
    void tick() {
        const bool access = a->psel.read() && a->penable.read();
        const bool ready = access && !stall && !a->pready.read();
        if (ready && a->pwrite.read()) writes++;
        a->pready.write(ready);
        a->prdata.write(ready ? a->paddr.read() + 1 : 0);
        a->pslverr.write(false);
    }
};

struct tb : sc_module {
    sc_clock clk{"clk", 10, SC_NS};
    sc_signal<bool> rst_n;
    axi_signals s;
    apb_signals apb_sig;
    axi_tlm_bridge bridge{"bridge"};
    gate g{"gate"};
    smmu_model::memory mem;
    apb_master apb{"apb"};
    apb_slave apb_s{"apb_s"};
    std::function<void()> job;
    bool busy = false;

    // pin monitor (IHI 0022 A3.1.2): responses after the latest reset
    bool seen_reset = false;
    uint64_t ar_since = 0, aw_since = 0; // AR / AW handshakes since the latest reset
    uint64_t stale_r = 0, stale_b = 0;   // RVALID / BVALID with no AR / AW since reset
    uint64_t valid_in_reset = 0;         // RVALID / BVALID at a reset edge but the first
    unsigned reset_edges = 0;
    // PSEL / PENABLE high at a reset edge but the first (IHI 0024)
    uint64_t apb_in_reset = 0;

    static smmu_model::memory_params mparams() {
        smmu_model::memory_params p;
        p.size = 0x20000;
        p.dmi = false;
        return p;
    }

    SC_HAS_PROCESS(tb);
    explicit tb(sc_module_name n) : sc_module(n), mem("mem", mparams()) {
        bridge.clk(clk);
        bridge.rst_n(rst_n);
        bridge.bind(s);
        bridge.socket.bind(g.in);
        g.out.bind(mem.socket);
        apb.clk(clk);
        apb.rst_n(rst_n);
        apb.bind(apb_sig);
        apb_s.clk(clk);
        apb_s.a = &apb_sig;
        SC_THREAD(run);
        SC_METHOD(monitor);
        sensitive << clk.posedge_event();
        dont_initialize();
    }
    void monitor() {
        if (!rst_n.read()) {
            seen_reset = true;
            ar_since = aw_since = 0;
            if (++reset_edges > 1) {
                if (s.rvalid.read() || s.bvalid.read()) valid_in_reset++;
                if (apb_sig.psel.read() || apb_sig.penable.read()) apb_in_reset++;
            }
            return;
        }
        reset_edges = 0;
        if (!seen_reset) return;
        // a response at this edge must answer a request handshaken at an earlier edge
        if (s.rvalid.read() && ar_since == 0) stale_r++;
        if (s.bvalid.read() && aw_since == 0) stale_b++;
        if (s.arvalid.read() && s.arready.read()) ar_since++;
        if (s.awvalid.read() && s.awready.read()) aw_since++;
    }
    void edge() {
        wait(clk.posedge_event());
    }
    void idle_master() {
        s.awvalid.write(false);
        s.wvalid.write(false);
        s.wlast.write(false);
        s.arvalid.write(false);
        s.rready.write(false);
        s.bready.write(false);
    }
    // rst_n low for `edges` rising edges (master and bridge), then one edge with VALIDs low
    void reset(unsigned edges) {
        idle_master();
        rst_n.write(false);
        for (unsigned i = 0; i < edges; i++)
            edge();
        rst_n.write(true);
        edge();
    }
    void run() {
        reset(3);
        for (;;) {
            while (!job)
                edge();
            job();
            job = nullptr;
            busy = false;
            sc_pause();
        }
    }
    bool go(std::function<void()> f) {
        job = std::move(f);
        busy = true;
        sc_start(sc_time(200, SC_US));
        return !busy;
    }
    void ar(uint32_t id, uint64_t addr, uint32_t len) {
        s.arvalid.write(true);
        s.arid.write(id);
        s.araddr.write(addr);
        s.arlen.write(len);
        s.arsize.write(3);
        s.arburst.write(AXI_INCR);
        s.arprot.write(AXI_PROT_NS);
        s.aruser.write(0);
        do
            edge();
        while (!s.arready.read());
        s.arvalid.write(false);
    }
    void aw(uint32_t id, uint64_t addr, uint32_t len) {
        s.awvalid.write(true);
        s.awid.write(id);
        s.awaddr.write(addr);
        s.awlen.write(len);
        s.awsize.write(3);
        s.awburst.write(AXI_INCR);
        s.awprot.write(AXI_PROT_NS);
        s.awuser.write(0);
        do
            edge();
        while (!s.awready.read());
        s.awvalid.write(false);
    }
    // Beats [0, n) of a burst of `total` beats.
    void w(const std::vector<uint64_t> &data, size_t n) {
        for (size_t i = 0; i < n; i++) {
            s.wvalid.write(true);
            s.wdata.write(data[i]);
            s.wstrb.write(0xFF);
            s.wlast.write(i + 1 == data.size());
            do
                edge();
            while (!s.wready.read());
        }
        s.wvalid.write(false);
        s.wlast.write(false);
    }
    // Takes n R beats.
    void r(size_t n, std::vector<uint64_t> &data, std::vector<uint32_t> &resp,
           std::vector<bool> &last) {
        s.rready.write(true);
        while (n) {
            edge();
            if (!s.rvalid.read()) continue;
            data.push_back(s.rdata.read());
            resp.push_back(s.rresp.read());
            last.push_back(s.rlast.read());
            n--;
        }
        s.rready.write(false);
    }
    uint32_t b() {
        s.bready.write(true);
        do
            edge();
        while (!s.bvalid.read());
        uint32_t resp = s.bresp.read();
        s.bready.write(false);
        return resp;
    }
    // Copies `bytes` from src to dst in 16-beat bursts, one burst at a time; collects every
    // response and whether each read burst's RLAST came on its 16th beat.
    void copy(uint64_t src, uint64_t dst, uint64_t bytes, uint32_t id, std::vector<uint32_t> &resps,
              unsigned &bad_rlast) {
        for (uint64_t off = 0; off < bytes; off += 128) {
            std::vector<uint64_t> data;
            std::vector<uint32_t> resp;
            std::vector<bool> last;
            ar(id, src + off, 15);
            r(16, data, resp, last);
            for (unsigned i = 0; i < 16; i++)
                if (last[i] != (i == 15)) bad_rlast++;
            resps.insert(resps.end(), resp.begin(), resp.end());
            aw(id, dst + off, 15);
            w(data, 16);
            resps.push_back(b());
        }
    }
};

tb *T = nullptr;

class CosimReset : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (!T) T = new tb("tb");
    }
    void SetUp() override {
        std::vector<uint8_t> bytes(0x20000);
        for (size_t i = 0; i < bytes.size(); i++)
            bytes[i] = static_cast<uint8_t>(i * 13 + 5);
        ASSERT_TRUE(T->mem.write(0, bytes.data(), bytes.size()));
        violations_before_ = T->bridge.violations().size();
    }
    void TearDown() override {
        const auto &v = T->bridge.violations();
        for (size_t i = violations_before_; i < v.size(); i++)
            ADD_FAILURE() << v[i].to_string();
    }
    static bool same(uint64_t a, uint64_t b, uint64_t n) {
        std::vector<uint8_t> x(n), y(n);
        EXPECT_TRUE(T->mem.read(a, x.data(), n));
        EXPECT_TRUE(T->mem.read(b, y.data(), n));
        return x == y;
    }
    size_t violations_before_ = 0;
};

} // namespace

// The scenario of issue 20: a copy with two reads (one partly answered on the pins, one held
// inside the target) and two writes (one held inside the target, one with 5 of its 16 W beats
// given) outstanding; ARESETn low for 9 edges; idle; a fresh copy. Nothing of before may reach
// the pins, the checker stays clean and the fresh copy is OKAY and byte-exact.
TEST_F(CosimReset, NothingOfBeforeSurvivesReset) {
    std::vector<uint32_t> resps;
    unsigned bad_rlast = 0;
    const uint64_t dropped0 = T->bridge.stats().dropped;
    ASSERT_TRUE(T->go([&] {
        T->g.close(0x0100, 0x0180); // the second read stays inside the target
        std::vector<uint64_t> d;
        std::vector<uint32_t> rs;
        std::vector<bool> l;
        T->ar(1, 0x0000, 15);
        T->ar(1, 0x0100, 15);
        T->r(3, d, rs, l); // 3 of 16 beats: beat 4 waits on the pins
        T->aw(2, 0x8000, 15);
        std::vector<uint64_t> wd(16, 0xDEADBEEFDEADBEEFull);
        T->w(wd, 16);
        T->aw(2, 0x8080, 15);
        T->w(wd, 5); // 5 of 16 beats buffered in the bridge
        for (int i = 0; i < 20; i++)
            T->edge();
        EXPECT_EQ(T->g.holding, 1u); // the read is inside the target
        T->reset(9);
        for (int i = 0; i < 1000; i++)
            T->edge();
        T->g.release(); // the held read completes into the void
        for (int i = 0; i < 1000; i++)
            T->edge();
        T->copy(0x1000, 0x9000, 0x1000, 1, resps, bad_rlast);
    }));
    EXPECT_EQ(T->stale_r, 0u) << "RVALID with no AR since reset";
    EXPECT_EQ(T->stale_b, 0u) << "BVALID with no AW since reset";
    EXPECT_EQ(T->valid_in_reset, 0u);
    EXPECT_EQ(T->bridge.violations().size(), violations_before_);
    ASSERT_EQ(resps.size(), 32u * 17u);
    for (size_t i = 0; i < resps.size(); i++)
        EXPECT_EQ(resps[i], AXI_OKAY) << "response " << i;
    EXPECT_EQ(bad_rlast, 0u);
    EXPECT_TRUE(same(0x1000, 0x9000, 0x1000));
    EXPECT_GE(T->bridge.stats().dropped, dropped0 + 1);
    EXPECT_TRUE(T->bridge.idle());
}

// A read and a write held inside the target across a reset do not hold up the traffic of after
// the reset (a fresh worker serves it), and when they finally return nothing of theirs reaches
// the pins; the held write still lands in memory (the target completed it: into the void).
TEST_F(CosimReset, TransactionsInsideTheTargetCompleteIntoTheVoid) {
    std::vector<uint32_t> resps;
    unsigned bad_rlast = 0;
    const uint64_t dropped0 = T->bridge.stats().dropped;
    const uint64_t stale_r0 = T->stale_r, stale_b0 = T->stale_b;
    unsigned held_at_copy_end = 0;
    ASSERT_TRUE(T->go([&] {
        T->g.close(0x4000, 0x5000);
        T->ar(3, 0x4000, 15);
        std::vector<uint64_t> wd(16, 0x0123456789ABCDEFull);
        T->aw(3, 0x4800, 15);
        T->w(wd, 16);
        for (int i = 0; i < 20; i++)
            T->edge();
        EXPECT_EQ(T->g.holding, 2u);
        T->reset(9);
        for (int i = 0; i < 100; i++)
            T->edge();
        T->copy(0x2000, 0xA000, 0x400, 3, resps, bad_rlast);
        held_at_copy_end = T->g.holding;
        T->g.release();
        for (int i = 0; i < 200; i++)
            T->edge();
    }));
    EXPECT_EQ(held_at_copy_end, 2u); // the fresh copy ran while both were still inside
    EXPECT_EQ(T->stale_r, stale_r0);
    EXPECT_EQ(T->stale_b, stale_b0);
    ASSERT_EQ(resps.size(), 8u * 17u);
    for (size_t i = 0; i < resps.size(); i++)
        EXPECT_EQ(resps[i], AXI_OKAY) << "response " << i;
    EXPECT_EQ(bad_rlast, 0u);
    EXPECT_TRUE(same(0x2000, 0xA000, 0x400));
    EXPECT_EQ(T->bridge.stats().dropped, dropped0 + 2);
    uint64_t v = 0;
    ASSERT_TRUE(T->mem.read(0x4800, &v, 8));
    EXPECT_EQ(v, 0x0123456789ABCDEFull);
    EXPECT_TRUE(T->bridge.idle());
}

// IHI 0024 (APB reset): PSEL and PENABLE are low while PRESETn is low. A transfer the reset
// interrupts is abandoned and reports an error; the next transfer after reset works.
TEST_F(CosimReset, ApbTransferInterruptedByResetIsAbandoned) {
    bool err1 = false, err2 = true, done = false;
    uint32_t v2 = 0;
    const uint64_t apb_in_reset0 = T->apb_in_reset;
    ASSERT_TRUE(T->go([&] {
        T->apb_s.stall = true; // PREADY stays low: the transfer waits in its access phase
        sc_spawn([&] {
            T->apb.write(0x10, 0xAB, &err1);
            v2 = T->apb.read(0x20, &err2); // starts once PRESETn is high again
            done = true;
        });
        for (int i = 0; i < 10; i++)
            T->edge();
        T->rst_n.write(false);
        for (int i = 0; i < 5; i++)
            T->edge();
        T->apb_s.stall = false;
        T->rst_n.write(true);
        for (int i = 0; i < 100 && !done; i++)
            T->edge();
    }));
    EXPECT_TRUE(done);
    EXPECT_TRUE(err1);
    EXPECT_EQ(T->apb_s.writes, 0u);
    EXPECT_FALSE(err2);
    EXPECT_EQ(v2, 0x21u);
    EXPECT_EQ(T->apb_in_reset, apb_in_reset0);
}

int sc_main(int, char **) {
    return 0;
}
int main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
