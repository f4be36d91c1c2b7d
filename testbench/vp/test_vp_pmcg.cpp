// SPDX-License-Identifier: Apache-2.0 OR MIT
// The default scenario with "pmcg" (smmu_vp --pmcg): the host programs group 0 of the SMMU's
// PMCG through its pages on the bus (one counter per event CEID0 lists, all StreamIDs) and reads
// the counters back at the end (IHI 0070 chapter 10). The counts must be the core's own: every
// translation is a transaction (10.3 event 1), and TLB misses, walk and configuration reads
// equal the core's statistics for the same run.
#include "platform.h"
#include "vp_test_main.h"

using namespace smmu_vp;

namespace {

platform &the_platform() {
    static platform *p = [] {
        scenario sc = default_scenario();
        sc.pmcg = true;
        return new platform(sc);
    }();
    return *p;
}

const report &the_report() {
    static report r = the_platform().run();
    return r;
}

uint64_t count(const char *name) {
    static const char *const names[] = {
        "cycles", "transaction", "tlb_miss",     "config_cache_miss",
        "walk",   "cfg_access",  "ats_trans_rq", "ats_trans_passed"};
    for (const auto &e : the_report().smmus.at(0).pmcg)
        if (e.first < 8 && std::string(names[e.first]) == name) return e.second;
    ADD_FAILURE() << "no counter of " << name;
    return 0;
}

} // namespace

TEST(VpPmcg, ScenarioPassesWithPmcg_10_1) {
    const report &r = the_report();
    EXPECT_TRUE(r.setup_errors.empty()) << r.setup_errors.front();
    EXPECT_TRUE(r.passed());
    EXPECT_EQ(r.smmus.at(0).pmcg.size(), 8u); // events 0 - 7 (the SMMU has ATS)
}

TEST(VpPmcg, CountsMatchCoreStatistics_10_3) {
    const smmu_report &s = the_report().smmus.at(0);
    EXPECT_EQ(count("transaction"), s.core.translations);
    EXPECT_GT(count("transaction"), 0u);
    uint64_t tlb_misses = 0;
    for (const cache_report &c : s.caches)
        if (c.name == "tlb") tlb_misses = c.stats.misses;
    EXPECT_EQ(count("tlb_miss"), tlb_misses);
    EXPECT_EQ(count("walk"), s.core.walk_reads);
    EXPECT_EQ(count("cfg_access"), s.core.cfg_reads);
    EXPECT_EQ(count("ats_trans_rq"), 0u); // no ATS traffic in the scenario
    EXPECT_GT(count("cycles"), 0u);
}
