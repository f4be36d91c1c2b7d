// SPDX-License-Identifier: Apache-2.0 OR MIT
// Traffic masters: devices that issue streams of reads and writes with a StreamID/SubstreamID
// (smmu_tlm::stream_extension) on one initiator socket, loosely timed (b_transport) or
// approximately timed (nb_transport with the base protocol phases).
//
// A master runs one or more flows, interleaved round-robin; each flow is one stream (StreamID,
// SubstreamID) with its own address pattern, transfer size, read/write mix and count.
#ifndef SMMU_MODEL_TRAFFIC_H
#define SMMU_MODEL_TRAFFIC_H

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <smmu_tlm/smmu_tlm.h>

namespace smmu_model {

enum class pattern { sequential, strided, random };
const char *pattern_name(pattern p);
bool pattern_from_name(const std::string &s, pattern &out);

struct flow_params {
    std::string name;
    // stream identity (stream_extension); with_extension false: the port's default StreamID
    bool with_extension = true;
    uint32_t sid = 0, ssid = 0;
    bool ssv = false, priv = false, instr = false, secure = false;
    // addresses: the region [base, base + size) in the device's address space
    pattern pat = pattern::sequential;
    uint64_t base = 0, size = 0x10000;
    uint64_t stride = 0;      // strided: distance between accesses (0: 2 * burst)
    unsigned burst = 64;      // bytes per transaction
    double write_ratio = 0.0; // fraction of writes, 0..1
    uint64_t seed = 1;        // random addresses and the read/write mix
    uint64_t count = 16;      // transactions
};

// The address and direction sequence of one flow; deterministic for a given seed. Accesses are
// aligned to burst and stay within [base, base + size).
class flow_generator {
  public:
    explicit flow_generator(const flow_params &p);
    struct access {
        uint64_t addr;
        bool write;
    };
    access next();
    // Advances past n accesses (a restored master's flow continues where it was).
    void skip(uint64_t n) {
        while (n--)
            next();
    }
    uint64_t issued() const {
        return n_;
    }

  private:
    flow_params p_;
    uint64_t n_ = 0;
    uint64_t slots_; // burst-sized slots in the region
    std::mt19937_64 rng_;
};

struct master_params {
    bool at = false;                               // AT (nb_transport) instead of LT (b_transport)
    unsigned max_outstanding = 4;                  // AT: transactions in flight at once
    sc_core::sc_time start{0, sc_core::SC_NS};     // first issue
    sc_core::sc_time interval{10, sc_core::SC_NS}; // between issues
    bool keep_log = false;                         // keep every transaction in log()
    std::vector<flow_params> flows;
};

// What one flow saw.
struct flow_stats {
    uint64_t transactions = 0, bytes = 0, reads = 0, writes = 0;
    uint64_t ok = 0, errors = 0;
    std::map<int, uint64_t> by_status;     // tlm_response_status -> count
    std::vector<sc_core::sc_time> latency; // issue to response, per completed transaction
};

struct txn_record {
    unsigned flow;
    uint64_t addr;
    unsigned len;
    bool write;
    tlm::tlm_response_status status;
    sc_core::sc_time issued, done;
};

// Payload extension a master attaches to every transaction: who issued it and when, so that a
// probe downstream can measure the translation latency.
struct issue_extension : tlm::tlm_extension<issue_extension> {
    unsigned master = 0, flow = 0;
    sc_core::sc_time issued;
    tlm::tlm_extension_base *clone() const override {
        return new issue_extension(*this);
    }
    void copy_from(const tlm::tlm_extension_base &e) override {
        *this = static_cast<const issue_extension &>(e);
    }
};

// The transaction objects of a master and the base protocol on its initiator socket: LT
// (b_transport, synchronised after each response) or AT (nb_transport, several in flight, the
// request exclusion rule, early completion, END_RESP). Completions are counted into the master's
// per-flow statistics and log. Shared by traffic_master and replay_master; the methods that wait
// must be called from the master's thread.
//
// The issuer is the memory manager of its transaction objects (IEEE 1666-2011 14.5): a fixed pool
// of slots, allocated once. The master holds a reference (acquire) from the transport call to
// the completion; a component that acquires the payload as well keeps the slot from being reused
// until it releases it. free() (the last release) returns the slot to the pool and frees the auto
// extensions a downstream component may have left (reset()).
class txn_issuer : public tlm::tlm_mm_interface {
  public:
    struct slot { // one transaction object (AT keeps several in flight)
        tlm::tlm_generic_payload gp;
        std::vector<uint8_t> data;
        smmu_tlm::stream_extension sx;
        issue_extension ix;
        bool busy = false; // prepared and not yet completed for the master
        explicit slot(tlm::tlm_mm_interface *mm) : gp(mm) {
            gp.set_extension(&sx);
            gp.set_extension(&ix);
        }
        // Reusable: completed, and nobody holds a reference any more.
        bool idle() const {
            return !busy && gp.get_ref_count() == 0;
        }
        ~slot() { // the payload must not free extensions it does not own
            gp.clear_extension(&sx);
            gp.clear_extension(&ix);
        }
    };

    // n transaction objects; stats/log of the owner (log kept when keep_log).
    txn_issuer(unsigned n, std::vector<flow_stats> &stats, std::vector<txn_record> &log,
               bool keep_log);
    txn_issuer(const txn_issuer &) = delete;
    txn_issuer &operator=(const txn_issuer &) = delete;
    slot &first() {
        return *slots_[0];
    }
    // LT: transports a prepared slot and waits for its annotated delay.
    void transport_lt(tlm::tlm_fw_transport_if<> &fw, slot &s);
    // AT: a free slot, once the request channel is free too (waits).
    slot &free_slot();
    // AT: sends BEGIN_REQ of a prepared slot and waits for the annotated delay.
    void issue_at(tlm::tlm_fw_transport_if<> &fw, slot &s);
    void drain(); // waits until every response has arrived
    // No transaction prepared and not yet completed (a checkpoint may be taken).
    bool idle() const {
        for (const auto &s : slots_)
            if (s->busy) return false;
        return true;
    }
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_fw_transport_if<> &fw, tlm::tlm_generic_payload &gp,
                                       tlm::tlm_phase &ph, sc_core::sc_time &t);

    // tlm_mm_interface: the last reference to a slot's payload was released.
    void free(tlm::tlm_generic_payload *gp) override;

  private:
    void complete(slot &s, const sc_core::sc_time &at);

    std::vector<std::unique_ptr<slot>> slots_;
    std::vector<flow_stats> &stats_;
    std::vector<txn_record> &log_;
    bool keep_log_;
    sc_core::sc_event end_req_ev_, resp_ev_;
    tlm::tlm_generic_payload *req_in_progress_ = nullptr;
    unsigned outstanding_ = 0;
    bool completing_ = false; // in complete(): its caller notifies the response time
};

// The start gate and the completion of a master (traffic_master, replay_master).
class master_run {
  public:
    // The master starts (then waits its params().start) only once *flag is true, re-checking it
    // on every notification of ev; e.g. after the host has programmed the SMMU. Before
    // simulation.
    void set_gate(const sc_core::sc_event *ev, const bool *flag) {
        gate_ev_ = ev;
        gate_flag_ = flag;
    }
    bool done() const {
        return done_;
    }
    const sc_core::sc_event &done_event() const {
        return done_ev_;
    }
    sc_core::sc_time finish_time() const {
        return finish_;
    }

  protected:
    // In the master's thread: first, wait for the gate, then for start; last, finish.
    void begin(const sc_core::sc_time &start) {
        if (gate_flag_)
            while (!*gate_flag_)
                sc_core::wait(*gate_ev_);
        if (start != sc_core::SC_ZERO_TIME) sc_core::wait(start);
    }
    void finish() {
        finish_ = sc_core::sc_time_stamp();
        done_ = true;
        done_ev_.notify();
    }

  private:
    bool done_ = false;
    sc_core::sc_time finish_;
    sc_core::sc_event done_ev_;
    const sc_core::sc_event *gate_ev_ = nullptr;
    const bool *gate_flag_ = nullptr;
};

// A traffic master's progress, for a platform checkpoint: per flow the transactions issued and
// the statistics, and the round-robin position.
struct master_progress {
    std::vector<uint64_t> issued;
    std::vector<flow_stats> stats;
    unsigned rr = 0;
};

class traffic_master : public sc_core::sc_module, public master_run {
  public:
    tlm_utils::simple_initiator_socket<traffic_master> socket;

    SC_HAS_PROCESS(traffic_master);
    traffic_master(sc_core::sc_module_name name, const master_params &p, unsigned id = 0);

    const master_params &params() const {
        return p_;
    }
    const std::vector<flow_stats> &stats() const {
        return stats_;
    }
    const std::vector<txn_record> &log() const {
        return log_;
    }
    unsigned id() const {
        return id_;
    }
    // None of its transactions is in flight or waiting for its completion.
    bool idle() const {
        return io_.idle();
    }
    // Its progress (taken where idle()).
    master_progress progress() const;
    // Before simulation or while the gate is still closed: continue from p (each flow's
    // generator skips what was issued; the start delay is not waited again). False, and
    // nothing changed, when p is not of this master's flows.
    bool resume(const master_progress &p);

  private:
    using slot = txn_issuer::slot;

    void run();
    void run_lt();
    void run_at();
    void prepare(slot &s, unsigned flow, const flow_generator::access &a);
    // picks the next flow with work left (round-robin); false when all are done
    bool next_flow(unsigned &f);
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                       sc_core::sc_time &t);

    master_params p_;
    unsigned id_;
    std::vector<flow_generator> gens_;
    std::vector<flow_stats> stats_;
    std::vector<txn_record> log_;
    txn_issuer io_;
    unsigned rr_ = 0;
    bool resumed_ = false;
};

} // namespace smmu_model

#endif
