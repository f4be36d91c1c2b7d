# SPDX-License-Identifier: Apache-2.0 OR MIT
# Recorder -> replay: record the default scenario, replay the record on the same platform without
# its traffic masters, record that, and compare the outcomes stream by stream (smmu_trace compare).
# Both runs under the protocol checkers (a violation fails the run: exit code 1).
# -DVP=smmu_vp -DTOOL=smmu_trace -DOUT=work directory
file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${VP} --print-default OUTPUT_FILE ${OUT}/default.json RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "smmu_vp --print-default failed")
endif()
execute_process(COMMAND ${VP} ${OUT}/default.json -q --check-protocol --record ${OUT}/first.trace
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "recording the default scenario failed (${rc})")
endif()
file(READ ${OUT}/default.json scen)
string(JSON nsmmu LENGTH "${scen}" smmus)
math(EXPR last "${nsmmu} - 1")
foreach(i RANGE ${last})
  string(JSON scen REMOVE "${scen}" smmus ${i} masters)
endforeach()
file(WRITE ${OUT}/platform.json "${scen}")
# the expectations of the scenario (faults by event, stalls resumed) must hold for the replay too
execute_process(COMMAND ${VP} ${OUT}/platform.json --trace ${OUT}/first.trace -q --check-protocol
                        --record ${OUT}/second.trace RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "replaying the record failed (${rc})")
endif()
execute_process(COMMAND ${TOOL} compare ${OUT}/first.trace ${OUT}/second.trace
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "outcomes differ")
endif()
file(STRINGS ${OUT}/first.trace n1 REGEX "^[0-9]")
list(LENGTH n1 n)
if(n LESS 100)
  message(FATAL_ERROR "only ${n} translations recorded")
endif()
