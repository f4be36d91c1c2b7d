// SPDX-License-Identifier: Apache-2.0 OR MIT
// smmu_translate_fast() (<smmu/smmu.h>): the same translation as smmu_translate() with a compact
// result. Its contract is that nothing observable differs: each test runs the same operations on
// two SMMUs, one translating with smmu_translate_fast() (memo on, so that its short path
// answers), the other with smmu_translate() and no memo (memo_off: the full path, an
// independent model of every result and side effect), and requires identical result fields,
// events and statistics (global, per cache, per stream) whenever they are read.
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
#include <smmu/tracepoint.h>

#include "memo_rig.h"

namespace {

using memo_rig::IOVA;
using memo_rig::PA;
using memo_rig::POOL;
using memo_rig::POOL_SIZE;
using memo_rig::Side;
using memo_rig::small_caches;

// fast: smmu_translate_fast with the memo; ref: smmu_translate without it.
struct Twin {
    Side fast, ref;
    explicit Twin(smmu_params_t p) : fast((p.memo_off = false, p)), ref((p.memo_off = true, p)) {}

    template <class F> void both(F f) {
        f(fast);
        f(ref);
    }

    smmu_result_fast_t translate(const smmu_txn_t &t, const std::string &what) {
        smmu_result_fast_t a;
        std::memset(&a, 0xA5, sizeof(a)); // every field must be written
        smmu_result_t b{};
        smmu_translate_fast(fast.smmu, &t, &a);
        smmu_translate(ref.smmu, &t, &b);
        EXPECT_EQ(a.status, (uint8_t)b.status) << what;
        if (b.status == SMMU_OK) {
            EXPECT_EQ(a.pa, b.pa) << what;
            EXPECT_EQ(a.ns, b.ns) << what;
            EXPECT_EQ(a.perm, b.perm) << what;
            EXPECT_EQ(a.attr, b.attr) << what;
            EXPECT_EQ(a.sh, b.sh) << what;
        }
        EXPECT_EQ(a.partid, b.partid) << what;
        EXPECT_EQ(a.pmg, b.pmg) << what;
        EXPECT_EQ(a.mpam_ns, b.mpam_ns) << what;
        EXPECT_EQ(a.event, b.event) << what;
        EXPECT_EQ(a.stag, b.stag) << what;
        EXPECT_EQ(a.abort, b.abort) << what;
        EXPECT_EQ(a.recorded, b.recorded) << what;
        EXPECT_EQ(a.tlb_hit, b.tlb_hit) << what;
        EXPECT_EQ(a.cfg_hit, b.cfg_hit) << what;
        return a;
    }

    void expect_same_stats(const std::vector<uint32_t> &sids, const std::string &what) {
        smmu_stats_t a, b;
        smmu_get_stats(fast.smmu, &a);
        smmu_get_stats(ref.smmu, &b);
        EXPECT_EQ(0, std::memcmp(&a, &b, sizeof(a))) << what << ": global statistics differ";
        for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
            smmu_cache_stats_t x, y;
            smmu_cache_stats(fast.smmu, c, &x);
            smmu_cache_stats(ref.smmu, c, &y);
            EXPECT_EQ(x.lookups, y.lookups) << what << ": cache " << c;
            EXPECT_EQ(x.hits, y.hits) << what << ": cache " << c;
            EXPECT_EQ(x.misses, y.misses) << what << ": cache " << c;
            EXPECT_EQ(x.fills, y.fills) << what << ": cache " << c;
            EXPECT_EQ(x.evictions, y.evictions) << what << ": cache " << c;
            EXPECT_EQ(x.invalidations, y.invalidations) << what << ": cache " << c;
        }
        for (uint32_t sid : sids) {
            smmu_stream_stats_t x, y;
            EXPECT_EQ(smmu_stream_stats(fast.smmu, sid, &x), smmu_stream_stats(ref.smmu, sid, &y));
            EXPECT_EQ(0, std::memcmp(&x, &y, sizeof(x))) << what << ": stream " << sid;
        }
    }

    void expect_same_events(const std::string &what) {
        for (;;) {
            smmu_drv_event_t a{}, b{};
            int ra = smmu_drv_next_event(fast.drv, &a), rb = smmu_drv_next_event(ref.drv, &b);
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

// Random maps, unmaps (TLBI + SYNC), re-attachments and PASID changes (CFGI + SYNC), aborting
// streams and unmapped pages (faults), statistics clears, and translations of every access
// kind; statistics compared every 97 operations (each read folds the fast hits).
// small: caches that evict constantly; otherwise default caches and few pages, so that entries
// live long and a stale one would be used if an invalidation failed to retire it.
void random_workload(uint32_t seed, unsigned gran, bool small) {
    smmu_params_t p;
    smmu_params_init(&p);
    Twin w(small ? small_caches(true) : p);
    ASSERT_TRUE(w.fast.drv && w.ref.drv);
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
    for (int op = 0; op < 4000; op++) {
        std::string what = "seed " + std::to_string(seed) + " op " + std::to_string(op);
        unsigned r = rng() % 100;
        unsigned di = rng() % 4, pg = rng() % pages;
        uint64_t iova = IOVA + (uint64_t)pg * gran;
        if (r < 8) { // map (if free) or unmap with TLBI + SYNC
            bool m = mapped[di * pages + pg];
            unsigned prot = prots[rng() % 4];
            uint64_t pa = PA + ((uint64_t)(rng() % 64) * gran);
            for (int i = 0; i < 2; i++) {
                Side &s = i ? w.ref : w.fast;
                if (m)
                    smmu_drv_unmap(s.drv, dom[i][di], iova, gran);
                else
                    smmu_drv_map(s.drv, dom[i][di], iova, pa, gran, prot);
            }
            mapped[di * pages + pg] = !m;
        } else if (r < 10) { // re-point a PASID (CD, CFGI_CD + SYNC)
            uint32_t ssid = 1 + rng() % 2;
            unsigned to = rng() % 3;
            for (int i = 0; i < 2; i++)
                smmu_drv_set_pasid(i ? w.ref.drv : w.fast.drv, 1, ssid, dom[i][to]);
        } else if (r < 11) { // stream 6 becomes bypass, abort or stage 1 again (CFGI_STE + SYNC)
            unsigned how = rng() % 3;
            for (int i = 0; i < 2; i++) {
                smmu_drv_t *d = i ? w.ref.drv : w.fast.drv;
                if (how == 0) smmu_drv_attach_bypass(d, 6);
                if (how == 1) smmu_drv_attach_abort(d, 6);
                if (how == 2) smmu_drv_attach_s1(d, 6, dom[i][2], 0, SMMU_DRV_S1DSS_TERMINATE);
            }
        } else if (r < 12) {
            w.both([](Side &s) { smmu_clear_stats(s.smmu); });
        } else { // translate, mostly a few hot pages so that the fast path answers often
            if (rng() % 4) iova = IOVA + (uint64_t)(rng() % 3) * gran;
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
        if (op % 97 == 96) {
            w.expect_same_stats({1, 2, 3, 4, 5, 6}, what);
            w.expect_same_events(what);
        }
    }
    w.expect_same_stats({1, 2, 3, 4, 5, 6}, "end");
    w.expect_same_events("end");
}

// ---------------------------------------------------------------------------------- rules

TEST(TranslateFast, RandomWorkload4kMatchesTheFullPathWithoutMemo) {
    for (uint32_t seed : {1u, 2u, 3u})
        random_workload(seed, 4096, true);
}

TEST(TranslateFast, RandomWorkload64kMatchesTheFullPathWithoutMemo) {
    for (uint32_t seed : {11u, 12u})
        random_workload(seed, 65536, true);
}

TEST(TranslateFast, RandomWorkloadLongLivedEntriesAreRetiredExactly) {
    for (uint32_t seed : {21u, 22u, 23u})
        random_workload(seed, 4096, false);
    random_workload(24u, 65536, false);
}

// 3.17 / 4.4: after TLBI + CMD_SYNC completes, no translation uses the removed entry. The page is
// hit through the fast path first (several times: the memo takes a page at its first reuse).
TEST(TranslateFast, NoStaleHitAfterTlbiAndSync) {
    smmu_params_t p;
    smmu_params_init(&p);
    Twin w(p);
    auto d = std::vector<smmu_domain_t *>{};
    w.both([&](Side &s) {
        d.push_back(new_domain(s, 1, 1, 4096));
        smmu_drv_map(s.drv, d.back(), IOVA, PA, 4096, SMMU_PROT_R | SMMU_PROT_W);
        smmu_drv_attach_s1(s.drv, 1, d.back(), 0, SMMU_DRV_S1DSS_TERMINATE);
    });
    const smmu_txn_t t = txn(1, IOVA + 0x18);
    for (int i = 0; i < 4; i++)
        EXPECT_EQ(w.translate(t, "before").pa, PA + 0x18);
    int i = 0;
    w.both([&](Side &s) {
        smmu_drv_unmap(s.drv, d[i], IOVA, 4096); // TLBI_NH_VA + SYNC
        smmu_drv_map(s.drv, d[i], IOVA, PA + 0x5000, 4096, SMMU_PROT_R);
        i++;
    });
    smmu_result_fast_t r = w.translate(t, "after");
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, PA + 0x5000 + 0x18);
    EXPECT_EQ(r.perm, SMMU_PERM_R);
    smmu_txn_t wr = t;
    wr.write = true; // the new mapping is read-only: a permission fault (7.3.16)
    EXPECT_EQ(w.translate(wr, "write after").status, SMMU_FAULT);
    w.expect_same_stats({1}, "end");
    w.expect_same_events("end");
}

// 3.17 / 4.3: after CFGI_STE + CMD_SYNC the stream's new configuration applies (here: abort).
TEST(TranslateFast, NoStaleHitAfterCfgiSteAndSync) {
    smmu_params_t p;
    smmu_params_init(&p);
    Twin w(p);
    w.both([&](Side &s) {
        smmu_domain_t *d = new_domain(s, 1, 1, 4096);
        smmu_drv_map(s.drv, d, IOVA, PA, 4096, SMMU_PROT_R | SMMU_PROT_W);
        smmu_drv_attach_s1(s.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    });
    const smmu_txn_t t = txn(1, IOVA + 0x40);
    for (int i = 0; i < 4; i++)
        EXPECT_EQ(w.translate(t, "before").status, SMMU_OK);
    w.both([&](Side &s) { smmu_drv_attach_abort(s.drv, 1); }); // CFGI_STE + SYNC
    smmu_result_fast_t r = w.translate(t, "after");
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    w.expect_same_stats({1}, "end");
    w.expect_same_events("end");
}

// Statistics read between runs of fast hits, and cleared in the middle, add up exactly.
TEST(TranslateFast, StatisticsReadBetweenFastHitsAreExact) {
    smmu_params_t p;
    smmu_params_init(&p);
    Twin w(p);
    w.both([&](Side &s) {
        smmu_domain_t *d = new_domain(s, 1, 1, 4096);
        smmu_drv_map(s.drv, d, IOVA, PA, 16 * 4096, SMMU_PROT_R | SMMU_PROT_W);
        smmu_drv_attach_s1(s.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
        smmu_drv_attach_s1(s.drv, 2, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    });
    for (int round = 0; round < 6; round++) {
        for (int i = 0; i < 200; i++)
            w.translate(txn(1 + i % 2, IOVA + (uint64_t)(i % 16) * 4096, i % 3 == 0), "hit");
        w.expect_same_stats({1, 2, 3}, "round " + std::to_string(round));
        if (round == 2) w.both([](Side &s) { smmu_clear_stats(s.smmu); });
    }
    smmu_stats_t st;
    smmu_get_stats(w.fast.smmu, &st);
    EXPECT_EQ(st.translations, 3u * 200u); // the three rounds since the clear
    EXPECT_EQ(st.ok, 3u * 200u);
}

// Trace points (<smmu/tracepoint.h>): with XLATE on, every fast translation is traced, as each
// of smmu_translate is (the callback's context is the host's, the memory's here: a counter of the
// test's own counts the records).
unsigned xlate_records;
void count_xlate(void *, const smmu_tp_t *tp) {
    if (tp->kind == SMMU_TP_XLATE) xlate_records++;
}
TEST(TranslateFast, XlateTracePointSeesEveryTranslation) {
    smmu_params_t p;
    smmu_params_init(&p);
    Twin w(p);
    w.both([&](Side &s) {
        smmu_domain_t *d = new_domain(s, 1, 1, 4096);
        smmu_drv_map(s.drv, d, IOVA, PA, 4096, SMMU_PROT_R);
        smmu_drv_attach_s1(s.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    });
    const smmu_txn_t t = txn(1, IOVA);
    for (int i = 0; i < 4; i++)
        w.translate(t, "warm");
    xlate_records = 0;
    smmu_set_trace(w.fast.smmu, count_xlate, 1u << SMMU_TP_XLATE);
    for (int i = 0; i < 5; i++)
        w.translate(t, "traced");
    EXPECT_EQ(xlate_records, 5u);
    smmu_set_trace(w.fast.smmu, nullptr, 0);
    for (int i = 0; i < 5; i++)
        w.translate(t, "untraced");
    EXPECT_EQ(xlate_records, 5u);
    w.expect_same_stats({1}, "end");
}

// 10.3: a PMCG group counting event 1 (transactions) and event 2 (TLB misses) counts the same on
// both twins, with fast translations before, while and after it counts (the fast entry point
// takes smmu_translate() while a group counts, so that each transaction is counted as it happens).
TEST(TranslateFast, PmcgCountsTheSameTransactionsAndMisses_10_3) {
    smmu_params_t p;
    smmu_params_init(&p);
    Twin w(p);
    w.both([&](Side &s) {
        smmu_domain_t *d = new_domain(s, 1, 1, 4096);
        smmu_drv_map(s.drv, d, IOVA, PA, 8 * 4096, SMMU_PROT_R | SMMU_PROT_W);
        smmu_drv_attach_s1(s.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
    });
    auto run = [&](int n, const char *what) {
        for (int i = 0; i < n; i++)
            w.translate(txn(1, IOVA + (uint64_t)(i % 8) * 4096 + (i % 2 ? 0x1000000 : 0)), what);
    };
    run(40, "before"); // hits, and faults beyond the mapping
    smmu_drv_pmcg_t *pf = smmu_drv_pmcg_new_direct(w.fast.smmu, 0);
    smmu_drv_pmcg_t *pr = smmu_drv_pmcg_new_direct(w.ref.smmu, 0);
    ASSERT_TRUE(pf && pr);
    for (smmu_drv_pmcg_t *g : {pf, pr}) {
        ASSERT_EQ(smmu_drv_pmcg_start(g, 0, SMMU_PMCG_EV_TRANSACTION, nullptr), 0);
        ASSERT_EQ(smmu_drv_pmcg_start(g, 1, SMMU_PMCG_EV_TLB_MISS, nullptr), 0);
    }
    run(30, "counting");
    EXPECT_EQ(smmu_drv_pmcg_read(pf, 0), 30u);
    EXPECT_EQ(smmu_drv_pmcg_read(pf, 0), smmu_drv_pmcg_read(pr, 0));
    EXPECT_EQ(smmu_drv_pmcg_read(pf, 1), smmu_drv_pmcg_read(pr, 1));
    for (smmu_drv_pmcg_t *g : {pf, pr}) {
        ASSERT_EQ(smmu_drv_pmcg_stop(g, 0), 0);
        ASSERT_EQ(smmu_drv_pmcg_stop(g, 1), 0);
    }
    run(30, "stopped");
    EXPECT_EQ(smmu_drv_pmcg_read(pf, 0), 30u);
    w.expect_same_stats({1}, "end");
    w.expect_same_events("end");
    smmu_drv_pmcg_free(pf);
    smmu_drv_pmcg_free(pr);
}

} // namespace
