# find_package(Wasmpack): the same as include(Wasmpack) (see Wasmpack.cmake).
include("${CMAKE_CURRENT_LIST_DIR}/Wasmpack.cmake")
