# SPDX-License-Identifier: Apache-2.0 OR MIT
# Vp.LogWritesTracePoints: runs smmu_vp --log on the default scenario and checks that the log
# has one line per trace point of every kind the scenario causes, each "<ns> <smmu> <KIND> ...".
# The ports' micro-TLBs are off (docs/tlm.md "Micro-TLB"): their misses take the core's full path
# (smmu_translate_tags), so translations answered by the memo, "(memo)", appear only without them.
execute_process(COMMAND ${VP} --log ${LOG} -q --set /smmus/0/timing/utlb_entries=0
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "smmu_vp --log exited ${rc}")
endif()
file(STRINGS ${LOG} lines)
list(LENGTH lines n)
if(n LESS 500)
  message(FATAL_ERROR "only ${n} lines in ${LOG}")
endif()
file(READ ${LOG} text)
foreach(kind "REG_WRITE 0x00020" "REG_READ 0x00024" "CMD CMD_CFGI_STE" "CMD CMD_SYNC"
             "STE_FETCH sid" "CD_FETCH sid" "WALK_STEP s1 l0" "WALK_STEP s2" "CACHE_FILL TLB"
             "XLATE R" "XLATE W" "(memo)" "fault F_TRANSLATION" "EVENT F_TRANSLATION"
             "STALL sid" "STALL_END sid" "IRQ ")
  string(FIND "${text}" "${kind}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "no '${kind}' line in ${LOG}")
  endif()
endforeach()
list(GET lines 0 first)
if(NOT first MATCHES "^[0-9]+ [A-Za-z0-9_.]+ [A-Z_]+ ")
  message(FATAL_ERROR "a line is not '<ns> <smmu> <KIND> ...': ${first}")
endif()
message(STATUS "${n} trace point lines")
