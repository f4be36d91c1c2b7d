/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* core_port.h: every call into the core, and what such a call needs.
 *
 * The core port owns the core instance (smmu_new / smmu_free) and the context of a call into it:
 * the lock (one process in the core at a time, core_lock.h), the table port (the core's memory
 * accesses, table_port.h), the timing model (timing.h) and the transactions waiting in a stall.
 *
 *   translate_timed()     b_transport and AT: under the lock, with the table port's window open
 *                         (its accesses' delays, DMI reads), then scheduled by the timing model;
 *                         recorded and logged. translate_timed_inline() is the same, inline here
 *                         for the LT hit path (forwarder::transport).
 *   stalled()             the stall protocol: a STALLED result waits until CMD_RESUME /
 *                         CMD_STALL_TERM / SMMUEN = 0 decides (host.stall_done, stall_done()),
 *                         then retries or ends as an abort or RAZ/WI fault.
 *   translate_dbg()       without side effects (no event, stall, statistics or cache fill;
 *                         table reads by debug transport): debug transport, DMI requests, and
 *                         probe() (locked) for TLM_IGNORE_COMMAND.
 *   enter() / leave()     the module's own core calls (register accesses, commands): under the
 *                         lock, their table accesses annotating the caller's delay.
 *
 * The lock and the table port live here by value, so that the LT hit path reaches them without
 * a pointer to chase; table() serves the core's host callbacks for memory (wired by the module)
 * and lock() tells upstream_dmi whether a core call is in progress. The core port is handed the
 * statistics and the logger, and the recorder whenever the module's changes (set_recorder()). */
#ifndef SMMU_TLM_SRC_CORE_PORT_H
#define SMMU_TLM_SRC_CORE_PORT_H

#include "common.h"
#include "core_lock.h"
#include "log.h"
#include "table_port.h"
#include "timing.h"

#include <smmu_tlm/recorder.h>

#include <cstdint>
#include <map>

namespace smmu_tlm {
namespace detail {

/* Transactions waiting in a stall, by StreamID and STAG. */
class stall_table {
  public:
    /* host.stall_done: the stall (sid, stag) ended with outcome (SMMU_STALL_*). */
    void done(uint32_t sid, uint16_t stag, int outcome);
    /* Waits until the stall (sid, stag) ends; its outcome. The stall lasts in real simulated
       time: the caller's local time offset delay is consumed first (and zeroed). */
    int wait(uint32_t sid, uint16_t stag, sc_time &delay);
    /* Transactions waiting in a stall now. */
    size_t waiting() const {
        return waiting_.size();
    }

  private:
    struct waiter {
        sc_core::sc_event ev;
        bool done = false;
        int outcome = SMMU_STALL_ABORT;
    };
    static uint64_t key(uint32_t sid, uint16_t stag) {
        return ((uint64_t)sid << 16) | stag;
    }
    std::map<uint64_t, waiter *> waiting_;
};

class core_port {
  public:
    /* The core of params (nullptr when smmu_new rejects them: core()) calling host back;
       dmi: whose revocations the lock delivers (it may be constructed after the core port);
       table_regions: the table port's region cache (smmu_tlm_params::table_dmi_regions). */
    core_port(const smmu_base &owner, const smmu_params_t &params, const smmu_host_t &host,
              const timing_params &tp, upstream_dmi &dmi, tlm_stats &st, const logger &log,
              unsigned table_regions)
        : owner_(owner), core_(smmu_new(&params, &host)), lock_(dmi),
          table_(owner, st, table_regions), st_(st),
          log_(log), timing_(tp, st) {
        table_.set_core(core_);
    }
    ~core_port() {
        smmu_free(core_);
    }
    core_port(const core_port &) = delete;
    core_port &operator=(const core_port &) = delete;

    ::smmu_t *core() const {
        return core_;
    }
    core_lock &lock() {
        return lock_;
    }
    table_port &table() {
        return table_;
    }

    /* A core call of the module's own (a register access, a command): under the lock, its
       table accesses (queues, MSIs) annotating *delay. */
    void enter(sc_time *delay) {
        lock_.lock();
        table_.set_delay(delay);
    }
    /* Ends it; DMI revocations it caused are delivered here. */
    void leave() {
        table_.set_delay(nullptr);
        lock_.unlock();
    }

    /* A recorder is attached: every transaction takes the general path (forwarder). */
    bool recording() const {
        return rec_ != nullptr;
    }
    /* Translations go to r (nullptr: not recorded). */
    void set_recorder(recorder *r) {
        rec_ = r;
    }

    /* smmu_translate with timing: delay is the caller's local time offset, advanced by the
       cache lookups (per configured latency), slot waits and the delays the table accesses
       annotate (a read through a DMI grant: the grant's read latency). The lookup counts are
       the translation's own (smmu_result_t::lookups, ::walk_reads). Thread context. */
    void translate_timed(const smmu_txn_t &t, smmu_result_t &r, sc_time &delay);
    SMMU_TLM_ALWAYS_INLINE void translate_timed_inline(const smmu_txn_t &t, smmu_result_t &r,
                                                       sc_time &delay,
                                                       smmu_xlate_tags_t *tags = nullptr,
                                                       const sc_time *looked_up = nullptr) {
        lock_.lock();
        const sc_time now0 = sc_core::sc_time_stamp();
        const sc_time t0 = now0 + delay;
        sc_time md = delay;
        /* (an ATS Translation Request's reads are not in r.mem_reads: no DMI for them) */
        const table_port::window w = table_.open(&md, rec_ != nullptr, t.ats != SMMU_ATS_REQUEST);
        if (tags) /* a micro-TLB fill: the full path, with the TLB tags */
            smmu_translate_tags(core_, &t, &r, tags);
        else
            smmu_translate(core_, &t, &r);
        table_.close();
        lock_.unlock();
        /* the memory may have waited (only a b_transport on `table` can): measure in absolute
           time */
        const sc_time now = table_.called_since(w) ? sc_core::sc_time_stamp() : now0;
        table_.charge_dmi_reads(w, r.mem_reads, md);
        const translation_phases ph = timing_.schedule(t0, sub_or_zero(now + md, t0), r);
        delay = sub_or_zero(ph.end, now);
        /* recorded as requested when the transaction arrived: before the micro-TLB lookup
           (looked_up: its latency) that missed */
        if (rec_) record(t, r, looked_up ? sub_or_zero(t0, *looked_up) : t0, ph);
        if (log_.on()) log_.translation(t, r);
    }
    /* A translation a port's micro-TLB answered (r, rebuilt from its entry) at the caller's
       local time offset delay, which has its lookup latency already: counted where the SMMU
       counts transactions (count_utlb_hit), recorded (no phases but its
       lookup: requested = start, end = start + lat) and logged. The core's translation path
       is not touched. */
    SMMU_TLM_ALWAYS_INLINE void utlb_hit(const smmu_txn_t &t, const smmu_result_t &r,
                                         sc_time &delay, const sc_time &lat) {
        count_utlb_hit(t, delay);
        if (rec_) record_utlb_hit(t, r, delay, lat);
        if (log_.on()) log_.translation(t, r);
    }
    /* Counts a micro-TLB hit in the core (smmu_count_transaction: statistics, PMCG event 1).
       Under the lock while a PMCG group counts: an overflow may send an MSI on `table`. */
    SMMU_TLM_ALWAYS_INLINE void count_utlb_hit(const smmu_txn_t &t, sc_time &delay) {
        if (!pmcg_live_) {
            smmu_count_transaction(core_, &t);
            return;
        }
        lock_.lock();
        table_.set_delay(&delay);
        smmu_count_transaction(core_, &t);
        table_.set_delay(nullptr);
        lock_.unlock();
    }
    /* Nothing but the counters observes a micro-TLB hit (no recorder, no log): the hit path may
       skip the rebuilt result. */
    bool quiet() const {
        return !rec_ && !log_.on();
    }
    /* Some PMCG group counts (CR.E): every micro-TLB hit is counted in the core as it
       happens (none held, utlb.h). */
    void set_pmcg_live(bool on) {
        pmcg_live_ = on;
    }
    bool pmcg_live() const {
        return pmcg_live_;
    }
    /* After a STALLED result: waits for the stall's end, retries or ends as a fault. */
    void stalled(const smmu_txn_t &t, smmu_result_t &r, sc_time &delay);
    /* translate_timed, then stalled() if it stalled. */
    void translate_stalling(const smmu_txn_t &t, smmu_result_t &r, sc_time &delay) {
        translate_timed(t, r, delay);
        if (r.status == SMMU_STALLED) stalled(t, r, delay);
    }

    /* A translation without side effects, with the TLB tags when tags is set. Takes no lock
       (debug transport and DMI requests do not; see docs/tlm.md, "Protocols"). */
    void translate_dbg(const smmu_txn_t &t, smmu_result_t &r, smmu_xlate_tags_t *tags);
    /* translate_dbg under the core lock (a TLM_IGNORE_COMMAND probe in thread context). */
    void probe(const smmu_txn_t &t, smmu_result_t &r) {
        lock_.lock();
        translate_dbg(t, r, nullptr);
        lock_.unlock();
    }

    /* Transactions waiting in a stall (the module refuses to save or restore meanwhile). */
    size_t stalled_waiting() const {
        return stalls_.waiting();
    }
    /* host.stall_done */
    void stall_done(uint32_t sid, uint16_t stag, int outcome) {
        stalls_.done(sid, stag, outcome);
    }

  private:
    void record(const smmu_txn_t &t, const smmu_result_t &r, const sc_time &requested,
                translation_phases ph) const;
    void record_utlb_hit(const smmu_txn_t &t, const smmu_result_t &r, const sc_time &delay,
                         const sc_time &lat) const;

    const smmu_base &owner_;
    ::smmu_t *const core_; /* owned */
    core_lock lock_;
    table_port table_;
    tlm_stats &st_;
    const logger &log_;
    recorder *rec_ = nullptr;
    bool pmcg_live_ = false;
    timing_model timing_;
    stall_table stalls_;
};

} // namespace detail
} // namespace smmu_tlm

#endif
