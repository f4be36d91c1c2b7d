// SPDX-License-Identifier: Apache-2.0 OR MIT
// libFuzzer target "the AXI pins" (issue 21): a pin-level C++ AXI4 master, programmed by the
// fuzz input, drives smmu_cosim::axi_tlm_bridge (4 translations in flight per direction) in front
// of smmu_model::memory. Oracles: the bridge's own protocol checker (no violation unless the
// batch contained an illegal burst on purpose), a byte-exact reference of the memory, the
// responses AXI and docs/cosim.md prescribe, and liveness (every batch ends within a bound).
//
// SystemC elaborates once per process, so the simulation is persistent: the first input builds
// the platform, every input runs as pin programs in the master's thread (sc_start until the
// program ends), and starts with ARESETn low for 2 edges, which is itself under test: nothing of
// the previous input may reach the pins afterwards. The memory and its reference are reloaded
// from a pattern per input. libFuzzer runs from sc_main (LLVMFuzzerRunDriver), so the whole run
// is one SystemC simulation.
//
// Input: batches (at most 16), each
//   ctl        bursts = 1 + (ctl & 7); ctl & 0x80: a reset during the batch, then
//   rst_at     edges into the batch, and
//   rst_len    edges with ARESETn low - 1 (& 7)
//   ready      low nibble: chance /16 that RREADY / BREADY drop in an edge; high nibble: of a
//              VALID gap between bursts
//   bursts     6 bytes each: f, g, len, addr (2 bytes, little endian), seed
//                f: bit 0 write; bits 3:1 kind (0..4 legal; 5 AxSIZE wider than the bus; 6 an
//                   illegal burst chosen by len & 3: reserved AxBURST, a WRAP of a wrong length
//                   or alignment, an INCR across 4 KiB; 7 a W burst longer or shorter than AWLEN,
//                   or for a read an INCR across 4 KiB); bits 7:4 strobe density (0: all)
//                g: bits 1:0 AxID; 3:2 AxBURST (mod 3: FIXED, INCR, WRAP); 5:4 AxSIZE
//                seed: data and strobes
// Addresses are in a 64 KiB window; its last page answers with an error (memory abort region):
// SLVERR. Within a batch, bytes written by two IDs, or by a write not answered before a reset,
// become unknown (AXI orders only one ID's writes); reads skip bytes written in their batch.
//
// With SMMU_COSIM_PLANT_LAST_STRB_BUG (fuzz_axi_planted only) the bridge drops the strobes of
// the last beat of every write burst: the reference catches the missing bytes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <vector>

#include <systemc>

#include <smmu_cosim/axi.h>
#include <smmu_cosim/axi_bridge.h>
#include <smmu_model/memory.h>

using namespace sc_core;
using namespace smmu_cosim;

namespace {

constexpr uint64_t WIN = 0x10000;       // the window the program addresses
constexpr uint64_t ABORT_PAGE = 0xF000; // its last page: memory abort
constexpr unsigned MAX_BATCHES = 16;
constexpr unsigned BATCH_EDGES = 20000; // liveness bound of one batch

struct reader {
    const uint8_t *p;
    size_t n;
    uint8_t u8() {
        if (!n) return 0;
        n--;
        return *p++;
    }
    uint16_t u16() {
        uint16_t lo = u8();
        return static_cast<uint16_t>(lo | u8() << 8);
    }
};

struct prng {
    uint32_t x;
    explicit prng(uint32_t s) : x(s * 0x9E3779B1u + 1u) {}
    uint32_t next() {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return x;
    }
};

struct beat {
    uint64_t addr;    // first byte
    unsigned lane, n; // first lane, bytes
};

// AXI addressing (IHI 0022 A3.4.1): the bytes each beat carries, for sizes up to the bus.
std::vector<beat> beats_of(uint64_t addr, unsigned len, unsigned size, unsigned type) {
    std::vector<beat> v;
    const uint64_t n = uint64_t(1) << size;
    const uint64_t wrap = n * (len + 1);
    const uint64_t lower = addr & ~(wrap - 1);
    for (uint64_t i = 0; i <= len; i++) {
        uint64_t a;
        if (type == AXI_FIXED)
            a = addr;
        else if (type == AXI_WRAP)
            a = lower + ((addr - lower) + i * n) % wrap;
        else
            a = i == 0 ? addr : (addr & ~(n - 1)) + i * n;
        const uint64_t end = (a & ~(n - 1)) + n;
        v.push_back({a, static_cast<unsigned>(a & 7), static_cast<unsigned>(end - a)});
    }
    return v;
}

struct burst {
    bool write = false, legal = true;
    bool exact = true; // the bytes it moves are predictable (else its page becomes unknown)
    uint32_t id = 0, len = 0, size = 0, type = AXI_INCR, expect = AXI_OKAY;
    bool check_resp = true;
    uint64_t addr = 0;
    std::vector<uint64_t> data; // W beats (possibly not len + 1 of them)
    std::vector<uint32_t> strb;
    std::vector<beat> beats; // the bytes of each beat (sizes up to the bus, AxBURST not 3)
    // progress
    unsigned beats_seen = 0;
    bool done = false;
};

void fail(const char *what, const burst *b = nullptr) {
    std::fprintf(stderr, "fuzz_axi: %s", what);
    if (b)
        std::fprintf(stderr, " (%s id %u addr 0x%llx len %u size %u burst %u)",
                     b->write ? "write" : "read", b->id, (unsigned long long)b->addr, b->len,
                     b->size, b->type);
    std::fprintf(stderr, "\n");
    std::abort();
}

struct rig : sc_module {
    sc_clock clk{"clk", 10, SC_NS};
    sc_signal<bool> rst_n;
    axi_signals s;
    axi_tlm_bridge bridge;
    smmu_model::memory mem;
    std::function<void()> job;
    bool busy = false;
    std::vector<uint8_t> ref, known, pattern;
    // per byte, during a batch (program())
    std::vector<uint8_t> wmask, wval, wid, wbad, wknown;
    std::vector<uint32_t> touched;

    static bridge_params bparams() {
        bridge_params p;
        p.outstanding = 4;
        p.report_violations = false; // checked here, one input at a time
        return p;
    }
    static smmu_model::memory_params mparams() {
        smmu_model::memory_params p;
        p.dmi = false;
        return p;
    }
    SC_HAS_PROCESS(rig);
    explicit rig(sc_module_name n)
        : sc_module(n), bridge("bridge", bparams()), mem("mem", mparams()), ref(WIN), known(WIN),
          pattern(WIN), wmask(WIN), wval(WIN), wid(WIN), wbad(WIN), wknown(WIN) {
        bridge.clk(clk);
        bridge.rst_n(rst_n);
        bridge.bind(s);
        bridge.socket.bind(mem.socket);
        mem.add_abort(ABORT_PAGE, WIN - ABORT_PAGE);
        for (uint64_t a = 0; a < WIN; a++)
            pattern[a] = static_cast<uint8_t>(a * 7 + (a >> 8) * 13 + 1);
        // AxMMUVALID etc. stay 0: stream_source::axuser ignores them
        SC_THREAD(run);
    }
    void edge() {
        wait(clk.posedge_event());
    }
    void run() {
        for (;;) {
            while (!job)
                edge();
            job();
            job = nullptr;
            busy = false;
            sc_pause();
        }
    }
    void valids_low() {
        s.arvalid.write(false);
        s.awvalid.write(false);
        s.wvalid.write(false);
        s.wlast.write(false);
        s.rready.write(false);
        s.bready.write(false);
    }
    // ARESETn low for `edges` edges (IHI 0022 A3.1.2: VALIDs low in reset and at the first
    // edge after it).
    void reset(unsigned edges) {
        valids_low();
        rst_n.write(false);
        for (unsigned i = 0; i < edges; i++)
            edge();
        rst_n.write(true);
        edge();
    }
    void program(reader in);
    bool run_batch(std::vector<burst> &bs, int rst_at, unsigned rst_len, prng &rng, unsigned ready);
};

bool in_abort(const std::vector<beat> &v) {
    for (const beat &b : v)
        if (b.addr + b.n > ABORT_PAGE) return true;
    return false;
}

// A burst from 6 input bytes (see the header).
burst make_burst(reader &in) {
    const uint8_t f = in.u8(), g = in.u8(), lenb = in.u8();
    uint64_t addr = in.u16();
    prng rng(in.u8());
    burst b;
    b.write = f & 1;
    unsigned kind = (f >> 1) & 7;
    if (kind == 7 && !b.write) kind = 8; // a read cannot mismatch its W beats: 4 KiB crossing
    b.id = g & 3;
    b.type = ((g >> 2) & 3) % 3;
    b.size = (g >> 4) & 3;
    const uint64_t n = uint64_t(1) << b.size;
    switch (b.type) {
    case AXI_FIXED:
        b.len = lenb % 16;
        break;
    case AXI_WRAP: {
        static const unsigned wl[4] = {1, 3, 7, 15};
        b.len = wl[lenb & 3];
        addr &= ~(n - 1);
        break;
    }
    default: { // INCR within its 4 KiB page
        b.len = lenb;
        const uint64_t room = (0x1000 - ((addr & ~(n - 1)) & 0xFFF)) / n;
        if (b.len + 1 > room) b.len = static_cast<uint32_t>(room - 1);
    }
    }
    if (kind == 5) { // AxSIZE wider than the 64-bit bus: SLVERR, nothing moved
        b.legal = false;
        b.size = 4 + ((g >> 4) & 3);
        b.type = AXI_INCR;
        b.len = lenb & 3;
        b.expect = AXI_SLVERR;
    } else if (kind == 6 && (lenb & 3) == 0) { // reserved AxBURST: SLVERR, nothing moved
        b.legal = false;
        b.type = 3;
        b.len = (lenb >> 2) & 3;
        b.expect = AXI_SLVERR;
    } else if (kind == 6 && (lenb & 3) == 1) { // WRAP of a wrong length or unaligned
        b.legal = false;
        b.type = AXI_WRAP;
        b.len = (lenb >> 2) % 16;
        if (b.len == 1 || b.len == 3 || b.len == 7 || b.len == 15) addr |= n > 1 ? 1 : 0;
        if (b.len == 1 || b.len == 3 || b.len == 7 || b.len == 15) b.len += n > 1 ? 0 : 1;
        b.exact = false;
        b.check_resp = false;
    } else if ((kind == 6 && (lenb & 3) >= 2) || kind == 8) { // INCR across 4 KiB
        b.legal = false;
        b.type = AXI_INCR;
        addr = ((addr % 0xE000) | 0xF00) & ~(n - 1); // ends in pages 0..14, never the abort page
        b.len = static_cast<uint32_t>((0x100 + lenb) / n);
        if (b.len > 255) b.len = 255;
    } else if (kind == 7) { // W burst of another length than AWLEN: SLVERR, nothing written
        b.legal = false;
        b.expect = AXI_SLVERR;
    }
    b.addr = addr;
    if (b.size <= 3 && b.type != 3) b.beats = beats_of(b.addr, b.len, b.size, b.type);
    // W beats: valid lanes only (IHI 0022 A3.4.3), strobes by density
    if (b.write) {
        unsigned wbeats = b.len + 1;
        if (kind == 7) wbeats = (lenb & 1) || wbeats == 1 ? wbeats + 1 + (lenb >> 6) : wbeats - 1;
        const std::vector<beat> &v = b.beats;
        const unsigned density = f >> 4;
        for (unsigned i = 0; i < wbeats; i++) {
            b.data.push_back(uint64_t(rng.next()) << 32 | rng.next());
            uint32_t lanes = 0xFF;
            if (i < v.size()) lanes = ((1u << v[i].n) - 1) << v[i].lane;
            uint32_t st = lanes;
            if (density) {
                st = 0;
                for (unsigned k = 0; k < 8; k++)
                    if ((rng.next() & 15) < density) st |= 1u << k;
                st &= lanes;
            }
            b.strb.push_back(b.size <= 3 && b.type != 3 ? st : 0xFF);
        }
    }
    if (b.legal || b.exact) {
        if (in_abort(b.beats)) b.expect = AXI_SLVERR;
    }
    return b;
}

// One batch on the pins: every AR, AW and W burst issued in order (W may run ahead of its AW),
// R and B taken as they come, a reset at rst_at (>= 0). False: the batch ended in a reset.
bool rig::run_batch(std::vector<burst> &bs, int rst_at, unsigned rst_len, prng &rng,
                    unsigned ready) {
    std::vector<burst *> rd, wr;
    for (burst &b : bs)
        (b.write ? wr : rd).push_back(&b);
    size_t ar_i = 0, aw_i = 0, w_i = 0, w_beat = 0;
    std::map<uint32_t, std::deque<burst *>> r_out, b_out;
    unsigned left = static_cast<unsigned>(bs.size());
    const unsigned drop = ready & 15, gap = ready >> 4;
    bool arv = false, awv = false, wv = false, rr = false, br = false;
    for (unsigned e = 0; left; e++) {
        if (e == BATCH_EDGES) fail("batch did not complete (hang)");
        if (rst_at >= 0 && e == static_cast<unsigned>(rst_at)) {
            reset(1 + (rst_len & 7));
            return false;
        }
        // drive
        if (!arv && ar_i < rd.size() && (rng.next() & 15) >= gap) {
            const burst &b = *rd[ar_i];
            s.arid.write(b.id);
            s.araddr.write(b.addr);
            s.arlen.write(b.len);
            s.arsize.write(b.size);
            s.arburst.write(b.type);
            s.arprot.write(AXI_PROT_NS);
            s.aruser.write(0);
            arv = true;
        }
        if (!awv && aw_i < wr.size() && (rng.next() & 15) >= gap) {
            const burst &b = *wr[aw_i];
            s.awid.write(b.id);
            s.awaddr.write(b.addr);
            s.awlen.write(b.len);
            s.awsize.write(b.size);
            s.awburst.write(b.type);
            s.awprot.write(AXI_PROT_NS);
            s.awuser.write(0);
            awv = true;
        }
        if (!wv && w_i < wr.size() && (rng.next() & 15) >= gap) {
            const burst &b = *wr[w_i];
            s.wdata.write(b.data[w_beat]);
            s.wstrb.write(b.strb[w_beat]);
            s.wlast.write(w_beat + 1 == b.data.size());
            wv = true;
        }
        rr = (rng.next() & 15) >= drop;
        br = (rng.next() & 15) >= drop;
        s.arvalid.write(arv);
        s.awvalid.write(awv);
        s.wvalid.write(wv);
        s.rready.write(rr);
        s.bready.write(br);
        edge();
        // transfers at this edge
        if (arv && s.arready.read()) {
            r_out[rd[ar_i]->id].push_back(rd[ar_i]);
            ar_i++;
            arv = false;
        }
        if (awv && s.awready.read()) {
            b_out[wr[aw_i]->id].push_back(wr[aw_i]);
            aw_i++;
            awv = false;
        }
        if (wv && s.wready.read()) {
            wv = false;
            if (++w_beat == wr[w_i]->data.size()) {
                w_beat = 0;
                w_i++;
            }
        }
        if (rr && s.rvalid.read()) {
            auto &q = r_out[s.rid.read()];
            if (q.empty()) fail("R beat without an outstanding read of its ID");
            burst &b = *q.front();
            const unsigned i = b.beats_seen++;
            if (b.check_resp && s.rresp.read() != b.expect) fail("wrong RRESP", &b);
            if (b.exact && b.expect == AXI_OKAY && b.size <= 3 && b.type != 3) {
                const beat bt = b.beats[i];
                const uint64_t d = s.rdata.read();
                for (unsigned k = 0; k < bt.n; k++) {
                    const uint64_t a = bt.addr + k;
                    if (a >= WIN || !known[a] || bt.lane + k > 7) continue;
                    const uint8_t got = static_cast<uint8_t>(d >> (8 * (bt.lane + k)));
                    if (got != ref[a]) {
                        std::fprintf(stderr, "byte 0x%llx: read 0x%02x, expected 0x%02x\n",
                                     (unsigned long long)a, got, ref[a]);
                        fail("read data differs from the reference", &b);
                    }
                }
            }
            if (s.rlast.read() != (i == b.len)) fail("RLAST in the wrong place", &b);
            if (s.rlast.read()) {
                q.pop_front();
                b.done = true;
                left--;
            }
        }
        if (br && s.bvalid.read()) {
            auto &q = b_out[s.bid.read()];
            if (q.empty()) fail("B without an outstanding write of its ID");
            burst &b = *q.front();
            q.pop_front();
            if (b.check_resp && s.bresp.read() != b.expect) fail("wrong BRESP", &b);
            b.done = true;
            left--;
        }
    }
    valids_low();
    return true;
}

// Reads of a batch skip the bytes its writes change; the writes update the reference after it.
void rig::program(reader in) {
    // reload memory and reference
    mem.write(0, pattern.data(), ABORT_PAGE);
    std::memcpy(ref.data(), pattern.data(), WIN); // (no per-byte loop: each compare is traced)
    std::memset(known.data(), 1, ABORT_PAGE);
    std::memset(known.data() + ABORT_PAGE, 0, WIN - ABORT_PAGE);
    reset(2);
    bridge.clear_violations();
    for (unsigned nb = 0; nb < MAX_BATCHES && in.n; nb++) {
        const uint8_t ctl = in.u8();
        int rst_at = -1;
        unsigned rst_len = 0;
        if (ctl & 0x80) {
            rst_at = in.u8();
            rst_len = in.u8();
        }
        const unsigned ready = in.u8();
        std::vector<burst> bs;
        for (unsigned i = 0; i <= (ctl & 7u); i++)
            bs.push_back(make_burst(in));
        // bytes this batch's writes may change, per byte: which bursts (mask of their index),
        // the last strobed value in issue order (FIXED: beat order), whether they are of one ID
        // and predictable, and whether the byte was known before
        touched.clear();
        auto note = [&](uint64_t a, unsigned bi, bool exact, uint8_t value) {
            if (a >= WIN) return;
            if (!wmask[a]) {
                touched.push_back(static_cast<uint32_t>(a));
                wbad[a] = 0;
                wid[a] = static_cast<uint8_t>(bs[bi].id);
                wknown[a] = known[a];
                known[a] = 0; // reads of this batch do not compare it
            }
            wmask[a] |= static_cast<uint8_t>(1u << bi);
            wbad[a] |= !exact || wid[a] != bs[bi].id;
            wval[a] = value;
        };
        bool illegal = false;
        for (unsigned bi = 0; bi < bs.size(); bi++) {
            const burst &b = bs[bi];
            illegal = illegal || !b.legal;
            if (!b.write) continue;
            if (!b.exact) { // unpredictable bytes: its page and the next are unknown from now on
                for (uint64_t a = b.addr & ~0xFFFull; a < (b.addr & ~0xFFFull) + 0x2000; a++)
                    note(a, bi, false, 0);
                continue;
            }
            if (b.expect != AXI_OKAY) continue; // nothing written
            const auto &v = b.beats;
            for (size_t i = 0; i < v.size(); i++)
                for (unsigned k = 0; k < v[i].n; k++)
                    if ((b.strb[i] >> (v[i].lane + k)) & 1)
                        note(v[i].addr + k, bi, true,
                             static_cast<uint8_t>(b.data[i] >> (8 * (v[i].lane + k))));
        }
        prng rng(ctl * 131u + ready);
        const size_t before = bridge.violations().size();
        const bool completed = run_batch(bs, rst_at, rst_len, rng, ready);
        if (!illegal && bridge.violations().size() != before) {
            std::fprintf(stderr, "%s\n", bridge.violations()[before].to_string().c_str());
            fail("protocol violation on the bridge's pins");
        }
        if (illegal) bridge.clear_violations();
        // the reference after the batch: one ID, every writer answered -> the last value
        uint8_t done = 0;
        for (unsigned bi = 0; bi < bs.size(); bi++)
            if (bs[bi].done) done |= static_cast<uint8_t>(1u << bi);
        for (uint32_t a : touched) {
            const bool ok = wknown[a] && !wbad[a] && !(wmask[a] & ~done);
            if (ok) ref[a] = wval[a];
            known[a] = ok;
            wmask[a] = 0;
        }
        if (!completed) bridge.clear_violations(); // a reset starts afresh (checked next batch)
    }
    // idle: nothing of this input may still be on its way to the pins
    for (int i = 0; i < 4; i++)
        edge();
    if (!bridge.violations().empty()) {
        std::fprintf(stderr, "%s\n", bridge.violations()[0].to_string().c_str());
        fail("protocol violation after the last batch");
    }
}

rig *R = nullptr;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!R) R = new rig("rig");
    R->job = [data, size] { R->program(reader{data, size}); };
    R->busy = true;
    for (int i = 0; i < 100 && R->busy; i++)
        sc_start(sc_time(10, SC_MS));
    if (R->busy) fail("input did not complete");
    return 0;
}

// SystemC runs its threads on coroutine stacks of its own, which LeakSanitizer does not scan:
// after the first sc_start it reports libFuzzer's own live objects as leaked at exit. Leak
// checking is off for this target (ASan and UBSan stay on).
extern "C" const char *__asan_default_options() {
    return "detect_leaks=0";
}

extern "C" int LLVMFuzzerRunDriver(int *argc, char ***argv,
                                   int (*cb)(const uint8_t *data, size_t size));

// libsystemc's main() calls sc_main; libFuzzer runs inside it, so the whole run is one
// simulation (when libFuzzer's own main() is the one linked, it calls the target directly).
int sc_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
