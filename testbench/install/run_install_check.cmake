# Runs the install check (see CMakeLists.txt here). Fails with a message on the first problem.
include(${CMAKE_CURRENT_LIST_DIR}/install_common.cmake)

# 1. Install the current build.
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})

# 2. pkg-config, exactly as a user runs it: smmu.pc finds its prefix from its own location, so
#    an install into any prefix works.
set(ENV{PKG_CONFIG_PATH} ${PREFIX}/${LIBDIR}/pkgconfig)
run("pkg-config" pkg-config --cflags --libs smmu)
string(STRIP "${RUN_OUT}" PC_FLAGS)
separate_arguments(PC_FLAGS UNIX_COMMAND "${PC_FLAGS}")
separate_arguments(XFLAGS UNIX_COMMAND "${EXTRA_FLAGS}")
run("compiling with pkg-config flags" ${CC} -std=c11 -Wall -Werror ${XFLAGS}
    ${SRC_DIR}/outside.c ${PC_FLAGS} -o ${WORK_DIR}/outside_pc)
expect_ok(${WORK_DIR}/outside_pc)

# 3. find_package(smmu) from a separate CMake project.
run("configuring the find_package project" ${CMAKE_COMMAND} -S ${SRC_DIR}/outside_cmake
    -B ${WORK_DIR}/cmake-build -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${PREFIX}
    -DCMAKE_C_COMPILER=${CC} "-DCMAKE_C_FLAGS=${EXTRA_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${EXTRA_FLAGS}")
run("building the find_package project" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-build)
expect_ok(${WORK_DIR}/cmake-build/outside)
