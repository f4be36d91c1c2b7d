// SPDX-License-Identifier: Apache-2.0 OR MIT
// A VP checkpoint (smmu_vp --save-at / --restore, docs/vp.md "Checkpoints"): what the platform
// needs to continue a run from a quiescent point. The hardware: the memory's pages and every
// SMMU's state (smmu_base::save_state). The software and the devices, as far as they are not
// rebuilt by re-running the host's deterministic setup: the pages the host mapped on faults
// (replayed after the setup, so that its driver allocates the same tables), the host's event
// and stall counts, and each traffic master's progress. Binary, little-endian, versioned; the
// scenario it belongs to is named by a digest.
#ifndef SMMU_VP_CHECKPOINT_H
#define SMMU_VP_CHECKPOINT_H

#include <cstdint>
#include <string>
#include <vector>

#include <smmu_model/traffic.h>

#include "scenario.h"

namespace smmu_vp {

struct checkpoint {
    uint64_t scenario_digest = 0;
    uint64_t time_ps = 0;          // simulated time of the checkpoint
    uint64_t traffic_start_ps = 0; // when the host let the masters go
    struct page {
        uint64_t pn;
        std::vector<uint8_t> data; // memory::page_size bytes
    };
    std::vector<page> pages;
    struct fault_map { // a mapping the host made while servicing a stall
        std::string domain;
        mapping m;
    };
    struct event_count {
        uint32_t sid;
        std::string type;
        uint64_t count;
    };
    struct smmu {
        std::vector<uint8_t> state; // smmu_base::save_state()
        uint64_t events_read = 0, resumed = 0, terminated = 0;
        std::vector<event_count> events;
        std::vector<fault_map> maps;
    };
    std::vector<smmu> smmus;
    std::vector<smmu_model::master_progress> masters; // traffic masters, in platform order
};

// A digest of what a checkpoint depends on in the scenario (its platform, programming and
// traffic), so that --restore with another scenario is refused.
uint64_t scenario_digest(const scenario &sc);

std::vector<uint8_t> encode_checkpoint(const checkpoint &c);
// False (err says why) for anything but a complete checkpoint of this format version.
bool decode_checkpoint(const std::vector<uint8_t> &bytes, checkpoint &c, std::string &err);

} // namespace smmu_vp

#endif
