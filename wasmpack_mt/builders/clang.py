"""Kinds `c` and `cxx`: compile the listed sources with clang, then link one module.

Objects are kept per profile in the work dir and recompiled only when their
command or a file they read (per clang's `-MD` dependency file) changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from wasmpack_mt import process
from wasmpack_mt.builders.config import ProjectConfig
from wasmpack_mt.builders.driver import BuildRequest, BuildResult
from wasmpack_mt.builders.incremental import depfile_inputs, is_fresh, record
from wasmpack_mt.builders.plan import BuildPlan, Place, plan_build
from wasmpack_mt.builders.posix_compat import ready_posix_compat
from wasmpack_mt.builders.support import reactor_thread_object, thread_stack_object
from wasmpack_mt.builders.toolchain_lookup import resolve_clang
from wasmpack_mt.errors import ConfigError
from wasmpack_mt.log import logger, step
from wasmpack_mt.toolchains.model import ClangToolchain

CXX_SUFFIXES = frozenset({".cc", ".cpp", ".cxx", ".c++", ".C"})
C_SUFFIXES = frozenset({".c"})


class ClangDriver:
    """Builds `kind = "c"` and `kind = "cxx"` projects."""

    def build(self, request: BuildRequest) -> BuildResult:
        """Compile each changed source to an object in the work dir, then link them."""
        config = request.config
        sources = find_sources(config)
        uses_cxx = config.kind == "cxx" or any(s.suffix in CXX_SUFFIXES for s in sources)
        toolchain = resolve_clang("cxx" if uses_cxx else "c", exceptions=config.exceptions)
        plan = plan_build(config, request.profile, toolchain, request.work_dir)
        if plan.posix_compat:
            ready_posix_compat(toolchain)
        with step(f"compile {len(sources)} source file(s)"):
            objects = _compile(toolchain, plan, request, sources)
        output = request.work_dir / f"{config.name}.wasm"
        compiler = toolchain.cxx if uses_cxx else toolchain.cc
        link: list[str | os.PathLike[str]] = [
            compiler, *plan.flags("link"), *objects,
            *(f"-l{lib}" for lib in plan.libraries), "-o", output,
        ]  # fmt: skip
        if is_fresh(output, link):
            logger.info("==> link: up to date")
        else:
            request.starting_work()
            with step("link"):
                process.run(link, step="link", cwd=config.root, capture=False)
            record(output, link, [*objects, Path(compiler)])
        languages = sorted({_language(s) for s in sources})
        places: list[Place] = ["c" if lang == "c" else "cxx" for lang in languages]
        return BuildResult(
            module=output,
            languages=tuple(languages),
            toolchain_name=f"clang ({toolchain.kind})",
            toolchain_version=toolchain.version,
            flags=plan.recorded_flags([*places, "link"]),
            inputs=tuple(sources) + _headers(config),
            features=plan.features(),
        )


def _language(source: Path) -> Place:
    return "cxx" if source.suffix in CXX_SUFFIXES else "c"


def _object_name(relative: Path) -> str:
    """A file name for the object of `relative`, unique per source path."""
    tag = hashlib.sha256(relative.as_posix().encode()).hexdigest()[:10]
    return f"{relative.name}-{tag}.o"


def _compile(
    toolchain: ClangToolchain, plan: BuildPlan, request: BuildRequest, sources: list[Path]
) -> list[Path]:
    """One object per source (in sorted order), plus wasmpack's helpers (thread stack, reactor).

    A source whose command and dependencies are unchanged keeps its object;
    the others, and the helpers, compile in parallel, one job per CPU.
    """
    config = request.config
    objects_dir = request.work_dir / "obj"
    objects_dir.mkdir(parents=True, exist_ok=True)
    objects: list[Path] = []
    stale: list[tuple[Path, list[str | os.PathLike[str]]]] = []
    for source in sources:
        relative = source.relative_to(config.root)
        obj = objects_dir / _object_name(relative)
        lang = _language(source)
        compiler = toolchain.cxx if lang == "cxx" else toolchain.cc
        argv: list[str | os.PathLike[str]] = [
            compiler, *plan.flags(lang), "-MD", "-MF", obj.with_suffix(".d"),
            "-c", relative, "-o", obj,
        ]  # fmt: skip
        objects.append(obj)
        if not is_fresh(obj, argv):
            stale.append((obj, argv))
    if len(stale) < len(sources):
        logger.info("    %d of %d object(s) up to date", len(sources) - len(stale), len(sources))
    helpers: list[Callable[[], Path]] = []
    if (size := config.memory.thread_stack_size) is not None:
        helpers.append(lambda: thread_stack_object(toolchain, request.work_dir, size))
    if config.entry == "reactor":
        helpers.append(lambda: reactor_thread_object(toolchain, request.work_dir))
    if stale:
        request.starting_work()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        built = [pool.submit(helper) for helper in helpers]
        for _ in pool.map(lambda job: _compile_one(config.root, *job), stale):
            pass  # map re-raises the first failure
        objects += [future.result() for future in built]
    return objects


def _compile_one(root: Path, obj: Path, argv: list[str | os.PathLike[str]]) -> None:
    """Run one compile and remember what it read (clang's `-MD` dependency file)."""
    source = argv[argv.index("-c") + 1]
    process.run(argv, step=f"compile {source}", cwd=root, capture=False)
    inputs = [root / source, *depfile_inputs(obj.with_suffix(".d"), root), Path(argv[0])]
    record(obj, argv, dict.fromkeys(inputs))


def find_sources(config: ProjectConfig) -> list[Path]:
    """The files matched by `sources` globs, sorted; an empty glob is an error."""
    key = f"{config.source}: {config.key('sources')}"
    found: set[Path] = set()
    for pattern in config.sources:
        if Path(pattern).is_absolute():
            raise ConfigError(
                f"{key}: {pattern!r} is an absolute path; write globs relative to the project root"
            )
        matches = [Path(os.path.normpath(p)) for p in config.root.glob(pattern) if p.is_file()]
        if not matches:
            raise ConfigError(
                f"{key}: {pattern!r} matches no file under {config.root}; "
                "fix the glob (relative to the project root)"
            )
        outside = [p for p in matches if not p.is_relative_to(config.root)]
        if outside:
            raise ConfigError(
                f"{key}: {pattern!r} matches {outside[0]}, outside the project root "
                f"{config.root}; move the sources into the project"
            )
        found.update(matches)
    unknown = sorted(p.name for p in found if p.suffix not in C_SUFFIXES | CXX_SUFFIXES)
    if unknown:
        raise ConfigError(
            f"{key}: {', '.join(unknown)} are not C or C++ sources "
            "(.c, .cc, .cpp, .cxx); narrow the glob"
        )
    return sorted(found)


def _headers(config: ProjectConfig) -> tuple[Path, ...]:
    """Header files in the include dirs, which the source digest also covers."""
    headers: set[Path] = set()
    for include in config.include_dirs:
        base = config.root / include
        if base.is_dir():
            headers.update(p for p in base.rglob("*") if p.is_file())
    return tuple(sorted(headers))
