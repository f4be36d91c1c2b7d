/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Recording what an smmu_tlm::smmu does: every translation (time, IDs, input and output address,
 * outcome and event, latency and its phases, which caches hit, the table reads it made),
 * interrupt edges and consumed commands.
 *
 *   smmu_tlm::timeline_writer tl("run.json");   // Chrome / Perfetto trace-event JSON
 *   dut.set_recorder(&tl);                       // before or during simulation; nullptr: off
 *
 * Off by default; when off the cost is one null-pointer test per translation, command and
 * interrupt. A recorder is called from the SMMU's simulation processes (never concurrently). */
#ifndef SMMU_TLM_RECORDER_H
#define SMMU_TLM_RECORDER_H

#include <smmu/smmu.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <systemc>

namespace smmu_tlm {

class smmu_base;

/* One table access the core made during a translation (STE, CD, descriptor fetch, event
   record write): its address and when it started and ended in simulated time. */
struct table_access {
    uint64_t pa = 0;
    uint32_t len = 0;
    bool write = false;
    sc_core::sc_time begin, end;
};

/* One call of the core's translation (a transaction split at page boundaries gives one per
   piece; a stall gives the stalled attempt and then its retry). Times are absolute simulated
   times; the phases follow the timing model of docs/tlm.md:
     requested .. start            waiting for a translation slot
     start .. start+cfg            configuration cache lookups (STE, CD, L1)
     .. +tlb                       TLB / IPA cache lookups
     .. walk_start                 waiting for a walk slot (walked only)
     walk_start .. end             walk cache lookups and table reads (or only the table reads
                                   of a configuration fetch when not walked) */
struct translation_record {
    smmu_txn_t txn{};
    smmu_result_t res{};
    sc_core::sc_time requested, start, cfg, tlb, walk_start, end;
    bool walked = false;
    uint64_t lookups[SMMU_CACHE_COUNT] = {}; /* per SMMU_CACHE_*: lookups this translation */
    uint64_t hits[SMMU_CACHE_COUNT] = {};    /* and how many of them hit */
    const table_access *accesses = nullptr;  /* valid during the call only */
    size_t n_accesses = 0;
    sc_core::sc_time latency() const {
        return end - requested;
    }
};

class recorder {
  public:
    virtual ~recorder() = default;
    virtual void translation(const smmu_base &s, const translation_record &r) = 0;
    /* A wired interrupt line changed level (line: SMMU_IRQ_*). */
    virtual void interrupt(const smmu_base &s, int line, bool level, const sc_core::sc_time &at) {
        (void)s, (void)line, (void)level, (void)at;
    }
    /* A command was consumed: opcode (0 if unknown), from `at` for `dur`. */
    virtual void command(const smmu_base &s, unsigned opcode, const sc_core::sc_time &at,
                         const sc_core::sc_time &dur) {
        (void)s, (void)opcode, (void)at, (void)dur;
    }
};

/* Name of a command opcode ("CMD_SYNC"), or "CMD_0x.." for others. */
std::string command_name(unsigned opcode);

/* Passes everything to several recorders. */
class recorder_fanout : public recorder {
  public:
    void add(recorder *r) {
        if (r) to_.push_back(r);
    }
    void translation(const smmu_base &s, const translation_record &r) override;
    void interrupt(const smmu_base &s, int line, bool level, const sc_core::sc_time &at) override;
    void command(const smmu_base &s, unsigned opcode, const sc_core::sc_time &at,
                 const sc_core::sc_time &dur) override;

  private:
    std::vector<recorder *> to_;
};

/* Keeps every translation in memory (without the table accesses), e.g. for tests. */
class record_log : public recorder {
  public:
    struct entry {
        std::string smmu;
        translation_record r; /* accesses == nullptr; n_accesses kept */
    };
    void translation(const smmu_base &s, const translation_record &r) override;
    void command(const smmu_base &s, unsigned opcode, const sc_core::sc_time &at,
                 const sc_core::sc_time &dur) override;
    void interrupt(const smmu_base &s, int line, bool level, const sc_core::sc_time &at) override;
    const std::vector<entry> &entries() const {
        return entries_;
    }
    uint64_t commands = 0, interrupts = 0;

  private:
    std::vector<entry> entries_;
};

/* Writes the Chrome / Perfetto trace-event JSON ({"traceEvents": [...]}, ui.perfetto.dev or
   chrome://tracing): one process per SMMU; per stream (StreamID / SubstreamID) a track (more
   than one lane when translations of a stream overlap) with each translation as a slice
   ("R 0x... -> 0x...", args: addresses, outcome, event, caches) and its phases as nested
   slices (slot wait, config lookup, TLB lookup, walk slot wait, walk, and each table read);
   a "commands" track with an instant event per consumed command and an "interrupts" track
   with an instant event per rising interrupt edge. Timestamps in microseconds of simulated time (ns
   resolution). The file is complete after close() (or destruction). */
class timeline_writer : public recorder {
  public:
    explicit timeline_writer(const std::string &path);
    ~timeline_writer() override;
    bool ok() const; /* the file could be opened and written so far */
    void close();
    void translation(const smmu_base &s, const translation_record &r) override;
    void interrupt(const smmu_base &s, int line, bool level, const sc_core::sc_time &at) override;
    void command(const smmu_base &s, unsigned opcode, const sc_core::sc_time &at,
                 const sc_core::sc_time &dur) override;
    uint64_t events() const {
        return events_;
    }

  private:
    struct lane {
        sc_core::sc_time busy_until;
        unsigned tid;
    };
    struct proc {
        unsigned pid;
        unsigned next_tid = 3; /* 1: commands, 2: interrupts */
        std::map<std::pair<uint32_t, int64_t>, std::vector<lane>> lanes;
    };
    proc &process(const smmu_base &s);
    unsigned lane_for(proc &p, const smmu_txn_t &t, const sc_core::sc_time &from,
                      const sc_core::sc_time &to);
    void emit(const std::string &json_object);
    void slice(unsigned pid, unsigned tid, const std::string &name, const sc_core::sc_time &at,
               const sc_core::sc_time &dur, const std::string &args_json = "");
    void meta(unsigned pid, unsigned tid, const char *what, const std::string &name);

    std::ofstream f_;
    bool first_ = true, closed_ = false;
    uint64_t events_ = 0;
    std::map<const smmu_base *, proc> procs_;
};

} // namespace smmu_tlm

#endif
