"""The one size grammar: project file sizes, `--max-memory` and every other byte count.

A size is a whole number of bytes, or a string: a number and a unit, with or
without a space. Units are powers of 1024 and case-insensitive: `B`, `K` or
`KiB`, `M` or `MiB`, `G` or `GiB` (`64KiB`, `2M`, `1 GiB`, `1g`). `KB`, `MB`,
`GB` are refused as ambiguous (decimal or binary?).
"""

from __future__ import annotations

import re

GRAMMAR = 'bytes, or a number with a unit: B, K/KiB, M/MiB, G/GiB (e.g. "64KiB", "256M", "1GiB")'
_SIZE = re.compile(r"^\s*(\d+)\s*([A-Za-z]*)\s*$")
_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20}
_UNITS |= {"g": 1 << 30, "gib": 1 << 30}


def parse_size(value: object) -> int:
    """`value` (bytes as int, or a string in the size grammar) in bytes; ValueError if not."""
    if isinstance(value, bool):
        raise ValueError(f"expected a size: {GRAMMAR}")
    if isinstance(value, int):
        size = value
    elif isinstance(value, str) and (match := _SIZE.match(value)):
        unit = match.group(2).lower()
        if unit in ("kb", "mb", "gb"):
            raise ValueError(
                f"expected a size: {match.group(2)} is ambiguous, write {unit[0].upper()}iB"
            )
        if unit not in _UNITS:
            raise ValueError(f"expected a size: {GRAMMAR}")
        size = int(match.group(1)) * _UNITS[unit]
    else:
        raise ValueError(f"expected a size: {GRAMMAR}")
    if size <= 0:
        raise ValueError("must be positive")
    return size
