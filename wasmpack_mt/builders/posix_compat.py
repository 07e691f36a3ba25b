"""The POSIX compatibility layer: wasi-libc's emulations plus wasmpack's own libwasmpack-posix.

On by default for C and C++ builds, `wasmpack env` and `wasmpack cmake-toolchain`
(`posix_compat = false` / `--no-posix-compat` turn it off). It adds:

- the defines and libraries of wasi-libc's emulations (signal, process clocks,
  getpid, mman), which wasi-libc's headers otherwise name only in `#error` lines;
- `support/posix/include/` first on the include path: wrappers of <unistd.h>,
  <signal.h> and <stdlib.h> that declare what wasi-libc leaves out;
- libwasmpack-posix.a (`support/posix/*.c`), compiled once per toolchain into the
  cache, defining those functions as on a system where they cannot succeed, and
  `sysconf(_SC_NPROCESSORS_*)` answering from the host's WASMPACK_CPUS.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from wasmpack_mt import process
from wasmpack_mt.log import step
from wasmpack_mt.paths import cache_home
from wasmpack_mt.toolchains.model import ClangToolchain

SOURCE_DIR = Path(__file__).resolve().parent / "support" / "posix"
LIBRARY = "wasmpack-posix"
EMULATIONS = ("signal", "process-clocks", "getpid", "mman")
"""wasi-libc's emulation libraries: `-D_WASI_EMULATED_<NAME>` and `-lwasi-emulated-<name>`."""
WRAPPED = ("sysconf", "read", "write", "close", "fcntl", "poll")
"""libc functions the layer wraps (`-Wl,--wrap=`): sysconf, and the calls pipe ends answer."""


@dataclass(frozen=True)
class PosixCompat:
    """The compile and link flags of the layer for one toolchain."""

    include_dir: Path
    lib_dir: Path

    def compile_flags(self) -> list[str]:
        """Preprocessor flags: the wrapper headers first, and the emulations' defines."""
        defines = [f"-D_WASI_EMULATED_{name.upper().replace('-', '_')}" for name in EMULATIONS]
        return ["-isystem", os.fspath(self.include_dir), *defines]

    def link_flags(self) -> list[str]:
        """Link flags: libwasmpack-posix, the emulation libraries and the wraps."""
        return [
            f"-L{self.lib_dir}",
            f"-l{LIBRARY}",
            *(f"-lwasi-emulated-{name}" for name in EMULATIONS),
            *(f"-Wl,--wrap={name}" for name in WRAPPED),
        ]


def posix_compat(toolchain: ClangToolchain) -> PosixCompat:
    """Where the layer for `toolchain` lives in the cache (`ready_posix_compat` builds it).

    The directory is named by a digest of the layer's sources and of the toolchain's
    identity (not its paths), so a manifest records the same flags on every machine.
    """
    digest = hashlib.sha256()
    flavour = "eh" if toolchain.exceptions else "plain"
    for part in (toolchain.kind, toolchain.version, toolchain.triple, toolchain.sysroot.name):
        digest.update(f"{part}\0".encode())
    digest.update(f"{flavour}\0".encode())
    for path in (*_sources(), *_headers()):
        digest.update(path.relative_to(SOURCE_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    home = cache_home() / "posix-compat" / digest.hexdigest()[:16]
    return PosixCompat(home / "include", home / "lib")


def ready_posix_compat(toolchain: ClangToolchain) -> PosixCompat:
    """The layer for `toolchain`, built into the cache the first time it is asked for."""
    compat = posix_compat(toolchain)
    if not (compat.lib_dir / f"lib{LIBRARY}.a").is_file():
        with step("build wasmpack's POSIX compatibility library (once per toolchain)"):
            _build(toolchain, _sources(), _headers(), compat.lib_dir.parent)
    return compat


def _sources() -> list[Path]:
    return sorted(SOURCE_DIR.glob("*.c"))


def _headers() -> list[Path]:
    return sorted((SOURCE_DIR / "include").rglob("*.h"))


def _build(toolchain: ClangToolchain, sources: list[Path], headers: list[Path], home: Path) -> None:
    """Compile into a temporary directory renamed to `home`, so readers never see a part."""
    home.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{home.name}.", dir=home.parent))
    try:
        (temp / "include").mkdir()
        (temp / "lib").mkdir()
        for header in headers:
            copy = temp / header.relative_to(SOURCE_DIR)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(header, copy)
        compat = PosixCompat(temp / "include", temp / "lib")
        objects = []
        for source in sources:
            obj = temp / f"{source.stem}.o"
            process.run(
                [
                    toolchain.cc, *toolchain.cflags(), *compat.compile_flags(), "-O2",
                    "-Wall", "-Werror", f"-ffile-prefix-map={SOURCE_DIR}=wasmpack",
                    "-c", source, "-o", obj,
                ],
                step=f"compile wasmpack's posix/{source.name}",
            )  # fmt: skip
            objects.append(obj)
        process.run(
            [toolchain.ar, "rcs", temp / "lib" / f"lib{LIBRARY}.a", *objects],
            step="archive libwasmpack-posix.a",
        )
        for obj in objects:
            obj.unlink()
        try:
            temp.rename(home)
        except OSError:  # another build finished first: its copy is as good
            if not (home / "lib" / f"lib{LIBRARY}.a").is_file():
                raise
    finally:
        shutil.rmtree(temp, ignore_errors=True)
