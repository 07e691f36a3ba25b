"""Shared fixtures.

Tests that need a real toolchain ask for it through `toolchain_for(lang)`.
Without one they are skipped on a developer machine, but with
WASMPACK_REQUIRE_TOOLCHAIN=1 (set by .ci/run) they fail, so a green CI means
the real compilers ran.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.toolchains.model import Language, Toolchain

PROJECTS = Path(__file__).parent / "projects"


def _require_toolchain() -> bool:
    return os.environ.get("WASMPACK_REQUIRE_TOOLCHAIN", "") not in ("", "0")


@pytest.fixture
def toolchain_for() -> Callable[[Language], Toolchain]:
    """Resolve a language's toolchain, or skip (fail under WASMPACK_REQUIRE_TOOLCHAIN)."""
    from wasmpack_mt.toolchains import resolve

    def get(lang: Language) -> Toolchain:
        try:
            return resolve(lang)
        except ToolchainError as exc:
            if _require_toolchain():
                pytest.fail(f"toolchain for {lang} required but missing: {exc}")
            pytest.skip(f"no {lang} toolchain: {exc}")

    return get


@pytest.fixture
def project_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Copy `tests/projects/<name>` into a temp dir and return its path."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(PROJECTS / name, dest)
        return dest

    return copy


def run_wasmpack(
    *args: str | Path,
    cwd: Path | None = None,
    expect: int | None = 0,
    env: Mapping[str, str] | None = None,
    input: str | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run the real `wasmpack` CLI in a subprocess; assert its exit code unless `expect` is None."""
    result = subprocess.run(
        [sys.executable, "-m", "wasmpack_mt", *map(str, args)],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        input=input,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    if expect is not None:
        assert result.returncode == expect, (
            f"wasmpack {' '.join(map(str, args))}: exit {result.returncode}, expected {expect}\n"
            f"{result.stdout}{result.stderr}"
        )
    return result


@pytest.fixture
def wasmpack() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The real CLI in a subprocess (see `run_wasmpack`)."""
    return run_wasmpack
