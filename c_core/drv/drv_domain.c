/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The small driver: address spaces ("domains") and their VMSAv8-64 translation tables
 * (Arm ARM D8.2 geometry, D8.3 descriptors; stage-2 start level and concatenation per the
 * VTCR_EL2.SL0 rules that STE.S2SL0 follows, spec 5.2). */
#include <stdlib.h>
#include <string.h>

#include "drv_priv.h"

/* MAIR of every stage-1 domain: index 0 Normal WB RW-allocate, 1 Device-nGnRE, 2 Normal NC. */
#define DRV_MAIR 0x4404FFull
enum { ATTR_IDX_NORMAL = 0, ATTR_IDX_DEVICE = 1, ATTR_IDX_NC = 2 };
/* Stage-2 MemAttr[3:0] (Arm ARM D8.6): Normal WB, Device-nGnRE, Normal NC. */
enum { S2_MEMATTR_NORMAL = 0xF, S2_MEMATTR_DEVICE = 0x1, S2_MEMATTR_NC = 0x5 };

static unsigned level_shift(const smmu_domain_t *dom, unsigned level) {
    return dom->gshift + (3 - level) * (dom->gshift - 3);
}

/* Index bits resolved at a level: a full table except at the start level (D8.2). */
static unsigned level_bits(const smmu_domain_t *dom, unsigned level) {
    if (level == dom->start) return dom->cfg.ias - level_shift(dom, level);
    return dom->gshift - 3;
}

static uint64_t level_size(const smmu_domain_t *dom, unsigned level) {
    return 1ull << level_shift(dom, level);
}

/* Levels that may hold a block descriptor with 48-bit output addresses (D8.3). */
static bool block_ok(const smmu_domain_t *dom, unsigned level) {
    if (dom->gshift == 12) return level == 1 || level == 2;
    return level == 2;
}

unsigned drv_tg0(const smmu_domain_t *dom) { /* CD.TG0 and STE.S2TG share the encoding */
    return dom->gshift == 12   ? SMMU_CD_TG0_4K
           : dom->gshift == 16 ? SMMU_CD_TG0_64K
                               : SMMU_CD_TG0_16K;
}

/* Start level of a table covering ias bits without concatenation. */
static unsigned natural_start(unsigned gshift, unsigned ias) {
    unsigned per = gshift - 3, levels = (ias - gshift + per - 1) / per;
    return 4 - levels;
}

/* Start levels expressible by STE.S2SL0 without FEAT_TTST/LPA2: 4K levels 0-2, 16K levels 1-3,
   64K levels 2-3 (level 1 only with 52-bit PAs, not used here). */
static bool s2_start_ok(unsigned gshift, unsigned start) {
    if (gshift == 12) return start <= 2;
    if (gshift == 14) return start >= 1;
    return start >= 2;
}

/* Stage 2 prefers concatenating up to 16 start-level tables over an extra level (D8.2.8). */
static int s2_geometry(smmu_domain_t *dom) {
    unsigned g = dom->gshift, start = natural_start(g, dom->cfg.ias);
    dom->concat = 0;
    if (start < 3) {
        unsigned top = dom->cfg.ias - (g + (3 - start) * (g - 3)); /* bits at the start level */
        if (top <= 4 && s2_start_ok(g, start + 1)) {
            start++;
            dom->concat = top;
        }
    }
    if (!s2_start_ok(g, start)) return SMMU_DRV_ENOTSUP;
    dom->start = start;
    return 0;
}

static int domain_check(const smmu_drv_t *d, const smmu_domain_cfg_t *c, unsigned *gshift) {
    const smmu_drv_info_t *in = &d->info;
    if (c->stage == 1 && !in->s1) return SMMU_DRV_ENOTSUP;
    if (c->stage == 2 && !in->s2) return SMMU_DRV_ENOTSUP;
    if (c->stage != 1 && c->stage != 2) return SMMU_DRV_EINVAL;
    if (c->granule == 4096 && in->gran4k)
        *gshift = 12;
    else if (c->granule == 16384 && in->gran16k)
        *gshift = 14;
    else if (c->granule == 65536 && in->gran64k)
        *gshift = 16;
    else
        return c->granule == 4096 || c->granule == 16384 || c->granule == 65536 ? SMMU_DRV_ENOTSUP
                                                                                : SMMU_DRV_EINVAL;
    unsigned idbits = c->stage == 1 ? in->asid_bits : in->vmid_bits;
    if (idbits < 16 && (c->id >> idbits)) return SMMU_DRV_EINVAL;
    unsigned oas = c->oas ? c->oas : (in->oas_bits > 48 ? 48 : in->oas_bits);
    if (smmu_pa_size_enc(oas) < 0 || oas > 48 || oas > in->oas_bits) return SMMU_DRV_EINVAL;
    if (c->ias < 25 || c->ias > 48) return SMMU_DRV_EINVAL;
    if (c->stage == 2 && c->ias > oas) return SMMU_DRV_EINVAL;
    return 0;
}

static int track_table(smmu_domain_t *dom, uint64_t pa) {
    if (dom->ntables == dom->captables) {
        size_t n = dom->captables ? 2 * dom->captables : 16;
        uint64_t *t = realloc(dom->tables, n * sizeof(*t));
        if (!t) return SMMU_DRV_ENOMEM;
        dom->tables = t;
        dom->captables = n;
    }
    dom->tables[dom->ntables++] = pa;
    return 0;
}

int smmu_drv_domain_new(smmu_drv_t *d, const smmu_domain_cfg_t *cfg, smmu_domain_t **out) {
    if (!d || !cfg || !out || !d->ready) return SMMU_DRV_EINVAL;
    unsigned gshift = 0;
    int err = domain_check(d, cfg, &gshift);
    if (err) return err;
    smmu_domain_t *dom = calloc(1, sizeof(*dom));
    if (!dom) return SMMU_DRV_ENOMEM;
    dom->cfg = *cfg;
    if (!dom->cfg.oas) dom->cfg.oas = d->info.oas_bits > 48 ? 48 : d->info.oas_bits;
    dom->gshift = gshift;
    if (cfg->stage == 1) {
        dom->start = natural_start(gshift, cfg->ias);
    } else if ((err = s2_geometry(dom))) {
        free(dom);
        return err;
    }
    /* Root: the start-level table(s), aligned to their size (at least 64 bytes, CD.TTB0). */
    uint64_t size = 8ull << (level_bits(dom, dom->start));
    if (size < 64) size = 64;
    dom->root = drv_alloc(d, size, size);
    if (!dom->root) {
        free(dom);
        return SMMU_DRV_ENOMEM;
    }
    dom->next = d->domains;
    d->domains = dom;
    *out = dom;
    return 0;
}

void smmu_drv_domain_httu(smmu_domain_t *dom, bool on) {
    if (dom) dom->httu = on;
}

void smmu_drv_domain_free(smmu_drv_t *d, smmu_domain_t *dom) {
    if (!d || !dom) return;
    for (smmu_domain_t **p = &d->domains; *p; p = &(*p)->next) {
        if (*p == dom) {
            *p = dom->next;
            break;
        }
    }
    uint64_t size = 8ull << (level_bits(dom, dom->start));
    drv_free(d, dom->root, size < 64 ? 64 : size);
    for (size_t i = 0; i < dom->ntables; i++)
        drv_free(d, dom->tables[i], 1ull << dom->gshift);
    free(dom->tables);
    free(dom);
}

void smmu_drv_domain_geometry(const smmu_domain_t *dom, uint64_t *root, unsigned *start_level,
                              unsigned *concat_log2) {
    if (root) *root = dom->root;
    if (start_level) *start_level = dom->start;
    if (concat_log2) *concat_log2 = dom->concat;
}

/* ------------------------------------------------------------------ descriptors (D8.3) */
static uint64_t leaf_attrs(const smmu_domain_t *dom, unsigned prot) {
    uint64_t v = 0;
    bool dev = prot & SMMU_PROT_DEVICE, nc = prot & SMMU_PROT_NC;
    v = SMMU_VSET(v, SMMU_F_DESC_AF, 1);
    v = SMMU_VSET(v, SMMU_F_DESC_SH, dev ? SMMU_SH_OSH : SMMU_SH_ISH);
    if (dom->cfg.stage == 1) {
        v = SMMU_VSET(v, SMMU_F_DESC_ATTRINDX,
                      dev  ? ATTR_IDX_DEVICE
                      : nc ? ATTR_IDX_NC
                           : ATTR_IDX_NORMAL);
        /* AP[2]: read-only; AP[1]: accessible unprivileged. Stage 1 cannot deny reads. */
        v = SMMU_VSET(v, SMMU_F_DESC_AP,
                      ((prot & SMMU_PROT_W) ? 0 : SMMU_DESC_AP_RO) |
                          ((prot & SMMU_PROT_PRIV) ? 0 : SMMU_DESC_AP_EL0));
        v = SMMU_VSET(v, SMMU_F_DESC_NG, 1);
        v = SMMU_VSET(v, SMMU_F_DESC_PXN, !(prot & SMMU_PROT_X));
        v = SMMU_VSET(v, SMMU_F_DESC_UXN, !(prot & SMMU_PROT_X) || (prot & SMMU_PROT_PRIV));
    } else {
        v = SMMU_VSET(v, SMMU_F_DESC_S2MEMATTR,
                      dev  ? S2_MEMATTR_DEVICE
                      : nc ? S2_MEMATTR_NC
                           : S2_MEMATTR_NORMAL);
        v = SMMU_VSET(v, SMMU_F_DESC_S2AP,
                      ((prot & SMMU_PROT_W) ? SMMU_DESC_S2AP_W : 0) |
                          ((prot & SMMU_PROT_R) ? SMMU_DESC_S2AP_R : 0));
        v = SMMU_VSET(v, SMMU_F_DESC_S2XN, !(prot & SMMU_PROT_X)); /* XN[1]: at no EL */
    }
    return v;
}

static uint64_t desc_addr(uint64_t desc) {
    return SMMU_VADDR(desc, SMMU_F_DESC_OA);
}

static bool desc_valid(uint64_t desc) {
    return SMMU_VGET(desc, SMMU_F_DESC_VALID);
}

static bool desc_is_table(const smmu_domain_t *dom, unsigned level, uint64_t desc) {
    (void)dom;
    return level < 3 && SMMU_VGET(desc, SMMU_F_DESC_TABLE);
}

static uint64_t entry_pa(const smmu_domain_t *dom, uint64_t table, unsigned level, uint64_t va) {
    uint64_t idx = (va >> level_shift(dom, level)) & ((1ull << level_bits(dom, level)) - 1);
    return table + 8 * idx;
}

/* Installs one leaf for va at the highest level it fits (aligned, within size, allowed, and the
   slot free); *mapped gets the leaf's size. */
static int map_one(smmu_drv_t *d, smmu_domain_t *dom, uint64_t va, uint64_t pa, uint64_t size,
                   uint64_t attrs, uint64_t *mapped) {
    uint64_t table = dom->root;
    for (unsigned level = dom->start; level <= 3; level++) {
        uint64_t epa = entry_pa(dom, table, level, va), desc, bs = level_size(dom, level);
        if (drv_mem_rd64(d, epa, &desc, 1)) return SMMU_DRV_EIO;
        if (!desc_valid(desc)) {
            bool leaf =
                level == 3 || (block_ok(dom, level) && size >= bs && ((va | pa) & (bs - 1)) == 0);
            if (leaf) {
                desc =
                    SMMU_VSET(attrs | SMMU_VSET_ADDR(0, SMMU_F_DESC_OA, pa), SMMU_F_DESC_VALID, 1);
                desc = SMMU_VSET(desc, SMMU_F_DESC_TABLE, level == 3);
                *mapped = bs;
                return drv_mem_wr64(d, epa, &desc, 1);
            }
            uint64_t t = drv_alloc(d, 1ull << dom->gshift, 1ull << dom->gshift);
            if (!t) return SMMU_DRV_ENOMEM;
            if (track_table(dom, t)) {
                drv_free(d, t, 1ull << dom->gshift);
                return SMMU_DRV_ENOMEM;
            }
            desc = SMMU_VSET(SMMU_VSET(SMMU_VSET_ADDR(0, SMMU_F_DESC_OA, t), SMMU_F_DESC_VALID, 1),
                             SMMU_F_DESC_TABLE, 1);
            if (drv_mem_wr64(d, epa, &desc, 1)) return SMMU_DRV_EIO;
        } else if (!desc_is_table(dom, level, desc)) {
            return SMMU_DRV_EEXIST;
        }
        table = desc_addr(desc);
    }
    return SMMU_DRV_EEXIST; /* not reached: level 3 always installs or finds a leaf */
}

static int range_check(const smmu_domain_t *dom, uint64_t iova, uint64_t size, uint64_t pa,
                       bool check_pa) {
    uint64_t gmask = (1ull << dom->gshift) - 1;
    if (!size || ((iova | size) & gmask) || (check_pa && (pa & gmask))) return SMMU_DRV_EINVAL;
    uint64_t in_lim = 1ull << dom->cfg.ias, out_lim = 1ull << dom->cfg.oas;
    if (iova >= in_lim || size > in_lim - iova) return SMMU_DRV_EINVAL;
    if (check_pa && (pa >= out_lim || size > out_lim - pa)) return SMMU_DRV_EINVAL;
    return 0;
}

int smmu_drv_map(smmu_drv_t *d, smmu_domain_t *dom, uint64_t iova, uint64_t pa, uint64_t size,
                 unsigned prot) {
    if (!d || !dom) return SMMU_DRV_EINVAL;
    int err = range_check(dom, iova, size, pa, true);
    if (err) return err;
    uint64_t attrs = leaf_attrs(dom, prot);
    while (size) {
        uint64_t n = 0;
        if ((err = map_one(d, dom, iova, pa, size, attrs, &n))) return err;
        iova += n;
        pa += n;
        size -= n;
    }
    /* New entries replace invalid ones: no invalidation needed (invalid entries are not
       cached), but make them visible in order like a driver's DSB would. */
    return 0;
}

/* TLBI by address (spec 4.4). Leaf=0 also removes cached table entries (walk caches), needed
   when a table page was unlinked. */
static int tlbi_va(smmu_drv_t *d, smmu_domain_t *dom, uint64_t va, bool leaf) {
    uint64_t cmd[2] = {0, 0};
    if (dom->cfg.stage == 1) {
        SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_TLBI_NH_VA);
        SMMU_FSET(cmd, SMMU_F_CMD_ASID, dom->cfg.id);
        SMMU_FSET(cmd, SMMU_F_CMD_VMID, dom->tlbi_vmid);
        SMMU_FSET_ADDR(cmd, SMMU_F_CMD_TLBI_ADDR, va);
    } else {
        SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_TLBI_S2_IPA);
        SMMU_FSET(cmd, SMMU_F_CMD_VMID, dom->cfg.id);
        SMMU_FSET_ADDR(cmd, SMMU_F_CMD_TLBI_IPA, va);
    }
    SMMU_FSET(cmd, SMMU_F_CMD_LEAF, leaf);
    return smmu_drv_cmd(d, cmd);
}

static int table_empty(smmu_drv_t *d, uint64_t pa, uint64_t size, bool *empty) {
    uint64_t dw[8];
    *empty = false;
    for (uint64_t off = 0; off < size; off += sizeof(dw)) {
        if (drv_mem_rd64(d, pa + off, dw, 8)) return SMMU_DRV_EIO;
        for (unsigned i = 0; i < 8; i++)
            if (dw[i]) return 0;
    }
    *empty = true;
    return 0;
}

static void untrack_table(smmu_drv_t *d, smmu_domain_t *dom, uint64_t pa) {
    for (size_t i = 0; i < dom->ntables; i++) {
        if (dom->tables[i] == pa) {
            dom->tables[i] = dom->tables[--dom->ntables];
            drv_free(d, pa, 1ull << dom->gshift);
            return;
        }
    }
}

/* After a leaf was cleared: unlinks and frees the tables on its path that became empty (never
   the root). *freed tells the caller to invalidate non-leaf entries too. */
static int prune(smmu_drv_t *d, smmu_domain_t *dom, const uint64_t *tables, const uint64_t *epas,
                 unsigned level, bool *freed) {
    for (; level > dom->start; level--) {
        bool empty;
        int err = table_empty(d, tables[level], 1ull << dom->gshift, &empty);
        if (err || !empty) return err;
        uint64_t zero = 0;
        if (drv_mem_wr64(d, epas[level - 1], &zero, 1)) return SMMU_DRV_EIO;
        untrack_table(d, dom, tables[level]);
        *freed = true;
    }
    return 0;
}

/* Clears the leaf holding va (if any); *step gets how far the caller may advance. */
static int unmap_one(smmu_drv_t *d, smmu_domain_t *dom, uint64_t va, uint64_t size, uint64_t *step,
                     bool *removed, bool *freed) {
    uint64_t tables[4] = {0}, epas[4] = {0};
    uint64_t table = dom->root;
    *removed = *freed = false;
    for (unsigned level = dom->start; level <= 3; level++) {
        uint64_t epa = entry_pa(dom, table, level, va), desc, bs = level_size(dom, level);
        tables[level] = table;
        epas[level] = epa;
        if (drv_mem_rd64(d, epa, &desc, 1)) return SMMU_DRV_EIO;
        if (!desc_valid(desc)) {
            *step = bs - (va & (bs - 1)); /* a hole: skip to the end of this entry's range */
            return 0;
        }
        if (!desc_is_table(dom, level, desc)) {
            if ((va & (bs - 1)) || size < bs) return SMMU_DRV_EINVAL; /* partial block */
            uint64_t zero = 0;
            if (drv_mem_wr64(d, epa, &zero, 1)) return SMMU_DRV_EIO;
            *step = bs;
            *removed = true;
            return prune(d, dom, tables, epas, level, freed);
        }
        table = desc_addr(desc);
    }
    return SMMU_DRV_EINVAL;
}

int smmu_drv_unmap(smmu_drv_t *d, smmu_domain_t *dom, uint64_t iova, uint64_t size) {
    if (!d || !dom) return SMMU_DRV_EINVAL;
    int err = range_check(dom, iova, size, 0, false), cerr = 0;
    if (err) return err;
    bool any = false;
    while (size) {
        uint64_t step = 0;
        bool removed, freed;
        if ((err = unmap_one(d, dom, iova, size, &step, &removed, &freed))) break;
        if (removed) {
            any = true;
            int e = tlbi_va(d, dom, iova, !freed);
            if (e && !cerr) cerr = e;
        }
        if (step >= size) break;
        iova += step;
        size -= step;
    }
    if (any && dom->cfg.stage == 2) {
        /* TLBI_S2_IPA need not remove combined stage 1+2 entries (spec 4.4): drop the VMID's
           stage-1 entries too. */
        uint64_t cmd[2] = {0, 0};
        SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_TLBI_NH_ALL);
        SMMU_FSET(cmd, SMMU_F_CMD_VMID, dom->cfg.id);
        int e = smmu_drv_cmd(d, cmd);
        if (e && !cerr) cerr = e;
    }
    if (any) {
        int e = smmu_drv_sync(d);
        if (e && !cerr) cerr = e;
    }
    return err ? err : cerr;
}

int smmu_drv_iova_to_phys(smmu_drv_t *d, const smmu_domain_t *dom, uint64_t iova, uint64_t *pa) {
    if (!d || !dom || !pa) return SMMU_DRV_EINVAL;
    if (dom->cfg.ias < 64 && (iova >> dom->cfg.ias)) return SMMU_DRV_ENOENT;
    uint64_t table = dom->root;
    for (unsigned level = dom->start; level <= 3; level++) {
        uint64_t desc, bs = level_size(dom, level);
        if (drv_mem_rd64(d, entry_pa(dom, table, level, iova), &desc, 1)) return SMMU_DRV_EIO;
        if (!desc_valid(desc)) return SMMU_DRV_ENOENT;
        if (!desc_is_table(dom, level, desc)) {
            *pa = (desc_addr(desc) & ~(bs - 1)) | (iova & (bs - 1));
            return 0;
        }
        table = desc_addr(desc);
    }
    return SMMU_DRV_ENOENT;
}

int drv_domain_map_pool(smmu_drv_t *d, smmu_domain_t *dom) {
    if (dom->pool_mapped) return 0;
    uint64_t g = 1ull << dom->gshift;
    uint64_t base = d->cfg.pool_base & ~(g - 1);
    uint64_t end = (d->cfg.pool_base + d->cfg.pool_size + g - 1) & ~(g - 1);
    int err = smmu_drv_map(d, dom, base, base, end - base, SMMU_PROT_R | SMMU_PROT_W);
    if (err) return err;
    dom->pool_mapped = true;
    return 0;
}
