"""`wasmpack inspect FILE [--json]`: the manifest, imports, exports and check summary."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from wasmpack_mt.errors import WasmpackError


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
    from wasmpack_mt.bundle.inspect import INSPECT_SCHEMA, inspect_file

    try:
        inspection = inspect_file(args.file)
    except WasmpackError as exc:
        if args.json:  # a script parsing stdout still gets an object; the exit code stays
            error = {"schema": INSPECT_SCHEMA, "file": str(args.file), "error": str(exc)}
            print(json.dumps(error, indent=2))
        raise
    if args.json:
        print(json.dumps(inspection.to_dict(), indent=2))
        return 0
    for line in inspection.lines():
        print(line)
    return 0
