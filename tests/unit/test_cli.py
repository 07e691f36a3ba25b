"""The `wasmpack` dispatcher: global options anywhere, `build --profile`, closed pipes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wasmpack_mt.cli import build_parser, main
from wasmpack_mt.cli.build import DEPRECATED_DEBUG


@pytest.mark.parametrize(
    "argv",
    [
        ["-v", "check", "x.wasm"],
        ["check", "-v", "x.wasm"],
        ["check", "x.wasm", "--verbose"],
        ["-v", "check", "x.wasm", "--debug"],
        ["toolchain", "list", "-v"],
        ["toolchain", "-v", "list"],
        ["build", "-v"],
    ],
)
def test_global_options_work_before_and_after_the_command(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert args.verbose is True and args.quiet is False
    assert args.debug is ("--debug" in argv)


def test_a_global_option_before_the_command_is_not_reset_after_it() -> None:
    args = build_parser().parse_args(["--debug", "-q", "inspect", "x.wasm", "--json"])
    assert (args.debug, args.quiet, args.verbose, args.json) == (True, True, False, True)


def test_debug_after_a_command_shows_the_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path / "nope.wasm"), "--debug"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and err.rstrip().endswith("check the path")


@pytest.mark.parametrize(
    ("argv", "profile", "deprecated"),
    [
        (["build"], None, False),  # the default, release
        (["build", "--release"], "release", False),
        (["build", "--profile", "release"], "release", False),
        (["build", "--profile", "debug"], "debug", False),
        (["build", "--debug"], None, True),
        (["--debug", "build"], None, False),  # before the command: tracebacks
    ],
)
def test_build_profile_spellings(argv: list[str], profile: str | None, deprecated: bool) -> None:
    args = build_parser().parse_args(argv)
    assert (args.deprecated_debug, args.debug) == (deprecated, argv[0] == "--debug")
    if not deprecated:
        assert args.profile == profile


def test_build_debug_is_the_debug_profile_with_a_one_line_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(tmp_path / "missing"), "--debug"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == DEPRECATED_DEBUG
    assert err[1].startswith("error: ") and len(err) == 2
    assert main(["build", str(tmp_path / "missing"), "--profile", "debug"]) == 2
    assert "deprecated" not in capsys.readouterr().err


@pytest.mark.parametrize("other", [["--profile", "release"], ["--profile", "debug"], ["--release"]])
def test_build_profile_and_the_old_debug_spelling_conflict(
    capsys: pytest.CaptureFixture[str], other: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["build", *other, "--debug"])
    assert exit_info.value.code == 2
    assert "--debug: not allowed with argument" in capsys.readouterr().err


THREADED = """(module
  (import "env" "memory" (memory 2 16 shared))
  (import "wasi" "thread-spawn" (func (param i32) (result i32)))
  (export "memory" (memory 0))
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start")))"""


def wat2wasm(text: str) -> bytes:
    import wasmtime

    return bytes(wasmtime.wat2wasm(text))


def closed_pipe_run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """`wasmpack ARGS` with stdout a pipe whose reader has already gone (`| head -0`)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "wasmpack_mt", *map(str, args)],
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--help"], 0),
        (["--version"], 0),
        (["check", "--help"], 0),
        (["new", "--list"], 0),
        (["check", "{module}"], 0),
        (["check", "--json", "{module}"], 0),
        (["check", "{broken}"], 6),  # the verdict survives the closed pipe
        (["check", "--json", "{broken}"], 6),
        (["inspect", "{module}"], 0),
        (["inspect", "--json", "{module}"], 0),
        (["inspect", "--json", "{many}"], 0),  # more output than a pipe buffer holds
        (["toolchain", "list"], 0),
    ],
)
def test_a_closed_stdout_ends_quietly_with_the_commands_own_exit_code(
    tmp_path: Path, argv: list[str], code: int
) -> None:
    files = {name: tmp_path / f"{name}.wasm" for name in ("module", "broken", "many")}
    files["module"].write_bytes(wat2wasm(THREADED))
    files["broken"].write_bytes(wat2wasm(THREADED.replace("shared", "")))
    exports = "".join(f'(func (export "function_number_{n}"))' for n in range(2000))
    files["many"].write_bytes(wat2wasm(THREADED.replace('(func (export "_start"))', exports)))
    result = closed_pipe_run(*(arg.format(**files) for arg in argv))
    assert result.returncode == code
    if code == 0 or "--json" in argv:
        assert result.stderr == ""
    else:  # the check's own verdict, nothing about the pipe
        assert result.stderr.endswith(
            "wasmpack check found 1 error; fix it as each says, then rebuild\n"
        )
        assert result.stderr.count("\n") == 1


def test_a_closed_stdout_does_not_hide_an_error(tmp_path: Path) -> None:
    result = closed_pipe_run("check", tmp_path / "nope.wasm")
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot read")


def test_a_closed_stdout_in_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    path = tmp_path / "module.wasm"
    path.write_bytes(wat2wasm(THREADED))
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["inspect", str(path)]) == 0
    assert main(["check", str(path), "--json"]) == 0
