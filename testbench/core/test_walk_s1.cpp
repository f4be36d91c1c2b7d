// SPDX-License-Identifier: Apache-2.0 OR MIT
// Stage-1 VMSAv8-64 walks (Arm ARM D8.2, D8.3; spec 3.4, 5.4, 7.3) through smmu_translate with
// a stage-1-only STE: start levels per granule, blocks, input range (TTB0/TTB1, TBI, EPDx),
// address size, Access flag, attributes, endianness and external aborts on the walk.
#include "walk_fixture.h"

using namespace twalk;

namespace {

constexpr uint64_t VA_PATTERN = 0x0000A5A5A5A5A5A4ull;
constexpr uint64_t PA_PAGE = 0x000000ABCDE00000ull; // 64KB aligned, 40 bits

// Leaves readable and writable at EL0 and EL1 (AP[2:1] = 01), so that permissions are not what
// these tests look at.
Desc upage(uint64_t oa) {
    return Desc::page(oa).ap(0b01);
}
Desc ublock(uint64_t oa) {
    return Desc::block(oa).ap(0b01);
}

uint64_t mask(unsigned bits) {
    return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

class WalkS1 : public WalkTest {
  protected:
    // A page at level 3 reached from the given start level (which the test states from the Arm
    // ARM's initial-lookup tables, D8-17 / D8-27 / D8-37); one descriptor read per level.
    void check_page(unsigned gran, unsigned tsz, unsigned start) {
        unsigned ia = 64 - tsz;
        Tree t = tree(gran, start, ia);
        s1_only(Cd::s1(t.root, tsz, tg0_of(gran)));
        uint64_t va = VA_PATTERN & mask(ia); // TTB0 half: VA[63:ia] zero
        map(t, va, 3, upage(PA_PAGE).sh(3));
        uint64_t before = walk_reads();
        auto r = xlate(sid, va);
        expect_ok(r, PA_PAGE | (va & mask(gran)));
        EXPECT_EQ(r.span, 1ull << gran);
        EXPECT_EQ(walk_reads() - before, 4u - start);
    }
    // A block descriptor at level; ok says whether the Arm ARM allows it there.
    void check_block(unsigned gran, unsigned tsz, unsigned start, unsigned level, bool ok,
                     uint64_t oa = 1ull << 46) {
        unsigned ia = 64 - tsz;
        Tree t = tree(gran, start, ia);
        Cd cd = Cd::s1(t.root, tsz, tg0_of(gran));
        if (params.oas_bits == 52) cd.ips(6);
        s1_only(cd);
        uint64_t va = VA_PATTERN & mask(ia); // TTB0 half: VA[63:ia] zero
        unsigned bs = tenc::level_shift(gran, level);
        map(t, va, level, ublock(oa));
        auto r = xlate(sid, va);
        if (ok) {
            expect_ok(r, oa | (va & mask(bs)));
            EXPECT_EQ(r.span, 1ull << bs);
        } else {
            expect_fault(r, Ev{.type = F_TRANSLATION, .addr = va, .cls = CLASS_IN});
        }
    }
};

class WalkS1Pa52 : public WalkS1 {
  protected:
    void configure(smmu_params_t &p) override {
        p.oas_bits = 52;
    }
};

} // namespace

// ---- start levels (Arm ARM Tables D8-17, D8-27, D8-37: initial lookup level from TnSZ)
TEST_F(WalkS1, Gran4kStartLevel0) {
    check_page(12, 16, 0);
}
TEST_F(WalkS1, Gran4kStartLevel0Tsz24) {
    check_page(12, 24, 0);
}
TEST_F(WalkS1, Gran4kStartLevel1) {
    check_page(12, 25, 1);
}
TEST_F(WalkS1, Gran4kStartLevel1Tsz33) {
    check_page(12, 33, 1);
}
TEST_F(WalkS1, Gran4kStartLevel2) {
    check_page(12, 34, 2);
}
TEST_F(WalkS1, Gran4kStartLevel2Tsz39) {
    check_page(12, 39, 2);
}
TEST_F(WalkS1, Gran16kStartLevel0) {
    check_page(14, 16, 0);
}
TEST_F(WalkS1, Gran16kStartLevel1) {
    check_page(14, 17, 1);
}
TEST_F(WalkS1, Gran16kStartLevel1Tsz27) {
    check_page(14, 27, 1);
}
TEST_F(WalkS1, Gran16kStartLevel2) {
    check_page(14, 28, 2);
}
TEST_F(WalkS1, Gran16kStartLevel2Tsz38) {
    check_page(14, 38, 2);
}
TEST_F(WalkS1, Gran16kStartLevel3) {
    check_page(14, 39, 3);
}
TEST_F(WalkS1, Gran64kStartLevel1) {
    check_page(16, 16, 1);
}
TEST_F(WalkS1, Gran64kStartLevel1Tsz21) {
    check_page(16, 21, 1);
}
TEST_F(WalkS1, Gran64kStartLevel2) {
    check_page(16, 22, 2);
}
TEST_F(WalkS1, Gran64kStartLevel2Tsz34) {
    check_page(16, 34, 2);
}
TEST_F(WalkS1, Gran64kStartLevel3) {
    check_page(16, 35, 3);
}
TEST_F(WalkS1, Gran64kStartLevel3Tsz39) {
    check_page(16, 39, 3);
}

// ---- blocks (Arm ARM D8.2.8-D8.2.10: 4KB L1 1GB / L2 2MB, 16KB L2 32MB, 64KB L2 512MB and L1
// 4TB only with FEAT_LPA; a block elsewhere is an invalid descriptor -> Translation fault)
TEST_F(WalkS1, Gran4kBlockLevel1) {
    check_block(12, 16, 0, 1, true);
}
TEST_F(WalkS1, Gran4kBlockLevel2) {
    check_block(12, 16, 0, 2, true);
}
TEST_F(WalkS1, Gran4kBlockLevel0IsInvalid) {
    check_block(12, 16, 0, 0, false);
}
TEST_F(WalkS1, Gran16kBlockLevel2) {
    check_block(14, 17, 1, 2, true);
}
TEST_F(WalkS1, Gran16kBlockLevel1IsInvalid) {
    check_block(14, 17, 1, 1, false);
}
TEST_F(WalkS1, Gran16kBlockLevel0IsInvalid) {
    check_block(14, 16, 0, 0, false);
}
TEST_F(WalkS1, Gran64kBlockLevel2) {
    check_block(16, 16, 1, 2, true);
}
TEST_F(WalkS1, Gran64kBlockLevel1IsInvalidWithout52BitPa) {
    params.oas_bits = 48; // the expectations below are those of a 48-bit OAS
    create();
    check_block(16, 16, 1, 1, false);
}
TEST_F(WalkS1Pa52, Gran64kBlockLevel1With52BitPa) {
    check_block(16, 16, 1, 1, true);
}
TEST_F(WalkS1Pa52, Gran4kBlockLevel0StillInvalidWith52BitPa) {
    check_block(12, 16, 0, 0, false);
}

// 64KB granule, 52-bit OA: OA[51:48] come from descriptor bits [15:12] (Arm ARM D8.3.1).
TEST_F(WalkS1Pa52, Gran64kPageOa52BitsFromBits15To12) {
    Tree t = tree(16, 1, 48);
    s1_only(Cd::s1(t.root, 16, tenc::TG0_64K).ips(6));
    uint64_t va = 0x0000123456789ABCull;
    uint64_t oa = 0x000F876543210000ull;
    map(t, va, 3, Desc().f(0, 2, 3).af(true).ap(0b01).addr52(oa));
    expect_ok(xlate(sid, va), oa | (va & 0xFFFF));
}

// Descriptor bits[1:0] == 0b01 at level 3 is reserved: treated as invalid (Arm ARM D8.3).
TEST_F(WalkS1, Level3BlockEncodingIsInvalid) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    uint64_t va = 0x0000001234567000ull;
    map(t, va, 3, Desc().f(0, 2, 0b01).addr(PA_PAGE).af(true).ap(0b01));
    expect_fault(xlate(sid, va), Ev{.type = F_TRANSLATION, .addr = va, .cls = CLASS_IN});
}

TEST_F(WalkS1, InvalidTableEntryIsTranslationFault) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    map(t, 0x0000001234567000ull, 3, upage(PA_PAGE));
    uint64_t va = 0x0000001234567000ull + (1ull << 30); // same L0 entry, empty L1 entry
    expect_fault(xlate(sid, va, true),
                 Ev{.type = F_TRANSLATION, .addr = va, .rnw = false, .cls = CLASS_IN});
}

TEST_F(WalkS1, InvalidLeafIsTranslationFaultForPrivExec) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    uint64_t va = 0x0000001234567000ull;
    map(t, va, 3, Desc::invalid().addr(PA_PAGE)); // bit 0 clear: invalid whatever else is set
    expect_fault(xlate(sid, va, false, true, true),
                 Ev{.type = F_TRANSLATION, .addr = va, .pnu = true, .ind = true, .cls = CLASS_IN});
}

// ---- input range: TTB0/TTB1 by VA[55], sign extension, TBI, EPDx (spec 3.4.1, 5.4)
namespace {
Cd two_halves(uint64_t ttb0, uint64_t ttb1) {
    return Cd::s1(ttb0).epd1(false).t1sz(16).tg1(tenc::TG1_4K).ir1(1).or1(1).sh1(3).ttb1(ttb1);
}
} // namespace

TEST_F(WalkS1, Ttb1SelectedByVaBit55) {
    Tree t0 = tree(12, 0, 48), t1 = tree(12, 0, 48);
    s1_only(two_halves(t0.root, t1.root));
    uint64_t lo = 0x0000123456789000ull, hi = 0xFFFF923456789000ull;
    map(t0, lo, 3, upage(0x1000000));
    map(t1, hi, 3, upage(0x2000000));
    expect_ok(xlate(sid, lo + 0x10), 0x1000010);
    expect_ok(xlate(sid, hi + 0x20), 0x2000020);
}

TEST_F(WalkS1, Ttb1DisabledByEpd1Faults) {
    Tree t0 = tree(12, 0, 48), t1 = tree(12, 0, 48);
    s1_only(two_halves(t0.root, t1.root).epd1(true));
    uint64_t hi = 0xFFFF923456789000ull;
    map(t1, hi, 3, upage(0x2000000));
    expect_fault(xlate(sid, hi), Ev{.type = F_TRANSLATION, .addr = hi, .cls = CLASS_IN});
}

TEST_F(WalkS1, Ttb0DisabledByEpd0Faults) {
    Tree t0 = tree(12, 0, 48), t1 = tree(12, 0, 48);
    s1_only(two_halves(t0.root, t1.root).epd0(true));
    uint64_t lo = 0x0000123456789000ull, hi = 0xFFFF923456789000ull;
    map(t0, lo, 3, upage(0x1000000));
    map(t1, hi, 3, upage(0x2000000));
    expect_fault(xlate(sid, lo), Ev{.type = F_TRANSLATION, .addr = lo, .cls = CLASS_IN});
    expect_ok(xlate(sid, hi), 0x2000000);
}

// With a 48-bit range per half (49-bit VA), VA[63:48] must all equal VA[55] (spec 3.4.1, using
// its example addresses).
TEST_F(WalkS1, SpecExampleAddressesInside49BitRange) {
    Tree t0 = tree(12, 0, 48), t1 = tree(12, 0, 48);
    s1_only(two_halves(t0.root, t1.root));
    map(t0, 0x0000FFFFFFFFF000ull, 3, upage(0x1000000));
    map(t1, 0xFFFF000000000000ull, 3, upage(0x2000000));
    expect_ok(xlate(sid, 0x0000FFFFFFFFFFFCull), 0x1000FFC);
    expect_ok(xlate(sid, 0xFFFF000000000000ull), 0x2000000);
}

TEST_F(WalkS1, AddressBetweenHalvesFaults) {
    Tree t0 = tree(12, 0, 48), t1 = tree(12, 0, 48);
    s1_only(two_halves(t0.root, t1.root));
    for (uint64_t va : {0x0001000000000000ull, 0xFFFE000000000000ull, 0x8000000000000000ull,
                        0x00FF000000000000ull, 0x7FFFFFFFFFFFF000ull}) {
        expect_fault(xlate(sid, va), Ev{.type = F_TRANSLATION, .addr = va, .cls = CLASS_IN});
    }
}

TEST_F(WalkS1, AddressAboveT0szRangeFaults) {
    Tree t = tree(12, 1, 39);
    s1_only(Cd::s1(t.root, 25));
    map(t, 0x7FFFFFF000ull, 3, upage(PA_PAGE));
    expect_ok(xlate(sid, 0x7FFFFFF000ull), PA_PAGE);
    uint64_t va = 0x8000000000ull; // bit 39 set with T0SZ = 25
    expect_fault(xlate(sid, va), Ev{.type = F_TRANSLATION, .addr = va, .cls = CLASS_IN});
}

TEST_F(WalkS1, Tbi0IgnoresTopByte) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root).tbi0(true));
    map(t, 0x0000123456789000ull, 3, upage(PA_PAGE));
    expect_ok(xlate(sid, 0x5A00123456789008ull), PA_PAGE | 8);
}

TEST_F(WalkS1, TopByteWithoutTbi0Faults) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    map(t, 0x0000123456789000ull, 3, upage(PA_PAGE));
    uint64_t va = 0x5A00123456789008ull;
    expect_fault(xlate(sid, va), Ev{.type = F_TRANSLATION, .addr = va, .cls = CLASS_IN});
}

TEST_F(WalkS1, Tbi1IgnoresTopByteOfTtb1Half) {
    Tree t0 = tree(12, 0, 48), t1 = tree(12, 0, 48);
    s1_only(two_halves(t0.root, t1.root).tbi1(true));
    map(t1, 0xFFFF923456789000ull, 3, upage(0x2000000));
    expect_ok(xlate(sid, 0x12FF923456789000ull), 0x2000000);
}

// TBI is per half: TBI0 does not relax the TTB1 half's check (spec 3.4.1).
TEST_F(WalkS1, Tbi0DoesNotApplyToTtb1Half) {
    Tree t0 = tree(12, 0, 48), t1 = tree(12, 0, 48);
    s1_only(two_halves(t0.root, t1.root).tbi0(true));
    map(t1, 0xFFFF923456789000ull, 3, upage(0x2000000));
    uint64_t va = 0x12FF923456789000ull;
    expect_fault(xlate(sid, va), Ev{.type = F_TRANSLATION, .addr = va, .cls = CLASS_IN});
}

// ---- address size (spec 3.4: output beyond the effective IPS -> stage 1 F_ADDR_SIZE)
TEST_F(WalkS1, PageOaBeyondIpsIsAddrSizeFault) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root).ips(0)); // 32 bits
    uint64_t ok = 0x0000001234560000ull, bad = 0x0000001234561000ull;
    map(t, ok, 3, upage(0xFFFFF000ull));
    map(t, bad, 3, upage(0x100000000ull));
    expect_ok(xlate(sid, ok + 4), 0xFFFFF004ull);
    expect_fault(xlate(sid, bad), Ev{.type = F_ADDR_SIZE, .addr = bad, .cls = CLASS_IN});
}

TEST_F(WalkS1, TableAddressBeyondIpsIsAddrSizeFault) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root).ips(1)); // 36 bits
    uint64_t va = 0x0000001234560000ull;
    wdesc(t, slot(t, va, 1), Desc::table(0x1000000000ull).v); // 2^36
    expect_fault(xlate(sid, va), Ev{.type = F_ADDR_SIZE, .addr = va, .cls = CLASS_IN});
}

TEST_F(WalkS1, BlockOaBeyondIpsIsAddrSizeFault) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root).ips(2)); // 40 bits
    uint64_t va = 0x0000001234560000ull;
    map(t, va, 1, ublock(0x10000000000ull)); // 2^40
    expect_fault(xlate(sid, va, true),
                 Ev{.type = F_ADDR_SIZE, .addr = va, .rnw = false, .cls = CLASS_IN});
}

// ---- Access flag (Arm ARM D8.5.1; CD.AFFD, spec 5.4; HTTU not implemented)
TEST_F(WalkS1, AccessFlagZeroFaults) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    uint64_t va = 0x0000001234560000ull;
    map(t, va, 3, upage(PA_PAGE).af(false));
    expect_fault(xlate(sid, va), Ev{.type = F_ACCESS, .addr = va, .cls = CLASS_IN});
}

TEST_F(WalkS1, AccessFlagZeroOnBlockFaults) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    uint64_t va = 0x0000001234560000ull;
    map(t, va, 2, ublock(0x40000000ull).af(false));
    expect_fault(xlate(sid, va), Ev{.type = F_ACCESS, .addr = va, .cls = CLASS_IN});
}

TEST_F(WalkS1, AccessFlagZeroWithAffdTranslates) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root).affd(true));
    uint64_t va = 0x0000001234560000ull;
    map(t, va, 3, upage(PA_PAGE).af(false));
    expect_ok(xlate(sid, va), PA_PAGE);
}

// Address size is checked before the Access flag (Arm ARM D8.15.5 priorities).
TEST_F(WalkS1, AddrSizeBeatsAccessFlag) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root).ips(0));
    uint64_t va = 0x0000001234560000ull;
    map(t, va, 3, upage(0x100000000ull).af(false));
    expect_fault(xlate(sid, va), Ev{.type = F_ADDR_SIZE, .addr = va, .cls = CLASS_IN});
}

// Access flag before permission (Arm ARM D8.15.5).
TEST_F(WalkS1, AccessFlagBeatsPermission) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    uint64_t va = 0x0000001234560000ull;
    map(t, va, 3, upage(PA_PAGE).af(false).ap(0b10)); // read-only, privileged only
    expect_fault(xlate(sid, va, true),
                 Ev{.type = F_ACCESS, .addr = va, .rnw = false, .cls = CLASS_IN});
}

// ---- attributes (Arm ARM D8.6.1: AttrIndx selects a MAIR byte; SH)
TEST_F(WalkS1, AttrIndxSelectsMairByte) {
    Tree t = tree(12, 0, 48);
    uint64_t mair = 0x0008AA0CBB4404FFull;
    s1_only(Cd::s1(t.root).mair(mair));
    for (unsigned i = 0; i < 8; i++) {
        uint64_t va = 0x0000001234560000ull + (uint64_t(i) << 12);
        map(t, va, 3, upage(PA_PAGE + (uint64_t(i) << 12)).attrindx(i).sh(2));
        auto r = xlate(sid, va);
        expect_ok(r, PA_PAGE + (uint64_t(i) << 12));
        EXPECT_EQ(r.attr, uint8_t(mair >> (8 * i))) << "AttrIndx " << i;
    }
}

TEST_F(WalkS1, ShareabilityFromDescriptor) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    uint64_t va = 0x0000001234560000ull;
    map(t, va, 3, upage(PA_PAGE).attrindx(0).sh(2));
    map(t, va + 0x1000, 3, upage(PA_PAGE).attrindx(0).sh(3));
    EXPECT_EQ(xlate(sid, va).sh, 2);
    EXPECT_EQ(xlate(sid, va + 0x1000).sh, 3);
}

// ---- endianness (CD.ENDI, spec 5.4)
TEST_F(WalkS1, BigEndianDescriptors) {
    Tree t = tree(12, 0, 48);
    t.be = true;
    s1_only(Cd::s1(t.root).endi(true));
    uint64_t va = 0x0000123456789000ull;
    map(t, va, 3, upage(PA_PAGE));
    expect_ok(xlate(sid, va + 0x123), PA_PAGE + 0x123);
}

TEST_F(WalkS1, LittleEndianTablesReadBigEndianAreInvalid) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root).endi(true));
    uint64_t va = 0x0000123456789000ull;
    map(t, va, 3, upage(PA_PAGE)); // byte-swapped table descriptor has bit 0 == 0
    expect_fault(xlate(sid, va), Ev{.type = F_TRANSLATION, .addr = va, .cls = CLASS_IN});
}

TEST_F(WalkS1, BigEndianTablesReadLittleEndianAreInvalid) {
    Tree t = tree(12, 0, 48);
    t.be = true;
    s1_only(Cd::s1(t.root));
    uint64_t va = 0x0000123456789000ull;
    map(t, va, 3, upage(PA_PAGE));
    expect_fault(xlate(sid, va), Ev{.type = F_TRANSLATION, .addr = va, .cls = CLASS_IN});
}

// ---- external abort on a descriptor fetch (7.3.12: S2 = 0, CLASS = TT, FetchAddr = PA)
TEST_F(WalkS1, ExternalAbortOnTableIsWalkEabt) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    uint64_t va = 0x0000123456789000ull;
    map(t, va, 3, upage(PA_PAGE));
    uint64_t desc_pa = slot(t, va, 2);
    ASSERT_EQ(smmu_mem_add_abort(mem, desc_pa & ~0xFFFull, 0x1000), 0);
    expect_fault(
        xlate(sid, va, true),
        Ev{.type = F_WALK_EABT, .addr = va, .rnw = false, .cls = CLASS_TT, .fetch = desc_pa});
}

TEST_F(WalkS1, ExternalAbortOnLeafTableIsWalkEabt) {
    Tree t = tree(16, 1, 48);
    s1_only(Cd::s1(t.root, 16, tenc::TG0_64K));
    uint64_t va = 0x0000123456789000ull;
    map(t, va, 3, upage(PA_PAGE));
    uint64_t desc_pa = slot(t, va, 3);
    ASSERT_EQ(smmu_mem_add_abort(mem, desc_pa, 8), 0);
    expect_fault(xlate(sid, va),
                 Ev{.type = F_WALK_EABT, .addr = va, .cls = CLASS_TT, .fetch = desc_pa});
}

// One descriptor read per level, counted in the result's mem_reads too.
TEST_F(WalkS1, BlockWalkReadsStopAtLeaf) {
    Tree t = tree(12, 0, 48);
    s1_only(Cd::s1(t.root));
    uint64_t va = 0x0000123456789000ull;
    map(t, va, 1, ublock(0x40000000ull));
    uint64_t before = walk_reads();
    auto r = xlate(sid, va);
    expect_ok(r, 0x40000000ull | (va & mask(30)));
    EXPECT_EQ(walk_reads() - before, 2u);
    EXPECT_GE(r.mem_reads, 2u);
}
