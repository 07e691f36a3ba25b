"""The second wasi-threads host of the tests: Node.js + @emnapi/wasi-threads (tests/portability/).

`.ci/run` installs it; elsewhere the tests that need it skip unless
WASMPACK_REQUIRE_TOOLCHAIN is set.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import pytest
from support import toolchain_required

from wasmpack_mt.wasm.module import Limits, parse_module

NODE_HOST = Path(__file__).resolve().parent / "portability"


def node_binary() -> str:
    """`node`, with @emnapi/wasi-threads installed beside run.cjs; else skip (fail in CI)."""
    node = shutil.which("node")
    if node is None or not (NODE_HOST / "node_modules" / "@emnapi" / "wasi-threads").is_dir():
        message = f"node with @emnapi/wasi-threads: run `npm install --prefix {NODE_HOST}`"
        if toolchain_required():
            pytest.fail(message)
        pytest.skip(message)
    return node


def run_on_node(
    node: str,
    artifact: Path,
    *args: str,
    dirs: Sequence[Path] = (),
    env: Sequence[str] = (),
    stdout: IO[bytes] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[bytes]:
    """Run `artifact` on Node with the memory limits it imports; output to pipes unless `stdout`."""
    (memory,) = (imp for imp in parse_module(artifact.read_bytes()).imports if imp.kind == "memory")
    assert isinstance(memory.type, Limits)
    argv: list[str | Path] = [node, "--no-warnings", NODE_HOST / "run.cjs"]
    for directory in dirs:
        argv += ["--dir", directory]
    for pair in env:
        argv += ["--env", pair]
    argv += [artifact, str(memory.type.min), str(memory.type.max), *args]
    return subprocess.run(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
        timeout=timeout,
    )
