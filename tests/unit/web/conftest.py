"""A stand-in node_modules for the web stage's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasmpack_mt.web.libraries import PACKAGES


@pytest.fixture
def node_modules(tmp_path: Path) -> Path:
    """The folders `npm ci` would make, each with one file (the page's own tests use real ones)."""
    modules = tmp_path / "node_modules"
    for package, files in PACKAGES.values():
        (modules / package / files).mkdir(parents=True)
        (modules / package / files / "index.js").write_text("export {}\n")
        (modules / package / "LICENSE").write_text("license text\n")
    return modules
