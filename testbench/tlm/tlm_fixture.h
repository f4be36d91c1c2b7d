// SPDX-License-Identifier: Apache-2.0 OR MIT
// TLM test platform pieces: a memory target on the shared sparse memory (latency, access log,
// DMI window, debug transport), a test initiator (LT, AT, DMI, invalidation log), a driver
// whose register accesses go through the SMMU's register socket from a SystemC thread (as
// software would program it), and helpers to run a test body as a SystemC thread.
//
// SystemC allows one elaboration per process: each test_*.cpp builds its platform once (on
// first use) and every test case runs sc_start() on it.
#pragma once
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

#include <smmu/drv.h>
#include <smmu/mem.h>
#include <smmu/regs.h>
#include <smmu_model/protocol_checker.h>
#include <smmu_tlm/smmu_tlm.h>

namespace ttlm {

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

// Memory target on a shared smmu_mem_t. Accesses inside [dmi_base, dmi_base + dmi_buf.size())
// go to a host buffer that is also handed out by DMI, in grants of dmi_grain bytes. Its socket
// is W bits wide (test_memory: 32).
template <unsigned int W = 32> struct basic_test_memory : sc_core::sc_module {
    tlm_utils::simple_target_socket<basic_test_memory, W> socket;
    smmu_mem_t *mem;
    sc_time latency;
    struct access { // what the memory saw of each b_transport
        tlm::tlm_command cmd;
        uint64_t addr;
        unsigned len;
        const tlm::tlm_generic_payload *gp = nullptr;
        const unsigned char *data = nullptr, *be = nullptr;
        unsigned sw = 0, bel = 0;
        bool has_out = false;             // an output_extension was attached
        smmu_tlm::output_extension out{}; // its content during the call
    };
    std::vector<access> log;
    unsigned dbg_count = 0;
    uint64_t dmi_base = 0;
    std::vector<unsigned char> dmi_buf;
    uint64_t dmi_grain = 0x800;

    basic_test_memory(sc_core::sc_module_name n, smmu_mem_t *m, sc_time lat)
        : sc_module(n), socket("socket"), mem(m), latency(lat) {
        socket.register_b_transport(this, &basic_test_memory::b_transport);
        socket.register_transport_dbg(this, &basic_test_memory::transport_dbg);
        socket.register_get_direct_mem_ptr(this, &basic_test_memory::get_dmi);
    }
    bool in_window(uint64_t a, unsigned len) const {
        return !dmi_buf.empty() && a >= dmi_base && a + len <= dmi_base + dmi_buf.size();
    }
    bool access_mem(tlm::tlm_generic_payload &gp) {
        const uint64_t a = gp.get_address();
        const unsigned len = gp.get_data_length();
        unsigned char *d = gp.get_data_ptr();
        if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) return true; // 14.9: no access
        if (in_window(a, len)) {
            unsigned char *p = dmi_buf.data() + (a - dmi_base);
            if (gp.is_read())
                std::memcpy(d, p, len);
            else
                std::memcpy(p, d, len);
            return true;
        }
        return (gp.is_read() ? smmu_mem_read(mem, a, d, len) : smmu_mem_write(mem, a, d, len)) == 0;
    }
    void b_transport(tlm::tlm_generic_payload &gp, sc_time &delay) {
        log.push_back({gp.get_command(), gp.get_address(), gp.get_data_length(), &gp,
                       gp.get_data_ptr(), gp.get_byte_enable_ptr(), gp.get_streaming_width(),
                       gp.get_byte_enable_length()});
        if (const auto *e = gp.get_extension<smmu_tlm::output_extension>()) {
            log.back().has_out = true;
            log.back().out = *e;
        }
        delay += latency;
        gp.set_response_status(access_mem(gp) ? tlm::TLM_OK_RESPONSE
                                              : tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }
    unsigned transport_dbg(tlm::tlm_generic_payload &gp) {
        dbg_count++;
        return access_mem(gp) ? gp.get_data_length() : 0;
    }
    bool get_dmi(tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi) {
        const uint64_t a = gp.get_address();
        if (!in_window(a, 1)) return false;
        const uint64_t lo = a & ~(dmi_grain - 1);
        dmi.set_start_address(lo);
        dmi.set_end_address(lo + dmi_grain - 1);
        dmi.set_dmi_ptr(dmi_buf.data() + (lo - dmi_base));
        dmi.allow_read_write();
        dmi.set_read_latency(latency);
        dmi.set_write_latency(latency);
        return true;
    }
    void put(uint64_t a, const void *p, size_t n) {
        tlm::tlm_generic_payload gp;
        gp.set_command(tlm::TLM_WRITE_COMMAND);
        gp.set_address(a);
        gp.set_data_ptr(static_cast<unsigned char *>(const_cast<void *>(p)));
        gp.set_data_length((unsigned)n);
        access_mem(gp);
    }
    void get(uint64_t a, void *p, size_t n) {
        tlm::tlm_generic_payload gp;
        gp.set_command(tlm::TLM_READ_COMMAND);
        gp.set_address(a);
        gp.set_data_ptr(static_cast<unsigned char *>(p));
        gp.set_data_length((unsigned)n);
        access_mem(gp);
    }
};

// A platform-provided initiator ID, as an existing platform might attach to its payloads.
struct initiator_id : tlm::tlm_extension<initiator_id> {
    unsigned id = 0;
    tlm::tlm_extension_base *clone() const override {
        return new initiator_id(*this);
    }
    void copy_from(const tlm::tlm_extension_base &e) override {
        id = static_cast<const initiator_id &>(e).id;
    }
};

using test_memory = basic_test_memory<32>;

// Test initiator: LT, debug and DMI calls from test threads, AT with a response log. Its socket
// is W bits wide (test_master: 32).
template <unsigned int W = 32>
struct basic_test_master : sc_core::sc_module, tlm::tlm_bw_transport_if<> {
    tlm::tlm_initiator_socket<W> socket;
    std::vector<std::pair<sc_dt::uint64, sc_dt::uint64>> invalidations;
    struct resp {
        tlm::tlm_generic_payload *gp;
        tlm::tlm_phase ph;
        sc_time at;
    };
    std::vector<resp> at_log;
    sc_core::sc_event at_ev;
    bool accept_resp_now = false; // answer BEGIN_RESP with TLM_COMPLETED instead of ACCEPTED

    explicit basic_test_master(sc_core::sc_module_name n) : sc_module(n), socket("socket") {
        socket.bind(*this);
    }
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                       sc_time &t) override {
        at_log.push_back({&gp, ph, sc_core::sc_time_stamp() + t});
        at_ev.notify(t);
        if (accept_resp_now) {
            ph = tlm::END_RESP;
            return tlm::TLM_COMPLETED;
        }
        return tlm::TLM_ACCEPTED;
    }
    void invalidate_direct_mem_ptr(sc_dt::uint64 s, sc_dt::uint64 e) override {
        invalidations.push_back({s, e});
    }

    static void setup(tlm::tlm_generic_payload &gp, tlm::tlm_command cmd, uint64_t a, void *buf,
                      unsigned len) {
        gp.set_command(cmd);
        gp.set_address(a);
        gp.set_data_ptr(static_cast<unsigned char *>(buf));
        gp.set_data_length(len);
        gp.set_streaming_width(len);
        gp.set_byte_enable_ptr(nullptr);
        gp.set_byte_enable_length(0);
        gp.set_dmi_allowed(false);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    }
    // b_transport from a thread; returns the status, the annotated delay in *d.
    tlm::tlm_response_status io(tlm::tlm_command cmd, uint64_t a, void *buf, unsigned len,
                                sc_time *d = nullptr, smmu_tlm::stream_extension *se = nullptr,
                                initiator_id *other = nullptr) {
        tlm::tlm_generic_payload gp;
        setup(gp, cmd, a, buf, len);
        if (se) gp.set_extension(se);
        if (other) gp.set_extension(other);
        sc_time delay = SC_ZERO_TIME;
        socket->b_transport(gp, delay);
        sc_core::wait(delay); // the master synchronises after every access
        if (se) gp.clear_extension(se);
        if (other) gp.clear_extension(other);
        if (d) *d = delay;
        return gp.get_response_status();
    }
    tlm::tlm_response_status read(uint64_t a, void *buf, unsigned len, sc_time *d = nullptr,
                                  smmu_tlm::stream_extension *se = nullptr) {
        return io(tlm::TLM_READ_COMMAND, a, buf, len, d, se);
    }
    tlm::tlm_response_status write(uint64_t a, const void *buf, unsigned len, sc_time *d = nullptr,
                                   smmu_tlm::stream_extension *se = nullptr) {
        return io(tlm::TLM_WRITE_COMMAND, a, const_cast<void *>(buf), len, d, se);
    }
};

using test_master = basic_test_master<32>;

// Register-socket initiator for the driver: every access is a b_transport followed by a wait
// for its delay, so simulated time advances while the driver polls.
template <unsigned int W = 32> struct basic_reg_host : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<basic_reg_host, W> socket;
    smmu_mem_t *mem;
    explicit basic_reg_host(sc_core::sc_module_name n, smmu_mem_t *m)
        : sc_module(n), socket("socket"), mem(m) {}

    tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t off, void *buf, unsigned len,
                                    unsigned char *be = nullptr, unsigned bel = 0) {
        tlm::tlm_generic_payload gp;
        test_master::setup(gp, cmd, off, buf, len);
        gp.set_byte_enable_ptr(be);
        gp.set_byte_enable_length(bel);
        sc_time d = SC_ZERO_TIME;
        socket->b_transport(gp, d);
        sc_core::wait(d > SC_ZERO_TIME ? d : sc_time(1, SC_NS));
        return gp.get_response_status();
    }
    static uint64_t op_rd(void *ctx, uint64_t off, unsigned size) {
        unsigned char b[8] = {};
        static_cast<basic_reg_host *>(ctx)->access(tlm::TLM_READ_COMMAND, off, b, size);
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++)
            v |= (uint64_t)b[i] << (8 * i);
        return v;
    }
    static void op_wr(void *ctx, uint64_t off, uint64_t val, unsigned size) {
        unsigned char b[8];
        for (unsigned i = 0; i < size; i++)
            b[i] = (unsigned char)(val >> (8 * i));
        static_cast<basic_reg_host *>(ctx)->access(tlm::TLM_WRITE_COMMAND, off, b, size);
    }
    static int op_mrd(void *ctx, uint64_t pa, void *buf, size_t len) {
        return smmu_mem_read(static_cast<basic_reg_host *>(ctx)->mem, pa, buf, len);
    }
    static int op_mwr(void *ctx, uint64_t pa, const void *buf, size_t len) {
        return smmu_mem_write(static_cast<basic_reg_host *>(ctx)->mem, pa, buf, len);
    }
    smmu_drv_t *new_driver(uint64_t pool_base, uint64_t pool_size) {
        smmu_drv_ops_t ops{};
        ops.ctx = this;
        ops.reg_read = &op_rd;
        ops.reg_write = &op_wr;
        ops.mem_read = &op_mrd;
        ops.mem_write = &op_mwr;
        smmu_drv_config_t cfg{};
        cfg.pool_base = pool_base;
        cfg.pool_size = pool_size;
        cfg.force_linear = true;
        cfg.sid_bits = 8;
        return smmu_drv_new(&ops, &cfg);
    }
};

using reg_host = basic_reg_host<32>;

// Binds initiator socket `from` to target socket `to` through a TLM-2.0 base-protocol checker
// (smmu_model::protocol_checker, IEEE 1666-2011 chapters 11, 14, 15): every binding in the TLM
// tests goes through one. A violation is an SC_ERROR, whose default action throws: the test
// fails. The checkers live as long as the platform (one elaboration per process).
template <unsigned int W = 32, typename I, typename T> void checked_bind(I &from, T &to) {
    auto *chk = new smmu_model::protocol_checker<W>(sc_core::sc_gen_unique_name("checker"));
    from.bind(chk->target);
    chk->initiator.bind(to);
}

// Runs body as a SystemC thread and simulates until nothing is left to do; true when the body
// finished. Further threads may be started with spawn() before run().
inline void spawn(std::function<void()> body) {
    sc_core::sc_spawn(body);
}
inline bool run(std::function<void()> body) {
    bool done = false;
    sc_core::sc_spawn([&done, body] {
        body();
        done = true;
    });
    sc_core::sc_start();
    return done;
}

} // namespace ttlm

// main(): GoogleTest; SystemC runs without sc_main (modules are built by the tests). libsystemc
// still refers to sc_main, so it exists.
int sc_main(int, char **) {
    return 0;
}
int main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
