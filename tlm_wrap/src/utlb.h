/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* utlb.h: the micro-TLB of each upstream port (a TBU's, next to its master; docs/tlm.md,
 * "Micro-TLB").
 *
 * Each port has smmu_tlm_params::utlb_entries entries, fully associative. An entry holds one
 * successful core translation (smmu_translate_tags): the region it covers (the result's span),
 * what the result gives the forwarder (output address, permissions, attributes, NS, MPAM label)
 * and the TLB tags of the translation. It answers only a transaction of the same identity, as
 * the core's memo keys it: StreamID, SubstreamID and SSV, SEC_SID and privilege, and only the
 * access kinds (read / write x data / instruction) the core granted on that region; any other
 * access is a miss and goes to the core, which decides (and may fault there: faults are never
 * cached). Which entries an invalidation drops is the core's decision (smmu_inv_covers, from
 * the scope host.invalidate_scope reports, as for DMI grants); a configuration change (register
 * write, SMMU_INV_ALL, restore) drops every entry.
 *
 * Replacement: a fill that matches an entry's identity and region with the same output widens
 * that entry's access kinds; otherwise it takes the port's first invalid entry, else the
 * round-robin victim (a per-port pointer advancing on each such eviction). Deterministic.
 * lookup() first tries the entry a small per-port table remembers for the input's 4 KB page
 * (the last one that hit or was filled there; a hint only, the entry is matched in full), then
 * scans.
 *
 * Counting: a hit is a transaction of the SMMU (smmu_count_transaction). The forwarder counts
 * an entry's first hit since the last sync_counts() in the core at once (so that streams claim
 * their per-stream statistics slots in the order they translate), and while a PMCG counts
 * every hit at once; otherwise an entry holds its hits (held) and the core gets them from
 * sync_counts(), which it calls (host.sync_counts) before anything reads, clears, saves or
 * replaces its statistics or PMCG counters. A dropped entry keeps its held hits until then or
 * until a fill reuses it. */
#ifndef SMMU_TLM_SRC_UTLB_H
#define SMMU_TLM_SRC_UTLB_H

#include "common.h"

#include <cstdint>
#include <vector>

namespace smmu_tlm {
namespace detail {

class micro_tlb {
  public:
    struct entry {
        uint64_t base;    /* input address of the region's first byte */
        uint64_t span;    /* region size (a power of two); 0: invalid */
        uint64_t pa_base; /* output address of base */
        uint64_t ids;     /* StreamID | SubstreamID << 32 (ids_of; SubstreamID 0 when !ssv) */
        uint8_t id;       /* ID_* bits */
        uint8_t kinds;    /* bit kind_of(): access kinds the core granted */
        bool ns, mpam_ns;
        uint8_t perm, attr, sh, pmg;
        uint16_t partid;
        bool armed;    /* a hit since the last sync_counts() was counted: further ones held */
        uint64_t held; /* hits not yet handed to the core (valid or not: sid and id stay) */
        smmu_xlate_tags_t tags;
    };

    /* entries per port (0: off); st: the per-port counters (resized to n_ports); core: where
       held hits go (smmu_count_transactions). */
    micro_tlb(unsigned n_ports, unsigned entries, std::vector<utlb_stats> &st, ::smmu_t *core);
    micro_tlb(const micro_tlb &) = delete;
    micro_tlb &operator=(const micro_tlb &) = delete;

    bool on() const {
        return n_ != 0;
    }

    /* The entry of port that translates t (its first byte), or nullptr; counts a hit or miss. */
    SMMU_TLM_ALWAYS_INLINE entry *lookup(unsigned port, const smmu_txn_t &t) {
        return lookup(
            port, t.addr, ids_of(t.sid, t.ssv ? t.ssid : 0),
            (uint8_t)((t.ssv ? ID_SSV : 0) | (t.secure ? ID_SEC : 0) | (t.priv ? ID_PRIV : 0)),
            (uint8_t)(1u << ((t.exec ? 2u : 0u) | (t.write ? 1u : 0u))));
    }
    /* The same for a payload at addr of stream sx with command cmd (the LT hit path: no
       smmu_txn_t is made). */
    SMMU_TLM_ALWAYS_INLINE entry *lookup(unsigned port, uint64_t addr, const stream_extension &sx,
                                         tlm::tlm_command cmd) {
        return lookup(
            port, addr, ids_of(sx.sid, sx.ssv ? sx.ssid : 0),
            (uint8_t)((sx.ssv ? ID_SSV : 0) | (sx.secure ? ID_SEC : 0) | (sx.priv ? ID_PRIV : 0)),
            (uint8_t)(1u << ((sx.instr ? 2u : 0u) | (cmd == tlm::TLM_WRITE_COMMAND ? 1u : 0u))));
    }
    SMMU_TLM_ALWAYS_INLINE static uint64_t ids_of(uint32_t sid, uint32_t ssid) {
        return sid | (uint64_t)ssid << 32;
    }

    /* The result the core gave for t, rebuilt from entry e (status OK, no lookups: the core
       was not asked; tlb_hit and cfg_hit set). */
    SMMU_TLM_ALWAYS_INLINE static void result_of(const entry &e, const smmu_txn_t &t,
                                                 smmu_result_t &r) {
        r = smmu_result_t{};
        r.status = SMMU_OK;
        r.pa = e.pa_base + (t.addr - e.base);
        r.span = e.span;
        r.ns = e.ns;
        r.perm = e.perm;
        r.attr = e.attr;
        r.sh = e.sh;
        r.tlb_hit = true;
        r.cfg_hit = true;
        r.partid = e.partid;
        r.pmg = e.pmg;
        r.mpam_ns = e.mpam_ns;
    }

    /* The output_extension of a hit on e for stream sid at output address pa (output_of() of
       the result result_of() rebuilds), into o. */
    SMMU_TLM_ALWAYS_INLINE static void output_to(const entry &e, uint32_t sid, uint64_t pa,
                                                 output_extension &o) {
        o.sid = sid;
        o.ns = e.ns;
        o.attr = e.attr;
        o.sh = e.sh;
        o.perm = e.perm;
        o.pa = pa;
        o.span = e.span;
        o.partid = e.partid;
        o.pmg = e.pmg;
        o.mpam_ns = e.mpam_ns;
    }
    /* The same, returned. */
    SMMU_TLM_ALWAYS_INLINE static output_extension output_of(const entry &e, uint32_t sid,
                                                             uint64_t pa) {
        output_extension o;
        output_to(e, sid, pa, o);
        return o;
    }

    /* A successful core translation of t on port (r.status OK) with its tags. */
    void fill(unsigned port, const smmu_txn_t &t, const smmu_result_t &r,
              const smmu_xlate_tags_t &tags);
    /* host.invalidate_scope: the entries the core says sc covers go (SMMU_INV_ALL: all). */
    void scope_invalidated(const smmu_inv_scope_t &sc);
    /* A configuration change (register write, restore): every entry goes. */
    void flush();
    /* host.sync_counts: every held hit goes to the core; no entry is armed afterwards. */
    void sync_counts();

  private:
    enum : uint8_t { ID_SSV = 1, ID_SEC = 2, ID_PRIV = 4 };
    SMMU_TLM_ALWAYS_INLINE static uint8_t id_of(const smmu_txn_t &t) {
        return (uint8_t)((t.ssv ? ID_SSV : 0) | (t.secure ? ID_SEC : 0) | (t.priv ? ID_PRIV : 0));
    }
    SMMU_TLM_ALWAYS_INLINE static unsigned kind_of(const smmu_txn_t &t) {
        return (t.exec ? 2u : 0u) | (t.write ? 1u : 0u);
    }
    /* The entry of port holding addr for identity (ids, id) and access kind bit kind. */
    SMMU_TLM_ALWAYS_INLINE entry *lookup(unsigned port, uint64_t addr, uint64_t ids, uint8_t id,
                                         uint8_t kind) {
        entry *const e = &e_[(size_t)port * n_];
        uint16_t &h = hint_[hint_of(port, addr)];
        if (__builtin_expect(match(e[h], addr, ids, id, kind), 1)) {
            st_[port].hits++;
            return &e[h];
        }
        for (unsigned i = 0; i < n_; i++)
            if (match(e[i], addr, ids, id, kind)) {
                h = (uint16_t)i;
                st_[port].hits++;
                return &e[i];
            }
        st_[port].misses++;
        return nullptr;
    }
    SMMU_TLM_ALWAYS_INLINE static bool match(const entry &e, uint64_t addr, uint64_t ids,
                                             uint8_t id, uint8_t kind) {
        return addr - e.base < e.span && e.ids == ids && e.id == id && (e.kinds & kind);
    }
    void drop(unsigned port, entry &e);
    void hand_over(entry &e);
    static constexpr unsigned HINTS = 64; /* per port, by 4 KB page */
    SMMU_TLM_ALWAYS_INLINE static size_t hint_of(unsigned port, uint64_t addr) {
        return (size_t)port * HINTS + ((addr >> 12) & (HINTS - 1));
    }

    const unsigned n_;           /* entries per port (at most 65536) */
    std::vector<entry> e_;       /* port p's at [p * n_, (p + 1) * n_) */
    std::vector<uint16_t> hint_; /* HINTS per port: an entry index by page (hint_of) */
    std::vector<unsigned> rr_;   /* per port: the round-robin victim */
    std::vector<unsigned> live_; /* per port: valid entries (a flush of an empty port is free) */
    std::vector<utlb_stats> &st_;
    ::smmu_t *const core_;
};

} // namespace detail
} // namespace smmu_tlm

#endif
