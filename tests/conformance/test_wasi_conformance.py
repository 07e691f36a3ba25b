"""WASI preview1 / wasi-threads conformance through `wasmpack run`, one test per case.

By default the cases are the project's own modules (`wasi/*.wat`, one rule
each). Point it at the official wasi-testsuite instead (see docs/conformance.md):

    python -m pytest tests/conformance --suite DIR [--suite DIR ...]
"""

from __future__ import annotations

from pathlib import Path

from wasi_spec import build_case, run_case


def test_case(case_source: Path, tmp_path: Path, module_cache: Path) -> None:
    wasm = build_case(case_source, tmp_path) if case_source.suffix == ".wat" else case_source
    failure = run_case(wasm, module_cache)
    assert failure is None, failure
