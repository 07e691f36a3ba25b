"""`wasmpack env [--lang L] [-- CMD ...]`: the threads target's CC/CFLAGS/... for a command."""

from __future__ import annotations

import argparse
import shlex
from typing import Any

from wasmpack_mt.cli.options import add_no_posix_compat


def register(subparsers: Any) -> None:
    """Add the `env` subcommand."""
    env: argparse.ArgumentParser = subparsers.add_parser(
        "env",
        help="run a command (make, ./configure, cmake, cargo) with the threads target's "
        "CC/CFLAGS/... set, or print them",
        description="With a command: run it with CC, CXX, AR, RANLIB, NM, CFLAGS, CXXFLAGS, "
        "LDFLAGS and CMAKE_TOOLCHAIN_FILE set for wasm32-wasip1-threads (--lang rust: RUSTC, "
        "CARGO_ENCODED_RUSTFLAGS, CARGO_BUILD_TARGET and the test runner). "
        'Without: print them as shell exports, for eval "$(wasmpack env)".',
    )
    env.add_argument(
        "--lang",
        choices=("c", "cxx", "rust"),
        help="toolchain to set up (default: C++ when its threaded libc++ is there, else C)",
    )
    env.add_argument(
        "--exceptions",
        action="store_true",
        help="C/C++ with exceptions and setjmp/longjmp (the cxx-eh toolchain: "
        "`wasmpack toolchain bootstrap --lang cxx-eh`)",
    )
    env.add_argument(
        "--no-simd",
        dest="simd",
        action="store_false",
        help="leave out wasm SIMD (-msimd128 / +simd128), for hosts without it",
    )
    add_no_posix_compat(env)
    env.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD [ARGS...]")
    env.set_defaults(handler=run_env)


def run_env(args: argparse.Namespace) -> int:
    """Run the command with the porting environment, or print the variables."""
    import os

    from wasmpack_mt import process
    from wasmpack_mt.builders.porting import porting_variables
    from wasmpack_mt.errors import CommandFailed
    from wasmpack_mt.wasm.build_hints import with_hints

    command = list(args.command)
    if command[:1] == ["--"]:
        command = command[1:]
    if args.exceptions and args.lang == "rust":
        from wasmpack_mt.errors import UsageError

        raise UsageError("--exceptions is for C and C++; drop it or use --lang c/cxx")
    variables = porting_variables(
        args.lang,
        dict(os.environ),
        simd=args.simd,
        exceptions=args.exceptions,
        posix=args.posix_compat,
    )
    if not command:
        for name, value in variables.items():
            print(f"export {name}={shlex.quote(value)}")
        return 0
    try:
        process.run(command, step=command[0], env={**os.environ, **variables}, capture=False)
    except CommandFailed as exc:
        raise with_hints(exc) from None
    return 0
