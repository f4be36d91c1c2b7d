// SPDX-License-Identifier: Apache-2.0 OR MIT
// smmu_vp --save-at / --restore (docs/vp.md, "Checkpoints"; issue 17 "Save and restore"): the
// default scenario run once without interruption; again with a checkpoint written at a time
// inside its traffic; and from that checkpoint. The run from the checkpoint must end as the
// uninterrupted run does: every flow's counts, the SMMU's translations, faults, events and
// commands, the host's event and stall counts, the final memory contents (checksum). Runs the
// smmu_vp executable (SMMU_VP_EXE), as a user would.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "vp_test_main.h"

namespace {

using nlohmann::json;

// Files of this test only: ctest runs the tests as parallel processes.
std::string dir() {
    return std::string(SMMU_VP_TEST_BIN_DIR) + "/vp_checkpoint_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_";
}

// Runs smmu_vp with args; its exit code, its stderr in *err.
int vp(const std::string &args, std::string *err = nullptr) {
    const std::string e = dir() + "stderr.txt";
    const std::string cmd = std::string(SMMU_VP_EXE) + " -q " + args + " 2> " + e;
    const int rc = std::system(cmd.c_str());
    if (err) {
        std::ifstream f(e);
        std::stringstream ss;
        ss << f.rdbuf();
        *err = ss.str();
    }
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

json load(const std::string &file) {
    std::ifstream f(file);
    return json::parse(f);
}

const json &full_run() {
    static json j = [] {
        EXPECT_EQ(vp("--json " + dir() + "full.json"), 0);
        return load(dir() + "full.json");
    }();
    return j;
}

// What a run ends with, whatever the timing: per flow, per SMMU (and per stream), the memory.
json outcome(const json &r) {
    json o;
    o["passed"] = r["passed"];
    o["memory_checksum"] = r["memory_checksum"];
    for (const json &f : r["flows"])
        o["flows"].push_back({f["master"], f["flow"], f["transactions"], f["bytes"], f["ok"],
                              f["errors"], f["reads"], f["writes"]});
    for (const json &s : r["smmus"]) {
        json x;
        for (const char *k : {"translations", "ok", "faults", "stalls", "events_written",
                              "events_lost", "events_read", "stalls_resumed", "stalls_terminated",
                              "faults_by_event", "commands", "streams"})
            x[k] = s[k];
        o["smmus"].push_back(x);
    }
    return o;
}

// The simulated time at fraction q of the uninterrupted run's traffic, in ns (0 for q <= 0).
std::string traffic_time(double q) {
    if (q <= 0) return "0";
    const double end = full_run()["sim_seconds"].get<double>();
    const double traffic = full_run()["traffic_seconds"].get<double>();
    const double t = end - traffic + q * traffic;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0fns", t * 1e9);
    return buf;
}

void save_and_restore(double q) {
    const std::string ck = dir() + "ck", saved = dir() + "saved.json",
                      restored = dir() + "restored.json";
    std::remove(ck.c_str());
    ASSERT_EQ(vp("--save-at " + traffic_time(q) + " " + ck + " --json " + saved), 0);
    ASSERT_EQ(vp("--restore " + ck + " --json " + restored), 0);
    const json s = load(saved), r = load(restored);
    EXPECT_EQ(outcome(s), outcome(full_run())) << "writing the checkpoint changes nothing";
    EXPECT_EQ(outcome(r), outcome(full_run())) << "the restored run ends as the full one";
    // inside the traffic, the restored SMMU module saw some of it, not all; before, all of it
    const uint64_t part = r["smmus"][0]["tlm"]["transactions"].get<uint64_t>();
    const uint64_t all = full_run()["smmus"][0]["tlm"]["transactions"].get<uint64_t>();
    if (q <= 0) {
        EXPECT_EQ(part, all);
    } else {
        EXPECT_GT(part, 0u);
        EXPECT_LT(part, all);
    }
}

} // namespace

// Before the traffic: the checkpoint is written once the host has programmed the SMMU, and
// the restored run makes all the traffic (the pager's stall and the host's mapping included).
TEST(VpCheckpoint, RestoredRunEndsAsUninterruptedRunBeforeTraffic) {
    save_and_restore(0);
}

TEST(VpCheckpoint, RestoredRunEndsAsUninterruptedRunEarlyInTraffic) {
    save_and_restore(0.2);
}

TEST(VpCheckpoint, RestoredRunEndsAsUninterruptedRunMidTraffic) {
    save_and_restore(0.5);
}

// After the pager's stall was resumed: the host's mapping on the fault is part of the state.
TEST(VpCheckpoint, RestoredRunEndsAsUninterruptedRunLateInTraffic) {
    save_and_restore(0.9);
}

// A checkpoint that is truncated, not a checkpoint, or of another scenario is refused (exit 2,
// the reason named) before anything runs.
TEST(VpCheckpoint, RestoreRefusesBadCheckpoint) {
    const std::string ck = dir() + "ck2";
    ASSERT_EQ(vp("--save-at " + traffic_time(0.5) + " " + ck), 0);
    std::ifstream in(ck, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(bytes.size(), 100u);
    std::string err;
    std::ofstream(dir() + "cut", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    EXPECT_EQ(vp("--restore " + dir() + "cut", &err), 2);
    EXPECT_NE(err.find("truncated"), std::string::npos) << err;
    std::string other = bytes;
    other[0] = 'X';
    std::ofstream(dir() + "other", std::ios::binary) << other;
    EXPECT_EQ(vp("--restore " + dir() + "other", &err), 2);
    EXPECT_NE(err.find("not an smmu_vp checkpoint"), std::string::npos) << err;
    EXPECT_EQ(vp("--restore " + ck + " --set /smmus/0/masters/0/flows/0/count=7", &err), 2);
    EXPECT_NE(err.find("another scenario"), std::string::npos) << err;
    EXPECT_EQ(vp("--save-at soon " + ck, &err), 2);
    EXPECT_NE(err.find("is not a time"), std::string::npos) << err;
}
