"""Run tasks on a Dask cluster (needs the optional extra: pip install 'wasmpack-mt[distributed]').

The module's bytes are scattered once to every worker under a content-addressed
key (`wasmpack-module-<sha256>`); each task only names that key, so the bytes
are never re-sent per task, and a worker that joins later (or restarts) fetches
them once from a peer. Each worker process compiles the module once (and the
compiled code is cached on disk, keyed by the engine and the module). A trap or
a non-zero exit is a task's result; a worker that dies mid-task makes Dask run
the task again elsewhere.
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

from distributed import Client, Future, as_completed

from wasmpack_mt.batch.task import Task, TaskResult, run_task
from wasmpack_mt.host import Limits, Program

QUEUED_PER_THREAD = 2
EXIT_TASK_ERROR = 1

_lock = threading.Lock()
_programs: dict[str, Program] = {}
_arrivals: Counter[str] = Counter()
_shared: weakref.WeakKeyDictionary[Client, dict[str, Future[ModuleBytes]]] = (
    weakref.WeakKeyDictionary()
)


class ModuleBytes:
    """A module's bytes as Dask data, named by their sha256.

    Unpickling it (which happens each time the bytes reach a process) counts
    one arrival in that process: `arrivals(digest)`.
    """

    __slots__ = ("digest", "wasm")

    def __init__(self, wasm: bytes) -> None:
        self.wasm = wasm
        self.digest = hashlib.sha256(wasm).hexdigest()

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return (_arrive, (self.wasm,))

    def __sizeof__(self) -> int:
        return object.__sizeof__(self) + len(self.wasm)

    @property
    def key(self) -> str:
        """The Dask key of the scattered module."""
        return f"wasmpack-module-{self.digest}"


def _arrive(wasm: bytes) -> ModuleBytes:
    module = ModuleBytes(wasm)
    with _lock:
        _arrivals[module.digest] += 1
    return module


def arrivals(digest: str) -> int:
    """How many times the module with this sha256 reached this process (run it on a worker)."""
    with _lock:
        return _arrivals[digest]


def program_of(module: ModuleBytes) -> Program:
    """The module compiled for this process, once per process."""
    with _lock:
        program = _programs.get(module.digest)
        if program is None:
            program = _programs[module.digest] = Program.load(module.wasm)
        return program


def run_on_worker(module: ModuleBytes, task: Task, limits: Limits | None) -> TaskResult:
    """The Dask task: run `task` with the worker's compiled copy of `module`."""
    return run_task(program_of(module), task, limits)


def share(client: Client, wasm: bytes) -> Future[ModuleBytes]:
    """Send the module's bytes to every worker once; the future names them for tasks.

    The future is kept for the client's lifetime, so later batches of the same
    module reuse it and results lost with a worker can be recomputed.
    """
    module = ModuleBytes(wasm)
    known = _shared.setdefault(client, {})
    future = known.get(module.digest)
    if future is None or future.status != "finished":
        scattered = client.scatter({module.key: module}, broadcast=True)
        future = known[module.digest] = scattered[module.key]
    return future


def submit(
    client: Client, shared: Future[ModuleBytes], task: Task, limits: Limits | None = None
) -> Future[TaskResult]:
    """Start one task on the cluster; its future's result is a `TaskResult`."""
    key = f"wasmpack-task-{task.name}-{uuid.uuid4().hex[:8]}"
    return client.submit(run_on_worker, shared, task, limits, key=key, pure=False)


def map(
    client: Client,
    module: str | os.PathLike[str] | bytes,
    tasks: Iterable[Task],
    *,
    limits: Limits | None = None,
) -> list[Future[TaskResult]]:
    """Run every task on the cluster; return their futures (results are `TaskResult`)."""
    shared = share(client, _module_bytes(module))
    return [submit(client, shared, task, limits) for task in tasks]


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
    shared = share(client, _module_bytes(module))
    source = iter(tasks)
    window = max(1, sum(client.nthreads().values())) * QUEUED_PER_THREAD
    names: dict[str, str] = {}
    pending = as_completed()
    for task in islice(source, window):
        future = submit(client, shared, task, limits)
        names[future.key] = task.name
        pending.add(future)
    for future in pending:
        for task in islice(source, 1):
            following = submit(client, shared, task, limits)
            names[following.key] = task.name
            pending.add(following)
        yield _result_of(future, names.pop(future.key))
        future.release()


def _result_of(future: Future[TaskResult], name: str) -> TaskResult:
    if future.status == "finished":
        result: TaskResult = future.result()
        return result
    try:
        error = future.exception()
    except BaseException as cancelled:  # a cancelled future raises instead of returning
        error = cancelled
    return TaskResult(
        name, EXIT_TASK_ERROR, "task-error", report=f"{type(error).__name__}: {error}"
    )


def _module_bytes(module: str | os.PathLike[str] | bytes) -> bytes:
    return module if isinstance(module, bytes) else Path(module).read_bytes()
