"""`wasmpack_mt.batch.dask` and `wasmpack batch --scheduler` on a real Dask cluster.

A `distributed.LocalCluster` with two worker processes (each behind a nanny
that restarts it) runs the real modules. The module's arrivals in each worker
process are counted where they happen (`wasmpack_mt.batch.dask.arrivals`):
every path by which its bytes reach a process counts one.
"""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_support import Modules, need_dask
from support import fib, wasmpack

from wasmpack_mt.batch import Task, TaskResult

pytestmark = [pytest.mark.toolchain("c"), pytest.mark.slow]

ITEMS = 50
TRAP_ITEM = 17


@pytest.fixture
def client() -> Iterator[Any]:
    """A client of a fresh two-process LocalCluster (one task at a time per worker)."""
    need_dask()
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def fib_task(index: int, threads: int, k: int) -> Task:
    return Task(f"fib-{index}", ("fib", str(threads), str(k)))


def fib_output(threads: int, k: int) -> bytes:
    lines = [f"thread {i}: fib({k}) = {fib(k)}" for i in range(threads)]
    return "\n".join([*lines, f"total = {threads * fib(k)}", ""]).encode()


def upper_input(index: int) -> bytes:
    return f"{'trap' if index == TRAP_ITEM else 'item'} {index}: some text\n".encode() * index


def arrivals_per_worker(client: Any, module: Path) -> dict[str, int]:
    from wasmpack_mt.batch.dask import arrivals

    counts: dict[str, int] = client.run(arrivals, hashlib.sha256(module.read_bytes()).hexdigest())
    return counts


def test_fib_and_a_filter_over_50_items_send_each_module_once_per_worker(
    modules: Modules, client: Any
) -> None:
    from wasmpack_mt.batch import dask as on_dask

    fib_futures = on_dask.map(client, modules.fib, [fib_task(i, 2, i % 25) for i in range(ITEMS)])
    upper_tasks = [Task(f"upper-{i}", ("upper",), stdin=upper_input(i)) for i in range(ITEMS)]
    upper_futures = on_dask.map(client, modules.upper, upper_tasks)
    fib_results: list[TaskResult] = client.gather(fib_futures)
    upper_results: list[TaskResult] = client.gather(upper_futures)

    assert [(r.name, r.exit_code, r.stdout) for r in fib_results] == [
        (f"fib-{i}", 0, fib_output(2, i % 25)) for i in range(ITEMS)
    ]
    for index, result in enumerate(upper_results):
        if index == TRAP_ITEM:
            assert (result.exit_code, result.reason) == (134, "trap")
            assert "unreachable" in result.report
        else:
            assert (result.exit_code, result.stdout) == (0, upper_input(index).upper())
    workers = set(client.scheduler_info()["workers"])
    assert len(workers) == 2
    assert arrivals_per_worker(client, modules.fib) == dict.fromkeys(workers, 1)
    assert arrivals_per_worker(client, modules.upper) == dict.fromkeys(workers, 1)


def test_killing_a_worker_process_mid_batch_still_completes_every_item(
    modules: Modules, client: Any
) -> None:
    from wasmpack_mt.batch.dask import run_on_cluster

    pids: dict[str, int] = client.run(os.getpid)
    tasks = [fib_task(i, 1, 30 + i % 3) for i in range(ITEMS)]
    results: dict[str, TaskResult] = {}
    killed: tuple[str, list[str]] | None = None
    for result in run_on_cluster(client, modules.fib, tasks):
        results[result.name] = result
        if killed is None and len(results) >= 5:
            busy = {addr: keys for addr, keys in client.processing().items() if keys}
            if busy:
                victim, keys = next(iter(busy.items()))
                os.kill(pids[victim], signal.SIGKILL)
                killed = (victim, keys)

    assert killed is not None, "no worker was busy to be killed"
    assert sorted(results) == sorted(task.name for task in tasks)
    for index, task in enumerate(tasks):
        assert results[task.name].exit_code == 0, results[task.name].report
        assert results[task.name].stdout == fib_output(1, 30 + index % 3)
    assert pids[killed[0]] not in client.run(os.getpid).values(), "the victim did not die"
    workers = set(client.scheduler_info()["workers"])
    assert arrivals_per_worker(client, modules.fib) == dict.fromkeys(workers, 1)  # restarted too


def test_cli_scheduler_gives_the_same_outputs_as_a_local_batch(
    modules: Modules, client: Any, tmp_path: Path
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for index in range(1, 12):
        (inputs / f"text-{index}.txt").write_bytes(upper_input(index))
    (inputs / "trap.txt").write_bytes(b"trap now")
    address = client.scheduler.address
    remote = wasmpack(
        "batch", modules.upper, "--inputs", inputs, "--output", tmp_path / "remote",
        "--scheduler", address, expect=1,
    )  # fmt: skip
    wasmpack("batch", modules.upper, "--inputs", inputs, "--output", tmp_path / "local", expect=1)

    assert "12 items: 11 done, 1 failed, 0 skipped" in remote.stdout
    assert "failed: trap.txt (exit 134, trap)" in remote.stdout
    remote_files = sorted(p.name for p in (tmp_path / "remote").iterdir())
    assert remote_files == sorted([".wasmpack-batch", *(f"text-{i}.txt" for i in range(1, 12))])
    for index in range(1, 12):
        name = f"text-{index}.txt"
        assert (tmp_path / "remote" / name).read_bytes() == upper_input(index).upper()
        assert (tmp_path / "local" / name).read_bytes() == upper_input(index).upper()
