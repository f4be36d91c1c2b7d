/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Fuzz target 3 (issue 6): driver-level operation sequences with random arguments (attach, map,
 * unmap, translate, detach) through c_core/drv, with the isolation invariant checked on every
 * translation: a stream attached to a stage-1 domain translates an IOVA only to the PA the
 * domain maps it to (per the fuzzer's own shadow of the mappings), and never after unmap. Domains
 * may have hardware-managed Access flag and dirty state (HTTU, spec 3.13: CD.HA/HD), translations
 * may be writes (dirty updates), and broadcast TLB invalidations (smmu_dvm_tlbi, spec 3.17)
 * interleave: none of that may break isolation. */
#include <smmu/drv.h>
#include <stdlib.h>

#include "fuzz_common.h"

enum { NDOM = 3, NSID = 8, NPAGE = 64, POOL = 0x40000000, POOL_SIZE = 64 << 20 };

typedef struct shadow {
    uint64_t pa[NDOM][NPAGE]; /* 0: unmapped; IOVA page i of domain d at 0x100000 + i * 4096 */
    int sid_dom[NSID];        /* -1: not attached to a stage-1 domain */
} shadow_t;

static uint64_t iova_of(unsigned page) {
    return 0x100000ull + 0x1000ull * page;
}

static void check_translation(smmu_drv_t *d, const shadow_t *sh, unsigned sid, unsigned page,
                              unsigned how) {
    smmu_result_t r;
    if (smmu_drv_translate(d, sid, SMMU_DRV_NO_SSID, iova_of(page) + 8, how, &r) != 0) return;
    int dom = sh->sid_dom[sid];
    if (r.status != SMMU_OK || dom < 0) return;
    if (sh->pa[dom][page] == 0 || r.pa != sh->pa[dom][page] + 8) abort(); /* isolation broken */
}

/* A broadcast TLB invalidation (3.17): ASID / VMID of the fuzzer's domains, an IOVA it uses. */
static void dvm(smmu_t *s, uint8_t a, unsigned di, unsigned page) {
    smmu_dvm_tlbi_t op = {.op = (a & 15) % 12, /* 11 forms and one undefined */
                          .leaf = a & 16,
                          .asid = (uint16_t)(di + 1),
                          .addr = iova_of(page)};
    (void)smmu_dvm_tlbi(s, &op);
}

static const unsigned hows[4] = {SMMU_DRV_READ, SMMU_DRV_WRITE, SMMU_DRV_EXEC, SMMU_DRV_PRIV};

static void op(smmu_t *s, smmu_drv_t *d, smmu_domain_t **dom, shadow_t *sh, fz_t *f) {
    uint8_t k = fz_u8(f);
    unsigned di = fz_u8(f) % NDOM, sid = fz_u8(f) % NSID, page = fz_u8(f) % NPAGE;
    switch (k % 5) {
    case 0: { /* map one page to a PA outside the driver's pool */
        uint64_t pa = 0x80000000ull + 0x1000ull * (fz_u32(f) & 0xFFFF);
        if (smmu_drv_map(d, dom[di], iova_of(page), pa, 0x1000, SMMU_PROT_R | SMMU_PROT_W) == 0)
            sh->pa[di][page] = pa;
        break;
    }
    case 1:
        if (smmu_drv_unmap(d, dom[di], iova_of(page), 0x1000) == 0) sh->pa[di][page] = 0;
        break;
    case 2:
        smmu_drv_domain_httu(dom[di], k & 0x40); /* for the CDs written from now on */
        if (smmu_drv_attach_s1(d, sid, dom[di], 0, SMMU_DRV_S1DSS_TERMINATE) == 0)
            sh->sid_dom[sid] = (int)di;
        break;
    case 3:
        if (k & 0x80 ? smmu_drv_attach_bypass(d, sid) == 0 : smmu_drv_detach(d, sid) == 0)
            sh->sid_dom[sid] = -1;
        break;
    default:
        if (k & 0x80)
            dvm(s, fz_u8(f), di, page);
        else
            check_translation(d, sh, sid, page, hows[(k >> 5) & 3]);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_t f = {data, size, 0};
    smmu_params_t p;
    smmu_params_init(&p);
    smmu_mem_t *m = smmu_mem_new();
    smmu_host_t h;
    smmu_mem_host(m, &h);
    smmu_t *s = smmu_new(&p, &h);
    smmu_drv_t *d = s ? smmu_drv_new_direct(s, m, POOL, POOL_SIZE) : NULL;
    smmu_domain_t *dom[NDOM] = {0};
    shadow_t sh = {0};
    for (int i = 0; i < NSID; i++)
        sh.sid_dom[i] = -1;
    int ok = d && smmu_drv_init(d) == 0;
    for (int i = 0; ok && i < NDOM; i++) {
        smmu_domain_cfg_t dc = {.stage = 1, .id = (uint16_t)(i + 1), .granule = 4096, .ias = 48};
        ok = smmu_drv_domain_new(d, &dc, &dom[i]) == 0;
    }
    for (int i = 0; ok && i < 200 && !fz_done(&f); i++)
        op(s, d, dom, &sh, &f);
    smmu_drv_free(d);
    smmu_free(s);
    smmu_mem_free(m);
    return 0;
}
