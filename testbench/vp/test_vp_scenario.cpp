// SPDX-License-Identifier: Apache-2.0 OR MIT
// Scenario files: the default parses into what docs/vp.md says it exercises, and every malformed
// file is refused with a message naming the file, the place and the problem. No elaboration.
#include <string>

#include "scenario.h"
#include "vp_test_main.h"

using namespace smmu_vp;

namespace {

// The message of the scenario_error text gives, or "" when it parses.
std::string error_of(const std::string &text, const std::string &file = "s.json") {
    try {
        parse_scenario(text, file);
    } catch (const scenario_error &e) {
        return e.what();
    }
    return "";
}

// A minimal valid scenario with `stream` as the only stream and `extra` domain/master text.
std::string one_stream(const std::string &stream, const std::string &master = "") {
    return R"({"smmus": [{"domains": [{"name": "a", "stage": 1}, {"name": "v", "stage": 2}],
               "streams": [)" +
           stream + R"(], "masters": [)" + master + "]}]}";
}

} // namespace

TEST(Scenario, DefaultExercisesEveryAttachKind) {
    scenario sc = default_scenario();
    ASSERT_EQ(sc.smmus.size(), 1u);
    bool seen[5] = {};
    for (const stream_cfg &s : sc.smmus[0].streams)
        seen[static_cast<int>(s.attach)] = true;
    for (bool b : seen)
        EXPECT_TRUE(b);
    bool stall = false, pasids = false;
    for (const stream_cfg &s : sc.smmus[0].streams) {
        stall |= s.stall;
        pasids |= s.pasids.size() >= 2;
    }
    EXPECT_TRUE(stall);
    EXPECT_TRUE(pasids);
    EXPECT_EQ(sc.source, "<built-in default>");
}

TEST(Scenario, NumbersAsHexStrings) {
    scenario sc = parse_scenario(
        R"({"memory": {"base": "0x1000", "size": 65536}, "smmus": [{"reg_base": "0x100000"}]})",
        "x.json");
    EXPECT_EQ(sc.mem_base, 0x1000u);
    EXPECT_EQ(sc.mem_size, 65536u);
    EXPECT_EQ(sc.smmus[0].reg_base, 0x100000u);
}

TEST(Scenario, MasterPortSidDefaultsToFirstFlow) {
    scenario sc = parse_scenario(one_stream(R"({"sid": 3, "attach": "bypass"})",
                                            R"({"name": "m", "flows": [{"sid": 3, "base": 0}]})"),
                                 "x.json");
    ASSERT_EQ(sc.smmus[0].masters.size(), 1u);
    EXPECT_EQ(sc.smmus[0].params.n_upstream, 1u);
    EXPECT_EQ(sc.smmus[0].params.default_sid.at(0), 3u);
}

TEST(ScenarioError, MissingFileNamesIt) {
    try {
        load_scenario("/nonexistent/dir/scn.json");
        FAIL() << "no error";
    } catch (const scenario_error &e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/scn.json: cannot open"),
                  std::string::npos)
            << e.what();
    }
}

TEST(ScenarioError, SyntaxErrorNamesFile) {
    std::string e = error_of("{\"smmus\": [", "broken.json");
    EXPECT_EQ(e.rfind("broken.json: not valid JSON", 0), 0u) << e;
}

TEST(ScenarioError, UnknownKeyNamesPathAndAlternatives) {
    std::string e = error_of(R"({"smmus": [{"tming": {}}]})");
    EXPECT_EQ(e.rfind("s.json: smmus[0].tming: unknown key (expected one of: name,", 0), 0u) << e;
}

TEST(ScenarioError, MissingSmmus) {
    EXPECT_EQ(error_of("{}"), "s.json: (top level): missing required key \"smmus\"");
}

TEST(ScenarioError, BadAttachKind) {
    std::string e = error_of(one_stream(R"({"sid": 1, "attach": "stage3"})"));
    EXPECT_EQ(e, "s.json: smmus[0].streams[0].attach: \"stage3\" is not one of bypass, s1, s2, "
                 "nested, abort");
}

TEST(ScenarioError, UnknownDomain) {
    std::string e = error_of(one_stream(R"({"sid": 1, "attach": "s1", "domain": "zz"})"));
    EXPECT_EQ(e, "s.json: smmus[0].streams[0].domain: no domain named \"zz\" in this SMMU's "
                 "\"domains\"");
}

TEST(ScenarioError, DomainOfWrongStage) {
    std::string e = error_of(one_stream(R"({"sid": 1, "attach": "s2", "s2_domain": "a"})"));
    EXPECT_NE(e.find("streams[0].s2_domain: domain \"a\" is stage 1, stage 2 needed"),
              std::string::npos)
        << e;
}

TEST(ScenarioError, SubstreamIdWiderThanSsidBits) {
    std::string e =
        error_of(one_stream(R"({"sid": 1, "attach": "s1", "ssid_bits": 2, "pasids": {"4": "a"}})"));
    EXPECT_EQ(e, "s.json: smmus[0].streams[0].pasids.4: SubstreamID does not fit in ssid_bits = 2");
}

TEST(ScenarioError, BadNumberString) {
    std::string e = error_of(R"({"smmus": [{"reg_base": "0xZZ"}]})");
    EXPECT_EQ(e, "s.json: smmus[0].reg_base: \"0xZZ\" is not an unsigned integer");
}

TEST(ScenarioError, WriteRatioOutOfRange) {
    std::string e = error_of(
        one_stream(R"({"sid": 1, "attach": "bypass"})",
                   R"({"name": "m", "flows": [{"sid": 1, "base": 0, "write_ratio": 1.5}]})"));
    EXPECT_NE(e.find("smmus[0].masters[0].flows[0].write_ratio: out of range"), std::string::npos)
        << e;
}

TEST(ScenarioError, UnknownPattern) {
    std::string e = error_of(
        one_stream(R"({"sid": 1, "attach": "bypass"})",
                   R"({"name": "m", "flows": [{"sid": 1, "base": 0, "pattern": "zigzag"}]})"));
    EXPECT_EQ(e, "s.json: smmus[0].masters[0].flows[0].pattern: \"zigzag\" is not one of "
                 "sequential, strided, random");
}

TEST(ScenarioError, UnknownExpectedEventName) {
    std::string e = error_of(R"({"smmus": [{"expect_faults": {"F_NOPE": 1}}]})");
    EXPECT_NE(e.find("smmus[0].expect_faults.F_NOPE: not an event name"), std::string::npos) << e;
}

TEST(ScenarioError, RegisterFrameOverlapsMemory) {
    std::string e = error_of(R"({"smmus": [{"reg_base": "0x10000"}]})");
    EXPECT_EQ(e, "s.json: smmus[0].reg_base: register frame overlaps the memory");
}

TEST(ScenarioError, StallOnlyForTranslatingStreams) {
    std::string e = error_of(one_stream(R"({"sid": 1, "attach": "bypass", "stall": true})"));
    EXPECT_EQ(e, "s.json: smmus[0].streams[0].stall: only streams attached s1, s2 or nested can "
                 "stall");
}

TEST(ScenarioError, ShippedMalformedFile) {
    try {
        load_scenario(SMMU_VP_TEST_DIR "/scenarios/malformed.json");
        FAIL() << "no error";
    } catch (const scenario_error &e) {
        std::string m = e.what();
        EXPECT_NE(m.find("malformed.json: smmus[0].streams[1].attach: \"stage3\""),
                  std::string::npos)
            << m;
    }
}

// --no-smmu: the output addresses direct_map gives are the ones the SMMU would give.
TEST(Scenario, DirectMapTranslatesLikeTheConfiguration) {
    scenario sc = parse_scenario(R"({"smmus": [{
        "domains": [
          {"name": "a", "stage": 1, "map": [{"iova": "0x10000", "pa": "0x200000", "size": "0x10000"},
                                            {"iova": "0x40000", "pa": "0x500000", "size": "0x20000"}]},
          {"name": "b", "stage": 1, "map": [{"iova": "0x10000", "pa": "0x300000", "size": "0x10000"}]},
          {"name": "v", "stage": 2, "map": [{"iova": "0x200000", "pa": "0x900000", "size": "0x10000"}]}],
        "streams": [
          {"sid": 1, "attach": "bypass"},
          {"sid": 2, "attach": "s1", "domain": "a"},
          {"sid": 3, "attach": "s2", "s2_domain": "v"},
          {"sid": 4, "attach": "nested", "domain": "a", "s2_domain": "v"},
          {"sid": 5, "attach": "abort"},
          {"sid": 6, "attach": "s1", "ssid_bits": 2, "s1dss": "bypass", "domain": "a",
           "pasids": {"1": "b"}},
          {"sid": 7, "attach": "s1", "ssid_bits": 2, "s1dss": "terminate", "domain": "a"}]}]})",
                                 "d.json");
    const direct_map dm(sc.smmus[0]);
    uint64_t pa = 0;
    auto xl = [&](uint32_t sid, bool ssv, uint32_t ssid, uint64_t a) {
        pa = 0;
        return dm.translate(sid, ssv, ssid, a, pa);
    };
    EXPECT_TRUE(xl(1, false, 0, 0x1234));
    EXPECT_EQ(pa, 0x1234u);
    EXPECT_TRUE(xl(2, false, 0, 0x10abc));
    EXPECT_EQ(pa, 0x200abcu);
    EXPECT_TRUE(xl(2, false, 0, 0x5fff8)); // the last bytes of the second mapping
    EXPECT_EQ(pa, 0x51fff8u);
    EXPECT_FALSE(xl(2, false, 0, 0x20000)); // between mappings
    EXPECT_FALSE(xl(2, false, 0, 0xfff));   // below the first
    EXPECT_TRUE(xl(3, false, 0, 0x200010));
    EXPECT_EQ(pa, 0x900010u);
    EXPECT_TRUE(xl(4, false, 0, 0x10010)); // a -> 0x200010 -> v
    EXPECT_EQ(pa, 0x900010u);
    EXPECT_FALSE(xl(4, false, 0, 0x40000)); // stage 1 maps it, stage 2 does not
    EXPECT_FALSE(xl(5, false, 0, 0x1000));
    EXPECT_FALSE(xl(9, false, 0, 0x1000)); // no such stream
    EXPECT_TRUE(xl(6, true, 1, 0x10040));  // PASID 1: domain b
    EXPECT_EQ(pa, 0x300040u);
    EXPECT_TRUE(xl(6, true, 0, 0x10040)); // SubstreamID 0: the stream's domain
    EXPECT_EQ(pa, 0x200040u);
    EXPECT_FALSE(xl(6, true, 2, 0x10040)); // no CD for it
    EXPECT_TRUE(xl(6, false, 0, 0x777));   // S1DSS bypass
    EXPECT_EQ(pa, 0x777u);
    EXPECT_FALSE(xl(7, false, 0, 0x10040)); // S1DSS terminate
}
