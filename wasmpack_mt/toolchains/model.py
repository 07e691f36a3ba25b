"""What the build stage gets from a resolved toolchain."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from wasmpack_mt.abi import HOST_ALLOCATOR_EXPORTS

Language = Literal["c", "cxx", "rust", "cxx-eh"]
LANGUAGES: tuple[Language, ...] = ("c", "cxx", "rust", "cxx-eh")
"""Every toolchain wasmpack knows; `cxx-eh` is C and C++ with exceptions and setjmp/longjmp."""
CORE_LANGUAGES: tuple[Language, ...] = ("c", "cxx", "rust")
"""What `toolchain bootstrap` builds and `doctor` requires when no --lang is given."""
EXCEPTIONS: Language = "cxx-eh"
"""The threads + exceptions flavour (`exceptions = true`, `wasmpack env --exceptions`)."""


@dataclass(frozen=True)
class ClangToolchain:
    """A clang that targets wasm32-wasip1-threads with a threads sysroot (C and C++)."""

    kind: str
    """The toolchains.yaml kind it came from: `wasi-sdk` or `system-clang`."""
    version: str
    triple: str
    cc: Path
    cxx: Path
    ar: Path
    ranlib: Path
    nm: Path
    sysroot: Path
    resource_dir: Path | None = None
    cxx_threads: bool = False
    """Whether the sysroot's libc++ was built with threads (C++ is usable)."""
    exceptions: ExceptionFlags | None = None
    """The flavour with wasm exceptions and setjmp/longjmp; None: built with -fno-exceptions."""

    def target_flags(self) -> list[str]:
        """Target, sysroot, thread model and resource dir: what every compile and link needs."""
        flags = [f"--target={self.triple}", f"--sysroot={self.sysroot}", "-pthread"]
        if self.resource_dir is not None:
            flags += ["-resource-dir", os.fspath(self.resource_dir)]
        return flags

    def cflags(self) -> list[str]:
        """Flags every C compile for the threads target needs (setjmp/longjmp in the EH flavour)."""
        extra = list(self.exceptions.cflags) if self.exceptions else []
        return [*self.target_flags(), *extra]

    def cxxflags(self) -> list[str]:
        """Flags every C++ compile needs: wasm exceptions, or -fno-exceptions without them."""
        extra = list(self.exceptions.cxxflags) if self.exceptions else ["-fno-exceptions"]
        return [*self.target_flags(), *extra]

    def ldflags(self) -> list[str]:
        """Link flags of the wasi-threads ABI; the build adds `--max-memory` and stack sizes."""
        return [
            "-pthread",
            "-Wl,--import-memory,--export-memory",
            "-Wl," + ",".join(f"--export={name}" for name in HOST_ALLOCATOR_EXPORTS),
            *(self.exceptions.ldflags if self.exceptions else ()),
        ]


@dataclass(frozen=True)
class ExceptionFlags:
    """What the exceptions flavour adds to compiles and links (from toolchains.yaml)."""

    cflags: tuple[str, ...]
    cxxflags: tuple[str, ...]
    ldflags: tuple[str, ...]


@dataclass(frozen=True)
class RustToolchain:
    """A cargo/rustc pair that can build `--target wasm32-wasip1-threads`."""

    kind: str
    """`rustup` (an installed target) or `bootstrapped` (wasmpack's std sysroot)."""
    version: str
    triple: str
    cargo: Path
    rustc: Path
    sysroot: Path | None = None
    """The std sysroot to pass with `--sysroot`; None for a rustup target."""

    def rustflags(self) -> list[str]:
        """RUSTFLAGS every build for the threads target needs."""
        exports = [f"-Clink-arg=--export={name}" for name in HOST_ALLOCATOR_EXPORTS]
        return ([f"--sysroot={self.sysroot}"] if self.sysroot is not None else []) + exports

    def env(self, base: dict[str, str]) -> dict[str, str]:
        """`base` plus what cargo needs to use this rustc and sysroot."""
        env = {**base, "RUSTC": os.fspath(self.rustc)}
        return add_encoded_flags(env, "RUSTFLAGS", self.rustflags())


FLAG_SEPARATOR = "\x1f"
"""What cargo's CARGO_ENCODED_RUSTFLAGS/RUSTDOCFLAGS put between flags (flags may hold spaces)."""


def add_encoded_flags(env: dict[str, str], name: str, flags: list[str]) -> dict[str, str]:
    """`env` with `flags` appended to cargo's `CARGO_ENCODED_<name>`, and `<name>` dropped.

    The user's flags are kept: the encoded variable's when set, else `<name>`
    split on whitespace (as cargo splits it). Cargo reads the encoded form
    first, and it is the only one where a flag may contain a space.
    """
    encoded = f"CARGO_ENCODED_{name}"
    if encoded in env:
        user = [flag for flag in env[encoded].split(FLAG_SEPARATOR) if flag]
    else:
        user = env.get(name, "").split()
    result = {key: value for key, value in env.items() if key != name}
    if user or flags:
        result[encoded] = FLAG_SEPARATOR.join([*user, *flags])
    return result


Toolchain = ClangToolchain | RustToolchain
