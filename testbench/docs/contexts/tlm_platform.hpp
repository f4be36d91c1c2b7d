// SPDX-License-Identifier: Apache-2.0 OR MIT
// Snippet context (testbench/docs/check_snippets.py): the platform around the SMMU in the
// SystemC snippets of README.md and docs/tlm.md. Declarations only: the snippets are compiled
// with -fsyntax-only, never linked or run.
#ifndef SMMU_DOCS_CONTEXT_TLM_PLATFORM_HPP
#define SMMU_DOCS_CONTEXT_TLM_PLATFORM_HPP

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <smmu_tlm/smmu_tlm.h>

// A device (DMA engine) with one initiator socket towards the SMMU.
struct doc_device : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<doc_device> socket;
    explicit doc_device(sc_core::sc_module_name name);
};

// The interconnect: targets for the SMMU's translated and table traffic, an initiator for the
// CPU's register accesses.
struct doc_bus : sc_core::sc_module {
    tlm_utils::simple_target_socket<doc_bus> t_smmu_out;
    tlm_utils::simple_target_socket<doc_bus> t_smmu_tables;
    tlm_utils::simple_initiator_socket<doc_bus> i_smmu_regs;
    explicit doc_bus(sc_core::sc_module_name name);
};

extern doc_device dma0, dma1;
extern doc_bus bus;
extern sc_core::sc_signal<bool> evtq_irq;
// The SMMU of the platform, for snippets that do not construct their own.
extern smmu_tlm::smmu smmu;
// A device's transaction in flight (inside the device's SC_THREAD).
extern tlm::tlm_generic_payload gp;
extern sc_core::sc_time delay;
extern tlm_utils::simple_initiator_socket<doc_device> &socket;

#endif
