/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The small driver: SMMU access ops, pool allocator, initialization (spec 3.11), the command
 * queue writer (spec 3.5, 4), the event queue reader (spec 7) and the traffic wrappers. */
#include <stdlib.h>
#include <string.h>

#include "drv_priv.h"

const char *smmu_drv_strerror(int err) {
    switch (err) {
    case SMMU_DRV_OK:
        return "ok";
    case SMMU_DRV_ENOMEM:
        return "out of table memory";
    case SMMU_DRV_EINVAL:
        return "invalid argument";
    case SMMU_DRV_ETIMEDOUT:
        return "SMMU did not respond";
    case SMMU_DRV_ECERROR:
        return "command error";
    case SMMU_DRV_EEXIST:
        return "already mapped";
    case SMMU_DRV_ENOTSUP:
        return "not supported by this SMMU";
    case SMMU_DRV_ENOENT:
        return "not found";
    case SMMU_DRV_EIO:
        return "memory access failed";
    default:
        return "unknown error";
    }
}

/* ------------------------------------------------------------------ SMMU and memory access */
uint64_t drv_rd(smmu_drv_t *d, uint64_t off, unsigned size) {
    return d->ops.reg_read(d->ops.ctx, off, size);
}

void drv_wr(smmu_drv_t *d, uint64_t off, uint64_t v, unsigned size) {
    d->ops.reg_write(d->ops.ctx, off, v, size);
}

/* Structures in memory are little-endian (spec 3.3). */
int drv_mem_rd64(smmu_drv_t *d, uint64_t pa, uint64_t *dw, unsigned n) {
    uint8_t b[64];
    if (n > 8 || d->ops.mem_read(d->ops.ctx, pa, b, 8u * n)) return SMMU_DRV_EIO;
    for (unsigned i = 0; i < n; i++) {
        uint64_t v = 0;
        for (int j = 7; j >= 0; j--)
            v = (v << 8) | b[8 * i + (unsigned)j];
        dw[i] = v;
    }
    return 0;
}

int drv_mem_wr64(smmu_drv_t *d, uint64_t pa, const uint64_t *dw, unsigned n) {
    uint8_t b[64];
    if (n > 8) return SMMU_DRV_EINVAL;
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < 8; j++)
            b[8 * i + j] = (uint8_t)(dw[i] >> (8 * j));
    return d->ops.mem_write(d->ops.ctx, pa, b, 8u * n) ? SMMU_DRV_EIO : 0;
}

/* Ops of a direct driver: ctx is the driver itself. With a deferred command queue the SMMU
   makes progress while software polls, as hardware would. */
static uint64_t direct_reg_read(void *ctx, uint64_t off, unsigned size) {
    smmu_drv_t *d = ctx;
    if (smmu_params(d->smmu)->defer_cmdq) smmu_cmdq_run(d->smmu, 0);
    return smmu_reg_read(d->smmu, off, size);
}

static void direct_reg_write(void *ctx, uint64_t off, uint64_t val, unsigned size) {
    smmu_drv_t *d = ctx;
    smmu_reg_write(d->smmu, off, val, size);
}

static int direct_mem_read(void *ctx, uint64_t pa, void *buf, size_t len) {
    smmu_drv_t *d = ctx;
    return smmu_mem_read(d->mem, pa, buf, len);
}

static int direct_mem_write(void *ctx, uint64_t pa, const void *buf, size_t len) {
    smmu_drv_t *d = ctx;
    return smmu_mem_write(d->mem, pa, buf, len);
}

/* ------------------------------------------------------------------ lifecycle */
smmu_drv_t *smmu_drv_new(const smmu_drv_ops_t *ops, const smmu_drv_config_t *cfg) {
    if (!ops || !cfg || !ops->reg_read || !ops->reg_write || !ops->mem_read || !ops->mem_write)
        return NULL;
    if (cfg->pool_base == 0 || cfg->pool_size == 0 ||
        cfg->pool_base + cfg->pool_size < cfg->pool_base)
        return NULL;
    smmu_drv_t *d = calloc(1, sizeof(*d));
    if (!d) return NULL;
    d->ops = *ops;
    d->cfg = *cfg;
    if (!d->cfg.poll_limit) d->cfg.poll_limit = 100000;
    d->pool_next = cfg->pool_base;
    return d;
}

smmu_drv_t *smmu_drv_new_direct(smmu_t *s, smmu_mem_t *m, uint64_t pool_base, uint64_t pool_size) {
    if (!s || !m) return NULL;
    smmu_drv_ops_t ops = {NULL, direct_reg_read, direct_reg_write, direct_mem_read,
                          direct_mem_write};
    smmu_drv_config_t cfg = {0};
    cfg.pool_base = pool_base;
    cfg.pool_size = pool_size;
    smmu_drv_t *d = smmu_drv_new(&ops, &cfg);
    if (!d) return NULL;
    d->ops.ctx = d;
    d->smmu = s;
    d->mem = m;
    return d;
}

void smmu_drv_free(smmu_drv_t *d) {
    if (!d) return;
    while (d->domains)
        smmu_drv_domain_free(d, d->domains);
    for (size_t i = 0; i < d->nstreams; i++)
        free(d->streams[i].cd_l2);
    free(d->streams);
    free(d->l2_strtab);
    free(d->free_blks);
    drv_fault_free(d);
    free(d);
}

/* ------------------------------------------------------------------ pool allocator */
static int drv_zero(smmu_drv_t *d, uint64_t pa, uint64_t size) {
    static const uint8_t zeros[4096];
    while (size) {
        size_t n = size > sizeof(zeros) ? sizeof(zeros) : (size_t)size;
        if (d->ops.mem_write(d->ops.ctx, pa, zeros, n)) return SMMU_DRV_EIO;
        pa += n;
        size -= n;
    }
    return 0;
}

uint64_t drv_alloc(smmu_drv_t *d, uint64_t size, uint64_t align) {
    uint64_t pa = 0;
    for (size_t i = 0; i < d->nfree; i++) {
        if (d->free_blks[i].size == size && (d->free_blks[i].pa & (align - 1)) == 0) {
            pa = d->free_blks[i].pa;
            d->free_blks[i] = d->free_blks[--d->nfree];
            break;
        }
    }
    if (!pa) {
        uint64_t a = (d->pool_next + align - 1) & ~(align - 1);
        uint64_t end = d->cfg.pool_base + d->cfg.pool_size;
        if (a < d->pool_next || a > end || size > end - a) return 0;
        pa = a;
        d->pool_next = a + size;
    }
    if (drv_zero(d, pa, size)) {
        drv_free(d, pa, size);
        return 0;
    }
    return pa;
}

void drv_free(smmu_drv_t *d, uint64_t pa, uint64_t size) {
    if (!pa) return;
    if (d->nfree == d->capfree) {
        size_t n = d->capfree ? 2 * d->capfree : 16;
        drv_free_blk_t *f = realloc(d->free_blks, n * sizeof(*f));
        if (!f) return; /* the block is leaked from the pool, nothing worse */
        d->free_blks = f;
        d->capfree = n;
    }
    d->free_blks[d->nfree].pa = pa;
    d->free_blks[d->nfree].size = size;
    d->nfree++;
}

/* ------------------------------------------------------------------ command queue (3.5, 4) */
uint32_t drv_q_mask(unsigned log2) { /* index plus wrap bit */
    return (2u << log2) - 1;
}

/* A stopped command queue (GERROR.CMDQ_ERR active, spec 7.1): remember CERROR, replace the faulty
   command by a CMD_SYNC so that processing can go on, acknowledge, and restart. */
static bool cmdq_error(smmu_drv_t *d) {
    uint32_t g = (uint32_t)drv_rd(d, SMMU_GERROR, 4), gn = (uint32_t)drv_rd(d, SMMU_GERRORN, 4);
    if (!((g ^ gn) & SMMU_GERROR_CMDQ_ERR)) return false;
    uint32_t cons = (uint32_t)drv_rd(d, SMMU_CMDQ_CONS, 4);
    d->cerror = (unsigned)SMMU_VGET(cons, SMMU_F_CMDQ_CONS_ERR);
    uint64_t nop[2] = {0, 0};
    SMMU_FSET(nop, SMMU_F_CMD_OPCODE, SMMU_CMD_SYNC);
    uint32_t idx = smmu_q_index(cons, d->info.cmdq_log2);
    (void)drv_mem_wr64(d, d->info.cmdq + (uint64_t)SMMU_CMD_BYTES * idx, nop, 2);
    drv_wr(d, SMMU_GERRORN, gn ^ SMMU_GERROR_CMDQ_ERR, 4);
    drv_wr(d, SMMU_CMDQ_PROD, d->cmdq_prod, 4);
    return true;
}

static bool cmdq_full(const smmu_drv_t *d, uint32_t cons) {
    return ((d->cmdq_prod ^ cons) & drv_q_mask(d->info.cmdq_log2)) == (1u << d->info.cmdq_log2);
}

int smmu_drv_cmd(smmu_drv_t *d, const uint64_t cmd[2]) {
    if (!d || !cmd || !d->info.cmdq) return SMMU_DRV_EINVAL;
    int err = 0;
    unsigned polls = 0;
    while (cmdq_full(d, (uint32_t)drv_rd(d, SMMU_CMDQ_CONS, 4))) {
        if (cmdq_error(d)) err = SMMU_DRV_ECERROR;
        if (++polls >= d->cfg.poll_limit) return SMMU_DRV_ETIMEDOUT;
    }
    uint32_t idx = smmu_q_index(d->cmdq_prod, d->info.cmdq_log2);
    if (drv_mem_wr64(d, d->info.cmdq + (uint64_t)SMMU_CMD_BYTES * idx, cmd, 2)) return SMMU_DRV_EIO;
    d->cmdq_prod = (d->cmdq_prod + 1) & drv_q_mask(d->info.cmdq_log2);
    drv_wr(d, SMMU_CMDQ_PROD, d->cmdq_prod, 4);
    return err;
}

int smmu_drv_sync(smmu_drv_t *d) {
    uint64_t cmd[2] = {0, 0};
    SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_SYNC);
    SMMU_FSET(cmd, SMMU_F_CMD_SYNC_CS, SMMU_CMD_SYNC_CS_NONE); /* completion: CONS passes it */
    int err = smmu_drv_cmd(d, cmd);
    if (err && err != SMMU_DRV_ECERROR) return err;
    for (unsigned polls = 0; polls < d->cfg.poll_limit; polls++) {
        uint32_t cons = (uint32_t)drv_rd(d, SMMU_CMDQ_CONS, 4);
        if (((cons ^ d->cmdq_prod) & drv_q_mask(d->info.cmdq_log2)) == 0) return err;
        if (cmdq_error(d)) err = SMMU_DRV_ECERROR;
    }
    return SMMU_DRV_ETIMEDOUT;
}

unsigned smmu_drv_cerror(const smmu_drv_t *d) {
    return d ? d->cerror : 0;
}

int drv_cmd_cfgi_ste(smmu_drv_t *d, uint32_t sid) {
    uint64_t cmd[2] = {0, 0};
    SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_CFGI_STE);
    SMMU_FSET(cmd, SMMU_F_CMD_SID, sid);
    SMMU_FSET(cmd, SMMU_F_CMD_LEAF, 0); /* the L1 descriptor may have changed too */
    return smmu_drv_cmd(d, cmd);
}

int drv_cmd_cfgi_cd(smmu_drv_t *d, uint32_t sid, uint32_t ssid) {
    uint64_t cmd[2] = {0, 0};
    SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_CFGI_CD);
    SMMU_FSET(cmd, SMMU_F_CMD_SID, sid);
    SMMU_FSET(cmd, SMMU_F_CMD_SSID, ssid);
    SMMU_FSET(cmd, SMMU_F_CMD_LEAF, 0);
    return smmu_drv_cmd(d, cmd);
}

/* ------------------------------------------------------------------ initialization (3.11) */
static int cr0_set(smmu_drv_t *d, uint32_t v) {
    drv_wr(d, SMMU_CR0, v, 4);
    for (unsigned polls = 0; polls < d->cfg.poll_limit; polls++)
        if ((uint32_t)drv_rd(d, SMMU_CR0ACK, 4) == v) return 0;
    return SMMU_DRV_ETIMEDOUT;
}

static unsigned umin(unsigned a, unsigned b) {
    return a < b ? a : b;
}

/* Decodes the ID registers into info (spec 6.3.1, 6.3.2, 6.3.6). */
static int read_idrs(smmu_drv_t *d) {
    smmu_drv_info_t *in = &d->info;
    in->idr0 = (uint32_t)drv_rd(d, SMMU_IDR0, 4);
    in->idr1 = (uint32_t)drv_rd(d, SMMU_IDR1, 4);
    in->idr5 = (uint32_t)drv_rd(d, SMMU_IDR5, 4);
    if (!(SMMU_VGET(in->idr0, SMMU_F_IDR0_TTF) & SMMU_IDR0_TTF_AARCH64))
        return SMMU_DRV_ENOTSUP; /* no AArch64 tables */
    in->s1 = SMMU_VGET(in->idr0, SMMU_F_IDR0_S1P);
    in->s2 = SMMU_VGET(in->idr0, SMMU_F_IDR0_S2P);
    in->st_2lvl = SMMU_VGET(in->idr0, SMMU_F_IDR0_ST_LEVEL) == SMMU_IDR0_ST_LEVEL_2LVL;
    in->cd_2lvl = in->st_2lvl;
    in->asid_bits = SMMU_VGET(in->idr0, SMMU_F_IDR0_ASID16) ? 16 : 8;
    in->vmid_bits = SMMU_VGET(in->idr0, SMMU_F_IDR0_VMID16) ? 16 : 8;
    in->ssid_bits = (unsigned)SMMU_VGET(in->idr1, SMMU_F_IDR1_SSIDSIZE);
    in->oas_bits = smmu_pa_size_bits((unsigned)SMMU_VGET(in->idr5, SMMU_F_IDR5_OAS));
    if (!in->oas_bits) in->oas_bits = 48; /* Reserved encoding */
    in->gran4k = SMMU_VGET(in->idr5, SMMU_F_IDR5_GRAN4K);
    in->gran16k = SMMU_VGET(in->idr5, SMMU_F_IDR5_GRAN16K);
    in->gran64k = SMMU_VGET(in->idr5, SMMU_F_IDR5_GRAN64K);
    unsigned sidsize = (unsigned)SMMU_VGET(in->idr1, SMMU_F_IDR1_SIDSIZE);
    unsigned want = d->cfg.sid_bits ? umin(d->cfg.sid_bits, sidsize) : sidsize;
    /* 2-level when the SID space is large; L1 capped at 2^16 descriptors (512 KiB). */
    if (in->st_2lvl && !d->cfg.force_linear && want > 10) {
        in->sid_bits = umin(want, 24);
    } else {
        in->st_2lvl = false;
        in->sid_bits = umin(want, 16);
    }
    unsigned cq = d->cfg.cmdq_log2 ? d->cfg.cmdq_log2 : 8;
    unsigned eq = d->cfg.eventq_log2 ? d->cfg.eventq_log2 : 7;
    in->cmdq_log2 = umin(cq, (unsigned)SMMU_VGET(in->idr1, SMMU_F_IDR1_CMDQS));
    in->eventq_log2 = umin(eq, (unsigned)SMMU_VGET(in->idr1, SMMU_F_IDR1_EVENTQS));
    in->pri = SMMU_VGET(in->idr0, SMMU_F_IDR0_PRI);
    unsigned pq = d->cfg.priq_log2 ? d->cfg.priq_log2 : 7;
    in->priq_log2 = in->pri ? umin(pq, (unsigned)SMMU_VGET(in->idr1, SMMU_F_IDR1_PRIQS)) : 0;
    return 0;
}

static uint64_t max64(uint64_t a, uint64_t b) {
    return a > b ? a : b;
}

/* Stream table (spec 5.1, 6.3.24, 6.3.25): linear, or 2-level with SPLIT 8 and L2 tables of
   256 STEs allocated when a StreamID in their span is first attached. */
static int build_strtab(smmu_drv_t *d) {
    smmu_drv_info_t *in = &d->info;
    uint32_t cfg = 0;
    cfg = (uint32_t)SMMU_VSET(cfg, SMMU_F_STRTAB_BASE_CFG_LOG2SIZE, in->sid_bits);
    uint64_t size;
    if (in->st_2lvl) {
        d->l1_n = (size_t)1 << (in->sid_bits > 8 ? in->sid_bits - 8 : 0);
        size = (uint64_t)SMMU_L1STD_BYTES * d->l1_n;
        d->l2_strtab = calloc(d->l1_n, sizeof(uint64_t));
        if (!d->l2_strtab) return SMMU_DRV_ENOMEM;
        cfg = (uint32_t)SMMU_VSET(cfg, SMMU_F_STRTAB_BASE_CFG_FMT, SMMU_STRTAB_BASE_CFG_FMT_2LVL);
        cfg = (uint32_t)SMMU_VSET(cfg, SMMU_F_STRTAB_BASE_CFG_SPLIT, 8);
    } else {
        size = 64ull << in->sid_bits;
    }
    in->strtab = drv_alloc(d, size, max64(64, size));
    if (!in->strtab) return SMMU_DRV_ENOMEM;
    uint64_t base = SMMU_VSET_ADDR(0, SMMU_F_STRTAB_BASE_ADDR, in->strtab);
    base = SMMU_VSET(base, SMMU_F_STRTAB_BASE_RA, 1);
    drv_wr(d, SMMU_STRTAB_BASE, base, 8);
    drv_wr(d, SMMU_STRTAB_BASE_CFG, cfg, 4);
    return 0;
}

/* PRI queue (spec 6.3.33, chapter 8), only when IDR0.PRI: the driver keeps working without. */
static int build_priq(smmu_drv_t *d) {
    smmu_drv_info_t *in = &d->info;
    uint64_t size = (uint64_t)SMMU_PRI_BYTES << in->priq_log2;
    in->priq = drv_alloc(d, size, max64(32, size));
    if (!in->priq) return SMMU_DRV_ENOMEM;
    uint64_t pb = SMMU_VSET_ADDR(0, SMMU_F_Q_BASE_ADDR, in->priq);
    pb = SMMU_VSET(pb, SMMU_F_Q_BASE_LOG2SIZE, in->priq_log2);
    pb = SMMU_VSET(pb, SMMU_F_PRIQ_BASE_WA, 1);
    drv_wr(d, SMMU_PRIQ_BASE, pb, 8);
    drv_wr(d, SMMU_PRIQ_PROD, 0, 4);
    drv_wr(d, SMMU_PRIQ_CONS, 0, 4);
    return 0;
}

static int build_queues(smmu_drv_t *d) {
    smmu_drv_info_t *in = &d->info;
    uint64_t csize = (uint64_t)SMMU_CMD_BYTES << in->cmdq_log2;
    uint64_t esize = (uint64_t)SMMU_EVT_BYTES << in->eventq_log2;
    in->cmdq = drv_alloc(d, csize, max64(32, csize));
    in->eventq = drv_alloc(d, esize, max64(32, esize));
    if (!in->cmdq || !in->eventq) return SMMU_DRV_ENOMEM;
    uint64_t cb = SMMU_VSET_ADDR(0, SMMU_F_Q_BASE_ADDR, in->cmdq);
    cb = SMMU_VSET(cb, SMMU_F_Q_BASE_LOG2SIZE, in->cmdq_log2);
    cb = SMMU_VSET(cb, SMMU_F_CMDQ_BASE_RA, 1);
    drv_wr(d, SMMU_CMDQ_BASE, cb, 8);
    drv_wr(d, SMMU_CMDQ_PROD, 0, 4);
    drv_wr(d, SMMU_CMDQ_CONS, 0, 4);
    uint64_t eb = SMMU_VSET_ADDR(0, SMMU_F_Q_BASE_ADDR, in->eventq);
    eb = SMMU_VSET(eb, SMMU_F_Q_BASE_LOG2SIZE, in->eventq_log2);
    eb = SMMU_VSET(eb, SMMU_F_EVENTQ_BASE_WA, 1);
    drv_wr(d, SMMU_EVENTQ_BASE, eb, 8);
    drv_wr(d, SMMU_EVENTQ_PROD, 0, 4);
    drv_wr(d, SMMU_EVENTQ_CONS, 0, 4);
    d->cmdq_prod = 0;
    d->evtq_cons = 0;
    d->priq_cons = 0;
    return in->pri ? build_priq(d) : 0;
}

/* Invalidate all cached configuration and TLB entries before enabling translation (3.11). */
static int invalidate_all(smmu_drv_t *d) {
    uint64_t cmd[2] = {0, 0};
    SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_CFGI_ALL);
    SMMU_FSET(cmd, SMMU_F_CMD_RANGE, SMMU_CMD_RANGE_ALL);
    int err = smmu_drv_cmd(d, cmd);
    if (err) return err;
    cmd[0] = cmd[1] = 0;
    SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_TLBI_NSNH_ALL);
    if ((err = smmu_drv_cmd(d, cmd))) return err;
    if (SMMU_VGET(d->info.idr0, SMMU_F_IDR0_HYP)) {
        cmd[0] = cmd[1] = 0;
        SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_TLBI_EL2_ALL);
        if ((err = smmu_drv_cmd(d, cmd))) return err;
    }
    return smmu_drv_sync(d);
}

int smmu_drv_init(smmu_drv_t *d) {
    if (!d || d->ready || d->info.strtab) return SMMU_DRV_EINVAL;
    int err = read_idrs(d);
    if (err) return err;
    if ((uint32_t)drv_rd(d, SMMU_CR0, 4) && (err = cr0_set(d, 0))) return err;
    uint32_t cr1 = 0;
    /* write-back cacheable, inner shareable */
    cr1 = (uint32_t)SMMU_VSET(cr1, SMMU_F_CR1_QUEUE_IC, SMMU_RGN_WB);
    cr1 = (uint32_t)SMMU_VSET(cr1, SMMU_F_CR1_QUEUE_OC, SMMU_RGN_WB);
    cr1 = (uint32_t)SMMU_VSET(cr1, SMMU_F_CR1_QUEUE_SH, SMMU_SH_ISH);
    cr1 = (uint32_t)SMMU_VSET(cr1, SMMU_F_CR1_TABLE_IC, SMMU_RGN_WB);
    cr1 = (uint32_t)SMMU_VSET(cr1, SMMU_F_CR1_TABLE_OC, SMMU_RGN_WB);
    cr1 = (uint32_t)SMMU_VSET(cr1, SMMU_F_CR1_TABLE_SH, SMMU_SH_ISH);
    drv_wr(d, SMMU_CR1, cr1, 4);
    drv_wr(d, SMMU_CR2, SMMU_VSET(SMMU_VSET(0, SMMU_F_CR2_RECINVSID, 1), SMMU_F_CR2_PTM, 1), 4);
    if ((err = build_strtab(d)) || (err = build_queues(d))) return err;
    uint32_t cr0 = SMMU_CR0_CMDQEN;
    if ((err = cr0_set(d, cr0))) return err;
    if ((err = invalidate_all(d))) return err;
    cr0 |= SMMU_CR0_EVENTQEN | (d->info.pri ? SMMU_CR0_PRIQEN : 0u);
    if ((err = cr0_set(d, cr0))) return err;
    cr0 |= SMMU_CR0_SMMUEN;
    if ((err = cr0_set(d, cr0))) return err;
    d->ready = true;
    return 0;
}

void smmu_drv_info(const smmu_drv_t *d, smmu_drv_info_t *info) {
    *info = d->info;
    info->pool_used = d->pool_next - d->cfg.pool_base;
}

/* ------------------------------------------------------------------ event queue (7) */
static void decode_event(const uint64_t rec[4], smmu_drv_event_t *ev) {
    memset(ev, 0, sizeof(*ev));
    memcpy(ev->raw, rec, sizeof(ev->raw));
    ev->type = (uint8_t)SMMU_FGET(rec, SMMU_F_EVT_TYPE);
    ev->name = smmu_event_name(ev->type);
    ev->ssv = SMMU_FGET(rec, SMMU_F_EVT_SSV);
    ev->ssid = (uint32_t)SMMU_FGET(rec, SMMU_F_EVT_SSID);
    ev->sid = (uint32_t)SMMU_FGET(rec, SMMU_F_EVT_SID);
    ev->stag = (uint16_t)SMMU_FGET(rec, SMMU_F_EVT_STAG);
    ev->stall = SMMU_FGET(rec, SMMU_F_EVT_STALL);
    ev->pnu = SMMU_FGET(rec, SMMU_F_EVT_PNU);
    ev->ind = SMMU_FGET(rec, SMMU_F_EVT_IND);
    ev->rnw = SMMU_FGET(rec, SMMU_F_EVT_RNW);
    ev->s2 = SMMU_FGET(rec, SMMU_F_EVT_S2);
    ev->cls = (uint8_t)SMMU_FGET(rec, SMMU_F_EVT_CLASS);
    ev->ttrnw = SMMU_FGET(rec, SMMU_F_EVT_TTRNW);
    ev->addr = SMMU_FGET(rec, SMMU_F_EVT_INPUTADDR);
    switch (ev->type) {
    case SMMU_EVT_F_STE_FETCH:
    case SMMU_EVT_F_CD_FETCH:
    case SMMU_EVT_F_WALK_EABT:
    case SMMU_EVT_F_VMS_FETCH:
        ev->fetch_addr = SMMU_FADDR(rec, SMMU_F_EVT_FETCHADDR);
        break;
    default:
        ev->ipa = SMMU_FADDR(rec, SMMU_F_EVT_IPA);
        break;
    }
}

int drv_q_pop(smmu_drv_t *d, const drv_outq_t *q, uint32_t *cons, uint64_t *rec) {
    uint32_t prod = (uint32_t)drv_rd(d, q->prod_reg, 4);
    uint32_t m = drv_q_mask(q->log2);
    if (((prod ^ *cons) & m) == 0) return SMMU_DRV_ENOENT;
    uint32_t idx = smmu_q_index(*cons, q->log2);
    if (drv_mem_rd64(d, q->base + 8ull * q->words * idx, rec, q->words)) return SMMU_DRV_EIO;
    *cons = (*cons + 1) & m;
    /* OVACKFLG := OVFLG acknowledges an overflow (spec 7.4, 8.1). */
    drv_wr(d, q->cons_reg, *cons | (prod & SMMU_Q_OVFLG), 4);
    return 0;
}

int drv_read_event(smmu_drv_t *d, smmu_drv_event_t *ev) {
    const drv_outq_t q = {SMMU_EVENTQ_PROD, SMMU_EVENTQ_CONS, d->info.eventq, d->info.eventq_log2,
                          4};
    uint64_t rec[4];
    int err = drv_q_pop(d, &q, &d->evtq_cons, rec);
    if (err == 0) decode_event(rec, ev);
    return err;
}

int smmu_drv_next_event(smmu_drv_t *d, smmu_drv_event_t *ev) {
    if (!d || !ev || !d->info.eventq) return SMMU_DRV_EINVAL;
    if (drv_evbuf_pop(d, ev)) return 0;
    int err = drv_read_event(d, ev);
    if (!err && ev->stall) err = drv_stall_add(d, ev);
    return err;
}

bool smmu_drv_event_overflow(smmu_drv_t *d) {
    uint32_t prod = (uint32_t)drv_rd(d, SMMU_EVENTQ_PROD, 4);
    uint32_t cons = (uint32_t)drv_rd(d, SMMU_EVENTQ_CONS, 4);
    return ((prod ^ cons) & SMMU_Q_OVFLG) != 0;
}

/* The queue indices software keeps are the registers' (index and wrap bit, 3.5): re-read
   after the SMMU's state was replaced underneath the driver (smmu_restore). */
int smmu_drv_resync(smmu_drv_t *d) {
    if (!d || !d->ready) return SMMU_DRV_EINVAL;
    d->cmdq_prod = (uint32_t)drv_rd(d, SMMU_CMDQ_PROD, 4) & drv_q_mask(d->info.cmdq_log2);
    if (d->info.eventq)
        d->evtq_cons = (uint32_t)drv_rd(d, SMMU_EVENTQ_CONS, 4) & drv_q_mask(d->info.eventq_log2);
    if (d->info.priq)
        d->priq_cons = (uint32_t)drv_rd(d, SMMU_PRIQ_CONS, 4) & drv_q_mask(d->info.priq_log2);
    return 0;
}

/* ------------------------------------------------------------------ traffic and statistics */
int smmu_drv_translate(smmu_drv_t *d, uint32_t sid, uint32_t ssid, uint64_t iova, unsigned access,
                       smmu_result_t *r) {
    if (!d || !r) return SMMU_DRV_EINVAL;
    if (!d->smmu) return SMMU_DRV_ENOTSUP;
    smmu_txn_t t;
    memset(&t, 0, sizeof(t));
    t.addr = iova;
    t.sid = sid;
    t.ssv = ssid != SMMU_DRV_NO_SSID;
    t.ssid = t.ssv ? ssid : 0;
    t.len = 1;
    t.write = access & SMMU_DRV_WRITE;
    t.exec = access & SMMU_DRV_EXEC;
    t.priv = access & SMMU_DRV_PRIV;
    smmu_translate(d->smmu, &t, r);
    return 0;
}

int smmu_drv_stats(smmu_drv_t *d, smmu_stats_t *st) {
    if (!d || !st) return SMMU_DRV_EINVAL;
    if (!d->smmu) return SMMU_DRV_ENOTSUP;
    smmu_get_stats(d->smmu, st);
    return 0;
}
