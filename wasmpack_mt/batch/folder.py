"""A folder of inputs mapped to a folder of outputs, one task per file, resumable.

For each input `NAME`, a task that ends with exit 0 leaves its stdout in
`OUTPUT/NAME`, and every task leaves a record `OUTPUT/.wasmpack-batch/NAME.json`
(exit code, reason, the tail of stdout/stderr, and a key over the module, the
arguments, the environment and the input). Both are written atomically, the
output first, so a record with exit 0 and a matching key means the item is
done: `--resume` skips it. A failed item's stale output is removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wasmpack_mt.atomic import atomic_write_bytes
from wasmpack_mt.batch.task import WORKDIR, Task, TaskResult
from wasmpack_mt.errors import UsageError

STATE_DIR = ".wasmpack-batch"
INPUT_MARK = "{}"
TAIL_BYTES = 64 * 1024


@dataclass(frozen=True)
class FolderBatch:
    """Run a module once per file of `inputs`, writing into `output`.

    `preopen`: the input is the file `WORKDIR/NAME` (its guest path replaces
    `{}` in `args`, or is appended) instead of stdin. `dirs`: more directories
    every run may reach (`HOST[::GUEST]`).
    """

    inputs: Path
    output: Path
    program_name: str
    args: Sequence[str]
    env: Mapping[str, str]
    module_digest: str
    preopen: bool = False
    dirs: tuple[str, ...] = ()

    def check_folders(self) -> None:
        """Raise `UsageError` unless `inputs` can be read and `output` written."""
        if not self.inputs.is_dir():
            what = "does not exist" if not self.inputs.exists() else "is not a directory"
            raise UsageError(f"--inputs {self.inputs} {what}; pass the folder of input files")
        inputs, output = self.inputs.resolve(), self.output.resolve()
        if output == inputs or output.is_relative_to(inputs):
            raise UsageError(
                f"--output {self.output} is inside --inputs {self.inputs}; "
                "choose an output folder outside the inputs"
            )
        try:
            (self.output / STATE_DIR).mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.output / STATE_DIR):
                pass
        except OSError as exc:
            raise UsageError(
                f"--output {self.output} cannot be written ({exc.strerror}); "
                "choose a folder you can write to"
            ) from None

    def items(self) -> list[str]:
        """The input files' names relative to `inputs` (POSIX style), sorted."""
        names = sorted(
            path.relative_to(self.inputs).as_posix()
            for path in self.inputs.rglob("*")
            if path.is_file()
        )
        if not names:
            raise UsageError(f"--inputs {self.inputs} holds no files; put the inputs there")
        return names

    def is_done(self, name: str) -> bool:
        """Whether `name` already ran to exit 0 with this module, arguments and input."""
        try:
            record = json.loads(self._record_path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return (
            isinstance(record, dict)
            and record.get("exit_code") == 0
            and record.get("key") == self._key(name, self._read(name))
            and (self.output / name).is_file()
        )

    def task(self, name: str) -> Task:
        """The task for input `name` (reads the file)."""
        data = self._read(name)
        if not self.preopen:
            return Task(name, (self.program_name, *self.args), self.env, data, dirs=self.dirs)
        guest_path = f"{WORKDIR}/{name}"
        args = [arg.replace(INPUT_MARK, guest_path) for arg in self.args]
        if not any(INPUT_MARK in arg for arg in self.args):
            args.append(guest_path)
        return Task(name, (self.program_name, *args), self.env, files={name: data}, dirs=self.dirs)

    def save(self, result: TaskResult) -> None:
        """Write the item's output (exit 0) or remove a stale one (failure), then its record."""
        output = self.output / result.name
        if result.ok:
            atomic_write_bytes(output, result.stdout)
        else:
            with contextlib.suppress(FileNotFoundError):
                output.unlink()
        key = self._key(result.name, self._read(result.name))
        record = describe(result, tails=True) | {"key": key}
        atomic_write_bytes(self._record_path(result.name), json.dumps(record, indent=1).encode())

    def _read(self, name: str) -> bytes:
        return (self.inputs / name).read_bytes()

    def _record_path(self, name: str) -> Path:
        return self.output / STATE_DIR / f"{name}.json"

    def _key(self, name: str, data: bytes) -> str:
        what = [
            self.module_digest,
            self.preopen,
            name,
            self.args,
            self.dirs,
            sorted(self.env.items()),
        ]
        digest = hashlib.sha256(json.dumps(what).encode())
        digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()


def describe(result: TaskResult, *, tails: bool = False) -> dict[str, Any]:
    """The JSON summary of one result; with `tails`, the end of its stderr (and of its
    stdout if it failed), decoded as UTF-8 with bad bytes replaced."""
    summary: dict[str, Any] = {
        "name": result.name,
        "exit_code": result.exit_code,
        "reason": result.reason,
        "seconds": round(result.seconds, 3),
    }
    if tails:
        summary["report"] = result.report
        summary["stderr_tail"] = result.stderr[-TAIL_BYTES:].decode(errors="replace")
        if not result.ok:
            summary["stdout_tail"] = result.stdout[-TAIL_BYTES:].decode(errors="replace")
    return summary
