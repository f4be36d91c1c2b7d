// SPDX-License-Identifier: Apache-2.0 OR MIT
// The default scenario of smmu_vp, run once in this process; the tests check its report. The
// expected values follow from the scenario text (default_scenario.cpp): counts per flow, the
// faults its "buggy" stream provokes, the stall of its "pager" stream resumed by the host.
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "platform.h"
#include "vp_test_main.h"

using namespace smmu_vp;

namespace {

platform &the_platform() {
    static platform *p = new platform(default_scenario()); // one elaboration, kept to the end
    return *p;
}

const report &the_report() {
    static report r = the_platform().run();
    return r;
}

const flow_report &flow(const std::string &master, const std::string &name) {
    for (const flow_report &f : the_report().flows)
        if (f.master == master && f.flow == name) return f;
    static flow_report none;
    ADD_FAILURE() << "no flow " << master << "/" << name;
    return none;
}

const stream_report &stream(uint32_t sid) {
    for (const stream_report &s : the_report().smmus.at(0).streams)
        if (s.sid == sid) return s;
    static stream_report none;
    ADD_FAILURE() << "no stream " << sid;
    return none;
}

} // namespace

TEST(DefaultScenario, Passes) {
    const report &r = the_report();
    EXPECT_TRUE(r.completed);
    EXPECT_TRUE(r.setup_errors.empty()) << r.setup_errors.front();
    EXPECT_TRUE(r.failures.empty()) << r.failures.front();
    EXPECT_TRUE(r.passed());
}

// vp_test_main.h switches the checkers on: one per binding (host, memory, the SMMU's register
// frame and its PMCG pages, downstream on both sides of its probe, table, and each of the seven
// masters).
TEST(DefaultScenario, RunsUnderProtocolCheckers) {
    const report &r = the_report();
    EXPECT_EQ(r.protocol_checkers, 14u);
    EXPECT_EQ(r.protocol_violations, 0u);
    EXPECT_TRUE(r.protocol_violation_messages.empty()) << r.protocol_violation_messages.front();
    std::set<std::string> names;
    for (size_t i = 0; i < the_platform().checkers(); i++) {
        names.insert(the_platform().checker(i).name());
        EXPECT_EQ(the_platform().checker(i).pending(), 0u) << the_platform().checker(i).name();
    }
    for (const char *n :
         {"chk_host_to_bus", "chk_bus_to_mem", "chk_bus_to_smmu0_regs",
          "chk_smmu0_downstream_to_probe", "chk_smmu0_probe_to_bus", "chk_smmu0_table_to_bus",
          "chk_dma_to_smmu0", "chk_accel_to_smmu0", "chk_rogue_to_smmu0"})
        EXPECT_EQ(names.count(n), 1u) << n;
    std::ostringstream os;
    print_report(os, r);
    EXPECT_NE(os.str().find("Protocol checkers: 14 inserted, 0 violations"), std::string::npos)
        << os.str();
}

// What a violation does to the report (the components follow the rules, so it is made up here):
// the run fails, the text and the JSON say how many and which.
TEST(DefaultScenario, ProtocolViolationFailsTheReport) {
    report r = the_report();
    EXPECT_EQ(the_platform().protocol_violations(), r.protocol_violations);
    r.protocol_violations = 2;
    r.protocol_violation_messages = {"14.5 nb_transport payload without a memory manager: "
                                     "BEGIN_REQ ... (checker chk_accel_to_smmu0, payload 0x1, "
                                     "address 0x10000000) [2 times at this checker]"};
    EXPECT_FALSE(r.passed());
    std::ostringstream os;
    print_report(os, r);
    const std::string t = os.str();
    EXPECT_NE(t.find("Protocol checkers: 14 inserted, 2 violations\n"
                     "PROTOCOL VIOLATION: 14.5 nb_transport payload without a memory manager"),
              std::string::npos)
        << t;
    EXPECT_NE(t.find("\nFAIL\n"), std::string::npos) << t;
    nlohmann::json j = nlohmann::json::parse(report_json(r));
    EXPECT_EQ(j["passed"], false);
    EXPECT_EQ(j["protocol_violations"], 2);
    ASSERT_EQ(j["protocol_violation_messages"].size(), 1u);
}

TEST(DefaultScenario, CountsPerFlow) {
    struct want {
        const char *master, *flow;
        uint64_t txns, bytes, ok, errors;
    } w[] = {
        {"dma", "bypass", 64, 64 * 64, 64, 0},      {"accel", "s1_pasid1", 64, 64 * 128, 64, 0},
        {"accel", "s1_pasid2", 32, 32 * 64, 32, 0}, {"accel", "s1_pasid3", 32, 32 * 256, 32, 0},
        {"vm_nic", "s2", 48, 48 * 64, 48, 0},       {"guest_gpu", "nested", 32, 32 * 256, 32, 0},
        {"buggy", "fault", 8, 8 * 1024, 4, 4}, // the second page of its region is unmapped
        {"pager", "stall", 32, 32 * 256, 32, 0},    {"rogue", "abort", 4, 4 * 64, 0, 4},
    };
    uint64_t total = 0;
    for (const want &x : w) {
        const flow_report &f = flow(x.master, x.flow);
        EXPECT_EQ(f.transactions, x.txns) << x.master << "/" << x.flow;
        EXPECT_EQ(f.bytes, x.bytes) << x.master << "/" << x.flow;
        EXPECT_EQ(f.ok, x.ok) << x.master << "/" << x.flow;
        EXPECT_EQ(f.errors, x.errors) << x.master << "/" << x.flow;
        total += x.txns;
    }
    EXPECT_EQ(the_report().transactions, total);
}

TEST(DefaultScenario, WriteRatioOfWriteOnlyFlow) {
    EXPECT_EQ(flow("accel", "s1_pasid2").writes, 32u);
    EXPECT_EQ(flow("accel", "s1_pasid1").writes, 0u);
}

TEST(DefaultScenario, FaultsByEventType) {
    const smmu_report &s = the_report().smmus.at(0);
    EXPECT_EQ(s.core.by_event[SMMU_EVT_F_TRANSLATION], 4u); // buggy: 4 accesses to the hole
    EXPECT_EQ(s.core.by_event[0], 4u); // rogue: STE.Config abort, terminated without a record
    EXPECT_EQ(stream(5).events.at("F_TRANSLATION"), 4u);
    EXPECT_EQ(stream(7).events.size(), 0u); // no event record for an aborting STE
    EXPECT_EQ(stream(5).core.by_event[SMMU_EVT_F_TRANSLATION], 4u);
}

TEST(DefaultScenario, StallResumedAfterHostMappedThePage) {
    const smmu_report &s = the_report().smmus.at(0);
    EXPECT_EQ(s.stalls_resumed, 1u);
    EXPECT_EQ(s.stalls_terminated, 0u);
    EXPECT_EQ(stream(6).core.stalls, 1u);
    EXPECT_EQ(stream(6).events.at("F_TRANSLATION"), 1u); // the stall record (Stall = 1)
    EXPECT_EQ(flow("pager", "stall").errors, 0u);
    // the stalled access waited for the host: it is the slowest of the flow by far
    const flow_report &f = flow("pager", "stall");
    EXPECT_GT(f.latency.max, f.latency.median * 4);
}

TEST(DefaultScenario, EveryStreamTranslated) {
    EXPECT_EQ(stream(1).core.ok, 64u);
    EXPECT_EQ(stream(2).core.ok, 128u);
    EXPECT_EQ(stream(3).core.ok, 48u);
    EXPECT_EQ(stream(4).core.ok, 32u);
    EXPECT_EQ(stream(6).core.ok, 32u);
}

TEST(DefaultScenario, CacheStatisticsReported) {
    const smmu_report &s = the_report().smmus.at(0);
    ASSERT_EQ(s.caches.size(), (size_t)SMMU_CACHE_COUNT);
    const cache_report &tlb = s.caches[SMMU_CACHE_TLB];
    EXPECT_EQ(tlb.name, "tlb");
    EXPECT_GT(tlb.stats.lookups, 0u);
    EXPECT_GT(tlb.stats.hits, 0u); // sequential flows reuse their pages
    EXPECT_EQ(tlb.stats.hits + tlb.stats.misses, tlb.stats.lookups);
    EXPECT_GT(s.caches[SMMU_CACHE_STE].hit_rate(), 0.5);
}

TEST(DefaultScenario, LatencyDistributionsOrdered) {
    for (const flow_report &f : the_report().flows) {
        EXPECT_EQ(f.latency.samples, f.transactions) << f.flow;
        EXPECT_LE(f.latency.min, f.latency.median) << f.flow;
        EXPECT_LE(f.latency.median, f.latency.p99) << f.flow;
        EXPECT_LE(f.latency.p99, f.latency.max) << f.flow;
        EXPECT_EQ(f.translation.samples, f.ok) << f.flow; // every OK access left the SMMU once
        if (f.ok) {
            EXPECT_LE(f.translation.max, f.latency.max) << f.flow;
        }
    }
    const smmu_report &s = the_report().smmus.at(0);
    EXPECT_GT(s.translation.samples, 0u);
    EXPECT_GT(s.translation.min, sc_core::SC_ZERO_TIME); // lookups cost time
}

TEST(DefaultScenario, ThroughputAndSpeed) {
    const report &r = the_report();
    EXPECT_GT(r.traffic_seconds, 0.0);
    EXPECT_GT(r.bytes_per_sim_second(), 0.0);
    EXPECT_GT(r.wall_seconds, 0.0);
    EXPECT_GT(r.txn_per_wall_second(), 0.0);
    EXPECT_GE(r.sim_seconds, r.traffic_seconds);
}

TEST(DefaultScenario, JsonReport) {
    nlohmann::json j = nlohmann::json::parse(report_json(the_report()));
    EXPECT_EQ(j["scenario"], "default");
    EXPECT_EQ(j["passed"], true);
    EXPECT_EQ(j["flows"].size(), the_report().flows.size());
    EXPECT_EQ(j["smmus"][0]["faults_by_event"]["F_TRANSLATION"], 4);
    EXPECT_EQ(j["smmus"][0]["stalls_resumed"], 1);
    EXPECT_TRUE(j["smmus"][0]["caches"]["tlb"].contains("hit_rate"));
    EXPECT_TRUE(j["flows"][0]["translation_latency"].contains("p99_ns"));
    EXPECT_EQ(j["protocol_checkers"], 14);
    EXPECT_EQ(j["protocol_violations"], 0);
}

TEST(DefaultScenario, TextReport) {
    std::ostringstream os;
    print_report(os, the_report());
    std::string t = os.str();
    EXPECT_NE(t.find("faults by event: F_TRANSLATION 4"), std::string::npos) << t;
    EXPECT_NE(t.find("1 stalls resumed"), std::string::npos) << t;
    EXPECT_NE(t.find("PASS: every expectation holds"), std::string::npos) << t;
}
