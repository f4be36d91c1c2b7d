# SPDX-License-Identifier: Apache-2.0 OR MIT
# Runs the install check (see CMakeLists.txt here). Fails with a message on the first problem.
include(${CMAKE_CURRENT_LIST_DIR}/install_common.cmake)

# 1. Install the current build.
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})

# 2. pkg-config: smmu.pc finds its prefix from its own location, so an install into any prefix
#    works.
check_pkg_config(smmu ${CC} c11 ${SRC_DIR}/outside.c)

# 3. find_package(smmu) from a separate CMake project.
check_find_package(${SRC_DIR}/outside_cmake C)
