/* SPDX-License-Identifier: Apache-2.0 */
/* ATS and PRI commands towards devices (spec 4.5): CMD_ATC_INV invalidates a device's ATC and
 * CMD_PRI_RESP answers a page request group; both are delivered through host callbacks. */
#include "internal.h"

static void atc_inv(smmu_t *s, const uint64_t *dw) {
    if (!s->host.atc_inv) return; /* no ATC attached: nothing to invalidate */
    bool ssv = FGET(dw, CMD_SSV);
    uint64_t addr = FGET(dw, CMD_ATC_ADDR) << 12;
    if (s->host.atc_inv(s->host.ctx, (uint32_t)FGET(dw, CMD_SID),
                        ssv ? (uint32_t)FGET(dw, CMD_SSID) : 0, ssv, addr,
                        (unsigned)FGET(dw, CMD_ATC_SIZE), FGET(dw, CMD_ATC_GLOBAL)))
        s->atc_inv_failed = true; /* reported by the next CMD_SYNC (4.7.3) */
}

static void pri_resp(smmu_t *s, const uint64_t *dw) {
    if (!s->host.pri_resp) return;
    bool ssv = FGET(dw, CMD_SSV);
    s->host.pri_resp(s->host.ctx, (uint32_t)FGET(dw, CMD_SID),
                     ssv ? (uint32_t)FGET(dw, CMD_SSID) : 0, ssv, (uint16_t)FGET(dw, CMD_PRI_GRPID),
                     (unsigned)FGET(dw, CMD_PRI_RESP));
}

void smmu_ats_command(smmu_t *s, const uint64_t dw[2]) {
    if (FGET(dw, CMD_OPCODE) == SMMU_CMD_ATC_INV)
        atc_inv(s, dw);
    else
        pri_resp(s, dw);
}
