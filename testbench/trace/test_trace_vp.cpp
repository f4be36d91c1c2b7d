// SPDX-License-Identifier: Apache-2.0 OR MIT
// Replay, recording and timeline through the virtual platform: data/replay.json replays the
// hand-written data/replay.trace with a scenario "trace" master (AT, original timing) while the
// platform records (trace file, in-memory log) and writes the timeline. The expected outcomes
// follow from how replay.json maps and attaches each stream (comments in replay.trace).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <smmu/trace.h>

#include "platform.h"
#include "scenario.h"
#include "vp_test_main.h"

using namespace smmu_vp;

namespace {

// per process: ctest runs the tests of this file in parallel processes
const std::string kRecord =
    std::string(SMMU_TRACE_OUT_DIR) + "/vp_record." + std::to_string(getpid()) + ".trace";
const std::string kTimeline =
    std::string(SMMU_TRACE_OUT_DIR) + "/vp_timeline." + std::to_string(getpid()) + ".json";

struct run_result {
    report r;
    smmu_tlm::record_log log;
    smmu_stats_t core{};
    smmu_cache_stats_t caches[SMMU_CACHE_COUNT]{};
    size_t replays = 0;
    uint64_t skipped = 0;
};

const run_result &run() {
    static run_result *res = [] {
        auto *rr = new run_result;
        scenario sc = load_scenario(std::string(SMMU_TRACE_TEST_DIR) + "/data/replay.json");
        static platform *p = new platform(sc); // one elaboration, kept to the end
        p->record(kRecord, "replay.json");
        p->timeline(kTimeline);
        p->add_recorder(&rr->log);
        rr->r = p->run();
        smmu_get_stats(p->smmu(0).core(), &rr->core);
        for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++)
            smmu_cache_stats(p->smmu(0).core(), i, &rr->caches[i]);
        rr->replays = p->replays();
        std::atexit([] {
            std::remove(kRecord.c_str());
            std::remove(kTimeline.c_str());
        });
        rr->skipped = p->replays() ? p->replay(0).skipped() : 0;
        return rr;
    }();
    return *res;
}

const flow_report *flow(const report &r, uint32_t sid) {
    for (const flow_report &f : r.flows)
        if (f.sid == sid) return &f;
    return nullptr;
}

} // namespace

TEST(TraceMaster, ScenarioTraceEntryReplaysEveryTransaction) {
    const run_result &rr = run();
    ASSERT_TRUE(rr.r.setup_errors.empty());
    EXPECT_TRUE(rr.r.passed()) << (rr.r.failures.empty() ? "" : rr.r.failures[0]);
    EXPECT_EQ(rr.replays, 1u);
    EXPECT_EQ(rr.r.transactions, 28u); // lines of replay.trace
    const flow_report *s10 = flow(rr.r, 0x10), *s11 = flow(rr.r, 0x11), *s12 = flow(rr.r, 0x12),
                      *s13 = flow(rr.r, 0x13);
    ASSERT_TRUE(s10 && s11 && s12 && s13);
    EXPECT_EQ(s10->ok, 16u);    // mapped
    EXPECT_EQ(s10->errors, 4u); // unmapped: F_TRANSLATION, abort
    EXPECT_EQ(s11->ok, 4u);     // stall, then resumed after the host mapped the page
    EXPECT_EQ(s12->errors, 2u); // STE abort
    EXPECT_EQ(s13->ok, 2u);     // bypass
    EXPECT_TRUE(s10->at);
    EXPECT_EQ(s10->master, "replay");
    EXPECT_EQ(s10->reads + s10->writes, 20u);
    EXPECT_EQ(s10->writes, 6u);
}

// vp_test_main.h switches the protocol checkers on; the AT replay master is on one of them.
TEST(TraceMaster, RunsUnderProtocolCheckers) {
    const run_result &rr = run();
    // host, memory, 5 around the SMMU (regs, PMCG pages, probe in and out, table), the replay
    // master
    EXPECT_EQ(rr.r.protocol_checkers, 8u);
    EXPECT_EQ(rr.r.protocol_violations, 0u);
}

TEST(Recorder, EveryTranslationRecordedWithItsCacheLookups) {
    const run_result &rr = run();
    // the core's own counters are the independent reference
    EXPECT_EQ(rr.log.entries().size(), rr.core.translations);
    uint64_t lookups[SMMU_CACHE_COUNT] = {}, hits[SMMU_CACHE_COUNT] = {};
    for (const auto &e : rr.log.entries())
        for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
            lookups[c] += e.r.lookups[c];
            hits[c] += e.r.hits[c];
        }
    for (unsigned c = 0; c < SMMU_CACHE_COUNT; c++) {
        EXPECT_EQ(lookups[c], rr.caches[c].lookups) << "cache " << c;
        EXPECT_EQ(hits[c], rr.caches[c].hits) << "cache " << c;
    }
    EXPECT_GT(rr.log.commands, 0u); // the host's setup commands
}

TEST(Recorder, OutcomesAndEventsMatchTheCore) {
    const run_result &rr = run();
    uint64_t ok = 0, faults = 0, stalls = 0, by_event[0x26] = {};
    for (const auto &e : rr.log.entries()) {
        const smmu_result_t &res = e.r.res;
        if (res.status == SMMU_OK) ok++;
        if (res.status == SMMU_FAULT) faults++;
        if (res.status == SMMU_STALLED) stalls++;
        if (res.event < 0x26) by_event[res.event]++;
        EXPECT_LE(e.r.requested, e.r.start);
        EXPECT_LE(e.r.start, e.r.walk_start);
        EXPECT_LE(e.r.walk_start, e.r.end);
    }
    EXPECT_EQ(ok, rr.core.ok);
    EXPECT_EQ(faults, rr.core.faults);
    EXPECT_EQ(stalls, 1u);
    EXPECT_EQ(by_event[0x10], 5u); // 4 F_TRANSLATION faults and the stall (spec 7.3.12)
}

TEST(Recorder, RecordFileHasResultFieldsInTraceFormat) {
    run();
    smmu_trace_t *t = nullptr;
    smmu_trace_error_t err;
    ASSERT_EQ(smmu_trace_load(kRecord.c_str(), &t, &err), 0) << err.msg;
    EXPECT_STREQ(smmu_trace_name(t), "trace-replay-test");
    EXPECT_STREQ(smmu_trace_scenario(t), "replay.json");
    const size_t n = smmu_trace_count(t);
    EXPECT_EQ(n, run().log.entries().size());
    std::map<unsigned, unsigned> status;
    uint64_t last = 0;
    bool stall_then_ok = false;
    for (size_t i = 0; i < n; i++) {
        const smmu_trace_txn_t &x = *smmu_trace_get(t, i);
        EXPECT_TRUE(x.has & SMMU_TRACE_HAS_STATUS);
        EXPECT_TRUE(x.has & SMMU_TRACE_HAS_LAT);
        EXPECT_GE(x.time_ns, last);
        last = x.time_ns;
        status[x.status]++;
        if (x.status == SMMU_TRACE_ST_OK && x.sid == 0x13) {
            EXPECT_EQ(x.pa, x.addr); // bypass
        }
        if (x.status == SMMU_TRACE_ST_OK && x.sid == 0x10) {
            EXPECT_EQ(x.pa, x.addr - 0x10000000 + 0x200000000); // replay.json's mapping
        }
        if (x.status == SMMU_TRACE_ST_STALL && i + 1 < n) {
            const smmu_trace_txn_t &y = *smmu_trace_get(t, i + 1);
            stall_then_ok = y.sid == 0x11 && y.addr == x.addr && y.status == SMMU_TRACE_ST_OK &&
                            y.pa == 0x200100000;
        }
    }
    EXPECT_EQ(status[SMMU_TRACE_ST_OK], 22u);
    EXPECT_EQ(status[SMMU_TRACE_ST_FAULT], 6u);
    EXPECT_EQ(status[SMMU_TRACE_ST_STALL], 1u);
    EXPECT_TRUE(stall_then_ok);
    // the first translation came from the first line of replay.trace at time 0 of the traffic
    EXPECT_EQ(smmu_trace_get(t, 0)->time_ns, 0u);
    EXPECT_EQ(smmu_trace_get(t, 0)->addr, 0x10000000u);
    smmu_trace_free(t);
}

TEST(Timeline, IsTraceEventJsonWithSlices) {
    run();
    std::ifstream f(kTimeline);
    ASSERT_TRUE(f.good());
    nlohmann::json j = nlohmann::json::parse(f); // throws (fails the test) on invalid JSON
    ASSERT_TRUE(j.contains("traceEvents"));
    ASSERT_TRUE(j["traceEvents"].is_array());
    size_t translations = 0, instants = 0, named_threads = 0, irqs = 0;
    for (const auto &e : j["traceEvents"]) {
        ASSERT_TRUE(e.contains("ph") && e.contains("pid") && e.contains("name"));
        const std::string ph = e["ph"];
        if (ph == "X") {
            ASSERT_TRUE(e.contains("ts") && e.contains("dur") && e.contains("tid"));
            EXPECT_GE(e["dur"].get<double>(), 0.0);
            const std::string n = e["name"];
            if (n.rfind("R 0x", 0) == 0 || n.rfind("W 0x", 0) == 0) {
                translations++;
                EXPECT_TRUE(e["args"].contains("outcome"));
            }
        } else if (ph == "i") {
            ASSERT_TRUE(e.contains("ts") && e.contains("tid"));
            instants++;
            if (e["name"].get<std::string>().rfind("irq", 0) == 0) irqs++;
        } else if (ph == "M" && e["name"] == "thread_name") {
            named_threads++;
        }
    }
    EXPECT_EQ(translations, run().log.entries().size());
    EXPECT_GT(instants, 0u);
    EXPECT_GT(irqs, 0u);               // the event queue interrupt of the faults
    EXPECT_GE(named_threads, 2u + 4u); // commands, interrupts, one per stream
}

// Perfetto needs the slices of one track to nest: every phase inside its translation.
TEST(Timeline, PhasesNestInsideTheirTranslation) {
    run();
    std::ifstream f(kTimeline);
    nlohmann::json j = nlohmann::json::parse(f);
    std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> tracks;
    size_t phases = 0;
    for (const auto &e : j["traceEvents"])
        if (e["ph"] == "X") {
            double ts = e["ts"], dur = e["dur"];
            tracks[{e["pid"].get<int>(), e["tid"].get<int>()}].push_back({ts, ts + dur});
            const std::string n = e["name"];
            if (n == "config lookup" || n == "TLB lookup" || n == "walk") phases++;
        }
    EXPECT_GT(phases, 0u);
    const double eps = 1e-6;
    for (auto &t : tracks) {
        auto &v = t.second;
        std::stable_sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
            return a.first < b.first || (a.first == b.first && a.second > b.second);
        });
        std::vector<std::pair<double, double>> open;
        for (const auto &s : v) {
            while (!open.empty() && open.back().second <= s.first + eps)
                open.pop_back();
            if (!open.empty()) {
                EXPECT_LE(s.second, open.back().second + eps)
                    << "overlapping slices on track " << t.first.second << " at " << s.first;
            }
            open.push_back(s);
        }
    }
}
