# SPDX-License-Identifier: Apache-2.0 OR MIT
# Runs one sample trace through smmu_vp (scenario from the trace header) and checks the JSON
# report: the run passed (under the protocol checkers: no TLM-2.0 base-protocol violation), every
# transaction of the trace was issued and none got an error.
# -DVP=smmu_vp -DTRACE=file.trace -DPROTO=lt|at -DOUT=report.json
execute_process(COMMAND ${VP} --trace ${TRACE} --protocol ${PROTO} --max-outstanding 8 --check-protocol
                        -q --json ${OUT}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "smmu_vp --trace ${TRACE} exited with ${rc}")
endif()
file(READ ${OUT} report)
file(STRINGS ${TRACE} lines REGEX "^[0-9]")
list(LENGTH lines expected)
string(JSON passed GET "${report}" passed)
string(JSON total GET "${report}" transactions)
string(JSON nflows LENGTH "${report}" flows)
string(JSON checkers GET "${report}" protocol_checkers)
string(JSON violations GET "${report}" protocol_violations)
set(errors 0)
math(EXPR last "${nflows} - 1")
foreach(i RANGE ${last})
  string(JSON e GET "${report}" flows ${i} errors)
  math(EXPR errors "${errors} + ${e}")
endforeach()
if(NOT passed STREQUAL "ON" AND NOT passed STREQUAL "true")
  message(FATAL_ERROR "report: passed = ${passed}")
endif()
if(checkers EQUAL 0 OR NOT violations EQUAL 0)
  message(FATAL_ERROR "${checkers} protocol checkers, ${violations} violations")
endif()
if(NOT total EQUAL expected)
  message(FATAL_ERROR "${total} transactions replayed, the trace has ${expected}")
endif()
if(NOT errors EQUAL 0)
  message(FATAL_ERROR "${errors} transactions got an error response")
endif()
message(STATUS "${TRACE}: ${total} transactions, 0 errors")
