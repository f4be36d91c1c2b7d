// SPDX-License-Identifier: Apache-2.0 OR MIT
// Fixture of the nested-walk suites (test_nested_walk, test_httu).
//
// Memory layout: stage 2 (4KB granule, T0SZ 25, start level 1) maps IPA [0, 4GB) to the same
// PA with 1GB blocks (the CD and output pages live there), IPA [4GB, 5GB) to PA [0, 1GB) with
// 2MB blocks of a separate level-2 table (the stage-1 tables live there: IPA = PA + 4GB), and
// leaves IPA [5GB, ...) unmapped.
#pragma once
#include "walk_fixture.h"

namespace twalk {

constexpr uint64_t GB = 1ull << 30, MB2 = 1ull << 21;
constexpr uint64_t S1_DELTA = 4 * GB;          // stage-1 tables: IPA = PA + 4GB
constexpr uint64_t UNMAPPED = 5 * GB;          // stage-2 level-1 entry 5 is invalid
constexpr uint64_t VA = 0x0000001234567000ull; // stage-1 input
constexpr uint64_t OUT_IPA = 0x40005000ull;    // identity-mapped by stage 2

class Nested : public WalkTest {
  protected:
    Tree s2t, s1t;
    bool cd_ha = false, cd_hd = false; // CD.HA / CD.HD of start() (HTTU, spec 5.4)
    bool cd_haft = false;              // CD.HAFT of start() (3.13.6, 5.4)

    static Desc s2block(uint64_t oa) {
        return Desc::block(oa).memattr(0xF).s2ap(3).sh(3);
    }
    // Stage 2 as described above; l2 is the descriptor template for the 2MB blocks that hold
    // the stage-1 tables (its address bits are filled in).
    void build_s2(Desc l2 = s2block(0)) {
        s2t = tree(12, 1, 39);
        for (uint64_t i = 0; i < 4; i++)
            map(s2t, i * GB, 1, s2block(i * GB));
        for (uint64_t i = 0; i < 512; i++) {
            Desc d = l2;
            map(s2t, S1_DELTA + i * MB2, 2, d.addr(i * MB2));
        }
    }
    // Stage-1 tree (4KB, T0SZ 16, start level 0) with one EL0-RW page at VA -> out_ipa.
    void build_s1(uint64_t out_ipa = OUT_IPA, unsigned ap = 0b01) {
        s1t = tree(12, 0, 48, S1_DELTA);
        map(s1t, VA, 3, Desc::page(out_ipa).ap(ap));
    }
    void start(Ste ste = Ste(), unsigned ps = 5, unsigned ips = 5) {
        Ste s = ste;
        s.s2_4k_l1(s2t.root, ps).valid(true);
        nested(s, Cd::s1(s1t.root).ips(ips).ha(cd_ha).hd(cd_hd).haft(cd_haft));
    }
    void setup_all(Desc l2 = s2block(0), Ste ste = Ste()) {
        build_s2(l2);
        build_s1();
        start(ste);
    }
    // Expected record of a stage-2 fault on the stage-1 descriptor at desc_ipa.
    static Ev tt_fault(uint8_t type, uint64_t desc_ipa, bool ttrnw = false) {
        return Ev{.type = type,
                  .addr = VA,
                  .s2 = true,
                  .ttrnw = ttrnw,
                  .cls = CLASS_TT,
                  .ipa = desc_ipa & ~0xFFFull};
    }
};

} // namespace twalk
