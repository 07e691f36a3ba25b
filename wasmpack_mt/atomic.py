"""Writing a file so that readers see the old contents or the new ones, never a part."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from wasmpack_mt.errors import BuildError


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to `path` through a fsynced temporary file renamed over it.

    The temporary file sits in the same directory (created if missing) and gets
    `mode` before the rename; on any failure it is removed and `path` is left as
    it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    temp = Path(temp_name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.chmod(mode)
        temp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    _sync_directory(path.parent)


def write_output(path: Path, data: bytes) -> Path:
    """`atomic_write_bytes` for a command's output (`-o`): a failure is one line naming the fix."""
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise BuildError(
            f"cannot write {path}: {exc.strerror or exc}; check the directory's permissions "
            "and free space, or write elsewhere with -o"
        ) from None
    return path


def _sync_directory(directory: Path) -> None:
    """Make the rename durable (best effort: some file systems refuse)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
