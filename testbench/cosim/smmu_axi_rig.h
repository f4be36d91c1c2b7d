// SPDX-License-Identifier: Apache-2.0 OR MIT
// The pin-level C++ master of axi_rig.h in front of an smmu_tlm::smmu that the project's driver
// programs through a router, with smmu_model::memory behind it for data and tables:
//
//   C++ master ─pins─> axi_tlm_bridge ─TLM─> smmu.upstream[0]   smmu.downstream ─┐
//   host (c_core/drv over TLM) ──> router ──┬──> memory  <────────────────────────┘
//                                           └──> smmu.regs        smmu.table ──> router
//
// Used by test_cosim_burst.cpp and bench_cosim_outstanding.cpp.
#ifndef SMMU_TESTBENCH_COSIM_SMMU_AXI_RIG_H
#define SMMU_TESTBENCH_COSIM_SMMU_AXI_RIG_H

#include <functional>
#include <string>

#include <smmu/drv.h>
#include <smmu_model/host.h>
#include <smmu_model/memory.h>
#include <smmu_model/router.h>
#include <smmu_tlm/smmu_tlm.h>

#include "axi_rig.h"

namespace cosim_test {

struct smmu_axi_rig : axi_rig {
    static constexpr uint64_t REG_BASE = uint64_t(1) << 32;
    smmu_model::router bus{"bus"};
    smmu_model::memory mem{"mem"};
    smmu_model::host host{"host"};
    smmu_tlm::smmu smmu;
    smmu_drv_t *drv = nullptr;
    std::string setup_error;
    std::function<void()> host_job;
    bool host_busy = false;
    uint64_t pool_size; // the driver's pool at 0x80000000

    static smmu_tlm::smmu_tlm_params sparams() {
        smmu_tlm::smmu_tlm_params p;
        p.n_upstream = 1;
        return p;
    }

    smmu_axi_rig(sc_core::sc_module_name n, const smmu_cosim::bridge_params &bp,
                 uint64_t pool = 16 << 20)
        : axi_rig(n, bp), smmu("smmu", sparams()), pool_size(pool) {
        bus.initiator.bind(mem.socket); // port 0
        bus.map("memory", 0, uint64_t(1) << 32, 0, 0);
        bus.initiator.bind(smmu.regs); // port 1
        bus.map("smmu.regs", REG_BASE, 0x20000, 1);
        host.socket.bind(bus.target);
        smmu.downstream.bind(bus.target);
        smmu.table.bind(bus.target);
        bridge.socket.bind(smmu.upstream[0]);
        host.set_program([this](smmu_model::host &h) { program(h); });
    }
    void program(smmu_model::host &h) {
        smmu_drv_config_t cfg{};
        cfg.pool_base = 0x80000000;
        cfg.pool_size = pool_size;
        cfg.sid_bits = 8;
        drv = h.new_driver(REG_BASE, cfg);
        int err = drv ? smmu_drv_init(drv) : SMMU_DRV_EINVAL;
        if (err) setup_error = std::string("smmu_drv_init: ") + smmu_drv_strerror(err);
        for (;;) {
            while (!host_job)
                wait(clk.posedge_event());
            host_job();
            host_job = nullptr;
            host_busy = false;
            sc_core::sc_pause();
        }
    }
    // From outside the simulation: runs f in the host's thread until it returns.
    bool run(std::function<void()> f) {
        host_job = std::move(f);
        host_busy = true;
        sc_core::sc_start(sc_core::sc_time(10, sc_core::SC_MS));
        return !host_busy;
    }
};

} // namespace cosim_test

#endif
