"""WASI preview1 on one fd table per run: files across threads, sandbox, environment."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from host_wat import module

from wasmpack_mt.host import Program, RunResult
from wasmpack_mt.host.wasi import errno
from wasmpack_mt.host.wasi.errno import WasiError
from wasmpack_mt.host.wasi.sandbox import resolve

Runner = Callable[..., RunResult]
PREOPEN_FD = 3


def open_path_module(path: str, then: str) -> bytes:
    """Open `path` (create) under the first preopen; exit 100+errno on failure, else run `then`."""
    return module(f"""
  (data (i32.const 3000) "{path}")
  (data (i32.const 3100) "from worker\\n")
  (func (export "wasi_thread_start") (param $tid i32) (param $fd i32)
    (i32.store (i32.const 3200) (i32.const 3100))
    (i32.store (i32.const 3204) (i32.const 12))
    (i32.store (i32.const 3208)
      (call $fd_write (local.get $fd) (i32.const 3200) (i32.const 1) (i32.const 3212)))
    (call $set_flag (i32.const 300)))
  (func (export "_start")
    (local $errno i32)
    (local.set $errno (call $path_open (i32.const {PREOPEN_FD}) (i32.const 1)
      (i32.const 3000) (i32.const {len(path.encode())})
      (i32.const 9) (i64.const 0x7fffffff) (i64.const 0x7fffffff) (i32.const 0) (i32.const 700)))
    (if (local.get $errno) (then (call $exit (i32.add (i32.const 100) (local.get $errno)))))
    {then})
""")


def test_fd_opened_in_main_is_written_by_a_worker(tmp_path: Path, bounded: Runner) -> None:
    wasm = open_path_module(
        "out.txt",
        """
    (drop (call $spawn (i32.load (i32.const 700))))
    (call $await_flag (i32.const 300))
    (call $exit (i32.load (i32.const 3208)))""",
    )
    result = bounded(Program.load(wasm), dirs=[f"{tmp_path}::/data"])
    assert result.exit_code == 0
    assert (tmp_path / "out.txt").read_bytes() == b"from worker\n"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("../escape.txt", errno.NOTCAPABLE),
        ("sub/../../escape.txt", errno.NOTCAPABLE),
        ("abs-link/escape.txt", errno.NOTCAPABLE),
        ("chain1/escape.txt", errno.NOTCAPABLE),
        ("loop1", errno.LOOP),
        ("sub/inside.txt", 0),
        ("rel-link/inside2.txt", 0),
    ],
)
def test_paths_stay_inside_the_preopen(
    tmp_path: Path, bounded: Runner, path: str, expected: int
) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "abs-link").symlink_to(tmp_path)
    (root / "chain2").symlink_to("sub/../..")
    (root / "chain1").symlink_to("chain2")
    (root / "rel-link").symlink_to("sub")
    (root / "loop1").symlink_to("loop2")
    (root / "loop2").symlink_to("loop1")
    result = bounded(Program.load(open_path_module(path, "")), dirs=[f"{root}::."])
    assert result.exit_code == (100 + expected if expected else 0)
    assert not (tmp_path / "escape.txt").exists()


def test_resolve_refuses_absolute_paths(tmp_path: Path) -> None:
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with pytest.raises(WasiError) as caught, resolve(fd, "/etc/passwd", follow_final=True):
            pass
        assert caught.value.errno == errno.NOTCAPABLE
    finally:
        os.close(fd)


ENV_DUMP = """
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start")
    (drop (call $environ_sizes_get (i32.const 600) (i32.const 604)))
    (drop (call $environ_get (i32.const 4096) (i32.const 8192)))
    (call $print (i32.const 8192) (i32.load (i32.const 604))))
"""


def test_environment_is_exactly_what_was_given(bounded: Runner) -> None:
    out = io.BytesIO()
    # else the run adds the core count
    given = {"A": "1", "B": "x y", "WASMPACK_CPUS": "3", "RAYON_NUM_THREADS": "3"}
    result = bounded(Program.load(module(ENV_DUMP)), env=given, stdout=out)
    assert result.exit_code == 0
    assert out.getvalue() == b"A=1\0B=x y\0WASMPACK_CPUS=3\0RAYON_NUM_THREADS=3\0"
