// SPDX-License-Identifier: Apache-2.0 OR MIT
// Command-line overrides of a scenario: `--set PATH=VALUE`, applied to the scenario's JSON text
// before it is parsed, so that a sweep can vary any scenario key without writing a file per
// run. PATH is a JSON pointer (RFC 6901), e.g. /smmus/0/params/tlb_entries; VALUE is parsed as
// JSON when it parses (256, true, "lru", {"ways": 8}) and is taken as a string otherwise (lru).
// Missing objects along the path are created; array elements must exist ("-" appends).
#ifndef SMMU_VP_OVERRIDES_H
#define SMMU_VP_OVERRIDES_H

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario.h"

namespace smmu_vp {

struct override_spec {
    std::string text;    // the option as given, for messages
    std::string pointer; // JSON pointer
    nlohmann::json value;
};

// Splits "PATH=VALUE". Throws scenario_error ("--set <text>: <problem>").
override_spec parse_override(const std::string &text);
// Applies one override to a document. Throws scenario_error naming the option and the problem.
void apply_override(nlohmann::json &doc, const override_spec &o);
// Applies the overrides in order to a scenario's JSON text; source names it in messages.
std::string apply_overrides(const std::string &json_text, const std::string &source,
                            const std::vector<std::string> &sets);
// The scenario in file (empty: the built-in default) with the overrides applied, parsed.
scenario load_scenario_with_overrides(const std::string &file,
                                      const std::vector<std::string> &sets);

} // namespace smmu_vp

#endif
