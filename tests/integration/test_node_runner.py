"""The Node runner (tests/portability/run.cjs): preopens, stdio on pipes, a run that always ends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from node_host import node_binary, run_on_node
from support import ToolchainFor

pytestmark = pytest.mark.toolchain("c")

PROGRAM = r"""
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *thread(void *what) {
    if (strcmp(what, "trap") == 0) __builtin_trap();
    if (strcmp(what, "exit") == 0) exit(3);
    return NULL;
}

int main(int argc, char **argv) {
    pthread_t worker;
    pthread_create(&worker, NULL, thread, argv[1]);
    pthread_join(worker, NULL);
    if (strcmp(argv[1], "lines") == 0)
        for (int i = 0; i < 200000; i++) printf("line %d\n", i);
    if (strcmp(argv[1], "read") == 0) {
        FILE *file = fopen(argv[2], "r");
        char text[64] = "";
        printf("read: %s\n", file && fgets(text, sizeof text, file) ? text : "failed");
    }
    return 0;
}
"""


@pytest.fixture
def program(toolchain_for: ToolchainFor, tmp_path: Path) -> Path:
    """PROGRAM, built by hand under `wasmpack env`."""
    toolchain_for("c")
    (tmp_path / "prog.c").write_text(PROGRAM)
    wasmpack_env = [sys.executable, "-m", "wasmpack_mt", "env", "--lang", "c", "--"]
    subprocess.run(
        [*wasmpack_env, "sh", "-c", "$CC $CFLAGS prog.c -o prog.wasm $LDFLAGS"],
        cwd=tmp_path, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return tmp_path / "prog.wasm"


def test_output_to_a_pipe_arrives_whole(program: Path) -> None:
    result = run_on_node(node_binary(), program, "lines")
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 200000 and lines[-1] == "line 199999"


def test_a_preopened_directory_is_reachable(program: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "in.txt").write_text("hello from the host\n")
    result = run_on_node(node_binary(), program, "read", str(data / "in.txt"), dirs=[data])
    assert result.stdout.decode() == "read: hello from the host\n\n"  # fgets keeps the newline
    unreachable = run_on_node(node_binary(), program, "read", str(data / "in.txt"))
    assert unreachable.stdout.decode() == "read: failed\n"


def test_a_guest_thread_that_traps_or_exits_ends_the_run(program: Path) -> None:
    trapped = run_on_node(node_binary(), program, "trap", timeout=60)
    assert trapped.returncode == 134
    assert "error: the guest failed: RuntimeError: unreachable" in trapped.stderr.decode()
    exited = run_on_node(node_binary(), program, "exit", timeout=60)
    assert exited.returncode == 3
