// SPDX-License-Identifier: Apache-2.0 OR MIT
// Test-only page-table builder on top of tenc_desc.h: creates the table levels a mapping needs
// (Arm ARM D8.2 lookup geometry) in the fixture's sparse memory.
#pragma once
#include "fixture.h"
#include "tenc_cfg.h"
#include "tenc_desc.h"

namespace tfx {

class PtTest : public SmmuTest {
  protected:
    // A zeroed table for granule shift gran (entries * 8 bytes, aligned to its size).
    uint64_t new_table(unsigned gran, unsigned concat = 1) {
        uint64_t size = (1ull << gran) * concat;
        return alloc(size, size);
    }
    // Writes leaf (a page or block descriptor built by the caller) for ia at leaf_level, in a
    // walk that starts at root at level start with the given granule; creates missing tables.
    // start_bits: IA bits resolved by the start level (for concatenated stage-2 tables).
    void map(uint64_t root, unsigned gran, unsigned start, uint64_t ia, tenc::Desc leaf,
             unsigned leaf_level = 3) {
        uint64_t table = root;
        for (unsigned level = start;; level++) {
            unsigned shift = tenc::level_shift(gran, level);
            uint64_t idx = ia >> shift;
            if (level != start) idx &= (1ull << (gran - 3)) - 1;
            uint64_t slot = table + 8 * idx;
            if (level == leaf_level) {
                put64(slot, leaf.v);
                return;
            }
            uint64_t d = get64(slot);
            if ((d & 3) != 3) {
                uint64_t next = new_table(gran);
                put64(slot, tenc::Desc::table(next).v);
                table = next;
            } else {
                table = d & 0x0000FFFFFFFFF000ull & ~((1ull << gran) - 1);
            }
        }
    }
    // Stage-1 4KB page mapping va -> pa in a 48-bit (T0SZ 16, start level 0) table; by default
    // read/write at both privilege levels (AP[2:1] = 0b01), attrs are ORed into the leaf.
    void map4k(uint64_t root, uint64_t va, uint64_t pa, tenc::Desc attrs = tenc::Desc().ap(1)) {
        tenc::Desc leaf = tenc::Desc::page(pa);
        leaf.v |= attrs.v;
        map(root, 12, 0, va, leaf);
    }
    // Installs an S1 stream: STE at sid pointing at one CD (linear, S1CDMax 0) at cd_pa.
    void s1_stream(uint32_t sid, uint64_t cd_pa, const tenc::Cd &cd) {
        put_words(cd_pa, cd.dw, 8);
        put_ste(sid, tenc::Ste::s1(cd_pa).dw);
    }
};

} // namespace tfx
