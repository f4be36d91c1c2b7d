/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The small driver: stream table entries (spec 5.1, 5.2) and context descriptor tables (5.3,
 * 5.4). Every change is followed by CMD_CFGI_STE / CMD_CFGI_CD and CMD_SYNC (spec 4.3). */
#include <stdlib.h>
#include <string.h>

#include "drv_priv.h"

#define L2_STES     256u        /* STRTAB_BASE_CFG.SPLIT = 8 */
#define L2_STE_SPAN 9u          /* L1STD.Span: 2^(Span-1) STEs */
#define CD_L2_LOG2  6u          /* S1Fmt 0b01: 4 KiB leaf tables of 64 CDs */
#define DRV_MAIR    0x4404FFull /* same as drv_domain.c: Normal WB, Device-nGnRE, Normal NC */

static drv_stream_t *stream_find(smmu_drv_t *d, uint32_t sid) {
    for (size_t i = 0; i < d->nstreams; i++)
        if (d->streams[i].sid == sid) return &d->streams[i];
    return NULL;
}

static drv_stream_t *stream_get(smmu_drv_t *d, uint32_t sid) {
    drv_stream_t *st = stream_find(d, sid);
    if (st) return st;
    if (d->nstreams == d->capstreams) {
        size_t n = d->capstreams ? 2 * d->capstreams : 16;
        drv_stream_t *s = realloc(d->streams, n * sizeof(*s));
        if (!s) return NULL;
        d->streams = s;
        d->capstreams = n;
    }
    st = &d->streams[d->nstreams++];
    memset(st, 0, sizeof(*st));
    st->sid = sid;
    return st;
}

/* Address of the STE of sid; in a 2-level table allocates and links its L2 table first. */
static int ste_addr(smmu_drv_t *d, uint32_t sid, uint64_t *pa) {
    const smmu_drv_info_t *in = &d->info;
    if (in->sid_bits < 32 && (sid >> in->sid_bits)) return SMMU_DRV_EINVAL;
    if (!in->st_2lvl) {
        *pa = in->strtab + (uint64_t)SMMU_STE_BYTES * sid;
        return 0;
    }
    size_t l1 = sid / L2_STES;
    if (!d->l2_strtab[l1]) {
        uint64_t sz = (uint64_t)SMMU_STE_BYTES * L2_STES;
        uint64_t l2 = drv_alloc(d, sz, sz);
        if (!l2) return SMMU_DRV_ENOMEM;
        uint64_t desc =
            SMMU_VSET_ADDR(SMMU_VSET(0, SMMU_F_L1STD_SPAN, L2_STE_SPAN), SMMU_F_L1STD_L2PTR, l2);
        if (drv_mem_wr64(d, in->strtab + (uint64_t)SMMU_L1STD_BYTES * l1, &desc, 1))
            return SMMU_DRV_EIO;
        d->l2_strtab[l1] = l2;
    }
    *pa = d->l2_strtab[l1] + (uint64_t)SMMU_STE_BYTES * (sid % L2_STES);
    return 0;
}

/* Writes the STE (V last, in dword 0) and makes the SMMU forget its old copy. */
static int ste_write(smmu_drv_t *d, uint32_t sid, const uint64_t ste[8]) {
    uint64_t pa;
    int err = ste_addr(d, sid, &pa);
    if (err) return err;
    if (drv_mem_wr64(d, pa + 8, ste + 1, 7) || drv_mem_wr64(d, pa, ste, 1)) return SMMU_DRV_EIO;
    if ((err = drv_cmd_cfgi_ste(d, sid))) return err;
    return smmu_drv_sync(d);
}

static uint64_t cd_table_size(unsigned ssid_bits, bool two_level) {
    if (two_level) return 8ull << (ssid_bits - CD_L2_LOG2); /* L1 descriptors */
    return (uint64_t)SMMU_CD_BYTES << ssid_bits;
}

static void cd_tables_free(smmu_drv_t *d, drv_stream_t *st) {
    if (st->cd_l2) {
        for (size_t i = 0; i < st->cd_l1_n; i++)
            drv_free(d, st->cd_l2[i], (uint64_t)SMMU_CD_BYTES << CD_L2_LOG2);
        free(st->cd_l2);
    }
    if (st->cd_table) {
        uint64_t sz = cd_table_size(st->ssid_bits, st->cd_2lvl);
        drv_free(d, st->cd_table, sz < 64 ? 64 : sz);
    }
    st->cd_l2 = NULL;
    st->cd_l1_n = 0;
    st->cd_table = 0;
}

/* A new, empty CD table for 2^ssid_bits SubstreamIDs (spec 5.3, 5.4). */
static int cd_tables_new(smmu_drv_t *d, drv_stream_t *st, unsigned ssid_bits) {
    st->ssid_bits = ssid_bits;
    st->cd_2lvl = d->info.cd_2lvl && ssid_bits > CD_L2_LOG2;
    uint64_t sz = cd_table_size(ssid_bits, st->cd_2lvl);
    if (sz < 64) sz = 64;
    if (st->cd_2lvl) {
        st->cd_l1_n = (size_t)1 << (ssid_bits - CD_L2_LOG2);
        st->cd_l2 = calloc(st->cd_l1_n, sizeof(uint64_t));
        if (!st->cd_l2) return SMMU_DRV_ENOMEM;
    }
    st->cd_table = drv_alloc(d, sz, sz);
    return st->cd_table ? 0 : SMMU_DRV_ENOMEM;
}

static int cd_addr(smmu_drv_t *d, drv_stream_t *st, uint32_t ssid, uint64_t *pa) {
    if (!st->cd_2lvl) {
        *pa = st->cd_table + (uint64_t)SMMU_CD_BYTES * ssid;
        return 0;
    }
    size_t l1 = ssid >> CD_L2_LOG2;
    if (!st->cd_l2[l1]) {
        uint64_t sz = (uint64_t)SMMU_CD_BYTES << CD_L2_LOG2;
        uint64_t l2 = drv_alloc(d, sz, sz);
        if (!l2) return SMMU_DRV_ENOMEM;
        uint64_t desc = SMMU_VSET_ADDR(SMMU_VSET(0, SMMU_F_L1CD_V, 1), SMMU_F_L1CD_L2PTR, l2);
        if (drv_mem_wr64(d, st->cd_table + (uint64_t)SMMU_L1CD_BYTES * l1, &desc, 1))
            return SMMU_DRV_EIO;
        st->cd_l2[l1] = l2;
    }
    *pa = st->cd_l2[l1] + (uint64_t)SMMU_CD_BYTES * (ssid & ((1u << CD_L2_LOG2) - 1));
    return 0;
}

/* CD of a stage-1 domain (spec 5.4): TTB0 walks, TTB1 disabled (EPD1). */
static void cd_build(const smmu_domain_t *dom, uint64_t cd[8]) {
    static const unsigned tg1[3] = {SMMU_CD_TG1_4K, SMMU_CD_TG1_16K, SMMU_CD_TG1_64K};
    memset(cd, 0, 8 * sizeof(uint64_t));
    if (!dom) return;
    unsigned tsz = 64 - dom->cfg.ias;
    SMMU_FSET(cd, SMMU_F_CD_T0SZ, tsz);
    SMMU_FSET(cd, SMMU_F_CD_TG0, drv_tg0(dom));
    SMMU_FSET(cd, SMMU_F_CD_IR0, SMMU_RGN_WB);
    SMMU_FSET(cd, SMMU_F_CD_OR0, SMMU_RGN_WB);
    SMMU_FSET(cd, SMMU_F_CD_SH0, SMMU_SH_ISH);
    SMMU_FSET(cd, SMMU_F_CD_T1SZ, tsz);
    SMMU_FSET(cd, SMMU_F_CD_TG1, tg1[dom->gshift == 12 ? 0 : dom->gshift == 14 ? 1 : 2]);
    SMMU_FSET(cd, SMMU_F_CD_EPD1, 1);
    SMMU_FSET(cd, SMMU_F_CD_IPS, (uint64_t)smmu_pa_size_enc(dom->cfg.oas));
    SMMU_FSET(cd, SMMU_F_CD_AA64, 1);
    SMMU_FSET(cd, SMMU_F_CD_R, 1);
    SMMU_FSET(cd, SMMU_F_CD_A, 1);
    SMMU_FSET(cd, SMMU_F_CD_ASET, 1);
    SMMU_FSET(cd, SMMU_F_CD_ASID, dom->cfg.id);
    SMMU_FSET(cd, SMMU_F_CD_HA, dom->httu);
    SMMU_FSET(cd, SMMU_F_CD_HD, dom->httu);
    SMMU_FSET_ADDR(cd, SMMU_F_CD_TTB0, dom->root);
    SMMU_FSET(cd, SMMU_F_CD_MAIR, DRV_MAIR);
    SMMU_FSET(cd, SMMU_F_CD_V, 1);
}

static int cd_write(smmu_drv_t *d, drv_stream_t *st, uint32_t ssid, const smmu_domain_t *dom,
                    bool sync) {
    uint64_t pa, cd[8];
    int err = cd_addr(d, st, ssid, &pa);
    if (err) return err;
    cd_build(dom, cd);
    if (drv_mem_wr64(d, pa + 8, cd + 1, 7) || drv_mem_wr64(d, pa, cd, 1)) return SMMU_DRV_EIO;
    if (!sync) return 0;
    if ((err = drv_cmd_cfgi_cd(d, st->sid, ssid))) return err;
    return smmu_drv_sync(d);
}

static void ste_s1(const drv_stream_t *st, unsigned s1dss, uint64_t ste[8]) {
    SMMU_FSET(ste, SMMU_F_STE_S1FMT, st->cd_2lvl ? SMMU_STE_S1FMT_2LVL_4K : SMMU_STE_S1FMT_LINEAR);
    SMMU_FSET_ADDR(ste, SMMU_F_STE_S1CONTEXTPTR, st->cd_table);
    SMMU_FSET(ste, SMMU_F_STE_S1CDMAX, st->ssid_bits);
    SMMU_FSET(ste, SMMU_F_STE_S1DSS, s1dss);
    SMMU_FSET(ste, SMMU_F_STE_S1CIR, SMMU_RGN_WB);
    SMMU_FSET(ste, SMMU_F_STE_S1COR, SMMU_RGN_WB);
    SMMU_FSET(ste, SMMU_F_STE_S1CSH, SMMU_SH_ISH);
}

static void ste_s2(const smmu_domain_t *dom, uint64_t ste[8]) {
    unsigned sl0 = dom->gshift == 12 ? 2 - dom->start : 3 - dom->start;
    SMMU_FSET(ste, SMMU_F_STE_S2VMID, dom->cfg.id);
    SMMU_FSET(ste, SMMU_F_STE_S2HA, dom->httu);
    SMMU_FSET(ste, SMMU_F_STE_S2HD, dom->httu);
    SMMU_FSET(ste, SMMU_F_STE_S2T0SZ, 64 - dom->cfg.ias);
    SMMU_FSET(ste, SMMU_F_STE_S2SL0, sl0);
    SMMU_FSET(ste, SMMU_F_STE_S2IR0, SMMU_RGN_WB);
    SMMU_FSET(ste, SMMU_F_STE_S2OR0, SMMU_RGN_WB);
    SMMU_FSET(ste, SMMU_F_STE_S2SH0, SMMU_SH_ISH);
    SMMU_FSET(ste, SMMU_F_STE_S2TG, drv_tg0(dom));
    SMMU_FSET(ste, SMMU_F_STE_S2PS, (uint64_t)smmu_pa_size_enc(dom->cfg.oas));
    SMMU_FSET(ste, SMMU_F_STE_S2AA64, 1);
    SMMU_FSET(ste, SMMU_F_STE_S2R, 1);
    SMMU_FSET_ADDR(ste, SMMU_F_STE_S2TTB, dom->root);
}

static void ste_base(uint8_t config, uint64_t ste[8]) {
    memset(ste, 0, 8 * sizeof(uint64_t));
    SMMU_FSET(ste, SMMU_F_STE_V, 1);
    SMMU_FSET(ste, SMMU_F_STE_CONFIG, config);
    SMMU_FSET(ste, SMMU_F_STE_SHCFG, SMMU_STE_SHCFG_INCOMING); /* bypass: incoming SH */
}

/* Installs ste for sid, then releases what the stream had before (old CD tables). */
static int stream_set(smmu_drv_t *d, uint32_t sid, const uint64_t ste[8], drv_stream_t *nst) {
    drv_stream_t *st = stream_get(d, sid);
    if (!st) return SMMU_DRV_ENOMEM;
    int err = ste_write(d, sid, ste);
    drv_stream_t old = *st;
    *st = *nst;
    st->sid = sid;
    cd_tables_free(d, &old);
    return err;
}

static int simple_attach(smmu_drv_t *d, uint32_t sid, uint8_t config, bool valid) {
    if (!d || !d->ready) return SMMU_DRV_EINVAL;
    uint64_t ste[8];
    ste_base(config, ste);
    if (!valid) memset(ste, 0, sizeof(ste));
    drv_stream_t nst = {.sid = sid, .config = config};
    return stream_set(d, sid, ste, &nst);
}

int smmu_drv_attach_abort(smmu_drv_t *d, uint32_t sid) {
    return simple_attach(d, sid, SMMU_STE_CONFIG_ABORT, true);
}

int smmu_drv_attach_bypass(smmu_drv_t *d, uint32_t sid) {
    return simple_attach(d, sid, SMMU_STE_CONFIG_BYPASS, true);
}

int smmu_drv_detach(smmu_drv_t *d, uint32_t sid) {
    return simple_attach(d, sid, SMMU_STE_CONFIG_ABORT, false);
}

static bool s1_args_ok(const smmu_drv_t *d, const smmu_domain_t *s1dom, unsigned ssid_bits,
                       unsigned s1dss) {
    if (s1dom && s1dom->cfg.stage != 1) return false;
    if (ssid_bits > d->info.ssid_bits || s1dss > SMMU_DRV_S1DSS_SSID0) return false;
    return true;
}

/* Stage 1 or nested: a new CD table with CD 0 = s1dom, then the STE. */
static int attach_cd(smmu_drv_t *d, uint32_t sid, smmu_domain_t *s1dom, unsigned ssid_bits,
                     unsigned s1dss, smmu_domain_t *s2dom) {
    if (!d->info.s1) return SMMU_DRV_ENOTSUP;
    drv_stream_t nst = {
        .sid = sid, .config = s2dom ? SMMU_STE_CONFIG_NESTED : SMMU_STE_CONFIG_S1, .s2dom = s2dom};
    int err = cd_tables_new(d, &nst, ssid_bits);
    if (!err && s1dom) {
        s1dom->tlbi_vmid = s2dom ? s2dom->cfg.id : 0;
        err = cd_write(d, &nst, 0, s1dom, false); /* not yet reachable: no CFGI needed */
    }
    if (err) {
        cd_tables_free(d, &nst);
        return err;
    }
    uint64_t ste[8];
    ste_base(nst.config, ste);
    ste_s1(&nst, s1dss, ste);
    if (s2dom) ste_s2(s2dom, ste);
    return stream_set(d, sid, ste, &nst);
}

int smmu_drv_attach_s1(smmu_drv_t *d, uint32_t sid, smmu_domain_t *dom, unsigned ssid_bits,
                       unsigned s1dss) {
    if (!d || !d->ready || !s1_args_ok(d, dom, ssid_bits, s1dss)) return SMMU_DRV_EINVAL;
    return attach_cd(d, sid, dom, ssid_bits, s1dss, NULL);
}

int smmu_drv_attach_s2(smmu_drv_t *d, uint32_t sid, smmu_domain_t *s2dom) {
    if (!d || !d->ready || !s2dom || s2dom->cfg.stage != 2) return SMMU_DRV_EINVAL;
    uint64_t ste[8];
    ste_base(SMMU_STE_CONFIG_S2, ste);
    ste_s2(s2dom, ste);
    drv_stream_t nst = {.sid = sid, .config = SMMU_STE_CONFIG_S2, .s2dom = s2dom};
    return stream_set(d, sid, ste, &nst);
}

int smmu_drv_attach_nested(smmu_drv_t *d, uint32_t sid, smmu_domain_t *s1dom, unsigned ssid_bits,
                           unsigned s1dss, smmu_domain_t *s2dom) {
    if (!d || !d->ready || !s2dom || s2dom->cfg.stage != 2 ||
        !s1_args_ok(d, s1dom, ssid_bits, s1dss))
        return SMMU_DRV_EINVAL;
    /* The CD table and stage-1 tables are fetched by IPA: make the pool IPA == PA. */
    int err = drv_domain_map_pool(d, s2dom);
    if (err) return err;
    return attach_cd(d, sid, s1dom, ssid_bits, s1dss, s2dom);
}

int smmu_drv_set_pasid(smmu_drv_t *d, uint32_t sid, uint32_t ssid, smmu_domain_t *dom) {
    if (!d || !d->ready || (dom && dom->cfg.stage != 1)) return SMMU_DRV_EINVAL;
    drv_stream_t *st = stream_find(d, sid);
    if (!st || (st->config != SMMU_STE_CONFIG_S1 && st->config != SMMU_STE_CONFIG_NESTED))
        return SMMU_DRV_ENOENT;
    if (st->ssid_bits < 32 && (ssid >> st->ssid_bits)) return SMMU_DRV_EINVAL;
    if (dom) dom->tlbi_vmid = st->s2dom ? st->s2dom->cfg.id : 0;
    return cd_write(d, st, ssid, dom, true);
}

/* ------------------------------------------------------------------ stall fault model */

/* CD.S of every valid CD of the stream (5.4); unallocated 2-level leaf tables are skipped. */
static int cds_set_stall(smmu_drv_t *d, drv_stream_t *st, bool stall) {
    for (uint32_t ssid = 0; ssid < (1u << st->ssid_bits); ssid++) {
        if (st->cd_2lvl && !st->cd_l2[ssid >> CD_L2_LOG2]) continue;
        uint64_t pa, dw0;
        int err = cd_addr(d, st, ssid, &pa);
        if (err) return err;
        if (drv_mem_rd64(d, pa, &dw0, 1)) return SMMU_DRV_EIO;
        if (!SMMU_VGET(dw0, SMMU_F_CD_V)) continue;
        dw0 = SMMU_VSET(dw0, SMMU_F_CD_S, stall);
        if (drv_mem_wr64(d, pa, &dw0, 1)) return SMMU_DRV_EIO;
    }
    uint64_t cmd[2] = {0, 0};
    SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_CFGI_CD_ALL);
    SMMU_FSET(cmd, SMMU_F_CMD_SID, st->sid);
    return smmu_drv_cmd(d, cmd);
}

/* Stall fault model (3.12.2): STE.S2S for stage 2 (5.2) and CD.S for stage 1 (5.4). */
int smmu_drv_set_stall(smmu_drv_t *d, uint32_t sid, bool stall) {
    if (!d || !d->ready) return SMMU_DRV_EINVAL;
    if (stall && SMMU_VGET(d->info.idr0, SMMU_F_IDR0_STALL_MODEL) == SMMU_STALL_MODEL_TERMINATE)
        return SMMU_DRV_ENOTSUP;
    drv_stream_t *st = stream_find(d, sid);
    if (!st || st->config == SMMU_STE_CONFIG_ABORT || st->config == SMMU_STE_CONFIG_BYPASS)
        return SMMU_DRV_ENOENT;
    uint64_t pa, ste[8];
    int err = ste_addr(d, sid, &pa);
    if (err) return err;
    if (drv_mem_rd64(d, pa, ste, 8)) return SMMU_DRV_EIO;
    if ((st->config & SMMU_STE_CONFIG_S1_BIT) && (err = cds_set_stall(d, st, stall))) return err;
    if (st->config & SMMU_STE_CONFIG_S2_BIT) SMMU_FSET(ste, SMMU_F_STE_S2S, stall);
    return ste_write(d, sid, ste);
}
