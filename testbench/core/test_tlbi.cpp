// SPDX-License-Identifier: Apache-2.0 OR MIT
// TLB tagging (spec 3.17) and CMD_TLBI_* scopes (4.4): each test fills the TLB, then remaps the
// pages in memory without telling the SMMU, issues one invalidation + CMD_SYNC, and checks that
// every translation in the command's scope gives the new output (removed) while the others
// still give the old one (the model removes exactly the scope; more would be permitted).
#include <vector>

#include "cache_fixture.h"

using namespace tfx;
using tenc::Cd;
using tenc::Desc;
using tenc::Ste;

namespace {

constexpr uint64_t VA1 = 0x40000000, VA2 = 0x40001000, VA3 = 0x40200000;
constexpr uint64_t GB = 1ull << 30, MB2 = 1ull << 21;

class Tlbi : public RemapTest {
  protected:
    // Address of the descriptor for va at level in a 4KB table tree rooted at root (start 0).
    uint64_t slot4k(uint64_t root, uint64_t va, unsigned level) {
        uint64_t table = root;
        for (unsigned l = 0; l < level; l++)
            table =
                get64(table + 8 * ((va >> tenc::level_shift(12, l)) & 511)) & 0x0000FFFFFFFFF000ull;
        return table + 8 * ((va >> tenc::level_shift(12, level)) & 511);
    }
};

// Conformance note 12 / 3.21.1: a changed descriptor is not seen until a TLBI + SYNC.
TEST_F(Tlbi, TranslationStaleUntilTlbi) {
    uint64_t r1 = s1_stream(1, 1);
    fill(1, r1, VA1, 0);
    remap_all();
    auto r = xlate(1, VA1);
    EXPECT_EQ(r.pa, OLD) << "the TLB entry is still used";
    EXPECT_TRUE(r.tlb_hit);
    cmds({tenc::tlbi_nh_va(0, 1, VA1)});
    EXPECT_TRUE(removed(0));
}

// 4.4.2.2: NH_ASID removes the non-global entries of ASID (and VMID); other ASIDs and global
// entries stay (3.17.1).
TEST_F(Tlbi, NhAsidRemovesNonGlobalEntriesOfAsid) {
    uint64_t r1 = s1_stream(1, 1);
    fill(1, r1, VA1, 0);
    fill(2, s1_stream(2, 2), VA1, 0x1000);
    fill(1, r1, VA3, 0x2000, false);          // global, inserted through the CD with ASID 1
    fill(4, s1_stream(4, 1, 5), VA1, 0x3000); // ASID 1 in VMID 5
    remap_all();
    cmds({tenc::tlbi_nh_asid(0, 1)});
    EXPECT_TRUE(removed(0));
    EXPECT_FALSE(removed(1)) << "other ASID";
    EXPECT_FALSE(removed(2)) << "global entry";
    EXPECT_FALSE(removed(3)) << "other VMID";
}

// 4.4.2.1: NH_ALL removes every NS-EL1 entry of VMID, global ones included.
TEST_F(Tlbi, NhAllRemovesEveryEntryOfVmid) {
    fill(1, s1_stream(1, 1), VA1, 0);
    fill(2, s1_stream(2, 2), VA3, 0x1000, false);
    fill(3, s1_stream(3, 1, 5), VA1, 0x2000);
    remap_all();
    cmds({tenc::tlbi_nh_all(0)});
    EXPECT_TRUE(removed(0));
    EXPECT_TRUE(removed(1)) << "global";
    EXPECT_FALSE(removed(2)) << "other VMID";
}

// 4.4.2.4: NH_VA removes entries of ASID at VA, and global entries at VA whatever their ASID.
TEST_F(Tlbi, NhVaRemovesAsidAndGlobalEntriesAtVa) {
    uint64_t r1 = s1_stream(1, 1);
    fill(1, r1, VA1, 0);
    fill(1, r1, VA2, 0x1000);
    fill(2, s1_stream(2, 2), VA1, 0x2000);
    fill(3, s1_stream(3, 3), VA3, 0x3000, false);
    remap_all();
    cmds({tenc::tlbi_nh_va(0, 1, VA1), tenc::tlbi_nh_va(0, 1, VA3)});
    EXPECT_TRUE(removed(0));
    EXPECT_FALSE(removed(1)) << "other VA";
    EXPECT_FALSE(removed(2)) << "other ASID";
    EXPECT_TRUE(removed(3)) << "global entry at VA, inserted with another ASID";
}

// 4.4.2.3: NH_VAA removes the entries at VA of every ASID of VMID.
TEST_F(Tlbi, NhVaaRemovesEveryAsidAtVa) {
    uint64_t r1 = s1_stream(1, 1);
    fill(1, r1, VA1, 0);
    fill(1, r1, VA2, 0x1000);
    fill(2, s1_stream(2, 2), VA1, 0x2000);
    fill(3, s1_stream(3, 1, 5), VA1, 0x3000);
    remap_all();
    cmds({tenc::tlbi_nh_vaa(0, VA1)});
    EXPECT_TRUE(removed(0));
    EXPECT_FALSE(removed(1)) << "other VA";
    EXPECT_TRUE(removed(2)) << "other ASID";
    EXPECT_FALSE(removed(3)) << "other VMID";
}

// 4.4.1: the address need not be aligned to the entry; a 2MB block is removed by any address
// inside it.
TEST_F(Tlbi, NhVaAnyAddressInsideBlock) {
    uint64_t r1 = s1_stream(1, 1);
    map(r1, 12, 0, VA3, Desc::block(OLD).ap(1).ng(true), 2);
    EXPECT_EQ(pa_of(1, VA3 + 0x5008), OLD + 0x5008);
    map(r1, 12, 0, VA3, Desc::block(NEW).ap(1).ng(true), 2);
    cmds({tenc::tlbi_nh_va(0, 1, VA3 + 0x1FF000)});
    EXPECT_EQ(pa_of(1, VA3 + 0x5008), NEW + 0x5008);
}

// 3.21.1 / 4.4: a Leaf TLBI need not remove cached table descriptors (the walk cache keeps
// them, so the walk resumes from the old next-level table); a non-Leaf one must.
TEST_F(Tlbi, LeafKeepsWalkCacheNonLeafRemovesIt) {
    uint64_t r1 = s1_stream(1, 1);
    fill(1, r1, VA1, 0);
    uint64_t l2 = slot4k(r1, VA1, 2);
    uint64_t t3 = new_table(12);
    put64(t3 + 8 * ((VA1 >> 12) & 511), Desc::page(NEW).ap(1).ng(true).v);
    put64(l2, Desc::table(t3).v); // new level-3 table; the old one still maps OLD
    cmds({tenc::tlbi_nh_va(0, 1, VA1, true)});
    auto r = xlate(1, VA1);
    EXPECT_EQ(r.pa, OLD) << "walk resumed below the cached level-2 table descriptor";
    EXPECT_EQ(r.mem_reads, 1u);
    cmds({tenc::tlbi_nh_va(0, 1, VA1, false)});
    r = xlate(1, VA1);
    EXPECT_EQ(r.pa, NEW) << "full walk";
    EXPECT_EQ(r.mem_reads, 4u);
}

// 4.4.1.1: with TTL, a non-Leaf TLBI removes table descriptors only at levels above the TTL
// level: TTL 3 keeps none of levels 0..2; TTL 2 keeps the level-2 table descriptor.
TEST_F(Tlbi, TtlLimitsWalkCacheLevels) {
    uint64_t r1 = s1_stream(1, 1);
    fill(1, r1, VA1, 0);
    auto tlbi = [&](unsigned ttl) { return tenc::tlbi_nh_va(0, 1, VA1, false).tg(1).ttl(ttl); };
    cmds({tenc::tlbi_nh_va(0, 1, VA1, true), tlbi(2)}); // the page, then tables above level 2
    EXPECT_EQ(xlate(1, VA1).mem_reads, 1u) << "level-2 table descriptor kept";
    cmds({tlbi(3)});
    EXPECT_EQ(xlate(1, VA1).mem_reads, 4u) << "levels 0..2 removed";
}

// ---- range invalidation (4.4.1.1): Range = (NUM + 1) * 2^SCALE granules from Address, TG the
// granule the entries were inserted with, TTL their level.

struct RangeCase {
    unsigned tg; // command TG: 1 4KB, 2 16KB, 3 64KB
    unsigned num, scale;
};

class TlbiRange : public Tlbi, public ::testing::WithParamInterface<RangeCase> {
  protected:
    static unsigned gran(unsigned tg) {
        return tg == 1 ? 12 : tg == 2 ? 14 : 16;
    }
    // A stage-1 stream with a 39-bit VA space (T0SZ 25) of granule g; its start level.
    uint64_t stream(unsigned g, unsigned *start) {
        unsigned tg0 = g == 12 ? tenc::TG0_4K : g == 14 ? tenc::TG0_16K : tenc::TG0_64K;
        unsigned levels = (39 - g + (g - 3) - 1) / (g - 3);
        *start = 4 - levels;
        uint64_t root = alloc(8ull << (39 - tenc::level_shift(g, *start)), 1ull << g);
        uint64_t cd = alloc(64, 64);
        put_words(cd, Cd::s1(root, 25, tg0, 1).dw, 8);
        put_ste(1, Ste::s1(cd).dw);
        return root;
    }
};

TEST_P(TlbiRange, RemovesExactlyTheRange) {
    const RangeCase c = GetParam();
    unsigned g = gran(c.tg), start;
    uint64_t root = stream(g, &start);
    uint64_t base = 0x40000000, size = 1ull << g;
    uint64_t range = ((uint64_t)c.num + 1) << (c.scale + g);
    uint64_t probes[4] = {base - size, base, base + range - size, base + range};
    auto leaf = [&](uint64_t pa) { return Desc::page(pa).ap(1).ng(true); };
    bool skip[4];
    for (int i = 0; i < 4; i++) { // beyond the VA space, or a probe already used
        skip[i] = (probes[i] >> 39) != 0;
        for (int j = 0; j < i; j++)
            skip[i] = skip[i] || probes[j] == probes[i];
    }
    for (int i = 0; i < 4; i++) {
        if (skip[i]) continue;
        map(root, g, start, probes[i], leaf(OLD + (uint64_t)i * 0x100000));
        ASSERT_EQ(pa_of(1, probes[i]), OLD + (uint64_t)i * 0x100000);
        map(root, g, start, probes[i], leaf(NEW + (uint64_t)i * 0x100000));
    }
    cmds({tenc::tlbi_nh_va(0, 1, base).tg(c.tg).num(c.num).scale(c.scale).ttl(3)});
    for (int i = 0; i < 4; i++) {
        if (skip[i]) continue;
        bool in = probes[i] >= base && probes[i] < base + range;
        uint64_t want = (in ? NEW : OLD) + (uint64_t)i * 0x100000;
        EXPECT_EQ(pa_of(1, probes[i]), want) << "probe " << i << (in ? " in" : " out");
    }
}

std::vector<RangeCase> range_cases() {
    std::vector<RangeCase> v;
    for (unsigned tg = 1; tg <= 3; tg++) {
        for (unsigned num = 0; num < 32; num++)
            v.push_back({tg, num, 0});
        for (unsigned scale = 1; scale < 32; scale++) {
            v.push_back({tg, 0, scale});
            v.push_back({tg, 31, scale});
            v.push_back({tg, 5, scale});
        }
    }
    return v;
}

INSTANTIATE_TEST_SUITE_P(AllTgNumScale, TlbiRange, ::testing::ValuesIn(range_cases()),
                         [](const ::testing::TestParamInfo<RangeCase> &i) {
                             return "Tg" + std::to_string(i.param.tg) + "Num" +
                                    std::to_string(i.param.num) + "Scale" +
                                    std::to_string(i.param.scale);
                         });

// TTL (4.4.1.1): a non-zero TTL need only remove leaves of that level; TG: entries of that
// granule. A page (level 3) and a 2MB block (level 2), both 4KB granule, against every TTL and
// a wrong TG. TTL 0 is "any level" (with NUM = SCALE = 0 it is Reserved and not used here).
struct TtlCase {
    unsigned tg, ttl;
    bool page_removed, block_removed;
};

class TlbiTtl : public Tlbi, public ::testing::WithParamInterface<TtlCase> {};

TEST_P(TlbiTtl, RemovesOnlyLeavesOfTtlLevelAndTg) {
    const TtlCase c = GetParam();
    uint64_t r1 = s1_stream(1, 1);
    fill(1, r1, VA1, 0);
    map(r1, 12, 0, VA3, Desc::block(OLD + MB2).ap(1).ng(true), 2);
    ASSERT_EQ(pa_of(1, VA3), OLD + MB2);
    remap_all();
    map(r1, 12, 0, VA3, Desc::block(NEW + MB2).ap(1).ng(true), 2);
    unsigned num = c.ttl == 0 ? 1 : 0; // TTL 0 needs a range
    cmds({tenc::tlbi_nh_va(0, 1, VA1).tg(c.tg).ttl(c.ttl).num(num),
          tenc::tlbi_nh_va(0, 1, VA3).tg(c.tg).ttl(c.ttl).num(num)});
    EXPECT_EQ(removed(0), c.page_removed) << "page";
    EXPECT_EQ(pa_of(1, VA3) == NEW + MB2, c.block_removed) << "block";
}

INSTANTIATE_TEST_SUITE_P(Levels, TlbiTtl,
                         ::testing::Values(TtlCase{1, 0, true, true}, TtlCase{1, 1, false, false},
                                           TtlCase{1, 2, false, true}, TtlCase{1, 3, true, false},
                                           TtlCase{3, 3, false, false}, TtlCase{2, 2, false, false},
                                           TtlCase{3, 0, false, false}),
                         [](const ::testing::TestParamInfo<TtlCase> &i) {
                             return "Tg" + std::to_string(i.param.tg) + "Ttl" +
                                    std::to_string(i.param.ttl);
                         });

// ---- EL2 StreamWorlds (3.17.5, 4.4.2.7 - 4.4.2.10)

class TlbiEl2 : public Tlbi {
  protected:
    void with_e2h(bool e2h) {
        cr2 = e2h ? 1 : 0; // SMMU_CR2.E2H
        enable();
    }
};

// NS-EL2 entries are tagged apart from NS-EL1 ones: NH_ALL and NSNH_ALL leave them, EL2_ALL
// removes them (and leaves NS-EL1 entries).
TEST_F(TlbiEl2, El2EntriesApartFromEl1) {
    with_e2h(false);
    fill(1, s1_stream(1, 0, 0, false, 2), VA1, 0); // STRW 0b10: NS-EL2
    fill(2, s1_stream(2, 1), VA1, 0x1000);
    remap_all();
    cmds({tenc::tlbi_nh_all(0), tenc::tlbi_nsnh_all()});
    EXPECT_FALSE(removed(0)) << "EL2 entry kept by NH_ALL / NSNH_ALL";
    EXPECT_TRUE(removed(1));
    page(maps[1].root, VA1, OLD + 0x1000); // refill the EL1 entry with OLD ...
    cmds({tenc::tlbi_nh_all(0)});
    ASSERT_EQ(pa_of(2, VA1), OLD + 0x1000);
    page(maps[1].root, VA1, NEW + 0x1000); // ... and remap it again
    cmds({tenc::tlbi_el2_all()});
    EXPECT_TRUE(removed(0));
    EXPECT_FALSE(removed(1)) << "EL1 entry kept by EL2_ALL";
}

// E2H == 0: EL2_VA ignores its ASID (EL2 entries have none); EL2_ASID does not apply to
// NS-EL2 entries.
TEST_F(TlbiEl2, El2VaWithoutE2hIgnoresAsid) {
    with_e2h(false);
    uint64_t r1 = s1_stream(1, 0, 0, false, 2);
    fill(1, r1, VA1, 0);
    fill(1, r1, VA2, 0x1000);
    remap_all();
    cmds({tenc::tlbi_el2_asid(0)});
    EXPECT_FALSE(removed(0)) << "EL2_ASID: EL2-E2H entries only";
    cmds({tenc::tlbi_el2_va(99, VA1)});
    EXPECT_TRUE(removed(0));
    EXPECT_FALSE(removed(1));
}

// E2H == 0: EL2_VAA removes the NS-EL2 entries at VA; NS-EL1 entries at VA stay.
TEST_F(TlbiEl2, El2VaaWithoutE2hRemovesEl2EntriesAtVa) {
    with_e2h(false);
    uint64_t r1 = s1_stream(1, 0, 0, false, 2);
    fill(1, r1, VA1, 0);
    fill(1, r1, VA2, 0x1000);
    fill(2, s1_stream(2, 1), VA1, 0x2000);
    remap_all();
    cmds({tenc::tlbi_el2_vaa(VA1)});
    EXPECT_TRUE(removed(0));
    EXPECT_FALSE(removed(1)) << "other VA";
    EXPECT_FALSE(removed(2)) << "NS-EL1 entry";
}

// E2H == 1: NS-EL2-E2H entries carry ASIDs: EL2_ASID removes the non-global entries of ASID,
// EL2_VA those of ASID (and global ones) at VA, EL2_VAA every ASID at VA.
TEST_F(TlbiEl2, E2hEntriesTaggedWithAsid) {
    with_e2h(true);
    fill(1, s1_stream(1, 5, 0, false, 2), VA1, 0);
    fill(2, s1_stream(2, 6, 0, false, 2), VA1, 0x1000);
    fill(3, s1_stream(3, 7, 0, false, 2), VA3, 0x2000, false); // global
    fill(4, s1_stream(4, 8, 0, false, 2), VA2, 0x3000);
    remap_all();
    cmds({tenc::tlbi_el2_asid(5)});
    EXPECT_TRUE(removed(0));
    EXPECT_FALSE(removed(1)) << "other ASID";
    EXPECT_FALSE(removed(2)) << "global";
    cmds({tenc::tlbi_el2_va(6, VA1), tenc::tlbi_el2_va(6, VA3)});
    EXPECT_TRUE(removed(1));
    EXPECT_TRUE(removed(2)) << "global entry at VA";
    EXPECT_FALSE(removed(3)) << "other VA";
    cmds({tenc::tlbi_el2_vaa(VA2)});
    EXPECT_TRUE(removed(3));
}

// ---- stage 2 (4.4.3, 4.4.4)

class TlbiS2 : public Tlbi {};

// 4.4.3.1: S2_IPA removes the stage-2-only entries of VMID at IPA.
TEST_F(TlbiS2, S2IpaRemovesStage2EntryOfVmid) {
    uint64_t a = s2_stream(1, 1), b = s2_stream(2, 2);
    s2map(a, VA1, OLD);
    s2map(a, VA2, OLD + 0x1000);
    s2map(b, VA1, OLD + 0x2000);
    EXPECT_EQ(pa_of(1, VA1), OLD);
    EXPECT_EQ(pa_of(1, VA2), OLD + 0x1000);
    EXPECT_EQ(pa_of(2, VA1), OLD + 0x2000);
    s2map(a, VA1, NEW);
    s2map(a, VA2, NEW + 0x1000);
    s2map(b, VA1, NEW + 0x2000);
    cmds({tenc::tlbi_s2_ipa(1, VA1)});
    EXPECT_EQ(pa_of(1, VA1), NEW);
    EXPECT_EQ(pa_of(1, VA2), OLD + 0x1000) << "other IPA";
    EXPECT_EQ(pa_of(2, VA1), OLD + 0x2000) << "other VMID";
    cmds({tenc::tlbi_nh_all(1), tenc::tlbi_nh_vaa(1, VA2)});
    EXPECT_EQ(pa_of(1, VA2), OLD + 0x1000) << "stage-1 TLBIs leave stage-2-only entries";
}

// 4.4.1.1 on IPAs: S2_IPA with TG / NUM / TTL removes (NUM + 1) granules from the IPA.
TEST_F(TlbiS2, S2IpaRangeRemovesExactlyTheRange) {
    uint64_t a = s2_stream(1, 1);
    for (uint64_t i = 0; i < 6; i++) {
        s2map(a, VA1 + 0x1000 * i, OLD + 0x1000 * i);
        ASSERT_EQ(pa_of(1, VA1 + 0x1000 * i), OLD + 0x1000 * i);
        s2map(a, VA1 + 0x1000 * i, NEW + 0x1000 * i);
    }
    cmds({tenc::tlbi_s2_ipa(1, VA1 + 0x1000).tg(1).num(3).ttl(3)}); // IPA pages 1..4
    for (uint64_t i = 0; i < 6; i++) {
        bool in = i >= 1 && i <= 4;
        EXPECT_EQ(pa_of(1, VA1 + 0x1000 * i), (in ? NEW : OLD) + 0x1000 * i) << i;
    }
}

// 4.4.3.1 with Leaf: S2_IPA Leaf = 1 keeps stage-2 table descriptors in the walk cache;
// Leaf = 0 removes them.
TEST_F(TlbiS2, S2IpaLeafKeepsWalkCache) {
    uint64_t a = s2_stream(1, 1);
    s2map(a, VA1, OLD);
    EXPECT_EQ(pa_of(1, VA1), OLD);
    uint64_t l1 = a + 8 * ((VA1 >> 30) & 511);
    uint64_t t2 = new_table(12), t3 = new_table(12);
    put64(t2 + 8 * ((VA1 >> 21) & 511), Desc::table(t3).v);
    put64(t3 + 8 * ((VA1 >> 12) & 511), s2page(NEW).v);
    put64(l1, Desc::table(t2).v);
    cmds({tenc::tlbi_s2_ipa(1, VA1, true)});
    EXPECT_EQ(pa_of(1, VA1), OLD) << "old tables through the walk cache";
    cmds({tenc::tlbi_s2_ipa(1, VA1, false)});
    EXPECT_EQ(pa_of(1, VA1), NEW);
}

// 4.4.3.1: S2_IPA need not remove combined stage 1 + stage 2 entries (kept here); with NH_VAA
// the stage-1 part goes too, and the stage-2 translation of the output IPA (IPA cache) was
// removed by S2_IPA. NH_VAA alone leaves the IPA cache: both are needed.
TEST_F(TlbiS2, S2IpaLeavesCombinedEntriesNhVaaCompletes) {
    uint64_t s1root;
    uint64_t s2 = nested_stream(1, 3, 1, &s1root);
    page(s1root, VA1, 4 * GB);
    s2map(s2, 4 * GB, OLD);
    EXPECT_EQ(pa_of(1, VA1), OLD);
    s2map(s2, 4 * GB, NEW);
    cmds({tenc::tlbi_s2_ipa(3, 4 * GB)});
    EXPECT_EQ(pa_of(1, VA1), OLD) << "combined entry kept by S2_IPA (4.4.3.1)";
    cmds({tenc::tlbi_nh_vaa(3, VA1)});
    EXPECT_EQ(pa_of(1, VA1), NEW);
    s2map(s2, 4 * GB, OLD + 0x5000);
    cmds({tenc::tlbi_nh_vaa(3, VA1)});
    EXPECT_EQ(pa_of(1, VA1), NEW) << "IPA cache entry kept by NH_VAA";
}

// 4.4.1: a VA invalidation removes every cached piece of a stage-1 block, even where stage 2
// split it into smaller combined entries.
TEST_F(TlbiS2, NhVaRemovesCombinedPiecesOfStage1Block) {
    uint64_t s1root;
    uint64_t s2 = nested_stream(1, 3, 1, &s1root);
    map(s1root, 12, 0, VA3, Desc::block(4 * GB).ap(1).ng(true), 2);
    s2map(s2, 4 * GB, OLD);
    s2map(s2, 4 * GB + 0x1000, OLD + 0x1000);
    EXPECT_EQ(pa_of(1, VA3), OLD);
    EXPECT_EQ(pa_of(1, VA3 + 0x1000), OLD + 0x1000);
    s2map(s2, 4 * GB, NEW);
    s2map(s2, 4 * GB + 0x1000, NEW + 0x1000);
    cmds({tenc::tlbi_s2_ipa(3, 4 * GB), tenc::tlbi_s2_ipa(3, 4 * GB + 0x1000)});
    cmds({tenc::tlbi_nh_va(3, 1, VA3 + 0x1000)});
    EXPECT_EQ(pa_of(1, VA3), NEW) << "same stage-1 block";
    EXPECT_EQ(pa_of(1, VA3 + 0x1000), NEW + 0x1000);
}

// 4.4.3.2: S12_VMALL removes every entry of VMID at both stages: combined, stage-2-only and
// cached stage-2 translations; other VMIDs keep theirs.
TEST_F(TlbiS2, S12VmallRemovesAllStagesOfVmid) {
    uint64_t s1root;
    uint64_t n = nested_stream(1, 3, 1, &s1root);
    page(s1root, VA1, 4 * GB);
    s2map(n, 4 * GB, OLD);
    put_ste(2, Ste::s2(n, 0, 25, 1, 5, 3).dw); // same VMID: same stage-2 tables (3.17.6)
    uint64_t b = s2_stream(3, 4);
    s2map(n, 4 * GB + 0x1000, OLD + 0x1000);
    s2map(b, VA1, OLD + 0x2000);
    EXPECT_EQ(pa_of(1, VA1), OLD);
    EXPECT_EQ(pa_of(2, 4 * GB + 0x1000), OLD + 0x1000);
    EXPECT_EQ(pa_of(3, VA1), OLD + 0x2000);
    s2map(n, 4 * GB, NEW);
    s2map(n, 4 * GB + 0x1000, NEW + 0x1000);
    s2map(b, VA1, NEW + 0x2000);
    cmds({tenc::tlbi_s12_vmall(3)});
    EXPECT_EQ(pa_of(1, VA1), NEW);
    EXPECT_EQ(pa_of(2, 4 * GB + 0x1000), NEW + 0x1000);
    EXPECT_EQ(pa_of(3, VA1), OLD + 0x2000) << "other VMID";
}

// 4.4.4.1: NSNH_ALL removes every non-EL2 entry of every VMID.
TEST_F(TlbiS2, NsnhAllRemovesEveryVmid) {
    uint64_t a = s2_stream(2, 3), b = s2_stream(3, 4);
    s2map(a, VA1, OLD + 0x1000);
    s2map(b, VA1, OLD + 0x2000);
    uint64_t r4 = s1_stream(4, 9, 7);
    page(r4, VA1, OLD + 0x3000);
    EXPECT_EQ(pa_of(2, VA1), OLD + 0x1000);
    EXPECT_EQ(pa_of(3, VA1), OLD + 0x2000);
    EXPECT_EQ(pa_of(4, VA1), OLD + 0x3000);
    s2map(a, VA1, NEW + 0x1000);
    s2map(b, VA1, NEW + 0x2000);
    page(r4, VA1, NEW + 0x3000);
    cmds({tenc::tlbi_nsnh_all()});
    EXPECT_EQ(pa_of(2, VA1), NEW + 0x1000);
    EXPECT_EQ(pa_of(3, VA1), NEW + 0x2000);
    EXPECT_EQ(pa_of(4, VA1), NEW + 0x3000);
}

// 4.4: every invalidation tells the host (DMI revocation), also with nothing cached.
TEST_F(Tlbi, EveryInvalidationNotifiesHost) {
    int before = dev.invalidated;
    cmds({tenc::tlbi_nh_all(0), tenc::cfgi_all(), tenc::tlbi_nsnh_all()});
    EXPECT_EQ(dev.invalidated - before, 3);
}

} // namespace
