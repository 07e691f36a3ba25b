"""Hostile manifests: each is refused with the one-line format error, in the parser and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import support

from wasmpack_mt.bundle import SECTION_NAME, Manifest
from wasmpack_mt.errors import WasmFormatError
from wasmpack_mt.wasm.writer import set_custom_section

HUGE_INTEGER = '{"schema": 1, "threads": {"max": ' + "7" * 5000 + "}}"
DEEPLY_NESTED = "[" * 100_000 + "]" * 100_000


def _lone_surrogate(manifest: Manifest) -> str:
    document = manifest.to_dict()
    document["name"] = "\ud800"
    return json.dumps(document)  # ASCII JSON: "\ud800" is valid JSON text


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda _manifest: HUGE_INTEGER, "too many digits"),
        (lambda _manifest: DEEPLY_NESTED, "nested too deeply"),
        (_lone_surrogate, "key 'name' holds a lone surrogate"),
    ],
    ids=["integer-of-5000-digits", "nested-100000-deep", "lone-surrogate"],
)
def test_a_hostile_manifest_is_a_format_error(
    manifest: Manifest, make: object, problem: str
) -> None:
    text = make(manifest)  # type: ignore[operator]
    with pytest.raises(WasmFormatError, match=problem):
        Manifest.from_json(text)


@pytest.mark.parametrize("kind", ["huge-integer", "deep-nesting", "lone-surrogate"])
def test_inspect_refuses_and_run_ignores_a_hostile_manifest_in_one_line(
    tmp_path: Path, module_bytes: bytes, manifest: Manifest, kind: str
) -> None:
    text = {
        "huge-integer": HUGE_INTEGER,
        "deep-nesting": DEEPLY_NESTED,
        "lone-surrogate": _lone_surrogate(manifest),
    }[kind]
    path = tmp_path / "hostile.wasm"
    path.write_bytes(set_custom_section(module_bytes, SECTION_NAME, text.encode()))
    inspected = support.wasmpack("inspect", path, expect=WasmFormatError.exit_code, timeout=60)
    assert inspected.stderr.startswith("error:")
    ran = support.wasmpack("run", path, timeout=60)  # the manifest only gives defaults
    assert ran.stderr.strip().startswith("warning: ignoring the module's manifest")
    for result in (inspected, ran):
        assert "Traceback" not in result.stderr
        assert SECTION_NAME in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
