"""Run tasks on threads of this process (calls into wasm release the GIL: real parallelism)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from itertools import islice

from wasmpack_mt.batch.task import Task, TaskResult, run_task
from wasmpack_mt.host import Limits, Program

QUEUED_PER_JOB = 2
"""Tasks built ahead per job: `tasks` may be a generator that reads inputs lazily."""


def default_jobs(threads_per_task: int = 1) -> int:
    """Tasks at once so that every core is busy: cores divided by each task's busy threads."""
    return max(1, (os.cpu_count() or 1) // max(1, threads_per_task))


def run_local(
    program: Program, tasks: Iterable[Task], *, jobs: int, limits: Limits | None = None
) -> Iterator[TaskResult]:
    """Run `tasks`, `jobs` at a time; yield each result as it finishes.

    At most `jobs * QUEUED_PER_JOB` tasks are taken from `tasks` ahead of the
    ones running. Closing the iterator early cancels the tasks not yet started.
    """
    source = iter(tasks)
    with ThreadPoolExecutor(jobs, thread_name_prefix="wasmpack-batch") as pool:
        try:
            running: set[Future[TaskResult]] = {
                pool.submit(run_task, program, task, limits)
                for task in islice(source, jobs * QUEUED_PER_JOB)
            }
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for task in islice(source, len(done)):
                    running.add(pool.submit(run_task, program, task, limits))
                for future in done:
                    yield future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
