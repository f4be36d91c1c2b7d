// SPDX-License-Identifier: Apache-2.0 OR MIT
// The register file (spec 6.2, 6.3): ID registers from the parameters, reset values, access
// rules, Guarded registers, 64-bit halves and illegal accesses.
#include <functional>

#include "cmdq_fixture.h"

using namespace tfx;
using namespace tenc;

namespace {

constexpr uint32_t bit(unsigned n) {
    return 1u << n;
}
constexpr uint32_t fld(uint32_t v, unsigned lsb) {
    return v << lsb;
}

struct Regs : CmdqTest {};

// ------------------------------------------------------------------------ ID registers

// The defaults of smmu_params_init() as the IDRs must report them (6.3.1 - 6.3.8).
TEST_F(Regs, IdRegistersOfDefaultParams) {
    uint32_t idr0 = bit(0) /*S2P*/ | bit(1) /*S1P*/ | fld(2, 2) /*TTF AArch64*/ |
                    bit(4) /*COHACC*/ | bit(5) /*BTM*/ | bit(9) /*Hyp*/ | bit(10) /*ATS*/ |
                    bit(12) /*ASID16*/ | bit(13) /*MSI*/ | bit(14) /*SEV*/ | bit(15) /*ATOS*/ |
                    bit(16) /*PRI*/ | bit(18) /*VMID16*/ | bit(19) /*CD2L*/ |
                    fld(0, 21) /*TTENDIAN mixed*/ | fld(0, 24) /*STALL both*/ |
                    fld(0, 26) /*TERM_MODEL*/ | fld(1, 27) /*ST_LEVEL 2-level*/;
    EXPECT_EQ(r32(SMMU_IDR0), idr0);
    uint32_t idr1 = fld(20, 0) | fld(20, 6) | fld(19, 11) | fld(19, 16) | fld(19, 21) |
                    bit(26) /*ATTR_PERMS_OVR*/ | bit(27) /*ATTR_TYPES_OVR*/;
    EXPECT_EQ(r32(SMMU_IDR1), idr1);
    EXPECT_EQ(r32(SMMU_IDR2), 0u);
    EXPECT_EQ(r32(SMMU_IDR3), bit(14) /*PTWNNC*/ | bit(13) /*E0PD*/ | (2u << 11) /*BBML Level 2*/ |
                                  bit(10) /*RIL*/ | bit(8) /*FWB*/ | bit(7) /*MPAM*/ |
                                  bit(4) /*XNX*/ | bit(2) /*HAD*/);
    EXPECT_EQ(r32(SMMU_IDR4), 0u);
    // OAS 0b110 (52 bits), VAX 0b01 (52-bit VAs, SMMUv3.1-VAX), DS (SMMUv3.4-LPA2, which the
    // default SMMUv3.3 may include: 2.9).
    EXPECT_EQ(r32(SMMU_IDR5), fld(6, 0) /*OAS 52*/ | bit(4) | bit(5) | bit(6) | bit(7) /*DS*/ |
                                  fld(1, 10) /*VAX*/ | fld(64, 16));
    EXPECT_EQ(r32(SMMU_IIDR), 0u);
    EXPECT_EQ(r32(SMMU_AIDR), 3u); // SMMUv3.3 (6.3.8: ArchMajorRev 0, ArchMinorRev 0b0011)
    EXPECT_EQ(r32(SMMU_IDR6), 0u); // no ECMDQ
}

struct IdrCase {
    const char *name;
    std::function<void(smmu_params_t &)> set;
    uint64_t reg;
    uint32_t mask, value;
};

TEST_F(Regs, IdRegistersFollowParams) {
    const IdrCase cases[] = {
        {"no stage 1",
         [](smmu_params_t &p) {
             p.s1 = false;
             p.cd_2lvl = false;
         },
         SMMU_IDR0, bit(1) | bit(9) | bit(19), 0},
        {"no stage 2: Hyp RES0", [](smmu_params_t &p) { p.s2 = false; }, SMMU_IDR0, bit(0) | bit(9),
         0},
        {"no hyp", [](smmu_params_t &p) { p.hyp = false; }, SMMU_IDR0, bit(9), 0},
        {"no ATOS", [](smmu_params_t &p) { p.atos = false; }, SMMU_IDR0, bit(15) | bit(20), 0},
        {"linear only", [](smmu_params_t &p) { p.st_2lvl = p.cd_2lvl = false; }, SMMU_IDR0,
         fld(3, 27) | bit(19), 0},
        {"2-level STs, linear CDs", [](smmu_params_t &p) { p.cd_2lvl = false; }, SMMU_IDR0,
         fld(3, 27) | bit(19), fld(1, 27)},
        {"no ATS/PRI", [](smmu_params_t &p) { p.ats = p.pri = false; }, SMMU_IDR0,
         bit(10) | bit(16), 0},
        {"ATS without PRI", [](smmu_params_t &p) { p.pri = false; }, SMMU_IDR0, bit(10) | bit(16),
         bit(10)},
        {"no MSI", [](smmu_params_t &p) { p.msi = false; }, SMMU_IDR0, bit(13), 0},
        {"no SEV", [](smmu_params_t &p) { p.sev = false; }, SMMU_IDR0, bit(14), 0},
        {"8-bit ASID/VMID", [](smmu_params_t &p) { p.asid16 = p.vmid16 = false; }, SMMU_IDR0,
         bit(12) | bit(18), 0},
        {"non-coherent", [](smmu_params_t &p) { p.coherent = false; }, SMMU_IDR0, bit(4), 0},
        {"BTM", [](smmu_params_t &p) { p.btm = true; }, SMMU_IDR0, bit(5), bit(5)},
        {"LE walks", [](smmu_params_t &p) { p.ttendian_mixed = false; }, SMMU_IDR0, fld(3, 21),
         fld(2, 21)},
        {"stall forced", [](smmu_params_t &p) { p.stall_model = SMMU_STALL_MODEL_STALL; },
         SMMU_IDR0, fld(3, 24), fld(2, 24)},
        {"terminate only", [](smmu_params_t &p) { p.stall_model = SMMU_STALL_MODEL_TERMINATE; },
         SMMU_IDR0, fld(3, 24), fld(1, 24)},
        {"STALL_MAX RES0 without stall",
         [](smmu_params_t &p) { p.stall_model = SMMU_STALL_MODEL_TERMINATE; }, SMMU_IDR5,
         0xFFFF0000u, 0},
        {"STALL_MAX", [](smmu_params_t &p) { p.stall_max = 7; }, SMMU_IDR5, 0xFFFF0000u,
         fld(7, 16)},
        {"sizes",
         [](smmu_params_t &p) {
             p.sidsize = 32;
             p.ssidsize = 0;
             p.cmdq_log2 = 5;
             p.eventq_log2 = 6;
             p.priq_log2 = 7;
         },
         SMMU_IDR1, 0x03FFFFFFu, fld(32, 0) | fld(0, 6) | fld(7, 11) | fld(6, 16) | fld(5, 21)},
        {"PRIQS 0 without PRI", [](smmu_params_t &p) { p.pri = false; }, SMMU_IDR1, fld(31, 11), 0},
        {"no RIL", [](smmu_params_t &p) { p.ril = false; }, SMMU_IDR3, bit(10), 0},
        {"no FWB", [](smmu_params_t &p) { p.fwb = false; }, SMMU_IDR3, bit(8), 0},
        {"no E0PD", [](smmu_params_t &p) { p.e0pd = false; }, SMMU_IDR3, bit(13), 0},
        {"no MPAM", [](smmu_params_t &p) { p.mpam = false; }, SMMU_IDR3, bit(7), 0},
        // 6.3.4: "FWB is 1 in an implementation of SMMUv3.2 or later", with no stage condition.
        {"FWB without stage 2", [](smmu_params_t &p) { p.s2 = false; }, SMMU_IDR3, bit(8), bit(8)},
        {"no PTWNNC", [](smmu_params_t &p) { p.ptwnnc = false; }, SMMU_IDR3, bit(14), 0},
        {"no PTWNNC without stage 2", [](smmu_params_t &p) { p.s2 = false; }, SMMU_IDR3, bit(14),
         0},
        {"no XNX", [](smmu_params_t &p) { p.xnx = false; }, SMMU_IDR3, bit(4), 0},
        {"no XNX without stage 2", [](smmu_params_t &p) { p.s2 = false; }, SMMU_IDR3, bit(4), 0},
        {"OAS 32, 4K only",
         [](smmu_params_t &p) {
             p.oas_bits = 32;
             p.gran16k = p.gran64k = false;
         },
         SMMU_IDR5, 0x7Fu, fld(0, 0) | bit(4)},
        {"OAS 36", [](smmu_params_t &p) { p.oas_bits = 36; }, SMMU_IDR5, 7, 1},
        {"OAS 40", [](smmu_params_t &p) { p.oas_bits = 40; }, SMMU_IDR5, 7, 2},
        {"OAS 42", [](smmu_params_t &p) { p.oas_bits = 42; }, SMMU_IDR5, 7, 3},
        {"OAS 44", [](smmu_params_t &p) { p.oas_bits = 44; }, SMMU_IDR5, 7, 4},
        {"OAS 52, 64K only",
         [](smmu_params_t &p) {
             p.oas_bits = 52;
             p.gran4k = p.gran16k = false;
         },
         SMMU_IDR5, 0x7Fu, fld(6, 0) | bit(6)},
        {"OAS 48", [](smmu_params_t &p) { p.oas_bits = 48; }, SMMU_IDR5, 7, 5},
        {"no VAX", [](smmu_params_t &p) { p.vax = false; }, SMMU_IDR5, 0xC80u, 0},
        {"no VAX in SMMUv3.0", [](smmu_params_t &p) { p.arch_minor = 0; }, SMMU_IDR5, 0xC80u, 0},
        {"SMMUv3.3 with LPA2: DS", [](smmu_params_t &p) { p.arch_minor = 3; }, SMMU_IDR5, 0xC80u,
         bit(7) | fld(1, 10)},
        {"SMMUv3.3 without LPA2",
         [](smmu_params_t &p) {
             p.arch_minor = 3;
             p.lpa2 = false;
         },
         SMMU_IDR5, 0xC80u, fld(1, 10)},
        {"DS needs a 4K or 16K granule",
         [](smmu_params_t &p) {
             p.arch_minor = 3;
             p.gran4k = p.gran16k = false;
         },
         SMMU_IDR5, 0xC80u, fld(1, 10)},
        {"VAX needs 64K or DS",
         [](smmu_params_t &p) {
             p.oas_bits = 48;
             p.gran64k = false;
             p.lpa2 = false;
         },
         SMMU_IDR5, 0xC80u, 0},
        {"IIDR", [](smmu_params_t &p) { p.iidr = 0x1234543Bu; }, SMMU_IIDR, ~0u, 0x1234543Bu},
        {"SMMUv3.0", [](smmu_params_t &p) { p.arch_minor = 0; }, SMMU_AIDR, ~0u, 0},
        {"SMMUv3.1", [](smmu_params_t &p) { p.arch_minor = 1; }, SMMU_AIDR, ~0u, 1},
        {"SMMUv3.2", [](smmu_params_t &p) { p.arch_minor = 2; }, SMMU_AIDR, ~0u, 2},
        // 2.9: a v3.2 may include no v3.4 feature: no DS (LPA2); VAX (v3.1) stays.
        {"no DS in SMMUv3.2", [](smmu_params_t &p) { p.arch_minor = 2; }, SMMU_IDR5, 0xC80u,
         fld(1, 10)},
    };
    for (const auto &c : cases) {
        SCOPED_TRACE(c.name);
        smmu_params_init(&params);
        c.set(params);
        create();
        EXPECT_EQ(r32(c.reg) & c.mask, c.value);
    }
}

TEST_F(Regs, IdRegistersAreReadOnly) {
    const uint64_t ids[] = {SMMU_IDR0, SMMU_IDR1, SMMU_IDR2, SMMU_IDR3,
                            SMMU_IDR4, SMMU_IDR5, SMMU_IIDR, SMMU_AIDR};
    for (uint64_t off : ids) {
        uint32_t v = r32(off);
        w32(off, ~v);
        EXPECT_EQ(r32(off), v) << std::hex << off;
    }
}

// ------------------------------------------------------------------------ reset values

TEST_F(Regs, ResetValues) {
    // Fields that reset to 0 or (UNKNOWN, chosen as 0) in this implementation.
    const uint64_t zero32[] = {SMMU_CR0,
                               SMMU_CR0ACK,
                               SMMU_CR1,
                               SMMU_CR2,
                               SMMU_STATUSR,
                               SMMU_AGBPA,
                               SMMU_IRQ_CTRL,
                               SMMU_IRQ_CTRLACK,
                               SMMU_GERROR,
                               SMMU_GERRORN,
                               SMMU_GERROR_IRQ_CFG1,
                               SMMU_GERROR_IRQ_CFG2,
                               SMMU_STRTAB_BASE_CFG,
                               SMMU_CMDQ_PROD,
                               SMMU_CMDQ_CONS,
                               SMMU_EVENTQ_PROD,
                               SMMU_EVENTQ_CONS,
                               SMMU_EVENTQ_IRQ_CFG1,
                               SMMU_EVENTQ_IRQ_CFG2,
                               SMMU_PRIQ_PROD,
                               SMMU_PRIQ_CONS,
                               SMMU_PRIQ_IRQ_CFG1,
                               SMMU_PRIQ_IRQ_CFG2};
    for (uint64_t off : zero32)
        EXPECT_EQ(r32(off), 0u) << std::hex << off;
    const uint64_t zero64[] = {SMMU_GERROR_IRQ_CFG0, SMMU_STRTAB_BASE,     SMMU_CMDQ_BASE,
                               SMMU_EVENTQ_BASE,     SMMU_EVENTQ_IRQ_CFG0, SMMU_PRIQ_BASE,
                               SMMU_PRIQ_IRQ_CFG0};
    for (uint64_t off : zero64)
        EXPECT_EQ(r64(off), 0u) << std::hex << off;
    // GBPA: Update 0, bypass (ABORT 0), SHCFG "use incoming" (6.3.14, IMPLEMENTATION DEFINED).
    EXPECT_EQ(r32(SMMU_GBPA), fld(1, 12));
}

TEST_F(Regs, SmmuResetRestoresResetValues) {
    enable();
    w32(SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    issue(Cmd(0xFF));
    ASSERT_TRUE(cmdq_err());
    smmu_reset(smmu);
    EXPECT_EQ(r32(SMMU_CR0), 0u);
    EXPECT_EQ(r32(SMMU_CR0ACK), 0u);
    EXPECT_EQ(r32(SMMU_GERROR), 0u);
    EXPECT_EQ(r32(SMMU_CMDQ_CONS), 0u);
    EXPECT_EQ(r64(SMMU_CMDQ_BASE), 0u);
    EXPECT_EQ(r32(SMMU_GBPA), fld(1, 12));
    EXPECT_EQ(r32(SMMU_IDR0) & bit(1), bit(1)); // ID registers are constant
}

// ------------------------------------------------------------------------ CR0 / CR0ACK

// Conformance note 14: CR0 changes show in CR0ACK (6.3.9, 6.3.10).
TEST_F(Regs, Cr0ChangesShowInCr0Ack) {
    const uint32_t vals[] = {SMMU_CR0_CMDQEN, SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN,
                             SMMU_CR0_SMMUEN | SMMU_CR0_PRIQEN | SMMU_CR0_ATSCHK, 0,
                             SMMU_CR0_SMMUEN | SMMU_CR0_PRIQEN | SMMU_CR0_EVENTQEN |
                                 SMMU_CR0_CMDQEN | SMMU_CR0_ATSCHK};
    for (uint32_t v : vals) {
        w32(SMMU_CR0, v);
        EXPECT_EQ(r32(SMMU_CR0), v);
        // a driver's bounded poll of CR0ACK succeeds on the first read
        EXPECT_EQ(r32(SMMU_CR0ACK), v);
    }
}

TEST_F(Regs, Cr0ReservedFieldsReadZeroAndAreNotAcknowledged) {
    w32(SMMU_CR0, 0xFFFFFFFFu);
    uint32_t impl = 0x1F; // SMMUEN, PRIQEN, EVENTQEN, CMDQEN, ATSCHK; VMW RES0 (IDR0.VMW == 0)
    EXPECT_EQ(r32(SMMU_CR0), impl);
    EXPECT_EQ(r32(SMMU_CR0ACK), impl);
}

TEST_F(Regs, Cr0PriqenAndAtschkRes0WithoutPriAndAts) {
    params.ats = params.pri = false;
    create();
    w32(SMMU_CR0, 0x1F);
    EXPECT_EQ(r32(SMMU_CR0), 0x0Du);
    EXPECT_EQ(r32(SMMU_CR0ACK), 0x0Du);
}

TEST_F(Regs, Cr0AckIsReadOnly) {
    w32(SMMU_CR0ACK, 0xF);
    EXPECT_EQ(r32(SMMU_CR0ACK), 0u);
    EXPECT_EQ(r32(SMMU_CR0), 0u);
}

// ------------------------------------------------------------------------ CR1 / CR2

// 6.3.11: TABLE_* are Guarded by SMMUEN, QUEUE_* by CMDQEN/EVENTQEN/PRIQEN.
TEST_F(Regs, Cr1FieldsGuardedByTheirEnables) {
    w32(SMMU_CR1, 0xFFFFFFFFu);
    EXPECT_EQ(r32(SMMU_CR1), 0xFFFu);
    w32(SMMU_CR0, SMMU_CR0_SMMUEN);
    w32(SMMU_CR1, 0x0);
    EXPECT_EQ(r32(SMMU_CR1), 0xFC0u); // QUEUE_* written, TABLE_* kept
    w32(SMMU_CR0, SMMU_CR0_CMDQEN);
    w32(SMMU_CR1, 0xFFF);
    EXPECT_EQ(r32(SMMU_CR1), 0xFC0u); // TABLE_* written, QUEUE_* kept
    w32(SMMU_CR0, SMMU_CR0_PRIQEN);
    w32(SMMU_CR1, 0x0);
    EXPECT_EQ(r32(SMMU_CR1), 0x0u); // TABLE_* written, QUEUE_* kept (0)
    w32(SMMU_CR0, SMMU_CR0_EVENTQEN);
    w32(SMMU_CR1, 0xFFF);
    EXPECT_EQ(r32(SMMU_CR1), 0xFC0u); // TABLE_* written, QUEUE_* kept
}

// 6.3.12: CR2 is read-only while SMMUEN == 1; E2H needs Hyp and PTM needs BTM.
TEST_F(Regs, Cr2ReadOnlyWhileSmmuenAndFeatureBitsRes0) {
    params.btm = false;
    create();
    w32(SMMU_CR2, 0xFFFFFFFFu);
    EXPECT_EQ(r32(SMMU_CR2), 0x3u); // E2H, RECINVSID; PTM RES0 without BTM
    w32(SMMU_CR0, SMMU_CR0_SMMUEN);
    w32(SMMU_CR2, 0);
    EXPECT_EQ(r32(SMMU_CR2), 0x3u);
    w32(SMMU_CR0, 0);
    w32(SMMU_CR2, 0);
    EXPECT_EQ(r32(SMMU_CR2), 0u);

    params.hyp = false;
    params.btm = true;
    create();
    w32(SMMU_CR2, 0x7);
    EXPECT_EQ(r32(SMMU_CR2), 0x6u); // PTM, RECINVSID; E2H RES0 without Hyp
}

// ------------------------------------------------------------------------ GBPA

// 6.3.14.1: a write takes effect only with Update == 1; Update then reads 0 (complete).
TEST_F(Regs, GbpaUpdateProtocol) {
    uint32_t v =
        SMMU_GBPA_ABORT | fld(3, 18) | fld(2, 16) | fld(2, 12) | fld(0xA, 8) | bit(4) | fld(0xF, 0);
    w32(SMMU_GBPA, v); // without Update: ignored (SMMUv3.2)
    EXPECT_EQ(r32(SMMU_GBPA), fld(1, 12));
    w32(SMMU_GBPA, v | SMMU_GBPA_UPDATE);
    EXPECT_EQ(r32(SMMU_GBPA), v); // Update reads 0: the update has completed
    w32(SMMU_GBPA, 0xFFFFFFFFu);  // RES0 bits [30:21], [15:14], [7:5] read 0
    EXPECT_EQ(r32(SMMU_GBPA), 0x001F3F1Fu);
}

// GBPA.ABORT takes effect for transactions while SMMUEN == 0 (3.11).
TEST_F(Regs, GbpaAbortAppliesToBypassTraffic) {
    auto r = xlate(1, 0x1000);
    EXPECT_EQ(r.status, SMMU_OK);
    w32(SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    r = xlate(1, 0x1000);
    EXPECT_EQ(r.status, SMMU_FAULT);
}

// ------------------------------------------------------------------------ IRQ_CTRL

// 6.3.16, 6.3.18: enables Update at once; PRIQ_IRQEN RES0 without PRI.
TEST_F(Regs, IrqCtrlAckFollowsIrqCtrl) {
    w32(SMMU_IRQ_CTRL, 0xFFFFFFFFu);
    EXPECT_EQ(r32(SMMU_IRQ_CTRL), 7u);
    EXPECT_EQ(r32(SMMU_IRQ_CTRLACK), 7u);
    w32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    EXPECT_EQ(r32(SMMU_IRQ_CTRLACK), SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    w32(SMMU_IRQ_CTRLACK, 0);
    EXPECT_EQ(r32(SMMU_IRQ_CTRLACK), SMMU_IRQ_CTRL_EVENTQ_IRQEN);

    params.pri = false;
    create();
    w32(SMMU_IRQ_CTRL, 7);
    EXPECT_EQ(r32(SMMU_IRQ_CTRLACK), 5u);
}

// 6.3.21 - 6.3.23, 6.3.30 - 6.3.36: MSI configuration Guarded by the source's IRQ enable.
TEST_F(Regs, IrqCfgGuardedByIrqEnable) {
    struct {
        uint64_t cfg0, cfg1, cfg2;
        uint32_t en;
    } srcs[] = {
        {SMMU_GERROR_IRQ_CFG0, SMMU_GERROR_IRQ_CFG1, SMMU_GERROR_IRQ_CFG2,
         SMMU_IRQ_CTRL_GERROR_IRQEN},
        {SMMU_EVENTQ_IRQ_CFG0, SMMU_EVENTQ_IRQ_CFG1, SMMU_EVENTQ_IRQ_CFG2,
         SMMU_IRQ_CTRL_EVENTQ_IRQEN},
        {SMMU_PRIQ_IRQ_CFG0, SMMU_PRIQ_IRQ_CFG1, SMMU_PRIQ_IRQ_CFG2, SMMU_IRQ_CTRL_PRIQ_IRQEN},
    };
    params.oas_bits = 48; // the expectations below are those of a 48-bit OAS
    create();
    for (auto &s : srcs) {
        SCOPED_TRACE(s.cfg0);
        w64(s.cfg0, 0xFFFFFFFFFFFFFFFFull);
        EXPECT_EQ(r64(s.cfg0), 0x0000FFFFFFFFFFFCull); // ADDR[47:2] with OAS 48
        w32(s.cfg1, 0xDEADBEEF);
        EXPECT_EQ(r32(s.cfg1), 0xDEADBEEFu);
        w32(s.cfg2, 0x7FFFFFFF);
        EXPECT_EQ(r32(s.cfg2), 0x3Fu); // SH, MemAttr
        w32(SMMU_IRQ_CTRL, s.en);
        w64(s.cfg0, 0x1000);
        w32(s.cfg1, 1);
        w32(s.cfg2, 0);
        EXPECT_EQ(r64(s.cfg0), 0x0000FFFFFFFFFFFCull);
        EXPECT_EQ(r32(s.cfg1), 0xDEADBEEFu);
        EXPECT_EQ(r32(s.cfg2), 0x3Fu);
        w32(SMMU_IRQ_CTRL, 0);
    }
    w32(SMMU_PRIQ_IRQ_CFG2, 0x80000000u); // PRIQ_IRQ_CFG2.LO (6.3.36)
    EXPECT_EQ(r32(SMMU_PRIQ_IRQ_CFG2), 0x80000000u);
}

TEST_F(Regs, IrqCfgRegistersAbsentWithoutMsi) {
    params.msi = false;
    create();
    const uint64_t regs[] = {SMMU_GERROR_IRQ_CFG1, SMMU_GERROR_IRQ_CFG2, SMMU_EVENTQ_IRQ_CFG1,
                             SMMU_EVENTQ_IRQ_CFG2, SMMU_PRIQ_IRQ_CFG1,   SMMU_PRIQ_IRQ_CFG2};
    for (uint64_t off : regs) {
        w32(off, 0x33);
        EXPECT_EQ(r32(off), 0u) << std::hex << off;
    }
    const uint64_t regs64[] = {SMMU_GERROR_IRQ_CFG0, SMMU_EVENTQ_IRQ_CFG0, SMMU_PRIQ_IRQ_CFG0};
    for (uint64_t off : regs64) {
        w64(off, 0x1000);
        EXPECT_EQ(r64(off), 0u) << std::hex << off;
    }
}

// ------------------------------------------------------------------------ 64-bit access

// 6.2: 64-bit registers take one 8-byte access or two 4-byte halves, [63:32] at +4.
TEST_F(Regs, SixtyFourBitRegistersAsOneAccessOrTwoHalves) {
    w64(SMMU_STRTAB_BASE, 0x4000123456789AC0ull);
    EXPECT_EQ(r64(SMMU_STRTAB_BASE), 0x4000123456789AC0ull); // RA, ADDR[47:6]
    EXPECT_EQ(r32(SMMU_STRTAB_BASE), 0x56789AC0u);
    EXPECT_EQ(r32(SMMU_STRTAB_BASE + 4), 0x40001234u);
    w32(SMMU_STRTAB_BASE, 0x11111100);
    EXPECT_EQ(r64(SMMU_STRTAB_BASE), 0x4000123411111100ull);
    w32(SMMU_STRTAB_BASE + 4, 0x00005678);
    EXPECT_EQ(r64(SMMU_STRTAB_BASE), 0x0000567811111100ull);

    w32(SMMU_CMDQ_BASE + 4, 0x40000001);
    w32(SMMU_CMDQ_BASE, 0x12345007);
    EXPECT_EQ(r64(SMMU_CMDQ_BASE), 0x4000000112345007ull); // RA, ADDR, LOG2SIZE 7
}

// 6.3.24, 6.3.26: RES0 bits and address bits above OAS are not stored.
TEST_F(Regs, BaseRegistersDropRes0AndBitsAboveOas) {
    params.oas_bits = 48; // the expectations below are those of a 48-bit OAS
    create();
    w64(SMMU_STRTAB_BASE, ~0ull);
    EXPECT_EQ(r64(SMMU_STRTAB_BASE), (1ull << 62) | 0x0000FFFFFFFFFFC0ull);
    w64(SMMU_CMDQ_BASE, ~0ull);
    EXPECT_EQ(r64(SMMU_CMDQ_BASE), (1ull << 62) | 0x0000FFFFFFFFFFFFull);
    w64(SMMU_EVENTQ_BASE, ~0ull);
    EXPECT_EQ(r64(SMMU_EVENTQ_BASE), (1ull << 62) | 0x0000FFFFFFFFFFFFull);
    w64(SMMU_PRIQ_BASE, ~0ull);
    EXPECT_EQ(r64(SMMU_PRIQ_BASE), (1ull << 62) | 0x0000FFFFFFFFFFFFull);
}

// 6.2: an 8-byte access to a pair of 32-bit registers acts as two 4-byte accesses (one of the
// CONSTRAINED UNPREDICTABLE choices).
TEST_F(Regs, EightByteAccessToTwo32BitRegisters) {
    w32(SMMU_CR0, SMMU_CR0_CMDQEN);
    EXPECT_EQ(r64(SMMU_CR0), ((uint64_t)SMMU_CR0_CMDQEN << 32) | SMMU_CR0_CMDQEN);
    EXPECT_EQ(r64(SMMU_IDR0), ((uint64_t)r32(SMMU_IDR1) << 32) | r32(SMMU_IDR0));
}

// 6.2: unsupported sizes and misaligned accesses are RAZ/WI; smmu_reg_access_ok says so.
TEST_F(Regs, BadSizeOrMisalignedAccessIsRazWi) {
    const struct {
        uint64_t off;
        unsigned size;
    } bad[] = {{SMMU_CR0, 1}, {SMMU_CR0, 2},     {SMMU_CR0, 3},     {SMMU_CR0, 16},
               {SMMU_CR0, 0}, {SMMU_CR0 + 2, 4}, {SMMU_CR0 + 1, 4}, {SMMU_STRTAB_BASE + 4, 8},
               {SMMU_CR2, 8}};
    for (auto &b : bad) {
        SCOPED_TRACE(b.off);
        EXPECT_FALSE(smmu_reg_access_ok(smmu, b.off, b.size));
        smmu_reg_write(smmu, b.off, ~0ull, b.size);
        EXPECT_EQ(smmu_reg_read(smmu, b.off, b.size), 0u);
    }
    EXPECT_EQ(r32(SMMU_CR0), 0u);
    EXPECT_EQ(r32(SMMU_CR2), 0u);
    EXPECT_EQ(r64(SMMU_STRTAB_BASE), 0u);
    EXPECT_TRUE(smmu_reg_access_ok(smmu, SMMU_CR0, 4));
    EXPECT_TRUE(smmu_reg_access_ok(smmu, SMMU_STRTAB_BASE, 8));
    EXPECT_TRUE(smmu_reg_access_ok(smmu, SMMU_EVENTQ_CONS, 4));
    EXPECT_FALSE(smmu_reg_access_ok(smmu, 0x20000, 4)); // beyond page 1
}

// 6.2: undefined locations of page 0 are RES0; page 1 holes and the page-0 aliases of the
// page-1 pointers are RAZ/WI (one of the permitted behaviours); no Secure interface.
TEST_F(Regs, UndefinedOffsetsReadZeroAndIgnoreWrites) {
    const uint64_t holes[] = {0x30,    0x34,    0x4C,    0x58,    0x78,    0x8C,    0xA8,   0xAC,
                              0xC8,    0xCC,    0xE0,    0x100,   0x134,   0x180,   0x190,  0x200,
                              0xE00,   0xFFC,   0x4000,  0x8000,  0x8020,  0x803C,  0xFFFC, 0x10000,
                              0x10020, 0x10098, 0x1009C, 0x100A0, 0x100A4, 0x100B0, 0x1FFFC};
    for (uint64_t off : holes) {
        w32(off, 0xFFFFFFFF);
        EXPECT_EQ(r32(off), 0u) << std::hex << off;
    }
    EXPECT_EQ(r32(SMMU_CR0), 0u);
    EXPECT_EQ(r32(SMMU_EVENTQ_PROD), 0u);
    EXPECT_EQ(r32(SMMU_EVENTQ_CONS), 0u);
    EXPECT_EQ(smmu_reg_read(smmu, 0x40000, 4), 0u);
}

// ------------------------------------------------------------------------ stream table

// 6.3.24, 6.3.25: Guarded by SMMUEN; FMT/SPLIT RES0 without 2-level support.
TEST_F(Regs, StrtabRegistersGuardedBySmmuen) {
    w64(SMMU_STRTAB_BASE, 0x80000000);
    w32(SMMU_STRTAB_BASE_CFG, 0xFFFFFFFF);
    EXPECT_EQ(r32(SMMU_STRTAB_BASE_CFG), 0x307FFu); // FMT [17:16], SPLIT [10:6], LOG2SIZE
    w32(SMMU_CR0, SMMU_CR0_SMMUEN);
    w64(SMMU_STRTAB_BASE, 0x90000000);
    w32(SMMU_STRTAB_BASE_CFG, 8);
    EXPECT_EQ(r64(SMMU_STRTAB_BASE), 0x80000000u);
    EXPECT_EQ(r32(SMMU_STRTAB_BASE_CFG), 0x307FFu);

    params.st_2lvl = params.cd_2lvl = false;
    params.sidsize = 6;
    create();
    w32(SMMU_STRTAB_BASE_CFG, 0xFFFFFFFF);
    EXPECT_EQ(r32(SMMU_STRTAB_BASE_CFG), 0x3Fu);
}

// Conformance note 5: SPLIT values other than 6, 8, 10 are Reserved and behave as 6 (6.3.25);
// the register keeps the written value for readback (the behaviour is checked through
// translations in test_ste, Ste2L.ReservedSplitBehavesAsSix).
TEST_F(Regs, StrtabSplitReservedValuesReadBackAsWritten) {
    for (unsigned split : {0u, 6u, 7u, 8u, 10u, 11u, 31u}) {
        w32(SMMU_STRTAB_BASE_CFG, (1u << 16) | (split << 6) | 20);
        EXPECT_EQ(r32(SMMU_STRTAB_BASE_CFG), (1u << 16) | (split << 6) | 20) << split;
    }
}

// ------------------------------------------------------------------------ queue registers

// 6.3.26 - 6.3.28: CMDQ_BASE and CMDQ_CONS are Guarded by CMDQEN; CMDQ_PROD is software's.
// Conformance note 4: CONS is writable while the queue is disabled, ignored while enabled.
TEST_F(Regs, CmdqConsWritableOnlyWhileDisabled) {
    w64(SMMU_CMDQ_BASE, CMDQ | 4);
    w32(SMMU_CMDQ_CONS, 0x13);
    EXPECT_EQ(r32(SMMU_CMDQ_CONS), 0x13u);
    w32(SMMU_CMDQ_PROD, 0x13);
    w32(SMMU_CR0, SMMU_CR0_CMDQEN);
    w32(SMMU_CMDQ_CONS, 0x02);
    w64(SMMU_CMDQ_BASE, CMDQ | 6);
    EXPECT_EQ(r32(SMMU_CMDQ_CONS), 0x13u);
    EXPECT_EQ(r64(SMMU_CMDQ_BASE), CMDQ | 4);
    cmdq_log2 = 4;
    put_cmd(0x13, cfgi_all());
    put_cmd(0x14, cfgi_all());
    w32(SMMU_CMDQ_PROD, 0x15); // PROD is always writable
    EXPECT_EQ(r32(SMMU_CMDQ_PROD), 0x15u);
    EXPECT_EQ(r32(SMMU_CMDQ_CONS), 0x15u);
    w32(SMMU_CR0, 0);
    w32(SMMU_CMDQ_CONS, 0x02);
    EXPECT_EQ(r32(SMMU_CMDQ_CONS), 0x02u);
}

// 6.3.27, 6.3.28: PROD keeps bits [19:0]; CONS RD bits above the queue size read as zero.
TEST_F(Regs, QueuePointerBitsAboveSizeAndRes0) {
    w64(SMMU_CMDQ_BASE, CMDQ | 4);
    w32(SMMU_CMDQ_PROD, 0xFFFFFFFF);
    EXPECT_EQ(r32(SMMU_CMDQ_PROD), 0xFFFFFu);
    w32(SMMU_CMDQ_CONS, 0xFFFFFFFF);
    EXPECT_EQ(r32(SMMU_CMDQ_CONS), 0x1Fu); // RD[3:0], RD_WRAP; ERR not taken from the write
    w64(SMMU_EVENTQ_BASE, EVTQ | 3);
    w32(SMMU_EVENTQ_PROD, 0xFFFFFFFF);
    EXPECT_EQ(r32(SMMU_EVENTQ_PROD), 0x8000000Fu); // OVFLG, WR[2:0], WR_WRAP
    w32(SMMU_EVENTQ_CONS, 0xFFFFFFFF);
    EXPECT_EQ(r32(SMMU_EVENTQ_CONS), 0x800FFFFFu); // OVACKFLG, RD (software's bits kept)
}

// 6.3.29, 6.3.95, 6.3.96: EVENTQ_BASE and EVENTQ_PROD are Guarded by EVENTQEN; EVENTQ_CONS
// is always writable.
TEST_F(Regs, EventqPointersGuardedByEventqen) {
    w64(SMMU_EVENTQ_BASE, EVTQ | 4);
    w32(SMMU_EVENTQ_PROD, 3);
    w32(SMMU_EVENTQ_CONS, 3);
    w32(SMMU_CR0, SMMU_CR0_EVENTQEN);
    w64(SMMU_EVENTQ_BASE, EVTQ | 6);
    w32(SMMU_EVENTQ_PROD, 7);
    w32(SMMU_EVENTQ_CONS, 5);
    EXPECT_EQ(r64(SMMU_EVENTQ_BASE), EVTQ | 4);
    EXPECT_EQ(r32(SMMU_EVENTQ_PROD), 3u);
    EXPECT_EQ(r32(SMMU_EVENTQ_CONS), 5u);
}

// 6.3.33, 6.3.97, 6.3.98: the PRI queue registers exist with PRI, Guarded by PRIQEN.
TEST_F(Regs, PriqRegistersGuardedByPriqen) {
    w64(SMMU_PRIQ_BASE, 0x14000000 | 5);
    w32(SMMU_PRIQ_PROD, 0x21);
    w32(SMMU_PRIQ_CONS, 0x80000021u);
    EXPECT_EQ(r64(SMMU_PRIQ_BASE), 0x14000000u | 5);
    EXPECT_EQ(r32(SMMU_PRIQ_PROD), 0x21u);
    EXPECT_EQ(r32(SMMU_PRIQ_CONS), 0x80000021u);
    w32(SMMU_CR0, SMMU_CR0_PRIQEN);
    w64(SMMU_PRIQ_BASE, 0x15000000);
    w32(SMMU_PRIQ_PROD, 0);
    w32(SMMU_PRIQ_CONS, 0x22);
    EXPECT_EQ(r64(SMMU_PRIQ_BASE), 0x14000000u | 5);
    EXPECT_EQ(r32(SMMU_PRIQ_PROD), 0x21u);
    EXPECT_EQ(r32(SMMU_PRIQ_CONS), 0x22u);
}

TEST_F(Regs, PriqRegistersAbsentWithoutPri) {
    params.pri = false;
    create();
    w64(SMMU_PRIQ_BASE, 0x14000005);
    w32(SMMU_PRIQ_PROD, 1);
    w32(SMMU_PRIQ_CONS, 1);
    EXPECT_EQ(r64(SMMU_PRIQ_BASE), 0u);
    EXPECT_EQ(r32(SMMU_PRIQ_PROD), 0u);
    EXPECT_EQ(r32(SMMU_PRIQ_CONS), 0u);
}

// Conformance note 6: LOG2SIZE above IDR1.CMDQS behaves as CMDQS (the register reads back as
// written), and the base is aligned to the queue size, its low ADDR bits ignored (6.3.26).
TEST_F(Regs, QueueLog2SizeAboveMaximumBehavesAsMaximum) {
    params.cmdq_log2 = 3;
    create();
    cmdq_log2 = 3;
    w64(SMMU_CMDQ_BASE, CMDQ | 31);
    EXPECT_EQ(r64(SMMU_CMDQ_BASE) & 0x1F, 31u);
    w32(SMMU_CR0, SMMU_CR0_CMDQEN);
    for (int i = 0; i < 20; i++)
        issue(cfgi_ste(i)); // slots wrap at 8 entries
    EXPECT_TRUE(drained());
    EXPECT_EQ(r32(SMMU_CMDQ_CONS), 20u % 16u); // 20 = 2 wraps + 4: RD 4, RD_WRAP 0
}

TEST_F(Regs, QueueBaseLowBitsBelowQueueSizeIgnored) {
    // Commands at the aligned base CMDQ; the register holds CMDQ + 0x7E0 (256 entries, 4KB).
    w64(SMMU_CMDQ_BASE, (CMDQ + 0x7E0) | 8);
    w32(SMMU_CR0, SMMU_CR0_CMDQEN);
    issue(Cmd(0x00)); // an illegal command at the aligned base's slot 0 ...
    expect_stopped_at(0, SMMU_CERROR_ILL);
    EXPECT_EQ(r64(SMMU_CMDQ_BASE), (CMDQ + 0x7E0) | 8);
}

TEST_F(Regs, QueueOfOneEntryAlignedTo32Bytes) {
    cmdq_log2 = 0;
    w64(SMMU_CMDQ_BASE, (CMDQ + 0x30) | 0); // 16-byte queue: aligned to 32 bytes -> CMDQ+0x20
    w32(SMMU_CR0, SMMU_CR0_CMDQEN);
    put64(CMDQ + 0x20, Cmd(0x00).dw[0]); // illegal at the effective base
    put64(CMDQ + 0x30, cfgi_ste(1).dw[0]);
    w32(SMMU_CMDQ_PROD, 1); // one entry: WR_WRAP is bit 0
    EXPECT_TRUE(cmdq_err());
    EXPECT_EQ(r32(SMMU_CMDQ_CONS) & 1, 0u);
}

} // namespace
