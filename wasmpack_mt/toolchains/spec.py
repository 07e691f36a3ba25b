"""`toolchains.yaml` loaded once into frozen dataclasses.

Every problem in the file is collected in one pass and reported with its
dotted key; an unknown key gets a "did you mean" suggestion.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import marshal
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wasmpack_mt.atomic import atomic_write_bytes
from wasmpack_mt.errors import ConfigError
from wasmpack_mt.paths import cache_home, data_path
from wasmpack_mt.settings import ProblemList, TableReader, setting


@dataclass(frozen=True)
class WasiSdkSpec:
    """How to recognise a wasi-sdk installation."""

    env: tuple[str, ...] = setting(
        key="env", doc="environment variables that may name a wasi-sdk root"
    )
    roots: tuple[str, ...] = setting(key="roots", doc="directories searched for a wasi-sdk")
    min_version: str = setting(key="min_version", doc="oldest wasi-sdk release accepted")
    clang: str = setting(key="clang", doc="clang, relative to the root")
    clangxx: str = setting(key="clangxx", doc="clang++, relative to the root")
    ar: str = setting(key="ar", doc="llvm-ar, relative to the root")
    ranlib: str = setting(key="ranlib", doc="llvm-ranlib, relative to the root")
    nm: str = setting(key="nm", doc="llvm-nm, relative to the root")
    sysroot: str = setting(key="sysroot", doc="the wasi sysroot, relative to the root")
    version_file: str = setting(
        key="version_file", doc="the file holding the release, relative to the root"
    )
    cxx_no_threads_markers: tuple[str, ...] = setting(
        key="cxx_no_threads_markers",
        doc="lines of libc++'s `__config_site` that mean it has no threads",
    )


@dataclass(frozen=True)
class SystemClangSpec:
    """How to find a system clang and the parts it needs around it."""

    min_version: str = setting(key="min_version", doc="oldest clang accepted")
    candidates: tuple[str, ...] = setting(
        key="candidates", doc="names searched on PATH, best first"
    )
    sysroot_env: str = setting(
        key="sysroot_env", doc="environment variable naming a threads sysroot"
    )
    builtins_expected: str = setting(
        key="builtins_expected",
        doc="where clang looks for the wasm32 builtins (relative to its resource dir)",
    )
    builtins_debian: str = setting(
        key="builtins_debian", doc="where Debian's libclang-rt-N-dev-wasm32 puts them instead"
    )
    packages: Mapping[str, str] = setting(
        key="packages",
        doc="Debian package per missing part (clang, wasm_ld, builtins, llvm_tools); "
        "`{major}` is filled in",
    )


@dataclass(frozen=True)
class ExceptionsSpec:
    """The threads + exceptions flavour (`cxx-eh`): which clang, and the flags it builds with."""

    min_clang: str = setting(
        key="min_clang", doc="oldest clang that emits the standard (exnref) encoding"
    )
    cflags: tuple[str, ...] = setting(key="cflags", doc="added to every C compile (setjmp/longjmp)")
    cxxflags: tuple[str, ...] = setting(
        key="cxxflags", doc="added to every C++ compile (instead of `-fno-exceptions`)"
    )
    ldflags: tuple[str, ...] = setting(key="ldflags", doc="added to every link")


@dataclass(frozen=True)
class RustSpec:
    """How to find a Rust compiler for the threads target."""

    rustup_cargo: str = setting(
        key="rustup_cargo",
        doc="cargo of a rustup toolchain (used first when the target is installed)",
    )
    rustup_rustc: str = setting(key="rustup_rustc", doc="rustc of a rustup toolchain")
    system_cargo: str = setting(
        key="system_cargo", doc="Debian's cargo, used with the bootstrapped std"
    )
    system_rustc: str = setting(key="system_rustc", doc="Debian's rustc (rustc-web)")
    bad_versions: Mapping[str, str] = setting(
        key="bad_versions", doc="rustc versions refused, each with the reason"
    )


@dataclass(frozen=True)
class SourceFile:
    """One file of a source package, relative to the Debian mirror, with its sha256."""

    pool: str = setting(key="pool", doc="path relative to the Debian mirror's base URL")
    sha256: str = setting(key="sha256", doc="the file's sha256")

    @property
    def name(self) -> str:
        """The file name the mirror serves."""
        return self.pool.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class SourceCandidate:
    """One version of a source package that can be fetched."""

    version: str = setting(key="version", doc="the package version")
    files: tuple[SourceFile, ...] = setting(
        key="files", table=SourceFile, kind="list of mappings", doc="the files to fetch"
    )


@dataclass(frozen=True)
class SourcePackage:
    """A Debian source package: ordered candidate versions and how to unpack them."""

    name: str = setting(key="name", doc="Debian source package name")
    unpack: str = setting(key="unpack", doc="`dpkg-source` or `tar`")
    candidates: tuple[SourceCandidate, ...] = setting(
        key="candidates",
        table=SourceCandidate,
        kind="list of mappings",
        doc="versions to try, in order",
    )
    members: tuple[str, ...] = setting(
        (), key="members", doc="for `tar`: only these members are extracted"
    )


@dataclass(frozen=True)
class Replacement:
    """A one-line textual change applied to a source file before building."""

    file: str = setting(key="file", doc="the file to change, relative to the source tree")
    old: str = setting(key="old", doc="the exact text to replace")
    new: str = setting(key="new", doc="its replacement")


@dataclass(frozen=True)
class BootstrapCompiler:
    """The clang tools the bootstrap recipes were verified with."""

    cc: str = setting(key="cc", doc="the C compiler")
    cxx: str = setting(key="cxx", doc="the C++ compiler")
    ar: str = setting(key="ar", doc="the archiver")
    nm: str = setting(key="nm", doc="llvm-nm")
    ranlib: str = setting(key="ranlib", doc="llvm-ranlib")


@dataclass(frozen=True)
class CMakeRecipe:
    """Build a library from a source package with CMake + Ninja."""

    source: SourcePackage = setting(
        key="source", table=SourcePackage, kind="mapping", doc="the source package"
    )
    replacements: tuple[Replacement, ...] = setting(
        key="replacements",
        table=Replacement,
        kind="list of mappings",
        doc="textual changes before building",
    )
    cmake_source: str = setting(
        key="cmake_source", doc="the directory with CMakeLists.txt, relative to the source tree"
    )
    cmake_defines: Mapping[str, str] = setting(key="cmake_defines", doc="`-D` cache variables")
    compile_flags: str = setting(
        "", key="compile_flags", doc="extra compile flags (`{placeholders}` are filled in)"
    )
    compiler: BootstrapCompiler | None = setting(
        None,
        key="compiler",
        table=BootstrapCompiler,
        kind="mapping",
        doc="the clang tools this recipe needs, when not `bootstrap.compiler`",
    )


@dataclass(frozen=True)
class RustStdRecipe:
    """Build Rust std for the threads target from Debian's rust-web-src."""

    library_globs: tuple[str, ...] = setting(
        key="library_globs", doc="where rust-web-src's library sources are"
    )
    build_std: str = setting(key="build_std", doc="the crates `-Zbuild-std` builds")
    rustflags: str = setting(key="rustflags", doc="RUSTFLAGS of the std build")
    lld: str = setting(key="lld", doc="the wasm linker used")
    self_contained: tuple[str, ...] = setting(
        key="self_contained", doc="files copied into the sysroot's self-contained dir"
    )


@dataclass(frozen=True)
class AptPackages:
    """The Debian packages each language's bootstrap needs."""

    c: tuple[str, ...] = setting(key="c", doc="for the C sysroot (wasi-libc)")
    cxx: tuple[str, ...] = setting(key="cxx", doc="for libc++/libc++abi")
    rust: tuple[str, ...] = setting(key="rust", doc="for Rust std")
    cxx_eh: tuple[str, ...] = setting(
        key="cxx-eh", doc="for the exceptions flavour (its clang, lld and builtins)"
    )

    def of(self, lang: str) -> tuple[str, ...]:
        """The packages of `lang` (c, cxx, rust or cxx-eh)."""
        return {"c": self.c, "cxx": self.cxx, "rust": self.rust, "cxx-eh": self.cxx_eh}[lang]


@dataclass(frozen=True)
class BootstrapSpec:
    """Everything `wasmpack toolchain bootstrap` does, as data."""

    compiler: BootstrapCompiler = setting(
        key="compiler",
        table=BootstrapCompiler,
        kind="mapping",
        doc="the clang tools the recipes were verified with",
    )
    apt: AptPackages = setting(
        key="apt", table=AptPackages, kind="mapping", doc="Debian packages the bootstrap installs"
    )
    c: CMakeRecipe = setting(
        key="c", table=CMakeRecipe, kind="mapping", doc="wasi-libc for the threads target"
    )
    cxx: CMakeRecipe = setting(
        key="cxx", table=CMakeRecipe, kind="mapping", doc="libc++/libc++abi built with threads"
    )
    rust: RustStdRecipe = setting(
        key="rust", table=RustStdRecipe, kind="mapping", doc="Rust std for the threads target"
    )
    cxx_eh: CMakeRecipe = setting(
        key="cxx-eh",
        table=CMakeRecipe,
        kind="mapping",
        doc="libunwind/libc++abi/libc++ with threads and wasm exceptions (exnref)",
    )

    def compiler_for(self, recipe: CMakeRecipe) -> BootstrapCompiler:
        """The clang tools that build `recipe`."""
        return recipe.compiler or self.compiler


@dataclass(frozen=True)
class ToolchainsSpec:
    """The whole of `toolchains.yaml`."""

    triple: str = setting(key="triple", doc="the target triple")
    legacy_triples: tuple[str, ...] = setting(
        key="legacy_triples", doc="older names of the same target"
    )
    wasi_sdk: WasiSdkSpec = setting(
        key="wasi_sdk", table=WasiSdkSpec, kind="mapping", doc="how to recognise a wasi-sdk"
    )
    system_clang: SystemClangSpec = setting(
        key="system_clang", table=SystemClangSpec, kind="mapping", doc="how to use a system clang"
    )
    rust: RustSpec = setting(
        key="rust", table=RustSpec, kind="mapping", doc="how to find a Rust compiler"
    )
    bootstrap: BootstrapSpec = setting(
        key="bootstrap",
        table=BootstrapSpec,
        kind="mapping",
        doc="what `wasmpack toolchain bootstrap` builds",
    )
    exceptions: ExceptionsSpec = setting(
        key="exceptions",
        table=ExceptionsSpec,
        kind="mapping",
        doc="the threads + exceptions flavour (`cxx-eh`)",
    )


def _fields(cls: type) -> tuple[str, ...]:
    """The keys of `cls`'s fields as the file spells them (`cxx-eh` for `cxx_eh`)."""
    return tuple(f.metadata.get("key", f.name) for f in dataclasses.fields(cls))


def _required(cls: type, optional: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(name for name in _fields(cls) if name not in optional)


def _simple(reader: TableReader, cls: type, optional: tuple[str, ...] = ()) -> Any:
    """Build a dataclass whose fields are strings, lists of strings or string mappings."""
    reader.require(*_required(cls, optional))
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        name, key, kind = field.name, field.metadata.get("key", field.name), str(field.type)
        if kind.startswith("tuple"):
            values[name] = reader.texts(key)
        elif kind.startswith("Mapping"):
            values[name] = reader.mapping(key)
        else:
            values[name] = reader.text(key)
    return cls(**values)


def _source(reader: TableReader) -> SourcePackage:
    reader.require("name", "unpack", "candidates")
    candidates = []
    for prefix, data in reader.items("candidates"):
        candidate = reader.child(data, prefix)
        candidate.require("version", "files")
        files = tuple(
            _simple(candidate.child(fdata, fprefix), SourceFile)
            for fprefix, fdata in candidate.items("files")
        )
        candidates.append(SourceCandidate(candidate.text("version"), files))
    unpack = reader.text("unpack")
    if reader.has("unpack") and unpack not in ("dpkg-source", "tar"):
        reader.problem("unpack", f"expected 'dpkg-source' or 'tar', got {unpack!r}")
    return SourcePackage(
        name=reader.text("name"),
        unpack=unpack,
        candidates=tuple(candidates),
        members=reader.texts("members"),
    )


def _cmake_recipe(reader: TableReader) -> CMakeRecipe:
    reader.require(*_required(CMakeRecipe, ("compile_flags", "replacements", "compiler")))
    compiler = reader.table("compiler")
    return CMakeRecipe(
        source=_source(reader.table("source")),
        replacements=tuple(
            _simple(reader.child(rdata, rprefix), Replacement)
            for rprefix, rdata in reader.items("replacements")
        ),
        cmake_source=reader.text("cmake_source"),
        cmake_defines=reader.mapping("cmake_defines"),
        compile_flags=reader.text("compile_flags"),
        compiler=_simple(compiler, BootstrapCompiler) if compiler.present else None,
    )


def _bootstrap(reader: TableReader) -> BootstrapSpec:
    reader.require(*_fields(BootstrapSpec))
    return BootstrapSpec(
        compiler=_simple(reader.table("compiler"), BootstrapCompiler),
        apt=_simple(reader.table("apt"), AptPackages),
        c=_cmake_recipe(reader.table("c")),
        cxx=_cmake_recipe(reader.table("cxx")),
        rust=_simple(reader.table("rust"), RustStdRecipe),
        cxx_eh=_cmake_recipe(reader.table("cxx-eh")),
    )


def parse_spec(data: Any, origin: str = "toolchains.yaml") -> ToolchainsSpec:
    """Turn the parsed YAML document into a `ToolchainsSpec`, or raise `ConfigError`."""
    problems = ProblemList(origin, fix="fix the file (see docs/toolchains.md)")
    top = TableReader(data, prefix="", problems=problems, noun="mapping")
    top.require(*_fields(ToolchainsSpec))
    spec = ToolchainsSpec(
        triple=top.text("triple"),
        legacy_triples=top.texts("legacy_triples"),
        wasi_sdk=_simple(top.table("wasi_sdk"), WasiSdkSpec),
        system_clang=_simple(top.table("system_clang"), SystemClangSpec),
        rust=_simple(top.table("rust"), RustSpec),
        bootstrap=_bootstrap(top.table("bootstrap")),
        exceptions=_simple(top.table("exceptions"), ExceptionsSpec),
    )
    top.finish()
    problems.raise_if_any()
    return spec


PARSED_DIR = "parsed-yaml"
"""The cache's subdirectory of parsed YAML documents (see `_parsed`)."""


def load_spec(path: Path) -> ToolchainsSpec:
    """Read and parse a toolchains.yaml file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"cannot read {path}: {exc.strerror}; reinstall wasmpack-mt or restore the file"
        ) from None
    return parse_spec(_parsed(raw, path), str(path))


def _parsed(raw: bytes, path: Path) -> Any:
    """The YAML document in `raw`: kept in the cache, keyed by its bytes, once parsed.

    Loading PyYAML costs more than the rest of a no-op build's toolchain lookup,
    so a file parsed before is read back with `marshal` (its types, exactly).
    """
    key = hashlib.sha256(
        b"%s\0%s" % ((sys.implementation.cache_tag or "").encode(), raw)
    ).hexdigest()
    kept = cache_home() / PARSED_DIR / key[:32]
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        return marshal.loads(kept.read_bytes())
    import yaml  # only for a file not parsed before

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, 6x faster, when built
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid YAML ({exc}); fix the file") from None
    with contextlib.suppress(OSError, ValueError):  # a read-only cache costs the next run a parse
        atomic_write_bytes(kept, marshal.dumps(data))
    return data


@functools.cache
def default_spec() -> ToolchainsSpec:
    """The `toolchains.yaml` shipped with wasmpack, loaded once."""
    return load_spec(data_path("toolchains.yaml"))
