"""`wasmpack build` end to end: config -> driver -> check -> manifest -> atomic artifact.

It composes the stages (build, wasm, bundle), so it lives beside them, not in
one: each stage imports only earlier ones, and none imports this module.

A rebuild with nothing changed does no work twice: the drivers keep their
objects, and `bundle_module` keeps the check's verdict in the work directory
and leaves an artifact whose bytes are already on disk as it is.

A build with no kept verdict (the first one) surely runs the check: while the
driver's compilers run, a thread loads the bundle stage, the check and
wasmtime's validator (`CheckPreparation`), so the check does not wait for them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from wasmpack_mt.builders.config import Profile, ProjectConfig, load_config
from wasmpack_mt.builders.driver import BuildRequest, BuildResult
from wasmpack_mt.builders.registry import driver_for
from wasmpack_mt.errors import BuildError, CommandFailed
from wasmpack_mt.log import logger

if TYPE_CHECKING:
    from wasmpack_mt.bundle import ArtifactFacts

WORK_DIR = Path("build") / "wasmpack"
"""Per-project scratch space (objects, CMake build tree), relative to the project root."""


def build_project(
    project_dir: Path,
    *,
    profile: Profile = "release",
    output: Path | None = None,
    bin_name: str | None = None,
    simd: bool | None = None,
    posix_compat: bool = True,
) -> Path:
    """Build the project in `project_dir`; return the path of the written artifact.

    `simd` (when not None) overrides the project file's `simd` key;
    `posix_compat=False` leaves out the POSIX compatibility layer whatever the project says.
    """
    config = load_config(project_dir)
    if simd is not None:
        config = dataclasses.replace(config, simd=simd)
    if not posix_compat:
        config = dataclasses.replace(config, posix_compat=False)
    work_dir = config.root / WORK_DIR / profile
    work_dir.mkdir(parents=True, exist_ok=True)
    kept = work_dir / "check.json"
    logger.info(
        "==> building %s (%s, %s) from %s", config.name, config.kind, profile, config.source.name
    )
    with CheckPreparation() as preparation:
        request = BuildRequest(
            config=config,
            profile=profile,
            work_dir=work_dir,
            bin=bin_name,
            # With a kept verdict the module may come out unchanged: preparing could be wasted.
            before_work=None if kept.exists() else preparation.start,
        )
        result = _build_explained(config, request)
    try:
        module = result.module.read_bytes()
    except OSError as exc:
        raise BuildError(f"cannot read the linked module {result.module}: {exc.strerror}") from None
    destination = output if output is not None else config.root / "dist" / f"{config.name}.wasm"
    from wasmpack_mt.bundle import bundle_module

    return bundle_module(
        module, artifact_facts(config, result), destination, result.module.name, kept=kept
    )


def _build_explained(config: ProjectConfig, request: BuildRequest) -> BuildResult:
    """Run the driver; explain a failed build.

    A C/C++ build that throws or uses setjmp names `exceptions`; any other
    failure gets a `hint:` line per cause its output shows (`wasm.build_hints`).
    """
    try:
        return driver_for(config.kind).build(request)
    except CommandFailed as exc:
        from wasmpack_mt.builders.exception_use import exceptions_fix, find_exception_use
        from wasmpack_mt.wasm.build_hints import with_hints

        use = None
        if not config.exceptions and config.kind != "cargo":
            use = find_exception_use(config.root)
        if use is None:
            raise with_hints(exc) from None
        raise BuildError(
            f"{use.path}:{use.line} uses {use.what}, which the default threads toolchain "
            f"does not support; {exceptions_fix(config.source.name)}",
            details="\n".join(filter(None, [exc.details, f"error: {exc}"])),
        ) from None


def artifact_facts(config: ProjectConfig, result: BuildResult) -> ArtifactFacts:
    """What the manifest of a project's artifact records besides the module's own facts."""
    from wasmpack_mt.bundle import ArtifactFacts, source_digest

    return ArtifactFacts(
        name=config.name,
        version=config.version,
        entry=config.entry,
        max_threads=config.run.max_threads,
        languages=result.languages,
        toolchain=result.toolchain_name,
        toolchain_version=result.toolchain_version,
        source_digest=source_digest(result.inputs, config.root),
        build_flags=result.flags,
        features=result.features,
    )


class CheckPreparation:
    """Loads the bundle stage, the check and wasmtime's validator in a thread, once `start`ed.

    The driver starts it just before it runs a compiler (so a no-op build never
    loads the check); leaving the `with` block waits for the thread, so the
    check never races it and the interpreter never exits under it. A failure
    in the thread is left for the check itself to report.
    """

    def __init__(self) -> None:
        self._started = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread (the first call only)."""
        if self._started:
            return
        self._started = True
        thread = threading.Thread(target=_prepare_check, name="wasmpack-prepare-check")
        try:
            thread.start()
        except RuntimeError:  # no thread to spare: the check loads what it needs itself
            return
        logger.debug("    preparing the check while the compiler runs")
        self._thread = thread

    def __enter__(self) -> CheckPreparation:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._thread is not None:
            self._thread.join()


def _prepare_check() -> None:
    with contextlib.suppress(Exception):  # the check, in the main thread, reports a failure
        import wasmpack_mt.bundle.checked  # noqa: F401  (the bundle stage, loaded ahead)
        from wasmpack_mt.wasm.check import prepare_validation

        prepare_validation()
