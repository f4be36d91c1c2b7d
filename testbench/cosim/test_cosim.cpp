// SPDX-License-Identifier: Apache-2.0 OR MIT
// Co-simulation tests (docs/cosim.md): the Verilated DMA engine (model/rtl/smmu_dma.v) copies
// through the SMMU model over the AXI4 -> TLM bridge, with the host programming the SMMU through
// c_core/drv over TLM, and the RTL micro-TLB (model/rtl/smmu_utlb.v) checked in lockstep against
// the C core, once as written and once with its planted bug (BUG_ASID8).
//
// One platform per process (SystemC elaborates once); each test uses its own StreamID, ASID,
// addresses and memory, so the tests do not depend on their order. Every test also checks that
// the AXI protocol checker on the bridge's pins saw no violation.
//
// Built twice: test_cosim with the 64-bit DMA and bridge, test_cosim256 with COSIM_DATA_BITS =
// 256 (smmu_dma Verilated with DATA_W = 256, axi_tlm_bridge_w<256>): every case runs at both
// widths; at 256 bits the 8-byte aligned addresses are unaligned to the bus (partial first and
// last beats).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

#include <smmu/drv.h>
#include <smmu_cosim/platform.h>

using namespace smmu_cosim;
using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_US;

#ifndef COSIM_DATA_BITS
#define COSIM_DATA_BITS 64
#endif

namespace {

platform *P = nullptr;

constexpr uint64_t PAGE = 0x1000;

std::vector<uint8_t> pattern(size_t n, unsigned seed) {
    std::vector<uint8_t> v(n);
    uint32_t x = 0x9E3779B9u * (seed + 1);
    for (auto &b : v) {
        x = x * 1664525u + 1013904223u;
        b = static_cast<uint8_t>(x >> 24);
    }
    return v;
}

std::vector<uint8_t> read_mem(uint64_t pa, size_t n) {
    std::vector<uint8_t> v(n);
    EXPECT_TRUE(P->mem().read(pa, v.data(), n));
    return v;
}

// A stage-1 domain (4 KiB granule) attached to sid, ASID asid; the lockstep checkers learn the
// ASID of the stream's context.
smmu_domain_t *attach(uint32_t sid, uint16_t asid, bool stall = false) {
    smmu_domain_cfg_t dc{};
    dc.stage = 1;
    dc.id = asid;
    dc.granule = 4096;
    dc.ias = 48;
    smmu_domain_t *dom = nullptr;
    EXPECT_EQ(smmu_drv_domain_new(P->drv(), &dc, &dom), 0);
    EXPECT_EQ(smmu_drv_attach_s1(P->drv(), sid, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
    if (stall) {
        EXPECT_EQ(smmu_drv_set_stall(P->drv(), sid, true), 0);
    }
    P->lockstep().set_asid(sid, 0, false, asid);
    P->lockstep_bugged().set_asid(sid, 0, false, asid);
    return dom;
}

void map(smmu_domain_t *dom, uint64_t iova, uint64_t pa, uint64_t size) {
    EXPECT_EQ(smmu_drv_map(P->drv(), dom, iova, pa, size, SMMU_PROT_R | SMMU_PROT_W), 0);
}

size_t mismatches_of(const utlb_lockstep &l, uint32_t sid) {
    size_t n = 0;
    for (const auto &m : l.mismatches())
        if (m.txn.user.sid == sid) n++;
    return n;
}

class Cosim : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (P) return;
        platform_params p;
        p.smmu.core.asid16 = true; // 16-bit ASIDs (the planted bug needs ASIDs above 255)
        p.data_bits = COSIM_DATA_BITS;
        P = new platform("cosim", p);
    }
    void SetUp() override {
        ASSERT_TRUE(P->run([](platform &) {}));
        ASSERT_NE(P->drv(), nullptr);
        ASSERT_TRUE(P->setup_errors().empty()) << P->setup_errors()[0];
    }
    void TearDown() override {
        for (const auto &v : P->bridge().violations())
            ADD_FAILURE() << v.to_string();
        EXPECT_EQ(P->bridge().violations().size(), 0u);
    }
};

} // namespace

// Spec 3.x stage-1 translation as seen by an RTL master: three IOVA pages mapped to scattered
// physical pages, copied by the DMA in 16-beat bursts, arrive byte for byte at the destination
// pages (also scattered).
TEST_F(Cosim, DmaCopyThroughStage1MappingsIsByteExact) {
    const uint32_t sid = 1;
    const uint64_t src = 0x10000, dst = 0x80000, len = 3 * PAGE;
    const uint64_t src_pa[3] = {0x40002000, 0x40000000, 0x40005000};
    const uint64_t dst_pa[3] = {0x41003000, 0x41007000, 0x41001000};
    auto data = pattern(len, 1);
    for (unsigned i = 0; i < 3; i++)
        ASSERT_TRUE(P->mem().write(src_pa[i], data.data() + i * PAGE, PAGE));
    dma_status st;
    ASSERT_TRUE(P->run([&](platform &p) {
        smmu_domain_t *dom = attach(sid, 1);
        for (unsigned i = 0; i < 3; i++) {
            map(dom, src + i * PAGE, src_pa[i], PAGE);
            map(dom, dst + i * PAGE, dst_pa[i], PAGE);
        }
        dma_job j;
        j.src = src + 8; // not page aligned: bursts are split at the 4 KiB boundaries
        j.dst = dst + 8;
        j.len = static_cast<uint32_t>(len - 16);
        j.sid = sid;
        j.id = 3;
        st = p.dma_copy(j);
        p.settle();
    }));
    EXPECT_TRUE(st.done);
    EXPECT_FALSE(st.err);
    EXPECT_EQ(st.bytes_done, len - 16);
    std::vector<uint8_t> got;
    for (unsigned i = 0; i < 3; i++) {
        auto page = read_mem(dst_pa[i], PAGE);
        got.insert(got.end(), page.begin(), page.end());
    }
    EXPECT_TRUE(std::equal(data.begin() + 8, data.end() - 8, got.begin() + 8));
    EXPECT_EQ(got[0], 0); // bytes outside the copy untouched
    EXPECT_EQ(got[len - 1], 0);
    EXPECT_GT(P->bridge().stats().reads, 3u);
    EXPECT_EQ(mismatches_of(P->lockstep(), sid), 0u);
}

// A fault in the middle of a transfer: the second of three source pages is unmapped. The read
// burst that reaches it gets DECERR (the documented mapping of TLM_ADDRESS_ERROR_RESPONSE, an
// SMMU abort) on its beats, the DMA stops and reports it, and the SMMU recorded F_TRANSLATION
// (event 0x10, spec 7.3.4) for that StreamID and address in its event queue.
TEST_F(Cosim, FaultMidTransferIsReportedToTheRtlAndRecordedAsEvent) {
    const uint32_t sid = 2;
    const uint64_t src = 0x10000, dst = 0x80000;
    const uint64_t src_pa = 0x42000000, dst_pa = 0x42100000;
    auto data = pattern(3 * PAGE, 2);
    ASSERT_TRUE(P->mem().write(src_pa, data.data(), data.size()));
    dma_status st;
    std::vector<smmu_drv_event_t> ev;
    ASSERT_TRUE(P->run([&](platform &p) {
        p.events(); // start from an empty queue
        smmu_domain_t *dom = attach(sid, 2);
        map(dom, src, src_pa, PAGE);
        map(dom, src + 2 * PAGE, src_pa + 2 * PAGE, PAGE);
        map(dom, dst, dst_pa, 3 * PAGE);
        dma_job j;
        j.src = src;
        j.dst = dst;
        j.len = 3 * PAGE;
        j.sid = sid;
        j.id = 5;
        st = p.dma_copy(j);
        p.settle();
        ev = p.events();
    }));
    EXPECT_TRUE(st.done);
    EXPECT_TRUE(st.err);
    EXPECT_FALSE(st.err_write);
    EXPECT_EQ(st.resp, AXI_DECERR);
    EXPECT_EQ(st.err_addr, src + PAGE);
    EXPECT_EQ(st.bytes_done, PAGE);
    auto first = read_mem(dst_pa, PAGE);
    EXPECT_TRUE(std::equal(first.begin(), first.end(), data.begin()));
    auto second = read_mem(dst_pa + PAGE, PAGE);
    EXPECT_EQ(second, std::vector<uint8_t>(PAGE, 0)); // nothing written past the fault
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].type, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(ev[0].sid, sid);
    EXPECT_EQ(ev[0].addr, src + PAGE);
    EXPECT_TRUE(ev[0].rnw);
    EXPECT_FALSE(ev[0].stall);
}

// An abort behind the SMMU (the memory answers TLM_GENERIC_ERROR_RESPONSE for the destination
// page) reaches the RTL as SLVERR on B.
TEST_F(Cosim, MemoryAbortOnWriteIsSlverr) {
    const uint32_t sid = 4;
    const uint64_t src = 0x10000, dst = 0x80000;
    const uint64_t src_pa = 0x43000000, dst_pa = 0x43100000;
    auto data = pattern(PAGE, 4);
    ASSERT_TRUE(P->mem().write(src_pa, data.data(), data.size()));
    P->mem().add_abort(dst_pa, PAGE);
    dma_status st;
    ASSERT_TRUE(P->run([&](platform &p) {
        smmu_domain_t *dom = attach(sid, 4);
        map(dom, src, src_pa, PAGE);
        map(dom, dst, dst_pa, PAGE);
        dma_job j;
        j.src = src;
        j.dst = dst;
        j.len = 256;
        j.sid = sid;
        st = p.dma_copy(j);
        p.settle();
    }));
    P->mem().clear_aborts();
    EXPECT_TRUE(st.err);
    EXPECT_TRUE(st.err_write);
    EXPECT_EQ(st.resp, AXI_SLVERR);
    EXPECT_EQ(st.err_addr, dst);
    EXPECT_EQ(st.bytes_done, 0u);
}

// Stall model (spec 3.12.2): with CD.S = 1 the read of the unmapped page stalls instead of
// failing. The host reads the stall record from the event queue, maps the page and resumes the
// transaction with CMD_RESUME (retry); the RTL never sees an error and the copy is byte-exact.
TEST_F(Cosim, StalledTransactionResumesAfterDriverFixesMapping) {
    const uint32_t sid = 3;
    const uint64_t src = 0x10000, dst = 0x80000;
    const uint64_t src_pa = 0x44000000, dst_pa = 0x44100000;
    auto data = pattern(2 * PAGE, 3);
    ASSERT_TRUE(P->mem().write(src_pa, data.data(), data.size()));
    const uint64_t stalls0 = P->smmu().stats().stalls;
    dma_status st;
    smmu_drv_event_t stall_ev{};
    bool seen = false, resumed = false, busy_while_stalled = false;
    ASSERT_TRUE(P->run([&](platform &p) {
        p.events();
        smmu_domain_t *dom = attach(sid, 3, /*stall*/ true);
        map(dom, src, src_pa, PAGE); // the second source page is missing
        map(dom, dst, dst_pa, 2 * PAGE);
        dma_job j;
        j.src = src;
        j.dst = dst;
        j.len = 2 * PAGE;
        j.sid = sid;
        p.dma_start(j);
        for (unsigned i = 0; i < 200 && !seen; i++) {
            wait(sc_time(500, SC_NS));
            for (const auto &e : p.events())
                if (e.stall && e.sid == sid) {
                    stall_ev = e;
                    seen = true;
                }
        }
        if (!seen) return;
        busy_while_stalled = p.dma_reg(DMA_STATUS) & DMA_ST_BUSY;
        map(dom, src + PAGE, src_pa + PAGE, PAGE);
        resumed = smmu_drv_resume(p.drv(), sid, stall_ev.stag, /*retry*/ true) == 0;
        st = p.dma_wait(sc_time(1, sc_core::SC_MS));
        p.settle();
    }));
    ASSERT_TRUE(seen);
    EXPECT_EQ(stall_ev.type, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(stall_ev.addr, src + PAGE);
    EXPECT_TRUE(busy_while_stalled);
    EXPECT_TRUE(resumed);
    EXPECT_EQ(P->smmu().stats().stalls, stalls0 + 1);
    EXPECT_TRUE(st.done);
    EXPECT_FALSE(st.err);
    EXPECT_EQ(st.bytes_done, 2 * PAGE);
    EXPECT_EQ(read_mem(dst_pa, 2 * PAGE), data);
}

namespace {

// The lockstep scenario: copy from a page, unmap it (CMD_TLBI_NH_VA for the ASID, snooped from
// the command queue), map the same IOVA to another physical page, copy again. The data path is
// the model's, so the second copy must deliver the new page's data whatever the micro-TLBs do.
void remap_scenario(uint32_t sid, uint16_t asid, uint64_t pa_base) {
    const uint64_t src = 0x10000, dst = 0x80000;
    const uint64_t old_pa = pa_base, new_pa = pa_base + 0x10000, dst_pa = pa_base + 0x20000;
    auto a = pattern(PAGE, 10 + sid), b = pattern(PAGE, 20 + sid);
    ASSERT_TRUE(P->mem().write(old_pa, a.data(), PAGE));
    ASSERT_TRUE(P->mem().write(new_pa, b.data(), PAGE));
    dma_status s1, s2, s3;
    ASSERT_TRUE(P->run([&](platform &p) {
        smmu_domain_t *dom = attach(sid, asid);
        map(dom, src, old_pa, PAGE);
        map(dom, dst, dst_pa, PAGE);
        dma_job j;
        j.src = src;
        j.dst = dst;
        j.len = 512;
        j.sid = sid;
        s1 = p.dma_copy(j); // fills the micro-TLBs
        s2 = p.dma_copy(j); // hits
        p.settle();
        EXPECT_EQ(smmu_drv_unmap(p.drv(), dom, src, PAGE), 0);
        map(dom, src, new_pa, PAGE);
        s3 = p.dma_copy(j);
        p.settle();
    }));
    EXPECT_TRUE(s1.done && s2.done && s3.done);
    EXPECT_FALSE(s1.err || s2.err || s3.err);
    auto got = read_mem(dst_pa, 512);
    EXPECT_TRUE(std::equal(got.begin(), got.end(), b.begin()));
}

} // namespace

namespace {

// A copy in one of smmu_dma's MODEs (issue 20: the project's RTL exercises the AXI corners):
// len bytes from IOVA src to dst, each mapped by stage 1 (StreamID and ASID = sid) onto
// physically contiguous pages at pa and pa + 1 MiB, source filled with a pattern, destination
// zero. Checks that the copy ended OKAY and that the destination equals the source in
// [off, off + len) and is untouched around it (the independent model: a byte copy).
struct mode_copy_result {
    dma_status st;
    bool exact = false;
};

// dst_off: the destination's offset when it differs from the source's.
mode_copy_result mode_copy(uint32_t sid, uint64_t pa, uint64_t off, uint32_t len,
                           const std::function<void(dma_job &)> &mode,
                           uint64_t dst_off = ~uint64_t(0)) {
    if (dst_off == ~uint64_t(0)) dst_off = off;
    const uint64_t src = 0x1000000 + sid * 0x100000, dst = 0x8000000 + sid * 0x100000;
    const uint64_t span = (std::max(off, dst_off) + len + 2 * PAGE - 1) & ~(PAGE - 1);
    auto data = pattern(span, sid);
    EXPECT_TRUE(P->mem().write(pa, data.data(), span));
    std::vector<uint8_t> zero(span, 0);
    EXPECT_TRUE(P->mem().write(pa + 0x100000, zero.data(), span));
    mode_copy_result r;
    EXPECT_TRUE(P->run([&](platform &p) {
        smmu_domain_t *dom = attach(sid, static_cast<uint16_t>(sid));
        map(dom, src, pa, span);
        map(dom, dst, pa + 0x100000, span);
        dma_job j;
        j.src = src + off;
        j.dst = dst + dst_off;
        j.len = len;
        j.sid = sid;
        j.id = 2;
        mode(j);
        r.st = p.dma_copy(j);
        p.settle();
    }));
    auto got = read_mem(pa + 0x100000, span);
    std::vector<uint8_t> want(span, 0);
    std::copy(data.begin() + off, data.begin() + off + len, want.begin() + dst_off);
    r.exact = got == want;
    return r;
}

void expect_ok(const mode_copy_result &r, uint32_t len) {
    EXPECT_TRUE(r.st.done);
    EXPECT_FALSE(r.st.err) << "resp " << unsigned(r.st.resp) << " at 0x" << std::hex
                           << r.st.err_addr << (r.st.cfg_err ? " CFG_ERR" : "");
    EXPECT_EQ(r.st.bytes_done, len);
    EXPECT_TRUE(r.exact);
}

} // namespace

// Several IDs with several reads each outstanding (IHI 0022 A6: responses of one ID in order,
// different IDs may interleave): MODE.OUTST = 8 over 2 IDs. The bridge's pins see both IDs and
// more than one read per ID outstanding at once, never more than the DMA's 8; the copy through
// stage 1 (unaligned, across pages) is byte-exact and the checker finds nothing.
TEST_F(Cosim, SeveralIdsWithSeveralReadsOutstandingEachAreByteExact) {
    P->bridge().reset_peaks();
    const uint32_t len = 4 * PAGE - 16;
    auto r = mode_copy(20, 0x49000000, 8, len, [](dma_job &j) {
        j.outstanding = 8;
        j.ids_log2 = 1;
    });
    expect_ok(r, len);
    EXPECT_EQ(P->bridge().stats().max_read_ids, 2u);
    EXPECT_GT(P->bridge().stats().max_reads_outstanding, 2u); // > 1 per ID with 2 IDs
    EXPECT_LE(P->bridge().stats().max_reads_outstanding, 8u);
    EXPECT_GT(P->bridge().stats().max_writes_outstanding, 2u);
    EXPECT_LE(P->bridge().stats().max_writes_outstanding, 8u);
}

// The DMA's own outstanding limit (MODE.OUTST) holds although the bridge would accept 8: with 3,
// at most 3 reads and 3 writes are ever outstanding on the pins, and 3 are reached.
TEST_F(Cosim, DmaRespectsItsOutstandingLimit) {
    P->bridge().reset_peaks();
    const uint32_t len = 4 * PAGE;
    auto r = mode_copy(21, 0x49400000, 0, len, [](dma_job &j) {
        j.outstanding = 3;
        j.ids_log2 = 2;
    });
    expect_ok(r, len);
    EXPECT_EQ(P->bridge().stats().max_reads_outstanding, 3u);
    EXPECT_LE(P->bridge().stats().max_writes_outstanding, 3u);
    EXPECT_LE(P->bridge().stats().max_read_ids, 3u);
}

// W before AW (IHI 0022 A3.3.1 allows the write data to come before its address): every burst's
// beats go first (the checker sees whole W bursts waiting for their AW), 4 bursts outstanding;
// byte-exact, no violation.
TEST_F(Cosim, WriteDataBeforeItsAddressIsByteExact) {
    P->bridge().reset_peaks();
    const uint32_t len = 2 * PAGE + 64;
    auto r = mode_copy(22, 0x49800000, 64, len, [](dma_job &j) {
        j.outstanding = 4;
        j.ids_log2 = 1;
        j.w_first = true;
    });
    expect_ok(r, len);
    EXPECT_GE(P->bridge().stats().max_w_bursts_ahead, 1u);
}

// Narrow bursts (AxSIZE below the 64-bit bus, IHI 0022 A3.4.3): beats of 4, 2 and 1 bytes on
// their byte lanes, WSTRB selecting them, bursts ending off 8-byte boundaries; byte-exact.
TEST_F(Cosim, NarrowBurstsAreByteExact) {
    for (unsigned n = 1; n <= 3; n++) {
        SCOPED_TRACE(n);
        const uint32_t len = 1024 + 8;
        auto r = mode_copy(22 + n, 0x49C00000 + n * 0x200000, 8, len, [n](dma_job &j) {
            j.narrow = n;
            j.burst = 5; // 5 beats: bursts end on every lane
            j.outstanding = 2;
            j.ids_log2 = 1;
        });
        expect_ok(r, len);
    }
}

// Source and destination at different offsets from the bus width (IHI 0022 A3.4.1: an INCR
// burst at an unaligned address starts with a partial beat; the DMA's write bursts end with a
// partial WSTRB): every pair of 8-byte offsets 0, 8, 24 into the bus, full-width beats,
// byte-exact. At 64 bits they are all aligned (the same copies, the 64-bit baseline).
TEST_F(Cosim, CopiesUnalignedToTheDataBusAreByteExact) {
    const uint64_t offs[] = {0, 8, 24};
    unsigned k = 0;
    for (uint64_t so : offs)
        for (uint64_t d : offs) {
            SCOPED_TRACE(k);
            const uint32_t len = 2 * PAGE - 8 * k - 8; // ends off the bus width too
            auto r = mode_copy(
                50 + k, 0x4C000000 + k * 0x200000, 64 + so, len,
                [](dma_job &j) {
                    j.outstanding = 4;
                    j.ids_log2 = 1;
                },
                128 + d);
            expect_ok(r, len);
            k++;
        }
}

// WRAP bursts (IHI 0022 A3.4.1), starting mid-window so they wrap, at full and narrow width and
// 2/4/16 beats, several outstanding; FIXED bursts (the same address every beat), full and
// narrow: both byte-exact with no violation (the bridge makes each one TLM transaction).
TEST_F(Cosim, WrapAndFixedBurstsAreByteExact) {
    struct {
        unsigned type, beats, narrow;
    } cases[] = {{DMA_BURST_WRAP, 16, 0},
                 {DMA_BURST_WRAP, 4, 1},
                 {DMA_BURST_WRAP, 2, 3},
                 {DMA_BURST_FIXED, 4, 0},
                 {DMA_BURST_FIXED, 3, 2}};
    unsigned k = 0;
    for (const auto &c : cases) {
        SCOPED_TRACE(k);
        const uint32_t len = 512;
        auto r = mode_copy(30 + k, 0x4A400000 + k * 0x200000, 0, len, [&c](dma_job &j) {
            j.burst_type = c.type;
            j.burst = c.beats;
            j.narrow = c.narrow;
            j.outstanding = 4;
            j.ids_log2 = 1;
        });
        expect_ok(r, len);
        k++;
    }
}

// A WRAP burst must have 2, 4, 8 or 16 beats (IHI 0022 A3.4.1): the DMA refuses 3 with CFG_ERR
// and issues nothing.
TEST_F(Cosim, WrapOfThreeBeatsIsRefusedByTheDma) {
    const uint64_t reads0 = P->bridge().stats().reads;
    auto r = mode_copy(40, 0x4B000000, 0, 96, [](dma_job &j) {
        j.burst_type = DMA_BURST_WRAP;
        j.burst = 3;
    });
    EXPECT_TRUE(r.st.done);
    EXPECT_TRUE(r.st.err);
    EXPECT_TRUE(r.st.cfg_err);
    EXPECT_EQ(P->bridge().stats().reads, reads0);
}

// An INCR burst may not cross a 4 KiB boundary (IHI 0022 A3.4.1): with MODE.CROSS4K the DMA
// issues 16-beat bursts across one, and the bridge's checker reports burst-4k for them.
TEST_F(Cosim, IncrBurstAcross4KiBIsFlaggedByTheChecker) {
    const size_t v0 = P->bridge().violations().size();
    const uint32_t len = 256;
    auto r = mode_copy(41, 0x4B400000, PAGE - 64, len, [](dma_job &j) { j.cross_4k = true; });
    EXPECT_TRUE(r.st.done);
    size_t n4k = 0, other = 0;
    for (size_t i = v0; i < P->bridge().violations().size(); i++)
        (P->bridge().violations()[i].rule == "burst-4k" ? n4k : other)++;
    EXPECT_EQ(n4k, 2u); // the crossing read and the crossing write
    EXPECT_EQ(other, 0u);
    EXPECT_TRUE(r.exact); // still moved as one transaction (the pages are physically contiguous)
    P->bridge().clear_violations();
}

// The correct micro-TLB agrees with the C core on every translation it produces, across fills,
// hits and the ASID-scoped invalidation of the remap.
// Issue 20, bug 1, with the project's RTL (IHI 0022 A3.1.2: after reset nothing of before
// exists): a 64 KiB copy through stage 1 with 4 bursts outstanding over 2 IDs; ~1,500 cycles in,
// with a burst in flight, rst_n goes low for 9 edges (DMA, APB master, bridge, micro-TLBs,
// lockstep; not the SMMU); 2,000 idle cycles; a fresh 64 KiB copy. The DMA's registers are back at
// their reset values, the fresh copy is OKAY and byte-exact through the same mappings (the SMMU
// kept its state), the bridge's checker saw nothing wrong, the lockstep checkers agree and settle
// (nothing left waiting).
TEST_F(Cosim, ResetMidCopyLeavesNothingBehind) {
    const uint32_t sid = 8;
    const uint64_t len = 16 * PAGE;
    const uint64_t src = 0x200000, dst = 0x300000, src2 = 0x400000, dst2 = 0x500000;
    const uint64_t pa = 0x48000000; // src, dst, src2, dst2 at pa + 0, 1, 2, 3 MiB
    auto old_data = pattern(len, 80), data = pattern(len, 81);
    ASSERT_TRUE(P->mem().write(pa, old_data.data(), len));
    ASSERT_TRUE(P->mem().write(pa + 0x200000, data.data(), len));
    const uint64_t resets0 = P->bridge().stats().resets;
    const size_t mism0 = mismatches_of(P->lockstep(), sid);
    bool busy_at_reset = false, idle_after = false;
    uint32_t regs[7] = {};
    dma_status st;
    P->bridge().reset_peaks();
    uint64_t reads_at_reset = 0;
    ASSERT_TRUE(P->run([&](platform &p) {
        smmu_domain_t *dom = attach(sid, 8);
        map(dom, src, pa, len);
        map(dom, dst, pa + 0x100000, len);
        map(dom, src2, pa + 0x200000, len);
        map(dom, dst2, pa + 0x300000, len);
        dma_job j;
        j.src = src;
        j.dst = dst;
        j.len = static_cast<uint32_t>(len);
        j.sid = sid;
        j.id = 5;
        j.outstanding = 4; // 4 bursts outstanding over 2 IDs
        j.ids_log2 = 1;
        p.dma_start(j);
        sc_core::wait(sc_time(15, SC_US)); // ~1,500 cycles
        for (int i = 0; i < 100 && p.bridge().idle(); i++)
            sc_core::wait(sc_time(10, SC_NS)); // a burst accepted and not answered
        busy_at_reset = !p.bridge().idle();
        reads_at_reset = p.bridge().stats().max_reads_outstanding;
        p.reset(9);
        idle_after = p.bridge().idle() && p.lockstep().idle() && p.lockstep_bugged().idle();
        sc_core::wait(sc_time(20, SC_US)); // 2,000 idle cycles
        regs[0] = p.dma_reg(DMA_STATUS);
        regs[1] = p.dma_reg(DMA_SRC_LO);
        regs[2] = p.dma_reg(DMA_DST_LO);
        regs[3] = p.dma_reg(DMA_LEN);
        regs[4] = p.dma_reg(DMA_ATTR);
        regs[5] = p.dma_reg(DMA_BYTES_DONE);
        regs[6] = p.dma_reg(DMA_MODE);
        j.src = src2;
        j.dst = dst2;
        st = p.dma_copy(j);
        p.settle();
    }));
    EXPECT_TRUE(busy_at_reset);
    EXPECT_TRUE(idle_after);
    EXPECT_EQ(P->bridge().stats().resets, resets0 + 1);
    // smmu_dma.v reset values (docs/cosim.md): not busy, not done; ATTR = burst 16, AxPROT 0b010
    EXPECT_EQ(regs[0], 0u);
    EXPECT_EQ(regs[1], 0u);
    EXPECT_EQ(regs[2], 0u);
    EXPECT_EQ(regs[3], 0u);
    EXPECT_EQ(regs[4], 0xF2u);
    EXPECT_EQ(regs[5], 0u);
    EXPECT_EQ(regs[6], 0u);        // MODE: one burst at a time
    EXPECT_GT(reads_at_reset, 1u); // several reads were in flight before the reset
    EXPECT_TRUE(st.done);
    EXPECT_FALSE(st.err) << "resp " << unsigned(st.resp) << " at 0x" << std::hex << st.err_addr;
    EXPECT_EQ(st.bytes_done, len);
    EXPECT_TRUE(read_mem(pa + 0x300000, len) == data);
    EXPECT_EQ(mismatches_of(P->lockstep(), sid), mism0);
}

// The lockstep's reset: a lookup sent to the micro-TLB right before rst_n goes low is cancelled
// by the RTL's reset (lk_done never comes); the checker must forget it, and the lookup queued
// behind it, instead of waiting for ever (settle() would never return).
TEST_F(Cosim, LockstepForgetsLookupsTheResetCancelled) {
    const uint64_t dropped0 = P->lockstep().stats().dropped;
    bool idle_after = false;
    ASSERT_TRUE(P->run(
        [&](platform &p) {
            p.settle();
            axi_request r;
            r.addr = 0x10000;
            r.user.sid = 9;
            r.size = 3;
            r.burst = AXI_INCR;
            p.lockstep().observe(r); // goes to the RTL at the next edge
            p.lockstep().observe(r); // waits behind it
            p.reset(3);
            idle_after = p.lockstep().idle();
            p.settle();
        },
        sc_time(1, sc_core::SC_MS)));
    EXPECT_TRUE(idle_after);
    EXPECT_EQ(P->lockstep().stats().dropped, dropped0 + 2);
}

TEST_F(Cosim, LockstepCleanOnCorrectMicroTlb) {
    const uint64_t compared0 = P->lockstep().stats().compared;
    const uint64_t inv0 = P->lockstep().stats().invalidations;
    remap_scenario(5, 0x1234, 0x45000000);
    EXPECT_GT(P->lockstep().stats().compared, compared0); // the RTL did produce translations
    EXPECT_GT(P->lockstep().stats().invalidations, inv0);
    for (const auto &m : P->lockstep().mismatches())
        ADD_FAILURE() << m.to_string();
    EXPECT_TRUE(P->lockstep().mismatches().empty());
}

// The micro-TLB built with BUG_ASID8 keeps only ASID[7:0]: the TLBI_NH_VA of ASID 0x1236 misses
// its entry, the stale translation survives the unmap, and the checker reports it with the
// transaction, the RTL's (old) and the model's (new) output address and the time.
TEST_F(Cosim, LockstepCatchesPlantedAsidBug) {
    const uint32_t sid = 6;
    const uint64_t base = 0x46000000;
    remap_scenario(sid, 0x1236, base); // every test has its own ASID
    ASSERT_GT(mismatches_of(P->lockstep_bugged(), sid), 0u);
    const lockstep_mismatch *m = nullptr;
    for (const auto &x : P->lockstep_bugged().mismatches())
        if (x.txn.user.sid == sid) {
            m = &x;
            break;
        }
    ASSERT_NE(m, nullptr);
    EXPECT_FALSE(m->txn.write);
    EXPECT_EQ(m->txn.addr & ~(PAGE - 1), 0x10000u);
    EXPECT_EQ(m->rtl_pa & ~(PAGE - 1), base); // the stale page
    EXPECT_EQ(m->model.status, SMMU_OK);
    EXPECT_EQ(m->model.pa & ~(PAGE - 1), base + 0x10000); // the new page
    EXPECT_GT(m->time, sc_core::SC_ZERO_TIME);
    EXPECT_NE(m->to_string().find("lockstep mismatch"), std::string::npos);
    EXPECT_EQ(mismatches_of(P->lockstep(), sid), 0u); // the correct one stays clean
}

// The planted bug is specific: with an ASID below 256 the bugged micro-TLB is right too.
TEST_F(Cosim, PlantedBugIsInvisibleWithEightBitAsid) {
    const uint32_t sid = 7;
    remap_scenario(sid, 0x42, 0x47000000);
    EXPECT_EQ(mismatches_of(P->lockstep_bugged(), sid), 0u);
    EXPECT_EQ(mismatches_of(P->lockstep(), sid), 0u);
}

int sc_main(int, char **) {
    return 0;
}
int main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
