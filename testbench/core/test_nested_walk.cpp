// SPDX-License-Identifier: Apache-2.0 OR MIT
// Nested walks (Arm ARM D8.2.3 R PNHHK, D8.15.4.1; spec 3.4.3, 5.2 S2PTW, 7.3.12-7.3.16): every
// stage-1 table address is an IPA translated by stage 2 with CLASS TT; the stage-1 output IPA
// is translated by stage 2 with CLASS IN. Faults at each point are checked in the event record.
// Memory layout: nested_fixture.h.
#include "nested_fixture.h"

using namespace twalk;

TEST_F(Nested, TranslatesThroughBothStages) {
    // Counts the reads of an uncached walk: without walk and IPA caches (a walk cache may
    // legitimately reuse stage-2 table descriptors between the walks of one translation).
    params.cache[SMMU_CACHE_WALK].enable = false;
    params.cache[SMMU_CACHE_IPA].enable = false;
    create();
    setup_all();
    uint64_t before = walk_reads();
    auto r = xlate(sid, VA + 0x18);
    expect_ok(r, OUT_IPA + 0x18);
    // 4 stage-1 reads, each after a 2-read stage-2 walk, then 1 stage-2 read for the output
    // (plus whatever the CD fetch needed through stage 2).
    EXPECT_GE(walk_reads() - before, 4u * 3 + 1);
}

TEST_F(Nested, OutputIpaFollowsStage2Mapping) {
    build_s2();
    build_s1(S1_DELTA + 3 * MB2 + 0x7000); // output IPA in the 2MB-block region
    start();
    expect_ok(xlate(sid, VA + 4), 3 * MB2 + 0x7000 + 4);
}

// A stage-1 table IPA that stage 2 does not map: stage-2 Translation fault, CLASS TT, IPA =
// the stage-1 descriptor address (7.3.13).
TEST_F(Nested, TableIpaUnmappedIsStage2TranslationFaultClassTT) {
    setup_all();
    wdesc(s1t, slot(s1t, VA, 0), Desc::table(UNMAPPED + 0x3000).v);
    uint64_t desc_ipa = UNMAPPED + 0x3000 + 8 * ((VA >> 30) & 511);
    expect_fault(xlate(sid, VA), tt_fault(F_TRANSLATION, desc_ipa));
}

TEST_F(Nested, TtbIpaUnmappedIsStage2TranslationFaultClassTT) {
    build_s2();
    s1t = tree(12, 0, 48, S1_DELTA);
    s1t.root = UNMAPPED + 0x10000; // CD.TTB0 is an IPA stage 2 does not map
    start();
    uint64_t desc_ipa = s1t.root + 8 * ((VA >> 39) & 511);
    expect_fault(xlate(sid, VA), tt_fault(F_TRANSLATION, desc_ipa));
}

// Stage-1 output IPA unmapped: stage-2 fault with CLASS IN and the IPA (7.3.13).
TEST_F(Nested, OutputIpaUnmappedIsStage2TranslationFaultClassIn) {
    build_s2();
    build_s1(UNMAPPED + 0x2345000);
    start();
    expect_fault(xlate(sid, VA + 0x10, true), Ev{.type = F_TRANSLATION,
                                                 .addr = VA + 0x10,
                                                 .rnw = false,
                                                 .s2 = true,
                                                 .cls = CLASS_IN,
                                                 .ipa = UNMAPPED + 0x2345000});
}

// A stage-2 Permission fault on a stage-1 table read: CLASS TT, TTRnW = 1 (read, 7.3.16).
TEST_F(Nested, Stage2WriteOnlyTableIsPermissionFaultTtrnwRead) {
    setup_all(s2block(0).s2ap(0b10));
    expect_fault(xlate(sid, VA), tt_fault(F_PERMISSION, s1t.root + 8 * ((VA >> 39) & 511), true));
}

TEST_F(Nested, Stage2AccessFlagOnTableIsAccessFaultClassTT) {
    setup_all(s2block(0).af(false));
    expect_fault(xlate(sid, VA), tt_fault(F_ACCESS, s1t.root + 8 * ((VA >> 39) & 511)));
}

// STE.S2PTW (5.2): a stage-1 walk to memory stage 2 maps as Device is a stage-2 Permission
// fault, CLASS TT.
TEST_F(Nested, S2ptwDeviceTableIsPermissionFaultClassTT) {
    setup_all(s2block(0).memattr(0b0001), Ste().s2ptw(true));
    expect_fault(xlate(sid, VA), tt_fault(F_PERMISSION, s1t.root + 8 * ((VA >> 39) & 511), true));
}

TEST_F(Nested, DeviceTableWithoutS2ptwIsWalked) {
    setup_all(s2block(0).memattr(0b0001));
    expect_ok(xlate(sid, VA), OUT_IPA);
}

// The CD (at an IPA in [0, 1GB)) in memory stage 2 maps as Device-nGnRE: with STE.S2PTW == 1
// the CD fetch is a stage-2 Permission fault, CLASS CD (5.2 S2PTW; 7.3 F_PERMISSION: CLASS CD is
// a Data read, TTRnW UNKNOWN); with S2PTW == 0 (IDR3.PTWNNC) it is fetched.
class NestedDeviceCd : public Nested {
  protected:
    void setup(bool s2ptw) {
        build_s2();
        map(s2t, 0, 1, s2block(0).memattr(0b0001));
        build_s1();
        start(Ste().s2ptw(s2ptw));
    }
};

TEST_F(NestedDeviceCd, S2ptwDeviceCdFetchIsPermissionFaultClassCd_5_2) {
    setup(true);
    auto r = xlate(sid, VA);
    EXPECT_EQ(r.status, SMMU_FAULT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(tfx::evt_type(ev[0]), 0x13u); // F_PERMISSION
    EXPECT_EQ(tfx::evt_s2(ev[0]), 1u);
    EXPECT_EQ(tfx::evt_class(ev[0]), 0u); // CD
    EXPECT_EQ(tfx::evt_ipa(ev[0]), tfx::CDTAB);
    EXPECT_EQ(tfx::evt_addr(ev[0]), VA);
}

TEST_F(NestedDeviceCd, DeviceCdFetchWithoutS2ptwIsFetched_5_2) {
    setup(false);
    expect_ok(xlate(sid, VA), OUT_IPA);
}

TEST_F(Nested, S2ptwNormalTableIsWalked) {
    setup_all(s2block(0), Ste().s2ptw(true));
    expect_ok(xlate(sid, VA), OUT_IPA);
}

// External abort on the stage-1 descriptor after its IPA translated: S2 = 0, CLASS TT,
// FetchAddr = the descriptor's PA (7.3.12).
TEST_F(Nested, Stage1DescriptorAbortIsStage1WalkEabt) {
    setup_all();
    uint64_t desc_pa = slot(s1t, VA, 2) - S1_DELTA;
    ASSERT_EQ(smmu_mem_add_abort(mem, desc_pa & ~0xFFFull, 0x1000), 0);
    expect_fault(xlate(sid, VA),
                 Ev{.type = F_WALK_EABT, .addr = VA, .cls = CLASS_TT, .fetch = desc_pa});
}

// External abort on a stage-2 descriptor while translating a stage-1 table IPA: S2 = 1,
// CLASS TT, FetchAddr = the stage-2 descriptor's PA (7.3.12).
TEST_F(Nested, Stage2DescriptorAbortDuringTableWalkIsClassTT) {
    setup_all();
    uint64_t s1_desc_ipa = s1t.root + 8 * ((VA >> 39) & 511);
    uint64_t s2_desc_pa = slot(s2t, s1_desc_ipa, 2); // only stage-1 table IPAs use this table
    ASSERT_EQ(smmu_mem_add_abort(mem, s2_desc_pa & ~0xFFFull, 0x1000), 0);
    expect_fault(
        xlate(sid, VA),
        Ev{.type = F_WALK_EABT, .addr = VA, .s2 = true, .cls = CLASS_TT, .fetch = s2_desc_pa});
}

// A stage-1 fault in a nested walk is still S2 = 0, CLASS IN.
TEST_F(Nested, Stage1PermissionFaultIsStage1ClassIn) {
    build_s2();
    build_s1(OUT_IPA, 0b00); // privileged only
    start();
    expect_fault(xlate(sid, VA), Ev{.type = F_PERMISSION, .addr = VA, .cls = CLASS_IN});
}

TEST_F(Nested, Stage2ReadOnlyOutputWriteIsPermissionFaultClassIn) {
    build_s2();
    uint64_t ipa = S1_DELTA + 7 * MB2; // remap this 2MB block read-only
    map(s2t, ipa, 2, s2block(7 * MB2).s2ap(0b01));
    build_s1(ipa);
    start();
    expect_ok(xlate(sid, VA), 7 * MB2);
    expect_fault(xlate(sid, VA, true), Ev{.type = F_PERMISSION,
                                          .addr = VA,
                                          .rnw = false,
                                          .s2 = true,
                                          .cls = CLASS_IN,
                                          .ipa = ipa});
}

// Stage-2 big-endian tables (S2ENDI) serve the stage-1 table walk too.
TEST_F(Nested, BigEndianStage2ForTableWalk) {
    s2t = tree(12, 1, 39);
    s2t.be = true;
    for (uint64_t i = 0; i < 4; i++)
        map(s2t, i * GB, 1, s2block(i * GB));
    for (uint64_t i = 0; i < 512; i++)
        map(s2t, S1_DELTA + i * MB2, 2, s2block(i * MB2));
    build_s1();
    start(Ste().s2endi(true));
    expect_ok(xlate(sid, VA), OUT_IPA);
}

// The next-table IPA of a stage-1 table descriptor is checked against CD.IPS before stage 2
// sees it: a stage-1 Address Size fault (spec 3.4.3 note, 7.3.14).
TEST_F(Nested, Stage1TableIpaBeyondIpsIsStage1AddrSize) {
    build_s2();
    build_s1();
    start(Ste(), 5, 1); // CD.IPS: 36 bits
    wdesc(s1t, slot(s1t, VA, 0), Desc::table(1ull << 36).v);
    expect_fault(xlate(sid, VA), Ev{.type = F_ADDR_SIZE, .addr = VA, .cls = CLASS_IN});
}

// Stage 2 maps a stage-1 table IPA to a PA beyond S2PS: stage-2 Address Size fault, CLASS TT.
TEST_F(Nested, Stage2OutputBeyondS2psOnTableIsAddrSizeClassTT) {
    build_s2();
    build_s1();
    uint64_t root_desc = s1t.root + 8 * ((VA >> 39) & 511);
    map(s2t, root_desc, 2, s2block(1ull << 40)); // 2MB block holding the stage-1 root
    start(Ste(), 2);                             // 40-bit S2PS
    expect_fault(xlate(sid, VA), tt_fault(F_ADDR_SIZE, root_desc));
}
