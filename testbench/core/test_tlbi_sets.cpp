// SPDX-License-Identifier: Apache-2.0 OR MIT
// A by-address TLBI over a few pages looks only at the TLB sets those pages hash to, instead of
// every line (tlb.c). These tests check that it removes exactly what a sweep of every line
// removes: the same random program of mappings, translations, remaps behind the SMMU's back and
// invalidations runs on a TLB of 2 sets of 64 ways (every TLBI sweeps: a quarter of the sets is
// no probe) and on one of 8192 sets of 4 ways (by-address TLBIs of up to 2048 pages probe);
// neither evicts anything the program caches. After every invalidation every mapped address
// must translate the same way in both (a cached entry gives the old output address, a removed
// one the new).
#include <random>
#include <vector>

#include "cache_fixture.h"

using namespace tfx;
using tenc::Cd;
using tenc::Desc;
using tenc::Ste;

namespace {

constexpr uint64_t GB = 1ull << 30;
constexpr uint64_t VA0 = 0x40000000;   // stage-1 pages VA0 + k * 4 KB
constexpr uint64_t BLOCK = 0x40400000; // the nested stream's stage-1 2 MB block
constexpr uint64_t IPA0 = 4 * GB;      // stage-2 pages of the nested and stage-2 streams

class TlbiSets : public CacheTest {
  protected:
    struct Addr {
        uint32_t sid;
        uint64_t ia;
    };
    std::vector<Addr> addrs;

    // Fresh memory and an SMMU whose TLB has `entries` lines of `ways` ways.
    void fresh(uint32_t entries, uint8_t ways) {
        smmu_free(smmu);
        smmu = nullptr;
        smmu_mem_free(mem);
        mem = smmu_mem_new();
        next_table = TABLES;
        smmu_params_init(&params);
        params.cache[SMMU_CACHE_TLB].entries = entries;
        params.cache[SMMU_CACHE_TLB].ways = ways;
        create();
        enable();
        addrs.clear();
    }

    // The program for seed: returns every translation made after each invalidation. Odd seeds
    // also use a nested stream whose combined entries are pieces of a 2 MB stage-1 block (from
    // its first fill on, by-address TLBIs probe 512 pages per size, or sweep).
    std::vector<uint64_t> run(uint32_t entries, uint8_t ways, unsigned seed) {
        fresh(entries, ways);
        std::mt19937 r(seed);
        auto pick = [&](unsigned n) { return (unsigned)(r() % n); };
        // NS-EL1 stage 1: ASIDs 1, 2 in VMID 3, ASID 1 in VMID 4; NS-EL2 (STRW 0b10)
        std::vector<uint64_t> roots = {s1_stream(1, 1, 3), s1_stream(2, 2, 3), s1_stream(3, 1, 4),
                                       s1_stream(4, 0, 0, false, 2)};
        std::vector<bool> global(16 * 4);
        for (uint32_t sid = 1; sid <= 4; sid++)
            for (unsigned k = 0; k < 12; k++) {
                uint64_t va = VA0 + 0x1000 * (k < 10 ? k : 40 + k);
                bool g = pick(5) == 0;
                global[(sid - 1) * 16 + k] = g;
                page(roots[sid - 1], va, 0x80000000 + 0x100000 * sid + 0x1000 * k, !g);
                addrs.push_back({sid, va});
            }
        // nested: a 2 MB stage-1 block over 4 KB stage-2 pages (combined entries of 4 KB that
        // VA invalidations match over the whole block)
        uint64_t s1root;
        uint64_t n2 = nested_stream(5, 6, 7, &s1root);
        map(s1root, 12, 0, BLOCK, Desc::block(IPA0).ap(1).ng(true), 2);
        for (unsigned k = 0; k < 4; k++) {
            s2map(n2, IPA0 + 0x1000 * k, 0x90000000 + 0x1000 * k);
            if (seed & 1) addrs.push_back({5, BLOCK + 0x1000 * k});
        }
        // stage 2 only, VMID 8
        uint64_t s2 = s2_stream(6, 8);
        for (unsigned k = 0; k < 4; k++) {
            s2map(s2, IPA0 + 0x1000 * k, 0x98000000 + 0x1000 * k);
            addrs.push_back({6, IPA0 + 0x1000 * k});
        }
        auto remap = [&](const Addr &a, uint64_t pa) {
            if (a.sid <= 4) {
                unsigned k = (unsigned)((a.ia - VA0) >> 12);
                unsigned slot = k < 10 ? k : k - 40;
                page(roots[a.sid - 1], a.ia, pa, !global[(a.sid - 1) * 16 + slot]);
            } else if (a.sid == 5) {
                s2map(n2, IPA0 + (a.ia - BLOCK), pa);
            } else {
                s2map(s2, a.ia, pa);
            }
        };

        std::vector<uint64_t> seen;
        for (unsigned step = 0; step < 400; step++) {
            const Addr &a = addrs[pick((unsigned)addrs.size())];
            switch (pick(4)) {
            case 0: // remap behind the SMMU's back
                remap(a, 0xB0000000 + 0x1000 * (uint64_t)pick(4096));
                break;
            case 1: // fill
                pa_of(a.sid, a.ia);
                break;
            default: { // an invalidation, mostly by address
                uint64_t va = (a.sid == 5 ? BLOCK : VA0) + 0x1000 * (uint64_t)pick(16);
                tenc::Cmd c = tenc::tlbi_nh_all(3);
                unsigned kind = pick(9);
                switch (kind) {
                case 0:
                    c = tenc::tlbi_nh_va(3 + pick(2), 1 + pick(2), va, pick(2));
                    break;
                case 1:
                    c = tenc::tlbi_nh_vaa(3 + pick(2), va, pick(2));
                    break;
                case 2: { // a range: (NUM + 1) << SCALE 4 KB pages, up to 64; NUM == SCALE == 0
                          // needs a TTL hint (4.4.1.1)
                    unsigned num = pick(8), scale = pick(4);
                    c = tenc::tlbi_nh_va(3, 1 + pick(2), va, pick(2))
                            .tg(1)
                            .num(num)
                            .scale(scale)
                            .ttl(pick(2) || (num == 0 && scale == 0) ? 3 : 0);
                    break;
                }
                case 3:
                    c = tenc::tlbi_nh_vaa(6, BLOCK + 0x1000 * (uint64_t)pick(600));
                    break;
                case 4:
                    c = tenc::tlbi_el2_va(pick(3), va);
                    break;
                case 5:
                    c = tenc::tlbi_el2_vaa(va);
                    break;
                case 6:
                    c = tenc::tlbi_s2_ipa(pick(2) ? 8 : 6, IPA0 + 0x1000 * (uint64_t)pick(4));
                    break;
                case 7:
                    c = tenc::tlbi_nh_asid(3, 1 + pick(2));
                    break;
                default: // 64 pages, or 4096 (more than the probing TLB's 2048: it sweeps)
                    c = tenc::tlbi_nh_va(3, 1, va).tg(1).num(31).scale(pick(2) ? 1 : 7);
                    break;
                }
                if (!run_cmds(smmu, mem, {c})) {
                    ADD_FAILURE() << "seed " << seed << " step " << step << ": command of kind "
                                  << kind << " refused, CMDQ_CONS "
                                  << smmu_reg_read(smmu, SMMU_CMDQ_CONS, 4);
                    return seen;
                }
                for (const Addr &x : addrs)
                    seen.push_back(pa_of(x.sid, x.ia));
            }
            }
        }
        return seen;
    }
};

TEST_F(TlbiSets, ByAddressTlbiRemovesWhatASweepRemoves) {
    for (unsigned seed = 1; seed <= 12; seed++) {
        std::vector<uint64_t> sweep = run(128, 64, seed); // 2 sets: every TLBI sweeps
        std::vector<uint64_t> probe = run(32768, 4, seed); // 8192 sets: ranges probe
        ASSERT_EQ(sweep.size(), probe.size());
        size_t diff = 0;
        while (diff < sweep.size() && sweep[diff] == probe[diff])
            diff++;
        EXPECT_EQ(diff, sweep.size()) << "seed " << seed << ": translation " << diff % addrs.size()
                                      << " after invalidation " << diff / addrs.size();
        // the program does exercise the TLB: entries were removed by its invalidations
        EXPECT_GT(cstats(SMMU_CACHE_TLB).invalidations, 50u) << "seed " << seed;
    }
}

// The nested stream's combined entries are 4 KB pieces of a 2 MB stage-1 block: a VA
// invalidation of one 4 KB page of the block removes every piece (4.4.1), also when the TLB is
// large enough for the block's 512 pages to be probed set by set (2048 sets: 512 probes).
TEST_F(TlbiSets, VaInvalidationRemovesEveryPieceOfABlockInALargeTlb) {
    fresh(8192, 4);
    uint64_t s1root;
    uint64_t n2 = nested_stream(5, 6, 7, &s1root);
    map(s1root, 12, 0, BLOCK, Desc::block(IPA0).ap(1).ng(true), 2);
    for (unsigned k = 0; k < 3; k++) {
        s2map(n2, IPA0 + 0x1000 * k, 0x90000000 + 0x1000 * k);
        ASSERT_EQ(pa_of(5, BLOCK + 0x1000 * k), 0x90000000 + 0x1000 * k);
        s2map(n2, IPA0 + 0x1000 * k, 0xA0000000 + 0x1000 * k);
    }
    cmds({tenc::tlbi_s2_ipa(6, IPA0), tenc::tlbi_s2_ipa(6, IPA0 + 0x1000),
          tenc::tlbi_s2_ipa(6, IPA0 + 0x2000)});
    EXPECT_EQ(pa_of(5, BLOCK), 0x90000000u) << "combined entry kept by S2_IPA (4.4.3.1)";
    cmds({tenc::tlbi_nh_va(6, 7, BLOCK + 0x1FF000)}); // the block's last page
    for (unsigned k = 0; k < 3; k++)
        EXPECT_EQ(pa_of(5, BLOCK + 0x1000 * k), 0xA0000000 + 0x1000 * k) << k;
}

} // namespace
