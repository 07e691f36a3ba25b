"""SIMD is found from v128 locals as well as SIMD opcodes (modules without target_features)."""

from __future__ import annotations

import wasmtime

from wasmpack_mt.wasm.code_scan import scan_features
from wasmpack_mt.wasm.module import parse_module


def scan(body: str) -> tuple[str, ...] | None:
    data = bytes(wasmtime.wat2wasm(f"(module (memory 1 2 shared) {body})"))
    return scan_features(data, parse_module(data).sections)


def test_a_v128_local_means_simd_even_without_a_simd_opcode() -> None:
    assert scan("(func (local v128) (local i32))") == ("simd128",)
    assert scan("(func (local i32 i64 f32 f64))") == ()
