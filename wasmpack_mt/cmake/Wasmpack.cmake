# wasmpack-mt's CMake module: threaded WebAssembly (wasm32-wasip1-threads) builds.
#
# Include it BEFORE project(): it selects wasmpack's toolchain file, which
# project() reads. scikit-build-core finds this directory by itself (the
# cmake.module / cmake.prefix entry points of wasmpack-mt), so a CMakeLists.txt
# only writes
#
#   find_package(Wasmpack REQUIRED)     # or include(Wasmpack)
#   project(app LANGUAGES C)
#   add_executable(app main.c)
#   wasmpack_add_artifact(app)          # check the thread ABI, embed the manifest
#
# Variables it honours (set them before the include):
#   WASMPACK_PYTHON       the Python that runs wasmpack (default: scikit-build-core's
#                         Python_EXECUTABLE, else python3 on PATH)
#   CMAKE_TOOLCHAIN_FILE  when already set, it is kept (no toolchain is selected)
include_guard(GLOBAL)

# This file is <import root>/wasmpack_mt/cmake/Wasmpack.cmake: run that very wasmpack_mt,
# whatever the interpreter's own sys.path holds (pip's isolated build environments).
get_filename_component(_WASMPACK_IMPORT_ROOT "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

if(NOT WASMPACK_PYTHON)
  if(Python_EXECUTABLE)
    set(_wasmpack_python "${Python_EXECUTABLE}")
  elseif(Python3_EXECUTABLE)
    set(_wasmpack_python "${Python3_EXECUTABLE}")
  else()
    find_program(_wasmpack_python NAMES python3 python)
    if(NOT _wasmpack_python)
      message(FATAL_ERROR "wasmpack: no python3 on PATH; set -DWASMPACK_PYTHON=/path/to/python3 "
                          "(an interpreter that can import wasmtime)")
    endif()
  endif()
  set(WASMPACK_PYTHON "${_wasmpack_python}" CACHE FILEPATH "The Python interpreter that runs wasmpack")
endif()

set(_wasmpack_pythonpath "${_WASMPACK_IMPORT_ROOT}")
if(NOT "$ENV{PYTHONPATH}" STREQUAL "")
  string(APPEND _wasmpack_pythonpath ":$ENV{PYTHONPATH}")
endif()
# The command line that runs `wasmpack` (append a subcommand and its arguments).
set(WASMPACK_COMMAND "${CMAKE_COMMAND}" -E env "PYTHONPATH=${_wasmpack_pythonpath}"
    "${WASMPACK_PYTHON}" -m wasmpack_mt)

if(NOT CMAKE_PROJECT_NAME)
  if(NOT CMAKE_TOOLCHAIN_FILE)
    execute_process(
      COMMAND ${WASMPACK_COMMAND} -q cmake-toolchain
      OUTPUT_VARIABLE _wasmpack_toolchain
      ERROR_VARIABLE _wasmpack_error
      RESULT_VARIABLE _wasmpack_result
      OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT _wasmpack_result EQUAL 0)
      message(FATAL_ERROR "wasmpack: `wasmpack cmake-toolchain` failed (${_wasmpack_result}):\n"
                          "${_wasmpack_error}")
    endif()
    set(CMAKE_TOOLCHAIN_FILE "${_wasmpack_toolchain}"
        CACHE FILEPATH "wasmpack's wasm32-wasip1-threads toolchain file")
  endif()
elseif(NOT CMAKE_SYSTEM_NAME STREQUAL "WASI")
  message(FATAL_ERROR "wasmpack: find_package(Wasmpack) / include(Wasmpack) comes after project(), "
                      "so the host compiler was already chosen; move it above project()")
endif()

# wasmpack_add_artifact(<target> [NAME name] [VERSION version] [MAX_THREADS n]
#                       [ENTRY command|reactor])
#
# After <target> (an add_executable() target) links, run `wasmpack bundle` on it:
# check the thread ABI (errors fail the build) and embed the manifest in place,
# the same bytes `wasmpack build` writes for the same facts. NAME defaults to the
# target, VERSION to scikit-build-core's project version, else PROJECT_VERSION.
function(wasmpack_add_artifact target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "NAME;VERSION;MAX_THREADS;ENTRY" "")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "wasmpack_add_artifact: unknown arguments ${ARG_UNPARSED_ARGUMENTS}; "
                        "use NAME, VERSION, MAX_THREADS, ENTRY")
  endif()
  if(NOT TARGET "${target}")
    message(FATAL_ERROR "wasmpack_add_artifact: ${target} is not a target; "
                        "call it after add_executable(${target} ...)")
  endif()
  if(NOT ARG_NAME)
    set(ARG_NAME "${target}")
  endif()
  if(NOT ARG_VERSION)
    if(SKBUILD_PROJECT_VERSION_FULL)
      set(ARG_VERSION "${SKBUILD_PROJECT_VERSION_FULL}")
    elseif(PROJECT_VERSION)
      set(ARG_VERSION "${PROJECT_VERSION}")
    else()
      set(ARG_VERSION "0.0.0")
    endif()
  endif()
  # wasmpack's toolchain file names itself; another one is recorded as plain clang.
  set(toolchain "clang")
  set(toolchain_version "${CMAKE_C_COMPILER_VERSION}")
  if(WASMPACK_TOOLCHAIN_NAME)
    set(toolchain "${WASMPACK_TOOLCHAIN_NAME}")
    set(toolchain_version "${WASMPACK_TOOLCHAIN_VERSION}")
  endif()
  set(args --name "${ARG_NAME}" --version "${ARG_VERSION}" --source-root "${PROJECT_SOURCE_DIR}"
      --toolchain "${toolchain} + cmake" --toolchain-version "${toolchain_version}")
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  foreach(language IN ITEMS C CXX)
    if(language IN_LIST languages)
      string(TOLOWER "${language}" name)
      list(APPEND args --language "${name}")
    endif()
  endforeach()
  if(ARG_MAX_THREADS)
    list(APPEND args --max-threads "${ARG_MAX_THREADS}")
  endif()
  if(ARG_ENTRY)
    list(APPEND args --entry "${ARG_ENTRY}")
  endif()
  add_custom_command(TARGET "${target}" POST_BUILD
    COMMAND ${WASMPACK_COMMAND} -q bundle "$<TARGET_FILE:${target}>" ${args}
    COMMENT "wasmpack: checking ${target} and embedding its manifest"
    VERBATIM)
endfunction()
