"""process.run with live output: shown as it comes, and kept to explain a failure."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from wasmpack_mt import process
from wasmpack_mt.errors import CommandFailed

SCRIPT = "echo to-stdout; echo to-stderr >&2; exit 3"


def test_live_output_is_shown_and_kept_for_the_error(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WASMPACK_CACHE_DIR", str(tmp_path))
    with pytest.raises(CommandFailed) as failure:
        process.run(["sh", "-c", SCRIPT], step="the script", capture=False)
    shown = capfd.readouterr()
    assert shown.out == "to-stdout\n" and shown.err == "to-stderr\n"
    assert "to-stdout" in failure.value.output and "to-stderr" in failure.value.output
    message = str(failure.value)
    assert message.startswith("the script failed (exit 3); full log: ")
    assert "to-stderr" in Path(message.split("full log: ")[1]).read_text()


def test_live_output_reaches_text_only_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    assert process.run(["sh", "-c", "echo fine; echo note >&2"], step="x", capture=False) == ""
    assert out.getvalue() == "fine\n" and err.getvalue() == "note\n"
