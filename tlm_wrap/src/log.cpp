/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* log.cpp: the texts of the module's log (log.h, docs/tlm.md "Logging"). */
#include "log.h"

#include <smmu_tlm/recorder.h>

#include <smmu/regs.h>

#include <cinttypes>
#include <cstdio>
#include <string>

namespace smmu_tlm {
namespace detail {

void logger::report(int verbosity, const char *text) const {
    SC_REPORT_INFO_VERB(owner_.name(), text, verbosity);
}

void logger::translation(const smmu_txn_t &t, const smmu_result_t &r) const {
    const int v = r.status == SMMU_OK ? sc_core::SC_DEBUG : sc_core::SC_MEDIUM;
    if (sc_core::sc_report_handler::get_verbosity_level() < v) return;
    char ids[48], b[256];
    if (t.ssv)
        snprintf(ids, sizeof ids, "sid 0x%" PRIx32 " ssid 0x%" PRIx32, t.sid, t.ssid);
    else
        snprintf(ids, sizeof ids, "sid 0x%" PRIx32, t.sid);
    const char rw = t.write ? 'W' : t.exec ? 'X' : 'R';
    if (r.status == SMMU_OK)
        snprintf(b, sizeof b, "translate %s %c 0x%" PRIx64 "+%" PRIu32 " -> 0x%" PRIx64 "%s", ids,
                 rw, t.addr, t.len, r.pa, r.tlb_hit ? " (TLB hit)" : "");
    else if (r.status == SMMU_STALLED)
        snprintf(b, sizeof b, "stall %s %s %c 0x%" PRIx64 "+%" PRIu32 ": STAG 0x%x",
                 smmu_event_name(r.event), ids, rw, t.addr, t.len, (unsigned)r.stag);
    else
        snprintf(b, sizeof b, "fault %s %s %c 0x%" PRIx64 "+%" PRIu32 ": %s%s",
                 r.event ? smmu_event_name(r.event) : "(no event)", ids, rw, t.addr, t.len,
                 r.abort ? "abort" : "RAZ/WI", r.recorded ? ", event recorded" : "");
    report(v, b);
}

void logger::stall_outcome(const smmu_txn_t &t, uint16_t stag, int outcome) const {
    if (sc_core::sc_report_handler::get_verbosity_level() < sc_core::SC_MEDIUM) return;
    static const char *const what[] = {"retried", "terminated (abort)", "terminated (RAZ/WI)"};
    char b[128];
    snprintf(b, sizeof b, "stall sid 0x%" PRIx32 " STAG 0x%x %s", t.sid, (unsigned)stag,
             outcome >= 0 && outcome <= 2 ? what[outcome] : "ended");
    report(sc_core::SC_MEDIUM, b);
}

void logger::command(unsigned opcode) const {
    const std::string b = "command " + command_name(opcode);
    report(sc_core::SC_MEDIUM, b.c_str());
}

void logger::gerrors(uint32_t active, uint32_t cerror) const {
    static const struct {
        uint32_t bit;
        const char *name;
    } bits[] = {{SMMU_GERROR_CMDQ_ERR, "CMDQ_ERR"},
                {SMMU_GERROR_EVTQ_ABT_ERR, "EVTQ_ABT_ERR"},
                {SMMU_GERROR_PRIQ_ABT_ERR, "PRIQ_ABT_ERR"},
                {SMMU_GERROR_MSI_CMDQ_ABT_ERR, "MSI_CMDQ_ABT_ERR"},
                {SMMU_GERROR_MSI_EVTQ_ABT_ERR, "MSI_EVTQ_ABT_ERR"},
                {SMMU_GERROR_MSI_PRIQ_ABT_ERR, "MSI_PRIQ_ABT_ERR"},
                {SMMU_GERROR_MSI_GERROR_ABT_ERR, "MSI_GERROR_ABT_ERR"},
                {SMMU_GERROR_SFM_ERR, "SFM_ERR"}};
    static const char *const cerrors[] = {"CERROR_NONE", "CERROR_ILL", "CERROR_ABT",
                                          "CERROR_ATC_INV_SYNC"};
    for (const auto &e : bits) {
        if (!(active & e.bit)) continue;
        char b[96];
        if (e.bit == SMMU_GERROR_CMDQ_ERR)
            snprintf(b, sizeof b, "GERROR %s: %s (CMDQ_CONS.ERR %u)", e.name,
                     cerror <= SMMU_CERROR_ATC_INV_SYNC ? cerrors[cerror] : "CERROR_?",
                     (unsigned)cerror);
        else
            snprintf(b, sizeof b, "GERROR %s", e.name);
        report(sc_core::SC_MEDIUM, b);
    }
}

} // namespace detail
} // namespace smmu_tlm
