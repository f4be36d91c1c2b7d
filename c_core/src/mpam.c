/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* MPAM labels (spec chapter 17): client transactions (17.2, 17.3), the VMS PARTID_MAP of nested
 * streams with STE.S1MPAM (5.6) and SMMU-originated accesses (17.4), for both programming
 * interfaces: the Secure one takes its labels from its own smmu_mpam_regs_t (S_GMPAM,
 * S_GBPMPAM) and Secure streams from their STE, in Secure PARTID space with the maxima of
 * SMMU_S_MPAMIDR, unless S_MPAMIDR.HAS_MPAM_NS and the governing MPAM_NS bit choose the
 * Non-secure space and SMMU_MPAMIDR's maxima (17.7). */
#include "mpam.h"

#include "hostmem.h"
#include "regfile.h"

smmu_mpam_t smmu_mpam_label_w(const smmu_t *s, bool ns, unsigned partid, unsigned pmg) {
    if (!s->p.mpam) return (smmu_mpam_t){0};
    const unsigned pmax = ns ? s->p.mpam_partid_max : s->p.mpam_s_partid_max;
    const unsigned gmax = ns ? s->p.mpam_pmg_max : s->p.mpam_s_pmg_max;
    return (smmu_mpam_t){.partid = (uint16_t)(partid > pmax ? 0 : partid),
                         .pmg = (uint8_t)(pmg > gmax ? 0 : pmg),
                         .ns = ns};
}

smmu_mpam_t smmu_mpam_label(const smmu_t *s, unsigned partid, unsigned pmg) {
    return smmu_mpam_label_w(s, true, partid, pmg); /* 17.7: Non-secure state, space */
}

smmu_mpam_t smmu_mpam_ste_label(const smmu_t *s, const smmu_stecfg_t *c, unsigned partid,
                                unsigned pmg) {
    return smmu_mpam_label_w(s, c->mpam_ns, partid, pmg);
}

/* The label of a (S_)GMPAM / (S_)GBPMPAM value g of the world sec (the field positions of both
   registers are the same, 6.3.42, 6.3.43, 6.3.88, 6.3.89): the Secure registers' MPAM_NS is
   kept only with HAS_MPAM_NS (regs.c). */
static smmu_mpam_t reg_label(const smmu_t *s, bool sec, uint32_t g) {
    return smmu_mpam_label_w(s, !sec || SMMU_VGET(g, SMMU_F_GMPAM_MPAM_NS),
                             (unsigned)SMMU_VGET(g, SMMU_F_GMPAM_SO_PARTID),
                             (unsigned)SMMU_VGET(g, SMMU_F_GMPAM_SO_PMG));
}

smmu_mpam_t smmu_mpam_so(const smmu_t *s, bool sec) {
    return reg_label(s, sec, smmu_bank_c(s, sec)->mpam.gmpam);
}

smmu_mpam_t smmu_mpam_gbp(const smmu_t *s, bool sec) {
    return reg_label(s, sec, smmu_bank_c(s, sec)->mpam.gbpmpam);
}

bool smmu_mpam_vms_supported(const smmu_t *s) {
    /* 5.6.1: IDR3.MPAM, S1P, S2P and (Non-secure) MPAMIDR.PARTID_MAX != 0 */
    return s->p.mpam && s->p.s1 && s->p.s2 && s->p.mpam_partid_max != 0;
}

bool smmu_mpam_vms_enabled(const smmu_t *s, const smmu_stecfg_t *c) {
    /* 5.2 VMSPtr: Config == 0b111 and S1MPAM == 1 (STE.MPAM_NS selects Non-secure PARTID space,
       whose PARTID_MAX is non-zero when the VMS is supported) */
    return smmu_mpam_vms_supported(s) && c->config == SMMU_STE_CONFIG_NESTED && c->s1mpam;
}

/* VMS.PARTID_MAP[vpartid] (5.6): a 16-bit little-endian entry, read with the STE's access
   attributes (5.6) and GMPAM's label (17.4 lists the VMS with no row of its own; it is fetched
   like the STE, so the world's GMPAM and not STE.MPAM_NS: 5.2 MPAM_NS). Not cached: each full
   translation that needs it reads it (5.6.2 permits and does not require caching), so
   CMD_CFGI_VMS_PIDM has no separate PARTID_MAP cache to clear. */
static int vms_map(smmu_t *s, smmu_xctx_t *x, const smmu_stecfg_t *c, unsigned vpartid,
                   uint16_t *partid, smmu_fault_t *f) {
    const uint64_t pa = c->vmsptr + 2u * (vpartid % SMMU_VMS_PARTID_MAP_ENTRIES);
    uint8_t b[2];
    x->reads++;
    smmu_mpam_io(s, smmu_mpam_so(s, x->sec));
    if (smmu_mem_rd(s, pa, b, sizeof(b))) {
        *f = (smmu_fault_t){.type = SMMU_EVT_F_VMS_FETCH, .fetch_addr = pa};
        return -1;
    }
    *partid = (uint16_t)(b[0] | b[1] << 8);
    return 0;
}

int smmu_mpam_stream(smmu_t *s, smmu_xctx_t *x, const smmu_stecfg_t *c, const smmu_s1cfg_t *s1,
                     smmu_mpam_t *m, smmu_fault_t *f) {
    if (!s->p.mpam) {
        *m = (smmu_mpam_t){0};
        return 0;
    }
    /* 17.2: stage 1 not performed, or S1MPAM == 0: the STE's PARTID and PMG */
    if (!s1 || !c->s1mpam) {
        *m = smmu_mpam_ste_label(s, c, c->partid, c->pmg);
        return 0;
    }
    unsigned partid = s1->partid;
    if (c->config == SMMU_STE_CONFIG_NESTED) { /* CD.PARTID[4:0] is virtual (5.4 PARTID) */
        uint16_t p;
        if (vms_map(s, x, c, s1->partid & (SMMU_VMS_PARTID_MAP_ENTRIES - 1), &p, f)) return -1;
        partid = p;
    }
    *m = smmu_mpam_ste_label(s, c, partid, s1->pmg); /* CD and VMS: the STE's space (17.7) */
    return 0;
}

bool smmu_mem_mpam(const smmu_t *s, smmu_mpam_t *m) {
    *m = s->mpam_io ? s->mpam_cur : smmu_mpam_so(s, s->mpam_sec);
    return s->p.mpam;
}
