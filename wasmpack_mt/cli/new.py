"""`wasmpack new`: placeholder until its stage lands."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    """Add the `new` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser("new", help="(not yet available)")
    parser.set_defaults(handler=lambda args: 1)
