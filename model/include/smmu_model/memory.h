// SPDX-License-Identifier: Apache-2.0 OR MIT
// A simulated memory target: any 64-bit address (sparse 4 KiB pages, untouched memory reads as
// zero), configurable read/write latency, streaming width (every `width` bytes of a transaction
// access the same address again, in order), DMI per page, debug transport, and abort regions that
// answer with a TLM error (to model external aborts on the SMMU's own accesses). The contents
// live in the memory's own stable 4 KiB pages (so DMI can hand out pointers), or, optionally, in
// a c_core smmu_mem_t (<smmu/mem.h>) shared with other code (no DMI then).
#ifndef SMMU_MODEL_MEMORY_H
#define SMMU_MODEL_MEMORY_H

#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <smmu/mem.h>

namespace smmu_model {

struct memory_params {
    sc_core::sc_time read_latency{10, sc_core::SC_NS};  // per access, annotated
    sc_core::sc_time write_latency{10, sc_core::SC_NS}; // per access, annotated
    uint64_t size = 0;                                  // bytes; 0: the whole 64-bit space
    bool dmi = true;                                    // grant DMI (one 4 KiB page at a time)
};

struct memory_counters {
    uint64_t reads = 0, writes = 0, bytes_read = 0, bytes_written = 0;
    uint64_t errors = 0, debug = 0, dmi_grants = 0;
};

class memory : public sc_core::sc_module {
  public:
    static constexpr uint64_t page_size = 4096;

    tlm_utils::simple_target_socket<memory> socket;

    // backing: optional c_core sparse memory (<smmu/mem.h>) holding the contents instead of the
    // memory's own pages, e.g. to share them with code using smmu_mem_t directly; its abort
    // regions answer TLM_GENERIC_ERROR_RESPONSE. smmu_mem_t gives no pointers, so no DMI then.
    memory(sc_core::sc_module_name name, const memory_params &p = memory_params(),
           smmu_mem_t *backing = nullptr);

    // Untimed backdoor access (loaders, tests, the report). False on an abort region or out of
    // range.
    bool read(uint64_t addr, void *buf, size_t len);
    bool write(uint64_t addr, const void *buf, size_t len);
    // Accesses touching [base, base + size) answer TLM_GENERIC_ERROR_RESPONSE from now on; DMI
    // granted there is revoked.
    void add_abort(uint64_t base, uint64_t size);
    void clear_aborts();
    // Revokes every DMI pointer handed out for [start, end].
    void invalidate_dmi(uint64_t start, uint64_t end);
    // Told of every write once it has landed, with the bytes as they are now in memory (byte
    // enables and streaming applied): b_transport and transport_dbg writes and the backdoor
    // write() (checkpoint page restores and clear() are not writes). For a platform that
    // notifies the SMMU core's driver sanitizer of table writes (smmu_dsan_write, <smmu/dsan.h>).
    // While an observer is set, DMI is granted for reads only (every write then comes through
    // b_transport); setting one revokes the DMI handed out. An empty function: none.
    using write_observer = std::function<void(uint64_t addr, const uint8_t *data, size_t len)>;
    void set_write_observer(write_observer f);

    // The contents as pages (a platform checkpoint; not with a backing memory, whose pages are
    // its own): the page numbers (address / page_size) holding data, ascending; a page's
    // page_size bytes (nullptr: never written, reads as zero); a page's contents replaced;
    // every page dropped (all memory reads as zero, DMI revoked).
    std::vector<uint64_t> page_numbers() const;
    const uint8_t *page_data(uint64_t pn) const;
    void set_page(uint64_t pn, const uint8_t *data);
    void clear();

    const memory_params &params() const {
        return params_;
    }
    const memory_counters &counters() const {
        return counters_;
    }
    smmu_mem_t *backing() const {
        return backing_;
    }
    size_t pages() const {
        return pages_.size();
    }

  private:
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload &gp);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi);

    // Checks range and aborts; the TLM status the access gets.
    tlm::tlm_response_status check(uint64_t addr, uint64_t len) const;
    bool aborted(uint64_t addr, uint64_t len) const;
    uint8_t *page(uint64_t pn);
    // Copies between host memory and the pages; be: optional byte enables (writes only), the
    // pattern taken from its byte be_off on.
    bool copy_in(uint64_t addr, const uint8_t *src, size_t len, const uint8_t *be = nullptr,
                 size_t be_len = 0, size_t be_off = 0);
    bool copy_out(uint64_t addr, uint8_t *dst, size_t len);

    memory_params params_;
    memory_counters counters_;
    std::unordered_map<uint64_t, std::unique_ptr<uint8_t[]>> pages_;
    struct range {
        uint64_t first, last;
    };
    std::vector<range> aborts_;
    smmu_mem_t *backing_;
    write_observer observer_;
    void observed(uint64_t addr, size_t len); // observer_ told of [addr, addr + len)
};

} // namespace smmu_model

#endif
