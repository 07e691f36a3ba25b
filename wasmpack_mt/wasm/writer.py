"""Add or replace a custom section while keeping every other byte as it is."""

from __future__ import annotations

from wasmpack_mt.wasm.module import CUSTOM, iter_sections
from wasmpack_mt.wasm.reader import encode_name, encode_uleb


def encode_custom_section(name: str, payload: bytes) -> bytes:
    """A complete custom section: id 0, size, name, payload."""
    body = encode_name(name) + payload
    return bytes([CUSTOM]) + encode_uleb(len(body)) + body


def without_custom_section(data: bytes, name: str) -> bytes:
    """`data` with every custom section called `name` removed."""
    kept = bytearray(data[:8])
    for section in iter_sections(data):
        if section.id == CUSTOM and section.name == name:
            continue
        kept += data[section.offset : section.end]
    return bytes(kept)


def set_custom_section(data: bytes, name: str, payload: bytes) -> bytes:
    """`data` with its `name` custom sections replaced by one at the end holding `payload`.

    Deterministic, and the result does not depend on whether `data` had the
    section already: set(set(m, n, a), n, b) == set(m, n, b).
    """
    return without_custom_section(data, name) + encode_custom_section(name, payload)
