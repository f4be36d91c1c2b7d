// SPDX-License-Identifier: Apache-2.0 OR MIT
// The translation procedure as a whole (spec 3.3, 3.4, 3.11 GBPA, 5.2 overrides, nested CD
// fetch through stage 2) and conformance notes 8 and 12.
#include "inval.h"
#include "tpt.h"
#include "tenc_cfg.h"

using namespace tfx;
using tenc::Cd;
using tenc::Desc;
using tenc::Ste;

namespace {

class Gbpa : public SmmuTest {};

// After reset SMMUEN = 0 and GBPA.ABORT = 0: traffic bypasses, no event (3.11, 6.3.14).
TEST_F(Gbpa, DisabledSmmuBypassesByDefault) {
    auto r = xlate(12345, 0xdead0000, true);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0xdead0000u);
}

// GBPA.ABORT = 1 (written with Update): every transaction aborts, no event (6.3.14).
TEST_F(Gbpa, AbortTerminatesWithoutEvent) {
    w32(SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    EXPECT_EQ(r32(SMMU_GBPA) & SMMU_GBPA_UPDATE, 0u);
    auto r = xlate(1, 0x1000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    EXPECT_EQ(r.recorded, false);
}

// A GBPA write without Update has no effect (6.3.14).
TEST_F(Gbpa, WriteWithoutUpdateIsIgnored) {
    w32(SMMU_GBPA, SMMU_GBPA_ABORT);
    EXPECT_EQ(xlate(1, 0x1000).status, SMMU_OK);
}

// GBPA attribute overrides apply to bypassing traffic: MTCFG/MemAttr, SHCFG (6.3.14).
TEST_F(Gbpa, AttributeOverridesApply) {
    uint32_t g = SMMU_GBPA_UPDATE | (1u << 4) /* MTCFG */ | 0x1 /* Device-nGnRE */ |
                 (2u << 12) /* SHCFG outer */;
    w32(SMMU_GBPA, g);
    auto r = xlate(1, 0x1000);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.attr, 0x04u);
    EXPECT_EQ(r.sh, 2u);
}

// Disabled bypass beyond the OAS aborts with no event (3.4).
TEST_F(Gbpa, BypassBeyondOasAborts) {
    params.oas_bits = 48; // the expectations below are those of a 48-bit OAS
    create();
    auto r = xlate(1, 1ull << 50);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    EXPECT_FALSE(r.recorded);
}

class Xlate : public PtTest {
  protected:
    void SetUp() override {
        PtTest::SetUp();
        enable();
    }
};

// STE.PRIVCFG and INSTCFG override the incoming attributes used by permission checks, and the
// event reports the post-override PnU / InD (5.2, 7.3.16).
TEST_F(Xlate, PrivcfgOverridesPrivilege) {
    uint64_t root = new_table(12);
    map4k(root, 0x40000000, 0x80000000, Desc().ap(0)); // privileged read/write only
    put_words(CDTAB, Cd::s1(root).dw, 8);
    put_ste(1, Ste::s1(CDTAB).privcfg(3).dw); // privileged
    EXPECT_EQ(xlate(1, 0x40000000, false, false).status, SMMU_OK);
    put_ste(1, Ste::s1(CDTAB).privcfg(2).dw);              // unprivileged
    ASSERT_TRUE(run_cmds(smmu, mem, {tenc::cfgi_ste(1)})); // STE changed: CFGI + SYNC (4.3.1)
    EXPECT_EQ(xlate(1, 0x40000000, false, true).status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x13u);
    EXPECT_EQ(evt_pnu(ev[0]), 0u);
}

TEST_F(Xlate, InstcfgOverridesInstructionFetch) {
    uint64_t root = new_table(12);
    map4k(root, 0x40000000, 0x80000000, Desc().ap(1).uxn(true)); // EL0 RW, not executable
    put_words(CDTAB, Cd::s1(root).dw, 8);
    put_ste(1, Ste::s1(CDTAB).instcfg(3).dw); // instruction
    EXPECT_EQ(xlate(1, 0x40000000).status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x13u);
    EXPECT_EQ(evt_ind(ev[0]), 1u);
    EXPECT_EQ(evt_rnw(ev[0]), 1u);
    put_ste(1, Ste::s1(CDTAB).instcfg(2).dw);              // data
    ASSERT_TRUE(run_cmds(smmu, mem, {tenc::cfgi_ste(1)})); // STE changed: CFGI + SYNC (4.3.1)
    EXPECT_EQ(xlate(1, 0x40000000, false, false, true).status, SMMU_OK);
}

// Nested: the CD address is an IPA; a stage-2 fault fetching it reports S2 = 1, CLASS = CD and
// the IPA (3.3.2, 7.3.13).
TEST_F(Xlate, NestedCdFetchStage2FaultIsClassCd) {
    uint64_t s2root = new_table(12);
    // stage 2: 4KB granule, 39-bit IPA, start level 1; nothing mapped.
    Ste ste = Ste::s2(s2root, 0, 25, 1).config(tenc::CFG_NESTED).s1ctxptr(0x7000000);
    put_ste(1, ste.dw);
    auto r = xlate(1, 0x1000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x10u);
    EXPECT_EQ(evt_s2(ev[0]), 1u);
    EXPECT_EQ(evt_class(ev[0]), 0u); // CD
    EXPECT_EQ(evt_ipa(ev[0]), 0x7000000u);
    EXPECT_EQ(evt_addr(ev[0]), 0x1000u);
}

// Nested: a CD at an IPA that stage 2 maps is fetched from the PA (3.3.2).
TEST_F(Xlate, NestedCdFetchedThroughStage2) {
    // Counts the reads of uncached walks: no walk or IPA cache to reuse stage-2 descriptors.
    params.cache[SMMU_CACHE_WALK].enable = false;
    params.cache[SMMU_CACHE_IPA].enable = false;
    create();
    enable();
    uint64_t s2root = new_table(12);
    uint64_t s1root = new_table(12);
    // stage 1 maps VA 0x40000000 -> IPA 0x50000000; every IPA used maps to the same PA.
    map4k(s1root, 0x40000000, 0x50000000);
    uint64_t cd_pa = alloc(0x1000);
    put_words(cd_pa, Cd::s1(0x20000000 /* IPA of s1 root */).dw, 8);
    auto s2map = [&](uint64_t ipa, uint64_t pa) {
        map(s2root, 12, 1, ipa, Desc::page(pa).s2ap(3).memattr(0xF).sh(3));
    };
    s2map(0x7000000, cd_pa);
    // stage-1 tables: map the IPA pages of all four levels to the PAs map4k allocated.
    uint64_t t = s1root;
    uint64_t ipa_base = 0x20000000;
    for (unsigned level = 0; level < 4; level++) {
        s2map(ipa_base + 0x1000ull * level, t);
        uint64_t idx = (0x40000000ull >> tenc::level_shift(12, level)) & 0x1ff;
        uint64_t d = get64(t + 8 * idx);
        if (level < 3) {
            uint64_t next = d & 0x0000FFFFFFFFF000ull;
            // Re-point the table descriptor at the next table's IPA.
            put64(t + 8 * idx, Desc::table(ipa_base + 0x1000ull * (level + 1)).v);
            t = next;
        }
    }
    s2map(0x50000000, 0x88000000);
    put_ste(1, Ste::s2(s2root, 0, 25, 1).config(tenc::CFG_NESTED).s1ctxptr(0x7000000).dw);
    auto r = xlate(1, 0x40000abc);
    ASSERT_EQ(r.status, SMMU_OK) << r.event;
    EXPECT_EQ(r.pa, 0x88000abcu);
    // STE 1; CD: stage-2 walk of its IPA (3 levels) + CD 1; stage 1: 4 levels, each table IPA
    // walked at stage 2 (3) + the descriptor (1); the output IPA at stage 2: 3.
    EXPECT_EQ(r.mem_reads, 1 + 3 + 1 + 4 * (3 + 1) + 3);
}

// A transaction crossing a page boundary, a stage-1 page larger than its stage-2 page, and an
// invalid STE end in an architectural answer, never in a crash (conformance note 8); span
// reports the smaller page so a bus wrapper can split.
TEST_F(Xlate, PageCrossingAndMixedPageSizesReportSpan) {
    uint64_t s2root = new_table(12);
    uint64_t s1root = new_table(12);
    // stage 1: a 2MB block VA 0x40000000 -> IPA 0x60000000 (identity-mapped tables by S2).
    map(s1root, 12, 0, 0x40000000, Desc::block(0x60000000).ap(1), 2);
    put_words(CDTAB, Cd::s1(s1root).dw, 8);
    // stage 2: identity for the table pages and the CD, 4KB pages for the data.
    for (uint64_t pa = TABLES; pa < next_table + 0x4000; pa += 0x1000)
        map(s2root, 12, 1, pa, Desc::page(pa).s2ap(3).memattr(0xF));
    map(s2root, 12, 1, CDTAB, Desc::page(CDTAB).s2ap(3).memattr(0xF));
    map(s2root, 12, 1, 0x60001000, Desc::page(0x90000000).s2ap(3).memattr(0xF));
    put_ste(1, Ste::s2(s2root, 0, 25, 1).config(tenc::CFG_NESTED).s1ctxptr(CDTAB).dw);
    smmu_txn_t t{};
    t.sid = 1;
    t.addr = 0x40001ff8;
    t.len = 16; // crosses into the next 4KB page
    smmu_result_t r{};
    smmu_translate(smmu, &t, &r);
    ASSERT_EQ(r.status, SMMU_OK) << r.event;
    EXPECT_EQ(r.pa, 0x90000ff8u);
    EXPECT_EQ(r.span, 0x1000u); // the stage-2 page, not the stage-1 block
    t.addr = 0x40002000;        // next page: unmapped at stage 2
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_FAULT);
    put_ste(2, Ste().dw); // invalid STE
    t.sid = 2;
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_C_BAD_STE);
}

// smmu.h: an OK result's span is a power of two of at least 4 KB, never 0, whatever answered:
// global bypass (GBPA), an STE bypass, stage 1 with a block, a debug translation, and an ATS
// Translated transaction with CR0.ATSCHK == 0.
TEST_F(Xlate, SpanIsAPowerOfTwoOfAtLeast4KWhenOk) {
    auto check = [](const smmu_result_t &r, const char *what) {
        ASSERT_EQ(r.status, SMMU_OK) << what;
        EXPECT_GE(r.span, 0x1000u) << what;
        EXPECT_EQ(r.span & (r.span - 1), 0u) << what;
    };
    smmu_txn_t t{};
    t.len = 4;
    smmu_result_t r{};
    set_cr0(0); // SMMUEN = 0: GBPA bypass
    t.addr = 0x12345678;
    smmu_translate(smmu, &t, &r);
    check(r, "global bypass");
    enable();
    put_ste(1, Ste::bypass().dw);
    t.sid = 1;
    check(xlate(1, 0x12345678), "STE bypass");
    uint64_t root = new_table(12);
    map(root, 12, 0, 0x40000000, Desc::block(0x80000000).ap(1), 2);
    put_words(CDTAB, Cd::s1(root).dw, 8);
    put_ste(2, Ste::s1(CDTAB).dw);
    smmu_result_t b = xlate(2, 0x40012345);
    check(b, "stage-1 block");
    EXPECT_EQ(b.span, 0x200000u);
    t.sid = 2;
    t.addr = 0x40012345;
    smmu_translate_dbg(smmu, &t, &r);
    check(r, "debug");
    t.sid = 1;
    t.ats = SMMU_ATS_TRANSLATED;
    smmu_translate(smmu, &t, &r);
    check(r, "ATS Translated, ATSCHK == 0");
}

// Statistics count translations and faults by event number.
TEST_F(Xlate, StatisticsCountFaultsByEvent) {
    put_ste(1, Ste::bypass().dw);
    xlate(1, 0x1000);
    xlate(2, 0x1000); // V = 0
    smmu_stats_t st;
    smmu_get_stats(smmu, &st);
    EXPECT_EQ(st.translations, 2u);
    EXPECT_EQ(st.ok, 1u);
    EXPECT_EQ(st.faults, 1u);
    EXPECT_EQ(st.by_event[SMMU_EVT_C_BAD_STE], 1u);
    EXPECT_STREQ(smmu_event_name(SMMU_EVT_C_BAD_STE), "C_BAD_STE");
}

} // namespace
