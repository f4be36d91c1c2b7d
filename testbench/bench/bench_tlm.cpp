// SPDX-License-Identifier: Apache-2.0 OR MIT
// SystemC/TLM benchmark (issue 5): wall-clock cost of 8-byte reads from a master through the SMMU
// (smmu_tlm::smmu) to a memory (smmu_model::memory), against the same master reading the same
// data from an identical memory directly, in the same run. Cases:
//   lt_hit   b_transport, every translation a TLB hit of the core (16 pages of one stage-1
//            domain; the port's micro-TLB off: smmu_tlm_params::utlb_entries = 0)
//   lt_utlb  the same with the port's micro-TLB on (the default 32 entries): every translation
//            a micro-TLB hit, the core is not called (issue 18)
//   lt_walk  b_transport, TLB / walk / IPA caches off: every translation walks the 4-level
//            4 KB stage-1 tables, 4 descriptor reads from the `table` memory (which grants DMI:
//            the core reads the descriptors through DMI pointers, smmu_tlm_params::table_dmi)
//   dmi      the master asks for DMI (through the SMMU, or from the memory directly) and reads
//            through the pointer; the first access to each page asks for the grant
//   at       nb_transport_fw with the base protocol phases, one transaction in flight (TLB hits)
// Every case runs N transactions per measurement and `reps` repetitions (direct and SMMU
// alternating, the first one of the pair swapped every repetition); the median wall-clock time
// per transaction is printed for each path and the ratio of the medians.
//
// LT masters annotate delay and synchronise (wait()) every SYNC_EVERY transactions, by count, so
// both paths wait equally often. The SMMUs are programmed with c_core/drv straight on the core
// (registers with smmu_reg_read/write, memory through the table memory's backdoor).
//
//   bench_tlm [--reps=N] [--scale=F] [--smoke] [--summary_out=FILE] [--only=CASE]
// --scale multiplies the transaction counts; --smoke: a few transactions, one repetition
// (checks that every path works, prints no meaningful times). Exit 1 when a check fails (wrong
// data, error responses, a case that does not do what it says).
#include <smmu/drv.h>
#include <smmu_model/memory.h>
#include <smmu_tlm/smmu_tlm.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

constexpr uint64_t IOVA = 0x40000000ull; // device address of the data (SMMU path)
constexpr uint64_t PA = 0x200000000ull;  // where the data is in memory (both paths)
constexpr unsigned PAGES = 16;           // data pages used
constexpr uint64_t POOL = 0x80000000ull; // the driver's tables (table memory)
constexpr uint64_t POOL_SIZE = 64ull << 20;
constexpr uint32_t SID = 1;
constexpr unsigned SYNC_EVERY = 1024; // LT: wait() for the accumulated delay this often
constexpr unsigned DMI_SLOTS = 64;    // master's DMI table (direct-mapped by page)

bool g_failed = false;
void fail(const char *what) {
    std::fprintf(stderr, "bench_tlm: check failed: %s\n", what);
    g_failed = true;
}

// A payload memory manager that keeps the master's own payload (AT: the SMMU acquire()s and
// release()s payloads with a manager; so does the memory's nb-to-b adapter).
struct keep_mm : tlm::tlm_mm_interface {
    void free(tlm::tlm_generic_payload *) override {}
};

// The master: one socket, reads of 8 bytes at a precomputed offset sequence from a base address.
struct master : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<master> socket;
    keep_mm mm;
    tlm::tlm_generic_payload gp;
    smmu_tlm::stream_extension sx{SID};
    uint64_t data = 0;
    sc_core::sc_event resp_ev;
    bool resp_done = false;
    struct dmi_slot {
        bool valid = false;
        tlm::tlm_dmi dmi;
    };
    std::vector<dmi_slot> dmi_table{DMI_SLOTS};
    uint64_t dmi_requests = 0, dmi_invalidations = 0, errors = 0;

    explicit master(sc_core::sc_module_name n) : sc_module(n), socket("socket") {
        socket.register_nb_transport_bw(this, &master::nb_transport_bw);
        socket.register_invalidate_direct_mem_ptr(this, &master::invalidate);
        gp.set_mm(&mm);
        gp.set_extension(&sx); // also on the direct path: the same payload either way
        gp.set_data_ptr(reinterpret_cast<unsigned char *>(&data));
        gp.set_data_length(8);
        gp.set_streaming_width(8);
        gp.set_byte_enable_ptr(nullptr);
        gp.set_command(tlm::TLM_READ_COMMAND);
    }
    ~master() override {
        gp.clear_extension(&sx);
    }
    void prepare(uint64_t a) {
        gp.set_address(a);
        gp.set_command(tlm::TLM_READ_COMMAND);
        gp.set_dmi_allowed(false);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    }
    void check_ok() {
        if (!gp.is_response_ok()) errors++;
    }

    // LT reads; returns the XOR of the data read.
    uint64_t lt(uint64_t base, const std::vector<uint32_t> &off, size_t n) {
        uint64_t x = 0;
        sc_time delay = SC_ZERO_TIME;
        for (size_t i = 0, j = 0; i < n; i++) {
            prepare(base + off[j]);
            socket->b_transport(gp, delay);
            check_ok();
            x ^= data + i;
            if (++j == off.size()) j = 0;
            if ((i + 1) % SYNC_EVERY == 0) {
                wait(delay);
                delay = SC_ZERO_TIME;
            }
        }
        wait(delay);
        return x;
    }

    // Reads through DMI where granted (asking on the first access to each page), b_transport
    // otherwise.
    uint64_t dmi(uint64_t base, const std::vector<uint32_t> &off, size_t n) {
        uint64_t x = 0;
        sc_time delay = SC_ZERO_TIME;
        for (size_t i = 0, j = 0; i < n; i++) {
            const uint64_t a = base + off[j];
            dmi_slot &s = dmi_table[(a >> 12) % DMI_SLOTS];
            if (!s.valid || a < s.dmi.get_start_address() || a + 7 > s.dmi.get_end_address()) {
                prepare(a);
                dmi_requests++;
                s.dmi.init();
                s.valid = socket->get_direct_mem_ptr(gp, s.dmi) && s.dmi.is_read_allowed();
            }
            if (s.valid) {
                std::memcpy(&data, s.dmi.get_dmi_ptr() + (a - s.dmi.get_start_address()), 8);
                delay += s.dmi.get_read_latency();
            } else {
                prepare(a);
                socket->b_transport(gp, delay);
                check_ok();
            }
            x ^= data + i;
            if (++j == off.size()) j = 0;
            if ((i + 1) % SYNC_EVERY == 0) {
                wait(delay);
                delay = SC_ZERO_TIME;
            }
        }
        wait(delay);
        return x;
    }
    void dmi_forget() {
        for (auto &s : dmi_table)
            s.valid = false;
    }

    // AT reads, one in flight: BEGIN_REQ, then wait for BEGIN_RESP (answered TLM_COMPLETED).
    uint64_t at(uint64_t base, const std::vector<uint32_t> &off, size_t n) {
        uint64_t x = 0;
        for (size_t i = 0, j = 0; i < n; i++) {
            prepare(base + off[j]);
            resp_done = false;
            tlm::tlm_phase ph = tlm::BEGIN_REQ;
            sc_time t = SC_ZERO_TIME;
            tlm::tlm_sync_enum r = socket->nb_transport_fw(gp, ph, t);
            if (r == tlm::TLM_COMPLETED || (r == tlm::TLM_UPDATED && ph == tlm::BEGIN_RESP)) {
                if (r == tlm::TLM_UPDATED) { // BEGIN_RESP on the return path: end it
                    tlm::tlm_phase end = tlm::END_RESP;
                    sc_time t2 = SC_ZERO_TIME;
                    socket->nb_transport_fw(gp, end, t2);
                }
                wait(t);
            } else {
                while (!resp_done)
                    wait(resp_ev);
            }
            check_ok();
            x ^= data + i;
            if (++j == off.size()) j = 0;
        }
        return x;
    }
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload &, tlm::tlm_phase &ph, sc_time &t) {
        if (ph == tlm::BEGIN_RESP) {
            resp_done = true;
            resp_ev.notify(t);
            ph = tlm::END_RESP;
            return tlm::TLM_COMPLETED;
        }
        return tlm::TLM_ACCEPTED; // END_REQ
    }
    void invalidate(sc_dt::uint64, sc_dt::uint64) {
        dmi_invalidations++;
        dmi_forget();
    }
};

// An initiator for the SMMU's register socket (the SMMUs are programmed straight on the core;
// the socket only has to be bound).
struct reg_stub : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<reg_stub> socket;
    explicit reg_stub(sc_core::sc_module_name n) : sc_module(n), socket("socket") {}
};

smmu_tlm::smmu_tlm_params smmu_params(bool caches, bool utlb) {
    smmu_tlm::smmu_tlm_params p;
    p.default_sid = {SID};
    if (!utlb) p.utlb_entries = 0;
    if (!caches)
        for (unsigned c : {SMMU_CACHE_TLB, SMMU_CACHE_WALK, SMMU_CACHE_IPA})
            p.core.cache[c].enable = false;
    return p;
}

// One SMMU with its table memory (written by the driver through the backdoor) and data memory.
struct smmu_path {
    smmu_model::memory tables;
    smmu_model::memory data;
    smmu_tlm::smmu smmu;
    reg_stub regs;
    master m;
    smmu_drv_t *drv = nullptr;
    smmu_path(const char *name, bool caches, bool utlb = false)
        : tables((std::string(name) + "_tables").c_str()),
          data((std::string(name) + "_data").c_str()),
          smmu((std::string(name) + "_smmu").c_str(), smmu_params(caches, utlb)),
          regs((std::string(name) + "_regs").c_str()), m((std::string(name) + "_master").c_str()) {
        m.socket.bind(smmu.upstream[0]);
        smmu.downstream.bind(data.socket);
        smmu.table.bind(tables.socket);
        regs.socket.bind(smmu.regs);
    }
    ~smmu_path() {
        smmu_drv_free(drv);
    }
    // Driver ops straight on the core (a deferred command queue makes progress while the driver
    // polls, as with smmu_drv_new_direct) and on the table memory's backdoor.
    static uint64_t reg_read(void *c, uint64_t off, unsigned size) {
        smmu_t *s = static_cast<smmu_path *>(c)->smmu.core();
        if (smmu_params(s)->defer_cmdq) smmu_cmdq_run(s, 0);
        return smmu_reg_read(s, off, size);
    }
    static void reg_write(void *c, uint64_t off, uint64_t val, unsigned size) {
        smmu_reg_write(static_cast<smmu_path *>(c)->smmu.core(), off, val, size);
    }
    static int mem_read(void *c, uint64_t pa, void *buf, size_t len) {
        return static_cast<smmu_path *>(c)->tables.read(pa, buf, len) ? 0 : -1;
    }
    static int mem_write(void *c, uint64_t pa, const void *buf, size_t len) {
        return static_cast<smmu_path *>(c)->tables.write(pa, buf, len) ? 0 : -1;
    }
    // Inside simulation: stage 1, 4 KB pages, IOVA -> PA for PAGES pages, StreamID SID.
    bool program() {
        const smmu_drv_ops_t ops{this, &reg_read, &reg_write, &mem_read, &mem_write};
        smmu_drv_config_t cfg{};
        cfg.pool_base = POOL;
        cfg.pool_size = POOL_SIZE;
        drv = smmu_drv_new(&ops, &cfg);
        smmu_domain_t *dom = nullptr;
        smmu_domain_cfg_t dc{};
        dc.stage = 1;
        dc.id = 1;
        dc.granule = 4096;
        dc.ias = 48;
        return drv && smmu_drv_init(drv) == 0 && smmu_drv_domain_new(drv, &dc, &dom) == 0 &&
               smmu_drv_map(drv, dom, IOVA, PA, PAGES * 4096ull, SMMU_PROT_R | SMMU_PROT_W) == 0 &&
               smmu_drv_attach_s1(drv, SID, dom, 0, SMMU_DRV_S1DSS_TERMINATE) == 0;
    }
};

struct options {
    unsigned reps = 5;
    double scale = 1.0;
    bool smoke = false;
    std::string summary;
    std::string only; // run only this case (e.g. for a profiler)
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct result {
    std::string name;
    double direct_ns, smmu_ns;         // wall-clock
    double direct_cpu_ns, smmu_cpu_ns; // CPU time of the process (SystemC runs in one thread)
    std::string notes;
};

double cpu_now_ns() {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

struct bench : sc_core::sc_module {
    options opt;
    smmu_path hit{"hit", true};
    smmu_path walk{"walk", false};
    smmu_path uhit{"uhit", true, true}; /* with the port's micro-TLB */
    smmu_model::memory direct_mem{"direct_data"};
    master direct{"direct_master"};
    std::vector<uint32_t> offsets;
    std::vector<result> results;

    SC_HAS_PROCESS(bench);
    explicit bench(sc_core::sc_module_name n, const options &o) : sc_module(n), opt(o) {
        direct.socket.bind(direct_mem.socket);
        // The same data at PA in the three data memories; reads at random 8-byte offsets.
        for (uint64_t a = PA; a < PA + PAGES * 4096ull; a += 8) {
            uint64_t v = a * 0x9E3779B97F4A7C15ull;
            hit.data.write(a, &v, 8);
            walk.data.write(a, &v, 8);
            uhit.data.write(a, &v, 8);
            direct_mem.write(a, &v, 8);
        }
        uint64_t x = 0x2545F4914F6CDD1Dull;
        offsets.resize(4096);
        for (auto &o : offsets) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            o = (uint32_t)(x % (PAGES * 512)) * 8;
        }
        SC_THREAD(run);
    }

    size_t count(double n) const {
        return opt.smoke ? 64 : (size_t)std::max(1.0, n * opt.scale);
    }

    // Times fn (one measurement) on both paths, alternating, reps times.
    bool wanted(const char *name) const {
        return opt.only.empty() || opt.only == name;
    }

    template <class F> void measure(const char *name, size_t n, F fn, const std::string &notes) {
        std::vector<double> d, s, dc, sc;
        uint64_t xd = 0, xs = 0;
        fn(false, n / 10 + 1); // warm-up of both paths (not timed)
        fn(true, n / 10 + 1);
        for (unsigned r = 0; r < opt.reps; r++) {
            for (int k = 0; k < 2; k++) {
                bool smmu_side = (k == 0) == (r % 2 == 1);
                double c0 = cpu_now_ns();
                auto t0 = std::chrono::steady_clock::now();
                uint64_t x = fn(smmu_side, n);
                auto t1 = std::chrono::steady_clock::now();
                double c1 = cpu_now_ns();
                double ns = std::chrono::duration<double, std::nano>(t1 - t0).count() / (double)n;
                (smmu_side ? s : d).push_back(ns);
                (smmu_side ? sc : dc).push_back((c1 - c0) / (double)n);
                (smmu_side ? xs : xd) = x;
            }
        }
        if (xd != xs) fail((std::string(name) + ": data read through the SMMU differs").c_str());
        results.push_back({name, median(d), median(s), median(dc), median(sc), notes});
    }

    void run() {
        if (!hit.program() || !walk.program() || !uhit.program()) {
            fail("programming the SMMUs");
            sc_core::sc_stop();
            return;
        }
        smmu_t *hc = hit.smmu.core(), *wc = walk.smmu.core();
        // warm the TLB of the hit SMMU
        hit.m.lt(IOVA, offsets, offsets.size());

        if (wanted("lt_hit")) {
            smmu_clear_stats(hc);
            measure(
                "lt_hit", count(1e6),
                [&](bool s, size_t n) {
                    return s ? hit.m.lt(IOVA, offsets, n) : direct.lt(PA, offsets, n);
                },
                "");
            smmu_cache_stats_t tlb;
            smmu_cache_stats(hc, SMMU_CACHE_TLB, &tlb);
            if (tlb.lookups == 0 || tlb.hits != tlb.lookups)
                fail("lt_hit: not every lookup hit the TLB");
            results.back().notes = "tlb_hit=" + std::to_string((double)tlb.hits / tlb.lookups);
        }
        if (wanted("lt_utlb")) {
            smmu_t *uc = uhit.smmu.core();
            uhit.m.lt(IOVA, offsets, offsets.size()); /* warm: fills the micro-TLB */
            const smmu_tlm::utlb_stats u0 = uhit.smmu.stats().utlb.at(0);
            smmu_clear_stats(uc);
            measure(
                "lt_utlb", count(1e6),
                [&](bool s, size_t n) {
                    return s ? uhit.m.lt(IOVA, offsets, n) : direct.lt(PA, offsets, n);
                },
                "");
            smmu_cache_stats_t tlb;
            smmu_cache_stats(uc, SMMU_CACHE_TLB, &tlb);
            const smmu_tlm::utlb_stats &u = uhit.smmu.stats().utlb.at(0);
            if (tlb.lookups != 0 || u.hits == u0.hits || u.misses != u0.misses)
                fail("lt_utlb: not every translation a micro-TLB hit");
            results.back().notes = "utlb_hits=" + std::to_string(u.hits - u0.hits) +
                                   " core_tlb_lookups=" + std::to_string(tlb.lookups);
        }
        if (wanted("lt_walk")) {
            smmu_clear_stats(wc);
            const uint64_t dmi_reads0 = walk.smmu.stats().table_dmi_reads;
            measure(
                "lt_walk", count(2e5),
                [&](bool s, size_t n) {
                    return s ? walk.m.lt(IOVA, offsets, n) : direct.lt(PA, offsets, n);
                },
                "");
            smmu_stats_t ws;
            smmu_get_stats(wc, &ws);
            if (ws.translations == 0 || ws.walk_reads < 4 * ws.translations)
                fail("lt_walk: translations do not walk 4 levels");
            const double dmi_reads = (double)(walk.smmu.stats().table_dmi_reads - dmi_reads0);
            results.back().notes =
                "walk_reads_per_txn=" +
                std::to_string((double)ws.walk_reads / (double)ws.translations) +
                " table_dmi_reads_per_txn=" + std::to_string(dmi_reads / (double)ws.translations);
        }
        if (wanted("dmi")) {
            const uint64_t grants0 = hit.smmu.stats().dmi_grants;
            measure(
                "dmi", count(1e7),
                [&](bool s, size_t n) {
                    master &m = s ? hit.m : direct;
                    m.dmi_forget(); // each measurement asks for its grants again
                    return m.dmi(s ? IOVA : PA, offsets, n);
                },
                "");
            if (hit.smmu.stats().dmi_grants == grants0 || direct.dmi_requests == 0)
                fail("dmi: no DMI granted");
            results.back().notes = "dmi_requests_smmu=" + std::to_string(hit.m.dmi_requests) +
                                   " dmi_requests_direct=" + std::to_string(direct.dmi_requests);
        }
        if (wanted("at")) {
            measure(
                "at", count(2e5),
                [&](bool s, size_t n) {
                    return s ? hit.m.at(IOVA, offsets, n) : direct.at(PA, offsets, n);
                },
                "");
        }

        if (hit.m.errors || walk.m.errors || direct.errors) fail("error responses");
        sc_core::sc_stop();
    }
};

} // namespace

int sc_main(int argc, char **argv) {
    options opt;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a.rfind("--reps=", 0) == 0)
            opt.reps = (unsigned)std::max(1, std::atoi(a.c_str() + 7));
        else if (a.rfind("--scale=", 0) == 0)
            opt.scale = std::atof(a.c_str() + 8);
        else if (a == "--smoke")
            opt.smoke = true;
        else if (a.rfind("--summary_out=", 0) == 0)
            opt.summary = a.substr(14);
        else if (a.rfind("--only=", 0) == 0)
            opt.only = a.substr(7);
        else {
            std::fprintf(stderr, "usage: bench_tlm [--reps=N] [--scale=F] [--smoke] "
                                 "[--summary_out=FILE] [--only=lt_hit|lt_utlb|lt_walk|dmi|at]\n");
            return 2;
        }
    }
    if (opt.smoke) opt.reps = 1;
    bench b("bench", opt);
    sc_core::sc_start();
    std::printf("TLM: 8-byte reads, wall-clock per transaction, median of %u repetitions\n",
                opt.reps);
    std::printf("  %-8s %10s %10s %7s %10s %10s %7s  %s\n", "case", "direct", "via SMMU", "ratio",
                "cpu dir.", "cpu SMMU", "ratio", "notes");
    for (const auto &r : b.results)
        std::printf("  %-8s %7.1f ns %7.1f ns %6.2fx %7.1f ns %7.1f ns %6.2fx  %s\n",
                    r.name.c_str(), r.direct_ns, r.smmu_ns, r.smmu_ns / r.direct_ns,
                    r.direct_cpu_ns, r.smmu_cpu_ns, r.smmu_cpu_ns / r.direct_cpu_ns,
                    r.notes.c_str());
    if (!opt.summary.empty()) {
        std::ofstream f(opt.summary);
        for (const auto &r : b.results) {
            f << "tlm\tTLM_" << r.name << "/direct\t" << r.direct_ns << '\t' << r.direct_cpu_ns
              << "\t\n";
            f << "tlm\tTLM_" << r.name << "/smmu\t" << r.smmu_ns << '\t' << r.smmu_cpu_ns << '\t'
              << r.notes << '\n';
        }
    }
    if (b.results.size() != (opt.only.empty() ? 5u : 1u)) fail("not every case ran");
    return g_failed ? 1 : 0;
}
