# Runs the smmu_tlm install check (see ../CMakeLists.txt). Fails with a message on the first
# problem.
include(${CMAKE_CURRENT_LIST_DIR}/../../install/install_common.cmake)

# 1. Install the current build.
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})

# 2. pkg-config: smmu_tlm.pc requires smmu (same prefix) and systemc (system).
if(DEFINED ENV{PKG_CONFIG_PATH})
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig:$ENV{PKG_CONFIG_PATH}")
else()
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig")
endif()
run("pkg-config" pkg-config --cflags --libs smmu_tlm)
string(STRIP "${RUN_OUT}" PC_FLAGS)
separate_arguments(PC_FLAGS UNIX_COMMAND "${PC_FLAGS}")
separate_arguments(XFLAGS UNIX_COMMAND "${EXTRA_FLAGS}")
run("compiling with pkg-config flags" ${CXX} -std=c++17 -Wall -Werror ${XFLAGS}
    ${SRC_DIR}/outside.cpp ${PC_FLAGS} -o ${WORK_DIR}/outside_pc)
expect_ok(${WORK_DIR}/outside_pc)

# 3. find_package(smmu_tlm) from a separate CMake project.
run("configuring the find_package project" ${CMAKE_COMMAND} -S ${SRC_DIR}/outside_cmake
    -B ${WORK_DIR}/cmake-build -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${PREFIX}
    -DCMAKE_C_COMPILER=${CC} -DCMAKE_CXX_COMPILER=${CXX} "-DCMAKE_CXX_FLAGS=${EXTRA_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${EXTRA_FLAGS}")
run("building the find_package project" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-build)
expect_ok(${WORK_DIR}/cmake-build/outside)
