// SPDX-License-Identifier: Apache-2.0 OR MIT
// Cache maintenance as a driver does it after changing tables in memory (spec 3.21, 4.3, 4.4):
// commands written at the current CMDQ_PROD of the fixture's command queue (CMDQ at tfx::CMDQ,
// 2^8 entries, as SmmuTest::enable() programs it), each batch followed by a CMD_SYNC.
#pragma once
#include <initializer_list>

#include <smmu/mem.h>
#include <smmu/regs.h>
#include <smmu/smmu.h>

#include "fixture.h"
#include "tenc_cmd.h"

namespace tfx {

// Writes cmds and a CMD_SYNC, publishes them, and returns true when the queue consumed them
// all without a command error (CMDQ_CONS == CMDQ_PROD, CONS.ERR == 0).
inline bool run_cmds(smmu_t *smmu, smmu_mem_t *mem, std::initializer_list<tenc::Cmd> cmds,
                     unsigned log2 = 8) {
    uint32_t prod = (uint32_t)smmu_reg_read(smmu, SMMU_CMDQ_PROD, 4);
    uint32_t mask = (2u << log2) - 1;
    auto push = [&](const tenc::Cmd &c) {
        uint64_t slot = CMDQ + 16ull * (prod & ((1u << log2) - 1));
        smmu_mem_write64(mem, slot, c.dw[0]);
        smmu_mem_write64(mem, slot + 8, c.dw[1]);
        prod = (prod & ~mask) | ((prod + 1) & mask);
    };
    for (const tenc::Cmd &c : cmds)
        push(c);
    push(tenc::cmd_sync());
    smmu_reg_write(smmu, SMMU_CMDQ_PROD, prod, 4);
    uint32_t cons = (uint32_t)smmu_reg_read(smmu, SMMU_CMDQ_CONS, 4);
    return (cons & mask) == (prod & mask) && ((cons >> 24) & 0x7F) == 0;
}

// Everything cached goes: CFGI_ALL, then all Non-secure TLB entries (NSNH_ALL) and the EL2 ones
// when the SMMU has EL2 StreamWorlds (spec 4.3.6 recommends TLB invalidation after CFGI_ALL).
inline bool invalidate_all(smmu_t *smmu, smmu_mem_t *mem) {
    bool hyp = smmu_params(smmu)->hyp;
    if (!run_cmds(smmu, mem, {tenc::cfgi_all(), tenc::tlbi_nsnh_all()})) return false;
    return !hyp || run_cmds(smmu, mem, {tenc::tlbi_el2_all()});
}

} // namespace tfx
