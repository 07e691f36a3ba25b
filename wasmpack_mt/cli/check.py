"""`wasmpack check FILE [--json]`: does a module follow the wasi-threads ABI?

Exit 0 when no rule reports an error, 6 (`CheckFailed`) when one does,
5 (`WasmFormatError`) when the file is not a well-formed module.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wasmpack_mt.errors import CheckFailed, UsageError, WasmFormatError
from wasmpack_mt.wasm.report import counted

if TYPE_CHECKING:
    from wasmpack_mt.wasm.report import CheckReport, Summary


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


def read_wasm_file(path: Path) -> bytes:
    """The bytes of `path`, or a one-line `UsageError`."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory; pass a .wasm file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}; check the path") from None


def check_file(path: Path) -> CheckReport:
    """Check the module at `path`; a malformed one raises `WasmFormatError` naming the file."""
    from wasmpack_mt.wasm.check import check_module

    data = read_wasm_file(path)
    try:
        return check_module(data)
    except WasmFormatError as exc:
        raise WasmFormatError(f"{path}: {exc}") from None


def summary_lines(summary: Summary) -> list[str]:
    """The human-readable summary, one `key: value` line each."""
    features = summary.features
    if features.enabled is None:
        feature_text = "unknown (no target_features section, code not decodable)"
    else:
        source = "target_features" if features.source == "target_features" else "a code scan"
        feature_text = f"{', '.join(features.enabled) or 'none'} (from {source})"
    memory = summary.memory
    if memory is None:
        memory_text = "none"
    else:
        if memory.max_pages is None:
            pages = f"{memory.min_pages} pages of 64 KiB, no maximum"
        else:
            pages = f"{memory.min_pages}..{memory.max_pages} pages of 64 KiB"
        memory_text = ", ".join(
            [
                f"imported as {memory.imported_as}" if memory.imported_as else "defined",
                "shared" if memory.shared else "not shared",
                pages,
                *(["64-bit"] if memory.memory64 else []),
                "exported" if memory.exported else "not exported",
            ]
        )
    entry = {"command": "command (_start)", "reactor": "reactor (exports)", "none": "none"}
    exceptions = {
        "standard": "yes, standard encoding (exnref: try_table/throw)",
        "legacy": "legacy encoding (try/catch/delegate): not runnable, rebuild",
        "none": "none",
        "unknown": "unknown (code not decodable)",
    }
    return [
        f"features: {feature_text}",
        f"memory:   {memory_text}",
        f"entry:    {entry[summary.entry]}",
        f"threaded: {'yes (wasi-threads)' if summary.threaded else 'no'}",
        f"exceptions: {exceptions[summary.exceptions]}",
    ]


def run_check(args: argparse.Namespace) -> int:
    """Print the findings and the summary; raise `CheckFailed` when there are errors."""
    from wasmpack_mt.wasm.check import errors_found

    report = check_file(args.file)
    if args.json:
        print(json.dumps({"file": str(args.file), **report.to_dict()}, indent=2))
        return CheckFailed.exit_code if report.errors else 0
    for finding in report.findings:
        print(f"{finding.severity}[{finding.rule_id}]: {finding.message}")
    print("summary:")
    for line in summary_lines(report.summary):
        print(f"  {line}")
    if report.errors:
        raise CheckFailed(errors_found(str(args.file), len(report.errors)))
    count = len(report.warnings)
    print(f"ok: {args.file} follows the wasi-threads ABI ({counted(count, 'warning')})")
    return 0
