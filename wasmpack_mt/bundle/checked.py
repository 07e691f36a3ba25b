"""Check a linked module and write it with its manifest: the one path every artifact takes.

`wasmpack build` (after its driver links the module), `wasmpack bundle` (a
module linked elsewhere, e.g. by a CMake build through `wasmpack_add_artifact`)
and `wasmpack wheel` all end here, so the same facts give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wasmpack_mt.bundle.artifact import write_artifact
from wasmpack_mt.bundle.manifest import EntryKind, Manifest
from wasmpack_mt.log import logger, step
from wasmpack_mt.wasm.check import check_module, raise_on_errors

DEFAULT_MAX_THREADS = 64


@dataclass(frozen=True, kw_only=True)
class ArtifactFacts:
    """What the manifest records beyond what the module itself says."""

    name: str
    version: str
    entry: EntryKind = "command"
    """Used only when the module has neither `_start` nor `_initialize`."""
    max_threads: int | None = None
    languages: tuple[str, ...] = ()
    toolchain: str = ""
    toolchain_version: str = ""
    source_digest: str = ""
    build_flags: tuple[str, ...] = ()


def checked_manifest(module: bytes, facts: ArtifactFacts, subject: str) -> Manifest:
    """Run the thread-ABI check (errors raise `CheckFailed`) and describe the module."""
    with step("check"):
        report = check_module(module)
    for finding in report.warnings:
        logger.warning("[%s] %s", finding.rule_id, finding.message)
    raise_on_errors(report, subject)
    memory = report.summary.memory
    entry = report.summary.entry if report.summary.entry != "none" else facts.entry
    return Manifest(
        name=facts.name,
        version=facts.version,
        entry=entry,
        memory_min_pages=memory.min_pages if memory else 0,
        memory_max_pages=(memory.max_pages or 0) if memory else 0,
        max_threads=facts.max_threads or DEFAULT_MAX_THREADS,
        languages=facts.languages,
        toolchain=facts.toolchain,
        toolchain_version=facts.toolchain_version,
        source_digest=facts.source_digest,
        build_flags=facts.build_flags,
    )


def bundle_module(module: bytes, facts: ArtifactFacts, destination: Path, subject: str) -> Path:
    """Check `module`, embed its manifest and write it atomically to `destination`."""
    manifest = checked_manifest(module, facts, subject)
    return write_artifact(destination.absolute(), module, manifest)
