// SPDX-License-Identifier: Apache-2.0 OR MIT
// main() for the VP test executables: GoogleTest's, with SystemC's banner and deprecation notes
// silenced. Each executable elaborates one platform (SystemC allows one elaboration per process)
// and its tests run sc_start on it in turn.
//
// Every test runs under the TLM-2.0 base-protocol checker (smmu_model::protocol_checker,
// issue 13): every smmu_vp::platform built in these executables gets a checker on each of its
// bindings, and a hand-built bench binds through check_bind(). A violation is an SC_ERROR, whose
// default action throws out of sc_start and fails the test; a test that wants to look at
// violations instead of throwing uses collect_violations. At the end of the program, any
// violation counted anywhere fails the run too.
#ifndef SMMU_VP_TEST_MAIN_H
#define SMMU_VP_TEST_MAIN_H

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <systemc>

#include <smmu_model/protocol_checker.h>

#include "platform.h"

namespace vp_test {

// Binds init to target through a protocol checker named chk_<name>, kept to the end of the
// process (before elaboration ends, like any binding).
template <class Initiator, class Target>
smmu_model::protocol_checker<> &check_bind(Initiator &init, Target &target,
                                           const std::string &name) {
    static std::vector<std::unique_ptr<smmu_model::protocol_checker<>>> kept;
    kept.emplace_back(new smmu_model::protocol_checker<>(("chk_" + name).c_str()));
    init.bind(kept.back()->target);
    kept.back()->initiator.bind(target);
    return *kept.back();
}

// While it exists, violations are counted (and kept by each checker) but not thrown, so that a
// test can assert on them; the previous actions come back at the end of the scope.
struct collect_violations {
    sc_core::sc_actions previous;
    collect_violations()
        : previous(sc_core::sc_report_handler::set_actions(
              smmu_model::protocol_checker_base::msg_type, sc_core::SC_LOG)) {}
    ~collect_violations() {
        sc_core::sc_report_handler::set_actions(smmu_model::protocol_checker_base::msg_type,
                                                previous);
    }
    collect_violations(const collect_violations &) = delete;
    collect_violations &operator=(const collect_violations &) = delete;
};

// Fails the run when any checker of the process counted a violation.
struct no_violations_at_exit : ::testing::Environment {
    void TearDown() override {
        EXPECT_EQ(smmu_model::protocol_checker_base::total_violations(), 0u)
            << "TLM-2.0 base-protocol violations were reported (rule ids in the messages above)";
    }
};

} // namespace vp_test

int sc_main(int, char *[]) { // never called: libsystemc needs the symbol
    return 0;
}

int main(int argc, char *argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                            sc_core::SC_DO_NOTHING);
    smmu_vp::platform::always_check_protocol(true);
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::AddGlobalTestEnvironment(new vp_test::no_violations_at_exit);
    return RUN_ALL_TESTS();
}

#endif
