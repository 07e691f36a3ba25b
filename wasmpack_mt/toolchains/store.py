"""Bootstrapped toolchain parts in the cache, keyed by what went into them.

An entry is `<prefix>/<part>-<key>/`. It is built elsewhere, gets its
completion marker written last, and only then is renamed into place, so a
directory without the marker is never trusted.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wasmpack_mt.log import logger
from wasmpack_mt.paths import cache_home

MARKER = ".wasmpack-complete.json"
PREFIX_ENV = "WASMPACK_TOOLCHAINS_DIR"
# Bumped when the code that turns recipes into files changes what it produces.
LAYOUT = 1
KEY_LENGTH = 16
"""Hex digits of a recipe key."""


def default_prefix() -> Path:
    """`$WASMPACK_TOOLCHAINS_DIR`, else `<cache>/toolchains` (absolute)."""
    explicit = os.environ.get(PREFIX_ENV)
    return Path(explicit).expanduser().absolute() if explicit else cache_home() / "toolchains"


def downloads_dir() -> Path:
    """Where verified source files are kept between runs."""
    return cache_home() / "downloads"


def recipe_key(*inputs: Any) -> str:
    """A short stable hash of recipe dataclasses, versions and other keys."""

    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            # Unset optional fields are left out: adding one keeps the existing keys.
            fields = dataclasses.asdict(value).items()
            return {name: item for name, item in fields if item is not None}
        if isinstance(value, Path):
            return os.fspath(value)
        raise TypeError(f"cannot hash {type(value).__name__}")

    blob = json.dumps([LAYOUT, *inputs], default=plain, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:KEY_LENGTH]


def entry_path(prefix: Path, part: str, key: str) -> Path:
    """Where the entry for `part` (c, cxx, rust) with `key` lives."""
    return prefix / f"{part}-{key}"


def is_complete(entry: Path) -> bool:
    """Whether `entry` was fully built (its marker exists)."""
    return (entry / MARKER).is_file()


@contextmanager
def scratch_dir(prefix: Path, label: str) -> Iterator[Path]:
    """A temporary directory on the same file system as `prefix`, removed afterwards."""
    prefix.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f".tmp-{label}-", dir=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def install_entry(
    prefix: Path, part: str, key: str, build: Callable[[Path], None], facts: dict[str, Any]
) -> Path:
    """Run `build(dest)` in a scratch dir and move the finished tree to its entry path."""
    final = entry_path(prefix, part, key)
    with scratch_dir(prefix, part) as scratch:
        dest = scratch / "entry"
        dest.mkdir()
        build(dest)
        os.sync()  # the files are on disk before the marker makes the entry trusted
        marker = dest / MARKER
        marker.write_text(json.dumps({"key": key, **facts}, indent=2), encoding="utf-8")
        if is_complete(final):
            return final  # another run finished the same entry first; keep that one
        if final.exists():
            shutil.rmtree(final)  # no marker: not ours or from an older layout, never trusted
        dest.rename(final)
    return final


def remove_stale(prefix: Path, part: str, keep: str) -> list[Path]:
    """Delete entries for `part` with other keys; return what was removed."""
    removed: list[Path] = []
    if not prefix.is_dir():
        return removed
    entry = re.compile(rf"{re.escape(part)}-[0-9a-f]{{{KEY_LENGTH}}}")  # not cxx-eh-* for cxx
    for child in prefix.iterdir():
        if child.is_dir() and entry.fullmatch(child.name) and child.name != f"{part}-{keep}":
            # Out of the trusted name first: a half-deleted entry must not keep its marker.
            doomed = child.with_name(f".tmp-stale-{child.name}")
            child.rename(doomed)
            shutil.rmtree(doomed, ignore_errors=True)
            removed.append(child)
    return removed


@contextmanager
def exclusive(prefix: Path) -> Iterator[None]:
    """Hold the prefix's lock, so two bootstraps never build into it at once."""
    prefix.mkdir(parents=True, exist_ok=True)
    with (prefix / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info("==> waiting for another wasmpack bootstrap using %s", prefix)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def remove_leftovers(prefix: Path) -> list[Path]:
    """Delete scratch dirs of killed runs; only call this while holding `exclusive`."""
    leftovers = [p for p in prefix.glob(".tmp-*") if p.is_dir()]
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
    return leftovers
