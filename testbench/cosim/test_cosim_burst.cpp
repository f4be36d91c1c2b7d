// SPDX-License-Identifier: Apache-2.0 OR MIT
// One AXI burst is one transaction (IHI 0022): the WRAP and FIXED bursts of a pin-level C++
// master reach the SMMU through the bridge as one transaction each, so they are translated once,
// fault once (one event record, SMMUv3 7.3) and stall once (one stall tag, one CMD_RESUME for the
// whole burst, 3.12.2). With a valid mapping their data are byte-exact, beat addresses and byte
// lanes computed here by hand from the AXI addressing rules.
//
//   C++ master ─pins─> axi_tlm_bridge ─TLM─> smmu.upstream[0]   smmu.downstream ─┐
//   host (c_core/drv over TLM) ──> router ──┬──> memory  <────────────────────────┘
//                                           └──> smmu.regs        smmu.table ──> router
//
// One rig per process (SystemC elaborates once); every test has its own StreamID, ASID and
// pages. Every test also requires the protocol checker on the bridge's pins to stay clean.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <smmu/drv.h>
#include <smmu_cosim/axi.h>
#include <smmu_model/host.h>
#include <smmu_model/memory.h>
#include <smmu_model/router.h>
#include <smmu_tlm/smmu_tlm.h>

#include "smmu_axi_rig.h"

using namespace smmu_cosim;
using namespace sc_core;
using cosim_test::read_result;

namespace {

constexpr uint64_t PAGE = 0x1000;

struct rig : cosim_test::smmu_axi_rig {
    static bridge_params bparams() {
        bridge_params p;
        p.outstanding = 4; // other IDs overtake a miss or a stall
        return p;
    }
    explicit rig(sc_module_name n) : smmu_axi_rig(n, bparams()) {}
    // ---- from inside run() ----
    std::vector<smmu_drv_event_t> events() {
        std::vector<smmu_drv_event_t> v;
        smmu_drv_event_t ev;
        while (smmu_drv_next_event(drv, &ev) == 0)
            v.push_back(ev);
        return v;
    }
    // A stage-1 domain (4 KiB granule) attached to sid; stall: CD.S = 1.
    smmu_domain_t *attach(uint32_t sid, uint16_t asid, bool stall = false) {
        smmu_domain_cfg_t dc{};
        dc.stage = 1;
        dc.id = asid;
        dc.granule = 4096;
        dc.ias = 48;
        smmu_domain_t *dom = nullptr;
        EXPECT_EQ(smmu_drv_domain_new(drv, &dc, &dom), 0);
        EXPECT_EQ(smmu_drv_attach_s1(drv, sid, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        if (stall) {
            EXPECT_EQ(smmu_drv_set_stall(drv, sid, true), 0);
        }
        return dom;
    }
};

rig *R = nullptr;

uint64_t core_faults() {
    smmu_stats_t st;
    smmu_get_stats(R->smmu.core(), &st);
    return st.faults;
}

uint64_t user_of(uint32_t sid) {
    axi_user u;
    u.sid = sid;
    return axi_user_encode(u);
}

class CosimBurst : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (!R) R = new rig("rig");
    }
    void SetUp() override {
        ASSERT_TRUE(R->run([] {}));
        ASSERT_NE(R->drv, nullptr);
        ASSERT_TRUE(R->setup_error.empty()) << R->setup_error;
    }
    void TearDown() override {
        for (const auto &v : R->bridge.violations())
            ADD_FAILURE() << v.to_string();
    }
    // Fills [pa, pa + n) with a pattern of seed; returns it.
    static std::vector<uint8_t> fill(uint64_t pa, size_t n, unsigned seed) {
        std::vector<uint8_t> v(n);
        for (size_t i = 0; i < n; i++)
            v[i] = static_cast<uint8_t>(i * 13 + seed * 29 + 5);
        EXPECT_TRUE(R->mem.write(pa, v.data(), n));
        return v;
    }
    static uint8_t byte(uint64_t pa) {
        uint8_t v = 0;
        EXPECT_TRUE(R->mem.read(pa, &v, 1));
        return v;
    }
    // The 8 bytes at pa as a little-endian beat.
    static uint64_t beat(uint64_t pa) {
        uint64_t d = 0;
        for (unsigned k = 0; k < 8; k++)
            d |= uint64_t(byte(pa + k)) << (8 * k);
        return d;
    }
    static uint64_t upstream_transactions() {
        return R->smmu.stats().transactions;
    }
};

// A read that faults (translation fault, CD.A = 1: abort) and the events the SMMU wrote for it.
struct fault_run {
    read_result r;
    std::vector<smmu_drv_event_t> ev;
    uint64_t transactions = 0, faults = 0; // SMMU upstream transactions, core faults
};

fault_run faulting_read(uint32_t sid, uint16_t asid, uint64_t addr, uint32_t burst) {
    fault_run f;
    const uint64_t t0 = R->smmu.stats().transactions;
    const uint64_t f0 = core_faults();
    EXPECT_TRUE(R->run([&] {
        R->events();
        R->attach(sid, asid); // nothing mapped
        R->start([&] {
            R->ar(1, addr, 3, 3, burst, user_of(sid));
            f.r = R->r(1);
        });
        EXPECT_TRUE(R->wait_done(sc_time(50, SC_US)));
        wait(sc_time(1, SC_US));
        f.ev = R->events();
    }));
    f.transactions = R->smmu.stats().transactions - t0;
    f.faults = core_faults() - f0;
    return f;
}

} // namespace

// FIXED 4 x 8 bytes at an unmapped address: one transaction, so one F_TRANSLATION record
// (7.3.4) with the burst's address, and DECERR (the documented mapping of an SMMU abort) on
// every beat.
TEST_F(CosimBurst, FaultingFixedBurstWritesOneEventRecord) {
    const uint32_t sid = 1;
    const uint64_t addr = 0x10340;
    fault_run f = faulting_read(sid, 1, addr, AXI_FIXED);
    ASSERT_EQ(f.r.resp.size(), 4u);
    for (auto x : f.r.resp)
        EXPECT_EQ(x, AXI_DECERR);
    EXPECT_EQ(f.transactions, 1u);
    EXPECT_EQ(f.faults, 1u);
    ASSERT_EQ(f.ev.size(), 1u);
    EXPECT_EQ(f.ev[0].type, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(f.ev[0].sid, sid);
    EXPECT_EQ(f.ev[0].addr, addr);
    EXPECT_TRUE(f.ev[0].rnw);
}

// WRAP 4 x 8 bytes starting in the middle of its 32-byte window (0x...10: beats 0x10, 0x18,
// 0x00, 0x08): one transaction over the window, one record in the window's page.
TEST_F(CosimBurst, FaultingMidWindowWrapBurstWritesOneEventRecord) {
    const uint32_t sid = 2;
    const uint64_t addr = 0x20710, window = 0x20700;
    fault_run f = faulting_read(sid, 2, addr, AXI_WRAP);
    ASSERT_EQ(f.r.resp.size(), 4u);
    for (auto x : f.r.resp)
        EXPECT_EQ(x, AXI_DECERR);
    EXPECT_EQ(f.transactions, 1u);
    EXPECT_EQ(f.faults, 1u);
    ASSERT_EQ(f.ev.size(), 1u);
    EXPECT_EQ(f.ev[0].type, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(f.ev[0].sid, sid);
    EXPECT_GE(f.ev[0].addr, window); // the window's first byte (docs/cosim.md)
    EXPECT_LT(f.ev[0].addr, window + 32);
}

// Stall model (3.12.2): a FIXED 4-beat read of an unmapped page with CD.S = 1 stalls once with
// one stall tag; CMD_RESUME with Abort = 1 terminates the whole burst (DECERR on every beat) and
// it does not stall again.
TEST_F(CosimBurst, StalledFixedBurstStallsOnceAndOneAbortEndsIt) {
    const uint32_t sid = 3;
    const uint64_t addr = 0x30080;
    const uint64_t stalls0 = R->smmu.stats().stalls;
    const uint64_t t0 = R->smmu.stats().transactions;
    read_result r;
    std::vector<smmu_drv_event_t> stall_ev, later;
    bool resumed = false, done_after_one = false, done = false;
    ASSERT_TRUE(R->run([&] {
        R->events();
        R->attach(sid, 3, /*stall*/ true);
        R->start([&] {
            R->ar(2, addr, 3, 3, AXI_FIXED, user_of(sid));
            r = R->r(1);
        });
        for (unsigned i = 0; i < 100 && stall_ev.empty(); i++) {
            wait(sc_time(500, SC_NS));
            for (const auto &e : R->events())
                if (e.stall) stall_ev.push_back(e);
        }
        if (stall_ev.empty()) return;
        wait(sc_time(2, SC_US)); // any further stall of the same burst shows up meanwhile
        for (const auto &e : R->events())
            if (e.stall) stall_ev.push_back(e);
        resumed = smmu_drv_resume(R->drv, sid, stall_ev[0].stag, /*retry*/ false) == 0;
        done_after_one = R->wait_done(sc_time(20, SC_US));
        for (const auto &e : R->events())
            later.push_back(e);
        // a burst that stalls again is aborted again, so that the rig stays usable
        std::vector<smmu_drv_event_t> again = later;
        for (unsigned i = 0; i < 16 && R->busy; i++) {
            for (const auto &e : again)
                if (e.stall) smmu_drv_resume(R->drv, sid, e.stag, false);
            R->wait_done(sc_time(5, SC_US));
            again = R->events();
        }
        done = !R->busy;
    }));
    ASSERT_FALSE(stall_ev.empty());
    EXPECT_EQ(stall_ev.size(), 1u);
    EXPECT_EQ(stall_ev[0].type, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(stall_ev[0].sid, sid);
    EXPECT_EQ(stall_ev[0].addr, addr);
    EXPECT_TRUE(resumed);
    EXPECT_TRUE(done_after_one);
    EXPECT_TRUE(later.empty()) << later.size() << " more records, first stall "
                               << (later.empty() ? 0 : later[0].stall);
    EXPECT_EQ(R->smmu.stats().stalls - stalls0, 1u);
    EXPECT_EQ(R->smmu.stats().transactions - t0, 1u);
    ASSERT_TRUE(done);
    ASSERT_EQ(r.resp.size(), 4u);
    for (auto x : r.resp)
        EXPECT_EQ(x, AXI_DECERR);
}

// WRAP reads through a stage-1 mapping: a 4 x 8 burst from 0x110 (window 0x100-0x11F) returns
// 0x110, 0x118, 0x100, 0x108; a narrow 4 x 2 burst from 0x206 (window 0x200-0x207) returns
// 0x206 on lanes 6-7, then 0x200 on 0-1, 0x202 on 2-3, 0x204 on 4-5. One SMMU transaction each.
TEST_F(CosimBurst, WrapReadsAreByteExactAndOneTransactionEach) {
    const uint32_t sid = 4;
    const uint64_t iova = 0x40000, pa = 0x50003000;
    fill(pa, PAGE, 4);
    read_result a, b;
    uint64_t ta = 0, tb = 0;
    ASSERT_TRUE(R->run([&] {
        smmu_domain_t *dom = R->attach(sid, 4);
        EXPECT_EQ(smmu_drv_map(R->drv, dom, iova, pa, PAGE, SMMU_PROT_R | SMMU_PROT_W), 0);
        uint64_t t0 = upstream_transactions();
        R->start([&] {
            R->ar(1, iova + 0x110, 3, 3, AXI_WRAP, user_of(sid));
            a = R->r(1);
        });
        EXPECT_TRUE(R->wait_done(sc_time(50, SC_US)));
        ta = upstream_transactions() - t0;
        t0 = upstream_transactions();
        R->start([&] {
            R->ar(1, iova + 0x206, 3, 1, AXI_WRAP, user_of(sid));
            b = R->r(1);
        });
        EXPECT_TRUE(R->wait_done(sc_time(50, SC_US)));
        tb = upstream_transactions() - t0;
    }));
    EXPECT_EQ(ta, 1u);
    EXPECT_EQ(tb, 1u);
    ASSERT_EQ(a.data.size(), 4u);
    const uint64_t order[4] = {0x110, 0x118, 0x100, 0x108};
    for (unsigned i = 0; i < 4; i++) {
        EXPECT_EQ(a.data[i], beat(pa + order[i])) << "beat " << i;
        EXPECT_EQ(a.resp[i], AXI_OKAY);
    }
    ASSERT_EQ(b.data.size(), 4u);
    const uint64_t baddr[4] = {0x206, 0x200, 0x202, 0x204};
    for (unsigned i = 0; i < 4; i++) {
        const unsigned lane = baddr[i] & 7;
        EXPECT_EQ((b.data[i] >> (8 * lane)) & 0xFFFF,
                  byte(pa + baddr[i]) | (uint64_t(byte(pa + baddr[i] + 1)) << 8))
            << "beat " << i;
        EXPECT_EQ(b.resp[i], AXI_OKAY);
    }
}

// FIXED reads through a stage-1 mapping: every beat reads the same location, a 4 x 8 burst at
// 0x300 the 8 bytes there, a narrow 3 x 4 burst at 0x344 the 4 bytes there on lanes 4-7. One
// SMMU transaction each.
TEST_F(CosimBurst, FixedReadsAreByteExactAndOneTransactionEach) {
    const uint32_t sid = 5;
    const uint64_t iova = 0x50000, pa = 0x50006000;
    fill(pa, PAGE, 5);
    read_result a, b;
    uint64_t ta = 0, tb = 0;
    ASSERT_TRUE(R->run([&] {
        smmu_domain_t *dom = R->attach(sid, 5);
        EXPECT_EQ(smmu_drv_map(R->drv, dom, iova, pa, PAGE, SMMU_PROT_R | SMMU_PROT_W), 0);
        uint64_t t0 = upstream_transactions();
        R->start([&] {
            R->ar(3, iova + 0x300, 3, 3, AXI_FIXED, user_of(sid));
            a = R->r(1);
        });
        EXPECT_TRUE(R->wait_done(sc_time(50, SC_US)));
        ta = upstream_transactions() - t0;
        t0 = upstream_transactions();
        R->start([&] {
            R->ar(3, iova + 0x344, 2, 2, AXI_FIXED, user_of(sid));
            b = R->r(1);
        });
        EXPECT_TRUE(R->wait_done(sc_time(50, SC_US)));
        tb = upstream_transactions() - t0;
    }));
    EXPECT_EQ(ta, 1u);
    EXPECT_EQ(tb, 1u);
    ASSERT_EQ(a.data.size(), 4u);
    for (unsigned i = 0; i < 4; i++) {
        EXPECT_EQ(a.data[i], beat(pa + 0x300)) << "beat " << i;
        EXPECT_EQ(a.resp[i], AXI_OKAY);
    }
    ASSERT_EQ(b.data.size(), 3u);
    for (unsigned i = 0; i < 3; i++) {
        EXPECT_EQ(b.data[i] >> 32, beat(pa + 0x340) >> 32) << "beat " << i;
        EXPECT_EQ(b.resp[i], AXI_OKAY);
    }
}

// A WRAP write with partial strobes: 4 x 8 from 0x418 (window 0x400-0x41F) writes beat 0 to
// 0x418, 1 to 0x400, 2 to 0x408, 3 to 0x410, each only on the lanes its WSTRB enables; nothing
// outside the enabled bytes changes. One SMMU transaction.
TEST_F(CosimBurst, WrapWriteWithPartialStrobesIsByteExact) {
    const uint32_t sid = 6;
    const uint64_t iova = 0x60000, pa = 0x50009000;
    const std::vector<uint8_t> before = fill(pa, PAGE, 6);
    uint32_t resp = 9;
    uint64_t t = 0;
    ASSERT_TRUE(R->run([&] {
        smmu_domain_t *dom = R->attach(sid, 6);
        EXPECT_EQ(smmu_drv_map(R->drv, dom, iova, pa, PAGE, SMMU_PROT_R | SMMU_PROT_W), 0);
        const uint64_t t0 = upstream_transactions();
        R->start([&] {
            R->aw(4, iova + 0x418, 3, 3, AXI_WRAP, user_of(sid));
            R->w({0xA7A6A5A4A3A2A1A0ull, 0xB7B6B5B4B3B2B1B0ull, 0xC7C6C5C4C3C2C1C0ull,
                  0xD7D6D5D4D3D2D1D0ull},
                 {0xFF, 0x0F, 0xF0, 0x3C});
            resp = R->b();
        });
        EXPECT_TRUE(R->wait_done(sc_time(50, SC_US)));
        t = upstream_transactions() - t0;
    }));
    EXPECT_EQ(resp, AXI_OKAY);
    EXPECT_EQ(t, 1u);
    std::vector<uint8_t> expect = before;
    for (unsigned k = 0; k < 8; k++)
        expect[0x418 + k] = static_cast<uint8_t>(0xA0 + k); // beat 0, all lanes
    for (unsigned k = 0; k < 4; k++)
        expect[0x400 + k] = static_cast<uint8_t>(0xB0 + k); // beat 1, lanes 0-3
    for (unsigned k = 4; k < 8; k++)
        expect[0x408 + k] = static_cast<uint8_t>(0xC0 + k); // beat 2, lanes 4-7
    for (unsigned k = 2; k < 6; k++)
        expect[0x410 + k] = static_cast<uint8_t>(0xD0 + k); // beat 3, lanes 2-5
    std::vector<uint8_t> got(PAGE);
    ASSERT_TRUE(R->mem.read(pa, got.data(), PAGE));
    for (uint64_t i = 0x3F8; i < 0x428; i++)
        EXPECT_EQ(got[i], expect[i]) << "byte 0x" << std::hex << i;
    EXPECT_EQ(got, expect);
}

// A FIXED write with partial strobes: the beats write the same 8 bytes in order, each only its
// enabled lanes, so a byte keeps the value of the last beat that enabled it (here 0x0F, 0x3C,
// 0x81: byte 0 from beat 2, 1 from beat 0, 2-5 from beat 1, 6 untouched, 7 from beat 2). One
// SMMU transaction.
TEST_F(CosimBurst, FixedWriteWithPartialStrobesKeepsTheLastEnabledBeat) {
    const uint32_t sid = 7;
    const uint64_t iova = 0x70000, pa = 0x5000C000;
    const std::vector<uint8_t> before = fill(pa, PAGE, 7);
    uint32_t resp = 9;
    uint64_t t = 0;
    ASSERT_TRUE(R->run([&] {
        smmu_domain_t *dom = R->attach(sid, 7);
        EXPECT_EQ(smmu_drv_map(R->drv, dom, iova, pa, PAGE, SMMU_PROT_R | SMMU_PROT_W), 0);
        const uint64_t t0 = upstream_transactions();
        R->start([&] {
            R->aw(5, iova + 0x500, 2, 3, AXI_FIXED, user_of(sid));
            R->w({0x1111111111111111ull, 0x2222222222222222ull, 0x3333333333333333ull},
                 {0x0F, 0x3C, 0x81});
            resp = R->b();
        });
        EXPECT_TRUE(R->wait_done(sc_time(50, SC_US)));
        t = upstream_transactions() - t0;
    }));
    EXPECT_EQ(resp, AXI_OKAY);
    EXPECT_EQ(t, 1u);
    std::vector<uint8_t> expect = before;
    const uint8_t at[8] = {0x33, 0x11, 0x22, 0x22, 0x22, 0x22, before[0x506], 0x33};
    for (unsigned k = 0; k < 8; k++)
        expect[0x500 + k] = at[k];
    std::vector<uint8_t> got(PAGE);
    ASSERT_TRUE(R->mem.read(pa, got.data(), PAGE));
    for (uint64_t i = 0x4F8; i < 0x510; i++)
        EXPECT_EQ(got[i], expect[i]) << "byte 0x" << std::hex << i;
    EXPECT_EQ(got, expect);
}

// A stalled stream holds only what AXI ordering forces behind it (IHI 0022 A6.2: only bursts of
// the same ID are ordered; SMMUv3 3.12.2: a stall holds the stalled transaction): a TLB-hit read
// on ID 1 issued one cycle behind a read on ID 0 that stalls completes, with its data, while ID 0
// is still stalled; after CMD_RESUME with Abort, ID 0 gets DECERR.
TEST_F(CosimBurst, ReadOnAnotherIdCompletesWhileAnOlderReadIsStalled) {
    const uint32_t stalled_sid = 20, hit_sid = 21;
    const uint64_t miss = 0x140000, iova = 0x150000, pa = 0x50010000;
    fill(pa, PAGE, 21);
    read_result warm, first, second;
    bool first_done = false, second_done = false, resumed = false;
    std::vector<smmu_drv_event_t> stall_ev;
    ASSERT_TRUE(R->run([&] {
        R->events();
        R->attach(stalled_sid, 20, /*stall*/ true); // nothing mapped
        smmu_domain_t *dom = R->attach(hit_sid, 21);
        EXPECT_EQ(smmu_drv_map(R->drv, dom, iova, pa, PAGE, SMMU_PROT_R | SMMU_PROT_W), 0);
        R->start([&] { // warms the TLB for hit_sid
            R->ar(1, iova, 3, 3, AXI_INCR, user_of(hit_sid));
            warm = R->r(1);
        });
        EXPECT_TRUE(R->wait_done(sc_time(50, SC_US)));
        R->start([&] {
            R->ar(0, miss, 3, 3, AXI_INCR, user_of(stalled_sid));
            R->ar(1, iova + 0x40, 3, 3, AXI_INCR, user_of(hit_sid));
            first = R->r(1);
        });
        first_done = R->wait_done(sc_time(20, SC_US));
        for (const smmu_drv_event_t &e : R->events())
            if (e.stall) stall_ev.push_back(e);
        if (!first_done || stall_ev.size() != 1) return; // the rig is not reusable; end here
        resumed = smmu_drv_resume(R->drv, stalled_sid, stall_ev[0].stag, /*retry*/ false) == 0;
        R->start([&] { second = R->r(1); });
        second_done = R->wait_done(sc_time(50, SC_US));
    }));
    ASSERT_TRUE(first_done) << "the ID 1 read waited for the stalled ID 0 read";
    ASSERT_EQ(stall_ev.size(), 1u);
    EXPECT_EQ(stall_ev[0].sid, stalled_sid);
    EXPECT_TRUE(resumed);
    ASSERT_EQ(first.data.size(), 4u);
    for (unsigned i = 0; i < 4; i++) {
        EXPECT_EQ(first.id[i], 1u);
        EXPECT_EQ(first.resp[i], AXI_OKAY);
        EXPECT_EQ(first.data[i], beat(pa + 0x40 + 8 * i)) << "beat " << i;
    }
    ASSERT_TRUE(second_done);
    ASSERT_EQ(second.data.size(), 4u);
    for (unsigned i = 0; i < 4; i++) {
        EXPECT_EQ(second.id[i], 0u);
        EXPECT_EQ(second.resp[i], AXI_DECERR);
    }
}

// IHI 0022 A6.2: read data of bursts with the same ID come in issue order. A cold read (a table
// walk) and then, one cycle behind it on the same ID, a read of a page whose translation is in the
// TLB: the cold burst's beats come first, then the hit's, each burst contiguous and byte-exact.
TEST_F(CosimBurst, ReadsOfOneIdCompleteInIssueOrder) {
    const uint32_t sid = 22;
    const uint64_t cold = 0x160000, hot = 0x170000, pa_cold = 0x50011000, pa_hot = 0x50012000;
    fill(pa_cold, PAGE, 22);
    fill(pa_hot, PAGE, 23);
    read_result warm, r;
    ASSERT_TRUE(R->run([&] {
        smmu_domain_t *dom = R->attach(sid, 22);
        EXPECT_EQ(smmu_drv_map(R->drv, dom, cold, pa_cold, PAGE, SMMU_PROT_R), 0);
        EXPECT_EQ(smmu_drv_map(R->drv, dom, hot, pa_hot, PAGE, SMMU_PROT_R), 0);
        R->start([&] {
            R->ar(3, hot, 0, 3, AXI_INCR, user_of(sid));
            warm = R->r(1);
        });
        EXPECT_TRUE(R->wait_done(sc_time(50, SC_US)));
        R->start([&] {
            R->ar(3, cold + 0x80, 3, 3, AXI_INCR, user_of(sid));
            R->ar(3, hot + 0x80, 3, 3, AXI_INCR, user_of(sid));
            r = R->r(2);
        });
        EXPECT_TRUE(R->wait_done(sc_time(50, SC_US)));
    }));
    ASSERT_EQ(r.data.size(), 8u);
    for (unsigned i = 0; i < 4; i++) {
        EXPECT_EQ(r.data[i], beat(pa_cold + 0x80 + 8 * i)) << "beat " << i;
        EXPECT_EQ(r.data[4 + i], beat(pa_hot + 0x80 + 8 * i)) << "beat " << 4 + i;
    }
    for (unsigned i = 0; i < 8; i++) {
        EXPECT_EQ(r.id[i], 3u);
        EXPECT_EQ(r.resp[i], AXI_OKAY);
    }
}

int sc_main(int, char **) {
    return 0;
}
int main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
