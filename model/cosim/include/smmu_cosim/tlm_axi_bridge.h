// SPDX-License-Identifier: Apache-2.0 OR MIT
// A TLM-2.0 target that turns each transaction into AXI4 bursts on master pins: the other
// direction of axi_tlm_bridge, so that an RTL interconnect or memory controller can sit behind
// the SMMU (its `downstream` and `table` sockets: both on one bridge, or one bridge each).
// docs/cosim.md, "The master bridge"; in short:
//
//  - b_transport (LT): blocks the caller until every burst of the transaction has its response.
//    Reads and writes become INCR bursts of full-width beats (AxSIZE = log2 of the data bus),
//    split at 4 KiB boundaries and at 256 beats; an unaligned start is the first burst's
//    address; byte enables become WSTRB (writes) or bytes left untouched (reads).
//  - Data bus of DATA_BITS = 8 .. 1024 bits: tlm_axi_bridge_w<DATA_BITS>, WDATA / RDATA / WSTRB
//    typed like Verilator's ports (vl_port_t); tlm_axi_bridge has 64-bit ports and may use
//    1, 2, 4 or 8 bytes of them (master_bridge_params::data_bytes).
//  - AXI ID: each calling SystemC process gets its own ID (first-call order, modulo `ids`,
//    from `id_base`); several processes have transactions outstanding at once; R and B are
//    matched by ID, oldest request of that ID first (AXI ordering).
//  - AxPROT: NS from the output_extension the SMMU attaches (else !stream_extension::secure,
//    else default_prot), privileged / instruction from the stream_extension.
//  - AxCACHE / AxDOMAIN: the output_extension's axcache(write) / axdomain() (the SMMU's output
//    attributes, spec 16.7.5.2.1), else default_cache / default_domain (Normal Non-cacheable
//    Bufferable, System); AxQOS: the qos parameter.
//  - RRESP / BRESP: OKAY, EXOKAY -> TLM_OK_RESPONSE; SLVERR -> TLM_GENERIC_ERROR_RESPONSE;
//    DECERR -> TLM_ADDRESS_ERROR_RESPONSE; the worst response of the transaction's beats wins.
//  - Reset (rst_n low at a rising edge): every burst in flight is dropped, the blocked callers
//    return TLM_GENERIC_ERROR_RESPONSE; calls made during reset wait for its end.
//  - transport_dbg cannot go through pins: it is forwarded to the optional `debug` initiator
//    socket (a backdoor to the memory behind the RTL), or answers 0 bytes when unbound.
//  - No DMI: the memory is behind pins, a pointer would bypass the RTL under test.
//  - The pins are checked with an axi_checker on every rising edge.
//
// All outputs are registered: they change only right after a rising edge of clk.
#ifndef SMMU_COSIM_TLM_AXI_BRIDGE_H
#define SMMU_COSIM_TLM_AXI_BRIDGE_H

#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include <smmu_cosim/axi.h>
#include <smmu/amba.h>
#include <smmu_cosim/axi_checker.h>
#include <smmu_tlm/smmu_tlm.h>

namespace smmu_cosim {

struct master_bridge_params {
    // data bus width in bytes, a power of two up to the ports' width (0: the ports' width, 8 for
    // tlm_axi_bridge)
    unsigned data_bytes = 0;
    uint32_t id_base = 0;               // first AXI ID handed to a calling process
    unsigned ids = 4;                   // IDs handed out (id_base .. id_base + ids - 1), >= 1
    unsigned max_reads = 8;             // read bursts issued and not yet answered
    unsigned max_writes = 8;            // write bursts issued and not yet answered
    uint8_t default_prot = AXI_PROT_NS; // AxPROT without extensions
    bool report_violations = true;      // report_violation() for every protocol violation
    // AxCACHE / AxDOMAIN without an output_extension: Normal Non-cacheable Bufferable (IHI 0022
    // "Memory types", 0b0011), System domain (what a Non-cacheable output gets, SMMU 16.7.5.2)
    uint8_t default_cache = SMMU_AXCACHE_M | SMMU_AXCACHE_B;
    uint8_t default_domain = SMMU_AXDOMAIN_SYS;
    uint8_t qos = 0; // AxQOS of every request (0: no QoS scheme, IHI 0022 A8.1)
};

struct master_bridge_stats {
    uint64_t transactions = 0;       // TLM transactions answered (b_transport)
    uint64_t reads = 0, writes = 0;  // bursts answered
    uint64_t resp[4] = {0, 0, 0, 0}; // bursts answered, by worst response
    uint64_t reset_drops = 0;        // transactions answered with an error by a reset
    uint64_t debug = 0;              // transport_dbg calls
};

// The master bridge's logic and its width-independent ports; the data ports are in
// tlm_axi_bridge_w<DATA_BITS> (below).
class tlm_axi_bridge_base : public sc_core::sc_module {
  public:
    sc_core::sc_in<bool> clk, rst_n;
    sc_core::sc_out<bool> awvalid;
    sc_core::sc_in<bool> awready;
    sc_core::sc_out<uint32_t> awid, awlen, awsize, awburst, awprot;
    sc_core::sc_out<uint64_t> awaddr, awuser;
    sc_core::sc_out<uint32_t> awcache, awdomain, awqos;
    sc_core::sc_out<bool> wvalid, wlast;
    sc_core::sc_in<bool> wready;
    sc_core::sc_in<bool> bvalid;
    sc_core::sc_out<bool> bready;
    sc_core::sc_in<uint32_t> bid, bresp;
    sc_core::sc_out<bool> arvalid;
    sc_core::sc_in<bool> arready;
    sc_core::sc_out<uint32_t> arid, arlen, arsize, arburst, arprot;
    sc_core::sc_out<uint64_t> araddr, aruser;
    sc_core::sc_out<uint32_t> arcache, ardomain, arqos;
    sc_core::sc_in<bool> rvalid, rlast;
    sc_core::sc_out<bool> rready;
    sc_core::sc_in<uint32_t> rid, rresp;

    // Any number of initiators may bind (e.g. an SMMU's downstream and table sockets).
    tlm_utils::multi_passthrough_target_socket<tlm_axi_bridge_base> socket;
    // transport_dbg goes here when bound (e.g. to the memory model behind the RTL).
    tlm_utils::simple_initiator_socket_optional<tlm_axi_bridge_base> debug;

    SC_HAS_PROCESS(tlm_axi_bridge_base);

    const std::vector<axi_violation> &violations() const {
        return checker_.violations();
    }
    const axi_checker &checker() const {
        return checker_;
    }
    const master_bridge_stats &stats() const {
        return stats_;
    }
    // No burst waiting or in flight.
    bool idle() const;

  protected:
    // port_bytes: the width of the data ports
    tlm_axi_bridge_base(sc_core::sc_module_name name, const master_bridge_params &p,
                        unsigned port_bytes);
    // The pin adaptor: RDATA as sampled, WDATA / WSTRB driven.
    virtual void sample_rdata(axi_data &data) const = 0;
    virtual void drive_w(const axi_data &data, const axi_strb &strb) = 0;

  private:
    struct txn; // one b_transport call (on its caller's stack)
    struct burst {
        txn *t = nullptr;
        bool write = false;
        uint32_t id = 0, len = 0;
        uint64_t addr = 0;
        uint64_t off = 0;               // offset in the payload of the burst's first byte
        uint64_t bytes = 0;             // payload bytes the burst carries (from addr on)
        uint32_t prot = 0;              // AxPROT
        uint32_t cache = 0, domain = 0; // AxCACHE, AxDOMAIN
        uint32_t resp = AXI_OKAY;       // worst RRESP so far
        std::vector<uint8_t> data;      // write beats x data_bytes, by lane
        std::vector<uint8_t> strb;      // ... and their strobes (0 or 1)
        unsigned beat = 0;              // W beats sent / R beats received
    };

    void b_transport(int port, tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    unsigned transport_dbg(int port, tlm::tlm_generic_payload &gp);
    bool get_direct_mem_ptr(int port, tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi);
    uint32_t id_of_caller();
    uint32_t prot_of(tlm::tlm_generic_payload &gp) const;
    void on_clock();
    void finish(burst &b, uint32_t resp);
    void reset_all();
    void drive();

    master_bridge_params p_;
    axi_checker checker_;
    size_t reported_ = 0;
    master_bridge_stats stats_;
    std::map<const sc_core::sc_object *, uint32_t> ids_;
    uint32_t next_id_ = 0;
    bool in_reset_ = true;
    sc_core::sc_event reset_end_, done_;

    // bursts: waiting for AW / AR, waiting for W after AW, issued (per ID, oldest first)
    std::deque<burst *> aw_q_, ar_q_, w_q_;
    std::map<uint32_t, std::deque<burst *>> b_wait_, r_wait_;
    unsigned reads_out_ = 0, writes_out_ = 0;
    // registered outputs
    bool awvalid_q_ = false, wvalid_q_ = false, arvalid_q_ = false;
    bool bready_q_ = false, rready_q_ = false, wlast_q_ = false;
    uint32_t awid_q_ = 0, awlen_q_ = 0, awprot_q_ = 0, arid_q_ = 0, arlen_q_ = 0, arprot_q_ = 0;
    uint64_t awaddr_q_ = 0, araddr_q_ = 0;
    axi_data wdata_q_;
    axi_strb wstrb_q_;
    uint32_t awcache_q_ = 0, awdomain_q_ = 0, arcache_q_ = 0, ardomain_q_ = 0;
    uint32_t size_; // AxSIZE
};

// The master bridge with data ports of DATA_BITS (8 .. 1024): WDATA / RDATA of type
// vl_port_t<DATA_BITS>, WSTRB vl_port_t<DATA_BITS / 8>.
template <unsigned DATA_BITS> class tlm_axi_bridge_w : public tlm_axi_bridge_base {
  public:
    using data_t = typename axi_signals_w<DATA_BITS>::data_t;
    using strb_t = typename axi_signals_w<DATA_BITS>::strb_t;
    sc_core::sc_out<data_t> wdata;
    sc_core::sc_out<strb_t> wstrb;
    sc_core::sc_in<data_t> rdata;

    explicit tlm_axi_bridge_w(sc_core::sc_module_name name,
                              const master_bridge_params &p = master_bridge_params())
        : tlm_axi_bridge_base(name, p, DATA_BITS / 8), wdata("wdata"), wstrb("wstrb"),
          rdata("rdata") {}

    // Binds every AXI port (AXI4, AxCACHE, AxDOMAIN, AxQOS) to the signals of s (clk and rst_n
    // separately).
    void bind(axi_signals_w<DATA_BITS> &s) {
        bind_axi_master(*this, s);
        awcache(s.awcache);
        awdomain(s.awdomain);
        awqos(s.awqos);
        arcache(s.arcache);
        ardomain(s.ardomain);
        arqos(s.arqos);
    }

  protected:
    void sample_rdata(axi_data &d) const override {
        pin_to_lanes(rdata.read(), d.lane.data(), DATA_BITS / 8);
    }
    void drive_w(const axi_data &d, const axi_strb &st) override {
        wdata.write(lanes_to_pin<data_t>(d.lane.data(), DATA_BITS / 8));
        wstrb.write(strb_to_pin<strb_t>(st, DATA_BITS / 8));
    }
};

// The master bridge with 64-bit data ports (WDATA / RDATA uint64_t, WSTRB uint32_t).
class tlm_axi_bridge : public tlm_axi_bridge_w<64> {
  public:
    explicit tlm_axi_bridge(sc_core::sc_module_name name,
                            const master_bridge_params &p = master_bridge_params())
        : tlm_axi_bridge_w<64>(name, p) {}
};

} // namespace smmu_cosim

#endif
