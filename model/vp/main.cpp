// SPDX-License-Identifier: Apache-2.0
// smmu_vp: the virtual platform. Builds the platform a scenario file describes (or the built-in
// default scenario), runs it and prints the report. Exit code: 0 when every expectation of the
// scenario holds, 1 when one does not, 2 when the scenario or the command line is unusable.
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>
#include <systemc>

#include "platform.h"

int sc_main(int argc, char *argv[]) {
    CLI::App app{"smmu_vp: an Arm SMMUv3 virtual platform (SystemC/TLM-2.0).\n"
                 "Without a scenario file it runs the built-in default scenario: bypass, stage 1 "
                 "with several SubstreamIDs, stage 2, nested, a fault and a stall with resume.",
                 "smmu_vp"};
    std::string file, vcd, json_out;
    bool print_default = false, quiet = false;
    app.add_option("scenario", file, "Scenario file (JSON, see docs/vp.md)")
        ->check(CLI::ExistingFile);
    app.add_option("--vcd", vcd, "Write a VCD of the SMMUs' interrupt lines to this file");
    app.add_option("--json", json_out, "Write the results as JSON to this file");
    app.add_flag("--print-default", print_default, "Print the default scenario and exit");
    app.add_flag("-q,--quiet", quiet, "No report on stdout (exit code and --json only)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        int rc = app.exit(e);
        return rc ? 2 : 0;
    }
    if (print_default) {
        std::cout << smmu_vp::default_scenario_json();
        return 0;
    }
    smmu_vp::scenario sc;
    try {
        sc = file.empty() ? smmu_vp::default_scenario() : smmu_vp::load_scenario(file);
    } catch (const smmu_vp::scenario_error &e) {
        std::cerr << "smmu_vp: " << e.what() << "\n";
        return 2;
    }
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    // SystemC info messages ("stopped by user", VCD timescale) would clutter the report
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    smmu_vp::platform p(sc);
    if (!vcd.empty()) p.trace_vcd(vcd);
    smmu_vp::report r = p.run();
    if (!quiet) smmu_vp::print_report(std::cout, r);
    if (!json_out.empty()) {
        std::ofstream f(json_out);
        f << smmu_vp::report_json(r);
        if (!f) {
            std::cerr << "smmu_vp: cannot write " << json_out << "\n";
            return 2;
        }
    }
    return r.passed() ? 0 : 1;
}

// Our own entry point so that SystemC's banner stays out of the report (it is printed before
// sc_main runs).
int main(int argc, char *argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}
