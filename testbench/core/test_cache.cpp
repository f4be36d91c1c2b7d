// SPDX-License-Identifier: Apache-2.0 OR MIT
// The caches as an implementation choice (smmu_params_t geometry, replacement, enable), TLB
// lookups (tlb_hit, mem_reads, global entries and ASET, 3.17.1), what may be cached (3.21.1:
// valid translations only), and the per-cache and per-stream statistics.
#include <random>

#include "cache_fixture.h"

using namespace tfx;
using tenc::Cd;
using tenc::Desc;
using tenc::Ste;

namespace {

constexpr uint64_t VA = 0x40000000, PA = 0x80000000;

class Caches : public CacheTest {};

// Address of the level-3 descriptor of va in a 4KB, 48-bit table tree, 0 when a table on the
// way is missing.
uint64_t slot_of_tree(smmu_mem_t *mem, uint64_t root, uint64_t va) {
    uint64_t table = root;
    for (unsigned l = 0; l < 3; l++) {
        uint64_t d = smmu_mem_read64(mem, table + 8 * ((va >> tenc::level_shift(12, l)) & 511));
        if ((d & 3) != 3) return 0;
        table = d & 0x0000FFFFFFFFF000ull;
    }
    return table + 8 * ((va >> 12) & 511);
}

// A second access to a page hits the TLB and the configuration cache: no memory read at all.
TEST_F(Caches, TlbHitReadsNoMemory) {
    page(s1_stream(1, 1), VA, PA);
    auto r = xlate(1, VA + 0x10);
    EXPECT_FALSE(r.tlb_hit);
    EXPECT_FALSE(r.cfg_hit);
    EXPECT_EQ(r.mem_reads, 1u + 1u + 4u); // STE, CD, 4 levels
    r = xlate(1, VA + 0x20);
    EXPECT_EQ(r.pa, PA + 0x20);
    EXPECT_TRUE(r.tlb_hit);
    EXPECT_TRUE(r.cfg_hit);
    EXPECT_EQ(r.mem_reads, 0u);
}

// A neighbouring page misses the TLB but its walk starts below the cached level-2 table
// descriptor (walk cache): one read.
TEST_F(Caches, WalkCacheShortensNeighbourWalk) {
    uint64_t root = s1_stream(1, 1);
    page(root, VA, PA);
    page(root, VA + 0x1000, PA + 0x1000);
    EXPECT_EQ(pa_of(1, VA), PA);
    auto r = xlate(1, VA + 0x1000);
    EXPECT_FALSE(r.tlb_hit);
    EXPECT_EQ(r.pa, PA + 0x1000);
    EXPECT_EQ(r.mem_reads, 1u);
}

// 3.21.1: only valid translations are cached: after a Translation fault the page can be mapped
// without any invalidation.
TEST_F(Caches, FaultsAreNotCached) {
    uint64_t root = s1_stream(1, 1);
    page(root, VA + 0x1000, PA + 0x1000); // tables exist, VA itself unmapped
    EXPECT_EQ(pa_of(1, VA), NONE);
    events();
    page(root, VA, PA);
    EXPECT_EQ(pa_of(1, VA), PA);
}

// A TLB entry keeps the permissions of both privileges and the fault of a cached translation
// is the one the walk would give: stage 1 Permission fault, CLASS IN (7.3.16).
TEST_F(Caches, PermissionFaultFromCachedEntry) {
    uint64_t root = s1_stream(1, 1);
    map4k(root, VA, PA, Desc().ap(3).ng(true)); // read-only at both privileges
    EXPECT_EQ(pa_of(1, VA), PA);
    events();
    auto r = xlate(1, VA, true);
    EXPECT_TRUE(r.tlb_hit);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_PERMISSION);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x13u);
    EXPECT_EQ(evt_s2(ev[0]), 0u);
    EXPECT_EQ(evt_class(ev[0]), 2u); // IN
    EXPECT_EQ(evt_addr(ev[0]), VA);
}

TEST_F(Caches, PrivilegeChecksUseTheEntrysOwnPermissions) {
    uint64_t root = s1_stream(1, 1);
    map4k(root, VA, PA, Desc().ap(0).ng(true)); // privileged only
    EXPECT_EQ(xlate(1, VA, false, true).status, SMMU_OK);
    auto r = xlate(1, VA, false, false);
    EXPECT_TRUE(r.tlb_hit);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_PERMISSION);
}

// 3.17.1: a global entry matches any ASID of the same StreamWorld, VMID and ASET.
TEST_F(Caches, GlobalEntryMatchesAnyAsidOfSameAset) {
    uint64_t root = s1_stream(1, 1);
    page(root, VA, PA, false);
    EXPECT_EQ(pa_of(1, VA), PA);
    uint64_t other = s1_stream(2, 2); // another address space without this page
    (void)other;
    auto r = xlate(2, VA);
    EXPECT_TRUE(r.tlb_hit);
    EXPECT_EQ(r.pa, PA);
}

TEST_F(Caches, GlobalEntryDoesNotMatchOtherAset) {
    page(s1_stream(1, 1), VA, PA, false);
    EXPECT_EQ(pa_of(1, VA), PA);
    page(s1_stream(2, 2, 0, true), VA, PA + 0x1000, false); // ASET = 1
    auto r = xlate(2, VA);
    EXPECT_FALSE(r.tlb_hit);
    EXPECT_EQ(r.pa, PA + 0x1000);
}

// 3.17: non-global entries are tagged with the ASID, and every entry with the VMID (stage-1
// only streams use STE.S2VMID when stage 2 is implemented).
TEST_F(Caches, AsidAndVmidSeparateTranslations) {
    page(s1_stream(1, 1), VA, PA);
    page(s1_stream(2, 2), VA, PA + 0x1000);
    page(s1_stream(3, 1, 9), VA, PA + 0x2000);
    EXPECT_EQ(pa_of(1, VA), PA);
    EXPECT_EQ(pa_of(2, VA), PA + 0x1000);
    EXPECT_EQ(pa_of(3, VA), PA + 0x2000);
    EXPECT_EQ(pa_of(1, VA), PA);
}

// 3.17: a StreamWorld never matches another one's entries (NS-EL1 vs NS-EL2).
TEST_F(Caches, StreamWorldSeparatesTranslations) {
    page(s1_stream(1, 0), VA, PA, false);
    page(s1_stream(2, 0, 0, false, 2), VA, PA + 0x1000, false); // NS-EL2
    EXPECT_EQ(pa_of(1, VA), PA);
    EXPECT_EQ(pa_of(2, VA), PA + 0x1000);
}

// smmu_translate_dbg: same answer, but no fill and no statistics.
TEST_F(Caches, DebugTranslationFillsNothing) {
    page(s1_stream(1, 1), VA, PA);
    smmu_txn_t t{};
    t.addr = VA;
    t.sid = 1;
    t.len = 4;
    smmu_result_t r{};
    smmu_translate_dbg(smmu, &t, &r);
    EXPECT_EQ(r.pa, PA);
    EXPECT_EQ(cstats(SMMU_CACHE_TLB).lookups, 0u);
    EXPECT_EQ(cstats(SMMU_CACHE_TLB).fills, 0u);
    smmu_stream_stats_t ss;
    EXPECT_EQ(smmu_stream_stats(smmu, 1, &ss), -1);
    EXPECT_FALSE(xlate(1, VA).tlb_hit);
}

// Per-cache statistics: lookups = hits + misses; fills; invalidations count removed entries.
TEST_F(Caches, PerCacheStatistics) {
    page(s1_stream(1, 1), VA, PA);
    xlate(1, VA);
    xlate(1, VA);
    auto tlb = cstats(SMMU_CACHE_TLB);
    EXPECT_EQ(tlb.lookups, 2u);
    EXPECT_EQ(tlb.hits, 1u);
    EXPECT_EQ(tlb.misses, 1u);
    EXPECT_EQ(tlb.fills, 1u);
    EXPECT_EQ(tlb.evictions, 0u);
    EXPECT_EQ(tlb.invalidations, 0u);
    auto ste = cstats(SMMU_CACHE_STE), cd = cstats(SMMU_CACHE_CD);
    EXPECT_EQ(ste.hits, 1u);
    EXPECT_EQ(ste.misses, 1u);
    EXPECT_EQ(cd.fills, 1u);
    EXPECT_EQ(cstats(SMMU_CACHE_WALK).fills, 3u); // levels 0, 1, 2
    cmds({tenc::tlbi_nh_all(0)});
    EXPECT_EQ(cstats(SMMU_CACHE_TLB).invalidations, 1u);
    EXPECT_EQ(cstats(SMMU_CACHE_WALK).invalidations, 3u);
    smmu_cache_stats_t st;
    EXPECT_EQ(smmu_cache_stats(smmu, SMMU_CACHE_COUNT, &st), -1);
    smmu_clear_stats(smmu);
    EXPECT_EQ(cstats(SMMU_CACHE_TLB).lookups, 0u);
}

// Per-stream statistics: translations, OK, faults by event type.
TEST_F(Caches, PerStreamStatistics) {
    page(s1_stream(1, 1), VA, PA);
    put_ste(2, Ste::abort().dw);
    xlate(1, VA);
    xlate(1, VA + 0x5000); // unmapped: F_TRANSLATION
    xlate(2, VA);
    xlate(2, VA);
    smmu_stream_stats_t a, b;
    ASSERT_EQ(smmu_stream_stats(smmu, 1, &a), 0);
    ASSERT_EQ(smmu_stream_stats(smmu, 2, &b), 0);
    EXPECT_EQ(a.translations, 2u);
    EXPECT_EQ(a.ok, 1u);
    EXPECT_EQ(a.faults, 1u);
    EXPECT_EQ(a.by_event[SMMU_EVT_F_TRANSLATION], 1u);
    EXPECT_EQ(b.translations, 2u);
    EXPECT_EQ(b.faults, 2u);
    EXPECT_EQ(smmu_stream_stats(smmu, 3, &a), -1);
    EXPECT_EQ(a.translations, 0u);
    smmu_clear_stats(smmu);
    EXPECT_EQ(smmu_stream_stats(smmu, 1, &a), -1);
}

// Streams beyond params.stream_stats_entries are counted in the "other" bucket.
class SmallStreamStats : public CacheTest {
    void configure(smmu_params_t &p) override {
        p.stream_stats_entries = 2;
    }
};

TEST_F(SmallStreamStats, StreamsBeyondTableCountAsOther) {
    for (uint32_t sid = 1; sid <= 4; sid++)
        put_ste(sid, Ste::bypass().dw);
    for (uint32_t sid = 1; sid <= 4; sid++)
        xlate(sid, VA);
    smmu_stream_stats_t st;
    EXPECT_EQ(smmu_stream_stats(smmu, 1, &st), 0);
    EXPECT_EQ(smmu_stream_stats(smmu, 2, &st), 0);
    EXPECT_EQ(smmu_stream_stats(smmu, 3, &st), -1);
    smmu_stream_stats_other(smmu, &st);
    EXPECT_EQ(st.translations, 2u);
    EXPECT_EQ(st.ok, 2u);
}

// ---- geometry and replacement: a TLB of one set of four ways

class Repl : public CacheTest {
  protected:
    uint8_t repl = SMMU_REPL_LRU;
    uint64_t seed = 1;
    uint64_t root = 0;
    void configure(smmu_params_t &p) override {
        p.cache[SMMU_CACHE_TLB] = {4, 4, repl, true};
        p.cache_seed = seed;
    }
    void recreate() {
        configure(params);
        create();
        enable();
        root = s1_stream(1, 1);
        for (uint64_t i = 0; i < 8; i++)
            page(root, VA + 0x1000 * i, PA + 0x1000 * i);
    }
    bool hit(uint64_t i) {
        return xlate(1, VA + 0x1000 * i).tlb_hit;
    }
};

TEST_F(Repl, LruEvictsLeastRecentlyUsed) {
    recreate();
    for (uint64_t i = 0; i < 4; i++)
        EXPECT_FALSE(hit(i));
    EXPECT_TRUE(hit(0)); // 0 becomes most recent; 1 is least recent
    EXPECT_FALSE(hit(4));
    EXPECT_TRUE(hit(0));
    EXPECT_TRUE(hit(2));
    EXPECT_TRUE(hit(3));
    EXPECT_TRUE(hit(4));
    EXPECT_FALSE(hit(1)) << "evicted";
    EXPECT_EQ(cstats(SMMU_CACHE_TLB).evictions, 2u);
}

// LRU at the granularity of fills (docs/architecture.md, "Replacement"; the order is
// IMPLEMENTATION DEFINED, spec 16.2): the LRU time advances when a line is filled, a hit stamps
// its line with the current time, so lines used since the last fill are equally recent and the
// victim is the first way among the oldest.
TEST_F(Repl, LruHitsSinceTheLastFillAreEquallyRecent) {
    recreate();
    for (uint64_t i = 0; i < 4; i++) // pages 0..3 fill ways 0..3 (invalid ways first, in order)
        EXPECT_FALSE(hit(i));
    for (uint64_t i = 4; i-- > 0;) // used in the order 3, 2, 1, 0: all at the time of the last fill
        EXPECT_TRUE(hit(i));
    EXPECT_FALSE(hit(4)); // every way equally recent: way 0 (page 0) is the victim
    EXPECT_TRUE(hit(3));
    EXPECT_TRUE(hit(2));
    EXPECT_TRUE(hit(1));
    EXPECT_FALSE(hit(0)) << "evicted although used last: one time since the last fill";
}

TEST_F(Repl, RoundRobinIgnoresUse) {
    repl = SMMU_REPL_RR;
    recreate();
    for (uint64_t i = 0; i < 4; i++)
        EXPECT_FALSE(hit(i));
    EXPECT_TRUE(hit(0));
    EXPECT_FALSE(hit(4)); // replaces way 0 (page 0) although it was just used
    EXPECT_TRUE(hit(1));
    EXPECT_TRUE(hit(4));
    EXPECT_FALSE(hit(0)) << "evicted";
}

// Random replacement is deterministic for a seed (the generator lives in the instance).
TEST_F(Repl, RandomIsDeterministicPerSeed) {
    repl = SMMU_REPL_RANDOM;
    auto run = [&](uint64_t s) {
        seed = s;
        recreate();
        std::string pattern;
        for (int k = 0; k < 40; k++)
            pattern += hit((uint64_t)(k * 5 % 8)) ? 'h' : 'm';
        return pattern;
    };
    std::string a = run(42), b = run(42);
    EXPECT_EQ(a, b);
    EXPECT_NE(a.find('h'), std::string::npos);
    bool differs = false;
    for (uint64_t s = 1; s < 20 && !differs; s++)
        differs = run(s) != a;
    EXPECT_TRUE(differs) << "the seed drives the victim choice";
}

// smmu_reset() makes the instance behave exactly like a new one: the replacement state (the
// random generator from params.cache_seed, the round-robin pointers, the LRU clock) restarts
// too, so a reused instance picks the same victims as a fresh one (issue 21: fuzz targets reuse
// instances across inputs).
TEST_F(Repl, ResetRestartsReplacementLikeNew) {
    for (uint8_t policy : {SMMU_REPL_RANDOM, SMMU_REPL_RR, SMMU_REPL_LRU}) {
        repl = policy;
        seed = 42;
        recreate();
        auto pattern = [&] {
            std::string p;
            for (int k = 0; k < 40; k++)
                p += hit((uint64_t)(k * 5 % 8)) ? 'h' : 'm';
            return p;
        };
        const std::string fresh = pattern();
        smmu_reset(smmu);
        enable();
        EXPECT_EQ(pattern(), fresh) << "policy " << int(policy) << ": after the first reset";
        hit(3); // leave the replacement state somewhere else before the next reset
        smmu_reset(smmu);
        enable();
        EXPECT_EQ(pattern(), fresh) << "policy " << int(policy) << ": after the second reset";
    }
}

class Disabled : public CacheTest {
    void configure(smmu_params_t &p) override {
        for (auto &g : p.cache)
            g.enable = false;
    }
};

// Disabled caches: every translation reads everything again and sees every edit at once.
TEST_F(Disabled, NothingIsCached) {
    uint64_t root = s1_stream(1, 1);
    page(root, VA, PA);
    for (int i = 0; i < 2; i++) {
        auto r = xlate(1, VA);
        EXPECT_FALSE(r.tlb_hit);
        EXPECT_FALSE(r.cfg_hit);
        EXPECT_EQ(r.mem_reads, 6u);
    }
    page(root, VA, PA + 0x1000);
    EXPECT_EQ(pa_of(1, VA), PA + 0x1000);
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++)
        EXPECT_EQ(cstats(c).lookups, 0u) << c;
}

// Conformance note 12, end to end: random table edits, each followed by the invalidation a
// driver issues for it and a CMD_SYNC; afterwards every translation must equal the one of an
// SMMU without caches reading the same memory.
class CachedVsUncached : public CacheTest {
  protected:
    smmu_t *ref = nullptr;
    void configure(smmu_params_t &p) override {
        p.cache[SMMU_CACHE_TLB] = {16, 2, SMMU_REPL_RANDOM, true}; // small: evictions too
        p.cache[SMMU_CACHE_WALK] = {8, 2, SMMU_REPL_LRU, true};
    }
    void SetUp() override {
        CacheTest::SetUp();
        smmu_params_t p = params;
        for (auto &g : p.cache)
            g.enable = false;
        smmu_host_t host{};
        smmu_mem_host(mem, &host);
        ref = smmu_new(&p, &host);
        ASSERT_NE(ref, nullptr);
        smmu_reg_write(ref, SMMU_STRTAB_BASE, STRTAB, 8);
        smmu_reg_write(ref, SMMU_STRTAB_BASE_CFG, sid_bits, 4);
        smmu_reg_write(ref, SMMU_CR0, SMMU_CR0_SMMUEN, 4);
    }
    void TearDown() override {
        smmu_free(ref);
        CacheTest::TearDown();
    }
    void expect_same(uint32_t sid, uint64_t va, int step) {
        smmu_txn_t t{};
        t.addr = va;
        t.sid = sid;
        t.len = 4;
        smmu_result_t a{}, b{};
        smmu_translate(smmu, &t, &a);
        smmu_translate(ref, &t, &b);
        ASSERT_EQ(a.status, b.status) << "step " << step << " sid " << sid << " va " << va;
        if (a.status == SMMU_OK) {
            ASSERT_EQ(a.pa, b.pa) << "step " << step << " sid " << sid;
        }
    }
};

TEST_F(CachedVsUncached, RandomEditsWithInvalidationMatchUncached) {
    std::mt19937 rng(12345);
    constexpr unsigned STREAMS = 4, PAGES = 12;
    uint64_t roots[STREAMS][2], cds[STREAMS];
    unsigned asid[STREAMS], which[STREAMS];
    for (unsigned i = 0; i < STREAMS; i++) {
        cds[i] = alloc(64, 64);
        for (int k = 0; k < 2; k++)
            roots[i][k] = new_table(12);
        asid[i] = i + 1;
        which[i] = 0;
        put_words(cds[i], Cd::s1(roots[i][0], 16, tenc::TG0_4K, asid[i]).dw, 8);
        put_ste(i + 1, Ste::s1(cds[i]).dw);
    }
    auto va = [](unsigned p) { return 0x40000000ull + (p % 4) * 0x1000 + (p / 4) * 0x200000; };
    unsigned next_asid = 10;
    for (int step = 0; step < 400; step++) {
        unsigned st = rng() % STREAMS, pg = rng() % PAGES;
        switch (rng() % 8) {
        case 0: // switch the CD to the other table with a new ASID: CFGI_CD, TLBI old ASID
            which[st] ^= 1;
            put_words(cds[st], Cd::s1(roots[st][which[st]], 16, tenc::TG0_4K, next_asid).dw, 8);
            cmds({tenc::cfgi_cd(st + 1, 0), tenc::tlbi_nh_asid(0, asid[st])});
            asid[st] = next_asid++;
            break;
        case 1: // STE between stage 1 and bypass: CFGI_STE
            put_ste(st + 1, rng() % 2 ? Ste::bypass().dw : Ste::s1(cds[st]).dw);
            cmds({tenc::cfgi_ste(st + 1, rng() % 2)});
            break;
        case 2: // unmap a page: leaf TLBI by VA and ASID
            if (uint64_t slot = slot_of_tree(mem, roots[st][which[st]], va(pg))) put64(slot, 0);
            cmds({tenc::tlbi_nh_va(0, asid[st], va(pg))});
            break;
        case 3: // remap with a range TLBI over four pages
            page(roots[st][which[st]], va(pg), 0x80000000ull + (rng() % 64) * 0x1000);
            cmds({tenc::tlbi_nh_va(0, asid[st], va(pg) & ~0x3FFFull, true).tg(1).num(3).ttl(3)});
            break;
        default: // remap: NH_VAA, or all of the VMID
            page(roots[st][which[st]], va(pg), 0x80000000ull + (rng() % 64) * 0x1000);
            cmds({rng() % 4 ? tenc::tlbi_nh_vaa(0, va(pg)) : tenc::tlbi_nh_all(0)});
            break;
        }
        events();
        for (unsigned i = 0; i < STREAMS; i++)
            for (unsigned p = 0; p < PAGES; p++)
                expect_same(i + 1, va(p), step);
    }
    EXPECT_GT(cstats(SMMU_CACHE_TLB).hits, 0u);
    EXPECT_GT(cstats(SMMU_CACHE_TLB).evictions, 0u);
}

// Geometry outside the supported ranges is refused by smmu_new.
TEST(CacheParams, BadGeometryIsRefused) {
    smmu_mem_t *mem = smmu_mem_new();
    smmu_host_t host{};
    smmu_mem_host(mem, &host);
    smmu_params_t p;
    smmu_params_init(&p);
    EXPECT_EQ(p.cache[SMMU_CACHE_TLB].entries, 2048u);
    EXPECT_EQ(p.cache[SMMU_CACHE_TLB].ways, 4u);
    smmu_t *s = smmu_new(&p, &host);
    EXPECT_NE(s, nullptr);
    smmu_free(s);
    const smmu_cache_geom_t bad[] = {
        {16, 0, 0, true}, {10, 4, 0, true}, {16, 4, 3, true}, {16, 65, 0, true}};
    for (const auto &g : bad) {
        smmu_params_init(&p);
        p.cache[SMMU_CACHE_WALK] = g;
        EXPECT_EQ(smmu_new(&p, &host), nullptr) << g.entries << "/" << (int)g.ways;
    }
    smmu_params_init(&p);
    p.cache[SMMU_CACHE_CD] = {0, 0, 0, true}; // no entries: disabled, accepted
    p.cache[SMMU_CACHE_IPA] = {7, 0, 9, false};
    s = smmu_new(&p, &host);
    EXPECT_NE(s, nullptr);
    smmu_free(s);
    smmu_mem_free(mem);
}

} // namespace
