"""Parametrize the conformance cases: the project's own modules, or `--suite DIR`'s."""

from __future__ import annotations

from pathlib import Path

import pytest
from wasi_spec import cases, own_modules


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per case: `wasi/*.wat` by default, every `DIR/*.wasm` with --suite DIR."""
    if "case_source" not in metafunc.fixturenames:
        return
    suites: list[Path] = metafunc.config.getoption("suite")
    sources = [case for suite in suites for case in cases(suite)] if suites else own_modules()
    ids = [f"{path.parent.name}/{path.stem}" if suites else path.stem for path in sources]
    metafunc.parametrize("case_source", sources, ids=ids)


@pytest.fixture(scope="session")
def module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One compiled-module cache for the session's runs (not the user's)."""
    return tmp_path_factory.mktemp("wasmpack-cache")
