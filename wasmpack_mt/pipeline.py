"""`wasmpack build` end to end: config -> driver -> check -> manifest -> atomic artifact.

It composes the stages (build, wasm, bundle), so it lives beside them, not in
one: each stage imports only earlier ones, and none imports this module.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from wasmpack_mt.builders.config import Profile, ProjectConfig, load_config
from wasmpack_mt.builders.driver import BuildRequest, BuildResult, drivers
from wasmpack_mt.bundle import Manifest, source_digest, write_artifact
from wasmpack_mt.errors import BuildError, CommandFailed
from wasmpack_mt.log import logger, step
from wasmpack_mt.wasm.build_hints import with_hints
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
    posix_compat: bool = True,
) -> Path:
    """Build the project in `project_dir`; return the path of the written artifact.

    `posix_compat=False` leaves out the POSIX compatibility layer whatever the project says.
    """
    config = load_config(project_dir)
    if not posix_compat:
        config = dataclasses.replace(config, posix_compat=False)
    work_dir = config.root / WORK_DIR / profile
    work_dir.mkdir(parents=True, exist_ok=True)
    request = BuildRequest(config=config, profile=profile, work_dir=work_dir, bin=bin_name)
    logger.info(
        "==> building %s (%s, %s) from %s", config.name, config.kind, profile, config.source.name
    )
    try:
        result = drivers()[config.kind].build(request)
    except CommandFailed as exc:
        raise with_hints(exc) from None
    try:
        module = result.module.read_bytes()
    except OSError as exc:
        raise BuildError(f"cannot read the linked module {result.module}: {exc.strerror}") from None
    manifest = _checked_manifest(config, result, module)
    destination = output if output is not None else config.root / "dist" / f"{config.name}.wasm"
    return write_artifact(destination.absolute(), module, manifest)


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
    )
