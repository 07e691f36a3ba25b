"""The build plan: every flag of a build, computed once; the drivers only render it.

`plan_build` turns project file + toolchain + profile into a frozen
`BuildPlan` made of named `FlagGroup`s. Each driver picks the places it needs
(C compile, C++ compile, link, rustc) and renders them its own way: an argv
(c/cxx), CMake cache settings (cmake), CFLAGS/CXXFLAGS/LDFLAGS (command),
CARGO_ENCODED_RUSTFLAGS (cargo). The manifest records `recorded_flags`:
each group once, with machine paths written relative to well-known roots.

Extending: a new kind of flags is one more `FlagGroup` appended in
`plan_build` (give it a name; fill the places it applies to). Drivers need no
change unless the group must be rendered somewhere special (then they skip it
by name, as CMake does with `target`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from wasmpack_mt.abi import REACTOR_THREAD_EXPORTS
from wasmpack_mt.builders.config import MemoryConfig, Profile, ProjectConfig
from wasmpack_mt.builders.memory_layout import clang_memory_flags, memory_linker_args
from wasmpack_mt.builders.posix_compat import posix_compat
from wasmpack_mt.paths import cache_home
from wasmpack_mt.toolchains.model import ClangToolchain, RustToolchain

Place = Literal["c", "cxx", "link", "rust"]
SIMD_CLANG = "-msimd128"
SIMD_RUST = "-Ctarget-feature=+simd128"


@dataclass(frozen=True)
class FlagGroup:
    """Flags with one purpose, for each place a driver can put them."""

    name: str
    """One of target, runtime, abi, posix, codegen, preprocessor, memory, paths, entry, project."""
    c: tuple[str, ...] = ()
    cxx: tuple[str, ...] = ()
    link: tuple[str, ...] = ()
    rust: tuple[str, ...] = ()

    def at(self, place: Place) -> tuple[str, ...]:
        """The flags of this group for `place`."""
        return {"c": self.c, "cxx": self.cxx, "link": self.link, "rust": self.rust}[place]


@dataclass(frozen=True)
class BuildPlan:
    """Everything a build passes to its compilers, decided once."""

    profile: Profile
    simd: bool
    exceptions: bool
    """Built with the `cxx-eh` flavour: wasm exceptions (exnref) and setjmp/longjmp."""
    posix_compat: bool
    """The `posix` group is there: the driver builds the layer (`ready_posix_compat`) first."""
    defines: tuple[str, ...]
    include_dirs: tuple[Path, ...]
    """Absolute include directories (every driver renders `-I<absolute>`)."""
    memory: MemoryConfig
    libraries: tuple[str, ...]
    groups: tuple[FlagGroup, ...]
    roots: tuple[tuple[str, Path], ...]
    """Well-known directories (`<sysroot>`, ...) the manifest writes paths relative to."""
    project_root: Path

    def flags(self, place: Place, *, skip: Iterable[str] = ()) -> list[str]:
        """The flags for `place`, group by group, leaving out the groups named in `skip`."""
        skipped = set(skip)
        return [flag for g in self.groups if g.name not in skipped for flag in g.at(place)]

    def only(self, place: Place, *names: str) -> list[str]:
        """The flags for `place` of the groups named `names` only."""
        return [flag for g in self.groups if g.name in names for flag in g.at(place)]

    def features(self) -> tuple[str, ...]:
        """The wasm features the plan enables beyond the threads baseline (`simd`, `exceptions`)."""
        return (*(("simd",) if self.simd else ()), *(("exceptions",) if self.exceptions else ()))

    def recorded_flags(self, places: Iterable[Place]) -> tuple[str, ...]:
        """The manifest's record: each group's flags once over `places`, paths made portable."""
        wanted = tuple(places)
        recorded: list[str] = []
        for group in self.groups:
            seen: list[tuple[str, ...]] = []
            for place in wanted:
                flags = group.at(place)
                if flags and flags not in seen:
                    seen.append(flags)
            merged = _merge(seen)
            recorded += merged
        return relative_flags(recorded, self.project_root, dict(self.roots))


def _merge(lists: list[tuple[str, ...]]) -> list[str]:
    """One list from the same group's flags at several places: the first, plus what is new."""
    if not lists:
        return []
    merged = list(lists[0])
    for flags in lists[1:]:
        merged += [flag for flag in flags if flag not in merged]
    return merged


def relative_flags(
    flags: Iterable[str], root: Path, roots: Mapping[str, Path] | None = None
) -> tuple[str, ...]:
    """`flags` with the project root written as `.` and each of `roots` as `<name>`.

    Longer paths are replaced first, so a sysroot inside the cache is `<sysroot>`.
    """
    replacements = {os.fspath(path): f"<{name}>" for name, path in (roots or {}).items()}
    replacements[os.fspath(root)] = "."
    ordered = sorted(replacements.items(), key=lambda item: len(item[0]), reverse=True)
    result = []
    for flag in flags:
        text = flag
        for path, name in ordered:
            text = text.replace(path, name)
        result.append(text)
    return tuple(result)


def _codegen(config: ProjectConfig, profile: Profile) -> tuple[str, ...]:
    """Optimisation, debug info and SIMD: the flags every compile and link repeats."""
    flags = [f"-O{config.opt_level(profile)}"]
    if profile == "debug":
        flags.append("-g")
    if config.simd:
        flags.append(SIMD_CLANG)
    return tuple(flags)


def _common(config: ProjectConfig, profile: Profile, work_dir: Path) -> dict[str, FlagGroup]:
    """The groups C/C++ and Rust builds share, by name."""
    codegen = _codegen(config, profile)
    preprocessor = (
        *(f"-D{d}" for d in config.defines),
        *(f"-I{(config.root / d).resolve()}" for d in config.include_dirs),
    )
    maps = tuple(f"-ffile-prefix-map={os.fspath(d)}=." for d in (config.root, work_dir))
    return {
        "codegen": FlagGroup(
            "codegen", c=codegen, cxx=codegen, link=codegen,
            rust=(SIMD_RUST,) if config.simd else (),
        ),
        "preprocessor": FlagGroup("preprocessor", c=preprocessor, cxx=preprocessor),
        "paths": FlagGroup(
            "paths", c=maps, cxx=maps, rust=(f"--remap-path-prefix={config.root}=.",)
        ),
        "memory": FlagGroup(
            "memory",
            link=tuple(clang_memory_flags(config.memory)),
            rust=tuple(f"-Clink-arg={arg}" for arg in memory_linker_args(config.memory)),
        ),
    }  # fmt: skip


def plan_build(
    config: ProjectConfig,
    profile: Profile,
    toolchain: ClangToolchain | RustToolchain,
    work_dir: Path,
) -> BuildPlan:
    """The plan of one build of `config` with `toolchain` in `profile`."""
    common = _common(config, profile, work_dir)
    groups: list[FlagGroup] = []
    roots: dict[str, Path] = {"cache": cache_home()}
    if isinstance(toolchain, ClangToolchain):
        groups += _clang_groups(toolchain)
        if config.posix_compat:
            groups.append(_posix_group(toolchain))
        roots["sysroot"] = toolchain.sysroot
        if toolchain.resource_dir is not None:
            roots["resource-dir"] = toolchain.resource_dir
    else:
        if toolchain.sysroot is not None:
            roots["sysroot"] = toolchain.sysroot
        groups.append(FlagGroup("abi", rust=tuple(toolchain.rustflags())))
    groups += [common["codegen"], common["preprocessor"], common["memory"], common["paths"]]
    if isinstance(toolchain, ClangToolchain):
        groups.append(_entry_group(config))
    groups.append(FlagGroup("project", c=config.cflags, cxx=config.cxxflags, link=config.ldflags))
    return BuildPlan(
        profile=profile,
        simd=config.simd,
        exceptions=isinstance(toolchain, ClangToolchain) and toolchain.exceptions is not None,
        posix_compat=isinstance(toolchain, ClangToolchain) and config.posix_compat,
        defines=config.defines,
        include_dirs=tuple((config.root / d).resolve() for d in config.include_dirs),
        memory=config.memory,
        libraries=config.libraries,
        groups=tuple(g for g in groups if g.c or g.cxx or g.link or g.rust),
        roots=tuple(sorted(roots.items())),
        project_root=config.root,
    )


def _clang_groups(toolchain: ClangToolchain) -> list[FlagGroup]:
    """Target (CC/CMake carry it), runtime (resource dir) and ABI groups.

    `abi` holds the thread ABI and, in the `cxx-eh` flavour, its exception flags
    (`-fwasm-exceptions`, the exnref encoding, libunwind) from the toolchain.
    """
    target = (f"--target={toolchain.triple}", f"--sysroot={toolchain.sysroot}")
    runtime: tuple[str, ...] = ()
    if toolchain.resource_dir is not None:
        runtime = ("-resource-dir", os.fspath(toolchain.resource_dir))
    c_abi = tuple(f for f in toolchain.cflags() if f not in (*target, *runtime))
    cxx_abi = tuple(f for f in toolchain.cxxflags() if f not in (*target, *runtime))
    return [
        FlagGroup("target", c=target, cxx=target, link=target),
        FlagGroup("runtime", c=runtime, cxx=runtime, link=runtime),
        FlagGroup("abi", c=c_abi, cxx=cxx_abi, link=tuple(toolchain.ldflags())),
    ]


def _posix_group(toolchain: ClangToolchain) -> FlagGroup:
    """The POSIX compatibility layer: wrapper headers and emulation defines, its libraries."""
    compat = posix_compat(toolchain)
    compile_flags = tuple(compat.compile_flags())
    return FlagGroup("posix", c=compile_flags, cxx=compile_flags, link=tuple(compat.link_flags()))


def _entry_group(config: ProjectConfig) -> FlagGroup:
    """The exec model and exports (a reactor exports what per-thread instances need)."""
    link: list[str] = []
    exports = list(config.exports)
    if config.entry == "reactor":
        link.append("-mexec-model=reactor")
        exports += REACTOR_THREAD_EXPORTS  # lets a host give each calling thread a stack + TLS
    link += [f"-Wl,--export={name}" for name in exports]
    return FlagGroup("entry", link=tuple(link))
