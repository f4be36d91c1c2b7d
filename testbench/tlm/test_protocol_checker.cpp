// SPDX-License-Identifier: Apache-2.0 OR MIT
// smmu_model::protocol_checker: one test per rule. Each test puts a deliberately faulty
// initiator, interconnect or target (written here, configured through hooks) on one side of a
// checker and asserts exactly which rule ids the checkers report; the clean tests show that
// correct LT, AT (with a memory manager), DMI and debug traffic reports nothing.
//
// Two interconnects reproduce bugs found in the SMMU's TLM wrapper: one that hands a transaction
// back with its streaming width rewritten to the data length, and one that splits an access by
// cutting up the initiator's own payload and sending that object downstream twice.
//
// SystemC allows one elaboration per process: every platform is built once, at first use, and
// each test runs sc_start() on it. Violations are collected (actions SC_LOG | SC_DISPLAY), not
// thrown, except in the test of the default action.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <systemc>
#include <tlm>

#include <smmu_model/protocol_checker.h>

namespace {

using namespace sc_core;
using smmu_model::protocol_checker;
using smmu_model::protocol_checker_base;
using gp_t = tlm::tlm_generic_payload;
using tlm::BEGIN_REQ;
using tlm::BEGIN_RESP;
using tlm::END_REQ;
using tlm::END_RESP;
using tlm::TLM_ACCEPTED;
using tlm::TLM_COMPLETED;
using tlm::tlm_phase;
using tlm::tlm_sync_enum;
using tlm::TLM_UPDATED;
using V = std::vector<std::string>;

TLM_DECLARE_EXTENDED_PHASE(ignorable_beat);

unsigned P(const tlm_phase &p) {
    return static_cast<unsigned>(p);
}

void setup(gp_t &gp, tlm::tlm_command cmd, sc_dt::uint64 a, unsigned char *buf, unsigned len) {
    gp.set_command(cmd);
    gp.set_address(a);
    gp.set_data_ptr(buf);
    gp.set_data_length(len);
    gp.set_streaming_width(len);
    gp.set_byte_enable_ptr(nullptr);
    gp.set_byte_enable_length(0);
    gp.set_dmi_allowed(false);
    gp.set_gp_option(tlm::TLM_MIN_PAYLOAD);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

// A pool of heap-allocated payloads (14.5: nb_transport needs a memory manager).
struct test_mm : tlm::tlm_mm_interface {
    std::vector<std::unique_ptr<gp_t>> owned;
    std::vector<gp_t *> free_list;
    gp_t *alloc() {
        if (!free_list.empty()) {
            gp_t *g = free_list.back();
            free_list.pop_back();
            return g;
        }
        owned.emplace_back(new gp_t(this));
        return owned.back().get();
    }
    void free(gp_t *g) override {
        g->reset();
        free_list.push_back(g);
    }
};

// Initiator: tests call through its socket from a thread; the backward path is a hook.
template <unsigned W = 32> struct tinit : sc_module, tlm::tlm_bw_transport_if<> {
    tlm::tlm_initiator_socket<W> socket;
    std::function<tlm_sync_enum(gp_t &, tlm_phase &, sc_time &)> on_bw;
    std::vector<std::pair<sc_dt::uint64, sc_dt::uint64>> invalidations;

    explicit tinit(sc_module_name n) : sc_module(n), socket("socket") {
        socket.bind(*this);
    }
    tlm_sync_enum nb_transport_bw(gp_t &gp, tlm_phase &ph, sc_time &t) override {
        return on_bw ? on_bw(gp, ph, t) : TLM_ACCEPTED;
    }
    void invalidate_direct_mem_ptr(sc_dt::uint64 s, sc_dt::uint64 e) override {
        invalidations.push_back({s, e});
    }
    void reset() {
        on_bw = nullptr;
        invalidations.clear();
    }
    tlm::tlm_response_status lt(gp_t &gp) {
        sc_time t = SC_ZERO_TIME;
        socket->b_transport(gp, t);
        return gp.get_response_status();
    }
    tlm_sync_enum fw(gp_t &gp, tlm_phase &ph, sc_time t = SC_ZERO_TIME) {
        return socket->nb_transport_fw(gp, ph, t);
    }
};

// Target: a 64 KiB memory that executes read, write (byte enables, streaming) and ignore
// commands correctly; each interface can be replaced by a hook. nb_transport_fw accepts by
// default: AT tests drive the backward path themselves with bw().
template <unsigned W = 32> struct ttarget : sc_module, tlm::tlm_fw_transport_if<> {
    tlm::tlm_target_socket<W> socket;
    std::vector<unsigned char> mem;
    std::function<void(gp_t &, sc_time &)> on_b;
    std::function<tlm_sync_enum(gp_t &, tlm_phase &, sc_time &)> on_nb;
    std::function<bool(gp_t &, tlm::tlm_dmi &)> on_dmi;
    std::function<unsigned(gp_t &)> on_dbg;
    unsigned b_calls = 0;

    explicit ttarget(sc_module_name n) : sc_module(n), socket("socket"), mem(0x10000) {
        socket.bind(*this);
    }
    void execute(gp_t &gp) {
        const sc_dt::uint64 a = gp.get_address();
        const unsigned len = gp.get_data_length(), sw = gp.get_streaming_width();
        const unsigned bel = gp.get_byte_enable_length();
        unsigned char *d = gp.get_data_ptr(), *be = gp.get_byte_enable_ptr();
        const tlm::tlm_command cmd = gp.get_command();
        if (cmd == tlm::TLM_IGNORE_COMMAND) {
            gp.set_response_status(tlm::TLM_OK_RESPONSE);
            return;
        }
        if (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND) {
            gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
            return;
        }
        if (!d) {
            gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            return;
        }
        if (sw == 0) {
            gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
            return;
        }
        if (be && bel == 0) {
            gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
            return;
        }
        if (a + std::min(len, sw) > mem.size()) {
            gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        for (unsigned i = 0; i < len; i++) {
            if (be && be[i % bel] != TLM_BYTE_ENABLED) continue;
            unsigned char &m = mem[a + i % sw];
            if (cmd == tlm::TLM_READ_COMMAND)
                d[i] = m;
            else
                m = d[i];
        }
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    void b_transport(gp_t &gp, sc_time &t) override {
        b_calls++;
        if (on_b)
            on_b(gp, t);
        else
            execute(gp);
    }
    tlm_sync_enum nb_transport_fw(gp_t &gp, tlm_phase &ph, sc_time &t) override {
        return on_nb ? on_nb(gp, ph, t) : TLM_ACCEPTED;
    }
    bool get_direct_mem_ptr(gp_t &gp, tlm::tlm_dmi &dmi) override {
        if (on_dmi) return on_dmi(gp, dmi);
        dmi.set_dmi_ptr(mem.data());
        dmi.set_start_address(0);
        dmi.set_end_address(mem.size() - 1);
        dmi.allow_read_write();
        return true;
    }
    unsigned transport_dbg(gp_t &gp) override {
        if (on_dbg) return on_dbg(gp);
        const sc_dt::uint64 a = gp.get_address();
        if (gp.get_command() == tlm::TLM_IGNORE_COMMAND || a >= mem.size()) return 0;
        const unsigned n =
            static_cast<unsigned>(std::min<sc_dt::uint64>(gp.get_data_length(), mem.size() - a));
        if (gp.is_read())
            std::memcpy(gp.get_data_ptr(), &mem[a], n);
        else
            std::memcpy(&mem[a], gp.get_data_ptr(), n);
        return n;
    }
    tlm_sync_enum bw(gp_t &gp, tlm_phase &ph, sc_time t = SC_ZERO_TIME) {
        return socket->nb_transport_bw(gp, ph, t);
    }
    // nb_transport_fw answers of a correct target that the tests use again and again: execute
    // the request and complete it at once (TLM_COMPLETED); or end the request on the return path
    // of BEGIN_REQ (END_REQ, TLM_UPDATED) and accept everything else.
    void complete_on_return() {
        on_nb = [this](gp_t &x, tlm_phase &, sc_time &) {
            execute(x);
            return TLM_COMPLETED;
        };
    }
    void end_req_on_return() {
        on_nb = [](gp_t &, tlm_phase &p, sc_time &) {
            if (p != BEGIN_REQ) return TLM_ACCEPTED;
            p = END_REQ;
            return TLM_UPDATED;
        };
    }
    void reset() {
        on_b = nullptr;
        on_nb = nullptr;
        on_dmi = nullptr;
        on_dbg = nullptr;
        b_calls = 0;
    }
};

// A correct pass-through interconnect with an address map (target at global `base`), except
// when rewrite_streaming_width is set: then it forwards the initiator's transaction with the
// streaming width rewritten to the data length and hands it back that way (a bug of our SMMU's
// TLM wrapper).
struct fwd_ic : sc_module, tlm::tlm_fw_transport_if<>, tlm::tlm_bw_transport_if<> {
    tlm::tlm_target_socket<> target;
    tlm::tlm_initiator_socket<> initiator;
    sc_dt::uint64 base = 0x1000;
    bool rewrite_streaming_width = false;

    explicit fwd_ic(sc_module_name n) : sc_module(n), target("target"), initiator("initiator") {
        target.bind(static_cast<tlm::tlm_fw_transport_if<> &>(*this));
        initiator.bind(static_cast<tlm::tlm_bw_transport_if<> &>(*this));
    }
    void b_transport(gp_t &gp, sc_time &t) override {
        const sc_dt::uint64 a = gp.get_address();
        gp.set_address(a - base);
        if (rewrite_streaming_width) gp.set_streaming_width(gp.get_data_length());
        initiator->b_transport(gp, t);
        gp.set_address(a);
    }
    tlm_sync_enum nb_transport_fw(gp_t &gp, tlm_phase &ph, sc_time &t) override {
        if (ph == BEGIN_REQ) gp.set_address(gp.get_address() - base);
        return initiator->nb_transport_fw(gp, ph, t);
    }
    tlm_sync_enum nb_transport_bw(gp_t &gp, tlm_phase &ph, sc_time &t) override {
        return target->nb_transport_bw(gp, ph, t);
    }
    bool get_direct_mem_ptr(gp_t &gp, tlm::tlm_dmi &dmi) override {
        const sc_dt::uint64 a = gp.get_address();
        gp.set_address(a - base);
        const bool ok = initiator->get_direct_mem_ptr(gp, dmi);
        dmi.set_start_address(dmi.get_start_address() + base);
        dmi.set_end_address(dmi.get_end_address() + base);
        gp.set_address(a);
        return ok;
    }
    unsigned transport_dbg(gp_t &gp) override {
        const sc_dt::uint64 a = gp.get_address();
        gp.set_address(a - base);
        const unsigned n = initiator->transport_dbg(gp);
        gp.set_address(a);
        return n;
    }
    void invalidate_direct_mem_ptr(sc_dt::uint64 s, sc_dt::uint64 e) override {
        target->invalidate_direct_mem_ptr(s + base, e + base);
    }
};

// Splits accesses longer than 8 bytes into 8-byte downstream b_transport calls. With
// own_payloads it does so correctly, with a transaction object of its own per piece; without,
// it reproduces a bug of our SMMU's TLM wrapper: it cuts up the initiator's own payload (address,
// data pointer, data length, streaming width, byte enables), sends that object downstream once per
// piece and restores the fields before returning.
struct split_ic : sc_module, tlm::tlm_fw_transport_if<>, tlm::tlm_bw_transport_if<> {
    tlm::tlm_target_socket<> target;
    tlm::tlm_initiator_socket<> initiator;
    bool own_payloads = false;
    static constexpr unsigned piece = 8;

    explicit split_ic(sc_module_name n) : sc_module(n), target("target"), initiator("initiator") {
        target.bind(static_cast<tlm::tlm_fw_transport_if<> &>(*this));
        initiator.bind(static_cast<tlm::tlm_bw_transport_if<> &>(*this));
    }
    void b_transport(gp_t &gp, sc_time &t) override {
        const unsigned len = gp.get_data_length();
        if (gp.get_command() == tlm::TLM_IGNORE_COMMAND || len <= piece) {
            initiator->b_transport(gp, t);
            return;
        }
        const sc_dt::uint64 a = gp.get_address();
        unsigned char *const d = gp.get_data_ptr(), *const be = gp.get_byte_enable_ptr();
        const unsigned sw = gp.get_streaming_width(), bel = gp.get_byte_enable_length();
        tlm::tlm_response_status status = tlm::TLM_OK_RESPONSE;
        for (unsigned off = 0; off < len; off += piece) {
            const unsigned n = std::min(piece, len - off);
            if (own_payloads) {
                gp_t p;
                setup(p, gp.get_command(), a + off, d + off, n);
                p.set_byte_enable_ptr(be ? be + off : nullptr);
                p.set_byte_enable_length(be ? n : 0);
                initiator->b_transport(p, t);
                if (!p.is_response_ok()) status = p.get_response_status();
            } else {
                gp.set_address(a + off);
                gp.set_data_ptr(d + off);
                gp.set_data_length(n);
                gp.set_streaming_width(n);
                gp.set_byte_enable_ptr(be ? be + off : nullptr);
                gp.set_byte_enable_length(be ? n : 0);
                gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
                initiator->b_transport(gp, t);
                if (!gp.is_response_ok()) status = gp.get_response_status();
            }
        }
        if (!own_payloads) {
            gp.set_address(a);
            gp.set_data_ptr(d);
            gp.set_data_length(len);
            gp.set_streaming_width(sw);
            gp.set_byte_enable_ptr(be);
            gp.set_byte_enable_length(bel);
        }
        gp.set_response_status(status);
    }
    tlm_sync_enum nb_transport_fw(gp_t &gp, tlm_phase &ph, sc_time &t) override {
        return initiator->nb_transport_fw(gp, ph, t);
    }
    tlm_sync_enum nb_transport_bw(gp_t &gp, tlm_phase &ph, sc_time &t) override {
        return target->nb_transport_bw(gp, ph, t);
    }
    bool get_direct_mem_ptr(gp_t &gp, tlm::tlm_dmi &dmi) override {
        return initiator->get_direct_mem_ptr(gp, dmi);
    }
    unsigned transport_dbg(gp_t &gp) override {
        return initiator->transport_dbg(gp);
    }
    void invalidate_direct_mem_ptr(sc_dt::uint64 s, sc_dt::uint64 e) override {
        target->invalidate_direct_mem_ptr(s, e);
    }
};

// Every platform of the suite, elaborated once.
struct bench {
    test_mm mm;
    // 1: i1 -> c1 -> t1
    tinit<> i1{"i1"};
    protocol_checker<> c1{"c1"};
    ttarget<> t1{"t1"};
    // 2: i2 -> c2up -> ic2 (target at 0x1000) -> c2down -> t2
    tinit<> i2{"i2"};
    protocol_checker<> c2up{"c2up"};
    fwd_ic ic2{"ic2"};
    protocol_checker<> c2down{"c2down"};
    ttarget<> t2{"t2"};
    // 3: i3 -> c3up -> ic3 (splits) -> c3down -> t3
    tinit<> i3{"i3"};
    protocol_checker<> c3up{"c3up"};
    split_ic ic3{"ic3"};
    protocol_checker<> c3down{"c3down"};
    ttarget<> t3{"t3"};
    // 4: 64-bit sockets
    tinit<64> i4{"i4"};
    protocol_checker<64> c4{"c4"};
    ttarget<64> t4{"t4"};

    bench() {
        i1.socket.bind(c1.target);
        c1.initiator.bind(t1.socket);
        i2.socket.bind(c2up.target);
        c2up.initiator.bind(ic2.target);
        ic2.initiator.bind(c2down.target);
        c2down.initiator.bind(t2.socket);
        i3.socket.bind(c3up.target);
        c3up.initiator.bind(ic3.target);
        ic3.initiator.bind(c3down.target);
        c3down.initiator.bind(t3.socket);
        i4.socket.bind(c4.target);
        c4.initiator.bind(t4.socket);
    }
    std::vector<protocol_checker_base *> checkers() {
        return {&c1, &c2up, &c2down, &c3up, &c3down, &c4};
    }
    void reset() {
        i1.reset(), i2.reset(), i3.reset(), i4.reset();
        t1.reset(), t2.reset(), t3.reset(), t4.reset();
        ic2.rewrite_streaming_width = false;
        ic3.own_payloads = false;
        for (protocol_checker_base *c : checkers()) {
            c->reset_state();
            c->reset_violations();
        }
        protocol_checker_base::reset_total_violations();
    }
    // A payload of the pool, set up and acquired by its initiator.
    gp_t *mmgp(tlm::tlm_command cmd, sc_dt::uint64 a, unsigned char *buf, unsigned len) {
        gp_t *g = mm.alloc();
        setup(*g, cmd, a, buf, len);
        g->acquire();
        return g;
    }
};

bench &B() {
    static bench *b = new bench;
    return *b;
}

// Runs body as a SystemC thread until nothing is left to do; true when the body finished.
void spawn(std::function<void()> body) {
    sc_spawn(body);
}
bool run(std::function<void()> body) {
    bool done = false;
    sc_spawn([&done, body] {
        body();
        done = true;
    });
    sc_start();
    return done;
}

V ids(const protocol_checker_base &c) {
    V v;
    for (const auto &x : c.violations())
        v.push_back(x.rule);
    return v;
}
bool has(const std::string &text, const std::string &part) {
    return text.find(part) != std::string::npos;
}

class ProtocolChecker : public ::testing::Test {
  protected:
    bench &b = B();
    void SetUp() override {
        b.reset();
    }
    void expect_all_clean() {
        for (protocol_checker_base *c : b.checkers()) {
            EXPECT_EQ(ids(*c), V{}) << c->checker_name();
            EXPECT_EQ(c->pending(), 0u) << c->checker_name();
        }
        EXPECT_EQ(protocol_checker_base::total_violations(), 0u);
    }

    // The transactions most rule tests make on platform 1 (i1 -> c1 -> t1), each run as a
    // SystemC thread; true when it finished.

    // One b_transport: `cmd` of 4 bytes at 0x10, set up correctly and then changed by `fault`
    // (what the initiator gets wrong, if anything). The response status is left in `status`.
    bool lt1(tlm::tlm_command cmd, const std::function<void(gp_t &)> &fault = nullptr) {
        return run([&] {
            unsigned char d[4] = {};
            gp_t gp;
            setup(gp, cmd, 0x10, d, 4);
            if (fault) fault(gp);
            status = b.i1.lt(gp);
        });
    }
    tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;

    // t1's b_transport executes the request correctly and then makes `change` to the payload
    // (what the target gets wrong).
    void t1_changes(std::function<void(gp_t &)> change) {
        b.t1.on_b = [this, change](gp_t &g, sc_time &) {
            b.t1.execute(g);
            change(g);
        };
    }

    // BEGIN_REQ of a 4-byte write to 0x10 in a payload of the pool, with delay t; t1 answers
    // with its on_nb hook. The payload is released when the call returns.
    bool begin_req1(sc_time t = SC_ZERO_TIME) {
        return run([&] {
            unsigned char d[4] = {};
            gp_t *g = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x10, d, 4);
            tlm_phase ph = BEGIN_REQ;
            b.i1.fw(*g, ph, t);
            g->release();
        });
    }

    // One get_direct_mem_ptr: a DMI request for `cmd` at 0x200 with a descriptor in its default
    // state, then changed by `fault`.
    bool dmi1(tlm::tlm_command cmd, const std::function<void(tlm::tlm_dmi &)> &fault = nullptr) {
        return run([&] {
            gp_t gp;
            setup(gp, cmd, 0x200, nullptr, 0);
            tlm::tlm_dmi dmi;
            if (fault) fault(dmi);
            b.i1.socket->get_direct_mem_ptr(gp, dmi);
        });
    }

    // One transport_dbg: a read of 4 bytes at 0x10; t1 answers with its on_dbg hook. The count
    // returned is left in `dbg_count`.
    bool dbg1() {
        return run([&] {
            unsigned char d[4] = {};
            gp_t gp;
            setup(gp, tlm::TLM_READ_COMMAND, 0x10, d, 4);
            dbg_count = b.i1.socket->transport_dbg(gp);
        });
    }
    unsigned dbg_count = 0;

    // Inside a test thread: a 4-byte write to `a` in a payload of the pool, its BEGIN_REQ sent
    // by i1 and accepted by t1; the test goes on with the transaction and releases the payload.
    gp_t *begin_accepted(unsigned char *d, sc_dt::uint64 a = 0x10) {
        gp_t *g = b.mmgp(tlm::TLM_WRITE_COMMAND, a, d, 4);
        tlm_phase ph = BEGIN_REQ;
        EXPECT_EQ(b.i1.fw(*g, ph), TLM_ACCEPTED);
        return g;
    }

    // Inside a test thread: the four phases of a transaction, each sent on its own and accepted
    // (the target executes the request between END_REQ and BEGIN_RESP).
    template <class I, class T> static void four_phases(I &i, T &t, gp_t &g) {
        tlm_phase ph = BEGIN_REQ;
        EXPECT_EQ(i.fw(g, ph), TLM_ACCEPTED);
        ph = END_REQ;
        EXPECT_EQ(t.bw(g, ph), TLM_ACCEPTED);
        t.execute(g);
        ph = BEGIN_RESP;
        EXPECT_EQ(t.bw(g, ph), TLM_ACCEPTED);
        ph = END_RESP;
        EXPECT_EQ(i.fw(g, ph), TLM_ACCEPTED);
    }

    // i3 writes 16 bytes from d, every byte enabled, to `a` in gp, through ic3, which splits the
    // access into two 8-byte pieces. The response status is left in `status`.
    bool split_write16(gp_t &gp, sc_dt::uint64 a, unsigned char *d) {
        static unsigned char be[16];
        std::fill(std::begin(be), std::end(be), static_cast<unsigned char>(TLM_BYTE_ENABLED));
        return run([&] {
            setup(gp, tlm::TLM_WRITE_COMMAND, a, d, 16);
            gp.set_byte_enable_ptr(be);
            gp.set_byte_enable_length(16);
            status = b.i3.lt(gp);
        });
    }
};

// ---------------------------------------------------------------------------------------------
// Correct traffic reports nothing.

TEST_F(ProtocolChecker, CleanLtRoundTripReportsNothing) {
    ASSERT_TRUE(run([&] {
        unsigned char w[8] = {1, 2, 3, 4, 5, 6, 7, 8}, r[8] = {};
        gp_t gp;
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x100, w, 8);
        EXPECT_EQ(b.i1.lt(gp), tlm::TLM_OK_RESPONSE);
        setup(gp, tlm::TLM_READ_COMMAND, 0x100, r, 8);
        EXPECT_EQ(b.i1.lt(gp), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(0, std::memcmp(w, r, 8));
        // Byte enables: a 4-byte pattern repeated over 8 bytes.
        unsigned char be[4] = {0xff, 0x00, 0xff, 0x00}, z[8] = {};
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x100, z, 8);
        gp.set_byte_enable_ptr(be);
        gp.set_byte_enable_length(4);
        EXPECT_EQ(b.i1.lt(gp), tlm::TLM_OK_RESPONSE);
        setup(gp, tlm::TLM_READ_COMMAND, 0x100, r, 8);
        EXPECT_EQ(b.i1.lt(gp), tlm::TLM_OK_RESPONSE);
        const unsigned char want[8] = {0, 2, 0, 4, 0, 6, 0, 8};
        EXPECT_EQ(0, std::memcmp(want, r, 8));
        // Streaming: 8 bytes through a 4-byte window.
        unsigned char s[8] = {9, 9, 9, 9, 7, 7, 7, 7};
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x200, s, 8);
        gp.set_streaming_width(4);
        EXPECT_EQ(b.i1.lt(gp), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(b.t1.mem[0x200], 7);
        // An ignore command carries no data.
        setup(gp, tlm::TLM_IGNORE_COMMAND, 0x100, nullptr, 0);
        EXPECT_EQ(b.i1.lt(gp), tlm::TLM_OK_RESPONSE);
        // Through an interconnect that translates the address (14.10: it may).
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x1100, w, 8);
        EXPECT_EQ(b.i2.lt(gp), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(b.t2.mem[0x100], 1);
        EXPECT_EQ(b.t2.mem[0x107], 8);
    }));
    expect_all_clean();
}

TEST_F(ProtocolChecker, CleanAtWithMemoryManagerReportsNothing) {
    ASSERT_TRUE(run([&] {
        unsigned char d[4] = {1, 2, 3, 4};
        tlm_phase ph;
        // Four phases, every call accepted.
        gp_t *g = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x40, d, 4);
        four_phases(b.i1, b.t1, *g);
        g->release();

        // END_REQ on the return path of BEGIN_REQ, END_RESP on the return path of BEGIN_RESP.
        b.t1.end_req_on_return();
        b.i1.on_bw = [](gp_t &, tlm_phase &p, sc_time &) {
            if (p != BEGIN_RESP) return TLM_ACCEPTED;
            p = END_RESP;
            return TLM_UPDATED;
        };
        g = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x40, d, 4);
        ph = BEGIN_REQ;
        EXPECT_EQ(b.i1.fw(*g, ph), TLM_UPDATED);
        EXPECT_EQ(P(ph), P(END_REQ));
        b.t1.execute(*g);
        ph = BEGIN_RESP;
        EXPECT_EQ(b.t1.bw(*g, ph), TLM_UPDATED);
        EXPECT_EQ(P(ph), P(END_RESP));
        g->release();

        // BEGIN_RESP on the return path of BEGIN_REQ; the target completes END_RESP.
        b.i1.on_bw = nullptr;
        b.t1.on_nb = [&](gp_t &x, tlm_phase &p, sc_time &) {
            if (p != BEGIN_REQ) return TLM_COMPLETED;
            b.t1.execute(x);
            p = BEGIN_RESP;
            return TLM_UPDATED;
        };
        g = b.mmgp(tlm::TLM_READ_COMMAND, 0x40, d, 4);
        ph = BEGIN_REQ;
        EXPECT_EQ(b.i1.fw(*g, ph), TLM_UPDATED);
        EXPECT_EQ(P(ph), P(BEGIN_RESP));
        ph = END_RESP;
        EXPECT_EQ(b.i1.fw(*g, ph), TLM_COMPLETED);
        g->release();

        // Early completion by the target.
        b.t1.complete_on_return();
        g = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x40, d, 4);
        ph = BEGIN_REQ;
        EXPECT_EQ(b.i1.fw(*g, ph), TLM_COMPLETED);
        EXPECT_TRUE(g->is_response_ok());
        g->release();

        // BEGIN_RESP without END_REQ (an implicit END_REQ), completed by the initiator.
        b.t1.on_nb = nullptr;
        b.i1.on_bw = [](gp_t &, tlm_phase &, sc_time &) { return TLM_COMPLETED; };
        g = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x40, d, 4);
        ph = BEGIN_REQ;
        EXPECT_EQ(b.i1.fw(*g, ph), TLM_ACCEPTED);
        b.t1.execute(*g);
        ph = BEGIN_RESP;
        EXPECT_EQ(b.t1.bw(*g, ph), TLM_COMPLETED);
        g->release();

        // Pipelined: a second request after END_REQ of the first, responses one at a time.
        b.i1.on_bw = nullptr;
        b.t1.end_req_on_return();
        unsigned char e[4] = {5, 6, 7, 8};
        gp_t *g1 = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x50, d, 4);
        gp_t *g2 = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x60, e, 4);
        ph = BEGIN_REQ;
        EXPECT_EQ(b.i1.fw(*g1, ph), TLM_UPDATED);
        ph = BEGIN_REQ;
        EXPECT_EQ(b.i1.fw(*g2, ph), TLM_UPDATED);
        b.t1.execute(*g1);
        b.t1.execute(*g2);
        for (gp_t *x : {g1, g2}) {
            ph = BEGIN_RESP;
            EXPECT_EQ(b.t1.bw(*x, ph), TLM_ACCEPTED);
            ph = END_RESP;
            EXPECT_EQ(b.i1.fw(*x, ph), TLM_ACCEPTED);
            x->release();
        }
        EXPECT_EQ(b.t1.mem[0x63], 8);

        // The same four phases through an interconnect, both checkers on the path.
        g = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x1040, d, 4);
        four_phases(b.i2, b.t2, *g);
        g->release();
        EXPECT_EQ(b.t2.mem[0x43], 4);
    }));
    expect_all_clean();
}

TEST_F(ProtocolChecker, CleanDmiRoundTripReportsNothing) {
    ASSERT_TRUE(run([&] {
        gp_t gp;
        setup(gp, tlm::TLM_READ_COMMAND, 0x200, nullptr, 0);
        tlm::tlm_dmi dmi;
        ASSERT_TRUE(b.i1.socket->get_direct_mem_ptr(gp, dmi));
        EXPECT_TRUE(dmi.is_read_write_allowed());
        dmi.get_dmi_ptr()[0x200] = 0x5a;
        EXPECT_EQ(b.t1.mem[0x200], 0x5a);
        // Through the interconnect: the range comes back in global addresses.
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x1200, nullptr, 0);
        tlm::tlm_dmi d2;
        ASSERT_TRUE(b.i2.socket->get_direct_mem_ptr(gp, d2));
        EXPECT_EQ(d2.get_start_address(), 0x1000u);
        EXPECT_EQ(d2.get_end_address(), 0x10fffu);
        // A target that denies DMI.
        b.t1.on_dmi = [](gp_t &, tlm::tlm_dmi &d) {
            d.allow_read_write();
            d.set_start_address(0);
            d.set_end_address(~static_cast<sc_dt::uint64>(0));
            return false;
        };
        tlm::tlm_dmi d3;
        EXPECT_FALSE(b.i1.socket->get_direct_mem_ptr(gp, d3));
        // Invalidation reaches the initiators, translated by the interconnect.
        b.t1.socket->invalidate_direct_mem_ptr(0, 0xfff);
        b.t2.socket->invalidate_direct_mem_ptr(0, 0xfff);
    }));
    ASSERT_EQ(b.i1.invalidations.size(), 1u);
    EXPECT_EQ(b.i1.invalidations[0].second, 0xfffu);
    ASSERT_EQ(b.i2.invalidations.size(), 1u);
    EXPECT_EQ(b.i2.invalidations[0].first, 0x1000u);
    expect_all_clean();
}

TEST_F(ProtocolChecker, CleanDebugRoundTripReportsNothing) {
    ASSERT_TRUE(run([&] {
        unsigned char w[4] = {0xa, 0xb, 0xc, 0xd}, r[4] = {};
        gp_t gp;
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x300, w, 4);
        EXPECT_EQ(b.i1.socket->transport_dbg(gp), 4u);
        setup(gp, tlm::TLM_READ_COMMAND, 0x300, r, 4);
        EXPECT_EQ(b.i1.socket->transport_dbg(gp), 4u);
        EXPECT_EQ(0, std::memcmp(w, r, 4));
        setup(gp, tlm::TLM_IGNORE_COMMAND, 0x300, nullptr, 0);
        EXPECT_EQ(b.i1.socket->transport_dbg(gp), 0u);
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x1300, w, 4);
        EXPECT_EQ(b.i2.socket->transport_dbg(gp), 4u);
        EXPECT_EQ(b.t2.mem[0x303], 0xd);
    }));
    expect_all_clean();
}

TEST_F(ProtocolChecker, Clean64BitSocketsReportNothing) {
    ASSERT_TRUE(run([&] {
        unsigned char w[16], r[16] = {};
        for (unsigned i = 0; i < 16; i++)
            w[i] = static_cast<unsigned char>(i * 3);
        gp_t gp;
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x800, w, 16);
        EXPECT_EQ(b.i4.lt(gp), tlm::TLM_OK_RESPONSE);
        setup(gp, tlm::TLM_READ_COMMAND, 0x800, r, 16);
        EXPECT_EQ(b.i4.lt(gp), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(0, std::memcmp(w, r, 16));
        b.t4.complete_on_return();
        gp_t *g = b.mmgp(tlm::TLM_READ_COMMAND, 0x800, r, 8);
        tlm_phase ph = BEGIN_REQ;
        EXPECT_EQ(b.i4.fw(*g, ph), TLM_COMPLETED);
        g->release();
        tlm::tlm_dmi dmi;
        EXPECT_TRUE(b.i4.socket->get_direct_mem_ptr(gp, dmi));
        EXPECT_EQ(b.i4.socket->transport_dbg(gp), 16u);
    }));
    expect_all_clean();
}

// The registry must forget a transaction when it completes: using one object for transaction
// after transaction (the initiator's right) is not a reuse.
TEST_F(ProtocolChecker, SequentialReuseOfOneObjectIsClean) {
    b.ic3.own_payloads = true;
    ASSERT_TRUE(run([&] {
        unsigned char buf[16] = {};
        gp_t *g = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x1000, buf, 8);
        for (unsigned i = 0; i < 100; i++) {
            setup(*g, i % 2 ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND, 0x1000 + 8 * i, buf,
                  8);
            EXPECT_EQ(b.i2.lt(*g), tlm::TLM_OK_RESPONSE);
            setup(*g, tlm::TLM_WRITE_COMMAND, 0x1000 + 8 * i, buf, 16);
            EXPECT_EQ(b.i3.lt(*g), tlm::TLM_OK_RESPONSE);
        }
        b.t2.complete_on_return();
        setup(*g, tlm::TLM_WRITE_COMMAND, 0x1000, buf, 8);
        tlm_phase ph = BEGIN_REQ;
        EXPECT_EQ(b.i2.fw(*g, ph), TLM_COMPLETED);
        setup(*g, tlm::TLM_READ_COMMAND, 0x1000, buf, 8);
        EXPECT_EQ(b.i2.lt(*g), tlm::TLM_OK_RESPONSE);
        g->release();
    }));
    expect_all_clean();
}

// ---------------------------------------------------------------------------------------------
// The request as it enters (b_transport and BEGIN_REQ).

TEST_F(ProtocolChecker, ResponseStatusNotIncompleteAtEntryIs14_17) {
    ASSERT_TRUE(lt1(tlm::TLM_WRITE_COMMAND, [](gp_t &gp) {
        gp.set_response_status(tlm::TLM_OK_RESPONSE); // a stale status from the last transaction
    }));
    EXPECT_EQ(ids(b.c1), V{"14.17"});
    EXPECT_TRUE(has(b.c1.violations()[0].text, "TLM_OK_RESPONSE"));
}

TEST_F(ProtocolChecker, DataLengthZeroIs14_12) {
    ASSERT_TRUE(lt1(tlm::TLM_WRITE_COMMAND, [](gp_t &gp) { gp.set_data_length(0); }));
    EXPECT_EQ(ids(b.c1), V{"14.12"});
}

TEST_F(ProtocolChecker, DataPointerNullIs14_11) {
    ASSERT_TRUE(lt1(tlm::TLM_READ_COMMAND, [](gp_t &gp) { gp.set_data_ptr(nullptr); }));
    EXPECT_EQ(status, tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(ids(b.c1), V{"14.11"});
}

TEST_F(ProtocolChecker, StreamingWidthZeroIs14_15) {
    ASSERT_TRUE(lt1(tlm::TLM_WRITE_COMMAND, [](gp_t &gp) { gp.set_streaming_width(0); }));
    EXPECT_EQ(ids(b.c1), V{"14.15"});
}

TEST_F(ProtocolChecker, ByteEnableLengthZeroIs14_14) {
    unsigned char be[4] = {0xff, 0xff, 0xff, 0xff};
    ASSERT_TRUE(lt1(tlm::TLM_WRITE_COMMAND, [&](gp_t &gp) {
        gp.set_byte_enable_ptr(be);
        gp.set_byte_enable_length(0);
    }));
    EXPECT_EQ(ids(b.c1), V{"14.14"});
}

TEST_F(ProtocolChecker, ByteEnableValueIs14_13) {
    unsigned char be[4] = {0xff, 0x0f, 0x00, 0xff};
    ASSERT_TRUE(lt1(tlm::TLM_WRITE_COMMAND, [&](gp_t &gp) {
        gp.set_byte_enable_ptr(be);
        gp.set_byte_enable_length(4);
    }));
    EXPECT_EQ(ids(b.c1), V{"14.13"});
    EXPECT_TRUE(has(b.c1.violations()[0].text, "byte enable 1 is 0x0f"));
}

// Only the first checker a transaction meets knows it comes from the initiator.
TEST_F(ProtocolChecker, DmiAllowedSetByTheInitiatorIs14_16) {
    ASSERT_TRUE(run([&] {
        unsigned char d[4] = {};
        gp_t gp;
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x1010, d, 4);
        gp.set_dmi_allowed(true);
        b.i2.lt(gp);
    }));
    EXPECT_EQ(ids(b.c2up), V{"14.16"});
    EXPECT_EQ(ids(b.c2down), V{});
}

TEST_F(ProtocolChecker, InvalidCommandIs14_9) {
    ASSERT_TRUE(lt1(static_cast<tlm::tlm_command>(3))); // not an enumerator
    EXPECT_EQ(status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(ids(b.c1), V{"14.9"});
}

TEST_F(ProtocolChecker, OptionNotMinPayloadOnTransportIs14_8) {
    ASSERT_TRUE(
        lt1(tlm::TLM_WRITE_COMMAND, [](gp_t &gp) { gp.set_gp_option(tlm::TLM_FULL_PAYLOAD); }));
    EXPECT_EQ(ids(b.c1), V{"14.8"});
}

TEST_F(ProtocolChecker, NbPayloadWithoutMemoryManagerIs14_5) {
    b.t1.complete_on_return();
    ASSERT_TRUE(run([&] {
        unsigned char d[4] = {};
        gp_t gp; // on the stack, no memory manager
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x10, d, 4);
        tlm_phase ph = BEGIN_REQ;
        EXPECT_EQ(b.i1.fw(gp, ph), TLM_COMPLETED);
    }));
    EXPECT_EQ(ids(b.c1), V{"14.5"});
    EXPECT_TRUE(has(b.c1.violations()[0].text, "no memory manager"));
}

TEST_F(ProtocolChecker, NbPayloadWithReferenceCountZeroIs14_5) {
    b.t1.complete_on_return();
    ASSERT_TRUE(run([&] {
        unsigned char d[4] = {};
        gp_t *g = b.mm.alloc(); // never acquired
        setup(*g, tlm::TLM_WRITE_COMMAND, 0x10, d, 4);
        tlm_phase ph = BEGIN_REQ;
        EXPECT_EQ(b.i1.fw(*g, ph), TLM_COMPLETED);
        b.mm.free(g);
    }));
    EXPECT_EQ(ids(b.c1), V{"14.5"});
    EXPECT_TRUE(has(b.c1.violations()[0].text, "reference count 0"));
}

// ---------------------------------------------------------------------------------------------
// The response (b_transport returns, BEGIN_RESP, TLM_COMPLETED).

TEST_F(ProtocolChecker, ResponseStatusNotSetByTheTargetIs14_17) {
    ASSERT_TRUE(run([&] {
        unsigned char d[4] = {};
        b.t1.on_b = [](gp_t &, sc_time &) {}; // forgets the response status
        gp_t gp;
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x10, d, 4);
        b.i1.lt(gp);
        setup(gp, tlm::TLM_IGNORE_COMMAND, 0x10, nullptr, 0); // ignore needs a status too
        b.i1.lt(gp);
        // nb: TLM_COMPLETED for BEGIN_REQ, and BEGIN_RESP, without a status.
        b.t1.on_nb = [](gp_t &, tlm_phase &, sc_time &) { return TLM_COMPLETED; };
        gp_t *g = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x10, d, 4);
        tlm_phase ph = BEGIN_REQ;
        b.i1.fw(*g, ph);
        g->release();
        b.t1.on_nb = nullptr;
        g = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x10, d, 4);
        ph = BEGIN_REQ;
        b.i1.fw(*g, ph);
        ph = BEGIN_RESP;
        b.t1.bw(*g, ph);
        ph = END_RESP;
        b.i1.fw(*g, ph);
        g->release();
    }));
    EXPECT_EQ(ids(b.c1), (V{"14.17", "14.17", "14.17", "14.17"}));
    EXPECT_EQ(b.c1.pending(), 0u);
}

TEST_F(ProtocolChecker, CommandModifiedIs14_9) {
    t1_changes([](gp_t &g) { g.set_command(tlm::TLM_WRITE_COMMAND); });
    ASSERT_TRUE(lt1(tlm::TLM_READ_COMMAND));
    EXPECT_EQ(ids(b.c1), V{"14.9"});
}

TEST_F(ProtocolChecker, DataPointerModifiedIs14_11) {
    static unsigned char other[4];
    t1_changes([](gp_t &g) { g.set_data_ptr(other); });
    ASSERT_TRUE(lt1(tlm::TLM_READ_COMMAND));
    EXPECT_EQ(ids(b.c1), V{"14.11"});
}

TEST_F(ProtocolChecker, DataLengthModifiedIs14_12) {
    t1_changes([](gp_t &g) { g.set_data_length(2); });
    ASSERT_TRUE(lt1(tlm::TLM_READ_COMMAND));
    EXPECT_EQ(ids(b.c1), V{"14.12"});
}

TEST_F(ProtocolChecker, ByteEnablePointerModifiedIs14_13) {
    static unsigned char other[4] = {0xff, 0xff, 0xff, 0xff};
    unsigned char be[4] = {0xff, 0xff, 0xff, 0xff};
    t1_changes([](gp_t &g) { g.set_byte_enable_ptr(other); });
    ASSERT_TRUE(lt1(tlm::TLM_READ_COMMAND, [&](gp_t &gp) {
        gp.set_byte_enable_ptr(be);
        gp.set_byte_enable_length(4);
    }));
    EXPECT_EQ(ids(b.c1), V{"14.13"});
}

TEST_F(ProtocolChecker, ByteEnableLengthModifiedIs14_14) {
    unsigned char be[4] = {0xff, 0xff, 0xff, 0xff};
    t1_changes([](gp_t &g) { g.set_byte_enable_length(2); });
    ASSERT_TRUE(lt1(tlm::TLM_READ_COMMAND, [&](gp_t &gp) {
        gp.set_byte_enable_ptr(be);
        gp.set_byte_enable_length(4);
    }));
    EXPECT_EQ(ids(b.c1), V{"14.14"});
}

TEST_F(ProtocolChecker, StreamingWidthModifiedIs14_15) {
    t1_changes([](gp_t &g) { g.set_streaming_width(g.get_data_length()); });
    ASSERT_TRUE(lt1(tlm::TLM_READ_COMMAND, [](gp_t &gp) { gp.set_streaming_width(64); }));
    EXPECT_EQ(ids(b.c1), V{"14.15"});
}

// ---------------------------------------------------------------------------------------------
// Interconnects, with a checker on each side: two bugs of our SMMU's TLM wrapper.

TEST_F(ProtocolChecker, InterconnectRewritingTheStreamingWidthIs14_15) {
    b.ic2.rewrite_streaming_width = true;
    ASSERT_TRUE(run([&] {
        unsigned char d[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        gp_t gp;
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x1010, d, 8);
        gp.set_streaming_width(64);
        EXPECT_EQ(b.i2.lt(gp), tlm::TLM_OK_RESPONSE); // functionally the write works
        EXPECT_EQ(gp.get_streaming_width(), 8u);      // but the initiator gets it back changed
        EXPECT_EQ(b.t2.mem[0x17], 8);
    }));
    // Upstream: the transaction came back changed.
    EXPECT_EQ(ids(b.c2up), V{"14.15"});
    EXPECT_TRUE(has(b.c2up.violations()[0].text, "streaming width 64 was changed to 8"));
    EXPECT_TRUE(has(b.c2up.violations()[0].text, "address 0x1010"));
    // Downstream: it arrived changed while still in progress upstream.
    EXPECT_EQ(ids(b.c2down), V{"14.7"});
    EXPECT_TRUE(has(b.c2down.violations()[0].text, "streaming width (14.15) 64 -> 8"));
    EXPECT_TRUE(has(b.c2down.violations()[0].text, "checker c2up"));
}

TEST_F(ProtocolChecker, InterconnectSplittingTheInitiatorsObjectIs14_7And14_5) {
    unsigned char d[16];
    for (unsigned i = 0; i < 16; i++)
        d[i] = static_cast<unsigned char>(0x40 + i);
    gp_t gp;
    ASSERT_TRUE(split_write16(gp, 0x1000, d));
    EXPECT_EQ(status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(gp.get_data_length(), 16u); // restored before returning
    EXPECT_EQ(gp.get_data_ptr(), d);
    EXPECT_EQ(b.t3.b_calls, 2u);
    EXPECT_EQ(0, std::memcmp(&b.t3.mem[0x1000], d, 16)); // the data arrives: a silent bug
    // Upstream the initiator sees nothing wrong; the checker between interconnect and memory
    // sees the initiator's object with other attributes, twice.
    EXPECT_EQ(ids(b.c3up), V{});
    ASSERT_EQ(ids(b.c3down), (V{"14.7", "14.7", "14.5"}));
    const auto &v = b.c3down.violations();
    EXPECT_TRUE(has(v[0].text, "data length (14.12) 16 -> 8"));
    EXPECT_TRUE(has(v[0].text, "streaming width (14.15) 16 -> 8"));
    EXPECT_TRUE(has(v[0].text, "byte enable length (14.14) 16 -> 8"));
    EXPECT_TRUE(has(v[1].text, "data pointer (14.11)"));
    EXPECT_TRUE(has(v[1].text, "data length (14.12) 16 -> 8"));
    EXPECT_TRUE(has(v[1].text, "byte enable pointer (14.13)"));
    EXPECT_TRUE(has(v[1].text, "address 0x1008"));
    EXPECT_TRUE(has(v[2].text, "checker c3up"));
}

TEST_F(ProtocolChecker, InterconnectSplittingWithItsOwnObjectsIsClean) {
    b.ic3.own_payloads = true;
    unsigned char d[16];
    for (unsigned i = 0; i < 16; i++)
        d[i] = static_cast<unsigned char>(0x80 + i);
    gp_t gp;
    ASSERT_TRUE(split_write16(gp, 0x2000, d));
    EXPECT_EQ(status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(b.t3.b_calls, 2u);
    EXPECT_EQ(0, std::memcmp(&b.t3.mem[0x2000], d, 16));
    expect_all_clean();
}

// ---------------------------------------------------------------------------------------------
// b_transport

TEST_F(ProtocolChecker, BTransportReenteredWithTheSameObjectIs15_2_8) {
    b.t1.on_b = [&](gp_t &g, sc_time &) {
        wait(10, SC_NS);
        b.t1.execute(g);
    };
    unsigned char d[4] = {};
    gp_t gp;
    setup(gp, tlm::TLM_WRITE_COMMAND, 0x10, d, 4);
    spawn([&] { b.i1.lt(gp); });
    ASSERT_TRUE(run([&] {
        wait(5, SC_NS); // the first call is still waiting in the target
        b.i1.lt(gp);
    }));
    EXPECT_EQ(b.t1.b_calls, 2u);
    EXPECT_EQ(ids(b.c1), V{"15.2.8"});
}

TEST_F(ProtocolChecker, BTransportFromAMethodProcessIs11_1_1) {
    bool called = false;
    unsigned char d[4] = {};
    gp_t gp;
    setup(gp, tlm::TLM_WRITE_COMMAND, 0x10, d, 4);
    sc_spawn_options o;
    o.spawn_method();
    sc_spawn(
        [&] {
            b.i1.lt(gp);
            called = true;
        },
        sc_gen_unique_name("method"), &o);
    sc_start();
    EXPECT_TRUE(called);
    EXPECT_EQ(ids(b.c1), V{"11.1.1"});
}

// ---------------------------------------------------------------------------------------------
// nb_transport

TEST_F(ProtocolChecker, RequestExclusionRuleIs15_2_6) {
    ASSERT_TRUE(run([&] {
        unsigned char d[4] = {};
        gp_t *g1 = begin_accepted(d); // no END_REQ yet
        gp_t *g2 = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x20, d, 4);
        tlm_phase ph = BEGIN_REQ;
        b.i1.fw(*g2, ph);
        g1->release();
        g2->release();
    }));
    EXPECT_EQ(ids(b.c1), V{"15.2.6"});
    EXPECT_EQ(b.c1.violations()[0].name, "request exclusion rule");
}

TEST_F(ProtocolChecker, ResponseExclusionRuleIs15_2_6) {
    b.t1.end_req_on_return();
    ASSERT_TRUE(run([&] {
        unsigned char d[4] = {};
        gp_t *g1 = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x10, d, 4);
        gp_t *g2 = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x20, d, 4);
        for (gp_t *g : {g1, g2}) {
            tlm_phase ph = BEGIN_REQ;
            EXPECT_EQ(b.i1.fw(*g, ph), TLM_UPDATED);
            b.t1.execute(*g);
        }
        tlm_phase ph = BEGIN_RESP;
        EXPECT_EQ(b.t1.bw(*g1, ph), TLM_ACCEPTED); // no END_RESP yet
        ph = BEGIN_RESP;
        b.t1.bw(*g2, ph);
        g1->release();
        g2->release();
    }));
    EXPECT_EQ(ids(b.c1), V{"15.2.6"});
    EXPECT_EQ(b.c1.violations()[0].name, "response exclusion rule");
}

TEST_F(ProtocolChecker, AcceptedWithAChangedPhaseIs11_1_2) {
    b.t1.on_nb = [](gp_t &, tlm_phase &p, sc_time &) {
        p = END_REQ;
        return TLM_ACCEPTED; // must be TLM_UPDATED
    };
    ASSERT_TRUE(begin_req1());
    EXPECT_EQ(ids(b.c1), V{"11.1.2"});
}

TEST_F(ProtocolChecker, UpdatedWithoutAPhaseTransitionIs15_2_3) {
    b.t1.on_nb = [](gp_t &, tlm_phase &, sc_time &) { return TLM_UPDATED; };
    ASSERT_TRUE(begin_req1());
    EXPECT_EQ(ids(b.c1), V{"15.2.3"});
}

TEST_F(ProtocolChecker, PhaseOnTheWrongPathIs15_2_3) {
    ASSERT_TRUE(run([&] {
        unsigned char d[4] = {};
        gp_t *g = begin_accepted(d);
        tlm_phase ph = END_REQ; // the initiator sends what only the target may
        b.i1.fw(*g, ph);
        ph = END_RESP; // the target sends what only the initiator may
        b.t1.bw(*g, ph);
        g->release();
    }));
    EXPECT_EQ(ids(b.c1), (V{"15.2.3", "15.2.3"}));
}

TEST_F(ProtocolChecker, PhaseTransitionNotPermittedIs15_2_4) {
    ASSERT_TRUE(run([&] {
        unsigned char d[4] = {};
        gp_t *g = begin_accepted(d);
        gp_t *never = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x20, d, 4);
        tlm_phase ph = END_RESP; // before any BEGIN_RESP
        b.i1.fw(*g, ph);
        ph = BEGIN_REQ; // the same transaction again
        b.i1.fw(*g, ph);
        b.t1.execute(*never);
        ph = BEGIN_RESP; // a response to a request this socket never carried
        b.t1.bw(*never, ph);
        g->release();
        never->release();
    }));
    EXPECT_EQ(ids(b.c1), (V{"15.2.4", "15.2.4", "15.2.4"}));
}

TEST_F(ProtocolChecker, NonBasePhaseIs15_2_5) {
    ASSERT_TRUE(run([&] {
        unsigned char d[4] = {};
        gp_t *g = begin_accepted(d);
        tlm_phase ph = ignorable_beat;
        EXPECT_EQ(b.i1.fw(*g, ph), TLM_ACCEPTED);
        g->release();
    }));
    EXPECT_EQ(ids(b.c1), V{"15.2.5"});
    EXPECT_TRUE(has(b.c1.violations()[0].text, "ignorable_beat"));
}

TEST_F(ProtocolChecker, NbTransportDecreasingTheDelayIs11_1_3) {
    b.t1.on_nb = [](gp_t &, tlm_phase &p, sc_time &t) {
        p = END_REQ;
        t = SC_ZERO_TIME;
        return TLM_UPDATED;
    };
    ASSERT_TRUE(begin_req1(sc_time(10, SC_NS)));
    EXPECT_EQ(ids(b.c1), V{"11.1.3"});
}

TEST_F(ProtocolChecker, BackwardCallFromWithinAForwardCallIs11_1_2) {
    b.t1.on_nb = [&](gp_t &x, tlm_phase &, sc_time &) {
        tlm_phase p = END_REQ;
        b.t1.bw(x, p); // must answer on the return path instead
        return TLM_ACCEPTED;
    };
    ASSERT_TRUE(begin_req1());
    EXPECT_EQ(ids(b.c1), V{"11.1.2"});
    EXPECT_TRUE(has(b.c1.violations()[0].text, "from within nb_transport_fw"));
}

TEST_F(ProtocolChecker, BTransportAndNbTransportForTheSameObjectIs15_2_10) {
    b.t1.on_b = [&](gp_t &g, sc_time &) {
        wait(10, SC_NS);
        b.t1.execute(g);
    };
    unsigned char d[4] = {};
    gp_t *g = b.mmgp(tlm::TLM_WRITE_COMMAND, 0x10, d, 4);
    spawn([&] { b.i1.lt(*g); });
    ASSERT_TRUE(run([&] {
        wait(5, SC_NS);
        tlm_phase ph = BEGIN_REQ;
        b.i1.fw(*g, ph);
    }));
    g->release();
    EXPECT_EQ(ids(b.c1), V{"15.2.10"});
}

// ---------------------------------------------------------------------------------------------
// DMI and debug transport

TEST_F(ProtocolChecker, DmiRequestWithIgnoreCommandIs11_2) {
    ASSERT_TRUE(dmi1(tlm::TLM_IGNORE_COMMAND));
    EXPECT_EQ(ids(b.c1), V{"11.2"});
}

TEST_F(ProtocolChecker, DmiDescriptorNotInItsDefaultStateIs11_2) {
    ASSERT_TRUE(dmi1(tlm::TLM_READ_COMMAND, [](tlm::tlm_dmi &dmi) {
        dmi.set_start_address(0x100); // left over from an earlier request
    }));
    EXPECT_EQ(ids(b.c1), V{"11.2"});
}

TEST_F(ProtocolChecker, InvalidDmiGrantIs11_2) {
    ASSERT_TRUE(run([&] {
        gp_t gp;
        setup(gp, tlm::TLM_READ_COMMAND, 0x200, nullptr, 0);
        auto grant = [&](unsigned char *p, sc_dt::uint64 lo, sc_dt::uint64 hi, bool access) {
            b.t1.on_dmi = [=](gp_t &, tlm::tlm_dmi &d) {
                d.set_dmi_ptr(p);
                d.set_start_address(lo);
                d.set_end_address(hi);
                if (access) d.allow_read_write();
                return true;
            };
            tlm::tlm_dmi dmi;
            EXPECT_TRUE(b.i1.socket->get_direct_mem_ptr(gp, dmi));
        };
        unsigned char *m = b.t1.mem.data();
        grant(nullptr, 0, 0xffff, true); // no pointer
        grant(m, 0x300, 0x100, true);    // start after end
        grant(m, 0x400, 0x4ff, true);    // does not contain 0x200
        grant(m, 0, 0xffff, false);      // neither read nor write
        grant(m, 0, 0xffff, true);       // correct
    }));
    EXPECT_EQ(ids(b.c1), (V{"11.2", "11.2", "11.2", "11.2"}));
}

TEST_F(ProtocolChecker, InvalidateWithStartAfterEndIs11_2) {
    ASSERT_TRUE(run([&] { b.t1.socket->invalidate_direct_mem_ptr(0x200, 0x100); }));
    EXPECT_EQ(ids(b.c1), V{"11.2"});
    ASSERT_EQ(b.i1.invalidations.size(), 1u); // forwarded unchanged all the same
    EXPECT_EQ(b.i1.invalidations[0].first, 0x200u);
}

TEST_F(ProtocolChecker, DebugTransportReturningMoreThanTheDataLengthIs11_3) {
    b.t1.on_dbg = [](gp_t &g) { return g.get_data_length() + 4; };
    ASSERT_TRUE(dbg1());
    EXPECT_EQ(dbg_count, 8u);
    EXPECT_EQ(ids(b.c1), V{"11.3"});
}

TEST_F(ProtocolChecker, DebugTransportModifyingTheDataLengthIs11_3) {
    b.t1.on_dbg = [](gp_t &g) {
        g.set_data_length(1);
        return 1u;
    };
    ASSERT_TRUE(dbg1());
    EXPECT_EQ(ids(b.c1), V{"11.3"});
}

// ---------------------------------------------------------------------------------------------
// Reporting

TEST_F(ProtocolChecker, ReportNamesRuleCheckerPayloadAndAddress) {
    gp_t gp;
    ASSERT_TRUE(run([&] {
        unsigned char d[4] = {};
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x1010, d, 4);
        gp.set_streaming_width(0);
        b.i1.lt(gp);
    }));
    ASSERT_EQ(b.c1.violations().size(), 1u);
    const protocol_checker_base::violation &v = b.c1.violations()[0];
    EXPECT_EQ(v.rule, "14.15");
    EXPECT_EQ(v.name, "streaming width 0");
    EXPECT_EQ(v.text.rfind("14.15 streaming width 0: ", 0), 0u) << v.text;
    char tail[64];
    std::snprintf(tail, sizeof tail, "(checker c1, payload %p, address 0x1010)",
                  static_cast<void *>(&gp));
    EXPECT_TRUE(has(v.text, tail)) << v.text;
    // Every rule id names a sub-clause of clauses 11, 14 or 15.
    for (const auto &r : protocol_checker_base::rules()) {
        const std::string id = r.id;
        EXPECT_TRUE(id.rfind("11.", 0) == 0 || id.rfind("14.", 0) == 0 || id.rfind("15.", 0) == 0)
            << id;
        EXPECT_GT(std::strlen(r.name), 0u);
    }
}

TEST_F(ProtocolChecker, CountersAddUpOverCheckersAndReset) {
    ASSERT_TRUE(run([&] {
        unsigned char d[4] = {};
        gp_t gp;
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x10, d, 4);
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
        b.i1.lt(gp); // c1: 14.17
        setup(gp, tlm::TLM_WRITE_COMMAND, 0x1010, d, 4);
        gp.set_dmi_allowed(true);
        b.i2.lt(gp); // c2up: 14.16
    }));
    EXPECT_EQ(protocol_checker_base::total_violations(), 2u);
    EXPECT_EQ(b.c1.violation_count(), 1u);
    EXPECT_EQ(b.c1.violation_count("14.17"), 1u);
    EXPECT_EQ(b.c2up.violation_count(), 1u);
    b.c1.reset_violations();
    EXPECT_EQ(b.c1.violation_count(), 0u);
    EXPECT_TRUE(b.c1.violations().empty());
    EXPECT_EQ(protocol_checker_base::total_violations(), 2u);
    protocol_checker_base::reset_total_violations();
    EXPECT_EQ(protocol_checker_base::total_violations(), 0u);
}

// With SystemC's default action for SC_ERROR a violation throws; it is counted all the same and
// the checker forgets the aborted transaction (here the report throws on the way back, with the
// transaction registered).
TEST_F(ProtocolChecker, ViolationThrowsUnderTheDefaultAction) {
    sc_start(SC_ZERO_TIME);               // elaboration done, sockets bound
    b.t1.on_b = [](gp_t &, sc_time &) {}; // forgets the response status
    unsigned char d[4] = {};
    gp_t gp;
    setup(gp, tlm::TLM_WRITE_COMMAND, 0x10, d, 4);
    std::string thrown;
    sc_report_handler::set_actions(protocol_checker_base::msg_type, SC_UNSPECIFIED);
    // The call runs on a thread of its own while the simulation is paused: an exception thrown on
    // the main stack after SystemC has switched coroutine stacks would leave AddressSanitizer's
    // stack poisoning stale for the tests that follow.
    std::thread([&] {
        sc_time t = SC_ZERO_TIME;
        try {
            b.c1.b_transport(gp, t);
        } catch (const sc_report &r) {
            thrown = r.get_msg_type();
        }
    }).join();
    sc_report_handler::set_actions(protocol_checker_base::msg_type, SC_LOG | SC_DISPLAY);
    EXPECT_EQ(thrown, protocol_checker_base::msg_type);
    EXPECT_EQ(ids(b.c1), V{"14.17"});
    EXPECT_EQ(b.c1.pending(), 0u);
}

// A transaction the target never completes is not a violation at the end of simulation.
TEST_F(ProtocolChecker, OpenTransactionIsPendingNotAViolation) {
    gp_t *g = nullptr;
    ASSERT_TRUE(run([&] {
        unsigned char d[4] = {};
        g = begin_accepted(d);
    }));
    EXPECT_EQ(b.c1.pending(), 1u);
    EXPECT_EQ(ids(b.c1), V{});
    b.c1.reset_state();
    EXPECT_EQ(b.c1.pending(), 0u);
    g->release();
}

} // namespace

// GoogleTest runs the tests; SystemC runs without sc_main (the platform is built by the tests),
// but libsystemc refers to it, so it exists.
int sc_main(int, char **) {
    return 0;
}
int main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    sc_core::sc_report_handler::set_actions(smmu_model::protocol_checker_base::msg_type,
                                            sc_core::SC_LOG | sc_core::SC_DISPLAY);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
