"""What `run`, `serve` and `web` share: FILE, options after it, the guest's arguments and env."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from wasmpack_mt.cli.options import add_global_options
from wasmpack_mt.errors import UsageError

AddOptions = Callable[[argparse.ArgumentParser, bool], None]


def add_rest(parser: argparse.ArgumentParser) -> None:
    """FILE, more options, then the module's arguments after --."""
    parser.add_argument(
        "rest",
        nargs=argparse.REMAINDER,
        metavar="FILE [options] [-- ARGS...]",
        help="the .wasm module (default: the artifact of the project in the current "
        "directory), more options, then the module's arguments after --",
    )


def split_rest(
    args: argparse.Namespace, command: str, add_options: AddOptions
) -> tuple[str | None, list[str]]:
    """FILE (None if not given) and the guest's arguments; options after FILE go into `args`.

    Shared by `run`, `serve` and `web`: the command's own and the global options
    may follow FILE; what is left, and everything after `--`, is the guest's.
    """
    rest = list(args.rest)
    file = rest.pop(0) if rest and not rest[0].startswith("-") else None
    head, guest = rest, []
    if "--" in rest:
        head, guest = rest[: rest.index("--")], rest[rest.index("--") + 1 :]
    options = argparse.ArgumentParser(
        prog=f"wasmpack {command}", add_help=False, exit_on_error=False
    )
    add_options(options, False)
    add_global_options(options, defaults=False)
    try:
        _, leftovers = options.parse_known_args(head, namespace=args)
    except argparse.ArgumentError as exc:
        raise UsageError(f"{exc}; see wasmpack {command} --help") from None
    unknown = [item for item in leftovers if item.startswith("-")]
    if unknown:
        raise UsageError(f"unknown option {unknown[0]}; put the module's own options after --")
    return file, leftovers + guest


def parse_env(pairs: list[str], inherit: bool) -> dict[str, str]:
    """The guest environment: the host's only with --inherit-env, then each --env K=V."""
    env = dict(os.environ) if inherit else {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--env {pair!r} is not KEY=VALUE; write e.g. --env LANG=C")
        env[key] = value
    return env
