"""Skip a compile or link whose command and inputs are unchanged since it last ran.

Next to each output lives `<output>.stamp`: the digest of the command and the
size and modification time of every input (for a compile, the files clang
listed in its `-MD` dependency file: the source and every header it read).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from wasmpack_mt.atomic import atomic_write_bytes


def command_digest(argv: Sequence[str | os.PathLike[str]]) -> str:
    """A digest of the exact command line."""
    return hashlib.sha256(json.dumps([os.fspath(a) for a in argv]).encode()).hexdigest()


def _stamp_path(output: Path) -> Path:
    return output.with_name(output.name + ".stamp")


def _snapshot(paths: Iterable[Path]) -> dict[str, list[int]] | None:
    """Size and mtime of each path; None when one is gone."""
    state: dict[str, list[int]] = {}
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            return None
        state[os.fspath(path)] = [info.st_size, info.st_mtime_ns]
    return state


def is_fresh(output: Path, argv: Sequence[str | os.PathLike[str]]) -> bool:
    """Whether `output` exists and was made by `argv` from inputs that have not changed."""
    try:
        stamp = json.loads(_stamp_path(output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not output.is_file() or stamp.get("command") != command_digest(argv):
        return False
    inputs = stamp.get("inputs", {})
    return bool(inputs) and _snapshot(Path(p) for p in inputs) == inputs


def record(output: Path, argv: Sequence[str | os.PathLike[str]], inputs: Iterable[Path]) -> None:
    """Remember that `argv` made `output` from `inputs` as they are now."""
    state = _snapshot(inputs)
    if state is None:
        return  # an input vanished during the build: the next build runs the command again
    document = {"command": command_digest(argv), "inputs": state}
    atomic_write_bytes(_stamp_path(output), json.dumps(document, sort_keys=True).encode())


def depfile_inputs(depfile: Path, cwd: Path) -> list[Path]:
    """The prerequisites a make-style depfile (clang `-MD -MF`) lists; none if unreadable."""
    try:
        text = depfile.read_text(encoding="utf-8").replace("\\\n", " ")
    except (OSError, UnicodeDecodeError):
        return []
    _, _, prerequisites = text.partition(": ")
    words = prerequisites.replace("\\ ", "\0").split()  # `\ ` is a space inside a name
    return [cwd / word.replace("\0", " ") for word in words]
