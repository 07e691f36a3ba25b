"""Pure parts of the drivers: cargo messages and argv, flags, porting variables, CMake file."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from wasmpack_mt.atomic import atomic_write_bytes
from wasmpack_mt.builders.cargo import (
    cargo_command,
    cargo_env,
    offline_registry_args,
    select_binary,
)
from wasmpack_mt.builders.clang import find_sources
from wasmpack_mt.builders.config import MemoryConfig, ProjectConfig, load_config
from wasmpack_mt.builders.driver import BuildRequest
from wasmpack_mt.builders.memory_layout import memory_linker_args
from wasmpack_mt.builders.plan import plan_build, relative_flags
from wasmpack_mt.builders.porting import clang_env, cmake_toolchain_text, runner_command, rust_env
from wasmpack_mt.builders.project_tree import project_files
from wasmpack_mt.errors import BuildError, ConfigError
from wasmpack_mt.toolchains.model import ClangToolchain, RustToolchain

CLANG = ClangToolchain(
    kind="system-clang",
    version="19.1.7",
    triple="wasm32-wasip1-threads",
    cc=Path("/usr/bin/clang-19"),
    cxx=Path("/usr/bin/clang++-19"),
    ar=Path("/usr/bin/llvm-ar-19"),
    ranlib=Path("/usr/bin/llvm-ranlib-19"),
    nm=Path("/usr/bin/llvm-nm-19"),
    sysroot=Path("/sysroot"),
    resource_dir=Path("/res"),
    cxx_threads=True,
)
RUST = RustToolchain(
    kind="bootstrapped",
    version="1.96.0",
    triple="wasm32-wasip1-threads",
    cargo=Path("/usr/bin/cargo"),
    rustc=Path("/usr/bin/rustc"),
    sysroot=Path("/rust-sysroot"),
)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated files (CMake toolchain, runner) go to a temp cache."""
    monkeypatch.setenv("WASMPACK_CACHE_DIR", str(tmp_path / "cache"))


def cargo_project(tmp_path: Path, **data: object) -> ProjectConfig:
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "crab"\n')
    return ProjectConfig.from_dict(
        dict(data), root=tmp_path, source=tmp_path / "Cargo.toml", cargo_package="crab"
    )


def artifact(name: str, kinds: list[str], executable: str | None) -> str:
    return json.dumps(
        {
            "reason": "compiler-artifact",
            "target": {"name": name, "kind": kinds},
            "executable": executable,
        }
    )


MESSAGES = "\n".join(
    [
        artifact("rayon", ["lib"], None),
        artifact("crab", ["bin"], "/t/wasm32-wasip1-threads/release/crab.wasm"),
        json.dumps({"reason": "build-finished", "success": True}),
    ]
)


def test_select_binary_reads_cargo_json(tmp_path: Path) -> None:
    config = cargo_project(tmp_path)
    assert select_binary(MESSAGES, None, config) == Path(
        "/t/wasm32-wasip1-threads/release/crab.wasm"
    )


def test_select_binary_with_several_needs_a_choice(tmp_path: Path) -> None:
    config = cargo_project(tmp_path)
    two = MESSAGES + "\n" + artifact("tool", ["bin"], "/t/tool.wasm")
    with pytest.raises(ConfigError, match=r"several binaries \(crab, tool\).*--bin NAME"):
        select_binary(two, None, config)
    assert select_binary(two, "tool", config) == Path("/t/tool.wasm")
    with pytest.raises(BuildError, match="no binary named 'nope'"):
        select_binary(two, "nope", config)
    with pytest.raises(BuildError, match=r"built no binary \(\.wasm\)"):
        select_binary(artifact("lib", ["lib"], None), None, config)


def test_cargo_command_options(tmp_path: Path) -> None:
    config = cargo_project(
        tmp_path, cargo={"package": "member", "bin": "b", "features": ["x", "y"]}
    )
    request = BuildRequest(config=config, profile="release", work_dir=tmp_path / "w")
    assert cargo_command(RUST, config, request) == [
        "/usr/bin/cargo", "build", "--target", "wasm32-wasip1-threads", "--release",
        "--package", "member", "--bin", "b", "--features", "x,y",
    ]  # fmt: skip
    debug = BuildRequest(config=config, profile="debug", work_dir=tmp_path, bin="other")
    assert "--release" not in cargo_command(RUST, config, debug)
    assert cargo_command(RUST, config, debug)[-3] == "other"


def test_cargo_env_memory_paths_and_opt_level(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RUSTFLAGS", raising=False)
    monkeypatch.delenv("CARGO_ENCODED_RUSTFLAGS", raising=False)
    config = cargo_project(
        tmp_path, memory={"maximum": "64MiB"}, profile={"release": {"opt-level": "s"}}, simd=False
    )
    env = cargo_env(RUST, config, plan_build(config, "release", RUST, tmp_path))
    assert "RUSTFLAGS" not in env
    assert env["CARGO_ENCODED_RUSTFLAGS"].split("\x1f") == [
        "--sysroot=/rust-sysroot",
        "-Clink-arg=--export=malloc",
        "-Clink-arg=--export=free",
        "-Clink-arg=--max-memory=67108864",
        f"--remap-path-prefix={tmp_path}=.",
    ]
    assert env["CARGO_PROFILE_RELEASE_OPT_LEVEL"] == "s"
    debug = plan_build(config, "debug", RUST, tmp_path)
    assert "CARGO_PROFILE_DEV_OPT_LEVEL" not in cargo_env(RUST, config, debug)


@pytest.mark.parametrize(
    ("user", "kept"),
    [
        ({"RUSTFLAGS": "-Cdebuginfo=1  -Copt-level=1"}, ["-Cdebuginfo=1", "-Copt-level=1"]),
        ({"CARGO_ENCODED_RUSTFLAGS": "-Cdebuginfo=1\x1f--cfg=a b"}, ["-Cdebuginfo=1", "--cfg=a b"]),
    ],
)
def test_cargo_env_keeps_user_flags_and_paths_with_spaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user: dict[str, str], kept: list[str]
) -> None:
    for name in ("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in user.items():
        monkeypatch.setenv(name, value)
    root = tmp_path / "my proj"
    root.mkdir()
    config = cargo_project(root)
    plan = plan_build(config, "release", RUST, root)
    flags = cargo_env(RUST, config, plan)["CARGO_ENCODED_RUSTFLAGS"]
    assert flags.split("\x1f")[: len(kept)] == kept
    assert flags.split("\x1f")[-1] == f"--remap-path-prefix={root}=."


def test_offline_registry_replaces_crates_io(tmp_path: Path) -> None:
    (tmp_path / "registry").mkdir()
    config = cargo_project(tmp_path)
    args = offline_registry_args(config, "registry")
    assert args[0] == "--offline"
    assert 'source.crates-io.replace-with="wasmpack-offline"' in args
    assert f'source.wasmpack-offline.directory="{tmp_path / "registry"}"' in args
    with pytest.raises(ConfigError, match=r"cargo\.offline-registry: .* is not a directory"):
        offline_registry_args(config, "missing")


def test_memory_linker_args() -> None:
    assert memory_linker_args(MemoryConfig()) == ["--max-memory=1073741824"]
    full = MemoryConfig(initial=131072, maximum=262144, stack_size=65536)
    assert memory_linker_args(full) == [
        "--max-memory=262144",
        "--initial-memory=131072",
        "-zstack-size=65536",
    ]


def test_relative_flags_hide_the_project_path() -> None:
    assert relative_flags(["-I/p/include", "-O2"], Path("/p")) == ("-I./include", "-O2")


def test_clang_env_puts_target_in_cc_and_abi_in_flags() -> None:
    env = clang_env(CLANG, posix=False)
    assert env["CC"].startswith("/usr/bin/clang-19 --target=wasm32-wasip1-threads")
    assert "--sysroot=/sysroot" in env["CXX"] and "-resource-dir /res" in env["CC"]
    assert env["CFLAGS"] == "-pthread -O2"
    assert env["CXXFLAGS"] == "-pthread -fno-exceptions -O2"
    assert "-Wl,--import-memory,--export-memory" in env["LDFLAGS"]
    assert env["LDFLAGS"].endswith("-Wl,--max-memory=1073741824")
    assert Path(env["CMAKE_TOOLCHAIN_FILE"]).is_file()


def test_rust_env_sets_target_runner_and_sysroot() -> None:
    base = {"PATH": "/bin", "RUSTFLAGS": "-Cdebuginfo=1", "RUSTDOCFLAGS": "--cfg doc"}
    env = rust_env(RUST, base)
    assert env["CARGO_BUILD_TARGET"] == "wasm32-wasip1-threads"
    ours = ["--sysroot=/rust-sysroot", "-Clink-arg=--export=malloc", "-Clink-arg=--export=free"]
    assert env["CARGO_ENCODED_RUSTFLAGS"].split("\x1f") == ["-Cdebuginfo=1", *ours]
    assert env["CARGO_ENCODED_RUSTDOCFLAGS"].split("\x1f") == ["--cfg", "doc", *ours]
    assert "RUSTFLAGS" not in env and "RUSTDOCFLAGS" not in env
    assert env["PATH"].startswith("/usr/bin:")
    runner = Path(env["CARGO_TARGET_WASM32_WASIP1_THREADS_RUNNER"])
    text = runner.read_text()
    assert runner.is_file() and "from wasmpack_mt.cli import main" in text
    assert text.rstrip().endswith(' run "$module" --inherit-env -- "$@"')


def test_cmake_toolchain_text_has_what_cmake_needs() -> None:
    text = cmake_toolchain_text(CLANG, MemoryConfig(maximum=1 << 28))
    for line in (
        "set(CMAKE_SYSTEM_NAME WASI)",
        'set(CMAKE_C_COMPILER "/usr/bin/clang-19")',
        "set(CMAKE_C_COMPILER_TARGET wasm32-wasip1-threads)",
        'set(CMAKE_SYSROOT "/sysroot")',
        "set(CMAKE_EXECUTABLE_SUFFIX .wasm)",
        "set(THREADS_PREFER_PTHREAD_FLAG ON)",
    ):
        assert line in text
    assert "-Wl,--max-memory=268435456" in text
    # In add_compile_options/add_link_options: a user's CMAKE_<LANG>_FLAGS cannot drop them.
    assert 'add_compile_options("-pthread" "-resource-dir=/res")' in text
    assert 'add_compile_options("\\$<\\$<COMPILE_LANGUAGE:CXX>:-fno-exceptions>")' in text
    assert 'add_link_options("-pthread" "-Wl,--import-memory,--export-memory"' in text
    assert "_FLAGS_INIT" not in text


def test_project_files_lists_only_regular_files(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.c").write_text("int main(void) { return 0; }\n")
    (tmp_path / "src" / ".#main.c").symlink_to("user@host.1234:1700000000")  # an Emacs lock
    (tmp_path / "alias.c").symlink_to(tmp_path / "src" / "main.c")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref\n")
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "app.wasm").write_bytes(b"")
    assert project_files(tmp_path) == (tmp_path / "src" / "main.c",)


def c_project(root: Path, *sources: str) -> ProjectConfig:
    root.mkdir(parents=True, exist_ok=True)
    (root / "main.c").write_text("int main(void) { return 0; }\n")
    listed = ", ".join(f"{s!r}" for s in sources).replace("'", '"')
    (root / "pyproject.toml").write_text(f'[tool.wasmpack]\nkind = "c"\nsources = [{listed}]\n')
    return load_config(root)


def test_find_sources_rejects_absolute_globs(tmp_path: Path) -> None:
    config = c_project(tmp_path / "proj", str(tmp_path / "proj" / "*.c"))
    with pytest.raises(ConfigError, match=r"pyproject\.toml: tool\.wasmpack\.sources: .* absolute"):
        find_sources(config)


def test_find_sources_rejects_files_outside_the_project(tmp_path: Path) -> None:
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "lib.c").write_text("int lib(void) { return 1; }\n")
    config = c_project(tmp_path / "proj", "*.c", "../other/*.c")
    with pytest.raises(ConfigError, match=r"tool\.wasmpack\.sources: .* outside the project root"):
        find_sources(config)
    assert find_sources(c_project(tmp_path / "proj", "./*.c", "*.c")) == [
        tmp_path / "proj" / "main.c"
    ]


def test_errors_name_the_key_with_its_table(tmp_path: Path) -> None:
    (tmp_path / "Cargo.toml").write_text(
        '[package]\nname = "crab"\n[package.metadata.wasmpack.cargo]\noffline-registry = "x"\n'
    )
    config = load_config(tmp_path)
    with pytest.raises(ConfigError, match=r"package\.metadata\.wasmpack\.cargo\.offline-registry"):
        offline_registry_args(config, "x")
    with pytest.raises(BuildError, match=r"package\.metadata\.wasmpack\.cargo\.bin"):
        select_binary(MESSAGES, "nope", config)


def test_runner_is_written_executable_in_one_step(tmp_path: Path) -> None:
    runner = Path(runner_command()[0])
    assert runner.stat().st_mode & 0o777 == 0o755
    assert sorted(p.name for p in runner.parent.iterdir()) == ["wasmpack-runner"]


def test_atomic_write_keeps_the_old_file_and_no_temp_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "dir" / "file"
    atomic_write_bytes(target, b"old", mode=0o600)
    assert target.read_bytes() == b"old" and target.stat().st_mode & 0o777 == 0o600

    def failing_replace(self: Path, other: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["file"]


def test_cmake_toolchain_text_quotes_paths_with_spaces() -> None:
    spaced = dataclasses.replace(CLANG, resource_dir=Path("/my res"))
    text = cmake_toolchain_text(spaced, MemoryConfig())
    assert 'add_compile_options("-pthread" "-resource-dir=/my res")' in text
