"""`wasmpack inspect FILE [--json]`: the manifest, imports, exports and check summary."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wasmpack_mt.errors import WasmFormatError
from wasmpack_mt.wasm.report import counted

if TYPE_CHECKING:
    from wasmpack_mt.bundle.manifest import Manifest
    from wasmpack_mt.wasm.module import WasmModule

INSPECT_SCHEMA = 1


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
    from wasmpack_mt.bundle.manifest import read_manifest
    from wasmpack_mt.cli.check import read_wasm_file, summary_lines
    from wasmpack_mt.wasm.check import check_module
    from wasmpack_mt.wasm.module import parse_module

    data = read_wasm_file(args.file)
    try:
        module = parse_module(data)
        manifest = read_manifest(data)
        report = check_module(data)
    except WasmFormatError as exc:
        raise WasmFormatError(f"{args.file}: {exc}") from None
    if args.json:
        document = {
            "schema": INSPECT_SCHEMA,
            "file": str(args.file),
            "size": len(data),
            "manifest": None if manifest is None else manifest.to_dict(),
            **_structure(module),
            "check": report.to_dict(),
        }
        print(json.dumps(document, indent=2))
        return 0
    print(f"file: {args.file} ({len(data)} bytes)")
    for line in _manifest_lines(manifest):
        print(line)
    structure = _structure(module)
    print(f"imports ({len(module.imports)}):")
    for item in structure["imports"]:
        qualified = f"{item['module']}.{item['name']}"
        print(f"  {qualified:<32} {item['kind']:<7} {item['type']}")
    print(f"exports ({len(module.exports)}):")
    for item in structure["exports"]:
        print(f"  {item['name']:<32} {item['kind']:<7} {item['type'] or ''}".rstrip())
    for field, entries in module.producers.items():
        print(f"{field}: {', '.join(f'{name} {version}'.strip() for name, version in entries)}")
    errors, warnings = len(report.errors), len(report.warnings)
    found = f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"
    print(f"check: {found} (details: wasmpack check {args.file})")
    for line in summary_lines(report.summary):
        print(f"  {line}")
    return 0


def _manifest_lines(manifest: Manifest | None) -> list[str]:
    if manifest is None:
        return ["manifest: none (not built by wasmpack)"]
    return [
        "manifest:",
        f"  name:        {manifest.name} {manifest.version}",
        f"  entry:       {manifest.entry}",
        f"  memory:      {manifest.memory_min_pages}..{manifest.memory_max_pages} pages",
        f"  max threads: {manifest.max_threads}",
        f"  languages:   {', '.join(manifest.languages)}",
        f"  toolchain:   {manifest.toolchain} {manifest.toolchain_version}",
        f"  sources:     {manifest.source_digest}",
        f"  build flags: {' '.join(manifest.build_flags)}",
    ]


def _structure(module: WasmModule) -> dict[str, Any]:
    """Imports, exports, sections and producers as JSON-ready lists."""
    return {
        "imports": [
            {"module": imp.module, "name": imp.name, "kind": imp.kind, "type": str(imp.type)}
            for imp in module.imports
        ],
        "exports": [
            {
                "name": exp.name,
                "kind": exp.kind,
                "index": exp.index,
                "type": None if (sig := module.export_type(exp)) is None else str(sig),
            }
            for exp in module.exports
        ],
        "sections": [
            {"kind": sec.kind, "name": sec.name, "offset": sec.offset, "size": sec.size}
            for sec in module.sections
        ],
        "producers": {
            field: [{"name": name, "version": version} for name, version in entries]
            for field, entries in module.producers.items()
        },
    }
