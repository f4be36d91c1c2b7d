// SPDX-License-Identifier: Apache-2.0 OR MIT
// The simulated memory. Pages are separately allocated 4 KiB blocks that never move, so a DMI
// pointer stays valid for as long as the memory exists (a page is never freed).
#include <smmu_model/memory.h>

#include <algorithm>
#include <cstring>

namespace smmu_model {

using namespace sc_core;

memory::memory(sc_module_name name, const memory_params &p, smmu_mem_t *backing)
    : sc_module(name), socket("socket"), params_(p), backing_(backing) {
    socket.register_b_transport(this, &memory::b_transport);
    socket.register_transport_dbg(this, &memory::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &memory::get_direct_mem_ptr);
}

bool memory::aborted(uint64_t addr, uint64_t len) const {
    uint64_t last = addr + len - 1;
    for (const range &r : aborts_)
        if (addr <= r.last && last >= r.first) return true;
    return false;
}

tlm::tlm_response_status memory::check(uint64_t addr, uint64_t len) const {
    if (len == 0) return tlm::TLM_OK_RESPONSE;
    if (addr + len - 1 < addr) return tlm::TLM_ADDRESS_ERROR_RESPONSE; // wraps
    if (params_.size && (addr >= params_.size || len > params_.size - addr))
        return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    if (aborted(addr, len)) return tlm::TLM_GENERIC_ERROR_RESPONSE;
    return tlm::TLM_OK_RESPONSE;
}

uint8_t *memory::page(uint64_t pn) {
    auto &p = pages_[pn];
    if (!p) {
        p.reset(new uint8_t[page_size]);
        std::memset(p.get(), 0, page_size);
    }
    return p.get();
}

bool memory::copy_in(uint64_t addr, const uint8_t *src, size_t len, const uint8_t *be,
                     size_t be_len, size_t be_off) {
    if (backing_) { // byte enables: read-modify-write
        if (!be) return smmu_mem_write(backing_, addr, src, len) == 0;
        std::vector<uint8_t> merged(len);
        if (smmu_mem_read(backing_, addr, merged.data(), len)) return false;
        for (size_t i = 0; i < len; i++)
            if (be[(be_off + i) % be_len] == TLM_BYTE_ENABLED) merged[i] = src[i];
        return smmu_mem_write(backing_, addr, merged.data(), len) == 0;
    }
    for (size_t done = 0; done < len;) {
        uint64_t a = addr + done;
        size_t off = a % page_size, n = std::min<size_t>(len - done, page_size - off);
        uint8_t *dst = page(a / page_size) + off;
        if (!be) {
            std::memcpy(dst, src + done, n);
        } else {
            for (size_t i = 0; i < n; i++)
                if (be[(be_off + done + i) % be_len] == TLM_BYTE_ENABLED) dst[i] = src[done + i];
        }
        done += n;
    }
    return true;
}

bool memory::copy_out(uint64_t addr, uint8_t *dst, size_t len) {
    if (backing_) return smmu_mem_read(backing_, addr, dst, len) == 0;
    for (size_t done = 0; done < len;) {
        uint64_t a = addr + done;
        size_t off = a % page_size, n = std::min<size_t>(len - done, page_size - off);
        auto it = pages_.find(a / page_size);
        if (it == pages_.end())
            std::memset(dst + done, 0, n); // untouched memory reads as zero, allocates nothing
        else
            std::memcpy(dst + done, it->second.get() + off, n);
        done += n;
    }
    return true;
}

bool memory::read(uint64_t addr, void *buf, size_t len) {
    if (check(addr, len) != tlm::TLM_OK_RESPONSE) return false;
    return copy_out(addr, static_cast<uint8_t *>(buf), len);
}

bool memory::write(uint64_t addr, const void *buf, size_t len) {
    if (check(addr, len) != tlm::TLM_OK_RESPONSE) return false;
    if (!copy_in(addr, static_cast<const uint8_t *>(buf), len)) return false;
    observed(addr, len);
    return true;
}

void memory::set_write_observer(write_observer f) {
    observer_ = std::move(f);
    // a writable pointer handed out would bypass the observer (none before the simulation: the
    // sockets may not be bound yet)
    if (counters_.dmi_grants) invalidate_dmi(0, ~(uint64_t)0);
}

void memory::observed(uint64_t addr, size_t len) {
    if (!observer_ || !len) return;
    std::vector<uint8_t> now(len);
    if (copy_out(addr, now.data(), len)) observer_(addr, now.data(), len);
}

void memory::add_abort(uint64_t base, uint64_t size) {
    if (size == 0) return;
    uint64_t last = base + size - 1 < base ? ~0ull : base + size - 1;
    aborts_.push_back({base, last});
    invalidate_dmi(base & ~(page_size - 1), last | (page_size - 1));
}

void memory::clear_aborts() {
    aborts_.clear();
}

std::vector<uint64_t> memory::page_numbers() const {
    std::vector<uint64_t> v;
    v.reserve(pages_.size());
    for (const auto &p : pages_)
        v.push_back(p.first);
    std::sort(v.begin(), v.end());
    return v;
}

const uint8_t *memory::page_data(uint64_t pn) const {
    auto it = pages_.find(pn);
    return it == pages_.end() ? nullptr : it->second.get();
}

void memory::set_page(uint64_t pn, const uint8_t *data) {
    std::copy(data, data + page_size, page(pn));
}

void memory::clear() {
    pages_.clear();
    invalidate_dmi(0, ~(uint64_t)0); // every pointer handed out pointed into a dropped page
}

void memory::invalidate_dmi(uint64_t start, uint64_t end) {
    socket->invalidate_direct_mem_ptr(start, end);
}

void memory::b_transport(tlm::tlm_generic_payload &gp, sc_time &delay) {
    uint64_t addr = gp.get_address();
    unsigned len = gp.get_data_length();
    // streaming (IEEE 1666-2011 14.15, e.g. an AXI FIXED burst): every `width` bytes of the data
    // array are one access to [addr, addr + width), in order
    const unsigned sw = gp.get_streaming_width();
    const unsigned width = sw && sw < len ? sw : len;
    tlm::tlm_response_status st = check(addr, width);
    if (st != tlm::TLM_OK_RESPONSE) {
        counters_.errors++;
        gp.set_response_status(st);
        return;
    }
    bool ok = true;
    if (gp.is_write()) {
        for (unsigned off = 0; ok && off < len; off += width) {
            ok = copy_in(addr, gp.get_data_ptr() + off, std::min(width, len - off),
                         gp.get_byte_enable_ptr(), gp.get_byte_enable_length(), off);
            if (ok) observed(addr, std::min(width, len - off));
        }
        counters_.writes++;
        counters_.bytes_written += len;
        delay += params_.write_latency;
    } else if (gp.is_read()) {
        for (unsigned off = 0; ok && off < len; off += width)
            ok = copy_out(addr, gp.get_data_ptr() + off, std::min(width, len - off));
        counters_.reads++;
        counters_.bytes_read += len;
        delay += params_.read_latency;
    }
    if (!ok) { // an abort region of the backing smmu_mem_t
        counters_.errors++;
        gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    if (params_.dmi && !backing_) gp.set_dmi_allowed(!aborted(addr & ~(page_size - 1), page_size));
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned int memory::transport_dbg(tlm::tlm_generic_payload &gp) {
    uint64_t addr = gp.get_address();
    unsigned len = gp.get_data_length();
    if (check(addr, len) != tlm::TLM_OK_RESPONSE) return 0;
    bool ok = gp.is_write()  ? copy_in(addr, gp.get_data_ptr(), len)
              : gp.is_read() ? copy_out(addr, gp.get_data_ptr(), len)
                             : true;
    if (!ok) return 0;
    if (gp.is_write()) observed(addr, len);
    counters_.debug++;
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    return len;
}

bool memory::get_direct_mem_ptr(tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi) {
    uint64_t base = gp.get_address() & ~(page_size - 1);
    dmi.set_start_address(base);
    dmi.set_end_address(base + page_size - 1);
    if (!params_.dmi || backing_ || check(base, page_size) != tlm::TLM_OK_RESPONSE) {
        dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_NONE);
        return false;
    }
    dmi.set_dmi_ptr(page(base / page_size));
    dmi.set_granted_access(observer_ ? tlm::tlm_dmi::DMI_ACCESS_READ
                                     : tlm::tlm_dmi::DMI_ACCESS_READ_WRITE);
    dmi.set_read_latency(params_.read_latency);
    dmi.set_write_latency(params_.write_latency);
    counters_.dmi_grants++;
    return true;
}

} // namespace smmu_model
