"""The artifact is portable: the same file runs unchanged on a second wasi-threads host.

That host is Node.js with `@emnapi/wasi-threads` (tests/portability/), which
creates the shared memory from the limits the module imports and runs each
thread in a Node worker. `.ci/run` installs it; elsewhere the test skips
unless WASMPACK_REQUIRE_TOOLCHAIN is set.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from support import ProjectCopy, ToolchainFor, toolchain_required

from wasmpack_mt.toolchains.model import Language
from wasmpack_mt.wasm.module import parse_module

NODE_HOST = Path(__file__).resolve().parent.parent / "portability"

Wasmpack = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def node() -> str:
    """The `node` binary, with @emnapi/wasi-threads installed beside run.cjs."""
    node = shutil.which("node")
    if node is None or not (NODE_HOST / "node_modules" / "@emnapi" / "wasi-threads").is_dir():
        message = f"node with @emnapi/wasi-threads: run `npm install --prefix {NODE_HOST}`"
        if toolchain_required():
            pytest.fail(message)
        pytest.skip(message)
    return node


def run_on_node(node: str, artifact: Path, *args: str) -> str:
    """Run `artifact` on the Node host with the memory limits it imports."""
    (memory,) = (imp for imp in parse_module(artifact.read_bytes()).imports if imp.kind == "memory")
    limits = memory.type
    result = subprocess.run(
        [
            node,
            "--no-warnings",
            NODE_HOST / "run.cjs",
            artifact,
            str(limits.min),
            str(limits.max),
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


CASES = {
    "c": ("c-pthreads", "rendezvous 4 of 4, timeouts 0"),
    "rust": ("rust-threads", "pushed [0, 1, 4, 9]"),
}


@pytest.mark.parametrize("lang", list(CASES))
def test_artifact_runs_unchanged_on_node(
    node: str,
    lang: Language,
    toolchain_for: ToolchainFor,
    project_copy: ProjectCopy,
    wasmpack: Wasmpack,
) -> None:
    toolchain_for(lang)
    project, expected = CASES[lang]
    artifact = Path(wasmpack("build", project_copy(project)).stdout.splitlines()[-1])
    ours = wasmpack("run", artifact).stdout
    theirs = run_on_node(node, artifact)
    assert expected in ours
    assert theirs == ours
