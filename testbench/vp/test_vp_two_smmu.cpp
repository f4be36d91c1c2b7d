// SPDX-License-Identifier: Apache-2.0 OR MIT
// A virtual platform with two SMMUs on one interconnect and one memory, each programmed by the
// same host through its own register frame and with its own stream table and queues.
#include <fstream>
#include <sstream>
#include <string>

#include "platform.h"
#include "vp_test_main.h"

using namespace smmu_vp;

namespace {

const char *two_smmus = R"({
  "name": "two",
  "smmus": [
    {"name": "sa", "reg_base": "0x10000000000", "pool": {"base": "0x80000000", "size": "0x1000000"},
     "domains": [{"name": "d", "stage": 1, "id": 1,
                  "map": [{"iova": "0x10000", "pa": "0x100000", "size": "0x4000"}]}],
     "streams": [{"sid": 1, "attach": "s1", "domain": "d"}],
     "masters": [{"name": "ma", "flows": [
       {"sid": 1, "base": "0x10000", "size": "0x4000", "burst": 128, "count": 40,
        "write_ratio": 1.0, "expect_ok": 40, "expect_errors": 0}]}]},
    {"name": "sb", "reg_base": "0x10000100000", "pool": {"base": "0x90000000", "size": "0x1000000"},
     "domains": [{"name": "v", "stage": 2, "id": 1, "ias": 40,
                  "map": [{"iova": "0x10000", "pa": "0x200000", "size": "0x2000"}]}],
     "streams": [{"sid": 1, "attach": "s2", "s2_domain": "v"}],
     "masters": [{"name": "mb", "protocol": "at", "flows": [
       {"sid": 1, "base": "0x10000", "size": "0x4000", "burst": 512, "count": 32,
        "write_ratio": 1.0, "expect_ok": 16, "expect_errors": 16}]}],
     "expect_faults": {"F_TRANSLATION": 16}}
  ]
})";

std::string vcd_file() {
    return ::testing::TempDir() + "vp_two_smmu_irq.vcd";
}

platform &P() {
    static platform *p = [] {
        platform *x = new platform(parse_scenario(two_smmus, "two.json"));
        x->trace_vcd(vcd_file());
        return x;
    }();
    return *p;
}

const report &R() {
    static report r = P().run();
    return r;
}

} // namespace

TEST(TwoSmmus, BothProgrammedAndExpectationsHold) {
    EXPECT_TRUE(R().setup_errors.empty()) << R().setup_errors.front();
    EXPECT_TRUE(R().failures.empty()) << R().failures.front();
    EXPECT_TRUE(R().passed());
    ASSERT_EQ(R().smmus.size(), 2u);
}

TEST(TwoSmmus, RunsUnderProtocolCheckers) {
    // per SMMU: register frame, PMCG pages, downstream on both sides of the probe, table, its
    // master; and the host and the memory
    EXPECT_EQ(R().protocol_checkers, 14u);
    EXPECT_EQ(R().protocol_violations, 0u);
    EXPECT_EQ(P().protocol_violations(), 0u);
}

TEST(TwoSmmus, SameStreamIdTranslatedIndependently) {
    // StreamID 1 is stage 1 on sa and stage 2 on sb: each SMMU has its own stream table.
    EXPECT_EQ(R().smmus[0].core.translations, 40u);
    EXPECT_EQ(R().smmus[0].core.ok, 40u);
    EXPECT_EQ(R().smmus[0].core.faults, 0u);
    EXPECT_EQ(R().smmus[1].core.translations, 32u);
    EXPECT_EQ(R().smmus[1].core.ok, 16u);
    EXPECT_EQ(R().smmus[1].core.by_event[SMMU_EVT_F_TRANSLATION], 16u); // beyond its 8 KiB
}

TEST(TwoSmmus, EventsLandInTheRightQueue) {
    EXPECT_EQ(R().smmus[0].events_read, 0u);
    EXPECT_EQ(R().smmus[1].events_read, 16u);
    ASSERT_EQ(R().smmus[1].streams.at(0).events.count("F_TRANSLATION"), 1u);
    EXPECT_EQ(R().smmus[1].streams.at(0).events.at("F_TRANSLATION"), 16u);
}

TEST(TwoSmmus, DataAtEachSmmusOutputAddress) {
    R();
    uint8_t a = 0, b = 0;
    ASSERT_TRUE(P().mem().read(0x100000 + 39 * 128, &a, 1)); // sa: its 40th burst
    ASSERT_TRUE(P().mem().read(0x200000 + 0x1E00, &b, 1));   // sb: its last mapped burst
    EXPECT_EQ(a, 0xA0);
    EXPECT_EQ(b, 0xA0);
    uint8_t none = 0xFF;
    ASSERT_TRUE(P().mem().read(0x202000, &none, 1)); // sb's faulting writes went nowhere
    EXPECT_EQ(none, 0);
}

TEST(TwoSmmus, RegisterFramesAreSeparate) {
    R();
    ASSERT_NE(P().bus().decode(0x10000000000ull, 4), nullptr);
    EXPECT_EQ(P().bus().decode(0x10000000000ull, 4)->name, "sa.regs");
    EXPECT_EQ(P().bus().decode(0x10000100000ull, 4)->name, "sb.regs");
    EXPECT_NE(smmu_reg_read(P().smmu(0).core(), 0x80, 8), // STRTAB_BASE
              smmu_reg_read(P().smmu(1).core(), 0x80, 8));
}

TEST(TwoSmmus, VcdOfInterruptLines) {
    R();
    std::ifstream f(vcd_file());
    ASSERT_TRUE(f.good());
    std::stringstream ss;
    ss << f.rdbuf();
    std::string v = ss.str();
    for (const char *sig : {"sa_irq_eventq", "sa_irq_gerror", "sb_irq_eventq", "sb_irq_cmd_sync"})
        EXPECT_NE(v.find(sig), std::string::npos) << sig;
    // sb's event queue interrupt fired: some signal changed to 1 after time 0
    size_t t = v.find("\n#", v.find("$enddefinitions"));
    ASSERT_NE(t, std::string::npos);
    EXPECT_NE(v.find("\n1", t), std::string::npos);
}
