"""Check a linked module and write it with its manifest: the one path every artifact takes.

`wasmpack build` (after its driver links the module), `wasmpack bundle` (a
module linked elsewhere, e.g. by a CMake build through `wasmpack_add_artifact`)
and `wasmpack wheel` all end here, so the same facts give the same bytes.

A rebuild with nothing changed does no work twice: the check's verdict on a
module may be kept in a file (keyed by the module's sha256 and the check's own
source), and an artifact whose bytes are already on disk is not written again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import wasmpack_mt.wasm as wasm_stage
from wasmpack_mt.atomic import atomic_write_bytes
from wasmpack_mt.bundle.artifact import write_artifact
from wasmpack_mt.bundle.manifest import EntryKind, Manifest, embed_manifest
from wasmpack_mt.log import logger, step

DEFAULT_THREAD_HINT = 64
"""The thread limit a manifest suggests when the project sets none (hosts default to more)."""


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
    features: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """What the manifest needs from the thread-ABI check of one module."""

    module: str
    """sha256 of the module the check read and of the check's own code (see `_rules_source`)."""
    entry: str
    min_pages: int
    max_pages: int
    warnings: tuple[tuple[str, str], ...]


def check_verdict(module: bytes, subject: str, kept: Path | None = None) -> Verdict:
    """The check's verdict: the one kept in `kept` for this very module, else a fresh check.

    Errors raise `CheckFailed` (and are never kept); warnings are shown every time.
    """
    digest = hashlib.sha256(module + _rules_source()).hexdigest()
    verdict = _read_kept(kept) if kept is not None else None
    if verdict is not None and verdict.module == digest:
        for rule_id, message in verdict.warnings:
            logger.warning("[%s] %s", rule_id, message)
        return verdict
    from wasmpack_mt.wasm.check import check_module, raise_on_errors  # only for a fresh check

    with step("check"):
        report = check_module(module)
    for finding in report.warnings:
        logger.warning("[%s] %s", finding.rule_id, finding.message)
    raise_on_errors(report, subject)
    memory = report.summary.memory
    verdict = Verdict(
        module=digest,
        entry=report.summary.entry,
        min_pages=memory.min_pages if memory else 0,
        max_pages=(memory.max_pages or 0) if memory else 0,
        warnings=tuple((f.rule_id, f.message) for f in report.warnings),
    )
    if kept is not None:
        atomic_write_bytes(kept, json.dumps(asdict(verdict)).encode())
    return verdict


def _read_kept(kept: Path) -> Verdict | None:
    try:
        document = json.loads(kept.read_text(encoding="utf-8"))
        return Verdict(
            document["module"], document["entry"], document["min_pages"],
            document["max_pages"], tuple((rule, text) for rule, text in document["warnings"]),
        )  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _rules_source() -> bytes:
    """The source of the wasm stage: a kept verdict is stale once the rules change."""
    package = Path(wasm_stage.__file__).parent
    return b"".join(path.read_bytes() for path in sorted(package.glob("*.py")))


def checked_manifest(
    module: bytes, facts: ArtifactFacts, subject: str, kept: Path | None = None
) -> Manifest:
    """Run the thread-ABI check (errors raise `CheckFailed`) and describe the module."""
    verdict = check_verdict(module, subject, kept)
    entry: EntryKind = facts.entry
    if verdict.entry in ("command", "reactor"):
        entry = "reactor" if verdict.entry == "reactor" else "command"
    return Manifest(
        name=facts.name,
        version=facts.version,
        entry=entry,
        memory_min_pages=verdict.min_pages,
        memory_max_pages=verdict.max_pages,
        max_threads=facts.max_threads or DEFAULT_THREAD_HINT,
        languages=facts.languages,
        toolchain=facts.toolchain,
        toolchain_version=facts.toolchain_version,
        source_digest=facts.source_digest,
        build_flags=facts.build_flags,
        features=facts.features,
    )


def bundle_module(
    module: bytes, facts: ArtifactFacts, destination: Path, subject: str, kept: Path | None = None
) -> Path:
    """Check `module`, embed its manifest and write it atomically to `destination`.

    `kept`: where the check's verdict is kept between builds. A destination that
    already holds exactly these bytes is left as it is.
    """
    manifest = checked_manifest(module, facts, subject, kept)
    destination = destination.absolute()
    if _holds(destination, embed_manifest(module, manifest)):
        return destination
    return write_artifact(destination, module, manifest)


def _holds(path: Path, data: bytes) -> bool:
    """Whether `path` already holds exactly `data` (then it is not rewritten)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
