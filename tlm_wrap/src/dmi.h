/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* dmi.h: DMI granted to the devices on the upstream sockets, and its scoped revocation
 * (docs/tlm.md, "DMI").
 *
 * get() answers get_direct_mem_ptr on an upstream socket: the page is translated without side
 * effects, `downstream` is asked for DMI at the output address, and the intersection goes back
 * in the device's address space with the permissions both allow. Every grant is remembered per
 * socket with its stream, its device and output ranges and the TLB tags of its translation, so
 * that exactly the grants an invalidation covers are revoked: the core decides which
 * (smmu_inv_covers, from the scope it reports through host.invalidate_scope), and a downstream
 * invalidate_direct_mem_ptr revokes the grants whose output range meets it. Revocations found
 * during a core call wait for its end (core_lock::deliver_at_unlock()); the others are delivered
 * at once. */
#ifndef SMMU_TLM_SRC_DMI_H
#define SMMU_TLM_SRC_DMI_H

#include "common.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace smmu_tlm {
namespace detail {

class core_port;

class upstream_dmi {
  public:
    /* up: each upstream socket's backward path (nullptr: unbound), filled at attach();
       cp: the debug translations of get(), and whether a core call is in progress. */
    upstream_dmi(const std::vector<tlm::tlm_bw_transport_if<> *> &up, unsigned n_ports,
                 core_port &cp, payload_pool &pool, tlm_stats &st);
    upstream_dmi(const upstream_dmi &) = delete;
    upstream_dmi &operator=(const upstream_dmi &) = delete;
    /* The `downstream` socket's forward interface, after elaboration. */
    void bind(tlm::tlm_fw_transport_if<> *down) {
        down_ = down;
    }

    /* get_direct_mem_ptr of payload gp of stream se on upstream port `port`. */
    bool get(unsigned port, const stream_extension &se, tlm::tlm_generic_payload &gp,
             tlm::tlm_dmi &dmi);
    /* host.invalidate_scope: the core executed an invalidation; the grants it covers go. */
    void scope_invalidated(const smmu_inv_scope_t &sc);
    /* `downstream` revoked output range [start, end]. */
    void downstream_invalidated(uint64_t start, uint64_t end);
    /* The grants port holds (smmu_base::dmi_regions). */
    std::vector<smmu_base::dmi_region> regions(unsigned port) const;

    /* Forgets every grant and revokes the whole address space on every bound upstream socket
       (a restored state: no grant made before may stand). */
    void revoke_all();

    /* Delivers the revocations queued (the end of a core call, or at once). */
    void deliver();

  private:
    /* A region granted on an upstream socket, with what its translation depends on. */
    struct grant {
        uint64_t lo, hi;         /* device address range, inclusive */
        uint64_t out_lo, out_hi; /* output address range, inclusive */
        uint32_t sid, ssid;
        bool ssv, rd, wr;
        smmu_xlate_tags_t tags;
    };
    struct revoke {
        unsigned port;
        uint64_t lo, hi; /* device address range, inclusive */
    };
    static constexpr size_t GRANTS_PER_PORT = 4096; /* beyond: the oldest is revoked */

    void remember(unsigned port, const grant &g);
    void deliver_now_or_at_unlock();

    const std::vector<tlm::tlm_bw_transport_if<> *> &up_;
    core_port &cp_;
    payload_pool &pool_;
    tlm_stats &st_;
    tlm::tlm_fw_transport_if<> *down_ = nullptr;
    std::vector<std::vector<grant>> grants_; /* per port */
    std::vector<revoke> revokes_;            /* waiting for the end of the core call */
};

} // namespace detail
} // namespace smmu_tlm

#endif
