"""Stage 1: find or bootstrap a wasm32-wasip1-threads toolchain for a language.

`resolve(lang)` is what the build stage calls; `find_all()` lists every
candidate for `wasmpack toolchain list` and `wasmpack doctor`.
"""

from wasmpack_mt.toolchains.detect import Candidate, Missing
from wasmpack_mt.toolchains.model import ClangToolchain, Language, RustToolchain, Toolchain
from wasmpack_mt.toolchains.resolve import find_all, resolve

__all__ = [
    "Candidate",
    "ClangToolchain",
    "Language",
    "Missing",
    "RustToolchain",
    "Toolchain",
    "find_all",
    "resolve",
]
