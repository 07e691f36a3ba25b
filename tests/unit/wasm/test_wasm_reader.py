"""The binary reader: structure of good modules, one-line errors for malformed ones."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from wasmpack_mt.errors import WasmFormatError
from wasmpack_mt.wasm.module import FuncType, Limits, parse_module
from wasmpack_mt.wasm.reader import ByteReader, encode_name, encode_uleb
from wasmpack_mt.wasm.writer import encode_custom_section, set_custom_section

HEADER = b"\0asm\x01\0\0\0"


def section(section_id: int, body: bytes) -> bytes:
    return bytes([section_id]) + encode_uleb(len(body)) + body


def assert_format_error(data: bytes, *fragments: str) -> str:
    with pytest.raises(WasmFormatError) as caught:
        parse_module(data)
    message = str(caught.value)
    assert "\n" not in message
    assert "at offset 0x" in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_good_module_structure(good_wasm: bytes) -> None:
    module = parse_module(good_wasm)
    assert [(imp.module, imp.name, imp.kind) for imp in module.imports] == [
        ("env", "memory", "memory"),
        ("wasi", "thread-spawn", "func"),
        ("wasi_snapshot_preview1", "fd_write", "func"),
    ]
    assert module.imports[0].type == Limits(2, 1024, shared=True)
    assert module.imports[1].type == FuncType(("i32",), ("i32",))
    start = module.export("wasi_thread_start")
    assert start is not None
    assert module.func_type(start.index) == FuncType(("i32", "i32"), ())
    memory = module.export("memory")
    assert memory is not None
    assert module.export_type(memory) == Limits(2, 1024, shared=True)
    assert [sec.kind for sec in module.sections] == ["type", "import", "function", "export", "code"]
    offsets = [sec.offset for sec in module.sections]
    assert offsets[0] == 8
    assert all(
        a.end == b.offset for a, b in zip(module.sections, module.sections[1:], strict=False)
    )
    assert module.sections[-1].end == len(good_wasm)


def test_defined_memory_and_memory64(wat: Callable[..., bytes]) -> None:
    module = parse_module(wat(memory_import="", memory_def="(memory 3 7)"))
    assert module.memories == [Limits(3, 7)]
    module = parse_module(wat(memory_import='(import "env" "memory" (memory i64 2 9 shared))'))
    assert module.imports[0].type == Limits(2, 9, shared=True, is64=True)


def test_custom_sections_target_features_and_producers(good_wasm: bytes) -> None:
    features = encode_uleb(2) + b"+" + encode_name("atomics") + b"-" + encode_name("simd128")
    producers = encode_uleb(1) + encode_name("processed-by") + encode_uleb(1)
    producers += encode_name("clang") + encode_name("19.1.7")
    data = set_custom_section(good_wasm, "target_features", features)
    data = set_custom_section(data, "producers", producers)
    module = parse_module(data)
    assert module.target_features == {"atomics": "+", "simd128": "-"}
    assert module.producers == {"processed-by": [("clang", "19.1.7")]}
    assert module.custom_section("target_features") == [features]
    assert [sec.name for sec in module.sections if sec.kind == "custom"] == [
        "target_features",
        "producers",
    ]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty input"),
        (b"\0as", "only 3 bytes"),
        (b"\x7fELF\x02\x01\x01\0", "no \\0asm magic"),
        (b"\0asm\x02\0\0\0", "unsupported binary version 2"),
        (b"\0asm\x0d\0\x01\0", "a WebAssembly component, not a core module"),
    ],
)
def test_bad_header(data: bytes, fragment: str) -> None:
    assert_format_error(data, fragment)


def test_truncated_in_the_middle_of_a_section(good_wasm: bytes) -> None:
    assert_format_error(good_wasm[:40], "runs past the end")


def test_section_size_past_end_of_file() -> None:
    data = HEADER + b"\x01\x7f\x00"
    message = assert_format_error(data, "type section of 127 bytes runs past the end")
    assert "offset 0xa" in message


def test_leb_overflow_in_section_size() -> None:
    assert_format_error(HEADER + b"\x01\xff\xff\xff\xff\xff\x01", "longer than 5 bytes", "0x9")


def test_leb_value_too_large_for_u32() -> None:
    assert_format_error(HEADER + b"\x01\xff\xff\xff\xff\x7f", "does not fit in u32")


def test_count_larger_than_section() -> None:
    assert_format_error(HEADER + section(2, b"\xff\x01"), "import count 255 exceeds")


def test_unknown_section_id_and_trailing_bytes() -> None:
    assert_format_error(HEADER + b"\x20\x00", "unknown section id 32")
    assert_format_error(HEADER + section(3, b"\x00\x00"), "function section has 1 extra bytes")


def test_invalid_utf8_name() -> None:
    assert_format_error(HEADER + section(0, b"\x02\xff\xfe"), "not valid UTF-8")


def test_unknown_import_type_index() -> None:
    body = encode_uleb(1) + encode_name("env") + encode_name("f") + b"\x00\x05"
    assert_format_error(HEADER + section(2, body), "unknown type 5")


def test_every_truncation_and_corruption_gives_only_format_errors(good_wasm: bytes) -> None:
    data = set_custom_section(good_wasm, "target_features", encode_uleb(1) + b"+\x07atomics")
    for length in range(len(data)):
        try:
            parse_module(data[:length])
        except WasmFormatError as exc:
            assert "\n" not in str(exc)
    rng = random.Random(5)
    for _ in range(2000):
        corrupt = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            corrupt[rng.randrange(8, len(corrupt))] = rng.randrange(256)
        try:
            parse_module(bytes(corrupt))
        except WasmFormatError as exc:
            assert "\n" not in str(exc)


@pytest.mark.parametrize("value", [0, 1, 127, 128, 300, 2**32 - 1, 2**40])
def test_uleb_round_trip(value: int) -> None:
    encoded = encode_uleb(value)
    assert ByteReader(encoded).uleb(64) == value


@pytest.mark.parametrize(("raw", "value"), [(b"\x7f", -1), (b"\x40", -64), (b"\x3f", 63)])
def test_sleb(raw: bytes, value: int) -> None:
    assert ByteReader(raw).sleb(33) == value


def test_custom_section_encoding_is_parsed_back() -> None:
    data = HEADER + encode_custom_section("a.b", b"\x00\x01payload")
    assert parse_module(data).custom == [("a.b", b"\x00\x01payload")]


def test_malformed_known_custom_sections_are_ignored(good_wasm: bytes) -> None:
    data = set_custom_section(good_wasm, "target_features", b"\x05+")
    data = set_custom_section(data, "producers", b"\x01\x09lang")
    module = parse_module(data)
    assert module.target_features is None
    assert module.producers == {}
    assert len(module.custom) == 2
