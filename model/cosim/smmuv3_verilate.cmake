# SPDX-License-Identifier: Apache-2.0 OR MIT
# smmuv3_verilate_master(): Verilates your own RTL (an AXI master, a whole subsystem) into a
# library of SystemC modules to wire to smmu_cosim's bridge (docs/cosim.md, "Using the installed
# package"). Installed with smmu_cosim (lib/cmake/smmu_cosim/) and included by its config file.
#
#   smmuv3_verilate_master(<target>
#       SOURCES <file>...            Verilog / SystemVerilog sources
#       [TOP_MODULE <module>]        the top module (default: Verilator's choice)
#       [PREFIX <class>]             the C++ class and header (default: V<first source's name>)
#       [INCLUDE_DIRS <dir>...]      module search directories (-y)
#       [VERILATOR_ARGS <arg>...]    more Verilator arguments (-GWIDTH=32, -Wall, ...)
#       [TRACE])                     VCD tracing compiled in
#
# The first call creates <target>, a static library; another call with the same target adds
# another model to it (one such library per program: each carries Verilator's runtime). Link it
# into your program: target_link_libraries(<program> PRIVATE <target>). It brings
# smmu::smmu_cosim, SystemC and Verilator's runtime; the generated headers and Verilator's are
# system headers for you (your warning flags apply to your code only; the generated code is
# compiled with warnings off), and VM_SC / VM_TRACE are defined for you as for the models.
# Verilator runs with --sc --x-assign unique --x-initial unique (docs/cosim.md, "X and Z").

if(NOT COMMAND verilate)
  find_package(verilator QUIET HINTS $ENV{VERILATOR_ROOT} /usr/share/verilator)
endif()
# Verilator's CMake integration looks for SystemC through environment variables or SystemC's own
# CMake package. Debian's SystemC has neither, only pkg-config: give Verilator the pkg-config
# target smmu_tlm's package made (PkgConfig::SYSTEMC) under the name it looks for.
if(COMMAND verilate AND NOT TARGET Verilator::systemc AND TARGET PkgConfig::SYSTEMC)
  add_library(Verilator::systemc INTERFACE IMPORTED)
  set_target_properties(Verilator::systemc PROPERTIES INTERFACE_LINK_LIBRARIES PkgConfig::SYSTEMC)
endif()

function(smmuv3_verilate_master target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "TRACE" "TOP_MODULE;PREFIX"
                        "SOURCES;INCLUDE_DIRS;VERILATOR_ARGS")
  if(arg_UNPARSED_ARGUMENTS OR NOT arg_SOURCES)
    message(FATAL_ERROR "smmuv3_verilate_master(<target> SOURCES <file>... [TOP_MODULE <module>] "
                        "[PREFIX <class>] [INCLUDE_DIRS <dir>...] [VERILATOR_ARGS <arg>...] "
                        "[TRACE]): ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT COMMAND verilate)
    message(FATAL_ERROR "smmuv3_verilate_master: Verilator not found (Debian: apt-get install "
                        "verilator; elsewhere set VERILATOR_ROOT)")
  endif()
  if(NOT TARGET ${target})
    add_library(${target} STATIC)
    set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    target_compile_options(${target} PRIVATE -w)
    verilator_link_systemc(${target})
    target_link_libraries(${target} PUBLIC smmu::smmu_cosim)
    # What verilate() defines for the models' sources, for the code that includes their headers.
    set(p "$<TARGET_PROPERTY:${target},VERILATOR_")
    target_compile_definitions(${target} INTERFACE VM_SC=1
      VM_TRACE=$<BOOL:${p}TRACE>> VM_TRACE_VCD=$<BOOL:${p}TRACE_VCD>>
      VM_TRACE_FST=$<BOOL:${p}TRACE_FST>> VM_COVERAGE=$<BOOL:${p}COVERAGE>>)
  endif()
  set(opts "")
  if(arg_TRACE)
    list(APPEND opts TRACE)
  endif()
  if(arg_TOP_MODULE)
    list(APPEND opts TOP_MODULE ${arg_TOP_MODULE})
  endif()
  if(arg_PREFIX)
    list(APPEND opts PREFIX ${arg_PREFIX})
  endif()
  if(arg_INCLUDE_DIRS)
    list(APPEND opts INCLUDE_DIRS ${arg_INCLUDE_DIRS})
  endif()
  verilate(${target} SYSTEMC ${opts} SOURCES ${arg_SOURCES}
           VERILATOR_ARGS --x-assign unique --x-initial unique ${arg_VERILATOR_ARGS})
  get_target_property(incs ${target} INTERFACE_INCLUDE_DIRECTORIES)
  set_property(TARGET ${target} PROPERTY INTERFACE_SYSTEM_INCLUDE_DIRECTORIES ${incs})
endfunction()
