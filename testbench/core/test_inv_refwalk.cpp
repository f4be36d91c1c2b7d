// SPDX-License-Identifier: Apache-2.0 OR MIT
// Invariant (issue 6): the core agrees with an independent reference walker (inv_ref.h: Arm ARM
// D8.2-D8.5, D8.15, SMMU spec 3.4, 7.3) on random translation tables, at every granule (4KB,
// 16KB, 64KB) and stage (stage 1, stage 2, nested): same status, PA, permissions and span for
// a translation, same event number and event record fields (type, StreamID, InputAddr, RnW,
// InD, PnU, S2, CLASS, IPA, FetchAddr, TTRnW) for a fault. Every address is translated twice,
// so the second answer (from the core's caches) is checked too. Fixed seeds; a failure prints
// the seed, the iteration and the configuration.
#include <map>
#include <tuple>

#include "inv_harness.h"

using namespace inv;

namespace {

using Param = std::tuple<int, unsigned>; // mode, granule shift

class RefWalk : public InvWalk, public ::testing::WithParamInterface<Param> {};

TEST_P(RefWalk, AgreesWithCoreOnRandomTables) {
    auto [m, gran] = GetParam();
    const uint64_t seed = 0x5EED0000ull + 16 * (uint64_t)m + gran;
    Rng rng(seed);
    std::map<int, unsigned> seen; // outcome kind -> count (-1: OK)
    unsigned tt_faults = 0;
    const unsigned iterations = m == MODE_NESTED ? 200 : 100, nhot = 12, ncold = 6;
    for (unsigned it = 0; it < iterations; it++) {
        SCOPED_TRACE("seed 0x" + (std::ostringstream() << std::hex << seed).str() + " iteration " +
                     std::to_string(it));
        fresh();
        build(m, gran, rng, nhot);
        if (HasFatalFailure()) return;
        std::vector<uint64_t> addrs;
        for (uint64_t h : hot)
            addrs.push_back(h);
        const Stage &st = m == MODE_S2 ? st2 : st1;
        for (unsigned i = 0; i < ncold; i++) {
            unsigned k = (unsigned)rng.below(10);
            unsigned bits = k < 6 ? st.ia : k < 8 ? st.ia + 1 + (unsigned)rng.below(4) : 64;
            if (m == MODE_S2) bits = std::min(bits, 48u); // below the IAS (spec 3.4)
            addrs.push_back(rng.next() & mask(bits) & ~7ull);
        }
        for (uint64_t a : addrs) {
            Access acc = random_access(rng);
            Outcome e = reference(a, acc);
            seen[e.ok ? -1 : e.type]++;
            if (!e.ok && e.s2 && e.cls == CLS_TT) tt_faults++;
            for (int rep = 0; rep < 2; rep++) {
                SCOPED_TRACE(describe(a, acc) + (rep ? " (again)" : ""));
                smmu_result_t r = xlate(sid, a, acc.write, acc.priv, acc.exec);
                expect_outcome(r, e, a, acc);
                if (HasFailure()) return;
            }
        }
    }
    // The random tables must reach every outcome, or the test proves little.
    EXPECT_GE(seen[-1], 20u) << "translations";
    EXPECT_GT(seen[EV_TRANSLATION], 0u);
    EXPECT_GT(seen[EV_PERMISSION], 0u);
    EXPECT_GT(seen[EV_ACCESS], 0u);
    EXPECT_GT(seen[EV_ADDR_SIZE], 0u);
    EXPECT_GT(seen[EV_WALK_EABT], 0u);
    if (m == MODE_NESTED) {
        EXPECT_GT(tt_faults, 0u) << "stage-2 faults on stage-1 table walks";
    }
    std::ostringstream o;
    for (auto &kv : seen)
        o << " " << (kv.first < 0 ? std::string("OK") : smmu_event_name(kv.first)) << "="
          << kv.second;
    RecordProperty("outcomes", o.str());
}

std::string name(const ::testing::TestParamInfo<Param> &i) {
    auto [m, gran] = i.param;
    return std::string(mode_name(m)) + "Gran" + std::to_string(1u << (gran - 10)) + "k";
}

INSTANTIATE_TEST_SUITE_P(Inv, RefWalk,
                         ::testing::Combine(::testing::Values(MODE_S1, MODE_S2, MODE_NESTED),
                                            ::testing::Values(12u, 14u, 16u)),
                         name);

} // namespace
