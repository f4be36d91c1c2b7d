// SPDX-License-Identifier: Apache-2.0 OR MIT
// An outside program built against an installed smmu_cosim with pkg-config only (no Verilator):
// a pin-level read-only master with prefixed ports (C++, in place of Verilated RTL), linked to
// the bridge by smmu_cosim::axi_link, reads 8 bytes from a small memory target.
#include <smmu_cosim/axi_bridge.h>
#include <smmu_cosim/axi_link.h>

#include <tlm_utils/simple_target_socket.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace {

constexpr uint64_t kValue = 0x0123456789abcdefull;

struct memory : sc_core::sc_module {
    tlm_utils::simple_target_socket<memory> socket{"socket"};
    unsigned char bytes[0x200] = {};
    explicit memory(sc_core::sc_module_name n) : sc_module(n) {
        std::memcpy(bytes + 0x100, &kValue, 8);
        socket.register_b_transport(this, &memory::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &) {
        if (gp.get_address() + gp.get_data_length() > sizeof bytes) {
            gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (gp.is_read())
            std::memcpy(gp.get_data_ptr(), bytes + gp.get_address(), gp.get_data_length());
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

struct master : sc_core::sc_module {
    sc_core::sc_in<bool> clk{"clk"};
    sc_core::sc_out<bool> m_axi_arvalid{"m_axi_arvalid"}, m_axi_rready{"m_axi_rready"};
    sc_core::sc_in<bool> m_axi_arready{"m_axi_arready"}, m_axi_rvalid{"m_axi_rvalid"};
    sc_core::sc_out<uint32_t> m_axi_araddr{"m_axi_araddr"};
    sc_core::sc_in<uint64_t> m_axi_rdata{"m_axi_rdata"};
    sc_core::sc_in<uint32_t> m_axi_rresp{"m_axi_rresp"};
    uint64_t data = 0;
    uint32_t resp = 9;
    SC_HAS_PROCESS(master);
    explicit master(sc_core::sc_module_name n) : sc_module(n) {
        SC_THREAD(run);
    }
    void run() {
        for (int i = 0; i < 4; i++)
            wait(clk.posedge_event());
        m_axi_arvalid.write(true);
        m_axi_araddr.write(0x100);
        do
            wait(clk.posedge_event());
        while (!m_axi_arready.read());
        m_axi_arvalid.write(false);
        m_axi_rready.write(true);
        do
            wait(clk.posedge_event());
        while (!m_axi_rvalid.read());
        data = m_axi_rdata.read();
        resp = m_axi_rresp.read();
        sc_core::sc_stop();
    }
};

} // namespace

int sc_main(int, char **) {
    sc_core::sc_clock clk("clk", 10, sc_core::SC_NS);
    sc_core::sc_signal<bool> rst_n("rst_n");
    master m("master");
    smmu_cosim::axi_tlm_bridge bridge("bridge");
    memory mem("mem");
    smmu_cosim::axi_link_options o;
    o.master_prefix = "m_axi_";
    o.master_clock = "clk";
    smmu_cosim::axi_link link("link", m, bridge, clk, rst_n, o);
    bridge.socket.bind(mem.socket);
    rst_n.write(true);
    sc_core::sc_start(sc_core::sc_time(10, sc_core::SC_US));
    std::printf("read 0x%016" PRIx64 " %s\n", m.data, smmu_cosim::axi_resp_name(m.resp));
    const bool ok =
        m.data == kValue && m.resp == smmu_cosim::AXI_OKAY && bridge.violations().empty();
    std::printf("outside: %s\n", ok ? "OK" : "FAILED");
    return ok ? 0 : 1;
}
