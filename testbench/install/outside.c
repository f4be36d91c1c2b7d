/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* A program outside the project, built against an installed libsmmu (pkg-config or
 * find_package(smmu)). It uses only the contract API, <smmu/regs.h> and <smmu/mem.h>: it writes
 * a stream table, a context descriptor and a 4-level 4 KiB page table itself (bit positions from
 * IHI 0070 5.2/5.4 and Arm ARM D8.3), enables the SMMU, and translates one address. */
#include <inttypes.h>
#include <stdio.h>

#include <smmu/mem.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>

#define STRTAB 0x100000ull
#define CMDQ   0x200000ull
#define EVTQ   0x300000ull
#define CD     0x400000ull
#define TT     0x500000ull /* L0, L1, L2, L3 tables at TT + n * 0x1000 */
#define SID    3u
#define VA     0x400123ull
#define PA     0x89abc123ull

static void build_tables(smmu_mem_t *m) {
    /* STE (5.2): V=1, Config=0b101 (stage 1), S1ContextPtr = CD, S1CDMax = 0. */
    smmu_mem_write64(m, STRTAB + 64 * SID, 1ull | (5ull << 1) | CD);
    /* CD (5.4): T0SZ=16, TG0=4K, EPD1, V, IPS=48 bits, AA64, R, A, ASID 1; TTB0; MAIR0 = 0xFF. */
    smmu_mem_write64(m, CD,
                     16ull | (1ull << 30) | (1ull << 31) | (5ull << 32) | (1ull << 41) |
                         (1ull << 45) | (1ull << 46) | (1ull << 48));
    smmu_mem_write64(m, CD + 8, TT);
    smmu_mem_write64(m, CD + 24, 0xFF);
    /* Tables (D8.3): VA 0x400123 -> L0[0], L1[0], L2[2], L3[0]. */
    smmu_mem_write64(m, TT, (TT + 0x1000) | 3);
    smmu_mem_write64(m, TT + 0x1000, (TT + 0x2000) | 3);
    smmu_mem_write64(m, TT + 0x2000 + 8 * 2, (TT + 0x3000) | 3);
    /* Page: AF, inner shareable, AP[2:1] = 0b01 (read/write, any EL), AttrIndx 0. */
    smmu_mem_write64(m, TT + 0x3000,
                     (PA & ~0xFFFull) | (1ull << 10) | (3ull << 8) | (1ull << 6) | 3);
}

static int enable(smmu_t *s, smmu_mem_t *m) {
    smmu_reg_write(s, SMMU_STRTAB_BASE, STRTAB, 8);
    smmu_reg_write(s, SMMU_STRTAB_BASE_CFG, 4, 4); /* linear, 16 STEs */
    smmu_reg_write(s, SMMU_CMDQ_BASE, CMDQ | 4, 8);
    smmu_reg_write(s, SMMU_CMDQ_PROD, 0, 4);
    smmu_reg_write(s, SMMU_CMDQ_CONS, 0, 4);
    smmu_reg_write(s, SMMU_EVENTQ_BASE, EVTQ | 4, 8);
    smmu_reg_write(s, SMMU_EVENTQ_PROD, 0, 4);
    smmu_reg_write(s, SMMU_EVENTQ_CONS, 0, 4);
    uint32_t cr0 = SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN;
    smmu_reg_write(s, SMMU_CR0, cr0, 4);
    /* CMD_CFGI_ALL (opcode 0x04, Range 31) and CMD_SYNC (0x46), as 3.11 recommends. */
    smmu_mem_write64(m, CMDQ, 0x04);
    smmu_mem_write64(m, CMDQ + 8, 31);
    smmu_mem_write64(m, CMDQ + 16, 0x46);
    smmu_mem_write64(m, CMDQ + 24, 0);
    smmu_reg_write(s, SMMU_CMDQ_PROD, 2, 4);
    if (smmu_reg_read(s, SMMU_CMDQ_CONS, 4) != 2) return -1;
    smmu_reg_write(s, SMMU_CR0, cr0 | SMMU_CR0_SMMUEN, 4);
    return smmu_reg_read(s, SMMU_CR0ACK, 4) == (cr0 | SMMU_CR0_SMMUEN) ? 0 : -1;
}

int main(void) {
    smmu_mem_t *m = smmu_mem_new();
    if (!m) return 1;
    smmu_host_t host;
    smmu_mem_host(m, &host);
    smmu_params_t p;
    smmu_params_init(&p);
    smmu_t *s = smmu_new(&p, &host);
    int rc = 1;
    if (s && enable(s, m) == 0) {
        build_tables(m);
        smmu_txn_t t = {0};
        t.addr = VA;
        t.sid = SID;
        t.len = 4;
        smmu_result_t r;
        smmu_translate(s, &t, &r);
        printf("translate sid %u va 0x%" PRIx64 " -> %s pa 0x%" PRIx64 "\n", SID, (uint64_t)VA,
               r.status == SMMU_OK ? "ok" : "FAULT", r.pa);
        rc = !(r.status == SMMU_OK && r.pa == PA);
    }
    printf("outside: %s\n", rc ? "FAILED" : "OK");
    smmu_free(s);
    smmu_mem_free(m);
    return rc;
}
