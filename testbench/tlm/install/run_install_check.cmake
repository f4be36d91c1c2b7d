# SPDX-License-Identifier: Apache-2.0 OR MIT
# Runs the smmu_tlm install check (see ../CMakeLists.txt). Fails with a message on the first
# problem.
include(${CMAKE_CURRENT_LIST_DIR}/../../install/install_common.cmake)

# 1. Install the current build.
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})

# 2. pkg-config: smmu_tlm.pc requires smmu (same prefix) and systemc (system).
check_pkg_config(smmu_tlm ${CXX} c++17 ${SRC_DIR}/outside.cpp)

# 3. find_package(smmu_tlm) from a separate CMake project.
check_find_package(${SRC_DIR}/outside_cmake CXX)
