"""Ask tools for their versions, with timeouts; a failing probe is a warning.

A tool's answer is also kept on disk (under the cache's `probes/`), keyed by
the command and the tool's path, size and modification time: the next build
asks no compiler for its version until the compiler changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wasmpack_mt.atomic import atomic_write_bytes
from wasmpack_mt.errors import CommandFailed
from wasmpack_mt.log import logger
from wasmpack_mt.paths import cache_home
from wasmpack_mt.process import run

PROBE_TIMEOUT_S = 15.0
_VERSION = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")


def parse_version(text: str) -> tuple[int, ...] | None:
    """The first dotted version number in `text` (`clang version 17.0.6` → (17, 0, 6))."""
    match = _VERSION.search(text)
    if match is None:
        lone = re.search(r"\d+", text)
        return (int(lone.group()),) if lone else None
    return tuple(int(part) for part in match.groups() if part is not None)


def version_text(version: tuple[int, ...] | None) -> str:
    """`(17, 0, 6)` → `17.0.6`; unknown → `?`."""
    return ".".join(str(part) for part in version) if version else "?"


def at_least(version: tuple[int, ...] | None, minimum: str) -> bool:
    """Whether `version` is known and not older than the dotted `minimum`."""
    wanted = parse_version(minimum)
    return version is not None and wanted is not None and version >= wanted


@dataclass
class Prober:
    """Runs `tool args` once per distinct command and remembers the output."""

    timeout: float = PROBE_TIMEOUT_S
    env: Mapping[str, str] | None = None
    _seen: dict[tuple[str, ...], str | None] = field(default_factory=dict)

    def __call__(self, cmd: Sequence[str | os.PathLike[str]]) -> str | None:
        """The command's output, or None (with a warning) when it fails or hangs."""
        key = tuple(os.fspath(part) for part in cmd)
        if key not in self._seen:
            self._seen[key] = self._answer(key)
        return self._seen[key]

    def _answer(self, key: tuple[str, ...]) -> str | None:
        """The stored answer when the tool is unchanged, else a fresh run (stored if it works)."""
        stored = None if self.env is not None else _stored_answer_path(key)
        if stored is not None and stored.is_file():
            try:
                return str(json.loads(stored.read_text(encoding="utf-8"))["output"])
            except (OSError, ValueError, KeyError):
                pass  # a damaged entry is asked again and rewritten
        try:
            output = run(key, step=f"probe {Path(key[0]).name}", timeout=self.timeout, env=self.env)
        except CommandFailed as exc:
            logger.warning("%s (ignoring this candidate)", exc)
            return None
        if stored is not None:
            document = {"command": list(key), "output": output}
            with contextlib.suppress(OSError):  # a read-only cache costs the next run a probe
                atomic_write_bytes(stored, json.dumps(document).encode())
        return output


def _stored_answer_path(key: tuple[str, ...]) -> Path | None:
    """Where the answer to `key` is kept: keyed by the command and the tool's path, size, mtime."""
    tool = Path(key[0])
    if not tool.is_absolute():
        return None
    try:
        info = tool.resolve().stat()
    except OSError:
        return None
    identity = json.dumps([list(key), os.fspath(tool.resolve()), info.st_size, info.st_mtime_ns])
    return cache_home() / "probes" / hashlib.sha256(identity.encode()).hexdigest()[:32]
