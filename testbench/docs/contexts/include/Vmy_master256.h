// SPDX-License-Identifier: Apache-2.0 OR MIT
// Stand-in for the header Verilator generates for a user's AXI4 master with a 256-bit data bus
// (docs/cosim.md, "Data widths"): WDATA / RDATA sc_bv<256>, WSTRB (32 bits) uint32_t, the other
// ports as in Vmy_master.h. Used only to compile that snippet.
#ifndef SMMU_DOCS_STANDIN_VMY_MASTER256_H
#define SMMU_DOCS_STANDIN_VMY_MASTER256_H

#include <cstdint>

#include <systemc>

struct Vmy_master256 : sc_core::sc_module {
    sc_core::sc_in<bool> clk, rst_n;
    sc_core::sc_out<bool> awvalid;
    sc_core::sc_in<bool> awready;
    sc_core::sc_out<uint32_t> awid, awlen, awsize, awburst, awprot;
    sc_core::sc_out<uint64_t> awaddr, awuser;
    sc_core::sc_out<bool> wvalid, wlast;
    sc_core::sc_in<bool> wready;
    sc_core::sc_out<sc_dt::sc_bv<256>> wdata;
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
    sc_core::sc_in<sc_dt::sc_bv<256>> rdata;
    explicit Vmy_master256(sc_core::sc_module_name name);
};

#endif
