/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Fuzz target 1 (issue 6): register writes and command streams against a live core. The input
 * is a sequence of operations: register reads/writes of any offset and size (biased towards the
 * architected offsets), commands written into the command queue memory and published with
 * CMDQ_PROD, deferred consumption, and translations. */
#include <smmu/mem.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>

#include "fuzz_common.h"

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

static void op(smmu_t *s, smmu_mem_t *m, fz_t *f) {
    uint8_t kind = fz_u8(f);
    switch (kind % 6) {
    case 0: { /* architected register write */
        uint32_t off = offsets[fz_u8(f) % NOFF];
        smmu_reg_write(s, off + ((kind & 0x40) ? 4 : 0), fz_u64(f), (kind & 0x80) ? 8 : 4);
        break;
    }
    case 1: /* any offset, any size */
        smmu_reg_write(s, fz_u32(f) & 0x1FFFF, fz_u64(f), fz_u8(f) % 9);
        break;
    case 2:
        (void)smmu_reg_read(s, fz_u32(f) & 0x1FFFF, fz_u8(f) % 9);
        break;
    case 3: { /* a command into the queue memory, then publish */
        uint32_t slot = fz_u8(f);
        smmu_mem_write64(m, CMDQ_PA + 16ull * slot, fz_u64(f));
        smmu_mem_write64(m, CMDQ_PA + 16ull * slot + 8, fz_u64(f));
        smmu_reg_write(s, SMMU_CMDQ_PROD, fz_u32(f), 4);
        break;
    }
    case 4:
        smmu_cmdq_run(s, fz_u8(f));
        break;
    default: {
        smmu_txn_t t = {.addr = fz_u64(f), .sid = fz_u8(f), .len = 4, .write = kind & 8};
        smmu_result_t r;
        smmu_translate(s, &t, &r);
        break;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_t f = {data, size, 0};
    smmu_params_t p;
    smmu_params_init(&p);
    p.defer_cmdq = fz_u8(&f) & 1;
    smmu_mem_t *m = smmu_mem_new();
    smmu_host_t h;
    smmu_mem_host(m, &h);
    smmu_t *s = smmu_new(&p, &h);
    if (s) {
        smmu_reg_write(s, SMMU_CMDQ_BASE, CMDQ_PA | 8, 8);
        smmu_reg_write(s, SMMU_CR0, SMMU_CR0_CMDQEN, 4);
        for (int i = 0; i < 256 && !fz_done(&f); i++)
            op(s, m, &f);
        smmu_free(s);
    }
    smmu_mem_free(m);
    return 0;
}
