"""Every rule of `check_module`, on WAT modules that break exactly one thing."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from wasmpack_mt.errors import CheckFailed
from wasmpack_mt.wasm.check import RULES, CheckReport, check_module, raise_on_errors
from wasmpack_mt.wasm.reader import encode_name, encode_uleb
from wasmpack_mt.wasm.writer import set_custom_section

Wat = Callable[..., bytes]
HEADER = b"\0asm\x01\0\0\0"


def ids(report: CheckReport, severity: str | None = None) -> list[str]:
    return [f.rule_id for f in report.findings if severity in (None, f.severity)]


def message_of(report: CheckReport, rule_id: str) -> str:
    messages = [f.message for f in report.findings if f.rule_id == rule_id]
    assert messages, f"{rule_id} not in {ids(report)}"
    return " | ".join(messages)


def test_good_threaded_module_has_no_findings(good_wasm: bytes) -> None:
    report = check_module(good_wasm)
    assert report.findings == ()
    summary = report.summary
    assert summary.threaded
    assert summary.entry == "command"
    assert summary.memory is not None
    assert (summary.memory.min_pages, summary.memory.max_pages) == (2, 1024)
    assert summary.memory.imported_as == "env.memory"
    assert summary.memory.shared
    assert summary.memory.exported
    assert summary.features.source == "code"
    assert summary.features.enabled == ()


def test_memory_defined_instead_of_imported(wat: Wat) -> None:
    report = check_module(wat(memory_import="", memory_def="(memory 2 1024 shared)"))
    assert ids(report, "error") == ["memory-not-imported"]
    assert "-Wl,--import-memory" in message_of(report, "memory-not-imported")


def test_no_memory_at_all(wat: Wat) -> None:
    report = check_module(wat(memory_import="", memory_export=""))
    assert "memory-not-imported" in ids(report)
    assert "thread-spawn-without-shared-memory" in ids(report)


def test_memory_imported_but_not_shared(wat: Wat) -> None:
    report = check_module(wat(memory_import='(import "env" "memory" (memory 2 1024))'))
    assert ids(report, "error") == ["memory-not-shared"]  # one cause, one error
    assert "-pthread" in message_of(report, "memory-not-shared")
    assert not report.summary.threaded


def test_memory_imported_under_another_name(wat: Wat) -> None:
    report = check_module(wat(memory_import='(import "env" "mem" (memory 2 1024 shared))'))
    assert "imported as env.mem" in message_of(report, "memory-not-imported")


def test_shared_memory_that_cannot_grow(wat: Wat) -> None:
    report = check_module(wat(memory_import='(import "env" "memory" (memory 17 17 shared))'))
    assert ids(report) == ["memory-cannot-grow"]
    assert report.findings[0].severity == "warning"
    assert "--max-memory" in report.findings[0].message
    assert not report.errors


def test_shared_memory_above_2_gib_warns(wat: Wat) -> None:
    report = check_module(wat(memory_import='(import "env" "memory" (memory 2 40000 shared))'))
    assert ids(report) == ["memory-large"]


def test_shared_memory_above_4_gib_is_an_error(wat: Wat) -> None:
    report = check_module(wat(memory_import='(import "env" "memory" (memory 2 70000 shared))'))
    assert "memory-too-large" in ids(report, "error")
    assert "4 GiB" in message_of(report, "memory-too-large")


def test_shared_memory_without_maximum() -> None:
    # wat2wasm refuses to write this, so the module is assembled by hand.
    imports = encode_uleb(1) + encode_name("env") + encode_name("memory") + b"\x02\x02\x01"
    data = HEADER + b"\x02" + encode_uleb(len(imports)) + imports
    report = check_module(data, validate=False)
    assert "memory-no-maximum" in ids(report, "error")


def test_memory64_is_an_error(wat: Wat) -> None:
    report = check_module(wat(memory_import='(import "env" "memory" (memory i64 2 9 shared))'))
    assert "memory-64-bit" in ids(report, "error")


def test_memory_not_exported(wat: Wat) -> None:
    report = check_module(wat(memory_export=""))
    assert ids(report) == ["memory-not-exported"]
    assert "--export-memory" in report.findings[0].message


def test_thread_spawn_with_wrong_signature(wat: Wat) -> None:
    report = check_module(wat(spawn='(import "wasi" "thread-spawn" (func (param i32 i32)))'))
    assert ids(report) == ["thread-spawn-signature"]
    assert "(i32, i32) -> ()" in report.findings[0].message


def test_thread_start_missing(wat: Wat) -> None:
    report = check_module(wat(thread_start=""))
    assert ids(report) == ["thread-start-missing"]


def test_thread_start_with_wrong_signature(wat: Wat) -> None:
    report = check_module(wat(thread_start='(func (export "wasi_thread_start") (param i32))'))
    assert ids(report) == ["thread-start-signature"]
    assert "(i32) -> ()" in report.findings[0].message


def test_undefined_symbols_are_named_with_hints(wat: Wat) -> None:
    undefined = " ".join(
        f'(import "env" "{name}" (func))'
        for name in ("__cxa_throw", "__cxa_begin_catch", "pthread_create", "sinf", "my_helper")
    )
    report = check_module(wat(imports=undefined))
    assert ids(report) == ["undefined-symbol"] * 4
    messages = [f.message for f in report.findings]
    assert "__cxa_throw, __cxa_begin_catch" in messages[0]
    assert "-fno-exceptions" in messages[0]
    assert "pthread_create" in messages[1] and "-pthread" in messages[1]
    assert "sinf" in messages[2] and "-lm" in messages[2]
    assert "my_helper" in messages[3] and "-l<name>" in messages[3]


def test_pic_globals_from_env_are_undefined_symbols(wat: Wat) -> None:
    report = check_module(wat(imports='(import "env" "__stack_pointer" (global (mut i32)))'))
    assert "-fPIC" in message_of(report, "undefined-symbol")


def test_imports_from_unknown_modules(wat: Wat) -> None:
    extra = '(import "js" "log" (func)) (import "wasi" "thread-exit" (func))'
    report = check_module(wat(imports=extra))
    assert ids(report) == ["unknown-import", "unknown-import"]
    assert "js.log" in report.findings[0].message or "js.log" in report.findings[1].message
    assert "wasi.thread-exit" in message_of(report, "unknown-import")


def test_start_with_wrong_signature(wat: Wat) -> None:
    report = check_module(wat(start='(func (export "_start") (param i32))'))
    assert ids(report) == ["start-signature"]


# What wasm-ld exports for `-Wl,--export=__stack_pointer,...` (a reactor built by wasmpack).
REACTOR_THREAD_ABI = """
  (func (export "_initialize"))
  (global (export "__stack_pointer") (mut i32) (i32.const 65536))
  (global (export "__tls_size") i32 (i32.const 16))
  (global (export "__tls_align") i32 (i32.const 4))
  (func (export "__wasm_init_tls") (param i32))
"""


def test_reactor_and_no_entry_point(wat: Wat) -> None:
    reactor = check_module(wat(start=REACTOR_THREAD_ABI))
    assert reactor.summary.entry == "reactor"
    assert reactor.findings == ()
    none = check_module(wat(start="", allocator=""))
    assert none.summary.entry == "none"
    assert "no-entry-point" in ids(none, "warning")


def test_shared_memory_reactor_without_the_thread_abi(wat: Wat) -> None:
    report = check_module(wat(start='(func (export "_initialize")) (func (export "fib"))'))
    assert ids(report) == ["reactor-shared-stack"]
    message = message_of(report, "reactor-shared-stack")
    assert "several threads at once" in message
    assert 'for a kind = "c"/"cxx" build set entry = "reactor"' in message
    assert "otherwise add to the link flags" in message
    assert "-Wl,--export=__stack_pointer,--export=__wasm_init_tls," in message
    partly = REACTOR_THREAD_ABI.replace('(func (export "__wasm_init_tls") (param i32))', "")
    only_init = check_module(wat(start=partly, allocator=""))
    assert "-Wl,--export=__wasm_init_tls,--export=malloc" in message_of(
        only_init, "reactor-shared-stack"
    )
    not_shared = check_module(
        wat(
            start='(func (export "fib"))',
            spawn="",
            thread_start="",
            memory_import='(import "env" "memory" (memory 2 1024))',
        )
    )
    assert "reactor-shared-stack" not in ids(not_shared)


def test_module_without_thread_spawn_is_not_threaded(wat: Wat) -> None:
    report = check_module(wat(spawn=""))
    assert ids(report) == ["no-thread-spawn"]
    assert report.findings[0].severity == "info"
    assert not report.summary.threaded


def test_malloc_not_exported_is_info(wat: Wat) -> None:
    report = check_module(wat(allocator=""))
    assert ids(report, "info") == ["malloc-not-exported"]
    assert not report.errors


def test_features_come_from_target_features(good_wasm: bytes) -> None:
    payload = encode_uleb(3)
    for prefix, name in (("+", "atomics"), ("+", "bulk-memory"), ("-", "simd128")):
        payload += prefix.encode() + encode_name(name)
    report = check_module(set_custom_section(good_wasm, "target_features", payload))
    features = report.summary.features
    assert features.source == "target_features"
    assert features.enabled == ("atomics", "bulk-memory")
    assert features.uses("simd128") is False


def test_wasmtime_validation_failure_is_reported(wat: Wat) -> None:
    broken = '(func (export "malloc") (param i32) (result i32)) (func (export "free") (param i32))'
    report = check_module(wat(allocator=broken))
    assert ids(report) == ["invalid-module"]
    assert "\n" not in report.findings[0].message


def test_errors_come_first_and_every_rule_is_documented(wat: Wat) -> None:
    report = check_module(wat(memory_export="", allocator="", thread_start=""))
    severities = [f.severity for f in report.findings]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert all(f.rule_id in RULES for f in report.findings)
    assert all(f.severity == RULES[f.rule_id][0] for f in report.findings)


@pytest.mark.parametrize("validate", [True, False])
def test_json_form_is_stable(good_wasm: bytes, validate: bool) -> None:
    document = json.loads(json.dumps(check_module(good_wasm, validate=validate).to_dict()))
    assert list(document) == ["schema", "ok", "errors", "warnings", "findings", "summary"]
    assert document["ok"] is True
    assert list(document["summary"]) == ["features", "memory", "entry", "threaded", "exceptions"]
    assert document["summary"]["memory"]["max_pages"] == 1024
    assert document["summary"]["features"] == {
        "source": "code",
        "enabled": [],
        "atomics": False,
        "bulk_memory": False,
        "simd": False,
    }


def test_raise_on_errors_for_the_build(wat: Wat, good_wasm: bytes) -> None:
    raise_on_errors(check_module(wat(allocator="")), "dist/x.wasm")
    with pytest.raises(CheckFailed) as caught:
        raise_on_errors(check_module(wat(thread_start="", memory_export="")), "dist/x.wasm")
    assert str(caught.value).startswith("dist/x.wasm: wasmpack check found 2 errors;")
    assert caught.value.details.splitlines() == [
        f"error[{rule}]: {message_of(check_module(wat(thread_start='', memory_export='')), rule)}"
        for rule in ("memory-not-exported", "thread-start-missing")
    ]
