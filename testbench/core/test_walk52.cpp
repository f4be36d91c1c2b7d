// SPDX-License-Identifier: Apache-2.0 OR MIT
// 52-bit addresses (spec 3.4, 5.2, 5.4, 6.3.6; Arm ARM D8.2.8-D8.2.10, D8.3.1): SMMUv3.1-VAX
// (CD.TxSZ down to 12 with the 64KB granule), SMMUv3.4-LPA2 (CD.DS / STE.S2DS: 4KB and 16KB
// granules with 52-bit input and output, OA[51:50] in descriptor bits [9:8], level -1, new
// block levels, STE.S2SL0_2), Address Size faults at the 48/52-bit boundaries and range TLB
// invalidation of 52-bit addresses (4.4.1). Expected values come from the spec: descriptors
// are written with tenc_desc.h, CDs and STEs with tenc_cfg.h.
#include "inval.h"
#include "walk_fixture.h"

using namespace twalk;

namespace {

constexpr uint64_t TOP52 = 0x000FFFFFFFFFF000ull; // last 4KB page of a 52-bit TTB0 range
constexpr uint64_t C_BAD_CD = 0x0A;

uint64_t mask(unsigned bits) {
    return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}
// Low bit of the IA a lookup level resolves (Arm ARM D8.2: level -1 .. 3).
unsigned shift_of(unsigned gran, int level) {
    return gran + (unsigned)(3 - level) * (gran - 3);
}
// TG1 encodings (5.4): 0b01 16KB, 0b10 4KB, 0b11 64KB.
unsigned tg1_of(unsigned gran) {
    return gran == 14 ? 1 : gran == 12 ? 2 : 3;
}

// Descriptor format of a table tree: 48-bit, 64KB with 52-bit OA (FEAT_LPA), or DS (LPA2).
enum class Fmt { Plain, Lpa64, Ds };

struct T52 {
    unsigned gran = 12;
    int start = 0;
    unsigned ia = 48;
    Fmt fmt = Fmt::Plain;
    uint64_t root = 0;
};

class Walk52 : public WalkTest {
  protected:
    uint64_t hi_next = 0; // when set, tables are placed from this (high) PA
    void configure(smmu_params_t &p) override {
        p.arch_minor = 3; // SMMUv3.3 including SMMUv3.4-LPA2 (spec 2.9)
    }
    uint64_t table_mem(uint64_t size, uint64_t align) {
        if (!hi_next) return alloc(size, align);
        hi_next = (hi_next + align - 1) & ~(align - 1);
        uint64_t pa = hi_next;
        hi_next += size;
        return pa;
    }
    static unsigned start_bits(const T52 &t) {
        return t.ia - shift_of(t.gran, t.start);
    }
    T52 mk(unsigned gran, int start, unsigned ia, Fmt fmt) {
        T52 t;
        t.gran = gran;
        t.start = start;
        t.ia = ia;
        t.fmt = fmt;
        uint64_t size = 8ull << start_bits(t);
        t.root = table_mem(size, std::max<uint64_t>(size, 64));
        return t;
    }
    // Table descriptor / its next-level address in format fmt (Arm ARM D8.3.1).
    static Desc tdesc(Fmt fmt, uint64_t next) {
        if (fmt == Fmt::Ds) return Desc::table_ds(next);
        if (fmt == Fmt::Lpa64) return Desc().f(0, 2, 0b11).addr52(next);
        return Desc::table(next);
    }
    static uint64_t taddr(const T52 &t, uint64_t d) {
        uint64_t a;
        if (t.fmt == Fmt::Ds)
            a = (d & 0x0003FFFFFFFFF000ull) | ((d >> 8) & 3) << 50;
        else if (t.fmt == Fmt::Lpa64)
            a = (d & 0x0000FFFFFFFF0000ull) | ((d >> 12) & 0xF) << 48;
        else
            a = d & 0x0000FFFFFFFFF000ull;
        return a & ~mask(t.gran);
    }
    uint64_t slot(const T52 &t, uint64_t ia, int level) {
        uint64_t table = t.root;
        for (int l = t.start;; l++) {
            unsigned sh = shift_of(t.gran, l);
            unsigned bits = l == t.start ? start_bits(t) : t.gran - 3;
            uint64_t a = table + 8 * ((ia >> sh) & mask(bits));
            if (l == level) return a;
            uint64_t d = get64(a);
            if ((d & 3) != 3) {
                d = tdesc(t.fmt, table_mem(1ull << t.gran, 1ull << t.gran)).v;
                put64(a, d);
            }
            table = taddr(t, d);
        }
    }
    void map(const T52 &t, uint64_t ia, int level, const Desc &leaf) {
        put64(slot(t, ia, level), leaf.v);
    }
    // Stage-1 leaves readable and writable at EL0 and EL1 (AP[2:1] = 01).
    static Desc page(Fmt fmt, uint64_t oa) {
        if (fmt == Fmt::Ds) return Desc::page_ds(oa).ap(1);
        if (fmt == Fmt::Lpa64) return Desc().f(0, 2, 0b11).addr52(oa).af(true).ap(1);
        return Desc::page(oa).ap(1);
    }
    static Desc block(Fmt fmt, uint64_t oa) {
        if (fmt == Fmt::Ds) return Desc::block_ds(oa).ap(1);
        if (fmt == Fmt::Lpa64) return Desc().f(0, 2, 0b01).addr52(oa).af(true).ap(1);
        return Desc::block(oa).ap(1);
    }
    // A stage-1-only stream through TTB0 of t with T0SZ = 64 - t.ia, IPS 52 (0b110).
    Cd cd_of(const T52 &t, bool ds) {
        return Cd::s1(t.root, 64 - t.ia, tg0_of(t.gran)).ips(6).ds(ds);
    }
    // A stage-2-only STE for t: {S2SL0_2, S2SL0} = sl, S2PS 52 (0b110).
    Ste ste_of(const T52 &t, unsigned sl, bool ds) {
        return Ste::s2(t.root, s2tg_of(t.gran), 64 - t.ia, sl & 3, 6)
            .s2sl0_2((sl >> 2) & 1)
            .s2ds(ds);
    }
    static Desc s2page(Fmt fmt, uint64_t oa) {
        Desc d = fmt == Fmt::Ds ? Desc::page_ds(oa) : Desc::page(oa);
        return d.s2ap(3).memattr(0xF);
    }
    void expect_bad(const smmu_result_t &r, uint64_t type) {
        EXPECT_EQ(r.status, SMMU_FAULT);
        EXPECT_EQ(r.event, type);
        auto ev = events();
        ASSERT_EQ(ev.size(), 1u);
        EXPECT_EQ(tfx::evt_type(ev[0]), type);
    }
    // A Block descriptor at level through a new stage-1 tree: with DS it translates va to oa
    // with a block of 2^span_log2 bytes; without DS (Fmt::Plain) it is invalid at that level.
    void s1_block(unsigned gran, int start, unsigned ia, Fmt fmt, unsigned level, uint64_t va,
                  uint64_t oa, unsigned span_log2) {
        T52 t = mk(gran, start, ia, fmt);
        s1_only(cd_of(t, fmt == Fmt::Ds));
        map(t, va, level, block(fmt, oa));
        auto r = xlate(sid, va);
        if (fmt != Fmt::Ds) {
            expect_fault(r, Ev{.type = F_TRANSLATION, .addr = va, .cls = CLASS_IN});
            return;
        }
        expect_ok(r, oa | (va & mask(span_log2)));
        EXPECT_EQ(r.span, 1ull << span_log2);
    }
    // Walk of one page at va through a new stage-1 tree; checks PA and descriptor reads.
    void s1_page(unsigned gran, int start, unsigned ia, Fmt fmt, uint64_t va, uint64_t oa) {
        T52 t = mk(gran, start, ia, fmt);
        s1_only(cd_of(t, fmt == Fmt::Ds));
        map(t, va, 3, page(fmt, oa));
        uint64_t before = walk_reads();
        auto r = xlate(sid, va);
        expect_ok(r, oa | (va & mask(gran)));
        EXPECT_EQ(r.span, 1ull << gran);
        EXPECT_EQ(walk_reads() - before, (uint64_t)(4 - start));
        // Again, from the TLB / translation memo: no descriptor read, the same 52-bit PA.
        auto again = xlate(sid, va);
        expect_ok(again, oa | (va & mask(gran)));
        EXPECT_EQ(walk_reads() - before, (uint64_t)(4 - start));
    }
};

class Walk52NoVax : public Walk52 {
  protected:
    void configure(smmu_params_t &p) override {
        p.arch_minor = 3;
        p.vax = false;
        p.lpa2 = false;
    }
};
class Walk52NoLpa2 : public Walk52 {
  protected:
    void configure(smmu_params_t &p) override {
        p.arch_minor = 3;
        p.lpa2 = false;
    }
};
class Walk52Oas48 : public Walk52 {
  protected:
    void configure(smmu_params_t &p) override {
        p.arch_minor = 3;
        p.oas_bits = 48;
    }
};

} // namespace

// ---- ID registers (6.3.6)

// IDR5.VAX = 0b01 (bits [11:10]), DS = 1 (bit 7), OAS = 0b110 (52 bits) when the SMMU is a v3.3
// with LPA2; VAX alone without it.
TEST_F(Walk52, Idr5VaxDsOas52_6_3_6) {
    EXPECT_EQ(r32(SMMU_IDR5) & 0xC87u, (1u << 10) | (1u << 7) | 6u);
}
TEST_F(Walk52NoLpa2, Idr5VaxWithoutDs_6_3_6) {
    EXPECT_EQ(r32(SMMU_IDR5) & 0xC87u, (1u << 10) | 6u);
}
TEST_F(Walk52NoVax, Idr5NeitherVaxNorDs_6_3_6) {
    EXPECT_EQ(r32(SMMU_IDR5) & 0xC80u, 0u);
}

// ---- SMMUv3.1-VAX: 64KB granule, TxSZ down to 12 (5.4 T0SZ; Arm ARM Table D8-37)

// T0SZ 12: 52-bit VA, initial lookup level 1 (64KB: IA[51:42] at level 1), three reads; the top
// page of the range with a 52-bit OA (OA[51:48] in bits [15:12], FEAT_LPA).
TEST_F(Walk52, Vax64kTtb0TopOfRangeT0sz12_5_4) {
    s1_page(16, 1, 52, Fmt::Lpa64, 0x000FFFFFFFFF0000ull | 0x1234, 0x000ABCDE12340000ull);
}

// VA[63:52] must be zero for TTB0 with T0SZ 12 (spec 3.4.1): VA bit 52 set is outside.
TEST_F(Walk52, Vax64kVaBeyond52BitsTranslationFault_3_4_1) {
    T52 t = mk(16, 1, 52, Fmt::Lpa64);
    s1_only(cd_of(t, false));
    uint64_t va = 1ull << 52;
    auto r = xlate(sid, va);
    expect_fault(r, Ev{.type = F_TRANSLATION, .addr = va, .cls = CLASS_IN});
}

// TTB1 with T1SZ 12 covers [2^64 - 2^52, 2^64): its lowest page translates, VA[63:52] all ones
// (spec 3.4.1, 5.4 T1SZ).
TEST_F(Walk52, Vax64kTtb1BottomOfRangeT1sz12_5_4) {
    T52 t = mk(16, 1, 52, Fmt::Lpa64);
    Cd cd = Cd::s1(0, 16).epd0(true).epd1(false).t1sz(12).tg1(tg1_of(16)).ttb1(t.root).ips(6);
    cd.ir1(1).or1(1).sh1(3);
    s1_only(cd);
    uint64_t va = 0xFFF0000000000000ull | 0x5678;
    map(t, va, 3, page(Fmt::Lpa64, 0x40000000));
    expect_ok(xlate(sid, va), 0x40000000 | 0x5678);
    uint64_t below = 0xFFE0000000000000ull; // VA[52] == 0: outside the TTB1 range
    expect_fault(xlate(sid, below), Ev{.type = F_TRANSLATION, .addr = below, .cls = CLASS_IN});
}

// 5.4 CdIllegal (CDTxSZInvalid): with IDR5.VAX == 0b00 the smallest TxSZ is 16; in SMMUv3.1 and
// later a smaller one makes the CD ILLEGAL (C_BAD_CD), not clamped.
TEST_F(Walk52NoVax, Gran64kT0sz12IllegalWithoutVax_5_4) {
    T52 t = mk(16, 1, 52, Fmt::Lpa64);
    s1_only(cd_of(t, false));
    expect_bad(xlate(sid, 0x10000), C_BAD_CD);
}
TEST_F(Walk52NoVax, Gran64kT0sz16LegalWithoutVax_5_4) {
    T52 t = mk(16, 1, 48, Fmt::Lpa64);
    s1_only(cd_of(t, false));
    map(t, 0x10000, 3, page(Fmt::Lpa64, 0x50000));
    expect_ok(xlate(sid, 0x10000), 0x50000);
}

// 5.4 CDTxSZInvalid: with VAX the 4KB granule still needs DS == 1 for TxSZ < 16.
TEST_F(Walk52, Gran4kT0sz12IllegalWithoutCdDs_5_4) {
    T52 t = mk(12, -1, 52, Fmt::Ds);
    s1_only(cd_of(t, false));
    expect_bad(xlate(sid, 0x1000), C_BAD_CD);
}
TEST_F(Walk52, Gran16kT0sz15IllegalWithoutCdDs_5_4) {
    T52 t = mk(14, 0, 49, Fmt::Ds);
    s1_only(cd_of(t, false));
    expect_bad(xlate(sid, 0x4000), C_BAD_CD);
}

// ---- SMMUv3.4-LPA2: CD.DS with 4KB / 16KB (5.4 DS; Arm ARM D8.2.8, D8.2.9, D8.3.1)

// Table D8-18: 4KB, TnSZ 12 starts at level -1 (IA[51:48], 16 entries): five reads to a page at
// the top of the 52-bit range.
TEST_F(Walk52, Lpa2Gran4kLevelMinus1Start_D8_2_8) {
    s1_page(12, -1, 52, Fmt::Ds, TOP52 | 0xABC, 0x0001234567890000ull);
}

// Table D8-18: TnSZ 15 (49-bit VA) still starts at level -1, with a 2-entry start table.
TEST_F(Walk52, Lpa2Gran4kT0sz15LevelMinus1_D8_2_8) {
    s1_page(12, -1, 49, Fmt::Ds, 0x0001FFFFFFFFF000ull, 0x3000);
}

// D8.3.1 (Tables D8-51, D8-55): with DS, OA[51:50] come from descriptor bits [9:8] and OA[49:48]
// from bits [49:48]; table addresses likewise. Tables above 2^50 here.
TEST_F(Walk52, Lpa2Gran4kOaBits51To50FromDesc9To8_D8_3_1) {
    hi_next = 0x000C000000000000ull; // tables at PA bits [51:50] = 0b11
    s1_page(12, -1, 52, Fmt::Ds, 0x0008000000001000ull, 0x000F000000042000ull);
}

// 5.4 DS: with DS == 1 the Shareability of the output is CD.SHx, descriptor bits [9:8] being
// OA[51:50].
TEST_F(Walk52, Lpa2ShareabilityFromCdSh0_5_4) {
    T52 t = mk(12, 0, 48, Fmt::Ds);
    s1_only(cd_of(t, true).sh0(2));                          // Outer Shareable
    map(t, 0x7000, 3, page(Fmt::Ds, 0x000C000000009000ull)); // bits [9:8] = 0b11
    auto r = xlate(sid, 0x7000);
    expect_ok(r, 0x000C000000009000ull);
    EXPECT_EQ(r.sh, 2u);
}

// Table D8-17: with DS the 4KB granule has level 0 blocks of 512GB (IA[38:0] direct).
TEST_F(Walk52, Lpa2Gran4kLevel0Block512GB_D8_2_8) {
    s1_block(12, -1, 52, Fmt::Ds, 0, 0x000A987654321000ull, 0x000D000000000000ull, 39);
}

// Table D8-17: without DS a level 0 Block descriptor is invalid (Translation fault).
TEST_F(Walk52, Gran4kLevel0BlockInvalidWithoutDs_D8_2_8) {
    s1_block(12, 0, 48, Fmt::Plain, 0, 0x0000008000000000ull, 0, 0);
}

// Table D8-28: 16KB with DS, TnSZ 12 starts at level 0 (IA[51:47]); four reads.
TEST_F(Walk52, Lpa2Gran16kT0sz12Level0Start_D8_2_9) {
    s1_page(14, 0, 52, Fmt::Ds, TOP52 & ~mask(14), 0x000E000000004000ull);
}

// Table D8-27: with DS the 16KB granule has level 1 blocks of 64GB.
TEST_F(Walk52, Lpa2Gran16kLevel1Block64GB_D8_2_9) {
    s1_block(14, 0, 52, Fmt::Ds, 1, 0x0004123456788000ull, 0x0009000000000000ull, 36);
}
TEST_F(Walk52, Gran16kLevel1BlockInvalidWithoutDs_D8_2_9) {
    s1_block(14, 1, 47, Fmt::Plain, 1, 0x0000001000000000ull, 0, 0);
}

// 5.4 DS: RES0 when IDR5.DS == 0: bits [9:8] stay SH[1:0] (the output's Shareability) and the
// OA is 48 bits.
TEST_F(Walk52NoLpa2, CdDsRes0WithoutIdr5Ds_5_4) {
    T52 t = mk(12, 0, 48, Fmt::Plain);
    s1_only(cd_of(t, true).sh0(2));
    map(t, 0x7000, 3, page(Fmt::Plain, 0x9000).sh(3));
    auto r = xlate(sid, 0x7000);
    expect_ok(r, 0x9000);
    EXPECT_EQ(r.sh, 3u);
}
TEST_F(Walk52NoLpa2, Gran4kT0sz12IllegalWithoutIdr5Ds_5_4) {
    T52 t = mk(12, -1, 52, Fmt::Ds);
    s1_only(cd_of(t, true));
    expect_bad(xlate(sid, 0x1000), C_BAD_CD);
}

// ---- Address sizes (3.4; 5.4 IPS, TTB0)

// 5.4 IPS: a DS output address above the effective IPS (48 bits) is a stage 1 Address Size
// fault; the same descriptor translates with IPS 52.
TEST_F(Walk52, Lpa2OutputAbove48BitIpsAddressSizeFault_5_4) {
    T52 t = mk(12, 0, 48, Fmt::Ds);
    s1_only(cd_of(t, true).ips(5));
    map(t, 0x1000, 3, page(Fmt::Ds, 1ull << 50));
    expect_fault(xlate(sid, 0x1000), Ev{.type = F_ADDR_SIZE, .addr = 0x1000, .cls = CLASS_IN});
}
TEST_F(Walk52, Lpa2TableAbove48BitIpsAddressSizeFault_5_4) {
    T52 t = mk(12, 0, 48, Fmt::Ds);
    s1_only(cd_of(t, true).ips(5));
    put64(t.root, Desc::table_ds(1ull << 48).v); // next-level table at 2^48
    expect_fault(xlate(sid, 0x1000), Ev{.type = F_ADDR_SIZE, .addr = 0x1000, .cls = CLASS_IN});
}

// 5.4 TTB0: ILLEGAL outside 48 bits with DS == 0 and a 4KB/16KB granule, legal with DS == 1
// (IPS 52).
TEST_F(Walk52, Gran4kTtbAbove48BitsIllegalWithoutDs_5_4) {
    hi_next = 1ull << 48;
    T52 t = mk(12, 0, 48, Fmt::Plain);
    s1_only(cd_of(t, false));
    expect_bad(xlate(sid, 0x1000), C_BAD_CD);
}
TEST_F(Walk52, Lpa2Gran4kTtbAbove48BitsLegalWithDs_5_4) {
    hi_next = 1ull << 48;
    s1_page(12, 0, 48, Fmt::Ds, 0x1000, 0x2000);
}
TEST_F(Walk52, Lpa2TtbBeyondIpsIllegal_5_4) {
    hi_next = 1ull << 48;
    T52 t = mk(12, 0, 48, Fmt::Ds);
    s1_only(cd_of(t, true).ips(5)); // IPS 48: TTB0 at 2^48 is outside
    expect_bad(xlate(sid, 0x1000), C_BAD_CD);
}

// 5.4 IPS: eff_IPS = MIN(IPS, OAS): IPS 52 on a 48-bit OAS SMMU is 48 bits, so a DS output
// with OA[50] set is an Address Size fault.
TEST_F(Walk52Oas48, Lpa2Ips52CappedToOas48AddressSizeFault_5_4) {
    T52 t = mk(12, 0, 48, Fmt::Ds);
    s1_only(cd_of(t, true));
    map(t, 0x1000, 3, page(Fmt::Ds, 1ull << 50));
    expect_fault(xlate(sid, 0x1000), Ev{.type = F_ADDR_SIZE, .addr = 0x1000, .cls = CLASS_IN});
}

// Arm ARM D8.3.1: descriptor bits [15:12] hold OA[51:48] for the 64KB granule only with a
// 52-bit PA (FEAT_LPA); with a 48-bit OAS they are RES0 and not part of the OA.
TEST_F(Walk52Oas48, Gran64kBits15To12NotOaWithOas48_D8_3_1) {
    T52 t = mk(16, 2, 42, Fmt::Plain);
    s1_only(cd_of(t, false));
    map(t, 0x10000, 3, Desc().f(0, 2, 0b11).addr52(0x000F000000020000ull).af(true).ap(1));
    expect_ok(xlate(sid, 0x10000), 0x20000);
}

// ---- Stage 2 (5.2 S2T0SZ, S2SL0, S2SL0_2, S2DS, S2TTB; Arm ARM Tables D8-19..D8-39)

// 64KB, S2T0SZ 12 (MAX(12, 64 - IAS) with IAS 52), S2SL0 0b10: level 1, 52-bit IPA.
TEST_F(Walk52, S2Gran64kT0sz12Level1_5_2) {
    T52 t = mk(16, 1, 52, Fmt::Lpa64);
    s2_only(ste_of(t, 2, false));
    uint64_t ipa = 0x000FFFFFFFFF0000ull;
    put64(slot(t, ipa, 3), Desc().f(0, 2, 0b11).addr52(0x000A000000010000ull).af(true).s2ap(3).v);
    expect_ok(xlate(sid, ipa | 0x10), 0x000A000000010010ull);
}

// Table D8-19/D8-20: 4KB with S2DS, {S2SL0_2, S2SL0} = {1, 0b00}: level -1, S2T0SZ 12.
TEST_F(Walk52, S2Lpa2Gran4kLevelMinus1_5_2) {
    T52 t = mk(12, -1, 52, Fmt::Ds);
    s2_only(ste_of(t, 4, true));
    uint64_t ipa = TOP52;
    map(t, ipa, 3, s2page(Fmt::Ds, 0x000C000000005000ull));
    uint64_t before = walk_reads();
    expect_ok(xlate(sid, ipa | 0x44), 0x000C000000005044ull);
    EXPECT_EQ(walk_reads() - before, 5u);
}

// Table D8-21: 4KB with S2DS, level 0 (S2SL0 0b10) and S2T0SZ 12: 16 concatenated tables.
TEST_F(Walk52, S2Lpa2Gran4kLevel0Concatenated16_D8_2_8) {
    T52 t = mk(12, 0, 52, Fmt::Ds);
    s2_only(ste_of(t, 2, true));
    uint64_t ipa = 0x000F800000003000ull;
    map(t, ipa, 3, s2page(Fmt::Ds, 0x7000));
    EXPECT_EQ(slot(t, ipa, 0), t.root + 8 * (ipa >> 39)); // index IA[51:39] into 16 tables
    expect_ok(xlate(sid, ipa), 0x7000);
}

// Table D8-29/D8-30: 16KB S2SL0 0b11 is level 0 only with S2DS (T0SZ 12..16).
TEST_F(Walk52, S2Lpa2Gran16kLevel0_D8_2_9) {
    T52 t = mk(14, 0, 52, Fmt::Ds);
    s2_only(ste_of(t, 3, true));
    uint64_t ipa = 0x000FFFFFFFFFC000ull;
    map(t, ipa, 3, s2page(Fmt::Ds, 0x000B000000008000ull));
    expect_ok(xlate(sid, ipa), 0x000B000000008000ull);
}
TEST_F(Walk52, S2Gran16kLevel0IllegalWithoutS2Ds_5_2) {
    T52 t = mk(14, 0, 47, Fmt::Plain);
    s2_only(ste_of(t, 3, false));
    expect_bad(xlate(sid, 0x4000), C_BAD_STE);
}

// 5.2 S2T0SZ: 4KB without S2DS needs S2T0SZ >= 16; the level -1 encoding needs S2DS.
TEST_F(Walk52, S2Gran4kT0sz15IllegalWithoutS2Ds_5_2) {
    T52 t = mk(12, 0, 49, Fmt::Plain);
    s2_only(ste_of(t, 2, false));
    expect_bad(xlate(sid, 0x1000), C_BAD_STE);
}
TEST_F(Walk52, S2Gran4kSl0_2LevelMinus1IllegalWithoutS2Ds_5_2) {
    T52 t = mk(12, -1, 52, Fmt::Ds);
    s2_only(ste_of(t, 4, false));
    expect_bad(xlate(sid, 0x1000), C_BAD_STE);
}

// 5.2 S2PS: a stage-2 output above eff_S2PS (48) is a stage 2 Address Size fault.
TEST_F(Walk52, S2Lpa2OutputAboveS2PsAddressSizeFault_5_2) {
    T52 t = mk(12, 0, 48, Fmt::Ds);
    s2_only(ste_of(t, 2, true).s2ps(5));
    map(t, 0x3000, 3, s2page(Fmt::Ds, 1ull << 51));
    auto r = xlate(sid, 0x3000);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, F_ADDR_SIZE);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(tfx::evt_s2(ev[0]), 1u);
}

// 5.2 S2DS: the Shareability of the output is S2SH0 with S2DS == 1.
TEST_F(Walk52, S2Lpa2ShareabilityFromS2Sh0_5_2) {
    T52 t = mk(12, 0, 48, Fmt::Ds);
    s2_only(ste_of(t, 2, true).s2sh0(2));
    map(t, 0x3000, 3, s2page(Fmt::Ds, 0x000C000000006000ull)); // bits [9:8] = 0b11
    auto r = xlate(sid, 0x3000);
    expect_ok(r, 0x000C000000006000ull);
    EXPECT_EQ(r.sh, 2u);
}

// Nested: a 64KB stage 1 with T0SZ 12 whose output IPA is above 2^48, translated by a 4KB S2DS
// stage 2 starting at level -1 (3.4: IPA up to IAS = 52 bits).
TEST_F(Walk52, NestedS1Vax64kOverS2Lpa2Gran4k_3_4) {
    T52 s2 = mk(12, -1, 52, Fmt::Ds);
    // Stage 2 identity-maps the first 1GB (stage-1 tables, the CD) with a level 1 block.
    map(s2, 0, 1, Desc::block_ds(0).s2ap(3).memattr(0xF));
    T52 s1 = mk(16, 1, 52, Fmt::Lpa64);
    ASSERT_LT(next_table, 1ull << 30); // tables from the low pool, inside the 1GB block
    nested(ste_of(s2, 4, true), cd_of(s1, false));
    uint64_t va = 0x000F123456780000ull, ipa = 0x000E000000030000ull, pa = 0x000D000000070000ull;
    map(s1, va, 3, page(Fmt::Lpa64, ipa));
    for (uint64_t off = 0; off < 0x10000; off += 0x1000)
        map(s2, ipa + off, 3, s2page(Fmt::Ds, pa + off));
    expect_ok(xlate(sid, va | 0x1234), pa | 0x1234);
}

// ---- Range TLB invalidation at 52-bit addresses (4.4.1)

class Tlbi52 : public Walk52 {
  protected:
    T52 t;
    static constexpr uint64_t OLD = 0x40000000, NEW = 0x60000000;
    void SetUp() override {
        Walk52::SetUp();
        t = mk(16, 1, 52, Fmt::Lpa64);
        s1_only(cd_of(t, false).asid(1));
    }
    void fill(uint64_t va) {
        map(t, va, 3, page(Fmt::Lpa64, OLD + (va & 0xFFFF0000)).ng(true));
        ASSERT_EQ(xlate(sid, va).pa, OLD + (va & 0xFFFF0000));
    }
    void remap(uint64_t va) {
        map(t, va, 3, page(Fmt::Lpa64, NEW + (va & 0xFFFF0000)).ng(true));
    }
    bool removed(uint64_t va) {
        return xlate(sid, va).pa == NEW + (va & 0xFFFF0000);
    }
    bool run(const tenc::Cmd &c) {
        return tfx::run_cmds(smmu, mem, {c});
    }
};

// 4.4.1: Range = (NUM + 1) * 2^SCALE granules from Address: NUM 1, SCALE 1, TG 64KB covers
// four 64KB pages from the VA above 2^48; the pages around it stay.
TEST_F(Tlbi52, RangeAbove2Pow48RemovesExactlyRange_4_4_1) {
    const uint64_t base = 0x000FABCD00040000ull, g = 0x10000;
    const uint64_t vas[] = {base - g, base, base + 3 * g, base + 4 * g};
    for (uint64_t va : vas)
        fill(va);
    for (uint64_t va : vas)
        remap(va);
    ASSERT_TRUE(run(tenc::tlbi_nh_va(0, 1, base).tg(3).num(1).scale(1)));
    EXPECT_FALSE(removed(base - g));
    EXPECT_TRUE(removed(base));
    EXPECT_TRUE(removed(base + 3 * g));
    EXPECT_FALSE(removed(base + 4 * g));
}

// 4.4.1 SCALE: 6 bits with IDR5.DS: SCALE 33 (bit [25] set) with TG 64KB spans 2^49 bytes, from
// 0x000E_0000_0000_0000 up to the top of the 52-bit range.
TEST_F(Tlbi52, Scale6BitsWithIdr5Ds_4_4_1) {
    const uint64_t lo = 0x000DFFFFFFFF0000ull, in = 0x000FFFFFFFFF0000ull;
    fill(lo);
    fill(in);
    remap(lo);
    remap(in);
    ASSERT_TRUE(run(tenc::tlbi_nh_va(0, 1, 0x000E000000000000ull).tg(3).scale(33)));
    EXPECT_TRUE(removed(in));
    EXPECT_FALSE(removed(lo));
}

// 4.4.1 SCALE: bit [25] is RES0 without IDR5.DS: the command is CERROR_ILL.
class Tlbi52NoLpa2 : public Tlbi52 {
  protected:
    void configure(smmu_params_t &p) override {
        p.arch_minor = 3;
        p.lpa2 = false;
    }
};
TEST_F(Tlbi52NoLpa2, ScaleBit5Res0WithoutIdr5Ds_4_4_1) {
    EXPECT_FALSE(run(tenc::tlbi_nh_va(0, 1, 0x000E000000000000ull).tg(3).scale(33)));
}

// 4.4.1 TTL: with IDR5.DS, TTL 0b01 with TG 16KB names level 1 (64GB blocks) and is not
// Reserved: a level 1 block entry is removed by it.
TEST_F(Walk52, TlbiTtl16kLevel1WithDs_4_4_1) {
    T52 s = mk(14, 0, 52, Fmt::Ds);
    s1_only(cd_of(s, true).asid(1));
    uint64_t va = 0x0004000000000000ull;
    map(s, va, 1, block(Fmt::Ds, 0x0009000000000000ull).ng(true));
    ASSERT_EQ(xlate(sid, va).pa, 0x0009000000000000ull);
    map(s, va, 1, block(Fmt::Ds, 0x000A000000000000ull).ng(true));
    ASSERT_TRUE(tfx::run_cmds(smmu, mem, {tenc::tlbi_nh_va(0, 1, va).tg(2).ttl(1)}));
    EXPECT_EQ(xlate(sid, va).pa, 0x000A000000000000ull);
}

// 6.3.6 OAS: 52 bits needs GRAN64K or DS (or D128): smmu_new refuses a 4KB-only 52-bit SMMU
// without LPA2 and accepts it with.
TEST_F(Walk52, Oas52NeedsGran64kOrDs_6_3_6) {
    smmu_host_t h{};
    smmu_mem_host(mem, &h);
    params.gran16k = params.gran64k = false;
    params.lpa2 = false;
    EXPECT_EQ(smmu_new(&params, &h), nullptr);
    params.lpa2 = true; // with arch_minor 3: IDR5.DS = 1
    smmu_t *ok = smmu_new(&params, &h);
    EXPECT_NE(ok, nullptr);
    smmu_free(ok);
}

// 4.4.1 SCALE: with IDR5.DS values above 39 are treated as 39: SCALE 63 with TG 64KB spans
// 2^55 bytes from Address 0x0008_0000_0000_0000, so the page at 0x000F_FFFF_FFFF_0000 goes and
// the one just below the base stays.
TEST_F(Tlbi52, ScaleAbove39TreatedAs39_4_4_1) {
    const uint64_t lo = 0x0007FFFFFFFF0000ull, in = 0x000FFFFFFFFF0000ull;
    fill(lo);
    fill(in);
    remap(lo);
    remap(in);
    ASSERT_TRUE(run(tenc::tlbi_nh_va(0, 1, 0x0008000000000000ull).tg(3).scale(63)));
    EXPECT_TRUE(removed(in));
    EXPECT_FALSE(removed(lo));
}

// 3.17 broadcast TLB maintenance: a PE's TLBI VAE1IS of a 52-bit VA (FEAT_LVA) removes that
// page and no other.
TEST_F(Tlbi52, BroadcastTlbiVaAbove2Pow48_3_17) {
    const uint64_t va = 0x000F123400000000ull, other = 0x000F123400010000ull;
    fill(va);
    fill(other);
    remap(va);
    remap(other);
    smmu_dvm_tlbi_t o{};
    o.op = SMMU_DVM_VA;
    o.asid = 1;
    o.addr = va;
    ASSERT_TRUE(smmu_dvm_tlbi(smmu, &o));
    EXPECT_TRUE(removed(va));
    EXPECT_FALSE(removed(other));
}

// 4.4.3 CMD_TLBI_S2_IPA: Address is IPA[51:12]: an IPA above 2^48 (64KB stage 2, S2T0SZ 12)
// is removed exactly.
TEST_F(Walk52, TlbiS2IpaAbove2Pow48_4_4_3) {
    T52 t = mk(16, 1, 52, Fmt::Lpa64);
    s2_only(ste_of(t, 2, false));
    const uint64_t ipa = 0x000F000000020000ull, other = 0x0007000000020000ull;
    auto s2p = [](uint64_t oa) { return Desc().f(0, 2, 0b11).addr52(oa).af(true).s2ap(3); };
    map(t, ipa, 3, s2p(0x100000));
    map(t, other, 3, s2p(0x200000));
    ASSERT_EQ(xlate(sid, ipa).pa, 0x100000u);
    ASSERT_EQ(xlate(sid, other).pa, 0x200000u);
    map(t, ipa, 3, s2p(0x300000));
    map(t, other, 3, s2p(0x400000));
    ASSERT_TRUE(tfx::run_cmds(smmu, mem, {tenc::tlbi_s2_ipa(1, ipa)}));
    EXPECT_EQ(xlate(sid, ipa).pa, 0x300000u);
    EXPECT_EQ(xlate(sid, other).pa, 0x200000u);
}

// 5.4 TBI0: with T0SZ 12 and TBI0 = 1, VA[63:56] are ignored; VA[55:52] must still be zero
// (3.4.1: AddrTop 55).
TEST_F(Walk52, Vax64kTbiIgnoresTopByteAt52Bits_5_4) {
    T52 t = mk(16, 1, 52, Fmt::Lpa64);
    s1_only(cd_of(t, false).tbi0(true));
    const uint64_t va = 0x000FEDCBA9870000ull;
    map(t, va, 3, page(Fmt::Lpa64, 0x70000));
    expect_ok(xlate(sid, 0xAB00000000000000ull | va), 0x70000);
    const uint64_t out = 0xAB10000000000000ull | va; // VA[52] set
    expect_fault(xlate(sid, out), Ev{.type = F_TRANSLATION, .addr = out, .cls = CLASS_IN});
}

// 5.4 TTB0: bits below the start table's alignment are treated as zero: the 8KB level 1 table
// of a 64KB T0SZ 12 walk (IA[51:42]) and the 128-byte level -1 table of a 4KB DS T0SZ 12 walk
// (IA[51:48], 16 entries; Arm ARM Table D8-25 x = 19 - TnSZ = 7).
TEST_F(Walk52, StartTableAlignmentAt52Bits_5_4) {
    T52 t = mk(16, 1, 52, Fmt::Lpa64);
    ASSERT_EQ(t.root & 0x1FFF, 0u);
    s1_only(Cd::s1(t.root | 0x1000, 12, tg0_of(16)).ips(6));
    map(t, 0x000C000000010000ull, 3, page(Fmt::Lpa64, 0x90000));
    expect_ok(xlate(sid, 0x000C000000010000ull), 0x90000);
}
TEST_F(Walk52, Lpa2LevelMinus1TableAlignment_5_4) {
    T52 t = mk(12, -1, 52, Fmt::Ds);
    ASSERT_EQ(t.root & 0x7F, 0u);
    s1_only(Cd::s1(t.root | 0x40, 12, tg0_of(12)).ips(6).ds(true));
    map(t, 0x000C000000001000ull, 3, page(Fmt::Ds, 0xA000));
    expect_ok(xlate(sid, 0x000C000000001000ull), 0xA000);
}

// 5.2 S2T0SZ: the minimum is MAX(12, 64 - IAS) with the 64KB granule, IAS being the SMMU's
// (== OAS, 52), whatever S2PS: S2T0SZ 12 with S2PS 48 is legal, and an output above 48 bits is
// then a stage 2 Address Size fault (5.2 S2PS).
TEST_F(Walk52, S2Gran64kT0sz12WithS2Ps48_5_2) {
    T52 t = mk(16, 1, 52, Fmt::Lpa64);
    s2_only(ste_of(t, 2, false).s2ps(5));
    auto s2p = [](uint64_t oa) { return Desc().f(0, 2, 0b11).addr52(oa).af(true).s2ap(3); };
    const uint64_t ok = 0x000F000000000000ull, bad = 0x000E000000000000ull;
    map(t, ok, 3, s2p(0x50000));
    map(t, bad, 3, s2p(1ull << 48));
    expect_ok(xlate(sid, ok), 0x50000);
    auto r = xlate(sid, bad);
    EXPECT_EQ(r.status, SMMU_FAULT);
    EXPECT_EQ(r.event, F_ADDR_SIZE);
    events();
}

// Arm ARM D8.2.8 R QGLQX / D8.2.9 R RCDLYH: with DS == 0 the 4KB and 16KB granules have
// OA[51:48] zero even with IPS 52: descriptor bits [49:48] are not OA bits and bits [9:8] are
// SH[1:0].
TEST_F(Walk52, Ds0Gran4kOutputIs48BitsWithIps52_D8_2_8) {
    T52 t = mk(12, 0, 48, Fmt::Plain);
    s1_only(cd_of(t, false).sh0(2));
    map(t, 0x5000, 3, page(Fmt::Plain, 0x6000).f(48, 2, 3).sh(3));
    auto r = xlate(sid, 0x5000);
    expect_ok(r, 0x6000);
    EXPECT_EQ(r.sh, 3u);
}

// 5.4 IPS with DS for each small granule: an output with OA[48] set is an Address Size fault
// with IPS 48 (0b101) and translates with IPS 52 (0b110).
TEST_F(Walk52, Lpa2OutputAtBit48PerGranuleAndIps_5_4) {
    for (unsigned gran : {12u, 14u}) {
        for (unsigned ips : {5u, 6u}) {
            SCOPED_TRACE("gran " + std::to_string(gran) + " ips " + std::to_string(ips));
            T52 t = mk(gran, 0, 48, Fmt::Ds);
            s1_only(cd_of(t, true).ips(ips));
            const uint64_t va = 1ull << gran, oa = 1ull << 48;
            map(t, va, 3, page(Fmt::Ds, oa));
            auto r = xlate(sid, va);
            if (ips == 6)
                expect_ok(r, oa);
            else
                expect_fault(r, Ev{.type = F_ADDR_SIZE, .addr = va, .cls = CLASS_IN});
            ASSERT_TRUE(tfx::invalidate_all(smmu, mem));
        }
    }
}

// 5.4 T1SZ with DS: TTB1 of a 4KB DS CD with T1SZ 12 covers [2^64 - 2^52, 2^64), walked from
// level -1 (Arm ARM Table D8-18).
TEST_F(Walk52, Lpa2Gran4kTtb1LevelMinus1_5_4) {
    T52 t = mk(12, -1, 52, Fmt::Ds);
    Cd cd = Cd::s1(0, 16).epd0(true).epd1(false).t1sz(12).tg1(tg1_of(12)).ttb1(t.root);
    cd.ir1(1).or1(1).sh1(3).ips(6).ds(true);
    s1_only(cd);
    const uint64_t va = 0xFFF0000000003000ull;
    map(t, va, 3, page(Fmt::Ds, 0x000C000000008000ull));
    uint64_t before = walk_reads();
    expect_ok(xlate(sid, va | 0x10), 0x000C000000008010ull);
    EXPECT_EQ(walk_reads() - before, 5u);
}

// 7.3.13 / 7.3 event record: a stage 2 Translation fault on a 52-bit IPA (stage 1 output above
// 2^48) records S2 = 1, CLASS IN and IPA[51:12] in the IPA field (bits [255:204], IPA[55:12]).
TEST_F(Walk52, NestedStage2FaultRecordsIpaAbove2Pow48_7_3) {
    T52 s2 = mk(12, -1, 52, Fmt::Ds);
    map(s2, 0, 1, Desc::block_ds(0).s2ap(3).memattr(0xF));
    T52 s1 = mk(16, 1, 52, Fmt::Lpa64);
    ASSERT_LT(next_table, 1ull << 30);
    nested(ste_of(s2, 4, true), cd_of(s1, false));
    const uint64_t va = 0x000F123456780000ull, ipa = 0x000E000000030000ull;
    map(s1, va, 3, page(Fmt::Lpa64, ipa)); // the IPA page itself is not mapped by stage 2
    auto r = xlate(sid, va | 0x1234);
    expect_fault(r, Ev{.type = F_TRANSLATION,
                       .addr = va | 0x1234,
                       .s2 = true,
                       .cls = CLASS_IN,
                       .ipa = ipa | 0x1000});
}
