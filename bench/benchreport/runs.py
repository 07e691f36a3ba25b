"""Interleaved, repeated runs: every repeat runs every row on every host, hosts in rotating
order, so a change of machine load falls on all hosts alike; cells keep medians."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from benchreport.measure import Run, median, run
from benchreport.tools import Missing

Parse = Callable[[Run], dict[str, float]]


@dataclass
class Cell:
    """One host's measurements of one row: samples, their medians, or why there are none."""

    samples: list[dict[str, float]] = field(default_factory=list)
    checksums: set[str] = field(default_factory=set)
    note: str | None = None  # "n/a: why", or "failed: why" when no run gave a sample
    failures: list[str] = field(default_factory=list)  # runs that failed, when some did not

    def medians(self) -> dict[str, float]:
        if self.note is not None or not self.samples:
            return {}
        return {key: median([sample[key] for sample in self.samples]) for key in self.samples[0]}

    def as_json(self) -> dict[str, object]:
        if self.note is not None:
            return {"note": self.note}
        return {"median": self.medians(), "samples": self.samples, "failures": self.failures}

    def failure_note(self) -> str | None:
        """Why some runs failed, when others gave samples."""
        if not self.failures:
            return None
        runs = len(self.failures) + len(self.samples)
        return f"{len(self.failures)} of {runs} runs failed: {self.failures[0]}"


@dataclass(frozen=True)
class Job:
    """Run `argv` for one row on one host, `parse` turning the run into numbers."""

    row: str
    host: str
    argv: list[str] | Missing
    parse: Parse
    peak_rss: bool = False


def run_jobs(jobs: list[Job], repeats: int, timeout_s: float) -> dict[tuple[str, str], Cell]:
    """Run every job `repeats` times, interleaved; a failing job stops being run."""
    cells = {(job.row, job.host): Cell() for job in jobs}
    for job in jobs:
        if isinstance(job.argv, Missing):
            cells[job.row, job.host].note = f"n/a: {job.argv.reason}"
    rows = list(dict.fromkeys(job.row for job in jobs))
    for repeat in range(repeats):
        for row in rows:
            row_jobs = [job for job in jobs if job.row == row]
            shift = repeat % len(row_jobs)
            for job in row_jobs[shift:] + row_jobs[:shift]:
                cell = cells[job.row, job.host]
                if cell.note is None and not isinstance(job.argv, Missing):
                    _run_one(job, job.argv, cell, timeout_s, f"{repeat + 1}/{repeats}")
    for cell in cells.values():
        if cell.failures and not cell.samples:
            cell.note, cell.failures = f"failed: {cell.failures[0]}", []
    return cells


def _run_one(job: Job, argv: list[str], cell: Cell, timeout_s: float, which: str) -> None:
    result = run(argv, timeout_s, peak_rss=job.peak_rss)
    try:
        if not result.ok:
            raise ValueError(result.failure())
        sample = job.parse(result)
    except ValueError as exc:
        cell.failures.append(str(exc))
        print(f"  {job.row:<14} {job.host:<9} {which}: failed: {exc}", file=sys.stderr)
        return
    if checksum := re.search(r"^result (\S+)$", result.stdout, re.MULTILINE):
        cell.checksums.add(checksum.group(1))
    cell.samples.append(sample)
    shown = "  ".join(f"{key} {value:.4g}" for key, value in sample.items())
    print(f"  {job.row:<14} {job.host:<9} {which}: {shown}", file=sys.stderr)


def number_after(label: str, result: Run) -> float:
    """The number on the program's `LABEL <number>` line."""
    match = re.search(rf"^{label} ([0-9.]+)$", result.stdout, re.MULTILINE)
    if match is None:
        raise ValueError(f"unexpected output, no `{label}` line: {result.stdout[-160:]!r}")
    return float(match.group(1))


def kernel_sample(result: Run) -> dict[str, float]:
    return {
        "wall_s": result.wall_s,
        "compute_s": number_after("compute_ms", result) / 1000,
        "cpu_s": result.cpu_s,
    }


def spawn_sample(result: Run) -> dict[str, float]:
    return {"spawn_us": number_after("median_us", result)}


def process_sample(result: Run) -> dict[str, float]:
    return {"wall_s": result.wall_s, "cpu_s": result.cpu_s}


def rss_sample(result: Run) -> dict[str, float]:
    if result.rss_mib is None:
        raise ValueError("/usr/bin/time printed no peak RSS")
    return {"rss_mib": result.rss_mib, "wall_s": result.wall_s}


def check_checksums(cells: dict[tuple[str, str], Cell], reference_host: str) -> None:
    """Every host must print the reference host's checksum for a row (else the cell fails)."""
    for (row, _host), cell in cells.items():
        reference = cells.get((row, reference_host))
        if reference is None or not reference.checksums or cell.note is not None:
            continue
        if cell.checksums and cell.checksums != reference.checksums:
            got, expected = sorted(cell.checksums), sorted(reference.checksums)
            cell.note = f"failed: wrong result {got} ({reference_host} printed {expected})"
