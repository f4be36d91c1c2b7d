// SPDX-License-Identifier: Apache-2.0 OR MIT
// Stand-in for the header Verilator generates for a user's AXI4 master (docs/cosim.md, "Plugging
// in your own Verilog master"): ports named and typed as Verilator types them (1 bit: bool,
// 2-32 bits: uint32_t, 33-64 bits: uint64_t, wider: sc_bv<N>); D is the type of the data buses
// (Vmy_master256.h: a 256-bit one). Used only to compile the snippets.
#ifndef SMMU_DOCS_STANDIN_VMY_MASTER_H
#define SMMU_DOCS_STANDIN_VMY_MASTER_H

#include <cstdint>

#include <systemc>

template <class D> struct Vmy_master_t : sc_core::sc_module {
    sc_core::sc_in<bool> clk, rst_n;
    sc_core::sc_out<bool> awvalid;
    sc_core::sc_in<bool> awready;
    sc_core::sc_out<uint32_t> awid, awlen, awsize, awburst, awprot;
    sc_core::sc_out<uint64_t> awaddr, awuser;
    sc_core::sc_out<bool> wvalid, wlast;
    sc_core::sc_in<bool> wready;
    sc_core::sc_out<D> wdata;
    sc_core::sc_out<uint32_t> wstrb;
    sc_core::sc_in<bool> bvalid;
    sc_core::sc_out<bool> bready;
    sc_core::sc_in<uint32_t> bid, bresp;
    sc_core::sc_out<bool> arvalid;
    sc_core::sc_in<bool> arready;
    sc_core::sc_out<uint32_t> arid, arlen, arsize, arburst, arprot;
    sc_core::sc_out<uint64_t> araddr, aruser;
    sc_core::sc_in<bool> rvalid, rlast;
    sc_core::sc_out<bool> rready;
    sc_core::sc_in<uint32_t> rid, rresp;
    sc_core::sc_in<D> rdata;
    explicit Vmy_master_t(sc_core::sc_module_name name);
};
using Vmy_master = Vmy_master_t<uint64_t>;

#endif
