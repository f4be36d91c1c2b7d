// SPDX-License-Identifier: Apache-2.0 OR MIT
// The PRI queue (spec chapter 8): records, overflow and automatic PRG responses (8.1, 8.2, 8.3),
// the PRI queue interrupt and MSI (3.18, 6.3.33-6.3.36), write aborts (8.2), many wraps
// (conformance note 7), and CMD_PRI_RESP (4.5.2).
#include "cmdq_fixture.h"
#include "tenc_pri.h"

using namespace tfx;
using namespace tenc;

namespace {

constexpr uint64_t PRIQ = 0x14000000;
constexpr uint64_t MSI_PA = 0x30000000;
constexpr uint32_t GERROR_PRIQ_ABT_ERR = 1u << 3;
constexpr uint32_t GERROR_MSI_PRIQ_ABT_ERR = 1u << 6;
constexpr unsigned RESP_SUCCESS = 0x0, RESP_INVALID = 0x1, RESP_FAILURE = 0xF; // 8.3

class Priq : public CmdqTest {
  protected:
    unsigned priq_log2 = 2; // 4 records: overflow and wrap come quickly
    uint32_t pcons = 0;     // software's PRIQ_CONS (RD, wrap, OVACKFLG)

    void SetUp() override {
        CmdqTest::SetUp();
        enable();
        enable_priq();
    }
    // PRIQ_BASE / PROD / CONS are programmed while PRIQEN == 0 (6.3.33), then PRIQEN.
    void enable_priq() {
        uint32_t cr0 = r32(SMMU_CR0) & ~SMMU_CR0_PRIQEN;
        set_cr0(cr0);
        w64(SMMU_PRIQ_BASE, PRIQ | priq_log2);
        w32(SMMU_PRIQ_PROD, 0);
        w32(SMMU_PRIQ_CONS, 0);
        pcons = 0;
        set_cr0(cr0 | SMMU_CR0_PRIQEN);
    }
    static smmu_pri_req_t ppr(uint32_t sid, uint64_t addr, unsigned prgi, bool last) {
        smmu_pri_req_t q{};
        q.sid = sid;
        q.addr = addr;
        q.prgi = (uint16_t)prgi;
        q.last = last;
        q.read = true;
        return q;
    }
    smmu_pri_status_t send(const smmu_pri_req_t &q) {
        return smmu_pri_request(smmu, &q);
    }
    uint32_t pprod() {
        return r32(SMMU_PRIQ_PROD);
    }
    uint32_t idx_mask() const {
        return (2u << priq_log2) - 1;
    } // index + wrap
    // Records between CONS and PROD; CONS advanced (OVACKFLG left as it was).
    std::vector<std::pair<uint64_t, uint64_t>> consume() {
        std::vector<std::pair<uint64_t, uint64_t>> out;
        uint32_t prod = pprod();
        while ((prod & idx_mask()) != (pcons & idx_mask())) {
            uint64_t at = PRIQ + 16ull * (pcons & ((1u << priq_log2) - 1));
            out.push_back({get64(at), get64(at + 8)});
            pcons = qinc(pcons, priq_log2);
        }
        w32(SMMU_PRIQ_CONS, pcons);
        return out;
    }
    // OVACKFLG := OVFLG acknowledges the overflow (8.1).
    void ack_overflow() {
        pcons = (pcons & ~SMMU_Q_OVFLG) | (pprod() & SMMU_Q_OVFLG);
        w32(SMMU_PRIQ_CONS, pcons);
    }
    bool overflow() {
        return ((pprod() ^ r32(SMMU_PRIQ_CONS)) & SMMU_Q_OVFLG) != 0;
    }
    void fill() {
        for (unsigned i = 0; i < (1u << priq_log2); i++)
            ASSERT_EQ(send(ppr(1, 0x1000 * i, 1, false)), SMMU_PRI_QUEUED);
    }
};

// Chapter 8: the 16-byte record: StreamID [31:0], SubstreamID [51:32], Priv 58, Exec 59, Read 60,
// Write 61, Last 62, SSV 63; PRGIndex [72:64], page address [127:76]; all else zero.
TEST_F(Priq, RecordByteExact) {
    smmu_pri_req_t q{};
    q.sid = 0xABCD12;
    q.ssid = 0x9A5A5;
    q.ssv = true;
    q.addr = 0xFFFF123456789FFFull; // bits [11:0] are not part of the record
    q.read = q.write = q.exec = q.priv = q.last = true;
    q.prgi = 0x1B7;
    EXPECT_EQ(send(q), SMMU_PRI_QUEUED);
    auto recs = consume();
    ASSERT_EQ(recs.size(), 1u);
    PriRec want = PriRec()
                      .sid(0xABCD12)
                      .ssid(0x9A5A5)
                      .ssv(true)
                      .priv(true)
                      .exec(true)
                      .read(true)
                      .write(true)
                      .last(true)
                      .prgi(0x1B7)
                      .addr(0xFFFF123456789000ull);
    EXPECT_EQ(recs[0].first, want.dw[0]);
    EXPECT_EQ(recs[0].second, want.dw[1]);
    EXPECT_TRUE(dev.pri.empty()); // a queued request is answered by software, not the SMMU
}

// Chapter 8: SSV == 0 -> X and Priv are 0 (and SubstreamID is not meaningful).
TEST_F(Priq, RecordWithoutPasidHasNoExecOrPriv) {
    smmu_pri_req_t q = ppr(5, 0x7000, 3, true);
    q.exec = q.priv = true;
    q.ssid = 77;
    q.write = true;
    send(q);
    auto recs = consume();
    ASSERT_EQ(recs.size(), 1u);
    PriRec want = PriRec().sid(5).read(true).write(true).last(true).prgi(3).addr(0x7000);
    EXPECT_EQ(recs[0].first, want.dw[0]);
    EXPECT_EQ(recs[0].second, want.dw[1]);
}

// A Stop Marker (LWR == 0b100 with PASID) is queued like a request (chapter 8).
TEST_F(Priq, StopMarkerIsQueued) {
    smmu_pri_req_t q{};
    q.sid = 2;
    q.ssv = true;
    q.ssid = 4;
    q.last = true;
    q.prgi = 9;
    EXPECT_EQ(send(q), SMMU_PRI_QUEUED);
    auto recs = consume();
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs[0].first, PriRec().sid(2).ssv(true).ssid(4).last(true).dw[0]);
}

// 8.2: PRIQEN == 0 -> nothing written, every PPR (Last or not) gets ResponseFailure without
// PASID.
TEST_F(Priq, DisabledQueueAutoRespondsFailure) {
    set_cr0(r32(SMMU_CR0) & ~SMMU_CR0_PRIQEN);
    smmu_pri_req_t q = ppr(3, 0x5000, 0x42, false);
    q.ssv = true;
    q.ssid = 6;
    EXPECT_EQ(send(q), SMMU_PRI_AUTO_RESP);
    q.last = true;
    EXPECT_EQ(send(q), SMMU_PRI_AUTO_RESP);
    ASSERT_EQ(dev.pri.size(), 2u);
    for (auto &p : dev.pri) {
        EXPECT_EQ(p.sid, 3u);
        EXPECT_EQ(p.grpid, 0x42u);
        EXPECT_EQ(p.resp, RESP_FAILURE);
        EXPECT_FALSE(p.ssv);
    }
    EXPECT_EQ(pprod(), 0u);
}

// 8.2: SMMUEN == 0 implies PRIQEN == 0.
TEST_F(Priq, SmmuDisabledAutoRespondsFailure) {
    set_cr0(r32(SMMU_CR0) & ~SMMU_CR0_SMMUEN);
    EXPECT_EQ(send(ppr(1, 0, 1, true)), SMMU_PRI_AUTO_RESP);
    ASSERT_EQ(dev.pri.size(), 1u);
    EXPECT_EQ(dev.pri[0].resp, RESP_FAILURE);
    EXPECT_EQ(pprod() & idx_mask(), 0u);
}

// 8.2: a PPR from a Secure stream is discarded with ResponseFailure.
TEST_F(Priq, SecureStreamAutoRespondsFailure) {
    smmu_pri_req_t q = ppr(1, 0, 7, true);
    q.secure = true;
    EXPECT_EQ(send(q), SMMU_PRI_AUTO_RESP);
    ASSERT_EQ(dev.pri.size(), 1u);
    EXPECT_EQ(dev.pri[0].resp, RESP_FAILURE);
    EXPECT_TRUE(consume().empty());
}

// 8.2: no response to a Stop Marker, even when it is discarded.
TEST_F(Priq, DiscardedStopMarkerGetsNoResponse) {
    set_cr0(r32(SMMU_CR0) & ~SMMU_CR0_PRIQEN);
    smmu_pri_req_t q{};
    q.ssv = true;
    q.ssid = 1;
    q.last = true;
    EXPECT_EQ(send(q), SMMU_PRI_DISCARDED);
    EXPECT_TRUE(dev.pri.empty());
}

// 8.1: a PPR arriving on a full queue toggles PRIQ_PROD.OVFLG and is discarded; Last == 0 gets no
// response, Last == 1 gets Success (no PASID on the request -> none on the response); PROD does
// not move.
TEST_F(Priq, OverflowSetsOvflgAndAutoRespondsSuccessForLast) {
    fill();
    uint32_t prod = pprod();
    EXPECT_FALSE(overflow());
    EXPECT_EQ(send(ppr(4, 0x9000, 0x11, false)), SMMU_PRI_DISCARDED);
    EXPECT_TRUE(overflow());
    EXPECT_TRUE(dev.pri.empty());
    EXPECT_EQ(send(ppr(4, 0xA000, 0x11, true)), SMMU_PRI_AUTO_RESP);
    ASSERT_EQ(dev.pri.size(), 1u);
    EXPECT_EQ(dev.pri[0].sid, 4u);
    EXPECT_EQ(dev.pri[0].grpid, 0x11u);
    EXPECT_EQ(dev.pri[0].resp, RESP_SUCCESS);
    EXPECT_FALSE(dev.pri[0].ssv);
    EXPECT_EQ(pprod() & idx_mask(), prod & idx_mask());
    EXPECT_TRUE(overflow()); // not toggled again while active
}

// 8.1: an active overflow inhibits new entries even after space is freed; writing OVACKFLG ==
// OVFLG ends it. Entries written before the overflow are intact.
TEST_F(Priq, OverflowInhibitsEntriesUntilAcknowledged) {
    fill();
    send(ppr(1, 0xF000, 2, true));
    ASSERT_TRUE(overflow());
    auto recs = consume(); // frees the queue but does not acknowledge
    ASSERT_EQ(recs.size(), 4u);
    EXPECT_EQ(recs[3].second, PriRec().prgi(1).addr(0x3000).dw[1]);
    EXPECT_EQ(send(ppr(1, 0x10000, 3, false)), SMMU_PRI_DISCARDED);
    EXPECT_TRUE(consume().empty());
    ack_overflow();
    EXPECT_FALSE(overflow());
    EXPECT_EQ(send(ppr(1, 0x11000, 3, true)), SMMU_PRI_QUEUED);
    recs = consume();
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs[0].second, PriRec().prgi(3).addr(0x11000).dw[1]);
}

// 8.1 with IDR3.PPS == 0: a Last PPR with a PASID discarded on overflow is answered Success with
// the PASID when STE.PPAR == 1, without it when PPAR == 0, and ResponseFailure without PASID when
// the STE cannot be checked (invalid STE).
TEST_F(Priq, OverflowResponseWithPasidFollowsStePpar) {
    put_ste(1, Ste::bypass().f(82, 1, 1).dw); // PPAR [82]
    put_ste(2, Ste::bypass().dw);
    put_ste(3, Ste().dw); // V == 0
    fill();
    for (uint32_t sid = 1; sid <= 3; sid++) {
        smmu_pri_req_t q = ppr(sid, 0, 0x100 + sid, true);
        q.ssv = true;
        q.ssid = 0x55;
        EXPECT_EQ(send(q), SMMU_PRI_AUTO_RESP);
    }
    ASSERT_EQ(dev.pri.size(), 3u);
    EXPECT_EQ(dev.pri[0].resp, RESP_SUCCESS);
    EXPECT_TRUE(dev.pri[0].ssv);
    EXPECT_EQ(dev.pri[0].ssid, 0x55u);
    EXPECT_EQ(dev.pri[1].resp, RESP_SUCCESS);
    EXPECT_FALSE(dev.pri[1].ssv);
    EXPECT_EQ(dev.pri[2].resp, RESP_FAILURE);
    EXPECT_FALSE(dev.pri[2].ssv);
    EXPECT_EQ(dev.pri[2].grpid, 0x103u);
}

// 8.1: Stop Markers discarded in an overflow condition get no auto-response.
TEST_F(Priq, OverflowStopMarkerGetsNoResponse) {
    fill();
    smmu_pri_req_t q{};
    q.ssv = true;
    q.ssid = 2;
    q.last = true;
    EXPECT_EQ(send(q), SMMU_PRI_DISCARDED);
    EXPECT_TRUE(dev.pri.empty());
    EXPECT_TRUE(overflow());
}

// 3.18.2, 6.3.36 LO == 0: the PRIQ interrupt pulses when the queue goes from empty to non-empty,
// gated by IRQ_CTRL.PRIQ_IRQEN.
TEST_F(Priq, IrqOnEmptyToNonEmptyGatedByIrqCtrl) {
    send(ppr(1, 0, 1, false));
    EXPECT_EQ(irq.edges[IRQ_PRIQ], 0); // PRIQ_IRQEN == 0
    consume();
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_PRIQ_IRQEN);
    ASSERT_EQ(r32(SMMU_IRQ_CTRLACK), SMMU_IRQ_CTRL_PRIQ_IRQEN);
    send(ppr(1, 0, 1, false));
    EXPECT_EQ(irq.edges[IRQ_PRIQ], 1);
    send(ppr(1, 0x1000, 1, true)); // not empty before: no new interrupt
    EXPECT_EQ(irq.edges[IRQ_PRIQ], 1);
    consume();
    send(ppr(1, 0x2000, 2, false));
    EXPECT_EQ(irq.edges[IRQ_PRIQ], 2);
    EXPECT_FALSE(irq.level[IRQ_PRIQ]); // a pulse
}

// 6.3.36 LO == 1: interrupt only for messages with Last set, including a Last PPR discarded on
// overflow.
TEST_F(Priq, LastOnlyInterruptsOnLast) {
    w32(SMMU_PRIQ_IRQ_CFG2, 1u << 31);
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_PRIQ_IRQEN);
    send(ppr(1, 0, 1, false));
    EXPECT_EQ(irq.edges[IRQ_PRIQ], 0);
    send(ppr(1, 0x1000, 1, true));
    EXPECT_EQ(irq.edges[IRQ_PRIQ], 1);
    send(ppr(1, 0x2000, 2, true));
    EXPECT_EQ(irq.edges[IRQ_PRIQ], 2);
    send(ppr(1, 0x3000, 3, false)); // queue now full
    send(ppr(1, 0x4000, 3, true));  // discarded on overflow: still interrupts
    EXPECT_EQ(irq.edges[IRQ_PRIQ], 3);
}

// 3.18, 6.3.34-6.3.36: the PRIQ MSI writes PRIQ_IRQ_CFG1 to PRIQ_IRQ_CFG0.
TEST_F(Priq, MsiWritesCfg1DataToCfg0Address) {
    w64(SMMU_PRIQ_IRQ_CFG0, MSI_PA);
    w32(SMMU_PRIQ_IRQ_CFG1, 0xC0FFEE01);
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_PRIQ_IRQEN);
    send(ppr(1, 0, 1, true));
    uint32_t v = 0;
    ASSERT_EQ(smmu_mem_read(mem, MSI_PA, &v, 4), 0);
    EXPECT_EQ(v, 0xC0FFEE01u);
}

// 7.5: an aborted PRIQ MSI activates GERROR.MSI_PRIQ_ABT_ERR; the record itself is written.
TEST_F(Priq, MsiAbortSetsMsiPriqAbtErr) {
    ASSERT_EQ(smmu_mem_add_abort(mem, MSI_PA, 4), 0);
    w64(SMMU_PRIQ_IRQ_CFG0, MSI_PA);
    w32(SMMU_PRIQ_IRQ_CFG1, 1);
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_PRIQ_IRQEN);
    EXPECT_EQ(send(ppr(1, 0, 1, true)), SMMU_PRI_QUEUED);
    EXPECT_EQ(gerror_active() & GERROR_MSI_PRIQ_ABT_ERR, GERROR_MSI_PRIQ_ABT_ERR);
    EXPECT_EQ(consume().size(), 1u);
}

// 8.2: an external abort writing a record activates GERROR.PRIQ_ABT_ERR; the (synchronous) abort
// answers the PPR with ResponseFailure; while the error is active every PPR is answered so; after
// acknowledgement the queue works again.
TEST_F(Priq, WriteAbortSetsPriqAbtErrAndRespondsFailure) {
    ASSERT_EQ(smmu_mem_add_abort(mem, PRIQ, 16), 0);
    EXPECT_EQ(send(ppr(6, 0, 0x21, false)), SMMU_PRI_AUTO_RESP);
    EXPECT_EQ(gerror_active() & GERROR_PRIQ_ABT_ERR, GERROR_PRIQ_ABT_ERR);
    EXPECT_EQ(pprod() & idx_mask(), 0u);
    smmu_mem_clear_aborts(mem);
    EXPECT_EQ(send(ppr(6, 0, 0x22, false)), SMMU_PRI_AUTO_RESP);
    ASSERT_EQ(dev.pri.size(), 2u);
    EXPECT_EQ(dev.pri[0].grpid, 0x21u);
    EXPECT_EQ(dev.pri[0].resp, RESP_FAILURE);
    EXPECT_EQ(dev.pri[1].resp, RESP_FAILURE);
    ack(GERROR_PRIQ_ABT_ERR);
    EXPECT_EQ(send(ppr(6, 0, 0x23, false)), SMMU_PRI_QUEUED);
}

// Conformance note 7: PRIQ_PROD keeps its wrap bit; records stay in order across many laps.
TEST_F(Priq, WrapAcrossManyLaps) {
    unsigned n = 0;
    for (unsigned lap = 0; lap < 40; lap++) {
        for (unsigned i = 0; i < 3; i++, n++)
            ASSERT_EQ(send(ppr(n & 0xFF, 0x1000ull * n, n & 0x1FF, i == 2)), SMMU_PRI_QUEUED);
        uint32_t prod = pprod();
        EXPECT_EQ(prod & idx_mask(), n & idx_mask()) << "lap " << lap;
        auto recs = consume();
        ASSERT_EQ(recs.size(), 3u);
        for (unsigned i = 0; i < 3; i++) {
            unsigned k = n - 3 + i;
            EXPECT_EQ(recs[i].first, PriRec().sid(k & 0xFF).read(true).last(i == 2).dw[0]);
            EXPECT_EQ(recs[i].second, PriRec().prgi(k & 0x1FF).addr(0x1000ull * k).dw[1]);
        }
    }
    EXPECT_FALSE(overflow());
    EXPECT_TRUE(dev.pri.empty());
}

// 3.9.1: PRI requires IDR0.PRI; without it the SMMU has no PRI queue and does nothing.
class PriqAbsent : public CmdqTest {
  protected:
    void configure(smmu_params_t &p) override {
        p.pri = false;
    }
};
TEST_F(PriqAbsent, NoPriImplementedIsUnsupported) {
    enable();
    EXPECT_EQ(r32(SMMU_IDR0) & (1u << 16), 0u);
    smmu_pri_req_t q{};
    q.last = true;
    q.read = true;
    EXPECT_EQ(smmu_pri_request(smmu, &q), SMMU_PRI_UNSUPPORTED);
    EXPECT_TRUE(dev.pri.empty());
}

// 4.5.2 / 8.3: CMD_PRI_RESP Resp 0b10, 0b01, 0b00 reach the device as Success, Invalid Request,
// Response Failure, with the PASID when SSV == 1.
TEST_F(Priq, PriRespCommandDeliversResponseCodes) {
    issue(pri_resp(9, 0x1FF, 2).ssv(true).ssid(0x12345));
    issue(pri_resp(9, 0x001, 1));
    issue(pri_resp(9, 0x002, 0));
    ASSERT_FALSE(cmdq_err());
    ASSERT_EQ(dev.pri.size(), 3u);
    EXPECT_EQ(dev.pri[0].resp, RESP_SUCCESS);
    EXPECT_TRUE(dev.pri[0].ssv);
    EXPECT_EQ(dev.pri[0].ssid, 0x12345u);
    EXPECT_EQ(dev.pri[0].grpid, 0x1FFu);
    EXPECT_EQ(dev.pri[1].resp, RESP_INVALID);
    EXPECT_FALSE(dev.pri[1].ssv);
    EXPECT_EQ(dev.pri[2].resp, RESP_FAILURE);
}

// 4.5.2: CMD_PRI_RESP is IGNORED while SMMUEN == 0.
TEST_F(Priq, PriRespIgnoredWhileSmmuDisabled) {
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    issue(pri_resp(9, 1, 2));
    EXPECT_FALSE(cmdq_err());
    EXPECT_TRUE(drained());
    EXPECT_TRUE(dev.pri.empty());
}

} // namespace
