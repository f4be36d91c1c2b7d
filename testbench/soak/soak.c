/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Soak program (issue 6): N random operations through c_core/drv against one SMMU instance
 * (attach stage 1 / stage 2 / bypass / detach, map, unmap, translate, explicit invalidations,
 * stalls with resume / terminate, PRI page requests and responses), with the isolation
 * invariant checked on every translation against a shadow of what each stream maps, and the
 * process memory (RSS) reported at the start, in the middle and at the end.
 *
 *   smmu_soak [-n OPS] [-s SEED]      default 100000000 operations, seed 1
 *
 * Exit status 0 when every check held, 1 on the first broken invariant (printed with the seed
 * and the operation number), 2 on a setup failure. Not run by CI except with a tiny -n. */
#define _POSIX_C_SOURCE 200809L /* getopt, sysconf */
#include <smmu/drv.h>
#include <smmu/mem.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    NDOM = 4,     /* stage-1 domains (ASIDs 1..4) */
    NSID = 16,    /* StreamIDs used */
    NPAGE = 256,  /* IOVA pages per domain */
    S2PAGE = 256, /* IPA pages of the stage-2 domain */
};
#define POOL      0x80000000ull
#define POOL_SIZE (256ull << 20)
#define IOVA0     0x10000000ull
#define PA_BASE   0x200000000ull /* PAs handed out: disjoint per domain */

typedef struct soak {
    smmu_mem_t *mem;
    smmu_t *smmu;
    smmu_drv_t *drv;
    smmu_domain_t *dom[NDOM + 1]; /* dom[NDOM] is the stage-2 domain (VMID 9) */
    uint64_t pa[NDOM + 1][NPAGE]; /* 0: unmapped */
    unsigned prot[NDOM + 1][NPAGE];
    int sid_dom[NSID]; /* -1 detached (fault), -2 bypass, else the domain index */
    bool stall[NSID];
    uint64_t rng;
    uint64_t op;
    uint64_t seed;
    /* counters */
    uint64_t n_ok, n_fault, n_stall, n_map, n_unmap, n_attach, n_inval, n_pri, n_resp;
    uint64_t stall_done, pri_resp;
} soak_t;

static uint64_t rnd(soak_t *s) { /* xorshift64* */
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return s->rng * 2685821657736338717ull;
}

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, res = 0;
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &size, &res) != 2) res = -1;
    fclose(f);
    return res < 0 ? -1 : res * (sysconf(_SC_PAGESIZE) / 1024);
}

static void fail(const soak_t *s, const char *what) {
    fprintf(stderr, "soak: invariant broken at op %llu (seed %llu): %s\n",
            (unsigned long long)s->op, (unsigned long long)s->seed, what);
    exit(1);
}

static int rd(void *c, uint64_t pa, void *buf, size_t len, bool sec) {
    (void)sec;
    return smmu_mem_read(((soak_t *)c)->mem, pa, buf, len);
}
static int wr(void *c, uint64_t pa, const void *buf, size_t len, bool sec) {
    (void)sec;
    return smmu_mem_write(((soak_t *)c)->mem, pa, buf, len);
}
static void stall_cb(void *c, uint32_t sid, uint16_t stag, int outcome) {
    (void)sid, (void)stag, (void)outcome;
    ((soak_t *)c)->stall_done++;
}
static void pri_cb(void *c, uint32_t sid, uint32_t ssid, bool ssv, uint16_t grpid, unsigned r) {
    (void)sid, (void)ssid, (void)ssv, (void)grpid, (void)r;
    ((soak_t *)c)->pri_resp++;
}

static uint64_t iova(unsigned page) {
    return IOVA0 + 0x1000ull * page;
}

/* Domain d's page p maps to a PA only d ever uses: PA_BASE + d * 2^32 + random page. */
static void op_map(soak_t *s) {
    unsigned d = (unsigned)(rnd(s) % (NDOM + 1)), p = (unsigned)(rnd(s) % NPAGE);
    uint64_t pa = PA_BASE + ((uint64_t)d << 32) + 0x1000ull * (rnd(s) & 0xFFFFF);
    unsigned prot = SMMU_PROT_R | ((rnd(s) & 1) ? SMMU_PROT_W : 0);
    int e = smmu_drv_map(s->drv, s->dom[d], iova(p), pa, 0x1000, prot);
    if (s->pa[d][p] ? e != SMMU_DRV_EEXIST : e != 0) fail(s, "map result");
    if (e == 0) {
        s->pa[d][p] = pa;
        s->prot[d][p] = prot;
        s->n_map++;
    }
}

static void op_unmap(soak_t *s) {
    unsigned d = (unsigned)(rnd(s) % (NDOM + 1)), p = (unsigned)(rnd(s) % NPAGE);
    if (smmu_drv_unmap(s->drv, s->dom[d], iova(p), 0x1000) != 0) fail(s, "unmap");
    s->pa[d][p] = 0;
    s->n_unmap++;
}

static void op_attach(soak_t *s) {
    unsigned sid = (unsigned)(rnd(s) % NSID), k = (unsigned)(rnd(s) % 8);
    int e;
    if (k < 4) {
        e = smmu_drv_attach_s1(s->drv, sid, s->dom[k], 0, SMMU_DRV_S1DSS_TERMINATE);
        if (e == 0) s->sid_dom[sid] = (int)k;
    } else if (k < 6) {
        e = smmu_drv_attach_s2(s->drv, sid, s->dom[NDOM]);
        if (e == 0) s->sid_dom[sid] = NDOM;
    } else if (k == 6) {
        e = smmu_drv_detach(s->drv, sid);
        if (e == 0) s->sid_dom[sid] = -1;
    } else {
        e = smmu_drv_attach_bypass(s->drv, sid);
        if (e == 0) s->sid_dom[sid] = -2;
    }
    if (e != 0) fail(s, "attach");
    s->stall[sid] = false;
    s->n_attach++;
}

/* Every successful translation gives exactly the PA and permissions the stream's domain maps
   (never another domain's page); an unmapped page, a detached stream or a write to a read-only
   page faults (or stalls, for a stalling stream). */
static void op_translate(soak_t *s) {
    unsigned sid = (unsigned)(rnd(s) % NSID), p = (unsigned)(rnd(s) % NPAGE);
    bool write = rnd(s) & 1;
    uint64_t off = (rnd(s) & 0xFF8);
    smmu_result_t r;
    if (smmu_drv_translate(s->drv, sid, SMMU_DRV_NO_SSID, iova(p) + off,
                           write ? SMMU_DRV_WRITE : SMMU_DRV_READ, &r) != 0)
        fail(s, "translate call");
    int d = s->sid_dom[sid];
    if (d == -2) { /* bypass: the input address */
        if (r.status != SMMU_OK || r.pa != iova(p) + off) fail(s, "bypass");
        s->n_ok++;
        return;
    }
    bool mapped = d >= 0 && s->pa[d][p] != 0;
    bool allowed = mapped && (!write || (s->prot[d][p] & SMMU_PROT_W));
    if ((r.status == SMMU_OK) != allowed || (r.status == SMMU_OK && r.pa != s->pa[d][p] + off))
        fprintf(stderr,
                "soak: sid %u domain %d iova 0x%llx %s: status %d pa 0x%llx event 0x%x; "
                "shadow pa 0x%llx prot %u\n",
                sid, d, (unsigned long long)(iova(p) + off), write ? "write" : "read",
                (int)r.status, (unsigned long long)r.pa, r.event,
                (unsigned long long)(d >= 0 ? s->pa[d][p] : 0), d >= 0 ? s->prot[d][p] : 0);
    if (r.status == SMMU_OK) {
        if (!allowed) fail(s, "translation of an unmapped or forbidden page");
        if (r.pa != s->pa[d][p] + off) fail(s, "wrong PA (isolation)");
        uint8_t perm = SMMU_PERM_R | ((s->prot[d][p] & SMMU_PROT_W) ? SMMU_PERM_W : 0);
        if ((r.perm & (SMMU_PERM_R | SMMU_PERM_W)) != perm) fail(s, "wrong permissions");
        s->n_ok++;
    } else if (r.status == SMMU_STALLED) {
        if (allowed || !s->stall[sid]) fail(s, "unexpected stall");
        s->n_stall++;
    } else {
        if (allowed) fail(s, "fault on a mapped page");
        s->n_fault++;
    }
}

static void op_inval(soak_t *s) {
    uint64_t cmd[2] = {0, 0};
    switch (rnd(s) % 3) {
    case 0:
        cmd[0] = SMMU_CMD_TLBI_NH_ALL;
        break;
    case 1:
        cmd[0] = SMMU_CMD_TLBI_NSNH_ALL;
        break;
    default:
        cmd[0] = SMMU_CMD_CFGI_ALL;
        cmd[1] = 31; /* Range 31: everything (spec 4.3.3) */
        break;
    }
    if (smmu_drv_cmd(s->drv, cmd) != 0 || smmu_drv_sync(s->drv) != 0) fail(s, "invalidate");
    s->n_inval++;
}

/* Stalls: a stage-1 stream with the stall model faults on an unmapped page; the driver lists
   the stall and resumes (retry or abort) or terminates it. */
static void op_stall(soak_t *s) {
    unsigned sid = (unsigned)(rnd(s) % NSID);
    int d = s->sid_dom[sid];
    if (d < 0 || d >= NDOM) return;
    if (!s->stall[sid]) {
        if (smmu_drv_set_stall(s->drv, sid, true) != 0) fail(s, "set_stall");
        s->stall[sid] = true;
        return;
    }
    smmu_drv_event_t ev[8];
    int n = smmu_drv_stalls(s->drv, ev, 8);
    if (n < 0) fail(s, "stalls");
    if (n > 0) {
        int e = (rnd(s) & 1) ? smmu_drv_resume(s->drv, ev[0].sid, ev[0].stag, rnd(s) & 1)
                             : smmu_drv_stall_term(s->drv, ev[0].sid);
        if (e != 0) fail(s, "resume");
    } else if (smmu_drv_set_stall(s->drv, sid, false) == 0) {
        s->stall[sid] = false;
    }
}

static void op_pri(soak_t *s) {
    smmu_pri_req_t q;
    memset(&q, 0, sizeof(q));
    q.addr = iova((unsigned)(rnd(s) % NPAGE));
    q.sid = (uint32_t)(rnd(s) % NSID);
    q.read = true;
    q.last = true;
    q.prgi = (uint16_t)(rnd(s) & 0x1FF);
    smmu_pri_request(s->smmu, &q);
    s->n_pri++;
    smmu_drv_ppr_t p;
    while (smmu_drv_next_ppr(s->drv, &p) == 0) {
        if (smmu_drv_pri_respond(s->drv, p.sid, SMMU_DRV_NO_SSID, p.prgi, SMMU_DRV_PRI_SUCCESS) !=
            0)
            fail(s, "pri_respond");
        s->n_resp++;
    }
}

static void drain_events(soak_t *s) {
    smmu_drv_event_t ev;
    for (int i = 0; i < 256 && smmu_drv_next_event(s->drv, &ev) == 0; i++) {}
    (void)smmu_drv_event_overflow(s->drv);
}

static long report(const soak_t *s, const char *when) {
    long rss = rss_kib();
    smmu_drv_info_t info;
    smmu_drv_info(s->drv, &info);
    printf("%-6s op %11llu  rss %6ld KiB  sim pages %6zu  pool used %8llu B  ok %llu fault %llu "
           "stall %llu\n",
           when, (unsigned long long)s->op, rss, smmu_mem_pages(s->mem),
           (unsigned long long)info.pool_used, (unsigned long long)s->n_ok,
           (unsigned long long)s->n_fault, (unsigned long long)s->n_stall);
    fflush(stdout);
    return rss;
}

int main(int argc, char **argv) {
    uint64_t n = 100000000ull, seed = 1;
    int opt;
    while ((opt = getopt(argc, argv, "n:s:")) != -1) {
        if (opt == 'n')
            n = strtoull(optarg, NULL, 0);
        else if (opt == 's')
            seed = strtoull(optarg, NULL, 0);
        else {
            fprintf(stderr, "usage: %s [-n OPS] [-s SEED]\n", argv[0]);
            return 2;
        }
    }
    static soak_t st; /* large (shadow tables): not on the stack */
    soak_t *s = &st;
    s->seed = seed;
    s->rng = seed * 0x9E3779B97F4A7C15ull + 1;
    for (int i = 0; i < NSID; i++)
        s->sid_dom[i] = -1;
    s->mem = smmu_mem_new();
    smmu_params_t p;
    smmu_params_init(&p);
    smmu_host_t h;
    memset(&h, 0, sizeof(h));
    h.ctx = s;
    h.mem_read = rd;
    h.mem_write = wr;
    h.stall_done = stall_cb;
    h.pri_resp = pri_cb;
    s->smmu = s->mem ? smmu_new(&p, &h) : NULL;
    s->drv = s->smmu ? smmu_drv_new_direct(s->smmu, s->mem, POOL, POOL_SIZE) : NULL;
    if (!s->drv || smmu_drv_init(s->drv) != 0) {
        fprintf(stderr, "soak: setup failed\n");
        return 2;
    }
    for (int d = 0; d <= NDOM; d++) {
        smmu_domain_cfg_t c;
        memset(&c, 0, sizeof(c));
        c.stage = d < NDOM ? 1 : 2;
        c.id = (uint16_t)(d < NDOM ? d + 1 : 9);
        c.granule = 4096;
        c.ias = d < NDOM ? 48 : 40;
        if (smmu_drv_domain_new(s->drv, &c, &s->dom[d]) != 0) {
            fprintf(stderr, "soak: domain setup failed\n");
            return 2;
        }
    }
    long rss0 = report(s, "start");
    for (s->op = 0; s->op < n; s->op++) {
        unsigned k = (unsigned)(rnd(s) % 1000);
        if (k < 700)
            op_translate(s);
        else if (k < 820)
            op_map(s);
        else if (k < 940)
            op_unmap(s);
        else if (k < 970)
            op_attach(s);
        else if (k < 980)
            op_inval(s);
        else if (k < 990)
            op_stall(s);
        else
            op_pri(s);
        if ((s->op & 1023) == 0) drain_events(s);
        if (s->op == n / 2) report(s, "middle");
    }
    long rss1 = report(s, "end");
    printf("ops %llu seed %llu: map %llu unmap %llu attach %llu inval %llu pri %llu (responded "
           "%llu, device responses %llu) stall_done %llu; rss start %ld KiB end %ld KiB\n",
           (unsigned long long)n, (unsigned long long)seed, (unsigned long long)s->n_map,
           (unsigned long long)s->n_unmap, (unsigned long long)s->n_attach,
           (unsigned long long)s->n_inval, (unsigned long long)s->n_pri,
           (unsigned long long)s->n_resp, (unsigned long long)s->pri_resp,
           (unsigned long long)s->stall_done, rss0, rss1);
    smmu_drv_free(s->drv);
    smmu_free(s->smmu);
    smmu_mem_free(s->mem);
    return 0;
}
