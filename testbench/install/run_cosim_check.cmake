# SPDX-License-Identifier: Apache-2.0 OR MIT
# Runs the co-simulation install check (see CMakeLists.txt here). Fails with a message on the
# first problem. -DBUILD_DIR -DWORK_DIR -DSRC_DIR (testbench/install) -DEXAMPLE_DIR
# (examples/cosim_outside) -DLIBDIR -DCC -DCXX -DGENERATOR -DEXTRA_FLAGS
include(${CMAKE_CURRENT_LIST_DIR}/install_common.cmake)

# 1. Install the current build: smmu_cosim's library, headers and package files, and nothing of
#    our own RTL (its Verilated models, the platform built on them).
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})
foreach(f ${LIBDIR}/libsmmu_cosim.a ${LIBDIR}/libsmmu_model.a include/smmu_cosim/axi_bridge.h
          include/smmu_cosim/axi_link.h include/smmu_cosim/axi_checker.h
          include/smmu_cosim/lockstep.h ${LIBDIR}/pkgconfig/smmu_cosim.pc
          ${LIBDIR}/cmake/smmu_cosim/smmu_cosimConfig.cmake
          ${LIBDIR}/cmake/smmu_cosim/smmuv3_verilate.cmake
          ${LIBDIR}/cmake/smmuv3/smmuv3Config.cmake
          ${LIBDIR}/cmake/smmuv3/smmuv3ConfigVersion.cmake)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "not installed: ${PREFIX}/${f}")
  endif()
endforeach()
file(GLOB_RECURSE installed RELATIVE ${PREFIX} ${PREFIX}/*)
foreach(f ${installed})
  if(f MATCHES "Vsmmu_|smmu_cosim_rtl|smmu_cosim_platform|smmu_cosim/platform\\.h")
    message(FATAL_ERROR "installed, but built on our own RTL: ${f}")
  endif()
endforeach()
file(READ ${PREFIX}/${LIBDIR}/cmake/smmu_cosim/smmu_cosimTargets.cmake targets)
if(targets MATCHES "smmu_cosim_rtl|CLI11|nlohmann")
  message(FATAL_ERROR "smmu::smmu_cosim depends on the RTL, CLI11 or nlohmann-json:\n${targets}")
endif()

# 2. pkg-config smmu_cosim (requires smmu_tlm, smmu, systemc): an outside program linking a
#    prefixed C++ master to the bridge, no Verilator.
check_pkg_config(smmu_cosim ${CXX} c++17 ${SRC_DIR}/outside_cosim.cpp)

# 3. examples/cosim_outside out of tree: find_package(smmuv3 COMPONENTS tlm model cosim),
#    smmuv3_verilate_master() on its own Verilog master, linked to the bridge, through the SMMU.
#    CLI11 and nlohmann-json may not be found: consumers must not need them.
set(build ${WORK_DIR}/example-build)
run("configuring examples/cosim_outside" ${CMAKE_COMMAND} -S ${EXAMPLE_DIR} -B ${build}
    -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_C_COMPILER=${CC}
    -DCMAKE_CXX_COMPILER=${CXX} "-DCMAKE_CXX_FLAGS=${EXTRA_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${EXTRA_FLAGS}" -DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON
    -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON)
run("building examples/cosim_outside" ${CMAKE_COMMAND} --build ${build} -j2)
file(GLOB_RECURSE generated RELATIVE ${build} ${build}/*.h)
foreach(f ${generated})
  if(f MATCHES "Vsmmu_")
    message(FATAL_ERROR "the example Verilated our RTL: ${f}")
  endif()
endforeach()
expect_ok(${build}/cosim_outside)

# 4. The umbrella package's components (outside_components/CMakeLists.txt checks itself).
run("configuring outside_components" ${CMAKE_COMMAND} -S ${SRC_DIR}/outside_components
    -B ${WORK_DIR}/components-build -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${PREFIX}
    -DCMAKE_C_COMPILER=${CC} -DCMAKE_CXX_COMPILER=${CXX})
if(NOT RUN_OUT MATCHES "smmuv3 components: OK")
  message(FATAL_ERROR "outside_components:\n${RUN_OUT}")
endif()
