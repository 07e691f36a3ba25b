"""The artifact is portable: the same file runs unchanged on a second wasi-threads host.

That host is Node.js with `@emnapi/wasi-threads` (tests/portability/), which
creates the shared memory from the limits the module imports and runs each
thread in a Node worker. `.ci/run` installs it; elsewhere the test skips
unless WASMPACK_REQUIRE_TOOLCHAIN is set.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from node_host import node_binary, run_on_node
from support import ProjectCopy, ToolchainFor

from wasmpack_mt.toolchains.model import Language

Wasmpack = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def node() -> str:
    """The `node` binary, with @emnapi/wasi-threads installed beside run.cjs."""
    return node_binary()


def node_stdout(node: str, artifact: Path) -> str:
    """Run `artifact` on the Node host; its stdout (the run must exit 0)."""
    result = run_on_node(node, artifact, timeout=120)
    assert result.returncode == 0, (result.stdout + result.stderr).decode(errors="replace")
    return result.stdout.decode()


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
    theirs = node_stdout(node, artifact)
    assert expected in ours
    assert theirs == ours
