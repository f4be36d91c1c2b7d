// SPDX-License-Identifier: Apache-2.0 OR MIT
// An outside SystemC platform built against an installed smmu_model (pkg-config smmu_model or
// find_package(smmu_model)): a device, the SMMU (smmu_tlm), smmu_model's router and memory.
//
//   device -- smmu.upstream[0]    smmu.downstream --+
//                                 smmu.table -------+-- router --+-- memory     [0, 1 TiB)
//                                                                +-- smmu.regs  1 TiB + 128 KiB
//
// The driver programs stage 1 for StreamID 1 straight on the core (its tables live in the
// memory's backing smmu_mem_t); the device reads an IOVA, the SMMU walks the tables through the
// router and forwards the translated read through the router to the memory.
#include <smmu/drv.h>
#include <smmu/mem.h>
#include <smmu_model/memory.h>
#include <smmu_model/router.h>
#include <smmu_tlm/smmu_tlm.h>

#include <cinttypes>
#include <cstdio>

namespace {

constexpr uint64_t kIova = 0x1010, kPa = 0x40000010, kValue = 0x1122334455667788ull;

struct device : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<device> socket;
    smmu_tlm::smmu *smmu;
    smmu_mem_t *mem;
    bool ok = false;
    SC_HAS_PROCESS(device);
    device(sc_core::sc_module_name n, smmu_tlm::smmu *s, smmu_mem_t *m)
        : sc_module(n), socket("socket"), smmu(s), mem(m) {
        SC_THREAD(run);
    }
    void run() {
        smmu_drv_t *d = smmu_drv_new_direct(smmu->core(), mem, 0x80000000, 16 << 20);
        smmu_domain_t *dom;
        smmu_domain_cfg_t dc = {1, 1, 4096, 48, 0};
        if (!d || smmu_drv_init(d) || smmu_drv_domain_new(d, &dc, &dom) ||
            smmu_drv_map(d, dom, kIova & ~0xFFFull, kPa & ~0xFFFull, 0x1000,
                         SMMU_PROT_R | SMMU_PROT_W) ||
            smmu_drv_attach_s1(d, 1, dom, 0, SMMU_DRV_S1DSS_TERMINATE)) {
            std::printf("driver setup failed\n");
            return;
        }
        smmu_mem_write64(mem, kPa, kValue);
        uint64_t v = 0;
        tlm::tlm_generic_payload gp;
        gp.set_command(tlm::TLM_READ_COMMAND);
        gp.set_address(kIova);
        gp.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
        gp.set_data_length(8);
        gp.set_streaming_width(8);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        socket->b_transport(gp, delay); // StreamID 1: the port's default
        std::printf("read iova 0x%" PRIx64 ": %s, 0x%" PRIx64 ", %s\n", kIova,
                    gp.get_response_string().c_str(), v, delay.to_string().c_str());
        ok = gp.is_response_ok() && v == kValue;
        smmu_drv_free(d);
    }
};

} // namespace

int sc_main(int, char **) {
    smmu_mem_t *mem = smmu_mem_new();
    smmu_model::memory memory("memory", smmu_model::memory_params(), mem);
    smmu_model::router bus("bus", sc_core::sc_time(2, sc_core::SC_NS));
    smmu_tlm::smmu_tlm_params p;
    p.default_sid = {1};
    smmu_tlm::smmu smmu("smmu", p);
    device dev("device", &smmu, mem);

    dev.socket.bind(smmu.upstream[0]);
    smmu.downstream.bind(bus.target);
    smmu.table.bind(bus.target);
    bus.initiator.bind(memory.socket); // port 0
    bus.initiator.bind(smmu.regs);     // port 1
    bool mapped =
        bus.map("memory", 0, 1ull << 40, 0) && bus.map("smmu_regs", 1ull << 40, 0x20000, 1);

    sc_core::sc_start();
    const smmu_model::memory_counters &c = memory.counters();
    std::printf("memory: %" PRIu64 " reads, %" PRIu64 " writes; router decode errors %" PRIu64 "\n",
                c.reads, c.writes, bus.decode_errors());
    // the data read and the SMMU's table walk reached the memory through the router
    bool ok = mapped && dev.ok && c.reads >= 2 && bus.decode_errors() == 0;
    std::printf("outside: %s\n", ok ? "OK" : "FAILED");
    smmu_mem_free(mem);
    return ok ? 0 : 1;
}
