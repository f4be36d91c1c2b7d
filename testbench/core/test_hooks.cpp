// SPDX-License-Identifier: Apache-2.0 OR MIT
// What the core tells the host: invalidations (for DMI revocation), ATC invalidations and PRI
// responses towards devices (spec 4.5), CERROR_ATC_INV_SYNC (4.7.3, 7.1), and the debug
// translation that has no side effects.
#include "cmdq_fixture.h"

using namespace tfx;

namespace {

class Hooks : public CmdqTest {
  protected:
    void SetUp() override {
        CmdqTest::SetUp();
        enable();
    }
};

// Every CFGI_* and TLBI_* tells the host that translations it holds may be stale.
TEST_F(Hooks, InvalidationCommandsNotifyHost) {
    int before = dev.invalidated;
    issue(tenc::cfgi_ste(3));
    issue(tenc::tlbi_nh_asid(1, 2));
    issue(tenc::tlbi_s12_vmall(1));
    issue(tenc::cmd_sync());
    EXPECT_EQ(dev.invalidated - before, 3);
    EXPECT_FALSE(cmdq_err());
}

// SMMUEN changes and GBPA updates while disabled change what bypass translations return.
TEST_F(Hooks, SmmuenAndGbpaChangesNotifyHost) {
    int before = dev.invalidated;
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN); // SMMUEN 1 -> 0
    EXPECT_EQ(dev.invalidated - before, 1);
    w32(SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    EXPECT_EQ(dev.invalidated - before, 2);
}

// CMD_ATC_INV reaches the device with its StreamID, SubstreamID, size and the naturally
// aligned address of its 2^(12 + Size) span: Address[63:12 + Size] (4.5.1).
TEST_F(Hooks, AtcInvDeliveredToDevice) {
    issue(tenc::atc_inv(7, 0x12345000, 3).ssv(true).ssid(9));
    issue(tenc::cmd_sync());
    ASSERT_EQ(dev.atc.size(), 1u);
    EXPECT_EQ(dev.atc[0].sid, 7u);
    EXPECT_TRUE(dev.atc[0].ssv);
    EXPECT_EQ(dev.atc[0].ssid, 9u);
    EXPECT_EQ(dev.atc[0].addr, 0x12340000u); // 0x12345000 aligned to 2^15
    EXPECT_EQ(dev.atc[0].size, 3u);
    EXPECT_FALSE(dev.atc[0].global);
    EXPECT_FALSE(cmdq_err());
}

// An ATC invalidation the device does not complete makes the next CMD_SYNC stop with
// CERROR_ATC_INV_SYNC; after acknowledgement the queue goes on (4.7.3, 7.1).
TEST_F(Hooks, UncompletedAtcInvFailsNextSync) {
    dev.atc_result = 1;
    issue(tenc::atc_inv(7, 0, 0));
    uint32_t sync_pos = prod;
    issue(tenc::cmd_sync());
    expect_stopped_at(sync_pos, SMMU_CERROR_ATC_INV_SYNC);
    dev.atc_result = 0;
    ack(GERROR_CMDQ_ERR);
    // The SYNC is retried after the acknowledgement and now completes.
    EXPECT_TRUE(drained());
}

// CMD_PRI_RESP reaches the device with its group index and response (4.5.2).
TEST_F(Hooks, PriRespDeliveredToDevice) {
    issue(tenc::pri_resp(4, 0x1AB, 1).ssv(true).ssid(2));
    ASSERT_EQ(dev.pri.size(), 1u);
    EXPECT_EQ(dev.pri[0].sid, 4u);
    EXPECT_EQ(dev.pri[0].grpid, 0x1ABu);
    EXPECT_EQ(dev.pri[0].resp, 1u);
    EXPECT_TRUE(dev.pri[0].ssv);
    EXPECT_EQ(dev.pri[0].ssid, 2u);
}

// smmu_translate_dbg: the same answer, but no event, no stall and no statistics.
TEST_F(Hooks, DebugTranslationHasNoSideEffects) {
    uint64_t ttb = alloc(0x1000);
    put_ste(1, tenc::Ste::s2(ttb, 0, 25, 1).s2s(true).dw); // every access faults and stalls
    smmu_stats_t before, after;
    smmu_get_stats(smmu, &before);
    smmu_txn_t t{};
    t.sid = 1;
    t.addr = 0x1000;
    t.len = 4;
    smmu_result_t r{};
    smmu_translate_dbg(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_TRANSLATION);
    EXPECT_FALSE(r.recorded);
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
    EXPECT_TRUE(events().empty());
    smmu_get_stats(smmu, &after);
    EXPECT_EQ(memcmp(&before, &after, sizeof(before)), 0);
    put_ste(2, tenc::Ste::bypass().dw);
    t.sid = 2;
    smmu_translate_dbg(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x1000u);
}

} // namespace
