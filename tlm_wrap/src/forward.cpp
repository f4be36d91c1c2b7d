/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* forward.cpp: an upstream transaction from its payload to `downstream` (forward.h): the fast
 * path, splitting into chunks, pieces of the SMMU's own, RAZ/WI completion, TLM_IGNORE_COMMAND
 * probes, ATS Translation Requests and debug transport. transport() is the LT hit path: the
 * core port's translate_timed_inline() and forward_one() are inlined into it. */
#include "forward.h"

namespace smmu_tlm {
namespace detail {

namespace {

/* What the master that attached an output_extension learns of a translation it asked for (ATS
   Translation Request, TLM_IGNORE_COMMAND probe): perm == 0 when nothing is granted. */
output_extension answer_of(uint32_t sid, const smmu_result_t &r) {
    if (r.status == SMMU_OK) return output_of(sid, r);
    output_extension e;
    e.sid = sid;
    return e;
}

/* A RAZ/WI read of bytes [off, off + len) of gp: the enabled ones read as zero. */
void zero_data(tlm::tlm_generic_payload &gp, uint64_t off, uint64_t len) {
    unsigned char *d = gp.get_data_ptr() + off;
    const unsigned char *be = gp.get_byte_enable_ptr();
    const unsigned bel = gp.get_byte_enable_length();
    for (uint64_t i = 0; i < len; i++)
        if (!be || !bel || be[(off + i) % bel] == TLM_BYTE_ENABLED) d[i] = 0;
}

} // namespace

void forwarder::transport_rest(int port, tlm::tlm_generic_payload &gp, sc_time &delay) {
    if (!down_) { /* end_of_elaboration() of basic_smmu did not run: nothing is bound */
        SC_REPORT_ERROR(owner_.name(), "transaction before the end of elaboration");
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
        st_.errors++;
        return;
    }
    smmu_txn_t t = streams_.txn((unsigned)port, gp);
    if (t.ats == SMMU_ATS_REQUEST) {
        ats_request(t, gp, delay);
        return;
    }
    if (utlb_.on() && t.ats == SMMU_ATS_NONE && !t.in_attr_valid) {
        delay += utlb_lat_;
        transport_looked_up((unsigned)port, gp, t, utlb_.lookup((unsigned)port, t), delay);
        return;
    }
    /* no micro-TLB (off, ATS Translated traffic, own input attributes): the core translates; inline
       here (the LT hit path of an SMMU without micro-TLBs) */
    const unsigned sw = gp.get_streaming_width();
    const uint64_t span_len = sw != 0 && sw < len ? sw : len;
    t.len = (uint32_t)std::min<uint64_t>(span_len, UINT32_MAX);
    smmu_result_t r; /* smmu_translate fills all of it */
    cp_.translate_timed_inline(t, r, delay);
    if (r.status == SMMU_STALLED) cp_.stalled(t, r, delay);
    forward_first((unsigned)port, gp, t, r, span_len, delay);
}

void forwarder::count_first(const smmu_txn_t &t, micro_tlb::entry &e, sc_time &delay) {
    cp_.count_utlb_hit(t, delay);
    e.armed = !cp_.pmcg_live();
}

void forwarder::transport_looked_up(unsigned port, tlm::tlm_generic_payload &gp, smmu_txn_t t,
                                    micro_tlb::entry *e, sc_time &delay) {
    const unsigned len = gp.get_data_length();
    const unsigned sw = gp.get_streaming_width();
    const uint64_t span_len = sw != 0 && sw < len ? sw : len;
    t.len = (uint32_t)std::min<uint64_t>(span_len, UINT32_MAX);
    smmu_result_t r; /* smmu_translate (or the micro-TLB) fills all of it */
    if (e) {
        micro_tlb::result_of(*e, t, r);
        cp_.utlb_hit(t, r, delay, utlb_lat_);
    } else {
        translate_miss(port, t, r, delay);
    }
    forward_first(port, gp, t, r, span_len, delay);
}

/* The general path of transport(): all chunks are planned (translated) first, then forwarded.
   t is the transaction as first translated (t.len: the translated length), first its result.
   Out of line, and with few arguments: the fast path above keeps its registers. */
void forwarder::transport_general(unsigned port, tlm::tlm_generic_payload &gp, const smmu_txn_t &t,
                                  const smmu_result_t &first, sc_time &delay) {
    const unsigned len = gp.get_data_length();
    const unsigned sw = gp.get_streaming_width();
    const bool streaming = sw != 0 && sw < len;
    const uint64_t span_len = streaming ? sw : len;
    std::vector<chunk> chunks = take_chunk_list();
    if (plan(port, t, span_len, streaming, chunks, gp, delay, first)) {
        if (streaming) chunks[0].len = len; /* one chunk: the whole FIFO access */
        if (chunks.size() == 1 && !chunks[0].razwi)
            forward_one(gp, chunks[0].out, chunks[0].pa, delay);
        else
            forward(gp, chunks, delay);
    }
    if (!gp.is_response_ok()) st_.errors++;
    give_chunk_list(std::move(chunks));
}

/* Splits [0, len) of the transaction into chunks that each translate one way; first is the
   result of the first chunk's translation (the caller made it). Returns false (with the
   response status set) when the transaction ends without downstream access. */
bool forwarder::plan(unsigned port, const smmu_txn_t &base, uint64_t len, bool streaming,
                     std::vector<chunk> &out, tlm::tlm_generic_payload &gp, sc_time &delay,
                     const smmu_result_t &first) {
    uint64_t off = 0;
    while (off < len) {
        smmu_txn_t t = base;
        t.addr = base.addr + off;
        t.len = (uint32_t)std::min<uint64_t>(len - off, UINT32_MAX);
        smmu_result_t r{};
        if (off == 0)
            r = first;
        else
            translate(port, t, r, delay);
        chunk c{};
        c.off = off;
        c.out.sid = t.sid;
        if (r.status != SMMU_OK) {
            if (r.abort) {
                gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
                /* the master's own extension: TRANSFAULT for its PRI flow (IHI 0022 A13.6.4) */
                if (r.transfault)
                    if (output_extension *oe = gp.get_extension<output_extension>())
                        oe->transfault = true;
                return false;
            }
            /* RAZ/WI up to the next smallest-granule (4 KiB) boundary */
            c.razwi = true;
            c.len = std::min<uint64_t>(len - off, 0x1000 - (t.addr & 0xFFF));
        } else {
            const uint64_t span = r.span; /* never 0 when OK (smmu.h) */
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

/* One piece of upstream payload gp (offset off, len bytes) as a payload of the SMMU's own at
   output address pa: command, option, data (pointing into gp's array: a read lands there
   directly), byte enables of the piece, gp's extensions (shared for the duration of the call,
   not cloned) and out as its output_extension. */
pooled_payload *forwarder::piece(tlm::tlm_generic_payload &gp, uint64_t off, unsigned len,
                                 uint64_t pa, const output_extension &out) {
    pooled_payload *q = pool_.get();
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
void forwarder::drop_piece(tlm::tlm_generic_payload &gp, pooled_payload *q) {
    const unsigned n = tlm::max_num_extensions();
    for (unsigned i = 0; i < n; i++) {
        tlm::tlm_extension_base *e = q->get_extension(i);
        if (e && (e == gp.get_extension(i) || e == &q->out)) q->set_extension(i, nullptr);
    }
    q->release();
}

/* Forwards the chunks of a transaction that does not go downstream whole: RAZ/WI chunks are
   completed here, the others go downstream as pieces of the SMMU's own. The upstream payload
   gets only its response status and data; no DMI hint (its parts translate differently). */
void forwarder::forward(tlm::tlm_generic_payload &gp, const std::vector<chunk> &chunks,
                        sc_time &delay) {
    tlm::tlm_response_status status = tlm::TLM_OK_RESPONSE;
    for (const chunk &c : chunks) {
        if (c.razwi) {
            st_.razwi++;
            if (gp.is_read()) zero_data(gp, c.off, c.len);
            continue;
        }
        pooled_payload *q = piece(gp, c.off, (unsigned)c.len, c.pa, c.out);
        down_->b_transport(*q, delay);
        status = q->get_response_status();
        drop_piece(gp, q);
        if (status != tlm::TLM_OK_RESPONSE) break;
    }
    if (chunks.size() > 1) st_.splits += chunks.size() - 1;
    gp.set_dmi_allowed(false);
    gp.set_response_status(status);
}

/* TLM_IGNORE_COMMAND (IEEE 1666-2011 14.9: no read or write is executed, the payload is routed
   as one would be): translated as a read without side effects, so that a master can probe the
   decode (its output_extension, if attached, receives the answer); forwarded as
   TLM_IGNORE_COMMAND to the output address, or TLM_ADDRESS_ERROR_RESPONSE on an abort fault
   (RAZ/WI: TLM_OK_RESPONSE, not forwarded). */
void forwarder::ignore_probe(int port, tlm::tlm_generic_payload &gp, sc_time &delay) {
    smmu_txn_t t = streams_.txn((unsigned)port, gp);
    t.write = false;
    smmu_result_t r{};
    cp_.probe(t, r);
    if (output_extension *e = gp.get_extension<output_extension>()) *e = answer_of(t.sid, r);
    if (r.status != SMMU_OK) {
        if (r.abort) st_.errors++;
        gp.set_response_status(r.abort ? tlm::TLM_ADDRESS_ERROR_RESPONSE : tlm::TLM_OK_RESPONSE);
        return;
    }
    forward_one(gp, output_of(t.sid, r), r.pa, delay);
}

/* An ATS Translation Request: the core answers it (it never stalls); nothing goes downstream.
   UR / CA completions end with TLM_ADDRESS_ERROR_RESPONSE. */
void forwarder::ats_request(const smmu_txn_t &t, tlm::tlm_generic_payload &gp, sc_time &delay) {
    smmu_result_t r{};
    cp_.translate_stalling(t, r, delay);
    if (output_extension *e = gp.get_extension<output_extension>()) *e = answer_of(t.sid, r);
    const bool err = r.status != SMMU_OK && r.abort;
    if (err) st_.errors++;
    gp.set_response_status(err ? tlm::TLM_ADDRESS_ERROR_RESPONSE : tlm::TLM_OK_RESPONSE);
}

unsigned forwarder::transport_dbg(int port, tlm::tlm_generic_payload &gp) {
    const stream_extension se = streams_.resolve((unsigned)port, gp);
    smmu_txn_t base = make_txn(se, gp);
    if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) base.write = false;
    const uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    if (!down_) return 0;
    unsigned done = 0;
    while (done < len || (len == 0 && done == 0)) {
        smmu_txn_t t = base;
        t.addr = addr + done;
        t.len = std::max(1u, len - done);
        smmu_result_t r{};
        cp_.translate_dbg(t, r, nullptr);
        if (r.status != SMMU_OK) break;
        const uint64_t span = r.span; /* never 0 when OK (smmu.h) */
        const unsigned n = (unsigned)std::min<uint64_t>(len - done, span - (t.addr & (span - 1)));
        if (done == 0 && n == len) { /* one piece: the payload itself (its address changes) */
            unsigned got = 0;
            output_extension out = output_of(t.sid, r);
            at_output(gp, out, r.pa,
                      [&](tlm::tlm_generic_payload &p) { got = down_->transport_dbg(p); });
            return std::min(got, len);
        }
        pooled_payload *q = piece(gp, done, n, r.pa, output_of(t.sid, r));
        const unsigned got = down_->transport_dbg(*q);
        drop_piece(gp, q);
        done += std::min(got, n);
        if (got < n) break;
    }
    return done;
}

/* Chunk lists are reused (transactions in different threads may be in progress at once, each
   with its own list): no allocation per transaction once warm. */
std::vector<forwarder::chunk> forwarder::take_chunk_list() {
    if (chunk_lists_.empty()) return {};
    std::vector<chunk> v = std::move(chunk_lists_.back());
    chunk_lists_.pop_back();
    return v;
}

void forwarder::give_chunk_list(std::vector<chunk> &&v) {
    v.clear();
    chunk_lists_.push_back(std::move(v));
}

} // namespace detail
} // namespace smmu_tlm
