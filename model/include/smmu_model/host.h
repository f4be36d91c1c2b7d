// SPDX-License-Identifier: Apache-2.0 OR MIT
// The host CPU of the platform: runs the small SMMUv3 driver (<smmu/drv.h>) in an SC_THREAD with
// every register and memory access going through its initiator socket (normally bound to the
// router, which maps each SMMU's register frame and the memory). The platform is therefore
// programmed exactly as software would program it, with simulated time passing on every access.
#ifndef SMMU_MODEL_HOST_H
#define SMMU_MODEL_HOST_H

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <smmu/drv.h>

namespace smmu_model {

struct host_counters {
    uint64_t reg_reads = 0, reg_writes = 0, mem_reads = 0, mem_writes = 0, bus_errors = 0;
};

class host : public sc_core::sc_module {
  public:
    tlm_utils::simple_initiator_socket<host> socket;

    SC_HAS_PROCESS(host);
    // poll: simulated time the host waits after each register read (so that polling loops let
    // the SMMU's command thread progress).
    host(sc_core::sc_module_name name, sc_core::sc_time poll = sc_core::sc_time(5, sc_core::SC_NS));
    ~host() override;

    // The software the host runs (called once, in its SC_THREAD, at time 0).
    void set_program(std::function<void(host &)> program) {
        program_ = std::move(program);
    }

    // A driver for the SMMU whose register frame is at global address reg_base. The driver is
    // owned by the host (freed with it). NULL on a bad config.
    smmu_drv_t *new_driver(uint64_t reg_base, const smmu_drv_config_t &cfg);
    // A PMCG driver (<smmu/drv.h>, smmu_drv_pmcg_*) for the counter group whose Page 0 is at
    // global address base (Page 1 at base + SMMU_PMCG_PAGE1); owned by the host. NULL when no
    // group answers there.
    smmu_drv_pmcg_t *new_pmcg(uint64_t base);

    // Timed accesses through the socket (only from the host's thread). Return false on a bus
    // error.
    bool read(uint64_t addr, void *buf, size_t len);
    bool write(uint64_t addr, const void *buf, size_t len);
    uint64_t reg_read(uint64_t addr, unsigned size);
    void reg_write(uint64_t addr, uint64_t val, unsigned size);

    // Enables the GERROR and EVENTQ wired interrupts of the driver's SMMU (IRQ_CTRL with its
    // IRQ_CTRLACK handshake, spec 6.3.13). 0 or SMMU_DRV_ETIMEDOUT.
    int enable_irqs(smmu_drv_t *d);

    const host_counters &counters() const {
        return counters_;
    }
    bool finished() const {
        return finished_;
    }
    const sc_core::sc_event &finished_event() const {
        return finished_ev_;
    }

  private:
    struct drv_ctx {
        host *h;
        uint64_t reg_base;
        smmu_drv_t *drv;
    };
    static uint64_t op_reg_read(void *ctx, uint64_t off, unsigned size);
    static void op_reg_write(void *ctx, uint64_t off, uint64_t val, unsigned size);
    static int op_mem_read(void *ctx, uint64_t pa, void *buf, size_t len);
    static int op_mem_write(void *ctx, uint64_t pa, const void *buf, size_t len);

    bool access(tlm::tlm_command cmd, uint64_t addr, void *buf, size_t len);
    drv_ctx *ctx_of(smmu_drv_t *d);
    void run();

    sc_core::sc_time poll_;
    std::function<void(host &)> program_;
    std::vector<std::unique_ptr<drv_ctx>> drivers_;
    std::vector<std::pair<std::unique_ptr<drv_ctx>, smmu_drv_pmcg_t *>> pmcgs_;
    host_counters counters_;
    bool finished_ = false;
    sc_core::sc_event finished_ev_;
};

} // namespace smmu_model

#endif
