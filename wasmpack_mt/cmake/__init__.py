"""CMake modules: `find_package(Wasmpack)` / `include(Wasmpack)` and `wasmpack_add_artifact()`.

scikit-build-core adds this directory to CMAKE_MODULE_PATH and CMAKE_PREFIX_PATH
through the `cmake.module` and `cmake.prefix` entry points of wasmpack-mt; a
plain CMake build adds `MODULE_DIR` to `-DCMAKE_PREFIX_PATH` (see docs/wheels.md).
"""

from pathlib import Path

MODULE_DIR = Path(__file__).resolve().parent
"""The directory holding Wasmpack.cmake and WasmpackConfig.cmake."""
