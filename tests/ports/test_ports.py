"""The ports suite: unpatched upstream zstd and xz, built through plain `wasmpack env`.

zstd with its Makefile, xz with its autotools configure; both round-trip a
generated file with 2 threads, byte for byte, on our host and on Node, and a
tiny program built the same way sees the real core count. Slow (minutes: two
real builds), so marked; CI runs it with the rest.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from node_host import node_binary, run_on_node
from ports import BUILDERS, TWO_THREADS, WASMPACK_ENV, generated_input, ports, unpacked
from support import require_toolchain

from wasmpack_mt.host.cpus import host_cpus

pytestmark = [pytest.mark.slow, pytest.mark.toolchain("c")]

NPROCS = """
#include <stdio.h>
#include <sys/sysinfo.h>
#include <unistd.h>
int main(void) {
    printf("%ld %d\\n", sysconf(_SC_NPROCESSORS_ONLN), get_nprocs());
    return 0;
}
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory for the sources and the data, after checking the C toolchain is there."""
    require_toolchain("c")
    yield tmp_path_factory.mktemp("ports")


@pytest.fixture(scope="module")
def built(workspace: Path) -> dict[str, Path]:
    """Each port's wasm program, built from the pinned upstream release without patches."""
    programs = {}
    for name, port in ports().items():
        programs[name] = BUILDERS[name](unpacked(port, workspace / "src"), wasm=True)
    return programs


@pytest.fixture(scope="module")
def data(workspace: Path) -> Path:
    """The directory the guests may reach, holding the generated input."""
    directory = workspace / "data"
    directory.mkdir()
    generated_input(directory / "input.txt")
    return directory


def on_our_host(program: Path, args: list[str], data: Path, output: Path) -> str:
    """`wasmpack run PROGRAM --dir DATA -- ARGS` with stdout into `output`; its stderr."""
    with output.open("wb") as out:
        result = subprocess.run(
            [sys.executable, "-m", "wasmpack_mt", "run", program, "--dir", data, "--", *args],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE, text=True,
            check=False, timeout=600,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stderr


def on_node(program: Path, args: list[str], data: Path, output: Path) -> str:
    """The same on Node (tests/portability/run.cjs); its stderr."""
    with output.open("wb") as out:
        result = run_on_node(node_binary(), program, *args, dirs=[data], stdout=out, timeout=600)
    assert result.returncode == 0, result.stderr.decode()
    return result.stderr.decode()


HOSTS = {"host": on_our_host, "node": on_node}
NODE_OPTIONS = {"zstd": ["--no-asyncio"], "xz": []}
"""Node's WASI gives each thread its own descriptor table, so a file the main thread
opened cannot be read by zstd's I/O thread there (ours has one table for all)."""


@pytest.mark.parametrize("host", list(HOSTS))
@pytest.mark.parametrize("name", list(TWO_THREADS))
def test_round_trip_with_two_threads(
    name: str, host: str, built: dict[str, Path], data: Path
) -> None:
    run = HOSTS[host]
    compress, decompress, two_threads = TWO_THREADS[name]
    if host == "node":
        compress, decompress = NODE_OPTIONS[name] + compress, NODE_OPTIONS[name] + decompress
    packed = data / f"{name}-{host}.packed"
    unpacked_copy = data / f"{name}-{host}.txt"
    report = run(built[name], [*compress, str(data / "input.txt")], data, packed)
    assert two_threads in report
    run(built[name], [*decompress, str(packed)], data, unpacked_copy)
    assert unpacked_copy.read_bytes() == (data / "input.txt").read_bytes()
    assert packed.stat().st_size < unpacked_copy.stat().st_size // 2


def test_sysconf_reports_the_real_core_count(workspace: Path) -> None:
    source = workspace / "nprocs.c"
    source.write_text(NPROCS)
    subprocess.run(
        [*WASMPACK_ENV, "sh", "-c", '$CC $CFLAGS nprocs.c -o nprocs.wasm $LDFLAGS'],
        cwd=workspace, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    program = workspace / "nprocs.wasm"
    cores = f"{host_cpus()} {host_cpus()}"
    ours = workspace / "ours.txt"
    on_our_host(program, [], workspace, ours)
    assert ours.read_text().strip() == cores
    theirs = workspace / "theirs.txt"
    on_node(program, [], workspace, theirs)
    assert theirs.read_text().strip() == cores
