// SPDX-License-Identifier: Apache-2.0 OR MIT
// A pin-level APB3 master for programming RTL registers from SystemC threads (the host's
// software): write() and read() perform one transfer (setup phase, access phase, waiting for
// PREADY) on the rising edges of clk and return when it has completed. Call them only from an
// SC_THREAD. Signal types as Verilator's SystemC models type them.
//
// Reset (optional port rst_n, PRESETn; unbound: never in reset): a transfer starts only after
// a rising edge at which PRESETn is high; one that a reset edge interrupts is abandoned: PSEL
// and PENABLE go low right after that edge (IHI 0024: low during reset) and the call returns
// 0 with *err set. The slave may have taken a write or not; software must assume neither.
#ifndef SMMU_COSIM_APB_H
#define SMMU_COSIM_APB_H

#include <cstdint>

#include <systemc>

namespace smmu_cosim {

struct apb_signals {
    sc_core::sc_signal<bool> psel, penable, pwrite;
    sc_core::sc_signal<uint32_t> paddr, pwdata, prdata;
    sc_core::sc_signal<bool> pready, pslverr;
};

// Binds the APB ports of a slave module named like the signals.
template <class S> void bind_apb_slave(S &s, apb_signals &a) {
    s.psel(a.psel);
    s.penable(a.penable);
    s.pwrite(a.pwrite);
    s.paddr(a.paddr);
    s.pwdata(a.pwdata);
    s.prdata(a.prdata);
    s.pready(a.pready);
    s.pslverr(a.pslverr);
}

class apb_master : public sc_core::sc_module {
  public:
    sc_core::sc_in<bool> clk;
    sc_core::sc_out<bool> psel, penable, pwrite;
    sc_core::sc_out<uint32_t> paddr, pwdata;
    sc_core::sc_in<uint32_t> prdata;
    sc_core::sc_in<bool> pready, pslverr;
    sc_core::sc_port<sc_core::sc_signal_in_if<bool>, 1, sc_core::SC_ZERO_OR_MORE_BOUND> rst_n;

    explicit apb_master(sc_core::sc_module_name name);
    void bind(apb_signals &a);

    // One transfer each; false / PSLVERR reported through *err when given.
    void write(uint32_t addr, uint32_t value, bool *err = nullptr);
    uint32_t read(uint32_t addr, bool *err = nullptr);

    // Transfers abandoned because of a reset.
    uint64_t abandoned() const {
        return abandoned_;
    }

  private:
    uint32_t transfer(bool write, uint32_t addr, uint32_t value, bool *err);
    bool in_reset() const {
        return rst_n.size() && !rst_n->read();
    }
    uint64_t abandoned_ = 0;
};

} // namespace smmu_cosim

#endif
