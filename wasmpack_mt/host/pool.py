"""A process-wide pool of idle OS threads for wasm threads.

Starting an OS thread costs more than instantiating the module (about 170 us
against 50 us here), so a thread whose wasm thread has ended waits a moment
for the next one instead of exiting. Each job still gets one OS thread of its
own for as long as it runs: a job never waits for another job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

IDLE_SECONDS = 2.0

Job = Callable[[], None]


class _Worker:
    def __init__(self) -> None:
        self.job: Job | None = None
        self.wake = threading.Lock()  # held while idle; released to hand over a job
        self.wake.acquire()


_idle: list[_Worker] = []
_lock = threading.Lock()


def run_in_thread(job: Job, name: str) -> None:
    """Run `job` on an idle pool thread, or on a new one if none is idle."""
    with _lock:
        worker = _idle.pop() if _idle else None
    if worker is None:
        worker = _Worker()
        worker.job = job
        threading.Thread(target=_serve, args=(worker,), name=name, daemon=True).start()
        return
    worker.job = job
    worker.wake.release()


def _serve(worker: _Worker) -> None:
    while True:
        job, worker.job = worker.job, None
        if job is not None:
            job()
        with _lock:
            _idle.append(worker)  # before releasing the job: a spawn right now finds us
        del job  # release the finished thread's Store while idle
        if not worker.wake.acquire(timeout=IDLE_SECONDS):
            with _lock:
                if worker in _idle:
                    _idle.remove(worker)
                    return
            worker.wake.acquire()  # a job was handed to us just as we timed out
