/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Context descriptors: location in linear and 2-level CD tables (spec 5.2 S1Fmt, 5.3), fetched
 * through stage 2 when the stream is nested (3.3.2), and decoding with the validity rules of
 * spec 5.4 (CdIllegal pseudocode) and 5.5. */
#include "cd.h"

#include "attr.h"
#include "cfgcache.h"
#include "dsan.h"
#include "fault.h"
#include "hostmem.h"
#include "instance.h"
#include "mpam.h"
#include "regfile.h"
#include "strtab.h"
#include "tlb.h"
#include "tp.h"
#include "walk.h"
#include "xctx.h"

/* No StreamID known (smmu_cd_fetch): the L1CD cache is not used. */
#define NO_SID UINT64_MAX

static int cd_fault(smmu_fault_t *f, uint8_t type, uint64_t fetch) {
    f->type = type;
    f->fetch_addr = fetch;
    return -1;
}

/* Turns a table address into the PA the SMMU reads: an IPA through stage 2 for nested streams
   (a stage-2 fault keeps its own event type with CLASS CD), a PA otherwise. STE.S2PTW == 1: a
   CD fetch to memory stage 2 maps as any Device type is terminated with a stage-2 Permission
   fault (5.2 S2PTW), CLASS CD (a Data read, 7.3 F_PERMISSION). */
static int cd_table_pa(smmu_t *s, const smmu_stecfg_t *c, uint64_t addr, uint64_t *pa,
                       smmu_fault_t *f, smmu_xctx_t *x) {
    if (!c->s2) {
        *pa = addr;
        return 0;
    }
    smmu_access_t rd = {.write = false, .exec = false, .priv = true};
    smmu_walk_out_t out;
    if (smmu_walk_s2(s, x, &c->s2c, addr, &rd, SMMU_CLASS_CD, &out, f)) return -1;
    if (c->s2c.ptw && smmu_attr_is_device(out.attr)) {
        *f = (smmu_fault_t){
            .type = SMMU_EVT_F_PERMISSION, .cls = SMMU_CLASS_CD, .s2 = true, .ipa = addr};
        return -1;
    }
    *pa = out.oa;
    return 0;
}

/* A Secure stream's L1CDs and CDs are Secure PAs without Secure stage 2 (3.10.2). */
static int read_words(smmu_t *s, smmu_xctx_t *x, uint64_t pa, uint64_t *dw, unsigned n) {
    x->reads++;
    if ((pa >> smmu_oas_bits(s)) != 0) return -1; /* beyond OAS: as an abort (3.4.3) */
    smmu_mpam_io(s, x->mpam_ste);                 /* L1CD and CD: the STE's PARTID and PMG (17.4) */
    return smmu_mem_rd64_w(s, pa, dw, n, x->sec);
}

/* Address of the CD for ssid in a 2-level table (S1Fmt 1: 4KB leaves of 64 CDs; S1Fmt 2: 64KB
   leaves of 1024 CDs), or -1 with f filled. */
static int cd_l2_address(smmu_t *s, const smmu_stecfg_t *c, uint64_t sid, uint32_t ssid,
                         uint64_t *addr, smmu_fault_t *f, smmu_xctx_t *x) {
    unsigned leaf_bits = c->s1fmt == SMMU_STE_S1FMT_2LVL_4K ? 6 : 10;
    unsigned l1_bits = c->s1cdmax > leaf_bits ? c->s1cdmax - leaf_bits : 0;
    unsigned l1_align = l1_bits + 3 > 6 ? l1_bits + 3 : 6;
    uint64_t l1 =
        (c->s1ctxptr & ~smmu_bits_mask(l1_align)) + (uint64_t)(ssid >> leaf_bits) * SMMU_L1CD_BYTES;
    uint64_t l1pa = 0, desc;
    bool cached = sid != NO_SID && smmu_l1_cached(s, x, true, sid, ssid, leaf_bits, &desc);
    if (!cached && cd_table_pa(s, c, l1, &l1pa, f, x)) return -1;
    if (!cached && read_words(s, x, l1pa, &desc, 1)) return cd_fault(f, SMMU_EVT_F_CD_FETCH, l1pa);
    /* L1CD.V == 0 or an out-of-range L2Ptr: C_BAD_SUBSTREAMID (7.3.9). */
    uint64_t l2 = SMMU_VADDR(desc, SMMU_F_L1CD_L2PTR);
    if (c->s1fmt == SMMU_STE_S1FMT_2LVL_64K) l2 &= ~0xFFFFull; /* 64KB-aligned leaves (5.2 S1Fmt) */
    unsigned range = c->s2 ? 64u - c->s2c.tt.tsz : smmu_oas_bits(s);
    if (!SMMU_VGET(desc, SMMU_F_L1CD_V) || (l2 >> range) != 0)
        return cd_fault(f, SMMU_EVT_C_BAD_SUBSTREAMID, 0);
    if (!cached && sid != NO_SID) smmu_l1_fill(s, x, true, sid, ssid, leaf_bits, desc); /* valid */
    if (!cached && sid != NO_SID && smmu_dsan_on(s) && !x->dbg) {
        const uint32_t lo = ssid >> leaf_bits << leaf_bits;
        smmu_dsan_fetch_cfg(s, DSAN_L1CD, x->sec, l1pa, &desc, 1, (uint32_t)sid, (uint32_t)sid, lo,
                            lo + (uint32_t)smmu_bits_mask(leaf_bits));
        if (c->s1fmt == SMMU_STE_S1FMT_2LVL_64K) /* 64KB leaves: L2Ptr[15:12] treated as 0 */
            smmu_dsan_misaligned(s, x->sec, "5.2", "L1CD.L2Ptr (S1Fmt 64KB leaves)", l1pa,
                                 SMMU_VADDR(desc, SMMU_F_L1CD_L2PTR), 0x10000);
    }
    *addr = l2 + (uint64_t)(ssid & ((1u << leaf_bits) - 1)) * SMMU_CD_BYTES;
    return 0;
}

int smmu_cd_fetch(smmu_t *s, smmu_xctx_t *x, const smmu_stecfg_t *c, uint32_t ssid, uint64_t cd[8],
                  smmu_fault_t *f) {
    return smmu_cd_fetch_sid(s, x, c, NO_SID, ssid, cd, f);
}

int smmu_cd_fetch_sid(smmu_t *s, smmu_xctx_t *x, const smmu_stecfg_t *c, uint64_t sid,
                      uint32_t ssid, uint64_t cd[8], smmu_fault_t *f) {
    uint64_t addr, pa;
    if (c->s1fmt == SMMU_STE_S1FMT_LINEAR || c->s1cdmax == 0) {
        addr = (c->s1ctxptr & ~0x3Full) + (uint64_t)ssid * SMMU_CD_BYTES;
    } else if (cd_l2_address(s, c, sid, ssid, &addr, f, x)) {
        return -1;
    }
    if (cd_table_pa(s, c, addr, &pa, f, x)) return -1;
    const bool abort = read_words(s, x, pa, cd, 8) != 0;
    if (smmu_tp_on(s, SMMU_TP_CD_FETCH)) {
        smmu_tp_t tp = {
            .kind = SMMU_TP_CD_FETCH,
            .u.fetch = {
                .pa = pa, .sid = sid == NO_SID ? 0 : (uint32_t)sid, .ssid = ssid, .abort = abort}};
        smmu_tp_emit(s, &tp);
    }
    if (!abort && sid != NO_SID && smmu_dsan_on(s) && !x->dbg)
        smmu_dsan_fetch_cfg(s, DSAN_CD, x->sec, pa, cd, 8, (uint32_t)sid, (uint32_t)sid, ssid,
                            ssid);
    return abort ? cd_fault(f, SMMU_EVT_F_CD_FETCH, pa) : 0;
}

/* ------------------------------------------------------------------ decode and validation */

/* CD.TG0: 0b00 4KB, 0b01 64KB, 0b10 16KB; CD.TG1: 0b01 16KB, 0b10 4KB, 0b11 64KB (5.4). */
static unsigned tg_shift(unsigned tg, int half) {
    static const uint8_t tg0[4] = {
        [SMMU_CD_TG0_4K] = 12, [SMMU_CD_TG0_64K] = 16, [SMMU_CD_TG0_16K] = 14};
    static const uint8_t tg1[4] = {
        [SMMU_CD_TG1_16K] = 14, [SMMU_CD_TG1_4K] = 12, [SMMU_CD_TG1_64K] = 16};
    return half ? tg1[tg & 3] : tg0[tg & 3];
}

static bool gran_supported(const smmu_t *s, unsigned gran) {
    return (gran == 12 && s->p.gran4k) || (gran == 14 && s->p.gran16k) ||
           (gran == 16 && s->p.gran64k);
}

/* Smallest legal TxSZ (5.4 T0SZ, CDTxSZInvalid): 12 (52-bit VAs) with IDR5.VAX == 0b01 for the
   64KB granule or with an effective CD.DS == 1; 16 otherwise (IDR3.STT == 0: largest 39). In
   SMMUv3.1 and later an out-of-range TxSZ makes the CD ILLEGAL. */
static unsigned txsz_min(const smmu_t *s, unsigned gran, bool ds) {
    return s->p.vax && (gran == 16 || ds) ? 12 : 16;
}

/* One translation table half: TxSZ range, a supported granule and a TTB inside the effective IPS
   and, for 4KB/16KB without DS, 48 bits (5.4 TTB0/TTB1, CdIllegal). CD.DS is RES0 when
   IDR5.DS == 0 and has no effect on the 64KB granule (5.4 DS). */
static bool decode_half(const smmu_t *s, const uint64_t *cd, int half, unsigned oas,
                        smmu_tt_t *tt) {
    unsigned tsz = (unsigned)(half ? SMMU_FGET(cd, SMMU_F_CD_T1SZ) : SMMU_FGET(cd, SMMU_F_CD_T0SZ));
    unsigned gran = tg_shift(
        (unsigned)(half ? SMMU_FGET(cd, SMMU_F_CD_TG1) : SMMU_FGET(cd, SMMU_F_CD_TG0)), half);
    uint64_t ttb = half ? SMMU_FADDR(cd, SMMU_F_CD_TTB1) : SMMU_FADDR(cd, SMMU_F_CD_TTB0);
    bool had_impl = SMMU_VGET(smmu_idr(s, 3), SMMU_F_IDR3_HAD);
    const bool ds = s->p.lpa2 && gran < 16 && SMMU_FGET(cd, SMMU_F_CD_DS);

    if (tsz < txsz_min(s, gran, ds) || tsz > 39 || !gran_supported(s, gran)) return false;
    unsigned limit = gran < 16 && !ds && oas > 48 ? 48 : oas;
    if (ttb >> limit) return false;
    tt->tsz = (uint8_t)tsz;
    tt->gran = (uint8_t)gran;
    tt->ds = ds;
    tt->sh = (uint8_t)(half ? SMMU_FGET(cd, SMMU_F_CD_SH1) : SMMU_FGET(cd, SMMU_F_CD_SH0));
    tt->start = (int8_t)smmu_s1_start_level(gran, tsz);
    /* The start table is aligned to its size, at least 64 bytes; lower TTB bits are treated as
       zero (5.4 TTB0: 64-byte minimum with a 52-bit IPS). */
    unsigned bits = (64 - tsz) - smmu_lvl_shift(gran, tt->start);
    unsigned table_log2 = bits + 3 > 6 ? bits + 3 : 6;
    tt->ttb = ttb & ~smmu_bits_mask(table_log2);
    tt->tbi = half ? SMMU_FGET(cd, SMMU_F_CD_TBI1) : SMMU_FGET(cd, SMMU_F_CD_TBI0);
    tt->had = had_impl && (half ? SMMU_FGET(cd, SMMU_F_CD_HAD1) : SMMU_FGET(cd, SMMU_F_CD_HAD0));
    return true;
}

/* StreamWorld of a stage-1 stream (5.2 STRW): STRW is IGNORED when stage 2 is enabled. A
   Secure STE's StreamWorld is Secure (an EL1&0-like regime: two tables, ASID) or EL3 (a
   single-EL one without ASID like NS-EL2), each a regime of its own that tags the Secure
   stream's TLB and walk-cache entries (5.2 STRW, 3.17, 3.17.2). */
static uint8_t streamworld(const smmu_t *s, const smmu_stecfg_t *c) {
    if (c->secure) return c->strw == SMMU_STE_STRW_EL3 ? SMMU_RG_EL3 : SMMU_RG_SEL1;
    if (c->s2 || c->strw != SMMU_STE_STRW_EL2) return SMMU_RG_EL1;
    return SMMU_VGET(s->r.cr2, SMMU_F_CR2_E2H) ? SMMU_RG_EL2E2H : SMMU_RG_EL2;
}

/* StreamWorlds NS-EL2 (STRW 0b10 without CR2.E2H) and EL3 are single-EL regimes without ASID
   and without TTB1 (5.2 STRW, 5.4 EPD1). */
static bool streamworld_el2(const smmu_t *s, const smmu_stecfg_t *c) {
    return !smmu_rg_asid(streamworld(s, c));
}

/* CD.E0PD0/E0PD1 (5.4): apply to StreamWorld EL1 and EL2-E2H (two VA ranges and EL0); RES0
   when IDR3.E0PD == 0 and for StreamWorld NS-EL2 (el2). VMSAv8-32 CDs are ILLEGAL here. */
static void decode_e0pd(const smmu_t *s, const uint64_t *cd, bool el2, smmu_s1cfg_t *s1) {
    if (!s->p.e0pd || el2) return;
    s1->tt[0].e0pd = SMMU_FGET(cd, SMMU_F_CD_E0PD0);
    s1->tt[1].e0pd = SMMU_FGET(cd, SMMU_F_CD_E0PD1);
}

/* CD.S against the stall model of the STE's world (5.4 CdIllegal: S_IDR0.STALL_MODEL for a
   Secure stream, IDR0's with NSSTALLD applied for a Non-secure one). */
static bool stall_ok(const smmu_t *s, const smmu_stecfg_t *c, bool cd_s) {
    const unsigned model = smmu_stall_model(s, c->secure);
    if (cd_s && c->s1stalld) return false;
    if (cd_s && model == SMMU_STALL_MODEL_TERMINATE) return false;
    if (!cd_s && model == SMMU_STALL_MODEL_STALL) return false;
    return true;
}

static int bad_cd(smmu_fault_t *f) {
    f->type = SMMU_EVT_C_BAD_CD;
    return -1;
}

int smmu_cd_decode(const smmu_t *s, const smmu_stecfg_t *c, const uint64_t cd[8], smmu_s1cfg_t *s1,
                   smmu_fault_t *f) {
    *s1 = (smmu_s1cfg_t){0};
    if (!SMMU_FGET(cd, SMMU_F_CD_V)) return bad_cd(f);
    if (!stall_ok(s, c, SMMU_FGET(cd, SMMU_F_CD_S))) return bad_cd(f);
    if (s->p.term_model && !SMMU_FGET(cd, SMMU_F_CD_A)) return bad_cd(f); /* RAZ/WI not supported */
    if (!SMMU_FGET(cd, SMMU_F_CD_AA64)) return bad_cd(f);                 /* IDR0.TTF == AArch64 */
    /* HA needs IDR0.HTTU != 0b00, HD needs 0b1x (5.4 HA); {HD, HA} == 0b10 is Reserved and
       behaves as 0b00. HAFT is RES0 unless IDR0.HTTU == 0b11, and then ILLEGAL with HA == 0
       (5.4 HAFT, CdIllegal), which also makes the effective HAFT 0 without HA (Arm ARM R SNVTX). */
    const bool ha = SMMU_FGET(cd, SMMU_F_CD_HA), hd = SMMU_FGET(cd, SMMU_F_CD_HD);
    const bool haft = s->p.httu == SMMU_IDR0_HTTU_HAFT && SMMU_FGET(cd, SMMU_F_CD_HAFT);
    if (ha && s->p.httu < SMMU_IDR0_HTTU_AF) return bad_cd(f);
    if (hd && s->p.httu < SMMU_IDR0_HTTU_AF_DIRTY) return bad_cd(f);
    if (haft && !ha) return bad_cd(f);
    s1->ha = ha;
    s1->hd = ha && hd;
    s1->haft = haft;
    bool el2 = streamworld_el2(s, c);
    if (!el2 && !s->p.asid16 && (SMMU_FGET(cd, SMMU_F_CD_ASID) >> 8) != 0) return bad_cd(f);
    s1->tt[0].epd = SMMU_FGET(cd, SMMU_F_CD_EPD0);
    s1->tt[1].epd = el2 || SMMU_FGET(cd, SMMU_F_CD_EPD1);
    /* NS-EL2 is a single-Exception-level regime: its own permission model (Arm ARM D8-66). */
    s1->tt[0].single_el = s1->tt[1].single_el = el2;
    if ((!s1->tt[0].epd || !s1->tt[1].epd) && SMMU_FGET(cd, SMMU_F_CD_ENDI) && !s->p.ttendian_mixed)
        return bad_cd(f);
    s1->oas = (uint8_t)smmu_ps_bits(s, (unsigned)SMMU_FGET(cd, SMMU_F_CD_IPS));
    for (int h = 0; h < 2; h++)
        if (!s1->tt[h].epd && !decode_half(s, cd, h, s1->oas, &s1->tt[h])) return bad_cd(f);
    /* The starting-level table's PA space: CD.NSCFGx for a Secure STE, Non-secure otherwise
       (5.4 NSCFG0, NSCFG1; 3.10.2). */
    s1->tt[0].ns = !c->secure || SMMU_FGET(cd, SMMU_F_CD_NSCFG0);
    s1->tt[1].ns = !c->secure || SMMU_FGET(cd, SMMU_F_CD_NSCFG1);
    decode_e0pd(s, cd, el2, s1);
    s1->affd = SMMU_FGET(cd, SMMU_F_CD_AFFD);
    s1->wxn = SMMU_FGET(cd, SMMU_F_CD_WXN);
    s1->uwxn = SMMU_FGET(cd, SMMU_F_CD_UWXN);
    s1->pan = SMMU_FGET(cd, SMMU_F_CD_PAN);
    s1->endi = SMMU_FGET(cd, SMMU_F_CD_ENDI);
    s1->s = SMMU_FGET(cd, SMMU_F_CD_S);
    s1->r = SMMU_FGET(cd, SMMU_F_CD_R);
    s1->a = SMMU_FGET(cd, SMMU_F_CD_A);
    s1->aset = SMMU_FGET(cd, SMMU_F_CD_ASET);
    s1->asid = el2 ? 0 : (uint16_t)SMMU_FGET(cd, SMMU_F_CD_ASID);
    s1->mair = SMMU_FGET(cd, SMMU_F_CD_MAIR);
    s1->regime = streamworld(s, c);
    s1->vmid = c->vmid;
    if (c->s1mpam) { /* RES0 otherwise (5.4 PARTID, PMG) */
        s1->partid = (uint16_t)SMMU_FGET(cd, SMMU_F_CD_PARTID);
        s1->pmg = (uint8_t)SMMU_FGET(cd, SMMU_F_CD_PMG);
    }
    return 0;
}
