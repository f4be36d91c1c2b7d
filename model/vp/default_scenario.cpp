// SPDX-License-Identifier: Apache-2.0 OR MIT
// The built-in default scenario (what `smmu_vp` runs without arguments; `--print-default` shows
// it). One SMMU, seven streams: bypass, stage 1 with three SubstreamIDs, stage 2, nested, a
// stream that faults, a stream that stalls and is resumed once the host has mapped the page, and
// a stream whose STE aborts everything.
#include "scenario.h"

namespace smmu_vp {

const std::string &default_scenario_json() {
    static const std::string text = R"JSON({
  "name": "default",
  "duration_ns": 2000000,
  "protocol_checkers": false,
  "memory": {"base": "0x0", "size": "0x10000000000", "read_latency_ns": 20,
             "write_latency_ns": 20, "dmi": true},
  "interconnect": {"latency_ns": 2},
  "host": {"poll_ns": 5, "service_ns": 1000},
  "smmus": [{
    "name": "smmu0",
    "reg_base": "0x10000000000",
    "params": {"sidsize": 16, "ssidsize": 8, "stall_model": "both"},
    "timing": {"cfg_lookup_ns": 2, "tlb_lookup_ns": 1, "walk_cache_lookup_ns": 2,
               "per_command_ns": 10, "reg_access_ns": 1, "max_outstanding": 16, "max_walks": 4},
    "pool": {"base": "0x80000000", "size": "0x4000000"},
    "sid_bits": 8,
    "domains": [
      {"name": "pasid1", "stage": 1, "id": 1,
       "map": [{"iova": "0x10000000", "pa": "0x40000000", "size": "0x10000", "prot": "rw"}]},
      {"name": "pasid2", "stage": 1, "id": 2,
       "map": [{"iova": "0x10000000", "pa": "0x41000000", "size": "0x10000", "prot": "rw"}]},
      {"name": "pasid3", "stage": 1, "id": 3,
       "map": [{"iova": "0x20000000", "pa": "0x42000000", "size": "0x200000", "prot": "rw"}]},
      {"name": "vm", "stage": 2, "id": 1, "ias": 40,
       "map": [{"iova": "0x10000000", "pa": "0x43000000", "size": "0x100000", "prot": "rw"}]},
      {"name": "guest_s1", "stage": 1, "id": 4, "oas": 40,
       "map": [{"iova": "0x50000000", "pa": "0x20000000", "size": "0x10000", "prot": "rw"}]},
      {"name": "guest_s2", "stage": 2, "id": 2, "ias": 40,
       "map": [{"iova": "0x20000000", "pa": "0x44000000", "size": "0x10000", "prot": "rw"}]},
      {"name": "faulty", "stage": 1, "id": 5,
       "map": [{"iova": "0x10000000", "pa": "0x45000000", "size": "0x1000", "prot": "rw"}]},
      {"name": "paged", "stage": 1, "id": 6,
       "map_on_fault": [{"iova": "0x30000000", "pa": "0x46000000", "size": "0x4000",
                         "prot": "rw"}]}
    ],
    "streams": [
      {"sid": 1, "attach": "bypass"},
      {"sid": 2, "attach": "s1", "ssid_bits": 4,
       "pasids": {"1": "pasid1", "2": "pasid2", "3": "pasid3"}},
      {"sid": 3, "attach": "s2", "s2_domain": "vm"},
      {"sid": 4, "attach": "nested", "domain": "guest_s1", "s2_domain": "guest_s2"},
      {"sid": 5, "attach": "s1", "domain": "faulty"},
      {"sid": 6, "attach": "s1", "domain": "paged", "stall": true},
      {"sid": 7, "attach": "abort"}
    ],
    "masters": [
      {"name": "dma", "protocol": "lt", "interval_ns": 10, "flows": [
        {"name": "bypass", "sid": 1, "pattern": "sequential", "base": "0x47000000",
         "size": "0x4000", "burst": 64, "write_ratio": 0.5, "seed": 1, "count": 64,
         "expect_ok": 64, "expect_errors": 0}]},
      {"name": "accel", "protocol": "at", "max_outstanding": 4, "interval_ns": 5, "flows": [
        {"name": "s1_pasid1", "sid": 2, "ssid": 1, "pattern": "sequential",
         "base": "0x10000000", "size": "0x10000", "burst": 128, "count": 64,
         "expect_ok": 64, "expect_errors": 0},
        {"name": "s1_pasid2", "sid": 2, "ssid": 2, "pattern": "strided", "stride": "0x1000",
         "base": "0x10000000", "size": "0x10000", "burst": 64, "write_ratio": 1.0, "count": 32,
         "expect_ok": 32, "expect_errors": 0},
        {"name": "s1_pasid3", "sid": 2, "ssid": 3, "pattern": "random", "base": "0x20000000",
         "size": "0x200000", "burst": 256, "write_ratio": 0.3, "seed": 7, "count": 32,
         "expect_ok": 32, "expect_errors": 0}]},
      {"name": "vm_nic", "protocol": "lt", "flows": [
        {"name": "s2", "sid": 3, "pattern": "random", "base": "0x10000000", "size": "0x100000",
         "burst": 64, "write_ratio": 0.5, "seed": 3, "count": 48,
         "expect_ok": 48, "expect_errors": 0}]},
      {"name": "guest_gpu", "protocol": "at", "max_outstanding": 2, "flows": [
        {"name": "nested", "sid": 4, "pattern": "sequential", "base": "0x50000000",
         "size": "0x10000", "burst": 256, "count": 32, "expect_ok": 32, "expect_errors": 0}]},
      {"name": "buggy", "protocol": "lt", "flows": [
        {"name": "fault", "sid": 5, "pattern": "sequential", "base": "0x10000000",
         "size": "0x2000", "burst": 1024, "count": 8, "expect_ok": 4, "expect_errors": 4}]},
      {"name": "pager", "protocol": "lt", "flows": [
        {"name": "stall", "sid": 6, "pattern": "sequential", "base": "0x30000000",
         "size": "0x4000", "burst": 256, "count": 32, "expect_ok": 32, "expect_errors": 0}]},
      {"name": "rogue", "protocol": "lt", "flows": [
        {"name": "abort", "sid": 7, "pattern": "sequential", "base": "0x40000000",
         "size": "0x1000", "burst": 64, "count": 4, "expect_ok": 0, "expect_errors": 4}]}
    ],
    "expect_faults": {"F_TRANSLATION": 4},
    "expect_stalls_resumed": 1
  }]
}
)JSON";
    return text;
}

} // namespace smmu_vp
