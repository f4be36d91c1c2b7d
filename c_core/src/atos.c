/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Address Translation Operations (spec chapter 9; registers 6.3.37-6.3.40): a lookup as though a
 * transaction came through ATOS_SID's StreamID / SubstreamID with ATOS_ADDR's address and access,
 * answered in ATOS_PAR. It reuses the translation path's parts (STE and CD fetch and decode,
 * smmu_select_cd, the walkers) with its own front end, as ATS Translation Requests do (ats.c):
 *  - no event is recorded, nothing stalls, the STE/CD fault configuration is not consulted: the
 *    walkers only report faults, translate.c's fault model is not used (chapter 9);
 *  - STE.{MTCFG, MemAttr, SHCFG, ALLOCCFG, INSTCFG, PRIVCFG} are not applied (Tables 13.4, 13.5);
 *  - "stop after stage 1" is smmu_walk_s1 with the stream's stage 2 for its table and CD fetches
 *    only, "start at stage 2" is smmu_walk_s2 of the input address (9.1.3 TYPE);
 *  - ATOS_ADDR.HTTUI == 1 is a debug context (smmu_xctx_t.dbg): the walkers then update no
 *    descriptor but answer as if the Access flag and dirty state were updated, and fill no
 *    cache (9: AF == 0 behaves as 1, writable-clean as writable); HTTUI == 0 is an ordinary
 *    context: HTTU as for a transaction, walk and IPA caches filled with what memory holds.
 * The TLB and configuration caches are not consulted: an ATOS result is never based on stale
 * data (9: "permitted to use" the caches). Model choices (CONSTRAINED UNPREDICTABLE, 6.3.37):
 * RUN written while SMMUEN == 0 is IGNORED (the SMMUv3.2 rule, one of the v3.0/v3.1 options);
 * with RUN never observed as 1, the guards on SID/ADDR/CTRL never apply.
 * The Secure group SMMU_S_GATOS_* (9, 6.3.83-6.3.86) is the same with: RUN guarded by
 * S_CR0.SMMUEN; S_GATOS_SID.SSEC selecting a Secure stream (Secure Stream table, Secure STE and
 * stage 1) or a Non-secure one, which also needs SMMU_CR0.SMMUEN (9: without it the lookup ends
 * as INTERNAL_ERR, the "SMMUEN cleared" case of 9.1.5); stage-2 lookups of a Secure stream are
 * INV_STAGE at point A (S_IDR1.SEL2 == 0, 9.1.3, 9.1.5); S_GATOS_PAR.NS the final NS (a
 * Non-secure stream's 1; a Secure stream's stage-1 output NS; with stage 1 bypassed by S1DSS,
 * IMPLEMENTATION DEFINED (9.1.3): 0, the NS the model takes for a Secure stream's transaction);
 * S_CR0.SIF applies to a Secure stream's stage-1 instruction lookups (9.1.3 note). */
#include "atos.h"

#include "attr.h"
#include "cache.h"
#include "cd.h"
#include "fault.h"
#include "instance.h"
#include "regfile.h"
#include "strtab.h"
#include "walk.h"
#include "xctx.h"
#include "xlate.h"

/* A decoded request: ATOS_SID and ATOS_ADDR at the write of RUN (9.1.2, 9.1.3). */
typedef struct atos_req {
    uint32_t sid, ssid;
    bool ssv;
    bool sgroup; /* made through SMMU_S_GATOS_* */
    bool sec;    /* of a Secure stream (S_GATOS_SID.SSEC) */
    uint64_t addr;
    unsigned type;
    smmu_access_t acc;
} atos_req_t;

/* ------------------------------------------------------------------ ATOS_PAR (6.3.40) */

static uint64_t par_fault(unsigned code, unsigned reason, uint64_t faddr) {
    uint64_t v = SMMU_VSET(0ull, SMMU_F_ATOS_PAR_FAULT, 1);
    v = SMMU_VSET(v, SMMU_F_ATOS_PAR_FAULTCODE, code);
    v = SMMU_VSET(v, SMMU_F_ATOS_PAR_REASON, reason);
    return SMMU_VSET(v, SMMU_F_ATOS_PAR_FADDR, faddr >> 12);
}

/* Success: ADDR aligned to the translation size with, above 4KB, bit N set where 2^(N+1) is
   the size (Size == 1); a size the field cannot express is reported as 4KB (Size == 0), which
   6.3.40 permits ("might return the translation size that is cached"). Device memory reports
   Outer Shareable (9.1.4). */
static uint64_t par_ok(uint64_t oa, uint64_t span, uint8_t attr, uint8_t sh) {
    unsigned lg = span ? (unsigned)__builtin_ctzll(span) : 12;
    if (lg < 12 || lg > 56) lg = 12;
    uint64_t addr = (oa >> 12) & ~smmu_bits_mask(lg - 12);
    if (lg > 12) addr |= 1ull << (lg - 13);
    if (smmu_attr_is_device(attr)) sh = SMMU_SH_OSH;
    uint64_t v = SMMU_VSET(0ull, SMMU_F_ATOS_PAR_ADDR, addr);
    v = SMMU_VSET(v, SMMU_F_ATOS_PAR_SIZE, lg > 12);
    v = SMMU_VSET(v, SMMU_F_ATOS_PAR_SH, sh);
    return SMMU_VSET(v, SMMU_F_ATOS_PAR_ATTR, attr);
}

/* REASON of a stage-2 fault from its CLASS (6.3.40: CD, TT, IN). */
static unsigned reason_of(uint8_t cls) {
    switch (cls) {
    case SMMU_CLASS_CD:
        return SMMU_ATOS_REASON_CD;
    case SMMU_CLASS_TT:
        return SMMU_ATOS_REASON_TT;
    default:
        return SMMU_ATOS_REASON_IN;
    }
}

/* A fault as the table of 9.1.4 reports it for the request's TYPE:
   - stage 1: a stage-2 fault of a CD fetch is F_CD_FETCH, of a stage-1 table fetch F_WALK_EABT
     (synthetic aborts), REASON 0, FADDR 0;
   - stage 2: REASON IN, FADDR 0, whatever the fault (MISC included, as the table lists);
   - stage 1 and 2: a stage-2 fault has the REASON of its CLASS and, when translation-related,
     FADDR = the IPA that faulted; a stage-1 or other fault REASON 0, FADDR 0. */
static uint64_t par_of(const atos_req_t *q, const smmu_fault_t *f) {
    if (q->type == SMMU_ATOS_TYPE_S2) return par_fault(f->type, SMMU_ATOS_REASON_IN, 0);
    if (!f->s2) return par_fault(f->type, SMMU_ATOS_REASON_S1, 0);
    if (q->type == SMMU_ATOS_TYPE_S1)
        return par_fault(f->cls == SMMU_CLASS_CD ? SMMU_EVT_F_CD_FETCH : SMMU_EVT_F_WALK_EABT,
                         SMMU_ATOS_REASON_S1, 0);
    return par_fault(f->type, reason_of(f->cls),
                     smmu_fault_translation_related(f->type) ? f->ipa : 0);
}

/* ------------------------------------------------------------------ the lookup */

/* INV_REQ, decided before any configuration is read (9.1.3, 9.1.5 item 1): TYPE 0b00, a stage
   the SMMU does not implement, or a stage-2 lookup with a SubstreamID. */
static bool inv_req(const smmu_t *s, const atos_req_t *q) {
    const bool s1p = SMMU_VGET(smmu_idr(s, 0), SMMU_F_IDR0_S1P);
    const bool s2p = SMMU_VGET(smmu_idr(s, 0), SMMU_F_IDR0_S2P);
    switch (q->type) {
    case SMMU_ATOS_TYPE_S1:
        return !s1p;
    case SMMU_ATOS_TYPE_S2:
        return !s2p || q->ssv;
    case SMMU_ATOS_TYPE_S12:
        return !s1p || !s2p;
    default:
        return true;
    }
}

/* INV_STAGE at point B (9.1.3, 9.1.5): a valid STE that does not translate at every requested
   stage; Config 0b0xx (abort) and 0b100 (bypass) translate at none. */
static bool inv_stage(const smmu_stecfg_t *c, unsigned type) {
    if (!smmu_ste_config_passes(c->config)) return true;
    if ((type & SMMU_ATOS_TYPE_S1) && !c->s1) return true;
    return (type & SMMU_ATOS_TYPE_S2) && !c->s2;
}

/* Stage 2 only: the input address is an IPA (9.1.3 TYPE 0b10). */
static uint64_t lookup_s2(smmu_t *s, smmu_xctx_t *x, const atos_req_t *q, const smmu_stecfg_t *c) {
    smmu_walk_out_t w;
    smmu_fault_t f = {0};
    if (smmu_walk_s2(s, x, &c->s2c, q->addr, &q->acc, SMMU_CLASS_IN, &w, &f)) return par_of(q, &f);
    return par_ok(w.oa, w.span, w.attr, w.sh);
}

/* S_CR0.SIF (6.3.57.2): a Secure stream's instruction read whose output is Non-secure is a
   stage-1 F_PERMISSION (9.1.3 note). */
static bool sif_denies(const smmu_t *s, const atos_req_t *q, bool ns) {
    return q->sec && ns && q->acc.exec && SMMU_VGET(s->sr.cr0ack, SMMU_F_S_CR0_SIF);
}

/* Stage 1 (TYPE 0b01), or stages 1 and 2 (0b11), of a stream that translates at stage 1. A
   stage-1 lookup stops at the IPA of a nested stream: its stage 2 is used only for the CD and
   table fetches (9). Stage 1 bypassed (S1DSS == 0b01 without a SubstreamID, 9.1.3): the input
   address after the IAS check, with Normal Write-Back Inner Shareable attributes and a 4KB size
   (IMPLEMENTATION DEFINED), then stage 2 for TYPE 0b11. */
static uint64_t lookup_s1(smmu_t *s, smmu_xctx_t *x, const atos_req_t *q, const smmu_stecfg_t *c,
                          bool *ns) {
    uint32_t cdi = 0;
    uint8_t type = 0;
    smmu_fault_t f = {0};
    int sel = smmu_select_cd(s, c, q->ssv, q->ssid, &cdi, &type);
    if (sel == SMMU_S1_FAULT) return par_fault(type, SMMU_ATOS_REASON_S1, 0);
    uint64_t cd[8];
    smmu_s1cfg_t s1c;
    const smmu_s1cfg_t *s1 = sel == SMMU_S1_TRANSLATE ? &s1c : NULL;
    if (s1 && (smmu_cd_fetch(s, x, c, cdi, cd, &f) || smmu_cd_decode(s, c, cd, &s1c, &f)))
        return par_of(q, &f);
    if (!s1 && smmu_s1_bypass_check(s, q->addr, &f)) return par_of(q, &f);
    const int half = s1 ? smmu_s1_select(s1, q->addr, q->acc.priv) : 0;
    if (q->type == SMMU_ATOS_TYPE_S1) {
        smmu_walk_out_t w;
        if (!s1) return par_ok(q->addr, 1ull << 12, 0xFF, SMMU_SH_ISH);
        if (smmu_walk_s1(s, x, s1, half, c->s2 ? &c->s2c : NULL, q->addr, &q->acc, &w, &f))
            return par_of(q, &f);
        *ns = !q->sec || w.ns; /* 3.10.2: a Secure stream's stage 1 gives the output NS */
        if (sif_denies(s, q, *ns)) return par_fault(SMMU_EVT_F_PERMISSION, SMMU_ATOS_REASON_S1, 0);
        return par_ok(w.oa, w.span, w.attr, w.sh);
    }
    smmu_walk_out_t w[2];
    smmu_stage_out_t o = {.attr = 0xFF, .sh = SMMU_SH_ISH}; /* stage 1 bypassed: as above */
    if (smmu_walk_stages(s, x, c, s1, half, q->addr, &q->acc, w, &o, &f)) return par_of(q, &f);
    return par_ok(o.oa, o.span, o.attr, o.sh);
}

/* The ATOS_PAR value of a request, in the priority order of 9.1.5: INV_REQ, (a Secure stream's
   stage-2 INV_STAGE, static at point A), C_BAD_STREAMID, F_STE_FETCH, C_BAD_STE, INV_STAGE
   (point B), then the CD selection, fetch and walks. *ns: the final NS of a success. */
static uint64_t lookup(smmu_t *s, smmu_xctx_t *x, const atos_req_t *q, bool *ns) {
    if (inv_req(s, q)) return par_fault(SMMU_ATOS_INV_REQ, SMMU_ATOS_REASON_S1, 0);
    if (q->sec && (q->type & SMMU_ATOS_TYPE_S2))
        return par_fault(SMMU_ATOS_INV_STAGE, SMMU_ATOS_REASON_S1, 0); /* no Secure stage 2 */
    uint64_t ste[8];
    smmu_stecfg_t c;
    smmu_fault_t f = {0};
    if (smmu_ste_fetch(s, x, q->sid, ste, NULL, &f) || smmu_ste_decode_w(s, ste, &c, &f, q->sec))
        return par_of(q, &f);
    if (inv_stage(&c, q->type)) return par_fault(SMMU_ATOS_INV_STAGE, SMMU_ATOS_REASON_S1, 0);
    *ns = !q->sec; /* stage 1 bypassed (S1DSS): IMPLEMENTATION DEFINED, see the file comment */
    if (q->type == SMMU_ATOS_TYPE_S2) return lookup_s2(s, x, q, &c);
    return lookup_s1(s, x, q, &c, ns);
}

/* ATOS_ADDR's access (6.3.39): RnW, InD (IGNORED for a write: Data), PnU, without the STE
   overrides (Table 13.4). */
static atos_req_t request_of(const smmu_t *s, const smmu_atos_t *g) {
    const bool rnw = SMMU_VGET(g->addr, SMMU_F_ATOS_ADDR_RNW);
    atos_req_t q = {
        .sid = (uint32_t)SMMU_VGET(g->sid, SMMU_F_ATOS_SID_STREAMID),
        .ssid = (uint32_t)SMMU_VGET(g->sid, SMMU_F_ATOS_SID_SUBSTREAMID),
        .ssv = SMMU_VGET(g->sid, SMMU_F_ATOS_SID_SSID_VALID),
        .sgroup = g == &s->s_gatos,
        .sec = g == &s->s_gatos && SMMU_VGET(g->sid, SMMU_F_S_GATOS_SID_SSEC),
        .addr = g->addr & ~smmu_bits_mask(12),
        .type = (unsigned)SMMU_VGET(g->addr, SMMU_F_ATOS_ADDR_TYPE),
        .acc = {.write = !rnw,
                .exec = rnw && SMMU_VGET(g->addr, SMMU_F_ATOS_ADDR_IND),
                .priv = SMMU_VGET(g->addr, SMMU_F_ATOS_ADDR_PNU)},
    };
    return q;
}

/* RUN: the lookup, then PAR (with the final NS in S_GATOS_PAR, 6.3.86). HTTUI == 1 is a debug
   context (see the top of the file). */
static void run(smmu_t *s, smmu_atos_t *g) {
    const atos_req_t q = request_of(s, g);
    if (q.sgroup && !q.sec && !smmu_smmuen(s)) { /* a Non-secure stream needs SMMUEN (9) */
        g->par = par_fault(SMMU_ATOS_INTERNAL_ERR, SMMU_ATOS_REASON_S1, 0);
        return;
    }
    smmu_xctx_t x = {.dbg = SMMU_VGET(g->addr, SMMU_F_ATOS_ADDR_HTTUI), .sec = q.sec};
    bool ns = true;
    g->par = lookup(s, &x, &q, &ns);
    if (q.sgroup && !SMMU_VGET(g->par, SMMU_F_ATOS_PAR_FAULT))
        g->par = SMMU_VSET(g->par, SMMU_F_S_GATOS_PAR_NS, ns);
    smmu_xctx_commit(s, &x);
}

/* ------------------------------------------------------------------ registers */

/* The bits ATOS_SID stores (6.3.38): STREAMID below IDR1.SIDSIZE, SUBSTREAMID below SSIDSIZE,
   SSID_VALID only with SubstreamIDs; the others are RES0. S_GATOS_SID also has SSEC, and its
   STREAMID is as wide as the wider of SIDSIZE and S_SIDSIZE (equal here) (6.3.84). */
static uint64_t sid_mask(const smmu_t *s, const smmu_atos_t *g) {
    uint64_t m = smmu_bits_mask(s->p.sidsize);
    if (g == &s->s_gatos) m |= SMMU_FMASK64(SMMU_F_S_GATOS_SID_SSEC);
    if (!s->p.ssidsize) return m;
    return m | (smmu_bits_mask(s->p.ssidsize) << SMMU_FLSB(SMMU_F_ATOS_SID_SUBSTREAMID)) |
           SMMU_FMASK64(SMMU_F_ATOS_SID_SSID_VALID);
}

/* ATOS_ADDR (6.3.39): bits [5:0] RES0. */
static uint64_t addr_mask(void) {
    return SMMU_FMASK64(SMMU_F_ATOS_ADDR_ADDR) | SMMU_FMASK64(SMMU_F_ATOS_ADDR_TYPE) |
           SMMU_FMASK64(SMMU_F_ATOS_ADDR_PNU) | SMMU_FMASK64(SMMU_F_ATOS_ADDR_RNW) |
           SMMU_FMASK64(SMMU_F_ATOS_ADDR_IND) | SMMU_FMASK64(SMMU_F_ATOS_ADDR_HTTUI);
}

uint32_t smmu_atos_read32(const smmu_atos_t *g, unsigned rel) {
    switch (rel & ~7u) {
    case 0x8:
        return smmu_reg_half(g->sid, rel);
    case 0x10:
        return smmu_reg_half(g->addr, rel);
    case 0x18:
        return smmu_reg_half(g->par, rel);
    default:
        return 0; /* CTRL: RUN is 0 whenever software can read it; +0x4 is RES0 */
    }
}

void smmu_atos_write32(smmu_t *s, smmu_atos_t *g, unsigned rel, uint32_t v, bool smmuen) {
    switch (rel) {
    case 0x0: /* RUN = 1 is IGNORED while SMMUEN == 0 (6.3.37) */
        if (SMMU_VGET(v, SMMU_F_ATOS_CTRL_RUN) && smmuen) run(s, g);
        break;
    case 0x8:
    case 0xC:
        g->sid = smmu_reg_half_put(g->sid, rel, v) & sid_mask(s, g);
        break;
    case 0x10:
    case 0x14:
        g->addr = smmu_reg_half_put(g->addr, rel, v) & addr_mask();
        break;
    default: /* PAR is read-only */
        break;
    }
}
