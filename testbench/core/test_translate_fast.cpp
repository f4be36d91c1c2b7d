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
        smmu_translate_fast(fast.smmu, &t, &a);
        return compare(a, t, what);
    }

    // smmu_translate_handle on the fast side, the handle's template with addr and access
    // (bit 0 write, bit 1 exec: SMMU_ACCESS_*) through smmu_translate() on the other.
    smmu_result_fast_t translate(const smmu_stream_handle_t &h, const smmu_txn_t &tmpl,
                                 uint64_t addr, unsigned access, const std::string &what) {
        smmu_result_fast_t a;
        std::memset(&a, 0xA5, sizeof(a));
        smmu_translate_handle(fast.smmu, &h, addr, access, &a);
        smmu_txn_t t = tmpl;
        t.addr = addr;
        t.write = access & 1;
        t.exec = (access & 2) != 0;
        return compare(a, t, what);
    }

    // smmu_translate_handle_batch of addrs on the fast side, one smmu_translate() of each on the
    // other, in order.
    void translate(const smmu_stream_handle_t &h, const smmu_txn_t &tmpl,
                   const std::vector<uint64_t> &addrs, unsigned access, const std::string &what) {
        std::vector<smmu_result_fast_t> a(addrs.size());
        std::memset(a.data(), 0xA5, a.size() * sizeof(a[0]));
        smmu_translate_handle_batch(fast.smmu, &h, addrs.data(), access, a.data(), addrs.size());
        for (size_t i = 0; i < addrs.size(); i++) {
            smmu_txn_t t = tmpl;
            t.addr = addrs[i];
            t.write = access & 1;
            t.exec = (access & 2) != 0;
            compare(a[i], t, what + " batch item " + std::to_string(i));
        }
    }

    // a: the fast side's result of t; t is translated on the reference side and compared.
    smmu_result_fast_t compare(const smmu_result_fast_t &a, const smmu_txn_t &t,
                               const std::string &what) {
        smmu_result_t b{};
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

// Register offsets (6.3, Table 6-1; EVENTQ/PRIQ pointers in page 1) and CR0.SMMUEN (6.3.9).
constexpr uint64_t CR0 = 0x20, CR1 = 0x28, CR2 = 0x2C, IRQ_CTRL = 0x50, STRTAB_BASE = 0x80,
                   STRTAB_BASE_CFG = 0x88, CMDQ_BASE = 0x90, CMDQ_PROD = 0x98, CMDQ_CONS = 0x9C,
                   EVENTQ_BASE = 0xA0, EVENTQ_PROD = 0x100A8, EVENTQ_CONS = 0x100AC,
                   PRIQ_BASE = 0xC0, PRIQ_PROD = 0x100C8, PRIQ_CONS = 0x100CC;
constexpr uint32_t CR0_SMMUEN = 1;

// CR0.SMMUEN cleared (3.11: translations follow GBPA while it is 0), then set again.
void set_smmuen(Side &s, bool on) {
    uint32_t cr0 = (uint32_t)smmu_reg_read(s.smmu, CR0, 4);
    smmu_reg_write(s.smmu, CR0, on ? cr0 | CR0_SMMUEN : cr0 & ~CR0_SMMUEN, 4);
}

// The programming the driver did (tables, queues and their indexes, CR1, CR2, IRQ_CTRL, CR0).
struct Regs {
    struct R {
        uint64_t off;
        unsigned size;
        uint64_t v;
    };
    std::vector<R> regs = {{STRTAB_BASE, 8, 0}, {STRTAB_BASE_CFG, 4, 0}, {CMDQ_BASE, 8, 0},
                           {CMDQ_PROD, 4, 0},   {CMDQ_CONS, 4, 0},       {EVENTQ_BASE, 8, 0},
                           {EVENTQ_PROD, 4, 0}, {EVENTQ_CONS, 4, 0},     {PRIQ_BASE, 8, 0},
                           {PRIQ_PROD, 4, 0},   {PRIQ_CONS, 4, 0},       {CR1, 4, 0},
                           {CR2, 4, 0},         {IRQ_CTRL, 4, 0},        {CR0, 4, 0}};
    explicit Regs(smmu_t *s) {
        for (R &r : regs)
            r.v = smmu_reg_read(s, r.off, r.size);
    }
    void restore(smmu_t *s) const { // CR0 last: the rest is written while everything is off
        for (const R &r : regs)
            smmu_reg_write(s, r.off, r.v, r.size);
    }
};

// smmu_reset(), then the driver's programming written back, so that the tables in memory apply
// again, through empty caches, and the driver carries on.
void reset_and_restore(Side &s) {
    Regs r(s.smmu);
    smmu_reset(s.smmu);
    r.restore(s.smmu);
}

// The transactions a workload translates through handles: for each StreamID 1-6 and privilege,
// the SubstreamID forms stream 1 takes (none, 0, 1, 2); then templates the memo never answers
// (a Secure stream, an ATS Translation Request, input attributes of their own on the bypassing
// and the stage-2 streams).
std::vector<smmu_txn_t> handle_templates() {
    std::vector<smmu_txn_t> v;
    for (uint32_t sid = 1; sid <= 6; sid++)
        for (bool priv : {false, true})
            for (int ss = -1; ss < (sid == 1 ? 3 : 0); ss++) {
                smmu_txn_t t = txn(sid, 0);
                t.priv = priv;
                t.ssv = ss >= 0;
                t.ssid = ss >= 0 ? (uint32_t)ss : 0;
                v.push_back(t);
            }
    smmu_txn_t t = txn(1, 0);
    t.secure = true;
    v.push_back(t);
    t = txn(1, 0);
    t.ats = SMMU_ATS_REQUEST;
    v.push_back(t);
    for (uint32_t sid : {3u, 4u}) {
        t = txn(sid, 0);
        t.in_attr_valid = true;
        t.in_attr = 0x44; // Normal, Non-cacheable (MAIR encoding)
        t.in_sh = 2;
        v.push_back(t);
    }
    return v;
}

// Random maps, unmaps (TLBI + SYNC), re-attachments and PASID changes (CFGI + SYNC), aborting
// streams and unmapped pages (faults), statistics clears, SMMUEN turned off and on, resets, and
// translations of every access kind; statistics compared every 97 operations (each read folds
// the fast hits).
// small: caches that evict constantly; otherwise default caches and few pages, so that entries
// live long and a stale one would be used if an invalidation failed to retire it.
// mode: how the fast side translates: smmu_translate_fast (FAST), or through stream handles
// prepared once before anything else, one call each (HANDLE, smmu_translate_handle) or in
// batches of 1-12 translations of one handle (BATCH, smmu_translate_handle_batch).
enum Mode { FAST, HANDLE, BATCH };
void random_workload(uint32_t seed, unsigned gran, bool small, Mode mode = FAST) {
    const bool handles = mode != FAST;
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
    const std::vector<smmu_txn_t> tmpl = handle_templates();
    std::vector<smmu_stream_handle_t> hs(tmpl.size());
    for (size_t i = 0; i < tmpl.size(); i++)
        smmu_stream_handle_init(&hs[i], &tmpl[i]);
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
        } else if (r == 12 && rng() % 4 == 0) { // SMMUEN off, a few translations, on again
            w.both([](Side &s) { set_smmuen(s, false); });
            for (int i = 0; i < 4; i++) {
                smmu_txn_t t = txn(1 + rng() % 6, IOVA + (uint64_t)(rng() % 3) * gran);
                smmu_stream_handle_t h;
                smmu_stream_handle_init(&h, &t);
                if (handles)
                    w.translate(h, t, t.addr, rng() % 4, what + " SMMUEN 0");
                else
                    w.translate(t, what + " SMMUEN 0");
            }
            w.both([](Side &s) { set_smmuen(s, true); });
        } else if (r == 13 && rng() % 8 == 0) {
            w.both([](Side &s) { reset_and_restore(s); });
        } else if (handles) { // translate through a handle, mostly a few hot pages
            if (rng() % 4) iova = IOVA + (uint64_t)(rng() % 3) * gran;
            size_t i = rng() % (rng() % 10 ? tmpl.size() - 4 : tmpl.size());
            unsigned access = rng() % 3 == 0 ? SMMU_ACCESS_WRITE : SMMU_ACCESS_READ;
            if (access == SMMU_ACCESS_READ && rng() % 5 == 0) access = SMMU_ACCESS_EXEC;
            if (rng() % 16 == 0) access |= 4u << (rng() % 28); // bits above [1:0] are ignored
            if (mode == BATCH) {
                std::vector<uint64_t> addrs(1 + rng() % 12);
                for (uint64_t &a : addrs) // hot pages, and some beyond the mapped ones
                    a = IOVA + (uint64_t)(rng() % (rng() % 4 ? 3 : pages + 2)) * gran +
                        (rng() % 8) * 8;
                w.translate(hs[i], tmpl[i], addrs, access, what);
            } else {
                w.translate(hs[i], tmpl[i], iova + (rng() % 8) * 8, access, what);
            }
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

// ------------------------------------------------------------------ stream handles
// smmu_translate_handle() (<smmu/smmu.h>, "Stream handles"): the same contract as
// smmu_translate_fast() for the handle's template with the call's address and access kind, for
// handles prepared once and used across every change of the instance's state.

TEST(TranslateHandle, RandomWorkload4kMatchesTheFullPathWithoutMemo) {
    for (uint32_t seed : {31u, 32u, 33u})
        random_workload(seed, 4096, true, HANDLE);
}

TEST(TranslateHandle, RandomWorkload64kMatchesTheFullPathWithoutMemo) {
    for (uint32_t seed : {41u, 42u})
        random_workload(seed, 65536, true, HANDLE);
}

TEST(TranslateHandle, RandomWorkloadLongLivedEntriesAreRetiredExactly) {
    for (uint32_t seed : {51u, 52u, 53u})
        random_workload(seed, 4096, false, HANDLE);
    random_workload(54u, 65536, false, HANDLE);
}

// smmu_translate_handle_batch: n calls of smmu_translate_handle, in order, with statistics that
// add up exactly after each batch.
TEST(TranslateHandle, BatchRandomWorkloadMatchesTheFullPathWithoutMemo) {
    for (uint32_t seed : {61u, 62u})
        random_workload(seed, 4096, true, BATCH);
    random_workload(63u, 65536, true, BATCH);
}

TEST(TranslateHandle, BatchRandomWorkloadLongLivedEntriesAreRetiredExactly) {
    for (uint32_t seed : {71u, 72u})
        random_workload(seed, 4096, false, BATCH);
}

// A platform with stream 1 on a stage-1 domain mapping 16 pages read/write at IOVA -> PA.
struct One {
    Twin w;
    std::vector<smmu_domain_t *> d;
    smmu_txn_t t = txn(1, 0);
    smmu_stream_handle_t h{};
    explicit One(smmu_params_t p) : w(p) {
        w.both([&](Side &s) {
            d.push_back(new_domain(s, 1, 1, 4096));
            smmu_drv_map(s.drv, d.back(), IOVA, PA, 16 * 4096, SMMU_PROT_R | SMMU_PROT_W);
            smmu_drv_attach_s1(s.drv, 1, d.back(), 0, SMMU_DRV_S1DSS_TERMINATE);
        });
        smmu_stream_handle_init(&h, &t);
    }
    static smmu_params_t defaults() {
        smmu_params_t p;
        smmu_params_init(&p);
        return p;
    }
    One() : One(defaults()) {}
    smmu_result_fast_t go(uint64_t addr, unsigned access, const std::string &what) {
        return w.translate(h, t, addr, access, what);
    }
    void hot(uint64_t addr, const std::string &what) { // memo entry recorded and validated
        for (int i = 0; i < 4; i++)
            go(addr, SMMU_ACCESS_READ, what);
    }
};

// 3.17 / 4.4: a handle prepared before a TLBI + CMD_SYNC gives the new mapping after it: the
// handle names the transaction, the memo entry it finds is validated against its TLB line.
TEST(TranslateHandle, HandleSeesTheNewMappingAfterTlbiAndSync_3_17) {
    One o;
    o.hot(IOVA + 0x18, "before");
    EXPECT_EQ(o.go(IOVA + 0x18, SMMU_ACCESS_READ, "before").pa, PA + 0x18);
    int i = 0;
    o.w.both([&](Side &s) {
        smmu_drv_unmap(s.drv, o.d[i], IOVA, 4096); // TLBI_NH_VA + SYNC
        smmu_drv_map(s.drv, o.d[i], IOVA, PA + 0x5000, 4096, SMMU_PROT_R);
        i++;
    });
    smmu_result_fast_t r = o.go(IOVA + 0x18, SMMU_ACCESS_READ, "after");
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, PA + 0x5000 + 0x18);
    EXPECT_EQ(r.perm, SMMU_PERM_R);
    // the new mapping is read-only: a write is a permission fault (7.3.16)
    EXPECT_EQ(o.go(IOVA + 0x18, SMMU_ACCESS_WRITE, "write after").status, SMMU_FAULT);
    o.w.expect_same_stats({1}, "end");
    o.w.expect_same_events("end");
}

// 3.17 / 4.3: after the stream's STE changes (CFGI_STE + CMD_SYNC) a handle prepared before
// gives the new configuration: abort, then another stage-1 domain.
TEST(TranslateHandle, HandleSeesTheNewSteAfterCfgiAndSync_3_17) {
    One o;
    o.hot(IOVA + 0x40, "before");
    o.w.both([&](Side &s) { smmu_drv_attach_abort(s.drv, 1); }); // CFGI_STE + SYNC
    smmu_result_fast_t r = o.go(IOVA + 0x40, SMMU_ACCESS_READ, "abort");
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    int i = 0;
    o.w.both([&](Side &s) {
        smmu_domain_t *d2 = new_domain(s, 1, 2, 4096);
        smmu_drv_map(s.drv, d2, IOVA, PA + 0x9000, 4096, SMMU_PROT_R);
        smmu_drv_attach_s1(s.drv, 1, d2, 0, SMMU_DRV_S1DSS_TERMINATE);
        i++;
    });
    o.hot(IOVA + 0x40, "new domain");
    EXPECT_EQ(o.go(IOVA + 0x40, SMMU_ACCESS_READ, "new domain").pa, PA + 0x9040);
    o.w.expect_same_stats({1}, "end");
    o.w.expect_same_events("end");
}

// 3.11 / 6.3.9: with SMMUEN = 0 a handle's transactions follow GBPA (here the reset value:
// bypass, the input address out), with SMMUEN = 1 again the stream's translation.
TEST(TranslateHandle, HandleFollowsSmmuenOffAndOn_6_3_9) {
    One o;
    o.hot(IOVA + 0x80, "on");
    o.w.both([](Side &s) { set_smmuen(s, false); });
    smmu_result_fast_t r = o.go(IOVA + 0x80, SMMU_ACCESS_READ, "off");
    if (r.status == SMMU_OK) {
        EXPECT_EQ(r.pa, IOVA + 0x80) << "GBPA bypass: untranslated";
    }
    EXPECT_NE(r.pa, PA + 0x80);
    o.w.both([](Side &s) { set_smmuen(s, true); });
    o.hot(IOVA + 0x80, "on again");
    EXPECT_EQ(o.go(IOVA + 0x80, SMMU_ACCESS_READ, "on again").pa, PA + 0x80);
    o.w.expect_same_stats({1}, "end");
}

// 3.21: smmu_reset() empties every cache; a handle prepared before it works after it: no
// translation while SMMUEN is 0 after the reset, the stream's translation once it is programmed
// again, counted from zero statistics.
TEST(TranslateHandle, HandleOutlivesReset_3_21) {
    One o;
    o.hot(IOVA + 0x100, "before");
    const Regs fr(o.w.fast.smmu), rr(o.w.ref.smmu);
    o.w.both([](Side &s) { smmu_reset(s.smmu); });
    smmu_result_fast_t r = o.go(IOVA + 0x100, SMMU_ACCESS_READ, "after reset, SMMUEN 0");
    EXPECT_NE(r.pa, PA + 0x100);
    fr.restore(o.w.fast.smmu);
    rr.restore(o.w.ref.smmu);
    o.w.both([](Side &s) { smmu_clear_stats(s.smmu); });
    smmu_stats_t st;
    smmu_get_stats(o.w.fast.smmu, &st);
    EXPECT_EQ(st.translations, 0u);
    o.hot(IOVA + 0x100, "programmed again");
    r = o.go(IOVA + 0x100, SMMU_ACCESS_READ, "programmed again");
    EXPECT_EQ(r.pa, PA + 0x100);
    EXPECT_TRUE(r.tlb_hit);
    smmu_get_stats(o.w.fast.smmu, &st);
    EXPECT_EQ(st.translations, 5u);
    o.w.expect_same_stats({1}, "end");
}

// A handle holds no state of an instance: one handle used on two instances translates through
// each one's own configuration.
TEST(TranslateHandle, OneHandleServesAnyInstance) {
    One a, b;
    int i = 0;
    b.w.both([&](Side &s) { // b maps the page elsewhere
        smmu_drv_unmap(s.drv, b.d[i], IOVA, 4096);
        smmu_drv_map(s.drv, b.d[i], IOVA, PA + 0x7000, 4096, SMMU_PROT_R);
        i++;
    });
    a.hot(IOVA + 8, "a");
    b.h = a.h; // the same handle bytes
    b.hot(IOVA + 8, "b");
    smmu_result_fast_t ra, rb;
    smmu_translate_handle(a.w.fast.smmu, &a.h, IOVA + 8, SMMU_ACCESS_READ, &ra);
    smmu_translate_handle(b.w.fast.smmu, &a.h, IOVA + 8, SMMU_ACCESS_READ, &rb);
    EXPECT_EQ(ra.pa, PA + 8);
    EXPECT_EQ(rb.pa, PA + 0x7008);
}

// The handle is prepared from the template's fields other than addr, write and exec, which
// every call gives: templates that differ only in those give the same handle.
TEST(TranslateHandle, TemplateAddressAndAccessKindAreIgnored) {
    smmu_txn_t t1 = txn(9, IOVA), t2 = txn(9, IOVA + 0x123000, true);
    t1.ssv = t2.ssv = true;
    t1.ssid = t2.ssid = 5;
    t2.exec = true;
    smmu_stream_handle_t h1, h2;
    std::memset(&h1, 0x11, sizeof(h1)); // padding too: init writes every byte
    std::memset(&h2, 0x22, sizeof(h2));
    smmu_stream_handle_init(&h1, &t1);
    smmu_stream_handle_init(&h2, &t2);
    EXPECT_EQ(0, std::memcmp(&h1, &h2, sizeof(h1)));
    smmu_txn_t t3 = t1;
    t3.ssid = 6;
    smmu_stream_handle_init(&h2, &t3);
    EXPECT_NE(0, std::memcmp(&h1, &h2, sizeof(h1))) << "another SubstreamID, another handle";
}

// SMMU_ACCESS_*: bit 0 write, bit 1 instruction fetch; a write to a read-only page faults, an
// instruction fetch of a page mapped without execute permission faults (7.3.16), a read hits.
TEST(TranslateHandle, AccessKindIsBit0WriteBit1Exec_7_3_16) {
    One o;
    int i = 0;
    o.w.both([&](Side &s) {
        smmu_drv_unmap(s.drv, o.d[i], IOVA, 4096);
        smmu_drv_map(s.drv, o.d[i], IOVA, PA, 4096, SMMU_PROT_R); // read-only, no execute
        i++;
    });
    o.hot(IOVA, "read");
    EXPECT_EQ(o.go(IOVA, SMMU_ACCESS_READ, "read").status, SMMU_OK);
    EXPECT_EQ(o.go(IOVA, SMMU_ACCESS_WRITE, "write").status, SMMU_FAULT);
    EXPECT_EQ(o.go(IOVA, SMMU_ACCESS_EXEC, "exec").status, SMMU_FAULT);
    EXPECT_EQ(o.go(IOVA, SMMU_ACCESS_READ | 0x100, "read, high bits").status, SMMU_OK);
    EXPECT_EQ(o.go(IOVA, SMMU_ACCESS_WRITE | 0x40, "write, high bits").status, SMMU_FAULT);
    o.w.expect_same_stats({1}, "end");
    o.w.expect_same_events("end");
}

// 13.1 / 5.2: a bypassing stream outputs the transaction's own attributes; entries recorded for
// transactions without them (Normal WB, 0xFF) must not answer one with (here Normal
// Non-cacheable, 0x44), through a handle or smmu_translate_fast.
TEST(TranslateHandle, InputAttributesAreNotAnsweredFromEntriesWithout_13_1) {
    smmu_params_t p;
    smmu_params_init(&p);
    Twin w(p);
    w.both([](Side &s) { smmu_drv_attach_bypass(s.drv, 4); });
    smmu_txn_t plain = txn(4, IOVA), own = txn(4, IOVA);
    own.in_attr_valid = true;
    own.in_attr = 0x44;
    own.in_sh = 2;
    smmu_stream_handle_t hp, ho;
    smmu_stream_handle_init(&hp, &plain);
    smmu_stream_handle_init(&ho, &own);
    for (int i = 0; i < 4; i++)
        EXPECT_EQ(w.translate(hp, plain, IOVA, SMMU_ACCESS_READ, "plain").attr, 0xFF);
    EXPECT_EQ(w.translate(ho, own, IOVA, SMMU_ACCESS_READ, "own, handle").attr, 0x44);
    EXPECT_EQ(w.translate(own, "own, fast").attr, 0x44);
    w.expect_same_stats({4}, "end");
}

// Statistics read between runs of handle hits, and cleared in the middle, add up exactly.
TEST(TranslateHandle, StatisticsReadBetweenHandleHitsAreExact) {
    One o;
    for (int round = 0; round < 6; round++) {
        for (int i = 0; i < 200; i++)
            o.go(IOVA + (uint64_t)(i % 16) * 4096, i % 3 == 0 ? SMMU_ACCESS_WRITE : 0, "hit");
        o.w.expect_same_stats({1, 2}, "round " + std::to_string(round));
        if (round == 2) o.w.both([](Side &s) { smmu_clear_stats(s.smmu); });
    }
    smmu_stats_t st;
    smmu_get_stats(o.w.fast.smmu, &st);
    EXPECT_EQ(st.translations, 3u * 200u);
    EXPECT_EQ(st.ok, 3u * 200u);
}

// The XLATE trace point and a PMCG see every handle translation (10.3: event 1 counts each).
TEST(TranslateHandle, TracePointAndPmcgSeeEveryTranslation_10_3) {
    One o;
    o.hot(IOVA, "warm");
    xlate_records = 0;
    smmu_set_trace(o.w.fast.smmu, count_xlate, 1u << SMMU_TP_XLATE);
    for (int i = 0; i < 5; i++)
        o.go(IOVA, SMMU_ACCESS_READ, "traced");
    EXPECT_EQ(xlate_records, 5u);
    smmu_set_trace(o.w.fast.smmu, nullptr, 0);
    o.go(IOVA, SMMU_ACCESS_READ, "untraced");
    EXPECT_EQ(xlate_records, 5u);
    smmu_drv_pmcg_t *pf = smmu_drv_pmcg_new_direct(o.w.fast.smmu, 0);
    ASSERT_TRUE(pf);
    ASSERT_EQ(smmu_drv_pmcg_start(pf, 0, SMMU_PMCG_EV_TRANSACTION, nullptr), 0);
    for (int i = 0; i < 7; i++)
        o.go(IOVA + (uint64_t)(i % 2) * 4096, SMMU_ACCESS_READ, "counting");
    EXPECT_EQ(smmu_drv_pmcg_read(pf, 0), 7u);
    smmu_drv_pmcg_free(pf);
    o.w.expect_same_stats({1}, "end");
}

// 6.3.14 / 3.11: with SMMUEN = 0, GBPA decides (bypass at reset, ABORT = 1: every transaction
// is terminated). A global-bypass result depends on no cache line; once GBPA changes it must
// never answer again, however many changes follow: here 70,000 GBPA writes, beyond the 2^16
// generations a memo entry can tell apart, each followed by a translation that must abort.
TEST(TranslateHandle, NoGlobalBypassResultAfterAnyNumberOfGbpaChanges_6_3_14) {
    Side s(small_caches(true));
    ASSERT_TRUE(s.drv);
    constexpr uint64_t GBPA = 0x44;
    constexpr uint32_t GBPA_UPDATE = 1u << 31, GBPA_ABORT = 1u << 20;
    set_smmuen(s, false);
    smmu_txn_t t = txn(1, 0);
    smmu_stream_handle_t h;
    smmu_stream_handle_init(&h, &t);
    smmu_result_fast_t r;
    for (int i = 0; i < 3; i++) { // bypass: the input address out, then from the memo
        smmu_translate_handle(s.smmu, &h, IOVA + 0x10, SMMU_ACCESS_READ, &r);
        ASSERT_EQ(r.status, SMMU_OK);
        ASSERT_EQ(r.pa, IOVA + 0x10);
    }
    for (int i = 0; i < 70000; i++) {
        smmu_reg_write(s.smmu, GBPA, GBPA_UPDATE | GBPA_ABORT, 4);
        smmu_translate_handle(s.smmu, &h, IOVA + 0x10, SMMU_ACCESS_READ, &r);
        ASSERT_EQ(r.status, SMMU_FAULT) << "after " << i + 1 << " GBPA writes";
        smmu_result_t f;
        t.addr = IOVA + 0x10;
        smmu_translate(s.smmu, &t, &f);
        ASSERT_EQ(f.status, SMMU_FAULT) << "smmu_translate, after " << i + 1 << " GBPA writes";
    }
}

// Without a memo (params.memo_off), and on an instance made for concurrent use (whose fast entry
// points always take smmu_translate()), a handle's translations are the full path's: the mapped
// page's output address, the permission fault of a write to a read-only page, every one counted.
TEST(TranslateHandle, WithoutMemoAndOnAConcurrentInstanceTheFullPathAnswers) {
    for (int conc = 0; conc < 2; conc++) {
        smmu_params_t p;
        smmu_params_init(&p);
        p.memo_off = conc == 0;
        p.concurrent = conc == 1;
        Side s(p);
        ASSERT_TRUE(s.drv);
        smmu_domain_t *d = new_domain(s, 1, 1, 4096);
        smmu_drv_map(s.drv, d, IOVA, PA, 4096, SMMU_PROT_R);
        smmu_drv_attach_s1(s.drv, 1, d, 0, SMMU_DRV_S1DSS_TERMINATE);
        smmu_clear_stats(s.smmu);
        const smmu_txn_t t = txn(1, 0);
        smmu_stream_handle_t h;
        smmu_stream_handle_init(&h, &t);
        smmu_result_fast_t r;
        for (int i = 0; i < 4; i++) {
            smmu_translate_handle(s.smmu, &h, IOVA + 0x20, SMMU_ACCESS_READ, &r);
            ASSERT_EQ(r.status, SMMU_OK) << "conc " << conc;
            EXPECT_EQ(r.pa, PA + 0x20) << "conc " << conc;
        }
        const uint64_t addr[2] = {IOVA + 0x28, IOVA + 0x30};
        smmu_result_fast_t rb[2];
        smmu_translate_handle_batch(s.smmu, &h, addr, SMMU_ACCESS_WRITE, rb, 2);
        EXPECT_EQ(rb[0].status, SMMU_FAULT) << "conc " << conc; // 7.3.16: read-only page
        EXPECT_EQ(rb[1].status, SMMU_FAULT) << "conc " << conc;
        smmu_stats_t st;
        smmu_get_stats(s.smmu, &st);
        EXPECT_EQ(st.translations, 6u) << "conc " << conc;
        EXPECT_EQ(st.ok, 4u) << "conc " << conc;
    }
}

} // namespace
