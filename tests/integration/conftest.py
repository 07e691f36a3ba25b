"""Every artifact an integration test builds is also validated by wasm-tools (an oracle
independent of wasmtime and of our own reader)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support import is_artifact, validate_wasm


@pytest.fixture(autouse=True)
def wasm_tools_oracle(tmp_path: Path) -> Iterator[None]:
    """After the test: `wasm-tools validate` each artifact left under its tmp_path."""
    yield
    for path in sorted(tmp_path.rglob("*.wasm")):
        if path.is_file() and not path.is_symlink() and is_artifact(path):
            validate_wasm(path)
