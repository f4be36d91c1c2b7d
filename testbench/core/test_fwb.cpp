// SPDX-License-Identifier: Apache-2.0 OR MIT
// Stage-2 forced write-back (FWB): SMMU_IDR3.FWB (6.3.4), STE.S2FWB (5.2), the attribute
// transformation of 13.1.6, 13.4.3 and 13.5 with the VMSA behaviour of HCR_EL2.FWB == 1 (Arm ARM
// D8.6.6, Tables D8-100 and D8-101; shareability D8.6.7). No FEAT_MTE_PERM (IDR3.MTEPERM == 0),
// so MemAttr[3] is RES0.
//
// Expected attributes are MAIR-format bytes written from the tables (tenc_desc.h MAIR_*; the
// byte is outer policy in [7:4], inner in [3:0]: 0x4 Non-cacheable, 0b10RW Write-Through,
// 0b11RW Write-Back, R/W the allocation hints), never computed by the core's functions.
// Shareability: 0 Non-shareable, 2 Outer, 3 Inner (smmu_result_t.sh).
#include <iterator>
#include <vector>

#include "inval.h"
#include "nested_fixture.h"

using namespace twalk;

namespace {

constexpr uint64_t VA_ROWS = 0x0000002000000000ull; // stage-1 pages of the attribute rows
constexpr uint64_t PA_OUT = 0x000000ABC0000000ull;

// The stage-1 attributes every row combines with (CD.MAIR bytes 0..6).
const std::vector<uint8_t> S1 = {
    0x00, // Device-nGnRnE
    0x04, // Device-nGnRE
    0x44, // Normal Non-cacheable
    0xAA, // Normal Write-Through, Read-Allocate, no Write-Allocate
    0xFF, // Normal Write-Back, Read-Allocate, Write-Allocate
    0xEE, // Normal Write-Back, Read-Allocate, no Write-Allocate
    0x4E, // Normal Outer Non-cacheable, Inner Write-Back Read-Allocate
};

uint64_t mair_of(const std::vector<uint8_t> &attrs) {
    uint64_t m = 0;
    for (size_t i = 0; i < attrs.size(); i++)
        m |= (uint64_t)attrs[i] << (8 * i);
    return m;
}

// Nested stream (stage 1 + stage 2); stage-2 MemAttr m maps IPA [(8 + m) GB, (9 + m) GB) with a
// 1GB block; stage-1 page (m, a) maps a VA to that block with CD.MAIR attribute a.
class Fwb : public Nested {
  protected:
    static uint64_t va_of(unsigned m, unsigned a) {
        return VA_ROWS + (m * 16ull + a) * 0x1000;
    }
    static uint64_t ipa_of(unsigned m, unsigned a) {
        return (8 + m) * GB + a * 0x1000ull;
    }
    void setup(bool s2fwb, Ste ste = Ste()) {
        build_s2();
        build_s1();
        for (unsigned m = 0; m < 16; m++) {
            map(s2t, ipa_of(m, 0), 1, Desc::block(PA_OUT).memattr(m).s2ap(3).sh(3));
            for (unsigned a = 0; a < S1.size(); a++)
                map(s1t, va_of(m, a), 3, Desc::page(ipa_of(m, a)).ap(1).attrindx(a).sh(3));
        }
        start(ste.s2fwb(s2fwb));
        put_words(tfx::CDTAB, Cd::s1(s1t.root).mair(mair_of(S1)).dw, 8);
    }
    // The output attribute of stage-2 MemAttr m with each stage-1 attribute of S1, translated
    // twice: the second answer comes from the TLB and must be the same.
    void expect_row(unsigned m, const std::vector<uint8_t> &want) {
        ASSERT_EQ(want.size(), S1.size());
        for (unsigned a = 0; a < S1.size(); a++) {
            for (int pass = 0; pass < 2; pass++) {
                auto r = xlate(sid, va_of(m, a) | 0x123);
                ASSERT_EQ(r.status, SMMU_OK) << "event " << std::hex << r.event;
                EXPECT_EQ(r.pa, PA_OUT + a * 0x1000ull + 0x123);
                EXPECT_EQ(r.attr, want[a]) << std::hex << "MemAttr 0x" << m << " stage 1 0x"
                                           << unsigned(S1[a]) << " pass " << pass;
                EXPECT_EQ(r.tlb_hit, pass == 1);
            }
        }
    }
};

} // namespace

// ---- Table D8-100: MemAttr[2] == 0 gives Device<MemAttr[1:0]>, combined with stage 1 as
// Device is combined without FWB (R GSDKZ, Table D8-97): the more restrictive Device wins.
TEST_F(Fwb, S2MemAttr0xxIsDeviceCombinedWithStage1_D8_6_6) {
    setup(true);
    //                   00    04    44    AA    FF    EE    4E
    expect_row(0b0000, {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
    expect_row(0b0001, {0x00, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04});
    expect_row(0b0010, {0x00, 0x04, 0x08, 0x08, 0x08, 0x08, 0x08});
    expect_row(0b0011, {0x00, 0x04, 0x0C, 0x0C, 0x0C, 0x0C, 0x0C});
}

// Table D8-101, MemAttr[3:2] == 0b01, [1:0] == 0b01: Device stays Device, every Normal stage 1
// becomes Normal Non-cacheable.
TEST_F(Fwb, S2MemAttr101ForcesNonCacheableUnlessStage1Device_D8_6_6) {
    setup(true);
    expect_row(0b0101, {0x00, 0x04, 0x44, 0x44, 0x44, 0x44, 0x44});
}

// Table D8-101, [1:0] == 0b10: Normal Write-Back whatever stage 1 says; a level stage 1 made
// cacheable keeps stage 1's allocation hints (R THYXB), any other is Read-Allocate,
// Write-Allocate (R TBQKG): WT RA -> WB RA; oNC iWB-RA -> oWB-RWA iWB-RA.
TEST_F(Fwb, S2MemAttr110ForcesWriteBack_D8_6_6) {
    setup(true);
    expect_row(0b0110, {0xFF, 0xFF, 0xFF, 0xEE, 0xFF, 0xEE, 0xFE});
}

// Table D8-101, [1:0] == 0b11: the stage-1 memory type and cacheability, unchanged.
TEST_F(Fwb, S2MemAttr111UsesStage1Attribute_D8_6_6) {
    setup(true);
    expect_row(0b0111, {0x00, 0x04, 0x44, 0xAA, 0xFF, 0xEE, 0x4E});
}

// Table D8-101, MemAttr[2:0] == 0b100: Reserved (CONSTRAINED UNPREDICTABLE); the model's choice
// is Device-nGnRnE, as the SMMU answers Reserved STE.MemAttr encodings (5.2 MemAttr).
TEST_F(Fwb, S2MemAttr100ReservedBehavesAsDeviceNGnRnE_D8_6_6) {
    setup(true);
    expect_row(0b0100, {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
}

// D8.6.6 (no FEAT_MTE_PERM): MemAttr[3] is RES0, so 0b1xxx means what 0b0xxx means (also the
// SMMU's 3.23.1 table for 0b1111/0b1110 with MTEPERM).
TEST_F(Fwb, S2MemAttrBit3IsRes0_D8_6_6) {
    setup(true);
    expect_row(0b1000, {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
    expect_row(0b1001, {0x00, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04});
    expect_row(0b1010, {0x00, 0x04, 0x08, 0x08, 0x08, 0x08, 0x08});
    expect_row(0b1011, {0x00, 0x04, 0x0C, 0x0C, 0x0C, 0x0C, 0x0C});
    expect_row(0b1100, {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
    expect_row(0b1101, {0x00, 0x04, 0x44, 0x44, 0x44, 0x44, 0x44});
    expect_row(0b1110, {0xFF, 0xFF, 0xFF, 0xEE, 0xFF, 0xEE, 0xFE});
    expect_row(0b1111, {0x00, 0x04, 0x44, 0xAA, 0xFF, 0xEE, 0x4E});
}

// STE.S2FWB == 0 with IDR3.FWB == 1: Table D8-96 and the combining of D8.6.5 (Tables D8-97,
// D8-98): MemAttr 0b0110 is oNC iWT, 0b0111 oNC iWB, not forced.
TEST_F(Fwb, S2FwbZeroKeepsTableD8_96_D8_6_5) {
    setup(false);
    // Stage 1 Device, NC and WB (RWA) only: the hints of a stage-1 WB meeting a stage-2 WT are
    // stage 1's (13.4.3), RWA here.
    auto r = [&](unsigned m, unsigned a) { return xlate(sid, va_of(m, a)).attr; };
    EXPECT_EQ(r(0b0110, 0), 0x00);
    EXPECT_EQ(r(0b0110, 2), 0x44);
    EXPECT_EQ(r(0b0110, 4), 0x4B);
    EXPECT_EQ(r(0b0111, 4), 0x4F);
    EXPECT_EQ(r(0b0101, 0), 0x00);
    EXPECT_EQ(r(0b1111, 2), 0x44);
    EXPECT_EQ(r(0b1111, 4), 0xFF);
    EXPECT_EQ(r(0b0001, 4), 0x04);
}

// ---- IDR3.FWB == 0: STE.S2FWB is RES0 (6.3.4): ignored, not ILLEGAL; Table D8-96 applies.
class FwbOff : public Fwb {
  protected:
    void configure(smmu_params_t &p) override {
        p.fwb = false;
    }
};

TEST_F(FwbOff, S2FwbIsRes0WhenIdr3FwbIsZero_6_3_4) {
    EXPECT_EQ((r32(SMMU_IDR3) >> 8) & 1, 0u); // IDR3.FWB, bit [8]
    setup(true);
    auto r = xlate(sid, va_of(0b0110, 4));
    ASSERT_EQ(r.status, SMMU_OK) << "event " << std::hex << r.event;
    EXPECT_EQ(r.attr, 0x4B); // oNC iWT (Table D8-96), not a forced Write-Back
    EXPECT_EQ(xlate(sid, va_of(0b0111, 4)).attr, 0x4F);
    EXPECT_EQ(xlate(sid, va_of(0b0101, 4)).attr, 0x44);
    EXPECT_TRUE(events().empty());
}

// An SMMUv3.1 has no FWB (2.4 SMMUv3.2-S2FWB, mandatory from v3.2 by 6.3.4, so not kept by a
// v3.1, 2.9): IDR3.FWB reads 0 and STE.S2FWB is RES0 as with params.fwb false.
class FwbV3_1 : public Fwb {
  protected:
    void configure(smmu_params_t &p) override {
        p.arch_minor = 1;
    }
};

TEST_F(FwbV3_1, S2FwbIsRes0BelowSmmuV3_2_2_9) {
    EXPECT_EQ(r32(SMMU_AIDR) & 0xF, 1u);
    EXPECT_EQ((r32(SMMU_IDR3) >> 8) & 1, 0u); // IDR3.FWB, bit [8]
    setup(true);
    auto r = xlate(sid, va_of(0b0110, 4));
    ASSERT_EQ(r.status, SMMU_OK) << "event " << std::hex << r.event;
    EXPECT_EQ(r.attr, 0x4B); // oNC iWT (Table D8-96), not a forced Write-Back
    EXPECT_EQ(xlate(sid, va_of(0b0101, 4)).attr, 0x44);
    EXPECT_TRUE(events().empty());
}

TEST_F(Fwb, Idr3FwbIsSetByDefault_6_3_4) {
    EXPECT_EQ((r32(SMMU_IDR3) >> 8) & 1, 1u); // IDR3.FWB, bit [8]: mandatory from SMMUv3.2
    EXPECT_TRUE(smmu_params(smmu)->fwb);
}

// ---- shareability (D8.6.7): not changed by FWB; Device and Normal iNC-oNC results are Outer
// Shareable; otherwise the larger domain of the two stages wins (Table D8-103). A stage-1 Device
// or NC under a forced Write-Back inputs Outer Shareable to stage 2 (R NSCNC, the model's
// IMPLEMENTATION DEFINED choice).
TEST_F(Fwb, ShareabilityCombinesAsWithoutFwb_D8_6_7) {
    struct Case {
        uint8_t s1_attr;
        unsigned s1_sh, memattr, s2_sh;
        uint8_t attr, sh;
    };
    const Case cases[] = {
        {0xFF, 0, 0b110, 3, 0xFF, 3}, // WB NSH, forced WB ISH -> ISH
        {0xFF, 3, 0b110, 0, 0xFF, 3}, // WB ISH, forced WB NSH -> ISH
        {0xFF, 0, 0b110, 0, 0xFF, 0}, // both Non-shareable -> NSH
        {0x00, 0, 0b110, 0, 0xFF, 2}, // Device (OSH) forced to WB -> OSH
        {0x44, 3, 0b110, 3, 0xFF, 2}, // NC (OSH) forced to WB -> OSH
        {0xFF, 3, 0b111, 0, 0xFF, 3}, // stage 1 kept, ISH wins
        {0xFF, 3, 0b101, 3, 0x44, 2}, // forced NC -> OSH
        {0xFF, 0, 0b001, 0, 0x04, 2}, // Device -> OSH
    };
    build_s2();
    build_s1();
    std::vector<uint8_t> mair;
    for (unsigned i = 0; i < std::size(cases); i++) {
        const Case &c = cases[i];
        uint64_t ipa = (32 + i) * GB, va = VA_ROWS + 0x100000 + i * 0x1000ull;
        map(s2t, ipa, 1, Desc::block(PA_OUT).memattr(c.memattr).s2ap(3).sh(c.s2_sh));
        map(s1t, va, 3, Desc::page(ipa).ap(1).attrindx(i).sh(c.s1_sh));
        mair.push_back(c.s1_attr);
    }
    start(Ste().s2fwb(true));
    put_words(tfx::CDTAB, Cd::s1(s1t.root).mair(mair_of(mair)).dw, 8);
    for (unsigned i = 0; i < std::size(cases); i++) {
        auto r = xlate(sid, VA_ROWS + 0x100000 + i * 0x1000ull);
        ASSERT_EQ(r.status, SMMU_OK) << i;
        EXPECT_EQ(r.attr, cases[i].attr) << i;
        EXPECT_EQ(r.sh, cases[i].sh) << i;
    }
}

// ---- stage 1 bypassed (stage-2-only STE): stage 2 combines with the incoming attributes after
// the STE overrides (13.4, 13.5: Combine(STE.{MemAttr, MTCFG}, S2_TTD.MemAttr, STE.S2FWB);
// RA/WA from STE.ALLOCCFG). Incoming: Normal Write-Back RWA, SHCFG "use incoming" (OSH).
class FwbS2Only : public WalkTest {
  protected:
    Tree t;
    // IPA page i has stage-2 MemAttr memattr[i].
    void setup(Ste ste, const std::vector<unsigned> &memattr) {
        t = tree(12, 1, 39);
        for (unsigned i = 0; i < memattr.size(); i++)
            map(t, 0x10000000 + i * 0x1000ull, 3,
                Desc::page(PA_OUT + i * 0x1000ull).memattr(memattr[i]).s2ap(3).sh(3));
        Ste s = Ste::s2(t.root, S2TG_4K, 25, 1);
        for (int i = 0; i < 8; i++)
            s.dw[i] |= ste.dw[i];
        s2_only(s);
    }
    uint8_t attr(unsigned i) {
        auto r = xlate(sid, 0x10000000 + i * 0x1000ull);
        EXPECT_EQ(r.status, SMMU_OK) << "event " << std::hex << r.event;
        return r.attr;
    }
};

TEST_F(FwbS2Only, Stage1BypassCombinesIncomingAttributes_13_5) {
    setup(Ste().s2fwb(true), {0b0110, 0b0111, 0b0101, 0b0001, 0b0100});
    EXPECT_EQ(attr(0), 0xFF); // forced WB
    EXPECT_EQ(attr(1), 0xFF); // the incoming Normal WB
    EXPECT_EQ(attr(2), 0x44);
    EXPECT_EQ(attr(3), 0x04);
    EXPECT_EQ(attr(4), 0x00); // Reserved: the model's Device-nGnRnE
}

// STE.MTCFG/MemAttr replace the incoming type (5.2), and S2FWB does not change the encoding of
// STE.MemAttr (5.2 MemAttr note): Device-nGnRE in, then stage 2 with FWB.
TEST_F(FwbS2Only, MtcfgDeviceInputForcedByStage2_13_5) {
    setup(Ste().s2fwb(true).mtcfg(true).memattr(0b0001), {0b0110, 0b0111, 0b0101, 0b0011});
    EXPECT_EQ(attr(0), 0xFF); // forced Normal WB over Device, RWA (R TBQKG)
    EXPECT_EQ(attr(1), 0x04); // stage 1 (here: the override) kept
    EXPECT_EQ(attr(2), 0x04); // Device stays Device
    EXPECT_EQ(attr(3), 0x04); // Device-GRE at stage 2: the more restrictive nGnRE wins
}

// STE.MemAttr 0b0110 is oNC iWT in the override (5.2, Table D8-96 encoding, not FWB's); a
// forced WB keeps the inner hints of that cacheable level, outer becomes RWA.
TEST_F(FwbS2Only, MtcfgMemAttrKeepsTableD8_96Encoding_5_2) {
    setup(Ste().s2fwb(true).mtcfg(true).memattr(0b0110), {0b0111, 0b0110});
    EXPECT_EQ(attr(0), 0x4B);
    EXPECT_EQ(attr(1), 0xFF);
}

// STE.ALLOCCFG 0b1100 (replace: Read-Allocate, no Write-Allocate) gives the incoming Normal WB
// the hints RA; a forced WB keeps them (R THYXB), a forced NC has none.
TEST_F(FwbS2Only, AlloccfgHintsSurviveForcedWriteBack_13_5) {
    setup(Ste().s2fwb(true).alloccfg(0b1100), {0b0110, 0b0111, 0b0101});
    EXPECT_EQ(attr(0), 0xEE);
    EXPECT_EQ(attr(1), 0xEE);
    EXPECT_EQ(attr(2), 0x44);
}

// S2FWB is IGNORED when stage 2 does not translate (5.2): a stage-1-only STE with it set is
// valid and its attributes are stage 1's.
TEST_F(FwbS2Only, S2FwbIgnoredWithoutStage2_5_2) {
    Tree s1 = tree(12, 0, 48);
    map(s1, 0x5000, 3, Desc::page(PA_OUT).ap(1).attrindx(1));
    put_ste(sid, Ste::s1(tfx::CDTAB).s2fwb(true).dw);
    put_words(tfx::CDTAB, Cd::s1(s1.root).mair(0x0444).dw, 8);
    enable();
    auto r = xlate(sid, 0x5000);
    ASSERT_EQ(r.status, SMMU_OK) << "event " << std::hex << r.event;
    EXPECT_EQ(r.attr, 0x04);
}

// S2FWB may be cached in TLB entries (5.2, "cached as part of a translation"): changing it takes
// CMD_CFGI_STE and a TLB invalidation of the VMID, after which the new meaning applies.
TEST_F(FwbS2Only, ChangingS2FwbTakesCfgiSteAndTlbi_5_2) {
    setup(Ste(), {0b0110});
    EXPECT_EQ(attr(0), 0x4B); // S2FWB == 0: oNC iWT
    Ste s = Ste::s2(t.root, S2TG_4K, 25, 1).s2fwb(true);
    put_ste(sid, s.dw);
    ASSERT_TRUE(tfx::run_cmds(smmu, mem, {tenc::cfgi_ste(sid), tenc::tlbi_s12_vmall(1)}));
    EXPECT_EQ(attr(0), 0xFF); // S2FWB == 1: forced Normal WB
}

// The IPA cache holds the stage-2 part of a translation: a second VA to the same IPA, found
// there, gives the same forced Write-Back as the walk did.
TEST_F(Fwb, IpaCacheKeepsForcedWriteBack_D8_6_6) {
    setup(true);
    map(s1t, va_of(15, 15), 3, Desc::page(ipa_of(0b0110, 3)).ap(1).attrindx(3).sh(3));
    EXPECT_EQ(xlate(sid, va_of(0b0110, 3)).attr, 0xEE);
    auto r = xlate(sid, va_of(15, 15));
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.attr, 0xEE);
}

// STE.S2PTW (5.2): a stage-1 walk to stage-2 Device memory faults; with FWB only MemAttr[2] ==
// 0 is Device, so tables mapped 0b110 (forced WB) or 0b111 are walked; 0b100 (Reserved, the
// model's Device-nGnRnE) faults too.
TEST_F(Fwb, S2ptwFaultsOnlyOnFwbDevice_5_2) {
    for (unsigned m : {0b0110u, 0b0111u, 0b0101u, 0b0001u, 0b0100u}) {
        SCOPED_TRACE(m);
        create();
        build_s2(s2block(0).memattr(m));
        build_s1();
        start(Ste().s2fwb(true).s2ptw(true));
        auto r = xlate(sid, VA);
        if ((m & 4) && (m & 3)) { // Normal per Table D8-101
            expect_ok(r, OUT_IPA);
        } else {
            EXPECT_EQ(r.status, SMMU_FAULT);
            EXPECT_EQ(r.event, F_PERMISSION);
            auto ev = events();
            ASSERT_EQ(ev.size(), 1u);
            EXPECT_EQ(tfx::evt_class(ev[0]), CLASS_TT);
        }
    }
}
