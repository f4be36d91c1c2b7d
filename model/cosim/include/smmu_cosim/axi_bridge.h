// SPDX-License-Identifier: Apache-2.0 OR MIT
// A pin-level AXI4 slave that turns each AXI burst into TLM-2.0 b_transport calls on its
// initiator socket (normally bound to an smmu_tlm::smmu upstream socket) and the TLM response
// status back into RRESP / BRESP. docs/cosim.md describes it in full; in short:
//
//  - Data bus of DATA_BITS = 8 .. 1024 bits: axi_tlm_bridge_w<DATA_BITS>, its WDATA / RDATA /
//    WSTRB ports typed like Verilator's (vl_port_t: uint32_t, uint64_t, sc_bv<N>);
//    axi_tlm_bridge is the 64-bit one. Narrow beats and byte strobes at every width. IDs up to
//    32 bits, addresses up to 64 (bridge_params::id_bits, addr_bits); lengths, sizes and
//    AxPROT / AxUSER as in <smmu_cosim/axi.h>.
//  - Every request carries an smmu_tlm::stream_extension with its stream: from AxUSER (StreamID,
//    SubstreamID, SSV; secure = !AxPROT[1]) by default, or from the AXI5 MMU signals
//    (bridge_params::stream = stream_source::axi5_mmu: AxMMUSID, AxMMUSSID(V), AxMMUSECSID,
//    AxMMUATST / AxMMUFLOW -> ATS-translated, no-stall; AxMMUVALID low -> default_sid), and
//    AxPROT (priv = AxPROT[0], instr = AxPROT[2]); with input_attrs, AxCACHE / AxDOMAIN as its
//    input memory attributes (16.7.5.1.1). AxQOS and AxLOCK are accepted (an exclusive access is
//    made an ordinary one, never EXOKAY: 16.7.3). docs/cosim.md, "AXI5 MMU signals".
//  - Every burst becomes exactly one TLM transaction (an AXI burst is one transaction, IHI 0022),
//    so the SMMU translates, faults and stalls once per burst: INCR over the burst's bytes, WRAP
//    over its whole wrap window, FIXED with streaming width = the beat's bytes (IEEE 1666-2011
//    14.15; the target behind the SMMU must support streaming). Write strobes become byte
//    enables when not all set. Every R beat and the B response carry that transaction's status.
//  - TLM status -> response: resp_map (OKAY, DECERR for TLM_ADDRESS_ERROR_RESPONSE, SLVERR for
//    any other error); with resp_width 3, TRANSFAULT for a PRI-flow fault the SMMU marks so.
//  - bridge_params::outstanding worker threads per direction: one ID's bursts are executed and
//    answered in request order, other IDs may overtake (IHI 0022 A6.2). A stalled SMMU
//    transaction holds its ID (with 1 worker, its whole direction) until resumed or terminated.
//  - The pins are checked with an axi_checker on every rising edge (<smmu_cosim/axi_checker.h>).
//  - Reset (rst_n low at a rising edge): every accepted request, buffered W beat and response
//    not yet given is dropped, and outputs go low (IHI 0022 A3.1.2). TLM transactions already
//    inside the target complete into the void: their results are discarded, later parts of
//    their burst are not issued, and fresh workers serve the requests accepted after reset.
//
// All outputs are registered: they change only right after a rising edge of clk.
#ifndef SMMU_COSIM_AXI_BRIDGE_H
#define SMMU_COSIM_AXI_BRIDGE_H

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <smmu_cosim/axi.h>
#include <smmu_cosim/axi_checker.h>
#include <smmu_tlm/smmu_tlm.h>

namespace smmu_cosim {

// Where a request's stream identity comes from.
enum class stream_source : uint8_t {
    axuser,  // AxUSER (axi_user layout) and AxPROT[1]
    axi5_mmu // the AXI5 MMU signals (axi_mmu)
};

struct bridge_params {
    resp_map map;                  // TLM status -> AXI response
    unsigned max_reads = 8;        // reads accepted and not yet answered (ARREADY low beyond)
    unsigned max_writes = 8;       // writes accepted and not yet answered (AWREADY low beyond)
    unsigned max_w_beats = 256;    // write beats buffered (WREADY low beyond)
    bool report_violations = true; // report_violation() (<smmu_cosim/axi_checker.h>) for each
    stream_source stream = stream_source::axuser;
    // With axi5_mmu: the master's Untranslated_Transactions version (IHI 0022 Table A13.3):
    // 1: AxMMUATST gives the flow (Stall or ATST), AxMMUFLOW and AxMMUVALID are ignored;
    // 2: AxMMUFLOW, AxMMUVALID ignored (always valid); 3 or 4: AxMMUFLOW and AxMMUVALID.
    unsigned mmu_version = 3;
    // StreamID of a transaction with AxMMUVALID low (a physical address, A13.7): it goes to the
    // SMMU as this stream (no SubstreamID, SEC_SID from AxPROT[1], no-stall), whose STE decides
    // (Config bypass gives the untranslated access AXI means).
    uint32_t default_sid = 0;
    // AxCACHE / AxDOMAIN are the input memory type and shareability (smmu_amba_in, 16.7.5.1.1);
    // false: the SMMU's default for attribute-less transactions (Normal Write-back, ISH).
    bool input_attrs = false;
    // Translations in flight per direction (a TBU's hit-under-miss): a burst starts when the
    // older bursts of its AXI ID are done and is answered after them, so one ID is served and
    // answered in order while other IDs overtake a miss or a stall (IHI 0022 A6.2); a burst's R
    // beats go out contiguously. 1: strictly in acceptance order (the default before issue 20).
    // Default 4: a miss-heavy random read stream runs 2.4x faster than with 1 and reaches the
    // bus's peak (docs/performance.md, "Issue 20"); more adds nothing there.
    unsigned outstanding = 4;
    // RRESP_WIDTH / BRESP_WIDTH (IHI 0022 Tables A3.27, A3.30; both must be 3 for an interface
    // with Untranslated_Transactions v2 or v3). 3: a PRI-flow transaction (AxMMUFLOW = PRI,
    // stream_source::axi5_mmu) whose translation fault a PRI Page Request may resolve, as the
    // SMMU decides (smmu_result_t.transfault), is answered TRANSFAULT (0b101) on every beat
    // (A13.6.4). 2: xRESP has no TRANSFAULT; such a fault gets map.address_error like any abort.
    unsigned resp_width = 2;
    // AxID / AxADDR widths of the master (IHI 0022 A2: ID_W_WIDTH, ADDR_WIDTH): bits above them
    // are ignored, by the checker too (a narrower master's ports, zero-extended by axi_link,
    // have none).
    unsigned id_bits = 32;   // 1 .. 32
    unsigned addr_bits = 64; // 12 .. 64
};

// One accepted AXI request, as the hooks see it.
struct axi_request {
    bool write = false;
    uint32_t id = 0, len = 0, size = 0, burst = 0, prot = 0;
    uint64_t addr = 0;
    axi_user user; // AxUSER; with stream_source::axi5_mmu the stream the MMU signals give
    axi_mmu mmu;   // AXI5 MMU signals (as sampled; per mmu_version)
    uint32_t cache = 0, domain = 0, qos = 0; // AxCACHE, AxDOMAIN, AxQOS
    bool lock = false;                       // AxLOCK (exclusive)
    uint64_t bytes() const;                  // bytes the burst covers
};

struct bridge_stats {
    uint64_t reads = 0, writes = 0; // bursts answered
    uint64_t bytes_read = 0, bytes_written = 0;
    uint64_t transactions = 0; // TLM transactions issued
    uint64_t resp[8] = {};     // bursts answered, by (worst) response (3-bit xRESP)
    uint64_t resets = 0;       // reset entries (rst_n sampled low after being high)
    uint64_t dropped = 0;      // bursts whose TLM transactions returned after a reset
    // peaks seen on the pins by the checker (reset_peaks() restarts them)
    uint64_t max_reads_outstanding = 0, max_writes_outstanding = 0;
    uint64_t max_read_ids = 0;       // IDs with a read outstanding at the same time
    uint64_t max_w_bursts_ahead = 0; // whole W bursts transferred before their AW
};

// The bridge's logic and its width-independent ports; the data ports are in
// axi_tlm_bridge_w<DATA_BITS> (below).
class axi_tlm_bridge_base : public sc_core::sc_module {
  public:
    sc_core::sc_in<bool> clk, rst_n;
    sc_core::sc_in<bool> awvalid;
    sc_core::sc_out<bool> awready;
    sc_core::sc_in<uint32_t> awid, awlen, awsize, awburst, awprot;
    sc_core::sc_in<uint64_t> awaddr, awuser;
    sc_core::sc_in<bool> wvalid, wlast;
    sc_core::sc_out<bool> wready;
    sc_core::sc_out<bool> bvalid;
    sc_core::sc_in<bool> bready;
    sc_core::sc_out<uint32_t> bid, bresp;
    sc_core::sc_in<bool> arvalid;
    sc_core::sc_out<bool> arready;
    sc_core::sc_in<uint32_t> arid, arlen, arsize, arburst, arprot;
    sc_core::sc_in<uint64_t> araddr, aruser;
    sc_core::sc_out<bool> rvalid, rlast;
    sc_core::sc_in<bool> rready;
    sc_core::sc_out<uint32_t> rid, rresp;
    // AXI5 MMU signals (axi_mmu), AxCACHE, AxDOMAIN, AxQOS, AxLOCK; bound by bind() (tie the
    // ones a master lacks to signals at their default: AxMMUVALID 1, the others 0)
    sc_core::sc_in<bool> awmmuvalid, awmmusecsid, awmmussidv, awmmuatst, awlock;
    sc_core::sc_in<uint32_t> awmmusid, awmmussid, awmmuflow, awcache, awdomain, awqos;
    sc_core::sc_in<bool> armmuvalid, armmusecsid, armmussidv, armmuatst, arlock;
    sc_core::sc_in<uint32_t> armmusid, armmussid, armmuflow, arcache, ardomain, arqos;

    tlm_utils::simple_initiator_socket<axi_tlm_bridge_base> socket;

    SC_HAS_PROCESS(axi_tlm_bridge_base);

    // Data bus width in bytes (1 .. AXI_MAX_DATA_BYTES).
    unsigned data_bytes() const {
        return data_bytes_;
    }

    // Called when a request is accepted (AR handshake; AW handshake for writes).
    void set_request_hook(std::function<void(const axi_request &)> f) {
        on_request_ = std::move(f);
    }

    const std::vector<axi_violation> &violations() const {
        return checker_.violations();
    }
    const axi_checker &checker() const {
        return checker_;
    }
    // Forgets the violations recorded so far (a test that provokes one on purpose).
    void clear_violations() {
        checker_.clear_violations();
        reported_ = 0;
    }
    const bridge_stats &stats() const {
        return stats_;
    }
    void reset_peaks() {
        stats_.max_reads_outstanding = stats_.max_writes_outstanding = 0;
        stats_.max_read_ids = stats_.max_w_bursts_ahead = 0;
    }
    // Nothing accepted and unanswered.
    bool idle() const;

  protected:
    axi_tlm_bridge_base(sc_core::sc_module_name name, const bridge_params &p, unsigned data_bytes);
    // Binds the AXI5 MMU, AxCACHE, AxDOMAIN, AxQOS and AxLOCK ports to s (an axi_signals_w<N>).
    template <class S> void bind_ext(S &s);
    // The pin adaptor: WDATA / WSTRB as sampled, RDATA driven.
    virtual void sample_w(axi_data &data, axi_strb &strb) const = 0;
    virtual void drive_rdata(const axi_data &data) = 0;

  private:
    struct job {
        axi_request req;
        std::vector<uint8_t> data; // beats x data_bytes_, by lane: write data in, read data out
        std::vector<uint8_t> strb; // write strobes, one per byte of data (0 or 1)
        std::vector<uint8_t> resp; // read: per beat; write: [0]
        enum { queued, running, done } state = queued;
    };
    using job_list = std::deque<std::shared_ptr<job>>; // acceptance order
    struct beat_addr {
        uint64_t addr;    // first byte of the beat
        unsigned lane, n; // first data lane and bytes
    };
    struct w_burst { // W beats of one burst, by lane
        std::vector<uint8_t> data, strb;
        size_t beats = 0;
    };

    void on_clock();
    axi_addr_ext ext_of(bool write) const; // an address channel's AXI5 MMU ... AxLOCK signals
    void capture(axi_request &r, const axi_addr_ext &e);
    void enter_reset();
    void start_workers();
    void worker(bool write, uint64_t epoch);
    // The oldest job of l in state st that AXI ordering lets start (queued) or be answered (done).
    static std::shared_ptr<job> next_of(const job_list &l, int st);
    bool execute(job &j, uint64_t epoch);
    std::vector<beat_addr> beats_of(const axi_request &r) const;
    void stream_of(const axi_request &r, smmu_tlm::stream_extension &x) const;
    // One b_transport of len bytes at addr, streaming width `width`; the AXI response.
    uint8_t transport(bool write, const axi_request &r, uint64_t addr, uint8_t *data, unsigned len,
                      unsigned width, uint8_t *be);
    void drive();

    bridge_params p_;
    unsigned data_bytes_;
    uint32_t id_mask_;
    uint64_t addr_mask_;
    axi_checker checker_;
    size_t reported_ = 0;
    bridge_stats stats_;
    std::function<void(const axi_request &)> on_request_;
    // Reset epoch: workers and their results belong to one epoch; a reset starts the next.
    uint64_t epoch_ = 0;
    bool in_reset_ = false;

    // pin side
    std::deque<job> aw_wait_;            // AW accepted, waiting for their W burst
    std::deque<w_burst> w_ahead_;        // whole W bursts before their AW
    w_burst w_cur_;                      // the W burst in progress
    size_t w_buffered_ = 0;              // W beats buffered
    unsigned reads_ = 0, writes_ = 0;    // accepted, not answered
    job_list reads_in_, writes_in_;      // accepted with their data, not answered
    std::shared_ptr<job> r_cur_, b_cur_; // the burst on R, the response on B
    size_t r_beat_ = 0;
    sc_core::sc_event read_ev_, write_ev_;
    // registered outputs (the values the signals have between edges)
    bool awready_q_ = false, wready_q_ = false, arready_q_ = false;
    bool bvalid_q_ = false, rvalid_q_ = false, rlast_q_ = false;
    uint32_t bid_q_ = 0, bresp_q_ = 0, rid_q_ = 0, rresp_q_ = 0;
    axi_data rdata_q_;
};

template <class S> void axi_tlm_bridge_base::bind_ext(S &s) {
    bind_axi5_mmu_master(*this, s); // the same names on this side
    awmmuatst(s.awmmuatst);
    awcache(s.awcache);
    awdomain(s.awdomain);
    awqos(s.awqos);
    awlock(s.awlock);
    armmuatst(s.armmuatst);
    arcache(s.arcache);
    ardomain(s.ardomain);
    arqos(s.arqos);
    arlock(s.arlock);
}

// The bridge with a data bus of DATA_BITS (8 .. 1024): WDATA / RDATA of type
// vl_port_t<DATA_BITS>, WSTRB vl_port_t<DATA_BITS / 8>, as Verilator types a master's ports of
// those widths (sc_bv<N> above 64 bits).
template <unsigned DATA_BITS> class axi_tlm_bridge_w : public axi_tlm_bridge_base {
  public:
    using data_t = typename axi_signals_w<DATA_BITS>::data_t;
    using strb_t = typename axi_signals_w<DATA_BITS>::strb_t;
    sc_core::sc_in<data_t> wdata;
    sc_core::sc_in<strb_t> wstrb;
    sc_core::sc_out<data_t> rdata;

    explicit axi_tlm_bridge_w(sc_core::sc_module_name name,
                              const bridge_params &p = bridge_params())
        : axi_tlm_bridge_base(name, p, DATA_BITS / 8), wdata("wdata"), wstrb("wstrb"),
          rdata("rdata") {}

    // Binds every AXI port to the signals of s (clk and rst_n separately).
    void bind(axi_signals_w<DATA_BITS> &s) {
        bind_axi_master(*this, s);
        bind_ext(s);
    }

  protected:
    void sample_w(axi_data &d, axi_strb &st) const override {
        pin_to_lanes(wdata.read(), d.lane.data(), DATA_BITS / 8);
        st = pin_to_strb(wstrb.read(), DATA_BITS / 8);
    }
    void drive_rdata(const axi_data &d) override {
        rdata.write(lanes_to_pin<data_t>(d.lane.data(), DATA_BITS / 8));
    }
};

// The 64-bit bridge (WDATA / RDATA uint64_t, WSTRB uint32_t).
class axi_tlm_bridge : public axi_tlm_bridge_w<64> {
  public:
    explicit axi_tlm_bridge(sc_core::sc_module_name name, const bridge_params &p = bridge_params())
        : axi_tlm_bridge_w<64>(name, p) {}
};

} // namespace smmu_cosim

#endif
