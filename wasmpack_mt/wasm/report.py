"""What `check_module` returns: findings, a summary, and their stable JSON form.

Rule IDs are readable and stable (`memory-not-shared`); each rule has one
fixed severity, listed in `RULES` with a short description.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
ExceptionHandling = Literal["standard", "legacy", "none", "unknown"]
Entry = Literal["command", "reactor", "none"]

REPORT_SCHEMA = 1

RULES: dict[str, tuple[Severity, str]] = {
    "memory-not-imported": ("error", "the module defines its memory instead of importing it"),
    "memory-not-shared": ("error", "the imported memory is not shared"),
    "memory-no-maximum": ("error", "the shared memory has no maximum"),
    "memory-cannot-grow": ("warning", "the shared memory's maximum equals its minimum"),
    "memory-too-large": ("error", "the maximum is above 4 GiB, impossible for memory32"),
    "memory-large": ("warning", "the maximum is above 2 GiB, more than many hosts allow"),
    "memory-64-bit": ("error", "the memory is 64-bit; wasi-threads hosts expect memory32"),
    "memory-not-exported": ("error", "the memory is not exported as `memory`"),
    "thread-spawn-signature": ("error", "`wasi.thread-spawn` is not (i32) -> (i32)"),
    "thread-spawn-without-shared-memory": ("error", "thread-spawn is imported, memory not shared"),
    "thread-start-missing": ("error", "thread-spawn is imported, `wasi_thread_start` not exported"),
    "thread-start-signature": ("error", "`wasi_thread_start` is not (i32, i32) -> ()"),
    "start-signature": ("error", "`_start` is not () -> ()"),
    "main-not-linked": ("error", "a command whose `main` was never linked: it traps at start"),
    "undefined-symbol": ("error", "`env` imports other than memory: symbols left undefined"),
    "unknown-import": ("error", "imports from modules no wasi-threads host provides"),
    "wasi-import-signature": (
        "error",
        "a `wasi_snapshot_preview1` import is no preview1 function or has another type",
    ),
    "invalid-module": ("error", "wasmtime's validator (threads enabled) rejects the module"),
    "legacy-exceptions": (
        "error",
        "legacy exception handling (try/catch/delegate), which wasmtime refuses; needs exnref",
    ),
    "no-entry-point": ("warning", "neither `_start`, `_initialize` nor any function is exported"),
    "no-thread-spawn": (
        "info",
        "`wasi.thread-spawn` is not imported: the module starts no threads",
    ),
    "reactor-shared-stack": (
        "warning",
        "a shared-memory reactor without the per-thread instance ABI: its calls take turns",
    ),
    "malloc-not-exported": (
        "info",
        "`malloc`/`free` are not exported (Node/browser hosts need them)",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One rule that fired: `message` says what is wrong and how to fix it."""

    rule_id: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class Features:
    """Target features, from the `target_features` section or else from a scan of the code.

    A code scan only finds `atomics`, `bulk-memory` and `simd128`; `enabled` is
    None when neither source can tell.
    """

    source: Literal["target_features", "code", "unknown"]
    enabled: tuple[str, ...] | None

    def uses(self, feature: str) -> bool | None:
        """Whether `feature` is used (None: unknown)."""
        return None if self.enabled is None else feature in self.enabled


@dataclass(frozen=True)
class MemoryInfo:
    """The module's memory (index 0)."""

    imported_as: str | None
    """`module.name` when imported, else None."""
    exported: bool
    shared: bool
    min_pages: int
    max_pages: int | None
    memory64: bool


@dataclass(frozen=True)
class Summary:
    """What the module is, independent of the rules."""

    features: Features
    memory: MemoryInfo | None
    entry: Entry
    threaded: bool
    exceptions: ExceptionHandling = "none"
    """Wasm exception handling: `standard` (exnref), `legacy`, `none` or `unknown`."""


@dataclass(frozen=True)
class CheckReport:
    """Findings (errors first) and the summary."""

    findings: tuple[Finding, ...]
    summary: Summary

    @property
    def errors(self) -> list[Finding]:
        """Findings with severity `error`: callers raise `CheckFailed` when non-empty."""
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings with severity `warning`."""
        return [finding for finding in self.findings if finding.severity == "warning"]

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form (documented in docs/commands.md, `--json`)."""
        features = self.summary.features
        return {
            "schema": REPORT_SCHEMA,
            "ok": not self.errors,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [asdict(finding) for finding in self.findings],
            "summary": {
                "features": {
                    "source": features.source,
                    "enabled": None if features.enabled is None else list(features.enabled),
                    "atomics": features.uses("atomics"),
                    "bulk_memory": features.uses("bulk-memory"),
                    "simd": features.uses("simd128"),
                },
                "memory": None if self.summary.memory is None else asdict(self.summary.memory),
                "entry": self.summary.entry,
                "threaded": self.summary.threaded,
                "exceptions": self.summary.exceptions,
            },
        }


def counted(count: int, noun: str) -> str:
    """`1 error`, `2 errors`: a count with its noun."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def printable(text: str) -> str:
    """`text` safe for a terminal: control, format and unpaired surrogate characters escaped.

    Names and strings inside a module are untrusted; printed raw, an escape
    sequence in them would reach the user's terminal.
    """
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


def finding_lines(report: CheckReport) -> list[str]:
    """One `severity[rule-id]: message` line per finding."""
    return [
        f"{finding.severity}[{finding.rule_id}]: {printable(finding.message)}"
        for finding in report.findings
    ]


def summary_lines(summary: Summary) -> list[str]:
    """The human-readable summary, one `key: value` line each."""
    features = summary.features
    if features.enabled is None:
        feature_text = "unknown (no target_features section, code not decodable)"
    else:
        source = "target_features" if features.source == "target_features" else "a code scan"
        enabled = printable(", ".join(features.enabled)) or "none"
        feature_text = f"{enabled} (from {source})"
    return [
        f"features: {feature_text}",
        f"memory:   {_memory_text(summary.memory)}",
        f"entry:    {_ENTRY_TEXT[summary.entry]}",
        f"threaded: {'yes (wasi-threads)' if summary.threaded else 'no'}",
        f"exceptions: {_EXCEPTIONS_TEXT[summary.exceptions]}",
    ]


_ENTRY_TEXT = {"command": "command (_start)", "reactor": "reactor (exports)", "none": "none"}
_EXCEPTIONS_TEXT = {
    "standard": "yes, standard encoding (exnref: try_table/throw)",
    "legacy": "legacy encoding (try/catch/delegate): not runnable, rebuild",
    "none": "none",
    "unknown": "unknown (code not decodable)",
}


def _memory_text(memory: MemoryInfo | None) -> str:
    if memory is None:
        return "none"
    if memory.max_pages is None:
        pages = f"{memory.min_pages} pages of 64 KiB, no maximum"
    else:
        pages = f"{memory.min_pages}..{memory.max_pages} pages of 64 KiB"
    return ", ".join(
        [
            f"imported as {printable(memory.imported_as)}" if memory.imported_as else "defined",
            "shared" if memory.shared else "not shared",
            pages,
            *(["64-bit"] if memory.memory64 else []),
            "exported" if memory.exported else "not exported",
        ]
    )
