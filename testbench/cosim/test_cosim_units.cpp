// SPDX-License-Identifier: Apache-2.0 OR MIT
// Unit tests of the co-simulation pieces that need no RTL: the AXI4 protocol checker (each rule
// is fed a sequence that breaks it and one that keeps it), the AxUSER layout and the TLM -> AXI
// response mapping of docs/cosim.md, and the command decoder behind the lockstep's
// invalidations (commands encoded here by hand from the spec's field positions, spec 4.3/4.4).
#include <gtest/gtest.h>

#include <cstdlib>

#include <smmu/regs.h>
#include <smmu_cosim/axi.h>
#include <smmu_cosim/axi_checker.h>
#include <smmu_cosim/lockstep.h>

using namespace smmu_cosim;

namespace {

// A small driver of snapshots: each call is one rising edge.
struct seq {
    axi_checker c;
    axi_snapshot s;
    unsigned t = 0;
    void edge() {
        c.sample(s, std::to_string(t++) + " ns");
    }
    bool has(const std::string &rule) const {
        for (const auto &v : c.violations())
            if (v.rule == rule) return true;
        return false;
    }
    void ar(uint32_t id, uint64_t addr, uint32_t len) {
        s.arvalid = s.arready = true;
        s.arid = id;
        s.araddr = addr;
        s.arlen = len;
        s.arsize = 3;
        s.arburst = AXI_INCR;
        edge();
        s.arvalid = s.arready = false;
    }
    void aw(uint32_t id, uint64_t addr, uint32_t len) {
        s.awvalid = s.awready = true;
        s.awid = id;
        s.awaddr = addr;
        s.awlen = len;
        s.awsize = 3;
        s.awburst = AXI_INCR;
        edge();
        s.awvalid = s.awready = false;
    }
    // AW of any size and burst type
    void awx(uint32_t id, uint64_t addr, uint32_t len, uint32_t size, uint32_t burst) {
        s.awvalid = s.awready = true;
        s.awid = id;
        s.awaddr = addr;
        s.awlen = len;
        s.awsize = size;
        s.awburst = burst;
        edge();
        s.awvalid = s.awready = false;
    }
    // the beats of one W burst with these strobes
    void wburst(std::initializer_list<uint32_t> strbs) {
        size_t i = 0;
        for (uint32_t st : strbs) {
            s.wvalid = s.wready = true;
            s.wlast = ++i == strbs.size();
            s.wstrb = st;
            edge();
        }
        s.wvalid = s.wready = s.wlast = false;
    }
    void r(uint32_t id, bool last) {
        s.rvalid = s.rready = true;
        s.rid = id;
        s.rlast = last;
        edge();
        s.rvalid = s.rready = s.rlast = false;
    }
    void w(bool last) {
        s.wvalid = s.wready = true;
        s.wlast = last;
        s.wstrb = 0xFF;
        edge();
        s.wvalid = s.wready = s.wlast = false;
    }
    void b(uint32_t id) {
        s.bvalid = s.bready = true;
        s.bid = id;
        edge();
        s.bvalid = s.bready = false;
    }
};

} // namespace

TEST(AxiChecker, CleanReadAndWriteBurstsPass) {
    seq q;
    q.edge();
    q.ar(1, 0x1000, 1);
    q.ar(2, 0x2000, 0);
    q.r(2, true); // another ID may overtake
    q.r(1, false);
    q.r(1, true);
    q.w(false); // write data before its address is allowed
    q.w(true);
    q.aw(3, 0x3000, 1);
    q.b(3);
    EXPECT_TRUE(q.c.violations().empty()) << q.c.violations()[0].to_string();
    EXPECT_EQ(q.c.outstanding_reads(), 0u);
    EXPECT_EQ(q.c.outstanding_writes(), 0u);
}

TEST(AxiChecker, ValidDroppedBeforeReadyIsReported) {
    seq q;
    q.s.arvalid = true; // waiting, ARREADY low
    q.s.araddr = 0x1000;
    q.edge();
    q.s.arvalid = false; // dropped without a handshake
    q.edge();
    EXPECT_TRUE(q.has("valid-stable"));
}

TEST(AxiChecker, PayloadChangedWhileWaitingIsReported) {
    seq q;
    q.s.wvalid = true;
    q.s.wdata = 1;
    q.edge();
    q.s.wdata = 2; // still not accepted, data changed
    q.edge();
    EXPECT_TRUE(q.has("payload-stable"));
}

// The AXI5 MMU signals and AxCACHE belong to the address channel's payload (IHI 0022: every
// payload signal is stable while VALID is high and READY low).
TEST(AxiChecker, MmuSignalsChangedWhileWaitingAreReported) {
    seq q;
    q.s.arvalid = true;
    q.s.arext.mmusid = 1;
    q.edge();
    q.s.arext.mmusid = 2; // AxMMUSID changed before ARREADY
    q.edge();
    EXPECT_TRUE(q.has("payload-stable"));
    seq w;
    w.s.awvalid = true;
    w.s.awext.cache = 0xF;
    w.edge();
    w.s.awext.cache = 0x3;
    w.edge();
    EXPECT_TRUE(w.has("payload-stable"));
}

TEST(AxiChecker, ValidHighInResetIsReported) {
    seq q;
    q.s.rst_n = false;
    q.s.awvalid = true; // first edge in reset: a synchronous reset has not acted yet
    q.edge();
    EXPECT_FALSE(q.has("reset-valid-low"));
    q.edge();
    EXPECT_TRUE(q.has("reset-valid-low"));
}

TEST(AxiChecker, ValidHighAtFirstEdgeAfterResetIsReported) {
    seq q;
    q.s.rst_n = false;
    q.edge();
    q.edge();
    q.s.rst_n = true;
    q.s.arvalid = true;
    q.edge();
    EXPECT_TRUE(q.has("reset-valid-low"));
}

// IHI 0022 A3.1.2: after reset nothing of before exists. Reads and writes outstanding at the
// reset (a read partly answered, a write waiting for B, a write with part of its W data) are
// forgotten: a response for them after reset is reported; a W burst begun before the reset does
// not count towards the first AW after it, and a fresh read / write is checked from beat 1.
TEST(AxiChecker, ResetForgetsEverythingOutstanding) {
    seq q;
    q.edge();
    q.ar(1, 0x1000, 3);
    q.r(1, false);
    q.aw(2, 0x2000, 0);
    q.w(true);
    q.aw(3, 0x3000, 3);
    q.w(false);
    q.w(false);
    EXPECT_EQ(q.c.outstanding_reads(), 1u);
    EXPECT_EQ(q.c.outstanding_writes(), 2u);
    q.s.rst_n = false;
    q.edge();
    q.edge();
    q.s.rst_n = true;
    q.edge();
    EXPECT_EQ(q.c.outstanding_reads(), 0u);
    EXPECT_EQ(q.c.outstanding_writes(), 0u);
    EXPECT_TRUE(q.c.violations().empty());
    q.r(1, false);
    EXPECT_TRUE(q.has("r-without-read"));
    q.b(2);
    EXPECT_TRUE(q.has("b-without-write"));
    q.c.clear_violations();
    q.aw(3, 0x3000, 1); // two beats, not the 2 of 4 given before the reset plus these
    q.w(false);
    q.w(true);
    q.b(3);
    q.ar(1, 0x1000, 1);
    q.r(1, false);
    q.r(1, true);
    EXPECT_TRUE(q.c.violations().empty()) << q.c.violations()[0].to_string();
}

TEST(AxiChecker, ResponsesForIdsWithoutRequestsAreReported) {
    seq q;
    q.r(5, true);
    q.b(6);
    EXPECT_TRUE(q.has("r-without-read"));
    EXPECT_TRUE(q.has("b-without-write"));
}

TEST(AxiChecker, SameIdResponsesOutOfOrderAreReported) {
    // Two reads of ID 1: 4 beats then 1 beat. Returning the second one first puts RLAST on the
    // first beat of what must be the 4-beat burst.
    seq q;
    q.ar(1, 0x1000, 3);
    q.ar(1, 0x2000, 0);
    q.r(1, true);
    EXPECT_TRUE(q.has("rlast-position"));
}

TEST(AxiChecker, WlastOnWrongBeatIsReported) {
    seq q;
    q.aw(0, 0x1000, 3); // 4 beats
    q.w(false);
    q.w(true); // last on beat 2
    EXPECT_TRUE(q.has("wlast-position"));
}

// Found by fuzz_axi (issue 21): a W burst ends at its WLAST (IHI 0022 A3.4.1; the bridge and any
// WLAST-framed slave pair W bursts with AWs that way). A burst longer than AWLEN + 1 is one
// wlast-position violation; the checker must not split it at AWLEN + 1 and pair its tail with the
// next AW, which made every later legal write a violation. Likewise the write response of the
// long burst is due once, at its WLAST.
TEST(AxiChecker, TooLongWBurstIsOneViolationAndLaterWritesStayFramed) {
    seq q;
    q.aw(0, 0x1000, 1); // 2 beats
    q.w(false);
    q.w(false);
    q.w(true); // 3 beats, WLAST on the third
    ASSERT_EQ(q.c.violations().size(), 1u);
    EXPECT_EQ(q.c.violations()[0].rule, "wlast-position");
    q.b(0);
    q.aw(1, 0x2000, 3); // a legal 4-beat write after it
    q.wburst({0xFF, 0xFF, 0xFF, 0xFF});
    q.b(1);
    q.w(true); // and a legal 1-beat W before its AW
    q.aw(2, 0x3000, 0);
    q.b(2);
    for (size_t i = 1; i < q.c.violations().size(); i++)
        ADD_FAILURE() << q.c.violations()[i].rule << ": " << q.c.violations()[i].detail;
}

TEST(AxiChecker, WriteResponseBeforeLastDataBeatIsReported) {
    seq q;
    q.aw(0, 0x1000, 1);
    q.w(false);
    q.b(0); // the burst's last beat has not been transferred
    EXPECT_TRUE(q.has("b-without-write"));
}

TEST(AxiChecker, IncrBurstCrossing4KIsReported) {
    seq q;
    q.ar(0, 0x1FF8, 1); // 0x1FF8..0x2007
    EXPECT_TRUE(q.has("burst-4k"));
    seq ok;
    ok.ar(0, 0x1FF0, 1); // 0x1FF0..0x1FFF
    EXPECT_FALSE(ok.has("burst-4k"));
}

TEST(AxiChecker, IllegalBurstEncodingsAreReported) {
    seq q;
    q.s.arvalid = q.s.arready = true;
    q.s.arburst = 3; // reserved
    q.s.arsize = 3;
    q.edge();
    q.s.arburst = AXI_WRAP;
    q.s.arlen = 2; // 3 beats
    q.edge();
    q.s.arburst = AXI_INCR;
    q.s.arlen = 0;
    q.s.arsize = 4; // 16 bytes on an 8-byte bus
    q.edge();
    EXPECT_TRUE(q.has("burst-type"));
    EXPECT_TRUE(q.has("burst-wrap"));
    EXPECT_TRUE(q.has("burst-size"));
}

// IHI 0022 A3.4.1 / A3.4.3: a beat's WSTRB may be high only on its valid byte lanes. Lanes
// below are written from the spec's lane equations for a 64-bit bus.
TEST(AxiChecker, WriteStrobeOutsideNarrowBeatLanesIsReported) {
    seq q;
    q.awx(0, 0x1000, 3, 0, AXI_INCR);   // bytes: lanes 0, 1, 2, 3
    q.wburst({0x01, 0x01, 0x04, 0x08}); // beat 2 strobes lane 0
    EXPECT_TRUE(q.has("wstrb-lanes"));
    seq u;
    u.awx(0, 0x1003, 1, 3, AXI_INCR); // unaligned first beat: lanes 3..7
    u.wburst({0xFF, 0xFF});
    EXPECT_TRUE(u.has("wstrb-lanes"));
    seq f;
    f.awx(0, 0x1006, 1, 1, AXI_FIXED); // halfwords at 0x1006: lanes 6..7 every beat
    f.wburst({0xC0, 0x30});
    EXPECT_TRUE(f.has("wstrb-lanes"));
    seq ahead; // W before its AW: checked when the AW comes
    ahead.wburst({0x0F, 0x0F});
    ahead.awx(0, 0x1000, 1, 2, AXI_INCR); // words: lanes 0..3, then 4..7
    EXPECT_TRUE(ahead.has("wstrb-lanes"));
}

// The same rules on a 1024-bit bus (IHI 0022 A3.4: 128 byte lanes, WSTRB of 128 bits): lanes
// written from the lane equations for 128-byte data. 16-byte beats from 0x1070: lanes
// 112..127, then 0..15 of the next 128 bytes; a strobe on lane 16 of beat 2 is outside.
TEST(AxiChecker, WriteStrobesOnA1024BitBusFollowTheLaneEquations_A3_4_1) {
    seq ok;
    ok.c = axi_checker(128);
    ok.awx(0, 0x1070, 1, 4, AXI_INCR);
    axi_strb hi, lo, full;
    for (unsigned l = 0; l < 16; l++) {
        hi[112 + l] = true;
        lo[l] = true;
    }
    full.set();
    ok.s.wvalid = ok.s.wready = true;
    ok.s.wstrb = hi;
    ok.edge();
    ok.s.wstrb = lo;
    ok.s.wlast = true;
    ok.edge();
    ok.s.wvalid = ok.s.wready = ok.s.wlast = false;
    ok.awx(1, 0x2000, 0, 7, AXI_INCR); // one bus-wide beat: every lane
    ok.s.wvalid = ok.s.wready = ok.s.wlast = true;
    ok.s.wstrb = full;
    ok.edge();
    ok.s.wvalid = ok.s.wready = ok.s.wlast = false;
    EXPECT_TRUE(ok.c.violations().empty()) << ok.c.violations()[0].to_string();

    seq bad;
    bad.c = axi_checker(128);
    bad.awx(0, 0x1070, 1, 4, AXI_INCR);
    lo[16] = true;
    bad.s.wvalid = bad.s.wready = true;
    bad.s.wstrb = hi;
    bad.edge();
    bad.s.wstrb = lo;
    bad.s.wlast = true;
    bad.edge();
    ASSERT_TRUE(bad.has("wstrb-lanes"));
    EXPECT_NE(bad.c.violations()[0].detail.find("WSTRB 0x1ffff outside lanes 0xffff"),
              std::string::npos)
        << bad.c.violations()[0].detail;
}

// 2^AxSIZE up to the bus: 128-byte beats are legal on a 1024-bit bus, not on a 512-bit one.
TEST(AxiChecker, BurstSizeIsCheckedAgainstTheBusWidth_A3_4_1) {
    seq wide, narrow;
    wide.c = axi_checker(128);
    narrow.c = axi_checker(64);
    for (seq *q : {&wide, &narrow}) {
        q->s.arvalid = q->s.arready = true;
        q->s.arsize = 7;
        q->s.arburst = AXI_INCR;
        q->s.araddr = 0x1000;
        q->edge();
    }
    EXPECT_FALSE(wide.has("burst-size"));
    EXPECT_TRUE(narrow.has("burst-size"));
}

TEST(AxiChecker, WriteStrobesWithinBeatLanesPass) {
    seq q;
    q.awx(0, 0x1000, 3, 0, AXI_INCR); // narrow bytes
    q.wburst({0x01, 0x02, 0x04, 0x08});
    q.awx(1, 0x1001, 2, 2, AXI_INCR); // narrow words, unaligned first beat: 1..3, 4..7, 0..3
    q.wburst({0x0E, 0xF0, 0x0F});
    q.awx(2, 0x1003, 1, 3, AXI_INCR); // full width, unaligned first beat: 3..7, 0..7
    q.wburst({0xF8, 0xFF});
    q.awx(3, 0x1008, 3, 2, AXI_WRAP); // 16-byte wrap from 0x1008: 0x1008, 0x100C, 0x1000, 0x1004
    q.wburst({0x0F, 0xF0, 0x0F, 0xF0});
    q.awx(4, 0x1006, 2, 1, AXI_FIXED); // halfwords at 0x1006
    q.wburst({0xC0, 0x40, 0x00});      // fewer bytes than the lanes is allowed
    q.awx(5, 0x1005, 1, 2, AXI_FIXED); // unaligned FIXED words: lanes 5..7 every beat
    q.wburst({0xE0, 0xE0});
    q.wburst({0x30, 0xC0}); // W ahead of its AW
    q.awx(6, 0x1004, 1, 1, AXI_INCR);
    EXPECT_TRUE(q.c.violations().empty()) << q.c.violations()[0].to_string();
}

TEST(AxiUser, LayoutIsStreamIdSubstreamIdSsv) {
    // docs/cosim.md: AxUSER[31:0] StreamID, [51:32] SubstreamID, [52] SSV
    axi_user u;
    u.sid = 0x12345678;
    u.ssid = 0xABCDE;
    u.ssv = true;
    EXPECT_EQ(axi_user_encode(u), 0x1ABCDE12345678ull);
    axi_user d = axi_user_decode(0x1ABCDE12345678ull);
    EXPECT_EQ(d.sid, 0x12345678u);
    EXPECT_EQ(d.ssid, 0xABCDEu);
    EXPECT_TRUE(d.ssv);
    EXPECT_FALSE(axi_user_decode(0x0ABCDE00000001ull).ssv);
}

TEST(RespMap, DefaultMappingIsDocumented) {
    resp_map m;
    EXPECT_EQ(m(tlm::TLM_OK_RESPONSE), AXI_OKAY);
    EXPECT_EQ(m(tlm::TLM_ADDRESS_ERROR_RESPONSE), AXI_DECERR);
    EXPECT_EQ(m(tlm::TLM_GENERIC_ERROR_RESPONSE), AXI_SLVERR);
    EXPECT_EQ(m(tlm::TLM_BURST_ERROR_RESPONSE), AXI_SLVERR);
    EXPECT_EQ(m(tlm::TLM_INCOMPLETE_RESPONSE), AXI_SLVERR);
    m.address_error = AXI_SLVERR; // configurable
    EXPECT_EQ(m(tlm::TLM_ADDRESS_ERROR_RESPONSE), AXI_SLVERR);
}

TEST(DecodeInvalidation, TlbiNhVaCarriesAsidAndPage) {
    // CMD_TLBI_NH_VA (0x12): ASID [63:48], VMID [47:32], Address[63:12] at [127:76]
    uint64_t cmd[2] = {0x12 | (uint64_t(0x1234) << 48) | (uint64_t(7) << 32),
                       0x0000000000ABC000ull | 1 /* Leaf */};
    tlb_invalidation inv;
    ASSERT_TRUE(decode_invalidation(cmd, inv));
    EXPECT_EQ(inv.op, tlb_invalidation::VA);
    EXPECT_EQ(inv.asid, 0x1234);
    EXPECT_EQ(inv.va, 0xABC000u);
}

TEST(DecodeInvalidation, RangeTlbiIsWidenedToTheAsid) {
    // TG [75:74] != 0: a range invalidation
    uint64_t cmd[2] = {0x12 | (uint64_t(5) << 48), (uint64_t(1) << 10) | 0x10000};
    tlb_invalidation inv;
    ASSERT_TRUE(decode_invalidation(cmd, inv));
    EXPECT_EQ(inv.op, tlb_invalidation::ASID);
    EXPECT_EQ(inv.asid, 5);
}

TEST(DecodeInvalidation, ScopesOfOtherCommands) {
    tlb_invalidation inv;
    uint64_t asid[2] = {0x11 | (uint64_t(9) << 48), 0};
    ASSERT_TRUE(decode_invalidation(asid, inv));
    EXPECT_EQ(inv.op, tlb_invalidation::ASID);
    EXPECT_EQ(inv.asid, 9);
    uint64_t ste[2] = {0x03 | (uint64_t(42) << 32), 0}; // CMD_CFGI_STE, StreamID [63:32]
    ASSERT_TRUE(decode_invalidation(ste, inv));
    EXPECT_EQ(inv.op, tlb_invalidation::SID);
    EXPECT_EQ(inv.sid, 42u);
    uint64_t s2[2] = {0x2A, 0x5000}; // CMD_TLBI_S2_IPA: widened to everything
    ASSERT_TRUE(decode_invalidation(s2, inv));
    EXPECT_EQ(inv.op, tlb_invalidation::ALL);
    uint64_t sync[2] = {0x46, 0}; // CMD_SYNC invalidates nothing
    EXPECT_FALSE(decode_invalidation(sync, inv));
}

int sc_main(int, char **) {
    return 0;
}
int main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
