// SPDX-License-Identifier: Apache-2.0 OR MIT
// Invariant tests (issue 6): a shadow of what host software asked c_core/drv to set up (which
// stream is attached to which domain, for which SubstreamID, and what each domain maps), kept
// by the test itself, so a translation can be checked against it.
#pragma once
#include <cstdint>
#include <map>
#include <utility>

namespace inv {

struct Mapping {
    uint64_t pa = 0;
    unsigned prot = 0; // SMMU_PROT_*
};

struct StreamShadow {
    enum Kind { DETACHED, BYPASS, S1, S2 } kind = DETACHED;
    int cd0 = -1;                  // S1: domain of transactions without SubstreamID (-1: none)
    std::map<uint32_t, int> pasid; // S1: SubstreamID -> domain
    int s2 = -1;                   // S2: the domain
};

class Shadow {
  public:
    std::map<std::pair<int, uint64_t>, Mapping> maps; // (domain, IOVA page) -> mapping
    std::map<uint32_t, StreamShadow> streams;

    // The domain a transaction of sid (ssid < 0: none) goes through, -1 when it must fault,
    // -2 for bypass.
    int domain_of(uint32_t sid, long ssid) const {
        auto it = streams.find(sid);
        if (it == streams.end()) return -1;
        const StreamShadow &s = it->second;
        switch (s.kind) {
        case StreamShadow::BYPASS:
            return ssid < 0 ? -2 : -1;
        case StreamShadow::S2:
            return ssid < 0 ? s.s2 : -1;
        case StreamShadow::S1: {
            if (ssid < 0) return s.cd0;
            auto p = s.pasid.find((uint32_t)ssid);
            return p == s.pasid.end() ? -1 : p->second;
        }
        default:
            return -1;
        }
    }
    const Mapping *lookup(int dom, uint64_t page) const {
        auto it = maps.find({dom, page});
        return it == maps.end() ? nullptr : &it->second;
    }
};

} // namespace inv
