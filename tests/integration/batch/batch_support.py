"""Helpers of the batch tests: the two modules they map, and Dask.

The C template's fib and tests/projects/c-upper (upper-cases its input on two
threads; an input starting with "trap" traps) are built with the real
toolchain. Dask tests skip without `dask[distributed]` on a developer machine
and fail under WASMPACK_REQUIRE_DASK=1 (set by .ci/run).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest


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
