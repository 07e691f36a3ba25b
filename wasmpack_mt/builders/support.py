"""wasmpack's own C helpers (`support/*.c`), compiled into the work dir when a build needs them."""

from __future__ import annotations

import os
from pathlib import Path

from wasmpack_mt import process
from wasmpack_mt.abi import REACTOR_THREAD_INIT, WASI_MAIN_THREAD_ID
from wasmpack_mt.builders.incremental import is_fresh, record
from wasmpack_mt.toolchains.model import ClangToolchain

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
    """Compile `support/<name>.c` with `defines` into the work dir (unless fresh); the object."""
    work_dir.mkdir(parents=True, exist_ok=True)
    obj = work_dir / f"wasmpack_{name}.o"
    source = SUPPORT_DIR / f"{name}.c"
    argv: list[str | os.PathLike[str]] = [
        toolchain.cc,
        *toolchain.cflags(),
        "-O2",
        f"-ffile-prefix-map={SUPPORT_DIR}=wasmpack",
        *(f"-D{key}={value}" for key, value in defines.items()),
        "-c",
        source,
        "-o",
        obj,
    ]
    inputs = [source, Path(toolchain.cc)]
    if not is_fresh(obj, argv):
        process.run(argv, step=f"compile wasmpack's {name}.c")
        record(obj, argv, inputs)
    return obj
