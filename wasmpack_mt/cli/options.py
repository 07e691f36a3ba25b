"""The global options (`-v`, `-q`, `--debug`), accepted before or after the command name.

`wasmpack -v build` and `wasmpack build -v` mean the same, as in cargo and uv.
Every subcommand's parser is a `CommandParser`, which adds them again with
suppressed defaults, so a value given before the command is never reset.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_global_options(
    parser: argparse.ArgumentParser, *, debug: bool = True, defaults: bool = True
) -> None:
    """Add `--debug`, `-v` and `-q` (without defaults when `defaults` is false)."""
    default: Any = False if defaults else argparse.SUPPRESS
    if debug:
        parser.add_argument(
            "--debug", action="store_true", default=default, help="show tracebacks of errors"
        )
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument(
        "-v", "--verbose", action="store_true", default=default, help="echo every command run"
    )
    noise.add_argument(
        "-q", "--quiet", action="store_true", default=default, help="show warnings and errors only"
    )


def verbosity(args: argparse.Namespace) -> int:
    """The `log.configure` level the options ask for: -1 quiet, 0 steps, 1 commands."""
    return -1 if args.quiet else 1 if args.verbose else 0


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser, taking the global options after the command name too.

    `global_debug=False` leaves `--debug` to the subcommand (`build` keeps its
    old, deprecated meaning: the debug profile).
    """

    def __init__(self, *args: Any, global_debug: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_global_options(self, debug=global_debug, defaults=False)


def add_no_posix_compat(parser: argparse.ArgumentParser) -> None:
    """`--no-posix-compat`, shared by `build`, `env` and `cmake-toolchain`."""
    parser.add_argument(
        "--no-posix-compat",
        dest="posix_compat",
        action="store_false",
        help="leave out the POSIX compatibility layer (wasi-libc's emulations, "
        "libwasmpack-posix and its headers; as posix-compat = false does); see docs/porting.md",
    )
