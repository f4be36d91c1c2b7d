// SPDX-License-Identifier: Apache-2.0 OR MIT
// The driver sanitizer (params.dsan, <smmu/dsan.h>; issue 22): each rule with a driver sequence
// that breaks it (one report with the rule, the spec section and the addresses) and the correct
// sequence (no report). Structures come from the tests' own encoders (tenc*.h), register offsets
// from the spec; the sanitizer learns of the tests' memory writes through the sparse memory's
// write observer, as a platform notifies it.
#include <cstring>
#include <string>
#include <vector>

#include <smmu/drv.h>

#include "drv_fixture.h"
#include "tenc_cmd.h"
#include "walk_fixture.h"

namespace {

using tenc::Cd;
using tenc::Cmd;
using tenc::Desc;
using tenc::Ste;
using twalk::Tree;

constexpr uint64_t VA = 0x40201000ull; // L0 0, L1 1, L2 1, L3 1
constexpr uint64_t PA1 = 0x7000000ull, PA2 = 0x7100000ull;
constexpr unsigned ASID = 1;
// Register offsets (6.2, Table 6-3).
constexpr uint64_t R_CR0 = 0x20, R_STRTAB_BASE = 0x80, R_STRTAB_BASE_CFG = 0x88, R_CMDQ_BASE = 0x90,
                   R_CMDQ_PROD = 0x98;
constexpr uint32_t CR0_SMMUEN = 1, CR0_CMDQEN = 1u << 3;

// Leaves readable and writable at EL0 and EL1 (AP[2:1] = 0b01), as the fixture's accesses are
// unprivileged.
Desc pg(uint64_t oa) {
    return Desc::page(oa).ap(0b01);
}
Desc blk(uint64_t oa) {
    return Desc::block(oa).ap(0b01);
}

class Dsan : public twalk::WalkTest {
  protected:
    uint32_t prod = 0;
    Tree t{};

    void configure(smmu_params_t &p) override {
        p.dsan.on = true;
        p.dsan.writes_notified = true;
    }
    // One command at the fixture's Command queue (2^8 entries at CMDQ), published.
    void cmd(const Cmd &c) {
        const uint64_t slot = tfx::CMDQ + 16ull * (prod & 0xFF);
        put64(slot, c.dw[0]);
        put64(slot + 8, c.dw[1]);
        prod = (prod & ~0x1FFu) | ((prod + 1) & 0x1FF);
        w32(R_CMDQ_PROD, prod);
    }
    void sync() {
        cmd(tenc::cmd_sync());
    }
    std::vector<unsigned> rules() const {
        std::vector<unsigned> v;
        for (const auto &r : dev.dsan)
            v.push_back(r.rule);
        return v;
    }
    std::string lines() const {
        std::string s;
        for (const auto &r : dev.dsan)
            s += std::string(r.line) + "\n";
        return s;
    }
    // Stage 1 on StreamID sid: a 4KB, 48-bit tree whose VA maps PA1 with a page.
    void s1_stream() {
        t = tree(12, 0, 48);
        map(t, VA, 3, pg(PA1));
        s1_only(Cd::s1(t.root, 16, tenc::TG0_4K, ASID));
        expect_ok(xlate(sid, VA), PA1);
    }
    uint64_t leaf() {
        return slot(t, VA, 3);
    }
    uint64_t ste_pa() const {
        return tfx::STRTAB + 64ull * sid;
    }
    uint64_t walked_block();
    void split(uint64_t bd);
};

// ---------------------------------------------------------------- off, switches, counts

TEST(DsanOff, OffByDefaultNothingIsReported) {
    smmu_params_t p;
    smmu_params_init(&p);
    EXPECT_FALSE(p.dsan.on);
    smmu_mem_t *m = smmu_mem_new();
    smmu_host_t h;
    smmu_mem_host(m, &h);
    smmu_t *s = smmu_new(&p, &h);
    ASSERT_NE(s, nullptr);
    EXPECT_STREQ(smmu_dsan_checks(s), "dsan off");
    smmu_reg_write(s, R_CMDQ_BASE, 0x11000800ull | 8, 8); // misaligned: not looked at
    smmu_reg_write(s, R_CR0, CR0_CMDQEN, 4);
    smmu_dsan_stats_t st;
    smmu_dsan_stats(s, &st);
    EXPECT_EQ(st.reports, 0u);
    EXPECT_FALSE(smmu_dsan_fatal(s));
    smmu_free(s);
    smmu_mem_free(m);
}

TEST_F(Dsan, CorrectBringUpAndCommandsAreSilent) {
    s1_stream();
    cmd(tenc::cfgi_ste(sid));
    cmd(tenc::cfgi_cd(sid, 0));
    cmd(tenc::tlbi_nh_asid(0, ASID));
    sync();
    EXPECT_EQ(xlate(sid, VA).pa, PA1);
    EXPECT_TRUE(dev.dsan.empty()) << lines();
    EXPECT_NE(std::string(smmu_dsan_checks(smmu)).find("BBM CFG_STALE"), std::string::npos);
}

TEST_F(Dsan, FatalOptionMarksReportsAndInstance) {
    params.dsan.fatal = true;
    create();
    enable();
    cmd(Cmd(tenc::OP_CFGI_STE).sid(sid).f(12, 1, 1)); // a RES0 bit
    ASSERT_EQ(dev.dsan.size(), 1u);
    EXPECT_TRUE(dev.dsan[0].fatal);
    EXPECT_TRUE(smmu_dsan_fatal(smmu));
}

TEST_F(Dsan, ReportsCountInTheStatisticsUntilCleared) {
    enable();
    cmd(Cmd(tenc::OP_CFGI_STE).sid(sid).f(12, 1, 1));
    smmu_dsan_stats_t st;
    smmu_dsan_stats(smmu, &st);
    EXPECT_EQ(st.reports, 1u);
    EXPECT_EQ(st.by_rule[SMMU_DSAN_CMD_RES0], 1u);
    smmu_clear_stats(smmu);
    smmu_dsan_stats(smmu, &st);
    EXPECT_EQ(st.reports, 0u);
}

// ---------------------------------------------------------------- commands (4.1)

TEST_F(Dsan, CommandWithReservedBitsIsReported_4_1_5) {
    enable();
    cmd(Cmd(tenc::OP_CFGI_STE).sid(sid).f(12, 1, 1).f(64 + 8, 1, 1));
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_CMD_RES0}) << lines();
    EXPECT_STREQ(dev.dsan[0].section, "4.1.5");
    EXPECT_EQ(dev.dsan[0].addr[0], tfx::CMDQ); // the first slot
    EXPECT_EQ(dev.dsan[0].value[0], 1ull << 12);
    EXPECT_EQ(dev.dsan[0].value[1], 1ull << 8);
    // the architectural answer is unchanged: CERROR_ILL (0x01) in CMDQ_CONS.ERR (7.1)
    EXPECT_EQ((r32(0x9C) >> 24) & 0x7F, 1u);
}

TEST_F(Dsan, IllegalCommandIsReported_4_1_3) {
    enable();
    cmd(tenc::cmd_sync(tenc::CS_RESERVED)); // ComplSignal 0b11 is ILLEGAL (4.7.3)
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_CMD_ILLEGAL}) << lines();
    EXPECT_EQ(dev.dsan[0].addr[0], tfx::CMDQ);
}

// ---------------------------------------------------------------- alignment (6.3.24, 6.3.26)

TEST_F(Dsan, MisalignedCommandQueueBaseIsReported_6_3_26) {
    // 2^8 commands of 16 bytes: the base must be 4 KiB aligned
    w64(R_CMDQ_BASE, (tfx::CMDQ + 0x800) | 8);
    w32(R_CR0, CR0_CMDQEN);
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_QUEUE_ALIGN}) << lines();
    EXPECT_STREQ(dev.dsan[0].section, "6.3.26");
    EXPECT_EQ(dev.dsan[0].addr[0], tfx::CMDQ + 0x800);
    EXPECT_EQ(dev.dsan[0].value[0], 0x1000u);
}

TEST_F(Dsan, QueueBaseAlignedToSizeIsSilent_6_3_26) {
    w64(R_CMDQ_BASE, (tfx::CMDQ + 0x1000) | 8);
    w32(R_CR0, CR0_CMDQEN);
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

TEST_F(Dsan, MisalignedLinearStreamTableBaseIsReported_6_3_24) {
    // 2^8 STEs of 64 bytes: 16 KiB alignment
    w64(R_STRTAB_BASE, tfx::STRTAB + 0x2000);
    w32(R_STRTAB_BASE_CFG, 8);
    w32(R_CR0, CR0_SMMUEN);
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_TABLE_ALIGN}) << lines();
    EXPECT_STREQ(dev.dsan[0].section, "6.3.24");
    EXPECT_EQ(dev.dsan[0].addr[0], tfx::STRTAB + 0x2000);
    EXPECT_EQ(dev.dsan[0].value[0], 0x4000u);
}

// ---------------------------------------------------------------- guarded registers (6.3.x)

TEST_F(Dsan, StreamTableBaseWrittenWhileSmmuenIsReported_6_3_24) {
    enable();
    w64(R_STRTAB_BASE, tfx::STRTAB + 0x10000);
    w32(R_STRTAB_BASE_CFG, 8);
    ASSERT_EQ(rules(), (std::vector<unsigned>{SMMU_DSAN_REG_GUARDED, SMMU_DSAN_REG_GUARDED}))
        << lines();
    EXPECT_STREQ(dev.dsan[0].section, "6.3.24");
    EXPECT_EQ(dev.dsan[0].addr[0], R_STRTAB_BASE);
    EXPECT_EQ(dev.dsan[0].value[0], tfx::STRTAB + 0x10000);
    EXPECT_STREQ(dev.dsan[1].section, "6.3.25");
    EXPECT_EQ(dev.dsan[1].addr[0], R_STRTAB_BASE_CFG);
    EXPECT_EQ(r64(R_STRTAB_BASE), tfx::STRTAB); // the write was ignored, as before
}

TEST_F(Dsan, QueueBaseWrittenWhileEnabledIsReported_6_3_26) {
    enable();
    w64(R_CMDQ_BASE, tfx::CMDQ | 7);
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_REG_GUARDED}) << lines();
    EXPECT_STREQ(dev.dsan[0].section, "6.3.26");
    EXPECT_EQ(dev.dsan[0].addr[0], R_CMDQ_BASE);
}

TEST_F(Dsan, BasesWrittenWhileDisabledAreSilent_6_3_24) {
    enable();
    w32(R_CR0, 0);
    w64(R_STRTAB_BASE, tfx::STRTAB);
    w64(R_CMDQ_BASE, tfx::CMDQ | 8);
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

TEST_F(Dsan, Cr2ChangedWhileSmmuenIsReported_6_3_12) {
    enable();
    w32(0x2C, r32(0x2C)); // CR2 rewritten with its value: nothing changes, nothing reported
    EXPECT_TRUE(dev.dsan.empty()) << lines();
    w32(0x2C, 1u << 1); // RECINVSID
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_REG_GUARDED}) << lines();
    EXPECT_STREQ(dev.dsan[0].section, "6.3.12");
    EXPECT_EQ(dev.dsan[0].addr[0], 0x2Cu);
}

TEST_F(Dsan, CmdqConsMovedWhileEnabledIsReported_6_3_28) {
    enable();
    w32(0x9C, 5);
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_REG_GUARDED}) << lines();
    EXPECT_STREQ(dev.dsan[0].section, "6.3.28");
    EXPECT_EQ(dev.dsan[0].addr[0], 0x9Cu);
}

TEST_F(Dsan, IrqCfgChangedWhileIrqEnabledIsReported_6_3_21) {
    enable();
    w64(0x68, 0x1000); // GERROR_IRQ_CFG0 while GERROR_IRQEN == 0: allowed
    w32(0x50, 1);      // IRQ_CTRL.GERROR_IRQEN
    w64(0x68, 0x2000); // now guarded
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_REG_GUARDED}) << lines();
    EXPECT_EQ(dev.dsan[0].addr[0], 0x68u);
    EXPECT_EQ(dev.dsan[0].value[0], 0x2000u);
}

// ---------------------------------------------------------------- break-before-make (3.21.1.1)

TEST_F(Dsan, ValidDescriptorReplacedWithoutBreakIsReported_3_21_1_1) {
    s1_stream();
    const uint64_t old = pg(PA1).v, nu = pg(PA2).v;
    put64(leaf(), nu);
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_BBM}) << lines();
    EXPECT_STREQ(dev.dsan[0].section, "3.21.1.1");
    EXPECT_EQ(dev.dsan[0].addr[0], leaf());
    EXPECT_EQ(dev.dsan[0].addr[1], VA & ~0xFFFull);
    EXPECT_EQ(dev.dsan[0].value[0], old);
    EXPECT_EQ(dev.dsan[0].value[1], nu);
}

TEST_F(Dsan, BreakThenTlbiSyncThenMakeIsSilent_3_21_1_1) {
    s1_stream();
    put64(leaf(), Desc::invalid().v);
    cmd(tenc::tlbi_nh_va(0, ASID, VA));
    sync();
    put64(leaf(), pg(PA2).v);
    cmd(tenc::tlbi_nh_va(0, ASID, VA));
    sync();
    expect_ok(xlate(sid, VA), PA2);
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

TEST_F(Dsan, BreakWithoutSyncBeforeMakeIsReported_3_21_1_1) {
    s1_stream();
    put64(leaf(), Desc::invalid().v);
    cmd(tenc::tlbi_nh_va(0, ASID, VA)); // not completed: no CMD_SYNC yet (3.21.1)
    put64(leaf(), pg(PA2).v);
    EXPECT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_BBM}) << lines();
}

TEST_F(Dsan, WideWriteOverTableMemoryIsChecked_3_21_1_1) {
    params.dsan.track_entries = 16; // a write of 4 KiB is wider than the tracking table
    create();
    s1_stream();
    const uint64_t page = leaf() & ~0xFFFull;
    std::vector<uint8_t> buf(0x1000);
    ASSERT_EQ(smmu_mem_read(mem, page, buf.data(), buf.size()), 0);
    const uint64_t nu = pg(PA2).v;
    std::memcpy(&buf[leaf() - page], &nu, 8);
    ASSERT_EQ(smmu_mem_write(mem, page, buf.data(), buf.size()), 0); // the table page rewritten
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_BBM}) << lines();
    EXPECT_EQ(dev.dsan[0].addr[0], leaf());
}

TEST_F(Dsan, UnmapSyncedWithoutTlbiThenUsedIsReported_3_21_1) {
    s1_stream();
    put64(leaf(), Desc::invalid().v);
    sync(); // no TLBI: the SMMU may still hold the translation
    EXPECT_TRUE(dev.dsan.empty()) << "reported at use, not at the sync";
    xlate(sid, VA);
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_TLB_STALE}) << lines();
    EXPECT_STREQ(dev.dsan[0].section, "3.21.1");
    EXPECT_EQ(dev.dsan[0].addr[0], leaf());
    EXPECT_EQ(dev.dsan[0].addr[1], VA);
    EXPECT_EQ(dev.dsan[0].value[1], 0u);
    EXPECT_EQ(dev.dsan[0].sid, sid);
}

TEST_F(Dsan, PermissionChangeSyncedWithoutTlbiThenUsedIsReported_3_21_1) {
    s1_stream();
    put64(leaf(), pg(PA1).ap(0b11).v); // read-only now
    sync();
    xlate(sid, VA, true);
    EXPECT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_TLB_STALE}) << lines();
}

TEST_F(Dsan, UnmapThenOtherAddressOrTlbiIsSilent_3_21_1) {
    s1_stream();
    put64(leaf(), Desc::invalid().v);
    sync();
    xlate(sid, VA + 0x1000); // another page: it relies on nothing that changed
    cmd(tenc::tlbi_nh_va(0, ASID, VA));
    sync();
    EXPECT_EQ(xlate(sid, VA).status, SMMU_FAULT);
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

TEST_F(Dsan, PermissionChangeNeedsNoBreak_3_21_1_1) {
    s1_stream();
    put64(leaf(), pg(PA1).ap(0b11).v); // read-only: permissions only
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

// A 2 MB block at VA's level-2 entry, walked; returns the entry's PA.
uint64_t Dsan::walked_block() {
    t = tree(12, 0, 48);
    const uint64_t bd = slot(t, VA, 2);
    put64(bd, blk(0x40000000ull).v);
    s1_only(Cd::s1(t.root, 16, tenc::TG0_4K, ASID));
    EXPECT_EQ(xlate(sid, VA).status, SMMU_OK);
    return bd;
}
// The block replaced by a table of the same pages (a change of size only, 3.21.1.1).
void Dsan::split(uint64_t bd) {
    const uint64_t l3 = alloc(0x1000);
    put64(l3 + 8 * ((VA >> 12) & 511), pg(0x40000000ull + (VA & 0x1FF000)).v);
    put64(bd, Desc::table(l3).v);
}

TEST_F(Dsan, BlockSplitWithoutBreakIsReportedAtBbml0_3_21_1_1) {
    params.bbml = 0;
    params.arch_minor = 1; // BBML 0 is an SMMUv3.1 (3.21.1.1: v3.2 needs Level 1 or 2)
    create();
    const uint64_t bd = walked_block();
    split(bd);
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_BBM}) << lines();
    EXPECT_EQ(dev.dsan[0].addr[0], bd);
}

TEST_F(Dsan, BlockSplitWithoutBreakIsLegalAtBbml2_3_21_1_3) {
    ASSERT_EQ(params.bbml, 2u);
    split(walked_block());
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

TEST_F(Dsan, BlockSplitWithoutNtIsReportedAtBbml1_3_21_1_2) {
    params.bbml = 1;
    create();
    split(walked_block());
    EXPECT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_BBM}) << lines();
}

TEST_F(Dsan, BlockSplitWithNtIsLegalAtBbml1_3_21_1_2) {
    params.bbml = 1;
    create();
    const uint64_t bd = walked_block();
    put64(bd, blk(0x40000000ull).nt(true).v); // nT: only a flag, no BBM needed
    cmd(tenc::tlbi_nh_va(0, ASID, VA, false));
    sync();
    EXPECT_EQ(xlate(sid, VA).status, SMMU_OK);
    split(bd);
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

TEST_F(Dsan, WithoutWriteNotificationTableChecksAreOff) {
    params.dsan.writes_notified = false;
    create();
    EXPECT_NE(std::string(smmu_dsan_checks(smmu)).find("off (the platform does not notify"),
              std::string::npos)
        << smmu_dsan_checks(smmu);
    s1_stream();
    put64(leaf(), pg(PA2).v);
    smmu_dsan_write(smmu, leaf(), &dev, 0, false); // nothing (len 0)
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

// ---------------------------------------------------------------- configuration (3.21.3.1)

TEST_F(Dsan, SteChangedAndSyncedWithoutCfgiIsReportedAtUse_3_21_3_1) {
    s1_stream();
    put_ste(sid, Ste::abort().dw);
    sync(); // no CMD_CFGI_STE before it
    EXPECT_TRUE(dev.dsan.empty()) << "reported at use, not at the sync";
    xlate(sid, VA);
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_CFG_STALE}) << lines();
    EXPECT_STREQ(dev.dsan[0].section, "3.21.3.1");
    EXPECT_EQ(dev.dsan[0].addr[0], ste_pa());
    EXPECT_EQ(dev.dsan[0].sid, sid);
    xlate(sid, VA);
    EXPECT_EQ(dev.dsan.size(), 1u) << "once";
}

TEST_F(Dsan, SteChangedWithCfgiAndSyncIsSilent_3_21_3_1) {
    s1_stream();
    put_ste(sid, Ste::abort().dw);
    cmd(tenc::cfgi_ste(sid));
    sync();
    EXPECT_EQ(xlate(sid, VA).status, SMMU_FAULT);
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

TEST_F(Dsan, CfgiIssuedBeforeTheWriteDoesNotCoverIt_3_21_3_1) {
    s1_stream();
    cmd(tenc::cfgi_ste(sid));
    put_ste(sid, Ste::abort().dw);
    sync();
    xlate(sid, VA);
    EXPECT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_CFG_STALE}) << lines();
}

TEST_F(Dsan, SteUsedBeforeAnySyncIsNotReported_3_21_3_1) {
    s1_stream();
    put_ste(sid, Ste::abort().dw);
    xlate(sid, VA); // the SMMU may see the old or the new STE: software relied on nothing yet
    cmd(tenc::cfgi_ste(sid));
    sync();
    xlate(sid, VA);
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

TEST_F(Dsan, HitlessSteUpdateOneDwordAtATimeIsSilent_3_21_3) {
    // Linux's hitless update: each step a valid STE, each followed by CFGI_STE + SYNC, with
    // traffic in between.
    s1_stream();
    const Ste target = Ste::bypass();
    for (int i = 7; i >= 0; i--) {
        put64(ste_pa() + 8 * i, target.dw[i]);
        cmd(tenc::cfgi_ste(sid));
        sync();
        xlate(sid, VA);
    }
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

TEST_F(Dsan, CdChangedAndSyncedWithoutCfgiIsReportedAtUse_3_21_3_1) {
    s1_stream();
    put_words(tfx::CDTAB, Cd::s1(t.root, 16, tenc::TG0_4K, ASID + 1).dw, 8);
    cmd(tenc::cfgi_ste(sid + 1)); // another stream's: does not cover it
    sync();
    xlate(sid, VA);
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_CFG_STALE}) << lines();
    EXPECT_EQ(dev.dsan[0].addr[0], tfx::CDTAB);
    EXPECT_NE(std::string(dev.dsan[0].line).find("CD at PA"), std::string::npos);
}

TEST_F(Dsan, CdChangedWithCfgiCdAndSyncIsSilent_3_21_3_1) {
    s1_stream();
    put_words(tfx::CDTAB, Cd::s1(t.root, 16, tenc::TG0_4K, ASID + 1).dw, 8);
    cmd(tenc::cfgi_cd(sid, 0));
    sync();
    xlate(sid, VA);
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

TEST_F(Dsan, SameValueRewrittenIsNotAChange_3_21_3_1) {
    s1_stream();
    put_ste(sid, Ste::s1(tfx::CDTAB).dw);
    sync();
    xlate(sid, VA);
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

// ---------------------------------------------------------------- structures (5.2, 5.4)

TEST_F(Dsan, SteWithReservedBitsIsReported_5_2) {
    Ste ste = Ste::bypass();
    ste.dw[0] |= 1ull << 57; // STE bits [58:56]: Reserved, RES0
    put_ste(sid, ste.dw);
    enable();
    EXPECT_EQ(xlate(sid, VA).status, SMMU_OK); // the model ignores them (4.1.5-like choice)
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_STRUCT_RES0}) << lines();
    EXPECT_STREQ(dev.dsan[0].section, "5.2");
    EXPECT_EQ(dev.dsan[0].addr[0], ste_pa());
    EXPECT_EQ(dev.dsan[0].value[0], 1ull << 57);
    EXPECT_EQ(dev.dsan[0].sid, sid);
}

TEST_F(Dsan, CdWithReservedBitsIsReported_5_4) {
    t = tree(12, 0, 48);
    map(t, VA, 3, pg(PA1));
    Cd cd = Cd::s1(t.root, 16, tenc::TG0_4K, ASID);
    cd.dw[7] |= 1ull << 63; // CD bits [511:496]: Reserved, RES0
    s1_only(cd);
    xlate(sid, VA);
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_STRUCT_RES0}) << lines();
    EXPECT_STREQ(dev.dsan[0].section, "5.4");
    EXPECT_EQ(dev.dsan[0].addr[0], tfx::CDTAB);
    EXPECT_EQ(dev.dsan[0].addr[1], tfx::CDTAB + 56);
}

TEST_F(Dsan, InvalidSteReservedBitsAreNotLookedAt_5_2) {
    uint64_t ste[8] = {1ull << 57}; // V == 0
    put_ste(sid, ste);
    enable();
    xlate(sid, VA);
    EXPECT_TRUE(dev.dsan.empty()) << lines();
}

// ---------------------------------------------------------------- bounded tracking

TEST_F(Dsan, FullTrackingTableReportsDegradedOnce) {
    params.dsan.track_entries = 4; // one set: STE, CD and the first two descriptors
    create();
    s1_stream();
    xlate(sid, VA + 0x1000);
    ASSERT_EQ(rules(), std::vector<unsigned>{SMMU_DSAN_DEGRADED}) << lines();
    smmu_dsan_stats_t st;
    smmu_dsan_stats(smmu, &st);
    EXPECT_EQ(st.tracked, 4u);
    EXPECT_GE(st.untracked, 2u);
}

TEST(DsanParams, TrackEntriesNotAPowerOfTwoIsRefused) {
    smmu_params_t p;
    smmu_params_init(&p);
    p.dsan.on = true;
    p.dsan.track_entries = 100;
    smmu_mem_t *m = smmu_mem_new();
    smmu_host_t h;
    smmu_mem_host(m, &h);
    EXPECT_EQ(smmu_new(&p, &h), nullptr);
    smmu_mem_free(m);
}

// ---------------------------------------------------------------- the repo's driver

class DsanDrv : public tfx::DrvTest {
  protected:
    static std::string &lines() { // the reports of the running test (host ctx is the memory)
        static std::string l;
        return l;
    }
    static void cb(void *, const smmu_dsan_report_t *r) {
        lines() += std::string(r->line) + "\n";
    }
    void configure(smmu_params_t &p) override {
        p.dsan.on = true;
        p.dsan.writes_notified = true;
    }
    void host(smmu_host_t &h) override {
        smmu_mem_host(mem, &h);
        h.dsan_report = cb;
        lines().clear();
        // the platform notifies the sanitizer from the first write the driver makes; the SMMU
        // does not exist yet: the observer is set in SetUp once it does (init tracks nothing
        // before the first fetch)
    }
    void SetUp() override {
        tfx::DrvTest::SetUp();
        smmu_mem_set_write_observer(mem, smmu_dsan_write_observer, smmu);
    }
    void TearDown() override {
        smmu_mem_set_write_observer(mem, nullptr, nullptr);
        tfx::DrvTest::TearDown();
    }
};

// c_core/drv's init, attach, map, unmap, remap, detach and domain free follow the rules.
TEST_F(DsanDrv, DriverSequencesAreSilent) {
    smmu_domain_t *dom = domain(1, 1, 4096, 48);
    ASSERT_NE(dom, nullptr);
    ASSERT_EQ(smmu_drv_attach_s1(drv, 3, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
    const uint64_t iova = 0x100000;
    for (int round = 0; round < 3; round++) {
        const uint64_t pa = 0x10000000ull + 0x200000ull * round;
        ASSERT_EQ(smmu_drv_map(drv, dom, iova, pa, 0x4000, SMMU_PROT_R | SMMU_PROT_W), 0);
        ASSERT_EQ(smmu_drv_map(drv, dom, 0x40000000, 0x40000000ull + 0x200000ull * round, 0x200000,
                               SMMU_PROT_R | SMMU_PROT_W),
                  0); // a block
        smmu_result_t r{};
        ASSERT_EQ(smmu_drv_translate(drv, 3, SMMU_DRV_NO_SSID, iova + 0x1000, SMMU_DRV_READ, &r),
                  0);
        EXPECT_EQ(r.pa, pa + 0x1000);
        ASSERT_EQ(smmu_drv_translate(drv, 3, SMMU_DRV_NO_SSID, 0x40001000, SMMU_DRV_READ, &r), 0);
        smmu_dsan_stats_t st;
        smmu_dsan_stats(smmu, &st);
        EXPECT_GE(st.tracked, 5u) << "the sanitizer saw the STE, the CD and the descriptors";
        ASSERT_EQ(smmu_drv_unmap(drv, dom, iova, 0x4000), 0);
        ASSERT_EQ(smmu_drv_unmap(drv, dom, 0x40000000, 0x200000), 0);
    }
    ASSERT_EQ(smmu_drv_attach_bypass(drv, 3), 0);
    smmu_result_t r{};
    ASSERT_EQ(smmu_drv_translate(drv, 3, SMMU_DRV_NO_SSID, iova, SMMU_DRV_READ, &r), 0);
    ASSERT_EQ(smmu_drv_detach(drv, 3), 0);
    smmu_drv_domain_free(drv, dom);
    smmu_dsan_stats_t st;
    smmu_dsan_stats(smmu, &st);
    EXPECT_EQ(st.reports, 0u) << lines();
}

} // namespace
