// SPDX-License-Identifier: Apache-2.0 OR MIT
// FEAT_XNX at stage 2: SMMU_IDR3.XNX (6.3.4, bit [4]; mandatory from SMMUv3.1 with stage 2, 2.7).
// With XNX the stage-2 Block/Page descriptor's XN[1:0] (bits [54:53], Arm ARM D8.3.1) controls
// execution separately for privileged (EL1) and unprivileged (EL0) instruction fetches, and the
// transaction's PRIV attribute counts in the stage-2 permission check (13.4). Arm ARM D8.4.2.1
// Table D8-78 (FEAT_XNX implemented):
//   XN[1:0] 0b00: EL1 and EL0 may execute      0b01: EL0 only (EL1 not permitted)
//           0b10: neither                      0b11: EL1 only (EL0 not permitted)
// Table D8-77 (FEAT_XNX not implemented): XN (bit 54) forbids both, bit 53 is RES0 (ignored).
//
// Expected values are written from the spec, none from <smmu/arch.h>: event F_PERMISSION = 0x13
// (7.3.16), CLASS IN = 0b10, S2 = 1 for a stage-2 fault, InD = 1 for an instruction fetch, PnU
// = the transaction's privilege, RnW = 1 (7.3), IPA the input IPA of the stage-2 translation.
#include "cache_fixture.h"
#include "tenc_desc.h"

using namespace tfx;

namespace {

constexpr uint32_t IDR3_XNX = 1u << 4; // 6.3.4
constexpr uint64_t F_PERM = 0x13;      // 7.3.16
constexpr uint64_t CLASS_IN_ = 0b10;   // 7.3
constexpr uint32_t SID = 3;
constexpr uint64_t IPA_BASE = 0x0000000140000000ull; // above the nested stream's 4GB identity
constexpr uint64_t VA_BASE = 0x0000000000400000ull;
constexpr uint64_t PA_BASE = 0x0000000090000000ull;

// Table D8-78: may a fetch at this privilege execute under XN[1:0] == xn?
bool xnx_exec(unsigned xn, bool priv) {
    static const bool el1[4] = {true, false, false, true};
    static const bool el0[4] = {true, true, false, false};
    return priv ? el1[xn] : el0[xn];
}

class Xnx : public CacheTest {
  protected:
    uint64_t s2root = 0, s1root = 0;
    bool nested = false;

    void stream(bool nest) {
        nested = nest;
        s2root = nest ? nested_stream(SID, 1, 1, &s1root) : s2_stream(SID, 1);
    }
    // Page i: IPA_BASE + i pages -> PA_BASE + i pages at stage 2 with XN[1:0] = xn; nested:
    // VA_BASE + i pages -> that IPA at stage 1, read-only and executable at EL0 and EL1
    // (AP[2:1] = 0b11, PXN = UXN = 0; Arm ARM D8.4.1).
    uint64_t page_xn(unsigned i, unsigned xn) {
        uint64_t ipa = IPA_BASE + 0x1000ull * i;
        map(s2root, 12, 1, ipa, s2page(PA_BASE + 0x1000ull * i).xn2(xn));
        if (!nested) return ipa;
        uint64_t va = VA_BASE + 0x1000ull * i;
        map4k(s1root, va, ipa, tenc::Desc().ap(3));
        return va;
    }
    uint64_t ipa_of(uint64_t in) const {
        return nested ? IPA_BASE + (in - VA_BASE) : in;
    }
    // An instruction fetch at priv: permitted with the page's PA, or a stage-2 Permission
    // fault with the event written from 7.3.16.
    void fetch(uint64_t in, bool priv, bool allowed) {
        SCOPED_TRACE(priv ? "privileged" : "unprivileged");
        smmu_result_t r = xlate(SID, in, false, priv, true);
        if (allowed) {
            EXPECT_EQ(r.status, SMMU_OK) << std::hex << r.event;
            EXPECT_EQ(r.pa, PA_BASE + (ipa_of(in) - IPA_BASE));
            EXPECT_TRUE(events().empty());
            return;
        }
        EXPECT_EQ(r.status, SMMU_FAULT);
        EXPECT_EQ(r.event, F_PERM);
        auto ev = events();
        ASSERT_EQ(ev.size(), 1u);
        EXPECT_EQ(evt_type(ev[0]), F_PERM);
        EXPECT_EQ(evt_s2(ev[0]), 1u);
        EXPECT_EQ(evt_class(ev[0]), CLASS_IN_);
        EXPECT_EQ(evt_ind(ev[0]), 1u);
        EXPECT_EQ(evt_pnu(ev[0]), priv ? 1u : 0u);
        EXPECT_EQ(evt_rnw(ev[0]), 1u);
        EXPECT_EQ(evt_addr(ev[0]), in);
        EXPECT_EQ(evt_ipa(ev[0]), ipa_of(in));
    }
    // Every XN[1:0] value, a fresh page per (value, privilege) so that each fetch walks.
    void all_values(bool xnx) {
        for (unsigned xn = 0; xn < 4; xn++) {
            SCOPED_TRACE(xn);
            for (bool priv : {true, false}) {
                uint64_t in = page_xn(2 * xn + priv, xn);
                fetch(in, priv, xnx ? xnx_exec(xn, priv) : !(xn & 2));
            }
        }
    }
};

class XnxOff : public Xnx {
    void configure(smmu_params_t &p) override {
        p.xnx = false;
    }
};

// An SMMUv3.0 has no XNX (6.3.4: RES0 in v3.0; mandatory with stage 2 from v3.1, so a v3.0
// leaves it out, 2.9): only XN[1] (bit [54]) counts, as with params.xnx false.
class XnxV3_0 : public Xnx {
    void configure(smmu_params_t &p) override {
        p.arch_minor = 0;
    }
};

class XnxNoS2 : public CacheTest {
    void configure(smmu_params_t &p) override {
        p.s2 = false;
    }
};

TEST_F(Xnx, Idr3XnxReportedByDefault_6_3_4) {
    EXPECT_EQ(r32(SMMU_IDR3) & IDR3_XNX, IDR3_XNX);
}

TEST_F(XnxOff, Idr3XnxClearWhenOff_6_3_4) {
    EXPECT_EQ(r32(SMMU_IDR3) & IDR3_XNX, 0u);
}

TEST_F(XnxNoS2, Idr3XnxClearWithoutStage2_6_3_4) {
    EXPECT_EQ(r32(SMMU_IDR3) & IDR3_XNX, 0u);
}

TEST_F(Xnx, Stage2OnlyFetchByPrivilege_TableD8_78) {
    stream(false);
    all_values(true);
}

TEST_F(Xnx, NestedFetchByPrivilege_TableD8_78) {
    stream(true);
    all_values(true);
}

TEST_F(XnxOff, Stage2OnlyBit53Ignored_TableD8_77) {
    stream(false);
    all_values(false);
}

TEST_F(XnxV3_0, Bit53IgnoredInSmmuV3_0_2_9) {
    EXPECT_EQ(r32(SMMU_AIDR) & 0xF, 0u);
    EXPECT_EQ(r32(SMMU_IDR3) & IDR3_XNX, 0u);
    stream(false);
    all_values(false);
}

TEST_F(XnxOff, NestedBit53Ignored_TableD8_77) {
    stream(true);
    all_values(false);
}

// XN only concerns instruction fetches: data reads of an XN[1:0] = 0b10 page are permitted at
// both privileges (S2AP grants read; I HXWLL).
TEST_F(Xnx, DataReadsUnaffected_D8_4_2_1) {
    stream(true);
    uint64_t va = page_xn(0, 0b10);
    for (bool priv : {true, false})
        EXPECT_EQ(xlate(SID, va, false, priv, false).status, SMMU_OK) << priv;
}

// A TLB entry filled by a privileged fetch keeps the unprivileged answer: under XN = 0b11 an
// unprivileged fetch of the cached page still faults at stage 2 (and under 0b01 the reverse).
TEST_F(Xnx, TlbHitKeepsUnprivilegedAnswer_TableD8_78) {
    for (bool nest : {false, true}) {
        SCOPED_TRACE(nest ? "nested" : "stage 2 only");
        create();
        enable();
        stream(nest);
        uint64_t a = page_xn(0, 0b11), b = page_xn(1, 0b01);
        fetch(a, true, true);
        EXPECT_TRUE(xlate(SID, a, false, true, true).tlb_hit);
        fetch(a, false, false);
        fetch(b, false, true);
        EXPECT_TRUE(xlate(SID, b, false, false, true).tlb_hit);
        fetch(b, true, false);
    }
}

// The IPA cache likewise: a second VA to the same IPA misses the TLB and finds the stage-2
// translation a privileged fetch cached; the unprivileged fetch through it faults (XN = 0b11).
TEST_F(Xnx, IpaCacheKeepsUnprivilegedAnswer_TableD8_78) {
    stream(true);
    uint64_t va = page_xn(0, 0b11);
    fetch(va, true, true);
    uint64_t va2 = VA_BASE + 0x100000;
    map4k(s1root, va2, IPA_BASE, tenc::Desc().ap(3));
    uint64_t hits = cstats(SMMU_CACHE_IPA).hits;
    smmu_result_t r = xlate(SID, va2, false, false, true);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, F_PERM);
    EXPECT_GT(cstats(SMMU_CACHE_IPA).hits, hits);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(evt_s2(ev[0]), 1u);
    EXPECT_EQ(evt_ipa(ev[0]), IPA_BASE);
    EXPECT_EQ(xlate(SID, va2, false, true, true).status, SMMU_OK);
}

} // namespace
