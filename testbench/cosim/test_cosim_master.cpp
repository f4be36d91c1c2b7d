// SPDX-License-Identifier: Apache-2.0 OR MIT
// The TLM -> AXI4 master bridge (docs/cosim.md, "The master bridge"), in front of a
// pin-level AXI4 slave memory written here (it answers bursts of different IDs out of order, with
// random READY / VALID gaps, and checks that no strobe is set outside a beat's byte lanes).
// Expected memory contents come from a shadow copy updated by the test with the TLM byte-enable
// rules, expected bursts from the AXI addressing rules (IHI 0022 A3.4), never from the bridge.
// Every test requires the protocol checker on each bridge's pins to stay clean.
//
// One elaboration per process: the unit bridge `m0` (two initiator threads) and the platform
// case, smmu_tlm::smmu with its `downstream` and its `table` socket each behind a master bridge,
// both slaves on the same memory that the host (c_core/drv) programs through the router.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include <smmu/drv.h>
#include <smmu_cosim/axi.h>
#include <smmu_cosim/tlm_axi_bridge.h>
#include <smmu_model/host.h>
#include <smmu_model/memory.h>
#include <smmu_model/router.h>
#include <smmu_tlm/smmu_tlm.h>
#include <tlm_utils/simple_initiator_socket.h>

using namespace smmu_cosim;
using namespace sc_core;

namespace {

constexpr uint64_t PAGE = 0x1000;
constexpr uint64_t REG_BASE = uint64_t(1) << 32;

// A pin-level AXI4 slave over a smmu_model::memory (direct accesses, no TLM). INCR bursts of
// bus-wide beats only (what the master bridge issues); anything else is answered SLVERR and
// counted. Reads and writes of different IDs complete in random order; one ID's in order.
struct axi_mem_slave : sc_module {
    struct req {
        uint32_t id = 0, len = 0, size = 0, burst = 0, prot = 0, cache = 0, domain = 0, qos = 0;
        uint64_t addr = 0;
        bool write = false;
    };
    struct region {
        uint64_t base, size;
        uint32_t resp;
    };
    sc_in<bool> clk;
    sc_in<bool> rst_n;
    axi_signals &s;
    smmu_model::memory &mem;
    unsigned n;
    std::vector<req> log; // every accepted request, in acceptance order
    std::vector<region> errors;
    unsigned strobe_errors = 0, unsupported = 0, max_reads_out = 0;

    SC_HAS_PROCESS(axi_mem_slave);
    axi_mem_slave(sc_module_name nm, axi_signals &sig, smmu_model::memory &m, unsigned bytes,
                  uint32_t seed)
        : sc_module(nm), s(sig), mem(m), n(bytes), rng_(seed) {
        SC_METHOD(on_clock);
        sensitive << clk.pos();
        dont_initialize();
    }

  private:
    uint32_t rand() {
        rng_ = rng_ * 1664525u + 1013904223u;
        return rng_ >> 16;
    }
    uint32_t resp_of(const req &r) const {
        if (r.burst != AXI_INCR || (1u << r.size) != n) return AXI_SLVERR;
        const uint64_t lo = r.addr, hi = (r.addr & ~uint64_t(n - 1)) + (r.len + 1) * uint64_t(n);
        for (const region &e : errors)
            if (lo < e.base + e.size && hi > e.base) return e.resp;
        return AXI_OKAY;
    }
    uint64_t beat_addr(const req &r, unsigned i) const { // A3.4.1: first beat unaligned
        return i == 0 ? r.addr : (r.addr & ~uint64_t(n - 1)) + uint64_t(i) * n;
    }
    void write_burst(const req &r, const std::vector<std::pair<uint64_t, uint32_t>> &beats) {
        uint32_t resp = resp_of(r);
        if (resp == AXI_SLVERR && (r.burst != AXI_INCR || (1u << r.size) != n)) unsupported++;
        if (beats.size() != r.len + 1u) resp = AXI_SLVERR;
        if (resp == AXI_OKAY)
            for (unsigned i = 0; i < beats.size(); i++) {
                const uint64_t a = beat_addr(r, i);
                const unsigned lo = static_cast<unsigned>(a & (n - 1));
                for (unsigned k = 0; k < n; k++) {
                    if (!((beats[i].second >> k) & 1)) continue;
                    if (k < lo) {
                        strobe_errors++;
                        continue;
                    }
                    const uint8_t b = static_cast<uint8_t>(beats[i].first >> (8 * k));
                    mem.write((a & ~uint64_t(n - 1)) + k, &b, 1);
                }
                if (beats[i].second >> n) strobe_errors++;
            }
        b_[r.id].push_back(resp);
    }
    void on_clock() {
        if (!rst_n.read()) {
            aw_.clear();
            w_.clear();
            w_cur_.clear();
            r_.clear();
            b_.clear();
            r_active_ = false;
            awready_ = wready_ = arready_ = bvalid_ = rvalid_ = false;
            drive();
            return;
        }
        if (s.awvalid.read() && awready_) {
            req r;
            r.write = true;
            r.id = s.awid.read();
            r.addr = s.awaddr.read();
            r.len = s.awlen.read();
            r.size = s.awsize.read();
            r.burst = s.awburst.read();
            r.prot = s.awprot.read();
            r.cache = s.awcache.read();
            r.domain = s.awdomain.read();
            r.qos = s.awqos.read();
            log.push_back(r);
            aw_.push_back(r);
        }
        if (s.wvalid.read() && wready_) {
            w_cur_.emplace_back(s.wdata.read(), s.wstrb.read());
            if (s.wlast.read()) {
                w_.push_back(std::move(w_cur_));
                w_cur_.clear();
            }
        }
        while (!aw_.empty() && !w_.empty()) {
            write_burst(aw_.front(), w_.front());
            aw_.pop_front();
            w_.pop_front();
        }
        if (s.arvalid.read() && arready_) {
            req r;
            r.id = s.arid.read();
            r.addr = s.araddr.read();
            r.len = s.arlen.read();
            r.size = s.arsize.read();
            r.burst = s.arburst.read();
            r.prot = s.arprot.read();
            r.cache = s.arcache.read();
            r.domain = s.ardomain.read();
            r.qos = s.arqos.read();
            log.push_back(r);
            r_[r.id].push_back(r);
        }
        if (bvalid_ && s.bready.read()) {
            b_[bid_].pop_front();
            bvalid_ = false;
        }
        if (rvalid_ && s.rready.read()) {
            rvalid_ = false;
            if (++beat_ > cur_.len) r_active_ = false;
        }
        unsigned out = r_active_ ? 1 : 0;
        for (auto &kv : r_)
            out += static_cast<unsigned>(kv.second.size());
        max_reads_out = std::max(max_reads_out, out);

        awready_ = rand() % 4 != 0;
        wready_ = rand() % 4 != 0;
        arready_ = rand() % 4 != 0;
        if (!bvalid_ && rand() % 2) {
            std::vector<uint32_t> ids;
            for (auto &kv : b_)
                if (!kv.second.empty()) ids.push_back(kv.first);
            if (!ids.empty()) {
                bid_ = ids[rand() % ids.size()];
                bresp_ = b_[bid_].front();
                bvalid_ = true;
            }
        }
        if (!r_active_) {
            std::vector<uint32_t> ids;
            for (auto &kv : r_)
                if (!kv.second.empty()) ids.push_back(kv.first);
            if (!ids.empty()) {
                const uint32_t id = ids[rand() % ids.size()];
                cur_ = r_[id].front();
                r_[id].pop_front();
                cur_resp_ = resp_of(cur_);
                if (cur_resp_ == AXI_SLVERR && (cur_.burst != AXI_INCR || (1u << cur_.size) != n))
                    unsupported++;
                beat_ = 0;
                r_active_ = true;
            }
        }
        if (r_active_ && !rvalid_ && rand() % 4 != 0) {
            uint64_t d = 0;
            if (cur_resp_ == AXI_OKAY) {
                uint8_t b[8] = {};
                mem.read(beat_addr(cur_, beat_) & ~uint64_t(n - 1), b, n);
                for (unsigned k = 0; k < n; k++)
                    d |= uint64_t(b[k]) << (8 * k);
            }
            rvalid_ = true;
            rdata_ = d;
            rlast_ = beat_ == cur_.len;
        }
        drive();
    }
    void drive() {
        s.awready.write(awready_);
        s.wready.write(wready_);
        s.arready.write(arready_);
        s.bvalid.write(bvalid_);
        s.bid.write(bid_);
        s.bresp.write(bresp_);
        s.rvalid.write(rvalid_);
        s.rid.write(cur_.id);
        s.rdata.write(rdata_);
        s.rresp.write(cur_resp_);
        s.rlast.write(rlast_);
    }

    uint32_t rng_;
    std::deque<req> aw_;
    std::deque<std::vector<std::pair<uint64_t, uint32_t>>> w_;
    std::vector<std::pair<uint64_t, uint32_t>> w_cur_;
    std::map<uint32_t, std::deque<req>> r_;
    std::map<uint32_t, std::deque<uint32_t>> b_;
    req cur_;
    unsigned beat_ = 0;
    uint32_t cur_resp_ = 0, bid_ = 0, bresp_ = 0;
    bool r_active_ = false, awready_ = false, wready_ = false, arready_ = false, bvalid_ = false,
         rvalid_ = false, rlast_ = false;
    uint64_t rdata_ = 0;
};

// A thread that runs the jobs it is given (a TLM initiator, or the host's program).
struct worker {
    std::function<void()> job;
    bool busy = false;
};

struct tb : sc_module {
    sc_clock clk{"clk", 10, SC_NS};
    sc_signal<bool, SC_MANY_WRITERS> rst_n{"rst_n"};
    smmu_model::memory mem;
    smmu_model::router bus{"bus"};
    axi_signals s0, s32, sd, st;
    tlm_axi_bridge m0, m32; // 64-bit and 32-bit data bus
    axi_mem_slave slv0, slv32;
    tlm_utils::simple_initiator_socket<tb> init0{"init0"}, init1{"init1"}, init32{"init32"},
        dma{"dma"};
    worker w0, w1, wh;

    // platform: smmu.downstream -> md -> sd pins -> slave_d; smmu.table -> mt -> st -> slave_t
    std::unique_ptr<smmu_tlm::smmu> smmu;
    tlm_axi_bridge md, mt;
    axi_mem_slave slave_d, slave_t;
    smmu_model::host host{"host"};
    smmu_drv_t *drv = nullptr;
    int drv_err = 0;

    static smmu_model::memory_params mparams() {
        smmu_model::memory_params p;
        p.dmi = false;
        return p;
    }
    static master_bridge_params bparams(uint32_t id_base, unsigned data_bytes = 8) {
        master_bridge_params p;
        p.id_base = id_base;
        p.data_bytes = data_bytes;
        return p;
    }
    static smmu_tlm::smmu_tlm_params sparams() {
        smmu_tlm::smmu_tlm_params p;
        p.n_upstream = 1;
        return p;
    }

    SC_HAS_PROCESS(tb);
    explicit tb(sc_module_name nm)
        : sc_module(nm), mem("mem", mparams()), m0("m0", bparams(0)), m32("m32", bparams(0, 4)),
          slv0("slv0", s0, mem, 8, 1), slv32("slv32", s32, mem, 4, 4),
          smmu(new smmu_tlm::smmu("smmu", sparams())), md("md", bparams(0)), mt("mt", bparams(8)),
          slave_d("slave_d", sd, mem, 8, 2), slave_t("slave_t", st, mem, 8, 3) {
        bus.initiator.bind(mem.socket); // port 0
        bus.map("memory", 0, REG_BASE, 0, 0);
        bus.initiator.bind(smmu->regs); // port 1
        bus.map("smmu.regs", REG_BASE, 0x20000, 1);
        host.socket.bind(bus.target);
        for (tlm_axi_bridge *m : {&m0, &m32, &md, &mt}) {
            m->clk(clk);
            m->rst_n(rst_n);
            m->debug.bind(bus.target);
        }
        for (axi_mem_slave *sl : {&slv0, &slv32, &slave_d, &slave_t}) {
            sl->clk(clk);
            sl->rst_n(rst_n);
        }
        m0.bind(s0);
        m32.bind(s32);
        init32.bind(m32.socket);
        md.bind(sd);
        mt.bind(st);
        init0.bind(m0.socket);
        init1.bind(m0.socket);
        smmu->downstream.bind(md.socket);
        smmu->table.bind(mt.socket);
        dma.bind(smmu->upstream[0]);
        host.set_program([this](smmu_model::host &h) { program(h); });
        SC_THREAD(reset_thread);
        SC_THREAD(t0);
        SC_THREAD(t1);
    }
    void edge() {
        wait(clk.posedge_event());
    }
    void reset_thread() {
        rst_n.write(false);
        for (int i = 0; i < 4; i++)
            edge();
        rst_n.write(true);
    }
    void serve(worker &w) {
        for (;;) {
            while (!w.job)
                edge();
            w.job();
            w.job = nullptr;
            w.busy = false;
        }
    }
    void t0() {
        serve(w0);
    }
    void t1() {
        serve(w1);
    }
    void program(smmu_model::host &h) {
        while (!rst_n.read())
            edge();
        smmu_drv_config_t cfg{};
        cfg.pool_base = 0x80000000;
        cfg.pool_size = 16 << 20;
        cfg.sid_bits = 8;
        drv = h.new_driver(REG_BASE, cfg);
        drv_err = drv ? smmu_drv_init(drv) : SMMU_DRV_EINVAL;
        serve(wh);
    }
    // Runs the given jobs (host, initiator 0, initiator 1; empty: none) until all return.
    bool run(std::function<void()> h, std::function<void()> a, std::function<void()> b = {}) {
        for (auto p : {std::make_pair(&wh, &h), std::make_pair(&w0, &a), std::make_pair(&w1, &b)})
            if (*p.second) {
                p.first->job = *p.second;
                p.first->busy = true;
            }
        for (int i = 0; i < 20000 && (wh.busy || w0.busy || w1.busy); i++)
            sc_start(sc_time(1, SC_US));
        return !(wh.busy || w0.busy || w1.busy);
    }
    // One TLM access on sock from the calling thread.
    static tlm::tlm_response_status access(tlm_utils::simple_initiator_socket<tb> &sock, bool wr,
                                           uint64_t addr, uint8_t *data, unsigned len,
                                           uint8_t *be = nullptr, unsigned be_len = 0,
                                           smmu_tlm::stream_extension *ext = nullptr) {
        tlm::tlm_generic_payload gp;
        gp.set_command(wr ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        gp.set_address(addr);
        gp.set_data_ptr(data);
        gp.set_data_length(len);
        gp.set_streaming_width(len);
        gp.set_byte_enable_ptr(be);
        gp.set_byte_enable_length(be ? be_len : 0);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        if (ext) gp.set_extension(ext);
        sc_time d = SC_ZERO_TIME;
        sock->b_transport(gp, d);
        if (ext) gp.clear_extension(ext);
        return gp.get_response_status();
    }
};

tb *T = nullptr;

uint32_t lcg(uint32_t &x) {
    x = x * 1664525u + 1013904223u;
    return x >> 8;
}

std::vector<uint8_t> mem_bytes(uint64_t a, size_t n) {
    std::vector<uint8_t> v(n);
    EXPECT_TRUE(T->mem.read(a, v.data(), n));
    return v;
}

class CosimMaster : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (!T) T = new tb("tb");
    }
    void SetUp() override {
        ASSERT_TRUE(T->run([] {}, {}));
        ASSERT_NE(T->drv, nullptr);
        ASSERT_EQ(T->drv_err, 0) << smmu_drv_strerror(T->drv_err);
        log0_ = T->slv0.log.size();
        log32_ = T->slv32.log.size();
    }
    void TearDown() override {
        for (const tlm_axi_bridge *m : {&T->m0, &T->m32, &T->md, &T->mt})
            for (const auto &v : m->violations())
                ADD_FAILURE() << m->name() << ": " << v.to_string();
        for (const axi_mem_slave *sl : {&T->slv0, &T->slv32, &T->slave_d, &T->slave_t}) {
            EXPECT_EQ(sl->strobe_errors, 0u) << sl->name();
            EXPECT_EQ(sl->unsupported, 0u) << sl->name();
        }
        T->slv0.errors.clear();
    }
    // Requests slv0 accepted during this test.
    std::vector<axi_mem_slave::req> log0() const {
        return std::vector<axi_mem_slave::req>(T->slv0.log.begin() + log0_, T->slv0.log.end());
    }
    std::vector<axi_mem_slave::req> log32() const {
        return std::vector<axi_mem_slave::req>(T->slv32.log.begin() + log32_, T->slv32.log.end());
    }
    size_t log0_ = 0, log32_ = 0;
};

// Random lengths, offsets and byte-enable patterns on sock (bus of n bytes) over [base, base +
// 5 pages), against a shadow copy; returns the number of wrong bytes and error responses.
unsigned random_traffic(tlm_utils::simple_initiator_socket<tb> &sock, uint64_t base, uint32_t x,
                        int count) {
    const uint64_t span = 5 * PAGE;
    std::vector<uint8_t> shadow(span);
    for (auto &b : shadow)
        b = static_cast<uint8_t>(lcg(x));
    EXPECT_TRUE(T->mem.write(base, shadow.data(), span));
    unsigned mismatches = 0;
    EXPECT_TRUE(T->run({}, [&] {
        for (int it = 0; it < count; it++) {
            const unsigned len = 1 + lcg(x) % (it % 4 == 0 ? 4500 : 300);
            const uint64_t off = lcg(x) % (span - len);
            std::vector<uint8_t> buf(len), be;
            for (auto &b : buf)
                b = static_cast<uint8_t>(lcg(x));
            if (lcg(x) % 2) {
                be.resize(1 + lcg(x) % 13);
                for (auto &e : be)
                    e = lcg(x) % 3 ? 0xFF : 0x00;
            }
            uint8_t *bep = be.empty() ? nullptr : be.data();
            const unsigned bel = static_cast<unsigned>(be.size());
            auto on = [&](unsigned i) { return !bep || be[i % bel] == 0xFF; };
            if (lcg(x) % 2) {
                if (tb::access(sock, true, base + off, buf.data(), len, bep, bel) !=
                    tlm::TLM_OK_RESPONSE)
                    mismatches++;
                for (unsigned i = 0; i < len; i++)
                    if (on(i)) shadow[off + i] = buf[i];
            } else {
                std::vector<uint8_t> got = buf;
                if (tb::access(sock, false, base + off, got.data(), len, bep, bel) !=
                    tlm::TLM_OK_RESPONSE)
                    mismatches++;
                for (unsigned i = 0; i < len; i++)
                    if (got[i] != (on(i) ? shadow[off + i] : buf[i])) mismatches++;
            }
        }
    }));
    if (mem_bytes(base, span) != shadow) mismatches++;
    return mismatches;
}

// Every burst stays in its 4 KiB page and has at most 256 beats of n bytes.
void expect_legal_bursts(const std::vector<axi_mem_slave::req> &log, unsigned n) {
    for (const auto &r : log) {
        const uint64_t last = (r.addr & ~uint64_t(n - 1)) + uint64_t(r.len) * n;
        EXPECT_EQ(r.addr >> 12, last >> 12) << std::hex << r.addr;
        EXPECT_LE(r.len, 255u);
        EXPECT_EQ(1u << r.size, n);
    }
}

} // namespace

// IHI 0022 A3.4.1: an INCR burst does not cross a 4 KiB boundary and has at most 256 beats. A
// 6,000-byte write from 0x10FFD on a 64-bit bus: 3 bytes up to 0x11000 (one beat), then
// 0x11000-0x11FFF in two bursts of 256 beats (2 KiB each), then 0x12000-0x1276C (1,901 bytes,
// 238 beats). The read of the same range is split the same way.
TEST_F(CosimMaster, IncrBurstsSplitAt4KiBAndAt256Beats) {
    std::vector<uint8_t> data(6000), back(6000);
    uint32_t x = 5;
    for (auto &b : data)
        b = static_cast<uint8_t>(lcg(x));
    tlm::tlm_response_status ws = tlm::TLM_INCOMPLETE_RESPONSE, rs = ws;
    ASSERT_TRUE(T->run({}, [&] {
        ws = tb::access(T->init0, true, 0x10FFD, data.data(), 6000);
        rs = tb::access(T->init0, false, 0x10FFD, back.data(), 6000);
    }));
    EXPECT_EQ(ws, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(rs, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(back, data);
    EXPECT_EQ(mem_bytes(0x10FFD, 6000), data);
    struct b {
        uint64_t addr;
        uint32_t len;
    };
    const std::vector<b> expect = {{0x10FFD, 0}, {0x11000, 255}, {0x11800, 255}, {0x12000, 237}};
    auto log = log0();
    ASSERT_EQ(log.size(), 2 * expect.size());
    for (size_t i = 0; i < log.size(); i++) {
        const b &e = expect[i % expect.size()];
        EXPECT_EQ(log[i].write, i < expect.size()) << i;
        EXPECT_EQ(log[i].addr, e.addr) << i;
        EXPECT_EQ(log[i].len, e.len) << i;
        EXPECT_EQ(log[i].burst, AXI_INCR);
        EXPECT_EQ(log[i].size, 3u);
    }
}

// Random lengths, offsets and byte-enable patterns (TLM-2.0 14.13: 0xFF enables a byte, the
// pattern repeats every byte_enable_length bytes): writes change exactly the enabled bytes
// (WSTRB), reads return them (disabled bytes of the read buffer untouched), byte for byte against
// a shadow copy; every burst is legal (checker) and stays in its 4 KiB page with <= 256 beats.
TEST_F(CosimMaster, RandomReadsAndWritesWithByteEnablesAreByteExact) {
    EXPECT_EQ(random_traffic(T->init0, 0x200000, 77, 60), 0u);
    expect_legal_bursts(log0(), 8);
}

// The same on a 32-bit data bus (AxSIZE 2, 1 KiB per 256-beat burst), and the split of a
// 3,000-byte write from 0x90FFE: one beat up to 0x91000, two bursts of 256 beats, then
// 0x91800-0x91BB5 (950 bytes, 238 beats).
TEST_F(CosimMaster, ThirtyTwoBitBusSplitsBurstsAndIsByteExact) {
    std::vector<uint8_t> data(3000), back(3000);
    uint32_t x = 21;
    for (auto &b : data)
        b = static_cast<uint8_t>(lcg(x));
    tlm::tlm_response_status ws = tlm::TLM_INCOMPLETE_RESPONSE;
    ASSERT_TRUE(T->run({}, [&] { ws = tb::access(T->init32, true, 0x90FFE, data.data(), 3000); }));
    EXPECT_EQ(ws, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(mem_bytes(0x90FFE, 3000), data);
    auto log = log32();
    ASSERT_EQ(log.size(), 4u);
    const uint64_t addr[4] = {0x90FFE, 0x91000, 0x91400, 0x91800};
    const uint32_t len[4] = {0, 255, 255, 237};
    for (unsigned i = 0; i < 4; i++) {
        EXPECT_EQ(log[i].addr, addr[i]) << i;
        EXPECT_EQ(log[i].len, len[i]) << i;
        EXPECT_EQ(log[i].size, 2u) << i;
    }
    EXPECT_EQ(random_traffic(T->init32, 0xA00000, 33, 40), 0u);
    expect_legal_bursts(log32(), 4);
}

// RRESP / BRESP: SLVERR -> TLM_GENERIC_ERROR_RESPONSE, DECERR -> TLM_ADDRESS_ERROR_RESPONSE,
// also when only the second burst of a transaction gets the error (the whole transaction fails).
TEST_F(CosimMaster, SlaveErrorResponsesMapToTlmStatus) {
    T->slv0.errors = {{0x30000, 0x100, AXI_SLVERR}, {0x31000, 0x100, AXI_DECERR}};
    std::vector<uint8_t> buf(64, 0x5A), big(0x200);
    tlm::tlm_response_status st[6];
    ASSERT_TRUE(T->run({}, [&] {
        st[0] = tb::access(T->init0, false, 0x30010, buf.data(), 64);
        st[1] = tb::access(T->init0, true, 0x30010, buf.data(), 64);
        st[2] = tb::access(T->init0, false, 0x31010, buf.data(), 64);
        st[3] = tb::access(T->init0, true, 0x31010, buf.data(), 64);
        st[4] = tb::access(T->init0, false, 0x30F00, big.data(), 0x200); // 2nd burst DECERR
        st[5] = tb::access(T->init0, false, 0x32000, buf.data(), 64);
    }));
    EXPECT_EQ(st[0], tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(st[1], tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(st[2], tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(st[3], tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(st[4], tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(st[5], tlm::TLM_OK_RESPONSE);
}

// Two TLM initiator threads with transactions in flight at once: each gets its own AXI ID, the
// slave answers the IDs out of order, every transaction still gets its own data.
TEST_F(CosimMaster, TwoInitiatorsConcurrentlyGetTheirOwnIdsAndData) {
    const uint64_t a0 = 0x400000, a1 = 0x500000;
    std::vector<uint8_t> d0(8 * PAGE), d1(8 * PAGE);
    uint32_t x = 9;
    for (auto &b : d0)
        b = static_cast<uint8_t>(lcg(x));
    for (auto &b : d1)
        b = static_cast<uint8_t>(lcg(x));
    ASSERT_TRUE(T->mem.write(a0, d0.data(), d0.size()));
    ASSERT_TRUE(T->mem.write(a1, d1.data(), d1.size()));
    unsigned bad0 = 0, bad1 = 0;
    auto reader = [](uint64_t a, const std::vector<uint8_t> &d, unsigned &bad) {
        for (unsigned i = 0; i < 16; i++) {
            std::vector<uint8_t> got(PAGE / 2);
            if (tb::access(i % 2 ? T->init1 : T->init0, false, a + i * PAGE / 2, got.data(),
                           PAGE / 2) != tlm::TLM_OK_RESPONSE ||
                !std::equal(got.begin(), got.end(), d.begin() + i * PAGE / 2))
                bad++;
        }
    };
    T->slv0.max_reads_out = 0;
    ASSERT_TRUE(T->run(
        {}, [&] { reader(a0, d0, bad0); }, [&] { reader(a1, d1, bad1); }));
    EXPECT_EQ(bad0, 0u);
    EXPECT_EQ(bad1, 0u);
    std::map<uint64_t, uint32_t> id_of_page; // the ID each range was read with
    for (const auto &r : log0())
        id_of_page[r.addr & ~uint64_t(0xFFFFF)] = r.id;
    ASSERT_EQ(id_of_page.size(), 2u);
    EXPECT_NE(id_of_page[a0], id_of_page[a1]);
    EXPECT_GE(T->slv0.max_reads_out, 2u); // both initiators' bursts were outstanding at once
}

// AxPROT (A4.7): NS from the SMMU's output_extension, privileged / instruction from the
// stream_extension, Secure streams without an output_extension go out Secure.
TEST_F(CosimMaster, AxProtFollowsTheExtensions) {
    uint8_t b[8] = {};
    smmu_tlm::stream_extension se;
    se.priv = true;
    se.instr = true;
    se.secure = true;
    smmu_tlm::output_extension oe;
    oe.ns = true;
    ASSERT_TRUE(T->run({}, [&] {
        tb::access(T->init0, false, 0x600000, b, 8);
        tb::access(T->init0, false, 0x600000, b, 8, nullptr, 0, &se);
        tlm::tlm_generic_payload gp;
        gp.set_command(tlm::TLM_WRITE_COMMAND);
        gp.set_address(0x600000);
        gp.set_data_ptr(b);
        gp.set_data_length(8);
        gp.set_streaming_width(8);
        gp.set_extension(&se);
        gp.set_extension(&oe);
        sc_time d = SC_ZERO_TIME;
        T->init0->b_transport(gp, d);
        gp.clear_extension(&se);
        gp.clear_extension(&oe);
    }));
    auto log = log0();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0].prot, uint32_t(AXI_PROT_NS));
    EXPECT_EQ(log[1].prot, uint32_t(AXI_PROT_PRIV | AXI_PROT_INSTR));
    EXPECT_EQ(log[2].prot, uint32_t(AXI_PROT_PRIV | AXI_PROT_INSTR | AXI_PROT_NS));
}

// AxCACHE / AxDOMAIN of the SMMU's output (spec 16.7.5.2.1 table): a stage-1 page of Normal
// iWB-oWB RA WA Inner Shareable memory (the driver's default mapping) goes out as Normal
// Write-back Read- and Write-allocate (AXI "Memory types": ARCACHE / AWCACHE 0b1111), Inner
// Shareable (AxDOMAIN 0b01); a Device-nGnRE page as Device-Sys bufferable (AxCACHE 0b0001,
// AxDOMAIN System 0b11). Without an output_extension (m0): the documented defaults, Normal
// Non-cacheable Bufferable (0b0011), System. AxQOS is 0.
TEST_F(CosimMaster, AxCacheAndAxDomainFollowTheSmmuOutputAttributes) {
    const uint32_t sid = 4;
    const uint64_t wb = 0x200000, dev = 0x201000, wb_pa = 0x42000000, dev_pa = 0x42001000;
    const size_t logd = T->slave_d.log.size();
    int err = -1;
    bool mapped = false;
    tlm::tlm_response_status st[4] = {};
    uint8_t b[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ASSERT_TRUE(T->run(
        [&] {
            smmu_domain_cfg_t dc{};
            dc.stage = 1;
            dc.id = 6;
            dc.granule = 4096;
            dc.ias = 48;
            smmu_domain_t *dom = nullptr;
            err = smmu_drv_domain_new(T->drv, &dc, &dom);
            if (!err) err = smmu_drv_attach_s1(T->drv, sid, dom, 0, SMMU_DRV_S1DSS_TERMINATE);
            if (!err) err = smmu_drv_map(T->drv, dom, wb, wb_pa, PAGE, SMMU_PROT_R | SMMU_PROT_W);
            if (!err)
                err = smmu_drv_map(T->drv, dom, dev, dev_pa, PAGE,
                                   SMMU_PROT_R | SMMU_PROT_W | SMMU_PROT_DEVICE);
            mapped = true;
        },
        [&] {
            while (!mapped)
                T->edge();
            smmu_tlm::stream_extension se(sid);
            st[0] = tb::access(T->dma, true, wb, b, 8, nullptr, 0, &se);
            st[1] = tb::access(T->dma, false, wb, b, 8, nullptr, 0, &se);
            st[2] = tb::access(T->dma, true, dev, b, 8, nullptr, 0, &se);
            st[3] = tb::access(T->dma, false, dev, b, 8, nullptr, 0, &se);
            tb::access(T->init0, true, 0x600000, b, 8);
            tb::access(T->init0, false, 0x600000, b, 8);
        }));
    ASSERT_EQ(err, 0);
    for (auto x : st)
        EXPECT_EQ(x, tlm::TLM_OK_RESPONSE);
    std::vector<axi_mem_slave::req> d(T->slave_d.log.begin() + logd, T->slave_d.log.end());
    ASSERT_EQ(d.size(), 4u);
    const uint64_t pa[4] = {wb_pa, wb_pa, dev_pa, dev_pa};
    const uint32_t cache[4] = {0xF, 0xF, 0x1, 0x1}, domain[4] = {1, 1, 3, 3};
    for (unsigned i = 0; i < 4; i++) {
        EXPECT_EQ(d[i].write, i % 2 == 0) << i;
        EXPECT_EQ(d[i].addr, pa[i]) << i;
        EXPECT_EQ(d[i].cache, cache[i]) << i;
        EXPECT_EQ(d[i].domain, domain[i]) << i;
        EXPECT_EQ(d[i].qos, 0u) << i;
    }
    auto l = log0();
    ASSERT_EQ(l.size(), 2u);
    for (const auto &r : l) {
        EXPECT_EQ(r.cache, 0x3u);
        EXPECT_EQ(r.domain, 3u);
    }
}

// AXI reset (A3.1.2): rst_n low in the middle of a long read drops it; its caller gets
// TLM_GENERIC_ERROR_RESPONSE, nothing of it appears on the pins after reset (checker: no R
// without AR), and a fresh transaction afterwards completes.
TEST_F(CosimMaster, ResetDropsTransactionsInFlightAndAnswersTheirCallersWithAnError) {
    std::vector<uint8_t> big(16 * PAGE), small(64);
    ASSERT_TRUE(T->mem.write(0x700000, std::vector<uint8_t>(64, 0xC3).data(), 64));
    tlm::tlm_response_status dropped = tlm::TLM_INCOMPLETE_RESPONSE, fresh = dropped;
    const uint64_t drops = T->m0.stats().reset_drops;
    ASSERT_TRUE(T->run(
        {},
        [&] {
            dropped = tb::access(T->init0, false, 0x700000, big.data(),
                                 static_cast<unsigned>(big.size()));
        },
        [&] {
            for (int i = 0; i < 60; i++)
                T->edge();
            T->rst_n.write(false);
            for (int i = 0; i < 9; i++)
                T->edge();
            T->rst_n.write(true);
            for (int i = 0; i < 50; i++)
                T->edge();
            fresh = tb::access(T->init1, false, 0x700000, small.data(), 64);
        }));
    EXPECT_EQ(dropped, tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(T->m0.stats().reset_drops, drops + 1);
    EXPECT_EQ(fresh, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(small, std::vector<uint8_t>(64, 0xC3));
    EXPECT_TRUE(T->m0.idle());
}

// Debug accesses cannot use the pins: transport_dbg goes to the `debug` socket (here the
// memory), and no DMI pointer is granted.
TEST_F(CosimMaster, DebugAccessesUseTheBackdoorAndDmiIsRefused) {
    ASSERT_TRUE(T->mem.write(0x800000, "\x11\x22\x33\x44", 4));
    uint8_t b[4] = {};
    tlm::tlm_generic_payload gp;
    gp.set_command(tlm::TLM_READ_COMMAND);
    gp.set_address(0x800000);
    gp.set_data_ptr(b);
    gp.set_data_length(4);
    gp.set_streaming_width(4);
    EXPECT_EQ(T->init0->transport_dbg(gp), 4u);
    EXPECT_EQ(b[3], 0x44);
    tlm::tlm_dmi dmi;
    EXPECT_FALSE(T->init0->get_direct_mem_ptr(gp, dmi));
    EXPECT_EQ(log0().size(), 0u);
}

// The platform case: the SMMU's translated traffic and its own table-walk / queue accesses both
// reach the memory through AXI pins. The driver (its command queue and stream table read by the
// SMMU over mt's pins) attaches a stage-1 domain; a DMA-like initiator reads 3 scattered pages
// at an unaligned IOVA and writes them to 3 other scattered pages: byte for byte.
TEST_F(CosimMaster, SmmuDownstreamAndTableAccessesThroughAxiPinsAreByteExact) {
    const uint32_t sid = 3;
    const uint64_t src = 0x10000, dst = 0x80000, len = 3 * PAGE;
    const uint64_t src_pa[3] = {0x40002000, 0x40000000, 0x40005000};
    const uint64_t dst_pa[3] = {0x41003000, 0x41007000, 0x41001000};
    std::vector<uint8_t> data(len), buf(len - 16);
    uint32_t x = 11;
    for (auto &b : data)
        b = static_cast<uint8_t>(lcg(x));
    for (unsigned i = 0; i < 3; i++)
        ASSERT_TRUE(T->mem.write(src_pa[i], data.data() + i * PAGE, PAGE));
    const uint64_t table_reads = T->mt.stats().reads, down = T->md.stats().transactions;
    int err = -1;
    tlm::tlm_response_status rs = tlm::TLM_INCOMPLETE_RESPONSE, ws = rs;
    bool mapped = false;
    ASSERT_TRUE(T->run(
        [&] {
            smmu_domain_cfg_t dc{};
            dc.stage = 1;
            dc.id = 5;
            dc.granule = 4096;
            dc.ias = 48;
            smmu_domain_t *dom = nullptr;
            err = smmu_drv_domain_new(T->drv, &dc, &dom);
            if (!err) err = smmu_drv_attach_s1(T->drv, sid, dom, 0, SMMU_DRV_S1DSS_TERMINATE);
            for (unsigned i = 0; i < 3 && !err; i++) {
                err = smmu_drv_map(T->drv, dom, src + i * PAGE, src_pa[i], PAGE,
                                   SMMU_PROT_R | SMMU_PROT_W);
                if (!err)
                    err = smmu_drv_map(T->drv, dom, dst + i * PAGE, dst_pa[i], PAGE,
                                       SMMU_PROT_R | SMMU_PROT_W);
            }
            mapped = true;
        },
        [&] {
            while (!mapped)
                T->edge();
            smmu_tlm::stream_extension se(sid);
            rs = tb::access(T->dma, false, src + 8, buf.data(), len - 16, nullptr, 0, &se);
            ws = tb::access(T->dma, true, dst + 8, buf.data(), len - 16, nullptr, 0, &se);
        }));
    EXPECT_EQ(err, 0);
    EXPECT_EQ(rs, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(ws, tlm::TLM_OK_RESPONSE);
    std::vector<uint8_t> got;
    for (unsigned i = 0; i < 3; i++) {
        auto page = mem_bytes(dst_pa[i], PAGE);
        got.insert(got.end(), page.begin(), page.end());
    }
    EXPECT_TRUE(std::equal(data.begin() + 8, data.end() - 8, got.begin() + 8));
    EXPECT_EQ(got[7], 0); // bytes outside the copy untouched
    EXPECT_EQ(got[len - 8], 0);
    EXPECT_GT(T->mt.stats().reads, table_reads);     // walks (and STE / CD fetches) went over pins
    EXPECT_GE(T->md.stats().transactions, down + 6); // 3 pages read, 3 written
}

int sc_main(int, char **) {
    return 0;
}
int main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
