// SPDX-License-Identifier: Apache-2.0 OR MIT
// The report: text for people, JSON for scripts (docs/vp.md describes both).
#include <cstdarg>
#include <cstdio>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "platform.h"

namespace smmu_vp {

namespace {

std::string fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char *f, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return buf;
}

double ns(const sc_core::sc_time &t) {
    return t / sc_core::sc_time(1, sc_core::SC_NS);
}

std::string lat(const latency_summary &s) {
    if (!s.samples) return "-";
    return fmt("%.0f / %.0f / %.0f / %.0f", ns(s.min), ns(s.median), ns(s.p99), ns(s.max));
}

nlohmann::json lat_json(const latency_summary &s) {
    return {{"samples", s.samples}, {"min_ns", ns(s.min)}, {"median_ns", ns(s.median)},
            {"p99_ns", ns(s.p99)},  {"max_ns", ns(s.max)}, {"mean_ns", ns(s.mean)}};
}

// The architected PMCG events (10.3) by the names Linux's perf gives them.
std::string pmcg_event_name(unsigned ev) {
    static const char *const names[] = {"cycles",
                                        "transaction",
                                        "tlb_miss",
                                        "config_cache_miss",
                                        "trans_table_walk_access",
                                        "config_struct_access",
                                        "pcie_ats_trans_rq",
                                        "pcie_ats_trans_passed"};
    return ev < 8 ? names[ev] : "event_" + std::to_string(ev);
}

std::map<std::string, uint64_t> by_event(const uint64_t (&v)[0x26]) {
    std::map<std::string, uint64_t> m;
    // Event 0: terminated without an event record (STE.Config abort, GBPA.ABORT).
    for (uint32_t e = 0; e < 0x26; e++)
        if (v[e]) m[e ? smmu_event_name(e) : "NO_EVENT"] = v[e];
    return m;
}

} // namespace

void print_report(std::ostream &os, const report &r) {
    os << "smmu_vp: scenario \"" << r.scenario << "\" (" << r.source << ")\n";
    os << fmt("simulated %.3f us (traffic %.3f us), wall-clock %.3f s\n\n", r.sim_seconds * 1e6,
              r.traffic_seconds * 1e6, r.wall_seconds);
    if (r.no_smmu)
        os << "No SMMU in the path (--no-smmu): replay masters issue the output addresses "
              "straight to the interconnect\n\n";
    os << "Streams (latency and translation latency in ns: min / median / p99 / max)\n";
    os << fmt("  %-10s %-10s %-5s %-5s %-5s %-5s %6s %8s %6s %6s  %-24s %s\n", "master", "flow",
              "smmu", "sid", "ssid", "proto", "txns", "bytes", "ok", "errors", "latency",
              "translation");
    for (const flow_report &f : r.flows)
        os << fmt("  %-10s %-10s %-5u %-5u %-5s %-5s %6llu %8llu %6llu %6llu  %-24s %s\n",
                  f.master.c_str(), f.flow.c_str(), f.smmu, f.sid,
                  f.ssv ? std::to_string(f.ssid).c_str() : "-", f.at ? "AT" : "LT",
                  (unsigned long long)f.transactions, (unsigned long long)f.bytes,
                  (unsigned long long)f.ok, (unsigned long long)f.errors, lat(f.latency).c_str(),
                  lat(f.translation).c_str());
    for (const smmu_report &s : r.smmus) {
        os << "\nSMMU " << s.name << "\n";
        os << fmt("  translations %llu, ok %llu, faults %llu, stalls %llu, events written %llu, "
                  "lost %llu, commands %llu\n",
                  (unsigned long long)s.core.translations, (unsigned long long)s.core.ok,
                  (unsigned long long)s.core.faults, (unsigned long long)s.core.stalls,
                  (unsigned long long)s.core.events_written, (unsigned long long)s.core.events_lost,
                  (unsigned long long)s.core.commands);
        os << "  faults by event:";
        auto ev = by_event(s.core.by_event);
        if (ev.empty()) os << " none";
        for (const auto &e : ev)
            os << " " << e.first << " " << e.second;
        os << "\n  cache hit rates:";
        for (const cache_report &c : s.caches)
            os << fmt(" %s %.1f%% (%llu/%llu)", c.name.c_str(), 100.0 * c.hit_rate(),
                      (unsigned long long)c.stats.hits, (unsigned long long)c.stats.lookups);
        os << "\n";
        os << fmt("  translation latency (ns): %s over %llu translated requests\n",
                  lat(s.translation).c_str(), (unsigned long long)s.translation.samples);
        os << fmt("  host: %llu event records read, %llu stalls resumed, %llu terminated\n",
                  (unsigned long long)s.events_read, (unsigned long long)s.stalls_resumed,
                  (unsigned long long)s.stalls_terminated);
        if (!s.tlm.utlb.empty()) {
            smmu_tlm::utlb_stats t;
            for (const smmu_tlm::utlb_stats &u : s.tlm.utlb) {
                t.hits += u.hits, t.misses += u.misses, t.fills += u.fills;
                t.evictions += u.evictions, t.invalidations += u.invalidations;
            }
            const uint64_t n = t.hits + t.misses;
            if (n) /* 0: no micro-TLB (timing.utlb_entries 0) */
                os << fmt("  micro-TLBs (%zu ports): hit rate %.1f%% (%llu/%llu), fills %llu, "
                          "evictions %llu, invalidations %llu\n",
                          s.tlm.utlb.size(), n ? 100.0 * (double)t.hits / (double)n : 0.0,
                          (unsigned long long)t.hits, (unsigned long long)n,
                          (unsigned long long)t.fills, (unsigned long long)t.evictions,
                          (unsigned long long)t.invalidations);
        }
        if (s.dsan_on) { // the driver sanitizer's section (params.dsan)
            os << fmt("  driver sanitizer: %llu reports (%s)\n", (unsigned long long)s.dsan.reports,
                      s.dsan_checks.c_str());
            for (unsigned i = 0; i < SMMU_DSAN_RULE_COUNT; i++)
                if (s.dsan.by_rule[i])
                    os << fmt("    %-12s %llu\n", smmu_dsan_rule_name(i),
                              (unsigned long long)s.dsan.by_rule[i]);
            for (const std::string &l : s.dsan_lines)
                os << "    DSAN: " << l << "\n";
            if (s.dsan.reports > s.dsan_lines.size())
                os << fmt("    (%llu more not listed)\n",
                          (unsigned long long)(s.dsan.reports - s.dsan_lines.size()));
        }
        if (!s.pmcg.empty()) {
            os << "  PMCG group 0 (events of 10.3, all StreamIDs):";
            for (const auto &e : s.pmcg)
                os << " " << pmcg_event_name(e.first) << " " << e.second;
            os << "\n";
        }
        os << "  per stream:\n";
        for (const stream_report &st : s.streams) {
            os << fmt("    sid %-4u %-7s translations %llu ok %llu faults %llu stalls %llu", st.sid,
                      st.attach.c_str(), (unsigned long long)st.core.translations,
                      (unsigned long long)st.core.ok, (unsigned long long)st.core.faults,
                      (unsigned long long)st.core.stalls);
            for (const auto &e : st.events)
                os << "  " << e.first << " x" << e.second;
            os << "\n";
        }
    }
    os << fmt("\nThroughput: %llu transactions, %llu bytes; simulated %.3f GB/s; wall-clock "
              "%.0f transactions/s\n",
              (unsigned long long)r.transactions, (unsigned long long)r.bytes,
              r.bytes_per_sim_second() / 1e9, r.txn_per_wall_second());
    os << fmt("Replay speed: %.0f transactions/s wall-clock over the traffic (host setup %.3f s "
              "before it)\n",
              r.txn_per_traffic_wall_second(), r.setup_wall_seconds);
    os << fmt("Memory checksum: 0x%016llx\n", (unsigned long long)r.memory_checksum);
    if (r.protocol_checkers)
        os << "Protocol checkers: " << r.protocol_checkers << " inserted, " << r.protocol_violations
           << " violations\n";
    for (const std::string &m : r.protocol_violation_messages)
        os << "PROTOCOL VIOLATION: " << m << "\n";
    for (const std::string &e : r.setup_errors)
        os << "SETUP ERROR: " << e << "\n";
    for (const std::string &e : r.failures)
        os << "EXPECTATION FAILED: " << e << "\n";
    os << (r.passed() ? "PASS: every expectation holds\n" : "FAIL\n");
}

std::string report_json(const report &r) {
    using nlohmann::json;
    json j;
    j["scenario"] = r.scenario;
    j["source"] = r.source;
    j["passed"] = r.passed();
    j["completed"] = r.completed;
    j["sim_seconds"] = r.sim_seconds;
    j["traffic_seconds"] = r.traffic_seconds;
    j["wall_seconds"] = r.wall_seconds;
    j["transactions"] = r.transactions;
    j["bytes"] = r.bytes;
    j["sim_bytes_per_second"] = r.bytes_per_sim_second();
    j["wall_transactions_per_second"] = r.txn_per_wall_second();
    j["setup_wall_seconds"] = r.setup_wall_seconds;
    j["traffic_wall_transactions_per_second"] = r.txn_per_traffic_wall_second();
    j["no_smmu"] = r.no_smmu;
    j["sim_transactions_per_second"] =
        r.traffic_seconds > 0 ? r.transactions / r.traffic_seconds : 0.0;
    j["setup_errors"] = r.setup_errors;
    j["failures"] = r.failures;
    j["memory_checksum"] = fmt("0x%016llx", (unsigned long long)r.memory_checksum);
    j["protocol_checkers"] = r.protocol_checkers;
    j["protocol_violations"] = r.protocol_violations;
    j["protocol_violation_messages"] = r.protocol_violation_messages;
    j["flows"] = json::array();
    for (const flow_report &f : r.flows) {
        json o = {{"master", f.master},
                  {"flow", f.flow},
                  {"smmu", f.smmu},
                  {"sid", f.sid},
                  {"protocol", f.at ? "at" : "lt"},
                  {"transactions", f.transactions},
                  {"bytes", f.bytes},
                  {"ok", f.ok},
                  {"errors", f.errors},
                  {"reads", f.reads},
                  {"writes", f.writes},
                  {"latency", lat_json(f.latency)},
                  {"translation_latency", lat_json(f.translation)}};
        o["ssid"] = f.ssv ? json(f.ssid) : json(nullptr);
        j["flows"].push_back(o);
    }
    j["smmus"] = json::array();
    for (const smmu_report &s : r.smmus) {
        json o;
        o["name"] = s.name;
        o["translations"] = s.core.translations;
        o["ok"] = s.core.ok;
        o["faults"] = s.core.faults;
        o["stalls"] = s.core.stalls;
        o["events_written"] = s.core.events_written;
        o["events_lost"] = s.core.events_lost;
        o["walk_reads"] = s.core.walk_reads;
        o["cfg_reads"] = s.core.cfg_reads;
        o["commands"] = s.core.commands;
        o["faults_by_event"] = by_event(s.core.by_event);
        for (const cache_report &c : s.caches)
            o["caches"][c.name] = {
                {"lookups", c.stats.lookups},     {"hits", c.stats.hits},
                {"misses", c.stats.misses},       {"fills", c.stats.fills},
                {"evictions", c.stats.evictions}, {"invalidations", c.stats.invalidations},
                {"hit_rate", c.hit_rate()}};
        o["translation_latency"] = lat_json(s.translation);
        o["events_read"] = s.events_read;
        if (!s.pmcg.empty())
            for (const auto &e : s.pmcg)
                o["pmcg"][pmcg_event_name(e.first)] = e.second;
        o["stalls_resumed"] = s.stalls_resumed;
        o["stalls_terminated"] = s.stalls_terminated;
        if (s.dsan_on) {
            json d = {{"checks", s.dsan_checks},
                      {"reports", s.dsan.reports},
                      {"tracked", s.dsan.tracked},
                      {"untracked", s.dsan.untracked},
                      {"lines", s.dsan_lines}};
            for (unsigned i = 0; i < SMMU_DSAN_RULE_COUNT; i++)
                d["by_rule"][smmu_dsan_rule_name(i)] = s.dsan.by_rule[i];
            o["dsan"] = d;
        }
        o["tlm"] = {{"transactions", s.tlm.transactions},
                    {"errors", s.tlm.errors},
                    {"razwi", s.tlm.razwi},
                    {"splits", s.tlm.splits},
                    {"stalls", s.tlm.stalls},
                    {"dmi_grants", s.tlm.dmi_grants},
                    {"dmi_revocations", s.tlm.dmi_revocations},
                    {"commands", s.tlm.commands},
                    {"xlate_wait_ns", ns(s.tlm.xlate_wait)},
                    {"walk_wait_ns", ns(s.tlm.walk_wait)},
                    {"xlate_time_ns", ns(s.tlm.xlate_time)}};
        o["tlm"]["utlb"] = json::array(); /* per upstream port */
        for (const smmu_tlm::utlb_stats &u : s.tlm.utlb)
            o["tlm"]["utlb"].push_back({{"hits", u.hits},
                                        {"misses", u.misses},
                                        {"fills", u.fills},
                                        {"evictions", u.evictions},
                                        {"invalidations", u.invalidations}});
        o["streams"] = json::array();
        for (const stream_report &st : s.streams)
            o["streams"].push_back({{"sid", st.sid},
                                    {"attach", st.attach},
                                    {"translations", st.core.translations},
                                    {"ok", st.core.ok},
                                    {"faults", st.core.faults},
                                    {"stalls", st.core.stalls},
                                    {"faults_by_event", by_event(st.core.by_event)},
                                    {"event_records", st.events}});
        j["smmus"].push_back(o);
    }
    return j.dump(2) + "\n";
}

} // namespace smmu_vp
