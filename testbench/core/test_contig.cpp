// SPDX-License-Identifier: Apache-2.0 OR MIT
// Contiguous hints. The Contiguous bit of Block and Page descriptors (bit[52], Arm ARM D8.7.1,
// Table D8-104): the TLB may hold one entry for the whole contiguous range, which a TLBI by
// address of any page of it removes (D8.17), and a misprogrammed bit gives one of the results
// of D8.7.1.1 (a programmed translation, or a TLB conflict abort: F_TLB_CONFLICT, 3.20.1, at
// BBML 0/1; never for a change of only the bit at level 1, 3.21.1.2). STE.CONT (bits [80:77],
// spec 5.2): one configuration cache entry for an aligned span of 2^CONT StreamIDs, removed
// by a CFGI_STE of any of them (5.2, 4.3.1); non-identical STEs that both match a lookup give
// F_CFG_CONFLICT (3.20.2, 7.3.18). Descriptors and STEs are written with tenc (from the specs).
#include <vector>

#include "cache_fixture.h"

using namespace tfx;
using tenc::Desc;
using tenc::Ste;

namespace {

constexpr uint64_t VA = 0x40000000; // 64KB aligned (and 32MB aligned)
constexpr uint64_t KB4 = 0x1000, KB64 = 0x10000;
constexpr uint32_t SID = 3;
constexpr unsigned ASID = 7;

class Contig : public CacheTest {
  protected:
    uint64_t root = 0;
    void SetUp() override {
        CacheTest::SetUp();
        root = s1_stream(SID, ASID);
    }
    // The 16 4KB pages of the 64KB range at VA -> pa + i * 4KB with Contiguous == cont (Table
    // D8-104: 4KB granule, level 3, 16 entries, OA range aligned to 64KB).
    void range(uint64_t pa, bool cont = true) {
        for (unsigned i = 0; i < 16; i++)
            page_at(i, pa + KB4 * i, cont);
    }
    void page_at(unsigned i, uint64_t pa, bool cont) {
        map(root, 12, 0, VA + KB4 * i, Desc::page(pa).ap(1).ng(true).cont(cont));
    }
    smmu_result_t rd(unsigned i, uint64_t off = 0x10) {
        return xlate(SID, VA + KB4 * i + off);
    }
};

class ContigBbml1 : public Contig {
  protected:
    void configure(smmu_params_t &p) override {
        p.bbml = 1;
    }
};

class ContigBbml0 : public Contig {
  protected:
    void configure(smmu_params_t &p) override {
        p.bbml = 0;
    }
};

// ---- The range as one TLB entry (D8.7.1 R CBXXM, Table D8-104)

TEST_F(Contig, SpanEntryServesEveryPageOfTheRange_D8_7_1) {
    range(OLD);
    for (unsigned i = 0; i < 16; i++) {
        smmu_result_t r = rd(i);
        ASSERT_EQ(r.status, SMMU_OK) << i;
        EXPECT_EQ(r.pa, OLD + KB4 * i + 0x10) << i;
        EXPECT_EQ(r.span, KB64) << "16 x 4KB, aligned to 64KB";
        EXPECT_EQ(r.tlb_hit, i != 0) << i;
    }
    smmu_cache_stats_t st = cstats(SMMU_CACHE_TLB);
    EXPECT_EQ(st.fills, 1u) << "one walk for the 16 pages";
    EXPECT_EQ(st.misses, 1u);
    EXPECT_EQ(st.hits, 15u);
    EXPECT_TRUE(events().empty());
}

TEST_F(Contig, WithoutTheBitEachPageIsItsOwnEntry_D8_7_1) {
    range(OLD, false);
    for (unsigned i = 0; i < 16; i++) {
        smmu_result_t r = rd(i);
        ASSERT_EQ(r.status, SMMU_OK) << i;
        EXPECT_EQ(r.pa, OLD + KB4 * i + 0x10) << i;
        EXPECT_EQ(r.span, KB4);
    }
    EXPECT_EQ(cstats(SMMU_CACHE_TLB).fills, 16u);
}

// 4KB granule, level 2: 16 blocks of 2MB, a 32MB range (Table D8-104).
TEST_F(Contig, Level2BlocksFormA32MbRange_D8_7_1) {
    constexpr uint64_t MB2 = 1ull << 21, MB32 = 1ull << 25;
    for (unsigned i = 0; i < 16; i++)
        map(root, 12, 0, VA + MB2 * i, Desc::block(OLD + MB2 * i).ap(1).ng(true).cont(true), 2);
    smmu_result_t r = xlate(SID, VA + 5 * MB2 + 0x1234);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, OLD + 5 * MB2 + 0x1234);
    EXPECT_EQ(r.span, MB32);
    r = xlate(SID, VA + 15 * MB2 + 0x5678);
    EXPECT_TRUE(r.tlb_hit);
    EXPECT_EQ(r.pa, OLD + 15 * MB2 + 0x5678);
    EXPECT_EQ(cstats(SMMU_CACHE_TLB).fills, 1u);
}

// The range of each granule and level, Table D8-104: 4KB level 1 16 x 1GB = 16GB; 16KB level 3
// 128 x 16KB = 2MB, level 2 32 x 32MB = 1GB; 64KB level 3 32 x 64KB = 2MB, level 2 32 x 512MB
// = 16GB. A stream per case: a CD of that granule, T0SZ 16 (48-bit VA), ASID = StreamID.
TEST_F(Contig, RangeOfEachGranuleAndLevel_TableD8_104) {
    struct Case {
        unsigned tg0, gran, start, level;
        uint64_t range;
    };
    const Case cases[] = {{tenc::TG0_4K, 12, 0, 1, 1ull << 34},
                          {tenc::TG0_16K, 14, 0, 3, 1ull << 21},
                          {tenc::TG0_16K, 14, 0, 2, 1ull << 30},
                          {tenc::TG0_64K, 16, 1, 3, 1ull << 21},
                          {tenc::TG0_64K, 16, 1, 2, 1ull << 34}};
    uint32_t sid = 10;
    for (const Case &c : cases) {
        SCOPED_TRACE(testing::Message() << "granule " << c.gran << " level " << c.level);
        uint64_t r0 = new_table(c.gran);
        uint64_t cd = alloc(64, 64);
        put_words(cd, tenc::Cd::s1(r0, 16, c.tg0, sid).dw, 8); // own ASID: own TLB entries
        put_ste(sid, Ste::s1(cd).dw);
        const uint64_t va = 1ull << 36, oa = 1ull << 36,
                       entry = 1ull << tenc::level_shift(c.gran, c.level);
        Desc leaf = c.level == 3 ? Desc::page(oa + entry) : Desc::block(oa + entry);
        map(r0, c.gran, c.start, va + entry, leaf.ap(1).ng(true).cont(true), c.level);
        smmu_result_t r = xlate(sid, va + entry + 0x40);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_EQ(r.pa, oa + entry + 0x40);
        EXPECT_EQ(r.span, c.range);
        sid++;
    }
}

// Stage 2 leaves carry the bit too (Arm ARM D8.3.1): 16 IPA pages, one IPA-to-PA TLB entry.
TEST_F(Contig, Stage2RangeIsOneEntry_D8_7_1) {
    constexpr uint32_t S2SID = 9;
    const uint64_t s2 = s2_stream(S2SID, 5);
    for (unsigned i = 0; i < 16; i++)
        map(s2, 12, 1, VA + KB4 * i, s2page(OLD + KB4 * i).cont(true));
    for (unsigned i = 0; i < 16; i++)
        EXPECT_EQ(pa_of(S2SID, VA + KB4 * i + 8), OLD + KB4 * i + 8) << i;
    EXPECT_EQ(cstats(SMMU_CACHE_TLB).fills, 1u);
}

// ---- Invalidation (Arm ARM D8.17: the bit does not reduce what a TLBI by address removes)

TEST_F(Contig, TlbiVaOfAnyPageRemovesTheSpanEntry_D8_17) {
    range(OLD);
    ASSERT_EQ(rd(0).pa, OLD + 0x10);
    range(NEW); // remapped in memory only: the cached range still answers
    ASSERT_EQ(rd(7).pa, OLD + 7 * KB4 + 0x10);
    cmds({tenc::tlbi_nh_va(0, ASID, VA + KB64, true)}); // the next range: not this one
    EXPECT_EQ(rd(7).pa, OLD + 7 * KB4 + 0x10);
    cmds({tenc::tlbi_nh_va(0, ASID, VA + 11 * KB4, true)}); // page 11 of the range
    EXPECT_EQ(rd(7).pa, NEW + 7 * KB4 + 0x10);
    EXPECT_EQ(cstats(SMMU_CACHE_TLB).invalidations, 1u);
}

// A range TLBI (4.4.1.1, IDR3.RIL) of one 4KB page (TG 0b01, NUM 0, SCALE 0) with TTL 0b11
// (level 3, the level of the range's Page descriptors) inside the range removes its entry.
TEST_F(Contig, RangeTlbiOfOnePageAtLevel3RemovesTheSpanEntry_4_4_1_1) {
    ASSERT_TRUE(params.ril);
    range(OLD);
    ASSERT_EQ(rd(0).pa, OLD + 0x10);
    range(NEW);
    ASSERT_EQ(rd(2).pa, OLD + 2 * KB4 + 0x10);
    cmds({tenc::tlbi_nh_va(0, ASID, VA + 13 * KB4, true).tg(1).ttl(3).num(0).scale(0)});
    EXPECT_EQ(rd(2).pa, NEW + 2 * KB4 + 0x10);
}

// A page whose OA is not at its place in an aligned contiguous OA range (Table D8-104, last
// column) is misprogrammed (D8.7.1.1 R JQQTC): each lookup gives the translation of one of
// the programmed descriptors, applied to the whole range.
TEST_F(Contig, MisplacedOaGivesAProgrammedTranslation_D8_7_1_1) {
    range(OLD);
    page_at(3, OLD + 5 * KB4, true);
    smmu_result_t r = rd(3);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_TRUE(r.pa == OLD + 5 * KB4 + 0x10 || r.pa == OLD + 3 * KB4 + 0x10) << std::hex << r.pa;
    for (unsigned i : {0u, 4u, 15u}) {
        r = rd(i);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_TRUE(r.pa == OLD + i * KB4 + 0x10 || r.pa == OLD + (i + 2) * KB4 + 0x10) << i;
    }
    r = rd(3);
    EXPECT_TRUE(r.pa == OLD + 5 * KB4 + 0x10 || r.pa == OLD + 3 * KB4 + 0x10) << std::hex << r.pa;
    EXPECT_TRUE(events().empty());
}

class ContigOas32 : public Contig {
  protected:
    void configure(smmu_params_t &p) override {
        p.oas_bits = 32;
    }
};

// A 4KB level-1 range is 16 x 1GB = 16GB (Table D8-104), beyond a 32-bit OA: an access whose
// OA is above the OA size is still an Address Size fault (D8.7.1.2 R XFDVL), here 0x11
// F_ADDR_SIZE for VA 4GB, whose block points at 4GB.
TEST_F(ContigOas32, RangeBeyondTheOutputSizeStillFaults_D8_7_1_2) {
    constexpr uint64_t GB = 1ull << 30;
    for (uint64_t i = 0; i < 16; i++)
        map(root, 12, 0, i * GB, Desc::block(i * GB).ap(1).ng(true).cont(true), 1);
    smmu_result_t r = xlate(SID, 0x10);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x10u);
    r = xlate(SID, 4 * GB + 0x10);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, 0x11u);
}

// ---- Misprogramming (D8.7.1.1): page 1 has Contiguous == 0 and another OA than the range.

// Level 2 (3.21.1.3): the multi-hit is resolved; each result is a programmed translation.
TEST_F(Contig, Level2MisprogrammedMultiHitResolved_D8_7_1_1_3_21_1_3) {
    range(OLD);
    page_at(1, NEW + KB4, false);
    ASSERT_EQ(rd(1).pa, NEW + KB4 + 0x10); // its own 4KB entry
    ASSERT_EQ(rd(0).pa, OLD + 0x10);       // the range's entry, over page 1 too
    for (int rep = 0; rep < 2; rep++) {
        smmu_result_t r = rd(1);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_TRUE(r.pa == NEW + KB4 + 0x10 || r.pa == OLD + KB4 + 0x10) << std::hex << r.pa;
    }
    EXPECT_EQ(rd(9).pa, OLD + 9 * KB4 + 0x10);
    EXPECT_TRUE(events().empty());
}

// Level 1: a TLB conflict abort is a permitted result (D8.7.1.1 R NGLXZ): the record (7.3.17)
// type 0x20 [7:0], StreamID [63:32], RnW [99] == 1, S2 [103] == 0, InputAddr [191:128], IPA
// UNKNOWN with S2 == 0 (given as 0), Reason 0.
TEST_F(ContigBbml1, MisprogrammedMultiHitIsTlbConflict_D8_7_1_1_7_3_17) {
    range(OLD);
    page_at(1, NEW + KB4, false);
    ASSERT_EQ(rd(1).pa, NEW + KB4 + 0x10);
    ASSERT_EQ(rd(0).pa, OLD + 0x10);
    smmu_result_t r = rd(1, 0x24);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    EXPECT_EQ(r.event, 0x20u);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    const std::vector<uint64_t> want = {0x20ull | (uint64_t)SID << 32, 1ull << (99 - 64),
                                        VA + KB4 + 0x24, 0};
    EXPECT_EQ(ev[0], want);
    EXPECT_EQ(rd(2).pa, OLD + 2 * KB4 + 0x10) << "only page 1 has two entries";
    range(OLD); // repaired, and both entries invalidated
    cmds({tenc::tlbi_nh_asid(0, ASID)});
    EXPECT_EQ(rd(1).pa, OLD + KB4 + 0x10);
    EXPECT_TRUE(events().empty());
}

// Level 1 (3.21.1.2): a change of only the Contiguous bit, other properties unchanged, does not
// lead to a TLB conflict fault: the page cached before and the range cached after agree.
TEST_F(ContigBbml1, ChangingOnlyTheContiguousBitNeverConflicts_3_21_1_2) {
    range(OLD, false);
    ASSERT_EQ(rd(1).pa, OLD + KB4 + 0x10);
    ASSERT_EQ(rd(1).pa, OLD + KB4 + 0x10); // also answered by the memo now
    range(OLD, true);                      // no break-before-make, no TLBI
    smmu_result_t r = rd(0);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.span, KB64) << "the range is cached next to page 1's entry";
    for (int rep = 0; rep < 2; rep++) {
        r = rd(1);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_EQ(r.pa, OLD + KB4 + 0x10);
    }
    EXPECT_TRUE(events().empty());
}

// Level 0 (3.21.1.1): changing the bit needs break-before-make (Arm ARM D8.17 R KHRBC is a
// FEAT_BBML1 guarantee); without it the multi-hit is reported (3.20.1).
TEST_F(ContigBbml0, ContiguousBitChangeWithoutBbmIsTlbConflict_3_21_1_1) {
    range(OLD, false);
    ASSERT_EQ(rd(1).pa, OLD + KB4 + 0x10);
    range(OLD, true);
    ASSERT_EQ(rd(0).status, SMMU_OK);
    EXPECT_EQ(rd(1).status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0] & 0xFF, 0x20u);
}

// ---- STE.CONT (5.2)

class SteCont : public CacheTest {
  protected:
    static constexpr uint32_t BASE = 16; // a 4-aligned span 16..19
    uint64_t root = 0, cd = 0;
    void SetUp() override {
        CacheTest::SetUp();
        root = new_table(12);
        cd = alloc(64, 64);
        put_words(cd, tenc::Cd::s1(root, 16, tenc::TG0_4K, 5).dw, 8);
        page(root, VA, OLD);
    }
    Ste s1ste(unsigned cont) const {
        return Ste::s1(cd).cont(cont);
    }
    // The STEs of StreamIDs first..first + n - 1.
    void stes(uint32_t first, unsigned n, const Ste &ste) {
        for (uint32_t i = 0; i < n; i++)
            put_ste(first + i, ste.dw);
    }
};

TEST_F(SteCont, SpanCachedOnceServesEveryStreamId_5_2) {
    stes(BASE, 4, s1ste(2));
    for (uint32_t sid = BASE; sid < BASE + 4; sid++)
        EXPECT_EQ(pa_of(sid, VA + 0x88), OLD + 0x88) << sid;
    smmu_cache_stats_t st = cstats(SMMU_CACHE_STE);
    EXPECT_EQ(st.fills, 1u) << "one STE fetch for the span of 4";
    EXPECT_EQ(st.misses, 1u);
    EXPECT_EQ(st.hits, 3u);
}

TEST_F(SteCont, WithoutContEachStreamIdIsItsOwnEntry_5_2) {
    stes(BASE, 4, s1ste(0));
    for (uint32_t sid = BASE; sid < BASE + 4; sid++)
        EXPECT_EQ(pa_of(sid, VA), OLD) << sid;
    EXPECT_EQ(cstats(SMMU_CACHE_STE).fills, 4u);
}

// CONT does not affect configuration invalidation (5.2): a CFGI_STE of any StreamID of the span
// removes the entry serving it (4.3.1); one outside the span does not.
TEST_F(SteCont, CfgiSteOfAMemberRemovesTheSpanEntry_5_2_4_3_1) {
    stes(BASE, 4, s1ste(2));
    ASSERT_EQ(pa_of(BASE, VA), OLD);
    stes(BASE, 4, Ste::bypass().cont(2)); // in memory only
    ASSERT_EQ(pa_of(BASE + 1, VA), OLD) << "the span's cached entry";
    cmds({tenc::cfgi_ste(BASE + 4)});
    EXPECT_EQ(pa_of(BASE + 1, VA), OLD);
    cmds({tenc::cfgi_ste(BASE + 2)});
    EXPECT_EQ(pa_of(BASE + 1, VA), VA) << "bypass: the STE was fetched again";
    EXPECT_GE(cstats(SMMU_CACHE_STE).invalidations, 1u);
}

// CFGI_STE_RANGE (4.3.2) of 2^(Range + 1) StreamIDs: Range 0 at StreamID 18 covers 18..19,
// half of the span, and removes its entry; one at 20 (20..21) does not.
TEST_F(SteCont, CfgiSteRangeOverlappingTheSpanRemovesIt_4_3_2) {
    stes(BASE, 4, s1ste(2));
    ASSERT_EQ(pa_of(BASE + 3, VA), OLD);
    stes(BASE, 4, Ste::bypass().cont(2));
    cmds({tenc::cfgi_ste_range(BASE + 4, 0)});
    EXPECT_EQ(pa_of(BASE, VA), OLD);
    cmds({tenc::cfgi_ste_range(BASE + 2, 0)});
    EXPECT_EQ(pa_of(BASE, VA), VA);
}

// StreamID 17 (CONT 0, Stream bypass) is cached; then StreamID 16's span of 4 (stage 1) is
// cached over it. A lookup of 17 matches both, which are not identical: F_CFG_CONFLICT
// (3.20.2: abort and record). The record (7.3.18): type 0x21 [7:0], SSV [11], SubstreamID
// [31:12], StreamID [63:32], Reason [95:64] (IMPLEMENTATION DEFINED, 0 here), the rest RES0.
TEST_F(SteCont, NonIdenticalStesInASpanAreCfgConflict_3_20_2_7_3_18) {
    stes(BASE, 4, s1ste(2));
    put_ste(BASE + 1, Ste::bypass().dw);
    ASSERT_EQ(pa_of(BASE + 1, VA), VA);
    ASSERT_EQ(pa_of(BASE, VA), OLD);
    smmu_result_t r = xlate(BASE + 1, VA);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    EXPECT_EQ(r.event, 0x21u);
    r = xlate(BASE + 1, VA, false, false, false, true, 0x2A);
    EXPECT_EQ(r.status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 2u);
    const std::vector<uint64_t> plain = {0x21ull | (uint64_t)(BASE + 1) << 32, 0, 0, 0};
    const std::vector<uint64_t> ssv = {
        0x21ull | 1ull << 11 | 0x2Aull << 12 | (uint64_t)(BASE + 1) << 32, 0, 0, 0};
    EXPECT_EQ(ev[0], plain);
    EXPECT_EQ(ev[1], ssv);
    EXPECT_EQ(pa_of(BASE + 2, VA), OLD) << "one match: no conflict";
    cmds({tenc::cfgi_ste(BASE + 3)}); // removes the span's entry
    EXPECT_EQ(pa_of(BASE + 1, VA), VA);
    EXPECT_TRUE(events().empty());
}

// Identical STEs (every field but CONT, 5.2) that both match give the same configuration: no
// conflict.
TEST_F(SteCont, IdenticalStesOfTwoSpansNoConflict_5_2) {
    stes(BASE, 4, s1ste(2));
    put_ste(BASE + 1, s1ste(0).dw);
    ASSERT_EQ(pa_of(BASE + 1, VA), OLD);
    ASSERT_EQ(pa_of(BASE, VA), OLD);
    smmu_result_t r = xlate(BASE + 1, VA);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, OLD);
    EXPECT_TRUE(events().empty());
}

// A span greater than the Stream table is capped at its size (5.2): StreamIDs beyond the table
// (2^8 STEs here) are C_BAD_STREAMID (0x02), never served by the span.
TEST_F(SteCont, SpanCappedAtTheStreamTableSize_5_2) {
    put_ste(0, s1ste(15).dw);
    ASSERT_EQ(pa_of(0, VA), OLD);
    smmu_result_t r = xlate(255, VA); // STE 255 is not written: any outcome of 5.2 STE.CONT
    EXPECT_TRUE(r.status == SMMU_OK ? r.pa == OLD : r.event == 0x04u || r.event == 0x21u);
    r = xlate(256, VA);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, 0x02u);
}

// 2-level Stream table (5.2): a CONT span beyond the L2 array that locates the STE is
// CONSTRAINED UNPREDICTABLE: a StreamID outside the L1STD's Span gets C_BAD_STREAMID, or any
// STE. Here SPLIT 6, L1STD 0 has Span 3 (StreamIDs 0..3), L1STD 1 Span 3 (64..67).
TEST_F(SteCont, TwoLevelSpanBeyondTheL2Array_5_2) {
    set_cr0(0);
    w32(SMMU_STRTAB_BASE_CFG, (1u << 16) | (6u << 6) | 16u); // FMT 2-level, SPLIT 6, LOG2SIZE 16
    const uint64_t l2a = alloc(64 * 4, 64 * 4), l2b = alloc(64 * 4, 64 * 4);
    put64(STRTAB, tenc::l1std(3, l2a));
    put64(STRTAB + 8, tenc::l1std(3, l2b));
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    put_words(l2a, s1ste(8).dw, 8);      // StreamID 0: a span of 256
    put_words(l2b, Ste::bypass().dw, 8); // StreamID 64
    ASSERT_EQ(pa_of(0, VA), OLD);
    smmu_result_t r = xlate(5, VA); // beyond L1STD 0's Span
    EXPECT_TRUE(r.status == SMMU_OK ? r.pa == OLD : r.event == 0x02u);
    r = xlate(64, VA); // another L2 array
    EXPECT_TRUE(r.status == SMMU_OK && (r.pa == VA || r.pa == OLD));
}

} // namespace
