"""The project file: `wasmpack.toml`, `[tool.wasmpack]` or `[package.metadata.wasmpack]`.

Everything is loaded here into frozen dataclasses by explicit `from_dict`
functions. Problems are collected in one pass and raised as a single
`ConfigError` that names the file and each dotted key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from wasmpack_mt.errors import ConfigError
from wasmpack_mt.settings import ProblemList, TableReader, setting

Kind = Literal["c", "cxx", "cmake", "command", "cargo"]
KINDS: tuple[Kind, ...] = ("c", "cxx", "cmake", "command", "cargo")
Entry = Literal["command", "reactor"]
Profile = Literal["release", "debug"]

DEFAULT_MAX_MEMORY = 1 << 30
"""1 GiB, as rustc does: a shared memory without a maximum cannot grow at all."""
DEFAULT_OPT_LEVEL: dict[Profile, str] = {"release": "2", "debug": "0"}
OPT_LEVELS = ("0", "1", "2", "3", "s", "z")
PROJECT_FILE = "wasmpack.toml"
NOT_A_PROJECT_FIX = (
    "create a wasmpack.toml (see `wasmpack new --help`), add [tool.wasmpack] to "
    "pyproject.toml, or run in a directory with a Cargo.toml"
)


@dataclass(frozen=True)
class MemoryConfig:
    """Linear memory and stacks."""

    initial: int | None = setting(
        None,
        key="initial",
        kind="size",
        default_doc="what the linker needs",
        doc="`-Wl,--initial-memory`; a multiple of 64KiB",
    )
    maximum: int = setting(
        DEFAULT_MAX_MEMORY,
        key="maximum",
        kind="size",
        default_doc="`1GiB` (as rustc)",
        doc="`-Wl,--max-memory`; a multiple of 64KiB. A shared memory cannot grow past it",
    )
    stack_size: int | None = setting(
        None,
        key="stack-size",
        kind="size",
        default_doc="wasm-ld's 64KiB; Rust 1MiB",
        doc="main thread stack (`-Wl,-z,stack-size`); a multiple of 16",
    )
    thread_stack_size: int | None = setting(
        None,
        key="thread-stack-size",
        kind="size",
        default_doc="musl's 128KiB",
        doc="default stack of threads created without an explicit size (C, C++, CMake)",
    )

    @staticmethod
    def from_dict(table: TableReader) -> MemoryConfig:
        """Read `[memory]`."""
        initial = table.size("initial", page_multiple=True)
        maximum = table.size("maximum", page_multiple=True) or DEFAULT_MAX_MEMORY
        config = MemoryConfig(
            initial=initial,
            maximum=maximum,
            stack_size=table.size("stack-size", multiple=16),
            thread_stack_size=table.size("thread-stack-size", multiple=16),
        )
        if initial is not None and initial > maximum:
            table.problem("initial", f"{initial} bytes is more than maximum ({maximum} bytes)")
        if maximum > 1 << 32:
            table.problem("maximum", "wasm32 memory cannot exceed 4GiB")
        return config


@dataclass(frozen=True)
class CMakeConfig:
    """`kind = "cmake"`: configure and build a CMake project."""

    source_dir: str = setting(".", key="source-dir", doc="the directory with CMakeLists.txt")
    target: str | None = setting(
        None,
        key="target",
        default_doc="the only executable",
        doc="the `add_executable()` target to package; required when there are several",
    )
    cache: tuple[tuple[str, str], ...] = setting(
        (), key="cache", doc="`-D` cache variables (true/false become ON/OFF)"
    )

    @staticmethod
    def from_dict(table: TableReader) -> CMakeConfig:
        """Read `[cmake]`."""
        return CMakeConfig(
            source_dir=table.string("source-dir") or ".",
            target=table.string("target"),
            cache=table.string_map("cache"),
        )


@dataclass(frozen=True)
class CommandConfig:
    """`kind = "command"`: any build command run under `wasmpack env`."""

    run: tuple[str, ...] | str = setting(
        (),
        key="run",
        default_doc="required",
        doc="the build command: argv, or a string run by `sh -c`",
    )
    output: str = setting(
        "",
        key="output",
        default_doc="required",
        doc="the .wasm the command writes, relative to the root",
    )

    @staticmethod
    def from_dict(table: TableReader) -> CommandConfig:
        """Read `[command]`."""
        raw = table.raw("run")
        run: tuple[str, ...] | str = ()
        if isinstance(raw, str) and raw.strip():
            run = raw
        elif isinstance(raw, list) and raw and all(isinstance(item, str) for item in raw):
            run = tuple(raw)
        elif raw is not None:
            table.problem("run", "expected a non-empty list of strings (argv) or a shell string")
        output = table.string("output")
        if table.present and (not run or not output):
            for key, value in (("run", run), ("output", output)):
                if not value and table.raw(key) is None:
                    table.problem(key, 'missing (required for kind = "command")')
        return CommandConfig(run=run, output=output or "")


@dataclass(frozen=True)
class CargoConfig:
    """`kind = "cargo"`: package/bin selection and an offline crate registry."""

    bin: str | None = setting(None, key="bin", doc="`--bin`: the binary to package")
    package: str | None = setting(None, key="package", doc="`--package`, for workspaces")
    features: tuple[str, ...] = setting((), key="features", doc="`--features`")
    offline_registry: str | None = setting(
        None,
        key="offline-registry",
        doc="a cargo directory source (e.g. /usr/share/cargo/registry) that replaces crates.io",
    )

    @staticmethod
    def from_dict(table: TableReader) -> CargoConfig:
        """Read `[cargo]`."""
        return CargoConfig(
            bin=table.string("bin"),
            package=table.string("package"),
            features=table.string_list("features"),
            offline_registry=table.string("offline-registry"),
        )


@dataclass(frozen=True)
class ProfileConfig:
    """Per-profile settings; `opt_level` None means the profile's default."""

    opt_level: str | None = setting(
        None,
        key="opt-level",
        kind="choice",
        default_doc='release `"2"`, debug `"0"`',
        doc="0 1 2 3 s z (Cargo: only when set, via CARGO_PROFILE_*_OPT_LEVEL)",
    )

    @staticmethod
    def from_dict(table: TableReader) -> ProfileConfig:
        """Read `[profile.<name>]`."""
        raw = table.raw("opt-level")
        if raw is None:
            return ProfileConfig()
        level = str(raw) if isinstance(raw, int | str) and not isinstance(raw, bool) else ""
        if level not in OPT_LEVELS:
            table.problem("opt-level", f"got {raw!r}, expected one of {', '.join(OPT_LEVELS)}")
            return ProfileConfig()
        return ProfileConfig(opt_level=level)


@dataclass(frozen=True)
class RunConfig:
    """Defaults for `wasmpack run`, stored in the manifest."""

    max_threads: int | None = setting(
        None,
        key="max-threads",
        default_doc="64",
        doc="suggested thread limit, stored in the manifest; `wasmpack run`'s default",
    )

    @staticmethod
    def from_dict(table: TableReader) -> RunConfig:
        """Read `[run]`."""
        return RunConfig(max_threads=table.integer("max-threads", minimum=1))


@dataclass(frozen=True)
class ProjectConfig:
    """A whole project file, validated."""

    root: Path
    source: Path
    """The file the settings came from (wasmpack.toml, pyproject.toml or Cargo.toml)."""
    name: str = setting(
        key="name",
        default_doc="[cargo] bin/package, the crate name, else the directory name",
        doc="artifact name: `dist/<name>.wasm`",
    )
    version: str = setting(
        key="version",
        default_doc='Cargo.toml\'s package.version, else `"0.0.0"`',
        doc="recorded in the manifest",
    )
    kind: Kind = setting(
        key="kind",
        default_doc="cargo with a Cargo.toml, else implied by [cmake]/[command]",
        doc="c, cxx, cmake, command or cargo",
    )
    sources: tuple[str, ...] = setting(
        (),
        key="sources",
        default_doc="required for c/cxx",
        doc="globs relative to the root (`**` allowed): .c, .cc, .cpp, .cxx (c/cxx)",
    )
    include_dirs: tuple[str, ...] = setting(
        (),
        key="include-dirs",
        doc="`-I`, relative to the root; their files count in the source digest (c/cxx/command)",
    )
    defines: tuple[str, ...] = setting((), key="defines", doc="`-D` (every kind but cargo)")
    cflags: tuple[str, ...] = setting((), key="cflags", doc="extra C flags")
    cxxflags: tuple[str, ...] = setting((), key="cxxflags", doc="extra C++ flags")
    ldflags: tuple[str, ...] = setting((), key="ldflags", doc="extra link flags")
    libraries: tuple[str, ...] = setting((), key="libraries", doc="`-l` names (LIBS for command)")
    entry: Entry = setting(
        "command",
        key="entry",
        kind="choice",
        doc="command (main/_start) or reactor (`-mexec-model=reactor`, no main) (c/cxx)",
    )
    exports: tuple[str, ...] = setting(
        (), key="exports", doc="extra exported functions (`-Wl,--export=NAME`) (c/cxx)"
    )
    exceptions: bool = setting(
        False,
        key="exceptions",
        doc="C++ exceptions and setjmp/longjmp: build with the `cxx-eh` toolchain "
        "(c, cxx, cmake, command)",
    )
    simd: bool = setting(
        True,
        key="simd",
        doc="let the compilers use wasm SIMD (`-msimd128`, `+simd128`); `wasmpack build "
        "--no-simd` overrides",
    )
    posix_compat: bool = setting(
        True,
        key="posix-compat",
        doc="the POSIX compatibility layer (wasi-libc's emulations, libwasmpack-posix: pipe, "
        "signals, sysconf, ...); `--no-posix-compat` overrides (c, cxx, cmake, command)",
    )
    cmake: CMakeConfig = setting(CMakeConfig, key="cmake", doc='kind = "cmake"')
    command: CommandConfig = setting(
        CommandConfig, key="command", doc='kind = "command": any build run under `wasmpack env`'
    )
    cargo: CargoConfig = setting(CargoConfig, key="cargo", doc='kind = "cargo"')
    memory: MemoryConfig = setting(MemoryConfig, key="memory", doc="linear memory and stacks")
    release: ProfileConfig = setting(
        ProfileConfig, key="profile.release", doc="`wasmpack build` (the default profile)"
    )
    debug: ProfileConfig = setting(
        ProfileConfig, key="profile.debug", doc="`wasmpack build --debug` (always with `-g`)"
    )
    run: RunConfig = setting(RunConfig, key="run", doc="defaults for `wasmpack run`")
    key_prefix: str = ""
    """Where the project table sits in `source` (`tool.wasmpack.` in pyproject.toml)."""

    def key(self, name: str) -> str:
        """The dotted key `name` as written in the project file, for error messages."""
        return self.key_prefix + name

    def profile(self, name: Profile) -> ProfileConfig:
        """The settings of profile `name`."""
        return self.release if name == "release" else self.debug

    def opt_level(self, name: Profile) -> str:
        """The effective optimisation level of profile `name`."""
        return self.profile(name).opt_level or DEFAULT_OPT_LEVEL[name]

    @staticmethod
    def from_dict(
        data: dict[str, Any],
        *,
        root: Path,
        source: Path,
        cargo_package: str | None = None,
        cargo_version: str | None = None,
    ) -> ProjectConfig:
        """Validate one project table; `cargo_*` come from Cargo.toml's [package] if any."""
        problems = ProblemList(source)
        key_prefix = _prefix(root, source)
        table = TableReader(data, prefix=key_prefix, problems=problems)
        has_cargo = (root / "Cargo.toml").is_file()
        kind = table.choice("kind", KINDS) or _infer_kind(data, has_cargo)
        if kind is None and not table.has("kind"):
            table.problem("kind", f"missing: set one of {', '.join(KINDS)}")
        cargo = CargoConfig.from_dict(table.table("cargo"))
        default_name = cargo.bin or cargo.package or cargo_package or root.name
        name = table.string("name") or default_name
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]*", name):
            table.problem("name", f"{name!r} is not usable as a file name (letters, digits, ._+-)")
        sources = table.string_list("sources")
        if kind in ("c", "cxx") and not sources:
            table.problem("sources", 'missing: list source globs, e.g. sources = ["src/*.c"]')
        profiles = table.table("profile")
        config = ProjectConfig(
            root=root,
            source=source,
            name=name,
            version=table.string("version") or cargo_version or "0.0.0",
            kind=kind or "c",
            sources=sources,
            include_dirs=table.string_list("include-dirs"),
            defines=table.string_list("defines"),
            cflags=table.string_list("cflags"),
            cxxflags=table.string_list("cxxflags"),
            ldflags=table.string_list("ldflags"),
            libraries=table.string_list("libraries"),
            entry=table.choice("entry", ("command", "reactor")) or "command",
            exports=table.string_list("exports"),
            exceptions=bool(table.boolean("exceptions")),
            simd=table.boolean("simd") is not False,
            posix_compat=table.boolean("posix-compat") is not False,
            cmake=CMakeConfig.from_dict(table.table("cmake")),
            command=CommandConfig.from_dict(table.table("command")),
            cargo=cargo,
            memory=MemoryConfig.from_dict(table.table("memory")),
            release=ProfileConfig.from_dict(profiles.table("release")),
            debug=ProfileConfig.from_dict(profiles.table("debug")),
            run=RunConfig.from_dict(table.table("run")),
            key_prefix=key_prefix,
        )
        for key in _UNUSED_KEYS.get(config.kind, ()):
            if table.has(key):
                table.problem(
                    key, f'is not used by kind = "{config.kind}" (only by c/cxx); remove it'
                )
        if config.kind == "command" and not table.has("command"):
            table.problem("command", 'missing: add [command] with run = [...] and output = "..."')
        if config.kind == "cargo" and table.has("exceptions"):
            table.problem(
                "exceptions",
                "selects the C/C++ exceptions toolchain (kinds c, cxx, cmake, command); "
                "Rust does not use it: remove it",
            )
        if config.kind == "cargo" and not has_cargo:
            table.problem("kind", "is cargo but there is no Cargo.toml next to the project file")
        table.finish()
        problems.raise_if_any()
        return config


_C_ONLY_KEYS = ("sources", "entry", "exports")
_UNUSED_KEYS: dict[Kind, tuple[str, ...]] = {
    "cmake": (*_C_ONLY_KEYS, "include-dirs"),
    "command": _C_ONLY_KEYS,  # include-dirs become -I in CFLAGS
    "cargo": (*_C_ONLY_KEYS, "include-dirs", "posix-compat"),
}
"""Keys a kind would silently ignore: setting them is an error."""


def _prefix(root: Path, source: Path) -> str:
    """The dotted-key prefix of the project table inside its file."""
    if source.name == "pyproject.toml":
        return "tool.wasmpack."
    if source.name == "Cargo.toml" and source.parent == root:
        return "package.metadata.wasmpack."
    return ""


def _infer_kind(data: dict[str, Any], has_cargo: bool) -> Kind | None:
    """The kind implied by the tables present, when `kind` is not given."""
    kinds: tuple[Kind, ...] = ("cmake", "command", "cargo")
    for kind in kinds:
        if kind in data:
            return kind
    return "cargo" if has_cargo else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}; fix the syntax") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def load_config(project_dir: Path) -> ProjectConfig:
    """The project in `project_dir`, from the first of wasmpack.toml, pyproject.toml, Cargo.toml."""
    root = project_dir.resolve()
    if not root.is_dir():
        raise ConfigError(f"{project_dir} is not a directory; pass a project directory")
    package = _cargo_package(root)
    crate = {"cargo_package": package.get("name"), "cargo_version": package.get("version")}
    wasmpack_toml = root / PROJECT_FILE
    if wasmpack_toml.is_file():
        return ProjectConfig.from_dict(
            _read_toml(wasmpack_toml), root=root, source=wasmpack_toml, **crate
        )
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        tool = _read_toml(pyproject).get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{pyproject}: tool must be a table; write it as [tool.NAME] tables")
        data = tool.get("wasmpack")
        if data is not None and not isinstance(data, dict):
            raise ConfigError(f"{pyproject}: tool.wasmpack must be a table; write [tool.wasmpack]")
        if isinstance(data, dict):
            return ProjectConfig.from_dict(data, root=root, source=pyproject)
    cargo_toml = root / "Cargo.toml"
    if cargo_toml.is_file():
        metadata = package.get("metadata", {})
        if not isinstance(metadata, dict):
            raise ConfigError(
                f"{cargo_toml}: package.metadata must be a table; write [package.metadata.NAME]"
            )
        metadata = metadata.get("wasmpack", {})
        if not isinstance(metadata, dict):
            raise ConfigError(
                f"{cargo_toml}: package.metadata.wasmpack must be a table; "
                "write [package.metadata.wasmpack]"
            )
        return ProjectConfig.from_dict(metadata, root=root, source=cargo_toml, **crate)
    raise ConfigError(f"{root} is not a wasmpack project; {NOT_A_PROJECT_FIX}")


def _cargo_package(root: Path) -> dict[str, Any]:
    """The [package] table of `root/Cargo.toml` (empty without one, or for a workspace)."""
    cargo_toml = root / "Cargo.toml"
    if not cargo_toml.is_file():
        return {}
    package = _read_toml(cargo_toml).get("package", {})
    if not isinstance(package, dict):
        return {}
    return {
        key: value for key, value in package.items() if key == "metadata" or isinstance(value, str)
    }


def default_artifact(project_dir: Path) -> Path:
    """Where `wasmpack build` writes the project's artifact: `<dir>/dist/<name>.wasm`."""
    config = load_config(project_dir)
    return config.root / "dist" / f"{config.name}.wasm"
