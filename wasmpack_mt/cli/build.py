"""`wasmpack build [DIR] [--profile debug|release] [-o OUT] [--bin NAME] [--no-posix-compat]`.

`--debug` after `build` keeps its old meaning, the debug profile, with a
deprecation note on stderr; tracebacks are `wasmpack --debug build`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wasmpack_mt.cli.options import add_no_posix_compat

if TYPE_CHECKING:
    from wasmpack_mt.builders.config import Profile

DEPRECATED_DEBUG = (
    "warning: `wasmpack build --debug` is deprecated; write `wasmpack build --profile debug` "
    "(for tracebacks: `wasmpack --debug build`)"
)


def register(subparsers: Any) -> None:
    """Add the `build` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "build",
        help="build a project into one checked wasi-threads .wasm (dist/<name>.wasm)",
        description="Build the C, C++, CMake, command or Cargo project in DIR into one "
        "wasm32-wasip1-threads module, check its thread ABI, embed the manifest and write "
        "it atomically. The artifact's path is the last line printed.",
        global_debug=False,
    )
    parser.add_argument("dir", nargs="?", default=".", type=Path, help="project directory (.)")
    profile = parser.add_mutually_exclusive_group()
    profile.add_argument(
        "--profile",
        choices=("debug", "release"),
        help="release: optimised (the default); debug: -O0 -g, cargo's dev profile",
    )
    profile.add_argument(
        "--release",
        dest="profile",
        action="store_const",
        const="release",
        help="same as --profile release",
    )
    profile.add_argument(
        "--debug",
        dest="deprecated_debug",
        action="store_true",
        help="deprecated spelling of --profile debug (tracebacks: wasmpack --debug build)",
    )
    parser.add_argument(
        "-o", "--output", type=Path, help="artifact path (default DIR/dist/<name>.wasm)"
    )
    parser.add_argument("--bin", help="the Cargo binary to package (overrides [cargo] bin)")
    parser.add_argument(
        "--no-simd",
        dest="simd",
        action="store_const",
        const=False,
        help="build without wasm SIMD, for hosts that lack it (overrides simd = true)",
    )
    add_no_posix_compat(parser)
    parser.set_defaults(handler=run_build)


def run_build(args: argparse.Namespace) -> int:
    """Build and print the artifact path."""
    from wasmpack_mt.pipeline import build_project

    if args.deprecated_debug:
        print(DEPRECATED_DEBUG, file=sys.stderr)
    profile: Profile = "debug" if args.deprecated_debug else args.profile or "release"
    artifact = build_project(
        args.dir,
        profile=profile,
        output=args.output,
        bin_name=args.bin,
        simd=args.simd,
        posix_compat=args.posix_compat,
    )
    print(artifact)
    return 0
