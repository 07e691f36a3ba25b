"""`wasmpack toolchain bootstrap`: build the threads sysroots this machine lacks.

Each part (c, cxx, rust) becomes a cache entry keyed by its recipe and the
compiler version; a complete entry is reused, so a second run does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.log import logger, step
from wasmpack_mt.toolchains.bootstrap.apt import ensure_packages, mirror_base_urls, require_debian
from wasmpack_mt.toolchains.bootstrap.libraries import (
    Compiler,
    build_c_sysroot,
    build_cxx_sysroot,
    make_resource_dir,
)
from wasmpack_mt.toolchains.bootstrap.rust_std import build_rust_sysroot
from wasmpack_mt.toolchains.detect import private_resource_dir
from wasmpack_mt.toolchains.model import LANGUAGES, Language
from wasmpack_mt.toolchains.probe import Prober, parse_version, version_text
from wasmpack_mt.toolchains.search import SearchEnv, bootstrap_keys
from wasmpack_mt.toolchains.spec import ToolchainsSpec, default_spec
from wasmpack_mt.toolchains.store import (
    downloads_dir,
    entry_path,
    exclusive,
    install_entry,
    is_complete,
    remove_leftovers,
    remove_stale,
    scratch_dir,
)

# What each language's entry is built on.
NEEDS: dict[Language, tuple[Language, ...]] = {
    "c": ("c",),
    "cxx": ("c", "cxx"),
    "rust": ("c", "rust"),
    "cxx-eh": ("c", "cxx-eh"),
}


def _tool(env: SearchEnv, name: str) -> Path:
    path = env.which(name)
    if path is None:
        raise ToolchainError(
            f"{name} not found on PATH after installing packages; "
            "check PATH, or fix bootstrap.compiler in toolchains.yaml"
        )
    return path


def ensure_resource_dirs(spec: ToolchainsSpec, env: SearchEnv, probe: Prober) -> None:
    """A private resource dir for each system clang whose builtins Debian names differently."""
    wanted = spec.system_clang
    for name in wanted.candidates:
        clang = env.which(name)
        version = parse_version(probe([clang, "--version"]) or "") if clang else None
        if clang is None or version is None:
            continue
        resource = Path((probe([clang, "-print-resource-dir"]) or "").strip())
        target = private_resource_dir(env, version_text(version))
        needed = not (resource / wanted.builtins_expected).is_file()
        if needed and (resource / wanted.builtins_debian).is_file() and not target.is_dir():
            with scratch_dir(env.prefix, "resource-dir") as scratch:
                make_resource_dir(
                    scratch / "dir", resource, wanted.builtins_expected, wanted.builtins_debian
                )
                (scratch / "dir").rename(target)


def _compiler(spec: ToolchainsSpec, env: SearchEnv, probe: Prober, part: Language) -> Compiler:
    names = spec.bootstrap.compiler_for(spec.bootstrap.cxx_eh) if part == "cxx-eh" else None
    names = names or spec.bootstrap.compiler
    cc = _tool(env, names.cc)
    version = version_text(parse_version(probe([cc, "--version"]) or ""))
    resource = Path((probe([cc, "-print-resource-dir"]) or "").strip())
    private = private_resource_dir(env, version)
    return Compiler(
        cc=cc,
        cxx=_tool(env, names.cxx),
        ar=_tool(env, names.ar),
        nm=_tool(env, names.nm),
        ranlib=_tool(env, names.ranlib),
        resource_dir=private if private.is_dir() else resource,
    )


def _builtins(spec: ToolchainsSpec, compiler: Compiler) -> Path:
    for relative in (spec.system_clang.builtins_expected, spec.system_clang.builtins_debian):
        if (compiler.resource_dir / relative).is_file():
            return compiler.resource_dir / relative
    raise ToolchainError(
        f"no wasm32 compiler-rt builtins under {compiler.resource_dir}; "
        "add the libclang-rt-N-dev-wasm32 package to bootstrap.apt.c"
    )


def bootstrap(
    langs: Iterable[Language], prefix: Path | None = None, spec: ToolchainsSpec | None = None
) -> dict[Language, Path]:
    """Make sure the entries `langs` need exist; return each language's entry."""
    spec = spec or default_spec()
    env = SearchEnv.current(prefix)
    requested = [lang for lang in LANGUAGES if lang in set(langs)]
    parts = [lang for lang in LANGUAGES if any(lang in NEEDS[r] for r in requested)]
    require_debian(spec.wasi_sdk.min_version)
    ensure_packages(name for part in parts for name in spec.bootstrap.apt.of(part))
    probe = Prober()
    with exclusive(env.prefix):
        for leftover in remove_leftovers(env.prefix):
            logger.info("    removed %s, left by an interrupted run", leftover)
        ensure_resource_dirs(spec, env, probe)
        entries = _build_parts(parts, spec, env, probe)
    return {lang: entries[lang] for lang in requested}


def _build_parts(
    parts: list[Language], spec: ToolchainsSpec, env: SearchEnv, probe: Prober
) -> dict[Language, Path]:
    """Reuse or build each part's entry, in dependency order."""
    keys = bootstrap_keys(spec, env, probe)
    downloads = downloads_dir()
    entries: dict[Language, Path] = {}
    for part in parts:
        compiler = _compiler(spec, env, probe, part)
        key = keys.of(part)
        if key is None:
            raise ToolchainError(
                f"cannot key the {part} bootstrap (its compiler did not answer "
                "--version); run `wasmpack doctor` to see what is missing"
            )
        entry = entry_path(env.prefix, part, key)
        if is_complete(entry):
            logger.info("==> %s: up to date (%s)", part, entry)
        else:
            if entry.exists():
                logger.warning("%s has no completion marker; rebuilding it", entry)
            with step(f"bootstrap {part} -> {entry}"):
                install_entry(
                    env.prefix,
                    part,
                    key,
                    _builder(part, spec, env, compiler=compiler, done=entries, downloads=downloads),
                    {"part": part, "compiler": os.fspath(compiler.cc)},
                )
        entries[part] = entry
        for old in remove_stale(env.prefix, part, key):
            logger.info("    removed outdated %s", old)
    return entries


def _builder(
    part: Language,
    spec: ToolchainsSpec,
    env: SearchEnv,
    *,
    compiler: Compiler,
    done: dict[Language, Path],
    downloads: Path,
) -> Callable[[Path], None]:
    def build(dest: Path) -> None:
        with scratch_dir(env.prefix, f"work-{part}") as work:
            if part == "c":
                build_c_sysroot(
                    spec,
                    compiler,
                    builtins=_builtins(spec, compiler),
                    mirrors=mirror_base_urls(),
                    downloads=downloads,
                    work=work,
                    sysroot=dest,
                )
            elif part in ("cxx", "cxx-eh"):
                build_cxx_sysroot(
                    spec,
                    compiler,
                    recipe=spec.bootstrap.cxx_eh if part == "cxx-eh" else spec.bootstrap.cxx,
                    c_sysroot=done["c"],
                    mirrors=mirror_base_urls(),
                    downloads=downloads,
                    work=work,
                    sysroot=dest,
                )
            else:
                build_rust_sysroot(
                    spec,
                    cargo=_tool(env, spec.rust.system_cargo),
                    rustc=_tool(env, spec.rust.system_rustc),
                    c_sysroot=done["c"],
                    work=work,
                    sysroot=dest,
                )

    return build
