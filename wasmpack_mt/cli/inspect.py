"""`wasmpack inspect FILE [--json]`: the manifest, imports, exports and check summary."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add the `inspect` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "inspect",
        help="show a .wasm file's manifest, imports, exports and check summary",
        description="Show what a .wasm file carries: the wasmpack manifest (if any), "
        "its imports and exports, and the summary of `wasmpack check`.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the .wasm file to inspect")
    parser.add_argument("--json", action="store_true", help="print everything as JSON")
    parser.set_defaults(handler=run_inspect)


def run_inspect(args: argparse.Namespace) -> int:
    """Print the description of the module; exit 0 even when the check finds errors."""
    from wasmpack_mt.bundle.inspect import inspect_file

    inspection = inspect_file(args.file)
    if args.json:
        print(json.dumps(inspection.to_dict(), indent=2))
        return 0
    for line in inspection.lines():
        print(line)
    return 0
