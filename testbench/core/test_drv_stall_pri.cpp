// SPDX-License-Identifier: Apache-2.0 OR MIT
// The driver's stall and PRI conveniences (<smmu/drv.h>): stalled transactions listed from the
// Event queue (Stall == 1 records, spec 3.12.2, 7.3), resumed (retry / abort) or terminated
// (CMD_RESUME 4.7.1, CMD_STALL_TERM 4.7.2), the PRI queue set up by init when IDR0.PRI (6.3.33),
// page requests consumed (chapter 8) and answered (CMD_PRI_RESP 4.5.2). Field positions checked
// here come from the spec through tenc.h, never from the core's field table.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include <smmu/drv.h>
#include <smmu/mem.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>

#include "drv_fixture.h"
#include "tenc.h"

namespace {

constexpr uint64_t VA_A = 0x10000000, VA_B = 0x10004000;
constexpr uint64_t PA_A = 0x40000000, PA_B = 0x40008000;

struct StallDone {
    uint32_t sid;
    uint16_t stag;
    int outcome;
};
struct PriResp {
    uint32_t sid, ssid;
    bool ssv;
    uint16_t grpid;
    unsigned resp;
};

class DrvFault : public tfx::DrvTest {
  protected:
    std::vector<StallDone> done;
    std::vector<PriResp> resp;

    static int rd(void *c, uint64_t pa, void *buf, size_t len, bool) {
        return smmu_mem_read(static_cast<DrvFault *>(c)->mem, pa, buf, len);
    }
    static int wr(void *c, uint64_t pa, const void *buf, size_t len, bool) {
        return smmu_mem_write(static_cast<DrvFault *>(c)->mem, pa, buf, len);
    }
    static void stall_cb(void *c, uint32_t sid, uint16_t stag, int outcome) {
        static_cast<DrvFault *>(c)->done.push_back({sid, stag, outcome});
    }
    static void pri_cb(void *c, uint32_t sid, uint32_t ssid, bool ssv, uint16_t grpid,
                       unsigned code) {
        static_cast<DrvFault *>(c)->resp.push_back({sid, ssid, ssv, grpid, code});
    }

    void host(smmu_host_t &h) override {
        h.ctx = this;
        h.mem_read = rd;
        h.mem_write = wr;
        h.stall_done = stall_cb;
        h.pri_resp = pri_cb;
    }
    smmu_domain_t *domain(uint8_t stage, uint16_t id) {
        return DrvTest::domain(stage, id, 4096, stage == 1 ? 48 : 40);
    }
    // A stage-1 stream sid with VA_A mapped and stalling faults.
    smmu_domain_t *s1_stalling(uint32_t sid, uint16_t asid) {
        smmu_domain_t *dom = domain(1, asid);
        EXPECT_EQ(smmu_drv_map(drv, dom, VA_A, PA_A, 0x1000, SMMU_PROT_R | SMMU_PROT_W), 0);
        EXPECT_EQ(smmu_drv_attach_s1(drv, sid, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        EXPECT_EQ(smmu_drv_set_stall(drv, sid, true), 0);
        return dom;
    }
    smmu_result_t xlate(uint32_t sid, uint64_t iova, unsigned access = SMMU_DRV_READ) {
        smmu_result_t r{};
        EXPECT_EQ(smmu_drv_translate(drv, sid, SMMU_DRV_NO_SSID, iova, access, &r), 0);
        return r;
    }
    std::vector<smmu_drv_event_t> stalls() {
        std::vector<smmu_drv_event_t> v(16);
        int n = smmu_drv_stalls(drv, v.data(), (unsigned)v.size());
        EXPECT_GE(n, 0);
        v.resize(n < 0 ? 0 : (size_t)n);
        return v;
    }
};

// ---------------------------------------------------------------- stalls

// The full stall cycle: a stalled read is listed (from its Stall == 1 record), the driver maps the
// page, CMD_RESUME retry reaches the holder (stall_done RETRY), and the retried translation
// succeeds (3.12.2, 4.7.1).
TEST_F(DrvFault, StallListResumeRetrySucceedsAfterDriverFixesTable) {
    smmu_domain_t *dom = s1_stalling(3, 7);
    smmu_result_t r = xlate(3, VA_B + 0x10);
    ASSERT_EQ(r.status, SMMU_STALLED);
    auto list = stalls();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_TRUE(list[0].stall);
    EXPECT_EQ(list[0].sid, 3u);
    EXPECT_EQ(list[0].stag, r.stag);
    EXPECT_EQ(list[0].type, (uint8_t)SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(list[0].addr, VA_B + 0x10);
    ASSERT_EQ(smmu_drv_map(drv, dom, VA_B, PA_B, 0x1000, SMMU_PROT_R), 0);
    ASSERT_EQ(smmu_drv_resume(drv, 3, r.stag, true), 0);
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].sid, 3u);
    EXPECT_EQ(done[0].stag, r.stag);
    EXPECT_EQ(done[0].outcome, SMMU_STALL_RETRY);
    EXPECT_TRUE(stalls().empty());
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
    r = xlate(3, VA_B + 0x10); // the holder retries
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, PA_B + 0x10);
}

// Stage 2: set_stall writes STE.S2S (bit 185, spec 5.2); resume without retry terminates with an
// abort.
TEST_F(DrvFault, Stage2StallResumeTerminateAborts) {
    smmu_domain_t *s2 = domain(2, 5);
    ASSERT_EQ(smmu_drv_attach_s2(drv, 4, s2), 0);
    ASSERT_EQ(smmu_drv_set_stall(drv, 4, true), 0);
    smmu_result_t r = xlate(4, 0x123000, SMMU_DRV_WRITE);
    ASSERT_EQ(r.status, SMMU_STALLED);
    auto list = stalls();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_TRUE(list[0].s2);
    EXPECT_FALSE(list[0].rnw);
    ASSERT_EQ(smmu_drv_resume(drv, 4, r.stag, false), 0);
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].outcome, SMMU_STALL_ABORT);
    ASSERT_EQ(smmu_drv_set_stall(drv, 4, false), 0); // back to terminate
    r = xlate(4, 0x123000);
    EXPECT_EQ(r.status, SMMU_FAULT);
}

// CMD_STALL_TERM aborts every stall of the stream and only those (4.7.2); the list follows.
TEST_F(DrvFault, StallTermAbortsEveryStallOfTheStream) {
    s1_stalling(3, 7);
    s1_stalling(6, 8);
    ASSERT_EQ(xlate(3, VA_B).status, SMMU_STALLED);
    ASSERT_EQ(xlate(3, VA_B + 0x1000).status, SMMU_STALLED);
    ASSERT_EQ(xlate(6, VA_B).status, SMMU_STALLED);
    ASSERT_EQ(stalls().size(), 3u);
    ASSERT_EQ(smmu_drv_stall_term(drv, 3), 0);
    ASSERT_EQ(done.size(), 2u);
    for (auto &d : done) {
        EXPECT_EQ(d.sid, 3u);
        EXPECT_EQ(d.outcome, SMMU_STALL_ABORT);
    }
    auto list = stalls();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].sid, 6u);
}

// Records without Stall drained by smmu_drv_stalls stay readable through smmu_drv_next_event, in
// order; a stall read by smmu_drv_next_event is listed too.
TEST_F(DrvFault, OtherEventsKeptForNextEvent) {
    s1_stalling(3, 7);
    ASSERT_EQ(smmu_drv_detach(drv, 9), 0); // V == 0: C_BAD_STE
    EXPECT_EQ(xlate(9, 0x1000).status, SMMU_FAULT);
    ASSERT_EQ(xlate(3, VA_B).status, SMMU_STALLED);
    EXPECT_EQ(xlate(9, 0x2000).status, SMMU_FAULT);
    EXPECT_EQ(stalls().size(), 1u);
    smmu_drv_event_t ev;
    ASSERT_EQ(smmu_drv_next_event(drv, &ev), 0);
    EXPECT_EQ(ev.type, (uint8_t)SMMU_EVT_C_BAD_STE);
    ASSERT_EQ(smmu_drv_next_event(drv, &ev), 0);
    EXPECT_EQ(ev.type, (uint8_t)SMMU_EVT_C_BAD_STE);
    EXPECT_EQ(smmu_drv_next_event(drv, &ev), SMMU_DRV_ENOENT);
    ASSERT_EQ(xlate(3, VA_B + 0x1000).status, SMMU_STALLED);
    ASSERT_EQ(smmu_drv_next_event(drv, &ev), 0);
    EXPECT_TRUE(ev.stall);
    EXPECT_EQ(stalls().size(), 2u);
}

// Resuming a transaction that is not listed is refused without a command.
TEST_F(DrvFault, ResumeOfUnknownStallIsEnoent) {
    EXPECT_EQ(smmu_drv_resume(drv, 3, 0, true), SMMU_DRV_ENOENT);
    EXPECT_TRUE(done.empty());
    EXPECT_EQ(smmu_drv_set_stall(drv, 12, true), SMMU_DRV_ENOENT); // not attached
}

// IDR0.STALL_MODEL == 0b01 (terminate only): the driver does not configure stalls.
class DrvFaultTerminateModel : public DrvFault {
    void configure(smmu_params_t &p) override {
        p.stall_model = SMMU_STALL_MODEL_TERMINATE;
    }
};
TEST_F(DrvFaultTerminateModel, SetStallNotSupported) {
    smmu_domain_t *dom = domain(1, 1);
    ASSERT_EQ(smmu_drv_attach_s1(drv, 1, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
    EXPECT_EQ(smmu_drv_set_stall(drv, 1, true), SMMU_DRV_ENOTSUP);
}

// 4.7.2, 7.1: CMD_STALL_TERM is ILLEGAL without the stall model: the driver reports the command
// error (CERROR_ILL), skips the command and the queue goes on.
TEST_F(DrvFaultTerminateModel, StallTermCommandErrorIsReportedAndRecovered) {
    EXPECT_EQ(smmu_drv_stall_term(drv, 1), SMMU_DRV_ECERROR);
    EXPECT_EQ(smmu_drv_cerror(drv), (unsigned)SMMU_CERROR_ILL);
    EXPECT_EQ(smmu_reg_read(smmu, SMMU_GERROR, 4), smmu_reg_read(smmu, SMMU_GERRORN, 4));
    EXPECT_EQ(smmu_drv_sync(drv), 0);
    EXPECT_EQ(smmu_drv_pri_respond(drv, 1, SMMU_DRV_NO_SSID, 4, SMMU_DRV_PRI_SUCCESS), 0);
    ASSERT_EQ(resp.size(), 1u);
    EXPECT_EQ(resp[0].grpid, 4u);
}

// ---------------------------------------------------------------- PRI

// 6.3.33, 3.11: with IDR0.PRI, init programs PRIQ_BASE (its LOG2SIZE and address) and enables
// PRIQEN.
TEST_F(DrvFault, InitSetsUpPriQueue) {
    smmu_drv_info_t in{};
    smmu_drv_info(drv, &in);
    ASSERT_TRUE(in.pri);
    uint64_t base = smmu_reg_read(smmu, SMMU_PRIQ_BASE, 8);
    EXPECT_EQ(base & 0x1F, in.priq_log2);
    EXPECT_EQ(base & 0x00FFFFFFFFFFFFE0ull, in.priq);
    EXPECT_NE(smmu_reg_read(smmu, SMMU_CR0ACK, 4) & SMMU_CR0_PRIQEN, 0u);
}

// Chapter 8, 4.5.2: a device's page request is read by the driver with its fields, the driver
// maps the page and answers the group; the device hears Success for that PRGIndex.
TEST_F(DrvFault, PriAnswerRoundTrip) {
    smmu_domain_t *dom = domain(1, 3);
    ASSERT_EQ(smmu_drv_attach_s1(drv, 2, dom, 2, SMMU_DRV_S1DSS_SSID0), 0);
    ASSERT_EQ(smmu_drv_set_pasid(drv, 2, 1, dom), 0);
    smmu_pri_req_t q{};
    q.sid = 2;
    q.ssv = true;
    q.ssid = 1;
    q.addr = VA_B + 0x80;
    q.read = q.write = true;
    q.prgi = 0x155;
    ASSERT_EQ(smmu_pri_request(smmu, &q), SMMU_PRI_QUEUED);
    q.addr = VA_A;
    q.last = true;
    ASSERT_EQ(smmu_pri_request(smmu, &q), SMMU_PRI_QUEUED);
    smmu_drv_ppr_t p;
    ASSERT_EQ(smmu_drv_next_ppr(drv, &p), 0);
    EXPECT_EQ(p.sid, 2u);
    EXPECT_TRUE(p.ssv);
    EXPECT_EQ(p.ssid, 1u);
    EXPECT_EQ(p.addr, VA_B);
    EXPECT_TRUE(p.read);
    EXPECT_TRUE(p.write);
    EXPECT_FALSE(p.last);
    EXPECT_EQ(p.prgi, 0x155u);
    ASSERT_EQ(smmu_drv_map(drv, dom, p.addr, PA_B, 0x1000, SMMU_PROT_R | SMMU_PROT_W), 0);
    ASSERT_EQ(smmu_drv_next_ppr(drv, &p), 0);
    EXPECT_TRUE(p.last);
    ASSERT_EQ(smmu_drv_map(drv, dom, p.addr, PA_A, 0x1000, SMMU_PROT_R | SMMU_PROT_W), 0);
    EXPECT_EQ(smmu_drv_next_ppr(drv, &p), SMMU_DRV_ENOENT);
    EXPECT_TRUE(resp.empty());
    ASSERT_EQ(smmu_drv_pri_respond(drv, 2, 1, 0x155, SMMU_DRV_PRI_SUCCESS), 0);
    ASSERT_EQ(resp.size(), 1u);
    EXPECT_EQ(resp[0].sid, 2u);
    EXPECT_TRUE(resp[0].ssv);
    EXPECT_EQ(resp[0].ssid, 1u);
    EXPECT_EQ(resp[0].grpid, 0x155u);
    EXPECT_EQ(resp[0].resp, (unsigned)SMMU_PRI_RESP_SUCCESS);
    smmu_result_t r{};
    ASSERT_EQ(smmu_drv_translate(drv, 2, 1, VA_B + 0x80, SMMU_DRV_WRITE, &r), 0);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, PA_B + 0x80);
}

// 4.5.2 / 8.3: InvalidRequest and ResponseFailure reach the device as such; without a SubstreamID
// no PASID is sent; Resp 0b11 does not exist.
TEST_F(DrvFault, PriRespondCodesAndNoPasid) {
    ASSERT_EQ(smmu_drv_pri_respond(drv, 5, SMMU_DRV_NO_SSID, 1, SMMU_DRV_PRI_INVALID), 0);
    ASSERT_EQ(smmu_drv_pri_respond(drv, 5, SMMU_DRV_NO_SSID, 2, SMMU_DRV_PRI_FAILURE), 0);
    EXPECT_EQ(smmu_drv_pri_respond(drv, 5, SMMU_DRV_NO_SSID, 2, 3), SMMU_DRV_EINVAL);
    ASSERT_EQ(resp.size(), 2u);
    EXPECT_FALSE(resp[0].ssv);
    EXPECT_EQ(resp[0].resp, (unsigned)SMMU_PRI_RESP_INVALID);
    EXPECT_EQ(resp[1].resp, (unsigned)SMMU_PRI_RESP_FAILURE);
}

// 8.1: the driver sees the overflow; consuming the queue acknowledges it (OVACKFLG), after which
// requests are queued again; the Last request lost in the overflow was auto-answered.
TEST_F(DrvFault, PriOverflowSeenAndAcknowledged) {
    smmu_drv_info_t in{};
    smmu_drv_info(drv, &in);
    unsigned n = 1u << in.priq_log2;
    smmu_pri_req_t q{};
    q.sid = 1;
    q.read = true;
    for (unsigned i = 0; i < n; i++)
        ASSERT_EQ(smmu_pri_request(smmu, &q), SMMU_PRI_QUEUED);
    EXPECT_FALSE(smmu_drv_pri_overflow(drv));
    q.last = true;
    q.prgi = 3;
    EXPECT_EQ(smmu_pri_request(smmu, &q), SMMU_PRI_AUTO_RESP);
    EXPECT_TRUE(smmu_drv_pri_overflow(drv));
    ASSERT_EQ(resp.size(), 1u);
    EXPECT_EQ(resp[0].resp, (unsigned)SMMU_PRI_RESP_SUCCESS);
    smmu_drv_ppr_t p;
    unsigned got = 0;
    while (smmu_drv_next_ppr(drv, &p) == 0)
        got++;
    EXPECT_EQ(got, n);
    EXPECT_FALSE(smmu_drv_pri_overflow(drv));
    EXPECT_EQ(smmu_pri_request(smmu, &q), SMMU_PRI_QUEUED);
}

// An SMMU without PRI: init does not touch the PRI queue, the PRI calls say ENOTSUP and the rest
// of the driver works.
class DrvFaultNoPri : public DrvFault {
    void configure(smmu_params_t &p) override {
        p.pri = false;
    }
};
TEST_F(DrvFaultNoPri, DriverWorksWithoutPri) {
    smmu_drv_info_t in{};
    smmu_drv_info(drv, &in);
    EXPECT_FALSE(in.pri);
    EXPECT_EQ(smmu_reg_read(smmu, SMMU_CR0ACK, 4) & SMMU_CR0_PRIQEN, 0u);
    smmu_drv_ppr_t p;
    EXPECT_EQ(smmu_drv_next_ppr(drv, &p), SMMU_DRV_ENOTSUP);
    EXPECT_EQ(smmu_drv_pri_respond(drv, 1, SMMU_DRV_NO_SSID, 0, SMMU_DRV_PRI_SUCCESS),
              SMMU_DRV_ENOTSUP);
    EXPECT_FALSE(smmu_drv_pri_overflow(drv));
    s1_stalling(3, 7);
    EXPECT_EQ(xlate(3, VA_A).status, SMMU_OK);
    EXPECT_EQ(xlate(3, VA_B).status, SMMU_STALLED);
    EXPECT_EQ(stalls().size(), 1u);
}

} // namespace
