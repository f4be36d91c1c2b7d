/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* forward.h: the path of an upstream transaction, from the payload to `downstream`.
 *
 * transport() is b_transport's (and an AT worker's) whole job: checks, the stream, the first
 * translation (the port's micro-TLB first, utlb.h: a hit that covers the whole transaction goes
 * downstream straight from the entry; a miss is translated by the core and fills it), then either
 * the fast path (a transaction that translates one way as a whole goes downstream itself:
 * forward_one()) or the general one: plan() splits it into chunks that each translate one way (all
 * translated before any is forwarded), and forward() sends them downstream as payloads of the
 * SMMU's own from the payload pool, completing RAZ/WI chunks here. TLM_IGNORE_COMMAND probes and
 * ATS Translation Requests branch off early. transport_dbg() is the same for debug transport (page
 * by page, without side effects).
 *
 * It owns the reused chunk lists; it is handed the core port, the stream map, the payload pool
 * and the statistics, and `downstream` at bind(). The upstream payload is never modified except
 * its response status, data and DMI hint (and, for the call, its address and an
 * output_extension: IEEE 1666-2011 14.7, 14.10). */
#ifndef SMMU_TLM_SRC_FORWARD_H
#define SMMU_TLM_SRC_FORWARD_H

#include "common.h"
#include "core_port.h"
#include "utlb.h"

#include <cstdint>
#include <vector>

namespace smmu_tlm {
namespace detail {

class forwarder {
  public:
    forwarder(const sc_core::sc_object &owner, core_port &cp, const stream_map &streams,
              payload_pool &pool, tlm_stats &st, micro_tlb &utlb, const sc_time &utlb_latency)
        : owner_(owner), cp_(cp), streams_(streams), pool_(pool), st_(st), utlb_(utlb),
          utlb_lat_(utlb_latency) {}
    forwarder(const forwarder &) = delete;
    forwarder &operator=(const forwarder &) = delete;
    /* The `downstream` socket's forward interface, after elaboration. */
    void bind(tlm::tlm_fw_transport_if<> *down) {
        down_ = down;
    }

    /* One upstream transaction on port, LT or AT, in thread context. Inline: the LT micro-TLB
       hit path (a transaction that a hit covers whole goes downstream straight from the entry,
       keyed from its stream_extension or its port's stream, its count held in the entry,
       utlb.h); the rest is transport_rest(). */
    SMMU_TLM_ALWAYS_INLINE void transport(int port, tlm::tlm_generic_payload &gp, sc_time &delay) {
        st_.transactions++;
        const unsigned len = gp.get_data_length();
        st_.bytes += len;
        const tlm::tlm_command cmd = gp.get_command();
        if (__builtin_expect(!utlb_.on() || !down_ || cmd == tlm::TLM_IGNORE_COMMAND || !len ||
                                 !gp.get_data_ptr() || !cp_.quiet(),
                             0)) {
            transport_rest(port, gp, delay);
            return;
        }
        stream_extension unext; /* the stream of a payload without extension */
        const stream_extension *sx = gp.get_extension<stream_extension>();
        if (!sx) {
            streams_.resolve_unextended((unsigned)port, gp, unext);
            sx = &unext;
        }
        if (__builtin_expect(sx->ats == SMMU_ATS_NONE && !sx->in_attr_valid, 1)) {
            delay += utlb_lat_;
            const uint64_t addr = gp.get_address();
            micro_tlb::entry *e = utlb_.lookup((unsigned)port, addr, *sx, cmd);
            if (__builtin_expect(e != nullptr, 1)) {
                const unsigned sw = gp.get_streaming_width();
                const uint64_t off = addr - e->base;
                if (e->span - off >= (sw != 0 && sw < len ? sw : len)) {
                    if (__builtin_expect(e->armed, 1))
                        e->held++;
                    else
                        count_first(make_txn(*sx, gp), *e, delay);
                    const uint64_t pa = e->pa_base + off;
                    output_extension out;
                    micro_tlb::output_to(*e, sx->sid, pa, out);
                    forward_one(gp, out, pa, delay);
                    if (!gp.is_response_ok()) st_.errors++;
                    return;
                }
            }
            transport_looked_up((unsigned)port, gp, make_txn(*sx, gp), e, delay);
            return;
        }
        transport_rest(port, gp, delay); /* ATS traffic, own input attributes */
    }
    /* Debug transport: translated without side effects, then forwarded as debug transport:
       whole when it translates one way, else page by page as payloads of the SMMU's own. A
       fault ends it: the number of bytes transferred before. */
    unsigned transport_dbg(int port, tlm::tlm_generic_payload &gp);

  private:
    /* One piece of an upstream transaction that translates one way. */
    struct chunk {
        uint64_t off; /* offset into the upstream transaction */
        uint64_t len; /* bytes */
        uint64_t pa;  /* output address */
        bool razwi;   /* complete without a downstream access */
        output_extension out;
    };

    /* One translation of an upstream transaction on port (t.len: the bytes from t.addr it
       covers): port's micro-TLB first (its lookup latency; a hit answers without the core), a
       miss goes to the core (with the TLB tags, for the fill), a stall waits for its end. ATS
       traffic and transactions with their own input attributes (whose result the entries, keyed
       without them, cannot give) bypass the micro-TLB. */
    SMMU_TLM_ALWAYS_INLINE void translate(unsigned port, const smmu_txn_t &t, smmu_result_t &r,
                                          sc_time &delay) {
        if (utlb_.on() && t.ats == SMMU_ATS_NONE && !t.in_attr_valid) {
            delay += utlb_lat_;
            if (const micro_tlb::entry *e = utlb_.lookup(port, t)) {
                micro_tlb::result_of(*e, t, r);
                cp_.utlb_hit(t, r, delay, utlb_lat_);
                return;
            }
            translate_miss(port, t, r, delay);
            return;
        }
        cp_.translate_timed_inline(t, r, delay);
        if (r.status == SMMU_STALLED) cp_.stalled(t, r, delay);
    }
    /* A micro-TLB miss (its lookup latency already in delay): the core, with the TLB tags,
       fills the port's micro-TLB when it succeeds. */
    SMMU_TLM_ALWAYS_INLINE void translate_miss(unsigned port, const smmu_txn_t &t, smmu_result_t &r,
                                               sc_time &delay) {
        smmu_xlate_tags_t tags;
        cp_.translate_timed_inline(t, r, delay, &tags, &utlb_lat_);
        if (r.status == SMMU_OK)
            utlb_.fill(port, t, r, tags);
        else if (r.status == SMMU_STALLED)
            cp_.stalled(t, r, delay); /* not filled: the retry's tags are not at hand */
    }
    /* gp itself at output address pa with ext (the caller's, for the call) as its
       output_extension for the duration of send(gp) (14.10: an interconnect may change the
       address); its address and extensions are as before afterwards. */
    template <class Send>
    SMMU_TLM_ALWAYS_INLINE static void at_output(tlm::tlm_generic_payload &gp,
                                                 output_extension &ext, uint64_t pa, Send send) {
        const sc_dt::uint64 addr = gp.get_address();
        output_extension *prev = gp.set_extension(&ext);
        gp.set_address(pa);
        send(gp);
        gp.set_extension(prev); /* nullptr clears it */
        gp.set_address(addr);
    }
    /* A transaction that translates one way as a whole goes downstream itself: its response
       status, data and DMI hint are the target's. */
    SMMU_TLM_ALWAYS_INLINE void forward_one(tlm::tlm_generic_payload &gp, output_extension &out,
                                            uint64_t pa, sc_time &delay) {
        at_output(gp, out, pa, [&](tlm::tlm_generic_payload &p) { down_->b_transport(p, delay); });
    }
    SMMU_TLM_ALWAYS_INLINE void forward_one(tlm::tlm_generic_payload &gp,
                                            const output_extension &out, uint64_t pa,
                                            sc_time &delay) {
        output_extension ext = out;
        forward_one(gp, ext, pa, delay);
    }
    /* transport() of everything but the hit path (its statistics counted already). */
    void transport_rest(int port, tlm::tlm_generic_payload &gp, sc_time &delay);

    /* transport() after the micro-TLB lookup of t (e: the entry that hit, nullptr on a miss:
       the core translates and fills it) when the hit path does not apply. */
    void transport_looked_up(unsigned port, tlm::tlm_generic_payload &gp, smmu_txn_t t,
                             micro_tlb::entry *e, sc_time &delay);
    /* The first chunk's translation r of t (t.len: span_len, the bytes it must cover): the
       common case, an access that translates one way as a whole, goes downstream at once
       (forward_one); else the general path. With a recorder attached, every transaction takes
       the general path (FastPathSameDelayAsGeneralPath compares them). */
    SMMU_TLM_ALWAYS_INLINE void forward_first(unsigned port, tlm::tlm_generic_payload &gp,
                                              const smmu_txn_t &t, const smmu_result_t &r,
                                              uint64_t span_len, sc_time &delay) {
        if (r.status == SMMU_OK && !cp_.recording()) {
            const uint64_t span = r.span; /* never 0 when OK (smmu.h) */
            if (span - (t.addr & (span - 1)) >= span_len) {
                forward_one(gp, output_of(t.sid, r), r.pa, delay);
                if (!gp.is_response_ok()) st_.errors++;
                return;
            }
        }
        transport_general(port, gp, t, r, delay);
    }
    /* A hit on e that e does not hold: counted in the core now; e holds the following ones
       unless a PMCG counts (each transaction then counted as it happens, 10.3). */
    void count_first(const smmu_txn_t &t, micro_tlb::entry &e, sc_time &delay);
    void transport_general(unsigned port, tlm::tlm_generic_payload &gp, const smmu_txn_t &t,
                           const smmu_result_t &first, sc_time &delay);
    void forward(tlm::tlm_generic_payload &gp, const std::vector<chunk> &chunks, sc_time &delay);
    bool plan(unsigned port, const smmu_txn_t &base, uint64_t len, bool streaming,
              std::vector<chunk> &out, tlm::tlm_generic_payload &gp, sc_time &delay,
              const smmu_result_t &first);
    pooled_payload *piece(tlm::tlm_generic_payload &gp, uint64_t off, unsigned len, uint64_t pa,
                          const output_extension &out);
    void drop_piece(tlm::tlm_generic_payload &gp, pooled_payload *q);
    void ignore_probe(int port, tlm::tlm_generic_payload &gp, sc_time &delay);
    void ats_request(const smmu_txn_t &t, tlm::tlm_generic_payload &gp, sc_time &delay);
    std::vector<chunk> take_chunk_list();
    void give_chunk_list(std::vector<chunk> &&v);

    const sc_core::sc_object &owner_; /* for error reports */
    core_port &cp_;
    const stream_map &streams_;
    payload_pool &pool_;
    tlm_stats &st_;
    micro_tlb &utlb_;
    const sc_time utlb_lat_;
    tlm::tlm_fw_transport_if<> *down_ = nullptr;
    std::vector<std::vector<chunk>> chunk_lists_; /* free chunk lists (take_chunk_list) */
};

} // namespace detail
} // namespace smmu_tlm

#endif
