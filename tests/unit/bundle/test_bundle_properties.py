"""Property: any bytes and any JSON given to the section reader and the manifest parser
raise nothing but the project's own errors (bounded: a couple of hundred examples each)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from wasmpack_mt.bundle.manifest import SECTION_NAME, Manifest, read_manifest
from wasmpack_mt.errors import WasmFormatError
from wasmpack_mt.wasm.check import check_module
from wasmpack_mt.wasm.module import parse_module
from wasmpack_mt.wasm.reader import encode_uleb
from wasmpack_mt.wasm.writer import encode_custom_section

HEADER = b"\0asm\x01\0\0\0"
BOUNDED = settings(max_examples=200, deadline=None)

# JSON values whose strings may hold any code point, lone surrogates included
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(st.characters(exclude_categories=())),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
VALID: dict[str, Any] = {
    "schema": 1,
    "name": "fib",
    "version": "1.0",
    "entry": "command",
    "memory": {"min_pages": 17, "max_pages": 16384},
    "threads": {"max": 8},
    "languages": ["c"],
    "toolchain": {"name": "clang", "version": "16"},
    "source_digest": "sha256:0",
    "build_flags": [],
}


def _accepts_or_refuses(text: str) -> None:
    """`Manifest.from_json(text)` returns a manifest or raises WasmFormatError, nothing else."""
    try:
        manifest = Manifest.from_json(text)
    except WasmFormatError as exc:
        assert "\n" not in str(exc)
        return
    manifest.to_json().encode("utf-8")  # an accepted manifest can be printed and re-embedded


@BOUNDED
@given(json_values)
@example("\ud800")
@example({"schema": 1, "name": ["\udfff"]})
def test_any_json_document_is_a_manifest_or_a_format_error(document: object) -> None:
    _accepts_or_refuses(json.dumps(document))


@BOUNDED
@given(st.sampled_from(sorted(VALID)), json_values)
@example("languages", ["c", "\udfff"])
def test_any_value_in_any_manifest_key_is_accepted_or_refused_cleanly(
    key: str, value: object
) -> None:
    _accepts_or_refuses(json.dumps({**VALID, key: value}))


@BOUNDED
@given(st.text(st.characters(exclude_categories=())))
@example('{"schema": 1, "threads": {"max": ' + "9" * 5000 + "}}")
@example("[" * 100_000 + "]" * 100_000)
@example(json.dumps({**VALID, "name": "\ud800"}))
def test_any_text_is_a_manifest_or_a_format_error(text: str) -> None:
    _accepts_or_refuses(text)


@BOUNDED
@given(st.binary(max_size=300))
def test_any_manifest_section_payload_reads_or_fails_cleanly(payload: bytes) -> None:
    data = HEADER + encode_custom_section(SECTION_NAME, payload)
    with contextlib.suppress(WasmFormatError):
        read_manifest(data)


# well-framed sections (any id, any payload), so the section decoders see arbitrary bodies
sections = st.lists(
    st.tuples(st.integers(0, 13), st.binary(max_size=60)).map(
        lambda item: bytes([item[0]]) + encode_uleb(len(item[1])) + item[1]
    ),
    max_size=6,
).map(lambda parts: HEADER + b"".join(parts))


def _reads_or_fails_cleanly(data: bytes) -> None:
    try:
        parse_module(data)
        check_module(data, validate=False)
        read_manifest(data)
    except WasmFormatError as exc:
        assert "\n" not in str(exc)


@BOUNDED
@given(st.binary(max_size=400))
def test_any_bytes_parse_or_fail_cleanly(body: bytes) -> None:
    _reads_or_fails_cleanly(body)
    _reads_or_fails_cleanly(HEADER + body)


@BOUNDED
@given(sections)
def test_any_sections_parse_or_fail_cleanly(data: bytes) -> None:
    _reads_or_fails_cleanly(data)
