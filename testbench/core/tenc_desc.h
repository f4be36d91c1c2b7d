// SPDX-License-Identifier: Apache-2.0 OR MIT
// Test-only encoder for VMSAv8-64 translation table descriptors, written from the Arm ARM
// (D8.3.1 descriptor formats, D8.2 lookup geometry), independently of <smmu/arch.h>.
//
//   bits[1:0]  0b11 Table (levels 0-2) / Page (level 3); 0b01 Block; bit0 == 0 Invalid
//   Table:     next-level table address [47:g] (g = granule shift), PXNTable [59],
//              UXNTable/XNTable [60], APTable [62:61], NSTable [63]; AF [10] when hardware
//              managed Table descriptor Access flag is enabled, IGNORED otherwise (FEAT_HAFT;
//              D8.3.1 Tables D8-50, D8-51)
//   Block/Page (stage 1): AttrIndx [4:2], NS [5], AP[2:1] [7:6], SH [9:8], AF [10], nG [11],
//              OA [47:n], nT [16] (Block), DBM [51], Contiguous [52], PXN [53], UXN/XN [54]
//   Block/Page (stage 2): MemAttr [5:2], S2AP [7:6], SH [9:8], AF [10], OA [47:n], DBM [51],
//              Contiguous [52], XN [54] (FEAT_XNX not implemented: bit 53 RES0); with FEAT_XNX
//              XN[1:0] [54:53] (D8.3.1 stage 2 Block/Page descriptor, D8.4.2.1 Table D8-78)
//   64KB granule with a 52-bit OA: OA[51:48] in bits [15:12].
//   4KB/16KB granule with TCR_ELx.DS / VTCR_EL2.DS == 1 (FEAT_LPA2, D8.3.1 Tables D8-49..):
//              OA / next-level table address [49:12] in place in bits [49:12] and [51:50] in
//              bits [9:8] (which hold SH[1:0] when DS == 0).
#pragma once
#include <cstdint>

#include "tenc.h"

namespace tenc {

struct Desc {
    uint64_t v = 0;
    Desc &f(unsigned lsb, unsigned w, uint64_t x) {
        put(&v, lsb, w, x);
        return *this;
    }
    // Output / next-table address bits [47:12] in place; lower bits of a block's OA must be
    // zero by construction of the caller.
    Desc &addr(uint64_t a) {
        return f(12, 36, a >> 12);
    }
    // 64KB granule, 52-bit OA: [47:16] in place and [51:48] in bits [15:12].
    Desc &addr52(uint64_t a) {
        return f(16, 32, a >> 16).f(12, 4, a >> 48);
    }
    // 4KB/16KB granule with DS == 1: [49:12] in place and OA[51:50] in bits [9:8].
    Desc &addr_ds(uint64_t a) {
        return f(12, 38, a >> 12).f(8, 2, a >> 50);
    }
    // stage 1 leaf
    Desc &attrindx(unsigned i) {
        return f(2, 3, i);
    }
    Desc &ns(bool b) {
        return f(5, 1, b);
    }
    Desc &ap(unsigned ap21) {
        return f(6, 2, ap21);
    } // AP[2:1]
    Desc &sh(unsigned s) {
        return f(8, 2, s);
    }
    Desc &af(bool b) {
        return f(10, 1, b);
    }
    Desc &ng(bool b) {
        return f(11, 1, b);
    }
    // Dirty Bit Modifier, bit[51] of Block and Page descriptors (spec 3.13.3.1)
    Desc &dbm(bool b) {
        return f(51, 1, b);
    }
    // nT, bit[16] of Block descriptors (FEAT_BBML1; Arm ARM D8.3.1.2, SMMU spec 3.21.1)
    Desc &nt(bool b) {
        return f(16, 1, b);
    }
    Desc &cont(bool b) {
        return f(52, 1, b);
    }
    Desc &pxn(bool b) {
        return f(53, 1, b);
    }
    Desc &uxn(bool b) {
        return f(54, 1, b);
    }
    // stage 2 leaf
    Desc &memattr(unsigned m) {
        return f(2, 4, m);
    }
    Desc &s2ap(unsigned a) {
        return f(6, 2, a);
    } // S2AP[1:0]: [0] read, [1] write
    Desc &xn(bool b) {
        return f(54, 1, b);
    }
    // FEAT_XNX: stage-2 XN[1:0] in bits [54:53] (XN[1] bit 54, XN[0] bit 53; Arm ARM D8.3.1)
    Desc &xn2(unsigned v) {
        return f(53, 2, v);
    }
    // table
    Desc &pxntable(bool b) {
        return f(59, 1, b);
    }
    Desc &uxntable(bool b) {
        return f(60, 1, b);
    }
    Desc &aptable(unsigned a) {
        return f(61, 2, a);
    }
    Desc &nstable(bool b) {
        return f(63, 1, b);
    }

    static Desc table(uint64_t next) {
        return Desc().f(0, 2, 0b11).addr(next);
    }
    // A table descriptor's Access flag, bit[10] (FEAT_HAFT, D8.5.1.3): the same bit as af().
    Desc &taf(bool b) {
        return f(10, 1, b);
    }
    // Leaves with AF = 1 (the common case; AF tests clear it).
    static Desc page(uint64_t oa) {
        return Desc().f(0, 2, 0b11).addr(oa).af(true);
    }
    static Desc block(uint64_t oa) {
        return Desc().f(0, 2, 0b01).addr(oa).af(true);
    }
    // FEAT_LPA2 (DS == 1) forms of the above.
    static Desc table_ds(uint64_t next) {
        return Desc().f(0, 2, 0b11).addr_ds(next);
    }
    static Desc page_ds(uint64_t oa) {
        return Desc().f(0, 2, 0b11).addr_ds(oa).af(true);
    }
    static Desc block_ds(uint64_t oa) {
        return Desc().f(0, 2, 0b01).addr_ds(oa).af(true);
    }
    static Desc invalid() {
        return Desc();
    }
};

// Lookup geometry (Arm ARM D8.2): a level resolves IA[shift + stride - 1 : shift], with
// stride = gran - 3 and shift = gran + (3 - level) * stride.
inline unsigned level_shift(unsigned gran, unsigned level) {
    return gran + (3 - level) * (gran - 3);
}

inline uint64_t bswap64(uint64_t v) {
    uint64_t r = 0;
    for (int i = 0; i < 8; i++)
        r = (r << 8) | ((v >> (8 * i)) & 0xff);
    return r;
}

// MAIR-format attribute bytes (Arm ARM D8.6.1 / MAIR_ELx encoding).
enum : uint8_t {
    MAIR_DEV_nGnRnE = 0x00,
    MAIR_DEV_nGnRE = 0x04,
    MAIR_DEV_nGRE = 0x08,
    MAIR_DEV_GRE = 0x0C,
    MAIR_NC = 0x44,
    MAIR_WB = 0xFF,
};

} // namespace tenc
