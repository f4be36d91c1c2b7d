// SPDX-License-Identifier: Apache-2.0 OR MIT
// Test-only encodings of the PMCG registers (IHI 0070 chapter 10), written from the spec text
// (10.3 event numbers, 10.5.1 address map, 10.5.2 register fields), independently of
// <smmu/arch.h> and <smmu/regs.h>.
#pragma once
#include <cstdint>

namespace tenc::pmcg {

// 10.5.1 Page 0 offsets (Page 1 at the model's API offset 0x1000, <smmu/smmu.h>)
constexpr uint64_t PAGE1 = 0x1000;
constexpr uint64_t EVCNTR0 = 0x000, EVTYPER0 = 0x400, SVR0 = 0x600, SMR0 = 0xA00;
constexpr uint64_t CNTENSET0 = 0xC00, CNTENCLR0 = 0xC20, INTENSET0 = 0xC40, INTENCLR0 = 0xC60;
constexpr uint64_t OVSCLR0 = 0xC80, OVSSET0 = 0xCC0, CAPR = 0xD88, SCR = 0xDF8;
constexpr uint64_t CFGR = 0xE00, CR = 0xE04, IIDR = 0xE08, CEID0 = 0xE20, CEID1 = 0xE28;
constexpr uint64_t ROOTCR = 0xE48, IRQ_CTRL = 0xE50, IRQ_CTRLACK = 0xE54, IRQ_CFG0 = 0xE58;
constexpr uint64_t IRQ_CFG1 = 0xE60, IRQ_CFG2 = 0xE64, IRQ_STATUS = 0xE68, GMPAM = 0xE6C;
constexpr uint64_t AIDR = 0xE70, MPAMIDR = 0xE74, S_MPAMIDR = 0xE78, SCR_ALIAS = 0xE40;

// 10.3 event numbers
enum : uint32_t {
    EV_CYCLES = 0,
    EV_TRANSACTION = 1,
    EV_TLB_MISS = 2,
    EV_CFG_MISS = 3,
    EV_WALK = 4,
    EV_CFG_ACCESS = 5,
    EV_ATS_TREQ = 6,
    EV_ATS_TRANSLATED = 7,
};

// 10.5.2.13 CFGR fields
inline unsigned cfgr_nctr(uint32_t v) {
    return v & 0x3F;
} // [5:0]
inline unsigned cfgr_size(uint32_t v) {
    return (v >> 8) & 0x3F;
} // [13:8]
inline bool cfgr_reloc(uint32_t v) {
    return (v >> 20) & 1;
} // RELOC_CTRS
inline bool cfgr_msi(uint32_t v) {
    return (v >> 21) & 1;
} // MSI
inline bool cfgr_capture(uint32_t v) {
    return (v >> 22) & 1;
} // CAPTURE
inline bool cfgr_sid_global(uint32_t v) {
    return (v >> 23) & 1;
} // SID_FILTER_TYPE
inline bool cfgr_mpam(uint32_t v) {
    return (v >> 24) & 1;
} // MPAM
inline bool cfgr_partid_pmg(uint32_t v) {
    return (v >> 25) & 1;
} // FILTER_PARTID_PMG

// 10.5.2.2 EVTYPERn: EVENT [15:0], FILTER_SID_SPAN [29], FILTER_SEC_SID [30], OVFCAP [31]
inline uint32_t evtyper(uint32_t event, bool span = false, bool ovfcap = false) {
    return (event & 0xFFFF) | (span ? 1u << 29 : 0) | (ovfcap ? 1u << 31 : 0);
}
constexpr uint32_t EVTYPER_SEC_SID = 1u << 30;

// 10.5.2.12 SCR: SO [0], NSRA [1], NSMSI [2], MSI_MPAM_NS [3], READS_AS_ONE [31]
constexpr uint32_t SCR_SO = 1u << 0, SCR_NSRA = 1u << 1, SCR_NSMSI = 1u << 2,
                   SCR_MSI_MPAM_NS = 1u << 3, SCR_READS_AS_ONE = 1u << 31;
// 10.5.2.25 GMPAM: PO_PARTID [15:0], PO_PMG [23:16], Update [31]
constexpr uint32_t gmpam(unsigned partid, unsigned pmg) {
    return (partid & 0xFFFF) | (pmg & 0xFF) << 16;
}
constexpr uint32_t GMPAM_UPDATE = 1u << 31;
// 10.5.2.28 S_MPAMIDR.HAS_MPAM_NS [25]
constexpr uint32_t S_MPAMIDR_HAS_MPAM_NS = 1u << 25;

constexpr uint32_t CR_E = 1;           // 10.5.2.14
constexpr uint32_t IRQ_CTRL_IRQEN = 1; // 10.5.2.19
constexpr uint32_t CAPR_CAPTURE = 1;   // 10.5.2.11
constexpr uint32_t IRQ_STATUS_ABT = 1; // 10.5.2.24

} // namespace tenc::pmcg
