"""`wasmpack build` end to end: config -> driver -> check -> manifest -> atomic artifact.

It composes the stages (build, wasm, bundle), so it lives beside them, not in
one: each stage imports only earlier ones, and none imports this module.

A rebuild with nothing changed does no work twice: the drivers keep their
objects, the check's verdict on a linked module is kept beside it (keyed by
the module's sha256), and an artifact whose bytes are already on disk is not
written again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from wasmpack_mt.atomic import atomic_write_bytes
from wasmpack_mt.builders.config import Entry, Profile, ProjectConfig, load_config
from wasmpack_mt.builders.driver import BuildRequest, BuildResult
from wasmpack_mt.builders.exception_use import exceptions_fix, find_exception_use
from wasmpack_mt.builders.registry import drivers
from wasmpack_mt.bundle import Manifest, embed_manifest, source_digest, write_artifact
from wasmpack_mt.errors import BuildError, CommandFailed
from wasmpack_mt.log import logger, step
from wasmpack_mt.wasm.check import check_module, raise_on_errors

DEFAULT_MAX_THREADS = 64
WORK_DIR = Path("build") / "wasmpack"
"""Per-project scratch space (objects, CMake build tree), relative to the project root."""


def build_project(
    project_dir: Path,
    *,
    profile: Profile = "release",
    output: Path | None = None,
    bin_name: str | None = None,
    simd: bool | None = None,
) -> Path:
    """Build the project in `project_dir`; return the path of the written artifact.

    `simd` (when not None) overrides the project file's `simd` key.
    """
    config = load_config(project_dir)
    if simd is not None:
        config = dataclasses.replace(config, simd=simd)
    work_dir = config.root / WORK_DIR / profile
    work_dir.mkdir(parents=True, exist_ok=True)
    request = BuildRequest(config=config, profile=profile, work_dir=work_dir, bin=bin_name)
    logger.info(
        "==> building %s (%s, %s) from %s", config.name, config.kind, profile, config.source.name
    )
    result = _build_explained(config, request)
    try:
        module = result.module.read_bytes()
    except OSError as exc:
        raise BuildError(f"cannot read the linked module {result.module}: {exc.strerror}") from None
    verdict = _verdict(module, result.module, work_dir / "check.json")
    manifest = _manifest(config, result, verdict)
    destination = output if output is not None else config.root / "dist" / f"{config.name}.wasm"
    destination = destination.absolute()
    if _holds(destination, embed_manifest(module, manifest)):
        return destination
    return write_artifact(destination, module, manifest)


def _build_explained(config: ProjectConfig, request: BuildRequest) -> BuildResult:
    """Run the driver; a failed C/C++ build that throws or uses setjmp names `exceptions`."""
    try:
        return drivers()[config.kind].build(request)
    except CommandFailed as exc:
        if config.exceptions or config.kind == "cargo":
            raise
        use = find_exception_use(config.root)
        if use is None:
            raise
        raise BuildError(
            f"{use.path}:{use.line} uses {use.what}, which the default threads toolchain "
            f"does not support; {exceptions_fix(config.source.name)}",
            details="\n".join(filter(None, [exc.details, f"error: {exc}"])),
        ) from None


@dataclass(frozen=True)
class _Verdict:
    """What the manifest needs from the thread-ABI check of one linked module."""

    module: str
    """sha256 of the module the check read and of the check's own code (see `_rules_source`)."""
    entry: str
    min_pages: int
    max_pages: int
    warnings: tuple[tuple[str, str], ...]


def _verdict(module: bytes, path: Path, kept: Path) -> _Verdict:
    """The check's verdict: the one kept for this very module, else a fresh check (then kept).

    Errors fail the build (and are never kept); warnings are shown every time.
    """
    digest = hashlib.sha256(module + _rules_source()).hexdigest()
    try:
        document = json.loads(kept.read_text(encoding="utf-8"))
        verdict = _Verdict(
            document["module"], document["entry"], document["min_pages"],
            document["max_pages"], tuple((rule, text) for rule, text in document["warnings"]),
        )  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        verdict = None
    if verdict is not None and verdict.module == digest:
        for rule_id, message in verdict.warnings:
            logger.warning("[%s] %s", rule_id, message)
        return verdict
    with step("check"):
        report = check_module(module)
    for finding in report.warnings:
        logger.warning("[%s] %s", finding.rule_id, finding.message)
    raise_on_errors(report, path.name)
    memory = report.summary.memory
    verdict = _Verdict(
        module=digest,
        entry=report.summary.entry,
        min_pages=memory.min_pages if memory else 0,
        max_pages=(memory.max_pages or 0) if memory else 0,
        warnings=tuple((f.rule_id, f.message) for f in report.warnings),
    )
    atomic_write_bytes(kept, json.dumps(verdict.__dict__).encode())
    return verdict


def _rules_source() -> bytes:
    """The source of the wasm stage: a kept verdict is stale once the rules change."""
    package = Path(check_module.__code__.co_filename).parent
    return b"".join(path.read_bytes() for path in sorted(package.glob("*.py")))


def _holds(path: Path, data: bytes) -> bool:
    """Whether `path` already holds exactly `data` (then it is not rewritten)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _manifest(config: ProjectConfig, result: BuildResult, verdict: _Verdict) -> Manifest:
    """Describe the checked module."""
    entry: Entry = config.entry
    if verdict.entry in ("command", "reactor"):
        entry = "reactor" if verdict.entry == "reactor" else "command"
    return Manifest(
        name=config.name,
        version=config.version,
        entry=entry,
        memory_min_pages=verdict.min_pages,
        memory_max_pages=verdict.max_pages,
        max_threads=config.run.max_threads or DEFAULT_MAX_THREADS,
        languages=result.languages,
        toolchain=result.toolchain_name,
        toolchain_version=result.toolchain_version,
        source_digest=source_digest(result.inputs, config.root),
        build_flags=result.flags,
        features=result.features,
    )
