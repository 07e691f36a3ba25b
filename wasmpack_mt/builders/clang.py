"""Kinds `c` and `cxx`: compile the listed sources with clang, then link one module."""

from __future__ import annotations

import os
from pathlib import Path

from wasmpack_mt import process
from wasmpack_mt.abi import REACTOR_THREAD_EXPORTS
from wasmpack_mt.builders.config import ProjectConfig
from wasmpack_mt.builders.driver import BuildRequest, BuildResult
from wasmpack_mt.builders.flags import (
    clang_memory_flags,
    opt_flags,
    prefix_map_flags,
    reactor_thread_object,
    relative_flags,
    resolve_clang,
    thread_stack_object,
)
from wasmpack_mt.errors import ConfigError
from wasmpack_mt.log import step
from wasmpack_mt.toolchains.model import ClangToolchain

CXX_SUFFIXES = frozenset({".cc", ".cpp", ".cxx", ".c++", ".C"})
C_SUFFIXES = frozenset({".c"})


class ClangDriver:
    """Builds `kind = "c"` and `kind = "cxx"` projects."""

    def build(self, request: BuildRequest) -> BuildResult:
        """Compile each source to an object in the work dir, then link them."""
        config = request.config
        sources = find_sources(config)
        uses_cxx = config.kind == "cxx" or any(s.suffix in CXX_SUFFIXES for s in sources)
        toolchain = resolve_clang("cxx" if uses_cxx else "c")
        common = [
            *opt_flags(config, request.profile),
            *prefix_map_flags(config.root, request.work_dir),
            *(f"-I{d}" for d in config.include_dirs),
            *(f"-D{d}" for d in config.defines),
        ]
        with step(f"compile {len(sources)} source file(s)"):
            objects = _compile(toolchain, request, sources, common)
        output = request.work_dir / f"{config.name}.wasm"
        link_flags = [
            *link_flags_for(toolchain, config, uses_cxx),
            *opt_flags(config, request.profile),
        ]
        link: list[str | os.PathLike[str]] = [
            toolchain.cxx if uses_cxx else toolchain.cc, *link_flags, *objects,
            *(f"-l{lib}" for lib in config.libraries), "-o", output,
        ]  # fmt: skip
        with step("link"):
            process.run(link, step="link", cwd=config.root, capture=False)
        languages = {"cxx" if s.suffix in CXX_SUFFIXES else "c" for s in sources}
        return BuildResult(
            module=output,
            languages=tuple(sorted(languages)),
            toolchain_name=f"clang ({toolchain.kind})",
            toolchain_version=toolchain.version,
            flags=relative_flags(
                [*source_flags(toolchain, config, uses_cxx), *common, *link_flags], config.root
            ),
            inputs=tuple(sources) + _headers(config),
        )


def _compile(
    toolchain: ClangToolchain, request: BuildRequest, sources: list[Path], common: list[str]
) -> list[Path]:
    """One object per source (in sorted order), plus wasmpack's helpers (thread stack, reactor)."""
    config = request.config
    objects_dir = request.work_dir / "obj"
    objects_dir.mkdir(parents=True, exist_ok=True)
    objects: list[Path] = []
    for index, source in enumerate(sources):
        relative = source.relative_to(config.root)
        obj = objects_dir / f"{index:04d}-{source.name}.o"
        cxx = source.suffix in CXX_SUFFIXES
        compiler = toolchain.cxx if cxx else toolchain.cc
        process.run(
            [compiler, *source_flags(toolchain, config, cxx), *common, "-c", relative, "-o", obj],
            step=f"compile {relative}",
            cwd=config.root,
            capture=False,
        )
        objects.append(obj)
    if config.memory.thread_stack_size is not None:
        size = config.memory.thread_stack_size
        objects.append(thread_stack_object(toolchain, request.work_dir, size))
    if config.entry == "reactor":
        objects.append(reactor_thread_object(toolchain, request.work_dir))
    return objects


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


def source_flags(toolchain: ClangToolchain, config: ProjectConfig, cxx: bool) -> list[str]:
    """The toolchain's target flags plus the project's own flags for one language."""
    if cxx:
        return [*toolchain.cxxflags(), *config.cxxflags]
    return [*toolchain.cflags(), *config.cflags]


def link_flags_for(toolchain: ClangToolchain, config: ProjectConfig, cxx: bool) -> list[str]:
    """Everything the link needs: target, thread ABI, memory, entry, exports, project flags."""
    flags = [*(toolchain.cxxflags() if cxx else toolchain.cflags()), *toolchain.ldflags()]
    flags += clang_memory_flags(config.memory)
    exports = list(config.exports)
    if config.entry == "reactor":
        flags.append("-mexec-model=reactor")
        exports += REACTOR_THREAD_EXPORTS  # lets a host give each calling thread a stack + TLS
    flags += [f"-Wl,--export={name}" for name in exports]
    return [*flags, *config.ldflags]


def _headers(config: ProjectConfig) -> tuple[Path, ...]:
    """Header files in the include dirs, which the source digest also covers."""
    headers: set[Path] = set()
    for include in config.include_dirs:
        base = config.root / include
        if base.is_dir():
            headers.update(p for p in base.rglob("*") if p.is_file())
    return tuple(sorted(headers))
