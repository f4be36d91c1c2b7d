// SPDX-License-Identifier: Apache-2.0 OR MIT
// Stream table and STE rules (spec 3.3.2, 5.1, 5.2, 6.3.24, 6.3.25, 7.3.3-7.3.5).
#include "fixture.h"
#include "inval.h"
#include "tenc_cfg.h"

using namespace tfx;
using tenc::Ste;

namespace {

class StreamTable : public SmmuTest {};

// STE.V == 0: C_BAD_STE recorded, transaction aborted (5.2 V, 7.3.5).
TEST_F(StreamTable, InvalidSteIsCBadSte) {
    enable();
    Ste ste; // all zero: V = 0
    put_ste(3, ste.dw);
    auto r = xlate(3, 0x1000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_C_BAD_STE);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x04u);
    EXPECT_EQ(evt_sid(ev[0]), 3u);
    // C_BAD_STE carries StreamID and SSV/SubstreamID only; the rest is RES0 (7.3.5).
    EXPECT_EQ(ev[0][1], 0u);
    EXPECT_EQ(ev[0][2], 0u);
    EXPECT_EQ(ev[0][3], 0u);
}

// Config 0b000..0b011: abort with no event (5.2 Config).
TEST_F(StreamTable, ConfigAbortTerminatesSilently) {
    enable();
    for (unsigned cfg = 0; cfg < 4; cfg++) {
        put_ste(1, Ste().valid().config(cfg).dw);
        auto r = xlate(1, 0x2000);
        EXPECT_EQ(r.status, SMMU_FAULT) << cfg;
        EXPECT_TRUE(r.abort) << cfg;
    }
    EXPECT_TRUE(events().empty());
}

// Config 0b100: bypass, the output address is the input address (5.2 Config).
TEST_F(StreamTable, ConfigBypassPassesAddressThrough) {
    enable();
    put_ste(2, Ste::bypass().dw);
    auto r = xlate(2, 0x123456789ull, true);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x123456789ull);
    EXPECT_EQ(r.perm, SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X);
    EXPECT_TRUE(events().empty());
}

// Bypass with an input address beyond the OAS: abort and stage 1 F_ADDR_SIZE (3.4).
TEST_F(StreamTable, BypassBeyondOasIsAddrSizeFault) {
    params.oas_bits = 48; // the expectations below are those of a 48-bit OAS
    create();
    enable();
    put_ste(2, Ste::bypass().dw);
    auto r = xlate(2, 1ull << 48);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_ADDR_SIZE);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x11u);
    EXPECT_EQ(evt_s2(ev[0]), 0u);
    EXPECT_EQ(evt_addr(ev[0]), 1ull << 48);
}

// StreamID >= 2^LOG2SIZE: C_BAD_STREAMID when CR2.RECINVSID, silent abort otherwise (6.3.25).
TEST_F(StreamTable, StreamIdOutOfRangeRecordedOnlyWithRecinvsid) {
    enable();
    auto r = xlate(1u << sid_bits, 0);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    EXPECT_TRUE(events().empty());
    set_cr0(0);
    cr2 = 1u << 1; // RECINVSID
    enable();
    r = xlate((1u << sid_bits) + 5, 0);
    EXPECT_EQ(r.status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x02u);
    EXPECT_EQ(evt_sid(ev[0]), (1u << sid_bits) + 5);
}

// LOG2SIZE beyond IDR1.SIDSIZE is capped at SIDSIZE (6.3.25).
TEST_F(StreamTable, Log2SizeCappedAtSidsize) {
    params.sidsize = 4;
    create();
    sid_bits = 10;
    cr2 = 1u << 1; // RECINVSID
    enable();
    put_ste(20, Ste::bypass().dw);
    auto r = xlate(20, 0x1000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x02u);
}

// LOG2SIZE up to 63 aligns the linear table base to 2^(LOG2SIZE + 6) bytes (6.3.24): every
// address bit is then ignored, the table starts at 0. (Found by fuzz_tables: a shift >= 64.)
TEST_F(StreamTable, HugeLog2SizeAlignsBaseToZero) {
    enable();
    set_cr0(0);
    w32(SMMU_STRTAB_BASE_CFG, 63);
    set_cr0(SMMU_CR0_SMMUEN);
    put_words(64 * 3, Ste::bypass().dw, 8); // STE 3 of a table at PA 0
    auto r = xlate(3, 0x7000);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x7000u);
}

// An external abort fetching the STE: F_STE_FETCH with FetchAddr (7.3.4).
TEST_F(StreamTable, SteFetchAbortIsFSteFetch) {
    enable();
    put_ste(7, Ste::bypass().dw);
    smmu_mem_add_abort(mem, STRTAB + 7 * 64, 64);
    auto r = xlate(7, 0x1000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x03u);
    EXPECT_EQ(evt_sid(ev[0]), 7u);
    EXPECT_EQ(evt_fetch(ev[0]), STRTAB + 7 * 64);
}

// Linear table base: low address bits below the table size are ignored (6.3.24).
TEST_F(StreamTable, LinearBaseAlignedToTableSize) {
    enable();
    w32(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN); // SMMUEN off to reprogram the base
    w64(SMMU_STRTAB_BASE, STRTAB + 0x40 * 5);           // misaligned by 5 STEs
    w32(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    put_ste(1, Ste::bypass().dw);
    EXPECT_EQ(xlate(1, 0x5000).status, SMMU_OK);
}

// ---- 2-level stream tables (5.1, 6.3.25)

class Ste2L : public SmmuTest {
  protected:
    // 2-level table: L1 at STRTAB, SPLIT = split, LOG2SIZE = log2size.
    void enable2(unsigned split, unsigned log2size) {
        w64(SMMU_STRTAB_BASE, STRTAB);
        w32(SMMU_STRTAB_BASE_CFG, (1u << 16) | (split << 6) | log2size);
        w64(SMMU_EVENTQ_BASE, EVTQ | evtq_log2);
        w32(SMMU_EVENTQ_PROD, 0);
        w32(SMMU_EVENTQ_CONS, 0);
        w32(SMMU_CR2, 1u << 1); // RECINVSID (written while SMMUEN = 0)
        set_cr0(SMMU_CR0_EVENTQEN);
        set_cr0(SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    }
    uint64_t l2_for(unsigned l1_index, unsigned span, uint64_t l2) {
        put64(STRTAB + 8ull * l1_index, tenc::l1std(span, l2));
        return l2;
    }
};

// SPLIT 6, 8 and 10 index the L1 table by StreamID[LOG2SIZE-1:SPLIT]; first and last IDs.
TEST_F(Ste2L, ArchitectedSplitsFirstAndLastIds) {
    for (unsigned split : {6u, 8u, 10u}) {
        SCOPED_TRACE(split);
        create();
        enable2(split, 16);
        unsigned last_l1 = (1u << (16 - split)) - 1;
        uint64_t l2a = l2_for(0, split + 1, alloc(64ull << split, 64ull << split));
        uint64_t l2b = l2_for(last_l1, split + 1, alloc(64ull << split, 64ull << split));
        put_words(l2a, Ste::bypass().dw, 8);                               // sid 0
        put_words(l2b + 64ull * ((1u << split) - 1), Ste::bypass().dw, 8); // sid 0xffff
        EXPECT_EQ(xlate(0, 0x1000).status, SMMU_OK);
        EXPECT_EQ(xlate(0xFFFF, 0x2000).status, SMMU_OK);
        EXPECT_EQ(xlate(1u << split, 0x2000).status, SMMU_FAULT); // L1 index 1: Span 0
        auto ev = events();
        ASSERT_EQ(ev.size(), 1u);
        EXPECT_EQ(evt_type(ev[0]), 0x02u);
    }
}

// Reserved SPLIT values behave as 6 (6.3.25; conformance note 5).
TEST_F(Ste2L, ReservedSplitBehavesAsSix) {
    for (unsigned split : {0u, 7u, 9u, 11u, 16u, 31u}) {
        SCOPED_TRACE(split);
        create();
        enable2(split, 12);
        uint64_t l2 = l2_for(1, 7, alloc(64 * 64, 64 * 64)); // sids 64..127
        put_words(l2 + 64 * 3, Ste::bypass().dw, 8);         // sid 67
        EXPECT_EQ(xlate(67, 0x3000).status, SMMU_OK);
        EXPECT_TRUE(events().empty());
    }
}

// L1STD.Span == 0 makes its StreamIDs invalid: C_BAD_STREAMID (5.1, 7.3.3).
TEST_F(Ste2L, MissingL2IsBadStreamId) {
    enable2(8, 16);
    auto r = xlate(0x0305, 0);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x02u);
    EXPECT_EQ(evt_sid(ev[0]), 0x305u);
}

// A StreamID beyond the L2 array's Span is invalid (5.1.1).
TEST_F(Ste2L, StreamIdBeyondSpanIsBadStreamId) {
    enable2(8, 16);
    uint64_t l2 = l2_for(2, 3, alloc(64 * 4, 256)); // Span 3: 4 STEs
    put_words(l2 + 64 * 3, Ste::bypass().dw, 8);
    put_words(l2 + 64 * 4, Ste::bypass().dw, 8); // beyond the span: must not be used
    EXPECT_EQ(xlate(0x203, 0).status, SMMU_OK);
    EXPECT_EQ(xlate(0x204, 0).status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x02u);
}

// Reserved Span values (12..31) and Span > SPLIT + 1 behave as 0 (5.1).
TEST_F(Ste2L, ReservedSpanBehavesAsZero) {
    enable2(6, 12);
    uint64_t l2 = l2_for(0, 12, alloc(0x10000, 0x10000));
    put_words(l2, Ste::bypass().dw, 8);
    EXPECT_EQ(xlate(0, 0).status, SMMU_FAULT);
    l2_for(0, 8, l2); // Span 8 > SPLIT + 1 = 7
    EXPECT_EQ(xlate(0, 0).status, SMMU_FAULT);
    l2_for(0, 7, l2);
    EXPECT_EQ(xlate(0, 0).status, SMMU_OK);
}

// Abort fetching the L1 descriptor: F_STE_FETCH with the L1STD address (7.3.4).
TEST_F(Ste2L, L1FetchAbortIsFSteFetch) {
    enable2(8, 16);
    smmu_mem_add_abort(mem, STRTAB + 8 * 3, 8);
    EXPECT_EQ(xlate(0x3AB, 0).status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x03u);
    EXPECT_EQ(evt_fetch(ev[0]), STRTAB + 8 * 3);
}

// ---- STE validity (5.2 SteIllegal)

class SteIllegal : public SmmuTest {
  protected:
    void expect_bad_ste(const Ste &ste, const char *why) {
        put_ste(9, ste.dw);
        auto r = xlate(9, 0x1000);
        EXPECT_EQ(r.status, SMMU_FAULT) << why;
        EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_C_BAD_STE) << why;
        auto ev = events();
        ASSERT_EQ(ev.size(), 1u) << why;
        EXPECT_EQ(evt_type(ev[0]), 0x04u) << why;
    }
    static Ste good_s2() {
        return Ste::s2(TABLES, 0, 25, 1);
    } // 4KB, 39-bit IPA, start L1
};

// S2AA64 = 0 selects VMSAv8-32 LPAE, not implemented (IDR0.TTF = 0b10): C_BAD_STE, never a
// crash (5.2 S2AA64; conformance note 11).
TEST_F(SteIllegal, S2Aa64ZeroIsBadSte) {
    enable();
    expect_bad_ste(good_s2().s2aa64(false), "S2AA64=0");
}

TEST_F(SteIllegal, S2ReservedGranuleIsBadSte) {
    enable();
    expect_bad_ste(good_s2().s2tg(3), "S2TG=0b11");
}

TEST_F(SteIllegal, S2UnsupportedGranuleIsBadSte) {
    params.gran16k = false;
    create();
    enable();
    expect_bad_ste(Ste::s2(TABLES, 2, 25, 1), "16KB not implemented");
}

TEST_F(SteIllegal, S2T0szOutOfRangeIsBadSte) {
    enable();
    expect_bad_ste(good_s2().s2t0sz(40), "T0SZ 40 > 39");
    expect_bad_ste(good_s2().s2t0sz(15), "T0SZ 15 < 64-IAS");
}

// S2SL0 inconsistent with S2T0SZ and S2TG (more than 16 concatenated tables, or a start level
// below what the IPA size needs) (5.2 S2SL0).
TEST_F(SteIllegal, S2Sl0InconsistentIsBadSte) {
    enable();
    expect_bad_ste(good_s2().s2t0sz(16).s2sl0(0), "48-bit IPA starting at L2");
    expect_bad_ste(good_s2().s2t0sz(39).s2sl0(2), "25-bit IPA starting at L0");
}

TEST_F(SteIllegal, S2TtbBeyondPsIsBadSte) {
    enable();
    expect_bad_ste(good_s2().s2ps(0).s2ttb(1ull << 33), "S2TTB beyond a 32-bit S2PS");
}

TEST_F(SteIllegal, S2HttuWithoutHttuIsBadSte) {
    enable();
    expect_bad_ste(good_s2().s2ha(true), "S2HA with IDR0.HTTU=0");
    expect_bad_ste(good_s2().s2hd(true), "S2HD with IDR0.HTTU=0");
}

TEST_F(SteIllegal, S1CdMaxBeyondSsidsizeIsBadSte) {
    params.ssidsize = 4;
    create();
    enable();
    expect_bad_ste(Ste::s1(CDTAB, 5), "S1CDMax 5 > SSIDSIZE 4");
}

TEST_F(SteIllegal, S1FmtTwoLevelWithoutCd2lIsBadSte) {
    params.cd_2lvl = false;
    create();
    enable();
    expect_bad_ste(Ste::s1(CDTAB, 8).s1fmt(1), "S1Fmt=1 with IDR0.CD2L=0");
}

TEST_F(SteIllegal, S1StalldWithoutStallAndTerminateModelIsBadSte) {
    params.stall_model = SMMU_STALL_MODEL_TERMINATE;
    create();
    enable();
    expect_bad_ste(Ste::s1(CDTAB).s1stalld(true), "S1STALLD with STALL_MODEL=0b01");
}

TEST_F(SteIllegal, S2sWithTerminateOnlyModelIsBadSte) {
    params.stall_model = SMMU_STALL_MODEL_TERMINATE;
    create();
    enable();
    expect_bad_ste(good_s2().s2s(true), "S2S with STALL_MODEL=0b01");
}

TEST_F(SteIllegal, S2sClearWithForcedStallModelIsBadSte) {
    params.stall_model = SMMU_STALL_MODEL_STALL;
    create();
    enable();
    expect_bad_ste(good_s2(), "S2S=0 with STALL_MODEL=0b10");
}

TEST_F(SteIllegal, StageNotImplementedIsBadSte) {
    params.s2 = false;
    create();
    enable();
    expect_bad_ste(good_s2(), "stage 2 not implemented");
    params.s2 = true;
    params.s1 = false;
    create();
    enable();
    expect_bad_ste(Ste::s1(CDTAB), "stage 1 not implemented");
}

TEST_F(SteIllegal, Vmid16WithoutVmid16IsBadSte) {
    params.vmid16 = false;
    create();
    enable();
    expect_bad_ste(good_s2().s2vmid(0x100), "VMID[15:8] != 0 with 8-bit VMIDs");
}

TEST_F(SteIllegal, StrwReservedIsBadSte) {
    enable();
    expect_bad_ste(Ste::s1(CDTAB).strw(1), "STRW=0b01 in the Non-secure table");
    expect_bad_ste(Ste::s1(CDTAB).strw(3), "STRW=0b11");
}

TEST_F(SteIllegal, SplitStageAtsWithoutNestingIsBadSte) {
    enable();
    expect_bad_ste(Ste::s1(CDTAB).eats(2), "EATS=0b10 without Config=0b111");
}

TEST_F(SteIllegal, FullAtsWithS2sIsBadSte) {
    enable();
    expect_bad_ste(good_s2().eats(1).s2s(true), "EATS=0b01 with stage 2 and S2S");
}

TEST_F(SteIllegal, S1ContextPtrBeyondOasIsBadSte) {
    params.oas_bits = 48; // the expectations below are those of a 48-bit OAS
    create();
    enable();
    expect_bad_ste(Ste::s1(1ull << 48), "S1ContextPtr beyond OAS");
}

// ---- STE DW1 overrides in bypass (5.2; conformance note 9: field offsets as in the spec)

class SteOverride : public SmmuTest {
  protected:
    // A driver's STE update: write it, then CMD_CFGI_STE + CMD_SYNC (4.3.1, 3.21.3).
    void update_ste(uint32_t sid, const uint64_t ste[8]) {
        put_ste(sid, ste);
        ASSERT_TRUE(run_cmds(smmu, mem, {tenc::cfgi_ste(sid)}));
    }
};

TEST_F(SteOverride, MemAttrAndMtcfgOverrideOutputType) {
    enable();
    update_ste(4, Ste::bypass().mtcfg(true).memattr(0x1).dw); // Device-nGnRE
    auto r = xlate(4, 0x1000);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.attr, 0x04u);
    EXPECT_EQ(r.sh, 2u);                                      // Device is Outer Shareable
    update_ste(4, Ste::bypass().mtcfg(true).memattr(0xF).dw); // Normal WB/WB
    r = xlate(4, 0x1000);
    EXPECT_EQ(r.attr, 0xFFu);
    update_ste(4, Ste::bypass().mtcfg(true).memattr(0x8).dw); // Reserved: Device-nGnRnE
    r = xlate(4, 0x1000);
    EXPECT_EQ(r.attr, 0x00u);
    update_ste(4, Ste::bypass().mtcfg(false).memattr(0x1).dw); // MTCFG=0: incoming kept
    r = xlate(4, 0x1000);
    EXPECT_EQ(r.attr, 0xFFu);
}

TEST_F(SteOverride, ShcfgOverridesShareability) {
    enable();
    const unsigned expect[4] = {0, 3 /* incoming: ISH */, 2, 3};
    for (unsigned v = 0; v < 4; v++) {
        update_ste(4, Ste::bypass().shcfg(v).dw);
        auto r = xlate(4, 0x1000);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_EQ(r.sh, expect[v]) << v;
    }
}

TEST_F(SteOverride, AlloccfgReplacesAllocationHints) {
    enable();
    put_ste(4, Ste::bypass().alloccfg(0x8).dw); // 0b1000: no read/write allocate
    auto r = xlate(4, 0x1000);
    EXPECT_EQ(r.attr, 0xCCu);
}

} // namespace
