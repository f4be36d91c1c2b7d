// SPDX-License-Identifier: Apache-2.0 OR MIT
// Snippet context (testbench/docs/check_snippets.py): what the docs/cosim.md snippets use from
// around them: clock and reset, the SMMU, the bridge of step 3, and the
// stream whose ASID the lockstep is told. Declarations only (compiled with -fsyntax-only).
#ifndef SMMU_DOCS_CONTEXT_COSIM_PLATFORM_HPP
#define SMMU_DOCS_CONTEXT_COSIM_PLATFORM_HPP

#include <cstdint>

#include <systemc>

#include <smmu_cosim/axi_bridge.h>
#include <smmu_cosim/lockstep.h>
#include <smmu_tlm/smmu_tlm.h>

extern sc_core::sc_clock clk;
extern sc_core::sc_signal<bool> rst_n;
extern smmu_tlm::smmu smmu;                // the SMMU the RTL talks to
extern smmu_cosim::axi_tlm_bridge bridge;  // the bridge in front of the RTL master

extern uint32_t sid;                       // a stream ...
extern uint16_t asid;                      // ... and the ASID of its context

#endif
