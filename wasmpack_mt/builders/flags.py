"""Flags and helpers shared by the drivers: memory layout, path maps, toolchain lookup."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from wasmpack_mt import process
from wasmpack_mt.abi import REACTOR_THREAD_INIT, WASI_MAIN_THREAD_ID
from wasmpack_mt.builders.config import MemoryConfig, Profile, ProjectConfig
from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.toolchains.model import ClangToolchain, Language, RustToolchain

SKIPPED_DIRS = frozenset({".git", "build", "dist", "target", "__pycache__", ".hg", ".svn"})
"""Directories that never hold a project's sources (outputs and version control)."""


def memory_linker_args(memory: MemoryConfig) -> list[str]:
    """wasm-ld arguments for the memory limits and main stack size."""
    args = [f"--max-memory={memory.maximum}"]
    if memory.initial is not None:
        args.append(f"--initial-memory={memory.initial}")
    if memory.stack_size is not None:
        args.append(f"-zstack-size={memory.stack_size}")
    return args


def clang_memory_flags(memory: MemoryConfig) -> list[str]:
    """The memory arguments as clang driver flags."""
    return [f"-Wl,{arg}" for arg in memory_linker_args(memory)]


def opt_flags(config: ProjectConfig, profile: Profile) -> list[str]:
    """Optimisation (and debug info for the debug profile)."""
    flags = [f"-O{config.opt_level(profile)}"]
    return [*flags, "-g"] if profile == "debug" else flags


def prefix_map_flags(*dirs: Path) -> list[str]:
    """Map absolute build paths to stable ones so outputs do not depend on where we built."""
    return [f"-ffile-prefix-map={os.fspath(d)}=." for d in dirs]


SUPPORT_DIR = Path(__file__).resolve().parent / "support"
"""C sources wasmpack links into some builds (`support/*.c`, each documented there)."""


def thread_stack_object(toolchain: ClangToolchain, work_dir: Path, size: int) -> Path:
    """The constructor that sets the default pthread stack size to `size` bytes."""
    size_define = {"WASMPACK_THREAD_STACK_SIZE": f"{size}u"}
    return support_object(toolchain, work_dir, "thread_stack", **size_define)


def reactor_thread_object(toolchain: ClangToolchain, work_dir: Path) -> Path:
    """The export a host calls to give a new reactor-calling thread its `pthread_self()`."""
    return support_object(
        toolchain,
        work_dir,
        "reactor_thread",
        WASI_MAIN_THREAD_ID=f"{WASI_MAIN_THREAD_ID:#x}",
        WASMPACK_THREAD_INIT_EXPORT=f'"{REACTOR_THREAD_INIT}"',
    )


def support_object(toolchain: ClangToolchain, work_dir: Path, name: str, **defines: str) -> Path:
    """Compile `support/<name>.c` with `defines` into the work dir; return the object."""
    work_dir.mkdir(parents=True, exist_ok=True)
    obj = work_dir / f"wasmpack_{name}.o"
    process.run(
        [
            toolchain.cc,
            *toolchain.cflags(),
            "-O2",
            f"-ffile-prefix-map={SUPPORT_DIR}=wasmpack",
            *(f"-D{key}={value}" for key, value in defines.items()),
            "-c",
            SUPPORT_DIR / f"{name}.c",
            "-o",
            obj,
        ],
        step=f"compile wasmpack's {name}.c",
    )
    return obj


def relative_flags(flags: Iterable[str], root: Path) -> tuple[str, ...]:
    """`flags` with the project root written as `.`, for the manifest."""
    prefix = os.fspath(root)
    return tuple(flag.replace(prefix, ".") for flag in flags)


def project_files(root: Path) -> tuple[Path, ...]:
    """Every regular file of the project (sorted), skipping outputs and version control.

    Symbolic links are left out: they may dangle (an editor's `.#file` lock) or
    point outside the project.
    """
    found: list[Path] = []
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in files:
            path = Path(current) / name
            if not path.is_symlink() and path.is_file():
                found.append(path)
    return tuple(sorted(found))


def resolve_clang(lang: Language) -> ClangToolchain:
    """The clang toolchain for C or C++ (C++ needs a libc++ built with threads)."""
    from wasmpack_mt.toolchains import resolve

    toolchain = resolve(lang)
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
    from wasmpack_mt.toolchains import resolve

    toolchain = resolve("rust")
    if not isinstance(toolchain, RustToolchain):
        raise ToolchainError("the rust toolchain is not cargo; run `wasmpack doctor`")
    return toolchain
