"""Run one command and measure it: wall time, CPU time and peak RSS of the whole process."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """What one run of a command did."""

    argv: tuple[str, ...]
    exit_code: int
    wall_s: float
    cpu_s: float
    rss_mib: float | None  # peak RSS from /usr/bin/time, when asked for and available
    stdout: str
    stderr: str
    timed_out: bool

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out

    def failure(self) -> str:
        """One line saying why the run failed."""
        if self.timed_out:
            return f"timed out after {self.wall_s:.0f} s"
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        last = lines[-1].strip() if lines else "no output on stderr"
        return f"exit {self.exit_code}: {last[:160]}"


TIME = Path("/usr/bin/time")


def can_measure_rss() -> bool:
    """Peak RSS needs GNU time: wait4's ru_maxrss of a child we start also counts this
    (large) Python process's pages, which the child inherits until it execs."""
    return TIME.is_file()


def run(argv: Sequence[str | Path], timeout_s: float, peak_rss: bool = False) -> Run:
    """Run `argv` to the end (its process group killed after `timeout_s`): wall time, CPU
    time of the process and its threads (wait4), and with `peak_rss` its peak RSS."""
    command = tuple(str(part) for part in argv)
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile(mode="r") as rss,
    ):
        launched = command
        if peak_rss and can_measure_rss():
            launched = (str(TIME), "-f", "%M", "-o", rss.name, *command)
        started = time.perf_counter()
        try:
            process = subprocess.Popen(launched, stdout=out, stderr=err, start_new_session=True)
        except OSError as exc:
            return Run(command, 127, 0.0, 0.0, None, "", f"cannot start: {exc}", False)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout_s, kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            argv=command,
            exit_code=process.returncode,
            wall_s=wall,
            cpu_s=usage.ru_utime + usage.ru_stime,
            rss_mib=_kib_to_mib(rss.read()) if launched != command else None,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
            timed_out=killed.is_set(),
        )


def _kib_to_mib(text: str) -> float | None:
    last = text.strip().splitlines()[-1:] or [""]
    return int(last[0]) / 1024 if last[0].isdigit() else None


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages."""
    return [round(value, 2) for value in os.getloadavg()]
