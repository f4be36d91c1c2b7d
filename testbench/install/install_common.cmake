# SPDX-License-Identifier: Apache-2.0 OR MIT
# Shared by the install checks (testbench/install, testbench/tlm/install): a fresh work
# directory and prefix, pkg-config looking in that prefix first, a command runner that fails with
# the command's output, a check that an outside program ran and printed "outside: OK", and the
# two ways a user builds against the install (pkg-config, find_package).
# -DWORK_DIR -DLIBDIR -DCC -DCXX -DGENERATOR -DEXTRA_FLAGS (smmu_add_install_check() in
# testbench/install/CMakeLists.txt passes them).
set(PREFIX ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# The installed .pc files find their prefix from their own location, so an install into any
# prefix works; they come before any others (the Requires of smmu_tlm and smmu_model name the
# sibling packages of the same install, and systemc from the system).
if(DEFINED ENV{PKG_CONFIG_PATH})
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig:$ENV{PKG_CONFIG_PATH}")
else()
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig")
endif()

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

# An outside program compiled by hand with what `pkg-config --cflags --libs <package>` prints,
# exactly as a user runs it; then run. std: c11 or c++17.
function(check_pkg_config package compiler std source)
  run("pkg-config" pkg-config --cflags --libs ${package})
  string(STRIP "${RUN_OUT}" pc_flags)
  separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
  separate_arguments(xflags UNIX_COMMAND "${EXTRA_FLAGS}")
  run("compiling with pkg-config flags" ${compiler} -std=${std} -Wall -Werror ${xflags} ${source}
      ${pc_flags} -o ${WORK_DIR}/outside_pc)
  expect_ok(${WORK_DIR}/outside_pc)
endfunction()

# A separate CMake project (its executable is `outside`) that finds the install through
# CMAKE_PREFIX_PATH and find_package(); configured, built and run. lang: C or CXX, the language
# that gets EXTRA_FLAGS.
function(check_find_package project lang)
  set(compilers -DCMAKE_C_COMPILER=${CC})
  if(lang STREQUAL "CXX")
    list(APPEND compilers -DCMAKE_CXX_COMPILER=${CXX})
  endif()
  run("configuring the find_package project" ${CMAKE_COMMAND} -S ${project}
      -B ${WORK_DIR}/cmake-build -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${PREFIX} ${compilers}
      "-DCMAKE_${lang}_FLAGS=${EXTRA_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${EXTRA_FLAGS}")
  run("building the find_package project" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-build)
  expect_ok(${WORK_DIR}/cmake-build/outside)
endfunction()
