"""Parametrize the conformance cases: the project's own modules, or `--suite DIR`'s."""

from __future__ import annotations

from pathlib import Path

import pytest
from wasi_spec import cases, own_modules


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per case: `wasi/*.wat` by default, every `DIR/*.wasm` with --suite DIR."""
    if "case_source" not in metafunc.fixturenames:
        return
    suites: list[Path] = [suite.resolve() for suite in metafunc.config.getoption("suite")]
    if not suites:
        sources = own_modules()
        metafunc.parametrize("case_source", sources, ids=[path.stem for path in sources])
        return
    labels = _short_labels(suites)
    pairs = [(case, f"{labels[suite]}/{case.stem}") for suite in suites for case in cases(suite)]
    metafunc.parametrize("case_source", [case for case, _ in pairs], ids=[id_ for _, id_ in pairs])


def _short_labels(suites: list[Path]) -> dict[Path, str]:
    """The shortest path tails that tell the suites apart (c/testsuite/wasm32-wasip1, ...)."""
    for depth in range(1, max(len(suite.parts) for suite in suites) + 1):
        labels = {suite: "/".join(suite.parts[-depth:]) for suite in suites}
        if len(set(labels.values())) == len(set(suites)):
            return labels
    return {suite: str(suite) for suite in suites}


@pytest.fixture(scope="session")
def module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One compiled-module cache for the session's runs (not the user's)."""
    return tmp_path_factory.mktemp("wasmpack-cache")
