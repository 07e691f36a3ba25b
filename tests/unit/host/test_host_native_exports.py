"""`native.export_func` and kept signatures: what `thread-spawn` and reactor calls skip per call."""

from __future__ import annotations

import pytest
import wasmtime

from wasmpack_mt.host import native

MODULE = """
(module
  (memory (export "memory") 1)
  (func (export "answer") (result i32) (i32.const 42)))
"""


def instance() -> tuple[wasmtime.Store, wasmtime.Instance]:
    store = wasmtime.Store()
    module = wasmtime.Module(store.engine, wasmtime.wat2wasm(MODULE))
    return store, wasmtime.Instance(store, module, [])


def test_an_exported_function_is_found_and_callable() -> None:
    store, inst = instance()
    func = native.export_func(store, inst, "answer")
    assert native.call_func(store, func, []) == [42]


@pytest.mark.parametrize("name", ["memory", "missing", ""])
def test_a_name_that_is_no_exported_function_is_a_lookup_error(name: str) -> None:
    store, inst = instance()
    with pytest.raises(LookupError, match="exports no function"):
        native.export_func(store, inst, name)


def test_a_kept_signature_calls_like_the_engine_s_own() -> None:
    store, inst = instance()
    func = native.export_func(store, inst, "answer")
    signature = native.func_signature(store, func)
    assert signature == ((), ("i32",))
    assert native.call_func(store, func, [], signature) == [42]
    with pytest.raises(TypeError, match="expected 0 arguments"):
        native.call_func(store, func, [1], signature)
