"""The check is prepared in a thread once a driver says it will run a compiler; never raced."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from wasmpack_mt import pipeline
from wasmpack_mt.builders.config import load_config
from wasmpack_mt.builders.driver import BuildRequest
from wasmpack_mt.pipeline import CheckPreparation
from wasmpack_mt.wasm import check


def test_started_twice_prepares_once_and_leaving_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    release = threading.Event()

    def prepare() -> None:
        release.wait(5)
        calls.append(threading.current_thread().name)

    monkeypatch.setattr(check, "prepare_validation", prepare)
    with CheckPreparation() as preparation:
        preparation.start()
        preparation.start()
        release.set()
    assert calls == ["wasmpack-prepare-check"]  # one thread, finished when the block ends


def test_not_started_starts_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    def prepare() -> None:
        raise AssertionError("prepared without being started")

    monkeypatch.setattr(check, "prepare_validation", prepare)
    before = threading.active_count()
    with CheckPreparation():
        pass
    assert threading.active_count() == before


def test_a_failure_in_the_thread_is_left_to_the_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def prepare() -> None:
        raise RuntimeError("no wasmtime here")

    monkeypatch.setattr(check, "prepare_validation", prepare)
    with CheckPreparation() as preparation:
        preparation.start()
    assert capsys.readouterr().err == ""  # no thread traceback on stderr


def test_the_prepared_engine_is_the_one_the_check_uses() -> None:
    check.prepare_validation()
    engine = check._validating_engine()
    assert check.wasmtime_rejection(b"\0asm\x01\0\0\0") is None  # an empty module is valid
    assert check._validating_engine() is engine
    assert check.wasmtime_rejection(b"\0asm\x01\0\0\0\x01") is not None


def test_a_request_tells_its_hook_that_work_starts(tmp_path: Path) -> None:
    (tmp_path / "wasmpack.toml").write_text('name = "x"\nkind = "c"\nsources = ["*.c"]\n')
    config = load_config(tmp_path)
    started: list[bool] = []
    request = BuildRequest(
        config=config,
        profile="release",
        work_dir=tmp_path,
        before_work=lambda: started.append(True),
    )
    request.starting_work()
    assert started == [True]
    BuildRequest(config=config, profile="release", work_dir=tmp_path).starting_work()  # no hook


def test_the_pipeline_hands_the_preparation_to_the_driver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[BuildRequest] = []

    class Recording:
        def build(self, request: BuildRequest) -> None:
            seen.append(request)
            raise RuntimeError("stop after the driver")

    monkeypatch.setattr(pipeline, "driver_for", lambda kind: Recording())
    (tmp_path / "wasmpack.toml").write_text('name = "x"\nkind = "c"\nsources = ["*.c"]\n')
    with pytest.raises(RuntimeError, match="stop after the driver"):
        pipeline.build_project(tmp_path)
    assert isinstance(getattr(seen[0].before_work, "__self__", None), CheckPreparation)


def test_a_thread_that_cannot_start_costs_only_the_head_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(_thread: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    with CheckPreparation() as preparation:
        preparation.start()
        preparation.start()  # no second attempt, no error
