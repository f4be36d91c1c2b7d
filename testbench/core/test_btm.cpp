// SPDX-License-Identifier: Apache-2.0 OR MIT
// Broadcast TLB maintenance (spec 3.17, SMMU_IDR0.BTM 6.3.1, SMMU_CR2.PTM 6.3.12): a PE's TLBI
// ...IS delivered through smmu_dvm_tlbi. Each test fills the TLB, remaps the pages in memory
// without telling the SMMU, delivers one broadcast and checks which translations it removed.
// Expected scopes are those of the PE's instruction (Arm ARM TLBI) and the SMMU rules of 3.17.
#include "cache_fixture.h"

using namespace tfx;

namespace {

constexpr uint64_t VA1 = 0x40000000, VA2 = 0x40001000;
constexpr uint64_t PAGE = 0x1000;
constexpr uint32_t CR2_E2H = 1u << 0, CR2_PTM = 1u << 2; // SMMU_CR2 (6.3.12)

class Btm : public RemapTest {
  protected:
    void configure(smmu_params_t &p) override {
        p.btm = true;
    }
    static smmu_dvm_tlbi_t op(uint8_t kind, unsigned asid = 0, unsigned vmid = 0,
                              uint64_t addr = 0) {
        smmu_dvm_tlbi_t o{};
        o.op = kind;
        o.asid = (uint16_t)asid;
        o.vmid = (uint16_t)vmid;
        o.addr = addr;
        return o;
    }
    bool deliver(const smmu_dvm_tlbi_t &o) {
        return smmu_dvm_tlbi(smmu, &o);
    }
};

// 6.3.1: IDR0.BTM (bit 5) is set by default (an SMMUv3.3 with broadcast maintenance).
TEST(BtmParams, DefaultParamsReportBtm_6_3_1) {
    smmu_params_t p;
    smmu_params_init(&p);
    EXPECT_TRUE(p.btm);
}

// 3.17, Arm ARM TLBI VAE1IS: the entries of ASID (and global ones) at VA in the VMID; other
// ASIDs and other addresses stay.
TEST_F(Btm, VaRemovesEntriesOfAsidAtVa_3_17) {
    uint64_t r1 = s1_stream(1, 1);
    fill(1, r1, VA1, 0);
    fill(2, s1_stream(2, 2), VA1, 0x1000);
    fill(1, r1, VA2, 0x2000);
    fill(3, s1_stream(3, 3), VA1 + 0x10000, 0x3000, false); // global, at another VA
    remap_all();
    EXPECT_TRUE(deliver(op(SMMU_DVM_VA, 1, 0, VA1)));
    EXPECT_TRUE(removed(0));
    EXPECT_FALSE(removed(1)) << "other ASID";
    EXPECT_FALSE(removed(2)) << "other VA";
    EXPECT_FALSE(removed(3)) << "global, other VA";
}

// VAE1IS reaches global entries at VA whatever their ASID (Arm ARM: "all ASIDs for global").
TEST_F(Btm, VaRemovesGlobalEntriesAtVa_3_17_1) {
    fill(1, s1_stream(1, 7), VA1, 0, false);
    remap_all();
    EXPECT_TRUE(deliver(op(SMMU_DVM_VA, 1, 0, VA1)));
    EXPECT_TRUE(removed(0));
}

// 6.3.12: with CR2.PTM == 1 the SMMU ignores broadcasts (3.17: Arm strongly recommends it).
TEST_F(Btm, Cr2PtmOneIgnoresBroadcasts_6_3_12) {
    cr2 = CR2_PTM;
    enable();
    fill(1, s1_stream(1, 1), VA1, 0);
    remap_all();
    EXPECT_FALSE(deliver(op(SMMU_DVM_VMALL)));
    EXPECT_FALSE(removed(0));
    EXPECT_EQ(r32(0x2C) & CR2_PTM, CR2_PTM); // SMMU_CR2 at 0x2C holds PTM with BTM
}

// 6.3.1: without broadcast TLB maintenance (IDR0.BTM == 0) nothing is received.
TEST_F(Btm, NotImplementedIgnoresBroadcasts_6_3_1) {
    params.btm = false;
    create();
    enable();
    EXPECT_EQ(r32(0x0) & (1u << 5), 0u); // SMMU_IDR0.BTM
    fill(1, s1_stream(1, 1), VA1, 0);
    remap_all();
    EXPECT_FALSE(deliver(op(SMMU_DVM_VMALL)));
    EXPECT_FALSE(removed(0));
}

// 3.17: entries of a CD with ASET == 1 (non-shared) are not required to be invalidated by
// broadcasts that match by ASID (VA{L}E1IS, ASIDE1IS); every other matching one removes them.
TEST_F(Btm, AsetOneEntriesKeptByAsidMatchingForms_3_17) {
    fill(1, s1_stream(1, 1, 0, true), VA1, 0);
    remap_all();
    EXPECT_TRUE(deliver(op(SMMU_DVM_VA, 1, 0, VA1)));
    EXPECT_TRUE(deliver(op(SMMU_DVM_ASID, 1)));
    EXPECT_FALSE(removed(0)) << "ASET == 1: VA and ASID forms leave it";
    EXPECT_TRUE(deliver(op(SMMU_DVM_VAA, 0, 0, VA1)));
    EXPECT_TRUE(removed(0)) << "VAAE1IS matches no ASID: it removes ASET == 1 entries";
}

// 3.17: CMD_TLBI_* ignore ASET, broadcasts do not: the same entry goes with CMD_TLBI_NH_VA.
TEST_F(Btm, AsetOneEntriesStillRemovedByCommands_3_17) {
    fill(1, s1_stream(1, 1, 0, true), VA1, 0);
    remap_all();
    cmds({tenc::tlbi_nh_va(0, 1, VA1)});
    EXPECT_TRUE(removed(0));
}

// ASIDE1IS: the non-global entries of ASID; global entries stay (3.17.1).
TEST_F(Btm, AsidRemovesNonGlobalEntriesOfAsid_3_17) {
    uint64_t r1 = s1_stream(1, 1);
    fill(1, r1, VA1, 0);
    fill(1, r1, VA2, 0x1000, false);
    fill(2, s1_stream(2, 2), VA1, 0x2000);
    remap_all();
    EXPECT_TRUE(deliver(op(SMMU_DVM_ASID, 1)));
    EXPECT_TRUE(removed(0));
    EXPECT_FALSE(removed(1)) << "global";
    EXPECT_FALSE(removed(2)) << "other ASID";
}

// EL1 forms carry the PE's VMID (VTTBR_EL2.VMID): entries of other VMIDs stay.
TEST_F(Btm, El1FormsMatchTheVmid_3_17) {
    fill(1, s1_stream(1, 1, 5), VA1, 0);
    fill(2, s1_stream(2, 1, 6), VA1, 0x1000);
    remap_all();
    EXPECT_TRUE(deliver(op(SMMU_DVM_VMALL, 0, 5)));
    EXPECT_TRUE(removed(0));
    EXPECT_FALSE(removed(1)) << "VMID 6";
    EXPECT_TRUE(deliver(op(SMMU_DVM_ALLE1)));
    EXPECT_TRUE(removed(1)) << "ALLE1IS: every VMID";
}

// 3.17: with IDR0.S2P == 0 the SMMU matches VMID 0 for broadcasts of a regime with VMIDs.
TEST_F(Btm, WithoutStage2VmidZeroIsMatched_3_17) {
    params.s2 = false;
    create();
    enable();
    fill(1, s1_stream(1, 1), VA1, 0);
    remap_all();
    EXPECT_TRUE(deliver(op(SMMU_DVM_VA, 1, 9, VA1)));
    EXPECT_FALSE(removed(0)) << "VMID 9 is not VMID 0";
    EXPECT_TRUE(deliver(op(SMMU_DVM_VA, 1, 0, VA1)));
    EXPECT_TRUE(removed(0));
}

// Arm ARM TLBI RVAE1IS (FEAT_TLBIRANGE): (NUM + 1) * 2^(5 * SCALE + 1) pages from the base
// address: NUM = 1, SCALE = 0, 4KB -> 4 pages.
TEST_F(Btm, RangeFormCoversNumAndScale_3_17) {
    uint64_t r1 = s1_stream(1, 1);
    for (uint64_t i = 0; i < 5; i++)
        fill(1, r1, VA1 + i * PAGE, i * PAGE);
    remap_all();
    smmu_dvm_tlbi_t o = op(SMMU_DVM_VA, 1, 0, VA1);
    o.range = true;
    o.tg = 1; // 4KB
    o.num = 1;
    o.scale = 0;
    EXPECT_TRUE(deliver(o));
    for (size_t i = 0; i < 4; i++)
        EXPECT_TRUE(removed(i)) << i;
    EXPECT_FALSE(removed(4)) << "the fifth page is past the range";
}

// IPAS2E1IS: stage-2 entries of the VMID at the IPA; other VMIDs stay.
TEST_F(Btm, IpaRemovesStage2EntriesOfVmid_3_17) {
    uint64_t a = s2_stream(1, 3), b = s2_stream(2, 4);
    s2map(a, VA1, OLD);
    s2map(b, VA1, OLD + 0x1000);
    ASSERT_EQ(pa_of(1, VA1), OLD);
    ASSERT_EQ(pa_of(2, VA1), OLD + 0x1000);
    s2map(a, VA1, NEW);
    s2map(b, VA1, NEW + 0x1000);
    EXPECT_TRUE(deliver(op(SMMU_DVM_IPA, 0, 3, VA1)));
    EXPECT_EQ(pa_of(1, VA1), NEW);
    EXPECT_EQ(pa_of(2, VA1), OLD + 0x1000) << "VMID 4";
}

// 3.17.5: a broadcast from EL2-E2H reaches the EL2-E2H StreamWorld with its ASID, one from EL2
// the EL2 StreamWorld; ALLE2IS both. EL1 entries are never reached by EL2 forms.
TEST_F(Btm, El2FormsFollowTheSendersE2h_3_17_5) {
    cr2 = CR2_E2H;
    enable();
    fill(1, s1_stream(1, 1, 0, false, 2), VA1, 0); // STRW 0b10 with CR2.E2H: NS-EL2-E2H
    fill(2, s1_stream(2, 1), VA1, 0x1000);         // NS-EL1, ASID 1
    remap_all();
    smmu_dvm_tlbi_t o = op(SMMU_DVM_VA_EL2, 1, 0, VA1);
    EXPECT_TRUE(deliver(o));
    EXPECT_FALSE(removed(0)) << "sent from EL2 without E2H";
    o.e2h = true;
    o.asid = 2;
    EXPECT_TRUE(deliver(o));
    EXPECT_FALSE(removed(0)) << "other ASID";
    o.asid = 1;
    EXPECT_TRUE(deliver(o));
    EXPECT_TRUE(removed(0));
    EXPECT_FALSE(removed(1)) << "EL1 entry";
    EXPECT_FALSE(deliver(op(SMMU_DVM_ASID_EL2, 1))) << "ASIDE2 exists only from EL2-E2H";
}

// 3.17: forms of a stage the SMMU lacks are silently ignored, Secure stage 2 and Secure EL2
// among them (S_IDR1.SEL2 == 0); a Secure operation reaches Secure StreamWorlds only (3.17.2).
TEST_F(Btm, UnimplementedFormsAreIgnored_3_17) {
    fill(1, s1_stream(1, 1), VA1, 0);
    remap_all();
    smmu_dvm_tlbi_t o = op(SMMU_DVM_VMALL);
    o.secure = true;
    deliver(o);
    EXPECT_FALSE(removed(0)) << "Secure VMALLE1: not a Non-secure entry";
    o = op(SMMU_DVM_IPA, 0, 0, VA1);
    o.secure = true;
    EXPECT_FALSE(deliver(o)) << "no Secure stage 2";
    o = op(SMMU_DVM_ALLE2);
    o.secure = true;
    EXPECT_FALSE(deliver(o)) << "no Secure EL2";
    EXPECT_FALSE(removed(0));
    params.s2 = false;
    create();
    enable();
    EXPECT_FALSE(deliver(op(SMMU_DVM_IPA, 0, 0, VA1))) << "no stage 2";
}

// The host learns the scope, marked broadcast, with the equivalent command's opcode
// (CMD_TLBI_NH_VA is 0x12, 4.4.2.3) and the ASET rule; then the plain notice.
TEST_F(Btm, HostLearnsTheBroadcastScope_3_17) {
    fill(1, s1_stream(1, 1), VA1, 0);
    dev.scopes.clear();
    EXPECT_TRUE(deliver(op(SMMU_DVM_VA, 1, 0, VA1)));
    ASSERT_EQ(dev.scopes.size(), 1u);
    EXPECT_TRUE(dev.scopes[0].broadcast);
    EXPECT_TRUE(dev.scopes[0].shared_only);
    EXPECT_EQ(dev.scopes[0].opcode, 0x12);
    EXPECT_EQ(dev.scopes[0].addr_lo, VA1);
}

} // namespace
