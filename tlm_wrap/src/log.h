/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* log.h: the module's optional log through sc_report (docs/tlm.md, "Logging").
 *
 * Off by default (smmu_tlm_params::log, smmu_base::set_logging()). When on, reports go out as
 * SC_INFO with the instance name as message type: faults, stalls and their ends, consumed
 * commands and GERRORs that became active at SC_MEDIUM, every translation at SC_DEBUG. The
 * logger owns the on/off switch (callers test on(): one flag test per translation when off); the
 * commands and GERRORs come from the core's trace points. */
#ifndef SMMU_TLM_SRC_LOG_H
#define SMMU_TLM_SRC_LOG_H

#include <smmu_tlm/smmu_tlm.h>

#include <cstdint>

namespace smmu_tlm {
namespace detail {

class logger {
  public:
    logger(const sc_core::sc_object &owner, bool on) : owner_(owner), on_(on) {}
    bool on() const {
        return on_;
    }
    void enable(bool on) {
        on_ = on;
    }

    /* A fault or a stall at SC_MEDIUM, every translation at SC_DEBUG. */
    void translation(const smmu_txn_t &t, const smmu_result_t &r) const;
    /* A stall ended (outcome: SMMU_STALL_*). */
    void stall_outcome(const smmu_txn_t &t, uint16_t stag, int outcome) const;
    void command(unsigned opcode) const;
    /* GERROR bits that became active (the core's SMMU_TP_GERROR trace point, spec 6.3.17), with
       the CERROR of CMDQ_ERR (4.8). */
    void gerrors(uint32_t active, uint32_t cerror) const;

  private:
    void report(int verbosity, const char *text) const;

    const sc_core::sc_object &owner_; /* its name() is the message type */
    bool on_;
};

} // namespace detail
} // namespace smmu_tlm

#endif
