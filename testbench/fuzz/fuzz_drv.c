/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Fuzz target 3 (issue 6): driver-level operation sequences with random arguments (attach, map,
 * unmap, translate, detach) through c_core/drv, with the isolation invariant checked on every
 * translation: a stream attached to a stage-1 domain translates an IOVA only to the PA the
 * domain maps it to (per the fuzzer's own shadow of the mappings), and never after unmap. Domains
 * may have hardware-managed Access flag and dirty state (HTTU, spec 3.13: CD.HA/HD), translations
 * may be writes (dirty updates), and broadcast TLB invalidations (smmu_dvm_tlbi, spec 3.17)
 * interleave: none of that may break isolation.
 *
 * Both worlds are active (issue 17; spec 3.10.2.1): the Secure interface is enabled with a
 * Secure Stream table in a separate Secure memory (bypass STEs with NSCFG Secure), Secure
 * transactions interleave with the Non-secure operations, and the Non-secure side also writes the
 * Secure register bank (RAZ/WI to it, 6.2) and marks broadcast invalidations Secure. Checked: a
 * Secure translation always gives its input address with a Secure output; a Non-secure
 * operation never makes the SMMU access Secure memory; a Non-secure stream's output is never
 * Secure. */
#include <smmu/drv.h>
#include <smmu/mem.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "fuzz_reuse.h"

enum { NDOM = 3, NSID = 8, NPAGE = 64, POOL = 0x40000000, POOL_SIZE = 64 << 20 };

typedef struct shadow {
    uint64_t pa[NDOM][NPAGE]; /* 0: unmapped; IOVA page i of domain d at 0x100000 + i * 4096 */
    int sid_dom[NSID];        /* -1: not attached to a stage-1 domain */
} shadow_t;

/* The two PA spaces: the driver's Non-secure memory and a Secure one; the phase a Secure access
   is allowed in (a Secure stream's translation). */
typedef struct world {
    smmu_mem_t *ns, *sec;
    int secure_ok;
} world_t;

static int w_rd(void *c, uint64_t pa, void *buf, size_t len, bool secure) {
    world_t *w = c;
    if (secure && !w->secure_ok) abort(); /* a Non-secure operation reached Secure memory */
    return smmu_mem_read(secure ? w->sec : w->ns, pa, buf, len);
}
static int w_wr(void *c, uint64_t pa, const void *buf, size_t len, bool secure) {
    world_t *w = c;
    if (secure && !w->secure_ok) abort();
    return smmu_mem_write(secure ? w->sec : w->ns, pa, buf, len);
}

static int w_cas(void *c, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *observed,
                 bool secure) {
    world_t *w = c;
    if (secure && !w->secure_ok) abort();
    return smmu_mem_cas64(secure ? w->sec : w->ns, pa, expected, desired, observed);
}

/* The Secure interface (6.3.57, 6.3.72-73): a linear Secure Stream table of NSID bypass STEs
   with NSCFG 0b10 (5.2: V [0], Config [3:1] = 0b100, NSCFG [111:110]), then S_CR0.SMMUEN. */
enum { S_STRTAB = 0x1000000 };
static void secure_setup(smmu_t *s, world_t *w) {
    for (unsigned sid = 0; sid < NSID; sid++) {
        smmu_mem_write64(w->sec, S_STRTAB + 64ull * sid, 0x9);
        smmu_mem_write64(w->sec, S_STRTAB + 64ull * sid + 8, 2ull << 46);
    }
    smmu_reg_write_sec(s, 0x8080, S_STRTAB, 8, true); /* S_STRTAB_BASE */
    smmu_reg_write_sec(s, 0x8088, 3, 4, true);        /* S_STRTAB_BASE_CFG: 8 StreamIDs */
    smmu_reg_write_sec(s, 0x8020, 1, 4, true);        /* S_CR0.SMMUEN */
}

static void check_secure(smmu_t *s, world_t *w, unsigned sid, uint64_t addr) {
    smmu_txn_t t = {.addr = addr, .sid = sid, .len = 4, .secure = true};
    smmu_result_t r;
    w->secure_ok = 1;
    smmu_translate(s, &t, &r);
    w->secure_ok = 0;
    if (r.status != SMMU_OK || r.pa != addr || r.ns) abort(); /* Secure isolation broken */
}

static uint64_t iova_of(unsigned page) {
    return 0x100000ull + 0x1000ull * page;
}

static void check_translation(smmu_drv_t *d, const shadow_t *sh, unsigned sid, unsigned page,
                              unsigned how) {
    smmu_result_t r;
    if (smmu_drv_translate(d, sid, SMMU_DRV_NO_SSID, iova_of(page) + 8, how, &r) != 0) return;
    int dom = sh->sid_dom[sid];
    if (r.status != SMMU_OK || dom < 0) return;
    if (sh->pa[dom][page] == 0 || r.pa != sh->pa[dom][page] + 8 || !r.ns)
        abort(); /* isolation broken */
}

/* A broadcast TLB invalidation (3.17): ASID / VMID of the fuzzer's domains, an IOVA it uses. */
static void dvm(smmu_t *s, uint8_t a, unsigned di, unsigned page) {
    smmu_dvm_tlbi_t op = {.op = (a & 15) % 12, /* 11 forms and one undefined */
                          .leaf = a & 16,
                          .secure = a & 32,
                          .asid = (uint16_t)(di + 1),
                          .addr = iova_of(page)};
    (void)smmu_dvm_tlbi(s, &op);
}

static const unsigned hows[4] = {SMMU_DRV_READ, SMMU_DRV_WRITE, SMMU_DRV_EXEC, SMMU_DRV_PRIV};

static void op(smmu_t *s, smmu_drv_t *d, smmu_domain_t **dom, shadow_t *sh, world_t *w, fz_t *f) {
    uint8_t k = fz_u8(f);
    unsigned di = fz_u8(f) % NDOM, sid = fz_u8(f) % NSID, page = fz_u8(f) % NPAGE;
    switch (k % 7) {
    case 5: /* a Non-secure write into the Secure bank or S_INIT: RAZ/WI (6.2, 6.3.62) */
        smmu_reg_write(s, 0x8000 + (fz_u8(f) & 0xFC), fz_u32(f), 4);
        break;
    case 6:
        check_secure(s, w, sid, iova_of(page) + 8);
        break;
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

/* One input on a pooled instance (reset) or a new one (fresh); returns the digest of what it did
   (fuzz_reuse.h). The driver, its memories and domains are new for every input. */
static uint64_t run(const uint8_t *data, size_t size, bool fresh) {
    fz_t f = {data, size, 0};
    smmu_params_t p;
    memset(&p, 0, sizeof(p)); /* pool key: padding too */
    smmu_params_init(&p);
    smmu_mem_t *m = smmu_mem_new();
    world_t w = {m, smmu_mem_new(), 0};
    smmu_host_t h;
    smmu_mem_host(m, &h);
    h.ctx = &w;
    h.mem_read = w_rd;
    h.mem_write = w_wr;
    h.mem_cas64 = w_cas;
    h.mem_ptr = NULL; /* every access through w_rd / w_wr, with its security */
    fz_relay_t *rl = NULL;
    smmu_t *s = fz_get(&p, &h, fresh, &rl);
    smmu_drv_t *d = s ? smmu_drv_new_direct(s, m, POOL, POOL_SIZE) : NULL;
    smmu_domain_t *dom[NDOM] = {0};
    shadow_t sh = {0};
    for (int i = 0; i < NSID; i++)
        sh.sid_dom[i] = -1;
    int ok = d && smmu_drv_init(d) == 0;
    if (ok) secure_setup(s, &w);
    for (int i = 0; ok && i < NDOM; i++) {
        smmu_domain_cfg_t dc = {.stage = 1, .id = (uint16_t)(i + 1), .granule = 4096, .ias = 48};
        ok = smmu_drv_domain_new(d, &dc, &dom[i]) == 0;
    }
    for (int i = 0; ok && i < 200 && !fz_done(&f); i++) {
        op(s, d, dom, &sh, &w, &f);
        check_secure(s, &w, (unsigned)i % NSID, iova_of((unsigned)i % NPAGE));
    }
    uint64_t dig = 0;
    if (s) {
        fz_mix_state(&rl->dig, s);
        dig = rl->dig;
    }
    smmu_drv_free(d);
    if (s) fz_put(s, fresh);
    smmu_mem_free(m);
    smmu_mem_free(w.sec);
    return dig;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_run_checked(run, data, size);
    return 0;
}
