"""`wasmpack wheel [DIR] [-o OUTDIR] [--profile debug|release]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add the `wheel` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "wheel",
        help="build a project and pack its .wasm into a py3-none-any wheel with a console script",
        description="Build the project in DIR like `wasmpack build`, then write "
        "NAME-VERSION-py3-none-any.whl: the checked .wasm, a console script NAME that runs it "
        "on the wasmpack host (arguments, stdio, the current directory, exit code), and "
        "metadata from the project file (and Cargo.toml or pyproject's [project]). The same "
        "inputs give the same bytes. The wheel's path is the last line printed.",
    )
    parser.add_argument("dir", nargs="?", default=".", type=Path, help="project directory (.)")
    parser.add_argument(
        "-o", "--output-dir", type=Path, help="directory for the wheel (default DIR/dist)"
    )
    parser.add_argument(
        "--profile",
        choices=("debug", "release"),
        default="release",
        help="the build profile, as for `wasmpack build` (default release)",
    )
    parser.set_defaults(handler=run_wheel)


def run_wheel(args: argparse.Namespace) -> int:
    """Build, pack, print the wheel's path."""
    from wasmpack_mt.wheel import build_wheel

    out_dir = args.output_dir if args.output_dir is not None else args.dir / "dist"
    print(build_wheel(args.dir, out_dir, profile=args.profile))
    return 0
