/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Fuzz target 5 (issue 17 "Save and restore"): the restore path. smmu_restore() takes a
 * guest- or file-controlled blob: whatever it holds, the answer is a status, a refused blob
 * leaves the instance unchanged, and an accepted one gives an instance that works (translations
 * in both worlds, commands, register and PMCG reads, PRI requests: no crash, no sanitizer
 * report) and saves a blob that restores to the same state.
 *
 * A pooled instance is brought to a rich state once (the driver: stage-1 streams, stalled
 * transactions whose records wait for a full Event queue, a page request, PMCG counters; the
 * Secure interface enabled) and saved: the base blob. Each input starts from it. Input byte 0
 * selects how the blob under test is made from the rest:
 *   0: the input itself;
 *   1: the base blob with edits (u16 offset, u8 xor each), checksum recomputed (docs/state.md):
 *      corrupted structures that pass the checksum reach the field checks;
 *   2: the same edits, checksum left as it is;
 *   3: the base blob truncated at a u16 length. */
#include <smmu/drv.h>
#include <smmu/mem.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

enum { POOL = 0x40000000, POOL_SIZE = 16 << 20, S_STRTAB = 0x1000000, HDR = 40, SUM = 32 };

static smmu_mem_t *mem;
static smmu_t *s;
static uint8_t *base, *work, *again;
static size_t base_len;

static void must(int ok) {
    if (!ok) abort();
}

/* Secure interface: a linear Secure Stream table of 8 bypass STEs (5.2: V, Config 0b100) and
   S_CR0.SMMUEN (6.3.57). */
static void secure_setup(void) {
    for (unsigned sid = 0; sid < 8; sid++)
        smmu_mem_write64(mem, S_STRTAB + 64ull * sid, 0x9); /* one memory for both spaces */
    smmu_reg_write_sec(s, 0x8080, S_STRTAB, 8, true);
    smmu_reg_write_sec(s, 0x8088, 3, 4, true);
    smmu_reg_write_sec(s, 0x8020, 1, 4, true);
}

/* The rich state of the base blob (see the top). */
static void build(void) {
    smmu_params_t p;
    smmu_params_init(&p);
    p.stall_max = 8;
    p.pmcg_counter_bits = 32;
    p.stream_stats_entries = 4;
    mem = smmu_mem_new();
    smmu_host_t h = {0};
    smmu_mem_host(mem, &h);
    s = smmu_new(&p, &h);
    must(mem && s);
    smmu_drv_t *d = smmu_drv_new_direct(s, mem, POOL, POOL_SIZE);
    must(d && smmu_drv_init(d) == 0);
    smmu_domain_cfg_t c = {.stage = 1, .id = 1, .granule = 4096, .ias = 48};
    smmu_domain_t *dom = NULL;
    must(smmu_drv_domain_new(d, &c, &dom) == 0);
    must(smmu_drv_map(d, dom, 0x100000, 0x200000, 0x4000, SMMU_PROT_R | SMMU_PROT_W) == 0);
    for (uint32_t sid = 1; sid < 4; sid++)
        must(smmu_drv_attach_s1(d, sid, dom, 0, 0) == 0);
    must(smmu_drv_set_stall(d, 2, true) == 0);
    smmu_drv_pmcg_t *pm = smmu_drv_pmcg_new_direct(s, 0);
    must(pm && smmu_drv_pmcg_start(pm, 0, 1, NULL) == 0);
    secure_setup();
    for (unsigned i = 0; i < 200; i++) { /* the Event queue (128) fills; stalls wait */
        smmu_result_t r;
        smmu_drv_translate(d, 1 + i % 3, SMMU_DRV_NO_SSID, 0x100000 + 0x1000ull * (i % 9), 0, &r);
    }
    smmu_pri_req_t q = {.addr = 0x5000, .sid = 1, .read = true, .last = true};
    smmu_pri_request(s, &q);
    smmu_drv_pmcg_free(pm);
    smmu_drv_free(d);
    base_len = smmu_save_size(s);
    base = malloc(base_len);
    work = malloc(base_len);
    again = malloc(base_len);
    must(base && work && again && smmu_save(s, base, base_len, NULL) == SMMU_STATE_OK);
}

static void reseal(uint8_t *b, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = HDR; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    for (unsigned i = 0; i < 8; i++)
        b[SUM + i] = (uint8_t)(h >> (8 * i));
}

/* The blob of the input (see the top); its length in *n. */
static const uint8_t *blob_of(fz_t *f, size_t *n) {
    const unsigned mode = fz_u8(f) & 3;
    if (mode == 0) {
        *n = f->n - f->i;
        return f->p + f->i;
    }
    memcpy(work, base, base_len);
    *n = base_len;
    if (mode == 3) {
        *n = fz_bytes(f, 2) % (base_len + 1);
        return work;
    }
    while (!fz_done(f)) {
        const size_t at = fz_bytes(f, 2) % base_len;
        work[at] ^= fz_u8(f);
    }
    if (mode == 1) reseal(work, base_len);
    return work;
}

/* The restored instance works: traffic of both worlds, commands, reads, page requests. */
static void exercise(void) {
    for (unsigned i = 0; i < 16; i++) {
        smmu_txn_t t = {.addr = 0x100000 + 0x1000ull * (i % 6),
                        .sid = i % 5,
                        .len = 4,
                        .write = i & 1,
                        .secure = (i % 7) == 3};
        smmu_result_t r;
        smmu_translate(s, &t, &r);
    }
    smmu_cmdq_run(s, 0);
    smmu_cmdq_run_sec(s, 0, true);
    for (uint64_t o = 0; o < 0x200; o += 4)
        (void)smmu_reg_read_sec(s, o, 4, true);
    for (uint64_t o = 0x8000; o < 0x8100; o += 4)
        (void)smmu_reg_read_sec(s, o, 4, true);
    for (uint64_t o = 0; o < 0x2000; o += 8)
        (void)smmu_pmcg_reg_read(s, 0, o, 8);
    smmu_reg_write(s, 0x100AC, smmu_reg_read(s, 0x100A8, 4), 4); /* drain: pending records */
    smmu_pri_req_t q = {.addr = 0x6000, .sid = 3, .read = true, .last = true};
    smmu_pri_request(s, &q);
    smmu_pmcg_tick(s, 1000);
}

/* Accepted blobs may place queues anywhere: the memory is renewed before it grows large. */
static void renew_if_large(void) {
    if (!s || smmu_mem_pages(mem) < 4096) return;
    smmu_free(s);
    smmu_mem_free(mem);
    free(base);
    free(work);
    free(again);
    s = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    renew_if_large();
    if (!s) build();
    must(smmu_restore(s, base, base_len) == SMMU_STATE_OK);
    fz_t f = {data, size, 0};
    size_t n = 0;
    const uint8_t *b = blob_of(&f, &n);
    const smmu_state_status_t st = smmu_restore(s, b, n);
    if (st != SMMU_STATE_OK) { /* refused: the instance still holds the base state */
        must(smmu_save_size(s) == base_len);
        must(smmu_save(s, again, base_len, NULL) == SMMU_STATE_OK);
        must(memcmp(again, base, base_len) == 0);
        return 0;
    }
    /* accepted: it saves what it restored */
    const size_t len = smmu_save_size(s);
    uint8_t *out = malloc(len);
    must(out && smmu_save(s, out, len, NULL) == SMMU_STATE_OK && len == n && !memcmp(out, b, n));
    free(out);
    exercise();
    return 0;
}
