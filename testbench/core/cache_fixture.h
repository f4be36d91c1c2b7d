// SPDX-License-Identifier: Apache-2.0 OR MIT
// Fixture of the cache tests (test_cache, test_cfgi, test_tlbi): streams whose tables the test
// edits in memory, so that whether a translation still comes from a cached copy is visible in
// its output address. A cached entry gives the old PA, a removed one the new PA.
#pragma once
#include <initializer_list>
#include <vector>

#include "inval.h"
#include "tpt.h"

namespace tfx {

constexpr uint64_t NONE = ~0ull; // pa_of() of a faulting translation

class CacheTest : public PtTest {
  protected:
    void SetUp() override {
        PtTest::SetUp();
        enable();
    }
    // Commands + CMD_SYNC; the queue must consume them without error.
    void cmds(std::initializer_list<tenc::Cmd> c) {
        ASSERT_TRUE(run_cmds(smmu, mem, c));
    }
    // A stage-1-only stream sid: one CD (4KB granule, 48-bit VA) with asid, tagged with vmid
    // (STE.S2VMID, 5.2); strw selects the StreamWorld (0b00 NS-EL1, 0b10 NS-EL2[-E2H]).
    // Returns the stage-1 root table.
    uint64_t s1_stream(uint32_t sid, unsigned asid, unsigned vmid = 0, bool aset = false,
                       unsigned strw = 0) {
        uint64_t root = new_table(12);
        uint64_t cd = alloc(64, 64);
        put_words(cd, tenc::Cd::s1(root, 16, tenc::TG0_4K, asid).aset(aset).dw, 8);
        put_ste(sid, tenc::Ste::s1(cd).s2vmid(vmid).strw(strw).dw);
        return root;
    }
    // A 4KB stage-1 page va -> pa, EL0/EL1 read-write; ng: non-global (ASID-tagged, 3.17.1).
    void page(uint64_t root, uint64_t va, uint64_t pa, bool ng = true) {
        map4k(root, va, pa, tenc::Desc().ap(1).ng(ng));
    }
    // Output address of a read by sid, or NONE when it does not translate.
    uint64_t pa_of(uint32_t sid, uint64_t va, bool ssv = false, uint32_t ssid = 0) {
        smmu_result_t r = xlate(sid, va, false, false, false, ssv, ssid);
        return r.status == SMMU_OK ? r.pa : NONE;
    }
    static tenc::Desc s2page(uint64_t pa) {
        return tenc::Desc::page(pa).s2ap(3).memattr(0xF).sh(3);
    }
    // Stage-2-only stream (4KB, 39-bit IPA, start level 1) tagged with vmid; returns its root.
    uint64_t s2_stream(uint32_t sid, unsigned vmid) {
        uint64_t root = new_table(12);
        put_ste(sid, tenc::Ste::s2(root, 0, 25, 1, 5, vmid).dw);
        return root;
    }
    void s2map(uint64_t root, uint64_t ipa, uint64_t pa) {
        map(root, 12, 1, ipa, s2page(pa));
    }
    // Nested stream: stage 2 identity-maps the first 4GB with 1GB blocks (tables, CDs); the
    // caller maps IPAs above 4GB (s2map) and stage 1 (page on *s1root). Returns the stage-2 root.
    uint64_t nested_stream(uint32_t sid, unsigned vmid, unsigned asid, uint64_t *s1root) {
        constexpr uint64_t GB = 1ull << 30;
        uint64_t s2 = new_table(12);
        for (uint64_t i = 0; i < 4; i++)
            map(s2, 12, 1, i * GB, tenc::Desc::block(i * GB).s2ap(3).memattr(0xF).sh(3), 1);
        *s1root = new_table(12);
        uint64_t cd = alloc(64, 64);
        put_words(cd, tenc::Cd::s1(*s1root, 16, tenc::TG0_4K, asid).dw, 8);
        put_ste(sid, tenc::Ste::s2(s2, 0, 25, 1, 5, vmid).config(tenc::CFG_NESTED).s1ctxptr(cd).dw);
        return s2;
    }
    smmu_cache_stats_t cstats(unsigned which) {
        smmu_cache_stats_t st{};
        EXPECT_EQ(smmu_cache_stats(smmu, which, &st), 0);
        return st;
    }
};

// Remapping tests (test_tlbi, test_btm): pages filled into the TLB with an OLD output, then
// remapped in memory to NEW without telling the SMMU; removed(i) tells whether an invalidation
// reached the i-th filled page.
constexpr uint64_t OLD = 0x80000000, NEW = 0xA0000000; // output regions before / after remap

class RemapTest : public CacheTest {
  protected:
    struct Map {
        uint32_t sid;
        uint64_t root, va, pa;
        bool ng;
    };
    std::vector<Map> maps;

    // Maps va -> OLD + pa_off in stream sid's stage-1 table and fills the TLB with it.
    void fill(uint32_t sid, uint64_t root, uint64_t va, uint64_t pa_off, bool ng = true) {
        page(root, va, OLD + pa_off, ng);
        maps.push_back({sid, root, va, pa_off, ng});
        ASSERT_EQ(pa_of(sid, va), OLD + pa_off);
    }
    // Remaps every filled page to NEW + pa_off, in memory only.
    void remap_all() {
        for (const Map &m : maps)
            page(m.root, m.va, NEW + m.pa, m.ng);
    }
    // True when the translation of the i-th filled page was removed from the TLB.
    bool removed(size_t i) {
        uint64_t pa = pa_of(maps[i].sid, maps[i].va);
        EXPECT_TRUE(pa == OLD + maps[i].pa || pa == NEW + maps[i].pa) << i;
        return pa == NEW + maps[i].pa;
    }
};

} // namespace tfx
