"""`wasmpack run` end to end through the real CLI entry point (in-process)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from host_wat import IMPORTS, SPIN, WAIT, behaviour_module, module

from wasmpack_mt.cli import main
from wasmpack_mt.cli.run import parse_size
from wasmpack_mt.host import RunResult


def write(tmp_path: Path, wasm: bytes, name: str = "prog.wasm") -> str:
    path = tmp_path / name
    path.write_bytes(wasm)
    return str(path)


ARGS_AND_ENV = """
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
"""
PRINT_ARGS_ENV = """
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start")
    (drop (call $args_sizes (i32.const 600) (i32.const 604)))
    (drop (call $args_get (i32.const 4096) (i32.const 8192)))
    (call $print (i32.const 8192) (i32.load (i32.const 604)))
    (drop (call $environ_sizes_get (i32.const 600) (i32.const 604)))
    (drop (call $environ_get (i32.const 4096) (i32.const 16384)))
    (call $print (i32.const 16384) (i32.load (i32.const 604))))
"""


def test_exit_code_args_and_env(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, module(PRINT_ARGS_ENV, IMPORTS + ARGS_AND_ENV))
    code = main(["run", path, "--env", "GREETING=hi", "--", "one", "two"])
    out = capfd.readouterr().out
    assert code == 0
    assert out.startswith(f"{path}\0one\0two\0")
    assert "GREETING=hi\0" in out
    assert "RAYON_NUM_THREADS=" in out
    assert "HOME=" not in out


def test_inherit_env(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WASMPACK_TEST_MARKER", "yes")
    path = write(tmp_path, module(PRINT_ARGS_ENV, IMPORTS + ARGS_AND_ENV))
    assert main(["run", path, "--inherit-env", "--env", "RAYON_NUM_THREADS=3"]) == 0
    out = capfd.readouterr().out
    assert "WASMPACK_TEST_MARKER=yes\0" in out
    assert "RAYON_NUM_THREADS=3\0" in out


def test_trap_exit_code_and_report(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, behaviour_module("unreachable", f"(call $behave (i32.const {WAIT}))"))
    assert main(["run", path]) == 134
    err = capfd.readouterr().err
    assert "wasm trap in thread 1" in err


def test_timeout_exit_code(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path, behaviour_module(f"(call $behave (i32.const {SPIN}))", "(loop $l (br $l))")
    )
    assert main(["run", path, "--timeout", "0.3"]) == 124
    assert "--timeout" in capfd.readouterr().err


def test_dir_option_maps_a_guest_name(tmp_path: Path) -> None:
    from test_host_wasi import open_path_module

    data = tmp_path / "data"
    data.mkdir()
    path = write(tmp_path, open_path_module("made.txt", ""))
    assert main(["run", path, "--dir", f"{data}::/work"]) == 0
    assert (data / "made.txt").exists()


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["run", "missing.wasm"], 2, "cannot read"),
        (["run", "{bad}"], 7, "not a WebAssembly binary"),
        (["run", "{good}", "--env", "NOEQUALS"], 2, "KEY=VALUE"),
        (["run", "{good}", "--max-memory", "lots"], 2, "256MiB"),
        (["run", "{good}", "--dir", "/no/such/dir"], 2, "cannot open the directory"),
    ],
)
def test_bad_input_is_one_line_without_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], argv: list[str], code: int, fragment: str
) -> None:
    bad = write(tmp_path, b"not wasm at all", "bad.wasm")
    good = write(
        tmp_path,
        module('(func (export "wasi_thread_start") (param i32 i32)) (func (export "_start"))'),
    )
    argv = [arg.format(bad=bad, good=good) for arg in argv]
    assert main(argv) == code
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1
    assert fragment in err


def test_parse_size() -> None:
    assert parse_size("256MiB") == 256 * 2**20
    assert parse_size("1G") == 2**30
    assert parse_size("65536") == 65536


def test_guest_options_after_double_dash_reach_the_module(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, module(PRINT_ARGS_ENV, IMPORTS + ARGS_AND_ENV))
    assert main(["run", path, "--", "--env", "-x"]) == 0
    out = capfd.readouterr().out
    assert out.startswith(f"{path}\0--env\0-x\0")
    assert "RAYON_NUM_THREADS=" in out


def test_without_file_runs_the_project_artifact(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 2
    assert "not a wasmpack project" in capfd.readouterr().err.splitlines()[-1]
    (tmp_path / "wasmpack.toml").write_text('name = "demo"\nkind = "c"\nsources = ["src/*.c"]\n')
    assert main(["run"]) == 2
    assert "wasmpack build" in capfd.readouterr().err
    (tmp_path / "dist").mkdir()
    write(tmp_path / "dist", module(PRINT_ARGS_ENV, IMPORTS + ARGS_AND_ENV), "demo.wasm")
    assert main(["run", "--", "7"]) == 0
    assert capfd.readouterr().out.startswith("dist/demo.wasm\x007\x00")


THREE_SPAWNS = """
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $behave (i32.const 1)))
  (func (export "_start")
    (drop (call $spawn (i32.const 0)))
    (drop (call $spawn (i32.const 0)))
    ;; exit 9 when the third spawn is refused with a negative tid, else 1
    (call $exit (select (i32.const 9) (i32.const 1)
      (i32.lt_s (call $spawn (i32.const 0)) (i32.const 0)))))
"""


def with_thread_hint(wasm: bytes, max_threads: int) -> bytes:
    """`wasm` with a wasmpack manifest suggesting `max_threads`."""
    from wasmpack_mt.bundle import Manifest, embed_manifest

    manifest = Manifest(
        name="hint", version="0.1.0", entry="command", memory_min_pages=1,
        memory_max_pages=100, max_threads=max_threads, languages=("c",),
        toolchain="wat", toolchain_version="1", source_digest="sha256:" + "0" * 64,
    )  # fmt: skip
    return embed_manifest(wasm, manifest)


@pytest.mark.parametrize(("hint", "limit", "code"), [
    (2, None, 9),  # the manifest's limit of 2 refuses the third spawn
    (2, 3, 1),  # an explicit limit overrides the hint
    (None, None, 1),  # no manifest: the default, 1024
])  # fmt: skip
def test_program_run_and_wasmpack_run_honour_the_manifest_hint_alike(
    tmp_path: Path,
    bounded: Callable[..., RunResult],
    hint: int | None,
    limit: int | None,
    code: int,
) -> None:
    from wasmpack_mt.host import Limits, Program

    wasm = module(THREE_SPAWNS)
    path = write(tmp_path, wasm if hint is None else with_thread_hint(wasm, hint))
    program = Program.load(path)
    assert program.suggested_max_threads == hint
    assert bounded(program, limits=Limits(max_threads=limit)).exit_code == code
    option = [] if limit is None else ["--max-threads", str(limit)]
    assert main(["run", path, *option]) == code


@pytest.mark.parametrize("seconds", ["inf", "-inf", "nan", "1e300", "0", "-1", "31536001"])
def test_non_finite_or_absurd_timeouts_are_usage_errors(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], seconds: str
) -> None:
    path = write(tmp_path, module(THREE_SPAWNS))
    assert main(["run", path, f"--timeout={seconds}"]) == 2
    err = capfd.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1
    assert err.startswith(f"error: timeout {float(seconds)!r} is not a number of seconds")


def test_the_longest_timeout_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, module('(func (export "wasi_thread_start") (param i32 i32)) '
                                  '(func (export "_start"))'))  # fmt: skip
    assert main(["run", path, "--timeout", "31536000"]) == 0


def test_negative_max_threads_is_a_usage_error(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, module(THREE_SPAWNS))
    assert main(["run", path, "--max-threads", "-1"]) == 2
    assert "max_threads -1 is below 0" in capfd.readouterr().err


def test_global_options_after_file_apply_to_the_run(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, module(THREE_SPAWNS))
    assert main(["run", good, "-q", "--max-threads", "3", "--", "-v"]) == 1
    assert capfd.readouterr().err == ""
    assert main(["run", str(tmp_path / "missing.wasm"), "--debug"]) == 2
    err = capfd.readouterr().err
    assert "Traceback" in err and err.rstrip().endswith("check the path")
