/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The driver's use of the Non-secure ATOS group (spec chapter 9, 6.3.37-6.3.40): the lookup
 * procedure of chapter 9 and ATOS_PAR decoded. */
#include <smmu/drv.h>

#include <string.h>

#include "drv_priv.h"

static uint64_t sid_value(uint32_t sid, uint32_t ssid) {
    uint64_t v = SMMU_VSET(0ull, SMMU_F_ATOS_SID_STREAMID, sid);
    if (ssid == SMMU_DRV_NO_SSID) return v;
    v = SMMU_VSET(v, SMMU_F_ATOS_SID_SUBSTREAMID, ssid);
    return SMMU_VSET(v, SMMU_F_ATOS_SID_SSID_VALID, 1);
}

/* ATOS_ADDR (6.3.39): RnW 1 for a read; InD only for reads. */
static uint64_t addr_value(uint64_t addr, unsigned type, unsigned access, bool httui) {
    const bool write = access & SMMU_DRV_WRITE;
    uint64_t v = addr & SMMU_FMASK64(SMMU_F_ATOS_ADDR_ADDR);
    v = SMMU_VSET(v, SMMU_F_ATOS_ADDR_TYPE, type);
    v = SMMU_VSET(v, SMMU_F_ATOS_ADDR_RNW, !write);
    v = SMMU_VSET(v, SMMU_F_ATOS_ADDR_IND, !write && (access & SMMU_DRV_EXEC));
    v = SMMU_VSET(v, SMMU_F_ATOS_ADDR_PNU, (access & SMMU_DRV_PRIV) != 0);
    return SMMU_VSET(v, SMMU_F_ATOS_ADDR_HTTUI, httui);
}

/* 6.3.40: with Size == 1 the lowest set bit N of ADDR gives a size of 2^(N+1). */
static void decode_par(uint64_t par, smmu_drv_atos_res_t *r) {
    r->fault = SMMU_VGET(par, SMMU_F_ATOS_PAR_FAULT);
    if (r->fault) {
        r->faultcode = (uint8_t)SMMU_VGET(par, SMMU_F_ATOS_PAR_FAULTCODE);
        r->reason = (uint8_t)SMMU_VGET(par, SMMU_F_ATOS_PAR_REASON);
        r->faddr = SMMU_VGET(par, SMMU_F_ATOS_PAR_FADDR) << 12;
        return;
    }
    const uint64_t addr = SMMU_VGET(par, SMMU_F_ATOS_PAR_ADDR) << 12;
    r->size = 1ull << 12;
    if (SMMU_VGET(par, SMMU_F_ATOS_PAR_SIZE) && addr) r->size = 2ull << __builtin_ctzll(addr);
    r->pa = addr & ~(r->size - 1);
    r->attr = (uint8_t)SMMU_VGET(par, SMMU_F_ATOS_PAR_ATTR);
    r->sh = (uint8_t)SMMU_VGET(par, SMMU_F_ATOS_PAR_SH);
}

int smmu_drv_atos(smmu_drv_t *d, uint32_t sid, uint32_t ssid, uint64_t addr, unsigned type,
                  unsigned access, bool httui, smmu_drv_atos_res_t *res) {
    if (!d || !res || type < SMMU_DRV_ATOS_S1 || type > SMMU_DRV_ATOS_S12) return SMMU_DRV_EINVAL;
    if (!SMMU_VGET(drv_rd(d, SMMU_IDR0, 4), SMMU_F_IDR0_ATOS)) return SMMU_DRV_ENOTSUP;
    memset(res, 0, sizeof(*res));
    drv_wr(d, SMMU_GATOS_SID, sid_value(sid, ssid), 8);
    drv_wr(d, SMMU_GATOS_ADDR, addr_value(addr, type, access, httui), 8);
    drv_wr(d, SMMU_GATOS_CTRL, SMMU_FMASK64(SMMU_F_ATOS_CTRL_RUN), 4);
    for (unsigned polls = 0; SMMU_VGET(drv_rd(d, SMMU_GATOS_CTRL, 4), SMMU_F_ATOS_CTRL_RUN);)
        if (++polls >= d->cfg.poll_limit) return SMMU_DRV_ETIMEDOUT;
    decode_par(drv_rd(d, SMMU_GATOS_PAR, 8), res);
    return 0;
}
