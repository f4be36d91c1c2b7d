// SPDX-License-Identifier: Apache-2.0 OR MIT
// MPAM (spec chapter 17): discovery (IDR3.MPAM, SMMU_MPAMIDR), SMMU_GMPAM / SMMU_GBPMPAM and
// their Update protocol (6.3.41-6.3.43), the PARTID/PMG of client transactions from GBPMPAM,
// the STE, the CD and the VMS PARTID_MAP (17.2, 17.3, 5.2, 5.4, 5.6), of the SMMU's own
// accesses (17.4, read through smmu_mem_mpam from inside the host's memory callbacks), and
// CMD_CFGI_VMS_PIDM (4.3.5). Register offsets, field positions and record layouts are written
// here from the spec text.
#include <algorithm>
#include <vector>

#include "cmdq_fixture.h"
#include "nested_fixture.h"
#include "tenc_cmd.h"

using namespace tfx;
using namespace tenc;
using twalk::Nested;
using twalk::Tree;

namespace {

// 6.3 offsets (page 0) and fields
constexpr uint64_t IDR3 = 0x0C, MPAMIDR = 0x130, GMPAM = 0x138, GBPMPAM = 0x13C;
constexpr unsigned IDR3_MPAM = 1u << 7; // 6.3.4 MPAM, bit [7]
constexpr uint32_t UPDATE = 1u << 31;   // 6.3.42 / 6.3.43 Update, bit [31]
// GMPAM / GBPMPAM: PARTID [15:0], PMG [23:16]
constexpr uint32_t mpam_reg(unsigned partid, unsigned pmg) {
    return partid | pmg << 16;
}

constexpr uint32_t CERROR_ILL = 0x01; // 7.1
constexpr uint64_t VMS = 0x14000000;  // a VMS (5.6), 4KB-aligned, outside the table pool

struct Access {
    uint64_t pa;
    bool write;
    smmu_mpam_t m;
};

bool same(const smmu_mpam_t &a, unsigned partid, unsigned pmg, bool ns = true) {
    return a.partid == partid && a.pmg == pmg && a.ns == ns;
}

// Records the label of every access the host sees (no direct-read grants: every read is a
// mem_read callback).
template <class Base> struct Labelled : Base {
    std::vector<Access> seen;
    void SetUp() override {
        Base::SetUp();
        this->dev.on_mem = [this](uint64_t pa, size_t, bool write) {
            smmu_mpam_t m{};
            smmu_mem_mpam(this->smmu, &m);
            seen.push_back({pa, write, m});
        };
    }
    // Accesses in [lo, hi).
    std::vector<Access> in(uint64_t lo, uint64_t hi) const {
        std::vector<Access> v;
        for (const Access &a : seen)
            if (a.pa >= lo && a.pa < hi) v.push_back(a);
        return v;
    }
};

// ------------------------------------------------------------------ discovery and registers

struct MpamRegs : SmmuTest {
    void configure(smmu_params_t &p) override {
        p.mpam = true;
        p.mpam_partid_max = 0x34; // 6.3.41 example: a PARTID bit width of 6
        p.mpam_pmg_max = 0x0F;    // a PMG bit width of 4
    }
};

TEST_F(MpamRegs, IdRegistersReportMpamAndItsMaxima_6_3_4_6_3_41) {
    EXPECT_EQ(r32(IDR3) & IDR3_MPAM, IDR3_MPAM);
    EXPECT_EQ(r32(MPAMIDR), 0x0F0034u); // PMG_MAX [23:16], PARTID_MAX [15:0]
    w32(MPAMIDR, 0xFFFFFFFF);           // RO
    EXPECT_EQ(r32(MPAMIDR), 0x0F0034u);
}

TEST_F(MpamRegs, GmpamAndGbpmpamResetToZero_6_3_42_6_3_43) {
    EXPECT_EQ(r32(GMPAM), 0u);
    EXPECT_EQ(r32(GBPMPAM), 0u);
}

TEST_F(MpamRegs, WriteWithoutUpdateIsIgnored_6_3_42_6_3_43) {
    w32(GMPAM, mpam_reg(3, 1));
    w32(GBPMPAM, mpam_reg(4, 2));
    EXPECT_EQ(r32(GMPAM), 0u);
    EXPECT_EQ(r32(GBPMPAM), 0u);
}

TEST_F(MpamRegs, UpdateTakesTheValueAndCompletes_6_3_42_6_3_43) {
    w32(GMPAM, UPDATE | mpam_reg(0x21, 5));
    w32(GBPMPAM, UPDATE | mpam_reg(0x13, 9));
    // the new value is observable, and Update reads 0 once the update completed
    EXPECT_EQ(r32(GMPAM), mpam_reg(0x21, 5));
    EXPECT_EQ(r32(GBPMPAM), mpam_reg(0x13, 9));
}

TEST_F(MpamRegs, BitsAboveTheIdWidthsAreRes0_6_3_42_6_3_43) {
    // PARTID width 6 (PARTID_MAX 0x34), PMG width 4 (PMG_MAX 0x0F); bits [30:24] RES0
    w32(GMPAM, UPDATE | 0x7FFFFFFFu);
    w32(GBPMPAM, UPDATE | 0x7FFFFFFFu);
    EXPECT_EQ(r32(GMPAM), mpam_reg(0x3F, 0x0F));
    EXPECT_EQ(r32(GBPMPAM), mpam_reg(0x3F, 0x0F));
}

TEST_F(MpamRegs, SmmuOriginatedLabelOutsideAccessesIsGmpam_17_4) {
    smmu_mpam_t m{};
    w32(GMPAM, UPDATE | mpam_reg(0x11, 3));
    EXPECT_TRUE(smmu_mem_mpam(smmu, &m));
    EXPECT_TRUE(same(m, 0x11, 3));
}

struct MpamOff : SmmuTest {
    void configure(smmu_params_t &p) override {
        p.mpam = false;
    }
};

TEST_F(MpamOff, IdR3MpamZeroAndRegistersRes0_6_3_4) {
    EXPECT_EQ(r32(IDR3) & IDR3_MPAM, 0u);
    w32(GMPAM, UPDATE | mpam_reg(1, 1));
    w32(GBPMPAM, UPDATE | mpam_reg(1, 1));
    EXPECT_EQ(r32(MPAMIDR), 0u);
    EXPECT_EQ(r32(GMPAM), 0u);
    EXPECT_EQ(r32(GBPMPAM), 0u);
    smmu_mpam_t m{};
    EXPECT_FALSE(smmu_mem_mpam(smmu, &m));
    EXPECT_TRUE(same(m, 0, 0, false));
}

TEST_F(MpamOff, SteMpamFieldsAreRes0AndOutputsCarryNoLabel_6_3_4) {
    put_ste(1, Ste::bypass().partid(7).pmg(1).s1mpam(true).dw);
    enable();
    smmu_result_t r = xlate(1, 0x5000);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.partid, 0u);
    EXPECT_EQ(r.pmg, 0u);
    EXPECT_FALSE(r.mpam_ns);
}

TEST(MpamParams, DefaultConfigurationReportsMpam_6_3_4) {
    smmu_params_t p;
    smmu_params_init(&p);
    EXPECT_TRUE(p.mpam);
    EXPECT_NE(p.mpam_partid_max, 0u); // Arm recommends a non-zero PARTID_MAX (6.3.41)
}

TEST(MpamParams, AnSmmuV3_0HasNoMpam_2_4_2_9) {
    smmu_params_t p;
    smmu_params_init_version(&p, 0); // MPAM is an SMMUv3.2 option: no v3.0 has it
    p.mpam = true;
    smmu_mem_t *mem = smmu_mem_new();
    smmu_host_t h;
    smmu_mem_host(mem, &h);
    smmu_t *s = smmu_new(&p, &h);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(smmu_reg_read(s, IDR3, 4) & IDR3_MPAM, 0u);
    smmu_free(s);
    smmu_mem_free(mem);
}

// ------------------------------------------------------------------ client transactions

struct MpamXlate : Labelled<Nested> {
    // STE label 0x21/2; GMPAM 0x07/1 (defaults: PARTID_MAX 255, PMG_MAX 3)
    static constexpr unsigned STE_PARTID = 0x21, STE_PMG = 2;
    void SetUp() override {
        Labelled<Nested>::SetUp();
        w32(GMPAM, UPDATE | mpam_reg(0x07, 1));
    }
    // A stage-1-only stream through the nested fixture's stage-1 tables seen as PAs: a tree of
    // its own (4KB, T0SZ 16) mapping VA to OUT_IPA.
    Tree s1only;
    void stage1_only(bool s1mpam, unsigned cd_partid, unsigned cd_pmg) {
        s1only = tree(12, 0, 48);
        map(s1only, twalk::VA, 3, Desc::page(twalk::OUT_IPA).ap(0b01));
        put_ste(sid, Ste::s1(CDTAB).partid(STE_PARTID).pmg(STE_PMG).s1mpam(s1mpam).dw);
        put_words(CDTAB, Cd::s1(s1only.root).ips(5).partid(cd_partid).pmg(cd_pmg).dw, 8);
        enable();
    }
    // The nested fixture's stream with an STE and CD of this test's choosing.
    void nested_stream(Ste ste, unsigned cd_partid, unsigned cd_pmg) {
        build_s2();
        build_s1();
        ste.s2_4k_l1(s2t.root, 5).valid(true);
        nested(ste, Cd::s1(s1t.root).ips(5).partid(cd_partid).pmg(cd_pmg));
    }
    // A VMS whose PARTID_MAP entry i is 0x40 + i (5.6: 16-bit little-endian entries).
    void put_vms() {
        for (unsigned i = 0; i < 32; i += 4) {
            uint64_t v = 0;
            for (unsigned j = 0; j < 4; j++)
                v |= uint64_t(0x40 + i + j) << (16 * j);
            put64(VMS + 2 * i, v);
        }
    }
};

TEST_F(MpamXlate, GlobalBypassCarriesGbpmpam_17_2) {
    w32(GBPMPAM, UPDATE | mpam_reg(0x33, 3));
    smmu_result_t r = xlate(5, 0x1234000); // SMMUEN == 0: GBPA bypass
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.partid, 0x33u);
    EXPECT_EQ(r.pmg, 3u);
    EXPECT_TRUE(r.mpam_ns); // Non-secure PARTID space (17.7)
}

TEST_F(MpamXlate, GbpmpamUpdateChangesLaterBypassedTransactions_6_3_43) {
    w32(GBPMPAM, UPDATE | mpam_reg(0x10, 1));
    EXPECT_EQ(xlate(5, 0x1000).partid, 0x10u);
    w32(GBPMPAM, UPDATE | mpam_reg(0x11, 2));
    smmu_result_t r = xlate(5, 0x1000);
    EXPECT_EQ(r.partid, 0x11u);
    EXPECT_EQ(r.pmg, 2u);
}

TEST_F(MpamXlate, BypassSteCarriesStePartidPmg_17_2) {
    w32(GBPMPAM, UPDATE | mpam_reg(0x33, 3)); // not used with SMMUEN == 1
    put_ste(sid, Ste::bypass().partid(STE_PARTID).pmg(STE_PMG).s1mpam(true).dw);
    enable();
    for (int i = 0; i < 2; i++) { // full path, then the memo
        smmu_result_t r = xlate(sid, 0x7000);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_EQ(r.partid, STE_PARTID);
        EXPECT_EQ(r.pmg, STE_PMG);
        EXPECT_TRUE(r.mpam_ns);
    }
}

TEST_F(MpamXlate, Stage2OnlyCarriesStePartidPmg_17_2) {
    build_s2();
    put_ste(sid, Ste::s2(s2t.root, twalk::S2TG_4K, 25, 1).partid(STE_PARTID).pmg(STE_PMG).dw);
    enable();
    for (int i = 0; i < 2; i++) {
        smmu_result_t r = xlate(sid, twalk::OUT_IPA);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_EQ(r.partid, STE_PARTID);
        EXPECT_EQ(r.pmg, STE_PMG);
    }
}

TEST_F(MpamXlate, Stage1WithS1Mpam0UsesSteLabel_17_2) {
    stage1_only(false, 0x55, 1);
    for (int i = 0; i < 2; i++) {
        smmu_result_t r = xlate(sid, twalk::VA);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_EQ(r.partid, STE_PARTID);
        EXPECT_EQ(r.pmg, STE_PMG);
    }
}

TEST_F(MpamXlate, Stage1WithS1Mpam1UsesCdLabel_17_2) {
    stage1_only(true, 0x55, 1);
    for (int i = 0; i < 2; i++) {
        smmu_result_t r = xlate(sid, twalk::VA);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_EQ(r.partid, 0x55u);
        EXPECT_EQ(r.pmg, 1u);
    }
}

TEST_F(MpamXlate, Stage1DescriptorsCarryTheTransactionLabelCdTheSteLabel_17_4) {
    stage1_only(true, 0x55, 1);
    ASSERT_EQ(xlate(sid, twalk::VA).status, SMMU_OK);
    auto cd = in(CDTAB, CDTAB + 64);
    ASSERT_FALSE(cd.empty());
    for (const Access &a : cd)
        EXPECT_TRUE(same(a.m, STE_PARTID, STE_PMG)) << "CD fetch";
    auto walk = in(TABLES, VMS + 0x100000000ull);
    ASSERT_EQ(walk.size(), 4u); // levels 0-3
    for (const Access &a : walk)
        EXPECT_TRUE(same(a.m, 0x55, 1)) << std::hex << a.pa;
}

TEST_F(MpamXlate, SteAndQueueAccessesCarryGmpam_17_4) {
    put_ste(sid, Ste::abort().dw); // no event, no walk
    put_ste(sid + 1, Ste().valid(false).dw);
    enable();
    seen.clear();
    EXPECT_EQ(xlate(sid, 0x1000).status, SMMU_FAULT);
    EXPECT_EQ(xlate(sid + 1, 0x1000).status, SMMU_FAULT); // C_BAD_STE: an event record
    auto ste = in(STRTAB, STRTAB + (64u << sid_bits));
    ASSERT_EQ(ste.size(), 2u);
    for (const Access &a : ste)
        EXPECT_TRUE(same(a.m, 0x07, 1)) << "STE fetch";
    auto evt = in(EVTQ, EVTQ + (32u << evtq_log2));
    ASSERT_EQ(evt.size(), 1u);
    EXPECT_TRUE(evt[0].write);
    EXPECT_TRUE(same(evt[0].m, 0x07, 1)) << "event queue write";
    // the command queue: a CMD_SYNC read by the consumer
    seen.clear();
    put64(CMDQ, cmd_sync().dw[0]);
    put64(CMDQ + 8, cmd_sync().dw[1]);
    w32(SMMU_CMDQ_PROD, 1);
    auto cmd = in(CMDQ, CMDQ + 16);
    ASSERT_EQ(cmd.size(), 1u);
    EXPECT_TRUE(same(cmd[0].m, 0x07, 1)) << "command queue read";
}

TEST_F(MpamXlate, NestedWithS1Mpam0UsesSteLabel_17_2) {
    nested_stream(Ste().partid(STE_PARTID).pmg(STE_PMG).vmsptr(VMS), 3, 1);
    smmu_result_t r = xlate(sid, twalk::VA);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.partid, STE_PARTID);
    EXPECT_EQ(r.pmg, STE_PMG);
    EXPECT_TRUE(in(VMS, VMS + 4096).empty()); // the VMS is not enabled (5.2 VMSPtr)
}

TEST_F(MpamXlate, NestedWithS1Mpam1MapsCdPartidThroughVms_17_2_5_6) {
    put_vms();
    nested_stream(Ste().partid(STE_PARTID).pmg(STE_PMG).s1mpam(true).vmsptr(VMS), 5, 3);
    smmu_result_t r = xlate(sid, twalk::VA);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.partid, 0x45u); // PARTID_MAP[CD.PARTID = 5]
    EXPECT_EQ(r.pmg, 3u);       // CD.PMG: PMGs are not mapped (5.6)
    auto vms = in(VMS, VMS + 4096);
    ASSERT_EQ(vms.size(), 1u);
    EXPECT_EQ(vms[0].pa, VMS + 10); // entry 5, 16 bits each
    // the memo answers a repeat with the same label and without reading the VMS again (the
    // memo takes a page at its first reuse, a TLB hit of the full path: answers from the third)
    ASSERT_EQ(xlate(sid, twalk::VA).status, SMMU_OK);
    seen.clear();
    smmu_result_t r2 = xlate(sid, twalk::VA);
    ASSERT_EQ(r2.status, SMMU_OK);
    EXPECT_EQ(r2.partid, 0x45u);
    EXPECT_EQ(r2.pmg, 3u);
    EXPECT_TRUE(in(VMS, VMS + 4096).empty());
}

TEST_F(MpamXlate, NestedVirtualPartidUsesBits4To0_5_4) {
    put_vms();
    // CD.PARTID[15:5] are RES0 in this configuration: 0x3E7 selects entry 7
    nested_stream(Ste().partid(STE_PARTID).pmg(STE_PMG).s1mpam(true).vmsptr(VMS), 0x3E7, 0);
    smmu_result_t r = xlate(sid, twalk::VA);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.partid, 0x47u);
}

TEST_F(MpamXlate, NestedWalksCarryStage2SteLabelAndStage1MappedLabel_17_4) {
    put_vms();
    nested_stream(Ste().partid(STE_PARTID).pmg(STE_PMG).s1mpam(true).vmsptr(VMS), 5, 3);
    // stage-1 descriptors: at the PAs of the slots of VA in the stage-1 tree (IPA - 4GB)
    std::vector<uint64_t> s1pa;
    for (unsigned l = 0; l < 4; l++)
        s1pa.push_back(slot(s1t, twalk::VA, l) - twalk::S1_DELTA);
    seen.clear();
    ASSERT_EQ(xlate(sid, twalk::VA).status, SMMU_OK);
    unsigned n1 = 0, n2 = 0;
    for (const Access &a : in(TABLES, VMS + 0x100000000ull)) {
        bool stage1 = std::find(s1pa.begin(), s1pa.end(), a.pa) != s1pa.end();
        if (stage1) {
            n1++;
            EXPECT_TRUE(same(a.m, 0x45, 3)) << "stage-1 descriptor " << std::hex << a.pa;
        } else {
            n2++;
            EXPECT_TRUE(same(a.m, STE_PARTID, STE_PMG))
                << "stage-2 descriptor " << std::hex << a.pa;
        }
    }
    EXPECT_EQ(n1, 4u);
    EXPECT_GT(n2, 0u);
    auto cd = in(CDTAB, CDTAB + 64);
    ASSERT_FALSE(cd.empty());
    for (const Access &a : cd)
        EXPECT_TRUE(same(a.m, STE_PARTID, STE_PMG)) << "CD fetch";
    auto vms = in(VMS, VMS + 4096);
    ASSERT_EQ(vms.size(), 1u);
    EXPECT_TRUE(same(vms[0].m, 0x07, 1)) << "VMS fetch, as the STE's";
}

TEST_F(MpamXlate, VmsFetchAbortIsFVmsFetch_7_3_20) {
    smmu_mem_add_abort(mem, VMS, 4096);
    nested_stream(Ste().partid(STE_PARTID).pmg(STE_PMG).s1mpam(true).vmsptr(VMS), 5, 3);
    smmu_result_t r = xlate(sid, twalk::VA);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, 0x25u);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), 0x25u);
    EXPECT_EQ(evt_sid(ev[0]), sid);
    EXPECT_EQ(tenc::get(ev[0].data(), 195, 53) << 3, (VMS + 10) & ~7ull); // FetchAddr[55:3]
}

TEST_F(MpamXlate, EnabledVmsPtrBeyondOasIsBadSte_5_2) {
    // OAS is 52 bits by default: a VMS at bit 52 is beyond it
    nested_stream(Ste().s1mpam(true).vmsptr(1ull << 52), 0, 0);
    smmu_result_t r = xlate(sid, twalk::VA);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, 0x04u); // C_BAD_STE
}

TEST_F(MpamXlate, DisabledVmsPtrIsIgnored_5_2) {
    // S1MPAM == 0: VMSPtr is IGNORED, whatever it holds
    nested_stream(Ste().s1mpam(false).vmsptr(1ull << 52), 0, 0);
    EXPECT_EQ(xlate(sid, twalk::VA).status, SMMU_OK);
}

TEST_F(MpamXlate, PartidAboveMaxIsUnknownNotIllegal_5_2) {
    // PARTID_MAX 255, PMG_MAX 3: STE.PARTID 0x1234 and PMG 0x80 are UNKNOWN values, not an
    // ILLEGAL STE: the transaction passes without an event, with some PARTID and PMG the
    // SMMU supports (the model's choice of UNKNOWN)
    put_ste(sid, Ste::bypass().partid(0x1234).pmg(0x80).dw);
    enable();
    smmu_result_t r = xlate(sid, 0x7000);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_LE(r.partid, 255u);
    EXPECT_LE(r.pmg, 3u);
    EXPECT_TRUE(events().empty());
}

TEST_F(MpamXlate, AtsTranslatedWithAtschk0CarriesGbpmpam_17_3) {
    w32(GBPMPAM, UPDATE | mpam_reg(0x2A, 1));
    put_ste(sid, Ste::bypass().partid(STE_PARTID).pmg(STE_PMG).dw);
    enable(); // ATSCHK == 0
    smmu_txn_t t = txn_of(sid, 0x9000);
    t.ats = SMMU_ATS_TRANSLATED;
    smmu_result_t r{};
    smmu_translate(smmu, &t, &r);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.partid, 0x2Au);
    EXPECT_EQ(r.pmg, 1u);
}

// Widest IDs (PARTID_MAX 0xFFFF, PMG_MAX 0xFF): every bit of STE.PARTID / PMG reaches the
// output, from the full path and from the memo alike; a new STE (CMD_CFGI_STE) gives its new
// label (5.2, 17.2).
struct MpamWide : MpamXlate {
    void configure(smmu_params_t &p) override {
        p.mpam_partid_max = 0xFFFF;
        p.mpam_pmg_max = 0xFF;
    }
};

TEST_F(MpamWide, SixteenBitPartidAndEightBitPmgReachTheOutput_5_2_17_2) {
    put_ste(sid, Ste::bypass().partid(0xABCD).pmg(0xE7).dw);
    enable();
    for (int i = 0; i < 3; i++) {
        smmu_result_t r = xlate(sid, 0x7000);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_EQ(r.partid, 0xABCDu) << i;
        EXPECT_EQ(r.pmg, 0xE7u) << i;
        EXPECT_TRUE(r.mpam_ns);
    }
    put_ste(sid, Ste::bypass().partid(0x1234).pmg(0x5A).dw);
    put64(CMDQ, cfgi_ste(sid).dw[0]);
    put64(CMDQ + 8, cfgi_ste(sid).dw[1]);
    w32(SMMU_CMDQ_PROD, 1);
    for (int i = 0; i < 2; i++) {
        smmu_result_t r = xlate(sid, 0x7000);
        EXPECT_EQ(r.partid, 0x1234u) << i;
        EXPECT_EQ(r.pmg, 0x5Au) << i;
    }
}

// ------------------------------------------------------------------ CMD_CFGI_VMS_PIDM

struct VmsPidm : CmdqTest {
    void SetUp() override {
        CmdqTest::SetUp();
        enable();
    }
};

TEST_F(VmsPidm, LegalWithMpamAndTheVms_4_3_5) {
    issue(Cmd(OP_CFGI_VMS_PIDM).vmid(1));
    EXPECT_TRUE(drained());
}

TEST_F(VmsPidm, SsecOnTheNonSecureQueueIsIllegal_4_3_5) {
    uint32_t at = prod;
    issue(Cmd(OP_CFGI_VMS_PIDM).ssec(true));
    expect_stopped_at(at, CERROR_ILL);
}

struct VmsPidmNoMpam : VmsPidm {
    void configure(smmu_params_t &p) override {
        p.mpam = false;
    }
};

TEST_F(VmsPidmNoMpam, IllegalWithoutMpam_4_3_5) {
    uint32_t at = prod;
    issue(Cmd(OP_CFGI_VMS_PIDM).vmid(1));
    expect_stopped_at(at, CERROR_ILL);
}

struct VmsPidmNoPartids : VmsPidm {
    void configure(smmu_params_t &p) override {
        p.mpam_partid_max = 0; // the VMS needs MPAMIDR.PARTID_MAX != 0 (5.6.1)
    }
};

TEST_F(VmsPidmNoPartids, IllegalWithoutTheVms_4_3_5_5_6_1) {
    uint32_t at = prod;
    issue(Cmd(OP_CFGI_VMS_PIDM).vmid(1));
    expect_stopped_at(at, CERROR_ILL);
}

} // namespace
