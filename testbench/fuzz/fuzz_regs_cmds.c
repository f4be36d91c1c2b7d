/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Fuzz target 1 (issue 6): register writes and command streams against a live core. The input
 * is a sequence of operations: register reads/writes of any offset and size (biased towards the
 * architected offsets), commands written into the command queue memory and published with
 * CMDQ_PROD, deferred consumption, broadcast TLB invalidations (smmu_dvm_tlbi, spec 3.17) and
 * translations. The first byte also picks the implemented features (IDR0.HTTU/BTM, IDR3.BBML/FWB/
 * E0PD/XNX), so the ID registers and the fields they make RES0 vary. Both programming interfaces
 * are driven (issue 17, spec 3.10.2.1): register accesses of either security (the SMMU_S_* bank
 * included), commands published on the Secure Command queue too, Secure transactions. */
#include <smmu/mem.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>

#include "fuzz_common.h"
#include "fuzz_reuse.h"

static const uint32_t offsets[] = {SMMU_CR0,
                                   SMMU_CR1,
                                   SMMU_CR2,
                                   SMMU_GBPA,
                                   SMMU_IRQ_CTRL,
                                   SMMU_GERRORN,
                                   SMMU_GERROR_IRQ_CFG0,
                                   SMMU_GERROR_IRQ_CFG1,
                                   SMMU_GERROR_IRQ_CFG2,
                                   SMMU_STRTAB_BASE,
                                   SMMU_STRTAB_BASE_CFG,
                                   SMMU_CMDQ_BASE,
                                   SMMU_CMDQ_PROD,
                                   SMMU_CMDQ_CONS,
                                   SMMU_EVENTQ_BASE,
                                   SMMU_EVENTQ_PROD,
                                   SMMU_EVENTQ_CONS,
                                   SMMU_EVENTQ_IRQ_CFG0,
                                   SMMU_EVENTQ_IRQ_CFG1,
                                   SMMU_EVENTQ_IRQ_CFG2,
                                   SMMU_PRIQ_BASE,
                                   SMMU_PRIQ_PROD,
                                   SMMU_PRIQ_CONS,
                                   SMMU_PRIQ_IRQ_CFG0,
                                   SMMU_IDR0,
                                   SMMU_CR0ACK};

enum { CMDQ_PA = 0x1000000, NOFF = sizeof(offsets) / sizeof(offsets[0]) };

/* A broadcast TLB invalidation of any form with input-chosen arguments (3.17). */
static void dvm(smmu_t *s, fz_t *f) {
    uint8_t a = fz_u8(f), b = fz_u8(f);
    smmu_dvm_tlbi_t op = {.op = (a & 15) % 12, /* 11 forms and one undefined */
                          .e2h = a & 16,
                          .leaf = a & 32,
                          .range = a & 64,
                          .secure = a & 128,
                          .asid = (uint16_t)fz_bytes(f, 2),
                          .vmid = (uint16_t)fz_bytes(f, 2),
                          .addr = fz_u64(f),
                          .tg = b & 3,
                          .ttl = (b >> 2) & 3,
                          .num = fz_u8(f) & 31,
                          .scale = (b >> 4) & 3};
    (void)smmu_dvm_tlbi(s, &op);
}

static void op(smmu_t *s, smmu_mem_t *m, fz_t *f, uint64_t *dig) {
    uint8_t kind = fz_u8(f);
    switch (kind % 6) {
    case 0: { /* architected register write */
        uint32_t off = offsets[fz_u8(f) % NOFF];
        smmu_reg_write(s, off + ((kind & 0x40) ? 4 : 0), fz_u64(f), (kind & 0x80) ? 8 : 4);
        break;
    }
    case 1: /* any offset, any size, either security */
        smmu_reg_write_sec(s, fz_u32(f) & 0x1FFFF, fz_u64(f), fz_u8(f) % 9, kind & 0x20);
        break;
    case 2:
        fz_mix64(dig, smmu_reg_read_sec(s, fz_u32(f) & 0x1FFFF, fz_u8(f) % 9, kind & 0x20));
        break;
    case 3: { /* a command into the queue memory, then publish */
        uint32_t slot = fz_u8(f);
        smmu_mem_write64(m, CMDQ_PA + 16ull * slot, fz_u64(f));
        smmu_mem_write64(m, CMDQ_PA + 16ull * slot + 8, fz_u64(f));
        if (kind & 0x20)
            smmu_reg_write_sec(s, SMMU_S_CMDQ_PROD, fz_u32(f), 4, true);
        else
            smmu_reg_write(s, SMMU_CMDQ_PROD, fz_u32(f), 4);
        break;
    }
    case 4:
        if (kind & 0x80)
            dvm(s, f);
        else
            smmu_cmdq_run_sec(s, fz_u8(f), kind & 0x20);
        break;
    default: {
        smmu_txn_t t = {
            .addr = fz_u64(f), .sid = fz_u8(f), .len = 4, .write = kind & 8, .secure = kind & 16};
        smmu_result_t r;
        smmu_translate(s, &t, &r);
        fz_mix_result(dig, &r);
        break;
    }
    }
}

/* One input on a pooled instance (reset) or a new one (fresh); returns the digest of what it did
   (fuzz_reuse.h). */
static uint64_t run(const uint8_t *data, size_t size, bool fresh) {
    fz_t f = {data, size, 0};
    smmu_params_t p;
    memset(&p, 0, sizeof(p)); /* pool key: padding too */
    smmu_params_init(&p);
    uint8_t b0 = fz_u8(&f);
    p.defer_cmdq = b0 & 1;
    /* bits 1..7 all 0: the defaults (everything implemented) */
    p.httu = (uint8_t)(2 - ((b0 >> 1) & 3) % 3);
    p.bbml = (uint8_t)(2 - ((b0 >> 3) & 3) % 3);
    p.fwb = !(b0 & 0x20);
    p.e0pd = p.xnx = !(b0 & 0x40);
    p.btm = !(b0 & 0x80);
    smmu_mem_t *m = smmu_mem_new();
    smmu_host_t h;
    smmu_mem_host(m, &h);
    fz_relay_t *rl;
    smmu_t *s = fz_get(&p, &h, fresh, &rl);
    uint64_t dig = 0;
    if (s) {
        smmu_reg_write(s, SMMU_CMDQ_BASE, CMDQ_PA | 8, 8);
        smmu_reg_write(s, SMMU_CR0, SMMU_CR0_CMDQEN, 4);
        smmu_reg_write_sec(s, SMMU_S_CMDQ_BASE, CMDQ_PA | 8, 8, true); /* the same queue memory */
        smmu_reg_write_sec(s, SMMU_S_CR0, SMMU_CR0_CMDQEN, 4, true);
        for (int i = 0; i < 256 && !fz_done(&f); i++)
            op(s, m, &f, &rl->dig);
        fz_mix_state(&rl->dig, s);
        dig = rl->dig;
        fz_put(s, fresh);
    }
    smmu_mem_free(m);
    return dig;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_run_checked(run, data, size);
    return 0;
}
