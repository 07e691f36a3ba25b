"""The build plan: computed once, rendered by each driver, recorded the same on every machine."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from wasmpack_mt.builders.cmake import cache_settings
from wasmpack_mt.builders.command import command_env
from wasmpack_mt.builders.config import ProjectConfig
from wasmpack_mt.builders.driver import BuildRequest
from wasmpack_mt.builders.incremental import depfile_inputs, is_fresh, record
from wasmpack_mt.builders.plan import BuildPlan, plan_build
from wasmpack_mt.bundle import Manifest
from wasmpack_mt.toolchains.model import ClangToolchain, RustToolchain

PROJECT = {
    "name": "app",
    "kind": "c",
    "sources": ["src/*.c"],
    "include-dirs": ["include"],
    "defines": ["N=4"],
    "cflags": ["-Wall"],
    "memory": {"maximum": "64MiB"},
}


def clang_in(home: Path) -> ClangToolchain:
    toolchains = home / ".cache" / "wasmpack" / "toolchains"
    return ClangToolchain(
        kind="system-clang", version="19.1.7", triple="wasm32-wasip1-threads",
        cc=Path("/usr/bin/clang-19"), cxx=Path("/usr/bin/clang++-19"),
        ar=Path("/usr/bin/llvm-ar-19"), ranlib=Path("/usr/bin/llvm-ranlib-19"),
        nm=Path("/usr/bin/llvm-nm-19"), sysroot=toolchains / "c-0123",
        resource_dir=toolchains / "resource-dir-clang-19.1.7", cxx_threads=True,
    )  # fmt: skip


def plan_in(
    home: Path, monkeypatch: pytest.MonkeyPatch, profile: str = "release", **data: object
) -> BuildPlan:
    """The plan of the same project living under `home`, with its cache there too."""
    monkeypatch.setenv("WASMPACK_CACHE_DIR", str(home / ".cache" / "wasmpack"))
    root = home / "src" / "app"
    config = ProjectConfig.from_dict({**PROJECT, **data}, root=root, source=root / "wasmpack.toml")
    work = root / "build" / "wasmpack" / profile
    return plan_build(config, profile, clang_in(home), work)  # type: ignore[arg-type]


def manifest_bytes(plan: BuildPlan) -> bytes:
    flags = plan.recorded_flags(["c", "link"])
    return Manifest(
        name="app", version="0", entry="command", memory_min_pages=1, memory_max_pages=1024,
        max_threads=8, languages=("c",), toolchain="clang (system-clang)",
        toolchain_version="19.1.7", source_digest="sha256:0", build_flags=flags,
        features=plan.features(),
    ).to_json().encode()  # fmt: skip


def test_two_homes_write_the_same_manifest_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    first = manifest_bytes(plan_in(Path("/home/ada"), monkeypatch))
    second = manifest_bytes(plan_in(Path("/srv/users/grace hopper"), monkeypatch))
    assert first == second
    assert b"/home/ada" not in first


def test_recorded_flags_name_each_flag_once(monkeypatch: pytest.MonkeyPatch) -> None:
    flags = plan_in(Path("/home/ada"), monkeypatch).recorded_flags(["c", "cxx", "link"])
    assert flags.count("--target=wasm32-wasip1-threads") == 1
    assert flags.count("-pthread") == 1
    assert flags.count("-O2") == 1
    assert "--sysroot=<sysroot>" in flags and "<resource-dir>" in flags
    assert "-I./include" in flags


def test_drivers_render_the_same_include_dirs_and_optimisation(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    plan = plan_in(tmp_path, monkeypatch)
    include = f"-I{tmp_path / 'src' / 'app' / 'include'}"
    assert include in plan.flags("c") and include in plan.flags("cxx")
    env = command_env(clang_in(tmp_path), plan)
    assert include in env["CFLAGS"] and "-O2" in env["CFLAGS"]
    root = tmp_path / "src" / "app"
    config = ProjectConfig.from_dict(
        {"kind": "cmake", "defines": ["N=4"]}, root=root, source=root / "wasmpack.toml"
    )
    request = BuildRequest(config=config, profile="release", work_dir=root / "build")
    cmake_plan = plan_build(config, "release", clang_in(tmp_path), request.work_dir)
    settings = cache_settings(request, clang_in(tmp_path), cmake_plan)
    assert any(s.startswith("-DCMAKE_C_FLAGS=") and "-DN=4" in s for s in settings)
    assert "-DCMAKE_C_FLAGS_RELEASE=-O2 -msimd128 -DNDEBUG" in settings


def test_simd_follows_the_project_key(monkeypatch: pytest.MonkeyPatch) -> None:
    on = plan_in(Path("/h"), monkeypatch)
    off = plan_in(Path("/h"), monkeypatch, simd=False)
    assert "-msimd128" in on.flags("c") and "-msimd128" in on.flags("link")
    assert on.features() == ("simd",)
    assert "-msimd128" not in off.flags("c") + off.flags("link")
    assert off.features() == ()


def test_rust_plan_enables_simd128(tmp_path: Path) -> None:
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "crab"\n')
    config = ProjectConfig.from_dict({}, root=tmp_path, source=tmp_path / "Cargo.toml")
    rust = RustToolchain("rustup", "1.95.0", "wasm32-wasip1-threads", Path("/c"), Path("/r"))
    plan = plan_build(config, "release", rust, tmp_path)
    assert "-Ctarget-feature=+simd128" in plan.flags("rust")
    plain = plan_build(dataclasses.replace(config, simd=False), "release", rust, tmp_path)
    assert "-Ctarget-feature=+simd128" not in plain.flags("rust")


def test_depfile_with_escaped_spaces(tmp_path: Path) -> None:
    depfile = tmp_path / "a.d"
    depfile.write_text("/o/a.o: src/a.c include/my\\ header.h \\\n  /usr/include/stdio.h\n")
    assert depfile_inputs(depfile, tmp_path) == [
        tmp_path / "src/a.c", tmp_path / "include/my header.h", Path("/usr/include/stdio.h"),
    ]  # fmt: skip


def test_stamp_goes_stale_when_an_input_or_the_command_changes(tmp_path: Path) -> None:
    source, output = tmp_path / "a.c", tmp_path / "a.o"
    source.write_text("int x;")
    output.write_bytes(b"obj")
    record(output, ["cc", "-c", "a.c"], [source])
    assert is_fresh(output, ["cc", "-c", "a.c"])
    assert not is_fresh(output, ["cc", "-O3", "-c", "a.c"])
    source.write_text("int xy;")
    assert not is_fresh(output, ["cc", "-c", "a.c"])


def test_the_exceptions_flavour_flags_reach_the_abi_group_and_the_features(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from wasmpack_mt.toolchains.model import ExceptionFlags

    eh = ExceptionFlags(
        cflags=("-mllvm", "-wasm-enable-sjlj"),
        cxxflags=("-fwasm-exceptions",),
        ldflags=("-lunwind",),
    )
    toolchain = dataclasses.replace(clang_in(tmp_path), exceptions=eh)
    root = tmp_path / "app"
    config = ProjectConfig.from_dict(
        {**PROJECT, "kind": "cxx", "exceptions": True}, root=root, source=root / "wasmpack.toml"
    )
    plan = plan_build(config, "release", toolchain, root / "build")
    assert plan.only("cxx", "abi") == ["-pthread", "-fwasm-exceptions"]
    assert plan.only("c", "abi") == ["-pthread", "-mllvm", "-wasm-enable-sjlj"]
    assert "-lunwind" in plan.only("link", "abi")
    assert "-fno-exceptions" not in plan.flags("cxx")
    assert plan.features() == ("simd", "exceptions")
    plain = plan_build(config, "release", clang_in(tmp_path), root / "build")
    assert "-fno-exceptions" in plain.only("cxx", "abi") and plain.features() == ("simd",)


def test_the_posix_layer_is_one_group_every_clang_driver_renders_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    plan = plan_in(tmp_path, monkeypatch)
    include = next(f for f in plan.only("c", "posix") if "posix-compat" in f)
    assert plan.posix_compat and "-lwasmpack-posix" in plan.only("link", "posix")
    assert plan.only("cxx", "posix") == plan.only("c", "posix")
    env = command_env(clang_in(tmp_path), plan)
    assert include in env["CC"] and include not in env["CFLAGS"]
    assert "-lwasmpack-posix" in env["LDFLAGS"]
    root = tmp_path / "src" / "app"
    config = ProjectConfig.from_dict({"kind": "cmake"}, root=root, source=root / "wasmpack.toml")
    request = BuildRequest(config=config, profile="release", work_dir=root / "build")
    cmake_plan = plan_build(config, "release", clang_in(tmp_path), request.work_dir)
    settings = cache_settings(request, clang_in(tmp_path), cmake_plan)
    toolchain_file = next(s for s in settings if s.startswith("-DCMAKE_TOOLCHAIN_FILE="))
    assert "-lwasmpack-posix" in Path(toolchain_file.split("=", 1)[1]).read_text()
    assert not any("posix-compat" in s or "-pthread" in s for s in settings[1:])
    off = plan_in(tmp_path, monkeypatch, **{"posix-compat": False})
    assert not off.posix_compat and off.only("c", "posix") == []
