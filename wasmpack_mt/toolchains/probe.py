"""Ask tools for their versions, with timeouts; a failing probe is a warning."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wasmpack_mt.errors import CommandFailed
from wasmpack_mt.log import logger
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
            try:
                self._seen[key] = run(
                    key, step=f"probe {Path(key[0]).name}", timeout=self.timeout, env=self.env
                )
            except CommandFailed as exc:
                logger.warning("%s (ignoring this candidate)", exc)
                self._seen[key] = None
        return self._seen[key]
