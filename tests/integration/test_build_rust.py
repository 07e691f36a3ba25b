"""`wasmpack build` for Cargo projects and `cargo test` through the runner, real cargo + host."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import ProjectCopy, ToolchainFor, build, run, toolchain_required, wasmpack

from wasmpack_mt.bundle import read_manifest
from wasmpack_mt.toolchains.model import RustToolchain

pytestmark = pytest.mark.toolchain("rust")

DEBIAN_REGISTRY = Path("/usr/share/cargo/registry")


def test_threads_channel_and_mutex_crate(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy, tmp_path: Path
) -> None:
    toolchain_for("rust")
    project = project_copy("rust-threads")
    artifact = build(project)
    assert artifact == project / "dist" / "crabs.wasm"  # [package.metadata.wasmpack] name
    output = run(artifact)
    assert "received [(0, 0), (1, 1), (2, 4), (3, 9)]" in output
    assert "pushed [0, 1, 4, 9]" in output
    manifest = read_manifest(artifact.read_bytes())
    assert manifest is not None
    assert (manifest.languages, manifest.version, manifest.max_threads) == (("rust",), "0.2.0", 16)
    assert manifest.memory_max_pages == (512 << 20) // 65536  # memory.maximum = "512MiB"
    # Same sources in another directory: identical bytes.
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(project, elsewhere, ignore=shutil.ignore_patterns("target", "dist", "build"))
    assert build(elsewhere).read_bytes() == artifact.read_bytes()


def test_rayon_par_iter_on_four_threads_offline(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("rust")
    if not (DEBIAN_REGISTRY / "rayon-1.6.1").is_dir():
        message = "Debian's librust-rayon-dev is not installed (apt-get install librust-rayon-dev)"
        if toolchain_required():
            pytest.fail(message)
        pytest.skip(message)
    output = run(build(project_copy("rust-rayon")))
    assert "pool threads 4 leaders 1 sum 2999998" in output


def test_cargo_test_runs_on_the_host(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("rust")
    project = project_copy("rust-test-threads")
    result = wasmpack("env", "--lang", "rust", "--", "cargo", "test", "--release", cwd=project)
    assert "test tests::threads_overlap ... ok" in result.stdout
    assert "test result: ok. 2 passed" in result.stdout
    assert "wasm32-wasip1-threads" in result.stderr  # cargo's "Running ... .wasm" line


def test_compile_error_shows_rustc_message(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("rust")
    project = project_copy("rust-compile-error")
    result = wasmpack("build", project, expect=4)
    assert "error[E0308]: mismatched types" in result.stderr
    assert "src/main.rs:2:22" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: cargo build failed")
    assert "Traceback" not in result.stderr
    assert not (project / "dist").exists()


def test_workspace_member_is_selected_by_package(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("rust")
    project = project_copy("rust-workspace")
    artifact = build(project)
    assert artifact.name == "workspace-app.wasm"
    assert "workspace total 18" in run(artifact)
    # Without the package choice the workspace has two binaries: one clear line.
    (project / "wasmpack.toml").write_text('kind = "cargo"\n')
    result = wasmpack("build", project, expect=2)
    assert "several binaries (app, util-tool)" in result.stderr.splitlines()[-1]


def test_unknown_bin_is_one_line(toolchain_for: ToolchainFor, project_copy: ProjectCopy) -> None:
    toolchain_for("rust")
    result = wasmpack("build", project_copy("rust-fib"), "--bin", "nope", expect=4)
    assert "no bin target named `nope`" in result.stderr


def test_env_for_rust_prints_target_and_runner(toolchain_for: ToolchainFor) -> None:
    toolchain = toolchain_for("rust")
    assert isinstance(toolchain, RustToolchain)
    result = wasmpack("env", "--lang", "rust")
    exports = dict(
        line.removeprefix("export ").split("=", 1) for line in result.stdout.splitlines()
    )
    assert exports["CARGO_BUILD_TARGET"] == "wasm32-wasip1-threads"
    assert exports["CARGO"] == str(toolchain.cargo)
    assert "wasmpack-runner" in exports["CARGO_TARGET_WASM32_WASIP1_THREADS_RUNNER"]
