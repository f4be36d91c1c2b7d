// SPDX-License-Identifier: Apache-2.0 OR MIT
// Caching of Secure streams (spec 3.10, 3.17, 3.21, 4.1.6, 4.3, 4.4): a Secure stream's
// configuration and translations are cached, tagged with its Security state (configuration) and
// its StreamWorld, Secure or EL3 (translations), so that
//  - a Secure translation is served from the TLB on its second access;
//  - the Non-secure interface (its Command queue, its SMMUEN) never removes a Secure entry: a
//    Secure page remapped in memory without a Secure invalidation keeps its stale translation;
//  - the Secure Command queue's Secure commands (SSec == 1, TLBI_NH_*, TLBI_EL3_*) never remove
//    a Non-secure entry, while those the spec gives a Non-secure effect (SSec == 0,
//    TLBI_NSNH_ALL) do;
//  - after the right Secure invalidation and CMD_SYNC the changed mapping is used;
//  - the same StreamID in both Security states never aliases;
//  - S_INIT.INV_ALL and smmu_reset() clear everything.
// Remapping without invalidation and observing the stale result is what makes an entry's
// presence visible: the architecture permits the stale translation until the invalidation
// (3.21, 4.4), and the model keeps it (the TLB is far from full here).
#include "secure_fixture.h"
#include "tenc_cfg.h"
#include "tenc_cmd.h"
#include "tenc_desc.h"

using namespace sfx;
using namespace tenc;

namespace {

constexpr uint64_t S_INIT = 0x803C; // 6.3.62: INV_ALL [0]
constexpr uint64_t VA = 0x40201000;
constexpr uint64_t PA_A = 0x80000000, PA_B = 0x90000000, PA_C = 0xA0000000;

struct SecureCache : SecureTest {
    // A 3-level stage-1 map (4KB granule, T0SZ 25: start level 1, Arm ARM D8.2.8) of VA in the
    // given PA space at tables (3 consecutive 4KB tables); the leaf maps pa, non-global unless
    // global. nstable: NSTable in the level-1 descriptor (the levels below are then read from
    // Non-secure memory, Arm ARM D8.4.1; they are written there).
    void map(bool secure, uint64_t tables, uint64_t pa, bool global = false, bool nstable = false) {
        const uint64_t t1 = tables, t2 = tables + 0x1000, t3 = tables + 0x2000;
        const bool low = secure && !nstable; // the space of levels 2 and 3
        put64(secure, t1 + 8 * ((VA >> 30) & 511), Desc::table(t2).nstable(nstable).v);
        put64(low, t2 + 8 * ((VA >> 21) & 511), Desc::table(t3).v);
        put64(low, t3 + 8 * ((VA >> 12) & 511), Desc::page(pa).ng(!global).v);
    }
    // Rewrites the leaf of a map() in memory (no invalidation).
    void remap(bool secure, uint64_t tables, uint64_t pa, bool global = false) {
        put64(secure, tables + 0x2000 + 8 * ((VA >> 12) & 511), Desc::page(pa).ng(!global).v);
    }
    // A stage-1 stream sid of one Security state: its CD at cd (in the same PA space) with
    // ASID asid and TTB0 tables; strw: STE.STRW (5.2; a Secure STE's 0b01 is EL3).
    void stream(bool secure, uint32_t sid, uint64_t cd, uint64_t tables, unsigned asid,
                unsigned strw = 0) {
        put_words(secure, cd, Cd::s1(tables, 25, TG0_4K, asid).dw, 8);
        put_ste(secure, sid, Ste::s1(cd).strw(strw).dw);
    }
    // Both interfaces enabled; Secure stream 1 (ASID 1) maps VA to PA_A through Secure tables
    // at TABLES, Non-secure stream 1 (ASID 1) maps VA to PA_B through Non-secure tables at
    // TABLES: the same StreamID, ASID, VA and addresses in the two PA spaces.
    void both_worlds() {
        enable(false);
        enable(true);
        map(true, TABLES, PA_A);
        stream(true, 1, CDTAB, TABLES, 1);
        map(false, TABLES, PA_B);
        stream(false, 1, CDTAB, TABLES, 1);
    }
    uint64_t pa(bool secure, uint32_t sid = 1) {
        smmu_result_t r = xlate(secure, sid, VA);
        EXPECT_EQ(r.status, SMMU_OK);
        return r.pa;
    }
};

// 3.17, 3.21.1: a Secure stream's translation enters the TLB; the second access hits it (and the
// configuration cache) and reads no memory.
TEST_F(SecureCache, SecureTranslationHitsTheTlb_3_17) {
    both_worlds();
    smmu_result_t r = xlate(true, 1, VA);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_FALSE(r.tlb_hit);
    EXPECT_GT(r.mem_reads, 0u);
    smmu_cache_stats_t before, after;
    ASSERT_EQ(smmu_cache_stats(smmu, SMMU_CACHE_TLB, &before), 0);
    log.clear();
    r = xlate(true, 1, VA + 8);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_EQ(r.pa, PA_A + 8);
    EXPECT_FALSE(r.ns); // the leaf's NS == 0, read from Secure memory (3.10.2)
    EXPECT_TRUE(r.tlb_hit);
    EXPECT_TRUE(r.cfg_hit);
    EXPECT_TRUE(log.empty()) << "no structure or walk access on a hit";
    ASSERT_EQ(smmu_cache_stats(smmu, SMMU_CACHE_TLB, &after), 0);
    EXPECT_EQ(after.hits, before.hits + 1);
}

// 3.10.1, 3.17: a Secure and a Non-secure StreamID of the same value are two streams; with the
// same ASID and VA their translations never alias: each Security state gets its own, both cached.
TEST_F(SecureCache, SameStreamIdInBothWorldsNeverAliases_3_10_1) {
    both_worlds();
    EXPECT_EQ(pa(true), PA_A);
    EXPECT_EQ(pa(false), PA_B);
    smmu_result_t s = xlate(true, 1, VA), n = xlate(false, 1, VA);
    EXPECT_TRUE(s.tlb_hit);
    EXPECT_TRUE(n.tlb_hit);
    EXPECT_EQ(s.pa, PA_A);
    EXPECT_EQ(n.pa, PA_B);
    EXPECT_FALSE(s.ns);
    EXPECT_TRUE(n.ns);
}

// 4.1.6, 4.3, 4.4: no command of the Non-secure Command queue removes a Secure entry: with the
// Secure page remapped in memory and no Secure invalidation, the Secure stream keeps its stale
// translation after each of them, while the Non-secure one sees its own remap once invalidated.
TEST_F(SecureCache, NonSecureCommandsNeverRemoveSecureEntries_4_1_6) {
    both_worlds();
    EXPECT_EQ(pa(true), PA_A);
    EXPECT_EQ(pa(false), PA_B);
    remap(true, TABLES, PA_C);
    const Cmd cmds[] = {cfgi_ste(1),        cfgi_ste(1, false), cfgi_ste_range(0, 4),
                        cfgi_all(),         cfgi_cd(1, 0),      cfgi_cd_all(1),
                        tlbi_nh_all(0),     tlbi_nh_asid(0, 1), tlbi_nh_va(0, 1, VA, false),
                        tlbi_nh_vaa(0, VA), tlbi_nsnh_all(),    tlbi_s12_vmall(0),
                        tlbi_s2_ipa(0, VA), tlbi_el2_all(),     tlbi_el2_vaa(VA)};
    for (const Cmd &c : cmds) {
        ASSERT_TRUE(issue(false, {c})) << "opcode 0x" << std::hex << (c.dw[0] & 0xFF);
        smmu_result_t r = xlate(true, 1, VA);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_EQ(r.pa, PA_A) << "opcode 0x" << std::hex << (c.dw[0] & 0xFF);
        EXPECT_TRUE(r.tlb_hit);
    }
    remap(false, TABLES, PA_C);
    ASSERT_TRUE(issue(false, {tlbi_nh_va(0, 1, VA)}));
    EXPECT_EQ(pa(false), PA_C); // the Non-secure one went
    EXPECT_EQ(pa(true), PA_A);
}

// 3.10.2.1: the Non-secure interface's SMMUEN and GBPA control Non-secure streams only; turning
// Non-secure translation off and on leaves the Secure entries.
TEST_F(SecureCache, NonSecureSmmuenKeepsSecureEntries_3_10_2_1) {
    both_worlds();
    EXPECT_EQ(pa(true), PA_A);
    remap(true, TABLES, PA_C);
    w32(CR0, EVENTQEN | CMDQEN);
    w32(GBPA, 1u << 31); // Update: bypass attributes written
    w32(CR0, EVENTQEN | CMDQEN | SMMUEN);
    smmu_result_t r = xlate(true, 1, VA);
    EXPECT_EQ(r.pa, PA_A);
    EXPECT_TRUE(r.tlb_hit);
}

// 4.4.2.1 - 4.4.2.4 (Secure queue: StreamWorld Secure entries), 4.4.2.5 - 4.4.2.6 (EL3 entries),
// 4.1.6 / 4.3 (SSec == 1: Secure structures): none of these removes a Non-secure entry.
TEST_F(SecureCache, SecureCommandsNeverRemoveNonSecureEntries_4_4_2) {
    both_worlds();
    EXPECT_EQ(pa(false), PA_B);
    EXPECT_EQ(pa(true), PA_A);
    remap(false, TABLES, PA_C);
    const Cmd cmds[] = {cfgi_ste(1).ssec(true),
                        cfgi_all().ssec(true),
                        cfgi_cd(1, 0).ssec(true),
                        cfgi_cd_all(1).ssec(true),
                        tlbi_nh_all(),
                        tlbi_nh_asid(0, 1),
                        tlbi_nh_va(0, 1, VA),
                        tlbi_nh_vaa(0, VA, false),
                        Cmd(OP_TLBI_EL3_ALL),
                        Cmd(OP_TLBI_EL3_VA).addr(VA)};
    for (const Cmd &c : cmds) {
        ASSERT_TRUE(issue(true, {c})) << "opcode 0x" << std::hex << (c.dw[0] & 0xFF);
        smmu_result_t r = xlate(false, 1, VA);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_EQ(r.pa, PA_B) << "opcode 0x" << std::hex << (c.dw[0] & 0xFF);
        EXPECT_TRUE(r.tlb_hit);
    }
}

// 4.4.4.1: CMD_TLBI_NSNH_ALL has the same effect from the Secure queue: every Non-secure
// non-EL2 entry goes; the Secure ones stay.
TEST_F(SecureCache, SecureQueueNsnhAllRemovesNonSecureEntries_4_4_4_1) {
    both_worlds();
    EXPECT_EQ(pa(false), PA_B);
    EXPECT_EQ(pa(true), PA_A);
    remap(false, TABLES, PA_C);
    remap(true, TABLES, PA_C);
    ASSERT_TRUE(issue(true, {tlbi_nsnh_all()}));
    EXPECT_EQ(pa(false), PA_C);
    EXPECT_EQ(pa(true), PA_A);
}

// 4.1.6, 4.3.1: on the Secure queue SSec selects the Stream table: a CFGI_STE with SSec == 0
// reaches the Non-secure STE of that StreamID, with SSec == 1 the Secure one; neither the other.
TEST_F(SecureCache, SecureQueueSsecSelectsTheStreamTable_4_3_1) {
    both_worlds();
    EXPECT_EQ(pa(false), PA_B);
    EXPECT_EQ(pa(true), PA_A);
    put_ste(false, 1, Ste::bypass().dw); // both STEs changed in memory
    put_ste(true, 1, Ste::bypass().dw);
    ASSERT_TRUE(issue(true, {cfgi_ste(1).ssec(false)}));
    EXPECT_EQ(pa(false), VA) << "the Non-secure STE was invalidated: bypass";
    EXPECT_EQ(pa(true), PA_A) << "the Secure STE stays";
    ASSERT_TRUE(issue(true, {cfgi_ste(1).ssec(true)}));
    EXPECT_EQ(pa(true), VA);
}

// 4.4.2.4 (TLBI_NH_VA), 4.4.2.2 (NH_ASID), 4.4.2.1 (NH_ALL) from the Secure queue, each followed
// by CMD_SYNC (4.7.3): the changed Secure mapping is used afterwards.
TEST_F(SecureCache, SecureTlbiAndSyncUseTheNewMapping_4_4_2_1) {
    both_worlds();
    const Cmd cmds[] = {tlbi_nh_va(0, 1, VA), tlbi_nh_vaa(0, VA), tlbi_nh_asid(0, 1),
                        tlbi_nh_all()};
    uint64_t want = PA_A;
    for (const Cmd &c : cmds) {
        EXPECT_EQ(pa(true), want);
        want += 0x1000000;
        remap(true, TABLES, want);
        EXPECT_EQ(pa(true), want - 0x1000000) << "stale until invalidated";
        ASSERT_TRUE(issue(true, {c}));
        EXPECT_EQ(pa(true), want) << "opcode 0x" << std::hex << (c.dw[0] & 0xFF);
    }
    // another ASID's invalidation leaves the entry (4.4.2.2: by ASID)
    remap(true, TABLES, PA_C);
    ASSERT_TRUE(issue(true, {tlbi_nh_asid(0, 2), tlbi_nh_va(0, 2, VA)}));
    EXPECT_EQ(pa(true), want);
}

// 4.3.1: a Secure STE change takes effect after CMD_CFGI_STE with SSec == 1 on the Secure queue
// (and not before: the configuration cache holds the old one).
TEST_F(SecureCache, SecureCfgiSteUsesTheNewSte_4_3_1) {
    both_worlds();
    EXPECT_EQ(pa(true), PA_A);
    put_ste(true, 1, Ste::abort().dw);
    EXPECT_EQ(xlate(true, 1, VA).status, SMMU_OK) << "cached STE";
    ASSERT_TRUE(issue(true, {cfgi_ste(1).ssec(true)}));
    EXPECT_EQ(xlate(true, 1, VA).status, SMMU_FAULT);
}

// 3.17, 3.17.2, 4.4.2: StreamWorld EL3 (Secure STE.STRW 0b01) is a regime of its own without
// ASID: TLBI_NH_* of the Secure queue (StreamWorld Secure) leave its entries, TLBI_EL3_VA /
// TLBI_EL3_ALL remove them; TLBI_EL3_* leave StreamWorld Secure entries.
TEST_F(SecureCache, El3EntriesAreTaggedApart_3_17_2) {
    both_worlds();
    map(true, TABLES + 0x10000, PA_B);
    stream(true, 2, CDTAB + 0x100, TABLES + 0x10000, 0, 1); // EL3
    EXPECT_EQ(pa(true, 2), PA_B);
    EXPECT_EQ(pa(true, 1), PA_A);
    remap(true, TABLES + 0x10000, PA_C);
    remap(true, TABLES, PA_C);
    ASSERT_TRUE(issue(true, {tlbi_nh_all()}));
    EXPECT_EQ(pa(true, 2), PA_B) << "EL3 entry kept by TLBI_NH_ALL";
    EXPECT_EQ(pa(true, 1), PA_C);
    remap(true, TABLES, PA_A);
    ASSERT_TRUE(issue(true, {Cmd(OP_TLBI_EL3_VA).addr(VA + 0x200000)})); // another VA
    EXPECT_EQ(pa(true, 2), PA_B);
    ASSERT_TRUE(issue(true, {Cmd(OP_TLBI_EL3_VA).addr(VA)}));
    EXPECT_EQ(pa(true, 2), PA_C);
    EXPECT_EQ(pa(true, 1), PA_C) << "StreamWorld Secure entry kept by TLBI_EL3_VA";
    remap(true, TABLES + 0x10000, PA_B);
    ASSERT_TRUE(issue(true, {Cmd(OP_TLBI_EL3_ALL)}));
    EXPECT_EQ(pa(true, 2), PA_B);
    EXPECT_EQ(pa(true, 1), PA_C);
}

// 3.17.1: a Secure stream's translation is non-global whatever its nG when the leaf was read
// from Non-secure memory. Stream 1 (ASID 1) reaches its leaf through NSTable; stream 2 (ASID 2)
// maps the same VA elsewhere through Secure tables: it must not match stream 1's entry. With the
// leaf in Secure memory (nG == 0) the entry is global and does match (3.17.1: any ASID).
TEST_F(SecureCache, SecureLeafFromNonSecureMemoryIsNonGlobal_3_17_1) {
    enable(true);
    map(true, TABLES, PA_A, true, true); // global leaf, in Non-secure memory
    stream(true, 1, CDTAB, TABLES, 1);
    map(true, TABLES + 0x10000, PA_B);
    stream(true, 2, CDTAB + 0x100, TABLES + 0x10000, 2);
    EXPECT_EQ(pa(true, 1), PA_A);
    EXPECT_EQ(pa(true, 2), PA_B) << "non-global: ASID 1 only";
    // the contrast: a global leaf from Secure memory serves ASID 2 too
    map(true, TABLES + 0x20000, PA_C, true);
    stream(true, 3, CDTAB + 0x200, TABLES + 0x20000, 3);
    ASSERT_TRUE(issue(true, {tlbi_nh_all()}));
    EXPECT_EQ(pa(true, 3), PA_C);
    EXPECT_EQ(pa(true, 2), PA_C) << "global: any ASID of the StreamWorld";
}

// 3.17.2: a Secure EL1 broadcast TLBI (VAE1IS from Secure EL1) reaches StreamWorld Secure
// entries and not Non-secure ones; a Non-secure one never reaches a Secure entry.
TEST_F(SecureCache, SecureBroadcastReachesSecureEntriesOnly_3_17_2) {
    both_worlds();
    EXPECT_EQ(pa(true), PA_A);
    EXPECT_EQ(pa(false), PA_B);
    remap(true, TABLES, PA_C);
    remap(false, TABLES, PA_C);
    smmu_dvm_tlbi_t d{};
    d.op = SMMU_DVM_VA;
    d.asid = 1;
    d.addr = VA;
    EXPECT_TRUE(smmu_dvm_tlbi(smmu, &d)); // Non-secure
    EXPECT_EQ(pa(true), PA_A);
    EXPECT_EQ(pa(false), PA_C);
    remap(false, TABLES, PA_B);
    d.secure = true;
    EXPECT_TRUE(smmu_dvm_tlbi(smmu, &d));
    EXPECT_EQ(pa(true), PA_C);
    EXPECT_EQ(pa(false), PA_C) << "Non-secure entry kept";
    d.op = SMMU_DVM_ALLE3; // EL3 entries only
    remap(true, TABLES, PA_A);
    EXPECT_TRUE(smmu_dvm_tlbi(smmu, &d));
    EXPECT_EQ(pa(true), PA_C);
}

// 3.17, 6.3.60: with S_CR2.PTM == 1 Secure broadcast TLBIs are ignored (Arm strongly recommends
// it), while Non-secure ones (CR2.PTM == 0) still act.
TEST_F(SecureCache, SCr2PtmIgnoresSecureBroadcasts_6_3_60) {
    both_worlds();
    ws32(S_CR0, EVENTQEN | CMDQEN);     // S_CR2 is writable with SMMUEN == 0 (6.3.60)
    ws32(S_CR2, (1u << 2) | (1u << 1)); // PTM, RECINVSID
    ws32(S_CR0, EVENTQEN | CMDQEN | SMMUEN);
    EXPECT_EQ(pa(true), PA_A);
    remap(true, TABLES, PA_C);
    smmu_dvm_tlbi_t d{};
    d.op = SMMU_DVM_VMALL;
    d.secure = true;
    EXPECT_FALSE(smmu_dvm_tlbi(smmu, &d));
    EXPECT_EQ(pa(true), PA_A);
    d.secure = false;
    EXPECT_TRUE(smmu_dvm_tlbi(smmu, &d));
}

// 6.3.62: S_INIT.INV_ALL invalidates every cache of both Security states (with both SMMUEN 0).
TEST_F(SecureCache, SInitInvAllClearsBothWorlds_6_3_62) {
    both_worlds();
    EXPECT_EQ(pa(true), PA_A);
    EXPECT_EQ(pa(false), PA_B);
    remap(true, TABLES, PA_C);
    remap(false, TABLES, PA_C + 0x1000);
    w32(CR0, EVENTQEN | CMDQEN);
    ws32(S_CR0, EVENTQEN | CMDQEN);
    ws32(S_INIT, 1);
    w32(CR0, EVENTQEN | CMDQEN | SMMUEN);
    ws32(S_CR0, EVENTQEN | CMDQEN | SMMUEN);
    smmu_result_t s = xlate(true, 1, VA), n = xlate(false, 1, VA);
    EXPECT_EQ(s.pa, PA_C);
    EXPECT_EQ(n.pa, PA_C + 0x1000);
    EXPECT_FALSE(s.tlb_hit);
    EXPECT_FALSE(n.tlb_hit);
}

// smmu_reset(): the SMMU's reset state has nothing cached (3.21: caches are empty after reset),
// for either Security state.
TEST_F(SecureCache, ResetClearsBothWorlds_3_21) {
    both_worlds();
    EXPECT_EQ(pa(true), PA_A);
    EXPECT_EQ(pa(false), PA_B);
    remap(true, TABLES, PA_C);
    smmu_reset(smmu);
    enable(false);
    enable(true);
    smmu_result_t s = xlate(true, 1, VA);
    EXPECT_EQ(s.pa, PA_C);
    EXPECT_FALSE(s.tlb_hit);
}

// The host's notice of each invalidation carries its Security state (<smmu/smmu.h>
// smmu_inv_scope_t), and smmu_inv_covers applies it exactly as the caches do (4.3, 4.4): a
// Secure translation is covered by the Secure queue's TLBI_NH_ALL and CFGI_STE (SSec == 1), not
// by the Non-secure queue's.
TEST_F(SecureCache, ScopesCarryTheSecurityState_4_4) {
    both_worlds();
    smmu_txn_t t{};
    t.sid = 1;
    t.addr = VA;
    t.len = 4;
    t.priv = true;
    t.secure = true;
    smmu_result_t r;
    smmu_xlate_tags_t tags;
    smmu_translate_dbg_tags(smmu, &t, &r, &tags);
    ASSERT_EQ(r.status, SMMU_OK);
    EXPECT_TRUE(tags.secure);
    EXPECT_EQ(tags.world, SMMU_INV_W_SEL1);
    auto covered = [&](bool secure, const Cmd &c) {
        scopes.clear();
        EXPECT_TRUE(issue(secure, {c}));
        EXPECT_EQ(scopes.size(), 1u);
        return !scopes.empty() && smmu_inv_covers(&scopes[0], 1, 0, false, VA, VA + 0xFFF, &tags);
    };
    EXPECT_FALSE(covered(false, tlbi_nh_all(0)));
    EXPECT_FALSE(covered(false, tlbi_nsnh_all()));
    EXPECT_FALSE(covered(false, cfgi_ste(1)));
    EXPECT_FALSE(covered(true, cfgi_ste(1).ssec(false)));
    EXPECT_FALSE(covered(true, Cmd(OP_TLBI_EL3_ALL)));
    EXPECT_TRUE(covered(true, tlbi_nh_all()));
    EXPECT_TRUE(covered(true, tlbi_nh_va(0, 1, VA)));
    EXPECT_TRUE(covered(true, cfgi_ste(1).ssec(true)));
    EXPECT_TRUE(scopes[0].secure);
}

} // namespace
