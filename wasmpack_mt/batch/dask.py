"""Run tasks on a Dask cluster (needs the optional extra: pip install 'wasmpack-mt[distributed]').

The module's bytes travel to each worker process once, inside a worker plugin
named by their sha256 (`wasmpack-module-<sha256>`): the scheduler gives it to
every worker, and to each worker that joins or restarts later, before it runs
tasks. Tasks carry only the sha256. Each process compiles the module at its
first task and keeps it (the compiled code is also cached on disk). So the
bytes are never re-sent per task, and Dask's memory manager has no copy to
drop and fetch again.

A trap or a non-zero exit is a task's result; a worker that dies mid-task
makes Dask run the task again elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from distributed import Client, Future, WorkerPlugin, as_completed

from wasmpack_mt.batch.task import Task, TaskResult, run_task
from wasmpack_mt.errors import HostError
from wasmpack_mt.host import Limits, Program

KEY_PREFIX = "wasmpack-module-"
QUEUED_PER_THREAD = 2
EXIT_TASK_ERROR = 1

_lock = threading.Lock()
_modules: dict[str, bytes] = {}
_programs: dict[str, Program] = {}
_arrivals: Counter[str] = Counter()
_shared: weakref.WeakKeyDictionary[Client, set[str]] = weakref.WeakKeyDictionary()


class ModulePlugin(WorkerPlugin):  # type: ignore[misc]  # an untyped base class
    """Carries a module's bytes to each worker process once.

    Unpickling it (each time the bytes reach a process) counts one arrival
    there: `arrivals(digest)`.
    """

    def __init__(self, wasm: bytes) -> None:
        self.wasm = wasm
        self.digest = hashlib.sha256(wasm).hexdigest()
        self.name = KEY_PREFIX + self.digest

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return (_arrive, (self.wasm,))

    def setup(self, worker: Any) -> None:
        """Keep the bytes in this process for the tasks that name them."""
        with _lock:
            _modules[self.digest] = self.wasm


def _arrive(wasm: bytes) -> ModulePlugin:
    plugin = ModulePlugin(wasm)
    with _lock:
        _arrivals[plugin.digest] += 1
    return plugin


def arrivals(digest: str) -> int:
    """How many times the module with this sha256 reached this process (run it on a worker)."""
    with _lock:
        return _arrivals[digest]


def program_of(digest: str) -> Program:
    """The module with this sha256, compiled once per process."""
    with _lock:
        program = _programs.get(digest)
        if program is None:
            if digest not in _modules:
                raise HostError(f"module {digest} never reached this worker; run the batch again")
            program = _programs[digest] = Program.load(_modules[digest])
        return program


def run_on_worker(digest: str, task: Task, limits: Limits | None) -> TaskResult:
    """The Dask task: run `task` with this process's compiled copy of the module."""
    return run_task(program_of(digest), task, limits)


def share(client: Client, wasm: bytes) -> str:
    """Give the module's bytes to every worker once (per client); return its sha256."""
    plugin = ModulePlugin(wasm)
    known = _shared.setdefault(client, set())
    if plugin.digest not in known:
        client.register_plugin(plugin)
        known.add(plugin.digest)
    return plugin.digest


def submit(
    client: Client, digest: str, task: Task, limits: Limits | None = None
) -> Future[TaskResult]:
    """Start one task of the shared module `digest`; its future's result is a `TaskResult`."""
    name = f"wasmpack-task-{task.name}-{uuid.uuid4().hex[:8]}"
    return client.submit(run_on_worker, digest, task, limits, key=name, pure=False)


def map(
    client: Client,
    module: str | os.PathLike[str] | bytes,
    tasks: Iterable[Task],
    *,
    limits: Limits | None = None,
) -> list[Future[TaskResult]]:
    """Run every task on the cluster; return their futures (results are `TaskResult`)."""
    digest = share(client, _read(module))
    return [submit(client, digest, task, limits) for task in tasks]


def run_on_cluster(
    client: Client,
    module: str | os.PathLike[str] | bytes,
    tasks: Iterable[Task],
    *,
    limits: Limits | None = None,
) -> Iterator[TaskResult]:
    """Run `tasks` on the cluster; yield each result as it finishes.

    At most `QUEUED_PER_THREAD` tasks per worker thread are in flight, so
    `tasks` may read its inputs lazily. A task whose worker kept dying (or
    that raised) yields a result with exit 1 and reason "task-error".
    """
    digest = share(client, _read(module))
    source = iter(tasks)
    window = max(1, sum(client.nthreads().values())) * QUEUED_PER_THREAD
    names: dict[str, str] = {}
    pending = as_completed()
    for task in islice(source, window):
        future = submit(client, digest, task, limits)
        names[future.key] = task.name
        pending.add(future)
    for future in pending:
        for task in islice(source, 1):
            following = submit(client, digest, task, limits)
            names[following.key] = task.name
            pending.add(following)
        yield _result_of(future, names.pop(future.key))
        future.release()


def _result_of(future: Future[TaskResult], name: str) -> TaskResult:
    """The task's result, or a "task-error" result when the task raised or was cancelled.

    A future `as_completed` yielded can lose its result again when the worker
    holding it dies; `result()` then waits for the scheduler to compute it anew.
    """
    try:
        result: TaskResult = future.result()
    except Exception as error:  # the task raised, or was cancelled (FutureCancelledError)
        return TaskResult(
            name, EXIT_TASK_ERROR, "task-error", report=f"{type(error).__name__}: {error}"
        )
    return result


def _read(module: str | os.PathLike[str] | bytes) -> bytes:
    return module if isinstance(module, bytes) else Path(module).read_bytes()
