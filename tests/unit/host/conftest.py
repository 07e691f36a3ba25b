"""Fixtures for the host tests: compile WAT into a Program and run it with a safety net."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from wasmpack_mt.host import Program, RunResult

SAFETY_TIMEOUT = 60.0  # a hang fails the test instead of blocking the suite


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Keep the compiled-module cache of every test in its own temp dir."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("WASMPACK_CACHE_DIR", str(cache))
    yield cache


def run_bounded(program: Program, **kwargs: object) -> RunResult:
    """`program.run(**kwargs)` in a thread; fail (not hang) if it does not return."""
    results: list[RunResult] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results.append(program.run(**kwargs))  # type: ignore[arg-type]
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(SAFETY_TIMEOUT)
    assert not thread.is_alive(), "Program.run did not return"
    if errors:
        raise errors[0]
    return results[0]


@pytest.fixture
def bounded() -> Callable[..., RunResult]:
    """The `run_bounded` helper as a fixture."""
    return run_bounded
