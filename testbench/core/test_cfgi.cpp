// SPDX-License-Identifier: Apache-2.0 OR MIT
// Configuration caches and CMD_CFGI_* (spec 3.21.3, 4.3; conformance note 12): after software
// changes an STE, L1STD, CD or L1CD in memory, the old value may be used until the matching
// CFGI; after CFGI + CMD_SYNC the new one must be. Each CFGI removes (at least) its scope.
// Whether a translation used a cached structure shows in its output address.
#include "cache_fixture.h"

using namespace tfx;
using tenc::Cd;
using tenc::Ste;

namespace {

constexpr uint64_t VA = 0x40000000;
constexpr uint64_t PA_OLD = 0x80000000, PA_NEW = 0x90000000;

class Cfgi : public CacheTest {
  protected:
    // A CD mapping VA -> pa in its own table, with its own ASID (so that TLB entries of one CD
    // never answer for another, 3.17).
    Cd cd_for(uint64_t pa, unsigned asid) {
        uint64_t root = new_table(12);
        page(root, VA, pa);
        return Cd::s1(root, 16, tenc::TG0_4K, asid);
    }
    // A 2-level stream table (STRTAB_BASE_CFG.FMT = 1) with SPLIT split at STRTAB (6.3.25).
    void enable_2lvl(unsigned split) {
        uint32_t cr0 = r32(SMMU_CR0);
        set_cr0(cr0 & ~SMMU_CR0_SMMUEN); // STRTAB_BASE_CFG is Guarded by SMMUEN
        w32(SMMU_STRTAB_BASE_CFG, (1u << 16) | (split << 6) | sid_bits);
        set_cr0(cr0);
    }
};

// Conformance note 12 / 3.21.3: an edited STE is not seen until CFGI_STE; after CFGI_STE and
// CMD_SYNC it is.
TEST_F(Cfgi, SteStaleUntilCfgiSte) {
    uint64_t cd = alloc(64, 64);
    put_words(cd, cd_for(PA_OLD, 1).dw, 8);
    put_ste(1, Ste::s1(cd).dw);
    EXPECT_EQ(pa_of(1, VA), PA_OLD);
    put_ste(1, Ste::bypass().dw); // the driver changes the STE ...
    auto r = xlate(1, VA);
    EXPECT_EQ(r.pa, PA_OLD) << "old STE until CFGI";
    EXPECT_TRUE(r.cfg_hit);
    cmds({tenc::cfgi_ste(1)}); // ... and invalidates it
    EXPECT_EQ(pa_of(1, VA), VA) << "new STE after CFGI_STE + SYNC";
}

// 3.21.3 / 4.3.3: an edited CD is not seen until CFGI_CD; after CFGI_CD + SYNC it is.
TEST_F(Cfgi, CdStaleUntilCfgiCd) {
    uint64_t cd = alloc(64, 64);
    put_words(cd, cd_for(PA_OLD, 1).dw, 8);
    put_ste(1, Ste::s1(cd).dw);
    EXPECT_EQ(pa_of(1, VA), PA_OLD);
    put_words(cd, cd_for(PA_NEW, 2).dw, 8); // new tables and a new ASID
    EXPECT_EQ(pa_of(1, VA), PA_OLD) << "old CD until CFGI";
    cmds({tenc::cfgi_cd(1, 0)});
    EXPECT_EQ(pa_of(1, VA), PA_NEW) << "new CD after CFGI_CD + SYNC";
}

// 4.3.1: CFGI_STE also invalidates every CD cached through the StreamID.
TEST_F(Cfgi, CfgiSteAlsoRemovesCdsOfStream) {
    uint64_t cd = alloc(64, 64);
    put_words(cd, cd_for(PA_OLD, 1).dw, 8);
    put_ste(1, Ste::s1(cd).dw);
    EXPECT_EQ(pa_of(1, VA), PA_OLD);
    put_words(cd, cd_for(PA_NEW, 2).dw, 8);
    cmds({tenc::cfgi_ste(1)});
    EXPECT_EQ(pa_of(1, VA), PA_NEW);
}

// 4.3.3: CFGI_CD(sid, n) removes the CD at index n of sid's table; other substreams and other
// StreamIDs sharing the table keep theirs (CDs are cached per StreamID).
TEST_F(Cfgi, CfgiCdRemovesOnlyItsSubstreamAndStream) {
    uint64_t tab = alloc(64 * 4, 64);
    put_words(tab + 64, cd_for(PA_OLD, 1).dw, 8);
    put_words(tab + 128, cd_for(PA_OLD + 0x100000, 2).dw, 8);
    put_ste(1, Ste::s1(tab, 2).s1dss(2).dw);
    put_ste(2, Ste::s1(tab, 2).s1dss(2).dw);
    EXPECT_EQ(pa_of(1, VA, true, 1), PA_OLD);
    EXPECT_EQ(pa_of(1, VA, true, 2), PA_OLD + 0x100000);
    EXPECT_EQ(pa_of(2, VA, true, 1), PA_OLD);
    put_words(tab + 64, cd_for(PA_NEW, 3).dw, 8);
    put_words(tab + 128, cd_for(PA_NEW + 0x100000, 4).dw, 8);
    cmds({tenc::cfgi_cd(1, 1)});
    EXPECT_EQ(pa_of(1, VA, true, 1), PA_NEW) << "in scope";
    EXPECT_EQ(pa_of(1, VA, true, 2), PA_OLD + 0x100000) << "other SubstreamID: kept";
    EXPECT_EQ(pa_of(2, VA, true, 1), PA_OLD) << "other StreamID: kept";
}

// 4.3.4: CFGI_CD_ALL(sid) removes every CD cached through sid, but not the STE.
TEST_F(Cfgi, CfgiCdAllRemovesEveryCdOfStreamKeepsSte) {
    uint64_t tab = alloc(64 * 4, 64);
    put_words(tab + 64, cd_for(PA_OLD, 1).dw, 8);
    put_words(tab + 128, cd_for(PA_OLD + 0x100000, 2).dw, 8);
    put_ste(1, Ste::s1(tab, 2).s1dss(2).dw);
    EXPECT_EQ(pa_of(1, VA, true, 1), PA_OLD);
    EXPECT_EQ(pa_of(1, VA, true, 2), PA_OLD + 0x100000);
    put_words(tab + 64, cd_for(PA_NEW, 3).dw, 8);
    put_words(tab + 128, cd_for(PA_NEW + 0x100000, 4).dw, 8);
    put_ste(1, Ste::bypass().dw); // not invalidated by CFGI_CD_ALL
    cmds({tenc::cfgi_cd_all(1)});
    EXPECT_EQ(pa_of(1, VA, true, 1), PA_NEW);
    EXPECT_EQ(pa_of(1, VA, true, 2), PA_NEW + 0x100000);
}

// 4.3.2: CFGI_STE_RANGE(sid, Range) removes the aligned range of 2^(Range+1) StreamIDs.
TEST_F(Cfgi, SteRangeRemovesAlignedRange) {
    for (uint32_t sid = 3; sid <= 8; sid++)
        put_ste(sid, Ste::abort().dw);
    for (uint32_t sid = 3; sid <= 8; sid++)
        EXPECT_EQ(pa_of(sid, VA), NONE);
    for (uint32_t sid = 3; sid <= 8; sid++)
        put_ste(sid, Ste::bypass().dw);
    cmds({tenc::cfgi_ste_range(5, 1)}); // StreamIDs 4..7
    for (uint32_t sid = 3; sid <= 8; sid++) {
        bool in = sid >= 4 && sid <= 7;
        EXPECT_EQ(pa_of(sid, VA), in ? VA : NONE) << sid;
    }
}

// 4.3.6: CFGI_ALL (CFGI_STE_RANGE with Range 31) removes every STE and CD.
TEST_F(Cfgi, CfgiAllRemovesEverything) {
    uint64_t cd = alloc(64, 64);
    put_words(cd, cd_for(PA_OLD, 1).dw, 8);
    put_ste(1, Ste::s1(cd).dw);
    put_ste(200, Ste::abort().dw);
    EXPECT_EQ(pa_of(1, VA), PA_OLD);
    EXPECT_EQ(pa_of(200, VA), NONE);
    put_words(cd, cd_for(PA_NEW, 2).dw, 8);
    put_ste(200, Ste::bypass().dw);
    cmds({tenc::cfgi_all()});
    EXPECT_EQ(pa_of(1, VA), PA_NEW);
    EXPECT_EQ(pa_of(200, VA), VA);
}

// 4.3.1 Leaf: CFGI_STE with Leaf = 1 need not invalidate the L1STD that located the STE (the
// model keeps it); Leaf = 0 must.
TEST_F(Cfgi, L1stdKeptByLeafCfgiSteRemovedByNonLeaf) {
    enable_2lvl(6);
    uint64_t l2a = alloc(64 << 6, 64 << 6), l2b = alloc(64 << 6, 64 << 6);
    put_words(l2a + 64 * 5, Ste::bypass().dw, 8);
    put_words(l2b + 64 * 5, Ste::abort().dw, 8);
    put64(STRTAB, tenc::l1std(7, l2a)); // StreamIDs 0..63
    EXPECT_EQ(pa_of(5, VA), VA);
    put64(STRTAB, tenc::l1std(7, l2b));
    cmds({tenc::cfgi_ste(5, true)});
    EXPECT_EQ(pa_of(5, VA), VA) << "STE re-read through the cached L1STD";
    cmds({tenc::cfgi_ste(5, false)});
    EXPECT_EQ(pa_of(5, VA), NONE) << "L1STD re-read";
}

// 4.3.2: CFGI_STE_RANGE also removes the L1STDs of the range.
TEST_F(Cfgi, SteRangeRemovesL1std) {
    enable_2lvl(6);
    uint64_t l2a = alloc(64 << 6, 64 << 6), l2b = alloc(64 << 6, 64 << 6);
    put_words(l2a + 64 * 6, Ste::bypass().dw, 8); // sid 70: L1 index 1, STE 6
    put_words(l2b + 64 * 6, Ste::abort().dw, 8);
    put64(STRTAB + 8, tenc::l1std(7, l2a));
    EXPECT_EQ(pa_of(70, VA), VA);
    put64(STRTAB + 8, tenc::l1std(7, l2b));
    cmds({tenc::cfgi_ste_range(64, 5)}); // StreamIDs 64..127
    EXPECT_EQ(pa_of(70, VA), NONE);
}

// 4.3.3 Leaf / 4.3.4: with a 2-level CD table, CFGI_CD Leaf = 1 need not invalidate the L1CD
// (kept by the model); Leaf = 0 and CFGI_CD_ALL must.
TEST_F(Cfgi, L1cdKeptByLeafCfgiCdRemovedByNonLeafAndCdAll) {
    uint64_t l1 = alloc(64, 64);
    uint64_t leaf_a = alloc(64 * 64), leaf_b = alloc(64 * 64);
    put_words(leaf_a + 64 * 3, cd_for(PA_OLD, 1).dw, 8);
    put_words(leaf_b + 64 * 3, cd_for(PA_NEW, 3).dw, 8);
    put64(l1, tenc::l1cd(true, leaf_a));
    put_ste(1, Ste::s1(l1, 8).s1fmt(1).s1dss(2).dw); // 4KB leaves of 64 CDs
    EXPECT_EQ(pa_of(1, VA, true, 3), PA_OLD);
    put64(l1, tenc::l1cd(true, leaf_b));
    put_words(leaf_a + 64 * 3, cd_for(PA_OLD + 0x100000, 2).dw, 8);
    cmds({tenc::cfgi_cd(1, 3, true)});
    EXPECT_EQ(pa_of(1, VA, true, 3), PA_OLD + 0x100000) << "CD re-read through cached L1CD";
    cmds({tenc::cfgi_cd(1, 3, false)});
    EXPECT_EQ(pa_of(1, VA, true, 3), PA_NEW) << "L1CD re-read";
    put64(l1, tenc::l1cd(true, leaf_a));
    cmds({tenc::cfgi_cd_all(1)});
    EXPECT_EQ(pa_of(1, VA, true, 3), PA_OLD + 0x100000) << "CFGI_CD_ALL removes L1CDs";
}

// 3.21.3: a structure whose fetch aborted is not cached: the next access fetches it again
// without any invalidation.
TEST_F(Cfgi, FetchAbortIsNotCached) {
    put_ste(6, Ste::bypass().dw);
    ASSERT_EQ(smmu_mem_add_abort(mem, STRTAB + 64 * 6, 64), 0);
    auto r = xlate(6, VA);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_STE_FETCH);
    smmu_mem_clear_aborts(mem);
    EXPECT_EQ(pa_of(6, VA), VA);
}

// cfg_hit: set when the STE (and the CD, when used) came from the configuration cache.
TEST_F(Cfgi, CfgHitReportsConfigurationCacheUse) {
    uint64_t cd = alloc(64, 64);
    put_words(cd, cd_for(PA_OLD, 1).dw, 8);
    put_ste(1, Ste::s1(cd).dw);
    EXPECT_FALSE(xlate(1, VA).cfg_hit);
    EXPECT_TRUE(xlate(1, VA).cfg_hit);
    cmds({tenc::cfgi_cd(1, 0)});
    EXPECT_FALSE(xlate(1, VA).cfg_hit) << "CD fetched again";
    EXPECT_TRUE(xlate(1, VA).cfg_hit);
}

// With the STE cache disabled, an edited STE is seen at once.
class CfgiDisabled : public Cfgi {
    void configure(smmu_params_t &p) override {
        p.cache[SMMU_CACHE_STE].enable = false;
    }
};

TEST_F(CfgiDisabled, DisabledSteCacheSeesEditsAtOnce) {
    put_ste(1, Ste::abort().dw);
    EXPECT_EQ(pa_of(1, VA), NONE);
    put_ste(1, Ste::bypass().dw);
    auto r = xlate(1, VA);
    EXPECT_EQ(r.pa, VA);
    EXPECT_FALSE(r.cfg_hit);
    EXPECT_EQ(cstats(SMMU_CACHE_STE).lookups, 0u);
}

} // namespace
