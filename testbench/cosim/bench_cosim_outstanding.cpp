// SPDX-License-Identifier: Apache-2.0 OR MIT
// Throughput of a miss-heavy random DMA through axi_tlm_bridge for bridge_params::outstanding
// (issue 20; docs/performance.md, docs/cosim.md). A pin-level C++ master (testbench/cosim/
// axi_rig.h, 100 MHz) reads INCR bursts of 64-bit beats (default 1 beat, so that the R channel
// is not the limit) from random pages of a stage-1 mapping (every page mapped on its own to a
// scattered physical page), many more pages than the TLB and walk cache hold, on AXI IDs 0..3,
// issuing an AR whenever the bridge takes one (up to 8 outstanding) and taking R beats as they
// come. Behind the bridge: an smmu_tlm::smmu programmed by the driver and smmu_model::memory (10 ns
// per access, also for the SMMU's table walks). Prints simulated time, MB/s of simulated time and
// the core's TLB hits.
//
//   bench_cosim_outstanding [outstanding] [bursts] [pages] [seed] [beats]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <smmu/drv.h>
#include <smmu_cosim/axi.h>
#include <smmu_model/host.h>
#include <smmu_model/memory.h>
#include <smmu_model/router.h>
#include <smmu_tlm/smmu_tlm.h>

#include "smmu_axi_rig.h"

using namespace smmu_cosim;
using namespace sc_core;

namespace {

constexpr uint64_t PAGE = 0x1000;
constexpr uint64_t IOVA = 0x40000000;
constexpr uint64_t PA = 0x10000000;

bridge_params bparams(unsigned outstanding) {
    bridge_params p;
    p.outstanding = outstanding;
    return p;
}

} // namespace

int sc_main(int argc, char **argv) {
    const unsigned outstanding = argc > 1 ? std::atoi(argv[1]) : 1;
    const unsigned bursts = argc > 2 ? std::atoi(argv[2]) : 4000;
    const unsigned pages = argc > 3 ? std::atoi(argv[3]) : 4096;
    const unsigned seed = argc > 4 ? std::atoi(argv[4]) : 1;
    const unsigned beats = argc > 5 ? std::atoi(argv[5]) : 1; // 8-byte beats per burst, 1..16
    cosim_test::smmu_axi_rig R("rig", bparams(outstanding), 64 << 20);
    R.host_busy = true;
    R.host_job = [&] {
        smmu_domain_cfg_t dc{};
        dc.stage = 1;
        dc.id = 1;
        dc.granule = 4096;
        dc.ias = 48;
        smmu_domain_t *dom = nullptr;
        if (smmu_drv_domain_new(R.drv, &dc, &dom) ||
            smmu_drv_attach_s1(R.drv, 1, dom, 0, SMMU_DRV_S1DSS_TERMINATE)) {
            std::fprintf(stderr, "attach failed\n");
            std::exit(1);
        }
        // every page on its own, to a scattered physical page: no blocks, one TLB entry each
        std::vector<uint64_t> perm(pages);
        for (unsigned i = 0; i < pages; i++)
            perm[i] = i;
        std::shuffle(perm.begin(), perm.end(), std::mt19937_64(seed + 1));
        for (unsigned i = 0; i < pages; i++)
            if (smmu_drv_map(R.drv, dom, IOVA + i * PAGE, PA + perm[i] * PAGE, PAGE,
                             SMMU_PROT_R | SMMU_PROT_W)) {
                std::fprintf(stderr, "mapping failed\n");
                std::exit(1);
            }
    };
    for (int i = 0; i < 100 && R.host_busy; i++) // mapping thousands of pages takes a while
        sc_start(sc_time(10, SC_MS));
    if (R.host_busy || !R.setup_error.empty()) {
        std::fprintf(stderr, "set-up failed %s\n", R.setup_error.c_str());
        return 1;
    }
    std::mt19937_64 rng(seed);
    std::vector<uint64_t> addr(bursts);
    for (auto &a : addr)
        a = IOVA + (rng() % pages) * PAGE + (rng() % (PAGE / 128)) * 128;
    smmu_stats_t st0{}, st1{};
    smmu_get_stats(R.smmu.core(), &st0);
    sc_time t0, t1;
    unsigned errors = 0;
    R.job = [&] {
        axi_signals &s = R.s;
        unsigned issued = 0, done = 0;
        t0 = sc_time_stamp();
        s.rready.write(true);
        s.arlen.write(beats - 1);
        s.arsize.write(3);
        s.arburst.write(AXI_INCR);
        s.arprot.write(AXI_PROT_NS);
        s.aruser.write(1); // StreamID 1
        while (done < bursts) {
            if (issued < bursts) {
                s.arvalid.write(true);
                s.arid.write(issued % 4);
                s.araddr.write(addr[issued]);
            } else {
                s.arvalid.write(false);
            }
            R.edge();
            if (s.arvalid.read() && s.arready.read()) issued++;
            if (s.rvalid.read()) {
                if (s.rresp.read() != AXI_OKAY) errors++;
                if (s.rlast.read()) done++;
            }
        }
        s.arvalid.write(false);
        s.rready.write(false);
        t1 = sc_time_stamp();
    };
    R.busy = true;
    R.pause_after_job = true;
    for (int i = 0; i < 1000 && R.busy; i++)
        sc_start(sc_time(1, SC_MS));
    const bool ok = !R.busy;
    smmu_get_stats(R.smmu.core(), &st1);
    const double ns = (t1 - t0).to_seconds() * 1e9;
    const double mb = bursts * 8.0 * beats / 1e6;
    std::printf("outstanding=%u bursts=%u x %u beats, pages=%u: %.0f ns simulated, %.1f MB/s, %.1f "
                "ns/burst, "
                "translations %llu, walk reads %llu, errors %u, violations %zu, done %d\n",
                outstanding, bursts, beats, pages, ns, mb / (ns * 1e-9), ns / bursts,
                (unsigned long long)(st1.translations - st0.translations),
                (unsigned long long)(st1.walk_reads - st0.walk_reads), errors,
                R.bridge.violations().size(), ok);
    return ok && errors == 0 && R.bridge.violations().empty() ? 0 : 1;
}
