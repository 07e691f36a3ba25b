"""Fixtures of the batch tests: the two modules they map, built once, and Dask.

The C template's fib and tests/projects/c-upper (upper-cases its input on two
threads; an input starting with "trap" traps) are built with the real
toolchain. Dask tests skip without `dask[distributed]` on a developer machine
and fail under WASMPACK_REQUIRE_DASK=1 (set by .ci/run).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import support

from wasmpack_mt.errors import ToolchainError

PROJECTS = Path(__file__).resolve().parents[2] / "projects"


@dataclass(frozen=True)
class Modules:
    """The built artifacts: `fib` (template: N threads each compute fib(K)), `upper`."""

    fib: Path
    upper: Path


def dask_required() -> bool:
    """Whether a missing Dask fails the tests (WASMPACK_REQUIRE_DASK, set by CI)."""
    return os.environ.get("WASMPACK_REQUIRE_DASK", "") not in ("", "0")


def need_dask() -> None:
    """Skip (fail under WASMPACK_REQUIRE_DASK) unless `distributed` imports."""
    try:
        import distributed  # noqa: F401
    except ImportError as exc:
        message = f"dask[distributed] is not installed ({exc}); pip install -e '.[test]'"
        if dask_required():
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def modules(tmp_path_factory: pytest.TempPathFactory) -> Modules:
    """Build both modules once per session (skip, or fail in CI, without a C toolchain)."""
    from wasmpack_mt.toolchains import resolve

    try:
        resolve("c")
    except ToolchainError as exc:
        if support.toolchain_required():
            pytest.fail(f"toolchain for c required but missing: {exc}")
        pytest.skip(f"no c toolchain: {exc}")
    root = tmp_path_factory.mktemp("batch-modules")
    support.wasmpack("new", "fib", "--template", "c", cwd=root)
    shutil.copytree(PROJECTS / "c-upper", root / "c-upper")
    return Modules(fib=support.build(root / "fib"), upper=support.build(root / "c-upper"))
