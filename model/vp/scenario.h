// SPDX-License-Identifier: Apache-2.0 OR MIT
// The virtual platform's scenario: what to build (memory, interconnect, SMMUs, masters), how the
// host programs it (domains, mappings, stream attachments, stall handling), the traffic, and
// the expectations that decide the exit code. Read from JSON (docs/vp.md).
#ifndef SMMU_VP_SCENARIO_H
#define SMMU_VP_SCENARIO_H

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <smmu_model/memory.h>
#include <smmu_model/replay.h>
#include <smmu_model/traffic.h>
#include <smmu_tlm/smmu_tlm.h>

namespace smmu_vp {

// A scenario that cannot be used; what() names the file, the place in it and the problem.
struct scenario_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct mapping {
    uint64_t iova = 0, pa = 0, size = 0;
    unsigned prot = 0; // SMMU_PROT_*
};

struct domain_cfg {
    std::string name;
    unsigned stage = 1, id = 1, granule = 4096, ias = 48, oas = 0;
    std::vector<mapping> map;          // mapped at setup
    std::vector<mapping> map_on_fault; // mapped by the host when a stalled access hits them
};

enum class attach_kind { bypass, s1, s2, nested, abort };
const char *attach_name(attach_kind k);

struct stream_cfg {
    uint32_t sid = 0;
    attach_kind attach = attach_kind::bypass;
    unsigned ssid_bits = 0;
    std::string s1dss = "terminate";        // terminate, bypass, ssid0
    std::string domain;                     // s1/nested: CD of SubstreamID 0 / no SubstreamID
    std::string s2_domain;                  // s2/nested
    std::map<uint32_t, std::string> pasids; // SubstreamID -> stage-1 domain
    bool stall = false;                     // stall faults (CD.S) for every CD of the stream
};

struct master_cfg {
    std::string name;
    uint32_t port_sid = 0; // StreamID of its upstream port (transactions without extension)
    smmu_model::master_params params;
    // expectations per flow (-1: none)
    std::vector<int64_t> expect_ok, expect_errors;
    // A replay master ("trace": file) instead of flows when replay.path is not empty; it uses
    // params.at, params.max_outstanding and params.start. Expectations over all its transactions.
    smmu_model::replay_trace replay;
    bool replay_original_timing = true; // "timing": "original" (true) or "asap"
    int64_t replay_expect_ok = -1, replay_expect_errors = -1;
    bool is_replay() const {
        return !replay.path.empty();
    }
};

struct smmu_cfg {
    std::string name;
    uint64_t reg_base = 0;
    smmu_tlm::smmu_tlm_params params;
    uint64_t pool_base = 0x80000000ull, pool_size = 64ull << 20;
    unsigned sid_bits = 8;
    std::vector<domain_cfg> domains;
    std::vector<stream_cfg> streams;
    std::vector<master_cfg> masters;
    std::map<std::string, int64_t> expect_faults; // event name -> count (from the core stats)
    int64_t expect_stalls_resumed = -1;
};

// Where an SMMU's PMCG groups are mapped (smmu_tlm::pmcg_group_span each): after its register
// frame.
inline uint64_t pmcg_base(const smmu_cfg &c) {
    return c.reg_base + 0x20000;
}
// Bytes of the SMMU's frame and PMCG pages together.
inline uint64_t frame_size(const smmu_cfg &c) {
    return 0x20000 + c.params.core.pmcg_groups * smmu_tlm::pmcg_group_span;
}

struct scenario {
    std::string name = "scenario";
    std::string source;                            // file name, or "<built-in default>"
    sc_core::sc_time duration{10, sc_core::SC_MS}; // simulated time limit
    uint64_t mem_base = 0, mem_size = 1ull << 40;
    smmu_model::memory_params memory;
    sc_core::sc_time bus_latency{2, sc_core::SC_NS};
    sc_core::sc_time host_poll{5, sc_core::SC_NS};
    sc_core::sc_time host_service{1, sc_core::SC_US}; // event queue check without an interrupt
    // A TLM-2.0 base-protocol checker (smmu_model::protocol_checker) on every binding between
    // two components; a violation fails the run ("protocol_checkers", smmu_vp --check-protocol).
    bool protocol_checkers = false;
    // The host counts the architected PMCG events (chapter 10) on group 0 of every SMMU and the
    // report gives their totals ("pmcg", smmu_vp --pmcg). Each SMMU's PMCG pages are at
    // pmcg_base(): right after its 128 KiB register frame.
    bool pmcg = false;
    // The same replay without the SMMU in the path ("no_smmu", smmu_vp --no-smmu): the host
    // still programs every SMMU as usual, but each trace-replay master is bound straight to the
    // interconnect and issues, instead of each input address, the output address the
    // scenario's mappings give it (see translate_without_smmu()). Scenarios with traffic
    // (non-replay) masters are refused.
    bool no_smmu = false;
    std::vector<smmu_cfg> smmus;
};

// Parses a scenario; source names it in error messages. Throws scenario_error.
scenario parse_scenario(const std::string &json_text, const std::string &source);
scenario load_scenario(const std::string &path);
// Adds a replay master for a trace file to SMMU smmu_index of sc (smmu_vp --trace). Throws
// scenario_error when the trace cannot be used or there is no such SMMU. loaded: the trace
// already loaded from trace_path (moved from), so that a large trace is read only once.
void add_trace_master(scenario &sc, const std::string &trace_path, const std::string &name, bool at,
                      bool original_timing, unsigned max_outstanding = 4, unsigned smmu_index = 0,
                      smmu_model::replay_trace *loaded = nullptr);

// The output addresses the scenario's configuration of one SMMU gives without an SMMU in the
// path (scenario.no_smmu). translate(): bypass: the input address; stage 1, 2 or nested:
// through the domains' mappings (stage 1, then stage 2); false when the address does not
// translate (no such stream, abort, no mapping covers it). Mappings made on stalls
// (map_on_fault) do not count. A transaction is pre-translated by its first byte.
class direct_map {
  public:
    explicit direct_map(const smmu_cfg &c);
    bool translate(uint32_t sid, bool ssv, uint32_t ssid, uint64_t addr, uint64_t &out) const;

  private:
    bool through(const std::string &domain, uint64_t addr, uint64_t &out) const;
    const smmu_cfg &c_;
    std::map<std::string, std::vector<mapping>> maps_; // per domain, sorted by iova
};

// The built-in default scenario (JSON text) and its parsed form.
const std::string &default_scenario_json();
scenario default_scenario();

} // namespace smmu_vp

#endif
