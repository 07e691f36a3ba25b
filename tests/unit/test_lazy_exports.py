"""The stage packages' lazily exported names: each resolves, and an unknown one is an error."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("package", ["wasmpack_mt.wasm", "wasmpack_mt.bundle"])
def test_every_public_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing


@pytest.mark.parametrize("package", ["wasmpack_mt.wasm", "wasmpack_mt.bundle"])
def test_an_unknown_name_is_an_attribute_error(package: str) -> None:
    module = importlib.import_module(package)
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        _ = module.no_such_name
