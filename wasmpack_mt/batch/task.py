"""One invocation of a module: its inputs (`Task`), how it ended (`TaskResult`), `run_task`."""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from wasmpack_mt.errors import UsageError, WasmpackError
from wasmpack_mt.host import Limits, Preopen, Program

WORKDIR = "/work"
"""The guest path of each task's own preopened directory (its `files`, and what it writes)."""

EXIT_HOST_ERROR = 7


@dataclass(frozen=True)
class Task:
    """One run: `argv` (argv[0] is the name the guest sees), `env`, `stdin` bytes,
    `files` (relative path -> bytes) placed in a fresh directory preopened at `WORKDIR`,
    and more directories to preopen, `HOST[::GUEST]` as for `wasmpack run --dir`
    (paths on the machine that runs the task; preopened after `WORKDIR`)."""

    name: str
    argv: tuple[str, ...] = ("main.wasm",)
    env: Mapping[str, str] = field(default_factory=dict)
    stdin: bytes = b""
    files: Mapping[str, bytes] = field(default_factory=dict)
    dirs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in self.files:
            path = PurePosixPath(name)
            if path.is_absolute() or ".." in path.parts or not path.parts:
                raise UsageError(
                    f"task {self.name}: file name {name!r} must be a relative path "
                    "without '..' (it is placed under the task's directory)"
                )


@dataclass(frozen=True)
class TaskResult:
    """How a task ended: exit code and reason as `RunResult`, its output, the files it
    wrote or changed in its directory, and its wall time."""

    name: str
    exit_code: int
    reason: str
    stdout: bytes = b""
    stderr: bytes = b""
    report: str = ""
    files: Mapping[str, bytes] = field(default_factory=dict)
    seconds: float = 0.0
    threads_left_running: bool = False

    @property
    def ok(self) -> bool:
        """Whether the task exited with 0."""
        return self.exit_code == 0


def run_task(program: Program, task: Task, limits: Limits | None = None) -> TaskResult:
    """Run `task` on `program`; any way it ends (exit, trap, timeout, a refusal by the
    host) is the task's result, never an exception."""
    started = time.perf_counter()
    stdout, stderr = io.BytesIO(), io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="wasmpack-task-") as scratch:
        root = Path(scratch)
        for name, data in task.files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        try:
            result = program.run(
                task.argv,
                env=task.env,
                dirs=[Preopen(root, WORKDIR), *task.dirs],
                stdin=io.BytesIO(task.stdin),
                stdout=stdout,
                stderr=stderr,
                limits=limits,
            )
        except WasmpackError as exc:
            return TaskResult(
                task.name, EXIT_HOST_ERROR, "host-error", report=str(exc),
                seconds=time.perf_counter() - started,
            )  # fmt: skip
        written = _written_files(root, task.files)
    return TaskResult(
        task.name,
        result.exit_code,
        result.reason,
        stdout.getvalue(),
        stderr.getvalue(),
        result.report,
        written,
        time.perf_counter() - started,
        result.threads_left_running,
    )


def _written_files(root: Path, given: Mapping[str, bytes]) -> dict[str, bytes]:
    """The regular files under `root` that are new or differ from the task's own."""
    written: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            name = path.relative_to(root).as_posix()
            data = path.read_bytes()
            if given.get(name) != data:
                written[name] = data
    return written
