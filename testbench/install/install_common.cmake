# Shared by the install checks (testbench/install, testbench/tlm/install): a fresh work
# directory and prefix, a command runner that fails with the command's output, and a check that
# an outside program ran and printed "outside: OK".
set(PREFIX ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
  set(RUN_OUT "${out}" PARENT_SCOPE)
endfunction()

function(expect_ok exe)
  set(ENV{SYSTEMC_DISABLE_COPYRIGHT_MESSAGE} 1)
  run("running ${exe}" ${exe})
  message(STATUS "${exe}:\n${RUN_OUT}")
  if(NOT RUN_OUT MATCHES "outside: OK")
    message(FATAL_ERROR "${exe} did not print the right result:\n${RUN_OUT}")
  endif()
endfunction()
