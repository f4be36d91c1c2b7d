// SPDX-License-Identifier: Apache-2.0 OR MIT
// Scoped invalidation notices (smmu_host_t::invalidate_scope) and smmu_inv_covers(), for hosts
// that keep translations of their own (TLM DMI grants, device-side caches). The scope a host
// learns is the command's, with the expected values computed here from the spec's field
// definitions (4.3, 4.4, 4.4.1.1); and every translation that a command removes from the core's
// TLB is covered by it (conservative where the core is finer, never less).
#include <cstring>
#include <functional>
#include <random>

#include "cache_fixture.h"

using namespace tfx;
using tenc::Desc;

namespace {

constexpr uint64_t VA1 = 0x40000000, VA2 = 0x40001000, VA3 = 0x40200000;
constexpr uint64_t OLD = 0x80000000, NEW = 0xA0000000;
constexpr uint64_t GB = 1ull << 30;

class InvScope : public CacheTest {
  protected:
    smmu_inv_scope_t last() {
        EXPECT_FALSE(dev.scopes.empty());
        return dev.scopes.empty() ? smmu_inv_scope_t{} : dev.scopes.back();
    }
    // The TLB tags of a read of va by sid (the translation must succeed).
    smmu_xlate_tags_t tags_of(uint32_t sid, uint64_t va) {
        smmu_txn_t t{};
        t.sid = sid;
        t.addr = va;
        t.len = 4;
        smmu_result_t r;
        smmu_xlate_tags_t tags;
        smmu_translate_dbg_tags(smmu, &t, &r, &tags);
        EXPECT_EQ(r.status, SMMU_OK) << "sid " << sid << " va 0x" << std::hex << va;
        return tags;
    }
};

// 4.3.1: CMD_CFGI_STE names one StreamID; Leaf = 1 need not reach the L1STD.
TEST_F(InvScope, CfgiSteScopeIsOneStreamId_4_3_1) {
    cmds({tenc::cfgi_ste(0x23, true)});
    smmu_inv_scope_t s = last();
    EXPECT_EQ(s.kind, SMMU_INV_CFG);
    EXPECT_EQ(s.opcode, 0x03);
    EXPECT_EQ(s.sid_lo, 0x23u);
    EXPECT_EQ(s.sid_hi, 0x23u);
    EXPECT_TRUE(s.ste);
    EXPECT_TRUE(s.leaf);
    EXPECT_FALSE(s.l1std);
    EXPECT_TRUE(s.ssid_all);
    cmds({tenc::cfgi_ste(0x23, false)});
    EXPECT_TRUE(last().l1std);
}

// 4.3.2: an aligned range of 2^(Range + 1) StreamIDs; the bottom Range + 1 bits of StreamID
// are IGNORED. 4.3.6: Range 31 is CMD_CFGI_ALL, every StreamID.
TEST_F(InvScope, CfgiSteRangeScopeIsAligned2PowRangePlus1_4_3_2) {
    cmds({tenc::cfgi_ste_range(0x2B, 2)}); // 8 StreamIDs: 0x28 .. 0x2F
    smmu_inv_scope_t s = last();
    EXPECT_EQ(s.kind, SMMU_INV_CFG);
    EXPECT_EQ(s.sid_lo, 0x28u);
    EXPECT_EQ(s.sid_hi, 0x2Fu);
    EXPECT_TRUE(s.ste && s.l1std);
    cmds({tenc::cfgi_all()});
    s = last();
    EXPECT_EQ(s.sid_lo, 0u);
    EXPECT_EQ(s.sid_hi, 0xFFFFFFFFu);
}

// 4.3.3 / 4.3.4: CD invalidations keep the STE; CFGI_CD names one SubstreamID.
TEST_F(InvScope, CfgiCdScopeIsOneSubstreamIdOfOneStream_4_3_3) {
    cmds({tenc::cfgi_cd(7, 0x15, false)});
    smmu_inv_scope_t s = last();
    EXPECT_EQ(s.kind, SMMU_INV_CFG);
    EXPECT_EQ(s.opcode, 0x05);
    EXPECT_FALSE(s.ste);
    EXPECT_FALSE(s.ssid_all);
    EXPECT_EQ(s.ssid, 0x15u);
    EXPECT_EQ(s.sid_lo, 7u);
    EXPECT_EQ(s.sid_hi, 7u);
    cmds({tenc::cfgi_cd_all(7)});
    s = last();
    EXPECT_FALSE(s.ste);
    EXPECT_TRUE(s.ssid_all);
}

// 4.4.1.1: Range = (NUM + 1) * 2^SCALE granules from Address; 4.4.2.4 NH_VA reaches the ASID's
// entries and global ones (3.17.1) of the VMID.
TEST_F(InvScope, TlbiNhVaRangeScope_4_4_1_1) {
    cmds({tenc::tlbi_nh_va(3, 9, VA1).tg(1).num(2).scale(1).ttl(3)});
    smmu_inv_scope_t s = last();
    EXPECT_EQ(s.kind, SMMU_INV_TLB);
    EXPECT_EQ(s.opcode, 0x12);
    EXPECT_EQ(s.worlds, SMMU_INV_W_EL1);
    EXPECT_FALSE(s.vmid_any);
    EXPECT_EQ(s.vmid, 3u);
    EXPECT_EQ(s.asid_mode, SMMU_INV_ASID_OR_GLOBAL);
    EXPECT_EQ(s.asid, 9u);
    EXPECT_TRUE(s.by_addr);
    EXPECT_FALSE(s.addr_ipa);
    EXPECT_EQ(s.addr_lo, VA1);
    EXPECT_EQ(s.addr_hi, VA1 + 3 * 2 * 4096 - 1); // (2 + 1) * 2^1 granules of 4 KB
    EXPECT_EQ(s.tg, 12u);
    EXPECT_EQ(s.ttl, 3u);
}

// 4.4.2.2: NH_ASID reaches only the non-global entries of the ASID; 4.4.3.1: S2_IPA is an IPA
// range of stage 2 (and the IPA cache); 4.4.4.1: NSNH_ALL every non-EL2 entry of any VMID.
TEST_F(InvScope, TlbiAsidIpaAndNsnhScopes_4_4) {
    cmds({tenc::tlbi_nh_asid(0, 4)});
    EXPECT_EQ(last().asid_mode, SMMU_INV_ASID_NONGLOBAL);
    EXPECT_FALSE(last().by_addr);
    cmds({tenc::tlbi_s2_ipa(5, 4 * GB)});
    smmu_inv_scope_t s = last();
    EXPECT_EQ(s.worlds, SMMU_INV_W_S2);
    EXPECT_TRUE(s.ipa_cache);
    EXPECT_TRUE(s.addr_ipa);
    EXPECT_EQ(s.addr_lo, 4 * GB);
    EXPECT_EQ(s.addr_hi, 4 * GB);
    cmds({tenc::tlbi_nsnh_all()});
    s = last();
    EXPECT_EQ(s.worlds, SMMU_INV_W_EL1 | SMMU_INV_W_S2);
    EXPECT_TRUE(s.vmid_any);
}

// 3.11 / 6.3.9: translations change wholesale when SMMUEN or GBPA changes, and smmu_reset()
// forgets everything: the host is told SMMU_INV_ALL. Nothing is notified by smmu_new().
TEST_F(InvScope, SmmuenChangeAndResetNotifyAll_6_3_9) {
    dev.scopes.clear();
    create();
    EXPECT_TRUE(dev.scopes.empty()) << "no notice from smmu_new()";
    enable();
    ASSERT_FALSE(dev.scopes.empty());
    EXPECT_EQ(last().kind, SMMU_INV_ALL);
    dev.scopes.clear();
    smmu_reset(smmu);
    ASSERT_EQ(dev.scopes.size(), 1u);
    EXPECT_EQ(last().kind, SMMU_INV_ALL);
}

// 3.17: the tags a debug translation reports are those its TLB entries carry: ASID of the CD,
// VMID of the STE, global for nG == 0; stage-2-only: the IPA is the input address.
TEST_F(InvScope, DbgTagsAreTheTlbTags_3_17) {
    uint64_t r1 = s1_stream(1, 5, 7);
    page(r1, VA1, OLD, true);
    page(r1, VA2, OLD + 0x1000, false);
    smmu_xlate_tags_t t = tags_of(1, VA1);
    EXPECT_TRUE(t.via_ste && t.s1 && !t.s2);
    EXPECT_EQ(t.world, SMMU_INV_W_EL1);
    EXPECT_EQ(t.asid, 5u);
    EXPECT_EQ(t.vmid, 7u);
    EXPECT_FALSE(t.global);
    EXPECT_TRUE(tags_of(1, VA2).global);
    EXPECT_TRUE(tags_of(1, VA2).global) << "the same from the TLB entry";
    uint64_t a = s2_stream(2, 6);
    s2map(a, VA1, OLD + 0x2000);
    t = tags_of(2, VA1);
    EXPECT_TRUE(!t.s1 && t.s2);
    EXPECT_EQ(t.world, SMMU_INV_W_S2);
    EXPECT_EQ(t.vmid, 6u);
    EXPECT_EQ(t.ipa, VA1);
    uint64_t s1root;
    uint64_t n = nested_stream(3, 8, 2, &s1root);
    page(s1root, VA3, 4 * GB + 0x3000);
    s2map(n, 4 * GB + 0x3000, OLD + 0x3000);
    t = tags_of(3, VA3 + 0x10);
    EXPECT_TRUE(t.s1 && t.s2);
    EXPECT_EQ(t.ipa, 4 * GB + 0x3010) << "the IPA of the input address";
    EXPECT_EQ(t.vmid, 8u);
}

// smmu_translate_tags (a host's micro-TLB fill): the tags of smmu_translate_dbg_tags, the
// result and the statistics of smmu_translate (it is a real translation: it fills the TLB).
TEST_F(InvScope, TranslateTagsIsTranslateWithDbgTags_3_17) {
    uint64_t r1 = s1_stream(1, 5, 7);
    page(r1, VA1, OLD, true);
    uint64_t s1root;
    uint64_t n = nested_stream(3, 8, 2, &s1root);
    page(s1root, VA3, 4 * GB + 0x3000);
    s2map(n, 4 * GB + 0x3000, OLD + 0x3000);
    for (auto [sid, va] : {std::pair<uint32_t, uint64_t>{1, VA1}, {3, VA3 + 0x10}}) {
        const smmu_xlate_tags_t want = tags_of(sid, va);
        smmu_txn_t t{};
        t.sid = sid;
        t.addr = va;
        t.len = 4;
        smmu_stats_t st0, st1;
        smmu_get_stats(smmu, &st0);
        smmu_result_t r, r2;
        smmu_xlate_tags_t got;
        smmu_translate_tags(smmu, &t, &r, &got);
        smmu_get_stats(smmu, &st1);
        ASSERT_EQ(r.status, SMMU_OK);
        EXPECT_EQ(st1.translations, st0.translations + 1) << "counted as a translation";
        EXPECT_EQ(0, memcmp(&got, &want, sizeof(got))) << "sid " << sid;
        smmu_translate(smmu, &t, &r2);
        EXPECT_EQ(r2.pa, r.pa);
        EXPECT_TRUE(r2.tlb_hit) << "smmu_translate_tags filled the TLB";
        smmu_translate_tags(smmu, &t, &r2, &got);
        EXPECT_TRUE(r2.tlb_hit);
        EXPECT_EQ(0, memcmp(&got, &want, sizeof(got))) << "the same from the TLB entry";
    }
    smmu_txn_t f{};
    f.sid = 1;
    f.addr = VA2; // unmapped: a fault, zeroed tags
    f.len = 4;
    smmu_result_t r;
    smmu_xlate_tags_t got;
    memset(&got, 0xA5, sizeof(got));
    smmu_translate_tags(smmu, &f, &r, &got);
    EXPECT_NE(r.status, SMMU_OK);
    EXPECT_FALSE(got.via_ste || got.s1 || got.s2);
}

// 3.17.1 / 4.4.2.2: an NH_ASID scope does not reach a global translation; NH_VA does at its VA.
TEST_F(InvScope, NhAsidDoesNotCoverGlobalTranslation_3_17_1) {
    uint64_t r1 = s1_stream(1, 5);
    page(r1, VA1, OLD, false);
    const smmu_xlate_tags_t g = tags_of(1, VA1);
    cmds({tenc::tlbi_nh_asid(0, 5)});
    smmu_inv_scope_t s = last();
    EXPECT_FALSE(smmu_inv_covers(&s, 1, 0, false, VA1, VA1 + 0xFFF, &g));
    cmds({tenc::tlbi_nh_va(0, 9, VA1)});
    s = last();
    EXPECT_TRUE(smmu_inv_covers(&s, 1, 0, false, VA1, VA1 + 0xFFF, &g));
    EXPECT_FALSE(smmu_inv_covers(&s, 1, 0, false, VA2, VA2 + 0xFFF, &g)) << "other page";
}

// 5.2: a transaction without a SubstreamID uses CD 0 (S1DSS == 0b10, or S1CDMax == 0), which
// CFGI_CD of SubstreamID 0 reaches; another SubstreamID's does not; a bypass translation
// (SMMUEN == 0) is reached only by SMMU_INV_ALL.
TEST_F(InvScope, CfgiCdCoversSubstream0ForTrafficWithoutSubstreamId_5_2) {
    smmu_xlate_tags_t t{};
    t.via_ste = true;
    t.s1 = true;
    t.world = SMMU_INV_W_EL1;
    cmds({tenc::cfgi_cd(4, 0)});
    smmu_inv_scope_t s = last();
    EXPECT_TRUE(smmu_inv_covers(&s, 4, 0, false, VA1, VA1, &t));
    EXPECT_FALSE(smmu_inv_covers(&s, 4, 3, true, VA1, VA1, &t));
    EXPECT_FALSE(smmu_inv_covers(&s, 5, 0, false, VA1, VA1, &t)) << "other StreamID";
    smmu_xlate_tags_t bypass{};
    EXPECT_FALSE(smmu_inv_covers(&s, 4, 0, false, VA1, VA1, &bypass));
    smmu_inv_scope_t all{};
    all.kind = SMMU_INV_ALL;
    EXPECT_TRUE(smmu_inv_covers(&all, 4, 0, false, VA1, VA1, &bypass));
}

// 4.4.3.1: an IPA invalidation reaches a nested translation through the IPA its input address
// maps to (the IPA cache), and not one whose IPA is elsewhere.
TEST_F(InvScope, S2IpaCoversNestedTranslationThroughItsIpa_4_4_3_1) {
    uint64_t s1root;
    uint64_t n = nested_stream(1, 3, 1, &s1root);
    page(s1root, VA1, 4 * GB);
    page(s1root, VA2, 4 * GB + 0x5000);
    s2map(n, 4 * GB, OLD);
    s2map(n, 4 * GB + 0x5000, OLD + 0x5000);
    const smmu_xlate_tags_t a = tags_of(1, VA1), b = tags_of(1, VA2);
    cmds({tenc::tlbi_s2_ipa(3, 4 * GB)});
    smmu_inv_scope_t s = last();
    EXPECT_TRUE(smmu_inv_covers(&s, 1, 0, false, VA1, VA1 + 0xFFF, &a));
    EXPECT_FALSE(smmu_inv_covers(&s, 1, 0, false, VA2, VA2 + 0xFFF, &b));
    cmds({tenc::tlbi_s2_ipa(4, 4 * GB)});
    s = last();
    EXPECT_FALSE(smmu_inv_covers(&s, 1, 0, false, VA1, VA1 + 0xFFF, &a)) << "other VMID";
}

// The property a host relies on: whatever an invalidation removes from the core's TLB, its
// scope covers. Random streams of every kind (stage 1 with ASIDs, global pages, EL2, stage 2,
// nested), random TLBIs; a translation that changes after the command must be covered.
TEST_F(InvScope, EveryTranslationTheTlbDropsIsCovered_4_4) {
    struct Map {
        uint32_t sid;
        uint64_t va, old_pa, new_pa;
        smmu_xlate_tags_t tags;
    };
    std::mt19937_64 rng(0x5C0BE);
    int checked = 0, removed_total = 0;
    for (int round = 0; round < 12; round++) {
        create();
        enable();
        std::vector<Map> maps;
        std::vector<std::function<void(bool)>> remap; // (new?) rewrites one mapping
        // stage 1, ASIDs 1 and 2 in VMIDs 0 and 1 (one table tree per ASID and VMID, 3.17),
        // global and non-global pages
        for (uint32_t sid = 1; sid <= 4; sid++) {
            uint64_t root = s1_stream(sid, 1 + ((sid - 1) & 1), (sid - 1) >> 1);
            for (int k = 0; k < 3; k++) {
                bool ng = rng() % 3 != 0;
                /* a global page is every ASID's (3.17.1): one VA per stream for those */
                uint64_t va = ng ? VA1 + 0x1000 * (uint64_t)(3 * k + rng() % 3)
                                 : VA3 + 0x10000 * sid + 0x1000 * (uint64_t)k;
                uint64_t o = OLD + 0x100000 * sid + 0x1000 * (uint64_t)k;
                page(root, va, o, ng);
                maps.push_back({sid, va, o, NEW + (o - OLD), {}});
                remap.push_back([=](bool nw) { page(root, va, nw ? NEW + (o - OLD) : o, ng); });
            }
        }
        // stage 2 only, VMIDs 2 and 3
        for (uint32_t sid = 5; sid <= 6; sid++) {
            uint64_t root = s2_stream(sid, sid - 3);
            uint64_t ipa = VA1 + 0x1000 * (uint64_t)(rng() % 8);
            uint64_t o = OLD + 0x100000 * sid;
            s2map(root, ipa, o);
            maps.push_back({sid, ipa, o, NEW + (o - OLD), {}});
            remap.push_back([=](bool nw) { s2map(root, ipa, nw ? NEW + (o - OLD) : o); });
        }
        // nested, VMID 4, ASID 1: the stage-2 leaf is what changes
        uint64_t s1root;
        uint64_t n = nested_stream(7, 4, 1, &s1root);
        page(s1root, VA3, 4 * GB + 0x7000);
        s2map(n, 4 * GB + 0x7000, OLD + 0x700000);
        maps.push_back({7, VA3, OLD + 0x700000, NEW + 0x700000, {}});
        remap.push_back([=](bool nw) { s2map(n, 4 * GB + 0x7000, (nw ? NEW : OLD) + 0x700000); });
        // fill the TLB and take the tags
        for (Map &m : maps) {
            ASSERT_EQ(pa_of(m.sid, m.va), m.old_pa) << "sid " << m.sid;
            m.tags = tags_of(m.sid, m.va);
        }
        for (int c = 0; c < 8; c++) {
            for (auto &f : remap)
                f(true);
            const unsigned vmid = (unsigned)(rng() % 5), asid = 1 + (unsigned)(rng() % 2);
            const uint64_t va = VA1 + 0x1000 * (uint64_t)(rng() % 8);
            tenc::Cmd cmd = tenc::tlbi_nh_all(vmid);
            switch (rng() % 8) {
            case 0:
                cmd = tenc::tlbi_nh_asid(vmid, asid);
                break;
            case 1:
                cmd = tenc::tlbi_nh_va(vmid, asid, va);
                break;
            case 2:
                cmd = tenc::tlbi_nh_vaa(vmid, va);
                break;
            case 3:
                cmd = tenc::tlbi_s2_ipa(vmid, rng() % 2 ? va : 4 * GB + 0x7000);
                break;
            case 4:
                cmd = tenc::tlbi_s12_vmall(vmid);
                break;
            case 5:
                cmd = tenc::tlbi_nh_va(vmid, asid, va).tg(1).num(3).ttl(3);
                break;
            case 6:
                cmd = tenc::tlbi_el2_all();
                break;
            default:
                break;
            }
            cmds({cmd});
            const smmu_inv_scope_t s = last();
            for (const Map &m : maps) {
                const uint64_t pa = pa_of(m.sid, m.va);
                ASSERT_TRUE(pa == m.old_pa || pa == m.new_pa);
                const bool covered =
                    smmu_inv_covers(&s, m.sid, 0, false, m.va, m.va + 0xFFF, &m.tags);
                if (pa == m.new_pa) {
                    removed_total++;
                    EXPECT_TRUE(covered) << "round " << round << " cmd " << c << " opcode 0x"
                                         << std::hex << (unsigned)s.opcode << " sid " << m.sid;
                }
                checked++;
            }
            // back to the old mappings, with every entry gone, for the next command
            for (auto &f : remap)
                f(false);
            cmds({tenc::tlbi_nsnh_all(), tenc::tlbi_el2_all()});
            for (const Map &m : maps)
                ASSERT_EQ(pa_of(m.sid, m.va), m.old_pa);
        }
    }
    EXPECT_GT(removed_total, 50) << "the commands must remove something to be checked";
    EXPECT_GT(checked, 1000);
}

} // namespace
