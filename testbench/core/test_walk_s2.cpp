// SPDX-License-Identifier: Apache-2.0 OR MIT
// Stage-2 VMSAv8-64 walks (Arm ARM D8.2.2, D8.2.8.2, D8.2.9.2, D8.2.10.2, D8.4.2, D8.6.5;
// spec 3.4, 5.2 S2T0SZ/S2SL0/S2TG/S2PS/S2ENDI/S2AFFD, 7.3) through smmu_translate with a
// stage-2-only STE: start levels, concatenated start tables, blocks, input range, address size,
// Access flag, S2AP/XN, MemAttr, endianness and external aborts.
#include <string>
#include <tuple>

#include "walk_fixture.h"

using namespace twalk;

namespace {

uint64_t mask(unsigned bits) {
    return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

constexpr uint64_t PA_PAGE = 0x000000ABCDE00000ull;

// An IPA with the top input bit set (so the last of any concatenated tables is used) and
// non-zero indices at every level.
uint64_t ipa_for(unsigned ia_bits) {
    return ((0x0000F5A5A5A5A5A4ull & mask(ia_bits)) | (1ull << (ia_bits - 1)));
}

Ev s2_fault(uint8_t type, uint64_t ipa, bool write = false) {
    return Ev{.type = type,
              .addr = ipa,
              .rnw = !write,
              .s2 = true,
              .cls = CLASS_IN,
              .ipa = ipa & ~0xFFFull};
}

class WalkS2 : public WalkTest {
  protected:
    // A page at level 3 from the start level the Arm ARM tables give for (granule, T0SZ, SL0);
    // the start table is 2^concat tables, all indexed by the IPA's top bits.
    void check_page(unsigned gran, unsigned tsz, unsigned sl0, unsigned start) {
        unsigned ia = 64 - tsz;
        Tree t = tree(gran, start, ia);
        s2_only(Ste::s2(t.root, s2tg_of(gran), tsz, sl0));
        uint64_t ipa = ipa_for(ia);
        map(t, ipa, 3, Desc::page(PA_PAGE).memattr(0xF).s2ap(3).sh(3));
        uint64_t before = walk_reads();
        auto r = xlate(sid, ipa);
        expect_ok(r, PA_PAGE | (ipa & mask(gran)));
        EXPECT_EQ(r.span, 1ull << gran);
        EXPECT_EQ(walk_reads() - before, 4u - start);
    }
    void check_block(unsigned gran, unsigned tsz, unsigned sl0, unsigned start, unsigned level,
                     bool ok) {
        unsigned ia = 64 - tsz;
        Tree t = tree(gran, start, ia);
        s2_only(Ste::s2(t.root, s2tg_of(gran), tsz, sl0));
        uint64_t ipa = ipa_for(ia), oa = 1ull << 46;
        unsigned bs = tenc::level_shift(gran, level);
        map(t, ipa, level, Desc::block(oa).memattr(0xF).s2ap(3));
        auto r = xlate(sid, ipa);
        if (ok) {
            expect_ok(r, oa | (ipa & mask(bs)));
            EXPECT_EQ(r.span, 1ull << bs);
        } else {
            expect_fault(r, s2_fault(F_TRANSLATION, ipa));
        }
    }
    void expect_bad_ste(unsigned gran, unsigned tsz, unsigned sl0) {
        uint64_t root = alloc(0x10000, 0x10000); // never walked
        s2_only(Ste::s2(root, s2tg_of(gran), tsz, sl0));
        auto r = xlate(sid, 0x1000);
        EXPECT_EQ(r.status, SMMU_FAULT);
        EXPECT_EQ(r.event, C_BAD_STE);
        auto ev = events();
        ASSERT_EQ(ev.size(), 1u);
        EXPECT_EQ(tfx::evt_type(ev[0]), C_BAD_STE);
        EXPECT_EQ(walk_reads(), 0u);
    }
};

} // namespace

// ---- start levels from S2SL0 (Arm ARM Tables D8-19/21/22/23, D8-29/31/32/33, D8-38..41)
TEST_F(WalkS2, Gran4kSl0Is2StartsAtLevel0) {
    check_page(12, 16, 2, 0);
}
TEST_F(WalkS2, Gran4kStartLevel0Tsz24) {
    check_page(12, 24, 2, 0);
}
TEST_F(WalkS2, Gran4kSl0Is1StartsAtLevel1) {
    check_page(12, 25, 1, 1);
}
TEST_F(WalkS2, Gran4kStartLevel1Tsz33) {
    check_page(12, 33, 1, 1);
}
TEST_F(WalkS2, Gran4kSl0Is0StartsAtLevel2) {
    check_page(12, 34, 0, 2);
}
TEST_F(WalkS2, Gran4kStartLevel2Tsz39) {
    check_page(12, 39, 0, 2);
}
TEST_F(WalkS2, Gran16kSl0Is2StartsAtLevel1) {
    check_page(14, 17, 2, 1);
}
TEST_F(WalkS2, Gran16kStartLevel1Tsz27) {
    check_page(14, 27, 2, 1);
}
TEST_F(WalkS2, Gran16kSl0Is1StartsAtLevel2) {
    check_page(14, 28, 1, 2);
}
TEST_F(WalkS2, Gran16kStartLevel2Tsz38) {
    check_page(14, 38, 1, 2);
}
TEST_F(WalkS2, Gran16kSl0Is0StartsAtLevel3) {
    check_page(14, 39, 0, 3);
}
TEST_F(WalkS2, Gran64kSl0Is2StartsAtLevel1) {
    check_page(16, 16, 2, 1);
}
TEST_F(WalkS2, Gran64kStartLevel1Tsz21) {
    check_page(16, 21, 2, 1);
}
TEST_F(WalkS2, Gran64kSl0Is1StartsAtLevel2) {
    check_page(16, 22, 1, 2);
}
TEST_F(WalkS2, Gran64kStartLevel2Tsz34) {
    check_page(16, 34, 1, 2);
}
TEST_F(WalkS2, Gran64kSl0Is0StartsAtLevel3) {
    check_page(16, 35, 0, 3);
}
TEST_F(WalkS2, Gran64kStartLevel3Tsz39) {
    check_page(16, 39, 0, 3);
}

// ---- concatenated start tables (Arm ARM D8.2.2 and the per-granule tables): 2..16 tables
using ConcatParam = std::tuple<unsigned, unsigned, unsigned, unsigned, unsigned>;
// gran, T0SZ, SL0, start level, number of tables

class WalkS2Concat : public WalkS2, public ::testing::WithParamInterface<ConcatParam> {};

TEST_P(WalkS2Concat, IndexesAcrossConcatenatedTables) {
    auto [gran, tsz, sl0, start, n] = GetParam();
    unsigned stride = gran - 3;
    // The tables' count follows from the IA bits the start level resolves (D8.2.2).
    ASSERT_EQ(1u << ((64 - tsz) - tenc::level_shift(gran, start) - stride), n);
    check_page(gran, tsz, sl0, start);
}

std::string concat_name(const ::testing::TestParamInfo<ConcatParam> &i) {
    auto [gran, tsz, sl0, start, n] = i.param;
    (void)sl0;
    return "Gran" + std::to_string(1u << (gran - 10)) + "kLevel" + std::to_string(start) +
           "Concat" + std::to_string(n) + "Tsz" + std::to_string(tsz);
}

INSTANTIATE_TEST_SUITE_P(
    ArmArm, WalkS2Concat,
    ::testing::Values(
        ConcatParam{12, 24, 1, 1, 2}, ConcatParam{12, 23, 1, 1, 4}, ConcatParam{12, 22, 1, 1, 8},
        ConcatParam{12, 21, 1, 1, 16}, ConcatParam{12, 33, 0, 2, 2}, ConcatParam{12, 32, 0, 2, 4},
        ConcatParam{12, 31, 0, 2, 8}, ConcatParam{12, 30, 0, 2, 16}, ConcatParam{14, 16, 2, 1, 2},
        ConcatParam{14, 27, 1, 2, 2}, ConcatParam{14, 26, 1, 2, 4}, ConcatParam{14, 25, 1, 2, 8},
        ConcatParam{14, 24, 1, 2, 16}, ConcatParam{14, 38, 0, 3, 2}, ConcatParam{14, 37, 0, 3, 4},
        ConcatParam{14, 36, 0, 3, 8}, ConcatParam{14, 35, 0, 3, 16}, ConcatParam{16, 21, 1, 2, 2},
        ConcatParam{16, 20, 1, 2, 4}, ConcatParam{16, 19, 1, 2, 8}, ConcatParam{16, 18, 1, 2, 16},
        ConcatParam{16, 34, 0, 3, 2}, ConcatParam{16, 33, 0, 3, 4}, ConcatParam{16, 32, 0, 3, 8},
        ConcatParam{16, 31, 0, 3, 16}),
    concat_name);

// The first concatenated table is used for IPAs with the extra top bits zero.
TEST_F(WalkS2, ConcatenatedFirstTableForLowIpa) {
    Tree t = tree(12, 1, 42); // T0SZ 22 at level 1: 8 tables
    s2_only(Ste::s2(t.root, S2TG_4K, 22, 1));
    uint64_t ipa = 0x0000000012345000ull;
    map(t, ipa, 3, Desc::page(PA_PAGE).memattr(0xF).s2ap(3));
    expect_ok(xlate(sid, ipa), PA_PAGE);
    EXPECT_EQ(slot(t, ipa, 1) - t.root, 8u * ((ipa >> 30) & 0xFFF));
}

// ---- S2SL0 inconsistent with S2T0SZ/S2TG, or reserved: the STE is ILLEGAL (5.2 S2SL0)
TEST_F(WalkS2, Gran4kSl0Level1WithT0sz16IsBadSte) {
    expect_bad_ste(12, 16, 1); // 48-bit IPA needs 18 bits at level 1 (> 16 tables)
}
TEST_F(WalkS2, Gran4kSl0Level0WithT0sz32IsBadSte) {
    expect_bad_ste(12, 32, 2); // level 0 would resolve no bit
}
TEST_F(WalkS2, Gran4kSl0Is3NeedsTtstIsBadSte) {
    expect_bad_ste(12, 39, 3);
}
TEST_F(WalkS2, Gran16kSl0Is3NeedsDsIsBadSte) {
    expect_bad_ste(14, 16, 3);
}
TEST_F(WalkS2, Gran16kSl0Level2WithT0sz16IsBadSte) {
    expect_bad_ste(14, 16, 1);
}
TEST_F(WalkS2, Gran64kSl0Is3ReservedIsBadSte) {
    expect_bad_ste(16, 30, 3);
}
TEST_F(WalkS2, Gran64kSl0Level2WithT0sz16IsBadSte) {
    expect_bad_ste(16, 16, 1);
}
TEST_F(WalkS2, Gran64kSl0Level1WithT0sz39IsBadSte) {
    expect_bad_ste(16, 39, 2);
}
TEST_F(WalkS2, Gran16kSl0Level3WithT0sz34IsBadSte) {
    expect_bad_ste(14, 34, 0); // 16 bits at level 3: 32 tables
}

// ---- blocks (4KB L1/L2, 16KB L2, 64KB L2; L1 for 64KB only with FEAT_LPA)
TEST_F(WalkS2, Gran4kBlockLevel1) {
    check_block(12, 16, 2, 0, 1, true);
}
TEST_F(WalkS2, Gran4kBlockLevel2) {
    check_block(12, 25, 1, 1, 2, true);
}
TEST_F(WalkS2, Gran4kBlockLevel0IsInvalid) {
    check_block(12, 16, 2, 0, 0, false);
}
TEST_F(WalkS2, Gran16kBlockLevel2) {
    check_block(14, 17, 2, 1, 2, true);
}
TEST_F(WalkS2, Gran16kBlockLevel1IsInvalid) {
    check_block(14, 17, 2, 1, 1, false);
}
TEST_F(WalkS2, Gran64kBlockLevel2) {
    check_block(16, 16, 2, 1, 2, true);
}
TEST_F(WalkS2, Gran64kBlockLevel1IsInvalidWithout52BitPa) {
    params.oas_bits = 48; // the expectations below are those of a 48-bit OAS
    create();
    check_block(16, 16, 2, 1, 1, false);
}

TEST_F(WalkS2, Level3BlockEncodingIsInvalid) {
    Tree t = tree(12, 1, 39);
    s2_only(Ste::s2(t.root, S2TG_4K, 25, 1));
    uint64_t ipa = 0x12345000;
    map(t, ipa, 3, Desc().f(0, 2, 0b01).addr(PA_PAGE).af(true).s2ap(3));
    expect_fault(xlate(sid, ipa), s2_fault(F_TRANSLATION, ipa));
}

// ---- input range (spec 3.4 stage 2 check 1): IPA >= 2^(64 - S2T0SZ) -> stage-2 F_TRANSLATION
TEST_F(WalkS2, IpaBeyondT0szIsTranslationFault) {
    Tree t = tree(12, 1, 32);
    s2_only(Ste::s2(t.root, S2TG_4K, 32, 1));
    map(t, 0xFFFFF000ull, 3, Desc::page(PA_PAGE).s2ap(3));
    expect_ok(xlate(sid, 0xFFFFF010ull), PA_PAGE | 0x10);
    uint64_t ipa = 0x100000010ull;
    uint64_t before = walk_reads();
    expect_fault(xlate(sid, ipa, true), s2_fault(F_TRANSLATION, ipa, true));
    EXPECT_EQ(walk_reads(), before); // checked before any descriptor read
}

TEST_F(WalkS2, InvalidDescriptorIsTranslationFault) {
    Tree t = tree(12, 1, 39);
    s2_only(Ste::s2(t.root, S2TG_4K, 25, 1));
    map(t, 0x12345000, 3, Desc::page(PA_PAGE).s2ap(3));
    uint64_t ipa = 0x12345000 + (1ull << 21); // empty level-3 table entry in another L2 slot
    expect_fault(xlate(sid, ipa), s2_fault(F_TRANSLATION, ipa));
}

// ---- address size (effective S2PS, spec 3.4 stage 2 check 2)
TEST_F(WalkS2, OutputBeyondS2psIsAddrSizeFault) {
    Tree t = tree(12, 1, 39);
    s2_only(Ste::s2(t.root, S2TG_4K, 25, 1, 0)); // S2PS 32 bits
    uint64_t ok = 0x12345000, bad = 0x12346000;
    map(t, ok, 3, Desc::page(0xFFFFF000ull).s2ap(3));
    map(t, bad, 3, Desc::page(0x100000000ull).s2ap(3));
    expect_ok(xlate(sid, ok), 0xFFFFF000ull);
    expect_fault(xlate(sid, bad), s2_fault(F_ADDR_SIZE, bad));
}

TEST_F(WalkS2, TableBeyondS2psIsAddrSizeFault) {
    Tree t = tree(12, 1, 39);
    s2_only(Ste::s2(t.root, S2TG_4K, 25, 1, 1)); // 36 bits
    uint64_t ipa = 0x12345000;
    wdesc(t, slot(t, ipa, 1), Desc::table(1ull << 36).v);
    expect_fault(xlate(sid, ipa), s2_fault(F_ADDR_SIZE, ipa));
}

// ---- Access flag (STE.S2AFFD, 5.2)
TEST_F(WalkS2, AccessFlagZeroFaults) {
    Tree t = tree(12, 1, 39);
    s2_only(Ste::s2(t.root, S2TG_4K, 25, 1));
    uint64_t ipa = 0x12345000;
    map(t, ipa, 3, Desc::page(PA_PAGE).s2ap(3).af(false));
    expect_fault(xlate(sid, ipa), s2_fault(F_ACCESS, ipa));
}

TEST_F(WalkS2, AccessFlagZeroWithS2affdTranslates) {
    Tree t = tree(12, 1, 39);
    s2_only(Ste::s2(t.root, S2TG_4K, 25, 1).s2affd(true));
    uint64_t ipa = 0x12345000;
    map(t, ipa, 3, Desc::page(PA_PAGE).s2ap(3).af(false));
    expect_ok(xlate(sid, ipa), PA_PAGE);
}

// ---- S2AP / XN (Arm ARM Tables D8-76, D8-77; FEAT_XNX not implemented)
using S2PermParam = std::tuple<unsigned, bool, int, bool>; // s2ap, xn, kind 0R 1W 2X, priv

class WalkS2Perm : public WalkS2, public ::testing::WithParamInterface<S2PermParam> {};

TEST_P(WalkS2Perm, S2apAndXn) {
    auto [s2ap, xn, kind, priv] = GetParam();
    Tree t = tree(12, 1, 39);
    s2_only(Ste::s2(t.root, S2TG_4K, 25, 1));
    uint64_t ipa = 0x12345000;
    map(t, ipa, 3, Desc::page(PA_PAGE).s2ap(s2ap).xn(xn));
    bool read_ok = s2ap & 1, write_ok = s2ap & 2, exec_ok = !xn;
    bool ok = kind == 0 ? read_ok : kind == 1 ? write_ok : exec_ok;
    auto r = xlate(sid, ipa, kind == 1, priv, kind == 2);
    if (ok) {
        expect_ok(r, PA_PAGE);
        uint8_t g = (read_ok ? SMMU_PERM_R : 0) | (write_ok ? SMMU_PERM_W : 0) |
                    (exec_ok ? SMMU_PERM_X : 0);
        EXPECT_EQ(r.perm, g);
    } else {
        Ev e = s2_fault(F_PERMISSION, ipa, kind == 1);
        e.pnu = priv;
        e.ind = kind == 2;
        expect_fault(r, e);
    }
}

std::string s2perm_name(const ::testing::TestParamInfo<S2PermParam> &i) {
    auto [s2ap, xn, kind, priv] = i.param;
    static const char *const kinds[] = {"Read", "Write", "Exec"};
    return "S2ap" + std::to_string(s2ap >> 1) + std::to_string(s2ap & 1) + "Xn" +
           std::to_string(xn) + (priv ? "Priv" : "Unpriv") + kinds[kind];
}

INSTANTIATE_TEST_SUITE_P(D876, WalkS2Perm,
                         ::testing::Combine(::testing::Values(0u, 1u, 2u, 3u), ::testing::Bool(),
                                            ::testing::Values(0, 1, 2), ::testing::Bool()),
                         s2perm_name);

// ---- MemAttr (Arm ARM Table D8-96), combined with the incoming Normal-WB attribute
TEST_F(WalkS2, MemAttrDeviceNGnREGivesDevice) {
    Tree t = tree(12, 1, 39);
    s2_only(Ste::s2(t.root, S2TG_4K, 25, 1));
    map(t, 0x12345000, 3, Desc::page(PA_PAGE).s2ap(3).memattr(0b0001));
    map(t, 0x12346000, 3, Desc::page(PA_PAGE).s2ap(3).memattr(0b0000));
    EXPECT_EQ(xlate(sid, 0x12345000).attr, tenc::MAIR_DEV_nGnRE);
    EXPECT_EQ(xlate(sid, 0x12346000).attr, tenc::MAIR_DEV_nGnRnE);
}

TEST_F(WalkS2, MemAttrNormalNonCacheable) {
    Tree t = tree(12, 1, 39);
    s2_only(Ste::s2(t.root, S2TG_4K, 25, 1));
    map(t, 0x12345000, 3, Desc::page(PA_PAGE).s2ap(3).memattr(0b0101));
    EXPECT_EQ(xlate(sid, 0x12345000).attr, tenc::MAIR_NC);
}

// ---- endianness (STE.S2ENDI)
TEST_F(WalkS2, BigEndianDescriptors) {
    Tree t = tree(16, 2, 42);
    t.be = true;
    s2_only(Ste::s2(t.root, S2TG_64K, 22, 1).s2endi(true));
    uint64_t ipa = 0x0000023456789000ull;
    map(t, ipa, 3, Desc::page(PA_PAGE).s2ap(3));
    expect_ok(xlate(sid, ipa), PA_PAGE | (ipa & 0xFFFF));
}

TEST_F(WalkS2, LittleEndianTablesReadBigEndianAreInvalid) {
    Tree t = tree(16, 2, 42);
    s2_only(Ste::s2(t.root, S2TG_64K, 22, 1).s2endi(true));
    uint64_t ipa = 0x0000023456789000ull;
    map(t, ipa, 3, Desc::page(PA_PAGE).s2ap(3));
    expect_fault(xlate(sid, ipa), s2_fault(F_TRANSLATION, ipa));
}

// ---- external abort on a stage-2 descriptor (7.3.12: S2 = 1, CLASS = IN, FetchAddr)
TEST_F(WalkS2, ExternalAbortOnTableIsWalkEabt) {
    Tree t = tree(12, 1, 39);
    s2_only(Ste::s2(t.root, S2TG_4K, 25, 1));
    uint64_t ipa = 0x12345000;
    map(t, ipa, 3, Desc::page(PA_PAGE).s2ap(3));
    uint64_t desc_pa = slot(t, ipa, 3);
    ASSERT_EQ(smmu_mem_add_abort(mem, desc_pa & ~0xFFFull, 0x1000), 0);
    expect_fault(
        xlate(sid, ipa),
        Ev{.type = F_WALK_EABT, .addr = ipa, .s2 = true, .cls = CLASS_IN, .fetch = desc_pa});
}
