// SPDX-License-Identifier: Apache-2.0 OR MIT
// smmu_vp --set PATH=VALUE (model/vp/overrides.h) and the scenario keys a sweep varies (cache
// geometry, timing). Values are checked in the parsed scenario; messages name the option and
// the problem. No elaboration.
#include <string>
#include <vector>

#include "overrides.h"
#include "scenario.h"
#include "vp_test_main.h"

using namespace smmu_vp;

namespace {

const char *kBase = R"({"name": "base", "smmus": [{"name": "s0", "params": {"tlb_entries": 64},
  "domains": [{"name": "a", "stage": 1, "granule": 4096}], "masters": []}]})";

scenario with(const std::vector<std::string> &sets, const std::string &text = kBase) {
    return parse_scenario(apply_overrides(text, "base.json", sets), "base.json");
}

// The message of the scenario_error the overrides give, or "" when they apply and parse.
std::string error_of(const std::vector<std::string> &sets, const std::string &text = kBase) {
    try {
        with(sets, text);
    } catch (const scenario_error &e) {
        return e.what();
    }
    return "";
}

const smmu_cache_geom_t &tlb(const scenario &sc) {
    return sc.smmus[0].params.core.cache[SMMU_CACHE_TLB];
}

} // namespace

TEST(Set, NumberReplacesAnExistingValue) {
    EXPECT_EQ(tlb(with({})).entries, 64u);
    EXPECT_EQ(tlb(with({"/smmus/0/params/tlb_entries=256"})).entries, 256u);
}

TEST(Set, LaterOverrideOfTheSamePathWins) {
    EXPECT_EQ(
        tlb(with({"/smmus/0/params/tlb_entries=256", "/smmus/0/params/tlb_entries=32"})).entries,
        32u);
}

TEST(Set, MissingObjectsAlongThePathAreCreated) {
    scenario sc = with({"/smmus/0/params/cache/tlb/ways=8", "/smmus/0/timing/max_walks=2"});
    EXPECT_EQ(tlb(sc).ways, 8u);
    EXPECT_EQ(sc.smmus[0].params.timing.max_walks, 2u);
}

TEST(Set, ValueThatIsNotJsonIsTakenAsAString) {
    EXPECT_EQ(with({"/name=hello world"}).name, "hello world");
    EXPECT_EQ(tlb(with({"/smmus/0/params/cache/tlb/repl=random"})).repl, SMMU_REPL_RANDOM);
}

TEST(Set, QuotedJsonStringKeepsDigits) {
    // "0x20000" as a JSON string is the scenario's hex syntax for a number
    EXPECT_EQ(with({"/smmus/0/pool/size=\"0x20000\""}).smmus[0].pool_size, 0x20000u);
}

TEST(Set, JsonObjectValueReplacesASubtree) {
    scenario sc = with({R"(/smmus/0/params/cache={"tlb": {"ways": 2, "repl": "rr"}})",
                        "/smmus/0/params/tlb_entries=16"});
    EXPECT_EQ(tlb(sc).repl, SMMU_REPL_RR);
    EXPECT_EQ(tlb(sc).ways, 2u);
    EXPECT_EQ(tlb(sc).entries, 16u);
}

TEST(Set, DashAppendsToAnArray) {
    scenario sc = with({R"(/smmus/0/domains/-={"name": "b", "stage": 2})"});
    ASSERT_EQ(sc.smmus[0].domains.size(), 2u);
    EXPECT_EQ(sc.smmus[0].domains[1].name, "b");
    EXPECT_EQ(sc.smmus[0].domains[1].stage, 2u);
}

TEST(Set, ArrayElementByIndex) {
    EXPECT_EQ(with({"/smmus/0/domains/0/granule=65536"}).smmus[0].domains[0].granule, 65536u);
}

TEST(Set, TildeEscapesInKeys) {
    // RFC 6901: "~1" is '/', "~0" is '~'; a key with those characters can only be reached so
    nlohmann::json doc = nlohmann::json::object();
    apply_override(doc, parse_override("/a~1b/c~0d=1"));
    EXPECT_EQ(doc["a/b"]["c~d"], 1);
}

TEST(Set, IndexOutOfRangeNamesOptionAndIndex) {
    std::string e = error_of({"/smmus/3/name=x"});
    EXPECT_NE(e.find("--set /smmus/3/name=x"), std::string::npos) << e;
    EXPECT_NE(e.find("index 3 out of range (the array has 1 element)"), std::string::npos) << e;
}

TEST(Set, NonIndexIntoArrayIsRefused) {
    std::string e = error_of({"/smmus/first/name=x"});
    EXPECT_NE(e.find("--set /smmus/first/name=x: /smmus is an array; \"first\" is not an index"),
              std::string::npos)
        << e;
}

TEST(Set, PathThroughAScalarIsRefused) {
    std::string e = error_of({"/name/x=1"});
    EXPECT_NE(e.find("--set /name/x=1: /name is a string, not an object or array"),
              std::string::npos)
        << e;
}

TEST(Set, PathWithoutLeadingSlashIsRefused) {
    std::string e = error_of({"smmus/0/name=x"});
    EXPECT_NE(e.find("--set smmus/0/name=x: path \"smmus/0/name\" does not start with '/'"),
              std::string::npos)
        << e;
}

TEST(Set, MissingEqualsSignIsRefused) {
    std::string e = error_of({"/smmus/0/name"});
    EXPECT_NE(e.find("--set /smmus/0/name: expected PATH=VALUE"), std::string::npos) << e;
}

TEST(Set, BadTildeEscapeIsRefused) {
    std::string e = error_of({"/a~2b=1"});
    EXPECT_NE(e.find("bad escape"), std::string::npos) << e;
}

TEST(Set, MisspeltKeyIsReportedByTheScenarioCheck) {
    std::string e = error_of({"/smmus/0/params/tlb_entriez=8"});
    EXPECT_NE(e.find("base.json: smmus[0].params.tlb_entriez: unknown key"), std::string::npos)
        << e;
}

TEST(Set, AppliesToTheBuiltInDefault) {
    scenario sc = load_scenario_with_overrides("", {"/smmus/0/params/tlb_entries=8"});
    EXPECT_EQ(tlb(sc).entries, 8u);
    EXPECT_EQ(sc.source, "<built-in default>");
}

TEST(Set, ErrorAfterOverridesSaysSo) {
    try {
        load_scenario_with_overrides("", {"/smmus/0/params/tlb_entriez=8"});
        FAIL() << "no error";
    } catch (const scenario_error &e) {
        EXPECT_NE(std::string(e.what()).find("(after the --set overrides)"), std::string::npos);
    }
}

TEST(Set, MissingScenarioFileIsNamed) {
    try {
        load_scenario_with_overrides("/nonexistent/x.json", {"/name=a"});
        FAIL() << "no error";
    } catch (const scenario_error &e) {
        EXPECT_EQ(std::string(e.what()), "/nonexistent/x.json: cannot open the scenario file");
    }
}

// The sweepable keys of "params" and "timing" (docs/vp.md)

TEST(SweepKeys, CacheGeometryPerCache) {
    scenario sc = with({R"(/smmus/0/params/cache={"walk": {"entries": 96, "ways": 3,
        "repl": "rr"}, "ipa": {"enable": false}, "l1": {"entries": 64, "ways": 64}})"});
    const smmu_cache_geom_t *c = sc.smmus[0].params.core.cache;
    EXPECT_EQ(c[SMMU_CACHE_WALK].entries, 96u);
    EXPECT_EQ(c[SMMU_CACHE_WALK].ways, 3u);
    EXPECT_EQ(c[SMMU_CACHE_WALK].repl, SMMU_REPL_RR);
    EXPECT_FALSE(c[SMMU_CACHE_IPA].enable);
    EXPECT_EQ(c[SMMU_CACHE_L1].ways, 64u);
}

TEST(SweepKeys, FlatEntryKeysForEveryCache) {
    scenario sc =
        with({"/smmus/0/params/ipa_cache_entries=32", "/smmus/0/params/l1_cache_entries=8",
              "/smmus/0/params/walk_cache_entries=12", "/smmus/0/params/cache_seed=99",
              "/smmus/0/params/stream_stats_entries=4"});
    const smmu_params_t &p = sc.smmus[0].params.core;
    EXPECT_EQ(p.cache[SMMU_CACHE_IPA].entries, 32u);
    EXPECT_EQ(p.cache[SMMU_CACHE_L1].entries, 8u);
    EXPECT_EQ(p.cache[SMMU_CACHE_WALK].entries, 12u);
    EXPECT_EQ(p.cache_seed, 99u);
    EXPECT_EQ(p.stream_stats_entries, 4u);
}

TEST(SweepKeys, EntriesGivenTwiceIsAnError) {
    std::string e = error_of({"/smmus/0/params/cache/tlb/entries=128"});
    EXPECT_NE(e.find("smmus[0].params.cache.tlb.entries: also given as \"tlb_entries\""),
              std::string::npos)
        << e;
}

TEST(SweepKeys, EntriesNotAMultipleOfWaysIsAnError) {
    std::string e =
        error_of({"/smmus/0/params/tlb_entries=12", "/smmus/0/params/cache/tlb/ways=8"});
    EXPECT_NE(e.find("cache tlb: 12 entries is not a multiple of 8 ways"), std::string::npos) << e;
}

TEST(SweepKeys, WaysOutOfRangeIsAnError) {
    EXPECT_NE(error_of({"/smmus/0/params/cache/tlb/ways=0"}).find("ways: must be 1 to 64"),
              std::string::npos);
    EXPECT_NE(error_of({"/smmus/0/params/cache/tlb/ways=65"}).find("out of range (maximum 64)"),
              std::string::npos);
}

TEST(SweepKeys, UnknownReplacementPolicyIsAnError) {
    EXPECT_NE(error_of({"/smmus/0/params/cache/tlb/repl=fifo"}).find("must be lru, rr or random"),
              std::string::npos);
}

TEST(SweepKeys, UnknownCacheNameIsAnError) {
    EXPECT_NE(error_of({"/smmus/0/params/cache/tlbx/ways=2"}).find("cache.tlbx: unknown key"),
              std::string::npos);
}

TEST(SweepKeys, TimingSlotsAndLatencies) {
    scenario sc = with({"/smmus/0/timing/max_outstanding=3", "/smmus/0/timing/max_walks=1",
                        "/smmus/0/timing/tlb_lookup_ns=7", "/smmus/0/timing/irq_pulse_ns=4"});
    const smmu_tlm::timing_params &t = sc.smmus[0].params.timing;
    EXPECT_EQ(t.max_outstanding, 3u);
    EXPECT_EQ(t.max_walks, 1u);
    EXPECT_EQ(t.tlb_lookup, sc_core::sc_time(7, sc_core::SC_NS));
    EXPECT_EQ(t.irq_pulse, sc_core::sc_time(4, sc_core::SC_NS));
}

// Issue 18: each upstream port's micro-TLB (docs/tlm.md "Micro-TLB") is sweepable: entries (0:
// none) and lookup latency, under timing.
TEST(SweepKeys, MicroTlbEntriesAndLatency) {
    scenario sc = with({"/smmus/0/timing/utlb_entries=4", "/smmus/0/timing/utlb_latency_ns=5"});
    EXPECT_EQ(sc.smmus[0].params.utlb_entries, 4u);
    EXPECT_EQ(sc.smmus[0].params.timing.utlb_latency, sc_core::sc_time(5, sc_core::SC_NS));
    EXPECT_EQ(with({"/smmus/0/timing/utlb_entries=0"}).smmus[0].params.utlb_entries, 0u);
    EXPECT_EQ(with({}).smmus[0].params.utlb_entries, smmu_tlm::smmu_tlm_params().utlb_entries)
        << "the TLM default when the scenario does not say";
}

// The open choices (docs/choices.md): "choices" in "params", one key per choice, by --set.
TEST(SweepKeys, ChoicesProfileSeedAndOverrides) {
    scenario sc = with({"/smmus/0/params/choices/profile=random", "/smmus/0/params/choices/seed=7",
                        "/smmus/0/params/choices/cmd_res0=ignore"});
    const smmu_choices_t &c = sc.smmus[0].params.core.choices;
    EXPECT_EQ(c.profile, SMMU_PROFILE_RANDOM);
    EXPECT_EQ(c.seed, 7u);
    EXPECT_EQ(c.set[SMMU_CHOICE_CMD_RES0], 1 + SMMU_CMD_RES0_IGNORE);
    EXPECT_EQ(c.set[SMMU_CHOICE_REG64_PAIR], SMMU_CHOICE_FROM_PROFILE);
    EXPECT_EQ(with({}).smmus[0].params.core.choices.profile, SMMU_PROFILE_DEFAULT);
}

TEST(SweepKeys, ChoicesUnknownNameOrBehaviourIsAnError) {
    std::string e = error_of({"/smmus/0/params/choices/profile=paranoid"});
    EXPECT_NE(e.find("choices.profile: must be default, strict, lenient or random"),
              std::string::npos)
        << e;
    e = error_of({"/smmus/0/params/choices/cmd_res0=sometimes"});
    EXPECT_NE(e.find("choices.cmd_res0: must be one of: profile, ill, ignore"), std::string::npos)
        << e;
    e = error_of({"/smmus/0/params/choices/no_such=ill"});
    EXPECT_NE(e.find("choices.no_such: unknown key"), std::string::npos) << e;
}
