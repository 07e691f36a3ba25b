"""`wasmpack build` for C projects with the real clang, run on the real host."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import ProjectCopy, ToolchainFor, build, run, wasmpack

from wasmpack_mt.bundle import read_manifest

pytestmark = pytest.mark.toolchain("c")


def test_pthread_program_builds_checks_and_runs(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = project_copy("c-pthreads")
    artifact = build(project)
    assert artifact == project / "dist" / "pthreads.wasm"
    output = run(artifact)
    assert "rendezvous 4 of 4, timeouts 0" in output
    assert "total 400000" in output
    assert "default thread stack 196608" in output  # [memory] thread-stack-size = "192KiB"
    manifest = read_manifest(artifact.read_bytes())
    assert manifest is not None
    assert (manifest.name, manifest.version, manifest.entry) == ("pthreads", "0.1.0", "command")
    assert manifest.languages == ("c",)
    assert manifest.max_threads == 8
    assert manifest.memory_max_pages == (256 << 20) // 65536
    assert manifest.source_digest.startswith("sha256:")
    assert "-Wl,--max-memory=268435456" in manifest.build_flags
    assert not any(str(project) in flag for flag in manifest.build_flags)


def test_same_inputs_give_identical_bytes(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy, tmp_path: Path
) -> None:
    toolchain_for("c")
    project = project_copy("c-pthreads")
    first = build(project).read_bytes()
    again = build(project).read_bytes()
    elsewhere = tmp_path / "another" / "place"
    shutil.copytree(project, elsewhere, ignore=shutil.ignore_patterns("build", "dist"))
    moved = build(elsewhere).read_bytes()
    assert first == again == moved


def test_debug_profile_and_output_path(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy, tmp_path: Path
) -> None:
    toolchain_for("c")
    out = tmp_path / "out" / "fib-debug.wasm"
    artifact = build(project_copy("c-fib"), "--debug", "-o", str(out))
    assert artifact == out
    manifest = read_manifest(out.read_bytes())
    assert manifest is not None and "-O0" in manifest.build_flags and "-g" in manifest.build_flags
    assert "fib(20) x 3 = 20295" in run(out, "3", "20")


def test_profile_debug_is_the_new_spelling_of_build_debug(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy, tmp_path: Path
) -> None:
    from wasmpack_mt.cli.build import DEPRECATED_DEBUG

    toolchain_for("c")
    project = project_copy("c-fib")
    new = wasmpack("build", project, "--profile", "debug", "-o", tmp_path / "new.wasm", "-v")
    old = wasmpack("build", project, "--debug", "-o", tmp_path / "old.wasm")
    assert (tmp_path / "new.wasm").read_bytes() == (tmp_path / "old.wasm").read_bytes()
    manifest = read_manifest((tmp_path / "new.wasm").read_bytes())
    assert manifest is not None and "-O0" in manifest.build_flags
    assert DEPRECATED_DEBUG not in new.stderr
    assert old.stderr.count(DEPRECATED_DEBUG) == 1
    assert "\n+ " in new.stderr and "+ " not in old.stderr  # -v after the command echoes


def test_compile_error_shows_file_and_line(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = project_copy("c-compile-error")
    result = wasmpack("build", project, expect=4)
    assert "src/broken.c:4:20: error: use of undeclared identifier" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: compile src/broken.c")
    assert "Traceback" not in result.stderr
    assert not (project / "dist").exists()


def test_module_without_thread_abi_fails_the_check(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = project_copy("c-no-threads")
    result = wasmpack("build", project, expect=6)
    assert "[memory-not-imported]" in result.stderr
    assert not (project / "dist").exists()


def test_imported_but_unshared_memory_fails_the_check(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = project_copy("c-no-threads")
    config = project / "wasmpack.toml"
    config.write_text(
        config.read_text().replace("-Wl,--no-entry", "-Wl,--no-entry -Wl,--import-memory")
    )
    result = wasmpack("build", project, expect=6)
    assert "[memory-not-shared]" in result.stderr


def test_undefined_symbol_is_named(toolchain_for: ToolchainFor, project_copy: ProjectCopy) -> None:
    toolchain_for("c")
    result = wasmpack("build", project_copy("c-undefined-symbol"), expect=6)
    assert "[undefined-symbol]" in result.stderr and "missing_helper" in result.stderr


def test_bad_sources_glob_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "wasmpack.toml").write_text('kind = "c"\nsources = ["src/*.c"]\n')
    result = wasmpack("build", tmp_path, expect=2)
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith(
            "matches no file under " + str(tmp_path.resolve()) + "; fix the glob (relative to the "
            "project root)"
        )
    )


def test_not_a_project_names_the_fix(tmp_path: Path) -> None:
    result = wasmpack("build", tmp_path, expect=2)
    assert "not a wasmpack project" in result.stderr and "wasmpack new" in result.stderr
    assert "Traceback" not in result.stderr
