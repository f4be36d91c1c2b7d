// SPDX-License-Identifier: Apache-2.0 OR MIT
// Break-before-make levels (spec 3.21.1.1-3.21.1.3, SMMU_IDR3.BBML 6.3.4): changing a block or
// page size without break-before-make. Level 2 never faults and answers with the old or the new
// translation until a TLBI; level 1 honours nT (bit[16] of Block descriptors, Arm ARM D8.3.1.2)
// and reports a TLB multi-hit as F_TLB_CONFLICT (3.20.1, 7.3.17); level 0 has nT RES0.
#include <vector>

#include "cache_fixture.h"

using namespace tfx;
using tenc::Desc;

namespace {

constexpr uint64_t VA = 0x40000000; // 2MB aligned: one level-2 block or 512 pages
constexpr uint64_t MB2 = 1ull << 21;
constexpr uint32_t SID = 3;
constexpr unsigned ASID = 7;

class Bbml : public CacheTest {
  protected:
    uint64_t root = 0;
    void SetUp() override {
        CacheTest::SetUp();
        root = s1_stream(SID, ASID);
    }
    // A 2MB stage-1 block at level 2 (4KB granule) for VA, replacing what is there.
    void block(uint64_t pa, bool nt = false) {
        map(root, 12, 0, VA, Desc::block(pa).ap(1).ng(true).nt(nt), 2);
    }
    // Pages VA + i * 4KB -> pa + i * 4KB, i < n; a block at level 2 becomes a new table.
    void pages(uint64_t pa, unsigned n = 8) {
        for (unsigned i = 0; i < n; i++)
            map(root, 12, 0, VA + 0x1000ull * i, Desc::page(pa + 0x1000ull * i).ap(1).ng(true));
    }
    void tlbi_all() {
        cmds({tenc::tlbi_nh_all(0)});
    }
    // The multi-hit of 3.21.1.2: the page for VA is cached, the range becomes a block without
    // break-before-make, a non-leaf TLBI of another page of the range removes the cached table
    // descriptor (walk cache) but not VA's page, and a walk of that page caches the block.
    void pages_then_block(bool nt) {
        pages(OLD);
        ASSERT_EQ(pa_of(SID, VA), OLD);
        ASSERT_EQ(pa_of(SID, VA), OLD); // now also answered by the translation memo
        block(NEW, nt);
        cmds({tenc::tlbi_nh_va(0, ASID, VA + 0x5000, false)});
        ASSERT_EQ(pa_of(SID, VA + 0x5000), NEW + 0x5000) << "page 5 was not cached: walked";
    }
};

class Bbml1 : public Bbml {
  protected:
    void configure(smmu_params_t &p) override {
        p.bbml = 1;
    }
};

class Bbml0 : public Bbml {
  protected:
    void configure(smmu_params_t &p) override {
        p.bbml = 0;
    }
};

// An SMMUv3.1 has no BBML1/BBML2 (2.4; 6.3.4: 0b01 or 0b10 mandatory from v3.2, so a v3.1 leaves
// them out, 2.9): IDR3.BBML reads Level 0 and behaves as params.bbml = 0.
class BbmlV3_1 : public Bbml {
  protected:
    void configure(smmu_params_t &p) override {
        p.arch_minor = 1;
    }
};

// ---- SMMU_IDR3.BBML, bits [12:11] (6.3.4): from params.bbml, Level 2 by default.

TEST_F(Bbml, Idr3BbmlIsLevel2ByDefault_6_3_4) {
    EXPECT_EQ(params.bbml, 2u) << "1 or 2 mandatory from SMMUv3.2 (3.21.1), 2 recommended";
    EXPECT_EQ((r32(SMMU_IDR3) >> 11) & 3, 2u);
}

TEST_F(Bbml1, Idr3BbmlIsLevel1_6_3_4) {
    EXPECT_EQ((r32(SMMU_IDR3) >> 11) & 3, 1u);
}

TEST_F(Bbml0, Idr3BbmlIsLevel0AndReservedLevel3Refused_6_3_4) {
    EXPECT_EQ((r32(SMMU_IDR3) >> 11) & 3, 0u);
    smmu_host_t h{};
    smmu_mem_host(mem, &h);
    params.bbml = 3; // reserved encoding: smmu_new refuses it like other out-of-range params
    EXPECT_EQ(smmu_new(&params, &h), nullptr);
    params.bbml = 1; // the same host and params otherwise are accepted
    smmu_t *ok = smmu_new(&params, &h);
    EXPECT_NE(ok, nullptr);
    smmu_free(ok);
}

// ---- Level 2 (3.21.1.3): nT ignored, no F_TLB_CONFLICT, old or new until TLBI + SYNC.

TEST_F(Bbml, Level2BlockToPagesWithoutBbmNoFaultNewAfterTlbi_3_21_1_3) {
    block(OLD);
    ASSERT_EQ(pa_of(SID, VA + 0x1000), OLD + 0x1000);
    pages(NEW);
    for (unsigned i = 0; i < 8; i++) {
        smmu_result_t r = xlate(SID, VA + 0x1000ull * i);
        ASSERT_EQ(r.status, SMMU_OK) << i;
        EXPECT_TRUE(r.pa == OLD + 0x1000ull * i || r.pa == NEW + 0x1000ull * i) << i;
    }
    tlbi_all();
    for (unsigned i = 0; i < 8; i++)
        EXPECT_EQ(pa_of(SID, VA + 0x1000ull * i), NEW + 0x1000ull * i) << i;
    EXPECT_TRUE(events().empty());
}

TEST_F(Bbml, Level2PagesToBlockMultiHitResolvedNoConflict_3_21_1_3) {
    pages_then_block(false);
    for (int rep = 0; rep < 2; rep++) {
        smmu_result_t r = xlate(SID, VA);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_TRUE(r.pa == OLD || r.pa == NEW) << "one of the matching entries";
    }
    tlbi_all();
    EXPECT_EQ(pa_of(SID, VA), NEW);
    EXPECT_EQ(pa_of(SID, VA + MB2 - 0x1000), NEW + MB2 - 0x1000);
    EXPECT_TRUE(events().empty());
}

TEST_F(Bbml, Level2NtIgnoredBlockCached_3_21_1_3) {
    block(OLD, true); // bit[16] is not a RES0 fault at any level
    ASSERT_EQ(pa_of(SID, VA + 0x3000), OLD + 0x3000);
    smmu_result_t r = xlate(SID, VA + 0x3000);
    EXPECT_TRUE(r.tlb_hit);
    EXPECT_TRUE(events().empty());
}

// ---- Level 1 (3.21.1.2): nT blocks are not cached; a multi-hit is F_TLB_CONFLICT.

TEST_F(Bbml1, NtBlockTranslatesNotCachedRemapVisibleAtOnce_3_21_1_2) {
    block(OLD, true);
    for (int rep = 0; rep < 2; rep++) {
        smmu_result_t r = xlate(SID, VA + 0x2000);
        ASSERT_EQ(r.status, SMMU_OK) << "nT == 1 never faults in a Level 1 SMMU";
        EXPECT_EQ(r.pa, OLD + 0x2000);
        EXPECT_FALSE(r.tlb_hit);
    }
    block(NEW, true); // no TLBI: nothing was cached
    EXPECT_EQ(pa_of(SID, VA + 0x2000), NEW + 0x2000);
    EXPECT_EQ(cstats(SMMU_CACHE_TLB).hits, 0u);
    EXPECT_TRUE(events().empty());
}

// The record (7.3.17), bits written from the spec: type 0x20 [7:0], StreamID [63:32], RnW [99]
// (1: read), S2 [103] == 0 (stage 1), InputAddr [191:128]; IPA UNKNOWN with S2 == 0 (given as
// 0), no SSV, Reason (IMPLEMENTATION DEFINED) 0.
TEST_F(Bbml1, MultiHitWithoutNtIsTlbConflictEvent_3_20_1_7_3_17) {
    pages_then_block(false);
    smmu_result_t r = xlate(SID, VA + 0x10);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, 0x20u);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    const std::vector<uint64_t> want = {0x20ull | (uint64_t)SID << 32, 1ull << (99 - 64), VA + 0x10,
                                        0};
    EXPECT_EQ(ev[0], want);
    // Addresses outside the old page see the block only.
    EXPECT_EQ(pa_of(SID, VA + 0x5000), NEW + 0x5000);
    // The entries stay until a TLBI removes both (3.21.1.3 last rules apply at any level).
    EXPECT_EQ(xlate(SID, VA).status, SMMU_FAULT);
    tlbi_all();
    EXPECT_EQ(pa_of(SID, VA), NEW);
    events();
    EXPECT_EQ(pa_of(SID, VA), NEW);
    EXPECT_TRUE(events().empty());
}

// A write: RnW == 0 (7.3.17). The conflict is not Translation-related (3.12): it aborts and
// is recorded.
TEST_F(Bbml1, ConflictWithWriteRecordsRnWZero_7_3_17) {
    pages_then_block(false);
    smmu_result_t r = xlate(SID, VA + 0x20, true);
    EXPECT_EQ(r.status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    const std::vector<uint64_t> want = {0x20ull | (uint64_t)SID << 32, 0, VA + 0x20, 0};
    EXPECT_EQ(ev[0], want);
}

TEST_F(Bbml1, NtSizeChangeNoConflict_3_21_1_2) {
    pages_then_block(true); // the block is walked but, nT == 1, not cached
    smmu_result_t r = xlate(SID, VA);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, OLD) << "only the cached page matches";
    tlbi_all();
    r = xlate(SID, VA);
    EXPECT_EQ(r.pa, NEW);
    EXPECT_FALSE(xlate(SID, VA).tlb_hit);
    block(NEW, false); // 3.21.1.2 note: clear nT, then TLBI the block
    tlbi_all();
    EXPECT_EQ(pa_of(SID, VA + 0x7000), NEW + 0x7000);
    EXPECT_TRUE(xlate(SID, VA + 0x7000).tlb_hit);
    EXPECT_TRUE(events().empty());
}

// Stage-2-only stream: S2 == 1 [103] and the IPA (the input address) in IPA[55:12], bits
// [255:204] of the record (7.3.17).
TEST_F(Bbml1, Stage2MultiHitRecordsS2AndIpa_7_3_17) {
    constexpr uint32_t S2SID = 9;
    constexpr uint64_t IPA = 0x40000000;
    uint64_t s2 = s2_stream(S2SID, 5);
    for (unsigned i = 0; i < 4; i++)
        s2map(s2, IPA + 0x1000ull * i, OLD + 0x1000ull * i);
    ASSERT_EQ(pa_of(S2SID, IPA + 0x1000), OLD + 0x1000);
    map(s2, 12, 1, IPA, Desc::block(NEW).s2ap(3).memattr(0xF).sh(3), 2);
    cmds({tenc::tlbi_s2_ipa(5, IPA + 0x9000, false)}); // the table descriptor, not IPA's page
    ASSERT_EQ(pa_of(S2SID, IPA + 0x9000), NEW + 0x9000);
    EXPECT_EQ(xlate(S2SID, IPA + 0x1234).status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    const std::vector<uint64_t> want = {0x20ull | (uint64_t)S2SID << 32,
                                        1ull << (99 - 64) | 1ull << (103 - 64), IPA + 0x1234,
                                        (IPA + 0x1000) & ~0xFFFull};
    EXPECT_EQ(ev[0], want);
    cmds({tenc::tlbi_s12_vmall(5)});
    EXPECT_EQ(pa_of(S2SID, IPA + 0x1234), NEW + 0x1234);
}

// ---- Level 0 (3.21.1.1): nT is RES0 (treated as 0: the block is cached); the model reports
// conflicts as at Level 1 (3.20.1: detection recommended).

TEST_F(Bbml0, NtRes0BlockCachedAndMultiHitIsConflict_3_21_1_1) {
    block(OLD, true);
    ASSERT_EQ(pa_of(SID, VA + 0x1000), OLD + 0x1000);
    EXPECT_TRUE(xlate(SID, VA + 0x1000).tlb_hit);
    tlbi_all();
    pages_then_block(true); // nT ignored: the block is cached next to the page
    EXPECT_EQ(xlate(SID, VA).status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0] & 0xFF, 0x20u);
}

TEST_F(BbmlV3_1, Level0BelowSmmuV3_2NtRes0MultiHitIsConflict_2_9) {
    EXPECT_EQ(r32(SMMU_AIDR) & 0xF, 1u);
    EXPECT_EQ((r32(SMMU_IDR3) >> 11) & 3, 0u);
    block(OLD, true);
    ASSERT_EQ(pa_of(SID, VA + 0x1000), OLD + 0x1000);
    EXPECT_TRUE(xlate(SID, VA + 0x1000).tlb_hit); // nT RES0: the block is cached
    tlbi_all();
    pages_then_block(true);
    EXPECT_EQ(xlate(SID, VA).status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0] & 0xFF, 0x20u); // F_TLB_CONFLICT (7.3.17)
}

} // namespace
