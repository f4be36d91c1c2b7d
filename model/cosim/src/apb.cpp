// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <smmu_cosim/apb.h>

namespace smmu_cosim {

using namespace sc_core;

apb_master::apb_master(sc_module_name name)
    : sc_module(name), clk("clk"), psel("psel"), penable("penable"), pwrite("pwrite"),
      paddr("paddr"), pwdata("pwdata"), prdata("prdata"), pready("pready"), pslverr("pslverr"),
      rst_n("rst_n") {}

void apb_master::bind(apb_signals &a) {
    psel(a.psel);
    penable(a.penable);
    pwrite(a.pwrite);
    paddr(a.paddr);
    pwdata(a.pwdata);
    prdata(a.prdata);
    pready(a.pready);
    pslverr(a.pslverr);
}

uint32_t apb_master::transfer(bool write, uint32_t addr, uint32_t value, bool *err) {
    do
        wait(clk.posedge_event()); // setup phase from the first edge out of reset
    while (in_reset());
    psel.write(true);
    penable.write(false);
    pwrite.write(write);
    paddr.write(addr);
    pwdata.write(value);
    uint32_t data = 0;
    bool slverr = false;
    wait(clk.posedge_event()); // access phase from this edge
    if (!in_reset()) {
        penable.write(true);
        for (;;) {
            wait(clk.posedge_event()); // the slave samples the access phase at this edge
            if (in_reset()) break;
            if (pready.read()) {
                data = prdata.read();
                slverr = pslverr.read();
                break;
            }
        }
    }
    psel.write(false);
    penable.write(false);
    if (in_reset()) { // abandoned: nothing of it survives the reset
        abandoned_++;
        data = 0;
        slverr = true;
    }
    if (err) *err = slverr;
    return data;
}

void apb_master::write(uint32_t addr, uint32_t value, bool *err) {
    transfer(true, addr, value, err);
}

uint32_t apb_master::read(uint32_t addr, bool *err) {
    return transfer(false, addr, 0, err);
}

} // namespace smmu_cosim
