"""googletest, unmodified, built with -fexceptions and its own samples run on our host."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import support
import yaml
from support import ToolchainFor, wasmpack

from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.toolchains.bootstrap.apt import mirror_base_urls
from wasmpack_mt.toolchains.bootstrap.fetch import fetch_source
from wasmpack_mt.toolchains.bootstrap.libraries import unpack
from wasmpack_mt.toolchains.spec import SourceCandidate, SourceFile, SourcePackage
from wasmpack_mt.toolchains.store import downloads_dir

pytestmark = pytest.mark.toolchain("cxx-eh")

DATA = Path(__file__).resolve().parents[1] / "data" / "googletest.yaml"
# Porting settings, not source changes: WASI has no dup/dup2/mkstemp for gtest's
# output capture, and gtest_main's main() sits in a static library that wasi-libc
# only refers to weakly, so the linker must be told to take it.
CXX_FLAGS = "-O2 -DNDEBUG -DGTEST_HAS_STREAM_REDIRECTION=0"
LINK_FLAGS = "-Wl,--undefined=__main_argc_argv"


def pinned() -> tuple[SourcePackage, tuple[str, ...]]:
    """The source package and sample targets from tests/data/googletest.yaml."""
    data: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    candidates = tuple(
        SourceCandidate(c["version"], tuple(SourceFile(**f) for f in c["files"]))
        for c in data["candidates"]
    )
    package = SourcePackage(data["name"], data["unpack"], candidates, tuple(data["members"]))
    return package, tuple(data["samples"])


def googletest_tree(into: Path) -> Path:
    """The verified upstream sources, unpacked under `into` (download cached)."""
    package, _ = pinned()
    try:
        fetched = fetch_source(package, mirror_base_urls(), downloads_dir())
    except ToolchainError as exc:
        if support.toolchain_required():
            pytest.fail(f"googletest sources required but not fetched: {exc}")
        pytest.skip(f"googletest sources not available: {exc}")
    return unpack(fetched, package.unpack, package.members, into)


@pytest.mark.skipif(shutil.which("cmake") is None, reason="cmake not installed")
def test_googletest_samples_pass_with_exceptions_and_threads(
    toolchain_for: ToolchainFor, tmp_path: Path
) -> None:
    toolchain_for("cxx-eh")
    tree = googletest_tree(tmp_path / "src")
    _, samples = pinned()
    build = tmp_path / "build"
    generator = ["-G", "Ninja"] if shutil.which("ninja") else []
    wasmpack(
        "env", "--exceptions", "--",
        "cmake", "-S", tree, "-B", build, *generator, "-DCMAKE_BUILD_TYPE=Release",
        "-DBUILD_GMOCK=OFF", "-Dgtest_build_samples=ON",
        f"-DCMAKE_CXX_FLAGS_RELEASE={CXX_FLAGS}", f"-DCMAKE_EXE_LINKER_FLAGS_RELEASE={LINK_FLAGS}",
    )  # fmt: skip
    rules = "".join(
        path.read_text(errors="replace")
        for pattern in ("build.ninja", "flags.make")
        for path in build.rglob(pattern)
    )
    # googletest's own flags: exceptions on, and its pthread-based locking.
    assert "-fexceptions" in rules and "-DGTEST_HAS_PTHREAD=1" in rules
    wasmpack("env", "--exceptions", "--", "cmake", "--build", build, "-j2", "--target", *samples)
    for sample in samples:
        module = next(build.rglob(f"{sample}.wasm"))
        ran = wasmpack("run", module)
        assert "[  PASSED  ]" in ran.stdout and "FAILED" not in ran.stdout, ran.stdout
