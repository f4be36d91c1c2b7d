// SPDX-License-Identifier: Apache-2.0 OR MIT
// Invariant (issue 6): caches never change results except where the architecture allows stale
// state (spec 3.21 "structure access rules", 4.4 TLB invalidation; Arm ARM D8.13). A caching core
// and a core with every cache disabled read the same random tables (inv_ref.h); between rounds
// the test edits leaf descriptors in memory and invalidates some of them (TLBI_NH_VA /
// TLBI_S2_IPA with Leaf = 0, or everything with TLBI_NH_ALL / TLBI_S12_VMALL, each + CMD_SYNC).
// Every round both cores translate every address (each with its own fixed access): the caching
// core must give the uncached answer, or an answer the uncached core gave for that address
// since its last invalidation (a stale entry). Fixed seeds; a failure prints seed and round.
#include <map>
#include <tuple>

#include "inv_harness.h"
#include "inval.h"

using namespace inv;

namespace {

// What a translation answers, for comparison: status, PA and permissions, or the event.
struct Key {
    int status = 0;
    uint64_t pa = 0;
    unsigned perm = 0, event = 0;
    bool operator==(const Key &o) const {
        return status == o.status && pa == o.pa && perm == o.perm && event == o.event;
    }
};
Key key(const smmu_result_t &r) {
    Key k;
    k.status = (int)r.status;
    if (r.status == SMMU_OK) {
        k.pa = r.pa;
        k.perm = r.perm;
    } else {
        k.event = r.event;
    }
    return k;
}
std::string str(const Key &k) {
    std::ostringstream o;
    if (k.status == SMMU_OK)
        o << "OK pa 0x" << std::hex << k.pa << " perm " << k.perm;
    else
        o << "fault " << smmu_event_name(k.event);
    return o.str();
}

using Param = std::tuple<int, unsigned, bool>; // mode, granule shift, tiny caches

class CacheInv : public InvWalk, public ::testing::WithParamInterface<Param> {
  protected:
    smmu_t *plain = nullptr; // every cache disabled, same memory and stream table

    void TearDown() override {
        smmu_free(plain);
        InvWalk::TearDown();
    }
    void make_plain() {
        smmu_free(plain);
        smmu_params_t p;
        smmu_params_init(&p);
        p.oas_bits = 48; // as InvWalk::configure
        for (auto &c : p.cache)
            c.enable = false;
        smmu_host_t h{};
        smmu_mem_host(mem, &h);
        plain = smmu_new(&p, &h);
        ASSERT_NE(plain, nullptr);
        smmu_reg_write(plain, SMMU_STRTAB_BASE, tfx::STRTAB, 8);
        smmu_reg_write(plain, SMMU_STRTAB_BASE_CFG, sid_bits, 4);
        smmu_reg_write(plain, SMMU_CR0, SMMU_CR0_SMMUEN, 4); // no queues: no events, no commands
        ASSERT_EQ(smmu_reg_read(plain, SMMU_CR0ACK, 4), SMMU_CR0_SMMUEN);
    }
    smmu_result_t plain_xlate(uint64_t a, Access acc) {
        smmu_txn_t t{};
        t.addr = a;
        t.sid = sid;
        t.len = 4;
        t.write = acc.write;
        t.exec = acc.exec;
        t.priv = acc.priv;
        smmu_result_t r{};
        smmu_translate(plain, &t, &r);
        return r;
    }
    // Invalidates what covers address a (Leaf = 0: walk caches too) and SYNCs.
    void inval_addr(uint64_t a) {
        if (mode == MODE_S2)
            ASSERT_TRUE(tfx::run_cmds(smmu, mem, {tenc::tlbi_s2_ipa(1, a, false)}));
        else
            ASSERT_TRUE(tfx::run_cmds(smmu, mem, {tenc::tlbi_nh_va(vmid(), 1, a, false)}));
    }
    void inval_all() {
        if (mode == MODE_S2)
            ASSERT_TRUE(tfx::run_cmds(smmu, mem, {tenc::tlbi_s12_vmall(1)}));
        else
            ASSERT_TRUE(tfx::run_cmds(smmu, mem, {tenc::tlbi_nh_all(vmid())}));
    }
    unsigned vmid() const {
        return mode == MODE_NESTED ? 1 : 0; // STE.S2VMID of the configuration build() writes
    }
};

TEST_P(CacheInv, StaleOnlyUntilInvalidated) {
    auto [m, gran, tiny] = GetParam();
    const uint64_t seed = 0xCAC0E000ull + 32 * (uint64_t)m + 2 * gran + tiny;
    Rng rng(seed);
    if (tiny) // small caches: evictions and refills all the time
        for (auto &c : params.cache) {
            c.entries = 8;
            c.ways = 2;
            c.repl = SMMU_REPL_RANDOM;
        }
    unsigned stale_seen = 0, edits = 0, checks = 0;
    const unsigned iterations = 6, rounds = 25, nhot = 24;
    for (unsigned it = 0; it < iterations; it++) {
        fresh();
        build(m, gran, rng, nhot);
        make_plain();
        if (HasFatalFailure()) return;
        const Stage &st = m == MODE_S2 ? st2 : st1;
        Gen &g = m == MODE_S2 ? *g2 : *g1;
        std::vector<Access> acc(hot.size());
        for (auto &a : acc)
            a = random_access(rng);
        std::vector<std::vector<Key>> hist(hot.size()); // uncached answers since last inval
        for (unsigned round = 0; round < rounds; round++) {
            SCOPED_TRACE("seed 0x" + (std::ostringstream() << std::hex << seed).str() +
                         " iteration " + std::to_string(it) + " round " + std::to_string(round));
            for (size_t i = 0; i < hot.size(); i++) {
                Key want = key(plain_xlate(hot[i], acc[i]));
                hist[i].push_back(want);
                Key got = key(xlate(sid, hot[i], acc[i].write, acc[i].priv, acc[i].exec));
                checks++;
                if (got == want) continue;
                bool stale = false;
                for (const Key &k : hist[i])
                    stale = stale || k == got;
                stale_seen += stale;
                ASSERT_TRUE(stale) << describe(hot[i], acc[i]) << ": cached " << str(got)
                                   << ", uncached " << str(want)
                                   << ", and no earlier uncached answer since the last "
                                      "invalidation was that";
            }
            (void)events(); // keep the caching core's event queue drained
            // Edit 1-3 leaves (never a table descriptor that other walks go through).
            std::vector<size_t> edited;
            for (unsigned e = 0, n = 1 + (unsigned)rng.below(3); e < n; e++) {
                size_t i = rng.below(hot.size());
                uint64_t slot = hot_end[i].slot;
                uint64_t d = g.rd(slot);
                uint64_t nt = d & mask(48) & ~mask(st.gran);
                if ((d & 3) == 3 && hot_end[i].level < 3 && g.tables.count(nt)) continue;
                g.wr(slot, rng.pct(20) ? g.random_invalid() : g.random_leaf(st, hot_end[i].level));
                edited.push_back(i);
                edits++;
            }
            // Invalidate some of them, or everything; their stale answers are then forbidden.
            unsigned k = (unsigned)rng.below(100);
            if (k < 15) {
                inval_all();
                for (auto &h : hist)
                    h.clear();
            } else if (k < 65) {
                for (size_t i : edited) {
                    inval_addr(hot[i] & ~0xFFFull);
                    for (size_t j = 0; j < hot.size(); j++)
                        if (hot_end[j].slot == hot_end[i].slot) hist[j].clear();
                }
            }
            if (HasFatalFailure()) return;
        }
    }
    EXPECT_GT(edits, 100u);
    RecordProperty("checks", (int)checks);
    RecordProperty("stale_answers_allowed", (int)stale_seen);
}

std::string name(const ::testing::TestParamInfo<Param> &i) {
    auto [m, gran, tiny] = i.param;
    return std::string(mode_name(m)) + "Gran" + std::to_string(1u << (gran - 10)) + "k" +
           (tiny ? "TinyCaches" : "DefaultCaches");
}

INSTANTIATE_TEST_SUITE_P(Inv, CacheInv,
                         ::testing::Combine(::testing::Values(MODE_S1, MODE_S2, MODE_NESTED),
                                            ::testing::Values(12u, 14u, 16u), ::testing::Bool()),
                         name);

} // namespace

namespace {
// The walk and IPA caches alone (TLB disabled, the configuration in which the random test above
// once caught a stale stage-2 answer in an intermediate c_core state) honour TLBI_S12_VMALL and
// TLBI_S2_IPA (spec 4.4.2, 4.4.3).
class CacheRepro : public twalk::WalkTest {
  protected:
    void configure(smmu_params_t &p) override {
        p.cache[SMMU_CACHE_TLB].enable = false; // only the walk and IPA caches remain
    }
    uint64_t pa_of(uint64_t ipa) {
        smmu_result_t r = xlate(sid, ipa);
        (void)events();
        return r.status == SMMU_OK ? r.pa : ~0ull;
    }
};

TEST_F(CacheRepro, Stage2OnlyLeafEditThenTlbiS12VmallGivesNewPa) {
    twalk::Tree t = tree(12, 1, 39);
    s2_only(tenc::Ste::s2(t.root, twalk::S2TG_4K, 25, 1, 5, 1));
    uint64_t ipa = 0x12345000;
    map(t, ipa, 3, tenc::Desc::page(0x7000000).s2ap(3).memattr(0xF));
    ASSERT_EQ(pa_of(ipa), 0x7000000u);
    map(t, ipa, 3, tenc::Desc::page(0x9000000).s2ap(3).memattr(0xF));
    ASSERT_TRUE(tfx::run_cmds(smmu, mem, {tenc::tlbi_s12_vmall(1)}));
    EXPECT_EQ(pa_of(ipa), 0x9000000u);
}

TEST_F(CacheRepro, Stage2OnlyLeafEditThenTlbiS2IpaGivesNewPa) {
    twalk::Tree t = tree(12, 1, 39);
    s2_only(tenc::Ste::s2(t.root, twalk::S2TG_4K, 25, 1, 5, 1));
    uint64_t ipa = 0x12345000;
    map(t, ipa, 3, tenc::Desc::page(0x7000000).s2ap(3).memattr(0xF));
    ASSERT_EQ(pa_of(ipa), 0x7000000u);
    map(t, ipa, 3, tenc::Desc::page(0x9000000).s2ap(3).memattr(0xF));
    ASSERT_TRUE(tfx::run_cmds(smmu, mem, {tenc::tlbi_s2_ipa(1, ipa, false)}));
    EXPECT_EQ(pa_of(ipa), 0x9000000u);
}
} // namespace
