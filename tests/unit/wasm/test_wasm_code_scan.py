"""Features found in the code section when a module has no `target_features`."""

from __future__ import annotations

import random

import wasmtime

from wasmpack_mt.wasm.check import check_module
from wasmpack_mt.wasm.code_scan import scan_features
from wasmpack_mt.wasm.module import parse_module

MEMORY = "(memory 1 2 shared)"


def scan(body: str, memory: str = MEMORY) -> tuple[str, ...] | None:
    data = bytes(wasmtime.wat2wasm(f"(module {memory} {body})"))
    return scan_features(data, parse_module(data).sections)


def test_plain_code_uses_no_feature() -> None:
    body = """(func (param i32) (result i32) (local i64 f64)
      (block (loop (br_if 1 (local.get 0)) (br 0)))
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const -5)) (else (i32.const 7)))
      (drop) (f64.const 1.5) (drop) (i64.const -1) (drop) (f32.const 2) (drop)
      (br_table 0 0 (i32.const 1))
      (i32.load offset=8 (i32.const 0)))"""
    assert scan(body) == ()


def test_each_feature_is_found() -> None:
    atomics = "(func (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1))) (atomic.fence))"
    bulk = "(func (memory.fill (i32.const 0) (i32.const 0) (i32.const 4)))"
    simd = "(func (result v128) (i32x4.add (v128.const i32x4 1 2 3 4) (v128.load (i32.const 0))))"
    lane = "(func (result i32) (i32x4.extract_lane 2 (v128.const i64x2 1 2)))"
    assert scan(atomics) == ("atomics",)
    assert scan(bulk) == ("bulk-memory",)
    assert scan(simd) == ("simd128",)
    assert scan(lane) == ("simd128",)
    assert scan(" ".join([atomics, bulk, simd])) == ("atomics", "bulk-memory", "simd128")


def test_unknown_opcodes_make_the_answer_unknown() -> None:
    assert scan("(func (drop (ref.i31 (i32.const 0))))") is None  # GC proposal


def test_both_exception_encodings_are_told_apart() -> None:
    assert scan("(func (block $out (try_table (catch_all $out))))") == ("exceptions",)
    legacy = "(tag $t (param i32)) (func try nop catch $t drop end)"
    assert scan(legacy) == ("legacy-exceptions",)


def test_check_uses_the_scan_without_target_features() -> None:
    data = bytes(
        wasmtime.wat2wasm(
            '(module (import "env" "memory" (memory 1 2 shared))'
            " (func (drop (i32.atomic.load (i32.const 0)))))"
        )
    )
    features = check_module(data).summary.features
    assert features.source == "code"
    assert features.enabled == ("atomics",)


def test_corrupt_code_never_raises() -> None:
    data = bytearray(
        wasmtime.wat2wasm(
            f"(module {MEMORY} (func (param i32) (result i32)"
            " (i32.atomic.rmw.add offset=4 (local.get 0) (i32.const 1))"
            " (memory.copy (i32.const 0) (i32.const 8) (i32.const 4))))"
        )
    )
    code = next(sec for sec in parse_module(bytes(data)).sections if sec.kind == "code")
    rng = random.Random(7)
    for _ in range(500):
        corrupt = bytearray(data)
        corrupt[rng.randrange(code.payload_offset, code.end)] = rng.randrange(256)
        result = scan_features(bytes(corrupt), parse_module(bytes(corrupt)).sections)
        known = {"atomics", "bulk-memory", "simd128", "exceptions", "legacy-exceptions"}
        assert result is None or set(result) <= known
