"""`wasmpack inspect FILE`: what a .wasm file carries, as JSON or as lines for a terminal.

Every name and string comes from the file and is untrusted: the text form
escapes control characters (`printable`), the JSON form is plain JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wasmpack_mt.bundle.manifest import Manifest, read_manifest
from wasmpack_mt.errors import WasmFormatError
from wasmpack_mt.wasm.check import check_module
from wasmpack_mt.wasm.files import named, read_wasm_file
from wasmpack_mt.wasm.module import WasmModule, parse_module
from wasmpack_mt.wasm.report import CheckReport, counted, printable, summary_lines

INSPECT_SCHEMA = 1


@dataclass(frozen=True)
class Inspection:
    """A module's manifest, structure and check report."""

    path: Path
    size: int
    module: WasmModule
    manifest: Manifest | None
    report: CheckReport

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form (documented in docs/commands.md)."""
        return {
            "schema": INSPECT_SCHEMA,
            "file": str(self.path),
            "size": self.size,
            "manifest": None if self.manifest is None else self.manifest.to_dict(),
            **_structure(self.module),
            "check": self.report.to_dict(),
        }

    def lines(self) -> list[str]:
        """The text form, every untrusted string escaped."""
        module = self.module
        structure = _structure(module)
        lines = [f"file: {printable(str(self.path))} ({self.size} bytes)"]
        lines += _manifest_lines(self.manifest)
        lines.append(f"imports ({len(module.imports)}):")
        for item in structure["imports"]:
            qualified = printable(f"{item['module']}.{item['name']}")
            lines.append(f"  {qualified:<32} {item['kind']:<7} {item['type']}")
        lines.append(f"exports ({len(module.exports)}):")
        for item in structure["exports"]:
            name = printable(item["name"])
            lines.append(f"  {name:<32} {item['kind']:<7} {item['type'] or ''}".rstrip())
        for field, entries in module.producers.items():
            tools = ", ".join(f"{name} {version}".strip() for name, version in entries)
            lines.append(printable(f"{field}: {tools}"))
        errors, warnings = len(self.report.errors), len(self.report.warnings)
        found = f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"
        lines.append(f"check: {found} (details: wasmpack check {printable(str(self.path))})")
        lines += [f"  {line}" for line in summary_lines(self.report.summary)]
        return lines


def inspect_file(path: Path) -> Inspection:
    """Read and describe the module at `path`; a malformed one raises `WasmFormatError`."""
    data = read_wasm_file(path)
    try:
        module = parse_module(data)
        manifest = read_manifest(data)
        report = check_module(data)
    except WasmFormatError as exc:
        raise named(path, exc) from None
    return Inspection(path, len(data), module, manifest, report)


def _manifest_lines(manifest: Manifest | None) -> list[str]:
    if manifest is None:
        return ["manifest: none (not built by wasmpack)"]
    fields = [
        ("name", f"{manifest.name} {manifest.version}"),
        ("entry", manifest.entry),
        ("memory", f"{manifest.memory_min_pages}..{manifest.memory_max_pages} pages"),
        ("max threads", str(manifest.max_threads)),
        ("languages", ", ".join(manifest.languages)),
        ("toolchain", f"{manifest.toolchain} {manifest.toolchain_version}"),
        ("sources", manifest.source_digest),
        ("build flags", " ".join(manifest.build_flags)),
    ]
    return ["manifest:", *(f"  {label + ':':<12} {printable(value)}" for label, value in fields)]


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
