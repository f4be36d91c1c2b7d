// SPDX-License-Identifier: Apache-2.0 OR MIT
// Secure state of a PMCG (spec 10.6, 10.4, 10.5.2.12) and the MPAM label of its MSIs (17.5,
// 10.5.2.25, 10.5.2.27, 10.5.2.28): SMMU_PMCG_SCR to Secure accesses only, NSRA, Secure
// observation (SO) with EVTYPERn.FILTER_SEC_SID, the PA space of MSIs (NSMSI | NSRA), GMPAM and
// the MPAMIDRs. Offsets and fields come from tenc_pmcg.h and are written here from the spec.
#include "secure_fixture.h"
#include "tenc_cfg.h"
#include "tenc_pmcg.h"

using namespace sfx;
namespace pm = tenc::pmcg;
using tenc::Ste;

namespace {

constexpr uint64_t MSI_ADDR = 0x30000040;
constexpr int PMCG_LINE0 = 7; // host->irq line of group 0 (smmu.h: after the SMMU's seven)

struct PmcgSecure : SecureTest {
    void configure(smmu_params_t &p) override {
        p.pmcg_groups = 1;
        p.pmcg_counters = 4;
        p.pmcg_counter_bits = 32; // 4-byte EVCNTR stride (10.5.1)
        p.pmcg_reloc = false;     // counters in Page 0
        p.pmcg_msi = true;
        p.mpam = true;
        p.mpam_partid_max = 0xFF; // Non-secure: 8 and 2 bits
        p.mpam_pmg_max = 0x03;
        p.mpam_s_partid_max = 0x34; // Secure: 6 and 4 bits
        p.mpam_s_pmg_max = 0x0F;
        p.mpam_ns = true;
    }
    uint32_t prd(uint64_t off, bool secure) {
        return (uint32_t)smmu_pmcg_reg_read_sec(smmu, 0, off, 4, secure);
    }
    void pwr(uint64_t off, uint32_t v, bool secure) {
        smmu_pmcg_reg_write_sec(smmu, 0, off, v, 4, secure);
    }
    uint32_t ctr(unsigned n) {
        return prd(pm::EVCNTR0 + 4 * n, true);
    }
    // Counter n counts event with filter smr / span / FILTER_SEC_SID, enabled (Secure accesses:
    // they reach the group whatever NSRA).
    void program(unsigned n, uint32_t event, uint32_t smr, bool span, bool sec_sid) {
        pwr(pm::EVTYPER0 + 4 * n, pm::evtyper(event, span) | (sec_sid ? pm::EVTYPER_SEC_SID : 0),
            true);
        pwr(pm::SMR0 + 4 * n, smr, true);
        pwr(pm::EVCNTR0 + 4 * n, 0, true);
        pwr(pm::CNTENSET0, 1u << n, true);
        pwr(pm::CR, pm::CR_E, true);
    }
    // Both interfaces on, a bypass STE for StreamIDs 0-7 in both Stream tables.
    void streams() {
        enable(false);
        enable(true);
        for (uint32_t sid = 0; sid < 8; sid++) {
            put_ste(false, sid, Ste::bypass().dw);
            put_ste(true, sid, Ste::bypass().dw);
        }
    }
    // Counter 0 one transaction short of overflow, its interrupt enabled with an MSI to
    // MSI_ADDR; then one Non-secure transaction overflows it (10.2.1).
    void overflow_msi() {
        streams();
        program(0, pm::EV_TRANSACTION, 0xFFFFFFFF, true, false);
        pwr(pm::EVCNTR0, 0xFFFFFFFF, true);
        pwr(pm::INTENSET0, 1, true);
        pwr(pm::IRQ_CFG0, (uint32_t)MSI_ADDR, true);
        pwr(pm::IRQ_CFG0 + 4, 0, true);
        pwr(pm::IRQ_CFG1, 0x5EC, true);
        pwr(pm::IRQ_CTRL, pm::IRQ_CTRL_IRQEN, true);
        log.clear();
        ASSERT_EQ(xlate(false, 1, 0x1000).status, SMMU_OK);
    }
    std::vector<Access> msis() const {
        return accesses(MSI_ADDR, 4);
    }
};

struct PmcgNoSecure : PmcgSecure {
    void configure(smmu_params_t &p) override {
        PmcgSecure::configure(p);
        p.secure_impl = false;
    }
};

// ------------------------------------------------------------------ SCR and register access

TEST_F(PmcgSecure, ScrIsSecureOnlyWithItsResetValues_10_5_2_12) {
    // READS_AS_ONE; NSRA and NSMSI reset to 1, SO to 0
    EXPECT_EQ(prd(pm::SCR, true), pm::SCR_READS_AS_ONE | pm::SCR_NSRA | pm::SCR_NSMSI);
    EXPECT_EQ(prd(pm::SCR, false), 0u); // RAZ/WI to a Non-secure access
    pwr(pm::SCR, pm::SCR_SO, false);
    EXPECT_EQ(prd(pm::SCR, true), pm::SCR_READS_AS_ONE | pm::SCR_NSRA | pm::SCR_NSMSI);
    // Secure MSIs (NSRA == NSMSI == 0): MSI_MPAM_NS is writable with HAS_MPAM_NS
    pwr(pm::SCR, pm::SCR_MSI_MPAM_NS | pm::SCR_SO, true);
    EXPECT_EQ(prd(pm::SCR, true), pm::SCR_READS_AS_ONE | pm::SCR_MSI_MPAM_NS | pm::SCR_SO);
    pwr(pm::SCR, 0xFFFFFFFF & ~pm::SCR_MSI_MPAM_NS, true); // NAO [4] RES0 without ROOTCR_IMPL
    EXPECT_EQ(prd(pm::SCR, true), pm::SCR_READS_AS_ONE | pm::SCR_NSMSI | pm::SCR_NSRA | pm::SCR_SO);
    EXPECT_EQ(prd(pm::SCR_ALIAS, true), 0u); // the alias needs ROOTCR_IMPL (10.5.2.12)
}

TEST_F(PmcgSecure, NsraClearMakesTheGroupRazWiToNonSecure_10_6) {
    pwr(pm::CR, pm::CR_E, false);
    EXPECT_EQ(prd(pm::CR, false), pm::CR_E);
    pwr(pm::SCR, pm::SCR_NSMSI, true); // NSRA = 0
    EXPECT_EQ(prd(pm::CR, false), 0u);
    EXPECT_EQ(prd(pm::CFGR, false), 0u);
    pwr(pm::CR, 0, false); // ignored
    EXPECT_EQ(prd(pm::CR, true), pm::CR_E);
    pwr(pm::SCR, pm::SCR_NSRA, true);
    EXPECT_EQ(prd(pm::CR, false), pm::CR_E);
}

// 10.5.2.2: FILTER_SEC_SID is writable where a filter is, when the PMCG supports Secure state.
TEST_F(PmcgSecure, FilterSecSidReadsBack_10_5_2_2) {
    pwr(pm::EVTYPER0 + 4, pm::evtyper(pm::EV_TRANSACTION) | pm::EVTYPER_SEC_SID, false);
    EXPECT_EQ(prd(pm::EVTYPER0 + 4, false), pm::evtyper(pm::EV_TRANSACTION) | pm::EVTYPER_SEC_SID);
}

TEST_F(PmcgNoSecure, ScrAndFilterSecSidRes0WithoutSecureState_10_5_2_12) {
    EXPECT_EQ(prd(pm::SCR, true), 0u);
    pwr(pm::SCR, 0, true);
    pwr(pm::CR, pm::CR_E, false); // NSRA cannot be cleared: still reachable
    EXPECT_EQ(prd(pm::CR, false), pm::CR_E);
    pwr(pm::EVTYPER0, pm::evtyper(pm::EV_TRANSACTION) | pm::EVTYPER_SEC_SID, false);
    EXPECT_EQ(prd(pm::EVTYPER0, false), pm::evtyper(pm::EV_TRANSACTION));
    EXPECT_EQ(prd(pm::S_MPAMIDR, true), 0u);
}

// ------------------------------------------------------------------ Secure observation

// 10.6: with SO == 0 only events of Non-secure StreamIDs count, even for a filter matching all
// StreamIDs (AllSIDManySECSID); with SO == 1 that filter counts both.
TEST_F(PmcgSecure, SecureEventsCountOnlyWithSecureObservation_10_6) {
    streams();
    program(0, pm::EV_TRANSACTION, 0xFFFFFFFF, true, false);
    xlate(true, 1, 0x1000);
    xlate(true, 2, 0x1000);
    xlate(false, 1, 0x1000);
    EXPECT_EQ(ctr(0), 1u);
    pwr(pm::SCR, pm::SCR_NSRA | pm::SCR_NSMSI | pm::SCR_SO, true);
    xlate(true, 1, 0x1000);
    xlate(true, 2, 0x1000);
    xlate(false, 1, 0x1000);
    EXPECT_EQ(ctr(0), 4u);
}

// 10.4: in ExactSID, PartialSID and AllSIDOneSECSID modes FILTER_SEC_SID & SO selects the
// namespace: Secure events only when both are 1, Non-secure events only otherwise.
TEST_F(PmcgSecure, FilterSecSidSelectsTheStreamIdNamespace_10_4) {
    streams();
    const unsigned sidsize = smmu_params(smmu)->sidsize;
    const uint32_t one_secsid = (uint32_t)((1ull << (sidsize - 1)) - 1); // AllSIDOneSECSID
    pwr(pm::SCR, pm::SCR_NSRA | pm::SCR_NSMSI | pm::SCR_SO, true);
    program(0, pm::EV_TRANSACTION, 3, false, true);          // ExactSID 3, Secure
    program(1, pm::EV_TRANSACTION, 3, false, false);         // ExactSID 3, Non-secure
    program(2, pm::EV_TRANSACTION, one_secsid, true, true);  // every Secure StreamID
    program(3, pm::EV_TRANSACTION, one_secsid, true, false); // every Non-secure StreamID
    xlate(true, 3, 0x1000);
    xlate(false, 3, 0x1000);
    xlate(true, 4, 0x1000);
    EXPECT_EQ(ctr(0), 1u);
    EXPECT_EQ(ctr(1), 1u);
    EXPECT_EQ(ctr(2), 2u);
    EXPECT_EQ(ctr(3), 1u);
    // SO == 0: FILTER_SEC_SID is effectively 0, so counters 0 and 2 now count the Non-secure
    // StreamID 3 and not the Secure one
    pwr(pm::SCR, pm::SCR_NSRA | pm::SCR_NSMSI, true);
    xlate(true, 3, 0x1000);
    xlate(false, 3, 0x1000);
    EXPECT_EQ(ctr(0), 2u);
    EXPECT_EQ(ctr(2), 3u);
    EXPECT_EQ(ctr(3), 2u);
}

// ------------------------------------------------------------------ MSIs

// 10.6: NS = NSMSI | NSRA: a Secure MSI only with both 0.
TEST_F(PmcgSecure, MsiPaSpaceIsNsmsiOrNsra_10_6) {
    const struct {
        uint32_t scr;
        bool secure;
    } cases[] = {{pm::SCR_NSRA | pm::SCR_NSMSI, false},
                 {pm::SCR_NSRA, false},
                 {pm::SCR_NSMSI, false},
                 {0, true}};
    for (const auto &c : cases) {
        TearDown();
        SetUp();
        edges[PMCG_LINE0] = 0;
        pwr(pm::SCR, c.scr, true);
        overflow_msi();
        auto m = msis();
        ASSERT_EQ(m.size(), 1u) << c.scr;
        EXPECT_TRUE(m[0].write);
        EXPECT_EQ(m[0].secure, c.secure) << c.scr;
        EXPECT_EQ(smmu_mem_read64(space(c.secure), MSI_ADDR) & 0xFFFFFFFFu, 0x5ECu);
        EXPECT_EQ(edges[PMCG_LINE0], 1);
    }
}

TEST_F(PmcgSecure, MpamIdRegistersAndCfgrMpam_10_5_2_27_10_5_2_28) {
    EXPECT_TRUE(pm::cfgr_mpam(prd(pm::CFGR, false)));
    EXPECT_EQ(prd(pm::MPAMIDR, false), 0x0300FFu); // PMG_MAX [23:16], PARTID_MAX [15:0]
    EXPECT_EQ(prd(pm::S_MPAMIDR, true), pm::S_MPAMIDR_HAS_MPAM_NS | 0x0F0034u);
    EXPECT_EQ(prd(pm::S_MPAMIDR, false), 0u); // Secure only
}

// 10.5.2.25: the GMPAM Update protocol; bits above the greater of the Non-secure and Secure
// widths are RES0 (PARTID 8 bits from 0xFF, PMG 4 bits from 0x0F).
TEST_F(PmcgSecure, GmpamUpdateAndCombinedWidths_10_5_2_25) {
    EXPECT_EQ(prd(pm::GMPAM, false), 0u);
    pwr(pm::GMPAM, pm::gmpam(0x12, 1), false); // no Update: IGNORED
    EXPECT_EQ(prd(pm::GMPAM, false), 0u);
    pwr(pm::GMPAM, pm::GMPAM_UPDATE | pm::gmpam(0xFFFF, 0xFF), false);
    EXPECT_EQ(prd(pm::GMPAM, false), pm::gmpam(0xFF, 0x0F)); // Update completed: reads 0
}

// 17.5: GMPAM labels the MSI in the PARTID space of its PA space; a Secure MSI with
// SCR.MSI_MPAM_NS (HAS_MPAM_NS) uses Non-secure space. Not the SMMU's GMPAM.
TEST_F(PmcgSecure, MsiLabelFromGmpamInTheSpaceOfItsTarget_17_5) {
    const struct {
        uint32_t scr;
        bool ns;
    } cases[] = {{pm::SCR_NSRA | pm::SCR_NSMSI, true}, {0, false}, {pm::SCR_MSI_MPAM_NS, true}};
    for (const auto &c : cases) {
        TearDown();
        SetUp();
        smmu_reg_write(smmu, 0x138, (1u << 31) | 0x77, 4); // SMMU_GMPAM: not the PMCG's
        pwr(pm::SCR, c.scr, true);
        pwr(pm::GMPAM, pm::GMPAM_UPDATE | pm::gmpam(0x21, 2), true);
        overflow_msi();
        auto m = msis();
        ASSERT_EQ(m.size(), 1u);
        EXPECT_EQ(m[0].m.partid, 0x21u) << c.scr;
        EXPECT_EQ(m[0].m.pmg, 2u);
        EXPECT_EQ(m[0].m.ns, c.ns) << c.scr;
    }
}

} // namespace
