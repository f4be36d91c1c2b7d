/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Quick start: an SMMUv3 on a sparse simulated memory, programmed by the small driver with real
 * stream tables, context descriptors and page tables, then translating:
 *   1. bypass            StreamID 1: IOVA == PA
 *   2. stage 1 + PASID   StreamID 2, PASID 0: IOVA 0x1000 -> PA 0x2000 (read/write)
 *   3. two stages        StreamID 3: IOVA 0x1000 -> IPA 0x2000 -> PA 0x3000
 *   4. a fault           StreamID 2 at an unmapped IOVA, and its event record decoded
 * Exit code 0 only if every result is the expected one. */
#include <inttypes.h>
#include <stdio.h>

#include <smmu/drv.h>
#include <smmu/mem.h>
#include <smmu/smmu.h>

static int failures;

static const char *perm_str(uint8_t p) {
    static char s[4];
    s[0] = (p & SMMU_PERM_R) ? 'r' : '-';
    s[1] = (p & SMMU_PERM_W) ? 'w' : '-';
    s[2] = (p & SMMU_PERM_X) ? 'x' : '-';
    s[3] = 0;
    return s;
}

/* Translates and checks the result against the expected output address (0: expect a fault). */
static void show(smmu_drv_t *d, const char *what, uint32_t sid, uint32_t ssid, uint64_t iova,
                 uint64_t want_pa, uint32_t want_event) {
    smmu_result_t r;
    smmu_drv_translate(d, sid, ssid, iova, SMMU_DRV_READ, &r);
    bool ok;
    if (r.status == SMMU_OK) {
        printf("%-22s sid %" PRIu32 " iova 0x%" PRIx64 " -> pa 0x%" PRIx64 " perm %s\n", what, sid,
               iova, r.pa, perm_str(r.perm));
        ok = want_event == 0 && r.pa == want_pa;
    } else {
        printf("%-22s sid %" PRIu32 " iova 0x%" PRIx64 " -> FAULT %s\n", what, sid, iova,
               smmu_event_name(r.event));
        ok = r.event == want_event;
    }
    if (!ok) {
        printf("  ** unexpected result\n");
        failures++;
    }
}

static int check(int err, const char *what) {
    if (err) {
        printf("%s failed: %s\n", what, smmu_drv_strerror(err));
        failures++;
    }
    return err;
}

static smmu_domain_t *new_domain(smmu_drv_t *d, uint8_t stage, uint16_t id, unsigned ias,
                                 unsigned oas) {
    smmu_domain_cfg_t c = {.stage = stage, .id = id, .granule = 4096, .ias = ias, .oas = oas};
    smmu_domain_t *dom = NULL;
    check(smmu_drv_domain_new(d, &c, &dom), "domain_new");
    return dom;
}

static int run(smmu_drv_t *d) {
    if (check(smmu_drv_init(d), "init")) return 1;

    /* 1. Bypass: identity. */
    check(smmu_drv_attach_bypass(d, 1), "attach_bypass");
    show(d, "bypass", 1, SMMU_DRV_NO_SSID, 0x1000, 0x1000, 0);

    /* 2. Stage 1 with PASIDs: a CD table of 2^8 entries, PASID 0 -> address space A. */
    smmu_domain_t *as = new_domain(d, 1, 1, 48, 0);
    if (!as) return 1;
    check(smmu_drv_attach_s1(d, 2, NULL, 8, SMMU_DRV_S1DSS_TERMINATE), "attach_s1");
    check(smmu_drv_set_pasid(d, 2, 0, as), "set_pasid");
    check(smmu_drv_map(d, as, 0x1000, 0x2000, 0x1000, SMMU_PROT_R | SMMU_PROT_W), "map");
    show(d, "stage 1, pasid 0", 2, 0, 0x1000, 0x2000, 0);

    /* 3. Two stages: stage 1 IOVA -> IPA under a stage-2 domain IPA -> PA (VMID 5). */
    smmu_domain_t *s2 = new_domain(d, 2, 5, 40, 0);
    smmu_domain_t *s1 = new_domain(d, 1, 2, 48, 40);
    if (!s1 || !s2) return 1;
    check(smmu_drv_map(d, s1, 0x1000, 0x2000, 0x1000, SMMU_PROT_R | SMMU_PROT_W), "map s1");
    check(smmu_drv_map(d, s2, 0x2000, 0x3000, 0x1000, SMMU_PROT_R | SMMU_PROT_W), "map s2");
    check(smmu_drv_attach_nested(d, 3, s1, 0, 0, s2), "attach_nested");
    show(d, "two stages", 3, SMMU_DRV_NO_SSID, 0x1000, 0x3000, 0);

    /* 4. A fault: nothing is mapped at 0x5000 for PASID 0 of StreamID 2. */
    show(d, "unmapped", 2, 0, 0x5000, 0, SMMU_EVT_F_TRANSLATION);
    smmu_drv_event_t ev;
    if (smmu_drv_next_event(d, &ev) == 0) {
        printf("event: %s (0x%02x) sid %" PRIu32 " ssid %s%" PRIu32 " addr 0x%" PRIx64
               " %s class %u stage %d\n",
               ev.name, ev.type, ev.sid, ev.ssv ? "" : "(none) ", ev.ssid, ev.addr,
               ev.rnw ? "read" : "write", ev.cls, ev.s2 ? 2 : 1);
        if (ev.type != SMMU_EVT_F_TRANSLATION || ev.sid != 2 || !ev.ssv || ev.ssid != 0 ||
            ev.addr != 0x5000 || !ev.rnw)
            failures++;
    } else {
        printf("no event record\n");
        failures++;
    }

    smmu_stats_t st;
    smmu_drv_stats(d, &st);
    printf("stats: %" PRIu64 " translations, %" PRIu64 " ok, %" PRIu64 " faults, %" PRIu64
           " events\n",
           st.translations, st.ok, st.faults, st.events_written);
    return failures != 0;
}

int main(void) {
    smmu_mem_t *mem = smmu_mem_new();
    smmu_params_t p;
    smmu_params_init(&p);
    smmu_host_t host;
    if (!mem) return 1;
    smmu_mem_host(mem, &host);
    smmu_t *smmu = smmu_new(&p, &host);
    /* Tables and queues come from 64 MiB at 2 GiB (identity-mapped at stage 2 when nested). */
    smmu_drv_t *d = smmu ? smmu_drv_new_direct(smmu, mem, 0x80000000ull, 64ull << 20) : NULL;
    int rc = d ? run(d) : 1;
    printf("%s\n", rc ? "FAILED" : "all results as expected");
    smmu_drv_free(d);
    smmu_free(smmu);
    smmu_mem_free(mem);
    return rc;
}
