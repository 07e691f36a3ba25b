"""Guest arguments that name host files no `--dir` lets the guest reach.

wasi-libc resolves a path against the preopened directories inside the guest:
one outside all of them fails with ENOENT (or ENOTCAPABLE) before the host
sees a call, so the program can only say "No such file or directory". After a
failed run, `wasmpack run` names the `--dir` that was missing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from wasmpack_mt.host.wasi.context import Preopen


def _reachable(path: str, preopens: Sequence[Preopen]) -> bool:
    """Whether wasi-libc would resolve `path` (as the guest names it) under some preopen."""
    if not path.startswith("/"):
        return any(p.guest in (".", "./") for p in preopens)
    wanted = PurePosixPath(os.path.normpath(path))
    return any(
        p.guest.startswith("/") and wanted.is_relative_to(PurePosixPath(os.path.normpath(p.guest)))
        for p in preopens
    )


def _candidates(args: Sequence[str]) -> list[str]:
    """Each argument, and the value of `--option=value` arguments."""
    found = []
    for arg in args:
        found.append(arg)
        if arg.startswith("-") and "=" in arg:
            found.append(arg.split("=", 1)[1])
    return [text for text in found if text and not text.startswith("-")]


def unreachable_argument(args: Sequence[str], dirs: Sequence[Preopen | str]) -> str | None:
    """A `--dir` to add: the first argument that is a host path the guest cannot reach."""
    preopens = [d if isinstance(d, Preopen) else Preopen.parse(d) for d in dirs]
    for text in _candidates(args):
        if not _reachable(text, preopens) and os.path.lexists(text):
            host = Path(text)
            directory = host if host.is_dir() else host.parent
            needed = "." if not text.startswith("/") else os.fspath(directory)
            return (
                f"{text} exists on this machine but is outside every --dir, so the program "
                f"cannot open it; add --dir {needed}"
            )
    return None
