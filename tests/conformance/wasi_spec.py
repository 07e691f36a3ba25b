"""Run test cases in the wasi-testsuite layout through `wasmpack run`.

A suite directory holds `NAME.wasm` and, optionally, `NAME.json` with the
legacy specification of github.com/WebAssembly/wasi-testsuite: `args`, `env`,
`dirs` (preopened as `--dir DIR/d::d`), `exit_code`, `stdout`, `stderr`
(expected output prefixes). Stdin is an open pipe for the whole run, and the
`*.cleanup` files a case leaves in its directories are removed before and after.

The project's own conformance modules are `wasi/NAME.wat` (a module body: the
`_imports.wat` / `_helpers.wat` prelude is wrapped around it) with the same
`NAME.json`; `build_case` compiles one into that layout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import wasmtime

OWN_MODULES = Path(__file__).parent / "wasi"
LEGACY_KEYS = {"args", "dirs", "env", "exit_code", "stdout", "stderr"}
CASE_TIMEOUT = 60.0  # seconds; a hang fails the case instead of blocking the suite


@dataclass(frozen=True)
class Spec:
    """What one case runs with and expects (the wasi-testsuite defaults when absent)."""

    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    dirs: list[str] = field(default_factory=list)
    exit_code: int = 0
    stdout: str = ""
    stderr: str = ""

    @classmethod
    def of(cls, wasm: Path) -> Spec:
        """The spec next to `wasm`; ValueError for keys this runner does not know."""
        path = wasm.with_suffix(".json")
        document = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        unknown = set(document) - LEGACY_KEYS - {"name"}
        if unknown:
            raise ValueError(f"{path.name}: unsupported spec keys {sorted(unknown)}")
        return cls(**{key: value for key, value in document.items() if key in LEGACY_KEYS})


def cases(suite: Path) -> list[Path]:
    """The test cases (`*.wasm`) of a suite directory, by name."""
    found = sorted(suite.glob("*.wasm"))
    if not found:
        raise ValueError(f"{suite} holds no *.wasm test cases")
    return found


def own_modules() -> list[Path]:
    """The project's own conformance modules (`wasi/*.wat`, prelude files excepted)."""
    return sorted(path for path in OWN_MODULES.glob("*.wat") if not path.name.startswith("_"))


def build_case(source: Path, target_dir: Path) -> Path:
    """Compile `source` (a module body) into `target_dir` with its spec and empty dirs."""
    prelude = {part: (OWN_MODULES / f"_{part}.wat").read_text() for part in ("imports", "helpers")}
    text = f"(module\n{prelude['imports']}\n{source.read_text()}\n{prelude['helpers']})"
    wasm = target_dir / f"{source.stem}.wasm"
    wasm.write_bytes(bytes(wasmtime.wat2wasm(text)))
    spec_file = source.with_suffix(".json")
    if spec_file.exists():
        shutil.copy(spec_file, wasm.with_suffix(".json"))
    for directory in Spec.of(wasm).dirs:
        (target_dir / directory).mkdir(exist_ok=True)
    return wasm


def _remove_cleanup_files(directory: Path) -> None:
    for path in sorted(directory.glob("**/*.cleanup"), reverse=True):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def run_case(wasm: Path, cache_dir: Path) -> str | None:
    """Run one case; None when it passed, else why it failed."""
    spec = Spec.of(wasm)
    command = [sys.executable, "-m", "wasmpack_mt", "run"]
    for key, value in spec.env.items():
        command += ["--env", f"{key}={value}"]
    for directory in spec.dirs:
        command += ["--dir", f"{wasm.parent / directory}::{directory}"]
    command += [str(wasm), "--", *spec.args]
    for directory in spec.dirs:
        _remove_cleanup_files(wasm.parent / directory)
    stdin_read, stdin_write = os.pipe()  # stdin stays open: a read blocks, as in a terminal
    try:
        result = subprocess.run(
            command,
            stdin=stdin_read,
            capture_output=True,
            env={**os.environ, "WASMPACK_CACHE_DIR": str(cache_dir)},
            timeout=CASE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"no exit within {CASE_TIMEOUT:g} s"
    finally:
        os.close(stdin_read)
        os.close(stdin_write)
        for directory in spec.dirs:
            _remove_cleanup_files(wasm.parent / directory)
    stdout = result.stdout.decode("utf-8", errors="replace")
    stderr = result.stderr.decode("utf-8", errors="replace")
    problems = []
    if result.returncode != spec.exit_code:
        problems.append(f"exit {result.returncode}, expected {spec.exit_code}")
    if not stdout.startswith(spec.stdout):
        problems.append(f"stdout {stdout[:200]!r} does not start with {spec.stdout!r}")
    if not stderr.startswith(spec.stderr):
        problems.append(f"stderr does not start with {spec.stderr!r}")
    if not problems:
        return None
    return "; ".join(problems) + f"\n$ {' '.join(command)}\nstderr:\n{stderr[-2000:]}"
