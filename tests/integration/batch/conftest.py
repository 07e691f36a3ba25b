"""The batch tests' fixture: the C template's fib and tests/projects/c-upper, built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import support
from batch_support import Modules

PROJECTS = Path(__file__).resolve().parents[2] / "projects"


@pytest.fixture(scope="session")
def modules(tmp_path_factory: pytest.TempPathFactory) -> Modules:
    """Build both modules once per session (skip, or fail in CI, without a C toolchain)."""
    support.require_toolchain("c")
    root = tmp_path_factory.mktemp("batch-modules")
    support.wasmpack("new", "fib", "--template", "c", cwd=root)
    shutil.copytree(PROJECTS / "c-upper", root / "c-upper")
    return Modules(fib=support.build(root / "fib"), upper=support.build(root / "c-upper"))
