"""Adding and replacing custom sections keeps every other byte and the module loadable."""

from __future__ import annotations

import wasmtime

from wasmpack_mt.wasm.module import parse_module
from wasmpack_mt.wasm.writer import (
    encode_custom_section,
    set_custom_section,
    without_custom_section,
)


def threads_engine() -> wasmtime.Engine:
    config = wasmtime.Config()
    config.wasm_threads = True
    config.shared_memory = True
    return wasmtime.Engine(config)


def test_appending_keeps_the_original_bytes(good_wasm: bytes) -> None:
    data = set_custom_section(good_wasm, "x.note", b"hello")
    assert data == good_wasm + encode_custom_section("x.note", b"hello")
    assert parse_module(data).custom_section("x.note") == [b"hello"]
    wasmtime.Module(threads_engine(), data)


def test_replacing_gives_the_same_bytes_as_setting_once(good_wasm: bytes) -> None:
    once = set_custom_section(good_wasm, "x.note", b"second")
    twice = set_custom_section(
        set_custom_section(good_wasm, "x.note", b"first"), "x.note", b"second"
    )
    assert once == twice
    assert parse_module(twice).custom_section("x.note") == [b"second"]


def test_other_custom_sections_stay_in_place(good_wasm: bytes) -> None:
    data = set_custom_section(good_wasm, "keep", b"1")
    data = set_custom_section(data, "x.note", b"a")
    data = set_custom_section(data, "after", b"2")
    replaced = set_custom_section(data, "x.note", b"b")
    names = [sec.name for sec in parse_module(replaced).sections if sec.kind == "custom"]
    assert names == ["keep", "after", "x.note"]
    assert without_custom_section(replaced, "x.note") == set_custom_section(
        set_custom_section(good_wasm, "keep", b"1"), "after", b"2"
    )


def test_duplicate_sections_collapse_into_one(good_wasm: bytes) -> None:
    duplicated = (
        good_wasm + encode_custom_section("x.note", b"a") + encode_custom_section("x.note", b"b")
    )
    result = set_custom_section(duplicated, "x.note", b"c")
    assert parse_module(result).custom_section("x.note") == [b"c"]


def test_large_payload_uses_a_multi_byte_size(good_wasm: bytes) -> None:
    payload = bytes(range(256)) * 100
    data = set_custom_section(good_wasm, "big", payload)
    assert parse_module(data).custom_section("big") == [payload]
    wasmtime.Module(threads_engine(), data)
