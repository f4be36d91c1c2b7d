// SPDX-License-Identifier: Apache-2.0 OR MIT
// Architecture versions: SMMU_AIDR (6.3.8) reports the version params.arch_minor selects, every
// ID field the spec makes mandatory for that version is set, and lowering the version turns off
// exactly what it cannot have (2.9: an SMMUv3.N may have any subset of v3.(N+1)'s features, none
// of v3.(N+2)'s or later). The configurations of a feature turned off are ILLEGAL or RES0; those
// tests are next to each feature's (FwbV3_1, E0pdV3_2, XnxV3_0, BbmlV3_1, CmdqV3_1).
//
// Expected values are written from the spec text (the tables below cite each statement); none
// come from <smmu/arch.h> or from the core's own version table.
#include "fixture.h"

using namespace tfx;

namespace {

// ID register fields (offsets 6.3.1 IDR0 0x0, 6.3.4 IDR3 0xC, 6.3.6 IDR5 0x14, 6.3.8 AIDR 0x1C).
struct Field {
    const char *name;
    uint64_t reg;
    unsigned lsb, width;
};
constexpr Field IDR0_S2P{"IDR0.S2P", 0x0, 0, 1};
constexpr Field IDR0_S1P{"IDR0.S1P", 0x0, 1, 1};
constexpr Field IDR0_HYP{"IDR0.Hyp", 0x0, 9, 1};
constexpr Field IDR3_HAD{"IDR3.HAD", 0xC, 2, 1};
constexpr Field IDR3_XNX{"IDR3.XNX", 0xC, 4, 1};
constexpr Field IDR3_FWB{"IDR3.FWB", 0xC, 8, 1};
constexpr Field IDR3_RIL{"IDR3.RIL", 0xC, 10, 1};
constexpr Field IDR3_BBML{"IDR3.BBML", 0xC, 11, 2};
constexpr Field IDR3_E0PD{"IDR3.E0PD", 0xC, 13, 1};
constexpr Field IDR3_PTWNNC{"IDR3.PTWNNC", 0xC, 14, 1};
constexpr Field IDR5_OAS{"IDR5.OAS", 0x14, 0, 3};
constexpr Field AIDR_MINOR{"AIDR.ArchMinorRev", 0x1C, 0, 4};
constexpr Field AIDR_MAJOR{"AIDR.ArchMajorRev", 0x1C, 4, 4};

// What an implementation of SMMUv3.<from> or later must report, when it has the stages named.
enum Needs { ANY, S1, S2, BOTH };
struct Mandatory {
    unsigned from; // minor version
    Field f;
    uint32_t lo, hi; // the field reads a value in [lo, hi]
    Needs needs;
    const char *spec;
};
const Mandatory mandatory[] = {
    {1, IDR3_HAD, 1, 1, S1, "6.3.4 HAD: mandatory in v3.1 and later when S1P == 1"},
    {1, IDR3_XNX, 1, 1, S2, "6.3.4 XNX: mandatory in v3.1 and later when S2P == 1"},
    {2, IDR3_RIL, 1, 1, ANY, "6.3.4 RIL is 1 in v3.2 or later; 4.4.1.1"},
    {2, IDR3_BBML, 1, 2, ANY, "6.3.4 BBML is 0b01 or 0b10 in v3.2 or later"},
    {2, IDR3_FWB, 1, 1, ANY, "6.3.4 FWB is 1 in v3.2 or later (no stage condition)"},
    {2, IDR0_HYP, 1, 1, BOTH, "6.3.1 Hyp == 1 mandatory in v3.2 or later if S1P and S2P"},
    {3, IDR3_E0PD, 1, 1, ANY, "6.3.4 E0PD is 1 in all v3.3 and later; 2.5 SMMUv3.3-E0PD"},
    {3, IDR3_PTWNNC, 1, 1, S2, "6.3.4 PTWNNC == 1 in v3.3 and later with S2P == 1; 2.5"},
};

// The modelled features each version introduced (feature tables of 2.3 - 2.5), read as absent:
// a pure SMMUv3.N (smmu_params_init_version) has none of those introduced after N.
struct Introduced {
    unsigned in; // minor version
    Field f;
    uint32_t absent_hi; // the field reads at most this without the feature
    const char *spec;
};
const Introduced introduced[] = {
    {1, IDR3_XNX, 0, "2.3 SMMUv3.1-XNX; 6.3.4 XNX RES0 in v3.0"},
    {1, IDR5_OAS, 5, "2.3 SMMUv3.1-LPA; 6.3.6 OAS 0b110 (52 bits) Reserved in v3.0"},
    {2, IDR3_RIL, 0, "2.4 SMMUv3.2-RIL"},
    {2, IDR3_BBML, 0, "2.4 SMMUv3.2-BBML1/BBML2"},
    {2, IDR3_FWB, 0, "2.4 SMMUv3.2-S2FWB"},
    {3, IDR3_E0PD, 0, "2.5 SMMUv3.3-E0PD"},
    {3, IDR3_PTWNNC, 0, "2.5 SMMUv3.3-PTWNNC"},
};

class Version : public SmmuTest {
  protected:
    uint32_t get(const Field &f) {
        return (r32(f.reg) >> f.lsb) & ((1u << f.width) - 1);
    }
    bool applies(Needs n) {
        bool s1 = get(IDR0_S1P), s2 = get(IDR0_S2P);
        return n == ANY || (n == S1 && s1) || (n == S2 && s2) || (n == BOTH && s1 && s2);
    }
    // AIDR reads SMMUv3.<minor> (6.3.8: ArchMajorRev 0b0000 SMMUv3.x) and every field mandatory
    // for it is set.
    void expect_version(unsigned minor) {
        EXPECT_EQ(get(AIDR_MAJOR), 0u);
        EXPECT_EQ(get(AIDR_MINOR), minor);
        EXPECT_EQ(r32(0x1C) >> 8, 0u) << "AIDR bits [31:8] RES0";
        for (const auto &m : mandatory) {
            if (m.from > minor || !applies(m.needs)) continue;
            SCOPED_TRACE(m.spec);
            EXPECT_GE(get(m.f), m.lo) << m.f.name;
            EXPECT_LE(get(m.f), m.hi) << m.f.name;
        }
    }
    // smmu_params_init_version(minor): that version, with each of its mandatory fields set and
    // none of the features introduced after it.
    void pure(unsigned minor) {
        smmu_params_init_version(&params, minor);
        EXPECT_EQ(params.arch_minor, minor);
        create();
        expect_version(minor);
        for (const auto &i : introduced) {
            if (i.in <= minor) continue;
            SCOPED_TRACE(i.spec);
            EXPECT_LE(get(i.f), i.absent_hi) << i.f.name;
        }
    }
};

TEST_F(Version, DefaultParamsReportSmmuV3_3_6_3_8) {
    EXPECT_EQ(r32(0x1C), 0x03u); // ArchMajorRev 0 (SMMUv3.x), ArchMinorRev 0b0011 (SMMUv3.3)
    expect_version(3);
}

TEST_F(Version, V3_0MandatoryFieldsSet_2_2) {
    pure(0);
}

TEST_F(Version, V3_1MandatoryFieldsSet_2_3) {
    pure(1);
}

TEST_F(Version, V3_2MandatoryFieldsSet_2_4) {
    pure(2);
}

TEST_F(Version, V3_3MandatoryFieldsSet_2_5) {
    pure(3);
}

// The default (SMMUv3.3) set, stage by stage: the conditions "when S1P/S2P == 1" hold for the
// stages present.
TEST_F(Version, V3_3MandatoryFieldsSetWithOneStage_6_3_4) {
    for (bool s2 : {false, true}) {
        SCOPED_TRACE(s2 ? "stage 2 only" : "stage 1 only");
        smmu_params_init(&params);
        params.s1 = !s2;
        params.s2 = s2;
        if (s2) params.cd_2lvl = false;
        create();
        EXPECT_EQ(get(IDR0_S1P), s2 ? 0u : 1u);
        expect_version(3);
    }
}

// Lowering arch_minor of the default params (2.9): v3.(N+1)'s mandatory features and everything
// of v3.(N+2) and later read 0; the rest of IDR3 (HAD, XNX where kept) stays. IDR3 values written
// from 6.3.4: HAD bit 2, XNX 4, FWB 8, RIL 10, BBML [12:11] (Level 2), E0PD 13, PTWNNC 14.
TEST_F(Version, LoweringTurnsOffWhatTheVersionCannotHave_2_9) {
    const uint32_t had = 1u << 2, xnx = 1u << 4, fwb = 1u << 8, ril = 1u << 10, bbml2 = 2u << 11,
                   e0pd = 1u << 13, ptwnnc = 1u << 14, mpam = 1u << 7;
    // MPAM is optional in v3.2 (2.4): a v3.1 may keep it (2.9), a v3.0 may not
    const uint32_t idr3[4] = {had,              // v3.0: no XNX (mandatory in v3.1), no MPAM
                              had | xnx | mpam, // v3.1: no RIL, BBML, FWB (v3.2)
                              had | xnx | fwb | ril | bbml2 | mpam, // v3.2: no E0PD, PTWNNC (v3.3)
                              had | xnx | fwb | ril | bbml2 | mpam | e0pd |
                                  ptwnnc}; // v3.3: everything
    smmu_params_init(&params);
    create();
    const uint32_t idr0 = r32(0x0), idr1 = r32(0x4), idr5 = r32(0x14);
    for (unsigned n = 0; n < 4; n++) {
        SCOPED_TRACE(n);
        smmu_params_init(&params);
        params.arch_minor = (uint8_t)n;
        create();
        EXPECT_EQ(r32(0x1C), n);
        EXPECT_EQ(r32(0xC), idr3[n]);
        // IDR0: only HTTU (0b11, SMMUv3.4-HAFT) could change; this fixture's host has no atomic
        // compare-and-swap, so HTTU reads 0b00 at every version (Haft.HaftNeedsSmmuV3_3_2_9).
        EXPECT_EQ(r32(0x0), idr0) << "IDR0 has no feature introduced after v3.0";
        EXPECT_EQ(r32(0x4), idr1);
        // IDR5 (6.3.6): OAS 0b110 [2:0] has no encoding in v3.0 (48 bits, 0b101 there); VAX
        // [11:10] is RES0 in v3.0; DS [7] (SMMUv3.4-LPA2, 2.8) only from a v3.3 (2.9).
        const uint32_t oas = 7u, ds = 1u << 7, vax = 3u << 10;
        EXPECT_EQ(idr5 & (oas | ds | vax), 6u | ds | 1u << 10);
        const uint32_t want5 = (idr5 & ~(oas | ds | vax)) | (n >= 1 ? 6u : 5u) |
                               (n >= 3 ? ds : 0u) | (n >= 1 ? 1u << 10 : 0u);
        EXPECT_EQ(r32(0x14), want5);
        // The instance's effective parameters say the same (smmu_params()).
        const smmu_params_t *e = smmu_params(smmu);
        EXPECT_EQ(e->xnx, n >= 1);
        EXPECT_EQ(e->ril, n >= 2);
        EXPECT_EQ(e->fwb, n >= 2);
        EXPECT_EQ(e->bbml, n >= 2 ? 2u : 0u);
        EXPECT_EQ(e->e0pd, n >= 3);
        EXPECT_EQ(e->ptwnnc, n >= 3);
        EXPECT_EQ(e->arch_minor, n);
    }
}

// 2.9 lets a v3.0 include v3.1's optional SMMUv3.1-LPA (2.3), but 6.3.6 gives v3.0 no encoding for
// it ("0b110 52 bits. In SMMUv3.0, this value is Reserved"): a v3.0 reports at most 48 bits even
// when the params ask for 52; a v3.1 keeps them.
TEST_F(Version, V3_0HasNoEncodingFor52BitOas_6_3_6) {
    smmu_params_init(&params);
    params.oas_bits = 52;
    params.gran4k = params.gran16k = false; // 52-bit OA with the 64KB granule (D8.3)
    params.arch_minor = 0;
    create();
    EXPECT_EQ(get(IDR5_OAS), 0b101u);
    EXPECT_EQ(smmu_params(smmu)->oas_bits, 48u);
    params.arch_minor = 1;
    create();
    EXPECT_EQ(get(IDR5_OAS), 0b110u);
}

// 6.3.8: ArchMinorRev 0b0100 is SMMUv3.4, whose MTE_PERM (2.8, IDR3.MTEPERM) is mandatory and not
// modelled: smmu_new refuses 4 and anything later.
TEST_F(Version, V3_4AndLaterRefused_2_8) {
    smmu_host_t h{};
    smmu_mem_host(mem, &h);
    for (unsigned n : {4u, 5u, 15u}) {
        SCOPED_TRACE(n);
        smmu_params_t p;
        smmu_params_init(&p);
        p.arch_minor = (uint8_t)n;
        EXPECT_EQ(smmu_new(&p, &h), nullptr);
        smmu_params_init_version(&p, n);
        EXPECT_EQ(p.arch_minor, n);
        EXPECT_EQ(smmu_new(&p, &h), nullptr);
    }
}

// smmu_params_init_version(3) is a pure SMMUv3.3: the defaults without what they take from v3.4
// (2.9 lets a v3.3 have v3.4's optional features): HAFT (2.8, IDR0.HTTU 0b11 -> 0b10) and LPA2
// (2.8, IDR5.DS).
TEST_F(Version, InitVersion3IsTheDefaultWithoutV3_4Features_2_5) {
    smmu_params_t d, v;
    smmu_params_init(&d);
    smmu_params_init_version(&v, 3);
    EXPECT_EQ(d.arch_minor, 3u);
    EXPECT_EQ(d.httu, 3u);
    EXPECT_EQ(v.httu, 2u);
    EXPECT_TRUE(d.lpa2);
    EXPECT_FALSE(v.lpa2);
    v.httu = d.httu;
    v.lpa2 = d.lpa2;
    EXPECT_EQ(std::memcmp(&d, &v, sizeof(d)), 0);
}

} // namespace
