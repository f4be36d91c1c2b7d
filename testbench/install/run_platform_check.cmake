# SPDX-License-Identifier: Apache-2.0 OR MIT
# Runs the platform install check (see CMakeLists.txt here). Fails with a message on the first
# problem. -DBUILD_DIR -DWORK_DIR -DSRC_DIR (testbench/install) -DSOURCE_ROOT -DLIBDIR -DBINDIR
# -DSAMPLESDIR -DSWEEPDIR -DDOCDIR -DCC -DCXX -DGENERATOR -DVERSION -DEXTRA_FLAGS
include(${CMAKE_CURRENT_LIST_DIR}/install_common.cmake)

# 1. Install the current build; everything a user runs or links is there.
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})
set(SAMPLES ${PREFIX}/${SAMPLESDIR})
set(DOCS ${PREFIX}/${DOCDIR})
foreach(f ${BINDIR}/smmu_vp ${BINDIR}/smmu_trace ${BINDIR}/smmu_sweep
          ${LIBDIR}/libsmmu.a ${LIBDIR}/libsmmu_tlm.a ${LIBDIR}/libsmmu_trace.a
          ${LIBDIR}/libsmmu_model.a include/smmu/smmu.h include/smmu/trace.h
          include/smmu_tlm/smmu_tlm.h include/smmu_model/memory.h include/smmu_model/router.h
          ${LIBDIR}/pkgconfig/smmu.pc ${LIBDIR}/pkgconfig/smmu_tlm.pc
          ${LIBDIR}/pkgconfig/smmu_trace.pc ${LIBDIR}/pkgconfig/smmu_model.pc
          ${LIBDIR}/cmake/smmu_trace/smmu_traceConfig.cmake
          ${LIBDIR}/cmake/smmu_model/smmu_modelConfig.cmake
          ${SAMPLESDIR}/nic_rx.trace ${SAMPLESDIR}/nic_rx.json ${SWEEPDIR}/small.json
          ${DOCDIR}/README.md ${DOCDIR}/docs/vp.md ${DOCDIR}/traces/FORMAT.md
          ${DOCDIR}/tools/sweep/README.md)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "not installed: ${PREFIX}/${f}")
  endif()
endforeach()

# 2. An outside SystemC platform (memory and router of smmu_model, the SMMU of smmu_tlm), built
#    with pkg-config: smmu_model.pc requires smmu_tlm, smmu_trace, smmu (same prefix), systemc.
check_pkg_config(smmu_model ${CXX} c++17 ${SRC_DIR}/outside_platform.cpp)
run("pkg-config smmu_trace" pkg-config --libs smmu_trace)
if(NOT RUN_OUT MATCHES "-lsmmu_trace")
  message(FATAL_ERROR "pkg-config --libs smmu_trace: ${RUN_OUT}")
endif()

# 3. The same platform through find_package(smmu_model) from a separate CMake project.
check_find_package(${SRC_DIR}/outside_platform_cmake CXX)

# 4. The installed tools, run from an empty directory outside the source tree, with nothing of
#    the source or build tree in the environment: they find the installed samples and docs.
set(CWD ${WORK_DIR}/cwd)
file(MAKE_DIRECTORY ${CWD})
unset(ENV{SMMU_VP})
set(ENV{SYSTEMC_DISABLE_COPYRIGHT_MESSAGE} 1)
set(BIN ${PREFIX}/${BINDIR})
# Paths the tools would read if they used the source tree (the build tree holds the prefix).
set(SOURCE_PATHS ${SOURCE_ROOT}/traces/ ${SOURCE_ROOT}/docs/ ${SOURCE_ROOT}/tools/
    ${SOURCE_ROOT}/README.md)

# Fails with "<problem> (<path>)" and the text when the text names one of SOURCE_PATHS.
function(expect_no_source_path problem text)
  foreach(p ${SOURCE_PATHS})
    string(FIND "${text}" "${p}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${problem} (${p}):\n${text}")
    endif()
  endforeach()
endfunction()
function(tool what)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${CWD} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
  expect_no_source_path("${what} refers to the source tree" "${out}\n${err}")
  set(OUT "${out}" PARENT_SCOPE)
endfunction()
function(expect what regex)
  if(NOT OUT MATCHES "${regex}")
    message(FATAL_ERROR "${what}: no match for \"${regex}\" in:\n${OUT}")
  endif()
endfunction()
# PREFIX, SAMPLES, DOCS as regular expressions
foreach(v PREFIX SAMPLES DOCS)
  string(REGEX REPLACE "([][+.*()^$?|])" "\\\\\\1" ${v}_RE "${${v}}")
endforeach()

tool("smmu_vp --version" ${BIN}/smmu_vp --version)
expect("smmu_vp --version" "^smmu_vp ${VERSION}\n$")
tool("smmu_vp --help" ${BIN}/smmu_vp --help)
expect("smmu_vp --help" "Usage: smmu_vp")
expect("smmu_vp --help" "--list-samples")
expect("smmu_vp --help" "Documentation:\n  ${DOCS_RE}/docs/vp\\.md")
tool("smmu_vp --list-samples" ${BIN}/smmu_vp --list-samples)
expect("smmu_vp --list-samples" "^${SAMPLES_RE}\n")
expect("smmu_vp --list-samples" "  nic_rx\\.trace\n")
# A sample trace by name: the trace from the installed samples, and through its header the
# scenario next to it (relative path).
set(VP_RUN ${BIN}/smmu_vp --trace nic_rx.trace --protocol at --json ${CWD}/report.json)
find_program(STRACE strace)
if(STRACE)
  # Every file the run opens: none in the source tree. (LeakSanitizer cannot run under ptrace:
  # off for this run of a sanitizer build.)
  set(asan_options "$ENV{ASAN_OPTIONS}")
  set(ENV{ASAN_OPTIONS} "${asan_options}:detect_leaks=0")
  execute_process(COMMAND ${STRACE} -f -qq -e trace=open,openat,stat,newfstatat,access
                          -o ${CWD}/strace.log ${VP_RUN}
                  WORKING_DIRECTORY ${CWD} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  set(ENV{ASAN_OPTIONS} "${asan_options}")
  if(rc EQUAL 0 AND EXISTS ${CWD}/strace.log)
    file(READ ${CWD}/strace.log opened)
    expect_no_source_path("the installed smmu_vp touched the source tree" "${opened}")
    string(FIND "${opened}" "${SAMPLES}/nic_rx.json" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "the installed smmu_vp did not open ${SAMPLES}/nic_rx.json")
    endif()
    message(STATUS "strace: the installed smmu_vp opened nothing in the source tree")
  else()
    message(STATUS "strace cannot trace here (${rc}); checking the report only")
  endif()
endif()
tool("smmu_vp --trace nic_rx.trace" ${VP_RUN})
expect("smmu_vp --trace nic_rx.trace"
       "scenario \"nic_rx\" \\(${SAMPLES_RE}/nic_rx\\.json\\)")
expect("smmu_vp --trace nic_rx.trace" "PASS: every expectation holds")
file(READ ${CWD}/report.json report)
string(JSON n GET "${report}" transactions)
if(NOT n EQUAL 3000)
  message(FATAL_ERROR "smmu_vp --trace nic_rx.trace: ${n} transactions, expected 3000")
endif()
message(STATUS "installed smmu_vp: nic_rx.trace from ${SAMPLES}, ${n} transactions, PASS")
# A sample scenario by name (no masters: it programs the SMMU and passes).
tool("smmu_vp nic_rx" ${BIN}/smmu_vp nic_rx -q)

tool("smmu_trace --version" ${BIN}/smmu_trace --version)
expect("smmu_trace --version" "^smmu_trace ${VERSION}\n$")
tool("smmu_trace --help" ${BIN}/smmu_trace --help)
expect("smmu_trace --help" "${DOCS_RE}/traces/FORMAT\\.md")
tool("smmu_trace check" ${BIN}/smmu_trace check ${SAMPLES}/nic_rx.trace ${SAMPLES}/sg_dma.trace)
expect("smmu_trace check" "nic_rx\\.trace: OK, 3000 transactions")

tool("smmu_sweep --version" ${BIN}/smmu_sweep --version)
expect("smmu_sweep --version" "^smmu_sweep ${VERSION}\n$")
tool("smmu_sweep --help" ${BIN}/smmu_sweep --help)
expect("smmu_sweep --help" "${DOCS_RE}/tools/sweep/README\\.md")
tool("smmu_sweep --list-samples" ${BIN}/smmu_sweep --list-samples)
expect("smmu_sweep --list-samples" "small\\.json")
foreach(sweep small.json ${PREFIX}/share/smmuv3/sweep/small.json)
  tool("smmu_sweep plan ${sweep}" ${BIN}/smmu_sweep plan ${sweep})
  expect("smmu_sweep plan" "^small: 6 inputs x 12 combinations = 72 runs\n")
  # the installed smmu_vp next to it, the installed sample traces
  expect("smmu_sweep plan"
         "0000-nic_rx  ${PREFIX_RE}/${BINDIR}/smmu_vp --trace ${SAMPLES_RE}/nic_rx\\.trace ")
endforeach()
message(STATUS "installed tools: --version, --help, --list-samples, smmu_vp on a sample, "
               "smmu_trace check, smmu_sweep plan: OK")
