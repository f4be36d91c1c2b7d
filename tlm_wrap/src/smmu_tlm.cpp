/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* smmu_tlm.cpp: the module smmu_base (<smmu_tlm/smmu_tlm.h>): construction, the core's host
 * callbacks wired to the parts, the public accessors, the socket entry points, the register
 * frame, the command thread and the interrupt outputs.
 *
 * The wrapper converts payloads to smmu_txn_t, times the translation from its cost and the
 * memory's delays, and forwards; every architectural decision is the core's (docs/tlm.md). The
 * parts, each in its own file (docs/tlm.md, "Source layout"):
 *   core_port    the core and every call into it: timed / stalling / debug translations; owns
 *     core_lock    one process in the core at a time; revocations at the end of a core call
 *     table_port   the core's memory accesses on `table`, table DMI
 *     timing       slot pools and lookup latencies
 *   forward      the upstream transaction path: splitting, pieces, probes, ATS, debug
 *   at           the AT protocol
 *   dmi          upstream DMI grants and their scoped revocation
 *   utlb         the upstream ports' micro-TLBs (filled from the core, invalidated by its scopes)
 *   log          the sc_report log
 * impl below only owns them and hands each the others it needs. */
#include "at.h"
#include "core_port.h"
#include "dmi.h"
#include "forward.h"
#include "log.h"
#include "utlb.h"

#include <smmu_tlm/recorder.h>

#include <smmu/regs.h>

namespace smmu_tlm {

using namespace detail;

namespace {

/* The wired interrupt lines: levels the core drives, rising edges still to pulse, and internal
   signals for outputs left unbound. */
constexpr int IRQ_LINES = SMMU_IRQ_COUNT + SMMU_PMCG_MAX_GROUPS; /* the SMMU's, the PMCGs' */

struct irq_lines {
    bool level[IRQ_LINES] = {};
    bool pulse[IRQ_LINES] = {};
    sc_core::sc_event ev;
    sc_core::sc_signal<bool> unbound[IRQ_LINES];
    /* The outputs in line order (smmu_irq_t, then SMMU_IRQ_PMCG(g)); a member, not a local of
       irq_thread: SystemC never unwinds a thread's stack, so a local would leak. */
    std::vector<sc_core::sc_out<bool> *> outs;
};

uint64_t le_load(const unsigned char *p, unsigned n) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

void le_store(unsigned char *p, uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

smmu_tlm_params with_deferred_cmdq(smmu_tlm_params p) {
    p.core.defer_cmdq = true; /* commands are consumed by cmdq_thread */
    return p;
}

} // namespace

struct smmu_base::impl {
    smmu_base &o;
    smmu_tlm_params p; /* p.log follows set_logging() */
    tlm_stats st;
    /* Each upstream socket's backward path (attach(), after elaboration; nullptr: unbound). */
    std::vector<tlm::tlm_bw_transport_if<> *> up;
    recorder *rec = nullptr; /* commands and interrupts; translations: cp has a copy */
    atc_inv_hook atc_hook;
    pri_resp_hook pri_hook;
    trace_hook user_trace;        /* set_trace_hook() */
    uint32_t user_trace_mask = 0; /* the kinds it asked for */
    unsigned last_opcode = 0;     /* of the last command the core consumed (SMMU_TP_CMD) */
    /* The driver sanitizer's reports (core params.dsan): the first dsan_keep lines */
    std::vector<std::string> dsan_lines;
    static constexpr size_t dsan_keep = 100;

    logger log;
    stream_map streams;
    payload_pool pool;
    /* The core, with host callbacks into this impl: it makes none before smmu_new() returns,
       and nothing calls into it before impl is complete (dmi, irq: constructed below). */
    core_port cp;
    micro_tlb utlb; /* each upstream port's (before fwd, which looks it up) */
    forwarder fwd;
    upstream_dmi dmi;
    irq_lines irq;
    at_engine at;

    unsigned lt_active = 0; /* upstream b_transport calls in progress (quiescent()) */
    bool restoring = false; /* inside smmu_restore: lines take levels, without pulses */
    bool cmdq_busy = false; /* cmdq_thread is consuming (from a kick until the queue is empty) */
    bool cmdq_kick = false;
    bool cmdq_secure = false; /* the queue cmdq_thread tries first next (they alternate) */
    sc_core::sc_event cmdq_ev;

    /* PMCG event 0 (clock cycle): the core has no clock, the wrapper reports the cycles of
       timing.pmcg_clock elapsed up to each sync point. Translations sync only while a group
       counts (pmcg_live: some CR.E, read back after each write through the pmcg socket);
       PMCG and register accesses and commands always do, so a cycle counter is exact when read
       and counts nothing from before it was enabled. */
    sc_time pmcg_last = SC_ZERO_TIME;
    bool pmcg_live = false;
    /* Inside enter() / leave(): an overflow's MSI annotates the caller's delay. */
    void pmcg_sync(const sc_time &delay) {
        const sc_time now = sc_core::sc_time_stamp() + delay;
        if (now <= pmcg_last || p.timing.pmcg_clock == SC_ZERO_TIME) return;
        const uint64_t cycles = (uint64_t)((now - pmcg_last) / p.timing.pmcg_clock);
        if (!cycles) return;
        pmcg_last += p.timing.pmcg_clock * (double)cycles;
        smmu_pmcg_tick(cp.core(), cycles);
    }
    void pmcg_update_live() {
        bool live = false;
        for (unsigned g = 0; g < p.core.pmcg_groups; g++) /* Secure: whatever SCR.NSRA */
            live = live || (smmu_pmcg_reg_read_sec(cp.core(), g, SMMU_PMCG_CR, 4, true) &
                            SMMU_FMASK32(SMMU_F_PMCG_CR_E));
        pmcg_live = live;
        cp.set_pmcg_live(live); /* micro-TLB hits are counted in the core only then */
    }

    impl(smmu_base &owner, const smmu_tlm_params &params)
        : o(owner), p(with_deferred_cmdq(params)), up(params.n_upstream, nullptr),
          log(owner, p.log), streams(p.default_sid),
          cp(owner, p.core, make_host(this, p.table_dmi), p.timing, dmi, st, log,
             p.table_dmi_regions),
          utlb(p.n_upstream, p.utlb_entries, st.utlb, cp.core()),
          fwd(owner, cp, streams, pool, st, utlb, p.timing.utlb_latency),
          dmi(up, p.n_upstream, cp, pool, st), at(owner, fwd, up, p.n_upstream) {}

    void kick_cmdq(const sc_time &delay) {
        cmdq_kick = true;
        cmdq_ev.notify(delay);
    }

    /* ---- the core's host callbacks (ctx: this impl), each to the part that owns it ---- */
    static impl &of(void *ctx) {
        return *static_cast<impl *>(ctx);
    }
    static smmu_host_t make_host(impl *m, bool table_dmi) {
        smmu_host_t h{};
        h.ctx = m;
        h.mem_read = [](void *ctx, uint64_t pa, void *buf, size_t len, bool secure) {
            return of(ctx).cp.table().access(tlm::TLM_READ_COMMAND, pa, buf, len, secure);
        };
        h.mem_write = [](void *ctx, uint64_t pa, const void *buf, size_t len, bool secure) {
            /* the payload's data pointer is non-const; a write never modifies it */
            return of(ctx).cp.table().access(tlm::TLM_WRITE_COMMAND, pa, const_cast<void *>(buf),
                                             len, secure);
        };
        h.mem_cas64 = [](void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
                         uint64_t *observed, bool secure) {
            return of(ctx).cp.table().cas64(pa, expected, desired, observed, secure);
        };
        if (table_dmi)
            h.mem_ptr = [](void *ctx, uint64_t pa, smmu_mem_grant_t *g) {
                return of(ctx).cp.table().mem_ptr(pa, g);
            };
        h.irq = [](void *ctx, int line, bool level) { of(ctx).irq_changed(line, level); };
        h.stall_done = [](void *ctx, uint32_t sid, uint16_t stag, int outcome) {
            of(ctx).cp.stall_done(sid, stag, outcome);
        };
        h.invalidate_scope = [](void *ctx, const smmu_inv_scope_t *sc) {
            of(ctx).utlb.scope_invalidated(*sc); /* at once: nothing may use them after */
            of(ctx).dmi.scope_invalidated(*sc);
        };
        h.sync_counts = [](void *ctx) { of(ctx).utlb.sync_counts(); }; /* held hits */
        h.dsan_report = [](void *ctx, const smmu_dsan_report_t *r) { of(ctx).dsan(*r); };
        h.atc_inv = [](void *ctx, uint32_t sid, uint32_t ssid, bool ssv, uint64_t addr,
                       unsigned size, bool global) {
            impl &m = of(ctx);
            return m.atc_hook ? m.atc_hook(sid, ssid, ssv, addr, size, global) : 0;
        };
        h.pri_resp = [](void *ctx, uint32_t sid, uint32_t ssid, bool ssv, uint16_t grpid,
                        unsigned resp) {
            impl &m = of(ctx);
            if (m.pri_hook) m.pri_hook(sid, ssid, ssv, grpid, resp);
        };
        return h;
    }
    /* A driver sanitizer report: to sc_report (SC_WARNING, SC_ERROR when params.dsan.fatal)
       with message type dsan_msg_type, and kept for dsan_reports(). */
    void dsan(const smmu_dsan_report_t &r) {
        const std::string text = std::string(o.name()) + ": " + r.line;
        if (dsan_lines.size() < dsan_keep) dsan_lines.push_back(text);
        if (r.fatal)
            SC_REPORT_ERROR(dsan_msg_type, text.c_str());
        else
            SC_REPORT_WARNING(dsan_msg_type, text.c_str());
    }
    /* host.irq: a rising edge is pulsed by irq_thread; a held level stays. */
    void irq_changed(int line, bool level) {
        if (line < 0 || line >= IRQ_LINES) return;
        if (restoring) { /* a restored level, not an edge of the model's: no pulse, no record */
            irq.level[line] = level;
            irq.ev.notify(SC_ZERO_TIME);
            return;
        }
        if (level && !irq.level[line]) irq.pulse[line] = true; /* a rising edge */
        if (rec && level != irq.level[line])
            rec->interrupt(o, line, level, sc_core::sc_time_stamp());
        irq.level[line] = level;
        irq.ev.notify(SC_ZERO_TIME);
    }

    /* Trace points: the commands' opcodes for the recorder and the log, GERRORs for the log,
       and whatever the user hook asked for. Only those kinds are built by the core. */
    void update_trace() {
        const uint32_t own = rec || log.on() ? 1u << SMMU_TP_CMD | 1u << SMMU_TP_GERROR : 0u;
        const uint32_t mask = own | (user_trace ? user_trace_mask : 0u);
        smmu_set_trace(cp.core(), mask ? &impl::on_trace : nullptr, mask);
    }
    static void on_trace(void *ctx, const smmu_tp_t *tp) {
        impl &m = of(ctx);
        if (tp->kind == SMMU_TP_CMD) m.last_opcode = tp->u.cmd.opcode;
        if (tp->kind == SMMU_TP_GERROR && m.log.on())
            m.log.gerrors(tp->u.gerror.active, tp->u.gerror.cerror);
        if (m.user_trace && (m.user_trace_mask >> tp->kind & 1)) m.user_trace(*tp);
    }
};

/* ---- construction, accessors ---- */

smmu_base::smmu_base(sc_core::sc_module_name name, const smmu_tlm_params &p)
    : sc_module(name), irq_eventq("irq_eventq"), irq_priq("irq_priq"), irq_cmd_sync("irq_cmd_sync"),
      irq_gerror("irq_gerror"), irq_s_eventq("irq_s_eventq"), irq_s_cmd_sync("irq_s_cmd_sync"),
      irq_s_gerror("irq_s_gerror"), irq_pmcg("irq_pmcg", p.core.pmcg_groups),
      m_(new impl(*this, p)) {
    if (!m_->cp.core())
        SC_REPORT_ERROR(this->name(), "smmu_new rejected the core parameters");
    else
        m_->update_trace(); /* params.log */
    SC_THREAD(cmdq_thread);
    SC_THREAD(irq_thread);
}

smmu_base::~smmu_base() = default;

void smmu_base::attach(tlm::tlm_fw_transport_if<> *down, tlm::tlm_fw_transport_if<> *table,
                       std::vector<tlm::tlm_bw_transport_if<> *> up) {
    m_->fwd.bind(down);
    m_->dmi.bind(down);
    m_->cp.table().bind(table);
    m_->up = std::move(up);
}

::smmu_t *smmu_base::core() const {
    return m_->cp.core();
}

bool smmu_base::broadcast_tlbi(const smmu_dvm_tlbi_t &op) {
    return smmu_dvm_tlbi(m_->cp.core(), &op);
}

const smmu_tlm_params &smmu_base::params() const {
    return m_->p;
}

void smmu_base::set_sid_mapper(sid_mapper f) {
    m_->streams.set_mapper(std::move(f));
}

void smmu_base::set_atc_inv_hook(atc_inv_hook f) {
    m_->atc_hook = std::move(f);
}

void smmu_base::set_pri_resp_hook(pri_resp_hook f) {
    m_->pri_hook = std::move(f);
}

const tlm_stats &smmu_base::stats() const {
    return m_->st;
}

std::vector<std::string> smmu_base::dsan_reports() const {
    return m_->dsan_lines;
}

void smmu_base::set_recorder(recorder *r) {
    m_->rec = r;
    m_->cp.set_recorder(r);
    m_->update_trace();
}

recorder *smmu_base::get_recorder() const {
    return m_->rec;
}

void smmu_base::set_logging(bool on) {
    m_->log.enable(on);
    m_->p.log = on;
    m_->update_trace();
}

void smmu_base::set_trace_hook(trace_hook f, uint32_t mask) {
    m_->user_trace = std::move(f);
    m_->user_trace_mask = mask;
    m_->update_trace();
}

bool smmu_base::logging() const {
    return m_->log.on();
}

stream_extension smmu_base::resolve_stream(unsigned port,
                                           const tlm::tlm_generic_payload &gp) const {
    return m_->streams.resolve(port, gp);
}

std::vector<smmu_base::dmi_region> smmu_base::dmi_regions(unsigned port) const {
    return m_->dmi.regions(port);
}

void smmu_base::before_end_of_elaboration() {
    /* unbound interrupt outputs go to internal signals, so that connecting them is optional */
    std::vector<sc_core::sc_out<bool> *> &lines = m_->irq.outs;
    lines = {&irq_eventq,   &irq_priq,       &irq_cmd_sync, &irq_gerror,
             &irq_s_eventq, &irq_s_cmd_sync, &irq_s_gerror};
    for (auto &l : irq_pmcg) /* SMMU_IRQ_PMCG(g) */
        lines.push_back(&l);
    for (size_t i = 0; i < lines.size(); i++)
        if (lines[i]->bind_count() == 0) lines[i]->bind(m_->irq.unbound[i]);
}

/* ---- processes ---- */

/* Consumes commands one at a time, each after timing.per_command plus the delay of its own
   memory accesses, so that CMD_SYNC completes (and its interrupt/MSI fires) at modeled time. */
void smmu_base::cmdq_thread() {
    impl &m = *m_;
    for (;;) {
        if (!m.cmdq_kick) sc_core::wait(m.cmdq_ev);
        m.cmdq_kick = false;
        m.cmdq_busy = true;
        for (;;) {
            sc_core::wait(m.p.timing.per_command);
            sc_time md = SC_ZERO_TIME;
            m.cp.enter(&md);
            m.pmcg_sync(md);
            m.last_opcode = 0;
            /* one command of either Command queue (Non-secure, Secure: 3.10.2.1), in turn */
            unsigned n = smmu_cmdq_run_sec(m.cp.core(), 1, m.cmdq_secure);
            if (!n) n = smmu_cmdq_run_sec(m.cp.core(), 1, !m.cmdq_secure);
            m.cmdq_secure = !m.cmdq_secure;
            const unsigned opcode = m.last_opcode; /* SMMU_TP_CMD, when rec or log asked */
            if (m.log.on() && n) m.log.command(opcode);
            m.cp.leave(); /* DMI revocations of the command are delivered here */
            if (!n) {     /* empty, disabled or stopped on an error: wait for a register write */
                m.cmdq_busy = false;
                break;
            }
            m.st.commands++;
            if (m.rec)
                m.rec->command(*this, opcode, sc_core::sc_time_stamp() - m.p.timing.per_command,
                               m.p.timing.per_command + md);
            if (md > SC_ZERO_TIME) sc_core::wait(md);
        }
    }
}

/* Drives the interrupt outputs: a rising edge from the core becomes a pulse of
   timing.irq_pulse (the core signals edge interrupts as true-then-false in one call); a line
   the core holds high stays high. */
void smmu_base::irq_thread() {
    irq_lines &q = m_->irq;
    const std::vector<sc_core::sc_out<bool> *> &lines = q.outs;
    const size_t n = lines.size();
    for (;;) {
        bool any = false;
        for (size_t i = 0; i < n; i++)
            any = any || q.pulse[i];
        if (!any) {
            for (size_t i = 0; i < n; i++)
                lines[i]->write(q.level[i]);
            sc_core::wait(q.ev);
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            if (q.pulse[i]) lines[i]->write(true);
            q.pulse[i] = false;
        }
        sc_core::wait(m_->p.timing.irq_pulse);
        for (size_t i = 0; i < n; i++)
            lines[i]->write(q.level[i]);
        sc_core::wait(SC_ZERO_TIME); /* a following pulse needs a visible low first */
    }
}

/* ---- upstream, downstream and table sockets: to the parts ---- */

void smmu_base::up_b_transport(int port, tlm::tlm_generic_payload &gp, sc_time &delay) {
    impl &m = *m_;
    if (m.pmcg_live) { /* PMCG cycles up to this transaction (one branch otherwise) */
        m.cp.enter(&delay);
        m.pmcg_sync(delay);
        m.cp.leave();
    }
    m.lt_active++; /* quiescent(): the transaction may wait (slots, stall, downstream) */
    m.fwd.transport(port, gp, delay); /* inline: the LT micro-TLB hit path */
    m.lt_active--;
}

tlm::tlm_sync_enum smmu_base::up_nb_transport_fw(int port, tlm::tlm_generic_payload &gp,
                                                 tlm::tlm_phase &ph, sc_time &delay) {
    return m_->at.nb_transport_fw(port, gp, ph, delay);
}

unsigned smmu_base::up_transport_dbg(int port, tlm::tlm_generic_payload &gp) {
    return m_->fwd.transport_dbg(port, gp);
}

bool smmu_base::up_get_dmi(int port, tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi) {
    return m_->dmi.get((unsigned)port, resolve_stream((unsigned)port, gp), gp, dmi);
}

void smmu_base::down_invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end) {
    m_->dmi.downstream_invalidated(start, end);
}

void smmu_base::table_invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end) {
    m_->cp.table().invalidated(start, end);
}

/* ---- register frame ---- */

/* Aligned 4- and 8-byte accesses go to the core; other sizes and streaming get
   TLM_BURST_ERROR_RESPONSE, byte enables TLM_BYTE_ENABLE_ERROR_RESPONSE, offsets outside the
   frame or misaligned TLM_ADDRESS_ERROR_RESPONSE. TLM_IGNORE_COMMAND accesses nothing: it gets
   TLM_OK_RESPONSE where a 4-byte access would decode, TLM_ADDRESS_ERROR_RESPONSE elsewhere
   (IEEE 1666-2011 14.9, 14.17). */
static tlm::tlm_response_status reg_check(::smmu_t *core, const tlm::tlm_generic_payload &gp) {
    const unsigned len = gp.get_data_length();
    if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) {
        const unsigned size = len == 8 ? 8 : 4;
        return smmu_reg_access_ok(core, gp.get_address() & ~(uint64_t)(size - 1), size)
                   ? tlm::TLM_OK_RESPONSE
                   : tlm::TLM_ADDRESS_ERROR_RESPONSE;
    }
    if ((len != 4 && len != 8) || gp.get_streaming_width() < len || !gp.get_data_ptr())
        return tlm::TLM_BURST_ERROR_RESPONSE;
    if (gp.get_byte_enable_ptr()) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    if (!smmu_reg_access_ok(core, gp.get_address(), len)) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    return tlm::TLM_OK_RESPONSE;
}

/* The security of a register access: stream_extension::secure when the initiator attached one,
   Non-secure otherwise (the core decides what each security may reach, 6.2). */
static bool reg_secure(const tlm::tlm_generic_payload &gp) {
    const stream_extension *se = nullptr;
    gp.get_extension(se);
    return se && se->secure;
}

/* A register whose write cannot change how anything translates: the queues' producer and
   consumer pointers software writes (a command's effect reaches the micro-TLBs through
   host.invalidate_scope when it is consumed). Any other register write drops every
   micro-TLB entry (conservative: CR0, CR1, CR2, GBPA, STRTAB_*, the Secure bank, ...). */
static bool queue_pointer(uint64_t offset) {
    switch (offset) {
    case SMMU_CMDQ_PROD:
    case SMMU_EVENTQ_CONS:
    case SMMU_PRIQ_CONS:
    case SMMU_S_CMDQ_PROD:
    case SMMU_S_EVENTQ_CONS:
        return true;
    default:
        return false;
    }
}

void smmu_base::regs_b_transport(tlm::tlm_generic_payload &gp, sc_time &delay) {
    impl &m = *m_;
    ::smmu_t *core = m.cp.core();
    delay += m.p.timing.reg_access;
    const tlm::tlm_response_status s = reg_check(core, gp);
    if (s != tlm::TLM_OK_RESPONSE || gp.get_command() == tlm::TLM_IGNORE_COMMAND) {
        gp.set_response_status(s);
        return;
    }
    const unsigned len = gp.get_data_length();
    const bool sec = reg_secure(gp);
    m.cp.enter(&delay); /* MSIs and queue accesses a register write causes */
    m.pmcg_sync(delay);
    if (gp.is_read()) {
        le_store(gp.get_data_ptr(), smmu_reg_read_sec(core, gp.get_address(), len, sec), len);
    } else {
        smmu_reg_write_sec(core, gp.get_address(), le_load(gp.get_data_ptr(), len), len, sec);
        if (!queue_pointer(gp.get_address())) m.utlb.flush(); /* a configuration change */
        m.kick_cmdq(delay);
    }
    m.cp.leave(); /* DMI revocations of an SMMUEN or GBPA change are delivered here */
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned smmu_base::regs_transport_dbg(tlm::tlm_generic_payload &gp) {
    impl &m = *m_;
    ::smmu_t *core = m.cp.core();
    if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) return 0;
    if (reg_check(core, gp) != tlm::TLM_OK_RESPONSE) return 0;
    const unsigned len = gp.get_data_length();
    const bool sec = reg_secure(gp);
    if (gp.is_read()) {
        le_store(gp.get_data_ptr(), smmu_reg_read_sec(core, gp.get_address(), len, sec), len);
    } else {
        const bool dbg_was = m.cp.table().set_debug(true);
        smmu_reg_write_sec(core, gp.get_address(), le_load(gp.get_data_ptr(), len), len, sec);
        m.cp.table().set_debug(dbg_was);
        if (!queue_pointer(gp.get_address())) m.utlb.flush();
        m.kick_cmdq(SC_ZERO_TIME);
    }
    return len;
}

/* ---- PMCG pages ---- */

/* An access to the pmcg socket: group and offset (pmcg_group_span per group), checked as the
   register frame's accesses are (reg_check); a group that does not exist or an offset past its
   two pages gets TLM_ADDRESS_ERROR_RESPONSE. */
static tlm::tlm_response_status pmcg_check(const smmu_params_t &p,
                                           const tlm::tlm_generic_payload &gp, unsigned *group,
                                           uint64_t *off) {
    const unsigned len = gp.get_data_length();
    const bool ignore = gp.get_command() == tlm::TLM_IGNORE_COMMAND;
    const unsigned size = ignore ? (len == 8 ? 8 : 4) : len;
    *group = (unsigned)(gp.get_address() / pmcg_group_span);
    *off = (gp.get_address() % pmcg_group_span) & (ignore ? ~(uint64_t)(size - 1) : ~0ull);
    if (!ignore) {
        if ((len != 4 && len != 8) || gp.get_streaming_width() < len || !gp.get_data_ptr())
            return tlm::TLM_BURST_ERROR_RESPONSE;
        if (gp.get_byte_enable_ptr()) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    }
    if (gp.get_address() / pmcg_group_span >= p.pmcg_groups || (*off & (size - 1)))
        return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    return tlm::TLM_OK_RESPONSE;
}

void smmu_base::pmcg_b_transport(tlm::tlm_generic_payload &gp, sc_time &delay) {
    impl &m = *m_;
    ::smmu_t *core = m.cp.core();
    delay += m.p.timing.reg_access;
    unsigned group;
    uint64_t off;
    const tlm::tlm_response_status s = pmcg_check(*smmu_params(core), gp, &group, &off);
    if (s != tlm::TLM_OK_RESPONSE || gp.get_command() == tlm::TLM_IGNORE_COMMAND) {
        gp.set_response_status(s);
        return;
    }
    const unsigned len = gp.get_data_length();
    const bool sec = reg_secure(gp); /* 10.6: SCR and NSRA decide in the core */
    m.cp.enter(&delay);              /* an overflow's MSI from the cycles up to now */
    m.pmcg_sync(delay);
    if (gp.is_read()) {
        le_store(gp.get_data_ptr(), smmu_pmcg_reg_read_sec(core, group, off, len, sec), len);
    } else {
        smmu_pmcg_reg_write_sec(core, group, off, le_load(gp.get_data_ptr(), len), len, sec);
        m.pmcg_update_live();
    }
    m.cp.leave();
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned smmu_base::pmcg_transport_dbg(tlm::tlm_generic_payload &gp) {
    impl &m = *m_;
    ::smmu_t *core = m.cp.core();
    unsigned group;
    uint64_t off;
    if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) return 0;
    if (pmcg_check(*smmu_params(core), gp, &group, &off) != tlm::TLM_OK_RESPONSE) return 0;
    const unsigned len = gp.get_data_length();
    const bool sec = reg_secure(gp);
    if (gp.is_read()) {
        le_store(gp.get_data_ptr(), smmu_pmcg_reg_read_sec(core, group, off, len, sec), len);
    } else {
        const bool dbg_was = m.cp.table().set_debug(true);
        smmu_pmcg_reg_write_sec(core, group, off, le_load(gp.get_data_ptr(), len), len, sec);
        m.cp.table().set_debug(dbg_was);
        m.pmcg_update_live();
    }
    return len;
}

/* ---- saving and restoring (docs/tlm.md, "Saving and restoring") ---- */

namespace {

/* The envelope around the core's blob, little-endian: magic, version, the PMCG clock phase
   (picoseconds since the last whole cycle reported to the core), the command thread's turn
   (which Command queue it tries first), the core blob's length, then the core blob. */
constexpr uint32_t STATE_MAGIC = 0x4c544d53u; /* "SMTL" */
constexpr uint32_t STATE_VERSION = 1;
constexpr size_t STATE_HDR = 4 + 4 + 8 + 4 + 8;

uint64_t to_ps(const sc_time &t) {
    return (uint64_t)(t / sc_time(1, sc_core::SC_PS));
}

} // namespace

bool smmu_base::quiescent() const {
    const impl &m = *m_;
    return m.lt_active == 0 && m.at.in_flight() == 0 && m.cp.stalled_waiting() == 0 &&
           !m.cmdq_busy && !m.cmdq_kick;
}

std::vector<uint8_t> smmu_base::save_state() {
    impl &m = *m_;
    if (!quiescent()) {
        SC_REPORT_ERROR(name(), "save_state: refused, a transaction or command is in flight "
                                "(wait for quiescent())");
        return {};
    }
    /* the PMCG cycle counter up to now, so that only the phase within a cycle is left over */
    sc_time d = SC_ZERO_TIME;
    m.cp.enter(&d);
    m.pmcg_sync(d);
    m.cp.leave();
    ::smmu_t *core = m.cp.core();
    const size_t n = smmu_save_size(core);
    std::vector<uint8_t> blob(STATE_HDR + n);
    size_t len = 0;
    const smmu_state_status_t st = smmu_save(core, blob.data() + STATE_HDR, n, &len);
    if (st != SMMU_STATE_OK) {
        SC_REPORT_ERROR(
            name(), (std::string("save_state: smmu_save: ") + smmu_state_status_name(st)).c_str());
        return {};
    }
    blob.resize(STATE_HDR + len);
    const sc_time now = sc_core::sc_time_stamp();
    le_store(&blob[0], STATE_MAGIC, 4);
    le_store(&blob[4], STATE_VERSION, 4);
    le_store(&blob[8], now > m.pmcg_last ? to_ps(now - m.pmcg_last) : 0, 8);
    le_store(&blob[16], m.cmdq_secure, 4);
    le_store(&blob[20], len, 8);
    return blob;
}

bool smmu_base::restore_state(const std::vector<uint8_t> &blob) {
    impl &m = *m_;
    if (!quiescent()) {
        SC_REPORT_ERROR(name(), "restore_state: refused, a transaction or command is in flight "
                                "(wait for quiescent())");
        return false;
    }
    if (blob.size() < STATE_HDR || le_load(&blob[0], 4) != STATE_MAGIC ||
        le_load(&blob[4], 4) != STATE_VERSION || le_load(&blob[16], 4) > 1 ||
        le_load(&blob[20], 8) != blob.size() - STATE_HDR) {
        SC_REPORT_ERROR(name(), "restore_state: refused, not a save_state() blob of this version");
        return false;
    }
    sc_time d = SC_ZERO_TIME;
    m.cp.enter(&d);
    m.restoring = true;
    const smmu_state_status_t st =
        smmu_restore(m.cp.core(), blob.data() + STATE_HDR, blob.size() - STATE_HDR);
    m.restoring = false;
    if (st == SMMU_STATE_OK) {
        const sc_time now = sc_core::sc_time_stamp();
        const sc_time phase(sc_time(1, sc_core::SC_PS) * (double)le_load(&blob[8], 8));
        m.pmcg_last = now > phase ? now - phase : SC_ZERO_TIME;
        m.pmcg_update_live();
        m.cmdq_secure = le_load(&blob[16], 4) != 0;
        m.cp.table().invalidated(0, ~(uint64_t)0); /* DMI the core was handed before */
    }
    m.cp.leave();
    if (st == SMMU_STATE_OK) m.utlb.flush();     /* the translations of the state replaced */
    if (st == SMMU_STATE_OK) m.dmi.revoke_all(); /* outside the core call: devices may ask again */
    if (st != SMMU_STATE_OK) {
        SC_REPORT_ERROR(name(), (std::string("restore_state: smmu_restore refused the state: ") +
                                 smmu_state_status_name(st))
                                    .c_str());
        return false;
    }
    return true;
}

} // namespace smmu_tlm
