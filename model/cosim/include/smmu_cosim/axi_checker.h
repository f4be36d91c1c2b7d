// SPDX-License-Identifier: Apache-2.0 OR MIT
// AXI4 protocol assertions on one interface, evaluated on the values the signals have at each
// rising clock edge (what both sides sample). Plain C++: the bridge feeds it a snapshot per edge;
// tests can feed it hand-made sequences. Rules (names used in the violation records):
//
//   reset-valid-low    AWVALID, WVALID, ARVALID, BVALID, RVALID low at every edge while
//                      ARESETn is low except the first (where a synchronous reset acts), and
//                      at the first edge after ARESETn goes high
//   valid-stable       a VALID that was high without READY stays high until the handshake
//   payload-stable     ... and the channel's payload (address, ID, data, ...) does not change
//   burst-type         AxBURST is not the reserved value 3
//   burst-size         2^AxSIZE is not wider than the data bus (any width, 8 to 1024 bits)
//   burst-4k           an INCR burst does not cross a 4 KiB boundary
//   burst-wrap         a WRAP burst has 2, 4, 8 or 16 beats and a size-aligned address
//   burst-fixed        a FIXED burst has at most 16 beats
//   wlast-position     WLAST is high on exactly the last beat (AWLEN + 1) of its burst; W
//                      bursts are matched with AW requests in order (W may come first)
//   wstrb-lanes        WSTRB is low for every byte lane outside the beat's valid lanes
//                      (IHI 0022 A3.4.1 lane equations, A3.4.3 write strobes): narrow,
//                      unaligned-first, WRAP and FIXED beats; W beats ahead of their AW are
//                      checked when the AW arrives
//   b-without-write    a B response for an ID with no write whose address and last data beat
//                      have both been transferred
//   r-without-read     an R beat for an ID with no outstanding read
//   rlast-position     RLAST is high on exactly the last beat of the oldest outstanding read of
//                      that ID: responses of one ID come back in request order, whole bursts
//
// X / Z: Verilator simulates two states, so an X on a VALID cannot be seen. What the 2-state
// simulation allows is to make uninitialised state visible: the RTL is Verilated with
// --x-assign unique --x-initial unique and the platform randomises it at start-up
// (Verilated::randReset(2)), so a VALID that is not reset comes out random and trips
// reset-valid-low (or a handshake rule) instead of silently reading 0.
#ifndef SMMU_COSIM_AXI_CHECKER_H
#define SMMU_COSIM_AXI_CHECKER_H

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include <smmu_cosim/axi.h>

namespace smmu_cosim {

// The AXI5 MMU, AxCACHE, AxDOMAIN, AxQOS and AxLOCK signals of one address channel (part of
// its payload: stable while VALID is high and READY low).
struct axi_addr_ext {
    bool mmuvalid = false, mmusecsid = false, mmussidv = false, mmuatst = false, lock = false;
    uint32_t mmusid = 0, mmussid = 0, mmuflow = 0, cache = 0, domain = 0, qos = 0;
    bool operator==(const axi_addr_ext &o) const {
        return mmuvalid == o.mmuvalid && mmusecsid == o.mmusecsid && mmussidv == o.mmussidv &&
               mmuatst == o.mmuatst && lock == o.lock && mmusid == o.mmusid &&
               mmussid == o.mmussid && mmuflow == o.mmuflow && cache == o.cache &&
               domain == o.domain && qos == o.qos;
    }
};

// The values of an AXI4 interface's signals at one rising clock edge.
struct axi_snapshot {
    bool rst_n = true;
    bool awvalid = false, awready = false;
    uint32_t awid = 0, awlen = 0, awsize = 0, awburst = 0, awprot = 0;
    uint64_t awaddr = 0, awuser = 0;
    bool wvalid = false, wready = false, wlast = false;
    axi_data wdata; // by lane, any width (axi.h)
    axi_strb wstrb;
    bool bvalid = false, bready = false;
    uint32_t bid = 0, bresp = 0;
    bool arvalid = false, arready = false;
    uint32_t arid = 0, arlen = 0, arsize = 0, arburst = 0, arprot = 0;
    uint64_t araddr = 0, aruser = 0;
    bool rvalid = false, rready = false, rlast = false;
    uint32_t rid = 0, rresp = 0;
    axi_data rdata;
    axi_addr_ext awext, arext;
};

struct axi_violation {
    std::string rule;   // one of the names above
    std::string when;   // simulation time (as given to sample())
    std::string detail; // channel and values
    std::string to_string() const {
        return when + ": AXI " + rule + ": " + detail;
    }
};

class axi_checker {
  public:
    // The sc_report message type of the violations the bridge reports (report_violation()).
    static constexpr const char *msg_type = "smmu_cosim/axi_checker";

    // data_bytes: the data bus width in bytes, 1 .. AXI_MAX_DATA_BYTES (8 to 1024 bits).
    explicit axi_checker(unsigned data_bytes = 8) : data_bytes_(data_bytes) {}
    unsigned data_bytes() const {
        return data_bytes_;
    }

    // One rising clock edge; when: the time to report violations with.
    void sample(const axi_snapshot &s, const std::string &when);

    const std::vector<axi_violation> &violations() const {
        return violations_;
    }
    void clear_violations() {
        violations_.clear();
    }
    // Reads and writes accepted but not yet answered.
    size_t outstanding_reads() const;
    size_t outstanding_writes() const;
    // IDs with at least one read outstanding.
    size_t read_ids_outstanding() const;
    // Whole W bursts transferred before their AW.
    size_t w_bursts_ahead() const {
        return w_ahead_.size();
    }
    uint64_t handshakes() const {
        return handshakes_;
    }

  private:
    void fail(const char *rule, const std::string &when, const std::string &detail);
    void check_request(const char *ch, uint32_t len, uint32_t size, uint32_t burst, uint64_t addr,
                       const std::string &when);
    void reset_state();

    unsigned data_bytes_;
    bool have_prev_ = false;
    axi_snapshot prev_;
    std::vector<axi_violation> violations_;
    uint64_t handshakes_ = 0;
    unsigned reset_edges_ = 0; // consecutive edges in reset
    // writes: AW requests waiting for their data (in AW order), W bursts that came first
    struct aw_req {
        uint32_t id, len, size, burst;
        uint64_t addr;
    };
    void check_strobe(const aw_req &r, uint32_t beat, const axi_strb &strb,
                      const std::string &when);
    std::deque<aw_req> aw_wait_data_;
    std::deque<uint32_t> w_ahead_;                    // beat counts of W bursts without an AW yet
    std::deque<std::vector<axi_strb>> w_ahead_strb_;  // ... and their WSTRB per beat
    std::vector<axi_strb> w_strb_;                    // WSTRB of the W burst in progress
    uint32_t w_beats_ = 0;                            // beats of the W burst in progress
    std::map<uint32_t, uint32_t> b_due_;              // ID -> writes complete, awaiting B
    std::map<uint32_t, uint32_t> aw_out_;             // ID -> writes accepted, awaiting B
    std::map<uint32_t, std::deque<uint32_t>> ar_out_; // ID -> AR lengths, oldest first
    std::map<uint32_t, uint32_t> r_beats_;            // ID -> beats of the oldest read so far
};

// Reports v through sc_report as one line, "<who>: <time>: AXI <rule>: <detail>", an SC_INFO of
// type axi_checker::msg_type at verbosity SC_LOW (shown by default; an SC_WARNING would add
// file and process lines to each). Turn violations into errors with
//   sc_core::sc_report_handler::set_actions(smmu_cosim::axi_checker::msg_type, sc_core::SC_INFO,
//                                           sc_core::SC_DISPLAY | sc_core::SC_THROW);
// or silence them with SC_DO_NOTHING.
void report_violation(const char *who, const axi_violation &v);

} // namespace smmu_cosim

#endif
