"""The one settings reader: the project file (TOML) and toolchains.yaml.

Both files are read into frozen dataclasses through `TableReader`, which
collects every problem with its dotted key (unknown keys get a "did you
mean"), and `ProblemList` raises them together as one `ConfigError`.

The dataclasses are the settings model: each field read from a file is
declared with `setting(...)`, which records its key as written in the file and
a one-line doc. `wasmpack_mt.settings_docs` writes the key tables of the docs
from these, and a test fails when the docs drift.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from wasmpack_mt.errors import ConfigError
from wasmpack_mt.sizes import parse_size

T = TypeVar("T", bound=str)
_PAGE = 64 * 1024


def setting(
    default: Any = dataclasses.MISSING,
    *,
    key: str,
    doc: str,
    kind: str = "",
    default_doc: str = "",
    table: type | None = None,
) -> Any:
    """A dataclass field read from a settings file as `key`, documented by `doc`.

    `kind` names the value type in the docs (e.g. "size"); `default_doc` says
    what an absent key means when the dataclass default does not. `table` is
    the dataclass of a sub-table (or of each item of a list of tables); a
    default that is a dataclass is both the sub-table and its default.
    """
    is_table = isinstance(default, type) and dataclasses.is_dataclass(default)
    metadata = {
        "key": key, "doc": doc, "kind": kind, "default_doc": default_doc,
        "table": default if is_table else table,
    }  # fmt: skip
    if is_table:
        return dataclasses.field(default_factory=default, metadata=metadata)
    if isinstance(default, tuple | list):
        value = tuple(default)
        return dataclasses.field(default_factory=lambda: value, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclass(frozen=True)
class KeyDoc:
    """One documented key of a settings file."""

    key: str
    """The dotted key as written in the file."""
    kind: str
    default: str
    doc: str


def documented_keys(model: type, prefix: str = "") -> Iterator[KeyDoc]:
    """Every key `model` (a dataclass of `setting` fields) reads, sub-tables included."""
    for field in dataclasses.fields(model):
        if "key" not in field.metadata:
            continue
        key = prefix + field.metadata["key"]
        sub = field.default_factory if field.default_factory is not dataclasses.MISSING else None
        if table := field.metadata["table"]:
            listed = field.metadata["kind"].startswith("list")
            kind = field.metadata["kind"] or "table"
            optional = sub or field.default is not dataclasses.MISSING
            yield KeyDoc(key, kind, "" if optional else "required", field.metadata["doc"])
            yield from documented_keys(table, key + ("[]." if listed else "."))
            continue
        if field.metadata["default_doc"]:
            default = field.metadata["default_doc"]
        elif field.default is not dataclasses.MISSING:
            default = _default_text(field.default)
        elif sub is not None:
            default = _default_text(sub())
        else:
            default = "required"
        yield KeyDoc(
            key, field.metadata["kind"] or _kind_text(field.type), default, field.metadata["doc"]
        )


def _default_text(value: object) -> str:
    if value is None or value in ((), ""):
        return "—"
    return f"`{json.dumps(list(value) if isinstance(value, tuple) else value)}`"


def _kind_text(annotation: object) -> str:
    text = str(annotation)
    for pattern, kind in (
        ("tuple[tuple[str, str]", "table"),
        ("tuple[str, ...] | str", "list or string"),
        ("tuple", "list of strings"),
        ("Mapping", "mapping"),
        ("bool", "boolean"),
        ("int", "integer"),
        ("Literal", "choice"),
        ("Kind", "choice"),
        ("Entry", "choice"),
    ):
        if pattern in text:
            return kind
    return "string"


class ProblemList:
    """Every problem found in one file, raised together as one ConfigError."""

    def __init__(self, source: Path | str, fix: str | None = None) -> None:
        self.source = source
        self.fix = fix
        """How to fix the file, added to the message (default: "fix them and rebuild")."""
        self.items: list[str] = []
        self.asked: set[str] = set()
        """Every dotted key a reader asked for (the docs test checks they are all documented)."""

    def add(self, key: str, message: str) -> None:
        """Record that dotted `key` is wrong because of `message`."""
        self.items.append(f"{key}: {message}")

    def raise_if_any(self) -> None:
        """Raise one ConfigError naming the file and every problem."""
        if not self.items:
            return
        if len(self.items) == 1:
            hint = f"; {self.fix}" if self.fix else ""
            raise ConfigError(f"{self.source}: {self.items[0]}{hint}")
        listed = "\n".join(f"  {self.source}: {item}" for item in self.items)
        raise ConfigError(
            f"{self.source}: {len(self.items)} problems (listed above): {self.items[0]} "
            f"(and {len(self.items) - 1} more above); {self.fix or 'fix them and rebuild'}",
            details=listed,
        )


class TableReader:
    """Reads keys of one table; unknown keys are reported when the reader is finished.

    `noun` is what the file format calls a table (`mapping` in YAML).
    """

    def __init__(
        self, data: object, *, prefix: str, problems: ProblemList, noun: str = "table"
    ) -> None:
        self.prefix = prefix
        self.problems = problems
        self.noun = noun
        self.present = isinstance(data, dict)
        self._data: dict[str, Any] = data if isinstance(data, dict) else {}
        self._known: set[str] = set()
        self._children: list[TableReader] = []
        if data is not None and not isinstance(data, dict):
            top = "(top)" if noun == "table" else "<top>"
            problems.add(prefix.rstrip(".") or top, f"expected a {noun}")

    def problem(self, key: str, message: str) -> None:
        """Record a problem with `key` of this table."""
        self.problems.add(self.prefix + key, message)

    def has(self, key: str) -> bool:
        """Whether `key` is present."""
        return key in self._data

    def raw(self, key: str) -> Any:
        """The unchecked value of `key` (None when absent)."""
        self._known.add(key)
        self.problems.asked.add(self.prefix + key)
        return self._data.get(key)

    def table(self, key: str) -> TableReader:
        """A reader for sub-table `key` (empty when absent)."""
        return self.child(self.raw(key), f"{self.prefix}{key}.")

    def child(self, data: object, prefix: str) -> TableReader:
        """A reader for `data`, a table nested somewhere below this one (e.g. in a list)."""
        child = TableReader(data, prefix=prefix, problems=self.problems, noun=self.noun)
        self._children.append(child)
        return child

    def require(self, *keys: str) -> None:
        """Report each of `keys` that is absent from this (present) table as missing."""
        if not self.present:
            return
        for key in keys:
            if key not in self._data:
                self.problem(key, "missing")

    def text(self, key: str) -> str:
        """A scalar as a string ("" when absent or not a scalar, which is reported)."""
        value = self.raw(key)
        if value is None or isinstance(value, dict | list):
            if value is not None or key in self._data:
                self.problem(key, "expected a string")
            return ""
        return str(value)

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of scalars as strings (empty when absent)."""
        value = self.raw(key)
        if value is None:
            return ()
        if not isinstance(value, list) or any(isinstance(v, dict | list) for v in value):
            self.problem(key, "expected a list of strings")
            return ()
        return tuple(str(v) for v in value)

    def mapping(self, key: str) -> dict[str, str]:
        """A mapping of scalars as strings (empty when absent)."""
        value = self.raw(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(key, f"expected a {self.noun}")
            return {}
        return {str(k): str(v) for k, v in value.items()}

    def items(self, key: str) -> list[tuple[str, Any]]:
        """A list, each item with the dotted prefix of its own key (`key[0].`)."""
        value = self.raw(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, "expected a list")
            return []
        return [(f"{self.prefix}{key}[{i}].", item) for i, item in enumerate(value)]

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
                close = _closest(str(key), sorted(self._known))
                hint = f" (did you mean {self.prefix + close!r}?)" if close else ""
                self.problem(str(key), f"unknown key{hint}")
        for child in self._children:
            child.finish()


def _suggest(word: str, options: Sequence[str]) -> str:
    close = _closest(word, options)
    return f" (did you mean {close!r}?)" if close else ""


def _closest(word: str, options: Sequence[str]) -> str | None:
    """The option most like `word`, if one is close (difflib loads only for a mistake)."""
    import difflib

    close = difflib.get_close_matches(word, options, n=1)
    return close[0] if close else None


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, int | float):
        return f"number {value}"
    return "a list" if isinstance(value, list) else "a table" if isinstance(value, dict) else "?"
