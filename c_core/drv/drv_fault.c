/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* The small driver: stalled transactions (spec 3.12.2; CMD_RESUME 4.7.1, CMD_STALL_TERM 4.7.2),
 * found in the Event queue as records with Stall == 1, and page requests (chapter 8) read from
 * the PRI queue and answered with CMD_PRI_RESP (4.5.2). Every command is followed by CMD_SYNC. */
#include <stdlib.h>
#include <string.h>

#include "drv_priv.h"

/* ------------------------------------------------------------------ set-aside events */

static int evbuf_push(smmu_drv_t *d, const smmu_drv_event_t *ev) {
    if (d->evbuf_n == d->evbuf_cap) {
        size_t n = d->evbuf_cap ? 2 * d->evbuf_cap : 16;
        smmu_drv_event_t *b = malloc(n * sizeof(*b));
        if (!b) return SMMU_DRV_ENOMEM;
        for (size_t i = 0; i < d->evbuf_n; i++) /* unwrap the ring into the new buffer */
            b[i] = d->evbuf[(d->evbuf_head + i) % d->evbuf_cap];
        free(d->evbuf);
        d->evbuf = b;
        d->evbuf_cap = n;
        d->evbuf_head = 0;
    }
    d->evbuf[(d->evbuf_head + d->evbuf_n) % d->evbuf_cap] = *ev;
    d->evbuf_n++;
    return 0;
}

bool drv_evbuf_pop(smmu_drv_t *d, smmu_drv_event_t *ev) {
    if (!d->evbuf_n) return false;
    *ev = d->evbuf[d->evbuf_head];
    d->evbuf_head = (d->evbuf_head + 1) % d->evbuf_cap;
    d->evbuf_n--;
    return true;
}

void drv_fault_free(smmu_drv_t *d) {
    free(d->evbuf);
    free(d->stalls);
}

/* ------------------------------------------------------------------ stalls */

int drv_stall_add(smmu_drv_t *d, const smmu_drv_event_t *ev) {
    if (d->nstalls == d->capstalls) {
        size_t n = d->capstalls ? 2 * d->capstalls : 16;
        smmu_drv_event_t *s = realloc(d->stalls, n * sizeof(*s));
        if (!s) return SMMU_DRV_ENOMEM;
        d->stalls = s;
        d->capstalls = n;
    }
    d->stalls[d->nstalls++] = *ev;
    return 0;
}

/* Drops the listed stalls of sid (all when any_stag, else only stag), keeping the order. */
static size_t stall_drop(smmu_drv_t *d, uint32_t sid, uint16_t stag, bool any_stag) {
    size_t kept = 0, dropped = 0;
    for (size_t i = 0; i < d->nstalls; i++) {
        const smmu_drv_event_t *e = &d->stalls[i];
        if (e->sid == sid && (any_stag || e->stag == stag))
            dropped++;
        else
            d->stalls[kept++] = *e;
    }
    d->nstalls = kept;
    return dropped;
}

int smmu_drv_stalls(smmu_drv_t *d, smmu_drv_event_t *out, unsigned max) {
    if (!d || !d->info.eventq) return SMMU_DRV_EINVAL;
    smmu_drv_event_t ev;
    int err;
    while ((err = drv_read_event(d, &ev)) == 0) {
        err = ev.stall ? drv_stall_add(d, &ev) : evbuf_push(d, &ev);
        if (err) return err;
    }
    if (err != SMMU_DRV_ENOENT) return err;
    for (size_t i = 0; out && i < d->nstalls && i < max; i++)
        out[i] = d->stalls[i];
    return (int)d->nstalls;
}

int smmu_drv_resume(smmu_drv_t *d, uint32_t sid, uint16_t stag, bool retry) {
    if (!d || !d->ready) return SMMU_DRV_EINVAL;
    if (!stall_drop(d, sid, stag, false)) return SMMU_DRV_ENOENT;
    uint64_t cmd[2] = {0, 0};
    SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_RESUME);
    SMMU_FSET(cmd, SMMU_F_CMD_SID, sid);
    SMMU_FSET(cmd, SMMU_F_CMD_RESUME_STAG, stag);
    SMMU_FSET(cmd, SMMU_F_CMD_RESUME_AC, retry);
    SMMU_FSET(cmd, SMMU_F_CMD_RESUME_AB, !retry); /* terminate with an abort, not RAZ/WI */
    int err = smmu_drv_cmd(d, cmd);
    return err && err != SMMU_DRV_ECERROR ? err : smmu_drv_sync(d);
}

int smmu_drv_stall_term(smmu_drv_t *d, uint32_t sid) {
    if (!d || !d->ready) return SMMU_DRV_EINVAL;
    stall_drop(d, sid, 0, true);
    uint64_t cmd[2] = {0, 0};
    SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_STALL_TERM);
    SMMU_FSET(cmd, SMMU_F_CMD_SID, sid);
    int err = smmu_drv_cmd(d, cmd);
    return err && err != SMMU_DRV_ECERROR ? err : smmu_drv_sync(d);
}

/* ------------------------------------------------------------------ page requests */

static void decode_ppr(const uint64_t rec[2], smmu_drv_ppr_t *p) {
    memset(p, 0, sizeof(*p));
    memcpy(p->raw, rec, sizeof(p->raw));
    p->sid = (uint32_t)SMMU_FGET(rec, SMMU_F_PRI_SID);
    p->ssv = SMMU_FGET(rec, SMMU_F_PRI_SSV);
    p->ssid = p->ssv ? (uint32_t)SMMU_FGET(rec, SMMU_F_PRI_SSID) : 0;
    p->priv = SMMU_FGET(rec, SMMU_F_PRI_PRIV);
    p->exec = SMMU_FGET(rec, SMMU_F_PRI_EXEC);
    p->read = SMMU_FGET(rec, SMMU_F_PRI_READ);
    p->write = SMMU_FGET(rec, SMMU_F_PRI_WRITE);
    p->last = SMMU_FGET(rec, SMMU_F_PRI_LAST);
    p->stop = p->ssv && p->last && !p->read && !p->write;
    p->prgi = (uint16_t)SMMU_FGET(rec, SMMU_F_PRI_PRGIDX);
    p->addr = SMMU_FADDR(rec, SMMU_F_PRI_ADDR);
}

int smmu_drv_next_ppr(smmu_drv_t *d, smmu_drv_ppr_t *p) {
    if (!d || !p) return SMMU_DRV_EINVAL;
    if (!d->info.pri) return SMMU_DRV_ENOTSUP;
    const drv_outq_t q = {SMMU_PRIQ_PROD, SMMU_PRIQ_CONS, d->info.priq, d->info.priq_log2, 2};
    uint64_t rec[2];
    int err = drv_q_pop(d, &q, &d->priq_cons, rec);
    if (err == 0) decode_ppr(rec, p);
    return err;
}

bool smmu_drv_pri_overflow(smmu_drv_t *d) {
    if (!d || !d->info.pri) return false;
    uint32_t prod = (uint32_t)drv_rd(d, SMMU_PRIQ_PROD, 4);
    uint32_t cons = (uint32_t)drv_rd(d, SMMU_PRIQ_CONS, 4);
    return ((prod ^ cons) & SMMU_Q_OVFLG) != 0;
}

int smmu_drv_pri_respond(smmu_drv_t *d, uint32_t sid, uint32_t ssid, uint16_t prgi, unsigned resp) {
    if (!d || !d->ready || resp > SMMU_DRV_PRI_SUCCESS || prgi > SMMU_FMASK64(SMMU_F_CMD_PRI_GRPID))
        return SMMU_DRV_EINVAL;
    if (!d->info.pri) return SMMU_DRV_ENOTSUP;
    uint64_t cmd[2] = {0, 0};
    SMMU_FSET(cmd, SMMU_F_CMD_OPCODE, SMMU_CMD_PRI_RESP);
    SMMU_FSET(cmd, SMMU_F_CMD_SID, sid);
    if (ssid != SMMU_DRV_NO_SSID) {
        SMMU_FSET(cmd, SMMU_F_CMD_SSV, 1);
        SMMU_FSET(cmd, SMMU_F_CMD_SSID, ssid);
    }
    SMMU_FSET(cmd, SMMU_F_CMD_PRI_GRPID, prgi);
    SMMU_FSET(cmd, SMMU_F_CMD_PRI_RESP, resp);
    int err = smmu_drv_cmd(d, cmd);
    return err && err != SMMU_DRV_ECERROR ? err : smmu_drv_sync(d);
}
