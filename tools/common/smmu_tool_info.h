// SPDX-License-Identifier: Apache-2.0 OR MIT
// The version of the installed executables (smmu_vp, smmu_trace) and where their data is: the
// sample traces and scenarios and the docs. Installed, both are found from the executable's own
// location (<bindir>/../share/smmuv3/samples, <bindir>/../share/doc/smmuv3), so a moved install
// still finds them; run from the build tree, the source tree's traces/samples and docs are used.
// The definitions come from smmu_tool_info() in cmake/smmu_install.cmake.
#ifndef SMMU_TOOL_INFO_H
#define SMMU_TOOL_INFO_H

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace smmu_tool {

namespace fs = std::filesystem;

inline const char *version() {
    return SMMU_TOOL_VERSION;
}

// The directory of the running executable (Linux: /proc/self/exe, symlinks resolved); empty if
// unknown.
inline fs::path exe_dir() {
    std::error_code ec;
    fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : p.parent_path();
}

// True when the executable runs from the directory the build put it in.
inline bool in_build_tree() {
    std::error_code ec;
    fs::path d = exe_dir();
    return !d.empty() && fs::equivalent(d, fs::path(SMMU_TOOL_BUILD_DIR), ec) && !ec;
}

inline fs::path dir_or_empty(const fs::path &p) {
    std::error_code ec;
    return fs::is_directory(p, ec) ? p.lexically_normal() : fs::path();
}

// The sample traces and scenarios; empty if there are none.
inline fs::path samples_dir() {
    if (in_build_tree()) return dir_or_empty(SMMU_TOOL_SOURCE_SAMPLES);
    fs::path d = exe_dir();
    return d.empty() ? fs::path() : dir_or_empty(d / SMMU_TOOL_REL_SAMPLES);
}

// The root of the documentation (README.md, docs/, traces/, tools/sweep/); empty if unknown.
inline fs::path docs_dir() {
    if (in_build_tree()) return dir_or_empty(SMMU_TOOL_SOURCE_DOCS);
    fs::path d = exe_dir();
    return d.empty() ? fs::path() : dir_or_empty(d / SMMU_TOOL_REL_DOCS);
}

// A scenario or trace argument: the file itself when it exists; otherwise, for a relative name,
// the sample of that name (as given, or with `ext` appended: "nic_rx" -> "nic_rx.trace").
// Empty when neither exists.
inline std::string find_input(const std::string &name, const std::string &ext) {
    std::error_code ec;
    if (name.empty()) return {};
    if (fs::exists(name, ec)) return name;
    fs::path d = samples_dir();
    if (d.empty() || fs::path(name).is_absolute()) return {};
    for (const fs::path &c : {d / name, d / (name + ext)})
        if (fs::is_regular_file(c, ec)) return c.string();
    return {};
}

// The message for an argument find_input() could not resolve.
inline std::string missing_input(const std::string &tool, const std::string &name) {
    return tool + ": " + name + ": no such file, nor a sample of that name (" + tool +
           " --list-samples)";
}

// The file names in the samples directory, sorted.
inline std::vector<std::string> list_samples() {
    std::vector<std::string> out;
    std::error_code ec;
    fs::path d = samples_dir();
    if (d.empty()) return out;
    for (const fs::directory_entry &e : fs::directory_iterator(d, ec))
        if (e.is_regular_file(ec)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// "Documentation: <docs>/docs/vp.md (...), ..." for a --help footer: each entry a path below the
// documentation root and what it describes.
inline std::string docs_footer(std::initializer_list<std::pair<const char *, const char *>> docs) {
    fs::path d = docs_dir();
    std::string s = "Documentation";
    s += d.empty() ? " (in the smmuv3 sources):\n" : ":\n";
    for (const auto &[file, what] : docs)
        s += "  " + (d.empty() ? std::string(file) : (d / file).string()) + "  (" + what + ")\n";
    return s;
}

} // namespace smmu_tool

#endif
