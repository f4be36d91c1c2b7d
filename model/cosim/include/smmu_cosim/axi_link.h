// SPDX-License-Identifier: Apache-2.0 OR MIT
// Connects the AXI ports of a master module (typically a Verilated Verilog master) to those of an
// AXI slave module (typically smmu_cosim::axi_tlm_bridge) in one call, by port name:
//
//   Vmy_master rtl("rtl");                              // ports m_axi_awvalid ... m_axi_rlast
//   smmu_cosim::axi_tlm_bridge bridge("bridge");
//   smmu_cosim::axi_link_options o;
//   o.master_prefix = "m_axi_";
//   o.master_clock = "aclk";                            // bound to clk with the bridge's clk
//   o.master_reset = "aresetn";                         // bound to rst_n with the bridge's rst_n
//   o.stream.sid = 5;                                   // AxUSER of a master without AxUSER
//   smmu_cosim::axi_link link("link", rtl, bridge, clk, rst_n, o);
//
// For every AXI port of the slave (a port whose name, after slave_prefix, is an AXI signal name
// of the AXI4 / AXI5 lists in axi_link.cpp), the master's port named master_prefix + that name:
//
//  - exists: connected through a signal. When the two ports' value types differ (Verilator types
//    1 bit as bool, 2-32 bits as uint32_t, 33-64 bits as uint64_t, wider as sc_bv<N>; with
//    --pins-uint8 also uint8_t / uint16_t) the link converts between them: zero-extended towards
//    the wider type, truncated towards the narrower one (a 32-bit AxADDR, a 1-bit AxID). The data
//    buses (wdata, rdata) must have the same type on both sides: the lanes would not line up.
//  - is missing and the slave's port is an input: tied off to tie_value() (AXI's defaults for an
//    absent optional signal: AxLEN 0, AxSIZE the slave's bus width, AxBURST INCR, WSTRB all ones,
//    IDs / AxCACHE / AxLOCK / AxQOS 0; WLAST 1, as a master without it makes one-beat bursts;
//    AxUSER the `stream` identity; AxPROT `prot`; anything else 0), unless `tie_offs` names a
//    value.
//  - is missing and the slave's port is an output: left open (a signal nobody reads).
//
// Ports of the master named master_prefix + an AXI signal name the slave does not have (e.g.
// m_axi_awqos, m_axi_ruser) are left open (outputs) or tied to 0 (inputs), so elaboration does not
// fail on them. Other ports of either module (clocks and resets not named in the options,
// interrupts, APB ...) are the caller's.
//
// A master may have only one direction (its AR and R ports, or its AW, W and B ports): the other
// direction's slave inputs are tied off (VALIDs low). A direction it has must have its handshake,
// address and data ports (AxVALID, AxREADY, AxADDR, xVALID, xREADY, xDATA, BVALID, BREADY);
// a missing one, a port driven from both sides, a data width mismatch or an unsupported port type
// is an SC_REPORT_ERROR of type axi_link::msg_type (SystemC's default action throws). What was done
// is in connections() and is reported once with SC_REPORT_INFO_VERB(msg_type, ..., SC_MEDIUM).
#ifndef SMMU_COSIM_AXI_LINK_H
#define SMMU_COSIM_AXI_LINK_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include <smmu_cosim/axi.h>

namespace smmu_cosim {

struct axi_link_options {
    std::string master_prefix; // the master's AXI ports: master_prefix + awvalid, ...
    std::string slave_prefix;  // the slave's (empty for axi_tlm_bridge)
    // The master's clock and active-low reset inputs, bound to clk and rst_n ("": the caller
    // binds them). The slave's are slave_clock / slave_reset ("": the caller binds them).
    std::string master_clock, master_reset;
    std::string slave_clock = "clk", slave_reset = "rst_n";
    axi_user stream;                          // AxUSER of a master without AxUSER ports
    uint32_t prot = AXI_PROT_NS;              // AxPROT of a master without: unprivileged, NS, data
    std::map<std::string, uint64_t> tie_offs; // slave input name (no prefix) -> value
};

// One port of the slave, or of the master only, and what became of it.
struct axi_link_connection {
    enum kind_t { CONNECTED, CONVERTED, TIED_OFF, OPEN } kind;
    std::string signal;     // AXI signal name, e.g. "awaddr"
    std::string slave_port; // full names; empty when that side has no such port
    std::string master_port;
    uint64_t value = 0; // TIED_OFF: the value
    std::string to_string() const;
};

class axi_link : public sc_core::sc_module {
  public:
    static constexpr const char *msg_type = "smmu_cosim/axi_link";

    axi_link(sc_core::sc_module_name name, sc_core::sc_module &master, sc_core::sc_module &slave,
             sc_core::sc_signal_in_if<bool> &clk, sc_core::sc_signal_in_if<bool> &rst_n,
             const axi_link_options &o = axi_link_options());
    ~axi_link() override;

    const std::vector<axi_link_connection> &connections() const {
        return connections_;
    }
    // The value a slave input named `signal` (no prefix) is tied to when the master lacks it.
    uint64_t tie_value(const std::string &signal) const;

    struct impl;

  private:
    axi_link_options o_;
    unsigned slave_bus_bytes_ = 8;
    std::vector<axi_link_connection> connections_;
    std::vector<std::shared_ptr<void>> signals_; // the sc_signal<T> it made
};

// The AXI4 / AXI5 signal names the link knows (lower case, no prefix).
const std::vector<std::string> &axi_signal_names();

} // namespace smmu_cosim

#endif
