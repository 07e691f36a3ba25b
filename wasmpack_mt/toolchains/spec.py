"""`toolchains.yaml` loaded once into frozen dataclasses.

Every problem in the file is collected in one pass and reported with its
dotted key; an unknown key gets a "did you mean" suggestion.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from wasmpack_mt.errors import ConfigError
from wasmpack_mt.paths import data_path


@dataclass(frozen=True)
class WasiSdkSpec:
    """How to recognise a wasi-sdk installation."""

    env: tuple[str, ...]
    roots: tuple[str, ...]
    min_version: str
    clang: str
    clangxx: str
    ar: str
    ranlib: str
    nm: str
    sysroot: str
    version_file: str
    cxx_no_threads_markers: tuple[str, ...]


@dataclass(frozen=True)
class SystemClangSpec:
    """How to find a system clang and the parts it needs around it."""

    min_version: str
    candidates: tuple[str, ...]
    sysroot_env: str
    builtins_expected: str
    builtins_debian: str
    packages: Mapping[str, str]
    """Debian package per part (clang, wasm_ld, builtins, llvm_tools); `{major}` is filled in."""


@dataclass(frozen=True)
class ExceptionsSpec:
    """The threads + exceptions flavour (`cxx-eh`): which clang, and the flags it builds with."""

    min_clang: str
    cflags: tuple[str, ...]
    cxxflags: tuple[str, ...]
    ldflags: tuple[str, ...]


@dataclass(frozen=True)
class RustSpec:
    """How to find a Rust compiler for the threads target."""

    rustup_cargo: str
    rustup_rustc: str
    system_cargo: str
    system_rustc: str
    bad_versions: Mapping[str, str]


@dataclass(frozen=True)
class SourceFile:
    """One file of a source package, relative to the Debian mirror, with its sha256."""

    pool: str
    sha256: str

    @property
    def name(self) -> str:
        """The file name the mirror serves."""
        return self.pool.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class SourceCandidate:
    """One version of a source package that can be fetched."""

    version: str
    files: tuple[SourceFile, ...]


@dataclass(frozen=True)
class SourcePackage:
    """A Debian source package: ordered candidate versions and how to unpack them."""

    name: str
    unpack: str
    candidates: tuple[SourceCandidate, ...]
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Replacement:
    """A one-line textual change applied to a source file before building."""

    file: str
    old: str
    new: str


@dataclass(frozen=True)
class BootstrapCompiler:
    """The clang tools the bootstrap recipes were verified with."""

    cc: str
    cxx: str
    ar: str
    nm: str
    ranlib: str


@dataclass(frozen=True)
class CMakeRecipe:
    """Build a library from a source package with CMake + Ninja."""

    source: SourcePackage
    replacements: tuple[Replacement, ...]
    cmake_source: str
    cmake_defines: Mapping[str, str]
    compile_flags: str = ""
    compiler: BootstrapCompiler | None = None
    """The clang this recipe needs, when not `bootstrap.compiler`."""


@dataclass(frozen=True)
class RustStdRecipe:
    """Build Rust std for the threads target from Debian's rust-web-src."""

    library_globs: tuple[str, ...]
    build_std: str
    rustflags: str
    lld: str
    self_contained: tuple[str, ...]


@dataclass(frozen=True)
class BootstrapSpec:
    """Everything `wasmpack toolchain bootstrap` does, as data."""

    compiler: BootstrapCompiler
    apt: Mapping[str, tuple[str, ...]]
    c: CMakeRecipe
    cxx: CMakeRecipe
    rust: RustStdRecipe
    cxx_eh: CMakeRecipe
    """The threads + exceptions libc++ (`cxx-eh` in the file)."""

    def compiler_for(self, recipe: CMakeRecipe) -> BootstrapCompiler:
        """The clang tools that build `recipe`."""
        return recipe.compiler or self.compiler


@dataclass(frozen=True)
class ToolchainsSpec:
    """The whole of `toolchains.yaml`."""

    triple: str
    legacy_triples: tuple[str, ...]
    wasi_sdk: WasiSdkSpec
    system_clang: SystemClangSpec
    rust: RustSpec
    bootstrap: BootstrapSpec
    exceptions: ExceptionsSpec


class _Reader:
    """Walks the YAML tree, collecting every problem with its dotted key."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def table(
        self, data: Any, key: str, fields: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """The mapping at `key`, checked for unknown and missing fields."""
        if not isinstance(data, dict):
            self.problems.append(f"{key or '<top>'}: expected a mapping")
            return {}
        for name in data:
            if name not in fields:
                close = difflib.get_close_matches(str(name), fields, n=1)
                hint = f" (did you mean {_dotted(key, close[0])!r}?)" if close else ""
                self.problems.append(f"{_dotted(key, str(name))}: unknown key{hint}")
        for name in fields:
            if name not in data and name not in optional:
                self.problems.append(f"{_dotted(key, name)}: missing")
        return data

    def text(self, data: dict[str, Any], key: str, name: str, default: str = "") -> str:
        """A scalar field as a string."""
        value = data.get(name, default)
        if value is None or isinstance(value, dict | list):
            self.problems.append(f"{_dotted(key, name)}: expected a string")
            return default
        return str(value)

    def texts(self, data: dict[str, Any], key: str, name: str) -> tuple[str, ...]:
        """A list-of-strings field."""
        value = data.get(name, [])
        if not isinstance(value, list) or any(isinstance(v, dict | list) for v in value):
            self.problems.append(f"{_dotted(key, name)}: expected a list of strings")
            return ()
        return tuple(str(v) for v in value)

    def mapping(self, data: dict[str, Any], key: str, name: str) -> dict[str, str]:
        """A string-to-string mapping field."""
        value = data.get(name, {})
        if not isinstance(value, dict):
            self.problems.append(f"{_dotted(key, name)}: expected a mapping")
            return {}
        return {str(k): str(v) for k, v in value.items()}

    def items(self, data: dict[str, Any], key: str, name: str) -> list[tuple[str, Any]]:
        """A list field, with each item's dotted key."""
        value = data.get(name, [])
        if not isinstance(value, list):
            self.problems.append(f"{_dotted(key, name)}: expected a list")
            return []
        return [(f"{_dotted(key, name)}[{i}]", item) for i, item in enumerate(value)]


def _dotted(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _simple(reader: _Reader, data: Any, key: str, cls: type, optional: tuple[str, ...] = ()) -> Any:
    """Build a dataclass whose fields are strings, lists of strings or string mappings."""
    table = reader.table(data, key, _fields(cls), optional)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        name, kind = field.name, str(field.type)
        if kind.startswith("tuple"):
            values[name] = reader.texts(table, key, name)
        elif kind.startswith("Mapping"):
            values[name] = reader.mapping(table, key, name)
        else:
            values[name] = reader.text(table, key, name)
    return cls(**values)


def _source(reader: _Reader, data: Any, key: str) -> SourcePackage:
    table = reader.table(data, key, ("name", "unpack", "candidates", "members"), ("members",))
    candidates = []
    for ckey, cdata in reader.items(table, key, "candidates"):
        ctable = reader.table(cdata, ckey, ("version", "files"))
        files = tuple(
            _simple(reader, fdata, fkey, SourceFile)
            for fkey, fdata in reader.items(ctable, ckey, "files")
        )
        candidates.append(SourceCandidate(reader.text(ctable, ckey, "version"), files))
    unpack = reader.text(table, key, "unpack")
    if unpack not in ("dpkg-source", "tar"):
        reader.problems.append(f"{key}.unpack: expected 'dpkg-source' or 'tar', got {unpack!r}")
    return SourcePackage(
        name=reader.text(table, key, "name"),
        unpack=unpack,
        candidates=tuple(candidates),
        members=reader.texts(table, key, "members"),
    )


def _cmake_recipe(reader: _Reader, data: Any, key: str) -> CMakeRecipe:
    fields = _fields(CMakeRecipe)
    table = reader.table(data, key, fields, ("compile_flags", "replacements", "compiler"))
    compiler = table.get("compiler")
    return CMakeRecipe(
        source=_source(reader, table.get("source"), f"{key}.source"),
        replacements=tuple(
            _simple(reader, rdata, rkey, Replacement)
            for rkey, rdata in reader.items(table, key, "replacements")
        ),
        cmake_source=reader.text(table, key, "cmake_source"),
        cmake_defines=reader.mapping(table, key, "cmake_defines"),
        compile_flags=reader.text(table, key, "compile_flags"),
        compiler=None
        if compiler is None
        else _simple(reader, compiler, f"{key}.compiler", BootstrapCompiler),
    )


_PARTS = ("c", "cxx", "rust", "cxx-eh")
"""The bootstrap's parts, as toolchains.yaml names them (`apt` keys and recipes)."""


def _bootstrap(reader: _Reader, data: Any, key: str) -> BootstrapSpec:
    table = reader.table(data, key, ("compiler", "apt", *_PARTS))
    apt_table = reader.table(table.get("apt", {}), f"{key}.apt", _PARTS)
    return BootstrapSpec(
        compiler=_simple(reader, table.get("compiler"), f"{key}.compiler", BootstrapCompiler),
        apt={lang: reader.texts(apt_table, f"{key}.apt", lang) for lang in _PARTS},
        c=_cmake_recipe(reader, table.get("c"), f"{key}.c"),
        cxx=_cmake_recipe(reader, table.get("cxx"), f"{key}.cxx"),
        rust=_simple(reader, table.get("rust"), f"{key}.rust", RustStdRecipe),
        cxx_eh=_cmake_recipe(reader, table.get("cxx-eh"), f"{key}.cxx-eh"),
    )


def parse_spec(data: Any, origin: str = "toolchains.yaml") -> ToolchainsSpec:
    """Turn the parsed YAML document into a `ToolchainsSpec`, or raise `ConfigError`."""
    reader = _Reader()
    top = reader.table(data, "", _fields(ToolchainsSpec))
    spec = ToolchainsSpec(
        triple=reader.text(top, "", "triple"),
        legacy_triples=reader.texts(top, "", "legacy_triples"),
        wasi_sdk=_simple(reader, top.get("wasi_sdk"), "wasi_sdk", WasiSdkSpec),
        system_clang=_simple(reader, top.get("system_clang"), "system_clang", SystemClangSpec),
        rust=_simple(reader, top.get("rust"), "rust", RustSpec),
        bootstrap=_bootstrap(reader, top.get("bootstrap"), "bootstrap"),
        exceptions=_simple(reader, top.get("exceptions"), "exceptions", ExceptionsSpec),
    )
    if reader.problems:
        first = reader.problems[0]
        more = f" (and {len(reader.problems) - 1} more above)" if len(reader.problems) > 1 else ""
        raise ConfigError(
            f"{origin}: {first}{more}; fix the file (see the README section on toolchains.yaml)",
            details="\n".join(f"{origin}: {p}" for p in reader.problems[1:]),
        )
    return spec


def load_spec(path: Path) -> ToolchainsSpec:
    """Read and parse a toolchains.yaml file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read {path}: {exc.strerror}; reinstall wasmpack-mt or restore the file"
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML ({exc}); fix the file") from None
    return parse_spec(data, str(path))


@functools.cache
def default_spec() -> ToolchainsSpec:
    """The `toolchains.yaml` shipped with wasmpack, loaded once."""
    return load_spec(data_path("toolchains.yaml"))
