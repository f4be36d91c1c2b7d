// SPDX-License-Identifier: Apache-2.0 OR MIT
// Open choices (issue 22, <smmu/choice.h>, docs/choices.md): each settable choice in each of its
// behaviours, the profiles (default, strict, lenient, random), the settings text, and the check
// of docs/choices.md against the core's catalogue and the tests that exist.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cmdq_fixture.h"
#include "drv_fixture.h"

using namespace tfx;
using namespace tenc;

namespace {

// A command queue rig whose choices come from a settings text (smmu_choices_parse).
class Choice : public CmdqTest {
  protected:
    std::string settings;
    void configure(smmu_params_t &p) override {
        char err[128] = "";
        ASSERT_EQ(smmu_choices_parse(&p.choices, settings.c_str(), err, sizeof err), 0) << err;
    }
    // Re-creates the SMMU with these settings (params changed by tweak before), not enabled.
    void recreate(const std::string &text, void (*tweak)(smmu_params_t &) = nullptr) {
        settings = text;
        smmu_params_init(&params);
        configure(params);
        if (tweak) tweak(params);
        create();
        prod = 0;
    }
    // Re-creates the SMMU with these settings and enables it.
    void with(const std::string &text) {
        recreate(text);
        enable();
    }
    void SetUp() override {
        CmdqTest::SetUp();
        enable();
    }
};

// A CMD_SYNC with SIG_IRQ and Reserved bit 8 set: its interrupt shows it was carried out.
Cmd sync_with_res0() {
    return cmd_sync(CS_IRQ).f(8, 1, 1);
}

// ---------------------------------------------------------------- cmd_res0 (4.1.5)

// 4.1.5: behaviour "ill": a non-zero Reserved field is a malformed command, CERROR_ILL.
TEST_F(Choice, CmdRes0IllStopsTheQueue_4_1_5) {
    with("cmd_res0=ill");
    issue(sync_with_res0());
    expect_stopped_at(0, SMMU_CERROR_ILL);
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 0);
}

// 4.1.5: behaviour "ignore": the Reserved fields are ignored entirely; the command is carried
// out (the CMD_SYNC interrupt, a CFGI_STE's invalidation with its own StreamID).
TEST_F(Choice, CmdRes0IgnoreCarriesTheCommandOut_4_1_5) {
    with("cmd_res0=ignore");
    issue(sync_with_res0());
    EXPECT_TRUE(drained());
    EXPECT_EQ(irq.edges[IRQ_CMD_SYNC], 1);
    dev.scopes.clear();
    issue(cfgi_ste(7).f(65, 1, 1)); // bit 65: Reserved in CMD_CFGI_STE (4.3.1)
    EXPECT_TRUE(drained());
    ASSERT_EQ(dev.scopes.size(), 1u);
    EXPECT_EQ(dev.scopes[0].sid_lo, 7u);
    EXPECT_EQ(dev.scopes[0].sid_hi, 7u);
    // an illegal parameter (not a Reserved field) stays illegal: CMD_SYNC ComplSignal 0b11
    issue(cmd_sync(CS_RESERVED));
    EXPECT_TRUE(cmdq_err());
    EXPECT_EQ(cerror(), SMMU_CERROR_ILL);
}

// ---------------------------------------------------------------- queue_base_align (6.3.26)

// The driver bug of issue 22: a 2^13-entry Command queue (128 KiB) at a base aligned to 64 KiB
// only. Returns true when a CMD_SYNC written at the base as the driver wrote it is consumed.
class QueueBase : public Choice {
  protected:
    bool sync_at_misaligned_base(const std::string &text) {
        recreate(text);
        const uint64_t base = 0x11010000; // 64 KiB aligned, not 128 KiB
        set_cr0(0);
        w64(SMMU_STRTAB_BASE, STRTAB);
        w32(SMMU_STRTAB_BASE_CFG, sid_bits);
        w64(SMMU_CMDQ_BASE, base | 13);
        w32(SMMU_CMDQ_PROD, 0);
        w32(SMMU_CMDQ_CONS, 0);
        set_cr0(SMMU_CR0_CMDQEN);
        Cmd c = cmd_sync(CS_IRQ);
        put64(base, c.dw[0]);
        put64(base + 8, c.dw[1]);
        w32(SMMU_CMDQ_PROD, 1);
        const bool ok = (r32(SMMU_CMDQ_CONS) & 0x3FFF) == 1 && !cmdq_err();
        return ok && irq.edges[IRQ_CMD_SYNC] == 1;
    }
};

// 6.3.26: behaviour "align": the SMMU aligns the effective base to the queue size (128 KiB), so
// it reads the entry at 0x11000000 (zeros: opcode 0 is Reserved, CERROR_ILL), not the driver's.
TEST_F(QueueBase, AlignIgnoresBaseBitsBelowQueueSize_6_3_26) {
    EXPECT_FALSE(sync_at_misaligned_base("queue_base_align=align"));
    EXPECT_TRUE(cmdq_err());
    EXPECT_EQ(cerror(), SMMU_CERROR_ILL);
}

// 6.3.26 (model-only tolerance): behaviour "as_written": the base is used as written.
TEST_F(QueueBase, AsWrittenUsesTheBaseAsProgrammed_6_3_26) {
    EXPECT_TRUE(sync_at_misaligned_base("queue_base_align=as_written"));
}

// 6.3.29: the Event queue too: an event goes where the base says (as_written) or to the aligned
// base (align). 2^10 records of 32 bytes (32 KiB) at a base aligned to 16 KiB only.
TEST_F(QueueBase, EventQueueBaseAlignedOrAsWritten_6_3_29) {
    for (int as_written = 0; as_written < 2; as_written++) {
        // IDR1.EVENTQS 10: LOG2SIZE 10 is not capped
        recreate(as_written ? "queue_base_align=as_written" : "",
                 [](smmu_params_t &p) { p.eventq_log2 = 10; });
        const uint64_t base = 0x12004000;
        put64(base, 0); // memory outlives the instance: clean after the previous round
        put64(0x12000000, 0);
        set_cr0(0);
        w64(SMMU_STRTAB_BASE, STRTAB);
        w32(SMMU_STRTAB_BASE_CFG, sid_bits);
        w64(SMMU_EVENTQ_BASE, base | 10);
        w32(SMMU_EVENTQ_PROD, 0);
        w32(SMMU_EVENTQ_CONS, 0);
        set_cr0(SMMU_CR0_EVENTQEN);
        set_cr0(SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
        put_ste(3, Ste::abort().dw); // STE.V == 1, Config abort: no event; V == 0: C_BAD_STE
        std::vector<uint64_t> zero(8, 0);
        put_ste(4, zero.data());
        xlate(4, 0x1000);
        const uint64_t at = as_written ? base : 0x12000000;
        const uint64_t other = as_written ? 0x12000000 : base;
        EXPECT_EQ(get64(at) & 0xFF, 0x04u) << "C_BAD_STE at the base in use, as_written "
                                           << as_written; // event number 0x04 (7.3.5)
        EXPECT_EQ(get64(other), 0u) << "as_written " << as_written;
    }
}

// ---------------------------------------------------------------- strtab_base_align (6.3.24)

// A linear Stream table of 2^8 STEs (16 KiB) at a base aligned to 4 KiB only, with a bypass STE
// for StreamID 5 where the driver put it (base + 5 * 64). Returns the translation's status.
class StrtabBase : public Choice {
  protected:
    smmu_status_t sid5_through_misaligned_table(const std::string &text) {
        recreate(text);
        const uint64_t base = STRTAB + 0x1000;
        std::vector<uint64_t> zero(8, 0);
        put_words(STRTAB + 5 * 64, zero.data(), 8); // the aligned table's STE 5: V == 0
        put_words(base + 5 * 64, Ste::bypass().dw, 8);
        set_cr0(0);
        w64(SMMU_STRTAB_BASE, base);
        w32(SMMU_STRTAB_BASE_CFG, 8); // FMT linear, LOG2SIZE 8
        set_cr0(SMMU_CR0_SMMUEN);
        return xlate(5, 0x1000).status;
    }
};

// 6.3.24: behaviour "align": the effective base is aligned to the table size, so StreamID 5's
// STE is read from STRTAB + 5 * 64 (V == 0: C_BAD_STE, the access faults).
TEST_F(StrtabBase, AlignIgnoresBaseBitsBelowTableSize_6_3_24) {
    EXPECT_EQ(sid5_through_misaligned_table("strtab_base_align=align"), SMMU_FAULT);
}

// 6.3.24 (model-only tolerance): behaviour "as_written": the base is used as programmed.
TEST_F(StrtabBase, AsWrittenUsesTheBaseAsProgrammed_6_3_24) {
    EXPECT_EQ(sid5_through_misaligned_table("strtab_base_align=as_written"), SMMU_OK);
    EXPECT_EQ(sid5_through_misaligned_table("profile=lenient"), SMMU_OK);
    EXPECT_EQ(sid5_through_misaligned_table("profile=random,seed=3"), SMMU_FAULT);
}

// ---------------------------------------------------------------- reg64_pair (6.2)

// 6.2: behaviour "split": a 64-bit access to IRQ_CTRL / IRQ_CTRLACK (0x50, 0x54) acts as two
// 32-bit accesses: the write reaches IRQ_CTRL, the read returns both.
TEST_F(Choice, Reg64PairSplitActsAsTwo32BitAccesses_6_2) {
    with("reg64_pair=split");
    w64(SMMU_IRQ_CTRL, 0x5);
    EXPECT_EQ(r32(SMMU_IRQ_CTRL), 0x5u);
    EXPECT_EQ(r64(SMMU_IRQ_CTRL), 0x0000000500000005ull);
}

// 6.2: behaviour "razwi": the same access is RAZ/WI.
TEST_F(Choice, Reg64PairRazWi_6_2) {
    with("reg64_pair=razwi");
    w64(SMMU_IRQ_CTRL, 0x5);
    EXPECT_EQ(r32(SMMU_IRQ_CTRL), 0u);
    w32(SMMU_IRQ_CTRL, 0x5);
    EXPECT_EQ(r64(SMMU_IRQ_CTRL), 0u);
    EXPECT_EQ(r64(SMMU_CMDQ_BASE) & 0x1F, 8u); // a 64-bit register still reads as one
}

// ---------------------------------------------------------------- page0_alias (6.2)

// 6.2: behaviour "razwi": EVENTQ_CONS's Page 0 equivalent (0xAC) is RAZ/WI.
TEST_F(Choice, Page0EquivalentOfPage1RegisterIsRazWi_6_2) {
    with("page0_alias=razwi");
    w32(0xAC, 3);
    EXPECT_EQ(r32(SMMU_EVENTQ_CONS), 0u);
    w32(SMMU_EVENTQ_CONS, 2);
    EXPECT_EQ(r32(0xAC), 0u);
}

// 6.2: behaviour "alias": 0xAC reaches EVENTQ_CONS (Page 1 0xAC), both ways.
TEST_F(Choice, Page0EquivalentAliasesThePage1Register_6_2) {
    with("page0_alias=alias");
    w32(0xAC, 3);
    EXPECT_EQ(r32(SMMU_EVENTQ_CONS), 3u);
    w32(SMMU_EVENTQ_CONS, 2);
    EXPECT_EQ(r32(0xAC), 2u);
    EXPECT_EQ(r32(0xA8), r32(SMMU_EVENTQ_PROD));
}

// ---------------------------------------------------------------- page1_reserved (6.2)

// 6.2: behaviour "res0": Page 1's undefined locations (here the Page 1 offsets of IDR0 and
// IRQ_CTRL) read as zero and ignore writes.
TEST_F(Choice, Page1UndefinedLocationIsRes0_6_2) {
    with("page1_reserved=res0");
    EXPECT_EQ(r32(SMMU_PAGE1 + SMMU_IDR0), 0u);
    w32(SMMU_PAGE1 + SMMU_IRQ_CTRL, 0x5);
    EXPECT_EQ(r32(SMMU_IRQ_CTRL), 0u);
}

// 6.2: behaviour "alias": they act as the same offsets of Page 0; a Non-secure access still
// reaches no Secure register through the alias (SMMU_S_IDR1 at 0x8004: RAZ).
TEST_F(Choice, Page1UndefinedLocationAliasesPage0_6_2) {
    with("page1_reserved=alias");
    EXPECT_EQ(r32(SMMU_PAGE1 + SMMU_IDR0), r32(SMMU_IDR0));
    EXPECT_NE(r32(SMMU_IDR0), 0u);
    w32(SMMU_PAGE1 + SMMU_IRQ_CTRL, 0x5);
    EXPECT_EQ(r32(SMMU_IRQ_CTRL), 0x5u);
    EXPECT_EQ(r32(SMMU_PAGE1 + 0x8004), 0u);
    EXPECT_NE(smmu_reg_read_sec(smmu, 0x8004, 4, true), 0u);
}

// ---------------------------------------------------------------- gerrorn_inactive (6.3.20)

// 6.3.20: behaviour "activate": toggling GERRORN.CMDQ_ERR while it is inactive makes it read as
// active (GERROR != GERRORN), without an interrupt; the queue then stops consuming (7.1).
TEST_F(Choice, GerrornToggleOfInactiveErrorActivates_6_3_20) {
    with("gerrorn_inactive=activate");
    w32(SMMU_GERRORN, GERROR_CMDQ_ERR);
    EXPECT_TRUE(cmdq_err());
    EXPECT_EQ(irq.edges[IRQ_GERROR], 0);
}

// 6.3.20: behaviour "ignore": the toggle of an inactive error is ignored.
TEST_F(Choice, GerrornToggleOfInactiveErrorIgnored_6_3_20) {
    with("gerrorn_inactive=ignore");
    w32(SMMU_GERRORN, GERROR_CMDQ_ERR);
    EXPECT_EQ(r32(SMMU_GERRORN), 0u);
    EXPECT_FALSE(cmdq_err());
    // an active error is still acknowledged (7.5): raise CMDQ_ERR, mend the command, ack
    const uint32_t at = prod;
    issue(cmd_sync(CS_RESERVED));
    ASSERT_TRUE(cmdq_err());
    put_cmd(at, cmd_sync());
    ack(GERROR_CMDQ_ERR);
    EXPECT_TRUE(drained());
}

// ---------------------------------------------------------------- ats_ssv_no_pasid (4.5)

class AtsNoPasid : public Choice {
  protected:
    void configure(smmu_params_t &p) override {
        Choice::configure(p);
        p.ssidsize = 0; // no SubstreamIDs: SSV must be 0 in ATC_INV and PRI_RESP (4.5.1, 4.5.2)
    }
};

// 4.5.1, 4.5.2: behaviour "as_ssv0": the command acts as though SSV == 0.
TEST_F(AtsNoPasid, SsvActsAsZero_4_5_1) {
    with("ats_ssv_no_pasid=as_ssv0");
    issue(atc_inv(5, 0x40000000, 0).ssv(true).ssid(3));
    issue(pri_resp(5, 1, 2).ssv(true).ssid(3));
    EXPECT_TRUE(drained());
    ASSERT_EQ(dev.atc.size(), 1u);
    EXPECT_FALSE(dev.atc[0].ssv);
    EXPECT_EQ(dev.atc[0].sid, 5u);
    ASSERT_EQ(dev.pri.size(), 1u);
    EXPECT_FALSE(dev.pri[0].ssv);
}

// 4.5.1, 4.5.2: behaviour "no_effect": the commands have no effect (and SSV == 0 still does).
TEST_F(AtsNoPasid, SsvHasNoEffect_4_5_1) {
    with("ats_ssv_no_pasid=no_effect");
    issue(atc_inv(5, 0x40000000, 0).ssv(true).ssid(3));
    issue(pri_resp(5, 1, 2).ssv(true).ssid(3));
    EXPECT_TRUE(drained());
    EXPECT_EQ(dev.atc.size(), 0u);
    EXPECT_EQ(dev.pri.size(), 0u);
    issue(atc_inv(5, 0x40000000, 0));
    EXPECT_EQ(dev.atc.size(), 1u);
}

// ---------------------------------------------------------------- cfgi_out_of_range (4.1.7)

class CfgiRange : public Choice {
  protected:
    void configure(smmu_params_t &p) override {
        Choice::configure(p);
        p.sidsize = 8; // StreamIDs 0 - 255
    }
    // STE 5 cached, then CMD_CFGI_STE of StreamID 0x105 (bit 8 beyond SIDSIZE): is it still?
    bool still_cached_after_out_of_range_cfgi() {
        put_ste(5, Ste::bypass().dw);
        EXPECT_EQ(xlate(5, 0x1000).status, SMMU_OK);
        EXPECT_TRUE(xlate(5, 0x1000).cfg_hit);
        issue(cfgi_ste(0x105));
        issue(cmd_sync());
        EXPECT_TRUE(drained());
        return xlate(5, 0x1000).cfg_hit;
    }
};

// 4.1.7: behaviour "no_effect": the out-of-range StreamID invalidates nothing.
TEST_F(CfgiRange, OutOfRangeStreamIdHasNoEffect_4_1_7) {
    with("cfgi_out_of_range=no_effect");
    EXPECT_TRUE(still_cached_after_out_of_range_cfgi());
}

// 4.1.7 note: behaviour "truncate": the StreamID is truncated to SIDSIZE bits (0x105 -> 5).
TEST_F(CfgiRange, OutOfRangeStreamIdIsTruncated_4_1_7) {
    with("cfgi_out_of_range=truncate");
    EXPECT_FALSE(still_cached_after_out_of_range_cfgi());
}

// ---------------------------------------------------------------- tlbi_out_of_range (4.1.7)

// 8-bit ASIDs (IDR0.ASID16 == 0): a stage-1 stream of ASID 1 with its translation in the TLB,
// then CMD_TLBI_NH_ASID with ASID 0x101 (bit 8 beyond the implemented ASID). Is it still there?
class TlbiRange : public DrvTest {
  protected:
    std::string text;
    void configure(smmu_params_t &p) override {
        p.asid16 = false;
        ASSERT_EQ(smmu_choices_parse(&p.choices, text.c_str(), nullptr, 0), 0);
    }
    bool hit(uint64_t va) {
        smmu_txn_t t{};
        t.sid = 3;
        t.addr = va;
        t.len = 4;
        smmu_result_t r{};
        smmu_translate(smmu, &t, &r);
        EXPECT_EQ(r.status, SMMU_OK);
        return r.tlb_hit;
    }
    bool still_cached_after_out_of_range_tlbi() {
        smmu_domain_t *dom = domain(1, 1, 4096, 48);
        EXPECT_EQ(smmu_drv_map(drv, dom, 0x10000, 0x40000000, 0x1000, SMMU_PROT_R), 0);
        EXPECT_EQ(smmu_drv_attach_s1(drv, 3, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
        hit(0x10000);
        EXPECT_TRUE(hit(0x10000));
        EXPECT_EQ(smmu_drv_cmd(drv, tenc::tlbi_nh_asid(0, 0x101).dw), 0);
        EXPECT_EQ(smmu_drv_sync(drv), 0);
        return hit(0x10000);
    }
};
struct TlbiRangeNoEffect : TlbiRange {
    TlbiRangeNoEffect() {
        text = "tlbi_out_of_range=no_effect";
    }
};
struct TlbiRangeTruncate : TlbiRange {
    TlbiRangeTruncate() {
        text = "tlbi_out_of_range=truncate";
    }
};

// 4.1.7, 4.4.2: behaviour "no_effect": ASID 0x101 is used as given and matches nothing.
TEST_F(TlbiRangeNoEffect, AsidAbove8BitsHasNoEffect_4_1_7) {
    EXPECT_TRUE(still_cached_after_out_of_range_tlbi());
}

// 4.1.7 note: behaviour "truncate": ASID 0x101 acts as ASID 1.
TEST_F(TlbiRangeTruncate, AsidAbove8BitsIsTruncated_4_1_7) {
    EXPECT_FALSE(still_cached_after_out_of_range_tlbi());
}

// ---------------------------------------------------------------- profiles

// Every choice has a behaviour under each fixed profile; default is behaviour 0 (the model as it
// was), strict checks RES0 fields and honours alignment, lenient ignores RES0 and tolerates.
TEST(ChoiceProfiles, FixedProfilesHaveABehaviourForEveryChoice) {
    ASSERT_EQ(smmu_choice_count(), (unsigned)SMMU_CHOICE_COUNT);
    for (unsigned id = 0; id < smmu_choice_count(); id++) {
        EXPECT_EQ(smmu_choice_profile_behaviour(SMMU_PROFILE_DEFAULT, id), 0) << id;
        for (unsigned p : {SMMU_PROFILE_STRICT, SMMU_PROFILE_LENIENT}) {
            int b = smmu_choice_profile_behaviour(p, id);
            EXPECT_GE(b, 0);
            EXPECT_LT(b, (int)smmu_choice_behaviours(id));
        }
        EXPECT_EQ(smmu_choice_profile_behaviour(SMMU_PROFILE_RANDOM, id), -1);
    }
    EXPECT_EQ(smmu_choice_profile_behaviour(SMMU_PROFILE_STRICT, SMMU_CHOICE_CMD_RES0),
              SMMU_CMD_RES0_ILL);
    EXPECT_EQ(smmu_choice_profile_behaviour(SMMU_PROFILE_LENIENT, SMMU_CHOICE_CMD_RES0),
              SMMU_CMD_RES0_IGNORE);
    EXPECT_EQ(smmu_choice_profile_behaviour(SMMU_PROFILE_STRICT, SMMU_CHOICE_QUEUE_BASE_ALIGN),
              SMMU_QUEUE_BASE_ALIGN);
    EXPECT_EQ(smmu_choice_profile_behaviour(SMMU_PROFILE_LENIENT, SMMU_CHOICE_QUEUE_BASE_ALIGN),
              SMMU_QUEUE_BASE_AS_WRITTEN);
}

// The profiles act in an instance, and a per-choice override beats the profile.
TEST_F(Choice, ProfileSelectsAndOverrideWins) {
    with("profile=lenient");
    issue(sync_with_res0());
    EXPECT_TRUE(drained());
    with("profile=strict");
    issue(sync_with_res0());
    EXPECT_TRUE(cmdq_err());
    w64(SMMU_IRQ_CTRL, 0x5);
    EXPECT_EQ(r32(SMMU_IRQ_CTRL), 0u); // strict: reg64_pair razwi
    with("profile=strict,cmd_res0=ignore");
    issue(sync_with_res0());
    EXPECT_TRUE(drained());
    with("profile=lenient;cmd_res0:ill");
    issue(sync_with_res0());
    EXPECT_TRUE(cmdq_err());
}

// random: each command with a Reserved bit set draws ill or ignore; the sequence of draws is a
// function of the seed alone (two instances agree; a reset restarts it), both behaviours occur,
// and another seed gives another sequence.
class RandomProfile : public Choice {
  protected:
    std::string outcomes(int n) {
        std::string out;
        for (int i = 0; i < n; i++) {
            issue(sync_with_res0());
            if (cmdq_err()) { // skip the command, as a driver would, and go on
                out += 'I';
                w32(SMMU_CMDQ_CONS, 0); // not writable while enabled: re-enable below
                set_cr0(SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
                ack(GERROR_CMDQ_ERR);
                w32(SMMU_CMDQ_CONS, prod);
                set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
            } else {
                out += '.';
            }
        }
        return out;
    }
};

TEST_F(RandomProfile, DrawsAreReproducibleFromTheSeed) {
    with("profile=random,seed=42");
    const std::string a = outcomes(64);
    with("profile=random,seed=42");
    EXPECT_EQ(outcomes(64), a);
    EXPECT_NE(a.find('I'), std::string::npos);
    EXPECT_NE(a.find('.'), std::string::npos);
    smmu_reset(smmu);
    prod = 0;
    enable();
    EXPECT_EQ(outcomes(64), a);
    with("profile=random,seed=43");
    EXPECT_NE(outcomes(64), a);
}

// random never draws a model-only tolerance: queue bases stay aligned.
TEST_F(QueueBase, RandomProfileKeepsArchitectedAlignment_6_3_26) {
    for (unsigned seed = 1; seed <= 8; seed++) {
        EXPECT_FALSE(sync_at_misaligned_base("profile=random,seed=" + std::to_string(seed)));
    }
}

// A driver that follows the rules (c_core/drv: aligned bases, RES0 fields zero, 32-bit accesses
// to 32-bit registers) works the same under every profile: init, map, translate, unmap with
// its invalidations, fault.
class ConformingDriver : public DrvTest, public ::testing::WithParamInterface<const char *> {
  protected:
    void configure(smmu_params_t &p) override {
        char err[128] = "";
        ASSERT_EQ(smmu_choices_parse(&p.choices, GetParam(), err, sizeof err), 0) << err;
    }
    smmu_result_t xlate(uint32_t sid, uint64_t va) {
        smmu_txn_t t{};
        t.sid = sid;
        t.addr = va;
        t.len = 4;
        smmu_result_t r{};
        smmu_translate(smmu, &t, &r);
        return r;
    }
};

TEST_P(ConformingDriver, WorksUnderEveryProfile) {
    smmu_domain_t *dom = domain(1, 1, 4096, 48);
    ASSERT_NE(dom, nullptr);
    ASSERT_EQ(smmu_drv_map(drv, dom, 0x10000, 0x40000000, 0x2000, SMMU_PROT_R | SMMU_PROT_W), 0);
    ASSERT_EQ(smmu_drv_attach_s1(drv, 3, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
    smmu_result_t r = xlate(3, 0x11004);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x40001004u);
    ASSERT_EQ(smmu_drv_unmap(drv, dom, 0x10000, 0x2000), 0);
    EXPECT_EQ(xlate(3, 0x11004).status, SMMU_FAULT);
    EXPECT_EQ(smmu_reg_read(smmu, SMMU_GERROR, 4), smmu_reg_read(smmu, SMMU_GERRORN, 4));
}

INSTANTIATE_TEST_SUITE_P(Profiles, ConformingDriver,
                         ::testing::Values("profile=default", "profile=strict", "profile=lenient",
                                           "profile=random,seed=1", "profile=random,seed=2",
                                           "profile=random,seed=3"));

// ---------------------------------------------------------------- settings text and checks

TEST(ChoiceSettings, ParseNamesProfilesSeedAndOverrides) {
    smmu_choices_t c{};
    char err[128];
    ASSERT_EQ(smmu_choices_parse(&c, "profile=random seed=0x10,cmd_res0=ignore", err, sizeof err),
              0)
        << err;
    EXPECT_EQ(c.profile, SMMU_PROFILE_RANDOM);
    EXPECT_EQ(c.seed, 16u);
    EXPECT_EQ(c.set[SMMU_CHOICE_CMD_RES0], 1 + SMMU_CMD_RES0_IGNORE);
    ASSERT_EQ(smmu_choices_parse(&c, "cmd_res0=profile", err, sizeof err), 0);
    EXPECT_EQ(c.set[SMMU_CHOICE_CMD_RES0], SMMU_CHOICE_FROM_PROFILE);
    EXPECT_EQ(smmu_choices_parse(&c, "cmd_res0=maybe", err, sizeof err), -1);
    EXPECT_NE(std::strstr(err, "maybe"), nullptr);
    EXPECT_EQ(smmu_choices_parse(&c, "no_such_choice=ill", err, sizeof err), -1);
    EXPECT_EQ(smmu_choices_parse(&c, "profile=paranoid", err, sizeof err), -1);
    EXPECT_EQ(smmu_choices_parse(&c, "seed=12x", err, sizeof err), -1);
    EXPECT_EQ(smmu_choices_parse(&c, "cmd_res0", err, sizeof err), -1);
    EXPECT_EQ(smmu_choices_parse(&c, "", err, sizeof err), 0);
}

TEST(ChoiceSettings, NewRefusesUnknownProfileOrBehaviour) {
    smmu_mem_t *mem = smmu_mem_new();
    smmu_host_t host{};
    smmu_mem_host(mem, &host);
    smmu_params_t p;
    smmu_params_init(&p);
    p.choices.profile = 4;
    EXPECT_EQ(smmu_new(&p, &host), nullptr);
    smmu_params_init(&p);
    p.choices.set[SMMU_CHOICE_CMD_RES0] = 3; // behaviours 0 and 1 only
    EXPECT_EQ(smmu_new(&p, &host), nullptr);
    smmu_params_init(&p);
    p.choices.set[SMMU_CHOICE_COUNT] = 1; // no such choice
    EXPECT_EQ(smmu_new(&p, &host), nullptr);
    smmu_params_init(&p);
    smmu_t *s = smmu_new(&p, &host);
    EXPECT_NE(s, nullptr);
    smmu_free(s);
    smmu_mem_free(mem);
}

// ---------------------------------------------------------------- docs/choices.md

// Every TEST / TEST_F / TEST_P name in the test sources (Suite.Name).
std::set<std::string> test_names_in_sources() {
    std::set<std::string> names;
    const std::regex def(R"((?:TEST|TEST_F|TEST_P)\(\s*(\w+)\s*,\s*(\w+)\s*\))");
    std::vector<std::string> files;
    std::ifstream list(SMMU_TEST_SOURCES_LIST);
    for (std::string f; std::getline(list, f);)
        if (!f.empty()) files.push_back(f);
    for (const std::string &f : files) {
        std::ifstream in(f);
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string text = ss.str();
        for (std::sregex_iterator it(text.begin(), text.end(), def), end; it != end; ++it)
            names.insert((*it)[1].str() + "." + (*it)[2].str());
    }
    return names;
}

std::vector<std::string> cells_of(const std::string &line) {
    std::vector<std::string> cells;
    std::string cur;
    for (size_t i = 1; i < line.size(); i++) {
        if (line[i] == '|') {
            size_t a = cur.find_first_not_of(' '), b = cur.find_last_not_of(' ');
            cells.push_back(a == std::string::npos ? "" : cur.substr(a, b - a + 1));
            cur.clear();
        } else {
            cur += line[i];
        }
    }
    return cells;
}

// docs/choices.md: the catalogue table's rows (| ID | section | ... | setting | ... | tests |)
// name a setting that the core has (or "-" for a choice with a single behaviour in this model),
// behaviours the core knows, and tests that exist; IDs are unique; every settable choice of the
// core appears in the table.
TEST(ChoicesDoc, TableMatchesTheCoreAndTheTests) {
    std::ifstream doc(SMMU_CHOICES_DOC);
    ASSERT_TRUE(doc.good()) << SMMU_CHOICES_DOC;
    const std::set<std::string> tests = test_names_in_sources();
    ASSERT_GT(tests.size(), 100u);
    std::vector<std::string> header;
    std::set<std::string> ids, settings_seen;
    unsigned rows = 0;
    for (std::string line; std::getline(doc, line);) {
        if (line.rfind("| ID ", 0) == 0) {
            header = cells_of(line);
            continue;
        }
        if (header.empty() || line.rfind("| ", 0) != 0 || line.rfind("|--", 0) == 0) {
            if (line.empty()) header.clear();
            continue;
        }
        std::vector<std::string> c = cells_of(line);
        ASSERT_EQ(c.size(), header.size()) << line;
        std::map<std::string, std::string> row;
        for (size_t i = 0; i < c.size(); i++)
            row[header[i]] = c[i];
        rows++;
        const std::string id = row["ID"];
        EXPECT_TRUE(std::regex_match(id, std::regex(R"((CU|PC|ID)-[0-9.]+-[A-Z0-9-]+)"))) << id;
        EXPECT_TRUE(ids.insert(id).second) << "duplicate ID " << id;
        const std::string setting = row["setting"];
        if (setting != "-") {
            // "`name` (behaviour, ...)": the name between the first pair of backquotes, and the
            // behaviours the core has for it, in order
            const size_t a = setting.find('`'), b = setting.find('`', a + 1);
            ASSERT_TRUE(a != std::string::npos && b != std::string::npos) << id << ": " << setting;
            const std::string name = setting.substr(a + 1, b - a - 1);
            int cid = smmu_choice_lookup(name.c_str());
            EXPECT_GE(cid, 0) << id << ": no setting " << name;
            settings_seen.insert(name);
            // "today" names behaviour 0 (the default profile)
            if (cid >= 0) {
                std::string list;
                for (unsigned i = 0; i < smmu_choice_behaviours((unsigned)cid); i++)
                    list +=
                        std::string(i ? ", " : "(") + smmu_choice_behaviour_name((unsigned)cid, i);
                EXPECT_NE(setting.find(list + ")"), std::string::npos) << id << ": behaviours";
                const char *b0 = smmu_choice_behaviour_name((unsigned)cid, 0);
                EXPECT_NE(row["today"].find(b0), std::string::npos)
                    << id << ": today should be " << b0;
            }
        }
        std::stringstream ts(row["tests"]);
        unsigned named = 0;
        for (std::string t; std::getline(ts, t, ',');) {
            size_t a = t.find_first_not_of(" `"), b = t.find_last_not_of(" `");
            if (a == std::string::npos || t.substr(a, b - a + 1) == "-") continue;
            t = t.substr(a, b - a + 1);
            named++;
            EXPECT_TRUE(tests.count(t)) << id << ": no test " << t;
        }
        if (setting != "-") {
            EXPECT_GE(named, 2u) << id << ": a test per behaviour";
        }
    }
    EXPECT_GE(rows, 40u);
    for (unsigned i = 0; i < smmu_choice_count(); i++)
        EXPECT_TRUE(settings_seen.count(smmu_choice_name(i))) << smmu_choice_name(i);
}

} // namespace
