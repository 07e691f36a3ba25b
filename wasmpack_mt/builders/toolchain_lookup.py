"""The resolved toolchain a driver builds with, checked for what the build stage needs."""

from __future__ import annotations

from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.toolchains import resolve
from wasmpack_mt.toolchains.model import EXCEPTIONS, ClangToolchain, Language, RustToolchain


def resolve_clang(lang: Language, *, exceptions: bool = False) -> ClangToolchain:
    """The clang toolchain for C or C++ (C++ needs a libc++ built with threads).

    With `exceptions`, C and C++ both get the `cxx-eh` flavour (wasm exceptions,
    setjmp/longjmp).
    """
    toolchain = resolve(EXCEPTIONS if exceptions else lang)
    if not isinstance(toolchain, ClangToolchain):
        raise ToolchainError(f"the {lang} toolchain is not clang; run `wasmpack doctor`")
    if lang == "cxx" and not toolchain.cxx_threads:
        raise ToolchainError(
            "the C++ library of this toolchain has no threads; "
            "run `wasmpack toolchain bootstrap --lang cxx`"
        )
    return toolchain


def resolve_rust() -> RustToolchain:
    """The cargo/rustc pair for wasm32-wasip1-threads."""
    toolchain = resolve("rust")
    if not isinstance(toolchain, RustToolchain):
        raise ToolchainError("the rust toolchain is not cargo; run `wasmpack doctor`")
    return toolchain


def default_clang(*, exceptions: bool = False) -> ClangToolchain:
    """The C++ toolchain when its threaded libc++ is there, else the C one.

    With `exceptions`: the `cxx-eh` flavour (C++ exceptions, setjmp/longjmp), or an error.
    """
    if exceptions:
        return resolve_clang("cxx", exceptions=True)
    try:
        return resolve_clang("cxx")
    except ToolchainError:
        return resolve_clang("c")
