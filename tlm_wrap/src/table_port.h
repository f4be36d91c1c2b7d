/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* table_port.h: the SMMU's own memory traffic on the `table` socket.
 *
 * The core's host callbacks for memory land here: mem_read / mem_write (STE, CD and descriptor
 * fetches, queue accesses, MSIs) become b_transport on `table` (transport_dbg inside a debug
 * translation), and mem_ptr hands the core DMI regions of the `table` target for its table
 * reads (docs/tlm.md, "DMI for the SMMU's own table reads").
 *
 * It owns what those accesses depend on: the context of the core call in progress (where the
 * delays the memory annotates go, debug transport or not, whether a recorder wants the
 * accesses), the DMI regions granted and refused by the `table` target, and the epoch word
 * through which the core drops all its grants at once when the target revokes one. A timed
 * translation opens a window (open() / close(), inline: the LT hit path) so that the
 * core port can tell how its table reads went: through b_transport (annotated delays, maybe a
 * wait) or through a grant (charge_dmi_reads()). */
#ifndef SMMU_TLM_SRC_TABLE_PORT_H
#define SMMU_TLM_SRC_TABLE_PORT_H

#include "common.h"

#include <smmu_tlm/recorder.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace smmu_tlm {
namespace detail {

class table_port {
  public:
    /* regions: entries of the region cache (smmu_tlm_params::table_dmi_regions). */
    table_port(const sc_core::sc_object &owner, tlm_stats &st, unsigned regions);
    table_port(const table_port &) = delete;
    table_port &operator=(const table_port &) = delete;
    /* The `table` socket's forward interface, after elaboration. */
    void bind(tlm::tlm_fw_transport_if<> *fw) {
        fw_ = fw;
    }
    /* The core whose accesses these are: their MPAM labels (smmu_mem_mpam) go into the payload's
       output_extension. nullptr: none. */
    void set_core(const ::smmu_t *core) {
        core_ = core;
    }

    /* host.mem_read / mem_write: one access, 0 on success (smmu_host_t). */
    int access(tlm::tlm_command cmd, uint64_t pa, void *buf, size_t len, bool secure);
    /* host.mem_cas64: an atomic compare-and-swap of the little-endian word at pa (HTTU), as a
       read then, when it holds expected, a write: two b_transport calls with nothing between
       them, atomic in a SystemC simulation as long as the target does not wait() in
       b_transport (docs/tlm.md). 0 on success, 1 when either access fails. */
    int cas64(uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *observed, bool secure);
    /* host.mem_ptr: a granted region of `table` containing pa, for the core's reads. */
    bool mem_ptr(uint64_t pa, smmu_mem_grant_t *g);
    /* The `table` target revoked DMI on [start, end]. */
    void invalidated(uint64_t start, uint64_t end);
    /* Reads len bytes at pa by debug transport (no side effects); false when not bound or the
       target transferred less. */
    bool read_dbg(uint64_t pa, unsigned char *buf, unsigned len);

    /* Context of the core call in progress: the delay table accesses annotate (nullptr: they
       annotate a local one), and debug transport instead of b_transport (returns the previous
       setting, for nesting). */
    void set_delay(sc_time *d) {
        delay_ = d;
    }
    bool set_debug(bool on) {
        const bool was = dbg_;
        dbg_ = on;
        return was;
    }

    /* The window of one timed translation: its accesses annotate *delay; with record they are
       collected for the recorder (accesses()); with dmi the core may read through grants. */
    struct window {
        uint64_t calls, reads; /* b_transport calls (and reads) on `table` when it opened */
    };
    SMMU_TLM_ALWAYS_INLINE window open(sc_time *delay, bool record, bool dmi) {
        const window w{bt_calls_, bt_reads_};
        delay_ = delay;
        if (record) {
            accesses_.clear();
            record_ = true;
        } else if (dmi) {
            dmi_epoch_ = dmi_open_;
        }
        return w;
    }
    SMMU_TLM_ALWAYS_INLINE void close() {
        dmi_epoch_ = 0;
        record_ = false;
        delay_ = nullptr;
    }
    /* A b_transport went to `table` since w (only it can wait in the memory model). */
    bool called_since(const window &w) const {
        return bt_calls_ != w.calls;
    }
    /* The reads the core made through a grant since w (its mem_reads, minus the reads that went
       through b_transport) cost the grant's read latency each: added to delay and counted. */
    SMMU_TLM_ALWAYS_INLINE void charge_dmi_reads(const window &w, uint64_t mem_reads,
                                                 sc_time &delay) {
        if (!dmi_handed_) return;
        const uint64_t bt = bt_reads_ - w.reads;
        if (mem_reads > bt) {
            delay += times(dmi_read_latency_, mem_reads - bt);
            st_.table_dmi_reads += mem_reads - bt;
        }
    }
    /* The accesses of the last recorded window. */
    const std::vector<table_access> &accesses() const {
        return accesses_;
    }

  private:
    /* A region of the `table` target: granted for DMI reads (ptr), or refused (ptr == nullptr).
       32 bytes: the region cache's cost per entry. An empty slot has start > end. */
    struct region {
        uint64_t start, end; /* inclusive */
        const unsigned char *ptr;
        sc_time read_latency;
        bool empty() const {
            return start > end;
        }
        bool covers(uint64_t pa) const {
            return pa >= start && pa <= end;
        }
    };
    static_assert(sizeof(region) == 32, "docs/tlm.md gives 32 bytes per region-cache entry");

    int access(tlm::tlm_generic_payload &gp, tlm::tlm_command cmd, uint64_t pa, void *buf,
               size_t len, bool secure);
    bool hand(const region &r, smmu_mem_grant_t *g);
    region &slot(uint64_t pa) {
        return regions_[(size_t)(pa >> 12) & mask_];
    }
    void remember(region &s, const region &r);
    void drop(region &s);
    void forget_refusal(uint64_t pa);

    const sc_core::sc_object &owner_; /* for error reports */
    tlm_stats &st_;
    tlm::tlm_fw_transport_if<> *fw_ = nullptr;
    const ::smmu_t *core_ = nullptr; /* set_core */

    /* One payload for table accesses, reused (a payload's construction allocates its extension
       array); a nested access while it is in use (a debug access meanwhile) gets its own. */
    tlm::tlm_generic_payload gp_;
    bool gp_busy_ = false;

    sc_time *delay_ = nullptr;
    bool dbg_ = false;
    uint64_t bt_calls_ = 0; /* b_transport calls on `table` (each may wait) */
    uint64_t bt_reads_ = 0; /* of which reads */
    bool record_ = false;
    std::vector<table_access> accesses_;

    /* DMI for the core's table reads (host.mem_ptr). The core holds a grant while
       *grant.epoch == grant.epoch_val; dmi_epoch_ is that word. It holds dmi_open_ only inside a
       timed translation without a recorder and 0 otherwise, so that grants are used only where
       their reads are timed (charge_dmi_reads) and never while a recorder must see every
       access; dmi_open_ moves on whenever the `table` target invalidates DMI. */
    uint32_t dmi_epoch_ = 0;
    uint32_t dmi_open_ = 1;
    unsigned dmi_handed_ = 0;     /* grants handed to the core under the current dmi_open_ */
    sc_time dmi_read_latency_; /* the read latency of all of them */
    /* The regions granted and refused, direct-mapped by 4 KiB page: a region is kept in the
       slot of the page the core asked for (a region wider than a page may be kept in several
       slots), so a table page's region is found in one probe however many tables there are.
       Empty when the cache has no entries: every mem_ptr asks the target. */
    std::vector<region> regions_;
    size_t mask_ = 0;
    size_t refusals_ = 0;      /* slots holding a refusal */
    size_t wide_refusals_ = 0; /* ... of which refusals wider than one page */
    /* The payload of DMI requests, reused: a payload's construction allocates. */
    tlm::tlm_generic_payload dmi_gp_;
};

} // namespace detail
} // namespace smmu_tlm

#endif
