"""Typed reads from one TOML table, collecting problems instead of stopping at the first."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from wasmpack_mt.errors import ConfigError

T = TypeVar("T", bound=str)
_PAGE = 64 * 1024
_SIZE = re.compile(r"^\s*(\d+)\s*(B|KiB|MiB|GiB)?\s*$")
_UNITS = {None: 1, "B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}


def parse_size(value: object) -> int:
    """`value` (bytes as int, or "2MiB"-style string) in bytes; ValueError if unreadable."""
    if isinstance(value, bool):
        raise ValueError("expected a size")
    if isinstance(value, int):
        size = value
    elif isinstance(value, str) and (match := _SIZE.match(value)):
        size = int(match.group(1)) * _UNITS[match.group(2)]
    else:
        raise ValueError('expected bytes or a string such as "2MiB" (units B, KiB, MiB, GiB)')
    if size <= 0:
        raise ValueError("must be positive")
    return size


class ProblemList:
    """Every problem found in one file, raised together as one ConfigError."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, key: str, message: str) -> None:
        """Record that dotted `key` is wrong because of `message`."""
        self.items.append(f"{key}: {message}")

    def raise_if_any(self) -> None:
        """Raise one ConfigError naming the file and every problem."""
        if not self.items:
            return
        if len(self.items) == 1:
            raise ConfigError(f"{self.source}: {self.items[0]}")
        listed = "\n".join(f"  {self.source}: {item}" for item in self.items)
        raise ConfigError(
            f"{self.source}: {len(self.items)} problems (listed above); fix them and rebuild",
            details=listed,
        )


class TableReader:
    """Reads keys of one table; unknown keys are reported when the reader is finished."""

    def __init__(self, data: object, *, prefix: str, problems: ProblemList) -> None:
        self.prefix = prefix
        self.problems = problems
        self.present = isinstance(data, dict)
        self._data: dict[str, Any] = data if isinstance(data, dict) else {}
        self._known: set[str] = set()
        self._children: list[TableReader] = []
        if data is not None and not isinstance(data, dict):
            problems.add(prefix.rstrip(".") or "(top)", "expected a table")

    def problem(self, key: str, message: str) -> None:
        """Record a problem with `key` of this table."""
        self.problems.add(self.prefix + key, message)

    def has(self, key: str) -> bool:
        """Whether `key` is present."""
        return key in self._data

    def raw(self, key: str) -> Any:
        """The unchecked value of `key` (None when absent)."""
        self._known.add(key)
        return self._data.get(key)

    def table(self, key: str) -> TableReader:
        """A reader for sub-table `key` (empty when absent)."""
        child = TableReader(self.raw(key), prefix=f"{self.prefix}{key}.", problems=self.problems)
        self._children.append(child)
        return child

    def string(self, key: str) -> str | None:
        """A non-empty string, or None when absent."""
        value = self.raw(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            self.problem(key, f"expected a non-empty string, got {_describe(value)}")
            return None
        return value

    def choice(self, key: str, options: Sequence[T]) -> T | None:
        """One of `options`, or None when absent."""
        value = self.string(key)
        if value is None:
            return None
        for option in options:
            if value == option:
                return option
        self.problem(key, f"{value!r} is not one of {', '.join(options)}{_suggest(value, options)}")
        return None

    def string_list(self, key: str) -> tuple[str, ...]:
        """A list of strings (empty when absent)."""
        value = self.raw(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(key, f"expected a list of strings, got {_describe(value)}")
            return ()
        return tuple(value)

    def string_map(self, key: str) -> tuple[tuple[str, str], ...]:
        """A table of scalar values as sorted (name, string) pairs; booleans become ON/OFF."""
        value = self.raw(key)
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.problem(key, f"expected a table, got {_describe(value)}")
            return ()
        pairs: list[tuple[str, str]] = []
        for name, item in sorted(value.items()):
            if isinstance(item, bool):
                pairs.append((name, "ON" if item else "OFF"))
            elif isinstance(item, str | int | float):
                pairs.append((name, str(item)))
            else:
                self.problem(
                    f"{key}.{name}", f"expected a string, number or boolean, got {_describe(item)}"
                )
        return tuple(pairs)

    def boolean(self, key: str) -> bool | None:
        """`true` or `false`, or None when absent."""
        value = self.raw(key)
        if value is None or isinstance(value, bool):
            return value
        self.problem(key, f"expected true or false, got {_describe(value)}")
        return None

    def integer(self, key: str, *, minimum: int) -> int | None:
        """An integer >= `minimum`, or None when absent."""
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.problem(key, f"expected an integer >= {minimum}, got {_describe(value)}")
            return None
        return value

    def size(self, key: str, *, page_multiple: bool = False, multiple: int = 1) -> int | None:
        """A size in bytes (int or "2MiB"), or None when absent."""
        value = self.raw(key)
        if value is None:
            return None
        try:
            size = parse_size(value)
        except ValueError as exc:
            self.problem(key, f"{exc}, got {_describe(value)}")
            return None
        if page_multiple and size % _PAGE:
            self.problem(key, f"{size} bytes is not a multiple of 64KiB (the wasm page size)")
            return None
        if size % multiple:
            self.problem(key, f"{size} bytes is not a multiple of {multiple}")
            return None
        return size

    def finish(self) -> None:
        """Report keys nobody asked for, with a suggestion, in this table and its children."""
        for key in self._data:
            if key not in self._known:
                self.problem(key, f"unknown key{_suggest(key, sorted(self._known))}")
        for child in self._children:
            child.finish()


def _suggest(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, int | float):
        return f"number {value}"
    return "a list" if isinstance(value, list) else "a table" if isinstance(value, dict) else "?"
