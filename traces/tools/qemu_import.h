// SPDX-License-Identifier: Apache-2.0 OR MIT
// Import of QEMU smmuv3 trace-event logs into the smmu trace format (traces/FORMAT.md, "Import
// from QEMU"): which events are read and what is lost is documented there.
#ifndef SMMU_TRACE_QEMU_IMPORT_H
#define SMMU_TRACE_QEMU_IMPORT_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <smmu/trace.h>

namespace smmu_trace_tool {

struct qemu_import_options {
    uint32_t size = 4;          // bytes per transaction (QEMU's events have no size)
    uint64_t interval_ns = 100; // time step between transactions when the log has no timestamps
};

struct qemu_import_result {
    std::vector<smmu_trace_txn_t> txns;
    uint64_t lines = 0;                      // lines read
    std::map<std::string, uint64_t> used;    // events imported, by name
    std::map<std::string, uint64_t> skipped; // other events, by name
    bool timestamps = false;                 // the log had PID@SEC.USEC: prefixes
};

// Parses the text of a QEMU log. Returns false with err ("<name>:<line>: <problem>") on an
// smmuv3_translate_* line whose fields do not parse.
bool qemu_import(const std::string &text, const std::string &name, const qemu_import_options &o,
                 qemu_import_result &r, std::string &err);

// Reads a whole file, gzip-compressed or plain (zlib); false with err when it cannot.
bool read_maybe_gz(const std::string &path, std::string &out, std::string &err);

} // namespace smmu_trace_tool

#endif
