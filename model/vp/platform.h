// SPDX-License-Identifier: Apache-2.0 OR MIT
// The virtual platform: builds what a scenario describes and runs it.
//
//   host ──────────┐                      ┌── memory
//   smmuN.table ───┤                      │
//   smmuN.downstream ── probe ── router ──┼── smmu0.regs
//                                         └── smmu1.regs ...
//   masters ── smmuN.upstream[i]
//
// With the scenario's protocol_checkers on, every one of these bindings goes through a TLM-2.0
// base-protocol checker (smmu_model::protocol_checker) named after it, e.g. chk_dma_to_smmu0.
//
// The host programs every SMMU through the router with c_core/drv (register frame and in-memory
// tables), enables the event-queue interrupt, lets the masters go, then services the event
// queues: a stalled transaction is resumed after the host has mapped the page the scenario
// says to map on a fault (map_on_fault), or terminated when there is none.
#ifndef SMMU_VP_PLATFORM_H
#define SMMU_VP_PLATFORM_H

#include <chrono>
#include <cstdint>
#include <map>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include <smmu_model/host.h>
#include <smmu_model/memory.h>
#include <smmu_model/probe.h>
#include <smmu_model/protocol_checker.h>
#include <smmu_model/replay.h>
#include <smmu_model/router.h>
#include <smmu_model/traffic.h>
#include <smmu_tlm/smmu_tlm.h>

#include "scenario.h"

namespace smmu_vp {

struct latency_summary {
    uint64_t samples = 0;
    sc_core::sc_time min, median, p99, max, mean;
};
latency_summary summarize(std::vector<sc_core::sc_time> v);

struct flow_report {
    std::string master, flow;
    unsigned smmu = 0;
    uint32_t sid = 0, ssid = 0;
    bool ssv = false, at = false;
    uint64_t transactions = 0, bytes = 0, ok = 0, errors = 0, reads = 0, writes = 0;
    latency_summary latency;     // issue to response
    latency_summary translation; // issue to the translated request leaving the SMMU
    int64_t expect_ok = -1, expect_errors = -1;
};

struct cache_report {
    std::string name;
    smmu_cache_stats_t stats{};
    double hit_rate() const {
        return stats.lookups ? double(stats.hits) / stats.lookups : 0.0;
    }
};

struct stream_report {
    uint32_t sid = 0;
    std::string attach;
    smmu_stream_stats_t core{};             // the core's per-stream statistics
    std::map<std::string, uint64_t> events; // event records the host read, by type
};

struct smmu_report {
    std::string name;
    smmu_stats_t core{};
    std::vector<cache_report> caches;
    std::vector<stream_report> streams;
    smmu_tlm::tlm_stats tlm;
    latency_summary translation;
    uint64_t events_read = 0, stalls_resumed = 0, stalls_terminated = 0;
    std::map<std::string, int64_t> expect_faults;
    int64_t expect_stalls_resumed = -1;
    // PMCG group 0's counters read by the host at the end (scenario.pmcg): (event, count)
    std::vector<std::pair<unsigned, uint64_t>> pmcg;
    // The driver sanitizer (params.dsan): on, its checks line, counts, the first report lines
    bool dsan_on = false;
    std::string dsan_checks;
    smmu_dsan_stats_t dsan{};
    std::vector<std::string> dsan_lines;
};

struct report {
    std::string scenario, source;
    double sim_seconds = 0;        // simulated time at the end
    double traffic_seconds = 0;    // simulated time from the first issue to the last response
    double wall_seconds = 0;       // host time spent in simulation
    double setup_wall_seconds = 0; // of which before the masters were let go (host setup)
    bool no_smmu = false;          // the scenario's no_smmu: replay masters bypassed the SMMUs
    uint64_t transactions = 0, bytes = 0;
    std::vector<flow_report> flows;
    std::vector<smmu_report> smmus;
    std::vector<std::string> setup_errors; // host programming that failed
    std::vector<std::string> failures;     // expectations that did not hold
    bool completed = false;                // every master finished within the duration
    // Protocol checkers inserted (0: none), the violations they reported, and per checker and
    // rule the first message (rule id first, e.g. "11.1.2 ...") with how many times it happened
    // there (at most max_violation_messages lines).
    unsigned protocol_checkers = 0;
    uint64_t protocol_violations = 0;
    // FNV-1a over the memory's non-zero pages (page number and contents) at the end: equal
    // final memory contents give equal checksums (a restored run is compared by it)
    uint64_t memory_checksum = 0;
    std::vector<std::string> protocol_violation_messages;
    static constexpr size_t max_violation_messages = 20;
    bool passed() const {
        return completed && setup_errors.empty() && failures.empty() && protocol_violations == 0;
    }
    double txn_per_wall_second() const {
        return wall_seconds > 0 ? transactions / wall_seconds : 0;
    }
    // Over the traffic only (wall-clock time after the host's setup): the replay speed.
    double txn_per_traffic_wall_second() const {
        return wall_seconds > setup_wall_seconds
                   ? transactions / (wall_seconds - setup_wall_seconds)
                   : 0;
    }
    double bytes_per_sim_second() const {
        return traffic_seconds > 0 ? bytes / traffic_seconds : 0;
    }
};

// With scenario.no_smmu, where a replay master sends a transaction whose input address does
// not translate: the top 4 KiB page, which the interconnect answers with an address error
// unless the memory covers it.
constexpr uint64_t no_smmu_unmapped = ~uint64_t(0xfff);

struct checkpoint; // checkpoint.h

class platform {
  public:
    explicit platform(const scenario &sc); // elaborates (once per process: SystemC's rule)
    ~platform();
    platform(const platform &) = delete;
    platform &operator=(const platform &) = delete;

    // A VCD of every SMMU's interrupt lines; call before run(), which completes the file.
    void trace_vcd(const std::string &file);
    // Records every translation of every SMMU as a trace with result fields (traces/FORMAT.md);
    // scenario_ref goes into its header. Times are relative to the start of the traffic.
    void record(const std::string &file, const std::string &scenario_ref);
    // Writes the Chrome / Perfetto trace-event JSON timeline of every SMMU.
    void timeline(const std::string &file);
    // Writes the core trace points of every SMMU (<smmu/tracepoint.h>: register accesses,
    // commands, fetches, walk steps, cache fills / evictions / invalidations, translations,
    // event records, interrupts, MSIs, stalls, GERRORs) as text, one line per trace point:
    // simulated time in ns, the SMMU's name, smmu_tp_format()'s line.
    void log(const std::string &file);
    // Any other recorder (e.g. smmu_tlm::record_log in tests); it must outlive run().
    void add_recorder(smmu_tlm::recorder *r);
    // Both before run(), which completes the files; false when one could not be written.
    bool outputs_ok() const {
        return outputs_ok_;
    }
    report run();

    // Checkpoints (docs/vp.md, "Checkpoints"), both before run(). save_at: at the first point
    // at or after simulated time t, once the host has programmed the SMMUs, where no
    // transaction or command is in flight in any SMMU, the platform's state goes to file
    // (checkpoint.h). Throws scenario_error for a scenario with trace-replay masters (not
    // covered). restore: the run continues from the checkpoint in file, taken with the same
    // scenario; throws scenario_error when it cannot be read or belongs to another scenario.
    void save_at(const sc_core::sc_time &t, const std::string &file);
    void restore(const std::string &file);
    // After run(): the checkpoint was written (save_at); else checkpoint_problem() says why.
    bool checkpoint_saved() const {
        return ckpt_saved_;
    }
    const std::string &checkpoint_problem() const {
        return ckpt_problem_;
    }
    // The simulated time the checkpoint was written at.
    const sc_core::sc_time &checkpoint_time() const {
        return ckpt_time_;
    }

    // Every platform constructed afterwards gets protocol checkers, whatever its scenario says
    // (the VP test suites switch this on in their main()).
    static void always_check_protocol(bool on);
    // The protocol checkers of this platform, in binding order (none unless enabled).
    size_t checkers() const {
        return checkers_.size();
    }
    const smmu_model::protocol_checker<> &checker(size_t i) const {
        return *checkers_[i];
    }
    uint64_t protocol_violations() const; // reported by this platform's checkers

    // Access for tests.
    smmu_tlm::smmu &smmu(unsigned i) {
        return *smmus_[i];
    }
    smmu_model::memory &mem() {
        return *mem_;
    }
    smmu_model::router &bus() {
        return *bus_;
    }
    smmu_model::traffic_master &master(unsigned i) {
        return *masters_[i];
    }
    size_t masters() const {
        return masters_.size();
    }
    smmu_model::replay_master &replay(unsigned i) { // replay masters, in scenario order
        return *replays_[i];
    }
    size_t replays() const {
        return replays_.size();
    }

  private:
    // Binds an initiator socket to a target socket, through a checker named chk_<name> when
    // checkers are on.
    template <class Initiator, class Target>
    void connect(Initiator &init, Target &target, const std::string &name);

    struct smmu_state { // what the host keeps per SMMU
        smmu_drv_t *drv = nullptr;
        std::map<std::string, smmu_domain_t *> domains;
        std::map<std::pair<uint32_t, std::string>, uint64_t> events; // (sid, type) -> count
        uint64_t events_read = 0, resumed = 0, terminated = 0;
        std::vector<std::pair<std::string, mapping>>
            fault_maps;                  // (domain, mapping) mapped on stalls
        smmu_drv_pmcg_t *pmcg = nullptr; // group 0, with scenario.pmcg
        std::vector<std::pair<unsigned, uint64_t>> pmcg_counts; // (event, count) at the end
    };
    void pmcg_start(smmu_model::host &h, unsigned k);
    void pmcg_read(unsigned k);

    void program(smmu_model::host &h);
    void watch_table_writes(); // the memory notifies the SMMUs' driver sanitizers
    // checkpoints (platform.cpp): due now; written when quiescent; applied after the setup
    bool save_due() const;
    bool quiescent() const;
    void save_checkpoint();
    void apply_checkpoint();
    void setup(smmu_model::host &h, unsigned k);
    void service(unsigned k);
    bool all_masters_done() const;
    void fail_setup(const std::string &what);
    report collect(double wall) const;

    scenario sc_;
    bool check_protocol_ = false;
    std::vector<std::unique_ptr<smmu_model::protocol_checker<>>> checkers_;
    std::unique_ptr<smmu_model::router> bus_;
    std::unique_ptr<smmu_model::memory> mem_;
    std::unique_ptr<smmu_model::host> host_;
    std::vector<std::unique_ptr<smmu_tlm::smmu>> smmus_;
    std::vector<std::unique_ptr<smmu_model::probe>> probes_;
    std::vector<std::unique_ptr<smmu_model::traffic_master>> masters_;
    std::vector<std::unique_ptr<smmu_model::replay_master>> replays_;
    std::vector<unsigned> master_smmu_;
    std::unique_ptr<smmu_model::trace_recorder> recorder_;
    std::unique_ptr<smmu_tlm::timeline_writer> timeline_;
    std::unique_ptr<std::ofstream> log_;
    smmu_tlm::recorder_fanout fanout_;
    bool outputs_ok_ = true;
    std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> irqs_; // 4 per SMMU
    std::vector<smmu_state> state_;
    std::vector<std::string> setup_errors_;
    bool ready_ = false;
    std::chrono::steady_clock::time_point ready_wall_; // when the masters were let go
    sc_core::sc_time traffic_start_;
    sc_core::sc_event ready_ev_;
    sc_core::sc_trace_file *vcd_ = nullptr;
    // checkpoints
    bool ckpt_save_ = false, ckpt_saved_ = false;
    sc_core::sc_time ckpt_time_;
    std::string ckpt_file_, ckpt_problem_;
    std::unique_ptr<checkpoint> ckpt_in_; // restore()
};

// The report as text (for people) and as JSON (for scripts).
void print_report(std::ostream &os, const report &r);
std::string report_json(const report &r);

} // namespace smmu_vp

#endif
