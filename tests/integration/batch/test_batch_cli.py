"""`wasmpack batch` on this machine, with the real modules and the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from batch_support import Modules
from support import fib, wasmpack

pytestmark = pytest.mark.toolchain("c")


def make_inputs(folder: Path, count: int) -> list[str]:
    """`count` text files (one nested) and one that makes the upper filter trap."""
    (folder / "nested").mkdir(parents=True)
    names = [f"text-{i}.txt" for i in range(count - 1)] + ["nested/deep.txt"]
    for index, name in enumerate(names):
        (folder / name).write_bytes(f"line {index} ünïcode\n".encode() * (index + 1))
    (folder / "trap.txt").write_bytes(b"trap here\n")
    return sorted([*names, "trap.txt"])


def run_one(module: Path, stdin: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`wasmpack run MODULE -- ARGS < STDIN`, as a shell loop would."""
    with stdin.open("rb") as handle:
        return subprocess.run(
            [sys.executable, "-m", "wasmpack_mt", "run", str(module), "--", *args],
            stdin=handle, capture_output=True, check=False, timeout=120,
        )  # fmt: skip


def test_outputs_are_byte_identical_to_one_run_per_file(modules: Modules, tmp_path: Path) -> None:
    names = make_inputs(tmp_path / "in", 6)
    result = wasmpack(
        "batch", modules.upper, "--inputs", tmp_path / "in", "--output", tmp_path / "out",
        "--json", expect=1,
    )  # fmt: skip

    summary = json.loads(result.stdout)
    assert (summary["done"], summary["failed"], summary["skipped"]) == (6, 1, 0)
    codes = {item["name"]: (item["exit_code"], item["reason"]) for item in summary["items"]}
    assert codes == {name: (134, "trap") if name == "trap.txt" else (0, "exit") for name in names}
    for name in names:
        alone = run_one(modules.upper, tmp_path / "in" / name)
        if name == "trap.txt":
            assert alone.returncode == 134
            assert not (tmp_path / "out" / name).exists()
            record = json.loads((tmp_path / "out" / ".wasmpack-batch" / f"{name}.json").read_text())
            assert "unreachable" in record["report"]
        else:
            assert alone.returncode == 0
            assert (tmp_path / "out" / name).read_bytes() == alone.stdout


def test_preopen_passes_the_file_by_path(modules: Modules, tmp_path: Path) -> None:
    names = make_inputs(tmp_path / "in", 3)
    wasmpack(
        "batch", modules.upper, "--inputs", tmp_path / "in", "--output", tmp_path / "out",
        "--preopen", "--jobs", "2", "--", "{}", expect=1,
    )  # fmt: skip
    for name in names:
        if name != "trap.txt":
            expected = (tmp_path / "in" / name).read_bytes().upper()
            assert (tmp_path / "out" / name).read_bytes() == expected


def test_resume_skips_items_already_done(modules: Modules, tmp_path: Path) -> None:
    names = make_inputs(tmp_path / "in", 4)
    args = ("batch", modules.upper, "--inputs", tmp_path / "in", "--output", tmp_path / "out")
    wasmpack(*args, expect=1)
    done = {
        name: (tmp_path / "out" / name).stat().st_mtime_ns for name in names if name != "trap.txt"
    }
    (tmp_path / "in" / "trap.txt").write_bytes(b"no longer a trap\n")
    (tmp_path / "in" / "new.txt").write_bytes(b"added later\n")
    (tmp_path / "in" / "text-0.txt").write_bytes(b"changed input\n")

    again = json.loads(wasmpack(*args, "--resume", "--json").stdout)

    ran = sorted(item["name"] for item in again["items"] if not item["skipped"])
    assert ran == ["new.txt", "text-0.txt", "trap.txt"]
    assert (again["done"], again["failed"], again["skipped"]) == (3, 0, 3)
    for name, mtime in done.items():
        if name != "text-0.txt":
            assert (tmp_path / "out" / name).stat().st_mtime_ns == mtime, name
    assert (tmp_path / "out" / "text-0.txt").read_bytes() == b"CHANGED INPUT\n"
    assert (tmp_path / "out" / "trap.txt").read_bytes() == b"NO LONGER A TRAP\n"


def test_timeout_ends_each_item_with_124(modules: Modules, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for index in range(2):
        (tmp_path / "in" / f"{index}.txt").write_bytes(b"")
    result = wasmpack(
        "batch", modules.fib, "--inputs", tmp_path / "in", "--output", tmp_path / "out",
        "--timeout", "1", "--item-threads", "2", "--", "2", "60", expect=1, timeout=120,
    )  # fmt: skip
    assert "2 items: 0 done, 2 failed" in result.stdout
    assert "exit codes: 124 x2" in result.stdout


def test_fib_items_see_their_arguments(modules: Modules, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "only").write_bytes(b"")
    wasmpack(
        "batch", modules.fib, "--inputs", tmp_path / "in", "--output", tmp_path / "out",
        "--", "3", "20",
    )  # fmt: skip
    lines = (tmp_path / "out" / "only").read_text().splitlines()
    assert lines[-1] == f"total = {3 * fib(20)}"


@pytest.mark.parametrize("problem", ["missing", "a-file", "output-unwritable", "output-a-file"])
def test_bad_folders_give_one_clear_error(modules: Modules, tmp_path: Path, problem: str) -> None:
    inputs, output = tmp_path / "in", tmp_path / "out"
    make_inputs(inputs, 2)
    if problem == "missing":
        inputs = tmp_path / "nowhere"
    elif problem == "a-file":
        inputs = inputs / "trap.txt"
    elif problem == "output-a-file":
        output.write_bytes(b"")
    else:
        output = Path("/sys/kernel/wasmpack-batch")  # not writable, even by root
    result = wasmpack("batch", modules.upper, "--inputs", inputs, "--output", output, expect=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: --inputs" if "output" not in problem else "error: --output")
    assert "Traceback" not in result.stderr


def test_scheduler_without_dask_names_the_extra(modules: Modules, tmp_path: Path) -> None:
    shim = tmp_path / "no-dask" / "distributed"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("raise ImportError(\"No module named 'distributed'\")\n")
    make_inputs(tmp_path / "in", 2)
    env = dict(os.environ)
    env["PYTHONPATH"] = f"{shim.parent}:{env.get('PYTHONPATH', '')}"
    result = wasmpack(
        "batch", modules.upper, "--inputs", tmp_path / "in", "--output", tmp_path / "out",
        "--scheduler", "tcp://127.0.0.1:8786", expect=2, env=env,
    )  # fmt: skip
    assert result.stderr.strip().splitlines() == [
        "error: --scheduler needs Dask, which is not installed; "
        "pip install 'wasmpack-mt[distributed]'"
    ]
