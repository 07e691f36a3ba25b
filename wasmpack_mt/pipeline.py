"""`wasmpack build` end to end: config -> driver -> check -> manifest -> atomic artifact.

It composes the stages (build, wasm, bundle), so it lives beside them, not in
one: each stage imports only earlier ones, and none imports this module.
"""

from __future__ import annotations

from pathlib import Path

from wasmpack_mt.builders.config import Profile, ProjectConfig, load_config
from wasmpack_mt.builders.driver import BuildRequest, BuildResult, drivers
from wasmpack_mt.builders.exception_use import exceptions_fix, find_exception_use
from wasmpack_mt.bundle import Manifest, source_digest, write_artifact
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
) -> Path:
    """Build the project in `project_dir`; return the path of the written artifact."""
    config = load_config(project_dir)
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
    manifest = _checked_manifest(config, result, module)
    destination = output if output is not None else config.root / "dist" / f"{config.name}.wasm"
    return write_artifact(destination.absolute(), module, manifest)


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


def _checked_manifest(config: ProjectConfig, result: BuildResult, module: bytes) -> Manifest:
    """Run the thread-ABI check (errors fail the build) and describe the module."""
    with step("check"):
        report = check_module(module)
    for finding in report.warnings:
        logger.warning("[%s] %s", finding.rule_id, finding.message)
    raise_on_errors(report, result.module.name)
    memory = report.summary.memory
    entry = report.summary.entry if report.summary.entry != "none" else config.entry
    return Manifest(
        name=config.name,
        version=config.version,
        entry=entry,
        memory_min_pages=memory.min_pages if memory else 0,
        memory_max_pages=(memory.max_pages or 0) if memory else 0,
        max_threads=config.run.max_threads or DEFAULT_MAX_THREADS,
        languages=result.languages,
        toolchain=result.toolchain_name,
        toolchain_version=result.toolchain_version,
        source_digest=source_digest(result.inputs, config.root),
        build_flags=result.flags,
        features=("exceptions",) if report.summary.exceptions == "standard" else (),
    )
