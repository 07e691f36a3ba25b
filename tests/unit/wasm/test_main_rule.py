"""Rule `main-not-linked`: the weak-undefined `main` stub wasm-ld leaves in a command."""

from __future__ import annotations

from collections.abc import Callable

from wasmpack_mt.wasm.check import check_module

WatBuilder = Callable[..., bytes]


def test_a_command_whose_main_is_a_weak_stub_is_an_error(wat: WatBuilder) -> None:
    start = (
        "(func $undefined_weak:main (result i32) unreachable)"
        '(func (export "_start") (drop (call $undefined_weak:main)))'
    )
    report = check_module(wat(start=start))
    (finding,) = [f for f in report.findings if f.rule_id == "main-not-linked"]
    assert finding.severity == "error"
    assert "`main` was never linked" in finding.message and "gtest_main" in finding.message


def test_the_argc_argv_stub_counts_too(wat: WatBuilder) -> None:
    start = (
        "(func $undefined_weak:__main_argc_argv (param i32 i32) (result i32) unreachable)"
        '(func (export "_start") (drop (call $undefined_weak:__main_argc_argv (i32.const 0)'
        " (i32.const 0))))"
    )
    assert "main-not-linked" in [f.rule_id for f in check_module(wat(start=start)).findings]


def test_a_linked_main_or_a_reactor_is_fine(wat: WatBuilder) -> None:
    linked = '(func $main (result i32) i32.const 0) (func (export "_start") (drop (call $main)))'
    assert "main-not-linked" not in [f.rule_id for f in check_module(wat(start=linked)).findings]
    reactor = (
        "(func $undefined_weak:main (result i32) unreachable)"
        '(func (export "compute") (drop (call $undefined_weak:main)))'
    )
    findings = check_module(wat(start=reactor)).findings
    assert "main-not-linked" not in [f.rule_id for f in findings]
