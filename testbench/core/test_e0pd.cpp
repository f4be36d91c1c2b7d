// SPDX-License-Identifier: Apache-2.0 OR MIT
// E0PD (SMMUv3.3-E0PD, spec 2.5): SMMU_IDR3.E0PD (6.3.4, bit [13]) and CD.E0PD0 (bit [66]) /
// CD.E0PD1 (bit [130]) (5.4). With E0PDx == 1 an unprivileged access to an address translated
// by CD.TTBx is a Translation fault (F_TRANSLATION, CLASS IN; the Arm ARM's level 0 Translation
// fault, D8.2 I RFRSQ), taken whether or not the address is in a TLB (D8.2 R DDFWH) and without
// a walk. Privileged accesses are not affected. E0PD applies to StreamWorld EL1 and EL2-E2H; it
// is RES0 for NS-EL2 (5.4 E0PD0: "if StreamWorld is ... any-EL2, this field is RES0") and when
// IDR3.E0PD == 0.
//
// Expected values are written from the spec: event type F_TRANSLATION = 0x10 (7.3.12), CLASS IN
// = 0b10 (7.3.12), IDR3 bit 13 (6.3.4); none come from <smmu/arch.h>.
#include "walk_fixture.h"

using namespace twalk;

namespace {

constexpr uint64_t VA0 = 0x0000001234567000ull; // translated by TTB0 (VA[55] == 0)
constexpr uint64_t VA1 = 0xFFFF801234567000ull; // translated by TTB1 (VA[55] == 1, T1SZ 16)
constexpr uint64_t PA0 = 0x0000000089ABC000ull;
constexpr uint64_t PA1 = 0x000000008ABCD000ull;
constexpr uint32_t IDR3_E0PD = 1u << 13; // 6.3.4
constexpr unsigned STRW_EL2 = 0b10;      // STE.STRW (5.2)
constexpr uint32_t CR2_E2H = 1u << 0;    // SMMU_CR2.E2H (6.3.12)

class E0pd : public WalkTest {
  protected:
    Tree t0, t1;
    // Both halves: TTB0 maps VA0 -> PA0, TTB1 maps VA1 -> PA1, with pages every privilege may
    // read and write (AP = 0b01).
    Cd two_halves(bool e0pd0, bool e0pd1) {
        t0 = tree(12, 0, 48);
        t1 = tree(12, 0, 48);
        map(t0, VA0, 3, Desc::page(PA0).ap(1));
        map(t1, VA1, 3, Desc::page(PA1).ap(1));
        return Cd::s1(t0.root)
            .epd1(false)
            .t1sz(16)
            .tg1(tenc::TG1_4K)
            .ir1(1)
            .or1(1)
            .sh1(3)
            .ttb1(t1.root)
            .e0pd0(e0pd0)
            .e0pd1(e0pd1);
    }
    void setup(bool e0pd0, bool e0pd1) {
        s1_only(two_halves(e0pd0, e0pd1));
    }
    // An unprivileged access to va faults by E0PD: F_TRANSLATION, CLASS IN, no walk.
    void expect_e0pd_fault(uint64_t va, bool write = false) {
        uint64_t reads = walk_reads();
        auto r = xlate(sid, va, write, false);
        expect_fault(
            r, Ev{.type = F_TRANSLATION, .addr = va, .rnw = !write, .pnu = false, .cls = CLASS_IN});
        EXPECT_EQ(walk_reads(), reads) << "E0PD faults without a walk";
    }
};

class E0pdOff : public E0pd {
  protected:
    void configure(smmu_params_t &p) override {
        p.e0pd = false;
    }
};

// An SMMUv3.2 has no E0PD (SMMUv3.3-E0PD is Mandatory in v3.3, 2.5, so a v3.2 leaves it out,
// 2.9): IDR3.E0PD reads 0 and CD.E0PD0/E0PD1 are RES0.
class E0pdV3_2 : public E0pd {
  protected:
    void configure(smmu_params_t &p) override {
        p.arch_minor = 2;
    }
};

TEST_F(E0pdV3_2, CdE0pdBitsAreRes0BelowSmmuV3_3_2_9) {
    EXPECT_EQ(r32(SMMU_AIDR) & 0xF, 2u);
    EXPECT_EQ(r32(SMMU_IDR3) & IDR3_E0PD, 0u);
    setup(true, true);
    expect_ok(xlate(sid, VA0, false, false), PA0);
    expect_ok(xlate(sid, VA1, true, false), PA1);
}

TEST_F(E0pd, Idr3E0pdIsSetByDefault_6_3_4) {
    EXPECT_EQ(r32(SMMU_IDR3) & IDR3_E0PD, IDR3_E0PD);
    smmu_params_t p;
    smmu_params_init(&p);
    EXPECT_TRUE(p.e0pd);
}

TEST_F(E0pdOff, Idr3E0pdFollowsParams_6_3_4) {
    EXPECT_EQ(r32(SMMU_IDR3) & IDR3_E0PD, 0u);
}

TEST_F(E0pd, E0pd0FaultsUnprivilegedTtb0Accesses_5_4) {
    setup(true, false);
    expect_e0pd_fault(VA0);
    expect_e0pd_fault(VA0, true);
    expect_ok(xlate(sid, VA1, false, false), PA1); // TTB1 is not affected by E0PD0
}

TEST_F(E0pd, E0pd0LeavesPrivilegedAccessesAlone_5_4) {
    setup(true, false);
    expect_ok(xlate(sid, VA0, false, true), PA0);
    expect_ok(xlate(sid, VA0, true, true), PA0);
}

TEST_F(E0pd, E0pd1FaultsUnprivilegedTtb1Accesses_5_4) {
    setup(false, true);
    expect_e0pd_fault(VA1);
    expect_e0pd_fault(VA1, true);
    expect_ok(xlate(sid, VA1, false, true), PA1);
    expect_ok(xlate(sid, VA0, false, false), PA0); // TTB0 is not affected by E0PD1
}

TEST_F(E0pd, BothHalvesFaultWithE0pd0AndE0pd1_5_4) {
    setup(true, true);
    expect_e0pd_fault(VA0);
    expect_e0pd_fault(VA1);
    expect_ok(xlate(sid, VA0, false, true), PA0);
    expect_ok(xlate(sid, VA1, false, true), PA1);
}

// The TLB entry (and the translation memo) filled by a privileged access holds the page's
// unprivileged permissions too (AP = 0b01 grants them): E0PD is checked before any lookup.
TEST_F(E0pd, UnprivilegedAfterPrivilegedFillStillFaults_D8_2) {
    setup(true, true);
    for (uint64_t va : {VA0, VA1}) {
        SCOPED_TRACE(va);
        uint64_t pa = va == VA0 ? PA0 : PA1;
        expect_ok(xlate(sid, va, false, true), pa);
        auto again = xlate(sid, va, false, true);
        expect_ok(again, pa);
        EXPECT_TRUE(again.tlb_hit) << "the privileged access filled the TLB";
        expect_e0pd_fault(va);
        expect_e0pd_fault(va); // twice: nothing was cached by the fault
        expect_ok(xlate(sid, va, false, true), pa);
    }
}

TEST_F(E0pdOff, CdE0pdBitsAreIgnoredWhenIdr3E0pdIsZero_5_4) {
    setup(true, true);
    expect_ok(xlate(sid, VA0, false, false), PA0);
    expect_ok(xlate(sid, VA1, true, false), PA1);
}

// STE.PRIVCFG = 0b11 makes every access privileged (5.2, 13.7; IDR1.ATTR_PERMS_OVR): E0PD sees
// the overridden privilege.
TEST_F(E0pd, PrivcfgPrivilegedOverrideIsNotUnprivileged_5_2) {
    Cd cd = two_halves(true, true);
    put_ste(sid, Ste::s1(tfx::CDTAB).privcfg(0b11).dw);
    put_words(tfx::CDTAB, cd.dw, 8);
    enable();
    expect_ok(xlate(sid, VA0, false, false), PA0);
    expect_ok(xlate(sid, VA1, false, false), PA1);
}

// StreamWorld EL2-E2H (STRW 0b10 with CR2.E2H) has two VA ranges and EL0: E0PD applies.
TEST_F(E0pd, El2E2hStreamWorldHonoursE0pd_5_4) {
    cr2 = CR2_E2H;
    Cd cd = two_halves(true, false);
    put_ste(sid, Ste::s1(tfx::CDTAB).strw(STRW_EL2).dw);
    put_words(tfx::CDTAB, cd.dw, 8);
    enable();
    expect_e0pd_fault(VA0);
    expect_ok(xlate(sid, VA0, false, true), PA0);
}

// StreamWorld NS-EL2 (STRW 0b10, CR2.E2H == 0): CD.E0PD0 is RES0 (5.4).
TEST_F(E0pd, NsEl2StreamWorldE0pdIsRes0_5_4) {
    t0 = tree(12, 0, 48);
    map(t0, VA0, 3, Desc::page(PA0).ap(1));
    put_ste(sid, Ste::s1(tfx::CDTAB).strw(STRW_EL2).dw);
    put_words(tfx::CDTAB, Cd::s1(t0.root).e0pd0(true).dw, 8);
    enable();
    expect_ok(xlate(sid, VA0, false, false), PA0);
}

// ATS Translation Requests see E0PD at the request's privilege: a translation-related fault
// answers Success with no access and records nothing (3.9.1.2, 13.7.1).
TEST_F(E0pd, AtsUnprivilegedRequestGetsNoAccess_3_9_1) {
    Cd cd = two_halves(true, false);
    put_ste(sid, Ste::s1(tfx::CDTAB, 1).eats(1).dw); // S1CDMax 1: two CDs, the same tables
    put_words(tfx::CDTAB, cd.dw, 8);
    put_words(tfx::CDTAB + 64, cd.dw, 8);
    enable();
    auto ask = [&](bool priv) {
        smmu_ats_req_t q{};
        q.sid = sid;
        q.addr = VA0;
        q.ssv = true; // Privileged_Mode_Requested comes with a PASID
        q.ssid = 1;
        q.priv = priv;
        q.stus = 1;
        smmu_ats_resp_t a{};
        smmu_ats_translate(smmu, &q, &a);
        return a;
    };
    smmu_ats_resp_t u = ask(false), p = ask(true);
    EXPECT_EQ(u.status, SMMU_ATS_SC);
    EXPECT_FALSE(u.r || u.w || u.exe);
    EXPECT_EQ(u.event, F_TRANSLATION);
    EXPECT_EQ(p.status, SMMU_ATS_SC);
    EXPECT_TRUE(p.r && p.w);
    EXPECT_EQ(p.addr, PA0);
    EXPECT_TRUE(events().empty());
}

} // namespace
