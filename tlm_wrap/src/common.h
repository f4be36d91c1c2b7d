/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* common.h: what several parts of the TLM wrapper share (private to tlm_wrap/src).
 *
 *   - SMMU_TLM_ALWAYS_INLINE, for the LT hit path (see docs/tlm.md, "Simulation speed");
 *   - sc_time arithmetic that is exact and cheap (times(), sub_or_zero(), max_time());
 *   - the core's view of a payload: make_txn(), and stream_map, which tells the stream of a
 *     payload on an upstream port (stream_extension, else the sid_mapper hook, else the port's
 *     default StreamID);
 *   - output_of(): the output_extension of a successful translation;
 *   - payload_pool: payloads of the SMMU's own (split pieces, DMI requests downstream), reused.
 *
 * Everything here is small and inline; each part includes only this and the headers of the
 * parts it is handed. */
#ifndef SMMU_TLM_SRC_COMMON_H
#define SMMU_TLM_SRC_COMMON_H

#include <smmu_tlm/smmu_tlm.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#if defined(__GNUC__)
#define SMMU_TLM_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define SMMU_TLM_ALWAYS_INLINE inline
#endif

namespace smmu_tlm {
namespace detail {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

inline sc_time max_time(const sc_time &a, const sc_time &b) {
    return a > b ? a : b;
}

inline sc_time sub_or_zero(const sc_time &a, const sc_time &b) {
    return a > b ? a - b : SC_ZERO_TIME;
}

/* t * n, exactly (sc_time * double rounds through a double; the inline additions also avoid a
   library call per product) */
inline sc_time times(const sc_time &t, uint64_t n) {
    sc_time r = SC_ZERO_TIME, a = t;
    while (n) {
        if (n & 1) r += a;
        n >>= 1;
        if (n) a += a;
    }
    return r;
}

/* The core's transaction for payload gp of stream se. */
SMMU_TLM_ALWAYS_INLINE smmu_txn_t make_txn(const stream_extension &se,
                                           const tlm::tlm_generic_payload &gp) {
    smmu_txn_t t{};
    t.sid = se.sid;
    t.ssid = se.ssid;
    t.ssv = se.ssv;
    t.secure = se.secure;
    t.priv = se.priv;
    t.exec = se.instr;
    t.ats = se.ats;
    t.in_attr_valid = se.in_attr_valid;
    t.in_attr = se.in_attr;
    t.in_sh = se.in_sh;
    t.nostall = se.nostall;
    t.pri = se.pri;
    t.write = gp.get_command() == tlm::TLM_WRITE_COMMAND;
    t.addr = gp.get_address();
    t.len = std::max(1u, gp.get_data_length());
    return t;
}

/* Which stream a payload on an upstream port belongs to (docs/tlm.md, "Which stream a
   transaction belongs to"). */
class stream_map {
  public:
    explicit stream_map(const std::vector<uint32_t> &default_sid) : default_sid_(default_sid) {}
    void set_mapper(sid_mapper f) {
        mapper_ = std::move(f);
    }
    stream_extension resolve(unsigned port, const tlm::tlm_generic_payload &gp) const {
        if (const stream_extension *e = gp.get_extension<stream_extension>()) return *e;
        stream_extension se;
        resolve_unextended(port, gp, se);
        return se;
    }
    /* The stream of gp, which has no stream_extension: the mapper's, else the port's default
       StreamID. */
    void resolve_unextended(unsigned port, const tlm::tlm_generic_payload &gp,
                            stream_extension &se) const {
        if (mapper_ && mapper_(port, gp, se)) return;
        se = stream_extension();
        se.sid = port < default_sid_.size() ? default_sid_[port] : port;
    }
    /* The core's transaction for gp, built in place, not copied (a wide load after the narrow
       stores would stall store forwarding). */
    SMMU_TLM_ALWAYS_INLINE smmu_txn_t txn(unsigned port, const tlm::tlm_generic_payload &gp) const {
        const stream_extension *sx = gp.get_extension<stream_extension>();
        return sx ? make_txn(*sx, gp) : make_txn(resolve(port, gp), gp);
    }

  private:
    const std::vector<uint32_t> &default_sid_;
    sid_mapper mapper_;
};

/* The output_extension of a successful translation of stream sid. */
inline output_extension output_of(uint32_t sid, const smmu_result_t &r) {
    output_extension e;
    e.sid = sid;
    e.ns = r.ns;
    e.attr = r.attr;
    e.sh = r.sh;
    e.perm = r.perm;
    e.pa = r.pa;
    e.span = r.span;
    e.partid = r.partid;
    e.pmg = r.pmg;
    e.mpam_ns = r.mpam_ns;
    return e;
}

/* A payload of the SMMU's own, e.g. for one piece of a split transaction (IEEE 1666-2011 14.7:
   an interconnect may not change the initiator's data pointer, length, byte enables or
   streaming width, so a split cannot reuse the upstream payload). */
struct pooled_payload : tlm::tlm_generic_payload {
    explicit pooled_payload(tlm::tlm_mm_interface *mm) : tlm::tlm_generic_payload(mm) {}
    std::vector<unsigned char> be; /* the piece's byte enables */
    output_extension out;          /* the piece's output attributes */
};

/* The memory manager of those payloads: no allocation per transaction once warm. get() hands
   out an idle one (reference count 0: the caller acquire()s it). */
class payload_pool : public tlm::tlm_mm_interface {
  public:
    pooled_payload *get() {
        if (idle_.empty()) {
            all_.emplace_back(new pooled_payload(this));
            return all_.back().get();
        }
        pooled_payload *p = idle_.back();
        idle_.pop_back();
        return p;
    }
    /* The last release(): auto extensions a downstream component left are freed (14.5). */
    void free(tlm::tlm_generic_payload *gp) override {
        gp->reset();
        idle_.push_back(static_cast<pooled_payload *>(gp));
    }

  private:
    std::vector<std::unique_ptr<pooled_payload>> all_;
    std::vector<pooled_payload *> idle_;
};

} // namespace detail
} // namespace smmu_tlm

#endif
