// SPDX-License-Identifier: Apache-2.0 OR MIT
// AMBA attributes at the SMMU's boundary (spec 16.7.5, <smmu/amba.h>), the input attributes of a
// transaction (smmu_txn_t.in_attr*, 13.1) under the STE / GBPA overrides (5.2 MTCFG, MemAttr,
// ALLOCCFG, SHCFG; 6.3.14), and the no-stall input (smmu_txn_t.nostall, 3.12; AMBA AXI IHI 0022
// A13.6.3 NoStall flow). Expected values are the rows of the spec's tables, written out here.
#include <smmu/amba.h>

#include "cmdq_fixture.h"

using namespace tfx;

namespace {

struct In {
    uint8_t attr, sh;
};
In amba_in(unsigned cache, unsigned domain) {
    In r{};
    smmu_amba_in(cache, domain, &r.attr, &r.sh);
    return r;
}
struct Out {
    uint8_t cache, domain;
};
Out amba_out(uint8_t attr, uint8_t sh, bool write = false) {
    Out o{};
    smmu_amba_out(attr, sh, write, &o.cache, &o.domain);
    return o;
}

} // namespace

// 16.7.5.1.1 rows 1-2: Device-Sys non-bufferable -> Device-nGnRnE, bufferable -> Device-nGnRE;
// Device is Outer Shareable (13.1).
TEST(AmbaIn, DeviceSysBecomesDeviceNgnrneOrNgnre) {
    EXPECT_EQ(amba_in(0x0, SMMU_AXDOMAIN_SYS).attr, 0x00);
    EXPECT_EQ(amba_in(0x1, SMMU_AXDOMAIN_SYS).attr, 0x04);
    EXPECT_EQ(amba_in(0x1, SMMU_AXDOMAIN_SYS).sh, SMMU_SH_OSH);
}

// 16.7.5.1.1 rows 3-4: Normal Non-cacheable, bufferable or not, any domain -> iNC-oNC-OSH (the
// model's IMPLEMENTATION DEFINED choice for NSH/ISH/OSH).
TEST(AmbaIn, NormalNonCacheableBecomesIncOncOsh) {
    for (unsigned cache : {0x2u, 0x3u})
        for (unsigned d = 0; d < 4; d++) {
            EXPECT_EQ(amba_in(cache, d).attr, 0x44) << cache << " " << d;
            EXPECT_EQ(amba_in(cache, d).sh, SMMU_SH_OSH);
        }
}

// 16.7.5.1.1 rows 5-6: Write-through -> iWT-oWT and Write-back -> iWB-oWB, non-transient, RA / WA
// from the input (AxCACHE[2] / [3]), shareability from AxDOMAIN.
TEST(AmbaIn, CacheableKeepsTypeHintsAndDomain) {
    EXPECT_EQ(amba_in(0xF, SMMU_AXDOMAIN_ISH).attr, 0xFF); // WB RA WA
    EXPECT_EQ(amba_in(0xF, SMMU_AXDOMAIN_ISH).sh, SMMU_SH_ISH);
    EXPECT_EQ(amba_in(0x7, SMMU_AXDOMAIN_NSH).attr, 0xEE); // WB RA (AWCACHE 0111)
    EXPECT_EQ(amba_in(0x7, SMMU_AXDOMAIN_NSH).sh, SMMU_SH_NSH);
    EXPECT_EQ(amba_in(0xB, SMMU_AXDOMAIN_OSH).attr, 0xDD); // WB WA (ARCACHE 1011)
    EXPECT_EQ(amba_in(0xB, SMMU_AXDOMAIN_OSH).sh, SMMU_SH_OSH);
    EXPECT_EQ(amba_in(0xE, SMMU_AXDOMAIN_ISH).attr, 0xBB); // WT RA WA
    EXPECT_EQ(amba_in(0xA, SMMU_AXDOMAIN_ISH).attr, 0x99); // WT WA
}

// 16.7.5.1.1, last paragraph: an ACE-Sys input shareability is taken as OSH.
TEST(AmbaIn, SystemDomainIsOuterShareable) {
    EXPECT_EQ(amba_in(0xF, SMMU_AXDOMAIN_SYS).sh, SMMU_SH_OSH);
}

// 16.7.5.2.1 rows 1-2: Device-nGnRnE -> Device-Sys non-bufferable; Device-(n)G(n)RE -> Device-Sys
// bufferable; Device is System (16.7.5.2).
TEST(AmbaOut, DeviceBecomesDeviceSys) {
    EXPECT_EQ(amba_out(0x00, SMMU_SH_OSH).cache, 0x0);
    for (uint8_t a : {0x04, 0x08, 0x0C}) {
        EXPECT_EQ(amba_out(a, SMMU_SH_OSH).cache, 0x1) << int(a);
        EXPECT_EQ(amba_out(a, SMMU_SH_OSH).domain, SMMU_AXDOMAIN_SYS);
    }
    EXPECT_EQ(amba_out(0x00, SMMU_SH_OSH).domain, SMMU_AXDOMAIN_SYS);
}

// 16.7.5.2.1 rows 3-10: iNC-oNC and every Normal type that is not iWB-oWB (iNC-oWT, iNC-oWB,
// iWT-oNC, iWT-oWT, iWT-oWB, iWB-oNC, iWB-oWT) -> Normal Non-cacheable-Sys bufferable.
TEST(AmbaOut, EveryNormalButIwbOwbBecomesNonCacheableSysBufferable) {
    const uint8_t rows[] = {0x44, 0xB4, 0xF4, 0x4B, 0xBB, 0xFB, 0x4F, 0xBF};
    for (uint8_t a : rows)
        for (uint8_t sh : {SMMU_SH_NSH, SMMU_SH_ISH, SMMU_SH_OSH}) {
            Out o = amba_out(a, sh);
            EXPECT_EQ(o.cache, 0x3) << std::hex << int(a);
            EXPECT_EQ(o.domain, SMMU_AXDOMAIN_SYS) << std::hex << int(a);
        }
}

// 16.7.5.2.1 row 11: iWB-oWB-{NSH,ISH,OSH} -> Write-back-{NSH,ISH,OSH}, RA / WA from the
// attribute; a Write-back with neither hint takes the other channel's Allocate bit (AXI: WB
// No-allocate is ARCACHE 0b1011, AWCACHE 0b0111).
TEST(AmbaOut, IwbOwbBecomesWriteBackWithDomainAndHints) {
    EXPECT_EQ(amba_out(0xFF, SMMU_SH_ISH).cache, 0xF);
    EXPECT_EQ(amba_out(0xFF, SMMU_SH_ISH).domain, SMMU_AXDOMAIN_ISH);
    EXPECT_EQ(amba_out(0xFF, SMMU_SH_NSH).domain, SMMU_AXDOMAIN_NSH);
    EXPECT_EQ(amba_out(0xFF, SMMU_SH_OSH).domain, SMMU_AXDOMAIN_OSH);
    EXPECT_EQ(amba_out(0xEE, SMMU_SH_ISH).cache, 0x7); // RA
    EXPECT_EQ(amba_out(0xDD, SMMU_SH_ISH).cache, 0xB); // WA
    EXPECT_EQ(amba_out(0xCC, SMMU_SH_ISH, false).cache, 0xB);
    EXPECT_EQ(amba_out(0xCC, SMMU_SH_ISH, true).cache, 0x7);
}

namespace {

class InputAttrs : public CmdqTest {
  protected:
    void SetUp() override {
        CmdqTest::SetUp();
        enable();
    }
    smmu_result_t xlate_attrs(uint32_t sid, uint64_t addr, unsigned cache, unsigned domain) {
        smmu_txn_t t = txn_of(sid, addr);
        t.in_attr_valid = true;
        smmu_amba_in(cache, domain, &t.in_attr, &t.in_sh);
        smmu_result_t r{};
        smmu_translate(smmu, &t, &r);
        return r;
    }
    static Out out_of(const smmu_result_t &r) {
        return amba_out(r.attr, r.sh);
    }
};

} // namespace

// 13.1 / 5.2: STE bypass without overrides outputs the incoming attributes: a Device-Sys input
// leaves as Device-Sys, a Write-back ISH input as Write-back ISH.
TEST_F(InputAttrs, BypassWithoutOverridesOutputsIncomingAttributes) {
    put_ste(1, tenc::Ste::bypass().shcfg(SMMU_STE_SHCFG_INCOMING).dw);
    smmu_result_t r = xlate_attrs(1, 0x1000, 0x1, SMMU_AXDOMAIN_SYS);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.attr, 0x04);
    EXPECT_EQ(out_of(r).cache, 0x1);
    EXPECT_EQ(out_of(r).domain, SMMU_AXDOMAIN_SYS);
    r = xlate_attrs(1, 0x1000, 0xF, SMMU_AXDOMAIN_ISH);
    EXPECT_EQ(r.attr, 0xFF);
    EXPECT_EQ(r.sh, SMMU_SH_ISH);
}

// 5.2 SHCFG: 0b01 uses the incoming shareability, 0b10 forces OSH; both act on the input's.
TEST_F(InputAttrs, ShcfgActsOnIncomingShareability) {
    put_ste(1, tenc::Ste::bypass().shcfg(SMMU_STE_SHCFG_INCOMING).dw);
    EXPECT_EQ(xlate_attrs(1, 0x1000, 0xF, SMMU_AXDOMAIN_NSH).sh, SMMU_SH_NSH);
    put_ste(2, tenc::Ste::bypass().shcfg(2).dw); // OSH
    EXPECT_EQ(xlate_attrs(2, 0x1000, 0xF, SMMU_AXDOMAIN_NSH).sh, SMMU_SH_OSH);
}

// 5.2 MTCFG / MemAttr: MTCFG == 1 replaces the incoming type; the hints of a Write-back MemAttr
// come out as its read/write-allocate (smmu_attr_from_s2memattr), and a Device input with
// SHCFG "use incoming" becomes Write-back OSH: the example of 16.7.5.2 (ACE-Device-Sys in,
// MemAttr iWB-oWB, ACE-WB-OSH out), here through the STE.
TEST_F(InputAttrs, MtcfgReplacesIncomingTypeAsIn16752Example) {
    put_ste(1, tenc::Ste::bypass().mtcfg(true).memattr(0xF).shcfg(SMMU_STE_SHCFG_INCOMING).dw);
    smmu_result_t r = xlate_attrs(1, 0x1000, 0x0, SMMU_AXDOMAIN_SYS);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(out_of(r).cache, 0xF);
    EXPECT_EQ(out_of(r).domain, SMMU_AXDOMAIN_OSH);
}

// The same example of 16.7.5.2 exactly: SMMUEN == 0, GBPA.MTCFG == 1 with MemAttr iWB-oWB,
// GBPA.SHCFG "use incoming", an ACE-Device-Sys input: the output is ACE-WB-OSH.
TEST_F(InputAttrs, GbpaBypassExampleOf16752GivesWriteBackOsh) {
    set_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN); // SMMUEN = 0
    w32(SMMU_GBPA, SMMU_GBPA_UPDATE | (uint32_t)SMMU_VSET(0ull, SMMU_F_GBPA_MTCFG, 1) |
                       (uint32_t)SMMU_VSET(0ull, SMMU_F_GBPA_MEMATTR, 0xF) |
                       (uint32_t)SMMU_VSET(0ull, SMMU_F_GBPA_SHCFG, SMMU_STE_SHCFG_INCOMING));
    smmu_result_t r = xlate_attrs(1, 0x1000, 0x0, SMMU_AXDOMAIN_SYS);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.attr, 0xFF);
    EXPECT_EQ(out_of(r).cache, 0xF);
    EXPECT_EQ(out_of(r).domain, SMMU_AXDOMAIN_OSH);
}

// 5.2 ALLOCCFG 0b1RWT replaces the read/write-allocate hints of a cacheable input, and 0b0xxx
// keeps the input's.
TEST_F(InputAttrs, AlloccfgReplacesIncomingHints) {
    put_ste(1, tenc::Ste::bypass().alloccfg(0x8).shcfg(SMMU_STE_SHCFG_INCOMING).dw); // no alloc
    EXPECT_EQ(xlate_attrs(1, 0x1000, 0xF, SMMU_AXDOMAIN_ISH).attr, 0xCC);
    put_ste(2, tenc::Ste::bypass().alloccfg(0x0).shcfg(SMMU_STE_SHCFG_INCOMING).dw);
    EXPECT_EQ(xlate_attrs(2, 0x1000, 0x7, SMMU_AXDOMAIN_ISH).attr, 0xEE);
}

// The same page with and without input attributes: each result has its own attributes (the
// translation memo, which keys on no attribute, must not answer one with the other's).
TEST_F(InputAttrs, SamePageWithOtherInputAttributesIsNotAnsweredFromTheMemo) {
    put_ste(1, tenc::Ste::bypass().shcfg(SMMU_STE_SHCFG_INCOMING).dw);
    for (int i = 0; i < 3; i++) {
        smmu_result_t d = xlate(1, 0x1000);
        EXPECT_EQ(d.attr, 0xFF);
        EXPECT_EQ(d.sh, SMMU_SH_ISH);
        smmu_result_t r = xlate_attrs(1, 0x1000, 0x0, SMMU_AXDOMAIN_SYS);
        EXPECT_EQ(r.attr, 0x00);
        EXPECT_EQ(r.sh, SMMU_SH_OSH);
    }
}

namespace {
using NoStall = InputAttrs;
}

// 3.12 (a device that cannot be stalled; AXI A13.6.3 NoStall flow): with a stalling
// configuration (STE.S2S == 1) the transaction is terminated with an abort, the fault recorded
// with Stall == 0, and nothing stays stalled; the same transaction without nostall stalls.
TEST_F(NoStall, StallingConfigurationTerminatesAndRecordsWithoutStall) {
    put_ste(1, tenc::Ste::s2(alloc(0x1000), 0, 25, 1).s2s(true).dw);
    events();
    smmu_txn_t t = txn_of(1, 0x2000);
    t.nostall = true;
    smmu_result_t r{};
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    EXPECT_EQ(smmu_stalls_pending(smmu), 0u);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_type(ev[0]), (uint64_t)SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(evt_stall(ev[0]), 0u);
    t.nostall = false;
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_STALLED);
    EXPECT_EQ(smmu_stalls_pending(smmu), 1u);
}

// nostall changes nothing where the configuration terminates: STE.S2S == 0 with S2R == 1 records
// and aborts as before (3.12.1).
TEST_F(NoStall, TerminatingConfigurationIsUnchanged) {
    put_ste(1, tenc::Ste::s2(alloc(0x1000), 0, 25, 1).dw);
    events();
    smmu_txn_t t = txn_of(1, 0x2000);
    t.nostall = true;
    smmu_result_t r{};
    smmu_translate(smmu, &t, &r);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_TRUE(r.abort);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_stall(ev[0]), 0u);
}
