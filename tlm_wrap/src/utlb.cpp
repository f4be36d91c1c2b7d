/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* utlb.cpp: the upstream ports' micro-TLBs (utlb.h): fills, replacement and invalidation. */
#include "utlb.h"

#include <algorithm>
#include <cstring>

namespace smmu_tlm {
namespace detail {

micro_tlb::micro_tlb(unsigned n_ports, unsigned entries, std::vector<utlb_stats> &st,
                     ::smmu_t *core)
    : n_(std::min(entries, 65536u)), e_((size_t)n_ports * n_), hint_((size_t)n_ports * HINTS, 0),
      rr_(n_ports, 0), live_(n_ports, 0), st_(st), core_(core) {
    st_.assign(n_ports, utlb_stats{});
    for (entry &e : e_)
        e = entry{}; /* span 0: invalid */
}

void micro_tlb::fill(unsigned port, const smmu_txn_t &t, const smmu_result_t &r,
                     const smmu_xlate_tags_t &tags) {
    if (!n_ || port >= rr_.size() || r.status != SMMU_OK || !r.span) return;
    entry n{};
    n.span = r.span;
    n.base = t.addr & ~(r.span - 1);
    n.pa_base = r.pa - (t.addr - n.base);
    n.ids = ids_of(t.sid, t.ssv ? t.ssid : 0);
    n.id = id_of(t);
    n.kinds = (uint8_t)(1u << kind_of(t));
    n.ns = r.ns;
    n.mpam_ns = r.mpam_ns;
    n.perm = r.perm;
    n.attr = r.attr;
    n.sh = r.sh;
    n.pmg = r.pmg;
    n.partid = r.partid;
    n.tags = tags;
    /* the IPA of the region's first byte: smmu_inv_covers takes tags.ipa as the IPA of lo */
    if (tags.s1 || tags.s2) n.tags.ipa = tags.ipa - (t.addr - n.base);
    entry *const e = &e_[(size_t)port * n_];
    st_[port].fills++;
    /* the same identity and region: the same output widens the kinds, another replaces it */
    for (unsigned i = 0; i < n_; i++) {
        entry &x = e[i];
        if (!x.span || x.base != n.base || x.span != n.span || x.ids != n.ids || x.id != n.id)
            continue;
        const uint8_t kinds = x.kinds;
        n.armed = x.armed; /* the same stream: its held hits stay */
        n.held = x.held;
        const bool same = x.pa_base == n.pa_base && x.ns == n.ns && x.mpam_ns == n.mpam_ns &&
                          x.perm == n.perm && x.attr == n.attr && x.sh == n.sh && x.pmg == n.pmg &&
                          x.partid == n.partid &&
                          std::memcmp(&x.tags, &n.tags, sizeof(n.tags)) == 0;
        x = n;
        if (same) x.kinds |= kinds;
        hint_[hint_of(port, t.addr)] = (uint16_t)i;
        return;
    }
    unsigned v = n_;
    if (live_[port] < n_)
        for (unsigned i = 0; i < n_ && v == n_; i++)
            if (!e[i].span) v = i;
    if (v == n_) { /* full: the round-robin victim */
        v = rr_[port];
        rr_[port] = (v + 1) % n_;
        st_[port].evictions++;
    } else {
        live_[port]++;
    }
    hand_over(e[v]);
    e[v] = n;
    hint_[hint_of(port, t.addr)] = (uint16_t)v;
}

void micro_tlb::drop(unsigned port, entry &e) {
    e.span = 0;
    e.kinds = 0;
    live_[port]--;
    st_[port].invalidations++;
}

void micro_tlb::hand_over(entry &e) {
    if (!e.held) return;
    smmu_txn_t t{};
    t.sid = (uint32_t)e.ids;
    t.secure = (e.id & ID_SEC) != 0;
    smmu_count_transactions(core_, &t, e.held);
    e.held = 0;
}

void micro_tlb::sync_counts() {
    for (entry &e : e_) {
        hand_over(e);
        e.armed = false;
    }
}

void micro_tlb::scope_invalidated(const smmu_inv_scope_t &sc) {
    if (!n_) return;
    if (sc.kind == SMMU_INV_ALL) {
        flush();
        return;
    }
    for (unsigned p = 0; p < rr_.size(); p++) {
        if (!live_[p]) continue;
        entry *const e = &e_[(size_t)p * n_];
        for (unsigned i = 0; i < n_; i++) {
            entry &x = e[i];
            if (x.span &&
                smmu_inv_covers(&sc, (uint32_t)x.ids, (uint32_t)(x.ids >> 32), (x.id & ID_SSV) != 0,
                                x.base, x.base + (x.span - 1), &x.tags))
                drop(p, x);
        }
    }
}

void micro_tlb::flush() {
    for (unsigned p = 0; p < rr_.size(); p++) {
        if (!live_[p]) continue;
        entry *const e = &e_[(size_t)p * n_];
        for (unsigned i = 0; i < n_; i++)
            if (e[i].span) drop(p, e[i]);
    }
}

} // namespace detail
} // namespace smmu_tlm
