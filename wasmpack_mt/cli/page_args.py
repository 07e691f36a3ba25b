"""What `wasmpack serve` and `wasmpack web` share: the run options and the page settings."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from wasmpack_mt.cli.guest_args import AddOptions, parse_env, split_rest
from wasmpack_mt.errors import UsageError

if TYPE_CHECKING:
    from wasmpack_mt.web import PageSettings


def add_run_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """--file and --env; accepted before and after FILE (`defaults` only on the first pass)."""
    keep = argparse.SUPPRESS
    parser.add_argument(
        "--file", action="append", default=[] if defaults else keep, metavar="HOST[::GUEST]",
        help="preload a host file into the page's in-memory file system at GUEST "
        "(default /NAME); repeatable",
    )  # fmt: skip
    parser.add_argument(
        "--env", action="append", default=[] if defaults else keep, metavar="K=V",
        help="set a guest environment variable; repeatable",
    )  # fmt: skip


def page_settings_for(
    args: argparse.Namespace, command: str, add_options: AddOptions
) -> tuple[str, bytes, PageSettings]:
    """The module to run (FILE, else the project's artifact), its bytes and page settings."""
    from wasmpack_mt.project import built_artifact
    from wasmpack_mt.web import page_settings, parse_guest_file

    given, guest_args = split_rest(args, command, add_options)
    file = given or str(built_artifact(Path.cwd()))
    path = Path(file)
    if not path.is_file():
        raise UsageError(f"{file}: no such file; pass the .wasm that `wasmpack build` wrote")
    files = [parse_guest_file(spec) for spec in args.file]
    env = parse_env(args.env, inherit=False)  # the page adds the browser's core count
    wasm = path.read_bytes()
    return file, wasm, page_settings(wasm, path.name, guest_args, env, files)
