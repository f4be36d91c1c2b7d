/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Performance Monitor Counter Groups (spec chapter 10). params.pmcg_groups identical groups,
 * each associated with every StreamID of the SMMU (10.2), counting the architected events
 * (10.3) the core can count exactly: clock cycles as the host reports them (smmu_pmcg_tick),
 * transactions and requests, TLB and configuration cache misses, translation table and
 * configuration structure reads, ATS Translation Requests and Translated transactions. The
 * registers (10.5) are modelled as 32-bit words; a 64-bit access is its two halves. With the
 * SMMU's Secure state (params.secure_impl) each group supports Secure state (10.6: SCR, Secure
 * observation, FILTER_SEC_SID, Secure MSIs); with MPAM and MSIs it labels its MSIs (17.5:
 * GMPAM, MPAMIDR and S_MPAMIDR, which report the SMMU's maxima, as 17.5 recommends). No Realm
 * state (ROOTCR RAZ/WI, so no SCR alias) and no PARTID/PMG filtering. */
#include "pmcg.h"

#include <stdlib.h>
#include <string.h>

#include <smmu/regs.h>

#include "cache.h"
#include "irq.h"
#include "lock.h"
#include "memo.h"
#include "mpam.h"

/* ------------------------------------------------------------------ configuration */

bool smmu_pmcg_params_ok(const smmu_params_t *p) {
    if (p->pmcg_groups > SMMU_PMCG_MAX_GROUPS) return false;
    if (p->pmcg_groups == 0) return true;
    if (p->pmcg_counters < 1 || p->pmcg_counters > SMMU_PMCG_CTRS) return false;
    switch (p->pmcg_counter_bits) { /* CFGR.SIZE + 1 (10.5.2.13) */
    case 32:
    case 36:
    case 40:
    case 44:
    case 48:
    case 64:
        return true;
    default:
        return false;
    }
}

int smmu_pmcg_new(smmu_t *s) {
    if (s->p.pmcg_groups == 0) return 0;
    s->pmcg = calloc(s->p.pmcg_groups, sizeof(*s->pmcg));
    return s->pmcg ? 0 : -1;
}

void smmu_pmcg_free(smmu_t *s) {
    free(s->pmcg);
    s->pmcg = NULL;
}

/* pmcg_on: some group has CR.E and a counter enabled (10.5.2.5, 10.5.2.14). */
static void update_on(smmu_t *s) {
    bool on = false;
    for (unsigned g = 0; g < s->p.pmcg_groups; g++)
        on = on || (SMMU_VGET(s->pmcg[g].cr, SMMU_F_PMCG_CR_E) && s->pmcg[g].cnten);
    atomic_store_explicit(&s->pmcg_on, on, memory_order_relaxed);
    smmu_memo_gate(s);
}

/* The reset values are UNKNOWN (10.5.2): everything starts at zero, nothing counts. */
void smmu_pmcg_reset(smmu_t *s) {
    if (s->pmcg) memset(s->pmcg, 0, sizeof(*s->pmcg) * s->p.pmcg_groups);
    for (unsigned g = 0; g < s->p.pmcg_groups; g++) /* SCR: NSRA and NSMSI reset to 1 */
        s->pmcg[g].scr = SMMU_FMASK32(SMMU_F_PMCG_SCR_NSRA) |
                         (s->p.pmcg_msi ? SMMU_FMASK32(SMMU_F_PMCG_SCR_NSMSI) : 0);
    update_on(s);
}

/* The group supports Secure state (10.6): the SMMU does. */
static bool sec_impl(const smmu_t *s) {
    return s->p.secure_impl;
}

/* CFGR.MPAM (10.5.2.13, 17.5): MPAM labels for the group's MSIs, so only with MSIs. */
static bool pmcg_mpam(const smmu_t *s) {
    return s->p.mpam && s->p.pmcg_msi;
}

static bool scr_bit(const struct smmu_pmcg *g, unsigned lsb, unsigned width) {
    return smmu_val_get(g->scr, lsb, width) != 0;
}
#define SCR(g, F) scr_bit(g, F)

static uint64_t ctr_max(const smmu_t *s) {
    return smmu_bits_mask(s->p.pmcg_counter_bits);
}

/* Bits of CNTEN, INTEN, OVS: one per implemented counter (10.5.2.5). */
static uint64_t ctr_bits(const smmu_t *s) {
    return smmu_bits_mask(s->p.pmcg_counters);
}

/* EVCNTRn / SVRn stride: 4 bytes for counters of 32 bits or fewer, else 8 (10.5.1). */
static unsigned stride(const smmu_t *s) {
    return s->p.pmcg_counter_bits > 32 ? 8 : 4;
}

static uint32_t cfgr(const smmu_t *s) {
    uint32_t v = 0;
    v = (uint32_t)SMMU_VSET(v, SMMU_F_PMCG_CFGR_NCTR, s->p.pmcg_counters - 1u);
    v = (uint32_t)SMMU_VSET(v, SMMU_F_PMCG_CFGR_SIZE, s->p.pmcg_counter_bits - 1u);
    v = (uint32_t)SMMU_VSET(v, SMMU_F_PMCG_CFGR_RELOC_CTRS, s->p.pmcg_reloc);
    v = (uint32_t)SMMU_VSET(v, SMMU_F_PMCG_CFGR_MSI, s->p.pmcg_msi);
    v = (uint32_t)SMMU_VSET(v, SMMU_F_PMCG_CFGR_CAPTURE, s->p.pmcg_capture);
    v = (uint32_t)SMMU_VSET(v, SMMU_F_PMCG_CFGR_MPAM, pmcg_mpam(s));
    return (uint32_t)SMMU_VSET(v, SMMU_F_PMCG_CFGR_SID_FILTER_TYPE, s->p.pmcg_sid_global);
}

/* CEID0: exactly the events counted (10.5.2.16); 6 and 7 need ATS (10.3 "If ATS supported"). */
static uint64_t ceid0(const smmu_t *s) {
    uint64_t v = 0;
    for (unsigned e = SMMU_PMCG_EV_CYCLES; e <= SMMU_PMCG_EV_CFG_ACCESS; e++)
        v |= 1ull << e;
    if (SMMU_VGET(s->r.idr[0], SMMU_F_IDR0_ATS))
        v |= 1ull << SMMU_PMCG_EV_ATS_TREQ | 1ull << SMMU_PMCG_EV_ATS_TRANSLATED;
    return v;
}

/* ------------------------------------------------------------------ counting */

/* The StreamID filter of counter i (10.4): SMR0 and EVTYPER0 for all with SID_FILTER_TYPE 1.
   ExactSID, or with FILTER_SID_SPAN a StreamID whose bits [Y-1:0] are ignored, Y-1 being the
   lowest 0 of STREAMID (all-ones: every StreamID). Secure events count only with SCR.SO (10.6;
   never without Secure state in the PMCG); the filter then applies to the namespace of the
   effective FILTER_SEC_SID (FILTER_SEC_SID & SO), except all-ones in the implemented bits with
   FILTER_SID_SPAN (AllSIDManySECSID), which matches both (10.4). */
static bool sid_match(const smmu_t *s, const struct smmu_pmcg *g, unsigned i, uint32_t sid,
                      bool secure) {
    const bool so = sec_impl(s) && SCR(g, SMMU_F_PMCG_SCR_SO);
    if (secure && !so) return false;
    const unsigned f = s->p.pmcg_sid_global ? 0 : i;
    const uint64_t smr = g->smr[f], w = smmu_bits_mask(s->p.sidsize);
    const bool span = SMMU_VGET(g->evtyper[f], SMMU_F_PMCG_EVTYPER_FILTER_SID_SPAN);
    if (span && (smr & w) == w) return true; /* AllSIDManySECSID */
    if (secure != (so && SMMU_VGET(g->evtyper[f], SMMU_F_PMCG_EVTYPER_FILTER_SEC_SID)))
        return false;
    if (!span) return (sid & w) == smr;
    const uint64_t ignored = smr ^ (smr + 1); /* bits [Y-1:0] */
    return ((sid ^ smr) & ~ignored & w) == 0;
}

/* Adds n to counter i; true on a carry out of its CFGR.SIZE + 1 bits (10.2.1). */
static bool add(const smmu_t *s, struct smmu_pmcg *g, unsigned i, uint64_t n) {
    const uint64_t max = ctr_max(s), old = g->cntr[i];
    g->cntr[i] = (old + n) & max;
    return n > max - old;
}

static void capture(const smmu_t *s, struct smmu_pmcg *g) {
    memcpy(g->svr, g->cntr, sizeof(g->cntr[0]) * s->p.pmcg_counters);
}

/* The PA space of the group's MSIs (10.6): Non-secure without Secure state, otherwise
   NS = SCR.NSMSI | SCR.NSRA. */
static bool msi_secure(const smmu_t *s, const struct smmu_pmcg *g) {
    return sec_impl(s) && !SCR(g, SMMU_F_PMCG_SCR_NSMSI) && !SCR(g, SMMU_F_PMCG_SCR_NSRA);
}

/* The MPAM label of the group's MSIs (17.5): GMPAM's PO_PARTID / PO_PMG in the PARTID space of
   the MSI's PA space, a Secure one moved to Non-secure space by SCR.MSI_MPAM_NS (with
   HAS_MPAM_NS); without CFGR.MPAM PARTID 0 and PMG 0 in that space (17.5's recommendation). */
static smmu_mpam_t msi_label(const smmu_t *s, const struct smmu_pmcg *g) {
    const bool sec = msi_secure(s, g);
    const bool ns = !sec || (s->p.mpam_ns && SCR(g, SMMU_F_PMCG_SCR_MSI_MPAM_NS));
    return smmu_mpam_label_w(s, ns, (unsigned)SMMU_VGET(g->gmpam, SMMU_F_PMCG_GMPAM_PO_PARTID),
                             (unsigned)SMMU_VGET(g->gmpam, SMMU_F_PMCG_GMPAM_PO_PMG));
}

/* The group's interrupt (10.5.2.19): a pulse on its wired line and its MSI when IRQ_CFG0.ADDR
   is not zero (10.5.2.21), to the PA space and with the label above; an aborted MSI sets
   IRQ_STATUS.IRQ_ABT (v3.1 on, 10.5.2.24). */
static void notify(smmu_t *s, unsigned gi) {
    struct smmu_pmcg *g = &s->pmcg[gi];
    if (!SMMU_VGET(g->irq_ctrl, SMMU_F_PMCG_IRQ_CTRL_IRQEN)) return;
    smmu_irq_pulse_line(s, SMMU_IRQ_PMCG(gi));
    const uint64_t addr = SMMU_VADDR(g->irq_cfg0, SMMU_F_IRQ_CFG0_ADDR);
    if (!s->p.pmcg_msi || addr == 0) return;
    if (smmu_msi_write_as(s, addr, g->irq_cfg1, msi_secure(s, g), msi_label(s, g)) &&
        s->p.arch_minor >= SMMU_AIDR_V3_1)
        g->irq_status |= SMMU_FMASK32(SMMU_F_PMCG_IRQ_STATUS_IRQ_ABT);
}

/* Counters ovf overflowed (10.2.1): OVS, then the capture (EVTYPERn.OVFCAP, post-overflow
   values), then the interrupt, which is observable after both. */
static void overflow(smmu_t *s, unsigned gi, uint64_t ovf) {
    struct smmu_pmcg *g = &s->pmcg[gi];
    g->ovs |= ovf;
    bool cap = false;
    for (uint64_t m = ovf; m; m &= m - 1)
        cap = cap || SMMU_VGET(g->evtyper[__builtin_ctzll(m)], SMMU_F_PMCG_EVTYPER_OVFCAP);
    if (cap && s->p.pmcg_capture) capture(s, g);
    if (ovf & g->inten) notify(s, gi);
}

/* Counter n of group gi increments when CR.E, CNTEN[n], EVTYPERn.EVENT is the event and, for an
   event that can be filtered, the StreamID filter matches (10.5.2.1). */
static void group_count(smmu_t *s, unsigned gi, unsigned event, uint32_t sid, bool secure,
                        uint64_t n) {
    struct smmu_pmcg *g = &s->pmcg[gi];
    if (!SMMU_VGET(g->cr, SMMU_F_PMCG_CR_E)) return;
    uint64_t ovf = 0;
    for (uint64_t en = g->cnten; en; en &= en - 1) {
        const unsigned i = (unsigned)__builtin_ctzll(en);
        if (SMMU_VGET(g->evtyper[i], SMMU_F_PMCG_EVTYPER_EVENT) != event) continue;
        if (event != SMMU_PMCG_EV_CYCLES && !sid_match(s, g, i, sid, secure)) continue;
        if (add(s, g, i, n)) ovf |= 1ull << i;
    }
    if (ovf) overflow(s, gi, ovf);
}

void smmu_pmcg_count(smmu_t *s, unsigned event, uint32_t sid, bool secure, uint64_t n) {
    for (unsigned gi = 0; gi < s->p.pmcg_groups; gi++)
        group_count(s, gi, event, sid, secure, n);
}

/* A configuration cache (STE, CD, L1 descriptor) missed: a configuration structure had to be
   fetched (10.3 event 3). */
static bool cfg_missed(const smmu_xctx_t *cx) {
    return cx->lookups[SMMU_CACHE_STE] != cx->hits[SMMU_CACHE_STE] ||
           cx->lookups[SMMU_CACHE_CD] != cx->hits[SMMU_CACHE_CD] ||
           cx->lookups[SMMU_CACHE_L1] != cx->hits[SMMU_CACHE_L1];
}

/* 10.3: event 1 once per transaction or request (terminated ones included, as for 2, 3 and 7),
   2 and 3 once when the TLB / a configuration cache could not satisfy it, 4 and 5 per read of
   a walk / of a configuration structure, 6 per ATS Translation Request, 7 per ATS Translated
   transaction. */
void smmu_pmcg_count_xlate(smmu_t *s, uint32_t sid, bool secure, unsigned ats,
                           const smmu_xctx_t *cx) {
    uint64_t n[SMMU_PMCG_EV_ATS_TRANSLATED + 1] = {0};
    n[SMMU_PMCG_EV_TRANSACTION] = 1;
    n[SMMU_PMCG_EV_TLB_MISS] = cx->lookups[SMMU_CACHE_TLB] != cx->hits[SMMU_CACHE_TLB];
    n[SMMU_PMCG_EV_CFG_MISS] = cfg_missed(cx);
    n[SMMU_PMCG_EV_WALK_ACCESS] = cx->walk_reads;
    n[SMMU_PMCG_EV_CFG_ACCESS] = cx->reads - cx->walk_reads;
    n[SMMU_PMCG_EV_ATS_TREQ] = ats == SMMU_ATS_REQUEST;
    n[SMMU_PMCG_EV_ATS_TRANSLATED] = ats == SMMU_ATS_TRANSLATED;
    for (unsigned e = SMMU_PMCG_EV_TRANSACTION; e <= SMMU_PMCG_EV_ATS_TRANSLATED; e++)
        if (n[e]) smmu_pmcg_count(s, e, sid, secure, n[e]);
}

void smmu_pmcg_memo_hit(smmu_t *s, const smmu_txn_t *t) {
    SMMU_LOCKED(s);
    smmu_pmcg_count(s, SMMU_PMCG_EV_TRANSACTION, t->sid, t->secure, 1);
}

void smmu_pmcg_tick(smmu_t *s, uint64_t cycles) {
    SMMU_LOCKED(s);
    if (smmu_pmcg_active(s) && cycles) smmu_pmcg_count(s, SMMU_PMCG_EV_CYCLES, 0, false, cycles);
}

/* ------------------------------------------------------------------ registers */

/* EVCNTRn, SVRn, OVSCLR0, OVSSET0 and CAPR: on Page 1 with RELOC_CTRS (10.5.1). */
static bool reloc_reg(uint32_t o) {
    return o < SMMU_PMCG_EVTYPER0 || (o >= SMMU_PMCG_SVR0 && o < SMMU_PMCG_SVR0 + 0x200) ||
           (o & ~4u) == SMMU_PMCG_OVSCLR0 || (o & ~4u) == SMMU_PMCG_OVSSET0 || o == SMMU_PMCG_CAPR;
}

/* The word at o of a 64-bit value (o & 4: the upper half). */
static uint32_t half(uint64_t v, uint32_t o) {
    return (uint32_t)(o & 4 ? v >> 32 : v);
}

/* A word written to half o of a 64-bit value, in place. */
static uint64_t with_half(uint64_t v, uint32_t o, uint32_t w) {
    return o & 4 ? (v & 0xFFFFFFFFull) | (uint64_t)w << 32 : (v & ~0xFFFFFFFFull) | w;
}

/* The bits a write of w to half o sets in a 64-bit bitmap. */
static uint64_t bits_of(uint32_t o, uint32_t w) {
    return o & 4 ? (uint64_t)w << 32 : w;
}

/* The word at o of counter value v: with a 4-byte stride each word is a whole counter. */
static uint32_t ctr_word(const smmu_t *s, uint64_t v, uint32_t o) {
    return stride(s) == 8 ? half(v, o) : (uint32_t)v;
}

/* Counter n of EVCNTR / SVR offset o (from the array's base), or -1 when none is there. */
static int ctr_at(const smmu_t *s, uint32_t o) {
    const uint32_t n = o / stride(s);
    return n < s->p.pmcg_counters ? (int)n : -1;
}

static uint32_t rd_reloc(const smmu_t *s, const struct smmu_pmcg *g, uint32_t o) {
    if (o < SMMU_PMCG_EVTYPER0) {
        const int n = ctr_at(s, o);
        return n < 0 ? 0 : ctr_word(s, g->cntr[n], o);
    }
    if (o >= SMMU_PMCG_SVR0 && o < SMMU_PMCG_SVR0 + 0x200) {
        const int n = ctr_at(s, o - SMMU_PMCG_SVR0);
        return n < 0 || !s->p.pmcg_capture ? 0 : ctr_word(s, g->svr[n], o);
    }
    if (o != SMMU_PMCG_CAPR) return half(g->ovs, o); /* OVSCLR0, OVSSET0 */
    return 0;                                        /* CAPR is write-only, reads zero */
}

/* Per-counter registers of Page 0: EVTYPERn, SMRn. */
static bool per_ctr(const smmu_t *s, uint32_t o, uint32_t base, unsigned *n) {
    if (o < base || o >= base + 0x200) return false;
    *n = (o - base) / 4;
    return *n < s->p.pmcg_counters;
}

static uint32_t rd_irq(const smmu_t *s, const struct smmu_pmcg *g, uint32_t o) {
    if (o == SMMU_PMCG_IRQ_CTRL || o == SMMU_PMCG_IRQ_CTRLACK) return g->irq_ctrl;
    if (!s->p.pmcg_msi) return 0; /* IRQ_CFG0..2, IRQ_STATUS RES0 without MSIs */
    switch (o) {
    case SMMU_PMCG_IRQ_CFG0:
    case SMMU_PMCG_IRQ_CFG0 + 4:
        return half(g->irq_cfg0, o);
    case SMMU_PMCG_IRQ_CFG1:
        return g->irq_cfg1;
    case SMMU_PMCG_IRQ_CFG2:
        return g->irq_cfg2;
    case SMMU_PMCG_IRQ_STATUS:
        return g->irq_status;
    default:
        return 0;
    }
}

static uint32_t rd_page0(const smmu_t *s, const struct smmu_pmcg *g, uint32_t o) {
    unsigned n;
    if (per_ctr(s, o, SMMU_PMCG_EVTYPER0, &n)) return g->evtyper[n];
    if (per_ctr(s, o, SMMU_PMCG_SMR0, &n)) return g->smr[n];
    if (o >= SMMU_PMCG_IRQ_CTRL && o <= SMMU_PMCG_IRQ_STATUS) return rd_irq(s, g, o);
    switch (o & ~4u) {
    case SMMU_PMCG_CNTENSET0:
    case SMMU_PMCG_CNTENCLR0:
        return half(g->cnten, o);
    case SMMU_PMCG_INTENSET0:
    case SMMU_PMCG_INTENCLR0:
        return half(g->inten, o);
    case SMMU_PMCG_CEID0:
        return half(ceid0(s), o);
    default:
        break;
    }
    switch (o) {
    case SMMU_PMCG_CFGR:
        return cfgr(s);
    case SMMU_PMCG_CR:
        return g->cr;
    case SMMU_PMCG_IIDR:
        return s->p.iidr;
    case SMMU_PMCG_AIDR:
        return s->p.arch_minor; /* ArchMajorRev 0: SMMUv3.x (10.5.2.26) */
    case SMMU_PMCG_GMPAM:
        return pmcg_mpam(s) ? g->gmpam : 0;
    case SMMU_PMCG_MPAMIDR: /* the SMMU's Non-secure maxima (10.5.2.27, 17.5) */
        return pmcg_mpam(s) ? s->r.mpamidr : 0;
    default:
        return 0; /* ROOTCR and the SCR alias (no Realm state), ID_REGS, RES0 */
    }
}

/* SCR and S_MPAMIDR: RAZ/WI to a Non-secure access and without Secure state (10.5.2.12,
   10.5.2.28). true: o was one of them. */
static bool rd_secure_only(const smmu_t *s, const struct smmu_pmcg *g, uint32_t o, bool secure,
                           uint32_t *v) {
    *v = 0;
    if (o != SMMU_PMCG_SCR && o != SMMU_PMCG_S_MPAMIDR) return false;
    if (!secure || !sec_impl(s)) return true;
    if (o == SMMU_PMCG_SCR)
        *v = g->scr | SMMU_FMASK32(SMMU_F_PMCG_SCR_READS_AS_ONE);
    else if (pmcg_mpam(s)) /* the SMMU's Secure maxima and HAS_MPAM_NS (CFGR.MSI == 1) */
        *v = s->sr.mpamidr;
    return true;
}

static uint32_t rd32(const smmu_t *s, const struct smmu_pmcg *g, uint32_t page, uint32_t o,
                     bool secure) {
    uint32_t v;
    if (reloc_reg(o)) return page == (uint32_t)s->p.pmcg_reloc ? rd_reloc(s, g, o) : 0;
    if (page != 0) return 0;
    return rd_secure_only(s, g, o, secure, &v) ? v : rd_page0(s, g, o);
}

static void wr_reloc(smmu_t *s, struct smmu_pmcg *g, uint32_t o, uint32_t v) {
    if (o < SMMU_PMCG_EVTYPER0) {
        const int n = ctr_at(s, o);
        if (n >= 0) g->cntr[n] = (stride(s) == 8 ? with_half(g->cntr[n], o, v) : v) & ctr_max(s);
    } else if ((o & ~4u) == SMMU_PMCG_OVSCLR0) {
        g->ovs &= ~bits_of(o, v);
    } else if ((o & ~4u) == SMMU_PMCG_OVSSET0) {
        g->ovs |= bits_of(o, v) & ctr_bits(s); /* no interrupt or capture (10.5.2.10) */
    } else if (o == SMMU_PMCG_CAPR && (v & SMMU_FMASK32(SMMU_F_PMCG_CAPR_CAPTURE)) &&
               s->p.pmcg_capture) {
        capture(s, g);
    } /* SVRn are read-only */
}

/* EVTYPERn: EVENT (all 16 bits kept), FILTER_SID_SPAN and (with Secure state) FILTER_SEC_SID
   where a filter is (10.4), OVFCAP with CAPTURE; the MPAM filters are RES0 here. */
static uint32_t evtyper_mask(const smmu_t *s, unsigned n) {
    uint32_t m = SMMU_FMASK32(SMMU_F_PMCG_EVTYPER_EVENT);
    if (n == 0 || !s->p.pmcg_sid_global) m |= SMMU_FMASK32(SMMU_F_PMCG_EVTYPER_FILTER_SID_SPAN);
    if ((n == 0 || !s->p.pmcg_sid_global) && sec_impl(s))
        m |= SMMU_FMASK32(SMMU_F_PMCG_EVTYPER_FILTER_SEC_SID);
    if (s->p.pmcg_capture) m |= SMMU_FMASK32(SMMU_F_PMCG_EVTYPER_OVFCAP);
    return m;
}

/* IRQ_CTRL takes effect at once (IRQ_CTRLACK follows); IRQEN 0 -> 1 clears IRQ_ABT
   (10.5.2.24). IRQ_CFG0..2 are read-only while IRQEN is set (10.5.2.21). */
static void wr_irq(smmu_t *s, struct smmu_pmcg *g, uint32_t o, uint32_t v) {
    const uint32_t en = SMMU_FMASK32(SMMU_F_PMCG_IRQ_CTRL_IRQEN);
    if (o == SMMU_PMCG_IRQ_CTRL) {
        if ((v & en) && !(g->irq_ctrl & en)) g->irq_status = 0;
        g->irq_ctrl = v & en;
        return;
    }
    if (!s->p.pmcg_msi || (g->irq_ctrl & en)) return;
    if ((o & ~4u) == SMMU_PMCG_IRQ_CFG0)
        g->irq_cfg0 = with_half(g->irq_cfg0, o, v) & SMMU_FMASK64(SMMU_F_IRQ_CFG0_ADDR);
    else if (o == SMMU_PMCG_IRQ_CFG1)
        g->irq_cfg1 = v;
    else if (o == SMMU_PMCG_IRQ_CFG2)
        g->irq_cfg2 =
            v & (SMMU_FMASK32(SMMU_F_IRQ_CFG2_MEMATTR) | SMMU_FMASK32(SMMU_F_IRQ_CFG2_SH));
}

static void wr_bitmap(smmu_t *s, struct smmu_pmcg *g, uint32_t o, uint32_t v) {
    const uint64_t b = bits_of(o, v) & ctr_bits(s);
    switch (o & ~4u) {
    case SMMU_PMCG_CNTENSET0:
        g->cnten |= b;
        break;
    case SMMU_PMCG_CNTENCLR0:
        g->cnten &= ~b;
        break;
    case SMMU_PMCG_INTENSET0:
        g->inten |= b;
        break;
    case SMMU_PMCG_INTENCLR0:
        g->inten &= ~b;
        break;
    default:
        break;
    }
}

/* Bits [n-1:0], n the bit width of max (10.5.2.27: its most significant 1, plus one). */
static uint32_t width_bits(uint32_t max) {
    return max ? (uint32_t)smmu_bits_mask(32u - (unsigned)__builtin_clz(max)) : 0;
}

/* PO_PARTID / PO_PMG of GMPAM (10.5.2.25): bits above the greater width of MPAMIDR and
   S_MPAMIDR are RES0; nothing without CFGR.MPAM. */
static uint32_t gmpam_mask(const smmu_t *s) {
    if (!pmcg_mpam(s)) return 0;
    const uint32_t ns = s->r.mpamidr, sec = s->sr.mpamidr;
    const uint32_t pmax = width_bits((uint32_t)SMMU_VGET(ns, SMMU_F_MPAMIDR_PARTID_MAX)) |
                          width_bits((uint32_t)SMMU_VGET(sec, SMMU_F_MPAMIDR_PARTID_MAX));
    const uint32_t gmax = width_bits((uint32_t)SMMU_VGET(ns, SMMU_F_MPAMIDR_PMG_MAX)) |
                          width_bits((uint32_t)SMMU_VGET(sec, SMMU_F_MPAMIDR_PMG_MAX));
    return (uint32_t)(SMMU_VSET(0ull, SMMU_F_PMCG_GMPAM_PO_PARTID, pmax) |
                      SMMU_VSET(0ull, SMMU_F_PMCG_GMPAM_PO_PMG, gmax));
}

/* GMPAM: the Update protocol of SMMU_GMPAM (a write without Update is IGNORED, one of its
   CONSTRAINED UNPREDICTABLE choices; the update completes at once, Update reads 0). */
static void wr_gmpam(smmu_t *s, struct smmu_pmcg *g, uint32_t v) {
    if (!pmcg_mpam(s) || !SMMU_VGET(v, SMMU_F_PMCG_GMPAM_UPDATE)) return;
    g->gmpam = v & gmpam_mask(s);
}

/* SCR (10.5.2.12), Secure accesses only: SO, NSRA, NSMSI with MSIs, MSI_MPAM_NS with MSIs and
   HAS_MPAM_NS (PMCG_S_MPAMIDR's, which is the SMMU's here); NAO RES0 (no ROOTCR). */
static uint32_t scr_mask(const smmu_t *s) {
    uint32_t m = SMMU_FMASK32(SMMU_F_PMCG_SCR_SO) | SMMU_FMASK32(SMMU_F_PMCG_SCR_NSRA);
    if (s->p.pmcg_msi) m |= SMMU_FMASK32(SMMU_F_PMCG_SCR_NSMSI);
    if (s->p.pmcg_msi && s->p.mpam_ns) m |= SMMU_FMASK32(SMMU_F_PMCG_SCR_MSI_MPAM_NS);
    return m;
}

static void wr_scr(smmu_t *s, struct smmu_pmcg *g, uint32_t v) {
    g->scr = v & scr_mask(s);
}

static void wr_page0(smmu_t *s, struct smmu_pmcg *g, uint32_t o, uint32_t v) {
    unsigned n;
    if (per_ctr(s, o, SMMU_PMCG_EVTYPER0, &n))
        g->evtyper[n] = v & evtyper_mask(s, n);
    else if (per_ctr(s, o, SMMU_PMCG_SMR0, &n) && (n == 0 || !s->p.pmcg_sid_global))
        g->smr[n] = v & (uint32_t)smmu_bits_mask(s->p.sidsize); /* 10.4.1: SIDSIZE bits */
    else if (o >= SMMU_PMCG_CNTENSET0 && o < SMMU_PMCG_OVSCLR0)
        wr_bitmap(s, g, o, v);
    else if (o == SMMU_PMCG_CR)
        g->cr = v & SMMU_FMASK32(SMMU_F_PMCG_CR_E);
    else if (o >= SMMU_PMCG_IRQ_CTRL && o <= SMMU_PMCG_IRQ_CFG2)
        wr_irq(s, g, o, v);
    else if (o == SMMU_PMCG_GMPAM)
        wr_gmpam(s, g, v);
}

static void wr32(smmu_t *s, struct smmu_pmcg *g, uint32_t page, uint32_t o, uint32_t v,
                 bool secure) {
    if (reloc_reg(o)) {
        if (page == (uint32_t)s->p.pmcg_reloc) wr_reloc(s, g, o, v);
    } else if (o == SMMU_PMCG_SCR) { /* RAZ/WI to a Non-secure access (10.5.2.12) */
        if (page == 0 && secure && sec_impl(s)) wr_scr(s, g, v);
    } else if (page == 0) {
        wr_page0(s, g, o, v);
    }
}

/* The group and word an access reaches, or NULL (10.5: aligned 32- and 64-bit accesses; 10.6:
   with SCR.NSRA == 0 a Non-secure access to any register of the group is RAZ/WI). */
static struct smmu_pmcg *decode(smmu_t *s, unsigned group, uint64_t offset, unsigned size,
                                bool secure) {
    if (group >= s->p.pmcg_groups || (size != 4 && size != 8) || (offset & (size - 1)) ||
        offset >= 2 * SMMU_PMCG_PAGE1)
        return NULL;
    struct smmu_pmcg *g = &s->pmcg[group];
    if (!secure && sec_impl(s) && !SCR(g, SMMU_F_PMCG_SCR_NSRA)) return NULL;
    return g;
}

uint64_t smmu_pmcg_reg_read_sec(smmu_t *s, unsigned group, uint64_t offset, unsigned size,
                                bool secure) {
    SMMU_LOCKED(s);
    smmu_sync_host_counts(s); /* a counter reads every transaction so far */
    const struct smmu_pmcg *g = decode(s, group, offset, size, secure);
    if (!g) return 0;
    const uint32_t page = (uint32_t)(offset / SMMU_PMCG_PAGE1),
                   o = (uint32_t)(offset % SMMU_PMCG_PAGE1);
    uint64_t v = rd32(s, g, page, o, secure);
    if (size == 8) v |= (uint64_t)rd32(s, g, page, o + 4, secure) << 32;
    return v;
}

void smmu_pmcg_reg_write_sec(smmu_t *s, unsigned group, uint64_t offset, uint64_t value,
                             unsigned size, bool secure) {
    SMMU_LOCKED(s);
    smmu_sync_host_counts(s); /* held counts are of the configuration before the write */
    struct smmu_pmcg *g = decode(s, group, offset, size, secure);
    if (!g) return;
    const uint32_t page = (uint32_t)(offset / SMMU_PMCG_PAGE1),
                   o = (uint32_t)(offset % SMMU_PMCG_PAGE1);
    wr32(s, g, page, o, (uint32_t)value, secure);
    if (size == 8) wr32(s, g, page, o + 4, (uint32_t)(value >> 32), secure);
    update_on(s);
}

uint64_t smmu_pmcg_reg_read(smmu_t *s, unsigned group, uint64_t offset, unsigned size) {
    return smmu_pmcg_reg_read_sec(s, group, offset, size, false);
}

void smmu_pmcg_reg_write(smmu_t *s, unsigned group, uint64_t offset, uint64_t value,
                         unsigned size) {
    smmu_pmcg_reg_write_sec(s, group, offset, value, size, false);
}

/* ------------------------------------------------------------------ saved state */

bool smmu_pmcg_group_ok(const smmu_t *s, const smmu_pmcg_t *g) {
    const uint64_t max = ctr_max(s), bits = ctr_bits(s);
    const uint32_t sids = (uint32_t)smmu_bits_mask(s->p.sidsize);
    const uint32_t attr = SMMU_FMASK32(SMMU_F_IRQ_CFG2_MEMATTR) | SMMU_FMASK32(SMMU_F_IRQ_CFG2_SH);
    bool ok = !((g->cnten | g->inten | g->ovs) & ~bits);
    for (unsigned i = 0; i < s->p.pmcg_counters; i++)
        ok = ok && g->cntr[i] <= max && g->svr[i] <= max &&
             !(g->evtyper[i] & ~evtyper_mask(s, i)) && !(g->smr[i] & ~sids);
    return ok && !(g->cr & ~SMMU_FMASK32(SMMU_F_PMCG_CR_E)) &&
           !(g->irq_ctrl & ~SMMU_FMASK32(SMMU_F_PMCG_IRQ_CTRL_IRQEN)) &&
           !(g->irq_cfg0 & ~SMMU_FMASK64(SMMU_F_IRQ_CFG0_ADDR)) && !(g->irq_cfg2 & ~attr) &&
           !(g->irq_status & ~SMMU_FMASK32(SMMU_F_PMCG_IRQ_STATUS_IRQ_ABT)) &&
           !(g->scr & ~scr_mask(s)) && !(g->gmpam & ~gmpam_mask(s));
}

void smmu_pmcg_restored(smmu_t *s) {
    update_on(s);
}
