"""The project file: defaults, sizes, every source of settings and one-pass validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasmpack_mt.builders.config import (
    DEFAULT_MAX_MEMORY,
    ProjectConfig,
    default_artifact,
    load_config,
)
from wasmpack_mt.errors import ConfigError
from wasmpack_mt.sizes import parse_size


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_c_project_gets_documented_defaults(tmp_path: Path) -> None:
    write(tmp_path / "fib" / "wasmpack.toml", 'kind = "c"\nsources = ["src/*.c"]\n')
    config = load_config(tmp_path / "fib")
    assert (config.name, config.version, config.kind, config.entry) == (
        "fib",
        "0.0.0",
        "c",
        "command",
    )
    assert config.memory.maximum == DEFAULT_MAX_MEMORY
    assert config.memory.initial is None
    assert config.opt_level("release") == "2"
    assert config.opt_level("debug") == "0"
    assert default_artifact(tmp_path / "fib") == (tmp_path / "fib" / "dist" / "fib.wasm").resolve()


def test_every_key_is_read(tmp_path: Path) -> None:
    write(
        tmp_path / "wasmpack.toml",
        """
name = "app"
version = "1.2.3"
kind = "cxx"
sources = ["src/*.cpp"]
include-dirs = ["include"]
defines = ["NDEBUG", "ANSWER=42"]
cflags = ["-Wall"]
cxxflags = ["-std=c++17"]
ldflags = ["-Wl,--strip-debug"]
libraries = ["m"]
entry = "reactor"
exports = ["fib"]
[memory]
initial = "2MiB"
maximum = "64MiB"
stack-size = "1MiB"
thread-stack-size = "256KiB"
[profile.release]
opt-level = 3
[profile.debug]
opt-level = "1"
[run]
max-threads = 8
""",
    )
    config = load_config(tmp_path)
    assert config.name == "app" and config.version == "1.2.3" and config.kind == "cxx"
    assert config.defines == ("NDEBUG", "ANSWER=42")
    assert config.cxxflags == ("-std=c++17",) and config.libraries == ("m",)
    assert config.entry == "reactor" and config.exports == ("fib",)
    assert config.memory.initial == 2 << 20 and config.memory.maximum == 64 << 20
    assert config.memory.stack_size == 1 << 20 and config.memory.thread_stack_size == 256 << 10
    assert config.opt_level("release") == "3" and config.opt_level("debug") == "1"
    assert config.run.max_threads == 8


def test_cmake_and_command_tables(tmp_path: Path) -> None:
    write(
        tmp_path / "a" / "wasmpack.toml",
        '[cmake]\nsource-dir = "src"\ntarget = "app"\ncache = { FAST = true, N = 4, S = "x" }\n',
    )
    cmake = load_config(tmp_path / "a")
    assert cmake.kind == "cmake"
    assert cmake.cmake.cache == (("FAST", "ON"), ("N", "4"), ("S", "x"))
    write(tmp_path / "b" / "wasmpack.toml", '[command]\nrun = "make -j2"\noutput = "app.wasm"\n')
    command = load_config(tmp_path / "b")
    assert (command.kind, command.command.run, command.command.output) == (
        "command",
        "make -j2",
        "app.wasm",
    )


def test_pyproject_tool_table(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n[tool.wasmpack]\nkind = "c"\nsources = ["a.c"]\nname = "py"\n',
    )
    config = load_config(tmp_path)
    assert config.name == "py" and config.source.name == "pyproject.toml"


def test_cargo_project_needs_no_extra_file(tmp_path: Path) -> None:
    write(tmp_path / "Cargo.toml", '[package]\nname = "crab"\nversion = "0.1.0"\n')
    config = load_config(tmp_path)
    assert (config.kind, config.name) == ("cargo", "crab")


def test_cargo_metadata_table(tmp_path: Path) -> None:
    write(
        tmp_path / "Cargo.toml",
        '[package]\nname = "crab"\n[package.metadata.wasmpack]\n'
        '[package.metadata.wasmpack.memory]\nmaximum = "256MiB"\n'
        '[package.metadata.wasmpack.cargo]\nbin = "worker"\n'
        'offline-registry = "/usr/share/cargo/registry"\n',
    )
    config = load_config(tmp_path)
    assert config.name == "worker" and config.memory.maximum == 256 << 20
    assert config.cargo.offline_registry == "/usr/share/cargo/registry"


def test_unknown_key_names_file_key_and_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path / "wasmpack.toml", 'kind = "c"\nsources = ["a.c"]\nsoruces = []\n')
    suggestion = r"soruces: unknown key \(did you mean 'sources'\?\)"
    with pytest.raises(ConfigError, match=suggestion) as caught:
        load_config(tmp_path)
    assert str(path) in str(caught.value)


def test_unknown_nested_key_uses_dotted_path(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.wasmpack]\nkind = "c"\nsources = ["a.c"]\n[tool.wasmpack.memory]\nmaximun = 65536\n',
    )
    with pytest.raises(ConfigError, match=r"tool\.wasmpack\.memory\.maximun: unknown key"):
        load_config(tmp_path)


def test_all_problems_are_reported_in_one_pass(tmp_path: Path) -> None:
    write(
        tmp_path / "wasmpack.toml",
        'kind = "rust"\nsources = "src/*.c"\n[memory]\ninitial = "3KiB"\n[run]\nmax-threads = 0\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    text = caught.value.details
    assert "4 problems" in str(caught.value)
    for key in ("kind:", "sources:", "memory.initial:", "run.max-threads:"):
        assert key in text


def test_missing_required_values(tmp_path: Path) -> None:
    write(tmp_path / "c" / "wasmpack.toml", 'kind = "c"\n')
    with pytest.raises(ConfigError, match=r"sources: missing"):
        load_config(tmp_path / "c")
    write(tmp_path / "k" / "wasmpack.toml", 'name = "x"\n')
    with pytest.raises(ConfigError, match=r"kind: missing"):
        load_config(tmp_path / "k")
    write(tmp_path / "m" / "wasmpack.toml", '[command]\nrun = ["make"]\n')
    with pytest.raises(ConfigError, match=r"command\.output: missing"):
        load_config(tmp_path / "m")


def test_wrong_types_are_named(tmp_path: Path) -> None:
    write(tmp_path / "wasmpack.toml", 'kind = "c"\nsources = ["a.c"]\ndefines = "X"\n')
    with pytest.raises(ConfigError, match=r"defines: expected a list of strings, got string 'X'"):
        load_config(tmp_path)


def test_bad_kind_gets_a_suggestion(tmp_path: Path) -> None:
    write(tmp_path / "wasmpack.toml", 'kind = "cmak"\n')
    with pytest.raises(ConfigError, match=r"did you mean 'cmake'"):
        load_config(tmp_path)


def test_initial_above_maximum(tmp_path: Path) -> None:
    write(
        tmp_path / "wasmpack.toml",
        'kind = "c"\nsources = ["a.c"]\n[memory]\ninitial = "2MiB"\nmaximum = "1MiB"\n',
    )
    with pytest.raises(ConfigError, match=r"memory\.initial: .* more than maximum"):
        load_config(tmp_path)


def test_invalid_toml_is_one_line(tmp_path: Path) -> None:
    write(tmp_path / "wasmpack.toml", "kind = \n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(tmp_path)


def test_not_a_project_says_what_to_create(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"not a wasmpack project; create a wasmpack\.toml"):
        load_config(tmp_path)
    with pytest.raises(ConfigError, match="not a directory"):
        load_config(tmp_path / "nope")


def test_cargo_kind_without_cargo_toml(tmp_path: Path) -> None:
    write(tmp_path / "wasmpack.toml", 'kind = "cargo"\n')
    with pytest.raises(ConfigError, match=r"no Cargo\.toml"):
        load_config(tmp_path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(65536, 65536), ("64KiB", 65536), ("2MiB", 2 << 20), ("1GiB", 1 << 30), ("10 B", 10)],
)
def test_parse_size(value: object, expected: int) -> None:
    assert parse_size(value) == expected


@pytest.mark.parametrize("value", ["2MB", "", "-1", True, 0, 1.5, "1 TiB"])
def test_parse_size_rejects(value: object) -> None:
    with pytest.raises(ValueError, match=r"expected|positive"):
        parse_size(value)


def test_from_dict_is_usable_directly(tmp_path: Path) -> None:
    config = ProjectConfig.from_dict(
        {"kind": "c", "sources": ["x.c"]}, root=tmp_path, source=tmp_path / "wasmpack.toml"
    )
    assert config.sources == ("x.c",)


def test_non_table_tool_or_metadata_is_one_line(tmp_path: Path) -> None:
    write(tmp_path / "py" / "pyproject.toml", 'tool = "wasmpack"\n')
    with pytest.raises(ConfigError, match=r"pyproject\.toml: tool must be a table"):
        load_config(tmp_path / "py")
    write(tmp_path / "py" / "pyproject.toml", "[tool]\nwasmpack = 1\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: tool\.wasmpack must be a table"):
        load_config(tmp_path / "py")
    write(tmp_path / "rs" / "Cargo.toml", '[package]\nname = "crab"\nmetadata = "x"\n')
    with pytest.raises(ConfigError, match=r"Cargo\.toml: package\.metadata must be a table"):
        load_config(tmp_path / "rs")


@pytest.mark.parametrize(
    ("kind", "key", "value"),
    [
        ("cmake", "sources", '["a.c"]'),
        ("cmake", "include-dirs", '["include"]'),
        ("command", "entry", '"reactor"'),
        ("command", "exports", '["f"]'),
    ],
)
def test_c_only_keys_are_rejected_for_other_kinds(
    tmp_path: Path, kind: str, key: str, value: str
) -> None:
    tables = '\n[command]\nrun = "make"\noutput = "a.wasm"\n' if kind == "command" else ""
    write(tmp_path / "wasmpack.toml", f'kind = "{kind}"\n{key} = {value}\n{tables}')
    with pytest.raises(ConfigError, match=rf'{key}: is not used by kind = "{kind}"'):
        load_config(tmp_path)


def test_cargo_metadata_rejects_c_only_keys_with_the_table_prefix(tmp_path: Path) -> None:
    write(
        tmp_path / "Cargo.toml",
        '[package]\nname = "crab"\n[package.metadata.wasmpack]\nexports = ["f"]\n',
    )
    with pytest.raises(ConfigError, match=r"package\.metadata\.wasmpack\.exports: is not used"):
        load_config(tmp_path)


def test_command_kind_keeps_include_dirs(tmp_path: Path) -> None:
    write(
        tmp_path / "wasmpack.toml",
        'kind = "command"\ninclude-dirs = ["inc"]\n[command]\nrun = "make"\noutput = "a.wasm"\n',
    )
    assert load_config(tmp_path).include_dirs == ("inc",)


def test_bad_opt_level_says_what_it_got(tmp_path: Path) -> None:
    write(
        tmp_path / "wasmpack.toml",
        'kind = "c"\nsources = ["a.c"]\n[profile.release]\nopt-level = "fast"\n',
    )
    with pytest.raises(ConfigError, match=r"profile\.release\.opt-level: got 'fast', expected one"):
        load_config(tmp_path)


def test_exceptions_key_is_a_boolean_and_not_for_cargo(tmp_path: Path) -> None:
    base = {"kind": "cxx", "sources": ["a.cpp"]}
    assert not ProjectConfig.from_dict(base, root=tmp_path, source=tmp_path / "w.toml").exceptions
    on = ProjectConfig.from_dict(
        {**base, "exceptions": True}, root=tmp_path, source=tmp_path / "w.toml"
    )
    assert on.exceptions
    with pytest.raises(ConfigError, match=r"exceptions: expected true or false, got string"):
        ProjectConfig.from_dict(
            {**base, "exceptions": "yes"}, root=tmp_path, source=tmp_path / "w.toml"
        )
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "x"\nversion = "0.1.0"\n')
    with pytest.raises(ConfigError, match=r"exceptions: selects the C/C\+\+ exceptions toolchain"):
        ProjectConfig.from_dict(
            {"kind": "cargo", "exceptions": True}, root=tmp_path, source=tmp_path / "w.toml"
        )


def test_exception_use_is_found_outside_comments(tmp_path: Path) -> None:
    from wasmpack_mt.builders.exception_use import find_exception_use

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.cpp").write_text("// we never throw here\n/* try { */\nint f() { return 1; }\n")
    assert find_exception_use(tmp_path) is None
    (src / "b.c").write_text("#include <stdio.h>\n\nint main(void) { return setjmp(b); }\n")
    use = find_exception_use(tmp_path)
    assert use is not None and (use.what, use.path, use.line) == (
        "setjmp/longjmp",
        Path("src/b.c"),
        3,
    )
