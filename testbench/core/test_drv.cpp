// SPDX-License-Identifier: Apache-2.0 OR MIT
// The small driver (<smmu/drv.h>): initialization (spec 3.11), every attach kind, map/unmap at
// every granule with blocks (Arm ARM D8), PASIDs (spec 5.3/5.4), events read back (spec 7.3),
// command errors (spec 4.1, 7.1). Table contents are checked against the spec's bit positions
// through tenc.h, never through the core's field table.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include <smmu/drv.h>
#include <smmu/mem.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>

#include "drv_fixture.h"
#include "tenc.h"

namespace {

using tfx::DrvTest;

class Drv : public DrvTest {
  protected:
    smmu_result_t xlate(uint32_t sid, uint64_t iova, unsigned access = SMMU_DRV_READ,
                        uint32_t ssid = SMMU_DRV_NO_SSID) {
        smmu_result_t r{};
        EXPECT_EQ(smmu_drv_translate(drv, sid, ssid, iova, access, &r), 0);
        return r;
    }
    int drain_events() {
        smmu_drv_event_t ev;
        int n = 0;
        while (smmu_drv_next_event(drv, &ev) == 0)
            n++;
        return n;
    }
    // The STE of sid, located as the spec says (6.3.24/6.3.25, 5.1), independently of the driver.
    void read_ste(uint32_t sid, uint64_t ste[8]) {
        uint64_t base = smmu_reg_read(smmu, SMMU_STRTAB_BASE, 8) & 0x00FFFFFFFFFFFFC0ull;
        uint32_t cfg = (uint32_t)smmu_reg_read(smmu, SMMU_STRTAB_BASE_CFG, 4);
        uint64_t pa;
        if (((cfg >> 16) & 3) == 0) {
            pa = base + 64ull * sid;
        } else {
            unsigned split = (cfg >> 6) & 31;
            uint64_t l1 = smmu_mem_read64(mem, base + 8ull * (sid >> split));
            pa = (l1 & 0x00FFFFFFFFFFFFC0ull) + 64ull * (sid & ((1u << split) - 1));
        }
        for (int i = 0; i < 8; i++)
            ste[i] = smmu_mem_read64(mem, pa + 8 * i);
    }
};

// ---------------------------------------------------------------- initialization (3.11)

TEST_F(Drv, InitEnablesQueuesThenSmmu) {
    uint32_t want = SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN;
    if (smmu_reg_read(smmu, SMMU_IDR0, 4) & (1u << 16)) want |= SMMU_CR0_PRIQEN; // IDR0.PRI
    EXPECT_EQ(smmu_reg_read(smmu, SMMU_CR0ACK, 4), want);
    uint32_t prod = (uint32_t)smmu_reg_read(smmu, SMMU_CMDQ_PROD, 4);
    uint32_t cons = (uint32_t)smmu_reg_read(smmu, SMMU_CMDQ_CONS, 4);
    EXPECT_NE(prod, 0u) << "CFGI_ALL, TLBI_NSNH_ALL, SYNC were issued";
    EXPECT_EQ(cons & 0x00FFFFFF, prod & 0x00FFFFFF);
    EXPECT_EQ((cons >> 24) & 0x7F, 0u) << "no CERROR";
    EXPECT_EQ(smmu_reg_read(smmu, SMMU_GERROR, 4), smmu_reg_read(smmu, SMMU_GERRORN, 4));
}

TEST_F(Drv, InitTwoLevelStreamTableForLargeSidSpace) {
    // Default params: SIDSIZE 20 -> 2-level, SPLIT 8 (6.3.25).
    uint32_t cfg = (uint32_t)smmu_reg_read(smmu, SMMU_STRTAB_BASE_CFG, 4);
    EXPECT_EQ((cfg >> 16) & 3, 1u) << "FMT 2-level";
    EXPECT_EQ((cfg >> 6) & 31, 8u) << "SPLIT";
    EXPECT_EQ(cfg & 63, 20u) << "LOG2SIZE";
    smmu_drv_info_t in{};
    smmu_drv_info(drv, &in);
    EXPECT_TRUE(in.st_2lvl);
    EXPECT_EQ(in.sid_bits, 20u);
}

class DrvSmallSid : public Drv {
    void configure(smmu_params_t &p) override {
        p.sidsize = 6;
    }
};

TEST_F(DrvSmallSid, InitLinearStreamTableForSmallSidSpace) {
    uint32_t cfg = (uint32_t)smmu_reg_read(smmu, SMMU_STRTAB_BASE_CFG, 4);
    EXPECT_EQ((cfg >> 16) & 3, 0u);
    EXPECT_EQ(cfg & 63, 6u);
    ASSERT_EQ(smmu_drv_attach_bypass(drv, 63), 0);
    EXPECT_EQ(xlate(63, 0x4321).status, SMMU_OK);
    EXPECT_EQ(smmu_drv_attach_bypass(drv, 64), SMMU_DRV_EINVAL) << "beyond SIDSIZE";
}

// An SMMU whose CR0ACK never follows CR0: init gives up with an error instead of hanging.
struct Deaf {
    smmu_t *s;
    smmu_mem_t *m;
};
static uint64_t deaf_rd(void *c, uint64_t off, unsigned size) {
    Deaf *d = static_cast<Deaf *>(c);
    return smmu_reg_read(d->s, off, size);
}
static void deaf_wr(void *c, uint64_t off, uint64_t v, unsigned size) {
    Deaf *d = static_cast<Deaf *>(c);
    if (off != SMMU_CR0) smmu_reg_write(d->s, off, v, size);
}
static int deaf_mrd(void *c, uint64_t pa, void *buf, size_t len) {
    return smmu_mem_read(static_cast<Deaf *>(c)->m, pa, buf, len);
}
static int deaf_mwr(void *c, uint64_t pa, const void *buf, size_t len) {
    return smmu_mem_write(static_cast<Deaf *>(c)->m, pa, buf, len);
}

TEST_F(Drv, InitTimesOutWhenCr0AckNeverFollows) {
    smmu_host_t host{};
    smmu_mem_host(mem, &host);
    smmu_t *s2 = smmu_new(&params, &host);
    ASSERT_NE(s2, nullptr);
    Deaf ctx{s2, mem};
    smmu_drv_ops_t ops{&ctx, deaf_rd, deaf_wr, deaf_mrd, deaf_mwr};
    smmu_drv_config_t cfg{};
    cfg.pool_base = 0x40000000;
    cfg.pool_size = 16 << 20;
    cfg.poll_limit = 50;
    smmu_drv_t *d2 = smmu_drv_new(&ops, &cfg);
    ASSERT_NE(d2, nullptr);
    EXPECT_EQ(smmu_drv_init(d2), SMMU_DRV_ETIMEDOUT);
    smmu_result_t r{};
    EXPECT_EQ(smmu_drv_translate(d2, 0, SMMU_DRV_NO_SSID, 0, 0, &r), SMMU_DRV_ENOTSUP)
        << "an ops driver has no core to translate with";
    smmu_drv_free(d2);
    smmu_free(s2);
}

TEST_F(Drv, InitTwiceIsRejected) {
    EXPECT_EQ(smmu_drv_init(drv), SMMU_DRV_EINVAL);
}

// ---------------------------------------------------------------- simple attach kinds (5.2)

TEST_F(Drv, BypassIsIdentity) {
    ASSERT_EQ(smmu_drv_attach_bypass(drv, 7), 0);
    uint64_t ste[8];
    read_ste(7, ste);
    EXPECT_EQ(tenc::get(ste, 0, 1), 1u);
    EXPECT_EQ(tenc::get(ste, 1, 3), 4u) << "Config bypass";
    smmu_result_t r = xlate(7, 0x123456789ull, SMMU_DRV_WRITE);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x123456789ull);
}

TEST_F(Drv, AbortStreamFaultsWithoutEvent) {
    ASSERT_EQ(smmu_drv_attach_abort(drv, 9), 0);
    uint64_t ste[8];
    read_ste(9, ste);
    EXPECT_EQ(tenc::get(ste, 0, 4), 1u) << "V=1, Config=0";
    smmu_result_t r = xlate(9, 0x1000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    smmu_drv_event_t ev;
    EXPECT_EQ(smmu_drv_next_event(drv, &ev), SMMU_DRV_ENOENT);
}

TEST_F(Drv, DetachGivesBadSteEvent) {
    ASSERT_EQ(smmu_drv_attach_bypass(drv, 5), 0);
    EXPECT_EQ(xlate(5, 0x1000).status, SMMU_OK);
    ASSERT_EQ(smmu_drv_detach(drv, 5), 0);
    smmu_result_t r = xlate(5, 0x2000);
    EXPECT_EQ(r.status, SMMU_FAULT) << "CFGI_STE made the SMMU re-read the STE";
    smmu_drv_event_t ev;
    ASSERT_EQ(smmu_drv_next_event(drv, &ev), 0);
    EXPECT_EQ(ev.type, SMMU_EVT_C_BAD_STE);
    EXPECT_EQ(ev.sid, 5u);
    EXPECT_STREQ(ev.name, "C_BAD_STE");
}

TEST_F(Drv, SidWithoutL2TableGivesBadStreamId) {
    ASSERT_EQ(smmu_drv_attach_bypass(drv, 0x100), 0); // L2 table of SIDs 0x100..0x1FF only
    smmu_result_t r = xlate(0x2345, 0x1000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    smmu_drv_event_t ev;
    ASSERT_EQ(smmu_drv_next_event(drv, &ev), 0);
    EXPECT_EQ(ev.type, SMMU_EVT_C_BAD_STREAMID);
    EXPECT_EQ(ev.sid, 0x2345u);
}

// ---------------------------------------------------------------- stage 1, every granule

struct GranCase {
    unsigned granule;
    uint64_t block; // level-2 block size (Arm ARM D8.3)
};

class DrvS1Gran : public Drv, public ::testing::WithParamInterface<GranCase> {};

TEST_P(DrvS1Gran, PageAndBlockMapTranslateUnmap) {
    GranCase g = GetParam();
    smmu_domain_t *dom = domain(1, 3, g.granule, 48);
    ASSERT_NE(dom, nullptr);
    ASSERT_EQ(smmu_drv_attach_s1(drv, 0x10, dom, 0, SMMU_DRV_S1DSS_TERMINATE), 0);
    // One page, and one block-aligned block-sized range.
    ASSERT_EQ(smmu_drv_map(drv, dom, 0x10000000, 0x20000000, g.granule, SMMU_PROT_R | SMMU_PROT_W),
              0);
    uint64_t biova = 16 * g.block, bpa = 64 * g.block;
    ASSERT_EQ(smmu_drv_map(drv, dom, biova, bpa, g.block, SMMU_PROT_R), 0);

    smmu_result_t r = xlate(0x10, 0x10000000 + 0x18, SMMU_DRV_WRITE);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x20000018u);
    EXPECT_EQ(r.span, g.granule);
    EXPECT_EQ(r.perm & (SMMU_PERM_R | SMMU_PERM_W), SMMU_PERM_R | SMMU_PERM_W);

    r = xlate(0x10, biova + g.block - 8);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, bpa + g.block - 8);
    EXPECT_EQ(r.span, g.block) << "mapped with one block descriptor";
    EXPECT_EQ(r.perm & SMMU_PERM_W, 0);
    uint64_t pa = 0;
    EXPECT_EQ(smmu_drv_iova_to_phys(drv, dom, biova + 0x1234, &pa), 0);
    EXPECT_EQ(pa, bpa + 0x1234);

    // Read-only block: a write is a permission fault.
    r = xlate(0x10, biova, SMMU_DRV_WRITE);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_PERMISSION);

    // Unmap invalidates: the TLB entry made above must not survive.
    ASSERT_EQ(smmu_drv_unmap(drv, dom, 0x10000000, g.granule), 0);
    r = xlate(0x10, 0x10000000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_TRANSLATION);
    ASSERT_EQ(smmu_drv_unmap(drv, dom, biova, g.block), 0);
    EXPECT_EQ(xlate(0x10, biova).status, SMMU_FAULT);
    EXPECT_EQ(smmu_drv_iova_to_phys(drv, dom, biova, &pa), SMMU_DRV_ENOENT);

    // Events: permission fault, then two translation faults, with the input address.
    smmu_drv_event_t ev;
    ASSERT_EQ(smmu_drv_next_event(drv, &ev), 0);
    EXPECT_EQ(ev.type, SMMU_EVT_F_PERMISSION);
    EXPECT_EQ(ev.addr, biova);
    EXPECT_FALSE(ev.rnw);
    EXPECT_EQ(ev.sid, 0x10u);
    ASSERT_EQ(smmu_drv_next_event(drv, &ev), 0);
    EXPECT_EQ(ev.type, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(ev.addr, 0x10000000u);
    EXPECT_TRUE(ev.rnw);
    ASSERT_EQ(smmu_drv_next_event(drv, &ev), 0);
    EXPECT_EQ(ev.addr, biova);
    EXPECT_EQ(smmu_drv_next_event(drv, &ev), SMMU_DRV_ENOENT);
}

INSTANTIATE_TEST_SUITE_P(Granules, DrvS1Gran,
                         ::testing::Values(GranCase{4096, 2ull << 20}, GranCase{16384, 32ull << 20},
                                           GranCase{65536, 512ull << 20}),
                         [](const ::testing::TestParamInfo<GranCase> &i) {
                             return "Gran" + std::to_string(i.param.granule / 1024) + "k";
                         });

TEST_F(Drv, S1Gran4kOneGigabyteBlockAtLevel1) {
    smmu_domain_t *dom = domain(1, 1, 4096, 39);
    ASSERT_NE(dom, nullptr);
    unsigned start = 9;
    smmu_drv_domain_geometry(dom, nullptr, &start, nullptr);
    EXPECT_EQ(start, 1u) << "39-bit VA, 4K granule: start level 1 (D8.2)";
    ASSERT_EQ(smmu_drv_attach_s1(drv, 1, dom, 0, 0), 0);
    // 1 GiB + 2 MiB + 4 KiB, all aligned: one of each size.
    uint64_t size = (1ull << 30) + (2ull << 20) + 4096;
    ASSERT_EQ(smmu_drv_map(drv, dom, 1ull << 30, 1ull << 32, size, SMMU_PROT_R), 0);
    smmu_result_t r = xlate(1, (1ull << 30) + 5);
    EXPECT_EQ(r.span, 1ull << 30);
    EXPECT_EQ(r.pa, (1ull << 32) + 5);
    r = xlate(1, (2ull << 30) + 5);
    EXPECT_EQ(r.span, 2ull << 20);
    r = xlate(1, (2ull << 30) + (2ull << 20));
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.span, 4096u);
    EXPECT_EQ(r.pa, (1ull << 32) + (1ull << 30) + (2ull << 20));
    EXPECT_EQ(xlate(1, (2ull << 30) + (2ull << 20) + 4096).status, SMMU_FAULT);
}

TEST_F(Drv, MapRejectsOverlapMisalignmentAndPartialBlockUnmap) {
    smmu_domain_t *dom = domain(1, 1, 4096, 48);
    ASSERT_NE(dom, nullptr);
    ASSERT_EQ(smmu_drv_map(drv, dom, 0x200000, 0x400000, 0x200000, SMMU_PROT_R), 0);
    EXPECT_EQ(smmu_drv_map(drv, dom, 0x201000, 0x1000, 0x1000, SMMU_PROT_R), SMMU_DRV_EEXIST);
    EXPECT_EQ(smmu_drv_map(drv, dom, 0x1800, 0x1000, 0x1000, SMMU_PROT_R), SMMU_DRV_EINVAL);
    EXPECT_EQ(smmu_drv_map(drv, dom, 1ull << 48, 0x1000, 0x1000, SMMU_PROT_R), SMMU_DRV_EINVAL);
    EXPECT_EQ(smmu_drv_unmap(drv, dom, 0x201000, 0x1000), SMMU_DRV_EINVAL);
    EXPECT_EQ(smmu_drv_unmap(drv, dom, 0x10000000, 0x1000), 0) << "holes are skipped";
}

TEST_F(Drv, S1PrivOnlyAndExecPermissions) {
    smmu_domain_t *dom = domain(1, 2, 4096, 48);
    ASSERT_NE(dom, nullptr);
    ASSERT_EQ(smmu_drv_attach_s1(drv, 2, dom, 0, 0), 0);
    ASSERT_EQ(
        smmu_drv_map(drv, dom, 0x1000, 0x9000, 0x1000, SMMU_PROT_R | SMMU_PROT_W | SMMU_PROT_PRIV),
        0);
    ASSERT_EQ(smmu_drv_map(drv, dom, 0x2000, 0xA000, 0x1000, SMMU_PROT_R | SMMU_PROT_X), 0);
    EXPECT_EQ(xlate(2, 0x1000, SMMU_DRV_READ | SMMU_DRV_PRIV).status, SMMU_OK);
    smmu_result_t r = xlate(2, 0x1000, SMMU_DRV_READ);
    EXPECT_EQ(r.status, SMMU_FAULT) << "unprivileged access to a privileged-only page";
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_PERMISSION);
    r = xlate(2, 0x2000, SMMU_DRV_READ | SMMU_DRV_EXEC);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0xA000u);
    r = xlate(2, 0x1000, SMMU_DRV_READ | SMMU_DRV_EXEC | SMMU_DRV_PRIV);
    EXPECT_EQ(r.status, SMMU_FAULT) << "no X on the first page";
}

TEST_F(Drv, DeviceAndNormalAttributes) {
    smmu_domain_t *dom = domain(1, 2, 4096, 48);
    ASSERT_NE(dom, nullptr);
    ASSERT_EQ(smmu_drv_attach_s1(drv, 2, dom, 0, 0), 0);
    ASSERT_EQ(smmu_drv_map(drv, dom, 0x1000, 0x9000, 0x1000, SMMU_PROT_R | SMMU_PROT_DEVICE), 0);
    ASSERT_EQ(smmu_drv_map(drv, dom, 0x2000, 0xA000, 0x1000, SMMU_PROT_R), 0);
    smmu_result_t r = xlate(2, 0x1000);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.attr, 0x04) << "Device-nGnRE";
    r = xlate(2, 0x2000);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.attr, 0xFF) << "Normal WB";
}

// ---------------------------------------------------------------- PASIDs (CD tables)

TEST_F(Drv, PasidsSelectTheirOwnAddressSpaces) {
    smmu_domain_t *a = domain(1, 10, 4096, 48), *b = domain(1, 11, 16384, 48);
    ASSERT_TRUE(a && b);
    ASSERT_EQ(smmu_drv_map(drv, a, 0x1000, 0x111000, 0x1000, SMMU_PROT_R), 0);
    ASSERT_EQ(smmu_drv_map(drv, b, 0x0, 0x224000, 0x4000, SMMU_PROT_R), 0);
    // 8 SSID bits: more than one 4 KiB leaf of 64 CDs, so 2-level (S1Fmt 0b01).
    ASSERT_EQ(smmu_drv_attach_s1(drv, 0x20, nullptr, 8, SMMU_DRV_S1DSS_BYPASS), 0);
    uint64_t ste[8];
    read_ste(0x20, ste);
    EXPECT_EQ(tenc::get(ste, 1, 3), 5u) << "Config S1";
    EXPECT_EQ(tenc::get(ste, 4, 2), 1u) << "S1Fmt 2-level, 4K leaves";
    EXPECT_EQ(tenc::get(ste, 59, 5), 8u) << "S1CDMax";
    EXPECT_EQ(tenc::get(ste, 64, 2), 1u) << "S1DSS bypass";
    ASSERT_EQ(smmu_drv_set_pasid(drv, 0x20, 5, a), 0);
    ASSERT_EQ(smmu_drv_set_pasid(drv, 0x20, 200, b), 0);
    smmu_result_t r = xlate(0x20, 0x1008, SMMU_DRV_READ, 5);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x111008u);
    r = xlate(0x20, 0x1008, SMMU_DRV_READ, 200);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x225008u);
    r = xlate(0x20, 0x1008); // no SubstreamID: S1DSS bypass
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x1008u);
    // PASID 6 has no CD (V=0): C_BAD_CD with the SubstreamID in the record.
    r = xlate(0x20, 0x1008, SMMU_DRV_READ, 6);
    EXPECT_EQ(r.status, SMMU_FAULT);
    smmu_drv_event_t ev;
    ASSERT_EQ(smmu_drv_next_event(drv, &ev), 0);
    EXPECT_EQ(ev.type, SMMU_EVT_C_BAD_CD);
    EXPECT_TRUE(ev.ssv);
    EXPECT_EQ(ev.ssid, 6u);
    // Removing a PASID takes effect (CFGI_CD).
    ASSERT_EQ(smmu_drv_set_pasid(drv, 0x20, 5, nullptr), 0);
    EXPECT_EQ(xlate(0x20, 0x1008, SMMU_DRV_READ, 5).status, SMMU_FAULT);
    EXPECT_EQ(smmu_drv_set_pasid(drv, 0x20, 256, a), SMMU_DRV_EINVAL) << "beyond S1CDMax";
    EXPECT_EQ(smmu_drv_set_pasid(drv, 0x21, 1, a), SMMU_DRV_ENOENT);
}

TEST_F(Drv, PasidLinearCdTableAndSsid0Default) {
    smmu_domain_t *a = domain(1, 10, 4096, 48), *b = domain(1, 12, 4096, 48);
    ASSERT_TRUE(a && b);
    ASSERT_EQ(smmu_drv_map(drv, a, 0x1000, 0x111000, 0x1000, SMMU_PROT_R), 0);
    ASSERT_EQ(smmu_drv_map(drv, b, 0x1000, 0x333000, 0x1000, SMMU_PROT_R), 0);
    ASSERT_EQ(smmu_drv_attach_s1(drv, 0x21, a, 3, SMMU_DRV_S1DSS_SSID0), 0);
    uint64_t ste[8];
    read_ste(0x21, ste);
    EXPECT_EQ(tenc::get(ste, 4, 2), 0u) << "S1Fmt linear";
    ASSERT_EQ(smmu_drv_set_pasid(drv, 0x21, 7, b), 0);
    EXPECT_EQ(xlate(0x21, 0x1000).pa, 0x111000u) << "no SubstreamID: CD 0";
    EXPECT_EQ(xlate(0x21, 0x1000, SMMU_DRV_READ, 7).pa, 0x333000u);
}

// ---------------------------------------------------------------- stage 2 and nested

struct S2Case {
    unsigned granule, ias, start, concat;
};
class DrvS2Gran : public Drv, public ::testing::WithParamInterface<S2Case> {};

// Start level and concatenation follow Arm ARM D8.2 (concatenate up to 16 tables rather than
// add a level), and the STE encodes them in S2T0SZ/S2SL0/S2TG (spec 5.2).
TEST_P(DrvS2Gran, StartLevelConcatenationAndTranslate) {
    S2Case c = GetParam();
    smmu_domain_t *dom = domain(2, 4, c.granule, c.ias);
    ASSERT_NE(dom, nullptr);
    unsigned start = 9, concat = 9;
    smmu_drv_domain_geometry(dom, nullptr, &start, &concat);
    EXPECT_EQ(start, c.start);
    EXPECT_EQ(concat, c.concat);
    ASSERT_EQ(smmu_drv_attach_s2(drv, 0x30, dom), 0);
    uint64_t ste[8];
    read_ste(0x30, ste);
    EXPECT_EQ(tenc::get(ste, 1, 3), 6u) << "Config S2";
    EXPECT_EQ(tenc::get(ste, 128, 16), 4u) << "S2VMID";
    EXPECT_EQ(tenc::get(ste, 160, 6), 64u - c.ias) << "S2T0SZ";
    unsigned sl0 = c.granule == 4096 ? 2 - c.start : 3 - c.start;
    EXPECT_EQ(tenc::get(ste, 166, 2), sl0) << "S2SL0";
    unsigned tg = c.granule == 4096 ? 0 : c.granule == 65536 ? 1 : 2;
    EXPECT_EQ(tenc::get(ste, 174, 2), tg) << "S2TG";
    // Map at the very top of the IPA space (the last concatenated table) and translate.
    uint64_t ipa = (1ull << c.ias) - c.granule;
    ASSERT_EQ(smmu_drv_map(drv, dom, ipa, 0x7000000ull * c.granule / 4096, c.granule,
                           SMMU_PROT_R | SMMU_PROT_W),
              0);
    smmu_result_t r = xlate(0x30, ipa + 0x10, SMMU_DRV_WRITE);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x7000000ull * c.granule / 4096 + 0x10);
    // Write-only IPA (S2AP = 0b10): reads fault at stage 2.
    ASSERT_EQ(smmu_drv_map(drv, dom, 0, 0x5000000, c.granule, SMMU_PROT_W), 0);
    r = xlate(0x30, 0x20);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_PERMISSION);
    smmu_drv_event_t ev;
    ASSERT_EQ(smmu_drv_next_event(drv, &ev), 0);
    EXPECT_TRUE(ev.s2);
    EXPECT_EQ(ev.ipa, 0u);
    // Unmap + TLBI_S2_IPA.
    ASSERT_EQ(smmu_drv_unmap(drv, dom, ipa, c.granule), 0);
    EXPECT_EQ(xlate(0x30, ipa).status, SMMU_FAULT);
}

INSTANTIATE_TEST_SUITE_P(Granules, DrvS2Gran,
                         ::testing::Values(S2Case{4096, 40, 1, 1}, S2Case{4096, 48, 0, 0},
                                           S2Case{4096, 32, 2, 2}, S2Case{16384, 40, 2, 4},
                                           S2Case{16384, 36, 2, 0}, S2Case{65536, 40, 2, 0},
                                           S2Case{65536, 44, 2, 2}),
                         [](const ::testing::TestParamInfo<S2Case> &i) {
                             return "Gran" + std::to_string(i.param.granule / 1024) + "kIpa" +
                                    std::to_string(i.param.ias);
                         });

TEST_F(Drv, S2Gran64kIpa48NeedsLevel1StartWhichIsUnsupported) {
    smmu_domain_cfg_t c{};
    c.stage = 2;
    c.id = 1;
    c.granule = 65536;
    c.ias = 48;
    smmu_domain_t *dom = nullptr;
    EXPECT_EQ(smmu_drv_domain_new(drv, &c, &dom), SMMU_DRV_ENOTSUP);
}

TEST_F(Drv, NestedTranslatesThroughBothStages) {
    smmu_domain_t *s2 = domain(2, 7, 4096, 40);
    smmu_domain_t *s1 = domain(1, 3, 4096, 48, 40);
    ASSERT_TRUE(s1 && s2);
    ASSERT_EQ(smmu_drv_map(drv, s1, 0x1000, 0x2000, 0x1000, SMMU_PROT_R | SMMU_PROT_W), 0);
    ASSERT_EQ(smmu_drv_map(drv, s2, 0x2000, 0x3000, 0x1000, SMMU_PROT_R | SMMU_PROT_W), 0);
    ASSERT_EQ(smmu_drv_map(drv, s1, 0x5000, 0x6000, 0x1000, SMMU_PROT_R), 0); // IPA 0x6000 unmapped
    ASSERT_EQ(smmu_drv_attach_nested(drv, 0x40, s1, 0, 0, s2), 0);
    uint64_t ste[8];
    read_ste(0x40, ste);
    EXPECT_EQ(tenc::get(ste, 1, 3), 7u) << "Config nested";
    smmu_result_t r = xlate(0x40, 0x1abc, SMMU_DRV_WRITE);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x3abcu);
    r = xlate(0x40, 0x5010);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, (uint32_t)SMMU_EVT_F_TRANSLATION);
    smmu_drv_event_t ev;
    ASSERT_EQ(smmu_drv_next_event(drv, &ev), 0);
    EXPECT_EQ(ev.type, SMMU_EVT_F_TRANSLATION);
    EXPECT_TRUE(ev.s2) << "the fault is at stage 2";
    EXPECT_EQ(ev.addr, 0x5010u);
    EXPECT_EQ(ev.ipa, 0x6000u);
    EXPECT_EQ(ev.cls, SMMU_CLASS_IN);
    // Unmapping at stage 2 must also drop combined entries.
    ASSERT_EQ(smmu_drv_unmap(drv, s2, 0x2000, 0x1000), 0);
    EXPECT_EQ(xlate(0x40, 0x1abc).status, SMMU_FAULT);
}

// ---------------------------------------------------------------- commands (4, 7.1)

TEST_F(Drv, IllegalCommandIsReportedAsCerrorAndSkipped) {
    uint64_t bad[2] = {0x00, 0}; // opcode 0x00 is Reserved (4.1.1): CERROR_ILL
    smmu_drv_cmd(drv, bad);
    EXPECT_EQ(smmu_drv_sync(drv), SMMU_DRV_ECERROR);
    EXPECT_EQ(smmu_drv_cerror(drv), SMMU_CERROR_ILL);
    EXPECT_EQ(smmu_reg_read(smmu, SMMU_GERROR, 4), smmu_reg_read(smmu, SMMU_GERRORN, 4))
        << "driver acknowledged GERROR.CMDQ_ERR";
    EXPECT_EQ(smmu_drv_sync(drv), 0) << "the queue runs again";
    ASSERT_EQ(smmu_drv_attach_bypass(drv, 1), 0);
    EXPECT_EQ(xlate(1, 0x1000).status, SMMU_OK);
}

TEST_F(Drv, CommandQueueWrapsManyTimes) {
    smmu_drv_info_t in{};
    smmu_drv_info(drv, &in);
    for (unsigned i = 0; i < 3u << in.cmdq_log2; i++)
        ASSERT_EQ(smmu_drv_sync(drv), 0);
}

// ---------------------------------------------------------------- events and statistics

TEST_F(Drv, EventQueueWrapsAndRecordsStayInOrder) {
    smmu_domain_t *dom = domain(1, 1, 4096, 48);
    ASSERT_NE(dom, nullptr);
    ASSERT_EQ(smmu_drv_attach_s1(drv, 3, dom, 0, 0), 0);
    smmu_drv_info_t in{};
    smmu_drv_info(drv, &in);
    unsigned n = 3u << in.eventq_log2;
    for (unsigned i = 0; i < n; i++) {
        EXPECT_EQ(xlate(3, 0x1000ull * (i + 1)).status, SMMU_FAULT);
        smmu_drv_event_t ev;
        ASSERT_EQ(smmu_drv_next_event(drv, &ev), 0);
        ASSERT_EQ(ev.addr, 0x1000ull * (i + 1));
    }
    EXPECT_FALSE(smmu_drv_event_overflow(drv));
}

TEST_F(Drv, StatsCountTranslationsAndFaults) {
    ASSERT_EQ(smmu_drv_attach_bypass(drv, 1), 0);
    smmu_stats_t before{}, after{};
    ASSERT_EQ(smmu_drv_stats(drv, &before), 0);
    xlate(1, 0x1000);
    xlate(0x99999, 0x1000);
    ASSERT_EQ(smmu_drv_stats(drv, &after), 0);
    EXPECT_EQ(after.translations - before.translations, 2u);
    EXPECT_EQ(after.faults - before.faults, 1u);
}

TEST_F(Drv, UnmapFreesEmptyTablesAndInvalidatesWalkCaches) {
    smmu_domain_t *dom = domain(1, 1, 4096, 48);
    ASSERT_NE(dom, nullptr);
    ASSERT_EQ(smmu_drv_attach_s1(drv, 1, dom, 0, 0), 0);
    ASSERT_EQ(smmu_drv_map(drv, dom, 0x7f0000001000ull, 0x1000, 0x1000, SMMU_PROT_R), 0);
    EXPECT_EQ(xlate(1, 0x7f0000001000ull).pa, 0x1000u); // fills TLB and walk caches
    smmu_drv_info_t a{}, b{};
    smmu_drv_info(drv, &a);
    ASSERT_EQ(smmu_drv_unmap(drv, dom, 0x7f0000001000ull, 0x1000), 0);
    // A different VA needs three new tables (L1, L2, L3): the freed ones are reused.
    ASSERT_EQ(smmu_drv_map(drv, dom, 0x000040203000ull, 0x5000, 0x1000, SMMU_PROT_R), 0);
    smmu_drv_info(drv, &b);
    EXPECT_EQ(a.pool_used, b.pool_used);
    EXPECT_EQ(xlate(1, 0x7f0000001000ull).status, SMMU_FAULT) << "old path fully gone";
    smmu_result_t r = xlate(1, 0x000040203008ull);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x5008u);
}

TEST_F(Drv, DomainFreeReturnsTablesToThePool) {
    smmu_drv_info_t a{}, b{};
    smmu_domain_t *dom = domain(1, 1, 4096, 48);
    ASSERT_EQ(smmu_drv_map(drv, dom, 0x1000, 0x1000, 0x1000, SMMU_PROT_R), 0);
    smmu_drv_info(drv, &a);
    smmu_drv_domain_free(drv, dom);
    dom = domain(1, 1, 4096, 48);
    ASSERT_EQ(smmu_drv_map(drv, dom, 0x1000, 0x1000, 0x1000, SMMU_PROT_R), 0);
    smmu_drv_info(drv, &b);
    EXPECT_EQ(a.pool_used, b.pool_used);
}

// ---------------------------------------------------------------- a driver over plain ops

// Ops over a core with a deferred command queue that consumes one command per CMDQ_CONS read
// (a slow SMMU), unless stuck: the driver must wait for space and for its SYNC, boundedly.
struct Slow {
    smmu_t *s;
    smmu_mem_t *m;
    bool stuck;
    unsigned cons_reads;
};
static uint64_t slow_rd(void *c, uint64_t off, unsigned size) {
    Slow *d = static_cast<Slow *>(c);
    if (off == SMMU_CMDQ_CONS) {
        d->cons_reads++;
        if (!d->stuck) smmu_cmdq_run(d->s, 1);
    }
    return smmu_reg_read(d->s, off, size);
}
static void slow_wr(void *c, uint64_t off, uint64_t v, unsigned size) {
    smmu_reg_write(static_cast<Slow *>(c)->s, off, v, size);
}
static int slow_mrd(void *c, uint64_t pa, void *buf, size_t len) {
    return smmu_mem_read(static_cast<Slow *>(c)->m, pa, buf, len);
}
static int slow_mwr(void *c, uint64_t pa, const void *buf, size_t len) {
    return smmu_mem_write(static_cast<Slow *>(c)->m, pa, buf, len);
}

TEST(DrvOps, FullCommandQueueWaitsForConsAndStuckSyncTimesOut) {
    smmu_mem_t *m = smmu_mem_new();
    ASSERT_NE(m, nullptr);
    smmu_params_t p;
    smmu_params_init(&p);
    p.defer_cmdq = true;
    smmu_host_t host{};
    smmu_mem_host(m, &host);
    smmu_t *s = smmu_new(&p, &host);
    ASSERT_NE(s, nullptr);
    Slow ctx{s, m, false, 0};
    smmu_drv_ops_t ops{&ctx, slow_rd, slow_wr, slow_mrd, slow_mwr};
    smmu_drv_config_t cfg{};
    cfg.pool_base = 0x40000000;
    cfg.pool_size = 16 << 20;
    cfg.cmdq_log2 = 1; // two entries: the queue is full after every second command
    cfg.poll_limit = 1000;
    smmu_drv_t *d = smmu_drv_new(&ops, &cfg);
    ASSERT_NE(d, nullptr);
    ASSERT_EQ(smmu_drv_init(d), 0);
    smmu_drv_info_t in{};
    smmu_drv_info(d, &in);
    EXPECT_EQ(in.cmdq_log2, 1u);
    for (uint32_t sid = 0; sid < 8; sid++)
        ASSERT_EQ(smmu_drv_attach_bypass(d, sid), 0);
    // The STEs took effect through the queue.
    smmu_txn_t t{};
    t.sid = 7;
    t.addr = 0x5000;
    t.len = 1;
    smmu_result_t r{};
    smmu_translate(s, &t, &r);
    EXPECT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, 0x5000u);
    ctx.stuck = true;
    ctx.cons_reads = 0;
    EXPECT_EQ(smmu_drv_sync(d), SMMU_DRV_ETIMEDOUT);
    EXPECT_LE(ctx.cons_reads, 1001u) << "polling is bounded by poll_limit";
    smmu_drv_free(d);
    smmu_free(s);
    smmu_mem_free(m);
}

TEST(DrvErrors, StrerrorNamesEveryCode) {
    for (int e = 0; e >= -8; e--)
        EXPECT_STRNE(smmu_drv_strerror(e), "unknown error");
    EXPECT_STREQ(smmu_drv_strerror(-99), "unknown error");
}

} // namespace
