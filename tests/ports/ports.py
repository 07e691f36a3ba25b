"""The ports: upstream zstd (Makefile) and xz (autotools), fetched, unpacked and built unpatched.

The same recipes build the wasm port (under `wasmpack env`) and the native
program (the system compiler) for bench/ports.py. Each recipe is what
docs/porting.md tells a user to type.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from wasmpack_mt.toolchains.bootstrap.apt import mirror_base_urls
from wasmpack_mt.toolchains.bootstrap.fetch import fetch_file
from wasmpack_mt.toolchains.spec import SourceFile
from wasmpack_mt.toolchains.store import downloads_dir

SOURCES = Path(__file__).resolve().parent / "sources.yaml"
WASMPACK_ENV = (sys.executable, "-m", "wasmpack_mt", "env", "--lang", "c", "--")
XZ_CONFIGURE = (
    "--disable-shared --disable-xzdec --disable-lzmadec --disable-lzmainfo "
    "--disable-lzma-links --disable-scripts --disable-doc --disable-nls"
)
"""Only the xz command line tool: nothing else is built."""


@dataclass(frozen=True)
class Port:
    """One upstream release, as pinned in sources.yaml."""

    name: str
    version: str
    pool: str
    sha256: str
    directory: str


def ports() -> dict[str, Port]:
    """The pinned releases by name."""
    data = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))
    return {name: Port(name=name, **fields) for name, fields in data.items()}


def unpacked(port: Port, into: Path) -> Path:
    """The verified release tarball (fetched once, then cached), unpacked into `into`."""
    tarball = fetch_file(SourceFile(port.pool, port.sha256), mirror_base_urls(), downloads_dir())
    with tarfile.open(tarball) as archive:
        archive.extractall(into, filter="data")
    return into / port.directory


def _run(argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> None:
    result = subprocess.run(
        argv, cwd=cwd, env=dict(env), capture_output=True, text=True, check=False, timeout=1800
    )
    assert result.returncode == 0, f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}"


def build_zstd(source: Path, *, wasm: bool) -> Path:
    """`make -C programs zstd` (the CLI only, -j2); the program it writes.

    zstd's platform.h does not know WASI and would take it for a non-POSIX
    system; CPPFLAGS tells it the truth (POSIX.1-2008).
    """
    env = {**os.environ, "CPPFLAGS": "-DPLATFORM_POSIX_VERSION=200809L"} if wasm else os.environ
    prefix = WASMPACK_ENV if wasm else ()
    _run([*prefix, "make", "-C", "programs", "-j2", "zstd"], source, env)
    return source / "programs" / "zstd"


def build_xz(source: Path, *, wasm: bool) -> Path:
    """`./configure --host=$WASMPACK_HOST_TRIPLE` and `make -j2`; the xz program."""
    host = "--host=$WASMPACK_HOST_TRIPLE " if wasm else ""
    prefix = WASMPACK_ENV if wasm else ()
    _run([*prefix, "sh", "-c", f"./configure {host}{XZ_CONFIGURE}"], source, os.environ)
    _run([*prefix, "make", "-j2"], source, os.environ)
    return source / "src" / "xz" / "xz"


BUILDERS = {"zstd": build_zstd, "xz": build_xz}

TWO_THREADS = {
    "zstd": (["-T2", "-vv", "-B1048576", "-c"], ["-d", "-c"], "--threads=2"),
    "xz": (["-T2", "-vv", "--block-size=1MiB", "-c"], ["-T2", "-d", "-c"], "Using up to 2 threads"),
}
"""Per port: compress to stdout with 2 threads, decompress to stdout, and the line that says 2."""


def generated_input(path: Path, size: int = 3 << 20) -> Path:
    """`size` bytes of deterministic, compressible text: words drawn with a fixed seed."""
    words = [f"word{i}" for i in range(2000)]
    draw = random.Random(2026)
    lines, total = [], 0
    while total < size:
        line = " ".join(draw.choices(words, k=12)) + "\n"
        lines.append(line)
        total += len(line)
    path.write_text("".join(lines)[:size], encoding="ascii")
    return path
