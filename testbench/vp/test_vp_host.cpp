// SPDX-License-Identifier: Apache-2.0 OR MIT
// The host runs c_core/drv over TLM: every register access goes through the router to the SMMU's
// register socket, every table/queue write through the router to the memory. One elaboration,
// every binding through a protocol checker (vp_test::check_bind):
//
//   host ──┐                       ┌─ mem
//   smmu.table ── bus ─────────────┼─ smmu.regs  (at 0x10000000000)
//   smmu.downstream ┘              │
//   dev ── smmu.upstream[0]
//
// The host brings the SMMU up, maps IOVA page 0x10000 of StreamID 3 (stage 1, stall faults),
// lets the device go, and on the event-queue interrupt maps the page that stalled and resumes.
#include <smmu/regs.h>

#include <smmu_model/host.h>
#include <smmu_model/memory.h>
#include <smmu_model/router.h>
#include <smmu_model/traffic.h>
#include <smmu_tlm/smmu_tlm.h>

#include "vp_test_main.h"

using namespace sc_core;
using namespace smmu_model;

namespace {

constexpr uint64_t reg_base = 1ull << 40;

struct bench : sc_module {
    router bus{"bus", sc_time(2, SC_NS)};
    memory mem{"mem"};
    host cpu{"cpu"};
    smmu_tlm::smmu smmu{"smmu"};
    std::unique_ptr<traffic_master> dev;
    sc_signal<bool> irq_evt{"irq_evt"}, irq_priq{"irq_priq"}, irq_sync{"irq_sync"},
        irq_gerr{"irq_gerr"};
    unsigned evt_edges = 0;
    bool go = false;
    sc_event go_ev;
    // what the host program saw
    int init_err = 1, irq_err = 1, map_err = 1, attach_err = 1, stall_err = 1, fix_err = 1,
        resume_err = 1;
    unsigned stall_events = 0;
    bool woke_by_irq = false;
    sc_time init_done;

    SC_HAS_PROCESS(bench);
    explicit bench(sc_module_name n) : sc_module(n) {
        master_params mp;
        mp.keep_log = true;
        flow_params f;
        f.sid = 3;
        f.base = 0x10000;
        f.size = 0x2000;
        f.burst = 0x100;
        f.count = 32;
        f.write_ratio = 1.0;
        mp.flows = {f};
        dev.reset(new traffic_master("dev", mp));
        dev->set_gate(&go_ev, &go);
        vp_test::check_bind(dev->socket, smmu.upstream[0], "dev_to_smmu");
        vp_test::check_bind(smmu.downstream, bus.target, "smmu_downstream_to_bus");
        vp_test::check_bind(smmu.table, bus.target, "smmu_table_to_bus");
        vp_test::check_bind(cpu.socket, bus.target, "cpu_to_bus");
        vp_test::check_bind(bus.initiator, mem.socket, "bus_to_mem");
        vp_test::check_bind(bus.initiator, smmu.regs, "bus_to_smmu_regs");
        bus.map("mem", 0, 1ull << 40, 0, 0);
        bus.map("smmu", reg_base, 0x20000, 1);
        smmu.irq_eventq(irq_evt);
        smmu.irq_priq(irq_priq);
        smmu.irq_cmd_sync(irq_sync);
        smmu.irq_gerror(irq_gerr);
        cpu.set_program([this](host &h) { program(h); });
        SC_METHOD(count_edges);
        sensitive << irq_evt.posedge_event();
        dont_initialize();
    }
    void count_edges() {
        evt_edges++;
    }

    void program(host &h) {
        smmu_drv_config_t cfg{};
        cfg.pool_base = 0x80000000;
        cfg.pool_size = 16 << 20;
        cfg.sid_bits = 6;
        smmu_drv_t *d = h.new_driver(reg_base, cfg);
        if (!d) return;
        init_err = smmu_drv_init(d);
        init_done = sc_time_stamp();
        irq_err = h.enable_irqs(d);
        smmu_domain_cfg_t dc{1, 1, 4096, 48, 0};
        smmu_domain_t *dom = nullptr;
        smmu_drv_domain_new(d, &dc, &dom);
        map_err = smmu_drv_map(d, dom, 0x10000, 0x200000, 0x1000, SMMU_PROT_R | SMMU_PROT_W);
        attach_err = smmu_drv_attach_s1(d, 3, dom, 0, SMMU_DRV_S1DSS_TERMINATE);
        stall_err = smmu_drv_set_stall(d, 3, true);
        go = true;
        go_ev.notify();
        while (!dev->done()) {
            wait(sc_time(20, SC_US), irq_evt.value_changed_event());
            woke_by_irq |= irq_evt.read();
            smmu_drv_event_t ev;
            while (smmu_drv_next_event(d, &ev) == 0) {
                if (!ev.stall) continue;
                stall_events++;
                fix_err = smmu_drv_map(d, dom, ev.addr & ~0xFFFull, 0x201000, 0x1000,
                                       SMMU_PROT_R | SMMU_PROT_W);
                resume_err = smmu_drv_resume(d, ev.sid, ev.stag, true);
            }
        }
    }
};

bench &B() {
    static bench *b = [] {
        bench *x = new bench("bench");
        sc_start(sc_time(1, SC_MS));
        return x;
    }();
    return *b;
}

} // namespace

TEST(HostOverTlm, DriverInitEnablesTheSmmu) {
    EXPECT_EQ(B().init_err, 0);
    uint32_t cr0 = (uint32_t)smmu_reg_read(B().smmu.core(), SMMU_CR0ACK, 4);
    EXPECT_EQ(cr0 & (SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN),
              SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN);
    EXPECT_GT(B().init_done, SC_ZERO_TIME); // every access and poll took simulated time
}

TEST(HostOverTlm, AccessesWentThroughSockets) {
    const host_counters &c = B().cpu.counters();
    EXPECT_GT(c.reg_reads, 0u);
    EXPECT_GT(c.reg_writes, 0u);
    EXPECT_GT(c.mem_writes, 0u);
    EXPECT_EQ(c.bus_errors, 0u);
    // the host's table writes and the SMMU's own queue/table traffic reached the memory
    EXPECT_GE(B().mem.counters().writes, c.mem_writes);
    EXPECT_GT(B().mem.counters().reads, 0u);
}

TEST(HostOverTlm, ProgrammingSucceeded) {
    EXPECT_EQ(B().irq_err, 0);
    EXPECT_EQ(B().map_err, 0);
    EXPECT_EQ(B().attach_err, 0);
    EXPECT_EQ(B().stall_err, 0);
}

TEST(HostOverTlm, DeviceTrafficTranslated) {
    ASSERT_TRUE(B().dev->done());
    const flow_stats &s = B().dev->stats()[0];
    EXPECT_EQ(s.transactions, 32u);
    EXPECT_EQ(s.ok, 32u);
    EXPECT_EQ(s.errors, 0u);
    uint8_t b[0x100];
    ASSERT_TRUE(B().mem.read(0x200000, b, sizeof b)); // IOVA 0x10000 -> PA 0x200000
    for (uint8_t x : b)
        EXPECT_EQ(x, 0xA0); // the master's data for flow 0
}

TEST(HostOverTlm, StallResumedAfterHostMappedThePage) {
    EXPECT_EQ(B().stall_events, 1u); // the first access to page 0x11000 stalled; later ones hit
    EXPECT_EQ(B().fix_err, 0);
    EXPECT_EQ(B().resume_err, 0);
    uint8_t b[0x100];
    ASSERT_TRUE(B().mem.read(0x201000, b, sizeof b)); // written after the retry
    for (uint8_t x : b)
        EXPECT_EQ(x, 0xA0);
    EXPECT_EQ(smmu_stalls_pending(B().smmu.core()), 0u);
}

TEST(HostOverTlm, NoProtocolViolations) {
    B();
    EXPECT_EQ(smmu_model::protocol_checker_base::total_violations(), 0u);
}

TEST(HostOverTlm, EventQueueInterruptWokeTheHost) {
    EXPECT_GE(B().evt_edges, 1u);
    EXPECT_TRUE(B().woke_by_irq);
}
