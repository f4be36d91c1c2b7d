// SPDX-License-Identifier: Apache-2.0 OR MIT
// Stalled transactions (spec 3.12.2, 4.7.1 CMD_RESUME, 4.7.2 CMD_STALL_TERM, 5.5 S, 6.3.9.6,
// 7.2.1 stall records are never discarded).
#include "cmdq_fixture.h"

using namespace tfx;

namespace {

class Stall : public CmdqTest {
  protected:
    void SetUp() override {
        CmdqTest::SetUp();
        enable();
    }
};

// CMD_RESUME Action = 1 retries; Action = 0 terminates with an abort (Abort = 1) or RAZ/WI
// (Abort = 0); the host hears which (4.7.1).
TEST_F(Stall, ResumeReportsRetryAbortOrRazWi) {
    uint16_t a = stall_one(1, 0x1000), b = stall_one(2, 0x2000), c = stall_one(3, 0x3000);
    issue(tenc::resume(1, a, true));
    issue(tenc::resume(2, b, false, true));
    issue(tenc::resume(3, c, false, false));
    ASSERT_EQ(stall_done.size(), 3u);
    EXPECT_EQ(stall_done[0].sid, 1u);
    EXPECT_EQ(stall_done[0].stag, a);
    EXPECT_EQ(stall_done[0].outcome, SMMU_STALL_RETRY);
    EXPECT_EQ(stall_done[1].outcome, SMMU_STALL_ABORT);
    EXPECT_EQ(stall_done[2].outcome, SMMU_STALL_RAZWI);
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
}

// A RESUME whose STAG is not stalled for that StreamID is ignored (4.7.1).
TEST_F(Stall, ResumeOfWrongStreamIsIgnored) {
    uint16_t a = stall_one(1, 0x1000);
    issue(tenc::resume(2, a, true));
    EXPECT_TRUE(stall_done.empty());
    EXPECT_EQ(smmu_stalls_pending(smmu), 1u);
    EXPECT_FALSE(cmdq_err());
}

// CMD_STALL_TERM ends every stall of the StreamID with an abort, and only those (4.7.2).
TEST_F(Stall, StallTermAbortsEveryStallOfTheStream) {
    stall_one(1, 0x1000);
    stall_one(1, 0x2000);
    stall_one(2, 0x3000);
    issue(tenc::stall_term(1));
    ASSERT_EQ(stall_done.size(), 2u);
    for (auto &d : stall_done) {
        EXPECT_EQ(d.sid, 1u);
        EXPECT_EQ(d.outcome, SMMU_STALL_ABORT);
    }
    EXPECT_EQ(smmu_stalls_pending(smmu), 1u);
}

// SMMUEN 1 -> 0 terminates all stalled transactions (6.3.9.6).
TEST_F(Stall, DisablingSmmuTerminatesAllStalls) {
    stall_one(1, 0x1000);
    stall_one(2, 0x2000);
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    EXPECT_EQ(stall_done.size(), 2u);
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
}

// smmu_reset() leaves no stalled transaction (its STAGs are free again), so it terminates them
// with an abort as SMMUEN 1 -> 0 does (6.3.9.6): a holder waiting for their STAGs would wait for
// ever.
TEST_F(Stall, ResetTerminatesAllStalls) {
    stall_one(1, 0x1000);
    stall_one(2, 0x2000);
    smmu_reset(smmu);
    ASSERT_EQ(stall_done.size(), 2u);
    for (auto &d : stall_done)
        EXPECT_EQ(d.outcome, SMMU_STALL_ABORT);
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
}

// When every STAG is in use the transaction cannot stall: it is terminated and recorded
// without Stall (3.12.2, IDR5.STALL_MAX).
TEST_F(Stall, NoFreeStagTerminatesInstead) {
    params.stall_max = 1;
    create();
    enable();
    stall_one(1, 0x1000);
    events();
    put_ste(2, tenc::Ste::s2(alloc(0x1000), 0, 25, 1).s2s(true).dw);
    smmu_result_t r = xlate(2, 0x2000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_stall(ev[0]), 0u);
}

// A stall record that finds the Event queue full is not discarded: it is written once software
// makes room, with Stall = 1 and its STAG (7.2.1). A terminate record in the same state is lost
// (overflow).
TEST_F(Stall, StallRecordWaitsForRoomInFullQueue) {
    evtq_log2 = 1; // two records
    enable();
    xlate(100, 0x1000); // C_BAD_STE x2: queue full
    xlate(100, 0x1000);
    uint16_t stag = stall_one(1, 0x4000);
    EXPECT_EQ(r32(SMMU_EVENTQ_PROD) & 3u, 2u); // still full: nothing more written
    auto ev = events();                        // consumes both and writes CONS
    ASSERT_EQ(ev.size(), 2u);
    ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x10u);
    EXPECT_EQ(evt_stall(ev[0]), 1u);
    EXPECT_EQ(evt_stag(ev[0]), stag);
    EXPECT_EQ(evt_sid(ev[0]), 1u);
    EXPECT_EQ(evt_addr(ev[0]), 0x4000u);
}

// Stall records kept while the Event queue is disabled are written, oldest first, when it is
// enabled (7.2.1).
TEST_F(Stall, StallRecordsWrittenInOrderWhenQueueEnabled) {
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_SMMUEN); // EVENTQEN = 0
    uint16_t a = stall_one(1, 0x1000);
    uint16_t b = stall_one(2, 0x2000);
    EXPECT_EQ(r32(SMMU_EVENTQ_PROD), 0u);
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    auto ev = events();
    ASSERT_EQ(ev.size(), 2u);
    EXPECT_EQ(evt_stag(ev[0]), a);
    EXPECT_EQ(evt_stag(ev[1]), b);
}

// A stalled transaction terminated before its record could be written loses the record.
TEST_F(Stall, TerminatedStallDropsPendingRecord) {
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_SMMUEN);
    stall_one(1, 0x1000);
    issue(tenc::stall_term(1));
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    EXPECT_TRUE(events().empty());
}

} // namespace
