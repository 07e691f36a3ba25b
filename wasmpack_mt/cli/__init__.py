"""The `wasmpack` command: a thin shell over the library.

Each subcommand lives in its own module with `register(subparsers)`, which
adds its parser and sets `handler(args) -> int`. Modules import heavy
dependencies inside their handler so `wasmpack --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from wasmpack_mt import __version__, log
from wasmpack_mt.errors import WasmpackError

SUBCOMMAND_MODULES = (
    "new",
    "build",
    "check",
    "inspect",
    "run",
    "batch",
    "env",
    "toolchain",
    "doctor",
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="wasmpack",
        description="Build multithreaded C, C++ and Rust into one portable wasi-threads "
        ".wasm file, check it, and run it with real parallel threads.",
    )
    parser.add_argument("--version", action="version", version=f"wasmpack-mt {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("-v", "--verbose", action="store_true", help="echo every command run")
    noise.add_argument("-q", "--quiet", action="store_true", help="show warnings and errors only")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"wasmpack_mt.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `wasmpack` with `argv`; return the process exit code."""
    args = build_parser().parse_args(argv)
    log.configure(-1 if args.quiet else 1 if args.verbose else 0)
    try:
        code: int = args.handler(args)
    except WasmpackError as exc:
        if args.debug:
            traceback.print_exc()
        if exc.details:
            print(exc.details, file=sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # the file system said no: disk full, read-only, permissions
        if args.debug:
            traceback.print_exc()
        where = f": {exc.filename}" if exc.filename else ""
        message = f"{exc.strerror or exc}{where}; fix the path or its permissions"
        print(f"error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return code
