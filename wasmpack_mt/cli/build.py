"""`wasmpack build [DIR] [--release|--debug] [-o OUT] [--bin NAME]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add the `build` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "build",
        help="build a project into one checked wasi-threads .wasm (dist/<name>.wasm)",
        description="Build the C, C++, CMake, command or Cargo project in DIR into one "
        "wasm32-wasip1-threads module, check its thread ABI, embed the manifest and write "
        "it atomically. The artifact's path is the last line printed.",
    )
    parser.add_argument("dir", nargs="?", default=".", type=Path, help="project directory (.)")
    profile = parser.add_mutually_exclusive_group()
    profile.add_argument(
        "--release",
        dest="profile",
        action="store_const",
        const="release",
        help="optimised build (the default)",
    )
    profile.add_argument(
        "--debug", dest="profile", action="store_const", const="debug", help="-O0 -g build"
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
    parser.set_defaults(handler=run_build, profile="release")


def run_build(args: argparse.Namespace) -> int:
    """Build and print the artifact path."""
    from wasmpack_mt.pipeline import build_project

    artifact = build_project(
        args.dir, profile=args.profile, output=args.output, bin_name=args.bin, simd=args.simd
    )
    print(artifact)
    return 0
