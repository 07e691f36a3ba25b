"""The `wasmpack` command: a thin shell over the library.

Each subcommand lives in its own module with `register(subparsers)`, which
adds its parser and sets `handler(args) -> int`. Modules import heavy
dependencies inside their handler so `wasmpack --help` stays fast, and a
command line that names its subcommand imports only that one's module (so
`wasmpack run` does not import the toolchain stack).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence
from typing import TextIO, cast

from wasmpack_mt import __version__, log
from wasmpack_mt.cli.options import CommandParser, add_global_options, verbosity
from wasmpack_mt.cli.stdout import DropWhenClosed
from wasmpack_mt.errors import WasmpackError

SUBCOMMAND_MODULES = (
    "new",
    "build",
    "bundle",
    "wheel",
    "check",
    "inspect",
    "run",
    "serve",
    "web",
    "batch",
    "env",
    "cmake_toolchain",
    "toolchain",
    "doctor",
)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, with every subcommand registered (or just `only`, if it is one)."""
    parser = argparse.ArgumentParser(
        prog="wasmpack",
        description="Build multithreaded C, C++ and Rust into one portable wasi-threads "
        ".wasm file, check it, and run it with real parallel threads.",
    )
    parser.add_argument("--version", action="version", version=f"wasmpack-mt {__version__}")
    add_global_options(parser)
    subparsers = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=CommandParser
    )
    module = (only or "").replace("-", "_")
    for name in (module,) if module in SUBCOMMAND_MODULES else SUBCOMMAND_MODULES:
        importlib.import_module(f"wasmpack_mt.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `wasmpack` with `argv`; return the process exit code.

    A reader that closes stdout early (`| head -1`) ends nothing: the rest of
    the output is dropped and the exit code stays the command's own.
    """
    stdout = sys.stdout
    sys.stdout = cast(TextIO, DropWhenClosed(stdout))
    try:
        return _run(argv)
    finally:
        sys.stdout.flush()  # here a closed pipe is still dropped quietly
        sys.stdout = stdout


def _run(argv: Sequence[str] | None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    named = next((word for word in words if not word.startswith("-")), None)
    args = build_parser(named).parse_args(words)
    args.owns_process = argv is None  # run as the `wasmpack` program: it may end the process
    log.configure(verbosity(args))
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
