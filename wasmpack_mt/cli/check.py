"""`wasmpack check FILE [--json]`: does a module follow the wasi-threads ABI?

Exit 0 when no rule reports an error, 6 (`CheckFailed`) when one does,
5 (`WasmFormatError`) when the file is not a well-formed module.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from wasmpack_mt.errors import CheckFailed, WasmpackError


def register(subparsers: Any) -> None:
    """Add the `check` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check",
        help="check a .wasm file against the wasi-threads ABI",
        description="Check a .wasm file against the wasi-threads ABI: every finding names "
        "its rule ID and the fix. Exits 6 when a rule reports an error.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the .wasm file to check")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Print the findings and the summary; raise `CheckFailed` when there are errors."""
    from wasmpack_mt.wasm.check import errors_found
    from wasmpack_mt.wasm.files import check_file
    from wasmpack_mt.wasm.report import (
        REPORT_SCHEMA,
        counted,
        finding_lines,
        printable,
        summary_lines,
    )

    try:
        report = check_file(args.file)
    except WasmpackError as exc:
        if args.json:  # a CI parsing stdout still gets an object; the exit code stays
            error = {
                "file": str(args.file),
                "schema": REPORT_SCHEMA,
                "ok": False,
                "error": str(exc),
            }
            print(json.dumps(error, indent=2))
        raise
    if args.json:
        print(json.dumps({"file": str(args.file), **report.to_dict()}, indent=2))
        return CheckFailed.exit_code if report.errors else 0
    for line in finding_lines(report):
        print(line)
    print("summary:")
    for line in summary_lines(report.summary):
        print(f"  {line}")
    if report.errors:
        raise CheckFailed(errors_found(str(args.file), len(report.errors)))
    count = len(report.warnings)
    shown = printable(str(args.file))
    print(f"ok: {shown} follows the wasi-threads ABI ({counted(count, 'warning')})")
    return 0
