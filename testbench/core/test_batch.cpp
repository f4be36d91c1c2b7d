// SPDX-License-Identifier: Apache-2.0 OR MIT
// smmu_translate_batch (<smmu/smmu.h>) is n smmu_translate() calls in order: its look-ahead
// (prefetches for TLB misses) must not be observable. Each test runs the same operations on two
// SMMUs; one translates each transaction with smmu_translate(), the other the same transactions
// in batches of random sizes. Everything software or the host can see must be identical: every
// result field, the event records, the global, per-cache and per-stream statistics, register
// reads, and the host callbacks (memory reads and writes the core makes, interrupts, stall
// completions) in order; only host->mem_ptr may be asked earlier (the batch's contract).
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

namespace {

constexpr uint64_t POOL = 0x80000000ull;
constexpr uint64_t POOL_SIZE = 256ull << 20;
constexpr uint64_t IOVA = 0x10000000ull;
constexpr uint64_t PA = 0x200000000ull;
constexpr uint64_t NESTED_OUT = 0x300000000ull; // stage 2 of the nested stream: PA -> here

// One SMMU + memory + driver; the host callbacks the core makes (other than mem_ptr) are logged.
struct Side {
    smmu_mem_t *mem = nullptr;
    smmu_t *smmu = nullptr;
    smmu_drv_t *drv = nullptr;
    smmu_host_t inner{};
    std::vector<uint64_t> log; // one entry per callback: kind, address, size, first word

    static Side &of(void *c) {
        return *static_cast<Side *>(c);
    }
    static int rd(void *c, uint64_t pa, void *buf, size_t len, bool sec) {
        Side &s = of(c);
        int rc = s.inner.mem_read(s.inner.ctx, pa, buf, len, sec);
        s.log.insert(s.log.end(), {1, pa, len, (uint64_t)sec, (uint64_t)rc});
        return rc;
    }
    static int wr(void *c, uint64_t pa, const void *buf, size_t len, bool sec) {
        Side &s = of(c);
        uint64_t w = 0;
        std::memcpy(&w, buf, len < 8 ? len : 8);
        s.log.insert(s.log.end(), {2, pa, len, (uint64_t)sec, w});
        return s.inner.mem_write(s.inner.ctx, pa, buf, len, sec);
    }
    static bool ptr(void *c, uint64_t pa, smmu_mem_grant_t *g) {
        Side &s = of(c);
        return s.inner.mem_ptr(s.inner.ctx, pa, g);
    }
    static int cas(void *c, uint64_t pa, uint64_t e, uint64_t d, uint64_t *o, bool sec) {
        Side &s = of(c);
        int rc = s.inner.mem_cas64(s.inner.ctx, pa, e, d, o, sec);
        s.log.insert(s.log.end(), {3, pa, e, d, *o});
        return rc;
    }
    static void irq(void *c, int line, bool level) {
        of(c).log.insert(of(c).log.end(), {4, (uint64_t)line, (uint64_t)level});
    }
    static void stall_done(void *c, uint32_t sid, uint16_t stag, int outcome) {
        of(c).log.insert(of(c).log.end(), {5, sid, stag, (uint64_t)outcome});
    }

    explicit Side(const smmu_params_t &p) {
        mem = smmu_mem_new();
        smmu_mem_host(mem, &inner);
        smmu_host_t h = inner;
        h.ctx = this;
        h.mem_read = rd;
        h.mem_write = wr;
        h.mem_ptr = ptr;
        h.mem_cas64 = cas;
        h.irq = irq;
        h.stall_done = stall_done;
        smmu = smmu_new(&p, &h);
        if (smmu) drv = smmu_drv_new_direct(smmu, mem, POOL, POOL_SIZE);
        if (drv && smmu_drv_init(drv) != 0) {
            smmu_drv_free(drv);
            drv = nullptr;
        }
    }
    ~Side() {
        smmu_drv_free(drv);
        smmu_free(smmu);
        smmu_mem_free(mem);
    }
    Side(const Side &) = delete;
    Side &operator=(const Side &) = delete;
};

void expect_same_result(const smmu_result_t &a, const smmu_result_t &b, const std::string &what) {
    EXPECT_EQ(a.status, b.status) << what;
    EXPECT_EQ(a.pa, b.pa) << what;
    EXPECT_EQ(a.span, b.span) << what;
    EXPECT_EQ(a.event, b.event) << what;
    EXPECT_EQ(a.stag, b.stag) << what;
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
    EXPECT_EQ(a.partid, b.partid) << what;
    EXPECT_EQ(a.pmg, b.pmg) << what;
    EXPECT_EQ(a.mpam_ns, b.mpam_ns) << what;
}

struct Twin {
    Side seq, bat; // seq: smmu_translate one by one; bat: smmu_translate_batch
    std::vector<smmu_txn_t> pending;
    size_t nok = 0, nfault = 0, nstall = 0, nwalk = 0; // outcomes seen
    explicit Twin(const smmu_params_t &p) : seq(p), bat(p) {}

    template <class F> void both(F f) {
        f(seq, 0);
        f(bat, 1);
    }

    // Translates the pending transactions on both sides and compares every result.
    void flush(const std::string &what) {
        const size_t n = pending.size();
        std::vector<smmu_result_t> a(n), b(n + 1);
        for (size_t i = 0; i < n; i++)
            smmu_translate(seq.smmu, &pending[i], &a[i]);
        std::memset(&b[n], 0xA5, sizeof(b[n]));
        smmu_translate_batch(bat.smmu, pending.data(), b.data(), n);
        for (size_t i = 0; i < n; i++) {
            nok += a[i].status == SMMU_OK;
            nfault += a[i].status == SMMU_FAULT;
            nstall += a[i].status == SMMU_STALLED;
            nwalk += a[i].walk_reads != 0;
        }
        for (size_t i = 0; i < n; i++)
            expect_same_result(a[i], b[i], what + " batch of " + std::to_string(n) + " #" +
                                               std::to_string(i));
        smmu_result_t guard;
        std::memset(&guard, 0xA5, sizeof(guard));
        EXPECT_EQ(0, std::memcmp(&b[n], &guard, sizeof(guard))) << what << ": wrote past r[n-1]";
        pending.clear();
    }

    void expect_same_state(const std::vector<uint32_t> &sids, const std::string &what) {
        smmu_stats_t a, b;
        smmu_get_stats(seq.smmu, &a);
        smmu_get_stats(bat.smmu, &b);
        EXPECT_EQ(0, std::memcmp(&a, &b, sizeof(a))) << what << ": global statistics differ";
        for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
            smmu_cache_stats_t x, y;
            smmu_cache_stats(seq.smmu, c, &x);
            smmu_cache_stats(bat.smmu, c, &y);
            EXPECT_EQ(0, std::memcmp(&x, &y, sizeof(x))) << what << ": cache " << c;
        }
        for (uint32_t sid : sids) {
            smmu_stream_stats_t x, y;
            EXPECT_EQ(smmu_stream_stats(seq.smmu, sid, &x), smmu_stream_stats(bat.smmu, sid, &y));
            EXPECT_EQ(0, std::memcmp(&x, &y, sizeof(x))) << what << ": stream " << sid;
        }
        smmu_cost_counters_t x, y;
        smmu_cost_counters(seq.smmu, &x);
        smmu_cost_counters(bat.smmu, &y);
        EXPECT_EQ(0, std::memcmp(&x, &y, sizeof(x))) << what << ": cost counters";
        for (uint64_t reg : {(uint64_t)SMMU_EVENTQ_PROD, (uint64_t)SMMU_EVENTQ_CONS,
                             (uint64_t)SMMU_GERROR, (uint64_t)SMMU_CMDQ_CONS, (uint64_t)SMMU_CR0ACK})
            EXPECT_EQ(smmu_reg_read(seq.smmu, reg, 4), smmu_reg_read(bat.smmu, reg, 4))
                << what << ": register 0x" << std::hex << reg;
        EXPECT_EQ(smmu_stalls_pending(seq.smmu), smmu_stalls_pending(bat.smmu)) << what;
        EXPECT_TRUE(seq.log == bat.log) << what << ": host callbacks differ";
        for (;;) { // then the event records themselves
            smmu_drv_event_t ea{}, eb{};
            int ra = smmu_drv_next_event(seq.drv, &ea), rb = smmu_drv_next_event(bat.drv, &eb);
            ASSERT_EQ(ra, rb) << what;
            if (ra != 0) break;
            EXPECT_EQ(0, std::memcmp(ea.raw, eb.raw, sizeof(ea.raw))) << what << ": event records";
        }
    }
};

smmu_domain_t *new_domain(Side &s, uint8_t stage, uint16_t id, unsigned gran) {
    smmu_domain_cfg_t c{};
    c.stage = stage;
    c.id = id;
    c.granule = gran;
    c.ias = gran == 65536 ? 42 : 48;
    smmu_domain_t *d = nullptr;
    EXPECT_EQ(smmu_drv_domain_new(s.drv, &c, &d), 0);
    return d;
}

smmu_params_t small_caches() {
    smmu_params_t p;
    smmu_params_init(&p);
    p.cache[SMMU_CACHE_TLB].entries = 32;
    p.cache[SMMU_CACHE_TLB].ways = 2;
    p.cache[SMMU_CACHE_STE].entries = 4;
    p.cache[SMMU_CACHE_STE].ways = 2;
    p.cache[SMMU_CACHE_CD].entries = 8;
    p.cache[SMMU_CACHE_CD].ways = 2;
    p.cache[SMMU_CACHE_WALK].entries = 16;
    p.cache[SMMU_CACHE_IPA].entries = 16;
    return p;
}

// Streams: 1 stage 1 with SubstreamIDs, 2 stage 1, 3 stage 2 only, 4 bypass, 5 abort, 6 stage 1
// with stalling faults, 7 nested (its own stage-1 domain over a stage 2 that moves the output).
// Random maps and unmaps (TLBI + SYNC), PASID changes, re-attachments, statistics clears and
// stall terminations happen between batches; translations of every access kind, over `pages`
// pages per domain, queue up into batches of random sizes (up to 80: more than one look-ahead
// group).
void random_workload(uint32_t seed, unsigned gran, const smmu_params_t &p, unsigned pages,
                     int ops) {
    Twin w(p);
    std::mt19937 rng(seed);
    std::vector<std::vector<smmu_domain_t *>> dom(2);
    w.both([&](Side &s, int k) {
        for (uint16_t id = 1; id <= 3; id++)
            dom[k].push_back(new_domain(s, 1, id, gran));
        dom[k].push_back(new_domain(s, 2, 7, gran));
        dom[k].push_back(new_domain(s, 1, 4, gran)); // nested stage 1
        smmu_domain_t *s2n = new_domain(s, 2, 8, gran);
        ASSERT_EQ(smmu_drv_map(s.drv, s2n, PA, NESTED_OUT, 64ull * gran,
                               SMMU_PROT_R | SMMU_PROT_W | SMMU_PROT_X),
                  0);
        smmu_drv_attach_s1(s.drv, 1, dom[k][0], 2, SMMU_DRV_S1DSS_SSID0);
        smmu_drv_set_pasid(s.drv, 1, 1, dom[k][1]);
        smmu_drv_set_pasid(s.drv, 1, 2, dom[k][2]);
        smmu_drv_attach_s1(s.drv, 2, dom[k][1], 0, SMMU_DRV_S1DSS_TERMINATE);
        smmu_drv_attach_s2(s.drv, 3, dom[k][3]);
        smmu_drv_attach_bypass(s.drv, 4);
        smmu_drv_attach_abort(s.drv, 5);
        smmu_drv_attach_s1(s.drv, 6, dom[k][2], 0, SMMU_DRV_S1DSS_TERMINATE);
        ASSERT_EQ(smmu_drv_set_stall(s.drv, 6, true), 0);
        ASSERT_EQ(smmu_drv_attach_nested(s.drv, 7, dom[k][4], 0, SMMU_DRV_S1DSS_TERMINATE, s2n),
                  0);
    });
    if (::testing::Test::HasFatalFailure()) return;
    const unsigned ndom = 5;
    // every page of every domain mapped to start with, page by page (never a block, so that
    // single pages can be unmapped), to one of 64 frames
    std::vector<bool> mapped(ndom * pages, true);
    w.both([&](Side &s, int k) {
        for (unsigned di = 0; di < ndom; di++)
            for (unsigned pg = 0; pg < pages; pg++)
                ASSERT_EQ(smmu_drv_map(s.drv, dom[k][di], IOVA + (uint64_t)pg * gran,
                                       PA + (uint64_t)((pg * 7 + di) % 64) * gran, gran,
                                       SMMU_PROT_R | SMMU_PROT_W),
                          0);
    });
    if (::testing::Test::HasFatalFailure()) return;
    const unsigned prots[] = {SMMU_PROT_R, SMMU_PROT_R | SMMU_PROT_W,
                              SMMU_PROT_R | SMMU_PROT_X | SMMU_PROT_PRIV, SMMU_PROT_W};
    size_t batch = 1 + rng() % 80;
    for (int op = 0; op < ops; op++) {
        std::string what = "seed " + std::to_string(seed) + " op " + std::to_string(op);
        unsigned r = rng() % 100;
        unsigned di = rng() % ndom, pg = rng() % pages;
        uint64_t iova = IOVA + (uint64_t)pg * gran;
        if (r < 4) { // map (if free) or unmap with TLBI
            w.flush(what);
            bool m = mapped[di * pages + pg];
            unsigned prot = prots[rng() % 4];
            uint64_t pa = PA + ((uint64_t)(rng() % 64) * gran);
            w.both([&](Side &s, int k) {
                if (m)
                    smmu_drv_unmap(s.drv, dom[k][di], iova, gran);
                else
                    smmu_drv_map(s.drv, dom[k][di], iova, pa, gran, prot);
            });
            mapped[di * pages + pg] = !m;
        } else if (r < 5) { // re-point a PASID
            w.flush(what);
            uint32_t ssid = 1 + rng() % 2;
            unsigned to = rng() % 3;
            w.both([&](Side &s, int k) { smmu_drv_set_pasid(s.drv, 1, ssid, dom[k][to]); });
        } else if (r == 5 && rng() % 2) { // stream 2 becomes bypass, abort or stage 1 again
            w.flush(what);
            unsigned how = rng() % 3;
            w.both([&](Side &s, int k) {
                if (how == 0) smmu_drv_attach_bypass(s.drv, 2);
                if (how == 1) smmu_drv_attach_abort(s.drv, 2);
                if (how == 2) smmu_drv_attach_s1(s.drv, 2, dom[k][1], 0, SMMU_DRV_S1DSS_TERMINATE);
            });
        } else if (r == 6) { // clear the statistics, or end the stalls
            w.flush(what);
            bool clear = rng() % 2;
            w.both([&](Side &s, int) {
                if (clear)
                    smmu_clear_stats(s.smmu);
                else
                    smmu_drv_stall_term(s.drv, 6);
            });
        } else { // a translation joins the batch
            smmu_txn_t t{};
            t.sid = 1 + rng() % 7;
            // mostly within the page of the previous one (streaming), else anywhere
            t.addr = iova + (rng() % 8) * 8;
            if (!w.pending.empty() && rng() % 3 == 0 && w.pending.back().sid == t.sid)
                t.addr = w.pending.back().addr + 64;
            t.len = 8;
            t.write = rng() % 3 == 0;
            t.priv = rng() % 2;
            t.exec = !t.write && rng() % 5 == 0;
            if (t.sid == 1 && rng() % 2) {
                t.ssv = true;
                t.ssid = rng() % 3;
            }
            w.pending.push_back(t);
            if (w.pending.size() >= batch) {
                w.flush(what);
                batch = 1 + rng() % 80;
            }
        }
        if (::testing::Test::HasFailure()) return;
        if (op % 1000 == 999) {
            w.flush(what);
            w.expect_same_state({1, 2, 3, 4, 5, 6, 7}, what);
        }
    }
    w.flush("end");
    w.expect_same_state({1, 2, 3, 4, 5, 6, 7}, "end");
    // the workload reached what it is meant to: OK, faults, stalls and walks
    EXPECT_GT(w.nok, 0u);
    EXPECT_GT(w.nfault, 0u);
    EXPECT_GT(w.nstall, 0u);
    EXPECT_GT(w.nwalk, 0u);
}

TEST(Batch, SameAsSequentialTranslations) {
    for (uint32_t seed : {1u, 2u})
        random_workload(seed, 4096, small_caches(), 24, 4000);
    random_workload(3u, 16384, small_caches(), 24, 4000);
    random_workload(4u, 65536, small_caches(), 24, 4000);
}

// Default caches over more pages than the TLB holds: the look-ahead finds TLB misses with and
// without walk-cache hits, and prefetches.
TEST(Batch, SameAsSequentialTranslationsDefaultCaches) {
    smmu_params_t p;
    smmu_params_init(&p);
    random_workload(11u, 4096, p, 4096, 6000);
    random_workload(12u, 16384, p, 1024, 3000);
    smmu_params_t nomemo = p;
    nomemo.memo_off = true;
    random_workload(13u, 4096, nomemo, 512, 3000);
}

// Caches off: nothing to look at; still n smmu_translate() calls.
TEST(Batch, SameAsSequentialTranslationsWithoutCaches) {
    smmu_params_t p;
    smmu_params_init(&p);
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++)
        p.cache[c].enable = false;
    random_workload(21u, 4096, p, 24, 2000);
}

TEST(Batch, EmptyBatchDoesNothing) {
    smmu_params_t p;
    smmu_params_init(&p);
    Side s(p);
    ASSERT_NE(s.drv, nullptr);
    smmu_stats_t before, after;
    smmu_get_stats(s.smmu, &before);
    smmu_translate_batch(s.smmu, nullptr, nullptr, 0);
    smmu_get_stats(s.smmu, &after);
    EXPECT_EQ(0, std::memcmp(&before, &after, sizeof(before)));
}

} // namespace
