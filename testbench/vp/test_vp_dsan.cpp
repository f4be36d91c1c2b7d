// SPDX-License-Identifier: Apache-2.0 OR MIT
// The driver sanitizer on the virtual platform (params.dsan, issue 22): the default scenario
// (c_core/drv programming the SMMU over TLM, stalls and a page mapped in by the host) runs with
// it on and makes no report; the platform's memory notifies the core of writes, so the table
// checks are on; a write through the memory over a descriptor the SMMU walked, changing its
// output address while valid, is reported (3.21.1.1) through the TLM module (sc_report and
// dsan_reports()) with the descriptor's PA.
#include <string>

#include "platform.h"
#include "vp_test_main.h"

using namespace smmu_vp;

namespace {

struct step {
    uint64_t pa = 0, desc = 0;
};

step &last_leaf() { // the last valid stage-1 level-3 descriptor the SMMU read
    static step s;
    return s;
}

platform &the_platform() {
    static platform *p = [] {
        scenario sc = default_scenario();
        sc.smmus.at(0).params.core.dsan.on = true;
        platform *pl = new platform(sc); // one elaboration, kept to the end
        pl->smmu(0).set_trace_hook(
            [](const smmu_tp_t &tp) {
                if (tp.u.walk.stage == 1 && tp.u.walk.level == 3 && (tp.u.walk.desc & 3) == 3)
                    last_leaf() = {tp.u.walk.pa, tp.u.walk.desc};
            },
            1u << SMMU_TP_WALK_STEP);
        return pl;
    }();
    return *p;
}

const report &the_report() {
    static report r = the_platform().run();
    return r;
}

} // namespace

TEST(VpDsan, DefaultScenarioIsSilentUnderTheSanitizer) {
    const report &r = the_report();
    EXPECT_TRUE(r.passed());
    const smmu_report &s = r.smmus.at(0);
    ASSERT_TRUE(s.dsan_on);
    EXPECT_NE(s.dsan_checks.find("BBM CFG_STALE"), std::string::npos)
        << "the VP memory notifies writes: " << s.dsan_checks;
    EXPECT_EQ(s.dsan.reports, 0u) << (s.dsan_lines.empty() ? "" : s.dsan_lines.front());
    EXPECT_GT(s.dsan.tracked, 0u) << "the sanitizer tracked what the SMMU fetched";
}

TEST(VpDsan, MemoryWriteOverWalkedDescriptorIsReported_3_21_1_1) {
    the_report();
    const step leaf = last_leaf();
    ASSERT_NE(leaf.pa, 0u) << "the scenario's stage-1 streams were walked";
    const uint64_t changed = leaf.desc ^ (1ull << 20); // another output address, still valid
    const int before = sc_core::sc_report_handler::get_count(smmu_tlm::smmu_base::dsan_msg_type);
    sc_core::sc_report_handler::set_actions(smmu_tlm::smmu_base::dsan_msg_type, sc_core::SC_LOG);
    ASSERT_TRUE(the_platform().mem().write(leaf.pa, &changed, 8)); // a backdoor write: observed
    const auto lines = the_platform().smmu(0).dsan_reports();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("BBM [3.21.1.1]"), std::string::npos) << lines[0];
    char pa[32];
    snprintf(pa, sizeof(pa), "PA 0x%llx", (unsigned long long)leaf.pa);
    EXPECT_NE(lines[0].find(pa), std::string::npos) << lines[0];
    EXPECT_EQ(sc_core::sc_report_handler::get_count(smmu_tlm::smmu_base::dsan_msg_type),
              before + 1);
}
