"""Build the C sysroot (wasi-libc) and libc++ with threads from Debian source packages."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.log import step
from wasmpack_mt.process import run
from wasmpack_mt.toolchains.bootstrap.fetch import FetchedSource, fetch_source
from wasmpack_mt.toolchains.spec import CMakeRecipe, ToolchainsSpec

BUILD_JOBS = os.cpu_count() or 2
"""Parallel compile jobs of the bootstrap builds: one per core."""


@dataclass(frozen=True)
class Compiler:
    """The resolved clang tools a recipe runs with."""

    cc: Path
    cxx: Path
    ar: Path
    nm: Path
    ranlib: Path
    resource_dir: Path
    """Clang's own resource dir (`-print-resource-dir`)."""


def make_resource_dir(dest: Path, clang_resource: Path, expected: str, debian: str) -> None:
    """A resource dir mirroring clang's, with Debian's builtins where clang looks for them."""
    dest.mkdir(parents=True)
    for child in clang_resource.iterdir():
        if child.name != "lib":
            (dest / child.name).symlink_to(child)
    (dest / "lib").mkdir()
    for child in (clang_resource / "lib").iterdir():
        (dest / "lib" / child.name).symlink_to(child)
    target = dest / expected
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(clang_resource / debian)


def unpack(fetched: FetchedSource, kind: str, members: tuple[str, ...], into: Path) -> Path:
    """Unpack verified source files into `into`; return the source tree's root."""
    into.mkdir(parents=True, exist_ok=True)
    if kind == "dpkg-source":
        dsc = next(p for p in fetched.files if p.name.endswith(".dsc"))
        tree = into / "src"
        run(["dpkg-source", "--no-check", "-x", dsc, tree], step="dpkg-source -x", cwd=into)
        return tree
    archive = fetched.files[0]
    patterns = [f"*/{member}" for member in members]
    run(
        ["tar", "-xf", archive, "-C", into, "--wildcards", "--no-wildcards-match-slash", *patterns],
        step=f"extract {archive.name}",
    )
    roots = [p for p in into.iterdir() if p.is_dir()]
    if len(roots) != 1:
        raise ToolchainError(
            f"{archive.name} did not unpack to one directory; "
            "fix the source entry in toolchains.yaml"
        )
    return roots[0]


def apply_replacements(recipe: CMakeRecipe, tree: Path) -> None:
    """Apply the recipe's one-line edits, failing if one no longer applies."""
    for change in recipe.replacements:
        path = tree / change.file
        text = path.read_text(encoding="utf-8")
        if change.old not in text:
            raise ToolchainError(
                f"{path} no longer contains {change.old!r}; "
                "update bootstrap replacements in toolchains.yaml"
            )
        path.write_text(text.replace(change.old, change.new), encoding="utf-8")


def cmake_build(
    recipe: CMakeRecipe,
    tree: Path,
    work: Path,
    *,
    compiler: Compiler,
    values: dict[str, str],
    label: str,
) -> None:
    """Configure, build and install one recipe with CMake + Ninja."""
    defines = {name: value.format(**values) for name, value in recipe.cmake_defines.items()}
    defines |= {
        "CMAKE_C_COMPILER": os.fspath(compiler.cc),
        "CMAKE_CXX_COMPILER": os.fspath(compiler.cxx),
        "CMAKE_AR": os.fspath(compiler.ar),
        "CMAKE_NM": os.fspath(compiler.nm),
        "CMAKE_RANLIB": os.fspath(compiler.ranlib),
    }
    if recipe.compile_flags:
        flags = recipe.compile_flags.format(**values)
        defines |= {"CMAKE_C_FLAGS": flags, "CMAKE_CXX_FLAGS": flags}
    env = {
        **os.environ,
        "CC": os.fspath(compiler.cc),
        "CXX": os.fspath(compiler.cxx),
        "AR": os.fspath(compiler.ar),
        "NM": os.fspath(compiler.nm),
        "RANLIB": os.fspath(compiler.ranlib),
    }
    build_dir = work / "build"
    configure: list[str | os.PathLike[str]] = [
        "cmake",
        "-S",
        tree / recipe.cmake_source,
        "-B",
        build_dir,
        "-G",
        "Ninja",
        *(f"-D{name}={value}" for name, value in defines.items()),
    ]
    with step(f"{label}: configure"):
        run(configure, step=f"{label}: cmake configure", env=env)
    with step(f"{label}: compile (-j{BUILD_JOBS})"):
        run(["cmake", "--build", build_dir, "-j", str(BUILD_JOBS)], step=f"{label}: build", env=env)
    with step(f"{label}: install"):
        run(["cmake", "--install", build_dir], step=f"{label}: install", env=env)


def build_c_sysroot(
    spec: ToolchainsSpec,
    compiler: Compiler,
    *,
    builtins: Path,
    mirrors: list[str],
    downloads: Path,
    work: Path,
    sysroot: Path,
) -> str:
    """Build wasi-libc with threads into `sysroot`; return the source version used."""
    recipe = spec.bootstrap.c
    with step(f"fetch {recipe.source.name}"):
        fetched = fetch_source(recipe.source, mirrors, downloads)
    tree = unpack(fetched, recipe.source.unpack, recipe.source.members, work / "unpack")
    apply_replacements(recipe, tree)
    values = {
        "triple": spec.triple,
        "builtins": os.fspath(builtins),
        "sysroot": os.fspath(sysroot),
        "resource_dir": os.fspath(compiler.resource_dir),
    }
    cmake_build(recipe, tree, work, compiler=compiler, values=values, label="wasi-libc")
    for legacy in spec.legacy_triples:
        for area in ("include", "lib"):
            link = sysroot / area / legacy
            if (sysroot / area / spec.triple).is_dir() and not link.exists():
                link.symlink_to(spec.triple)
    return fetched.candidate.version


def build_cxx_sysroot(
    spec: ToolchainsSpec,
    compiler: Compiler,
    *,
    recipe: CMakeRecipe,
    c_sysroot: Path,
    mirrors: list[str],
    downloads: Path,
    work: Path,
    sysroot: Path,
) -> str:
    """Copy the C sysroot into `sysroot` and add libc++/libc++abi (`recipe`) with threads."""
    shutil.copytree(c_sysroot, sysroot, symlinks=True, dirs_exist_ok=True)
    with step(f"fetch {recipe.source.name}"):
        fetched = fetch_source(recipe.source, mirrors, downloads)
    with step(f"unpack {recipe.source.name} ({', '.join(recipe.source.members)})"):
        tree = unpack(fetched, recipe.source.unpack, recipe.source.members, work / "unpack")
    apply_replacements(recipe, tree)
    values = {
        "triple": spec.triple,
        "sysroot": os.fspath(sysroot),
        "resource_dir": os.fspath(compiler.resource_dir),
        "builtins": "",
    }
    cmake_build(recipe, tree, work, compiler=compiler, values=values, label="libc++")
    return fetched.candidate.version
