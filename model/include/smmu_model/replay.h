// SPDX-License-Identifier: Apache-2.0 OR MIT
// Trace replay and recording (traces/FORMAT.md).
//
// replay_master issues the transactions of a trace on one initiator socket with their StreamID,
// SubstreamID and flags (smmu_tlm::stream_extension), loosely timed (b_transport) or
// approximately timed (nb_transport, up to max_outstanding in flight), either at the trace's
// times ("original": transaction i is issued at gate + start + time_i, or as soon as the master
// is free when it is late) or back to back ("asap"). Result fields of the trace are ignored, and
// lines with status=stall (a recorded attempt that is retried on a later line) are skipped.
// Statistics are kept per stream of the trace (StreamID, SubstreamID), in order of first use.
//
// trace_recorder is an smmu_tlm::recorder that writes every translation in the trace format
// with its result fields, sorted by time, when closed.
#ifndef SMMU_MODEL_REPLAY_H
#define SMMU_MODEL_REPLAY_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <smmu/trace.h>
#include <smmu_model/traffic.h>
#include <smmu_tlm/recorder.h>
#include <smmu_tlm/smmu_tlm.h>

namespace smmu_model {

// A trace loaded for replay.
struct replay_trace {
    std::string path, name, scenario; // scenario: resolved against the trace's directory
    std::vector<smmu_trace_txn_t> txns;
};
// Loads a trace file. False with err ("<file>:<line>: <problem>") when it cannot be used.
// Transactions larger than max_size bytes are refused (the master allocates their data).
bool load_replay_trace(const std::string &path, replay_trace &out, std::string &err,
                       uint32_t max_size = 1u << 24);

struct replay_params {
    bool at = false;                           // AT (nb_transport) instead of LT (b_transport)
    unsigned max_outstanding = 4;              // AT: transactions in flight at once
    bool original_timing = true;               // false: as fast as possible
    sc_core::sc_time start{0, sc_core::SC_NS}; // added to every trace time / first issue
    bool keep_log = false;                     // keep every transaction in log()
    std::vector<smmu_trace_txn_t> txns;        // the trace
};

struct replay_flow { // one stream of the trace
    std::string name;
    uint32_t sid = 0, ssid = 0;
    bool ssv = false;
};

class replay_master : public sc_core::sc_module, public master_run {
  public:
    tlm_utils::simple_initiator_socket<replay_master> socket;

    SC_HAS_PROCESS(replay_master);
    replay_master(sc_core::sc_module_name name, const replay_params &p, unsigned id = 0);

    // set_gate (master_run): starts once *flag is true (re-checked on ev); the trace's time 0
    // is that moment plus params().start.
    const replay_params &params() const {
        return p_;
    }
    unsigned id() const {
        return id_;
    }
    const std::vector<replay_flow> &flows() const {
        return flows_;
    }
    const std::vector<flow_stats> &stats() const {
        return stats_;
    }
    const std::vector<txn_record> &log() const { // flow = index into flows()
        return log_;
    }
    uint64_t issued() const {
        return issued_;
    }
    uint64_t skipped() const { // status=stall lines
        return skipped_;
    }
    uint64_t late() const { // original timing: issued after their trace time
        return late_;
    }

  private:
    using slot = txn_issuer::slot;

    void run();
    void run_lt();
    void run_at();
    bool next(size_t &i); // next transaction to issue; false at the end
    void wait_issue_time(const smmu_trace_txn_t &t);
    void prepare(slot &s, size_t i);
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                       sc_core::sc_time &t);

    replay_params p_;
    unsigned id_;
    std::vector<replay_flow> flows_;
    std::vector<unsigned> flow_of_; // per transaction
    std::vector<flow_stats> stats_;
    std::vector<txn_record> log_;
    txn_issuer io_;
    size_t pos_ = 0;
    uint64_t issued_ = 0, skipped_ = 0, late_ = 0;
    sc_core::sc_time origin_;
};

// Writes every translation of the SMMUs it is attached to as a trace with result fields.
class trace_recorder : public smmu_tlm::recorder {
  public:
    // name and scenario go into the header (either may be empty).
    trace_recorder(const std::string &path, const std::string &name, const std::string &scenario);
    ~trace_recorder() override;
    // Trace time 0 (e.g. when the masters start); earlier translations are written at 0.
    void set_origin(const sc_core::sc_time &t) {
        origin_ = t;
    }
    void translation(const smmu_tlm::smmu_base &s, const smmu_tlm::translation_record &r) override;
    // Sorts by time (stable) and writes the file; false when it cannot be written.
    bool close();
    uint64_t count() const {
        return txns_.size();
    }
    // The trace line fields of one translation (time relative to origin).
    static smmu_trace_txn_t to_txn(const smmu_tlm::translation_record &r,
                                   const sc_core::sc_time &origin);

  private:
    std::string path_, name_, scenario_;
    sc_core::sc_time origin_;
    std::vector<smmu_trace_txn_t> txns_;
    bool closed_ = false;
};

} // namespace smmu_model

#endif
