// SPDX-License-Identifier: Apache-2.0 OR MIT
// smmu_vp: the virtual platform. Builds the platform a scenario file describes (or the built-in
// default scenario), runs it and prints the report. Exit code: 0 when every expectation of the
// scenario holds, 1 when one does not, 2 when the scenario or the command line is unusable.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>
#include <systemc>

#include "overrides.h"
#include "platform.h"
#include "smmu_tool_info.h"

namespace {

// "20us", "1500ns", "0.1ms", "3s", "250ps"; a bare number is in ns.
bool parse_time(const std::string &s, sc_core::sc_time &out) {
    size_t pos = 0;
    double v;
    try {
        v = std::stod(s, &pos);
    } catch (const std::exception &) {
        return false;
    }
    const std::string unit = s.substr(pos);
    static const std::pair<const char *, sc_core::sc_time_unit> units[] = {
        {"ps", sc_core::SC_PS}, {"ns", sc_core::SC_NS}, {"", sc_core::SC_NS},
        {"us", sc_core::SC_US}, {"ms", sc_core::SC_MS}, {"s", sc_core::SC_SEC}};
    if (!(v >= 0) || v > 1e15) return false;
    for (const auto &u : units)
        if (unit == u.first) {
            out = sc_core::sc_time(v, u.second);
            return true;
        }
    return false;
}

} // namespace

int sc_main(int argc, char *argv[]) {
    CLI::App app{std::string("smmu_vp ") + smmu_tool::version() +
                     ": the Arm SMMUv3 virtual platform (SystemC/TLM-2.0).\n\n"
                     "Builds the platform a scenario file describes (memory, router, SMMUs, "
                     "traffic and trace-replay masters), lets a host CPU program every SMMU with "
                     "the driver over the bus, runs the traffic and prints a report. Without a "
                     "scenario it runs the built-in default scenario: bypass, stage 1 with several "
                     "SubstreamIDs, stage 2, nested, a fault and a stall with resume.\n"
                     "Exit code: 0 every expectation of the scenario holds, 1 one does not, 2 the "
                     "scenario or the command line is unusable.",
                 "smmu_vp"};
    const std::string samples = smmu_tool::samples_dir().string();
    app.footer(
        "Examples:\n"
        "  smmu_vp                                  the built-in default scenario\n"
        "  smmu_vp my.json --json r.json --vcd irq.vcd\n"
        "  smmu_vp --trace nic_rx.trace             a sample trace on the scenario its header "
        "names\n"
        "  smmu_vp --print-default > my.json        a scenario file to start from\n\n"
        "Samples: a scenario or --trace argument that is not an existing file is looked up in\n  " +
        (samples.empty() ? std::string("the installed samples (none found)") : samples) +
        " (--list-samples).\n\n" +
        smmu_tool::docs_footer({{"docs/vp.md", "smmu_vp: options, scenario files, the report"},
                                {"traces/README.md", "sample traces, replay, record, timeline"},
                                {"traces/FORMAT.md", "the trace format"},
                                {"README.md", "the project"}}));
    app.set_version_flag("--version", std::string("smmu_vp ") + smmu_tool::version(),
                         "Print the version and exit");
    std::string file, vcd, json_out;
    std::string trace, timing = "original", protocol = "lt", record, timeline, log;
    unsigned max_outstanding = 4;
    bool print_default = false, quiet = false, list_samples = false, check_protocol = false,
         pmcg = false, no_smmu = false;
    app.add_option("scenario", file,
                   "Scenario file (JSON, see docs/vp.md) or the name of a sample scenario");
    app.add_option("--trace", trace,
                   "Replay this trace (traces/FORMAT.md; a file or the name of a sample trace) "
                   "through a replay master on the first SMMU; without a scenario argument, the "
                   "trace header's scenario is used");
    app.add_option("--timing", timing, "--trace timing: original (trace times) or asap")
        ->check(CLI::IsMember({"original", "asap"}));
    app.add_option("--protocol", protocol, "--trace protocol: lt (b_transport) or at")
        ->check(CLI::IsMember({"lt", "at"}));
    app.add_option("--max-outstanding", max_outstanding,
                   "--trace with --protocol at: transactions in flight (default 4)")
        ->check(CLI::Range(1u, 1024u));
    app.add_option("--record", record,
                   "Write every translation as a trace with result fields to this file");
    app.add_option("--timeline", timeline,
                   "Write a Chrome/Perfetto trace-event JSON timeline to this file "
                   "(ui.perfetto.dev, chrome://tracing)");
    app.add_option("--log", log,
                   "Write every SMMU's trace points (register accesses, commands, fetches, walk "
                   "steps, cache activity, translations, events, interrupts, stalls) to this "
                   "file, one line each");
    app.add_option("--vcd", vcd, "Write a VCD of the SMMUs' interrupt lines to this file");
    app.add_option("--json", json_out, "Write the results as JSON to this file");
    app.add_flag("--print-default", print_default, "Print the default scenario and exit");
    app.add_flag("--list-samples", list_samples,
                 "List the sample scenarios and traces (names usable as scenario or --trace "
                 "arguments) and exit");
    app.add_flag("--pmcg", pmcg,
                 "Count the PMCG events (chapter 10) on group 0 of every SMMU and report them "
                 "(the scenario's \"pmcg\": true)");
    app.add_flag("--no-smmu", no_smmu,
                 "Replay without the SMMU in the path (the scenario's \"no_smmu\": true): the "
                 "host programs the SMMUs as usual, but trace-replay masters issue the output "
                 "addresses the scenario's mappings give straight to the interconnect (a "
                 "baseline for the replay speed; docs/vp.md)");
    app.add_flag("--check-protocol", check_protocol,
                 "Put a TLM-2.0 base-protocol checker on every binding between two components "
                 "(the scenario's \"protocol_checkers\": true); a violation fails the run");
    app.add_flag("-q,--quiet", quiet, "No report on stdout (exit code and --json only)");
    std::vector<std::string> save_at;
    std::string restore;
    app.add_option("--save-at", save_at,
                   "TIME FILE: write a checkpoint to FILE at simulated time TIME (e.g. 20us, "
                   "1500ns, 0.1ms; a bare number is ns), at the first point from then on where "
                   "no transaction or command is in flight (docs/vp.md, \"Checkpoints\")")
        ->expected(2)
        ->allow_extra_args(false);
    app.add_option("--restore", restore,
                   "Continue from a checkpoint --save-at wrote, with the same scenario and "
                   "--set values");
    std::vector<std::string> sets;
    app.add_option("--set", sets,
                   "Override a scenario value: PATH=VALUE, PATH a JSON pointer "
                   "(/smmus/0/params/tlb_entries=256); repeatable")
        ->allow_extra_args(false); // one value per --set: a scenario file may follow
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
    if (list_samples) {
        if (samples.empty()) {
            std::cerr << "smmu_vp: no samples directory (installed: share/smmuv3/samples next to "
                         "the bin directory)\n";
            return 2;
        }
        std::cout << samples << "\n";
        for (const std::string &n : smmu_tool::list_samples())
            std::cout << "  " << n << "\n";
        return 0;
    }
    // A scenario or trace argument that is not a file: a sample of that name.
    for (auto [arg, ext] : {std::pair{&file, ".json"}, std::pair{&trace, ".trace"}}) {
        if (arg->empty()) continue;
        std::string found = smmu_tool::find_input(*arg, ext);
        if (found.empty()) {
            std::cerr << smmu_tool::missing_input("smmu_vp", *arg) << "\n";
            return 2;
        }
        *arg = found;
    }
    smmu_vp::scenario sc;
    smmu_model::replay_trace rt; // loaded once, when the scenario comes from its header
    bool rt_loaded = false;
    try {
        if (file.empty() && !trace.empty()) { // the scenario the trace names
            std::string err;
            if (!smmu_model::load_replay_trace(trace, rt, err)) throw smmu_vp::scenario_error(err);
            if (rt.scenario.empty())
                throw smmu_vp::scenario_error(
                    trace + ": no \"scenario\" header line; give the scenario file as argument");
            file = rt.scenario;
            rt_loaded = true;
        }
        sc = smmu_vp::load_scenario_with_overrides(file, sets);
        if (!trace.empty())
            smmu_vp::add_trace_master(sc, trace, "trace", protocol == "at", timing == "original",
                                      max_outstanding, 0, rt_loaded ? &rt : nullptr);
        if (check_protocol) sc.protocol_checkers = true;
        if (pmcg) sc.pmcg = true;
        if (no_smmu) sc.no_smmu = true;
        if (sc.no_smmu)
            for (const smmu_vp::smmu_cfg &c : sc.smmus)
                for (const smmu_vp::master_cfg &m : c.masters)
                    if (!m.is_replay())
                        throw smmu_vp::scenario_error(
                            "--no-smmu covers trace-replay masters only; " + m.name +
                            " is a traffic master");
    } catch (const smmu_vp::scenario_error &e) {
        std::cerr << "smmu_vp: " << e.what() << "\n";
        return 2;
    }
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    // SystemC info messages ("stopped by user", VCD timescale) would clutter the report
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    // Protocol violations are counted by the checkers and listed in the report (which then
    // fails) rather than thrown out of the simulation.
    sc_core::sc_report_handler::set_actions(smmu_model::protocol_checker_base::msg_type,
                                            sc_core::SC_LOG);
    // So are the driver sanitizer's reports (params.dsan): listed in the report's section of
    // each SMMU; with dsan.fatal the run fails (exit code 1).
    sc_core::sc_report_handler::set_actions(smmu_tlm::smmu_base::dsan_msg_type, sc_core::SC_LOG);
    sc_core::sc_time save_time;
    if (!save_at.empty() && !parse_time(save_at[0], save_time)) {
        std::cerr << "smmu_vp: --save-at: \"" << save_at[0]
                  << "\" is not a time (a number with ps, ns, us, ms or s)\n";
        return 2;
    }
    smmu_vp::platform p(sc);
    try {
        if (!save_at.empty()) p.save_at(save_time, save_at[1]);
        if (!restore.empty()) p.restore(restore);
    } catch (const smmu_vp::scenario_error &e) {
        std::cerr << "smmu_vp: " << e.what() << "\n";
        return 2;
    }
    if (!vcd.empty()) p.trace_vcd(vcd);
    if (!record.empty()) { // the scenario as seen from the record file's directory
        std::string ref;
        if (!file.empty()) {
            namespace fs = std::filesystem;
            std::error_code ec;
            fs::path dir = fs::absolute(fs::path(record), ec).parent_path();
            fs::path rel = fs::absolute(fs::path(file), ec)
                               .lexically_normal()
                               .lexically_relative(dir.lexically_normal());
            ref = ec || rel.empty() ? file : rel.string();
        }
        p.record(record, ref);
    }
    if (!timeline.empty()) p.timeline(timeline);
    if (!log.empty()) p.log(log);
    smmu_vp::report r = p.run();
    if (!p.outputs_ok()) {
        std::cerr << "smmu_vp: cannot write the --record / --timeline / --log output\n";
        return 2;
    }
    if (!save_at.empty() && !p.checkpoint_saved()) {
        std::cerr << "smmu_vp: --save-at: no checkpoint written"
                  << (p.checkpoint_problem().empty() ? "" : ": " + p.checkpoint_problem()) << "\n";
        return 2;
    }
    if (!quiet) smmu_vp::print_report(std::cout, r);
    if (!quiet && p.checkpoint_saved())
        std::cout << "Checkpoint written to " << save_at[1] << " at "
                  << (uint64_t)(p.checkpoint_time() / sc_core::sc_time(1, sc_core::SC_NS))
                  << " ns\n";
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
