"""Where wasmpack keeps its cache, logs and bundled data."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def cache_home() -> Path:
    """`$WASMPACK_CACHE_DIR`, else `$XDG_CACHE_HOME/wasmpack`, else `~/.cache/wasmpack`.

    Always absolute, so tools run in other directories find the same place.
    """
    if explicit := os.environ.get("WASMPACK_CACHE_DIR"):
        return Path(explicit).expanduser().absolute()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return (base / "wasmpack").absolute()


def logs_dir() -> Path:
    """Logs of failed commands, kept for the user to read."""
    return cache_home() / "logs"


def data_path(name: str) -> Path:
    """A file shipped with wasmpack (`toolchains.yaml`, `templates`).

    A wheel carries them in `wasmpack_mt/_data/`; a source checkout (and an
    editable install) keeps them at the repository root.
    """
    packaged = _PACKAGE_DIR / "_data" / name
    return packaged if packaged.exists() else _PACKAGE_DIR.parent / name
