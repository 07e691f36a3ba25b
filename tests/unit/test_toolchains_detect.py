"""Detection against fabricated trees: wasi-sdk layouts, system clang parts, rustc versions."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.log import logger
from wasmpack_mt.toolchains.detect import find_candidates
from wasmpack_mt.toolchains.model import ClangToolchain, RustToolchain
from wasmpack_mt.toolchains.probe import Prober
from wasmpack_mt.toolchains.resolve import choose, resolve
from wasmpack_mt.toolchains.search import SearchEnv, bootstrap_keys
from wasmpack_mt.toolchains.spec import ToolchainsSpec, default_spec
from wasmpack_mt.toolchains.store import MARKER, entry_path

TRIPLE = "wasm32-wasip1-threads"
THREADS_CONFIG = "/* #undef _LIBCPP_HAS_NO_THREADS */\n"
NO_THREADS_CONFIG = "#define _LIBCPP_HAS_THREADS 0\n"


def script(path: Path, body: str) -> Path:
    """An executable shell script at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def touch(path: Path, text: str = "") -> Path:
    """A file with `text`, parents created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def fake_clang(path: Path, version: str, resource: Path) -> Path:
    """A clang that answers --version and -print-resource-dir."""
    return script(
        path,
        f'case "$1" in\n  --version) echo "Debian clang version {version}";;\n'
        f'  -print-resource-dir) echo "{resource}";;\n  *) exit 1;;\nesac',
    )


def fake_rustc(path: Path, version: str, sysroot: Path) -> Path:
    """A rustc that answers --version and --print sysroot."""
    return script(
        path,
        f'case "$1" in\n  --version) echo "rustc {version} (0000 2026-01-01)";;\n'
        f'  --print) echo "{sysroot}";;\n  *) exit 1;;\nesac',
    )


def threads_sysroot(root: Path, triple: str = TRIPLE, cxx_config: str | None = None) -> Path:
    """A sysroot with libc.a for `triple`, plus libc++ when `cxx_config` is given."""
    touch(root / "lib" / triple / "libc.a")
    if cxx_config is not None:
        touch(root / "lib" / triple / "libc++.a")
        touch(root / "include" / triple / "c++" / "v1" / "__config_site", cxx_config)
    return root


@pytest.fixture
def spec(tmp_path: Path) -> ToolchainsSpec:
    """The real spec with every absolute search location moved into `tmp_path`."""
    real = default_spec()
    return dataclasses.replace(
        real,
        wasi_sdk=dataclasses.replace(real.wasi_sdk, roots=(os.fspath(tmp_path / "opt-sdk"),)),
        rust=dataclasses.replace(
            real.rust,
            system_cargo=os.fspath(tmp_path / "usr/bin/cargo"),
            system_rustc=os.fspath(tmp_path / "usr/bin/rustc"),
        ),
        bootstrap=dataclasses.replace(
            real.bootstrap, compiler=dataclasses.replace(real.bootstrap.compiler, cc="clang-19")
        ),
    )


def search_env(tmp_path: Path, **environ: str) -> SearchEnv:
    """PATH is only `tmp_path/bin`; the bootstrap prefix is `tmp_path/prefix`."""
    return SearchEnv(environ, (tmp_path / "bin",), tmp_path / "prefix")


def wasi_sdk(
    root: Path,
    *,
    version: str = "25.0",
    triple: str | None = TRIPLE,
    cxx_config: str | None = THREADS_CONFIG,
) -> Path:
    """A wasi-sdk layout with a VERSION file and, optionally, a threads sysroot."""
    touch(root / "VERSION", f"{version}\nwasi-libc: 0000\n")
    fake_clang(root / "bin" / "clang", "19.1.5", root / "lib" / "clang" / "19")
    touch(root / "share" / "wasi-sysroot" / "lib" / "wasm32-wasi" / "libc.a")
    if triple is not None:
        threads_sysroot(root / "share" / "wasi-sysroot", triple, cxx_config)
    return root


def system_clang(tmp_path: Path, *, builtins: str | None = "debian") -> Path:
    """clang-19 with wasm-ld and llvm tools beside it; builtins Debian-named, expected or none."""
    resource = tmp_path / "res"
    (resource / "include").mkdir(parents=True)
    if builtins == "debian":
        touch(resource / "lib" / "wasi" / "libclang_rt.builtins-wasm32.a")
    elif builtins == "expected":
        touch(resource / "lib" / "wasm32-unknown-wasip1-threads" / "libclang_rt.builtins.a")
    for tool in ("wasm-ld", "llvm-ar", "llvm-ranlib", "llvm-nm"):
        script(tmp_path / "bin" / tool, "exit 0")
    return fake_clang(tmp_path / "bin" / "clang-19", "19.1.7", resource)


def test_wasi_sdk_with_threads_sysroot_is_first_choice(
    spec: ToolchainsSpec, tmp_path: Path
) -> None:
    sdk = wasi_sdk(tmp_path / "sdk")
    system_clang(tmp_path, builtins="expected")
    env = search_env(
        tmp_path,
        WASI_SDK_PATH=os.fspath(sdk),
        WASI_SYSROOT=os.fspath(threads_sysroot(tmp_path / "sysroot")),
    )
    candidates = find_candidates(spec, env, Prober())
    assert [c.kind for c in candidates][:2] == ["wasi-sdk", "system-clang"]
    chosen = choose(candidates, "cxx")
    assert isinstance(chosen, ClangToolchain)
    assert (chosen.kind, chosen.version, chosen.triple) == ("wasi-sdk", "25.0", TRIPLE)
    assert chosen.cc == sdk / "bin" / "clang" and chosen.cxx_threads
    assert chosen.sysroot == sdk / "share" / "wasi-sysroot"


def test_wasi_sdk_without_threads_sysroot_is_not_ready(
    spec: ToolchainsSpec, tmp_path: Path
) -> None:
    sdk = wasi_sdk(tmp_path / "sdk", triple=None)
    env = search_env(tmp_path, WASI_SDK_PATH=os.fspath(sdk))
    candidates = find_candidates(spec, env, Prober())
    assert candidates[0].kind == "wasi-sdk" and not candidates[0].ready
    with pytest.raises(
        ToolchainError,
        match=r"threads sysroot .*wasm32-wasip1-threads.*fix:.*"
        r"wasmpack toolchain bootstrap --lang c",
    ):
        choose(candidates, "c")


def test_wasi_sdk_legacy_triple_and_no_threads_libcxx(spec: ToolchainsSpec, tmp_path: Path) -> None:
    sdk = wasi_sdk(tmp_path / "sdk", triple="wasm32-wasi-threads", cxx_config=NO_THREADS_CONFIG)
    candidates = find_candidates(spec, search_env(tmp_path, WASI_SDK_PATH=os.fspath(sdk)), Prober())
    c_toolchain = choose(candidates, "c")
    assert isinstance(c_toolchain, ClangToolchain)
    assert c_toolchain.triple == "wasm32-wasi-threads" and not c_toolchain.cxx_threads
    with pytest.raises(ToolchainError, match=r"libc\+\+ with threads"):
        choose(candidates, "cxx")


def test_wasi_sdk_path_that_is_no_sdk_is_reported(spec: ToolchainsSpec, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    candidates = find_candidates(
        spec, search_env(tmp_path, WASI_SDK_PATH=os.fspath(tmp_path / "empty")), Prober()
    )
    with pytest.raises(ToolchainError, match=r"WASI_SDK_PATH=.*fix: point WASI_SDK_PATH at"):
        choose(candidates, "c")


def test_old_wasi_sdk_is_refused(spec: ToolchainsSpec, tmp_path: Path) -> None:
    sdk = wasi_sdk(tmp_path / "sdk", version="20.0")
    candidates = find_candidates(spec, search_env(tmp_path, WASI_SDK_PATH=os.fspath(sdk)), Prober())
    with pytest.raises(ToolchainError, match=r"wasi-sdk >= 22 \(found 20.0"):
        choose(candidates, "c")


def test_system_clang_with_debian_builtins_needs_private_resource_dir(
    spec: ToolchainsSpec, tmp_path: Path
) -> None:
    system_clang(tmp_path, builtins="debian")
    sysroot = threads_sysroot(tmp_path / "sysroot", cxx_config=THREADS_CONFIG)
    env = search_env(tmp_path, WASI_SYSROOT=os.fspath(sysroot))
    with pytest.raises(ToolchainError, match=r"private resource dir"):
        resolve("c", spec, env, Prober())
    (env.prefix / "resource-dir-clang-19.1.7").mkdir(parents=True)
    toolchain = resolve("cxx", spec, env, Prober())
    assert isinstance(toolchain, ClangToolchain)
    assert toolchain.resource_dir == env.prefix / "resource-dir-clang-19.1.7"
    assert toolchain.cxx == tmp_path / "bin" / "clang++-19"
    assert toolchain.ar == tmp_path / "bin" / "llvm-ar" and toolchain.sysroot == sysroot
    assert "-resource-dir" in toolchain.cflags() and "-fno-exceptions" in toolchain.cxxflags()


def test_system_clang_without_builtins_names_the_package(
    spec: ToolchainsSpec, tmp_path: Path
) -> None:
    system_clang(tmp_path, builtins=None)
    env = search_env(tmp_path, WASI_SYSROOT=os.fspath(threads_sysroot(tmp_path / "sysroot")))
    fix = r"apt-get install -y --no-install-recommends libclang-rt-19-dev-wasm32"
    with pytest.raises(ToolchainError, match=fix):
        resolve("c", spec, env, Prober())


def test_wasi_sysroot_without_threads_libc(spec: ToolchainsSpec, tmp_path: Path) -> None:
    system_clang(tmp_path, builtins="expected")
    plain = touch(tmp_path / "plain" / "lib" / "wasm32-wasi" / "libc.a").parent.parent.parent
    env = search_env(tmp_path, WASI_SYSROOT=os.fspath(plain))
    with pytest.raises(ToolchainError, match=r"WASI_SYSROOT"):
        resolve("c", spec, env, Prober())


def test_bootstrapped_entry_is_used_only_when_complete(
    spec: ToolchainsSpec, tmp_path: Path
) -> None:
    system_clang(tmp_path, builtins="expected")
    env = search_env(tmp_path)
    with pytest.raises(ToolchainError, match=r"not bootstrapped yet.*bootstrap --lang c"):
        resolve("c", spec, env, Prober())
    key = bootstrap_keys(spec, env, Prober()).c
    assert key is not None
    entry = threads_sysroot(entry_path(env.prefix, "c", key))
    with pytest.raises(ToolchainError, match=r"has no completion marker"):
        resolve("c", spec, env, Prober())
    touch(entry / MARKER, "{}")
    toolchain = resolve("c", spec, env, Prober())
    assert isinstance(toolchain, ClangToolchain) and toolchain.sysroot == entry
    assert toolchain.resource_dir is None


def test_exceptions_flavour_needs_a_newer_clang_and_its_own_entry(
    spec: ToolchainsSpec, tmp_path: Path
) -> None:
    system_clang(tmp_path, builtins="expected")
    env = search_env(tmp_path)
    with pytest.raises(ToolchainError, match=r"clang >= 20 for standard wasm exceptions"):
        resolve("cxx-eh", spec, env, Prober())
    fake_clang(tmp_path / "bin" / "clang-22", "22.1.8", tmp_path / "res")
    with pytest.raises(ToolchainError, match=r"not bootstrapped yet.*bootstrap --lang cxx-eh"):
        resolve("cxx-eh", spec, env, Prober())
    keys = bootstrap_keys(spec, env, Prober())
    assert keys.cxx_eh is not None and keys.cxx_eh not in (keys.c, keys.cxx)
    entry = threads_sysroot(entry_path(env.prefix, "cxx-eh", keys.cxx_eh), cxx_config="")
    touch(entry / MARKER, "{}")
    toolchain = resolve("cxx-eh", spec, env, Prober())
    assert isinstance(toolchain, ClangToolchain) and toolchain.sysroot == entry
    assert toolchain.cc == tmp_path / "bin" / "clang-22"
    assert "-fwasm-exceptions" in toolchain.cxxflags()
    assert "-fno-exceptions" not in toolchain.cxxflags()
    assert "-wasm-enable-sjlj" in toolchain.cflags() and "-lsetjmp" in toolchain.ldflags()
    # The plain flavour keeps the bootstrap compiler and -fno-exceptions.
    plain = threads_sysroot(entry_path(env.prefix, "c", keys.c or ""))
    touch(plain / MARKER, "{}")
    c_toolchain = resolve("c", spec, env, Prober())
    assert isinstance(c_toolchain, ClangToolchain) and c_toolchain.cc.name == "clang-19"
    assert "-wasm-enable-sjlj" not in c_toolchain.cflags()


def test_failing_probe_is_a_warning_not_a_crash(
    spec: ToolchainsSpec,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(logger, "propagate", True)  # the CLI's log.configure() turns it off
    monkeypatch.setenv("WASMPACK_CACHE_DIR", os.fspath(tmp_path / "cache"))  # failure logs
    script(tmp_path / "bin" / "clang-19", "exit 3")
    candidates = find_candidates(spec, search_env(tmp_path), Prober())
    assert [c for c in candidates if c.kind == "system-clang"] == []
    assert "probe clang-19 failed" in caplog.text


def test_rustc_1_94_0_is_refused_with_the_fix(spec: ToolchainsSpec, tmp_path: Path) -> None:
    target = tmp_path / "rustup-sysroot" / "lib" / "rustlib" / TRIPLE / "lib"
    touch(target / "libstd-0000.rlib")
    fake_rustc(tmp_path / "bin" / "rustc", "1.94.0", tmp_path / "rustup-sysroot")
    script(tmp_path / "bin" / "cargo", "exit 0")
    with pytest.raises(ToolchainError, match=r"1\.94\.0.*fix: rustup update stable"):
        resolve("rust", spec, search_env(tmp_path), Prober())


def test_rustup_with_target_is_ready(spec: ToolchainsSpec, tmp_path: Path) -> None:
    touch(tmp_path / "rs" / "lib" / "rustlib" / TRIPLE / "lib" / "libstd-0000.rlib")
    fake_rustc(tmp_path / "bin" / "rustc", "1.94.1", tmp_path / "rs")
    script(tmp_path / "bin" / "cargo", "exit 0")
    toolchain = resolve("rust", spec, search_env(tmp_path), Prober())
    assert isinstance(toolchain, RustToolchain)
    assert (toolchain.kind, toolchain.version, toolchain.sysroot) == ("rustup", "1.94.1", None)


def test_debian_rustc_needs_the_bootstrapped_std(spec: ToolchainsSpec, tmp_path: Path) -> None:
    system_clang(tmp_path, builtins="expected")
    fake_rustc(tmp_path / "usr" / "bin" / "rustc", "1.96.0", tmp_path / "usr")
    script(tmp_path / "usr" / "bin" / "cargo", "exit 0")
    env = search_env(tmp_path)
    with pytest.raises(ToolchainError, match=r"Rust std .*bootstrap --lang rust"):
        resolve("rust", spec, env, Prober())
    key = bootstrap_keys(spec, env, Prober()).rust
    assert key is not None
    entry = touch(entry_path(env.prefix, "rust", key) / MARKER, "{}").parent
    toolchain = resolve("rust", spec, env, Prober())
    assert isinstance(toolchain, RustToolchain) and toolchain.sysroot == entry
    assert f"--sysroot={entry}" in toolchain.env({})["CARGO_ENCODED_RUSTFLAGS"].split("\x1f")


def test_nothing_found_names_the_bootstrap(spec: ToolchainsSpec, tmp_path: Path) -> None:
    with pytest.raises(ToolchainError, match=r"run `wasmpack toolchain bootstrap --lang cxx`"):
        resolve("cxx", spec, search_env(tmp_path), Prober())


def test_doctor_report_names_the_choice_and_what_was_passed_over(
    spec: ToolchainsSpec, tmp_path: Path
) -> None:
    from wasmpack_mt.toolchains.diagnosis import diagnose

    sdk = wasi_sdk(tmp_path / "sdk", triple=None)
    system_clang(tmp_path, builtins="expected")
    env = search_env(
        tmp_path,
        WASI_SDK_PATH=os.fspath(sdk),
        WASI_SYSROOT=os.fspath(threads_sysroot(tmp_path / "sysroot")),
    )
    diagnoses = diagnose(["c", "cxx"], find_candidates(spec, env, Prober()))
    c_report, cxx_report = (diagnosis.to_dict() for diagnosis in diagnoses)
    assert (c_report["ready"], c_report["kind"]) == (True, "system-clang")
    assert c_report["sysroot"] == os.fspath(tmp_path / "sysroot")
    assert [s["toolchain"] for s in c_report["skipped"]] == [f"wasi-sdk 25.0 at {sdk}"]
    assert cxx_report["ready"] is False
    assert {f["fix"] for f in cxx_report["fixes"]} >= {"wasmpack toolchain bootstrap --lang cxx"}


def test_doctor_without_lang_reports_cxx_eh_without_requiring_it(
    spec: ToolchainsSpec, tmp_path: Path
) -> None:
    from wasmpack_mt.toolchains.diagnosis import all_ready, diagnose

    system_clang(tmp_path, builtins="expected")
    env = search_env(tmp_path, WASI_SYSROOT=os.fspath(threads_sysroot(tmp_path / "sysroot")))
    candidates = find_candidates(spec, env, Prober())
    everything = diagnose(None, candidates)
    assert [(d.language, d.required) for d in everything] == [
        ("c", True), ("cxx", True), ("rust", True), ("cxx-eh", False),
    ]  # fmt: skip
    eh = everything[-1]
    assert not eh.ready and eh.gaps
    c = everything[0]
    assert c.ready and all_ready([c, eh])
    assert not all_ready(diagnose(["c", "cxx-eh"], candidates))  # named: then required
