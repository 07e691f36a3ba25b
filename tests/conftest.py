"""Shared fixtures.

Tests that need a real toolchain ask for it through `toolchain_for(lang)`.
Without one they are skipped on a developer machine, but with
WASMPACK_REQUIRE_TOOLCHAIN=1 (set by .ci/run) they fail, so a green CI means
the real compilers ran.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import support

from wasmpack_mt.toolchains.model import Language, Toolchain

PROJECTS = Path(__file__).parent / "projects"


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--suite DIR`: run a wasi-testsuite-layout directory in tests/conformance."""
    parser.addoption(
        "--suite",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="tests/conformance runs the *.wasm + *.json cases of DIR (repeatable) "
        "instead of the project's own conformance modules",
    )


@pytest.fixture
def toolchain_for() -> Callable[[Language], Toolchain]:
    """Resolve a language's toolchain, or skip (fail under WASMPACK_REQUIRE_TOOLCHAIN)."""
    return support.require_toolchain


@pytest.fixture
def project_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Copy `tests/projects/<name>` into a temp dir and return its path."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(PROJECTS / name, dest)
        return dest

    return copy


@pytest.fixture
def wasmpack() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The real CLI in a subprocess (`support.wasmpack`)."""
    return support.wasmpack
