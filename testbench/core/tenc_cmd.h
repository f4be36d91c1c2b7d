// SPDX-License-Identifier: Apache-2.0 OR MIT
// Test-only encoder of Command queue entries (spec chapter 4), written from the spec's command
// layouts, independently of <smmu/arch.h>. Bit numbers are those of the 128-bit command
// (bit 64 is bit 0 of the second dword).
#pragma once
#include "tenc.h"

namespace tenc {

// Command opcodes (4.1.1).
enum : unsigned {
    OP_PREFETCH_CONFIG = 0x01,
    OP_PREFETCH_ADDR = 0x02,
    OP_CFGI_STE = 0x03,
    OP_CFGI_STE_RANGE = 0x04,
    OP_CFGI_CD = 0x05,
    OP_CFGI_CD_ALL = 0x06,
    OP_CFGI_VMS_PIDM = 0x07,
    OP_TLBI_NH_ALL = 0x10,
    OP_TLBI_NH_ASID = 0x11,
    OP_TLBI_NH_VA = 0x12,
    OP_TLBI_NH_VAA = 0x13,
    OP_TLBI_EL3_ALL = 0x18,
    OP_TLBI_EL3_VA = 0x1A,
    OP_TLBI_EL2_ALL = 0x20,
    OP_TLBI_EL2_ASID = 0x21,
    OP_TLBI_EL2_VA = 0x22,
    OP_TLBI_EL2_VAA = 0x23,
    OP_TLBI_S12_VMALL = 0x28,
    OP_TLBI_S2_IPA = 0x2A,
    OP_TLBI_NSNH_ALL = 0x30,
    OP_ATC_INV = 0x40,
    OP_PRI_RESP = 0x41,
    OP_RESUME = 0x44,
    OP_STALL_TERM = 0x45,
    OP_SYNC = 0x46,
    OP_TLBI_S_EL2_ALL = 0x50,
    OP_TLBI_S_S12_VMALL = 0x58,
    OP_TLBI_S_S2_IPA = 0x5A,
    OP_TLBI_SNH_ALL = 0x60,
    OP_DPTI_ALL = 0x70,
    OP_DPTI_PA = 0x73,
};

// CMD_SYNC ComplSignal (4.7.3).
enum : unsigned { CS_NONE = 0, CS_IRQ = 1, CS_SEV = 2, CS_RESERVED = 3 };

struct Cmd {
    uint64_t dw[2] = {};
    Cmd &f(unsigned lsb, unsigned w, uint64_t v) {
        put(dw, lsb, w, v);
        return *this;
    }
    explicit Cmd(unsigned opcode = 0) {
        f(0, 8, opcode);
    }
    // Common fields (4.1.6)
    Cmd &ssec(bool v) {
        return f(10, 1, v);
    }
    Cmd &ssv(bool v) {
        return f(11, 1, v);
    }
    Cmd &ssid(uint32_t v) {
        return f(12, 20, v);
    }
    Cmd &sid(uint32_t v) {
        return f(32, 32, v);
    }
    // TLB invalidation (4.4)
    Cmd &vmid(unsigned v) {
        return f(32, 16, v);
    }
    Cmd &asid(unsigned v) {
        return f(48, 16, v);
    }
    Cmd &leaf(bool v) {
        return f(64, 1, v);
    }
    Cmd &num(unsigned v) {
        return f(12, 5, v);
    }
    Cmd &scale(unsigned v) {
        return f(20, 6, v);
    }
    Cmd &ttl128(bool v) {
        return f(71, 1, v);
    }
    Cmd &ttl(unsigned v) {
        return f(72, 2, v);
    }
    Cmd &tg(unsigned v) {
        return f(74, 2, v);
    }
    Cmd &addr(uint64_t a) {
        return f(76, 52, a >> 12);
    } // Address[63:12]
    // CFGI (4.3)
    Cmd &range(unsigned v) {
        return f(64, 5, v);
    }
    // Prefetch (4.2)
    Cmd &pf_size(unsigned v) {
        return f(64, 5, v);
    }
    Cmd &pf_stride(unsigned v) {
        return f(69, 5, v);
    }
    // ATS / PRI (4.5)
    Cmd &global(bool v) {
        return f(9, 1, v);
    }
    Cmd &atc_size(unsigned v) {
        return f(64, 6, v);
    }
    Cmd &prgi(unsigned v) {
        return f(64, 9, v);
    }
    Cmd &resp(unsigned v) {
        return f(76, 2, v);
    }
    // Stall (4.7.1, 4.7.2)
    Cmd &action_retry(bool v) {
        return f(12, 1, v);
    }
    Cmd &abort(bool v) {
        return f(13, 1, v);
    }
    Cmd &stag(unsigned v) {
        return f(64, 16, v);
    }
    // CMD_SYNC (4.7.3)
    Cmd &cs(unsigned v) {
        return f(12, 2, v);
    }
    Cmd &msh(unsigned v) {
        return f(22, 2, v);
    }
    Cmd &msiattr(unsigned v) {
        return f(24, 4, v);
    }
    Cmd &msidata(uint32_t v) {
        return f(32, 32, v);
    }
    Cmd &msiaddr(uint64_t pa) {
        return f(66, 54, pa >> 2);
    } // MSIAddress[55:2]
};

inline Cmd prefetch_config(uint32_t sid) {
    return Cmd(OP_PREFETCH_CONFIG).sid(sid);
}
inline Cmd prefetch_addr(uint32_t sid, uint64_t va) {
    return Cmd(OP_PREFETCH_ADDR).sid(sid).addr(va);
}
inline Cmd cfgi_ste(uint32_t sid, bool leaf = true) {
    return Cmd(OP_CFGI_STE).sid(sid).leaf(leaf);
}
inline Cmd cfgi_ste_range(uint32_t sid, unsigned range) {
    return Cmd(OP_CFGI_STE_RANGE).sid(sid).range(range);
}
inline Cmd cfgi_all() {
    return Cmd(OP_CFGI_STE_RANGE).range(31);
} // 4.3.6
inline Cmd cfgi_cd(uint32_t sid, uint32_t ssid, bool leaf = true) {
    return Cmd(OP_CFGI_CD).sid(sid).ssid(ssid).leaf(leaf);
}
inline Cmd cfgi_cd_all(uint32_t sid) {
    return Cmd(OP_CFGI_CD_ALL).sid(sid);
}
inline Cmd tlbi_nh_all(unsigned vmid = 0) {
    return Cmd(OP_TLBI_NH_ALL).vmid(vmid);
}
inline Cmd tlbi_nh_asid(unsigned vmid, unsigned asid) {
    return Cmd(OP_TLBI_NH_ASID).vmid(vmid).asid(asid);
}
inline Cmd tlbi_nh_va(unsigned vmid, unsigned asid, uint64_t va, bool leaf = true) {
    return Cmd(OP_TLBI_NH_VA).vmid(vmid).asid(asid).addr(va).leaf(leaf);
}
inline Cmd tlbi_nh_vaa(unsigned vmid, uint64_t va, bool leaf = true) {
    return Cmd(OP_TLBI_NH_VAA).vmid(vmid).addr(va).leaf(leaf);
}
inline Cmd tlbi_el2_all() {
    return Cmd(OP_TLBI_EL2_ALL);
}
inline Cmd tlbi_el2_asid(unsigned asid) {
    return Cmd(OP_TLBI_EL2_ASID).asid(asid);
}
inline Cmd tlbi_el2_va(unsigned asid, uint64_t va, bool leaf = true) {
    return Cmd(OP_TLBI_EL2_VA).asid(asid).addr(va).leaf(leaf);
}
inline Cmd tlbi_el2_vaa(uint64_t va, bool leaf = true) {
    return Cmd(OP_TLBI_EL2_VAA).addr(va).leaf(leaf);
}
inline Cmd tlbi_s12_vmall(unsigned vmid) {
    return Cmd(OP_TLBI_S12_VMALL).vmid(vmid);
}
inline Cmd tlbi_s2_ipa(unsigned vmid, uint64_t ipa, bool leaf = true) {
    return Cmd(OP_TLBI_S2_IPA).vmid(vmid).addr(ipa).leaf(leaf);
}
inline Cmd tlbi_nsnh_all() {
    return Cmd(OP_TLBI_NSNH_ALL);
}
inline Cmd atc_inv(uint32_t sid, uint64_t addr, unsigned size) {
    return Cmd(OP_ATC_INV).sid(sid).addr(addr).atc_size(size);
}
inline Cmd pri_resp(uint32_t sid, unsigned prgi, unsigned resp) {
    return Cmd(OP_PRI_RESP).sid(sid).prgi(prgi).resp(resp);
}
inline Cmd resume(uint32_t sid, unsigned stag, bool retry, bool abort = false) {
    return Cmd(OP_RESUME).sid(sid).stag(stag).action_retry(retry).abort(abort);
}
inline Cmd stall_term(uint32_t sid) {
    return Cmd(OP_STALL_TERM).sid(sid);
}
inline Cmd cmd_sync(unsigned cs = CS_NONE) {
    return Cmd(OP_SYNC).cs(cs);
}
inline Cmd cmd_sync_msi(uint64_t addr, uint32_t data) {
    return Cmd(OP_SYNC).cs(CS_IRQ).msiaddr(addr).msidata(data).msh(3).msiattr(0xF);
}

} // namespace tenc
