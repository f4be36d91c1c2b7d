// SPDX-License-Identifier: Apache-2.0 OR MIT
// Stand-in for the header Verilator generates for a user's micro-TLB (docs/cosim.md, "Plugging in
// your own RTL translation unit"): the ports of model/rtl/smmu_utlb.v, typed as Verilator types
// them. Used only to compile that snippet.
#ifndef SMMU_DOCS_STANDIN_VMY_TLB_H
#define SMMU_DOCS_STANDIN_VMY_TLB_H

#include <cstdint>

#include <systemc>

struct Vmy_tlb : sc_core::sc_module {
    sc_core::sc_in<bool> clk, rst_n;
    // lookup
    sc_core::sc_in<bool> lk_valid, lk_ssv;
    sc_core::sc_in<uint32_t> lk_sid, lk_ssid;
    sc_core::sc_in<uint64_t> lk_vpn;
    sc_core::sc_out<bool> lk_done, lk_hit;
    sc_core::sc_out<uint32_t> lk_perm;
    sc_core::sc_out<uint64_t> lk_ppn;
    // fill
    sc_core::sc_in<bool> fl_valid, fl_ssv;
    sc_core::sc_in<uint32_t> fl_sid, fl_ssid, fl_asid, fl_shift, fl_perm;
    sc_core::sc_in<uint64_t> fl_vpn, fl_ppn;
    // invalidation
    sc_core::sc_in<bool> iv_valid;
    sc_core::sc_in<uint32_t> iv_op, iv_asid, iv_sid;
    sc_core::sc_in<uint64_t> iv_vpn;
    explicit Vmy_tlb(sc_core::sc_module_name name);
};

#endif
