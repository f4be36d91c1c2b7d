// SPDX-License-Identifier: Apache-2.0 OR MIT
// Context descriptors and substreams (spec 5.2 S1Fmt/S1CDMax/S1DSS, 5.3, 5.4, 5.5, 7.3.7,
// 7.3.9-7.3.11).
#include "inval.h"
#include "tpt.h"
#include "tenc_cfg.h"

using namespace tfx;
using tenc::Cd;
using tenc::Desc;
using tenc::Ste;

namespace {

class CdTest : public PtTest {
  protected:
    uint64_t root = 0;
    // One stage-1 table mapping VA 0x4000_0000 -> pa, non-global (nG = 1): a per-substream
    // address space, whose TLB entries are tagged with the CD's ASID (3.17.1).
    uint64_t space(uint64_t pa) {
        uint64_t r = new_table(12);
        map4k(r, 0x40000000, pa, tenc::Desc().ap(1).ng(true));
        return r;
    }
    void SetUp() override {
        PtTest::SetUp();
        enable();
    }
    void expect_event(uint32_t type, const char *why) {
        auto ev = events();
        ASSERT_EQ(ev.size(), 1u) << why;
        EXPECT_EQ(evt_type(ev[0]), type) << why;
    }
};

// A stage-1 stream with one CD translates through TTB0 (5.4).
TEST_F(CdTest, SingleCdTranslates) {
    s1_stream(1, CDTAB, Cd::s1(space(0x80000000)));
    auto r = xlate(1, 0x40000123);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x80000123u);
    EXPECT_EQ(r.span, 0x1000u);
    EXPECT_TRUE(events().empty());
}

// Linear CD table: SubstreamID n selects CD n (5.2 S1Fmt = 0b00).
TEST_F(CdTest, LinearTableIndexedBySubstreamId) {
    put_ste(1, Ste::s1(CDTAB, 4).s1dss(2).dw);
    for (uint32_t ssid : {1u, 7u, 15u}) {
        Cd cd = Cd::s1(space(0x80000000 + 0x100000ull * ssid), 16, tenc::TG0_4K, ssid);
        put_words(CDTAB + 64ull * ssid, cd.dw, 8);
    }
    for (uint32_t ssid : {1u, 7u, 15u}) {
        auto r = xlate(1, 0x40000008, false, false, false, true, ssid);
        ASSERT_EQ(r.status, SMMU_OK) << ssid;
        EXPECT_EQ(r.pa, 0x80000008 + 0x100000ull * ssid);
    }
}

// 2-level CD tables with 4KB leaves (64 CDs) and 64KB leaves (1024 CDs): the first and last
// SubstreamIDs of the space (5.2 S1Fmt, 5.3).
TEST_F(CdTest, TwoLevelTablesFirstAndLastSubstream) {
    struct Case {
        unsigned fmt, cdmax, leaf_bits;
    };
    for (Case c : {Case{1, 10, 6}, Case{2, 14, 10}, Case{1, 20, 6}}) {
        SCOPED_TRACE(c.fmt * 100 + c.cdmax);
        ASSERT_TRUE(invalidate_all(smmu, mem)); // sid 2 is reconfigured for each case
        uint64_t l1 = alloc(8ull << (c.cdmax - c.leaf_bits), 0x10000);
        put_ste(2, Ste::s1(l1, c.cdmax).s1fmt(c.fmt).s1dss(2).dw);
        uint32_t last = (1u << c.cdmax) - 1;
        for (uint32_t ssid : {1u, last}) {
            uint64_t leaf = alloc(64ull << c.leaf_bits, 64ull << c.leaf_bits);
            put64(l1 + 8ull * (ssid >> c.leaf_bits), tenc::l1cd(true, leaf));
            // distinct ASIDs: distinct address spaces (3.17)
            Cd cd = Cd::s1(space(0x90000000 + 0x1000ull * (ssid & 0xff)), 16, tenc::TG0_4K,
                           2 + (ssid & 0xff));
            put_words(leaf + 64ull * (ssid & ((1u << c.leaf_bits) - 1)), cd.dw, 8);
            auto r = xlate(2, 0x40000010, false, false, false, true, ssid);
            ASSERT_EQ(r.status, SMMU_OK) << ssid;
            EXPECT_EQ(r.pa, 0x90000010 + 0x1000ull * (ssid & 0xff));
        }
        EXPECT_TRUE(events().empty());
    }
}

// L1CD.V == 0: C_BAD_SUBSTREAMID (7.3.9).
TEST_F(CdTest, MissingL2CdTableIsBadSubstreamId) {
    uint64_t l1 = alloc(0x2000, 0x2000);
    put_ste(2, Ste::s1(l1, 10).s1fmt(1).s1dss(2).dw);
    auto r = xlate(2, 0x40000000, false, false, false, true, 130);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x08u);
    EXPECT_EQ(evt_ssid(ev[0]), 130u);
}

// A SubstreamID where substreams are disabled, out of range, or on a stream without stage 1:
// C_BAD_SUBSTREAMID (5.2 S1CDMax, 7.3.9).
TEST_F(CdTest, SubstreamIdRulesGiveBadSubstreamId) {
    s1_stream(1, CDTAB, Cd::s1(space(0x80000000))); // S1CDMax 0
    xlate(1, 0x40000000, false, false, false, true, 1);
    expect_event(0x08, "S1CDMax 0 with SSV");
    put_ste(3, Ste::s1(CDTAB, 2).dw);
    xlate(3, 0x40000000, false, false, false, true, 4);
    expect_event(0x08, "SubstreamID >= 2^S1CDMax");
    put_ste(4, Ste::bypass().dw);
    xlate(4, 0x40000000, false, false, false, true, 0);
    expect_event(0x08, "stage 1 disabled");
}

TEST_F(CdTest, SubstreamWithoutSsidsizeIsBadSubstreamId) {
    params.ssidsize = 0;
    create();
    enable();
    s1_stream(1, CDTAB, Cd::s1(space(0x80000000)));
    xlate(1, 0x40000000, false, false, false, true, 0);
    expect_event(0x08, "IDR1.SSIDSIZE 0");
}

// S1DSS for transactions without a SubstreamID when substreams are enabled (5.2 S1DSS).
TEST_F(CdTest, S1dssTerminateIsStreamDisabled) {
    put_ste(1, Ste::s1(CDTAB, 3).s1dss(0).dw);
    auto r = xlate(1, 0x40000000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    expect_event(0x06, "S1DSS 0b00");
    put_ste(1, Ste::s1(CDTAB, 3).s1dss(3).dw);
    xlate(1, 0x40000000);
    expect_event(0x06, "S1DSS 0b11 behaves as 0b00");
}

TEST_F(CdTest, S1dssBypassSkipsStageOne) {
    put_ste(1, Ste::s1(CDTAB, 3).s1dss(1).dw);
    auto r = xlate(1, 0x40000abc);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x40000abcu);
}

TEST_F(CdTest, S1dssSubstreamZeroUsesCdZeroAndReservesIt) {
    put_ste(1, Ste::s1(CDTAB, 3).s1dss(2).dw);
    put_words(CDTAB, Cd::s1(space(0x81000000)).dw, 8);
    auto r = xlate(1, 0x40000004);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x81000004u);
    r = xlate(1, 0x40000004, false, false, false, true, 0);
    EXPECT_EQ(r.status, SMMU_FAULT);
    expect_event(0x06, "SubstreamID 0 with S1DSS 0b10");
}

// CD.V == 0: C_BAD_CD (5.4 V, 7.3.11).
TEST_F(CdTest, InvalidCdIsBadCd) {
    s1_stream(1, CDTAB, Cd::s1(space(0x80000000)).valid(false));
    auto r = xlate(1, 0x40000000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    expect_event(0x0A, "V=0");
}

// Abort fetching the CD: F_CD_FETCH with FetchAddr (7.3.10).
TEST_F(CdTest, CdFetchAbortIsFCdFetch) {
    s1_stream(1, CDTAB + 0x40, Cd::s1(space(0x80000000)));
    smmu_mem_add_abort(mem, CDTAB + 0x40, 64);
    EXPECT_EQ(xlate(1, 0x40000000).status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x09u);
    EXPECT_EQ(evt_fetch(ev[0]), CDTAB + 0x40);
}

class CdIllegal : public CdTest {
  protected:
    void expect_bad_cd(const Cd &cd, const char *why) {
        s1_stream(5, CDTAB, cd);
        auto r = xlate(5, 0x40000000);
        EXPECT_EQ(r.status, SMMU_FAULT) << why;
        EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_C_BAD_CD) << why;
        expect_event(0x0A, why);
    }
    Cd good() {
        return Cd::s1(space(0x80000000));
    }
};

TEST_F(CdIllegal, TxszOutOfRangeIsBadCd) {
    expect_bad_cd(good().t0sz(15), "T0SZ 15 < 16");
    expect_bad_cd(good().t0sz(40), "T0SZ 40 > 39");
    expect_bad_cd(good().epd1(false).tg1(tenc::TG1_4K).t1sz(12), "T1SZ 12 with EPD1 = 0");
}

TEST_F(CdIllegal, ReservedOrUnsupportedGranuleIsBadCd) {
    expect_bad_cd(good().tg0(3), "TG0 0b11 reserved");
    expect_bad_cd(good().epd1(false).t1sz(16).tg1(0), "TG1 0b00 reserved with EPD1 = 0");
}

TEST_F(CdIllegal, UnimplementedGranuleIsBadCd) {
    params.gran64k = false;
    params.oas_bits = 48; // OAS 52 needs GRAN64K or DS (6.3.6)
    create();
    enable();
    expect_bad_cd(good().tg0(tenc::TG0_64K).t0sz(22), "64KB granule not implemented");
}

TEST_F(CdIllegal, TtbBeyondIpsIsBadCd) {
    expect_bad_cd(good().ips(0).ttb0(1ull << 32), "TTB0 beyond a 32-bit IPS");
}

TEST_F(CdIllegal, Aa32TablesAreBadCd) {
    expect_bad_cd(good().aa64(false), "AA64 = 0 with IDR0.TTF = AArch64 only");
}

TEST_F(CdIllegal, HttuWithoutHttuIsBadCd) {
    expect_bad_cd(good().ha(true), "HA with IDR0.HTTU = 0");
    expect_bad_cd(good().hd(true), "HD with IDR0.HTTU = 0");
}

TEST_F(CdIllegal, Asid16WithoutAsid16IsBadCd) {
    params.asid16 = false;
    create();
    enable();
    expect_bad_cd(good().asid(0x1ff), "ASID[15:8] != 0 with 8-bit ASIDs");
}

TEST_F(CdIllegal, BigEndianWithLittleOnlyIsBadCd) {
    params.ttendian_mixed = false;
    create();
    enable();
    expect_bad_cd(good().endi(true), "ENDI with TTENDIAN little-endian only");
}

TEST_F(CdIllegal, StallWhenStalldIsBadCd) {
    put_words(CDTAB, good().s(true).dw, 8);
    put_ste(5, Ste::s1(CDTAB).s1stalld(true).dw);
    xlate(5, 0x40000000);
    expect_event(0x0A, "CD.S with STE.S1STALLD");
}

TEST_F(CdIllegal, StallWithTerminateModelIsBadCd) {
    params.stall_model = SMMU_STALL_MODEL_TERMINATE;
    create();
    enable();
    expect_bad_cd(good().s(true), "CD.S with STALL_MODEL 0b01");
}

TEST_F(CdIllegal, NoStallWithForcedStallModelIsBadCd) {
    params.stall_model = SMMU_STALL_MODEL_STALL;
    create();
    enable();
    expect_bad_cd(good().s(false), "CD.S = 0 with STALL_MODEL 0b10");
}

// EPD1 = 1 makes T1SZ/TG1/TTB1 IGNORED: Linux writes T1SZ = 0, TG1 = 0 (5.4 EPD1).
TEST_F(CdTest, DisabledTtb1FieldsAreIgnored) {
    s1_stream(1, CDTAB, Cd::s1(space(0x80000000)).t1sz(0).tg1(0).ttb1(1ull << 56));
    EXPECT_EQ(xlate(1, 0x40000000).status, SMMU_OK);
}

// ---- fault configuration (5.5)

// CD.R = 0 suppresses the record of a translation fault, not the termination (conformance 10).
TEST_F(CdTest, RecordSuppressedButTransactionStillTerminated) {
    s1_stream(1, CDTAB, Cd::s1(space(0x80000000)).r(false));
    auto r = xlate(1, 0x50000000); // unmapped
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_TRANSLATION);
    EXPECT_TRUE(events().empty());
}

// CD.A = 0: terminated RAZ/WI rather than with an abort (5.5 A).
TEST_F(CdTest, AbortClearTerminatesRazWi) {
    s1_stream(1, CDTAB, Cd::s1(space(0x80000000)).a(false));
    auto r = xlate(1, 0x50000000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_FALSE(r.abort);
    expect_event(0x10, "R = 1: recorded");
}

// CD.S = 1: the transaction stalls with a STAG and the event says Stall = 1 even with R = 0
// (5.5 S).
TEST_F(CdTest, StallRecordsStagEvenWithoutR) {
    s1_stream(1, CDTAB, Cd::s1(space(0x80000000)).s(true).r(false));
    auto r = xlate(1, 0x50000000, true);
    EXPECT_EQ(r.status, SMMU_STALLED);
    EXPECT_EQ(smmu_stalls_pending(smmu), 1u);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x10u);
    EXPECT_EQ(evt_stall(ev[0]), 1u);
    EXPECT_EQ(evt_stag(ev[0]), r.stag);
    EXPECT_EQ(evt_rnw(ev[0]), 0u);
}

} // namespace
