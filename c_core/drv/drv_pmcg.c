/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The driver's PMCG part (<smmu/drv.h>; spec chapter 10): programs one counter group through
 * its register page(s) as host software does. */
#include <stdlib.h>

#include <smmu/drv.h>
#include <smmu/regs.h>

struct smmu_drv_pmcg {
    smmu_drv_ops_t ops;
    smmu_t *s; /* direct: the core, and the group */
    unsigned group;
    smmu_drv_pmcg_info_t info;
    uint64_t page1; /* where the counters and OVS are: SMMU_PMCG_PAGE1 with RELOC_CTRS */
};

static uint64_t rd(smmu_drv_pmcg_t *p, uint64_t off, unsigned size) {
    return p->ops.reg_read(p->ops.ctx, off, size);
}

static void wr(smmu_drv_pmcg_t *p, uint64_t off, uint64_t v, unsigned size) {
    p->ops.reg_write(p->ops.ctx, off, v, size);
}

/* EVCNTRn: 8-byte stride and 64-bit accesses above 32 bits, else 4 (10.5.1). */
static uint64_t evcntr(const smmu_drv_pmcg_t *p, unsigned n) {
    return p->page1 + SMMU_PMCG_EVCNTR0 + (p->info.counter_bits > 32 ? 8u : 4u) * n;
}

static unsigned ctr_size(const smmu_drv_pmcg_t *p) {
    return p->info.counter_bits > 32 ? 8 : 4;
}

static uint64_t present(const smmu_drv_pmcg_t *p) {
    return p->info.counters >= 64 ? ~0ull : (1ull << p->info.counters) - 1;
}

smmu_drv_pmcg_t *smmu_drv_pmcg_new(const smmu_drv_ops_t *ops) {
    if (!ops || !ops->reg_read || !ops->reg_write) return NULL;
    smmu_drv_pmcg_t *p = calloc(1, sizeof(*p));
    if (!p) return NULL;
    p->ops = *ops;
    const uint32_t cfgr = (uint32_t)rd(p, SMMU_PMCG_CFGR, 4);
    if (cfgr == 0) {
        free(p);
        return NULL;
    }
    p->info.counters = (unsigned)SMMU_VGET(cfgr, SMMU_F_PMCG_CFGR_NCTR) + 1;
    p->info.counter_bits = (unsigned)SMMU_VGET(cfgr, SMMU_F_PMCG_CFGR_SIZE) + 1;
    p->info.reloc = SMMU_VGET(cfgr, SMMU_F_PMCG_CFGR_RELOC_CTRS);
    p->info.msi = SMMU_VGET(cfgr, SMMU_F_PMCG_CFGR_MSI);
    p->info.capture = SMMU_VGET(cfgr, SMMU_F_PMCG_CFGR_CAPTURE);
    p->info.sid_global = SMMU_VGET(cfgr, SMMU_F_PMCG_CFGR_SID_FILTER_TYPE);
    p->info.events[0] = rd(p, SMMU_PMCG_CEID0, 8);
    p->info.events[1] = rd(p, SMMU_PMCG_CEID1, 8);
    p->page1 = p->info.reloc ? SMMU_PMCG_PAGE1 : 0;
    wr(p, SMMU_PMCG_CR, 0, 4);
    wr(p, SMMU_PMCG_IRQ_CTRL, 0, 4);
    wr(p, SMMU_PMCG_CNTENCLR0, present(p), 8);
    wr(p, SMMU_PMCG_INTENCLR0, present(p), 8);
    wr(p, p->page1 + SMMU_PMCG_OVSCLR0, present(p), 8);
    return p;
}

static uint64_t direct_rd(void *ctx, uint64_t off, unsigned size) {
    smmu_drv_pmcg_t *p = ctx;
    return smmu_pmcg_reg_read(p->s, p->group, off, size);
}

static void direct_wr(void *ctx, uint64_t off, uint64_t v, unsigned size) {
    smmu_drv_pmcg_t *p = ctx;
    smmu_pmcg_reg_write(p->s, p->group, off, v, size);
}

smmu_drv_pmcg_t *smmu_drv_pmcg_new_direct(smmu_t *s, unsigned group) {
    if (!s || group >= smmu_params(s)->pmcg_groups) return NULL;
    /* the ops' context is the driver itself, so it exists before the probe reads */
    smmu_drv_pmcg_t probe = {.s = s, .group = group};
    probe.ops = (smmu_drv_ops_t){&probe, direct_rd, direct_wr, NULL, NULL};
    smmu_drv_pmcg_t *p = smmu_drv_pmcg_new(&probe.ops);
    if (!p) return NULL;
    p->s = s;
    p->group = group;
    p->ops.ctx = p;
    return p;
}

void smmu_drv_pmcg_free(smmu_drv_pmcg_t *p) {
    free(p);
}

void smmu_drv_pmcg_info(const smmu_drv_pmcg_t *p, smmu_drv_pmcg_info_t *info) {
    *info = p->info;
}

/* The filter goes to counter n's EVTYPER / SMR, or counter 0's with SID_FILTER_TYPE (10.4). */
static void set_filter(smmu_drv_pmcg_t *p, unsigned n, uint16_t event,
                       const smmu_drv_pmcg_filter_t *f) {
    const bool span = f && f->enable ? f->span : true;
    const uint32_t sid = f && f->enable ? f->sid : 0xFFFFFFFFu; /* all-ones: every StreamID */
    const unsigned fn = p->info.sid_global ? 0 : n;
    uint32_t ev = (uint32_t)SMMU_VSET(0, SMMU_F_PMCG_EVTYPER_EVENT, event);
    if (fn != n) {
        const uint32_t ev0 = (uint32_t)rd(p, SMMU_PMCG_EVTYPER0, 4);
        wr(p, SMMU_PMCG_EVTYPER0,
           (uint32_t)SMMU_VSET(ev0, SMMU_F_PMCG_EVTYPER_FILTER_SID_SPAN, span), 4);
    } else {
        ev = (uint32_t)SMMU_VSET(ev, SMMU_F_PMCG_EVTYPER_FILTER_SID_SPAN, span);
    }
    wr(p, SMMU_PMCG_EVTYPER0 + 4ull * n, ev, 4);
    wr(p, SMMU_PMCG_SMR0 + 4ull * fn, sid, 4);
}

int smmu_drv_pmcg_start(smmu_drv_pmcg_t *p, unsigned ctr, uint16_t event,
                        const smmu_drv_pmcg_filter_t *f) {
    if (!p || ctr >= p->info.counters) return SMMU_DRV_EINVAL;
    if (event < 128 && !(p->info.events[event / 64] >> (event % 64) & 1)) return SMMU_DRV_ENOTSUP;
    wr(p, SMMU_PMCG_CNTENCLR0, 1ull << ctr, 8);
    set_filter(p, ctr, event, f);
    wr(p, evcntr(p, ctr), 0, ctr_size(p));
    wr(p, SMMU_PMCG_CNTENSET0, 1ull << ctr, 8);
    wr(p, SMMU_PMCG_CR, SMMU_FMASK32(SMMU_F_PMCG_CR_E), 4);
    return SMMU_DRV_OK;
}

uint64_t smmu_drv_pmcg_read(smmu_drv_pmcg_t *p, unsigned ctr) {
    if (!p || ctr >= p->info.counters) return 0;
    return rd(p, evcntr(p, ctr), ctr_size(p));
}

int smmu_drv_pmcg_stop(smmu_drv_pmcg_t *p, unsigned ctr) {
    if (!p || ctr >= p->info.counters) return SMMU_DRV_EINVAL;
    wr(p, SMMU_PMCG_CNTENCLR0, 1ull << ctr, 8);
    return SMMU_DRV_OK;
}

uint64_t smmu_drv_pmcg_overflows(smmu_drv_pmcg_t *p) {
    const uint64_t ovs = rd(p, p->page1 + SMMU_PMCG_OVSSET0, 8);
    if (ovs) wr(p, p->page1 + SMMU_PMCG_OVSCLR0, ovs, 8);
    return ovs;
}

int smmu_drv_pmcg_irq(smmu_drv_pmcg_t *p, uint64_t mask, uint64_t msi_addr, uint32_t data) {
    if (!p || (mask & ~present(p))) return SMMU_DRV_EINVAL;
    if (msi_addr && !p->info.msi) return SMMU_DRV_ENOTSUP;
    wr(p, SMMU_PMCG_IRQ_CTRL, 0, 4); /* IRQ_CFG0..2 are Guarded by IRQEN */
    if (p->info.msi) {
        wr(p, SMMU_PMCG_IRQ_CFG0, SMMU_VSET_ADDR(0, SMMU_F_IRQ_CFG0_ADDR, msi_addr), 8);
        wr(p, SMMU_PMCG_IRQ_CFG1, data, 4);
        wr(p, SMMU_PMCG_IRQ_CFG2, SMMU_VSET(0, SMMU_F_IRQ_CFG2_MEMATTR, SMMU_MEMATTR_DEVICE_NGNRE),
           4);
    }
    wr(p, SMMU_PMCG_INTENSET0, mask, 8);
    wr(p, SMMU_PMCG_IRQ_CTRL, SMMU_FMASK32(SMMU_F_PMCG_IRQ_CTRL_IRQEN), 4);
    return SMMU_DRV_OK;
}
