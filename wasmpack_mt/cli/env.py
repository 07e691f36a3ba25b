"""`wasmpack env [--lang L] [-- CMD ...]` and `wasmpack cmake-toolchain`."""

from __future__ import annotations

import argparse
import shlex
from typing import Any


def register(subparsers: Any) -> None:
    """Add the `env` and `cmake-toolchain` subcommands."""
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
    _add_posix_option(env)
    env.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD [ARGS...]")
    env.set_defaults(handler=run_env)
    toolchain: argparse.ArgumentParser = subparsers.add_parser(
        "cmake-toolchain",
        help="print the path of a CMake toolchain file for wasm32-wasip1-threads",
        description="Write (once, under the wasmpack cache) a CMake toolchain file with the "
        "compilers, sysroot and thread flags of the threads target, and print its path: "
        'cmake -DCMAKE_TOOLCHAIN_FILE="$(wasmpack cmake-toolchain)" ...',
    )
    _add_posix_option(toolchain)
    toolchain.set_defaults(handler=run_cmake_toolchain)


def _add_posix_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-posix-compat",
        dest="posix_compat",
        action="store_false",
        help="leave out the POSIX compatibility layer (wasi-libc's emulations, "
        "libwasmpack-posix and its headers); see docs/porting.md",
    )


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
    variables = porting_variables(args.lang, dict(os.environ), posix=args.posix_compat)
    if not command:
        for name, value in variables.items():
            print(f"export {name}={shlex.quote(value)}")
        return 0
    try:
        process.run(command, step=command[0], env={**os.environ, **variables}, capture=False)
    except CommandFailed as exc:
        raise with_hints(exc) from None
    return 0


def run_cmake_toolchain(args: argparse.Namespace) -> int:
    """Print the toolchain file's path."""
    from wasmpack_mt.builders.porting import cmake_toolchain_file, default_clang

    print(cmake_toolchain_file(default_clang(), posix=args.posix_compat))
    return 0
