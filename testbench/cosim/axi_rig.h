// SPDX-License-Identifier: Apache-2.0 OR MIT
// The bridge driven by a pin-level AXI4 master written in C++ (registered outputs that change
// right after a rising edge; inputs sampled at the rising edge), from its own thread. What sits
// behind the bridge's socket is the test's (test_cosim_bridge.cpp: a memory;
// test_cosim_burst.cpp: an SMMU programmed by a host).
#ifndef SMMU_TESTBENCH_COSIM_AXI_RIG_H
#define SMMU_TESTBENCH_COSIM_AXI_RIG_H

#include <cstdint>
#include <functional>
#include <vector>

#include <systemc>

#include <smmu_cosim/axi.h>
#include <smmu_cosim/axi_bridge.h>

namespace cosim_test {

struct read_result {
    std::vector<uint64_t> data;
    std::vector<uint32_t> resp, id;
};

// A clock, a reset (low for 3 edges at the start) and a thread that runs the test's jobs.
struct rig_thread : sc_core::sc_module {
    sc_core::sc_clock clk{"clk", 10, sc_core::SC_NS};
    sc_core::sc_signal<bool> rst_n;
    std::function<void()> job;
    bool busy = false;
    bool pause_after_job = true; // go(): the simulation stops when the job ends
    sc_core::sc_event done_ev;

    SC_HAS_PROCESS(rig_thread);
    explicit rig_thread(sc_core::sc_module_name n) : sc_module(n) {
        SC_THREAD(run);
    }
    void edge() {
        wait(clk.posedge_event());
    }
    void run() {
        rst_n.write(false);
        for (int i = 0; i < 3; i++)
            edge();
        rst_n.write(true);
        edge(); // VALIDs stay low at the first edge after reset (reset-valid-low)
        for (;;) {
            while (!job)
                edge();
            job();
            job = nullptr;
            busy = false;
            done_ev.notify(sc_core::SC_ZERO_TIME);
            if (pause_after_job) sc_core::sc_pause();
        }
    }
    // From outside the simulation: runs f in the master's thread until it returns (false: still
    // running after `limit`).
    bool go(std::function<void()> f,
            sc_core::sc_time limit = sc_core::sc_time(100, sc_core::SC_US)) {
        job = std::move(f);
        busy = true;
        pause_after_job = true;
        sc_core::sc_start(limit);
        return !busy;
    }
    // From another thread of the simulation: starts f in the master's thread ...
    void start(std::function<void()> f) {
        job = std::move(f);
        busy = true;
        pause_after_job = false;
    }
    // ... and waits up to timeout for it to return (false: still running).
    bool wait_done(sc_core::sc_time timeout) {
        const sc_core::sc_time end = sc_core::sc_time_stamp() + timeout;
        while (busy && sc_core::sc_time_stamp() < end)
            wait(end - sc_core::sc_time_stamp(), done_ev);
        return !busy;
    }
};

// The 64-bit bridge under the master thread of rig_thread.
struct axi_rig : rig_thread {
    smmu_cosim::axi_signals s;
    smmu_cosim::axi_tlm_bridge bridge;

    explicit axi_rig(sc_core::sc_module_name n, const smmu_cosim::bridge_params &p = {})
        : rig_thread(n), bridge("bridge", p) {
        bridge.clk(clk);
        bridge.rst_n(rst_n);
        bridge.bind(s);
    }
    void ar(uint32_t id, uint64_t addr, uint32_t len, uint32_t size, uint32_t burst,
            uint64_t user = 0) {
        s.arvalid.write(true);
        s.arid.write(id);
        s.araddr.write(addr);
        s.arlen.write(len);
        s.arsize.write(size);
        s.arburst.write(burst);
        s.arprot.write(smmu_cosim::AXI_PROT_NS);
        s.aruser.write(user);
        do
            edge();
        while (!s.arready.read());
        s.arvalid.write(false);
    }
    void aw(uint32_t id, uint64_t addr, uint32_t len, uint32_t size, uint32_t burst,
            uint64_t user = 0) {
        s.awvalid.write(true);
        s.awid.write(id);
        s.awaddr.write(addr);
        s.awlen.write(len);
        s.awsize.write(size);
        s.awburst.write(burst);
        s.awprot.write(smmu_cosim::AXI_PROT_NS);
        s.awuser.write(user);
        do
            edge();
        while (!s.awready.read());
        s.awvalid.write(false);
    }
    void w(const std::vector<uint64_t> &data, const std::vector<uint32_t> &strb) {
        for (size_t i = 0; i < data.size(); i++) {
            s.wvalid.write(true);
            s.wdata.write(data[i]);
            s.wstrb.write(strb[i]);
            s.wlast.write(i + 1 == data.size());
            do
                edge();
            while (!s.wready.read());
        }
        s.wvalid.write(false);
        s.wlast.write(false);
    }
    // Takes R beats until `bursts` RLASTs have been seen.
    read_result r(unsigned bursts) {
        read_result res;
        s.rready.write(true);
        while (bursts) {
            edge();
            if (!s.rvalid.read()) continue;
            res.data.push_back(s.rdata.read());
            res.resp.push_back(s.rresp.read());
            res.id.push_back(s.rid.read());
            if (s.rlast.read()) bursts--;
        }
        s.rready.write(false);
        return res;
    }
    uint32_t b() {
        s.bready.write(true);
        do
            edge();
        while (!s.bvalid.read());
        uint32_t resp = s.bresp.read();
        s.bready.write(false);
        return resp;
    }
};

} // namespace cosim_test

#endif
