// SPDX-License-Identifier: Apache-2.0 OR MIT
// An outside SystemC program using the installed smmu_tlm: one master, the SMMU, a memory for
// data and tables; the driver programs stage 1 for StreamID 1 and the master reads through it.
#include <smmu/drv.h>
#include <smmu/mem.h>
#include <smmu_tlm/smmu_tlm.h>

#include <cstdio>

struct memory : sc_core::sc_module {
    tlm_utils::simple_target_socket<memory> socket;
    smmu_mem_t *mem;
    memory(sc_core::sc_module_name n, smmu_mem_t *m) : sc_module(n), socket("socket"), mem(m) {
        socket.register_b_transport(this, &memory::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay) {
        int err =
            gp.is_read()
                ? smmu_mem_read(mem, gp.get_address(), gp.get_data_ptr(), gp.get_data_length())
                : smmu_mem_write(mem, gp.get_address(), gp.get_data_ptr(), gp.get_data_length());
        delay += sc_core::sc_time(10, sc_core::SC_NS);
        gp.set_response_status(err ? tlm::TLM_ADDRESS_ERROR_RESPONSE : tlm::TLM_OK_RESPONSE);
    }
};

struct master : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<master> socket;
    tlm_utils::simple_initiator_socket<master> regs; // register frame (unused here)
    smmu_tlm::smmu *smmu;
    smmu_mem_t *mem;
    bool ok = false;
    SC_HAS_PROCESS(master);
    master(sc_core::sc_module_name n, smmu_tlm::smmu *s, smmu_mem_t *m)
        : sc_module(n), socket("socket"), regs("regs"), smmu(s), mem(m) {
        SC_THREAD(run);
    }
    void run() {
        // program the SMMU as software would (here: the driver straight on the core)
        smmu_drv_t *d = smmu_drv_new_direct(smmu->core(), mem, 0x80000000, 16 << 20);
        smmu_domain_t *dom;
        smmu_domain_cfg_t dc = {1, 1, 4096, 48, 0};
        if (!d || smmu_drv_init(d) || smmu_drv_domain_new(d, &dc, &dom) ||
            smmu_drv_map(d, dom, 0x1000, 0x40000000, 0x1000, SMMU_PROT_R | SMMU_PROT_W) ||
            smmu_drv_attach_s1(d, 1, dom, 0, SMMU_DRV_S1DSS_TERMINATE))
            return;
        smmu_mem_write64(mem, 0x40000010, 0x1122334455667788ull);
        uint64_t v = 0;
        tlm::tlm_generic_payload gp;
        gp.set_command(tlm::TLM_READ_COMMAND);
        gp.set_address(0x1010); // IOVA
        gp.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
        gp.set_data_length(8);
        gp.set_streaming_width(8);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        socket->b_transport(gp, delay); // StreamID 1: the port's default
        ok = gp.is_response_ok() && v == 0x1122334455667788ull && delay > sc_core::SC_ZERO_TIME;
        smmu_drv_free(d);
    }
};

int sc_main(int, char **) {
    smmu_mem_t *mem = smmu_mem_new();
    memory data("data", mem), tables("tables", mem);
    smmu_tlm::smmu_tlm_params p;
    p.default_sid = {1};
    smmu_tlm::smmu smmu("smmu", p);
    master m("master", &smmu, mem);
    m.socket.bind(smmu.upstream[0]);
    smmu.downstream.bind(data.socket);
    smmu.table.bind(tables.socket);
    m.regs.bind(smmu.regs);
    sc_core::sc_start();
    std::printf("outside: %s\n", m.ok ? "OK" : "FAILED");
    smmu_mem_free(mem);
    return m.ok ? 0 : 1;
}
