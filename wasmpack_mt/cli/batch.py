"""`wasmpack batch`: run a module once per input file, here or on a Dask cluster."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wasmpack_mt.cli.guest_args import parse_env
from wasmpack_mt.cli.run import parse_size
from wasmpack_mt.errors import UsageError

if TYPE_CHECKING:
    from distributed import Client

    from wasmpack_mt.batch import FolderBatch, Task, TaskResult
    from wasmpack_mt.batch.module import CommandModule
    from wasmpack_mt.host import Limits

EXIT_SOME_FAILED = 1
EXIT_INTERRUPTED = 130
CONNECT_SECONDS = 10
LISTED_FAILURES = 20
INSTALL_DASK = "pip install 'wasmpack-mt[distributed]'"


def _add_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """The batch options; accepted before and after FILE (`defaults` only on the first pass)."""
    keep = argparse.SUPPRESS

    def option(*names: str, default: Any = None, **kwargs: Any) -> None:
        parser.add_argument(*names, default=default if defaults else keep, **kwargs)

    option("--inputs", metavar="DIR", help="the folder of input files (one run per file)")
    option("--output", metavar="DIR", help="where each run's stdout goes, under the input's name")
    option(
        "--preopen", action="store_true", default=False,
        help="give the input as the file /work/NAME (its path replaces {} in ARGS, or is "
        "appended) instead of on stdin",
    )  # fmt: skip
    option("--jobs", type=int, metavar="N", help="items at once (default: cores ÷ --item-threads)")
    option(
        "--item-threads", type=int, metavar="T", default=1,
        help="threads each item keeps busy, for the default --jobs and RAYON_NUM_THREADS "
        "(default 1)",
    )  # fmt: skip
    option("--timeout", type=float, metavar="SECONDS", help="end an item after SECONDS (exit 124)")
    option(
        "--resume", action="store_true", default=False,
        help="skip items a previous batch finished with exit 0 (same module, args and input)",
    )  # fmt: skip
    option("--json", action="store_true", default=False, help="print the summary as JSON")
    option(
        "--scheduler", metavar="tcp://HOST:PORT",
        help=f"run on this Dask cluster instead of this machine (needs {INSTALL_DASK})",
    )  # fmt: skip
    option(
        "--dir", action="append", default=[], metavar="HOST[::GUEST]",
        help="a directory every item may reach (after /work); repeatable",
    )  # fmt: skip
    option("--env", action="append", default=[], metavar="K=V", help="set a guest variable")
    option("--inherit-env", action="store_true", default=False, help="start from the host's env")
    option("--max-threads", type=int, metavar="N", help="spawned threads alive at once, per item")
    option("--max-memory", metavar="SIZE", help="cap each item's shared memory, e.g. 256MiB")


def register(subparsers: Any) -> None:
    """Add the `batch` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "batch",
        help="run a .wasm module once per input file, in parallel (or on a Dask cluster)",
        usage="wasmpack batch FILE --inputs DIR --output DIR [options] [-- ARGS...]",
        description="Run a command module once per file of --inputs (stdin = the file; its "
        "stdout -> --output/NAME), several at once. A trap or non-zero exit fails that item "
        "only. Exit code: 0 if every item exited 0, 1 if any failed, 2 for bad arguments.",
    )
    _add_options(parser, defaults=True)
    parser.add_argument(
        "rest", nargs=argparse.REMAINDER, metavar="FILE [options] [-- ARGS...]",
        help="the .wasm module, more options, then the module's arguments after --",
    )  # fmt: skip
    parser.set_defaults(handler=batch_command)


def _split_rest(args: argparse.Namespace) -> tuple[Path, list[str]]:
    """FILE and the guest's arguments; options after FILE go into `args`."""
    rest = list(args.rest)
    guest: list[str] = []
    if "--" in rest:
        rest, guest = rest[: rest.index("--")], rest[rest.index("--") + 1 :]
    options = argparse.ArgumentParser(prog="wasmpack batch", add_help=False, exit_on_error=False)
    _add_options(options, defaults=False)
    try:
        _, leftovers = options.parse_known_args(rest, namespace=args)
    except argparse.ArgumentError as exc:
        raise UsageError(f"{exc}; see wasmpack batch --help") from None
    if not leftovers or leftovers[0].startswith("-"):
        raise UsageError("no FILE given; write wasmpack batch FILE --inputs DIR --output DIR")
    if len(leftovers) > 1:
        raise UsageError(f"unexpected {leftovers[1]!r}; put the module's arguments after --")
    for name in ("inputs", "output"):
        if not getattr(args, name):
            raise UsageError(f"--{name} DIR is required; see wasmpack batch --help")
    for name in ("jobs", "item_threads", "max_threads"):
        value = getattr(args, name)
        if value is not None and value < (0 if name == "max_threads" else 1):
            raise UsageError(f"--{name.replace('_', '-')} must be a positive number")
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    return Path(leftovers[0]), guest


def batch_command(args: argparse.Namespace) -> int:
    """Run the batch; print the summary; 0 if every item exited 0."""
    import hashlib

    from wasmpack_mt.batch import FolderBatch
    from wasmpack_mt.batch.module import CommandModule
    from wasmpack_mt.host import Limits

    file, guest_args = _split_rest(args)
    module = CommandModule.read(file)
    rayon = [] if args.inherit_env and "RAYON_NUM_THREADS" in os.environ else [args.item_threads]
    env = parse_env([f"RAYON_NUM_THREADS={n}" for n in rayon] + args.env, args.inherit_env)
    limits = Limits(
        max_threads=args.max_threads or module.max_threads or Limits().max_threads,
        max_memory=parse_size(args.max_memory) if args.max_memory else None,
        timeout=args.timeout,
    )
    batch = FolderBatch(
        Path(args.inputs), Path(args.output), file.name, tuple(guest_args), env,
        hashlib.sha256(module.wasm).hexdigest(), args.preopen, tuple(args.dir),
    )  # fmt: skip
    batch.check_folders()
    names = batch.items()
    skipped = [name for name in names if batch.is_done(name)] if args.resume else []
    pending = [name for name in names if name not in set(skipped)]
    tasks = (batch.task(name) for name in pending)
    results: list[TaskResult] = []
    try:
        with contextlib.ExitStack() as stack:
            for result in _progress(_run(args, module, tasks, limits, stack), len(pending)):
                batch.save(result)
                results.append(result)
    except KeyboardInterrupt:
        print(
            f"error: interrupted after {len(results)} of {len(pending)} items; "
            "run again with --resume to finish",
            file=sys.stderr,
        )
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)  # running items cannot be cancelled: do not wait for them
    _print_summary(batch, results, skipped, as_json=args.json)
    return EXIT_SOME_FAILED if any(not result.ok for result in results) else 0


def _run(
    args: argparse.Namespace,
    module: CommandModule,
    tasks: Iterator[Task],
    limits: Limits,
    stack: contextlib.ExitStack,
) -> Iterator[TaskResult]:
    """Results as items finish: on threads here, or on the cluster at --scheduler
    (connected now; the client closes with `stack`)."""
    if args.scheduler:
        client = stack.enter_context(_connect(args.scheduler))
        from wasmpack_mt.batch.dask import run_on_cluster  # Dask is there: _connect checked

        return run_on_cluster(client, module.wasm, tasks, limits=limits)
    from wasmpack_mt.batch.local import default_jobs, run_local
    from wasmpack_mt.host import Program

    program = Program.load(module.wasm)
    jobs = args.jobs or default_jobs(args.item_threads)
    return run_local(program, tasks, jobs=jobs, limits=limits)


def _connect(address: str) -> Client:
    """A client of the Dask scheduler at `address` (UsageError without Dask or a scheduler)."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            f"--scheduler needs Dask, which is not installed; {INSTALL_DASK}"
        ) from None
    try:
        return Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(
            f"cannot reach the Dask scheduler at {address} ({exc}); start one with "
            "`dask scheduler` and workers with `dask worker ADDRESS`, or fix the address"
        ) from None


def _progress(results: Iterator[TaskResult], total: int) -> Iterator[TaskResult]:
    """Pass results through, drawing a progress bar on stderr when it is a terminal."""
    from tqdm import tqdm

    failed = 0
    with tqdm(total=total, unit="item", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
        for result in results:
            failed += not result.ok
            bar.set_postfix(failed=failed, refresh=False)
            bar.update()
            yield result


def _print_summary(
    batch: FolderBatch, results: list[TaskResult], skipped: list[str], *, as_json: bool
) -> None:
    from wasmpack_mt.batch.folder import STATE_DIR, describe

    failed = sorted((r for r in results if not r.ok), key=lambda r: r.name)
    if as_json:
        items = [describe(r) | {"skipped": False} for r in results]
        items += [{"name": name, "skipped": True} for name in skipped]
        summary = {
            "output": str(batch.output),
            "done": len(results) - len(failed),
            "failed": len(failed),
            "skipped": len(skipped),
            "items": sorted(items, key=lambda item: str(item["name"])),
        }
        print(json.dumps(summary, indent=1))
        return
    print(
        f"{len(results) + len(skipped)} items: {len(results) - len(failed)} done, "
        f"{len(failed)} failed, {len(skipped)} skipped (already done)"
    )
    codes = Counter(result.exit_code for result in results)
    if codes:
        print("exit codes: " + ", ".join(f"{code} x{n}" for code, n in sorted(codes.items())))
    for result in failed[:LISTED_FAILURES]:
        print(f"failed: {result.name} (exit {result.exit_code}, {result.reason})")
    if len(failed) > LISTED_FAILURES:
        print(f"... and {len(failed) - LISTED_FAILURES} more")
    if failed:
        print(f"details: {batch.output / STATE_DIR}/NAME.json")
