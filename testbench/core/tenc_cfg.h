// SPDX-License-Identifier: Apache-2.0 OR MIT
// Test-only encoders for L1STD (spec 5.1), STE (5.2), L1CD (5.3) and CD (5.4), written from the
// spec's field tables. Bit numbers are those of the spec (STE bit 64 = DW1 bit 0).
#pragma once
#include "tenc.h"

namespace tenc {

// STE.Config values (5.2)
enum : unsigned {
    CFG_ABORT = 0b000,
    CFG_BYPASS = 0b100,
    CFG_S1 = 0b101,
    CFG_S2 = 0b110,
    CFG_NESTED = 0b111,
};

struct Ste {
    uint64_t dw[8] = {};
    Ste &f(unsigned lsb, unsigned w, uint64_t v) {
        put(dw, lsb, w, v);
        return *this;
    }
    Ste &valid(bool v = true) {
        return f(0, 1, v);
    }
    Ste &config(unsigned c) {
        return f(1, 3, c);
    }
    Ste &s1fmt(unsigned v) {
        return f(4, 2, v);
    }
    Ste &s1ctxptr(uint64_t pa) {
        return f(6, 50, pa >> 6);
    } // bits [55:6]
    Ste &s1cdmax(unsigned v) {
        return f(59, 5, v);
    }
    Ste &s1dss(unsigned v) {
        return f(64, 2, v);
    }
    Ste &s1cir(unsigned v) {
        return f(66, 2, v);
    }
    Ste &s1cor(unsigned v) {
        return f(68, 2, v);
    }
    Ste &s1csh(unsigned v) {
        return f(70, 2, v);
    }
    // CONT, bits [80:77] (5.2): the STE is identical to its neighbours in the aligned span of
    // 2^CONT StreamIDs.
    Ste &cont(unsigned v) {
        return f(77, 4, v);
    }
    Ste &s1stalld(bool v) {
        return f(91, 1, v);
    }
    Ste &eats(unsigned v) {
        return f(92, 2, v);
    }
    Ste &strw(unsigned v) {
        return f(94, 2, v);
    }
    Ste &memattr(unsigned v) {
        return f(96, 4, v);
    }
    Ste &mtcfg(bool v) {
        return f(100, 1, v);
    }
    Ste &alloccfg(unsigned v) {
        return f(101, 4, v);
    }
    Ste &shcfg(unsigned v) {
        return f(108, 2, v);
    }
    Ste &nscfg(unsigned v) {
        return f(110, 2, v);
    }
    Ste &privcfg(unsigned v) {
        return f(112, 2, v);
    }
    Ste &instcfg(unsigned v) {
        return f(114, 2, v);
    }
    Ste &s2vmid(unsigned v) {
        return f(128, 16, v);
    }
    Ste &s2t0sz(unsigned v) {
        return f(160, 6, v);
    }
    Ste &s2sl0(unsigned v) {
        return f(166, 2, v);
    }
    Ste &s2ir0(unsigned v) {
        return f(168, 2, v);
    }
    Ste &s2or0(unsigned v) {
        return f(170, 2, v);
    }
    Ste &s2sh0(unsigned v) {
        return f(172, 2, v);
    }
    Ste &s2tg(unsigned v) {
        return f(174, 2, v);
    } // 0b00 4KB, 0b01 64KB, 0b10 16KB
    Ste &s2ps(unsigned v) {
        return f(176, 3, v);
    }
    Ste &s2aa64(bool v) {
        return f(179, 1, v);
    }
    // The stage-2 setup the nested tests share (5.2): 4 KiB granule, 39-bit IPA (S2T0SZ 25)
    // starting at level 1 (S2SL0 1), output size ps, AArch64, VMID 1, Write-back Inner
    // Shareable walks, S2R (record faults).
    Ste &s2_4k_l1(uint64_t root, unsigned ps) {
        return s2ttb(root)
            .s2tg(0)
            .s2t0sz(25)
            .s2sl0(1)
            .s2ps(ps)
            .s2aa64(true)
            .s2vmid(1)
            .s2ir0(1)
            .s2or0(1)
            .s2sh0(3)
            .s2r(true);
    }
    Ste &s2endi(bool v) {
        return f(180, 1, v);
    }
    Ste &s2fwb(bool v) {
        return f(89, 1, v);
    } // S2FWB, bit [89] (5.2)
    Ste &s2affd(bool v) {
        return f(181, 1, v);
    }
    Ste &s2ptw(bool v) {
        return f(182, 1, v);
    }
    Ste &s2hd(bool v) {
        return f(183, 1, v);
    }
    Ste &s2ha(bool v) {
        return f(184, 1, v);
    }
    Ste &s2s(bool v) {
        return f(185, 1, v);
    }
    Ste &s2r(bool v) {
        return f(186, 1, v);
    }
    // S2HAFT, bit [187] (5.2): stage-2 hardware update of the Table descriptor Access flag
    Ste &s2haft(bool v) {
        return f(187, 1, v);
    }
    Ste &s2sl0_2(bool v) {
        return f(194, 1, v);
    } // S2SL0_2, bit [194]: bit [2] of S2SL0 (5.2)
    Ste &s2ds(bool v) {
        return f(195, 1, v);
    } // S2DS, bit [195] (5.2)
    Ste &s2ttb(uint64_t pa) {
        return f(196, 52, pa >> 4);
    } // bits [247:196] = addr [55:4]

    // MPAM (5.2, chapter 17): S1MPAM bit [90], PARTID [287:272], PMG [327:320], VMSPtr [375:332]
    // (the VMS address bits [55:12]).
    Ste &s1mpam(bool v) {
        return f(90, 1, v);
    }
    Ste &partid(unsigned v) {
        return f(272, 16, v);
    }
    Ste &pmg(unsigned v) {
        return f(320, 8, v);
    }
    Ste &mpam_ns(bool v) {
        return f(328, 1, v);
    } // MPAM_NS, bit [328]: Secure STE, Non-secure PARTID space (5.2, 17.7)
    Ste &vmsptr(uint64_t pa) {
        return f(332, 44, pa >> 12);
    }
    static Ste abort() {
        return Ste().valid().config(CFG_ABORT);
    }
    static Ste bypass() {
        return Ste().valid().config(CFG_BYPASS);
    }
    // Stage 1 with a linear CD table (S1Fmt 0) of 2^cdmax CDs at cdtab.
    static Ste s1(uint64_t cdtab, unsigned cdmax = 0) {
        return Ste().valid().config(CFG_S1).s1ctxptr(cdtab).s1cdmax(cdmax).s1cir(1).s1cor(1).s1csh(
            3);
    }
    // Stage 2, AArch64, with the given granule (TG encoding), T0SZ, SL0, PS; S2R=1.
    static Ste s2(uint64_t ttb, unsigned tg, unsigned t0sz, unsigned sl0, unsigned ps = 5,
                  unsigned vmid = 1) {
        return Ste()
            .valid()
            .config(CFG_S2)
            .s2ttb(ttb)
            .s2tg(tg)
            .s2t0sz(t0sz)
            .s2sl0(sl0)
            .s2ps(ps)
            .s2aa64(true)
            .s2vmid(vmid)
            .s2ir0(1)
            .s2or0(1)
            .s2sh0(3)
            .s2r(true);
    }
};

// L1STD (5.1): Span [4:0], L2Ptr [55:6]
inline uint64_t l1std(unsigned span, uint64_t l2ptr) {
    uint64_t d = 0;
    put(&d, 0, 5, span);
    put(&d, 6, 50, l2ptr >> 6);
    return d;
}
// L1CD (5.3): V [0], L2Ptr [55:12]
inline uint64_t l1cd(bool v, uint64_t l2ptr) {
    uint64_t d = 0;
    put(&d, 0, 1, v);
    put(&d, 12, 44, l2ptr >> 12);
    return d;
}

// CD TG0 encodings (5.4): 0b00 4KB, 0b01 64KB, 0b10 16KB. TG1: 0b01 16KB, 0b10 4KB, 0b11 64KB.
enum : unsigned { TG0_4K = 0, TG0_64K = 1, TG0_16K = 2 };
enum : unsigned { TG1_16K = 1, TG1_4K = 2, TG1_64K = 3 };

struct Cd {
    uint64_t dw[8] = {};
    Cd &f(unsigned lsb, unsigned w, uint64_t v) {
        put(dw, lsb, w, v);
        return *this;
    }
    Cd &t0sz(unsigned v) {
        return f(0, 6, v);
    }
    // MPAM (5.4): PARTID [367:352], PMG [375:368]
    Cd &partid(unsigned v) {
        return f(352, 16, v);
    }
    Cd &pmg(unsigned v) {
        return f(368, 8, v);
    }
    Cd &tg0(unsigned v) {
        return f(6, 2, v);
    }
    Cd &ir0(unsigned v) {
        return f(8, 2, v);
    }
    Cd &or0(unsigned v) {
        return f(10, 2, v);
    }
    Cd &sh0(unsigned v) {
        return f(12, 2, v);
    }
    Cd &epd0(bool v) {
        return f(14, 1, v);
    }
    Cd &endi(bool v) {
        return f(15, 1, v);
    }
    Cd &t1sz(unsigned v) {
        return f(16, 6, v);
    }
    Cd &tg1(unsigned v) {
        return f(22, 2, v);
    }
    Cd &ir1(unsigned v) {
        return f(24, 2, v);
    }
    Cd &or1(unsigned v) {
        return f(26, 2, v);
    }
    Cd &sh1(unsigned v) {
        return f(28, 2, v);
    }
    Cd &epd1(bool v) {
        return f(30, 1, v);
    }
    Cd &valid(bool v = true) {
        return f(31, 1, v);
    }
    Cd &ips(unsigned v) {
        return f(32, 3, v);
    }
    Cd &affd(bool v) {
        return f(35, 1, v);
    }
    Cd &wxn(bool v) {
        return f(36, 1, v);
    }
    Cd &uwxn(bool v) {
        return f(37, 1, v);
    }
    Cd &tbi0(bool v) {
        return f(38, 1, v);
    }
    Cd &tbi1(bool v) {
        return f(39, 1, v);
    }
    Cd &pan(bool v) {
        return f(40, 1, v);
    }
    Cd &aa64(bool v) {
        return f(41, 1, v);
    }
    Cd &hd(bool v) {
        return f(42, 1, v);
    }
    Cd &ha(bool v) {
        return f(43, 1, v);
    }
    // HAFT, bit [67] (5.4): stage-1 hardware update of the Table descriptor Access flag
    Cd &haft(bool v) {
        return f(67, 1, v);
    }
    Cd &s(bool v) {
        return f(44, 1, v);
    }
    Cd &r(bool v) {
        return f(45, 1, v);
    }
    Cd &a(bool v) {
        return f(46, 1, v);
    }
    Cd &aset(bool v) {
        return f(47, 1, v);
    }
    Cd &asid(unsigned v) {
        return f(48, 16, v);
    }
    Cd &e0pd0(bool v) {
        return f(66, 1, v);
    } // E0PD0, bit [66] (5.4)
    Cd &e0pd1(bool v) {
        return f(130, 1, v);
    } // E0PD1, bit [130] (5.4)
    Cd &ttb0(uint64_t pa) {
        return f(68, 52, pa >> 4);
    } // bits [119:68] = addr [55:4]
    Cd &ttb1(uint64_t pa) {
        return f(132, 52, pa >> 4);
    } // bits [183:132] = addr [55:4]
    Cd &ds(bool v) {
        return f(186, 1, v);
    } // DS, bit [186] (5.4)
    // NSCFG0 [64], NSCFG1 [128] (5.4): PA space of the starting-level table (Secure STEs only)
    Cd &nscfg0(bool v) {
        return f(64, 1, v);
    }
    Cd &nscfg1(bool v) {
        return f(128, 1, v);
    }
    Cd &mair(uint64_t v) {
        return f(192, 64, v);
    } // MAIR0 [223:192], MAIR1 [255:224]

    // A typical AArch64 CD: TTB0 only (EPD1 = 1), 4KB granule unless tg0 given, 48-bit IPS,
    // inner-shareable WB walks, R = A = 1 (record, abort), MAIR with attr0 = Normal WB
    // (0xFF), attr1 = Device-nGnRE (0x04).
    static Cd s1(uint64_t ttb0, unsigned t0sz = 16, unsigned tg0 = TG0_4K, unsigned asid = 1) {
        return Cd()
            .valid()
            .aa64(true)
            .t0sz(t0sz)
            .tg0(tg0)
            .ir0(1)
            .or0(1)
            .sh0(3)
            .epd1(true)
            .ips(5)
            .r(true)
            .a(true)
            .asid(asid)
            .ttb0(ttb0)
            .mair(0x04FFull);
    }
};

} // namespace tenc
