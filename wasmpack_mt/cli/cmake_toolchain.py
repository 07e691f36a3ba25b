"""`wasmpack cmake-toolchain`: the path of a CMake toolchain file for the threads target."""

from __future__ import annotations

import argparse
from typing import Any

from wasmpack_mt.cli.options import add_no_posix_compat


def register(subparsers: Any) -> None:
    """Add the `cmake-toolchain` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "cmake-toolchain",
        help="print the path of a CMake toolchain file for wasm32-wasip1-threads",
        description="Write (once, under the wasmpack cache) a CMake toolchain file with the "
        "compilers, sysroot and thread flags of the threads target, and print its path: "
        'cmake -DCMAKE_TOOLCHAIN_FILE="$(wasmpack cmake-toolchain)" ...',
    )
    parser.add_argument(
        "--exceptions",
        action="store_true",
        help="the toolchain file of the exceptions flavour (C++ exceptions, setjmp/longjmp)",
    )
    add_no_posix_compat(parser)
    parser.set_defaults(handler=run_cmake_toolchain)


def run_cmake_toolchain(args: argparse.Namespace) -> int:
    """Print the toolchain file's path."""
    from wasmpack_mt.builders.porting import cmake_toolchain_file
    from wasmpack_mt.builders.posix_compat import ready_posix_compat
    from wasmpack_mt.builders.toolchain_lookup import default_clang

    toolchain = default_clang(exceptions=args.exceptions)
    if args.posix_compat:
        ready_posix_compat(toolchain)
    print(cmake_toolchain_file(toolchain, posix=args.posix_compat))
    return 0
