/* SPDX-License-Identifier: Apache-2.0 */
/* smmu_tlm: the SystemC/TLM-2.0 wrapper around one SMMUv3 core. It converts payloads to
 * smmu_txn_t, times the translation from its cost (smmu_result_t::lookups, ::walk_reads) and the
 * memory's annotated delays (or DMI read latencies), and forwards; every architectural decision
 * is the core's. See docs/tlm.md. */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <smmu_tlm/recorder.h>
#include <smmu_tlm/smmu_tlm.h>

#include <smmu/regs.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>

#include <tlm_utils/peq_with_get.h>

#if defined(__GNUC__)
#define SMMU_TLM_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define SMMU_TLM_ALWAYS_INLINE inline
#endif

namespace smmu_tlm {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

/* One piece of an upstream transaction that translates one way. */
struct chunk {
    uint64_t off; /* offset into the upstream transaction */
    uint64_t len; /* bytes */
    uint64_t pa;  /* output address */
    bool razwi;   /* complete without a downstream access */
    output_extension out;
};

/* A payload of the SMMU's own, for one piece of a split transaction (IEEE 1666-2011 14.7: an
   interconnect may not change the initiator's data pointer, length, byte enables or streaming
   width, so a split cannot reuse the upstream payload). Pooled: no allocation per transaction
   once warm. */
struct pooled_payload : tlm::tlm_generic_payload {
    explicit pooled_payload(tlm::tlm_mm_interface *mm) : tlm::tlm_generic_payload(mm) {}
    std::vector<unsigned char> be; /* the piece's byte enables */
    output_extension out;          /* the piece's output attributes */
};

struct payload_pool : tlm::tlm_mm_interface {
    std::vector<std::unique_ptr<pooled_payload>> all;
    std::vector<pooled_payload *> idle;
    pooled_payload *get() {
        if (idle.empty()) {
            all.emplace_back(new pooled_payload(this));
            return all.back().get();
        }
        pooled_payload *p = idle.back();
        idle.pop_back();
        return p;
    }
    /* The last release(): auto extensions a downstream component left are freed (14.5). */
    void free(tlm::tlm_generic_payload *gp) override {
        gp->reset();
        idle.push_back(static_cast<pooled_payload *>(gp));
    }
};

/* A DMI region granted on an upstream socket, with what its translation depends on, so that
   only the invalidations that cover it revoke it. */
struct dmi_grant {
    uint64_t lo, hi;         /* device address range, inclusive */
    uint64_t out_lo, out_hi; /* output address range, inclusive */
    uint32_t sid, ssid;
    bool ssv, rd, wr;
    smmu_xlate_tags_t tags;
};

/* A pending AT transaction waiting for its start time in the PEQ. */
struct at_job {
    int port;
    tlm::tlm_generic_payload *gp;
};

sc_time max_time(const sc_time &a, const sc_time &b) {
    return a > b ? a : b;
}

sc_time sub_or_zero(const sc_time &a, const sc_time &b) {
    return a > b ? a - b : SC_ZERO_TIME;
}

/* t * n, exactly (sc_time * double rounds through a double; the inline additions also avoid a
   library call per product) */
sc_time times(const sc_time &t, uint64_t n) {
    sc_time r = SC_ZERO_TIME, a = t;
    while (n) {
        if (n & 1) r += a;
        n >>= 1;
        if (n) a += a;
    }
    return r;
}

/* A region of the `table` target: granted for DMI reads (ptr), or refused (ptr == nullptr). */
struct table_region {
    uint64_t start, end; /* inclusive */
    const unsigned char *ptr;
    sc_time read_latency;
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

/* Slots reserved in simulated time: a slot is busy until some absolute time. Taking one at time
   `at` starts at the earliest moment a slot is free; the caller then marks it busy until the end
   of its work. Works the same under temporal decoupling (LT) and in AT threads.
   Only the multiset of busy-until times matters (take() always gets the earliest), so they are
   kept sorted in a ring starting at `head`: take() reads the earliest, hold() replaces it by the
   new end time, inserted in order from the back (no moves when end times only grow, the usual
   case). hold() follows the take() it belongs to, with no take() on the pool in between. */
struct slot_pool {
    std::vector<sc_time> ring; /* empty: unlimited */
    size_t head = 0;
    void resize(size_t n) {
        ring.assign(n, SC_ZERO_TIME);
        head = 0;
    }
    SMMU_TLM_ALWAYS_INLINE size_t take(const sc_time &at, sc_time &start) {
        if (ring.empty()) {
            start = at;
            return SIZE_MAX;
        }
        start = max_time(at, ring[head]);
        return head;
    }
    SMMU_TLM_ALWAYS_INLINE void hold(size_t i, const sc_time &until) {
        if (i == SIZE_MAX) return;
        const size_t n = ring.size();
        const size_t last = head; /* the earliest leaves: its cell is now the last */
        head = head + 1 == n ? 0 : head + 1;
        size_t k = last;
        while (k != head) {
            const size_t prev = k ? k - 1 : n - 1;
            if (!(ring[prev] > until)) break;
            ring[k] = ring[prev];
            k = prev;
        }
        ring[k] = until;
    }
};

} // namespace

struct smmu_base::impl {
    smmu_base &o;
    /* The bound interfaces (attach(), after elaboration): downstream, table, and each upstream
       socket's backward path (nullptr: left unbound, which is allowed). */
    tlm::tlm_fw_transport_if<> *down = nullptr, *tbl = nullptr;
    std::vector<tlm::tlm_bw_transport_if<> *> up;
    smmu_tlm_params p;
    ::smmu_t *core = nullptr;
    smmu_host_t host{};
    sid_mapper mapper;
    atc_inv_hook atc_hook;
    pri_resp_hook pri_hook;
    tlm_stats st;

    /* The core is entered by one process at a time: a table access may wait inside the memory
       model, and another process must not enter the core meanwhile. */
    bool core_busy = false;
    unsigned core_waiters = 0; /* processes waiting in lock() */
    sc_core::sc_event core_free;
    /* Context of the current core call, for the table-access callbacks. */
    sc_time *mem_delay = nullptr; /* accumulates the delay table accesses annotate */
    bool mem_dbg = false;         /* debug translation: table accesses via transport_dbg */
    uint64_t table_bt_calls = 0;  /* b_transport calls on `table` (each may wait) */
    uint64_t table_bt_reads = 0;  /* of which reads */

    /* DMI for the core's own table reads (host.mem_ptr). The core holds a grant while
       *grant.epoch == grant.epoch_val; dmi_epoch is that word. It holds dmi_open only inside a
       timed translation without a recorder and 0 otherwise, so that grants are used only where
       their reads are timed (translate_timed counts them) and never while a recorder must see
       every access; dmi_open moves on whenever the `table` target invalidates DMI. */
    uint32_t dmi_epoch = 0;
    uint32_t dmi_open = 1;
    unsigned dmi_handed = 0;  /* grants handed to the core under the current dmi_open */
    sc_time dmi_read_latency; /* the read latency of all of them */
    std::vector<table_region> dmi_regions; /* granted and refused, at most DMI_REGIONS */
    size_t dmi_next = 0;                   /* round-robin replacement */
    static constexpr size_t DMI_REGIONS = 32;

    slot_pool xlate_slots, walk_slots;
    /* lat[k][n]: n lookups of kind k (0 cfg, 1 tlb, 2 walk cache), for n < LAT_N */
    static constexpr unsigned LAT_N = 8;
    sc_time lat[3][LAT_N];
    sc_time lookups_time(unsigned k, uint64_t n) const {
        return n < LAT_N ? lat[k][n] : times(lat[k][1], n);
    }

    struct stall_waiter {
        sc_core::sc_event ev;
        bool done = false;
        int outcome = SMMU_STALL_ABORT;
    };
    std::map<uint64_t, stall_waiter *> stalls;

    bool irq_level[SMMU_IRQ_COUNT] = {};
    bool irq_pulse[SMMU_IRQ_COUNT] = {};
    sc_core::sc_event irq_ev;
    sc_core::sc_signal<bool> irq_unbound[SMMU_IRQ_COUNT];

    bool cmdq_kick = false;
    sc_core::sc_event cmdq_ev;

    /* DMI granted upstream, per port, and revocations waiting for the end of the current core
       call (the core is not re-entered from an initiator's invalidate_direct_mem_ptr). */
    std::vector<std::vector<dmi_grant>> grants;
    std::vector<std::pair<unsigned, std::pair<uint64_t, uint64_t>>> revokes;
    static constexpr size_t GRANTS_PER_PORT = 4096; /* beyond: the oldest is revoked */

    payload_pool pool;

    /* logging (p.log) */
    uint32_t gerror_active = 0; /* GERROR bits active (GERROR != GERRORN) when last looked */

    /* recording (off: rec == nullptr) */
    recorder *rec = nullptr;
    std::vector<::smmu_tlm::table_access> rec_accesses; /* of the current translation */
    bool rec_collect = false;

    /* AT */
    struct port_state {
        bool resp_busy = false;
        unsigned resp_waiters = 0; /* workers waiting for resp_free */
        bool end_resp = false;
        sc_core::sc_event resp_free, end_resp_ev;
    };
    std::vector<port_state> ports;
    tlm_utils::peq_with_get<at_job> peq;
    std::deque<at_job> job_store;
    std::vector<at_job *> job_free;
    std::vector<std::vector<chunk>> chunk_lists; /* free chunk lists (take_chunk_list) */
    unsigned at_idle = 0, at_pending = 0, at_starting = 0;

    impl(smmu_base &owner, const smmu_tlm_params &params)
        : o(owner), up(params.n_upstream, nullptr), p(params), grants(params.n_upstream),
          ports(params.n_upstream), peq("at_peq") {
        p.core.defer_cmdq = true;
        for (unsigned n = 0; n < LAT_N; n++) {
            lat[0][n] = times(p.timing.cfg_lookup, n);
            lat[1][n] = times(p.timing.tlb_lookup, n);
            lat[2][n] = times(p.timing.walk_cache_lookup, n);
        }
        xlate_slots.resize(p.timing.max_outstanding);
        walk_slots.resize(p.timing.max_walks);
        host.ctx = this;
        host.mem_read = &impl::cb_mem_read;
        host.mem_write = &impl::cb_mem_write;
        host.irq = &impl::cb_irq;
        host.stall_done = &impl::cb_stall_done;
        host.invalidate_scope = &impl::cb_invalidate_scope;
        host.atc_inv = &impl::cb_atc_inv;
        host.pri_resp = &impl::cb_pri_resp;
        host.mem_ptr = p.table_dmi ? &impl::cb_mem_ptr : nullptr;
        core = smmu_new(&p.core, &host);
    }
    ~impl() {
        if (core) smmu_free(core);
    }

    /* ---- core lock ---- */
    void lock() {
        while (core_busy) {
            core_waiters++;
            sc_core::wait(core_free);
            core_waiters--;
        }
        core_busy = true;
    }
    void unlock() {
        core_busy = false;
        if (!revokes.empty()) deliver_revokes();
        if (core_waiters) core_free.notify(SC_ZERO_TIME);
    }

    /* ---- host callbacks ---- */
    /* One payload for table accesses, reused (a payload's construction allocates its extension
       array); a nested access while it is in use (a debug access meanwhile) gets its own. */
    tlm::tlm_generic_payload table_gp;
    bool table_gp_busy = false;
    int table_access(tlm::tlm_command cmd, uint64_t pa, void *buf, size_t len, bool secure) {
        if (table_gp_busy) {
            tlm::tlm_generic_payload own;
            return table_access(own, cmd, pa, buf, len, secure);
        }
        table_gp_busy = true;
        const int r = table_access(table_gp, cmd, pa, buf, len, secure);
        table_gp_busy = false;
        return r;
    }
    int table_access(tlm::tlm_generic_payload &gp, tlm::tlm_command cmd, uint64_t pa, void *buf,
                     size_t len, bool secure) {
        output_extension ext;
        ext.ns = !secure;
        gp.set_gp_option(tlm::TLM_MIN_PAYLOAD);
        gp.set_command(cmd);
        gp.set_address(pa);
        gp.set_data_ptr(static_cast<unsigned char *>(buf));
        gp.set_data_length((unsigned)len);
        gp.set_streaming_width((unsigned)len);
        gp.set_byte_enable_ptr(nullptr);
        gp.set_byte_enable_length(0);
        gp.set_dmi_allowed(false);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        gp.set_extension(&ext);
        bool ok;
        if (!tbl) { /* before the end of elaboration: nothing is bound yet */
            SC_REPORT_ERROR(o.name(), "table access before the end of elaboration");
            ok = false;
        } else if (mem_dbg) {
            ok = tbl->transport_dbg(gp) == len;
        } else {
            sc_time local = SC_ZERO_TIME;
            sc_time &d = mem_delay ? *mem_delay : local;
            table_bt_calls++;
            if (cmd == tlm::TLM_READ_COMMAND) table_bt_reads++;
            if (rec_collect) {
                ::smmu_tlm::table_access a;
                a.pa = pa;
                a.len = (uint32_t)len;
                a.write = cmd == tlm::TLM_WRITE_COMMAND;
                a.begin = sc_core::sc_time_stamp() + d;
                tbl->b_transport(gp, d);
                a.end = sc_core::sc_time_stamp() + d;
                rec_accesses.push_back(a);
            } else {
                tbl->b_transport(gp, d);
            }
            ok = gp.is_response_ok();
            /* the target hints that DMI is possible here now: forget a refusal */
            if (ok && gp.is_dmi_allowed() && !dmi_regions.empty()) dmi_forget_refusal(pa);
        }
        gp.clear_extension(&ext);
        return ok ? 0 : 1;
    }

    /* ---- DMI for table reads ---- */
    static bool cb_mem_ptr(void *ctx, uint64_t pa, smmu_mem_grant_t *g) {
        return static_cast<impl *>(ctx)->mem_ptr(pa, g);
    }
    /* Hands region r to the core. All grants of one epoch have the same read latency (the core
       does not tell which grant a read used): a region with another one is not handed out. */
    bool hand(const table_region &r, smmu_mem_grant_t *g) {
        if (dmi_handed && r.read_latency != dmi_read_latency) return false;
        dmi_read_latency = r.read_latency;
        g->ptr = r.ptr;
        g->base = r.start;
        g->size = r.end - r.start + 1;
        if (g->size == 0) g->size = ~(uint64_t)0; /* the whole 64-bit space: all but one byte */
        g->epoch = &dmi_epoch;
        g->epoch_val = dmi_open;
        dmi_handed++;
        return true;
    }
    void dmi_remember(const table_region &r) {
        if (dmi_regions.size() < DMI_REGIONS) {
            dmi_regions.push_back(r);
        } else {
            dmi_regions[dmi_next] = r;
            dmi_next = (dmi_next + 1) % DMI_REGIONS;
        }
    }
    void dmi_forget_refusal(uint64_t pa) {
        for (size_t i = 0; i < dmi_regions.size(); i++) {
            const table_region &r = dmi_regions[i];
            if (!r.ptr && pa >= r.start && pa <= r.end) {
                dmi_regions.erase(dmi_regions.begin() + (long)i);
                dmi_next = 0;
                return;
            }
        }
    }
    /* host.mem_ptr: a granted region of `table` containing pa, from the cache of regions or
       asked from the target (read access, the latency of the regions already granted). */
    bool mem_ptr(uint64_t pa, smmu_mem_grant_t *g) {
        if (!dmi_epoch || !tbl) return false; /* not in a timed translation, or recording */
        for (const table_region &r : dmi_regions)
            if (pa >= r.start && pa <= r.end) return r.ptr && hand(r, g);
        tlm::tlm_generic_payload gp;
        output_extension ext; /* ns: the core asks only for Non-secure reads */
        gp.set_command(tlm::TLM_READ_COMMAND);
        gp.set_address(pa);
        gp.set_extension(&ext);
        tlm::tlm_dmi d;
        const bool ok = tbl->get_direct_mem_ptr(gp, d);
        gp.clear_extension(&ext);
        table_region r{d.get_start_address(), d.get_end_address(), nullptr, SC_ZERO_TIME};
        if (pa < r.start || pa > r.end) r.start = r.end = pa; /* a target that set no range */
        const bool grant = ok && d.is_read_allowed() && d.get_dmi_ptr() &&
                           pa >= d.get_start_address() && pa <= d.get_end_address();
        if (grant) {
            r.ptr = d.get_dmi_ptr();
            r.read_latency = d.get_read_latency();
            st.table_dmi_grants++;
        }
        dmi_remember(r);
        return grant && hand(r, g);
    }
    /* The `table` target revoked [start, end]: drop the regions it touches (refusals too: the
       target may grant there now) and move the epoch on, so the core drops every grant. */
    void table_dmi_invalidated(uint64_t start, uint64_t end) {
        for (size_t i = dmi_regions.size(); i-- > 0;) {
            const table_region &r = dmi_regions[i];
            if (r.start <= end && r.end >= start) dmi_regions.erase(dmi_regions.begin() + (long)i);
        }
        dmi_next = 0;
        if (++dmi_open == 0) dmi_open = 1;
        if (dmi_epoch) dmi_epoch = dmi_open;
        dmi_handed = 0;
    }
    static int cb_mem_read(void *ctx, uint64_t pa, void *buf, size_t len, bool secure) {
        return static_cast<impl *>(ctx)->table_access(tlm::TLM_READ_COMMAND, pa, buf, len, secure);
    }
    static int cb_mem_write(void *ctx, uint64_t pa, const void *buf, size_t len, bool secure) {
        /* the payload's data pointer is non-const; a write never modifies it */
        return static_cast<impl *>(ctx)->table_access(tlm::TLM_WRITE_COMMAND, pa,
                                                      const_cast<void *>(buf), len, secure);
    }
    static void cb_irq(void *ctx, int line, bool level) {
        impl *m = static_cast<impl *>(ctx);
        if (line < 0 || line >= SMMU_IRQ_COUNT) return;
        if (level && !m->irq_level[line]) m->irq_pulse[line] = true; /* a rising edge */
        if (m->rec && level != m->irq_level[line])
            m->rec->interrupt(m->o, line, level, sc_core::sc_time_stamp());
        m->irq_level[line] = level;
        m->irq_ev.notify(SC_ZERO_TIME);
    }
    static uint64_t stall_key(uint32_t sid, uint16_t stag) {
        return ((uint64_t)sid << 16) | stag;
    }
    static void cb_stall_done(void *ctx, uint32_t sid, uint16_t stag, int outcome) {
        impl *m = static_cast<impl *>(ctx);
        auto it = m->stalls.find(stall_key(sid, stag));
        if (it == m->stalls.end()) return;
        it->second->done = true;
        it->second->outcome = outcome;
        it->second->ev.notify(SC_ZERO_TIME);
        m->stalls.erase(it);
    }
    static int cb_atc_inv(void *ctx, uint32_t sid, uint32_t ssid, bool ssv, uint64_t addr,
                          unsigned size, bool global) {
        impl *m = static_cast<impl *>(ctx);
        return m->atc_hook ? m->atc_hook(sid, ssid, ssv, addr, size, global) : 0;
    }
    static void cb_pri_resp(void *ctx, uint32_t sid, uint32_t ssid, bool ssv, uint16_t grpid,
                            unsigned resp) {
        impl *m = static_cast<impl *>(ctx);
        if (m->pri_hook) m->pri_hook(sid, ssid, ssv, grpid, resp);
    }
    /* ---- DMI granted upstream: scoped revocation ---- */
    static void cb_invalidate_scope(void *ctx, const smmu_inv_scope_t *sc) {
        static_cast<impl *>(ctx)->scope_invalidated(*sc);
    }
    /* An invalidation the core executed: exactly the grants it covers are revoked (the core
       decides which, smmu_inv_covers). Delivered when the core call ends. */
    void scope_invalidated(const smmu_inv_scope_t &sc) {
        for (unsigned port = 0; port < grants.size(); port++) {
            std::vector<dmi_grant> &v = grants[port];
            for (size_t i = v.size(); i-- > 0;) {
                const dmi_grant &g = v[i];
                if (!smmu_inv_covers(&sc, g.sid, g.ssid, g.ssv, g.lo, g.hi, &g.tags)) continue;
                revokes.push_back({port, {g.lo, g.hi}});
                v[i] = v.back();
                v.pop_back();
            }
        }
        if (!core_busy) deliver_revokes(); /* a direct core call (core()), not ours */
    }
    /* The downstream target revoked output range [start, end]: every grant whose output range
       meets it is revoked in its device's address space (only the part that meets it; a grant
       revoked whole is forgotten). */
    void downstream_invalidated(uint64_t start, uint64_t end) {
        for (unsigned port = 0; port < grants.size(); port++) {
            std::vector<dmi_grant> &v = grants[port];
            for (size_t i = v.size(); i-- > 0;) {
                const dmi_grant &g = v[i];
                if (g.out_lo > end || g.out_hi < start) continue;
                const uint64_t lo = std::max(start, g.out_lo), hi = std::min(end, g.out_hi);
                revokes.push_back({port, {g.lo + (lo - g.out_lo), g.lo + (hi - g.out_lo)}});
                if (lo == g.out_lo && hi == g.out_hi) {
                    v[i] = v.back();
                    v.pop_back();
                }
            }
        }
        deliver_revokes(); /* at once: the memory behind them is gone now */
    }
    void deliver_revokes() {
        while (!revokes.empty()) {
            const auto r = revokes.back();
            revokes.pop_back();
            st.dmi_revocations++;
            if (r.first < up.size() && up[r.first])
                up[r.first]->invalidate_direct_mem_ptr(r.second.first, r.second.second);
        }
    }
    void remember_grant(unsigned port, const dmi_grant &g) {
        std::vector<dmi_grant> &v = grants[port];
        for (dmi_grant &e : v)
            if (e.lo == g.lo && e.hi == g.hi && e.sid == g.sid && e.ssid == g.ssid &&
                e.ssv == g.ssv) {
                e = g;
                return;
            }
        if (v.size() >= GRANTS_PER_PORT) { /* bounded: the oldest goes */
            revokes.push_back({port, {v.front().lo, v.front().hi}});
            v.erase(v.begin());
            if (!core_busy) deliver_revokes();
        }
        v.push_back(g);
    }

    /* Opcode of the command at CMDQ_CONS (for the recorder): read without side effects through
       the table socket's debug transport. CMDQ_BASE: ADDR [51:5], LOG2SIZE [4:0]; CMDQ_CONS:
       RD index in its low LOG2SIZE bits (spec 6.3.26, 6.3.28); a command is 16 bytes. */
    unsigned next_command_opcode() {
        const uint64_t base = smmu_reg_read(core, SMMU_CMDQ_BASE, 8);
        const uint32_t cons = (uint32_t)smmu_reg_read(core, SMMU_CMDQ_CONS, 4);
        const unsigned log2 = (unsigned)SMMU_VGET(base, SMMU_F_CMDQ_BASE_LOG2SIZE);
        if (log2 > SMMU_Q_LOG2SIZE_MAX) return 0;
        const uint64_t addr = SMMU_VADDR(base, SMMU_F_CMDQ_BASE_ADDR) +
                              uint64_t(SMMU_CMD_BYTES) * smmu_q_index(cons, log2);
        unsigned char op = 0;
        tlm::tlm_generic_payload gp;
        gp.set_command(tlm::TLM_READ_COMMAND);
        gp.set_address(addr);
        gp.set_data_ptr(&op);
        gp.set_data_length(1);
        gp.set_streaming_width(1);
        return tbl && tbl->transport_dbg(gp) == 1 ? op : 0;
    }

    /* ---- translation ---- */
    smmu_txn_t make_txn(const stream_extension &se, const tlm::tlm_generic_payload &gp) const {
        smmu_txn_t t{};
        t.sid = se.sid;
        t.ssid = se.ssid;
        t.ssv = se.ssv;
        t.secure = se.secure;
        t.priv = se.priv;
        t.exec = se.instr;
        t.ats = se.ats;
        t.write = gp.get_command() == tlm::TLM_WRITE_COMMAND;
        t.addr = gp.get_address();
        t.len = std::max(1u, gp.get_data_length());
        return t;
    }

    /* smmu_translate with timing: delay is the caller's local time offset, advanced by the
       cache lookups (per configured latency), slot waits and the delays the table accesses
       annotate (a read through a DMI grant: the grant's read latency). The lookup counts are
       the translation's own (smmu_result_t::lookups, ::walk_reads). Thread context. */
    void translate_timed(const smmu_txn_t &t, smmu_result_t &r, sc_time &delay) {
        translate_timed_inline(t, r, delay);
    }
    SMMU_TLM_ALWAYS_INLINE void translate_timed_inline(const smmu_txn_t &t, smmu_result_t &r,
                                                       sc_time &delay) {
        lock();
        const sc_time now0 = sc_core::sc_time_stamp();
        const sc_time t0 = now0 + delay;
        sc_time md = delay;
        const uint64_t calls0 = table_bt_calls, reads0 = table_bt_reads;
        mem_delay = &md;
        if (rec) {
            rec_accesses.clear();
            rec_collect = true;
        } else if (t.ats != SMMU_ATS_REQUEST) {
            /* (an ATS Translation Request's reads are not in r.mem_reads: no DMI for them) */
            dmi_epoch = dmi_open;
        }
        smmu_translate(core, &t, &r);
        dmi_epoch = 0;
        rec_collect = false;
        mem_delay = nullptr;
        unlock();
        /* the memory may have waited (only a b_transport on `table` can): measure in absolute
           time */
        const sc_time now = table_bt_calls != calls0 ? sc_core::sc_time_stamp() : now0;
        if (dmi_handed) { /* reads the core made through a grant: no b_transport, same cost */
            const uint64_t bt = table_bt_reads - reads0;
            if (r.mem_reads > bt) {
                md += times(dmi_read_latency, r.mem_reads - bt);
                st.table_dmi_reads += r.mem_reads - bt;
            }
        }
        const sc_time mem = sub_or_zero(now + md, t0);
        const sc_time cfg =
            lookups_time(0, (uint64_t)r.lookups[SMMU_CACHE_STE] + r.lookups[SMMU_CACHE_CD] +
                                r.lookups[SMMU_CACHE_L1]);
        const sc_time tlb =
            lookups_time(1, (uint64_t)r.lookups[SMMU_CACHE_TLB] + r.lookups[SMMU_CACHE_IPA]);
        const sc_time wc = lookups_time(2, r.lookups[SMMU_CACHE_WALK]);
        const bool walked = r.lookups[SMMU_CACHE_WALK] > 0 || r.walk_reads > 0;
        sc_time start;
        size_t xs = xlate_slots.take(t0, start);
        st.xlate_wait += start - t0;
        sc_time t_end = start + cfg + tlb;
        sc_time walk_start = t_end;
        if (walked) { /* a table walk also holds a walk slot */
            sc_time ws;
            size_t w = walk_slots.take(t_end, ws);
            st.walk_wait += ws - t_end;
            walk_start = ws;
            t_end = ws + wc + mem;
            walk_slots.hold(w, t_end);
        } else {
            t_end += wc + mem;
        }
        xlate_slots.hold(xs, t_end);
        st.xlate_time += t_end - t0;
        delay = sub_or_zero(t_end, now);
        if (rec) {
            translation_record tr;
            tr.txn = t;
            tr.res = r;
            tr.requested = t0;
            tr.start = start;
            tr.cfg = cfg;
            tr.tlb = tlb;
            tr.walk_start = walk_start;
            tr.end = t_end;
            tr.walked = walked;
            for (unsigned i = 0; i < SMMU_CACHE_COUNT; i++) {
                tr.lookups[i] = r.lookups[i];
                tr.hits[i] = r.hits[i];
            }
            tr.accesses = rec_accesses.data();
            tr.n_accesses = rec_accesses.size();
            rec->translation(o, tr);
        }
        if (p.log) log_translation(t, r);
    }

    /* ---- logging (p.log): sc_report, message type = instance name ---- */
    void report(int verbosity, const char *text) const {
        SC_REPORT_INFO_VERB(o.name(), text, verbosity);
    }
    /* A fault or a stall at SC_MEDIUM, every translation at SC_DEBUG. */
    void log_translation(const smmu_txn_t &t, const smmu_result_t &r) const {
        const int v = r.status == SMMU_OK ? sc_core::SC_DEBUG : sc_core::SC_MEDIUM;
        if (sc_core::sc_report_handler::get_verbosity_level() < v) return;
        char ids[48], b[256];
        if (t.ssv)
            snprintf(ids, sizeof ids, "sid 0x%" PRIx32 " ssid 0x%" PRIx32, t.sid, t.ssid);
        else
            snprintf(ids, sizeof ids, "sid 0x%" PRIx32, t.sid);
        const char rw = t.write ? 'W' : t.exec ? 'X' : 'R';
        if (r.status == SMMU_OK)
            snprintf(b, sizeof b, "translate %s %c 0x%" PRIx64 "+%" PRIu32 " -> 0x%" PRIx64 "%s",
                     ids, rw, t.addr, t.len, r.pa, r.tlb_hit ? " (TLB hit)" : "");
        else if (r.status == SMMU_STALLED)
            snprintf(b, sizeof b, "stall %s %s %c 0x%" PRIx64 "+%" PRIu32 ": STAG 0x%x",
                     smmu_event_name(r.event), ids, rw, t.addr, t.len, (unsigned)r.stag);
        else
            snprintf(b, sizeof b, "fault %s %s %c 0x%" PRIx64 "+%" PRIu32 ": %s%s",
                     r.event ? smmu_event_name(r.event) : "(no event)", ids, rw, t.addr, t.len,
                     r.abort ? "abort" : "RAZ/WI", r.recorded ? ", event recorded" : "");
        report(v, b);
    }
    void log_stall_outcome(const smmu_txn_t &t, uint16_t stag, int outcome) const {
        if (sc_core::sc_report_handler::get_verbosity_level() < sc_core::SC_MEDIUM) return;
        static const char *const what[] = {"retried", "terminated (abort)",
                                           "terminated (RAZ/WI)"};
        char b[128];
        snprintf(b, sizeof b, "stall sid 0x%" PRIx32 " STAG 0x%x %s", t.sid, (unsigned)stag,
                 outcome >= 0 && outcome <= 2 ? what[outcome] : "ended");
        report(sc_core::SC_MEDIUM, b);
    }
    void log_command(unsigned opcode) const {
        const std::string b = "command " + command_name(opcode);
        report(sc_core::SC_MEDIUM, b.c_str());
    }
    /* GERROR bits that became active (GERROR != GERRORN, spec 6.3.17), with the CERROR code of
       CMDQ_CONS.ERR for CMDQ_ERR (4.8). */
    void log_gerrors() {
        const uint32_t g = (uint32_t)smmu_reg_read(core, SMMU_GERROR, 4);
        const uint32_t gn = (uint32_t)smmu_reg_read(core, SMMU_GERRORN, 4);
        const uint32_t active = g ^ gn, fresh = active & ~gerror_active;
        gerror_active = active;
        if (!fresh) return;
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
            if (!(fresh & e.bit)) continue;
            char b[96];
            if (e.bit == SMMU_GERROR_CMDQ_ERR) {
                const uint32_t cons = (uint32_t)smmu_reg_read(core, SMMU_CMDQ_CONS, 4);
                const unsigned err = (unsigned)SMMU_VGET(cons, SMMU_F_CMDQ_CONS_ERR);
                snprintf(b, sizeof b, "GERROR %s: %s (CMDQ_CONS.ERR %u)", e.name,
                         err <= SMMU_CERROR_ATC_INV_SYNC ? cerrors[err] : "CERROR_?", err);
            } else {
                snprintf(b, sizeof b, "GERROR %s", e.name);
            }
            report(sc_core::SC_MEDIUM, b);
        }
    }

    /* Translation including the stall protocol: a STALLED result waits for CMD_RESUME /
       CMD_STALL_TERM (stall_done), then retries or ends as an abort / RAZ/WI fault. */
    void translate_stalling(const smmu_txn_t &t, smmu_result_t &r, sc_time &delay) {
        translate_timed(t, r, delay);
        if (r.status == SMMU_STALLED) stalled(t, r, delay);
    }
    void stalled(const smmu_txn_t &t, smmu_result_t &r, sc_time &delay) {
        for (;;) {
            st.stalls++;
            stall_waiter w;
            stalls[stall_key(t.sid, r.stag)] = &w; /* before any wait: stall_done finds it */
            sc_core::wait(delay); /* synchronise: the stall lasts in real simulated time */
            delay = SC_ZERO_TIME;
            while (!w.done)
                sc_core::wait(w.ev);
            if (p.log) log_stall_outcome(t, r.stag, w.outcome);
            if (w.outcome == SMMU_STALL_RETRY) {
                translate_timed(t, r, delay);
                if (r.status != SMMU_STALLED) return;
                continue;
            }
            r.status = SMMU_FAULT;
            r.abort = w.outcome != SMMU_STALL_RAZWI;
            return;
        }
    }

    /* Splits [0, len) of the transaction into chunks that each translate one way; first is the
       result of the first chunk's translation (the caller made it). Returns false (with the
       response status set) when the transaction ends without downstream access. */
    bool plan(const smmu_txn_t &base, uint64_t len, bool streaming, std::vector<chunk> &out,
              tlm::tlm_generic_payload &gp, sc_time &delay, const smmu_result_t &first) {
        uint64_t off = 0;
        while (off < len) {
            smmu_txn_t t = base;
            t.addr = base.addr + off;
            t.len = (uint32_t)std::min<uint64_t>(len - off, UINT32_MAX);
            smmu_result_t r{};
            if (off == 0)
                r = first;
            else
                translate_stalling(t, r, delay);
            chunk c{};
            c.off = off;
            c.out.sid = t.sid;
            if (r.status != SMMU_OK) {
                if (r.abort) {
                    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
                    return false;
                }
                /* RAZ/WI up to the next smallest-granule (4 KiB) boundary */
                c.razwi = true;
                c.len = std::min<uint64_t>(len - off, 0x1000 - (t.addr & 0xFFF));
            } else {
                uint64_t span = r.span ? r.span : 0x1000;
                uint64_t room = span - (t.addr & (span - 1));
                c.len = std::min<uint64_t>(len - off, room);
                c.pa = r.pa;
                c.out = output_of(t.sid, r);
            }
            if (streaming && c.len < len) { /* a FIFO access must stay in one translation */
                gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
                return false;
            }
            out.push_back(c);
            off += c.len;
        }
        return true;
    }

    static void zero_data(tlm::tlm_generic_payload &gp, const chunk &c) {
        unsigned char *d = gp.get_data_ptr() + c.off;
        const unsigned char *be = gp.get_byte_enable_ptr();
        const unsigned bel = gp.get_byte_enable_length();
        for (uint64_t i = 0; i < c.len; i++)
            if (!be || !bel || be[(c.off + i) % bel] == TLM_BYTE_ENABLED) d[i] = 0;
    }

    /* The output_extension of a successful translation of stream sid. */
    static output_extension output_of(uint32_t sid, const smmu_result_t &r) {
        output_extension e;
        e.sid = sid;
        e.ns = r.ns;
        e.attr = r.attr;
        e.sh = r.sh;
        e.perm = r.perm;
        e.pa = r.pa;
        e.span = r.span;
        return e;
    }

    /* One piece of upstream payload gp (offset off, len bytes) as a payload of the SMMU's own
       at output address pa: command, option, data (pointing into gp's array: a read lands
       there directly), byte enables of the piece, gp's extensions (shared for the duration of
       the call, not cloned) and out as its output_extension. */
    pooled_payload *piece(tlm::tlm_generic_payload &gp, uint64_t off, unsigned len, uint64_t pa,
                          const output_extension &out) {
        pooled_payload *q = pool.get();
        q->acquire();
        q->set_gp_option(gp.get_gp_option());
        q->set_command(gp.get_command());
        q->set_address(pa);
        q->set_data_ptr(gp.get_data_ptr() ? gp.get_data_ptr() + off : nullptr);
        q->set_data_length(len);
        q->set_streaming_width(len);
        const unsigned char *be = gp.get_byte_enable_ptr();
        const unsigned bel = gp.get_byte_enable_length();
        if (be && bel) { /* the pattern repeats every bel bytes (14.13): the piece's own part */
            q->be.resize(len);
            for (unsigned i = 0; i < len; i++)
                q->be[i] = be[(off + i) % bel];
            q->set_byte_enable_ptr(q->be.data());
            q->set_byte_enable_length(len);
        } else {
            q->set_byte_enable_ptr(nullptr);
            q->set_byte_enable_length(0);
        }
        q->set_dmi_allowed(false);
        q->set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        const unsigned n = tlm::max_num_extensions();
        for (unsigned i = 0; i < n; i++)
            if (tlm::tlm_extension_base *e = gp.get_extension(i)) q->set_extension(i, e);
        q->out = out;
        q->set_extension(&q->out);
        return q;
    }
    /* Done with a piece: the shared extensions are taken off (they stay gp's), then released. */
    void drop_piece(tlm::tlm_generic_payload &gp, pooled_payload *q) {
        const unsigned n = tlm::max_num_extensions();
        for (unsigned i = 0; i < n; i++) {
            tlm::tlm_extension_base *e = q->get_extension(i);
            if (e && (e == gp.get_extension(i) || e == &q->out)) q->set_extension(i, nullptr);
        }
        q->release();
    }

    /* Forwards the chunks of a transaction that does not go downstream whole: RAZ/WI chunks are
       completed here, the others go downstream as pieces of the SMMU's own. The upstream
       payload gets only its response status and data; no DMI hint (its parts translate
       differently). */
    void forward(tlm::tlm_generic_payload &gp, const std::vector<chunk> &chunks, sc_time &delay) {
        tlm::tlm_response_status status = tlm::TLM_OK_RESPONSE;
        for (const chunk &c : chunks) {
            if (c.razwi) {
                st.razwi++;
                if (gp.is_read()) zero_data(gp, c);
                continue;
            }
            pooled_payload *q = piece(gp, c.off, (unsigned)c.len, c.pa, c.out);
            down->b_transport(*q, delay);
            status = q->get_response_status();
            drop_piece(gp, q);
            if (status != tlm::TLM_OK_RESPONSE) break;
        }
        if (chunks.size() > 1) st.splits += chunks.size() - 1;
        gp.set_dmi_allowed(false);
        gp.set_response_status(status);
    }

    /* A transaction that translates one way as a whole goes downstream itself, at output
       address pa and with an output_extension for the call (14.10: an interconnect may change
       the address); its address and extensions are as before afterwards, its response status,
       data and DMI hint are the target's. */
    void forward_one(tlm::tlm_generic_payload &gp, const output_extension &out, uint64_t pa,
                     sc_time &delay) {
        const sc_dt::uint64 addr = gp.get_address();
        output_extension ext = out;
        output_extension *prev = gp.set_extension(&ext);
        gp.set_address(pa);
        down->b_transport(gp, delay);
        gp.set_extension(prev); /* nullptr clears it */
        gp.set_address(addr);
    }

    /* What the master that attached an output_extension learns of a translation it asked for
       (ATS Translation Request, TLM_IGNORE_COMMAND probe): perm == 0 when nothing is granted. */
    static output_extension answer_of(uint32_t sid, const smmu_result_t &r) {
        if (r.status == SMMU_OK) return output_of(sid, r);
        output_extension e;
        e.sid = sid;
        return e;
    }

    /* A translation without side effects (no event, stall, statistics or cache fill; table
       reads by debug transport), with the TLB tags when tags is set. */
    void dbg_translate(const smmu_txn_t &t, smmu_result_t &r, smmu_xlate_tags_t *tags) {
        const bool was = mem_dbg;
        mem_dbg = true;
        smmu_translate_dbg_tags(core, &t, &r, tags);
        mem_dbg = was;
    }

    /* TLM_IGNORE_COMMAND (IEEE 1666-2011 14.9: no read or write is executed, the payload is
       routed as one would be): translated as a read without side effects, so that a master can
       probe the decode (its output_extension, if attached, receives the answer); forwarded as
       TLM_IGNORE_COMMAND to the output address, or TLM_ADDRESS_ERROR_RESPONSE on an abort fault
       (RAZ/WI: TLM_OK_RESPONSE, not forwarded). */
    void ignore_probe(int port, tlm::tlm_generic_payload &gp, sc_time &delay) {
        const stream_extension *sx = gp.get_extension<stream_extension>();
        smmu_txn_t t = sx ? make_txn(*sx, gp) : make_txn(o.resolve_stream((unsigned)port, gp), gp);
        t.write = false;
        smmu_result_t r{};
        lock();
        dbg_translate(t, r, nullptr);
        unlock();
        if (output_extension *e = gp.get_extension<output_extension>()) *e = answer_of(t.sid, r);
        if (r.status != SMMU_OK) {
            if (r.abort) st.errors++;
            gp.set_response_status(r.abort ? tlm::TLM_ADDRESS_ERROR_RESPONSE
                                           : tlm::TLM_OK_RESPONSE);
            return;
        }
        forward_one(gp, output_of(t.sid, r), r.pa, delay);
    }

    /* An ATS Translation Request: the core answers it (it never stalls); nothing goes
       downstream. UR / CA completions end with TLM_ADDRESS_ERROR_RESPONSE. */
    void ats_request(const smmu_txn_t &t, tlm::tlm_generic_payload &gp, sc_time &delay) {
        smmu_result_t r{};
        translate_stalling(t, r, delay);
        if (output_extension *e = gp.get_extension<output_extension>()) *e = answer_of(t.sid, r);
        const bool err = r.status != SMMU_OK && r.abort;
        if (err) st.errors++;
        gp.set_response_status(err ? tlm::TLM_ADDRESS_ERROR_RESPONSE : tlm::TLM_OK_RESPONSE);
    }

    /* One upstream transaction, LT or AT, in thread context. */
    void process(int port, tlm::tlm_generic_payload &gp, sc_time &delay) {
        st.transactions++;
        st.bytes += gp.get_data_length();
        if (!down) { /* end_of_elaboration() of basic_smmu did not run: nothing is bound */
            SC_REPORT_ERROR(o.name(), "transaction before the end of elaboration");
            gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            return;
        }
        if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) {
            ignore_probe(port, gp, delay);
            return;
        }
        const unsigned len = gp.get_data_length();
        if (len == 0 || !gp.get_data_ptr()) {
            gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            st.errors++;
            return;
        }
        const unsigned sw = gp.get_streaming_width();
        const bool streaming = sw != 0 && sw < len;
        /* the txn is built in place, not copied (a wide load after the narrow stores would
           stall store forwarding) */
        const stream_extension *sx = gp.get_extension<stream_extension>();
        smmu_txn_t t = sx ? make_txn(*sx, gp) : make_txn(o.resolve_stream((unsigned)port, gp), gp);
        if (t.ats == SMMU_ATS_REQUEST) {
            ats_request(t, gp, delay);
            return;
        }
        /* the first chunk's translation; the common case, an access that translates one way
           as a whole, goes downstream at once (forward_one). With a recorder attached, every
           transaction takes the general path (FastPathSameDelayAsGeneralPath compares them). */
        const uint64_t span_len = streaming ? sw : len;
        t.len = (uint32_t)std::min<uint64_t>(span_len, UINT32_MAX);
        smmu_result_t r; /* smmu_translate fills all of it */
        translate_timed_inline(t, r, delay);
        if (r.status == SMMU_STALLED) stalled(t, r, delay);
        if (r.status == SMMU_OK && !rec) {
            const uint64_t span = r.span ? r.span : 0x1000;
            if (span - (t.addr & (span - 1)) >= span_len) {
                forward_one(gp, output_of(t.sid, r), r.pa, delay);
                if (!gp.is_response_ok()) st.errors++;
                return;
            }
        }
        std::vector<chunk> chunks = take_chunk_list();
        if (plan(t, span_len, streaming, chunks, gp, delay, r)) {
            if (streaming) chunks[0].len = len; /* one chunk: the whole FIFO access */
            if (chunks.size() == 1 && !chunks[0].razwi)
                forward_one(gp, chunks[0].out, chunks[0].pa, delay);
            else
                forward(gp, chunks, delay);
        }
        if (!gp.is_response_ok()) st.errors++;
        give_chunk_list(std::move(chunks));
    }

    /* Chunk lists are reused (transactions in different threads may be in progress at once,
       each with its own list): no allocation per transaction once warm. */
    std::vector<chunk> take_chunk_list() {
        if (chunk_lists.empty()) return {};
        std::vector<chunk> v = std::move(chunk_lists.back());
        chunk_lists.pop_back();
        return v;
    }
    void give_chunk_list(std::vector<chunk> &&v) {
        v.clear();
        chunk_lists.push_back(std::move(v));
    }

    /* ---- AT ---- */
    at_job *new_job(int port, tlm::tlm_generic_payload *gp) {
        at_job *j;
        if (job_free.empty()) {
            job_store.push_back(at_job{});
            j = &job_store.back();
        } else {
            j = job_free.back();
            job_free.pop_back();
        }
        j->port = port;
        j->gp = gp;
        return j;
    }

    void at_worker() {
        for (;;) {
            at_job *j;
            while (!(j = peq.get_next_transaction())) {
                at_idle++;
                sc_core::wait(peq.get_event());
                at_idle--;
            }
            at_pending--;
            const int port = j->port;
            tlm::tlm_generic_payload *gp = j->gp;
            job_free.push_back(j);
            sc_time d = SC_ZERO_TIME;
            process(port, *gp, d);
            if (d > SC_ZERO_TIME) sc_core::wait(d);
            respond(port, *gp);
        }
    }

    /* BEGIN_RESP under the response exclusion rule: one response in flight per socket. */
    void respond(int port, tlm::tlm_generic_payload &gp) {
        port_state &ps = ports[(size_t)port];
        while (ps.resp_busy) {
            ps.resp_waiters++;
            sc_core::wait(ps.resp_free);
            ps.resp_waiters--;
        }
        ps.resp_busy = true;
        ps.end_resp = false;
        tlm::tlm_phase ph = tlm::BEGIN_RESP;
        sc_time t = SC_ZERO_TIME;
        tlm::tlm_sync_enum s = up[(size_t)port]->nb_transport_bw(gp, ph, t);
        if (s == tlm::TLM_COMPLETED || (s == tlm::TLM_UPDATED && ph == tlm::END_RESP)) {
            if (t > SC_ZERO_TIME) sc_core::wait(t);
        } else {
            while (!ps.end_resp)
                sc_core::wait(ps.end_resp_ev);
        }
        ps.resp_busy = false;
        if (ps.resp_waiters) ps.resp_free.notify(SC_ZERO_TIME);
        if (gp.has_mm()) gp.release();
    }

    void start_at(int port, tlm::tlm_generic_payload &gp, const sc_time &delay) {
        if (gp.has_mm()) gp.acquire();
        peq.notify(*new_job(port, &gp), delay);
        at_pending++;
        if (at_pending > at_idle + at_starting) { /* every worker busy: one more */
            at_starting++;
            sc_core::sc_spawn(
                [this] {
                    at_starting--;
                    at_worker();
                },
                sc_core::sc_gen_unique_name("at_worker"));
        }
    }
};

/* ---- the module ---- */

smmu_base::smmu_base(sc_core::sc_module_name name, const smmu_tlm_params &p)
    : sc_module(name), irq_eventq("irq_eventq"), irq_priq("irq_priq"),
      irq_cmd_sync("irq_cmd_sync"), irq_gerror("irq_gerror"), m_(new impl(*this, p)) {
    if (!m_->core) SC_REPORT_ERROR(this->name(), "smmu_new rejected the core parameters");
    SC_THREAD(cmdq_thread);
    SC_THREAD(irq_thread);
}

smmu_base::~smmu_base() = default;

void smmu_base::attach(tlm::tlm_fw_transport_if<> *down, tlm::tlm_fw_transport_if<> *table,
                       std::vector<tlm::tlm_bw_transport_if<> *> up) {
    m_->down = down;
    m_->tbl = table;
    m_->up = std::move(up);
}

::smmu_t *smmu_base::core() const {
    return m_->core;
}

const smmu_tlm_params &smmu_base::params() const {
    return m_->p;
}

void smmu_base::set_sid_mapper(sid_mapper f) {
    m_->mapper = std::move(f);
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

void smmu_base::set_recorder(recorder *r) {
    m_->rec = r;
}

recorder *smmu_base::get_recorder() const {
    return m_->rec;
}

void smmu_base::set_logging(bool on) {
    if (on && !m_->p.log && m_->core) { /* GERRORs already active are not news */
        const uint32_t g = (uint32_t)smmu_reg_read(m_->core, SMMU_GERROR, 4);
        m_->gerror_active = g ^ (uint32_t)smmu_reg_read(m_->core, SMMU_GERRORN, 4);
    }
    m_->p.log = on;
}

bool smmu_base::logging() const {
    return m_->p.log;
}

stream_extension smmu_base::resolve_stream(unsigned port, const tlm::tlm_generic_payload &gp) const {
    if (const stream_extension *e = gp.get_extension<stream_extension>()) return *e;
    stream_extension se;
    if (m_->mapper && m_->mapper(port, gp, se)) return se;
    se = stream_extension();
    se.sid = port < m_->p.default_sid.size() ? m_->p.default_sid[port] : port;
    return se;
}

std::vector<smmu_base::dmi_region> smmu_base::dmi_regions(unsigned port) const {
    std::vector<dmi_region> v;
    if (port >= m_->grants.size()) return v;
    for (const dmi_grant &g : m_->grants[port])
        v.push_back({g.lo, g.hi, g.out_lo, g.sid, g.ssid, g.ssv, g.rd, g.wr});
    return v;
}

void smmu_base::before_end_of_elaboration() {
    /* unbound interrupt outputs go to internal signals, so that connecting them is optional */
    sc_core::sc_out<bool> *lines[SMMU_IRQ_COUNT] = {&irq_eventq, &irq_priq, &irq_cmd_sync,
                                                    &irq_gerror};
    for (int i = 0; i < SMMU_IRQ_COUNT; i++)
        if (lines[i]->bind_count() == 0) lines[i]->bind(m_->irq_unbound[i]);
}

/* Consumes commands one at a time, each after timing.per_command plus the delay of its own
   memory accesses, so that CMD_SYNC completes (and its interrupt/MSI fires) at modeled time. */
void smmu_base::cmdq_thread() {
    impl &m = *m_;
    for (;;) {
        if (!m.cmdq_kick) sc_core::wait(m.cmdq_ev);
        m.cmdq_kick = false;
        for (;;) {
            sc_core::wait(m.p.timing.per_command);
            sc_time md = SC_ZERO_TIME;
            m.lock();
            const unsigned opcode = m.rec || m.p.log ? m.next_command_opcode() : 0;
            m.mem_delay = &md;
            unsigned n = smmu_cmdq_run(m.core, 1);
            m.mem_delay = nullptr;
            if (m.p.log) {
                if (n) m.log_command(opcode);
                m.log_gerrors();
            }
            m.unlock(); /* DMI revocations of the command are delivered here */
            if (!n) break; /* empty, disabled or stopped on an error: wait for a register write */
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
    impl &m = *m_;
    sc_core::sc_out<bool> *lines[SMMU_IRQ_COUNT] = {&irq_eventq, &irq_priq, &irq_cmd_sync,
                                                    &irq_gerror};
    for (;;) {
        bool any = false;
        for (int i = 0; i < SMMU_IRQ_COUNT; i++)
            any = any || m.irq_pulse[i];
        if (!any) {
            for (int i = 0; i < SMMU_IRQ_COUNT; i++)
                lines[i]->write(m.irq_level[i]);
            sc_core::wait(m.irq_ev);
            continue;
        }
        for (int i = 0; i < SMMU_IRQ_COUNT; i++) {
            if (m.irq_pulse[i]) lines[i]->write(true);
            m.irq_pulse[i] = false;
        }
        sc_core::wait(m.p.timing.irq_pulse);
        for (int i = 0; i < SMMU_IRQ_COUNT; i++)
            lines[i]->write(m.irq_level[i]);
        sc_core::wait(SC_ZERO_TIME); /* a following pulse needs a visible low first */
    }
}

void smmu_base::up_b_transport(int port, tlm::tlm_generic_payload &gp, sc_time &delay) {
    m_->process(port, gp, delay);
}

tlm::tlm_sync_enum smmu_base::up_nb_transport_fw(int port, tlm::tlm_generic_payload &gp,
                                                 tlm::tlm_phase &ph, sc_time &delay) {
    if (ph == tlm::BEGIN_REQ) {
        m_->start_at(port, gp, delay);
        ph = tlm::END_REQ; /* accepted at once; the translation limits model the back-pressure */
        return tlm::TLM_UPDATED;
    }
    if (ph == tlm::END_RESP) {
        impl::port_state &ps = m_->ports[(size_t)port];
        ps.end_resp = true;
        ps.end_resp_ev.notify(delay);
        return tlm::TLM_COMPLETED;
    }
    SC_REPORT_ERROR(name(), "nb_transport_fw: unexpected phase from an upstream master");
    return tlm::TLM_COMPLETED;
}

/* Debug transport: translated without side effects (smmu_translate_dbg), then forwarded as
   debug transport: whole when it translates one way, else page by page as payloads of the
   SMMU's own. A fault ends it: the return value is the number of bytes transferred before. */
unsigned smmu_base::up_transport_dbg(int port, tlm::tlm_generic_payload &gp) {
    impl &m = *m_;
    const stream_extension se = resolve_stream((unsigned)port, gp);
    smmu_txn_t base = m.make_txn(se, gp);
    if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) base.write = false;
    const uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    if (!m.down) return 0;
    unsigned done = 0;
    while (done < len || (len == 0 && done == 0)) {
        smmu_txn_t t = base;
        t.addr = addr + done;
        t.len = std::max(1u, len - done);
        smmu_result_t r{};
        m.dbg_translate(t, r, nullptr);
        if (r.status != SMMU_OK) break;
        const uint64_t span = r.span ? r.span : 0x1000;
        const unsigned n = (unsigned)std::min<uint64_t>(len - done, span - (t.addr & (span - 1)));
        if (done == 0 && n == len) { /* one piece: the payload itself (its address changes) */
            output_extension ext = impl::output_of(t.sid, r);
            output_extension *prev = gp.set_extension(&ext);
            gp.set_address(r.pa);
            const unsigned got = m.down->transport_dbg(gp);
            gp.set_extension(prev);
            gp.set_address(addr);
            return std::min(got, len);
        }
        pooled_payload *q = m.piece(gp, done, n, r.pa, impl::output_of(t.sid, r));
        const unsigned got = m.down->transport_dbg(*q);
        m.drop_piece(gp, q);
        done += std::min(got, n);
        if (got < n) break;
    }
    return done;
}

/* DMI: the page (the translation's span) is translated without side effects, the downstream is
   asked for DMI at its output address and the intersection is returned in the device's address
   space with the permissions both grant. A request for write on a mapping that grants only read
   gets a read-only region (IEEE 1666-2011 11.2: the target may grant less than requested), and
   the other way round. The grant is remembered with its stream and TLB tags: only the
   invalidations that cover it revoke it. */
bool smmu_base::up_get_dmi(int port, tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi) {
    impl &m = *m_;
    const stream_extension se = resolve_stream((unsigned)port, gp);
    smmu_txn_t t = m.make_txn(se, gp);
    t.len = 1;
    dmi.allow_none();
    dmi.set_start_address(t.addr);
    dmi.set_end_address(t.addr);
    if (!m.down) return false;
    smmu_result_t r{};
    smmu_xlate_tags_t tags;
    m.dbg_translate(t, r, &tags);
    if (r.status != SMMU_OK) { /* the other direction may be allowed */
        t.write = !t.write;
        m.dbg_translate(t, r, &tags);
        if (r.status != SMMU_OK) return false;
    }
    const uint64_t span = r.span ? r.span : 0x1000;
    const uint64_t in_base = t.addr & ~(span - 1);
    const uint64_t pa_base = r.pa - (t.addr - in_base);
    const uint64_t pa_last = pa_base + (span - 1);

    pooled_payload *q = m.pool.get();
    q->acquire();
    q->set_command(t.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    q->set_address(r.pa);
    q->set_data_ptr(nullptr);
    q->set_data_length(0);
    q->set_streaming_width(0);
    q->set_byte_enable_ptr(nullptr);
    q->set_byte_enable_length(0);
    q->set_dmi_allowed(false);
    q->set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    q->out = impl::output_of(se.sid, r);
    q->set_extension(&q->out);
    tlm::tlm_dmi d;
    const bool ok = m.down->get_direct_mem_ptr(*q, d);
    q->clear_extension(&q->out);
    q->release();
    if (!ok || d.get_start_address() > pa_last || d.get_end_address() < pa_base) return false;
    const uint64_t lo = std::max<uint64_t>(d.get_start_address(), pa_base);
    const uint64_t hi = std::min<uint64_t>(d.get_end_address(), pa_last);
    const bool rd = d.is_read_allowed() && (r.perm & SMMU_PERM_R);
    const bool wr = d.is_write_allowed() && (r.perm & SMMU_PERM_W);
    if (!rd && !wr) return false;
    dmi.set_dmi_ptr(d.get_dmi_ptr() + (lo - d.get_start_address()));
    dmi.set_start_address(in_base + (lo - pa_base));
    dmi.set_end_address(in_base + (hi - pa_base));
    if (rd && wr)
        dmi.allow_read_write();
    else if (rd)
        dmi.allow_read();
    else
        dmi.allow_write();
    dmi.set_read_latency(d.get_read_latency());
    dmi.set_write_latency(d.get_write_latency());
    dmi_grant g{};
    g.lo = dmi.get_start_address();
    g.hi = dmi.get_end_address();
    g.out_lo = lo;
    g.out_hi = hi;
    g.sid = se.sid;
    g.ssid = se.ssid;
    g.ssv = se.ssv;
    g.rd = rd;
    g.wr = wr;
    g.tags = tags;
    m.remember_grant((unsigned)port, g);
    m.st.dmi_grants++;
    return true;
}

void smmu_base::down_invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end) {
    m_->downstream_invalidated(start, end);
}

void smmu_base::table_invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end) {
    m_->table_dmi_invalidated(start, end);
}

/* Register frame: aligned 4- and 8-byte accesses go to the core; other sizes and streaming get
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

void smmu_base::regs_b_transport(tlm::tlm_generic_payload &gp, sc_time &delay) {
    impl &m = *m_;
    delay += m.p.timing.reg_access;
    const tlm::tlm_response_status s = reg_check(m.core, gp);
    if (s != tlm::TLM_OK_RESPONSE || gp.get_command() == tlm::TLM_IGNORE_COMMAND) {
        gp.set_response_status(s);
        return;
    }
    const unsigned len = gp.get_data_length();
    m.lock();
    m.mem_delay = &delay; /* MSIs and queue accesses a register write causes */
    if (gp.is_read()) {
        le_store(gp.get_data_ptr(), smmu_reg_read(m.core, gp.get_address(), len), len);
    } else {
        smmu_reg_write(m.core, gp.get_address(), le_load(gp.get_data_ptr(), len), len);
        m.cmdq_kick = true;
        m.cmdq_ev.notify(delay);
        if (m.p.log) m.log_gerrors();
    }
    m.mem_delay = nullptr;
    m.unlock(); /* DMI revocations of an SMMUEN or GBPA change are delivered here */
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned smmu_base::regs_transport_dbg(tlm::tlm_generic_payload &gp) {
    impl &m = *m_;
    if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) return 0;
    if (reg_check(m.core, gp) != tlm::TLM_OK_RESPONSE) return 0;
    const unsigned len = gp.get_data_length();
    if (gp.is_read()) {
        le_store(gp.get_data_ptr(), smmu_reg_read(m.core, gp.get_address(), len), len);
    } else {
        const bool dbg_was = m.mem_dbg;
        m.mem_dbg = true;
        smmu_reg_write(m.core, gp.get_address(), le_load(gp.get_data_ptr(), len), len);
        m.mem_dbg = dbg_was;
        m.cmdq_kick = true;
        m.cmdq_ev.notify(SC_ZERO_TIME);
    }
    return len;
}

} // namespace smmu_tlm
