"""`wasmpack run`: run a wasi-threads (or plain wasip1) module with real parallel threads."""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any

from wasmpack_mt.errors import ConfigError, UsageError

_SIZE = re.compile(r"^\s*(\d+)\s*([KMG]i?B?|B)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "B": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def parse_size(text: str) -> int:
    """Bytes from `256MiB`, `1G`, `65536` (units are powers of 1024)."""
    match = _SIZE.match(text)
    if not match:
        raise UsageError(f"--max-memory {text!r} is not a size; write e.g. 256MiB or 1GiB")
    unit = (match.group(2) or "").upper()[:1]
    return int(match.group(1)) * _UNITS[unit]


def parse_env(pairs: list[str], inherit: bool) -> dict[str, str]:
    """The guest environment: the host's only with --inherit-env, then each --env K=V."""
    env = dict(os.environ) if inherit else {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--env {pair!r} is not KEY=VALUE; write e.g. --env LANG=C")
        env[key] = value
    # rayon cannot ask this target for its core count; tell it unless the user did.
    env.setdefault("RAYON_NUM_THREADS", str(os.cpu_count() or 1))
    return env


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
    parser.add_argument(
        "rest",
        nargs=argparse.REMAINDER,
        metavar="FILE [options] [-- ARGS...]",
        help="the .wasm module (default: the artifact of the project in the current "
        "directory), more options, then the module's arguments after --",
    )
    parser.set_defaults(handler=run_command)


def _split_rest(args: argparse.Namespace) -> tuple[str | None, list[str]]:
    """FILE (None if not given) and the guest's arguments; options after FILE go into `args`."""
    rest = list(args.rest)
    file = rest.pop(0) if rest and not rest[0].startswith("-") else None
    head, guest = rest, []
    if "--" in rest:
        head, guest = rest[: rest.index("--")], rest[rest.index("--") + 1 :]
    options = argparse.ArgumentParser(prog="wasmpack run", add_help=False, exit_on_error=False)
    _add_options(options, defaults=False)
    try:
        _, leftovers = options.parse_known_args(head, namespace=args)
    except argparse.ArgumentError as exc:
        raise UsageError(f"{exc}; see wasmpack run --help") from None
    unknown = [item for item in leftovers if item.startswith("-")]
    if unknown:
        raise UsageError(f"unknown option {unknown[0]}; put the module's own options after --")
    return file, leftovers + guest


def _manifest_max_threads(wasm: bytes) -> int | None:
    """The bundle manifest's suggested thread limit; an unreadable manifest is only a warning."""
    from wasmpack_mt.bundle import read_manifest
    from wasmpack_mt.errors import WasmpackError
    from wasmpack_mt.log import logger

    try:
        manifest = read_manifest(wasm)
    except WasmpackError as exc:
        logger.warning("ignoring the module's manifest: %s", exc)
        return None
    return manifest.max_threads if manifest is not None and manifest.max_threads > 0 else None


def _project_artifact() -> str:
    """The artifact `wasmpack build` writes for the project in the current directory."""
    from pathlib import Path

    from wasmpack_mt.builders.config import default_artifact

    try:
        artifact = default_artifact(Path.cwd())
    except ConfigError as exc:
        raise UsageError(f"no FILE given and {exc}; or pass the .wasm file to run") from None
    if not artifact.is_file():
        raise UsageError(f"{artifact} does not exist; run `wasmpack build` first or pass a FILE")
    return str(
        artifact.relative_to(Path.cwd()) if artifact.is_relative_to(Path.cwd()) else artifact
    )


def run_command(args: argparse.Namespace) -> int:
    """Run the module and return its exit code (flushing output first)."""
    from pathlib import Path

    from wasmpack_mt.host import Limits, Program

    given_file, guest_args = _split_rest(args)
    if args.max_threads is not None and args.max_threads < 0:
        raise UsageError("--max-threads must be 0 or more")
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    env = parse_env(args.env, args.inherit_env)
    max_memory = parse_size(args.max_memory) if args.max_memory else None
    file = given_file or _project_artifact()
    # As the `wasmpack` program, the process ends with the run: wasm runs without
    # epoch checks, and threads still computing end with the process (os._exit below).
    program = Program.load(file, interruptible=not getattr(args, "owns_process", False))
    max_threads = args.max_threads
    if max_threads is None:
        max_threads = _manifest_max_threads(Path(file).read_bytes()) or Limits().max_threads
    result = program.run(
        [file, *guest_args],
        env=env,
        dirs=args.dir,
        limits=Limits(max_threads=max_threads, max_memory=max_memory, timeout=args.timeout),
    )
    sys.stdout.flush()
    if result.report:
        print(result.report, file=sys.stderr)
    sys.stderr.flush()
    if result.threads_left_running or getattr(args, "owns_process", False):
        os._exit(result.exit_code & 0xFF)  # skips the interpreter's slow teardown (~0.1 s)
    return result.exit_code
