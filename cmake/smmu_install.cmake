# SPDX-License-Identifier: Apache-2.0 OR MIT
# What `cmake --install` puts next to the libraries (which their own CMakeLists.txt install with
# smmu_install_library(), below):
#
#   bin/                      smmu_vp, smmu_trace, smmu_sweep
#   share/smmuv3/samples/     the sample traces and their scenarios (traces/samples/)
#   share/smmuv3/sweep/       the example sweep files (tools/sweep/examples/)
#   lib/cmake/smmuv3/         the package of all the libraries, by component:
#                             find_package(smmuv3 CONFIG REQUIRED COMPONENTS tlm cosim)
#                             (cmake/smmuv3Config.cmake.in)
#   share/doc/smmuv3/         README.md, docs/*.md, traces/README.md, traces/FORMAT.md,
#                             tools/sweep/README.md (the source tree's layout, so the docs'
#                             references such as docs/vp.md hold there too)
#
# The executables find the samples and the docs relative to their own location (an install can
# be moved), and the source tree's when they run from the build tree: smmu_tool_info() gives a
# target the definitions tools/common/smmu_tool_info.h reads.
# Included from the top-level CMakeLists.txt after GNUInstallDirs and before the libraries'
# directories, which call smmu_install_library().

set(SMMU_INSTALL_SAMPLESDIR ${CMAKE_INSTALL_DATADIR}/smmuv3/samples)
set(SMMU_INSTALL_SWEEPDIR ${CMAKE_INSTALL_DATADIR}/smmuv3/sweep)
set(SMMU_INSTALL_DOCDIR ${CMAKE_INSTALL_DOCDIR}) # share/doc/smmuv3 (the project's name)

include(CMakePackageConfigHelpers) # for smmu_install_library()

# Paths from bin/ to the data, for executables that find it from their own location.
function(smmu_rel_from_bindir out dir)
  if(IS_ABSOLUTE "${dir}")
    set(full "${dir}")
  else()
    set(full "${CMAKE_INSTALL_PREFIX}/${dir}")
  endif()
  file(RELATIVE_PATH rel "${CMAKE_INSTALL_FULL_BINDIR}" "${full}")
  set(${out} "${rel}" PARENT_SCOPE)
endfunction()
smmu_rel_from_bindir(SMMU_REL_SAMPLESDIR ${SMMU_INSTALL_SAMPLESDIR})
smmu_rel_from_bindir(SMMU_REL_SWEEPDIR ${SMMU_INSTALL_SWEEPDIR})
smmu_rel_from_bindir(SMMU_REL_DOCDIR ${SMMU_INSTALL_DOCDIR})

# An executable's version, installed data locations and build-tree locations.
function(smmu_tool_info tgt)
  target_include_directories(${tgt} PRIVATE ${PROJECT_SOURCE_DIR}/tools/common)
  target_compile_definitions(${tgt} PRIVATE
    SMMU_TOOL_VERSION="${PROJECT_VERSION}"
    SMMU_TOOL_REL_SAMPLES="${SMMU_REL_SAMPLESDIR}"
    SMMU_TOOL_REL_DOCS="${SMMU_REL_DOCDIR}"
    SMMU_TOOL_BUILD_DIR="$<TARGET_FILE_DIR:${tgt}>"
    SMMU_TOOL_SOURCE_SAMPLES="${PROJECT_SOURCE_DIR}/traces/samples"
    SMMU_TOOL_SOURCE_DOCS="${PROJECT_SOURCE_DIR}")
endfunction()

# A library's package, the same for libsmmu, smmu_trace, smmu_tlm, smmu_model and smmu_cosim:
#   lib/lib<name>.a (and any shared library among TARGETS), its public headers,
#   lib/cmake/<name>/ with <name>Config.cmake, <name>ConfigVersion.cmake (SameMajorVersion) and
#   <name>Targets.cmake (find_package(<name>) gives smmu::<target>), and lib/pkgconfig/<name>.pc.
# <name>Config.cmake.in and <name>.pc.in sit next to the calling CMakeLists.txt. The .pc file is
# relocatable: <name>.pc.in starts with prefix=${pcfiledir}/@SMMU_PC_TO_PREFIX@, the path from
# lib/pkgconfig back to the prefix, so an install works wherever it is moved.
#
#   smmu_install_library(<name>
#                        [TARGETS <target>...]  # default: the target <name>
#                        HEADERS_DIR <dir>      # <dir>/*.h into include/<last part of dir>/
#                        [HEADERS_EXCLUDE <file>...] # headers of <dir> not installed
#                        [CMAKE_FILES <file>...])    # more files into lib/cmake/<name>/
function(smmu_install_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "HEADERS_DIR" "TARGETS;HEADERS_EXCLUDE;CMAKE_FILES")
  if(arg_UNPARSED_ARGUMENTS OR NOT arg_HEADERS_DIR)
    message(FATAL_ERROR "smmu_install_library(${name} [TARGETS ...] HEADERS_DIR <dir>): "
                        "${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_TARGETS)
    set(arg_TARGETS ${name})
  endif()
  set(cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/${name})

  install(TARGETS ${arg_TARGETS} EXPORT ${name}Targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  set(excluded "")
  foreach(h ${arg_HEADERS_EXCLUDE})
    list(APPEND excluded PATTERN ${h} EXCLUDE)
  endforeach()
  install(DIRECTORY ${arg_HEADERS_DIR} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          FILES_MATCHING PATTERN "*.h" ${excluded})
  install(EXPORT ${name}Targets NAMESPACE smmu:: DESTINATION ${cmakedir})

  configure_package_config_file(${CMAKE_CURRENT_SOURCE_DIR}/${name}Config.cmake.in
    ${CMAKE_CURRENT_BINARY_DIR}/${name}Config.cmake INSTALL_DESTINATION ${cmakedir})
  write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/${name}ConfigVersion.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${name}Config.cmake
                ${CMAKE_CURRENT_BINARY_DIR}/${name}ConfigVersion.cmake ${arg_CMAKE_FILES}
          DESTINATION ${cmakedir})

  # configure_file() substitutes the variables of this function's scope.
  file(RELATIVE_PATH SMMU_PC_TO_PREFIX "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig"
       "${CMAKE_INSTALL_PREFIX}")
  string(REGEX REPLACE "/$" "" SMMU_PC_TO_PREFIX "${SMMU_PC_TO_PREFIX}")
  configure_file(${CMAKE_CURRENT_SOURCE_DIR}/${name}.pc.in ${CMAKE_CURRENT_BINARY_DIR}/${name}.pc
                 @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${name}.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endfunction()

# Samples and docs.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/traces/samples/ DESTINATION ${SMMU_INSTALL_SAMPLESDIR}
        FILES_MATCHING PATTERN "*.trace" PATTERN "*.json")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/tools/sweep/examples/ DESTINATION ${SMMU_INSTALL_SWEEPDIR}
        FILES_MATCHING PATTERN "*.json")
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${SMMU_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${SMMU_INSTALL_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md")
install(FILES ${PROJECT_SOURCE_DIR}/traces/README.md ${PROJECT_SOURCE_DIR}/traces/FORMAT.md
        DESTINATION ${SMMU_INSTALL_DOCDIR}/traces)
install(FILES ${PROJECT_SOURCE_DIR}/tools/sweep/README.md
        DESTINATION ${SMMU_INSTALL_DOCDIR}/tools/sweep)

# smmu_sweep (Python): the installed copy has its version and the paths from bin/ to the samples,
# the sweep examples and the docs filled in (configure_file, @ONLY: the script uses no other
# @...@). It runs the smmu_vp next to it. Without SystemC there is no smmu_vp to sweep.
if(SMMU_BUILD_SYSTEMC)
  configure_file(${PROJECT_SOURCE_DIR}/tools/sweep/smmu_sweep
                 ${PROJECT_BINARY_DIR}/tools/sweep/smmu_sweep.install @ONLY)
  install(PROGRAMS ${PROJECT_BINARY_DIR}/tools/sweep/smmu_sweep.install
          DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME smmu_sweep)
endif()

# The umbrella package: find_package(smmuv3 [CONFIG] [REQUIRED] COMPONENTS <c>...) finds the
# libraries' own packages of the same install (cmake/smmuv3Config.cmake.in says which).
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/smmuv3Config.cmake.in
  ${PROJECT_BINARY_DIR}/smmuv3Config.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/smmuv3)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/smmuv3ConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/smmuv3Config.cmake ${PROJECT_BINARY_DIR}/smmuv3ConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/smmuv3)
