// SPDX-License-Identifier: Apache-2.0
// main() for the VP test executables: GoogleTest's, with SystemC's banner and deprecation notes
// silenced. Each executable elaborates one platform (SystemC allows one elaboration per process)
// and its tests run sc_start on it in turn.
#ifndef SMMU_VP_TEST_MAIN_H
#define SMMU_VP_TEST_MAIN_H

#include <cstdlib>

#include <gtest/gtest.h>
#include <systemc>

int sc_main(int, char *[]) { // never called: libsystemc needs the symbol
    return 0;
}

int main(int argc, char *argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                            sc_core::SC_DO_NOTHING);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

#endif
