"""Path resolution that cannot leave a preopened directory.

Guest paths are resolved one component at a time from the directory's fd with
`O_NOFOLLOW` and `dir_fd=`, so the kernel never follows a symlink on the
guest's behalf. Symlinks inside the sandbox are read and spliced into the
remaining path; `..` above the preopen, absolute paths and absolute symlink
targets are refused with ENOTCAPABLE. A swapped-in symlink (a race) makes the
final `O_NOFOLLOW` open fail instead of escaping.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager

from wasmpack_mt.host.wasi import errno
from wasmpack_mt.host.wasi.errno import WasiError

MAX_SYMLINKS = 40
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _split(path: str) -> list[str]:
    if path.startswith("/"):
        raise WasiError(errno.NOTCAPABLE)
    if "\0" in path:
        raise WasiError(errno.INVAL)
    return [part for part in path.split("/") if part not in ("", ".")]


def _readlink(name: str, dir_fd: int) -> str | None:
    try:
        return os.readlink(name, dir_fd=dir_fd)
    except OSError:
        return None


@contextmanager
def resolve(base_fd: int, path: str, *, follow_final: bool) -> Iterator[tuple[int, str]]:
    """Yield (directory fd, final name) for `path` under `base_fd`.

    The name has no slash and, when `follow_final` (or a trailing slash) asks
    for it, is not a symlink; it is "." when the path ends in ".." or ".". Opened
    intermediate directories are closed on exit.
    """
    if not path:
        raise WasiError(errno.NOENT)
    must_be_dir = path.endswith("/")
    pending = _split(path)
    stack = [base_fd]
    symlinks = 0
    try:
        while pending:
            name = pending.pop(0)
            is_final = not pending
            if name == "..":
                if len(stack) == 1:
                    raise WasiError(errno.NOTCAPABLE)
                os.close(stack.pop())
                continue
            if is_final and not follow_final and not must_be_dir:
                yield stack[-1], name
                return
            target = _readlink(name, stack[-1])
            if target is not None:
                symlinks += 1
                if symlinks > MAX_SYMLINKS:
                    raise WasiError(errno.LOOP)
                pending[:0] = _split(target)
                continue
            if is_final:
                if must_be_dir:
                    _require_directory(name, stack[-1])
                yield stack[-1], name
                return
            stack.append(_open_dir(name, stack[-1]))
        yield stack[-1], "."
    finally:
        for fd in stack[1:]:
            os.close(fd)


def _open_dir(name: str, dir_fd: int) -> int:
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        raise WasiError(errno.from_os_error(exc)) from None


def _require_directory(name: str, dir_fd: int) -> None:
    """ENOTDIR when `name` exists but is not a directory (a path ending in a slash)."""
    try:
        mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except OSError:
        return  # missing: the call itself reports it (or creates a directory)
    if not stat.S_ISDIR(mode):
        raise WasiError(errno.NOTDIR)
