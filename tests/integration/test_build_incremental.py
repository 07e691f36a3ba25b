"""Rebuilds with the real clang: nothing changed runs no compiler; one change recompiles one file.

Commands are counted from the `-v` echo (`+ <command>`), never timed.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from support import ProjectCopy, ToolchainFor, run, wasmpack

from wasmpack_mt.bundle import read_manifest
from wasmpack_mt.toolchains.model import ClangToolchain
from wasmpack_mt.toolchains.store import default_prefix

pytestmark = pytest.mark.toolchain("c")


def commands(project: Path, clang: ClangToolchain, *extra: str) -> tuple[list[str], list[str]]:
    """Build verbosely; the (compile, link) commands that ran clang."""
    echoed = wasmpack("-v", "build", project, *extra).stderr.splitlines()
    ran = [line for line in echoed if line.startswith(f"+ {clang.cc} ")]
    compiles = [line for line in ran if " -c " in line and "support" not in line]
    links = [line for line in ran if " -c " not in line and line.endswith(".wasm")]
    return compiles, links


def touch_later(path: Path, text: str) -> None:
    """Rewrite `path` with `text` and a modification time surely after the last build."""
    path.write_text(text)
    later = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(later, later))


def test_nothing_changed_runs_no_compiler_and_one_change_one_compile(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    clang = toolchain_for("c")
    assert isinstance(clang, ClangToolchain)
    project = project_copy("c-pthreads")
    compiles, links = commands(project, clang)
    assert (len(compiles), len(links)) == (2, 1)
    assert commands(project, clang) == ([], [])  # no-op: no compile, no link
    assert "==> check" not in wasmpack("build", project).stderr  # the kept verdict is used

    main = project / "src" / "main.c"
    touch_later(main, main.read_text() + "\n/* changed */\n")
    compiles, links = commands(project, clang)
    assert [line.split(" -c ")[1].split()[0] for line in compiles] == ["src/main.c"]
    assert len(links) == 1

    header = project / "include" / "rendezvous.h"  # both sources include it
    touch_later(header, header.read_text() + "\n/* changed */\n")
    compiles, _ = commands(project, clang)
    assert len(compiles) == 2
    assert "rendezvous 4 of 4, timeouts 0" in run(project / "dist" / "pthreads.wasm")


def test_only_a_build_without_a_kept_verdict_prepares_the_check(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = project_copy("c-fib")
    preparing = "preparing the check while the compiler runs"
    first = wasmpack("-v", "build", project).stderr
    assert preparing in first
    assert "==> check" in first
    assert preparing not in wasmpack("-v", "build", project).stderr  # nothing to compile
    source = project / "src" / "fib.c"
    touch_later(source, source.read_text() + "\n/* changed */\n")
    assert preparing not in wasmpack("-v", "build", project).stderr  # the verdict may be kept
    shutil.rmtree(project / "build")
    assert preparing in wasmpack("-v", "build", project).stderr


def test_profiles_keep_their_own_objects(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    clang = toolchain_for("c")
    assert isinstance(clang, ClangToolchain)
    project = project_copy("c-fib")
    assert len(commands(project, clang)[0]) == 1
    assert len(commands(project, clang, "--debug")[0]) == 1
    assert commands(project, clang) == ([], [])
    assert commands(project, clang, "--debug") == ([], [])


def test_manifest_bytes_do_not_depend_on_home_or_project_location(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy, tmp_path: Path
) -> None:
    toolchain_for("c")
    project = project_copy("c-pthreads")
    elsewhere = tmp_path / "other home" / "work" / "pthreads"
    shutil.copytree(project, elsewhere)
    toolchains = default_prefix()
    manifests = []
    for root, cache in ((project, tmp_path / "cache-a"), (elsewhere, tmp_path / "cache b")):
        env = {**os.environ, "WASMPACK_CACHE_DIR": str(cache), "HOME": str(cache.parent)}
        # The toolchains stay where they were bootstrapped; only the cache and home move.
        env["WASMPACK_TOOLCHAINS_DIR"] = str(toolchains)
        wasmpack("build", root, env=env)
        manifest = read_manifest((root / "dist" / "pthreads.wasm").read_bytes())
        assert manifest is not None
        manifests.append(manifest.to_json())
    assert manifests[0] == manifests[1]
    flags = json.loads(manifests[0])["build_flags"]
    assert flags.count("--target=wasm32-wasip1-threads") == 1
    assert flags.count("-pthread") == 1
    assert any(flag.startswith("--sysroot=<sysroot>") for flag in flags)


def test_simd_is_on_by_default_and_can_be_turned_off(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = project_copy("c-fib")
    for extra, expected in (((), True), (("--no-simd",), False)):
        wasmpack("build", project, *extra)
        artifact = project / "dist" / "fib.wasm"
        manifest = read_manifest(artifact.read_bytes())
        assert manifest is not None
        assert ("simd" in manifest.features) is expected
        assert ("-msimd128" in manifest.build_flags) is expected
        report = json.loads(wasmpack("check", "--json", artifact).stdout)
        assert report["summary"]["features"]["simd"] is expected
        assert "fib(20) x 3 = 20295" in run(artifact, "3", "20")
