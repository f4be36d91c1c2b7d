// SPDX-License-Identifier: Apache-2.0 OR MIT
// Test-only encoders and decoder of the ATOS registers (spec 6.3.37-6.3.40, 9.1), written from
// the register descriptions, independently of <smmu/arch.h> and <smmu/regs.h>.
//
//   SMMU_GATOS_CTRL 0x100: RUN [0]
//   SMMU_GATOS_SID  0x108: STREAMID [31:0], SUBSTREAMID [51:32], SSID_VALID [52]
//   SMMU_GATOS_ADDR 0x110: ADDR [63:12], TYPE [11:10], PnU [9], RnW [8], InD [7], HTTUI [6]
//   SMMU_GATOS_PAR  0x118: FAULT [0]; FAULT == 0: ATTR [63:56], ADDR [55:12], Size [11],
//                          SH [9:8]; FAULT == 1: FADDR [55:12], FAULTCODE [11:4], REASON [2:1]
//   The Secure group SMMU_S_GATOS_* at 0x8100-0x8118 (6.2, 6.3.83-6.3.86) alike, with
//   S_GATOS_SID.SSEC [53] and S_GATOS_PAR.NS [10] (FAULT == 0).
#pragma once
#include <cstdint>

namespace tatos {

constexpr uint64_t GATOS_CTRL = 0x100, GATOS_SID = 0x108, GATOS_ADDR = 0x110, GATOS_PAR = 0x118;
constexpr uint64_t S_GATOS_CTRL = 0x8100, S_GATOS_SID = 0x8108, S_GATOS_ADDR = 0x8110,
                   S_GATOS_PAR = 0x8118;
constexpr uint64_t SSEC = 1ull << 53; // S_GATOS_SID.SSEC: a Secure StreamID (6.3.84)

// ATOS_ADDR.TYPE (6.3.39)
enum : unsigned { T_RESERVED = 0b00, T_S1 = 0b01, T_S2 = 0b10, T_S12 = 0b11 };
// ATOS_PAR.REASON (6.3.40)
enum : unsigned { R_S1 = 0b00, R_CD = 0b01, R_TT = 0b10, R_IN = 0b11 };
// ATOS_PAR.FAULTCODE (9.1.5)
enum : unsigned {
    INV_REQ = 0xFF,
    INV_STAGE = 0xFE,
    INTERNAL_ERR = 0xFD,
    C_BAD_STREAMID = 0x02,
    C_BAD_STE = 0x04,
    F_STREAM_DISABLED = 0x06,
    C_BAD_SUBSTREAMID = 0x08,
    F_CD_FETCH = 0x09,
    C_BAD_CD = 0x0A,
    F_WALK_EABT = 0x0B,
    F_TRANSLATION = 0x10,
    F_ADDR_SIZE = 0x11,
    F_ACCESS = 0x12,
    F_PERMISSION = 0x13,
};

inline uint64_t sid(uint32_t streamid, bool ssid_valid = false, uint32_t ssid = 0) {
    return streamid | ((uint64_t)(ssid & 0xFFFFF) << 32) | ((uint64_t)ssid_valid << 52);
}

struct Addr {
    uint64_t a;
    unsigned type;
    bool rnw = true, pnu = false, ind = false, httui = false;
    uint64_t v() const {
        return (a & ~0xFFFull) | ((uint64_t)(type & 3) << 10) | ((uint64_t)pnu << 9) |
               ((uint64_t)rnw << 8) | ((uint64_t)ind << 7) | ((uint64_t)httui << 6);
    }
};

struct Par {
    bool fault;
    // FAULT == 0
    uint64_t pa;   // ADDR with the size bit cleared: the output address of the translation
    uint64_t size; // bytes: 4KB (Size == 0), else 2^(N+1) for the lowest set bit N of ADDR
    unsigned attr, sh;
    bool ns; // S_GATOS_PAR only (RES0 in SMMU_GATOS_PAR)
    // FAULT == 1
    unsigned code, reason;
    uint64_t faddr;
};

inline Par decode(uint64_t v) {
    Par p{};
    p.fault = v & 1;
    const uint64_t addr = v & 0x00FFFFFFFFFFF000ull; // bits [55:12]
    if (p.fault) {
        p.code = (unsigned)(v >> 4) & 0xFF;
        p.reason = (unsigned)(v >> 1) & 3;
        p.faddr = addr;
        return p;
    }
    p.attr = (unsigned)(v >> 56);
    p.sh = (unsigned)(v >> 8) & 3;
    p.ns = (v >> 10) & 1;
    p.size = 0x1000;
    p.pa = addr;
    if ((v >> 11) & 1) {
        unsigned n = addr ? (unsigned)__builtin_ctzll(addr) : 55; // no bit set: malformed
        p.size = 2ull << n;
        p.pa = addr & ~(p.size - 1);
    }
    return p;
}

} // namespace tatos
