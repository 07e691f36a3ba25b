"""The manifest: a JSON document in the `wasmpack.manifest` custom section.

Engines ignore custom sections, so the artifact stays a plain `.wasm`; the
wasmpack host reads its defaults (e.g. max threads) from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from wasmpack_mt.errors import WasmFormatError, WasmpackError
from wasmpack_mt.log import logger
from wasmpack_mt.wasm.module import parse_module
from wasmpack_mt.wasm.writer import set_custom_section

SECTION_NAME = "wasmpack.manifest"
SCHEMA_VERSION = 1
EntryKind = Literal["command", "reactor"]
ENTRY_KINDS: tuple[EntryKind, ...] = ("command", "reactor")
_FIX = "rebuild the module with `wasmpack build`"


@dataclass(frozen=True, kw_only=True)
class Manifest:
    """What a built artifact says about itself."""

    name: str
    version: str
    entry: EntryKind
    memory_min_pages: int
    memory_max_pages: int
    max_threads: int
    """Suggested maximum number of threads alive at once (the host's default limit)."""
    languages: tuple[str, ...]
    toolchain: str
    toolchain_version: str
    source_digest: str
    build_flags: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    """Wasm features the build enabled beyond the threads baseline, omitted when none:
    `simd`, and `exceptions` (the `cxx-eh` flavour: standard exnref exception handling)."""

    def __post_init__(self) -> None:
        if self.entry not in ENTRY_KINDS:
            raise ValueError(f"Manifest.entry must be one of {ENTRY_KINDS}, not {self.entry!r}")
        # Lists passed by callers become tuples, so a manifest equals its read-back copy.
        object.__setattr__(self, "languages", tuple(self.languages))
        object.__setattr__(self, "build_flags", tuple(self.build_flags))
        object.__setattr__(self, "features", tuple(self.features))

    def to_dict(self) -> dict[str, Any]:
        """The JSON object, keys in the documented order."""
        document: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "name": self.name,
            "version": self.version,
            "entry": self.entry,
            "memory": {"min_pages": self.memory_min_pages, "max_pages": self.memory_max_pages},
            "threads": {"max": self.max_threads},
            "languages": list(self.languages),
            "toolchain": {"name": self.toolchain, "version": self.toolchain_version},
            "source_digest": self.source_digest,
            "build_flags": list(self.build_flags),
        }
        if self.features:
            document["features"] = list(self.features)
        return document

    def to_json(self) -> str:
        """Compact JSON with a stable key order (the bytes embedded in the module)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse and validate; a bad document raises `WasmFormatError` naming the key."""
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _invalid(f"not valid JSON ({exc.msg} at char {exc.pos})") from None
        except ValueError:  # an integer of more digits than Python converts
            raise _invalid("a number has too many digits") from None
        except RecursionError:
            raise _invalid("nested too deeply") from None
        if not isinstance(document, dict):
            raise _invalid("not a JSON object")
        schema = document.get("schema")
        if schema != SCHEMA_VERSION:
            raise WasmFormatError(
                f"the module's manifest has schema {schema!r}, this wasmpack reads schema "
                f"{SCHEMA_VERSION}; use the wasmpack-mt version that built it, or rebuild"
            )
        fields = _Fields(document)
        entry = fields.text("entry")
        if entry not in ENTRY_KINDS:
            raise _invalid(f"key 'entry' is {entry!r}, expected one of {', '.join(ENTRY_KINDS)}")
        return cls(
            name=fields.text("name"),
            version=fields.text("version"),
            entry="command" if entry == "command" else "reactor",
            memory_min_pages=fields.count("memory", "min_pages"),
            memory_max_pages=fields.count("memory", "max_pages"),
            max_threads=fields.count("threads", "max"),
            languages=fields.texts("languages"),
            toolchain=fields.text("toolchain", "name"),
            toolchain_version=fields.text("toolchain", "version"),
            source_digest=fields.text("source_digest"),
            build_flags=fields.texts("build_flags"),
            features=fields.texts("features") if "features" in document else (),
        )


class _Fields:
    """Typed access to (possibly nested) keys, with one-line errors naming the key."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._document = document

    def _get(self, keys: tuple[str, ...]) -> Any:
        value: Any = self._document
        for depth, key in enumerate(keys):
            if not isinstance(value, dict) or key not in value:
                raise _invalid(f"key {'.'.join(keys[: depth + 1])!r} is missing")
            value = value[key]
        return value

    def text(self, *keys: str) -> str:
        value = self._get(keys)
        if not isinstance(value, str):
            raise _invalid(f"key {'.'.join(keys)!r} must be a string, not {_short(value)}")
        _require_unicode(value, keys)
        return value

    def count(self, *keys: str) -> int:
        value = self._get(keys)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _invalid(
                f"key {'.'.join(keys)!r} must be a whole number >= 0, not {_short(value)}"
            )
        return value

    def texts(self, *keys: str) -> tuple[str, ...]:
        value = self._get(keys)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise _invalid(f"key {'.'.join(keys)!r} must be a list of strings")
        for item in value:
            _require_unicode(item, keys)
        return tuple(value)


def _require_unicode(value: str, keys: tuple[str, ...]) -> None:
    """Reject a string with a lone surrogate (JSON allows "\\ud800"; UTF-8 cannot hold it)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid(f"key {'.'.join(keys)!r} holds a lone surrogate, not text") from None


def _short(value: Any) -> str:
    """`value` for an error message, cut to one short line."""
    text = (
        ascii(value) if not isinstance(value, int) or value.bit_length() < 64 else "a huge number"
    )
    return text if len(text) <= 60 else text[:57] + "..."


def _invalid(problem: str) -> WasmFormatError:
    return WasmFormatError(f"the module's {SECTION_NAME} section is invalid: {problem}; {_FIX}")


def embed_manifest(module: bytes, manifest: Manifest) -> bytes:
    """`module` with `manifest` as its last section, replacing any earlier manifest.

    Deterministic: the same module and manifest always give the same bytes.
    """
    return set_custom_section(module, SECTION_NAME, manifest.to_json().encode("utf-8"))


def read_manifest(data: bytes) -> Manifest | None:
    """The manifest embedded in `data`, or None when there is none.

    Malformed modules and invalid manifests raise `WasmFormatError` (one line).
    """
    payloads = parse_module(data).custom_section(SECTION_NAME)
    if not payloads:
        return None
    if len(payloads) > 1:
        raise _invalid(f"the module has {len(payloads)} of them")
    try:
        text = payloads[0].decode("utf-8")
    except UnicodeDecodeError:
        raise _invalid("not UTF-8") from None
    return Manifest.from_json(text)


def thread_hint(wasm: bytes) -> int | None:
    """The manifest's suggested thread limit (None without one); an unreadable manifest warns."""
    try:
        manifest = read_manifest(wasm)
    except WasmpackError as exc:
        logger.warning("ignoring the module's manifest: %s", exc)
        return None
    return manifest.max_threads if manifest is not None and manifest.max_threads > 0 else None
