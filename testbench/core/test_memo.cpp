// SPDX-License-Identifier: Apache-2.0 OR MIT
// The translation memo (smmu_params_t.memo_entries) is a model-internal speed-up that software
// must not be able to observe. Each test runs the same operations on two SMMUs, one with the
// memo and one without (memo_off), and requires identical results, events and statistics
// (global, per cache, per stream): the memo answers only where the full path would hit in every
// cache, with the same side effects, and retires entries on every CFGI/TLBI, eviction, SMMUEN or
// GBPA change.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <smmu/drv.h>
#include <smmu/mem.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>

#include "memo_rig.h"

namespace {

using memo_rig::IOVA;
using memo_rig::PA;
using memo_rig::POOL;
using memo_rig::POOL_SIZE;
using memo_rig::Side;
using memo_rig::small_caches;

struct Twin {
    Side on, off;
    explicit Twin(smmu_params_t p) : on((p.memo_off = false, p)), off((p.memo_off = true, p)) {}

    template <class F> void both(F f) {
        f(on);
        f(off);
    }

    // Translates on both and requires identical results; returns the memo side's.
    smmu_result_t translate(const smmu_txn_t &t, const std::string &what) {
        smmu_result_t a{}, b{};
        smmu_translate(on.smmu, &t, &a);
        smmu_translate(off.smmu, &t, &b);
        EXPECT_EQ(a.status, b.status) << what;
        EXPECT_EQ(a.pa, b.pa) << what;
        EXPECT_EQ(a.span, b.span) << what;
        EXPECT_EQ(a.event, b.event) << what;
        EXPECT_EQ(a.ns, b.ns) << what;
        EXPECT_EQ(a.perm, b.perm) << what;
        EXPECT_EQ(a.attr, b.attr) << what;
        EXPECT_EQ(a.sh, b.sh) << what;
        EXPECT_EQ(a.abort, b.abort) << what;
        EXPECT_EQ(a.recorded, b.recorded) << what;
        EXPECT_EQ(a.tlb_hit, b.tlb_hit) << what;
        EXPECT_EQ(a.cfg_hit, b.cfg_hit) << what;
        EXPECT_EQ(a.mem_reads, b.mem_reads) << what;
        for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
            EXPECT_EQ(a.lookups[c], b.lookups[c]) << what << ": cache " << c;
            EXPECT_EQ(a.hits[c], b.hits[c]) << what << ": cache " << c;
        }
        EXPECT_EQ(a.walk_reads, b.walk_reads) << what;
        return a;
    }

    void expect_same_stats(const std::vector<uint32_t> &sids, const std::string &what) {
        smmu_stats_t a, b;
        smmu_get_stats(on.smmu, &a);
        smmu_get_stats(off.smmu, &b);
        EXPECT_EQ(0, std::memcmp(&a, &b, sizeof(a))) << what << ": global statistics differ";
        for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
            smmu_cache_stats_t x, y;
            smmu_cache_stats(on.smmu, c, &x);
            smmu_cache_stats(off.smmu, c, &y);
            EXPECT_EQ(x.lookups, y.lookups) << what << ": cache " << c;
            EXPECT_EQ(x.hits, y.hits) << what << ": cache " << c;
            EXPECT_EQ(x.misses, y.misses) << what << ": cache " << c;
            EXPECT_EQ(x.fills, y.fills) << what << ": cache " << c;
            EXPECT_EQ(x.evictions, y.evictions) << what << ": cache " << c;
            EXPECT_EQ(x.invalidations, y.invalidations) << what << ": cache " << c;
        }
        for (uint32_t sid : sids) {
            smmu_stream_stats_t x, y;
            EXPECT_EQ(smmu_stream_stats(on.smmu, sid, &x), smmu_stream_stats(off.smmu, sid, &y));
            EXPECT_EQ(0, std::memcmp(&x, &y, sizeof(x))) << what << ": stream " << sid;
        }
    }

    // Drains both event queues and requires the same records.
    void expect_same_events(const std::string &what) {
        for (;;) {
            smmu_drv_event_t a{}, b{};
            int ra = smmu_drv_next_event(on.drv, &a), rb = smmu_drv_next_event(off.drv, &b);
            ASSERT_EQ(ra, rb) << what;
            if (ra != 0) break;
            EXPECT_EQ(0, std::memcmp(&a, &b, sizeof(a))) << what << ": event records differ";
        }
    }
};

smmu_txn_t txn(uint32_t sid, uint64_t addr, bool write = false) {
    smmu_txn_t t{};
    t.sid = sid;
    t.addr = addr;
    t.len = 8;
    t.write = write;
    return t;
}

smmu_domain_t *new_domain(Side &s, uint8_t stage, uint16_t id, unsigned gran) {
    smmu_domain_cfg_t c{};
    c.stage = stage;
    c.id = id;
    c.granule = gran;
    c.ias = gran == 65536 ? 42 : 48; // a 48-bit stage 2 at 64KB would need too many tables
    smmu_domain_t *d = nullptr;
    EXPECT_EQ(smmu_drv_domain_new(s.drv, &c, &d), 0);
    return d;
}

// On both sides: a stage-1 domain (ASID 1, 4 KB) mapping [IOVA, IOVA + size) to PA, attached to
// sid; returns the domains of the memo side and of the other side.
std::vector<smmu_domain_t *> attach_mapped_s1(Twin &w, uint32_t sid, uint64_t size, unsigned prot) {
    std::vector<smmu_domain_t *> d;
    w.both([&](Side &s) {
        d.push_back(new_domain(s, 1, 1, 4096));
        smmu_drv_map(s.drv, d.back(), IOVA, PA, size, prot);
        smmu_drv_attach_s1(s.drv, sid, d.back(), 0, SMMU_DRV_S1DSS_TERMINATE);
    });
    return d;
}

// ---------------------------------------------------------------------------------- rules

TEST(Memo, RepeatedHitsReplayEveryCacheStatistic) {
    Twin w(small_caches(true));
    attach_mapped_s1(w, 3, 0x4000, SMMU_PROT_R | SMMU_PROT_W);
    for (int i = 0; i < 50; i++)
        EXPECT_EQ(w.translate(txn(3, IOVA + 0x1008), "hit").status, SMMU_OK);
    smmu_cache_stats_t tlb;
    smmu_cache_stats(w.on.smmu, SMMU_CACHE_TLB, &tlb);
    EXPECT_EQ(tlb.hits, 49u); // the first translation walks, the others hit
    w.expect_same_stats({3}, "after 50 translations");
}

TEST(Memo, UnmapWithTlbiRetiresTheEntry) {
    Twin w(small_caches(true));
    std::vector<smmu_domain_t *> d = attach_mapped_s1(w, 1, 0x1000, SMMU_PROT_R);
    w.translate(txn(1, IOVA), "fill");
    EXPECT_EQ(w.translate(txn(1, IOVA), "hit").status, SMMU_OK);
    smmu_drv_unmap(w.on.drv, d[0], IOVA, 0x1000); // TLBI_NH_VA + SYNC
    smmu_drv_unmap(w.off.drv, d[1], IOVA, 0x1000);
    smmu_result_t r = w.translate(txn(1, IOVA), "after unmap");
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_TRANSLATION);
    w.expect_same_events("unmap");
}

TEST(Memo, CfgiSteRetiresTheEntry) {
    Twin w(small_caches(true));
    attach_mapped_s1(w, 1, 0x1000, SMMU_PROT_R);
    w.translate(txn(1, IOVA), "fill");
    EXPECT_EQ(w.translate(txn(1, IOVA), "hit").status, SMMU_OK);
    w.both([](Side &s) { smmu_drv_attach_abort(s.drv, 1); }); // STE rewritten + CFGI_STE
    smmu_result_t r = w.translate(txn(1, IOVA), "after attach_abort");
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
}

// SMMUEN = 0: GBPA decides; a GBPA change retires global-bypass entries, which use no cache.
TEST(Memo, GbpaChangeRetiresGlobalBypassEntries) {
    smmu_params_t p = small_caches(true);
    Twin w(p);
    w.both([](Side &s) {
        smmu_reg_write(s.smmu, SMMU_CR0, 0, 4); // SMMUEN = 0
        smmu_reg_write(s.smmu, SMMU_GBPA, SMMU_GBPA_UPDATE, 4);
    });
    EXPECT_EQ(w.translate(txn(9, 0x1234000), "bypass").status, SMMU_OK);
    EXPECT_EQ(w.translate(txn(9, 0x1234000), "bypass again").pa, 0x1234000u);
    w.both(
        [](Side &s) { smmu_reg_write(s.smmu, SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT, 4); });
    smmu_result_t r = w.translate(txn(9, 0x1234000), "GBPA.ABORT");
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
}

// Without invalidation the TLB may keep a stale translation (3.21.1): the memo must give exactly
// what the TLB gives, not a fresh walk.
TEST(Memo, StaleTlbEntryWithoutInvalidationIsGivenLikeTheTlb) {
    Twin w(small_caches(true));
    std::vector<smmu_domain_t *> d = attach_mapped_s1(w, 1, 0x1000, SMMU_PROT_R);
    w.translate(txn(1, IOVA), "fill");
    // Rewrite the leaf descriptor in memory without any TLBI: a 4-level 4KB walk by hand
    // (Arm ARM D8.2: 9 index bits per level above the 12-bit page offset).
    for (int i = 0; i < 2; i++) {
        Side &s = i ? w.off : w.on;
        uint64_t table = 0;
        unsigned start = 0, concat = 0;
        smmu_drv_domain_geometry(d[i], &table, &start, &concat);
        ASSERT_EQ(start, 0u);
        uint64_t slot = 0;
        for (unsigned lvl = 0; lvl <= 3; lvl++) {
            slot = table + ((IOVA >> (39 - 9 * lvl)) & 511) * 8;
            table = smmu_mem_read64(s.mem, slot) & 0x0000FFFFFFFFF000ull;
        }
        ASSERT_EQ(table, PA);
        uint64_t leaf = smmu_mem_read64(s.mem, slot);
        smmu_mem_write64(s.mem, slot, (leaf & ~0x0000FFFFFFFFF000ull) | (PA + 0x10000));
    }
    EXPECT_EQ(w.translate(txn(1, IOVA), "stale").pa, PA);
}

TEST(Memo, ClearStatsKeepsPerStreamCountersExact) {
    Twin w(small_caches(true));
    attach_mapped_s1(w, 5, 0x1000, SMMU_PROT_R);
    for (int i = 0; i < 3; i++)
        w.translate(txn(5, IOVA), "before clear");
    w.both([](Side &s) { smmu_clear_stats(s.smmu); });
    for (int i = 0; i < 4; i++)
        w.translate(txn(5, IOVA), "after clear");
    smmu_stream_stats_t st;
    ASSERT_EQ(smmu_stream_stats(w.on.smmu, 5, &st), 0);
    EXPECT_EQ(st.translations, 4u);
    w.expect_same_stats({5}, "after clear");
}

// Reads, writes and fetches of one page share what the memo keeps of it: a kind the mapping does
// not permit must still fault after a permitted kind was answered from the memo (Arm ARM
// D8.4.1.2: a read-only page faults on write).
TEST(Memo, PermittedReadThenForbiddenWriteStillFaults) {
    Twin w(small_caches(true));
    attach_mapped_s1(w, 2, 0x1000, SMMU_PROT_R);
    for (int i = 0; i < 3; i++)
        EXPECT_EQ(w.translate(txn(2, IOVA + 8), "read").status, SMMU_OK);
    smmu_result_t r = w.translate(txn(2, IOVA + 16, true), "write");
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_PERMISSION);
    EXPECT_EQ(w.translate(txn(2, IOVA + 24), "read again").status, SMMU_OK);
    w.expect_same_stats({2}, "read/write/read");
    w.expect_same_events("read/write/read");
}

// A TLB line evicted by other fills (spec 3.21.1: the TLB may drop any entry) takes the memo's
// copy with it: the next translation of that page misses in the TLB and walks, as without memo.
TEST(Memo, TlbEvictionRetiresTheEntry) {
    smmu_params_t p = small_caches(true);
    p.cache[SMMU_CACHE_TLB].entries = 2; // one set of two ways
    p.cache[SMMU_CACHE_TLB].ways = 2;
    Twin w(p);
    attach_mapped_s1(w, 1, 0x4000, SMMU_PROT_R);
    EXPECT_FALSE(w.translate(txn(1, IOVA), "fill A").tlb_hit);
    EXPECT_TRUE(w.translate(txn(1, IOVA), "A hits").tlb_hit);
    w.translate(txn(1, IOVA + 0x1000), "fill B");
    w.translate(txn(1, IOVA + 0x2000), "fill C: evicts A");
    smmu_result_t r = w.translate(txn(1, IOVA), "A again");
    EXPECT_FALSE(r.tlb_hit);
    EXPECT_GT(r.walk_reads, 0u);
    w.expect_same_stats({1}, "eviction");
}

// A memo hit stamps its lines' LRU time only when the entry did not already at the current time,
// which it keeps in 16 bits; the LRU time advances on every fill, so after exactly 2^16 fills the
// entry's bits match again although its lines are old: every entry must be retired then, or the
// next hit would leave its TLB line older than the full path does, and the next fill in that set
// would evict the wrong way. The ticks come from one STE fill at a time (a bypass stream's STE,
// invalidated and fetched again), which touches neither the TLB nor stream 1's lines.
TEST(Memo, LruTimeWrapKeepsReplacementExact) {
    smmu_params_t p = small_caches(true);
    p.cache[SMMU_CACHE_TLB].entries = 2; // one set of two ways
    p.cache[SMMU_CACHE_TLB].ways = 2;
    p.cache[SMMU_CACHE_L1].enable = false; // a CFGI_STE drops the L1 descriptor too: 2 fills
    Twin w(p);
    attach_mapped_s1(w, 1, 0x4000, SMMU_PROT_R);
    auto fills = [&] {
        uint64_t n = 0;
        for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
            smmu_cache_stats_t cs;
            smmu_cache_stats(w.on.smmu, c, &cs);
            n += cs.fills;
        }
        return n;
    };
    w.both([](Side &s) { smmu_drv_attach_bypass(s.drv, 9); });
    w.translate(txn(9, IOVA), "bypass stream: its first translation");
    EXPECT_FALSE(w.translate(txn(1, IOVA), "fill A").tlb_hit);
    EXPECT_TRUE(w.translate(txn(1, IOVA), "A hits: recorded").tlb_hit);
    EXPECT_TRUE(w.translate(txn(1, IOVA), "A hits: memo, stamps A's lines").tlb_hit);
    const uint64_t f0 = fills();
    EXPECT_FALSE(w.translate(txn(1, IOVA + 0x1000), "fill B").tlb_hit);
    uint64_t f = fills();
    while ((f - f0) % 65536 != 0) {
        w.both([](Side &s) { smmu_drv_attach_bypass(s.drv, 9); });
        w.translate(txn(9, IOVA), "bypass stream: one STE fill");
        const uint64_t g = fills();
        ASSERT_EQ(g, f + 1) << "one fill per step";
        f = g;
        if (::testing::Test::HasFailure()) return;
    }
    EXPECT_TRUE(w.translate(txn(1, IOVA), "A, 2^16 fills later").tlb_hit);
    EXPECT_FALSE(w.translate(txn(1, IOVA + 0x2000), "fill C: evicts B, the older").tlb_hit);
    EXPECT_TRUE(w.translate(txn(1, IOVA), "A still cached").tlb_hit);
    EXPECT_FALSE(w.translate(txn(1, IOVA + 0x1000), "B was evicted").tlb_hit);
    w.expect_same_stats({1, 9}, "LRU time wrap");
}

// Two streams attached to one domain hit the same TLB entries (one ASID, spec 3.17): alternating
// between them, every translation and every counter stays what the full path gives.
TEST(Memo, TwoStreamsSharingTlbEntriesStayExact) {
    Twin w(small_caches(true));
    std::vector<smmu_domain_t *> d = attach_mapped_s1(w, 1, 0x4000, SMMU_PROT_R | SMMU_PROT_W);
    for (int i = 0; i < 2; i++)
        smmu_drv_attach_s1(i ? w.off.drv : w.on.drv, 4, d[i], 0, SMMU_DRV_S1DSS_TERMINATE);
    for (int i = 0; i < 40; i++) {
        smmu_txn_t t = txn(i % 2 ? 4 : 1, IOVA + (uint64_t)(i % 4) * 0x1000, i % 3 == 0);
        EXPECT_EQ(w.translate(t, "alternating " + std::to_string(i)).status, SMMU_OK);
    }
    for (int i = 0; i < 2; i++) // unmap one page: TLBI by VA, seen by both streams
        smmu_drv_unmap(i ? w.off.drv : w.on.drv, d[i], IOVA + 0x1000, 0x1000);
    EXPECT_EQ(w.translate(txn(1, IOVA + 0x1000), "unmapped, stream 1").status, SMMU_FAULT);
    EXPECT_EQ(w.translate(txn(4, IOVA + 0x1000), "unmapped, stream 4").status, SMMU_FAULT);
    w.expect_same_stats({1, 4}, "shared TLB entries");
    w.expect_same_events("shared TLB entries");
}

// smmu_result_t.lookups / hits / walk_reads are exactly the smmu_cost_counters() differences
// around the call, on the memo's hits as on the full path.
TEST(Memo, ResultCostEqualsCounterDifferences) {
    Twin w(small_caches(true));
    attach_mapped_s1(w, 1, 0x8000, SMMU_PROT_R | SMMU_PROT_W);
    std::mt19937 rng(7);
    for (int i = 0; i < 400; i++) {
        smmu_txn_t t = txn(1, IOVA + (uint64_t)(rng() % 10) * 0x1000, rng() % 2);
        for (Side *s : {&w.on, &w.off}) {
            smmu_cost_counters_t a, b;
            smmu_result_t r{};
            smmu_cost_counters(s->smmu, &a);
            smmu_translate(s->smmu, &t, &r);
            smmu_cost_counters(s->smmu, &b);
            for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
                ASSERT_EQ(r.lookups[c], b.lookups[c] - a.lookups[c]) << i << " cache " << c;
                ASSERT_EQ(r.hits[c], b.hits[c] - a.hits[c]) << i << " cache " << c;
            }
            ASSERT_EQ(r.walk_reads, b.walk_reads - a.walk_reads) << i;
        }
    }
}

// With fewer statistics slots than streams, the streams that get a slot after
// smmu_clear_stats are the first to translate again, as without memo; the others count as
// "other".
TEST(Memo, ClearStatsGivesSlotsInTranslationOrderWhenTableIsFull) {
    smmu_params_t p = small_caches(true);
    p.stream_stats_entries = 2;
    Twin w(p);
    for (uint32_t sid = 1; sid <= 3; sid++)
        attach_mapped_s1(w, sid, 0x1000, SMMU_PROT_R);
    for (uint32_t sid = 1; sid <= 3; sid++)
        for (int i = 0; i < 2; i++)
            w.translate(txn(sid, IOVA), "before clear");
    w.both([](Side &s) { smmu_clear_stats(s.smmu); });
    for (uint32_t sid : {3u, 1u, 2u, 3u, 2u})
        w.translate(txn(sid, IOVA), "after clear");
    smmu_stream_stats_t st;
    ASSERT_EQ(smmu_stream_stats(w.on.smmu, 3, &st), 0);
    EXPECT_EQ(st.translations, 2u);
    EXPECT_EQ(smmu_stream_stats(w.on.smmu, 2, &st), -1); // the table was full when 2 came
    smmu_stream_stats_other(w.on.smmu, &st);
    EXPECT_EQ(st.translations, 2u);
    w.expect_same_stats({1, 2, 3}, "slots after clear");
}

TEST(Memo, ParamsRejectSizeNotAPowerOfTwo) {
    smmu_params_t p;
    smmu_params_init(&p);
    p.memo_entries = 1000;
    smmu_mem_t *m = smmu_mem_new();
    smmu_host_t h{};
    smmu_mem_host(m, &h);
    EXPECT_EQ(smmu_new(&p, &h), nullptr);
    p.memo_entries = 1024;
    smmu_t *s = smmu_new(&p, &h);
    EXPECT_NE(s, nullptr);
    smmu_free(s);
    smmu_mem_free(m);
}

// ------------------------------------------------------------------------ random workloads

// Streams 1..6 over stage-1 domains (with SubstreamIDs), a stage-2 domain, nested, bypass and
// abort; random maps, unmaps, re-attachments, PASID changes, statistics clears and translations
// of every access kind; caches small enough to evict. Everything observable must be identical.
// small: caches that evict constantly; otherwise default caches, few pages and long-lived
// entries, so that stale memo entries would be used if an invalidation failed to retire them.
void random_workload(uint32_t seed, unsigned gran, bool small) {
    smmu_params_t p;
    smmu_params_init(&p);
    Twin w(small ? small_caches(true) : p);
    std::mt19937 rng(seed);
    const unsigned pages = small ? 24 : 6;
    std::vector<std::vector<smmu_domain_t *>> dom(2);
    int k = 0;
    w.both([&](Side &s) {
        for (uint16_t id = 1; id <= 3; id++)
            dom[k].push_back(new_domain(s, 1, id, gran));
        dom[k].push_back(new_domain(s, 2, 7, gran));
        smmu_drv_attach_s1(s.drv, 1, dom[k][0], 2, SMMU_DRV_S1DSS_SSID0);
        smmu_drv_set_pasid(s.drv, 1, 1, dom[k][1]);
        smmu_drv_set_pasid(s.drv, 1, 2, dom[k][2]);
        smmu_drv_attach_s1(s.drv, 2, dom[k][1], 0, SMMU_DRV_S1DSS_TERMINATE);
        smmu_drv_attach_s2(s.drv, 3, dom[k][3]);
        smmu_drv_attach_bypass(s.drv, 4);
        smmu_drv_attach_abort(s.drv, 5);
        smmu_drv_attach_s1(s.drv, 6, dom[k][2], 0, SMMU_DRV_S1DSS_TERMINATE);
        k++;
    });
    std::vector<bool> mapped(4 * pages);
    const unsigned prots[] = {SMMU_PROT_R, SMMU_PROT_R | SMMU_PROT_W,
                              SMMU_PROT_R | SMMU_PROT_X | SMMU_PROT_PRIV, SMMU_PROT_W};
    for (int op = 0; op < 3000; op++) {
        std::string what = "seed " + std::to_string(seed) + " op " + std::to_string(op);
        unsigned r = rng() % 100;
        unsigned di = rng() % 4, pg = rng() % pages;
        uint64_t iova = IOVA + (uint64_t)pg * gran;
        if (r < 12) { // map (if free) or unmap with TLBI
            bool m = mapped[di * pages + pg];
            unsigned prot = prots[rng() % 4];
            uint64_t pa = PA + ((uint64_t)(rng() % 64) * gran);
            for (int i = 0; i < 2; i++) {
                Side &s = i ? w.off : w.on;
                if (m)
                    smmu_drv_unmap(s.drv, dom[i][di], iova, gran);
                else
                    smmu_drv_map(s.drv, dom[i][di], iova, pa, gran, prot);
            }
            mapped[di * pages + pg] = !m;
        } else if (r < 14) { // re-point a PASID
            uint32_t ssid = 1 + rng() % 2;
            unsigned to = rng() % 3;
            for (int i = 0; i < 2; i++)
                smmu_drv_set_pasid(i ? w.off.drv : w.on.drv, 1, ssid, dom[i][to]);
        } else if (r < 15) { // stream 6 becomes bypass, abort or stage 1 again
            unsigned how = rng() % 3;
            for (int i = 0; i < 2; i++) {
                smmu_drv_t *d = i ? w.off.drv : w.on.drv;
                if (how == 0) smmu_drv_attach_bypass(d, 6);
                if (how == 1) smmu_drv_attach_abort(d, 6);
                if (how == 2) smmu_drv_attach_s1(d, 6, dom[i][2], 0, SMMU_DRV_S1DSS_TERMINATE);
            }
        } else if (r < 16) {
            w.both([](Side &s) { smmu_clear_stats(s.smmu); });
        } else { // translate
            smmu_txn_t t = txn(1 + rng() % 6, iova + (rng() % 8) * 8, rng() % 3 == 0);
            t.priv = rng() % 2;
            t.exec = !t.write && rng() % 5 == 0;
            if (t.sid == 1 && rng() % 2) {
                t.ssv = true;
                t.ssid = rng() % 3;
            }
            w.translate(t, what);
        }
        if (::testing::Test::HasFailure()) return;
        if (op % 500 == 499) {
            w.expect_same_stats({1, 2, 3, 4, 5, 6}, what);
            w.expect_same_events(what);
        }
    }
    w.expect_same_stats({1, 2, 3, 4, 5, 6}, "end");
    w.expect_same_events("end");
}

TEST(Memo, RandomWorkload4kIsIndistinguishableFromNoMemo) {
    for (uint32_t seed : {1u, 2u, 3u})
        random_workload(seed, 4096, true);
}

TEST(Memo, RandomWorkload64kIsIndistinguishableFromNoMemo) {
    for (uint32_t seed : {11u, 12u})
        random_workload(seed, 65536, true);
}

TEST(Memo, RandomWorkloadLongLivedEntriesAreRetiredExactly) {
    for (uint32_t seed : {21u, 22u, 23u})
        random_workload(seed, 4096, false);
    random_workload(24u, 65536, false);
}

} // namespace
