/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Faults and event records (spec 7.3): a fault found on the translation path by a structure
 * fetch, a decode or a walk (smmu_fault_t), and everything an event record can carry
 * (smmu_event_t), which a translation builds from a fault and its transaction, stall.c keeps for
 * a stalled one and evtq.c encodes. Types only. */
#ifndef SMMU_CORE_FAULT_H
#define SMMU_CORE_FAULT_H

#include <stdbool.h>
#include <stdint.h>

/* A fault found somewhere on the translation path, before it becomes an event record. */
typedef struct smmu_fault {
    uint8_t type;        /* SMMU_EVT_* */
    uint8_t cls;         /* SMMU_CLASS_* */
    bool s2;             /* the fault is at stage 2 */
    bool ttrnw;          /* F_PERMISSION, CLASS TT: 1 read, 0 write */
    uint8_t reason;      /* IMPLEMENTATION DEFINED cause (F_WALK_EABT ...) */
    uint64_t ipa;        /* S2 faults: the IPA */
    uint64_t fetch_addr; /* F_STE_FETCH, F_CD_FETCH, F_WALK_EABT */
} smmu_fault_t;

/* Everything an event record (7.3) can carry. */
typedef struct smmu_event {
    uint8_t type;
    uint32_t sid, ssid;
    bool ssv;
    bool stall;
    uint16_t stag;
    bool pnu, ind, rnw; /* post-override attributes of the input transaction */
    bool s2, ttrnw;
    uint8_t cls;
    uint8_t reason;
    uint64_t addr; /* InputAddr */
    uint64_t ipa;
    uint64_t fetch_addr;
    uint8_t span;        /* F_BAD_ATS_TREQ: STUs requested; E_PAGE_REQUEST: 4KB pages */
    uint8_t perm, uperm; /* F_BAD_ATS_TREQ: requested SMMU_PERM_* (Priv in pnu);
                            E_PAGE_REQUEST: privileged (perm) / unprivileged (uperm) accesses */
    bool sec;            /* of a Secure stream: to the Secure Event queue (3.10.2.1) */
} smmu_event_t;

#endif
