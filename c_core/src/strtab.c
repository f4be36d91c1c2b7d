/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Stream table: STE location (linear and 2-level, spec 3.3.2, 5.1, 6.3.24, 6.3.25) and STE
 * decoding with the validity rules of spec 5.2 (SteIllegal pseudocode) and 5.5. */
#include "strtab.h"

#include <string.h>

#include "cfgcache.h"
#include "choice.h"
#include "dsan.h"
#include "fault.h"
#include "hostmem.h"
#include "instance.h"
#include "mpam.h"
#include "regfile.h"
#include "tp.h"
#include "walk.h"
#include "xctx.h"

/* Effective SPLIT: 6, 8 and 10 are architected; other values behave as 6 (6.3.25). */
static unsigned eff_split(unsigned split) {
    return (split == 8 || split == 10) ? split : 6;
}

static int bad_streamid(smmu_fault_t *f) {
    f->type = SMMU_EVT_C_BAD_STREAMID;
    return -1;
}

static int fetch_abort(smmu_fault_t *f, uint64_t pa) {
    f->type = SMMU_EVT_F_STE_FETCH;
    f->fetch_addr = pa;
    return -1;
}

/* An SMMU-originated access beyond the OAS is treated like an external abort (3.4.3). */
static bool pa_out_of_range(const smmu_t *s, uint64_t pa) {
    return smmu_oas_bits(s) < 64 && (pa >> smmu_oas_bits(s)) != 0;
}

static int read_l1std(smmu_t *s, smmu_xctx_t *x, uint64_t l1pa, uint64_t *l1, smmu_fault_t *f) {
    if (pa_out_of_range(s, l1pa)) return fetch_abort(f, l1pa);
    x->reads++;
    smmu_mpam_io_end(s, x->sec); /* the world's (S_)GMPAM label (17.4) */
    if (smmu_mem_rd64_w(s, l1pa, l1, 1, x->sec)) return fetch_abort(f, l1pa);
    return 0;
}

/* The sanitizer tracks a fetched L1STD (it serves the StreamIDs of its L2 array) and checks
   that a valid one's L2Ptr is aligned to the array (5.1.1: L2Ptr[N:0] are treated as 0). */
static void l1std_dsan(smmu_t *s, const smmu_xctx_t *x, uint64_t l1pa, uint64_t l1, uint32_t sid,
                       unsigned split) {
    const uint32_t lo = (uint32_t)((uint64_t)sid >> split << split);
    smmu_dsan_fetch_cfg(s, DSAN_L1STD, x->sec, l1pa, &l1, 1, lo,
                        lo + (uint32_t)smmu_bits_mask(split), 0, 0);
    const unsigned span = (unsigned)SMMU_VGET(l1, SMMU_F_L1STD_SPAN);
    if (span == 0 || span > SMMU_L1STD_SPAN_MAX) return;
    smmu_dsan_misaligned(s, x->sec, "5.1.1", "L1STD.L2Ptr", l1pa,
                         SMMU_VADDR(l1, SMMU_F_L1STD_L2PTR), 1ull << (6 + span - 1));
}

/* Address of the STE for sid, or -1 with f filled. L1STDs come from the configuration cache
   when they are there (3.21.3). *arr: log2 of the STEs of the array that holds it (the
   table, or the L2 array an L1STD locates). A Secure stream indexes the Secure Stream table
   (SMMU_S_STRTAB_BASE(_CFG), S_IDR1.S_SIDSIZE == SIDSIZE here; 3.10.2.1, 6.3.72). */
static int ste_address(smmu_t *s, smmu_xctx_t *x, uint32_t sid, uint64_t *pa, unsigned *arr,
                       smmu_fault_t *f) {
    const smmu_regs_t *b = smmu_bank_c(s, x->sec);
    uint32_t cfg = b->strtab_base_cfg;
    unsigned log2size = (unsigned)SMMU_VGET(cfg, SMMU_F_STRTAB_BASE_CFG_LOG2SIZE);
    unsigned sidsize = s->p.sidsize;
    unsigned eff_log2 = log2size < sidsize ? log2size : sidsize;
    bool two_level =
        s->p.st_2lvl && SMMU_VGET(cfg, SMMU_F_STRTAB_BASE_CFG_FMT) == SMMU_STRTAB_BASE_CFG_FMT_2LVL;
    uint64_t base = SMMU_VADDR(b->strtab_base, SMMU_F_STRTAB_BASE_ADDR);

    if (eff_log2 < 32 && (sid >> eff_log2) != 0) return bad_streamid(f);
    /* 6.3.24: the base is aligned to the table size (linear) or the larger of 64 bytes and the
       first-level size (2-level) by ignoring low address bits; choice strtab_base_align may
       instead use it as written (a model-only tolerance: smmu_choice does not draw for it). */
    const bool exact = smmu_choice(s, SMMU_CHOICE_STRTAB_BASE_ALIGN) == SMMU_STRTAB_BASE_ALIGN;
    if (!two_level) {
        if (exact) base &= ~smmu_bits_mask(log2size + 6);
        *pa = base + (uint64_t)sid * SMMU_STE_BYTES;
        *arr = eff_log2;
        return 0;
    }
    unsigned split = eff_split((unsigned)SMMU_VGET(cfg, SMMU_F_STRTAB_BASE_CFG_SPLIT));
    unsigned l1_bits = log2size > split ? log2size - split : 0;
    unsigned align = l1_bits + 3 > 6 ? l1_bits + 3 : 6; /* MAX(64 bytes, L1 table size) */
    if (exact) base &= ~smmu_bits_mask(align);
    uint64_t l1pa = base + (uint64_t)(sid >> split) * SMMU_L1STD_BYTES;
    uint64_t l1;
    bool cached = smmu_l1_cached(s, x, false, sid, 0, split, &l1);
    if (!cached && read_l1std(s, x, l1pa, &l1, f)) return -1;
    if (!cached && smmu_dsan_on(s) && !x->dbg) l1std_dsan(s, x, l1pa, l1, sid, split);
    /* Span 0, Reserved (> 11) or beyond SPLIT + 1, or sid beyond the span: invalid (5.1.1). */
    unsigned span = (unsigned)SMMU_VGET(l1, SMMU_F_L1STD_SPAN);
    if (span == 0 || span > SMMU_L1STD_SPAN_MAX || span > split + 1) return bad_streamid(f);
    if (!cached) smmu_l1_fill(s, x, false, sid, 0, split, l1); /* only valid L1STDs are cached */
    uint32_t low = sid & ((1u << split) - 1);
    if (low >= (1u << (span - 1))) return bad_streamid(f);
    uint64_t l2 =
        SMMU_VADDR(l1, SMMU_F_L1STD_L2PTR) & ~smmu_bits_mask(5 + span); /* L2Ptr[N:0] = 0 */
    *pa = l2 + (uint64_t)low * SMMU_STE_BYTES;
    *arr = span - 1;
    return 0;
}

/* STE.CONT of a fetched STE as a span of StreamIDs (5.2): capped by the size of the Stream
   table, and in a 2-level table by the L2 array that locates the STE (both CONSTRAINED
   UNPREDICTABLE beyond, 5.2: StreamIDs outside the array keep their own L1STD, so they get
   their own STE or C_BAD_STREAMID, two of the permitted behaviours). An Embedded
   Implementation may treat CONT as RAZ (5.2); this model obeys it. */
static unsigned ste_cont(const uint64_t ste[8], unsigned arr) {
    const unsigned cont = (unsigned)SMMU_FGET(ste, SMMU_F_STE_CONT);
    return cont < arr ? cont : arr;
}

int smmu_ste_fetch(smmu_t *s, smmu_xctx_t *x, uint32_t sid, uint64_t ste[8], unsigned *cont,
                   smmu_fault_t *f) {
    uint64_t pa;
    unsigned arr;
    if (ste_address(s, x, sid, &pa, &arr, f)) return -1;
    if (pa_out_of_range(s, pa)) return fetch_abort(f, pa);
    x->reads++;
    smmu_mpam_io_end(s, x->sec); /* the world's (S_)GMPAM label (17.4) */
    const bool abort = smmu_mem_rd64_w(s, pa, ste, 8, x->sec) != 0;
    if (smmu_tp_on(s, SMMU_TP_STE_FETCH)) {
        smmu_tp_t tp = {.kind = SMMU_TP_STE_FETCH,
                        .u.fetch = {.pa = pa, .sid = sid, .abort = abort}};
        smmu_tp_emit(s, &tp);
    }
    if (abort) return fetch_abort(f, pa);
    if (smmu_dsan_on(s) && !x->dbg)
        smmu_dsan_fetch_cfg(s, DSAN_STE, x->sec, pa, ste, 8, sid, sid, 0, 0);
    if (cont) *cont = ste_cont(ste, arr);
    return 0;
}

/* ------------------------------------------------------------------ decode and validation */

static bool gran_supported(const smmu_t *s, unsigned gran) {
    return (gran == 12 && s->p.gran4k) || (gran == 14 && s->p.gran16k) ||
           (gran == 16 && s->p.gran64k);
}

/* STE.S2TG encoding: 0b00 4KB, 0b01 64KB, 0b10 16KB, 0b11 reserved (5.2). */
static unsigned s2tg_shift(unsigned tg) {
    static const uint8_t shift[4] = {
        [SMMU_CD_TG0_4K] = 12, [SMMU_CD_TG0_64K] = 16, [SMMU_CD_TG0_16K] = 14};
    return shift[tg & 3];
}

/* Smallest legal S2T0SZ (5.2 S2T0SZ, after SMMUv3.0): MAX(16, 64 - IAS) for 4KB/16KB without
   S2DS, MAX(12, 64 - IAS) otherwise; IAS == OAS (AArch64 only, 3.4). */
static unsigned s2t0sz_min(const smmu_t *s, unsigned gran, bool ds) {
    unsigned ias = smmu_oas_bits(s), arch = gran < 16 && !ds ? 16 : 12;
    return 64 - ias > arch ? 64 - ias : arch;
}

/* Stage-2 half (5.2 S2* fields): returns false when ILLEGAL. S2DS and S2SL0_2 are RES0 when
   IDR5.DS == 0, S2DS also with the 64KB granule (5.2 S2DS, S2SL0_2); S2SL0_2 is used only by
   the 4KB granule with S2DS (Arm ARM D8.2.8.2: VTCR_EL2.SL2 RES0 with DS == 0; the 16KB and
   64KB start levels come from SL0 alone, D8.2.9.2, D8.2.10.2), and ignored otherwise. */
static bool decode_s2(const smmu_t *s, const uint64_t *ste, smmu_s2cfg_t *c) {
    unsigned gran = s2tg_shift((unsigned)SMMU_FGET(ste, SMMU_F_STE_S2TG));
    unsigned tsz = (unsigned)SMMU_FGET(ste, SMMU_F_STE_S2T0SZ);
    const bool ds = s->p.lpa2 && gran < 16 && SMMU_FGET(ste, SMMU_F_STE_S2DS);
    const unsigned sl2 = ds && gran == 12 ? (unsigned)SMMU_FGET(ste, SMMU_F_STE_S2SL0_2) : 0;

    if (!SMMU_FGET(ste, SMMU_F_STE_S2AA64)) return false; /* VMSAv8-32 LPAE: TTF[0] == 0 (6.3.1) */
    if (!gran_supported(s, gran)) return false;
    if (tsz < s2t0sz_min(s, gran, ds) || tsz > 39) return false; /* IDR3.STT == 0 */
    /* S2HA needs IDR0.HTTU != 0b00, S2HD needs 0b1x (5.2 S2HA); {S2HA, S2HD} == 0b01 is
       Reserved and behaves as 0b00. S2HAFT is RES0 unless IDR0.HTTU == 0b11, and then ILLEGAL
       with S2HA == 0 (5.2 S2HAFT, SteIllegal): the effective HAFT is 0 without HA (Arm ARM
       R SNVTX). */
    const bool ha = SMMU_FGET(ste, SMMU_F_STE_S2HA), hd = SMMU_FGET(ste, SMMU_F_STE_S2HD);
    const bool haft = s->p.httu == SMMU_IDR0_HTTU_HAFT && SMMU_FGET(ste, SMMU_F_STE_S2HAFT);
    if (ha && s->p.httu < SMMU_IDR0_HTTU_AF) return false;
    if (hd && s->p.httu < SMMU_IDR0_HTTU_AF_DIRTY) return false;
    if (haft && !ha) return false;
    c->ha = ha;
    c->hd = ha && hd;
    c->haft = haft;
    if (SMMU_FGET(ste, SMMU_F_STE_S2ENDI) && !s->p.ttendian_mixed) return false;
    if (!s->p.vmid16 && (SMMU_FGET(ste, SMMU_F_STE_S2VMID) >> 8) != 0) return false;
    /* S2S against the Non-secure stall model, NSSTALLD applied (5.2 SteIllegal; 6.3.57) */
    const unsigned model = smmu_stall_model(s, false);
    if (SMMU_FGET(ste, SMMU_F_STE_S2S) && model == SMMU_STALL_MODEL_TERMINATE) return false;
    if (!SMMU_FGET(ste, SMMU_F_STE_S2S) && model == SMMU_STALL_MODEL_STALL) return false;

    c->oas = (uint8_t)smmu_ps_bits(s, (unsigned)SMMU_FGET(ste, SMMU_F_STE_S2PS));
    c->tt.gran = (uint8_t)gran;
    c->tt.tsz = (uint8_t)tsz;
    c->tt.ds = ds;
    c->tt.sh = (uint8_t)SMMU_FGET(ste, SMMU_F_STE_S2SH0);
    const unsigned sl0 = sl2 << 2 | (unsigned)SMMU_FGET(ste, SMMU_F_STE_S2SL0);
    if (smmu_s2_start_level(gran, tsz, sl0, ds, &c->tt.start, &c->tt.concat)) return false;
    /* S2TTB beyond the effective S2PS, or beyond 48 bits for 4K/16K without S2DS, is ILLEGAL
       (5.2 S2TTB). */
    uint64_t ttb = SMMU_FADDR(ste, SMMU_F_STE_S2TTB);
    unsigned ttb_limit = gran < 16 && !ds && c->oas > 48 ? 48 : c->oas;
    if (ttb >> ttb_limit) return false;
    /* Low bits below the start table's (concatenated) size are treated as zero, at least 64
       bytes (5.2 S2TTB). */
    unsigned bits = (64 - tsz) - smmu_lvl_shift(gran, c->tt.start); /* resolved at start */
    unsigned table_log2 = bits + 3 > 6 ? bits + 3 : 6;
    c->tt.ttb = ttb & ~smmu_bits_mask(table_log2);
    c->endi = SMMU_FGET(ste, SMMU_F_STE_S2ENDI);
    c->affd = SMMU_FGET(ste, SMMU_F_STE_S2AFFD);
    c->ptw = SMMU_FGET(ste, SMMU_F_STE_S2PTW);
    c->s = SMMU_FGET(ste, SMMU_F_STE_S2S);
    c->r = SMMU_FGET(ste, SMMU_F_STE_S2R);
    /* S2FWB is RES0 when IDR3.FWB == 0 (6.3.4): ignored, never ILLEGAL. The VMSAv8-32 case that
       makes it ILLEGAL (5.2 S2FWB) cannot arise: S2AA64 == 0 is ILLEGAL above. */
    c->fwb = s->p.fwb && SMMU_FGET(ste, SMMU_F_STE_S2FWB);
    c->vmid = (uint16_t)SMMU_FGET(ste, SMMU_F_STE_S2VMID);
    return true;
}

/* Stage-1 half (S1* fields, STRW, S1STALLD; 5.2). */
static bool decode_s1(const smmu_t *s, const uint64_t *ste, smmu_stecfg_t *c) {
    c->s1fmt = (uint8_t)SMMU_FGET(ste, SMMU_F_STE_S1FMT);
    c->s1cdmax = (uint8_t)SMMU_FGET(ste, SMMU_F_STE_S1CDMAX);
    c->s1dss = (uint8_t)SMMU_FGET(ste, SMMU_F_STE_S1DSS);
    c->s1ctxptr = SMMU_VADDR(ste[0], SMMU_F_STE_S1CONTEXTPTR);
    c->s1stalld = SMMU_FGET(ste, SMMU_F_STE_S1STALLD);
    if (s->p.ssidsize == 0) c->s1cdmax = 0; /* IGNORED (5.2) */
    if (c->s1cdmax > s->p.ssidsize) return false;
    if (c->s1cdmax != 0 && !s->p.cd_2lvl &&
        (c->s1fmt == SMMU_STE_S1FMT_2LVL_4K || c->s1fmt == SMMU_STE_S1FMT_2LVL_64K))
        return false;
    if (c->s1fmt == SMMU_STE_S1FMT_RESERVED) c->s1fmt = SMMU_STE_S1FMT_LINEAR; /* as 0b00 */
    /* S1STALLD needs both models in the STE's world: S_IDR0's or the effective IDR0's (5.2) */
    if (c->s1stalld && smmu_stall_model(s, c->secure) != SMMU_STALL_MODEL_BOTH) return false;
    /* S1ContextPtr out of range: PA beyond OAS, or IPA beyond IAS (== OAS here) (5.2). */
    if (c->s1ctxptr >> smmu_oas_bits(s)) return false;
    /* STRW: used only for stage-1-only streams with HYP; 0bx1 is reserved (5.2) in a Non-secure
       STE (secure_legal checks a Secure one). */
    if (!c->secure && s->p.hyp && c->config == SMMU_STE_CONFIG_S1 &&
        (c->strw & SMMU_STE_STRW_RESERVED_BIT))
        return false;
    return true;
}

/* The VMID that tags the stream's TLB entries (5.2 S2VMID, 3.17): S2VMID when stage 2 is
   implemented and the StreamWorld is NS-EL1 (stage 2 enabled, or stage 1 only with STRW
   0b00); otherwise IGNORED and 0. Upper bits set with 8-bit VMIDs are ILLEGAL unless
   IGNORED. */
static bool decode_vmid(const smmu_t *s, const uint64_t *ste, smmu_stecfg_t *c) {
    /* a Secure STE's S2VMID is IGNORED without Secure stage 2 (5.2 S2VMID) */
    bool tagged = !c->secure && s->p.s2 && (c->s2 || (c->s1 && c->strw == SMMU_STE_STRW_EL1));
    c->vmid = tagged ? (uint16_t)SMMU_FGET(ste, SMMU_F_STE_S2VMID) : 0;
    return s->p.vmid16 || (c->vmid >> 8) == 0;
}

/* ATS configuration checks of SteIllegal (5.2 EATS). */
static bool eats_legal(const smmu_t *s, const smmu_stecfg_t *c, bool s2s) {
    if (!s->p.ats || c->config == SMMU_STE_CONFIG_BYPASS) return true;
    if (c->eats == SMMU_STE_EATS_SPLIT) /* split-stage; IDR0.NS1ATS == 0 */
        return c->config == SMMU_STE_CONFIG_NESTED && !s2s;
    if (c->eats == SMMU_STE_EATS_FULL && s2s && c->s2) return false;
    return true;
}

/* MPAM fields (5.2 PARTID, PMG, S1MPAM, VMSPtr), RES0 without MPAM: S1MPAM counts only when
   stage 1 translates; an enabled VMSPtr beyond the OAS is ILLEGAL (5.2 VMSPtr). A PARTID or
   PMG above MPAMIDR's maximum is UNKNOWN, not ILLEGAL (mpam.c). A Secure STE's VMSPtr is never
   enabled: the Secure VMS needs S_IDR1.SEL2 (5.6.1), and Config 0b111 is ILLEGAL without it. */
static bool decode_mpam(const smmu_t *s, const uint64_t *ste, smmu_stecfg_t *c) {
    if (!s->p.mpam) return true;
    c->partid = (uint16_t)SMMU_FGET(ste, SMMU_F_STE_PARTID);
    c->pmg = (uint8_t)SMMU_FGET(ste, SMMU_F_STE_PMG);
    c->s1mpam = c->s1 && SMMU_FGET(ste, SMMU_F_STE_S1MPAM);
    /* 5.2 MPAM_NS: RES0 in a Non-secure STE (whose space is Non-secure) and in a Secure one
       without S_MPAMIDR.HAS_MPAM_NS (Secure space) */
    c->mpam_ns = !c->secure || (s->p.mpam_ns && SMMU_FGET(ste, SMMU_F_STE_MPAM_NS));
    if (!smmu_mpam_vms_enabled(s, c)) return true;
    c->vmsptr = SMMU_FGET(ste, SMMU_F_STE_VMSPTR) << 12;
    return (c->vmsptr >> smmu_oas_bits(s)) == 0;
}

static int bad_ste(smmu_fault_t *f) {
    f->type = SMMU_EVT_C_BAD_STE;
    return -1;
}

/* A Secure STE (5.2): Config 0b11x is ILLEGAL without Secure stage 2 (SEL2 == 0); STRW is not
   RES0 (whatever IDR0.Hyp): 0b00 Secure, 0b01 EL3 (no RME here), 0b10 S-EL2 ILLEGAL without
   SEL2, 0b11 ILLEGAL; EATS is RES0 (effective 0b00). NSCFG is decoded for every STE and used
   only for a Secure one with stage 1 bypassed (translate.c). */
static bool secure_legal(const uint64_t *ste, smmu_stecfg_t *c) {
    c->secure = true;
    c->eats = 0;
    if (c->s2) return false;
    c->strw = c->s1 ? (uint8_t)SMMU_FGET(ste, SMMU_F_STE_STRW) : 0;
    return c->strw == SMMU_STE_STRW_EL1 || c->strw == SMMU_STE_STRW_EL3;
}

int smmu_ste_decode(const smmu_t *s, const uint64_t ste[8], smmu_stecfg_t *c, smmu_fault_t *f) {
    return smmu_ste_decode_w(s, ste, c, f, false);
}

int smmu_ste_decode_w(const smmu_t *s, const uint64_t ste[8], smmu_stecfg_t *c, smmu_fault_t *f,
                      bool secure) {
    memset(c, 0, sizeof(*c)); /* padding too: cached STEs are compared whole (cfgcache.c) */
    c->secure = secure;
    if (!SMMU_FGET(ste, SMMU_F_STE_V)) return bad_ste(f);
    c->config = (uint8_t)SMMU_FGET(ste, SMMU_F_STE_CONFIG);
    c->memattr = (uint8_t)SMMU_FGET(ste, SMMU_F_STE_MEMATTR);
    c->mtcfg = (uint8_t)SMMU_FGET(ste, SMMU_F_STE_MTCFG);
    c->alloccfg = (uint8_t)SMMU_FGET(ste, SMMU_F_STE_ALLOCCFG);
    c->shcfg = (uint8_t)SMMU_FGET(ste, SMMU_F_STE_SHCFG);
    c->nscfg = (uint8_t)SMMU_FGET(ste, SMMU_F_STE_NSCFG);
    c->privcfg = (uint8_t)SMMU_FGET(ste, SMMU_F_STE_PRIVCFG);
    c->instcfg = (uint8_t)SMMU_FGET(ste, SMMU_F_STE_INSTCFG);
    if (!smmu_ste_config_passes(c->config)) return 0; /* abort; nothing else is checked */
    c->s1 = c->config & SMMU_STE_CONFIG_S1_BIT;
    c->s2 = c->config & SMMU_STE_CONFIG_S2_BIT;
    c->strw = s->p.hyp && s->p.s1 ? (uint8_t)SMMU_FGET(ste, SMMU_F_STE_STRW) : 0;
    c->eats = s->p.ats ? (uint8_t)SMMU_FGET(ste, SMMU_F_STE_EATS) : 0;
    if (c->s1 && !s->p.s1) return bad_ste(f);
    if (c->s2 && !s->p.s2) return bad_ste(f);
    if (secure && !secure_legal(ste, c)) return bad_ste(f);
    if (!eats_legal(s, c, SMMU_FGET(ste, SMMU_F_STE_S2S))) return bad_ste(f);
    if (c->s1 && !decode_s1(s, ste, c)) return bad_ste(f);
    if (c->s2 && !decode_s2(s, ste, &c->s2c)) return bad_ste(f);
    if (!decode_vmid(s, ste, c)) return bad_ste(f);
    if (!decode_mpam(s, ste, c)) return bad_ste(f);
    return 0;
}
