// SPDX-License-Identifier: Apache-2.0 OR MIT
// The Command queue consumer (spec 3.5, chapter 4, 7.1) through registers and queue memory.
#include <set>
#include <vector>

#include "cmdq_fixture.h"

using namespace tfx;
using namespace tenc;

namespace {

constexpr uint64_t MSI_PA = 0x30000000;

struct Cmdq : CmdqTest {
    void SetUp() override {
        CmdqTest::SetUp();
        enable();
    }
    uint32_t mem32(uint64_t pa) {
        uint32_t v = 0;
        EXPECT_EQ(smmu_mem_read(mem, pa, &v, 4), 0);
        return v;
    }
    // Issues c alone and expects it to be CERROR_ILL with CONS stopped at it; then recovers by
    // replacing it with a CMD_SYNC and acknowledging the error (7.1).
    void expect_illegal(const Cmd &c, const char *why) {
        SCOPED_TRACE(why);
        uint32_t at = prod;
        issue(c);
        expect_stopped_at(at, SMMU_CERROR_ILL);
        put_cmd(at, cmd_sync());
        ack(GERROR_CMDQ_ERR);
        EXPECT_TRUE(drained());
    }
    void expect_accepted(const Cmd &c, const char *why) {
        SCOPED_TRACE(why);
        issue(c);
        EXPECT_TRUE(drained());
    }
};

// The commands of a fully featured SMMU, one of each opcode (4.2 - 4.7).
std::vector<std::pair<const char *, Cmd>> valid_commands() {
    return {
        {"PREFETCH_CONFIG", prefetch_config(3).ssv(true).ssid(5)},
        {"PREFETCH_ADDR", prefetch_addr(3, 0xFFFF800012345000ull).pf_size(2).pf_stride(1)},
        {"CFGI_STE", cfgi_ste(7, false)},
        {"CFGI_STE_RANGE", cfgi_ste_range(64, 5)},
        {"CFGI_ALL", cfgi_all()},
        {"CFGI_CD", cfgi_cd(7, 9)},
        {"CFGI_CD_ALL", cfgi_cd_all(7)},
        {"TLBI_NH_ALL", tlbi_nh_all(4)},
        {"TLBI_NH_ASID", tlbi_nh_asid(4, 0x1234)},
        {"TLBI_NH_VA", tlbi_nh_va(4, 0x1234, 0x7F0000001000ull)},
        {"TLBI_NH_VAA", tlbi_nh_vaa(4, 0x7F0000001000ull, false)},
        {"TLBI_EL2_ALL", tlbi_el2_all()},
        {"TLBI_EL2_ASID", tlbi_el2_asid(0x55)},
        {"TLBI_EL2_VA", tlbi_el2_va(0x55, 0x1000)},
        {"TLBI_EL2_VAA", tlbi_el2_vaa(0x2000)},
        {"TLBI_S12_VMALL", tlbi_s12_vmall(0xBEEF)},
        {"TLBI_S2_IPA", tlbi_s2_ipa(7, 0xFFFFFFFFF000ull)},
        {"TLBI_NSNH_ALL", tlbi_nsnh_all()},
        {"ATC_INV", atc_inv(3, 0x40000000, 52).ssv(true).ssid(1).global(true)},
        {"PRI_RESP", pri_resp(3, 0x1FF, 2)},
        {"RESUME", resume(3, 5, true)},
        {"STALL_TERM", stall_term(3)},
        {"SYNC", cmd_sync()},
    };
}

TEST_F(Cmdq, EachOpcodeOfEnabledFeaturesIsConsumed) {
    auto cmds = valid_commands();
    for (auto &c : cmds)
        expect_accepted(c.second, c.first);
    smmu_stats_t st;
    smmu_get_stats(smmu, &st);
    EXPECT_EQ(st.commands, cmds.size());
}

TEST_F(Cmdq, BatchOfCommandsConsumedByOneProdWrite) {
    for (auto &c : valid_commands())
        push(c.second);
    publish();
    EXPECT_TRUE(drained());
}

// Conformance note 3: every opcode that is Reserved, IMPLEMENTATION DEFINED, or belongs to a
// feature or Security state this SMMU (Non-secure queue, no DPT) lacks is CERROR_ILL. The
// default SMMU has MPAM and the VMS: CMD_CFGI_VMS_PIDM (0x07, 4.3.5) is valid.
TEST_F(Cmdq, UnknownOrUnsupportedOpcodeIsIllegal) {
    std::set<unsigned> valid = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10,
                                0x11, 0x12, 0x13, 0x20, 0x21, 0x22, 0x23, 0x28,
                                0x2A, 0x30, 0x40, 0x41, 0x44, 0x45, 0x46};
    for (unsigned op = 0; op < 256; op++) {
        if (valid.count(op)) continue;
        char why[32];
        snprintf(why, sizeof(why), "opcode 0x%02x", op);
        expect_illegal(Cmd(op), why);
    }
}

TEST_F(Cmdq, El3AndSecureCommandsAreIllegalOnNonSecureQueue) {
    expect_illegal(Cmd(OP_TLBI_EL3_ALL), "TLBI_EL3_ALL (4.4.2.5)");
    expect_illegal(Cmd(OP_TLBI_EL3_VA).addr(0x1000), "TLBI_EL3_VA (4.4.2.6)");
    expect_illegal(Cmd(OP_TLBI_S_EL2_ALL), "TLBI_S_EL2_ALL (4.4.2.11)");
    expect_illegal(Cmd(OP_TLBI_S_S12_VMALL), "TLBI_S_S12_VMALL (4.4.3.4)");
    expect_illegal(Cmd(OP_TLBI_SNH_ALL), "TLBI_SNH_ALL (4.4.4.2)");
    expect_illegal(Cmd(OP_DPTI_ALL), "DPTI_ALL without DPT (4.6.1)");
}

// Conformance note 2.
TEST_F(Cmdq, SyncWithCs3IsIllegal) {
    push(cmd_sync());
    uint32_t at = prod;
    push(cmd_sync(CS_RESERVED));
    push(cmd_sync(CS_IRQ)); // never reached
    publish();
    expect_stopped_at(at, SMMU_CERROR_ILL);
    EXPECT_EQ(r32(SMMU_GERROR) & GERROR_CMDQ_ERR, GERROR_CMDQ_ERR);
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 0);
}

// 4.1.6: SSec == 1 on the Non-secure Command queue is ILLEGAL.
TEST_F(Cmdq, SsecSetIsIllegal) {
    expect_illegal(cfgi_ste(1).ssec(true), "CFGI_STE");
    expect_illegal(cfgi_cd(1, 0).ssec(true), "CFGI_CD");
    expect_illegal(prefetch_config(1).ssec(true), "PREFETCH_CONFIG");
    expect_illegal(stall_term(1).ssec(true), "STALL_TERM");
    expect_illegal(resume(1, 0, true).ssec(true), "RESUME");
}

// 4.1.5: this SMMU checks Reserved fields.
TEST_F(Cmdq, NonZeroReservedFieldIsIllegal) {
    expect_illegal(cfgi_ste(1).f(65, 1, 1), "CFGI_STE bit 65");
    expect_illegal(cfgi_ste(1).f(8, 1, 1), "CFGI_STE bit 8");
    expect_illegal(cfgi_ste(1).ssv(true), "CFGI_STE SSV");
    expect_illegal(cfgi_ste_range(1, 3).f(69, 1, 1), "CFGI_STE_RANGE bit 69");
    expect_illegal(cfgi_cd_all(1).ssid(1), "CFGI_CD_ALL SubstreamID");
    expect_illegal(tlbi_nh_all().asid(1), "TLBI_NH_ALL ASID");
    expect_illegal(tlbi_nh_vaa(0, 0x1000).asid(1), "TLBI_NH_VAA ASID");
    expect_illegal(tlbi_el2_all().vmid(1), "TLBI_EL2_ALL VMID");
    expect_illegal(tlbi_nsnh_all().f(127, 1, 1), "TLBI_NSNH_ALL bit 127");
    expect_illegal(tlbi_s2_ipa(0, 0x1000).f(120, 1, 1), "TLBI_S2_IPA IPA bit 56");
    expect_illegal(tlbi_nh_va(0, 0, 0x1000).ttl128(true), "TLBI_NH_VA TTL128");
    expect_illegal(stall_term(1).stag(1), "STALL_TERM STAG");
    expect_illegal(pri_resp(1, 0, 0).f(80, 1, 1), "PRI_RESP bit 80");
    expect_illegal(cmd_sync().f(8, 1, 1), "SYNC bit 8");
    expect_illegal(cmd_sync().f(64, 2, 1), "SYNC bits [65:64]");
    expect_illegal(cmd_sync().f(120, 8, 0x80), "SYNC bits [127:120]");
}

// 4.2.2: Stride is RES0 in SMMUv3.0.
struct CmdqV30 : Cmdq {
    void configure(smmu_params_t &p) override {
        p.arch_minor = 0;
    }
};
TEST_F(CmdqV30, PrefetchStrideIsIllegalInSmmuV30) {
    expect_accepted(prefetch_addr(1, 0x1000).pf_size(3), "no stride");
    expect_illegal(prefetch_addr(1, 0x1000).pf_stride(1), "stride");
}

// 4.4.1.1 with IDR3.RIL == 1: TG == 0 needs NUM, SCALE, TTL zero; TG != 0 with NUM == SCALE ==
// 0 needs a TTL (16KB TTL 0b01 counts as 0 without DS); SCALE[5] and TTL128 are RES0 here.
TEST_F(Cmdq, RangeInvalidationFieldsChecked) {
    expect_accepted(tlbi_nh_va(0, 1, 0x200000).tg(1).ttl(2), "4K level 2 hint");
    expect_accepted(tlbi_nh_va(0, 1, 0x200000).tg(3).num(7).scale(3), "range");
    expect_accepted(tlbi_s2_ipa(1, 0x40000000).tg(1).num(31).scale(31), "S2 range");
    expect_accepted(tlbi_el2_vaa(0x1000).tg(2).ttl(2), "16K level 2 hint");
    expect_illegal(tlbi_nh_va(0, 1, 0x1000).tg(1), "TG without TTL or range");
    expect_illegal(tlbi_nh_vaa(0, 0x1000).num(1), "NUM with TG == 0");
    expect_illegal(tlbi_el2_va(0, 0x1000).ttl(3), "TTL with TG == 0");
    expect_illegal(tlbi_s2_ipa(0, 0x1000).scale(1), "SCALE with TG == 0");
}

// Without IDR5.DS (SMMUv3.4-LPA2 off), 16KB TTL 0b01 names no level and SCALE[5] is RES0
// (4.4.1.1): both CERROR_ILL. With DS (the default) they are legal (Tlbi52.*).
struct CmdqNoDs : Cmdq {
    void configure(smmu_params_t &p) override {
        p.lpa2 = false;
    }
};
TEST_F(CmdqNoDs, Ttl16kLevel1AndScale5IllegalWithoutDs_4_4_1_1) {
    EXPECT_EQ(r32(SMMU_IDR5) & (1u << 7), 0u); // IDR5.DS
    expect_illegal(tlbi_nh_va(0, 1, 0x4000).tg(2).ttl(1), "16K TTL 1 without DS");
    expect_illegal(tlbi_nh_va(0, 1, 0x1000).tg(1).scale(32).num(1), "SCALE[5] without DS");
}

struct CmdqNoRil : Cmdq {
    void configure(smmu_params_t &p) override {
        p.ril = false;
    }
};
TEST_F(CmdqNoRil, RangeFieldsAreReservedWithoutRil) {
    expect_accepted(tlbi_nh_va(0, 1, 0x1000), "plain VA");
    expect_illegal(tlbi_nh_va(0, 1, 0x1000).tg(1).ttl(3), "TG/TTL");
    expect_illegal(tlbi_nh_vaa(0, 0x1000).tg(1).num(1), "NUM");
    expect_illegal(tlbi_s2_ipa(0, 0x1000).tg(3).scale(1), "SCALE");
}

// An SMMUv3.1 has no RIL (4.4.1.1, 6.3.4: mandatory from v3.2, so a v3.1 leaves it out, 2.9):
// TG, TTL, NUM and SCALE are RES0 and a command with them set is ILLEGAL.
struct CmdqV3_1 : Cmdq {
    void configure(smmu_params_t &p) override {
        p.arch_minor = 1;
    }
};
TEST_F(CmdqV3_1, RangeFieldsAreIllegalBelowSmmuV3_2_4_4_1_1) {
    EXPECT_EQ(r32(SMMU_AIDR) & 0xF, 1u);
    EXPECT_EQ(r32(SMMU_IDR3) & (1u << 10), 0u); // IDR3.RIL
    expect_accepted(tlbi_nh_va(0, 1, 0x1000), "plain VA");
    expect_illegal(tlbi_nh_va(0, 1, 0x1000).tg(1).ttl(3), "TG/TTL");
    expect_illegal(tlbi_nh_vaa(0, 0x1000).tg(1).num(1), "NUM");
    expect_illegal(tlbi_s2_ipa(0, 0x1000).tg(3).scale(1), "SCALE");
}

struct CmdqStage2Only : Cmdq {
    void configure(smmu_params_t &p) override {
        p.s1 = false;
        p.cd_2lvl = false;
    }
};
// 4.3.3, 4.3.4, 4.4.2: stage 1 commands on a stage-2-only SMMU.
TEST_F(CmdqStage2Only, Stage1CommandsAreIllegal) {
    expect_illegal(cfgi_cd(1, 0), "CFGI_CD");
    expect_illegal(cfgi_cd_all(1), "CFGI_CD_ALL");
    expect_illegal(tlbi_nh_all(), "TLBI_NH_ALL");
    expect_illegal(tlbi_nh_asid(0, 1), "TLBI_NH_ASID");
    expect_illegal(tlbi_nh_va(0, 1, 0x1000), "TLBI_NH_VA");
    expect_illegal(tlbi_nh_vaa(0, 0x1000), "TLBI_NH_VAA");
    expect_illegal(tlbi_el2_all(), "TLBI_EL2_ALL: Hyp needs both stages");
    expect_accepted(tlbi_s12_vmall(1), "TLBI_S12_VMALL");
    expect_accepted(tlbi_s2_ipa(1, 0x1000), "TLBI_S2_IPA");
    expect_accepted(tlbi_nsnh_all(), "TLBI_NSNH_ALL");
    expect_accepted(cfgi_ste(1), "CFGI_STE");
}

struct CmdqStage1Only : Cmdq {
    void configure(smmu_params_t &p) override {
        p.s2 = false;
    }
};
// 4.4.3: stage 2 invalidations without stage 2; TLBI_EL2 needs IDR0.Hyp, which needs both
// stages even when the hyp parameter is set (6.3.1).
TEST_F(CmdqStage1Only, Stage2AndEl2CommandsAreIllegal) {
    EXPECT_EQ(r32(SMMU_IDR0) & (1u << 9), 0u);
    expect_illegal(tlbi_s12_vmall(1), "TLBI_S12_VMALL");
    expect_illegal(tlbi_s2_ipa(1, 0x1000), "TLBI_S2_IPA");
    expect_illegal(tlbi_el2_all(), "TLBI_EL2_ALL");
    expect_illegal(tlbi_el2_vaa(0x1000), "TLBI_EL2_VAA");
    expect_accepted(tlbi_nh_all(), "TLBI_NH_ALL");
    expect_accepted(tlbi_nsnh_all(), "TLBI_NSNH_ALL");
}

struct CmdqNoHyp : Cmdq {
    void configure(smmu_params_t &p) override {
        p.hyp = false;
    }
};
TEST_F(CmdqNoHyp, TlbiEl2WithoutHypIsIllegal) {
    expect_illegal(tlbi_el2_all(), "TLBI_EL2_ALL");
    expect_illegal(tlbi_el2_asid(1), "TLBI_EL2_ASID");
    expect_illegal(tlbi_el2_va(1, 0x1000), "TLBI_EL2_VA");
    expect_illegal(tlbi_el2_vaa(0x1000), "TLBI_EL2_VAA");
    expect_accepted(tlbi_nh_all(), "TLBI_NH_ALL");
}

struct CmdqNoAts : Cmdq {
    void configure(smmu_params_t &p) override {
        p.ats = false;
        p.pri = false;
    }
};
// 4.5.1, 4.5.2.
TEST_F(CmdqNoAts, AtcInvAndPriRespWithoutAtsAreIllegal) {
    expect_illegal(atc_inv(1, 0x1000, 0), "ATC_INV");
    expect_illegal(pri_resp(1, 0, 2), "PRI_RESP");
}

struct CmdqNoPri : Cmdq {
    void configure(smmu_params_t &p) override {
        p.pri = false;
    }
};
TEST_F(CmdqNoPri, PriRespWithoutPriIsIllegal) {
    expect_accepted(atc_inv(1, 0x1000, 0), "ATC_INV");
    expect_illegal(pri_resp(1, 0, 2), "PRI_RESP");
}

TEST_F(Cmdq, AtcInvSizeAbove52AndPriRespReservedRespAreIllegal) {
    expect_accepted(atc_inv(1, 0, 52), "size 52 (all)");
    expect_illegal(atc_inv(1, 0, 53), "size 53");
    expect_accepted(pri_resp(1, 3, 0), "ResponseFailure");
    expect_accepted(pri_resp(1, 3, 1), "InvalidRequest");
    expect_illegal(pri_resp(1, 3, 3), "Resp 0b11");
}

struct CmdqNoStall : Cmdq {
    void configure(smmu_params_t &p) override {
        p.stall_model = SMMU_STALL_MODEL_TERMINATE;
    }
};
// 4.7.1, 4.7.2: STALL_MODEL == 0b01.
TEST_F(CmdqNoStall, ResumeAndStallTermWithoutStallModelAreIllegal) {
    expect_illegal(resume(1, 0, true), "RESUME");
    expect_illegal(stall_term(1), "STALL_TERM");
}

// 4.7.1: a STAG that names no stalled transaction makes CMD_RESUME a no-op, not an error.
TEST_F(Cmdq, ResumeOfUnknownStagIsConsumed) {
    expect_accepted(resume(9, 3, false, true), "terminate");
    expect_accepted(resume(9, 3, true), "retry");
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
}

// 7.1: the erroneous command stays at CONS, later commands have no effect, and consumption
// restarts at it when software acknowledges CMDQ_ERR (no PROD write needed).
TEST_F(Cmdq, IllegalCommandStopsQueueAtItUntilAcknowledged) {
    push(cfgi_all());
    push(tlbi_nsnh_all());
    uint32_t bad = prod;
    push(Cmd(0x00));
    push(cmd_sync(CS_IRQ));
    publish();
    expect_stopped_at(bad, SMMU_CERROR_ILL);
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 0);

    // Further PROD writes and CMDQEN changes do not restart it (6.3.28).
    publish();
    set_cr0(SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    set_cr0(SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN);
    expect_stopped_at(bad, SMMU_CERROR_ILL);

    put_cmd(bad, cfgi_ste(1)); // software fixes the command, then acknowledges
    ack(GERROR_CMDQ_ERR);
    EXPECT_TRUE(drained());
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 1);
}

// 7.1: while the error is active, PROD may be moved back to CONS to drop the rest.
TEST_F(Cmdq, ProdMovedBackToConsWhileErrorActiveDropsCommands) {
    uint32_t bad = prod;
    push(Cmd(0xFF));
    push(cmd_sync(CS_IRQ));
    publish();
    expect_stopped_at(bad, SMMU_CERROR_ILL);
    prod = bad;
    publish();
    ack(GERROR_CMDQ_ERR);
    EXPECT_TRUE(drained());
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 0);
}

// 7.1, 4.1.3: an abort on the command read is CERROR_ABT and CONS does not move.
TEST_F(Cmdq, CommandReadAbortIsCerrorAbt) {
    issue(cfgi_all());
    EXPECT_TRUE(drained());
    uint32_t bad = prod;
    push(cfgi_ste(1));
    push(cmd_sync(CS_IRQ));
    ASSERT_EQ(smmu_mem_add_abort(mem, slot(bad), 16), 0);
    publish();
    expect_stopped_at(bad, SMMU_CERROR_ABT);
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 0);
    smmu_mem_clear_aborts(mem);
    ack(GERROR_CMDQ_ERR); // the command is fetched again (7.1)
    EXPECT_TRUE(drained());
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 1);
}

TEST_F(Cmdq, SyncCsNoneSignalsNothing) {
    issue(cmd_sync(CS_NONE).msiaddr(MSI_PA).msidata(0x1234));
    EXPECT_TRUE(drained());
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 0);
    EXPECT_EQ(mem32(MSI_PA), 0u);
}

// 4.7.3 SIG_IRQ: a wired CMD_SYNC interrupt, and the MSI write of MSIData to MSIAddress.
TEST_F(Cmdq, SyncCsIrqPulsesWiredLineAndWritesMsi) {
    push(cfgi_all());
    push(cmd_sync_msi(MSI_PA, 0xCAFEF00D));
    publish();
    EXPECT_TRUE(drained());
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 1);
    EXPECT_FALSE(irq.level[IRQ_CMD_SYNC]); // edge: a pulse
    EXPECT_EQ(mem32(MSI_PA), 0xCAFEF00Du);
    EXPECT_EQ(mem32(MSI_PA + 4), 0u); // a 32-bit write
}

TEST_F(Cmdq, SyncCsIrqWithZeroAddressSendsNoMsi) {
    push(cmd_sync(CS_IRQ).msidata(0x55));
    size_t pages = smmu_mem_pages(mem); // any write elsewhere would allocate a page
    publish();
    EXPECT_TRUE(drained());
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 1);
    EXPECT_EQ(smmu_mem_pages(mem), pages);
}

// 4.7.3: CMD_SYNC completion is observable in CONS when the interrupt is.
TEST_F(Cmdq, SyncConsumedBeforeItsInterrupt) {
    struct Seen {
        smmu_t *s = nullptr;
        uint32_t cons = 0;
    } seen;
    // Replace the irq callback for this test to read CONS from inside it.
    ctx.irq = &irq;
    smmu_host_t host{};
    static Seen *g = nullptr;
    g = &seen;
    host.ctx = &ctx;
    host.mem_read = rd;
    host.mem_write = wr;
    host.irq = [](void *, int line, bool level) {
        if (line == IRQ_CMD_SYNC && level)
            g->cons = (uint32_t)smmu_reg_read(g->s, SMMU_CMDQ_CONS, 4);
    };
    smmu_free(smmu);
    smmu = smmu_new(&params, &host);
    ASSERT_NE(smmu, nullptr);
    seen.s = smmu;
    prod = 0;
    enable();
    push(cfgi_all());
    push(cmd_sync(CS_IRQ));
    publish();
    EXPECT_EQ(seen.cons & 0x1FF, 2u);
    g = nullptr;
}

// 4.7.3: SIG_SEV completes like SIG_NONE as far as the registers show.
TEST_F(Cmdq, SyncCsSevCompletes) {
    issue(cmd_sync(CS_SEV));
    EXPECT_TRUE(drained());
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 0);
}

// 7.5: an aborted CMD_SYNC MSI activates MSI_CMDQ_ABT_ERR; the queue goes on.
TEST_F(Cmdq, SyncMsiAbortSetsMsiCmdqAbtErr) {
    ASSERT_EQ(smmu_mem_add_abort(mem, MSI_PA, 4), 0);
    issue(cmd_sync_msi(MSI_PA, 1));
    EXPECT_TRUE(drained());
    EXPECT_EQ(gerror_active(), GERROR_MSI_CMDQ_ABT_ERR);
    issue(cfgi_all());
    EXPECT_TRUE(drained());
}

struct CmdqNoMsi : Cmdq {
    void configure(smmu_params_t &p) override {
        p.msi = false;
    }
};
// 4.7.3: without MSIs, MSIAddress/MSIData are IGNORED; the wired line still fires.
TEST_F(CmdqNoMsi, SyncIrqWithoutMsiSupportOnlyPulsesLine) {
    issue(cmd_sync_msi(MSI_PA, 0x77));
    EXPECT_TRUE(drained());
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 1);
    EXPECT_EQ(mem32(MSI_PA), 0u);
}

// 6.3.9.3: commands are not fetched while CMDQEN == 0; enabling it consumes pending ones.
TEST_F(Cmdq, CommandsWaitForCmdqenAndRunWhenEnabled) {
    set_cr0(SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    push(cfgi_all());
    push(cmd_sync(CS_IRQ));
    publish();
    EXPECT_EQ(cons_rd(), 0u);
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 0);
    set_cr0(SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN);
    EXPECT_TRUE(drained());
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 1);
}

// The queue wraps many times; CONS keeps its wrap bit (3.5.1).
TEST_F(Cmdq, SmallQueueWrapsManyTimes) {
    set_cr0(SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    cmdq_log2 = 2;
    w64(SMMU_CMDQ_BASE, CMDQ | 2);
    prod = 0;
    w32(SMMU_CMDQ_PROD, 0);
    w32(SMMU_CMDQ_CONS, 0);
    set_cr0(SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN);
    for (int i = 0; i < 50; i++) {
        push(cfgi_ste((uint32_t)i));
        if (i % 3 == 2) publish(); // batches of three, some crossing the end of the queue
    }
    publish();
    EXPECT_TRUE(drained());
    EXPECT_EQ(cons_rd(), 50u % 8u); // 50 entries of a 4-entry queue: index 2, wrap 0
}

// Conformance note 15: a driver's bounded poll of CONS terminates (4.1.4).
TEST_F(Cmdq, BoundedPollLoopTerminates) {
    for (int i = 0; i < 200; i++)
        push(i % 2 ? tlbi_nh_asid(0, (unsigned)i) : cfgi_ste(i));
    push(cmd_sync());
    publish();
    int polls = 0;
    while (cons_rd() != (prod & 0x1FF) && !cmdq_err() && polls < 10)
        polls++;
    EXPECT_LT(polls, 10);
    EXPECT_TRUE(drained());
}

struct CmdqDeferred : Cmdq {
    void configure(smmu_params_t &p) override {
        p.defer_cmdq = true;
    }
};
// params.defer_cmdq: PROD writes only publish; smmu_cmdq_run consumes, up to max.
TEST_F(CmdqDeferred, RunConsumesUpToMaxAndStopsOnError) {
    for (int i = 0; i < 5; i++)
        push(cfgi_ste(i));
    uint32_t bad = prod;
    push(cmd_sync(CS_RESERVED));
    push(cmd_sync());
    publish();
    EXPECT_EQ(cons_rd(), 0u);
    EXPECT_EQ(smmu_cmdq_run(smmu, 2), 2u);
    EXPECT_EQ(cons_rd(), 2u);
    EXPECT_EQ(smmu_cmdq_run(smmu, 0), 3u);
    expect_stopped_at(bad, SMMU_CERROR_ILL);
    EXPECT_EQ(smmu_cmdq_run(smmu, 0), 0u);
    put_cmd(bad, cmd_sync());
    ack(GERROR_CMDQ_ERR);
    EXPECT_EQ(cons_rd(), bad); // acknowledging does not consume in deferred mode
    EXPECT_EQ(smmu_cmdq_run(smmu, 0), 2u);
    EXPECT_TRUE(drained());
}

} // namespace

namespace {

// ---------------------------------------------------------------- stalled transactions

// 4.7.1: CMD_RESUME resumes the transaction named by StreamID and STAG; a StreamID that does not
// match makes it a no-op.
TEST_F(Cmdq, ResumeReleasesTheMatchingStall) {
    uint16_t stag = stall_one(3, 0x5000);
    ASSERT_EQ(smmu_stalls_pending(smmu), 1u);
    expect_accepted(resume(4, stag, true), "other StreamID");
    EXPECT_EQ(smmu_stalls_pending(smmu), 1u);
    expect_accepted(resume(3, stag, true), "retry");
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
    uint16_t stag2 = stall_one(3, 0x6000);
    expect_accepted(resume(3, stag2, false, true), "terminate with abort");
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
}

// 4.7.2: CMD_STALL_TERM terminates every stalled transaction of its StreamID only.
TEST_F(Cmdq, StallTermTerminatesOnlyItsStream) {
    stall_one(1, 0x1000);
    stall_one(1, 0x2000);
    stall_one(2, 0x3000);
    ASSERT_EQ(smmu_stalls_pending(smmu), 3u);
    expect_accepted(stall_term(1), "STALL_TERM(1)");
    EXPECT_EQ(smmu_stalls_pending(smmu), 1u);
}

// 6.3.9.6: completing SMMUEN 1 -> 0 terminates all stalled transactions.
TEST_F(Cmdq, ClearingSmmuenTerminatesStalls) {
    stall_one(1, 0x1000);
    stall_one(2, 0x2000);
    ASSERT_EQ(smmu_stalls_pending(smmu), 2u);
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
}

} // namespace
