"""`wasmpack run`: run a wasi-threads (or plain wasip1) module with real parallel threads."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from wasmpack_mt import log, sizes
from wasmpack_mt.cli.guest_args import add_rest, parse_env, split_rest
from wasmpack_mt.cli.options import verbosity
from wasmpack_mt.errors import UsageError


def parse_size(text: str) -> int:
    """Bytes from `256MiB`, `1G`, `65536` (the size grammar of `wasmpack_mt.sizes`)."""
    try:
        return sizes.parse_size(text)
    except ValueError as exc:
        raise UsageError(
            f"--max-memory {text!r} is not a size ({exc}); write e.g. 256MiB or 1GiB"
        ) from None


def _add_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """The run options; accepted before and after FILE (`defaults` only on the first pass)."""
    keep = argparse.SUPPRESS
    parser.add_argument(
        "--dir", action="append", default=[] if defaults else keep, metavar="HOST[::GUEST]",
        help="make a host directory reachable (as GUEST, default its HOST spelling); repeatable",
    )  # fmt: skip
    parser.add_argument(
        "--env", action="append", default=[] if defaults else keep, metavar="K=V",
        help="set a guest environment variable; repeatable",
    )  # fmt: skip
    parser.add_argument(
        "--inherit-env", action="store_true", default=False if defaults else keep,
        help="start from the host's environment",
    )  # fmt: skip
    parser.add_argument(
        "--max-threads", type=int, metavar="N", default=None if defaults else keep,
        help="at most N spawned threads alive at once (default: the bundle's hint, else 1024)",
    )  # fmt: skip
    parser.add_argument(
        "--max-memory", metavar="SIZE", default=None if defaults else keep,
        help="cap the shared memory, e.g. 256MiB (default: the module's maximum)",
    )  # fmt: skip
    parser.add_argument(
        "--timeout", type=float, metavar="SECONDS", default=None if defaults else keep,
        help="end the run after SECONDS (exit 124)",
    )  # fmt: skip


def register(subparsers: Any) -> None:
    """Add the `run` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "run",
        help="run a .wasm module with real parallel threads",
        usage="wasmpack run [FILE] [options] [-- ARGS...]",
        description="Run a wasm32-wasip1-threads (or plain wasip1) module. Exit code: the "
        "module's proc_exit code; 134 on a trap; 124 on --timeout; 7 if the host refuses it.",
    )
    _add_options(parser, defaults=True)
    add_rest(parser)
    parser.set_defaults(handler=run_command)


def run_command(args: argparse.Namespace) -> int:
    """Run the module and return its exit code (flushing output first)."""
    from pathlib import Path

    from wasmpack_mt.host import Limits, Program
    from wasmpack_mt.host.reach import unreachable_argument
    from wasmpack_mt.log import logger

    file, guest_args = split_rest(args, "run", _add_options)
    log.configure(verbosity(args))  # -v or -q may have come after FILE
    env = parse_env(args.env, args.inherit_env)
    max_memory = parse_size(args.max_memory) if args.max_memory else None
    limits = Limits(max_threads=args.max_threads, max_memory=max_memory, timeout=args.timeout)
    if file is None:  # only then read the project file: `run FILE` starts faster
        from wasmpack_mt.project import built_artifact

        file = str(built_artifact(Path.cwd()))
    # As the `wasmpack` program, the process ends with the run: wasm runs without
    # epoch checks, and threads still computing end with the process (os._exit below).
    owns_process = getattr(args, "owns_process", False)
    program = Program.load(file, interruptible=not owns_process)
    result = program.run([file, *guest_args], env=env, dirs=args.dir, limits=limits)
    sys.stdout.flush()
    if result.report:
        print(result.report, file=sys.stderr)
    if result.exit_code != 0 and (missing := unreachable_argument(guest_args, args.dir)):
        logger.warning("%s", missing)
    sys.stderr.flush()
    if result.threads_left_running or owns_process:
        os._exit(result.exit_code & 0xFF)  # skips the interpreter's slow teardown (~0.1 s)
    return result.exit_code
