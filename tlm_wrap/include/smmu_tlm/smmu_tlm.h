/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* smmu_tlm: the SystemC/TLM-2.0 wrapper around one SMMUv3 core (<smmu/smmu.h>).
 *
 * The wrapper converts, times and forwards; every architectural decision is the core's. See
 * docs/tlm.md for the integration guide. In short:
 *
 *   smmu_tlm::smmu_tlm_params p;              // core params (smmu_params_init) + timing
 *   p.n_upstream = 2;
 *   p.default_sid = {0x10, 0x11};             // StreamID of each upstream port
 *   smmu_tlm::smmu dut("smmu", p);
 *   master0.socket.bind(dut.upstream[0]);     // device traffic in (b_transport or AT)
 *   dut.downstream.bind(bus.t_data);          // translated traffic out
 *   dut.table.bind(bus.t_tables);             // own table/queue/MSI accesses (same bus OK)
 *   cpu_bus.init.bind(dut.regs);              // register frame (4- and 8-byte accesses)
 *   dut.irq_eventq(sig_evt);                  // optional: unbound irq outputs are allowed
 *   cpu_bus.init.bind(dut.pmcg);              // optional: PMCG pages (pmcg_group_span each)
 *   dut.irq_pmcg[0](sig_pmcg);                // optional: PMCG group 0's interrupt
 *
 * smmu_tlm::smmu has 32-bit sockets; smmu_tlm::basic_smmu<64> (or <DATA, REG> widths) is the same
 * module with other socket bus widths. upstream[i], regs and the irq outputs may stay unbound;
 * downstream and table must be bound. docs/tlm.md, "Integrating into your platform".
 *
 * Status of an upstream transaction:
 *   translation OK                -> forwarded downstream (split at translation boundaries);
 *                                    the downstream response status is returned
 *   fault, abort                  -> TLM_ADDRESS_ERROR_RESPONSE, no downstream access
 *   fault, RAZ/WI                 -> TLM_OK_RESPONSE, reads return zeros, writes are dropped
 *   stalled                       -> waits for CMD_RESUME / CMD_STALL_TERM, then one of the above
 *   streaming width < length that crosses a translation boundary
 *                                 -> TLM_BURST_ERROR_RESPONSE, no downstream access
 *   TLM_IGNORE_COMMAND            -> translated without side effects (a probe of the decode):
 *                                    forwarded as TLM_IGNORE_COMMAND to the output address, or
 *                                    TLM_ADDRESS_ERROR_RESPONSE on an abort fault
 * The upstream payload is never modified except its response status, data array and DMI hint
 * (and, for the duration of a forward, its address and an output_extension): a transaction
 * that is split goes downstream as payloads of the SMMU's own.
 */
#ifndef SMMU_TLM_SMMU_TLM_H
#define SMMU_TLM_SMMU_TLM_H

#include <smmu/amba.h>
#include <smmu/smmu.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

namespace smmu_tlm {

/* Per-transaction stream identity, attached by the upstream master (or its bridge). A
   transaction without it gets the StreamID of its upstream port (smmu_tlm_params::default_sid)
   unless the sid_mapper hook provides one. */
struct stream_extension : tlm::tlm_extension<stream_extension> {
    uint32_t sid = 0;            /* StreamID */
    uint32_t ssid = 0;           /* SubstreamID, meaningful when ssv */
    bool ssv = false;            /* SubstreamID valid */
    bool secure = false;         /* SEC_SID: Secure stream */
    bool priv = false;           /* privileged access */
    bool instr = false;          /* instruction fetch */
    uint8_t ats = SMMU_ATS_NONE; /* SMMU_ATS_NONE, _REQUEST, _TRANSLATED */
    /* Incoming memory type and shareability (smmu_txn_t.in_attr_valid / in_attr / in_sh; from
       AMBA AxCACHE / AxDOMAIN: smmu_amba_in). Not valid: Normal Write-back, Inner Shareable. A
       transaction with its own attributes bypasses the upstream port's micro-TLB. */
    bool in_attr_valid = false;
    uint8_t in_attr = 0xFF;      /* MAIR-format attribute byte */
    uint8_t in_sh = SMMU_SH_ISH; /* SMMU_SH_* */
    bool nostall = false;        /* the master cannot be stalled (smmu_txn_t.nostall) */
    /* the AMBA PRI flow (smmu_txn_t.pri, IHI 0022 A13.6.4): a translation fault the master may
       resolve with a PRI Page Request ends in TLM_ADDRESS_ERROR_RESPONSE with
       output_extension::transfault set, when the master attached an output_extension */
    bool pri = false;

    stream_extension() = default;
    explicit stream_extension(uint32_t sid_, uint32_t ssid_ = 0, bool ssv_ = false)
        : sid(sid_), ssid(ssid_), ssv(ssv_) {}
    tlm::tlm_extension_base *clone() const override {
        return new stream_extension(*this);
    }
    void copy_from(const tlm::tlm_extension_base &e) override {
        *this = static_cast<const stream_extension &>(e);
    }
};

/* Attached by the SMMU to every transaction it forwards on `downstream` (for the duration of the
   call only): the output attributes the translation produced, so that an interconnect or memory
   can model them. Also the answer to an ATS Translation Request (stream_extension::ats ==
   SMMU_ATS_REQUEST): such a transaction is never forwarded; when the master attached an
   output_extension, the SMMU fills it (perm == 0: no access granted). */
struct output_extension : tlm::tlm_extension<output_extension> {
    uint32_t sid = 0;  /* StreamID the transaction was translated for */
    bool ns = true;    /* output address space is Non-secure */
    uint8_t attr = 0;  /* MAIR-format memory attribute byte */
    uint8_t sh = 0;    /* shareability: 0 non-shareable, 2 outer, 3 inner */
    uint8_t perm = 0;  /* SMMU_PERM_* granted by the translation */
    uint64_t pa = 0;   /* output address of the transaction's first byte */
    uint64_t span = 0; /* size of the aligned region translating the same way */
    /* MPAM label (IHI 0070 chapter 17; all 0 when the SMMU has no MPAM): of the translated
       transaction (smmu_result_t.partid / pmg / mpam_ns), or, on the SMMU's own accesses on
       `table`, of that access (smmu_mem_mpam: GMPAM for STE and queue accesses and MSIs, the
       stream's for CD fetches and table walks, 17.4) */
    uint16_t partid = 0;
    uint8_t pmg = 0;
    bool mpam_ns = false; /* PARTID space: Non-secure (MPAM_NS, 17.7) */
    /* Set by the SMMU in the master's own output_extension when its PRI-flow transaction
       (stream_extension::pri) ended in a fault a PRI Page Request may resolve
       (smmu_result_t.transfault): the AMBA TRANSFAULT response (IHI 0022 A13.6.4). */
    bool transfault = false;

    /* The AMBA attributes of this output (16.7.5.2.1, smmu_amba_out): the AxCACHE (write: the
       AWCACHE encoding, else ARCACHE) and AxDOMAIN an AXI interconnect behind the SMMU drives. */
    uint8_t axcache(bool write) const {
        uint8_t c, d;
        smmu_amba_out(attr, sh, write, &c, &d);
        return c;
    }
    uint8_t axdomain() const {
        uint8_t c, d;
        smmu_amba_out(attr, sh, false, &c, &d);
        return d;
    }

    tlm::tlm_extension_base *clone() const override {
        return new output_extension(*this);
    }
    void copy_from(const tlm::tlm_extension_base &e) override {
        *this = static_cast<const output_extension &>(e);
    }
};

/* Timing model. A translation costs, for every lookup the core makes in its caches
   (smmu_cache_stats), cfg_lookup per STE / CD / L1 descriptor cache lookup, tlb_lookup per TLB
   or IPA cache lookup and walk_cache_lookup per walk cache lookup; plus the delay the memory
   behind `table` annotates on each table access. A translation occupies one of max_outstanding
   translation slots for its whole duration and, when it walks tables, one of max_walks walk
   slots for the walk; a transaction that finds all slots busy waits (in simulated time) for
   the first to free. Limits of 0 mean unlimited. */
struct timing_params {
    sc_core::sc_time cfg_lookup{1, sc_core::SC_NS};        /* configuration cache lookup */
    sc_core::sc_time tlb_lookup{1, sc_core::SC_NS};        /* TLB lookup */
    sc_core::sc_time walk_cache_lookup{1, sc_core::SC_NS}; /* walk cache lookup (TLB miss) */
    sc_core::sc_time per_command{10, sc_core::SC_NS};      /* consuming one command */
    sc_core::sc_time reg_access{1, sc_core::SC_NS};        /* register socket access */
    sc_core::sc_time irq_pulse{1, sc_core::SC_NS};         /* width of an edge interrupt pulse */
    sc_core::sc_time pmcg_clock{1, sc_core::SC_NS};        /* period of PMCG event 0, clock cycle */
    unsigned max_outstanding = 16; /* translations in progress at once ("xlate slots") */
    unsigned max_walks = 4;        /* translations walking tables at once ("walk slots") */
    /* Lookup latency of an upstream port's micro-TLB (smmu_tlm_params::utlb_entries): a hit
       costs only this (no translation slot, the core is not called); a miss costs this plus the
       translation above. */
    sc_core::sc_time utlb_latency{1, sc_core::SC_NS};
};

struct smmu_tlm_params {
    smmu_params_t core; /* the core's parameters (smmu_params_init defaults); defer_cmdq is
                           forced on: commands are consumed by the wrapper's command thread */
    timing_params timing;
    unsigned n_upstream = 1;           /* number of upstream target sockets */
    std::vector<uint32_t> default_sid; /* StreamID of each upstream port; a missing entry
                                          means the port index */
    bool table_dmi = true; /* the core may read tables through DMI pointers of the `table`
                              target (see docs/tlm.md); false: every read is a b_transport */
    bool log = false;      /* report through sc_report (message type: the instance name): faults,
                              stalls, commands, GERRORs and CERRORs at SC_MEDIUM, every translation at
                              SC_DEBUG. Off: no output at all. See also smmu_base::set_logging(). */
    /* Entries of the micro-TLB of each upstream port (a TBU's, docs/tlm.md "Micro-TLB"): fully
       associative, filled from the core's translations, dropped by exactly the invalidations
       that cover them and by configuration changes. 0: no micro-TLB. */
    unsigned utlb_entries = 32;
    /* Entries of the region cache of the `table` target's DMI grants (with table_dmi; docs/tlm.md
       "DMI for the SMMU's own table reads"): direct-mapped by 4 KiB page, rounded up to a power
       of two (at most 2^20), 32 bytes each (128 KiB by default: the level-3 tables of 8 GiB of
       4 KiB pages when the target grants page by page). 0: none, every table read through DMI
       asks the target for its region. */
    unsigned table_dmi_regions = 4096;
    smmu_tlm_params() {
        smmu_params_init(&core);
    }
};

/* Maps a transaction without stream_extension to its stream (e.g. from an initiator-ID
   extension the platform already uses). Return true when `out` was filled; false falls back to
   the port's default StreamID. */
using sid_mapper =
    std::function<bool(unsigned port, const tlm::tlm_generic_payload &gp, stream_extension &out)>;

/* Device-side hooks for the core's ATS / PRI host callbacks (smmu_host_t::atc_inv and
   ::pri_resp): a platform with ATS devices routes CMD_ATC_INV and CMD_PRI_RESP to them. */
using atc_inv_hook = std::function<int(uint32_t sid, uint32_t ssid, bool ssv, uint64_t addr,
                                       unsigned size, bool global)>;
using pri_resp_hook =
    std::function<void(uint32_t sid, uint32_t ssid, bool ssv, uint16_t grpid, unsigned resp)>;

/* Receives the core's trace points (<smmu/tracepoint.h>): every register access, command,
   fetch, walk step, cache fill / eviction / invalidation, translation, event record,
   interrupt, MSI, stall and GERROR of the kinds asked for. Called from inside the core: read
   only (smmu_tp_format() gives a line of text). */
using trace_hook = std::function<void(const smmu_tp_t &tp)>;

/* The `pmcg` socket's map: group g's Page 0 at g * pmcg_group_span, its Page 1 (with
   SMMU_PMCG_CFGR.RELOC_CTRS) at g * pmcg_group_span + SMMU_PMCG_PAGE1 (<smmu/regs.h>). */
constexpr uint64_t pmcg_group_span = 0x2000;

/* One upstream port's micro-TLB (smmu_tlm_params::utlb_entries). */
struct utlb_stats {
    uint64_t hits = 0;          /* translations it answered (the core was not called) */
    uint64_t misses = 0;        /* translations it passed to the core */
    uint64_t fills = 0;         /* entries written from a core translation (or widened) */
    uint64_t evictions = 0;     /* valid entries replaced by a fill */
    uint64_t invalidations = 0; /* entries dropped by an invalidation, a configuration change,
                                   a register write or a restore */
};

/* Wrapper-level statistics (the core's own are smmu_get_stats(core())). */
struct tlm_stats {
    uint64_t transactions = 0; /* upstream transactions (b_transport + AT) */
    uint64_t bytes = 0;        /* bytes of upstream transactions */
    uint64_t errors = 0;       /* answered with an error response */
    uint64_t razwi = 0;        /* completed RAZ/WI */
    uint64_t splits = 0;       /* extra downstream transactions from splitting */
    uint64_t stalls = 0;       /* transactions that stalled */
    uint64_t dmi_grants = 0;
    uint64_t dmi_revocations = 0;  /* invalidate_direct_mem_ptr calls made on upstream sockets */
    uint64_t table_dmi_grants = 0; /* DMI regions the `table` target granted for table reads */
    uint64_t table_dmi_reads = 0;  /* table reads the core made through such a region */
    uint64_t commands = 0;         /* commands consumed by the command thread */
    sc_core::sc_time xlate_wait;   /* total time spent waiting for a translation slot */
    sc_core::sc_time walk_wait;    /* total time spent waiting for a walk slot */
    sc_core::sc_time xlate_time;   /* total translation latency (incl. waits) */
    std::vector<utlb_stats> utlb;  /* each upstream port's micro-TLB (n_upstream; all 0 when
                                      utlb_entries is 0) */
};

/* Everything of the SMMU module but its sockets: the core, its processes, the interrupt outputs
   and the transport behaviour. Not instantiated directly: basic_smmu<> adds the sockets for a
   bus width, smmu is basic_smmu<32>. Recorders and tools take an smmu_base &. */
class smmu_base : public sc_core::sc_module {
  public:
    /* Wired interrupts (spec 3.18); edges are stretched to timing.irq_pulse. Optional. */
    sc_core::sc_out<bool> irq_eventq, irq_priq, irq_cmd_sync, irq_gerror;
    /* The Secure programming interface's wired interrupts (SMMU_IRQ_S_*; params.secure_impl) */
    sc_core::sc_out<bool> irq_s_eventq, irq_s_cmd_sync, irq_s_gerror;
    /* The interrupt of each PMCG group (core.pmcg_groups; spec 10.2.1: edge-triggered, pulsed
       like the others). Optional. */
    sc_core::sc_vector<sc_core::sc_out<bool>> irq_pmcg;

    ~smmu_base() override;
    smmu_base(const smmu_base &) = delete;
    smmu_base &operator=(const smmu_base &) = delete;

    ::smmu_t *core() const; /* the core instance: statistics, direct programming in tests */
    const smmu_tlm_params &params() const;
    void set_sid_mapper(sid_mapper f);
    /* Without a hook, CMD_ATC_INV completes at once and CMD_PRI_RESP goes nowhere. */
    void set_atc_inv_hook(atc_inv_hook f);
    void set_pri_resp_hook(pri_resp_hook f);
    const tlm_stats &stats() const;
    /* The driver sanitizer (core params.dsan, <smmu/dsan.h>; docs/architecture.md "Driver
       sanitizer"): each report goes to sc_report with message type dsan_msg_type, as
       SC_WARNING (SC_ERROR with params.dsan.fatal: by default that throws, stopping the
       simulation; a platform may set the type's actions, smmu_vp logs and lists them), and
       its first 100 lines ("<instance>: dsan <RULE> [<section>] ...") are kept here. The counts
       are smmu_dsan_stats(core()). The module cannot see memory writes: the platform notifies
       the core (smmu_dsan_write(core(), ...); smmu_model::memory::set_write_observer) and sets
       params.dsan.writes_notified. */
    static constexpr const char *dsan_msg_type = "smmu_tlm/dsan";
    std::vector<std::string> dsan_reports() const;
    /* Recording (<smmu_tlm/recorder.h>): every translation, command and interrupt edge is passed
       to r; nullptr (the default) turns it off. The recorder must outlive the simulation or be
       unset first. */
    void set_recorder(class recorder *r);
    class recorder *get_recorder() const;
    /* The core's trace points of the kinds in mask (bit 1 << SMMU_TP_*) go to f; f empty or mask
       0: off. Only those kinds are built (docs/tlm.md, "Trace points"). */
    void set_trace_hook(trace_hook f, uint32_t mask = SMMU_TP_ALL);
    /* Logging through sc_report (smmu_tlm_params::log), switched at any time. */
    void set_logging(bool on);
    bool logging() const;
    /* Broadcast TLB maintenance (spec 3.17; params core.btm): a PE's TLBI ...IS as the
       interconnect delivers it (a DVM message), applied at once with the DMI revocations of
       what it removes; false when the SMMU ignores it (see smmu_dvm_tlbi in <smmu/smmu.h>). */
    bool broadcast_tlbi(const smmu_dvm_tlbi_t &op);
    /* The stream a transaction on upstream port `port` is translated for. */
    stream_extension resolve_stream(unsigned port, const tlm::tlm_generic_payload &gp) const;
    /* DMI regions currently granted on upstream port `port` (device address ranges). */
    struct dmi_region {
        uint64_t start, end; /* inclusive, device (input) address space */
        uint64_t out_start;  /* output address of start */
        uint32_t sid, ssid;
        bool ssv, read, write;
    };
    std::vector<dmi_region> dmi_regions(unsigned port) const;

    /* Saving and restoring (docs/tlm.md, "Saving and restoring"; the core's smmu_save /
       smmu_restore, docs/state.md). Only at a quiescent point: no upstream transaction in
       flight (b_transport in progress, AT request not yet responded to, transaction waiting in
       a stall) and the command thread idle (no command left to consume). Otherwise, and for a
       blob the core refuses, SC_REPORT_ERROR (message type: the instance name; by default it
       throws sc_core::sc_report), and the module is unchanged. */
    bool quiescent() const;
    /* The module's state: the core's blob in a small envelope (the PMCG clock phase and the
       command thread's queue turn). Empty after an error. */
    std::vector<uint8_t> save_state();
    /* Replaces the module's state by a save_state() blob of a module with the same params
       (the same instance or another). Every upstream DMI grant is revoked
       (invalidate_direct_mem_ptr over the whole address space on each bound upstream socket),
       table DMI regions are dropped, the interrupt outputs take the restored levels (no pulse,
       nothing recorded) and the PMCG cycle count resumes from the restored counters. False
       after an error. Statistics (stats()) are not part of the state. */
    bool restore_state(const std::vector<uint8_t> &blob);

  protected:
    SC_HAS_PROCESS(smmu_base);
    smmu_base(sc_core::sc_module_name name, const smmu_tlm_params &p);
    /* The bound interfaces, from the derived class's end_of_elaboration(): downstream and table
       (required) and each upstream socket's backward interface (nullptr: unbound). */
    void attach(tlm::tlm_fw_transport_if<> *down, tlm::tlm_fw_transport_if<> *table,
                std::vector<tlm::tlm_bw_transport_if<> *> up);

    /* upstream */
    void up_b_transport(int port, tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    tlm::tlm_sync_enum up_nb_transport_fw(int port, tlm::tlm_generic_payload &gp,
                                          tlm::tlm_phase &ph, sc_core::sc_time &delay);
    unsigned up_transport_dbg(int port, tlm::tlm_generic_payload &gp);
    bool up_get_dmi(int port, tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi);
    /* downstream / table backward path */
    void down_invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end);
    void table_invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end);
    /* register frame */
    void regs_b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    unsigned regs_transport_dbg(tlm::tlm_generic_payload &gp);
    /* PMCG pages (pmcg_group_span per group); PMCG event 0 advances by the simulated time
       since the last access, translation or command (timing.pmcg_clock per cycle) */
    void pmcg_b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    unsigned pmcg_transport_dbg(tlm::tlm_generic_payload &gp);

  private:
    struct impl;
    std::unique_ptr<impl> m_;
    friend struct impl;

    void before_end_of_elaboration() override;
    void cmdq_thread();
    void irq_thread();
};

/* The SMMU with sockets of BUSWIDTH bits for device traffic, translated traffic and table
   accesses, and REG_BUSWIDTH bits for the register frame. Bus width changes nothing in the
   model's behaviour (it only types the socket binding); it lets the module bind
   to 64- or 128-bit interconnects without adapters. */
template <unsigned int BUSWIDTH = 32, unsigned int REG_BUSWIDTH = BUSWIDTH>
class basic_smmu : public smmu_base {
  public:
    /* Device traffic in: one socket per device port (n_upstream). May be left unbound. */
    sc_core::sc_vector<tlm_utils::simple_target_socket_tagged_optional<smmu_base, BUSWIDTH>>
        upstream;
    /* Translated traffic out. */
    tlm_utils::simple_initiator_socket<smmu_base, BUSWIDTH> downstream;
    /* The SMMU's own memory traffic: STE/CD/descriptor fetches, queue accesses, MSIs. */
    tlm_utils::simple_initiator_socket<smmu_base, BUSWIDTH> table;
    /* Register frame (offsets as in <smmu/regs.h>, page 0 and page 1). May be left unbound. An
       access is Secure when it carries a stream_extension with secure set (the SMMU_S_* bank,
       page 0 0x8000-0x80FF, is RAZ/WI to others, spec 6.2); Non-secure otherwise. */
    tlm_utils::simple_target_socket_optional<smmu_base, REG_BUSWIDTH> regs;
    /* PMCG register pages (spec 10.5; pmcg_group_span per group). May be left unbound. */
    tlm_utils::simple_target_socket_optional<smmu_base, REG_BUSWIDTH> pmcg;

    explicit basic_smmu(sc_core::sc_module_name name, const smmu_tlm_params &p = smmu_tlm_params())
        : smmu_base(name, p), upstream("upstream", p.n_upstream), downstream("downstream"),
          table("table"), regs("regs"), pmcg("pmcg") {
        for (unsigned i = 0; i < p.n_upstream; i++) {
            upstream[i].register_b_transport(this, &basic_smmu::up_b_transport, (int)i);
            upstream[i].register_nb_transport_fw(this, &basic_smmu::up_nb_transport_fw, (int)i);
            upstream[i].register_transport_dbg(this, &basic_smmu::up_transport_dbg, (int)i);
            upstream[i].register_get_direct_mem_ptr(this, &basic_smmu::up_get_dmi, (int)i);
        }
        downstream.register_invalidate_direct_mem_ptr(this, &basic_smmu::down_invalidate_dmi);
        table.register_invalidate_direct_mem_ptr(this, &basic_smmu::table_invalidate_dmi);
        regs.register_b_transport(this, &basic_smmu::regs_b_transport);
        regs.register_transport_dbg(this, &basic_smmu::regs_transport_dbg);
        pmcg.register_b_transport(this, &basic_smmu::pmcg_b_transport);
        pmcg.register_transport_dbg(this, &basic_smmu::pmcg_transport_dbg);
    }

  private:
    void end_of_elaboration() override {
        std::vector<tlm::tlm_bw_transport_if<> *> up(upstream.size(), nullptr);
        for (size_t i = 0; i < upstream.size(); i++)
            if (upstream[i].size() > 0) up[i] = upstream[i].operator->();
        attach(downstream.operator->(), table.operator->(), std::move(up));
    }
};

/* The SMMU with 32-bit sockets, the TLM-2.0 default. */
class smmu : public basic_smmu<32, 32> {
  public:
    using basic_smmu::basic_smmu;
};

} // namespace smmu_tlm

#endif
