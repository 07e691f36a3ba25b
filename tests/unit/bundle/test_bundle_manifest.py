"""The manifest: JSON round trip, embedding, reading back, one-line errors."""

from __future__ import annotations

import dataclasses
import json

import pytest
import wasmtime

from wasmpack_mt.bundle import SECTION_NAME, Manifest, embed_manifest, read_manifest
from wasmpack_mt.errors import WasmFormatError
from wasmpack_mt.wasm.module import parse_module
from wasmpack_mt.wasm.writer import set_custom_section


def test_json_round_trip_and_stable_key_order(manifest: Manifest) -> None:
    text = manifest.to_json()
    assert Manifest.from_json(text) == manifest
    assert list(json.loads(text)) == [
        "schema", "name", "version", "entry", "memory", "threads", "languages", "toolchain",
        "source_digest", "build_flags",
    ]  # fmt: skip
    assert json.loads(text)["memory"] == {"min_pages": 2, "max_pages": 1024}
    assert text == manifest.to_json()


def test_embedding_keeps_the_module_intact_and_loadable(
    module_bytes: bytes, manifest: Manifest
) -> None:
    embedded = embed_manifest(module_bytes, manifest)
    assert embedded.startswith(module_bytes)
    config = wasmtime.Config()
    config.wasm_threads = True
    config.shared_memory = True
    module = wasmtime.Module(wasmtime.Engine(config), embedded)
    assert [imp.name for imp in module.imports] == ["memory", "thread-spawn"]
    assert read_manifest(embedded) == manifest


def test_embedding_is_deterministic_and_replaces(module_bytes: bytes, manifest: Manifest) -> None:
    first = embed_manifest(module_bytes, manifest)
    assert first == embed_manifest(module_bytes, manifest)
    other = dataclasses.replace(manifest, version="0.2.0", max_threads=2)
    replaced = embed_manifest(first, other)
    assert replaced == embed_manifest(module_bytes, other)
    assert parse_module(replaced).custom_section(SECTION_NAME) == [other.to_json().encode()]
    assert read_manifest(replaced) == other


def test_plain_module_has_no_manifest(module_bytes: bytes) -> None:
    assert read_manifest(module_bytes) is None


def _with_payload(module_bytes: bytes, payload: bytes) -> bytes:
    return set_custom_section(module_bytes, SECTION_NAME, payload)


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda doc: "{not json", "not valid JSON"),
        (lambda doc: "[1, 2]", "not a JSON object"),
        (lambda doc: {**doc, "schema": 99}, "has schema 99, this wasmpack reads schema 1"),
        (lambda doc: {k: v for k, v in doc.items() if k != "name"}, "key 'name' is missing"),
        (lambda doc: {**doc, "memory": {"min_pages": 2}}, "key 'memory.max_pages' is missing"),
        (lambda doc: {**doc, "threads": {"max": "8"}}, "key 'threads.max' must be a whole number"),
        (lambda doc: {**doc, "threads": {"max": True}}, "key 'threads.max' must be a whole number"),
        (lambda doc: {**doc, "entry": "library"}, "key 'entry' is 'library'"),
        (lambda doc: {**doc, "languages": "c"}, "key 'languages' must be a list of strings"),
        (lambda doc: {**doc, "toolchain": "clang"}, "key 'toolchain.name' is missing"),
    ],
)
def test_invalid_manifest_gives_one_line(
    module_bytes: bytes, manifest: Manifest, mutate: object, fragment: str
) -> None:
    changed = mutate(manifest.to_dict())  # type: ignore[operator]
    text = changed if isinstance(changed, str) else json.dumps(changed)
    with pytest.raises(WasmFormatError) as caught:
        read_manifest(_with_payload(module_bytes, text.encode()))
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unknown_extra_keys_are_ignored(module_bytes: bytes, manifest: Manifest) -> None:
    document = {**manifest.to_dict(), "future_key": 1}
    data = _with_payload(module_bytes, json.dumps(document).encode())
    assert read_manifest(data) == manifest


def test_non_utf8_manifest_and_two_manifests(module_bytes: bytes, manifest: Manifest) -> None:
    with pytest.raises(WasmFormatError, match="not UTF-8"):
        read_manifest(_with_payload(module_bytes, b"\xff"))
    section = embed_manifest(module_bytes, manifest)[len(module_bytes) :]
    with pytest.raises(WasmFormatError, match="has 2 of them"):
        read_manifest(module_bytes + section + section)


def test_malformed_module_is_a_format_error() -> None:
    with pytest.raises(WasmFormatError, match="no \\\\0asm magic"):
        read_manifest(b"PK\x03\x04 not a module")


def test_lists_become_tuples_and_entry_is_checked(manifest: Manifest) -> None:
    listed = dataclasses.replace(manifest, languages=["c"], build_flags=["-O2"])  # type: ignore[arg-type]
    assert listed.languages == ("c",)
    assert Manifest.from_json(listed.to_json()) == listed
    with pytest.raises(ValueError, match="entry must be one of"):
        dataclasses.replace(manifest, entry="none")  # type: ignore[arg-type]
