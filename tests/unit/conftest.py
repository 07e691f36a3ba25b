"""Unit tests never touch the user's cache: logs, modules and toolchains go to a temp dir."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point WASMPACK_CACHE_DIR at a fresh temp dir for each test."""
    cache = tmp_path_factory.mktemp("wasmpack-cache")
    monkeypatch.setenv("WASMPACK_CACHE_DIR", str(cache))
    monkeypatch.delenv("WASMPACK_TOOLCHAINS_DIR", raising=False)
    return cache
