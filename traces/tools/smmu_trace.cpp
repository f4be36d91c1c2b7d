// SPDX-License-Identifier: Apache-2.0 OR MIT
// smmu_trace: checks, summarises and compares smmu traces (traces/FORMAT.md) and imports QEMU
// smmuv3 trace-event logs. Exit code 0 on success, 1 when a check or comparison fails, 2 on
// unusable input or command line.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "qemu_import.h"
#include "smmu_tool_info.h"

namespace {

using namespace smmu_trace_tool;

struct trace_ptr {
    smmu_trace_t *t = nullptr;
    ~trace_ptr() {
        smmu_trace_free(t);
    }
};

// path: a trace file, or the name of a sample trace (smmu_trace --list-samples).
bool load(const std::string &path, trace_ptr &tp) {
    smmu_trace_error_t err;
    std::string found = smmu_tool::find_input(path, ".trace");
    if (smmu_trace_load(found.empty() ? path.c_str() : found.c_str(), &tp.t, &err)) {
        std::cerr << err.msg << "\n";
        return false;
    }
    return true;
}

std::string stream_key(const smmu_trace_txn_t &x) {
    char b[64];
    if (x.ssv)
        snprintf(b, sizeof b, "0x%x/%u", x.sid, x.ssid);
    else
        snprintf(b, sizeof b, "0x%x/-", x.sid);
    return b;
}

nlohmann::json stats_json(const smmu_trace_t *t) {
    using nlohmann::json;
    size_t n = smmu_trace_count(t);
    uint64_t bytes = 0, reads = 0, writes = 0, first = 0, last = 0;
    std::map<std::string, uint64_t> streams;
    std::set<std::tuple<uint32_t, int64_t, uint64_t>> p4k, p64k; // (sid, ssid or -1, page)
    std::map<std::string, uint64_t> status, events;
    uint64_t lookups[8] = {}, hits[8] = {}, with_result = 0;
    std::vector<uint64_t> lat;
    for (size_t i = 0; i < n; i++) {
        const smmu_trace_txn_t &x = *smmu_trace_get(t, i);
        if (i == 0) first = x.time_ns;
        last = x.time_ns;
        bytes += x.size;
        (x.write ? writes : reads)++;
        streams[stream_key(x)]++;
        const int64_t ss = x.ssv ? int64_t(x.ssid) : -1;
        const uint64_t last_byte = x.addr + (x.size - 1) < x.addr ? ~0ull : x.addr + (x.size - 1);
        for (uint64_t a = x.addr >> 12; a <= last_byte >> 12 && a - (x.addr >> 12) < 4096; a++)
            p4k.insert({x.sid, ss, a});
        for (uint64_t a = x.addr >> 16; a <= last_byte >> 16 && a - (x.addr >> 16) < 4096; a++)
            p64k.insert({x.sid, ss, a});
        if (x.has & SMMU_TRACE_HAS_STATUS) {
            with_result++;
            status[smmu_trace_status_name(x.status)]++;
        }
        if (x.has & SMMU_TRACE_HAS_EVENT) events[std::to_string(x.event)]++;
        if (x.has & SMMU_TRACE_HAS_LAT) lat.push_back(x.lat_ns);
        for (unsigned c = 0; c < 8; c++) {
            uint32_t bit = 1u << c;
            if ((x.hit | x.miss) & bit) lookups[c]++;
            if (x.hit & bit) hits[c]++;
        }
    }
    json j;
    j["name"] = smmu_trace_name(t);
    j["scenario"] = smmu_trace_scenario(t);
    j["transactions"] = n;
    j["reads"] = reads;
    j["writes"] = writes;
    j["bytes"] = bytes;
    j["duration_ns"] = n ? last - first : 0;
    j["streams"] = streams;
    j["pages_4k"] = p4k.size();
    j["pages_64k"] = p64k.size();
    if (with_result) {
        j["status"] = status;
        json caches = json::object();
        for (unsigned c = 0; smmu_trace_cache_name(c); c++)
            if (lookups[c])
                caches[smmu_trace_cache_name(c)] = {
                    {"lookups", lookups[c]},
                    {"hits", hits[c]},
                    {"hit_rate", double(hits[c]) / double(lookups[c])}};
        j["caches"] = caches;
        if (!lat.empty()) {
            std::sort(lat.begin(), lat.end());
            uint64_t sum = 0;
            for (uint64_t l : lat)
                sum += l;
            auto rank = [&](double q) {
                size_t i = size_t(q * lat.size() + 0.999999);
                return lat[std::min(lat.size() - 1, i ? i - 1 : 0)];
            };
            j["latency_ns"] = {{"min", lat.front()},
                               {"median", rank(0.5)},
                               {"p99", rank(0.99)},
                               {"max", lat.back()},
                               {"mean", double(sum) / double(lat.size())}};
        }
    }
    return j;
}

void print_stats(const std::string &path, const nlohmann::json &j) {
    std::cout << path << ": " << j["transactions"] << " transactions (" << j["reads"] << " reads, "
              << j["writes"] << " writes), " << j["bytes"] << " bytes over " << j["duration_ns"]
              << " ns\n";
    if (!j["name"].get<std::string>().empty()) std::cout << "  name " << j["name"] << "\n";
    if (!j["scenario"].get<std::string>().empty())
        std::cout << "  scenario " << j["scenario"] << "\n";
    std::cout << "  footprint: " << j["pages_4k"] << " 4 KiB pages, " << j["pages_64k"]
              << " 64 KiB pages\n  streams (sid/ssid: transactions):";
    for (auto it = j["streams"].begin(); it != j["streams"].end(); ++it)
        std::cout << " " << it.key() << ": " << it.value();
    std::cout << "\n";
    if (j.contains("status")) {
        std::cout << "  results:";
        for (auto it = j["status"].begin(); it != j["status"].end(); ++it)
            std::cout << " " << it.key() << " " << it.value();
        if (!j["caches"].empty()) std::cout << "\n  cache hit rates:";
        for (auto it = j["caches"].begin(); it != j["caches"].end(); ++it) {
            char b[96];
            snprintf(b, sizeof b, " %s %.1f%%", it.key().c_str(),
                     100.0 * it.value()["hit_rate"].get<double>());
            std::cout << b;
        }
        std::cout << "\n";
        if (j.contains("latency_ns"))
            std::cout << "  translation latency (ns): min " << j["latency_ns"]["min"] << " median "
                      << j["latency_ns"]["median"] << " p99 " << j["latency_ns"]["p99"] << " max "
                      << j["latency_ns"]["max"] << "\n";
    }
}

// The pairs of transactions to compare: by position (in_order), or the k-th transaction of each
// stream (StreamID, SubstreamID) of a with the k-th of the same stream of b, so that traces of
// concurrent devices compare equal whatever the interleaving of their streams.
std::vector<std::pair<size_t, size_t>> pairs(const smmu_trace_t *a, const smmu_trace_t *b,
                                             bool in_order, std::vector<std::string> &unmatched) {
    std::vector<std::pair<size_t, size_t>> out;
    if (in_order) {
        size_t n = std::min(smmu_trace_count(a), smmu_trace_count(b));
        for (size_t i = 0; i < n; i++)
            out.push_back({i, i});
        return out;
    }
    std::map<std::string, std::vector<size_t>> sa, sb;
    for (size_t i = 0; i < smmu_trace_count(a); i++)
        sa[stream_key(*smmu_trace_get(a, i))].push_back(i);
    for (size_t i = 0; i < smmu_trace_count(b); i++)
        sb[stream_key(*smmu_trace_get(b, i))].push_back(i);
    for (const auto &s : sa) {
        const std::vector<size_t> &vb = sb[s.first];
        for (size_t k = 0; k < std::min(s.second.size(), vb.size()); k++)
            out.push_back({s.second[k], vb[k]});
        if (s.second.size() != vb.size())
            unmatched.push_back("stream " + s.first + ": " + std::to_string(s.second.size()) +
                                " vs " + std::to_string(vb.size()) + " transactions");
    }
    for (const auto &s : sb)
        if (!sa.count(s.first))
            unmatched.push_back("stream " + s.first + ": 0 vs " + std::to_string(s.second.size()) +
                                " transactions");
    std::sort(out.begin(), out.end());
    return out;
}

// Compares the stimulus columns and the outcome (status, pa, event) of two traces.
int compare(const smmu_trace_t *a, const smmu_trace_t *b, const std::string &na,
            const std::string &nb, bool with_time, bool in_order, unsigned max_report) {
    std::vector<std::string> unmatched;
    const auto pr = pairs(a, b, in_order || with_time, unmatched);
    unsigned diffs = 0;
    auto report = [&](size_t i, size_t j, const std::string &what) {
        if (diffs++ < max_report)
            std::cout << na << ":" << smmu_trace_get(a, i)->line << " vs " << nb << ":"
                      << smmu_trace_get(b, j)->line << ": " << what << "\n";
    };
    for (const auto &p : pr) {
        const size_t i = p.first, j = p.second;
        const smmu_trace_txn_t &x = *smmu_trace_get(a, i), &y = *smmu_trace_get(b, j);
        char l1[512], l2[512];
        if (x.sid != y.sid || x.ssv != y.ssv || (x.ssv && x.ssid != y.ssid) || x.addr != y.addr ||
            x.size != y.size || x.write != y.write || x.flags != y.flags ||
            (with_time && x.time_ns != y.time_ns)) {
            smmu_trace_txn_t xs = x, ys = y;
            xs.has = ys.has = 0;
            smmu_trace_format_txn(l1, sizeof l1, &xs);
            smmu_trace_format_txn(l2, sizeof l2, &ys);
            report(i, j, std::string("different transactions: ") + l1 + " | " + l2);
            continue;
        }
        uint32_t both = x.has & y.has;
        std::string what;
        if ((both & SMMU_TRACE_HAS_STATUS) && x.status != y.status)
            what += std::string(" status ") + smmu_trace_status_name(x.status) + " vs " +
                    smmu_trace_status_name(y.status);
        if ((both & SMMU_TRACE_HAS_PA) && x.pa != y.pa) {
            char b[80];
            snprintf(b, sizeof b, " pa 0x%" PRIx64 " vs 0x%" PRIx64, x.pa, y.pa);
            what += b;
        }
        if ((both & SMMU_TRACE_HAS_EVENT) && x.event != y.event)
            what += " event " + std::to_string(x.event) + " vs " + std::to_string(y.event);
        if (!what.empty()) report(i, j, "different outcome:" + what);
    }
    for (const std::string &u : unmatched) {
        std::cout << u << "\n";
        diffs++;
    }
    if (smmu_trace_count(a) != smmu_trace_count(b)) {
        std::cout << na << " has " << smmu_trace_count(a) << " transactions, " << nb << " has "
                  << smmu_trace_count(b) << "\n";
        diffs++;
    }
    if (diffs) {
        std::cout << diffs << " difference(s)\n";
        return 1;
    }
    std::cout << "identical: " << pr.size() << " transactions\n";
    return 0;
}

} // namespace

int main(int argc, char **argv) {
    CLI::App app{std::string("smmu_trace ") + smmu_tool::version() +
                     ": checks, summarises and compares the transaction traces of the Arm "
                     "SMMUv3 model (smmu_vp --trace replays them, --record writes them) and "
                     "imports QEMU smmuv3 trace-event logs.\n"
                     "Exit code: 0 success, 1 a check or comparison failed, 2 unusable input or "
                     "command line.",
                 "smmu_trace"};
    const std::string samples = smmu_tool::samples_dir().string();
    app.footer("Examples:\n"
               "  smmu_trace check a.trace b.trace\n"
               "  smmu_trace stats nic_rx.trace --json\n"
               "  smmu_trace compare rec1.trace rec2.trace\n"
               "  smmu_trace import-qemu qemu.log.gz -o q.trace\n\n"
               "Samples: a trace argument that is not an existing file is looked up in\n  " +
               (samples.empty() ? std::string("the installed samples (none found)") : samples) +
               " (--list-samples).\n\n" +
               smmu_tool::docs_footer({{"traces/README.md", "the tool, the library, the samples"},
                                       {"traces/FORMAT.md", "the trace format, QEMU import"},
                                       {"docs/vp.md", "replaying and recording with smmu_vp"}}));
    app.set_version_flag("--version", std::string("smmu_trace ") + smmu_tool::version(),
                         "Print the version and exit");
    bool list_samples = false;
    app.add_flag("--list-samples", list_samples, "List the sample traces and scenarios and exit");
    app.require_subcommand(0, 1);

    std::vector<std::string> check_files;
    auto *check = app.add_subcommand("check", "Parse traces; report the first error of each");
    check->add_option("files", check_files, "Trace files")->required();

    std::string stats_file;
    bool stats_as_json = false;
    auto *stats = app.add_subcommand(
        "stats", "Summary: transactions, streams, footprint; hit rates and latency of results");
    stats->add_option("file", stats_file, "Trace file")->required();
    stats->add_flag("--json", stats_as_json, "Print JSON instead of text");

    std::string cmp_a, cmp_b;
    bool cmp_time = false, cmp_order = false;
    unsigned cmp_max = 20;
    auto *cmp = app.add_subcommand(
        "compare", "Compare two traces transaction by transaction (the k-th transaction of each "
                   "stream with the k-th of the same stream): the stimulus columns and, where both "
                   "have them, status, pa and event. Exit 1 on any difference");
    cmp->add_option("a", cmp_a, "First trace")->required();
    cmp->add_option("b", cmp_b, "Second trace")->required();
    cmp->add_flag("--time", cmp_time, "Also compare the time column (implies --in-order)");
    cmp->add_flag("--in-order", cmp_order, "Pair transactions by position in the file");
    cmp->add_option("--max", cmp_max, "Differences to print (default 20)");

    std::string qin, qout = "-", qscenario, qname;
    qemu_import_options qo;
    auto *imp = app.add_subcommand(
        "import-qemu", "Convert a QEMU smmuv3 trace-event log (plain or gzip) into an smmu trace");
    imp->add_option("log", qin, "QEMU log (-trace 'smmuv3_*' output), .gz or plain")->required();
    imp->add_option("-o,--output", qout, "Output trace file (default: stdout)");
    imp->add_option("--size", qo.size, "Bytes per transaction (QEMU logs none; default 4)")
        ->check(CLI::Range(1u, 0xFFFFFFFFu));
    imp->add_option("--interval-ns", qo.interval_ns,
                    "Time between transactions when the log has no timestamps (default 100)");
    imp->add_option("--scenario", qscenario, "Scenario path for the header");
    imp->add_option("--name", qname, "Trace name for the header (default: the log's file name)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        int rc = app.exit(e);
        return rc ? 2 : 0;
    }

    if (list_samples) {
        if (samples.empty()) {
            std::cerr << "smmu_trace: no samples directory\n";
            return 2;
        }
        std::cout << samples << "\n";
        for (const std::string &n : smmu_tool::list_samples())
            std::cout << "  " << n << "\n";
        return 0;
    }
    if (app.get_subcommands().empty()) {
        std::cerr << "smmu_trace: a command is required (check, stats, compare, import-qemu); "
                     "see smmu_trace --help\n";
        return 2;
    }
    if (*check) {
        int rc = 0;
        for (const std::string &f : check_files) {
            trace_ptr tp;
            if (!load(f, tp)) {
                rc = 1;
                continue;
            }
            std::cout << f << ": OK, " << smmu_trace_count(tp.t) << " transactions\n";
        }
        return rc;
    }
    if (*stats) {
        trace_ptr tp;
        if (!load(stats_file, tp)) return 2;
        nlohmann::json j = stats_json(tp.t);
        if (stats_as_json)
            std::cout << j.dump(2) << "\n";
        else
            print_stats(stats_file, j);
        return 0;
    }
    if (*cmp) {
        trace_ptr a, b;
        if (!load(cmp_a, a) || !load(cmp_b, b)) return 2;
        return compare(a.t, b.t, cmp_a, cmp_b, cmp_time, cmp_order, cmp_max);
    }
    if (*imp) {
        std::string text, err;
        if (!read_maybe_gz(qin, text, err)) {
            std::cerr << "smmu_trace: " << err << "\n";
            return 2;
        }
        qemu_import_result r;
        if (!qemu_import(text, qin, qo, r, err)) {
            std::cerr << "smmu_trace: " << err << "\n";
            return 2;
        }
        if (qname.empty()) {
            qname = qin.substr(
                qin.find_last_of('/') == std::string::npos ? 0 : qin.find_last_of('/') + 1);
        }
        FILE *f = qout == "-" ? stdout : fopen(qout.c_str(), "w");
        if (!f) {
            std::cerr << "smmu_trace: cannot write " << qout << "\n";
            return 2;
        }
        bool ok = smmu_trace_write_header(f, qname.c_str(), qscenario.c_str()) == 0;
        fprintf(f, "# imported from QEMU smmuv3 trace events (%s), %s\n",
                r.timestamps ? "timestamps" : "no timestamps: one transaction per interval",
                "size and SubstreamID not in the log");
        for (const smmu_trace_txn_t &x : r.txns)
            ok = ok && smmu_trace_write_txn(f, &x) == 0;
        if (f != stdout) ok = fclose(f) == 0 && ok;
        if (!ok) {
            std::cerr << "smmu_trace: error writing " << qout << "\n";
            return 2;
        }
        std::cerr << "smmu_trace: " << r.lines << " lines, " << r.txns.size()
                  << " transactions imported (";
        bool first = true;
        for (const auto &u : r.used)
            std::cerr << (first ? "" : ", ") << u.first << " " << u.second, first = false;
        uint64_t skipped = 0;
        for (const auto &s : r.skipped)
            skipped += s.second;
        std::cerr << "), " << skipped << " other events skipped\n";
        return 0;
    }
    return 2;
}
