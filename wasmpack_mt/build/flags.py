"""Flags and helpers shared by the drivers: memory layout, path maps, toolchain lookup."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from wasmpack_mt import process
from wasmpack_mt.build.config import MemoryConfig, Profile, ProjectConfig
from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.toolchains.model import (
    REACTOR_THREAD_INIT,
    WASI_MAIN_THREAD_ID,
    ClangToolchain,
    Language,
    RustToolchain,
)

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


def thread_stack_source(size: int) -> str:
    """C source that sets the default pthread stack size before `main` runs.

    wasi-libc (musl) has no linker flag for it and does not implement
    `pthread_setattr_default_np`; its default lives in `__default_stacksize`.
    """
    return (
        "extern unsigned __default_stacksize;\n"
        "__attribute__((constructor)) static void wasmpack_thread_stack_size(void) {\n"
        f"    __default_stacksize = {size}u;\n"
        "}\n"
    )


def thread_stack_object(toolchain: ClangToolchain, work_dir: Path, size: int) -> Path:
    """Compile the constructor that sets the default thread stack size; return the object."""
    return helper_object(toolchain, work_dir, "wasmpack_thread_stack", thread_stack_source(size))


def reactor_thread_source() -> str:
    """C source of the export a host calls to give a new calling thread its `pthread_self()`.

    wasi-libc's `__wasi_init_tp` fills the thread's `struct pthread` (self, thread
    list, locale) with the main thread's id and resets `__default_stacksize`,
    which a project's `thread_stack_size` may have set. The export keeps that
    size and swaps the main thread's id (the first int field holding it; the
    fields before it are aligned pointers) for `tid`, unique per calling thread,
    so that libc locks keyed on the id (stdio, recursive mutexes, the thread
    list) tell calling threads apart. It returns 1 once the id is set.
    """
    return (
        "#include <pthread.h>\n"
        "extern void __wasi_init_tp(void);\n"
        "extern unsigned __default_stacksize;\n"
        f"#define WASI_MAIN_THREAD_ID {WASI_MAIN_THREAD_ID:#x}\n"
        f'__attribute__((export_name("{REACTOR_THREAD_INIT}")))\n'
        "int wasmpack_thread_init(int tid) {\n"
        "    unsigned keep = __default_stacksize;\n"
        "    __wasi_init_tp();\n"
        "    __default_stacksize = keep;\n"
        "    int *fields = (int *)pthread_self();\n"
        "    for (int i = 0; i < 16; i++) {\n"
        "        if (fields[i] == WASI_MAIN_THREAD_ID) {\n"
        "            fields[i] = tid;\n"
        "            return 1;\n"
        "        }\n"
        "    }\n"
        "    return 0;\n"
        "}\n"
    )


def helper_object(toolchain: ClangToolchain, work_dir: Path, name: str, source: str) -> Path:
    """Compile one generated C source `name`.c in the work dir; return its object."""
    work_dir.mkdir(parents=True, exist_ok=True)
    path = work_dir / f"{name}.c"
    path.write_text(source, encoding="utf-8")
    obj = work_dir / f"{name}.o"
    process.run(
        [toolchain.cc, *toolchain.cflags(), "-O2", "-c", path.name, "-o", obj.name],
        step=f"compile {name}",
        cwd=work_dir,
    )
    return obj


def relative_flags(flags: Iterable[str], root: Path) -> tuple[str, ...]:
    """`flags` with the project root written as `.`, for the manifest."""
    prefix = os.fspath(root)
    return tuple(flag.replace(prefix, ".") for flag in flags)


def project_files(root: Path) -> tuple[Path, ...]:
    """Every file of the project (sorted), skipping outputs and version control."""
    found: list[Path] = []
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        found.extend(Path(current) / name for name in files)
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
