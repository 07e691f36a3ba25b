"""A build loads only what it uses: the driver of its kind, and the check only for a fresh check.

Each case runs in a fresh interpreter and reads `sys.modules`; nothing is timed.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from wasmpack_mt.builders.cargo import CargoDriver
from wasmpack_mt.builders.clang import ClangDriver
from wasmpack_mt.builders.cmake import CMakeDriver
from wasmpack_mt.builders.command import CommandDriver
from wasmpack_mt.builders.config import Kind
from wasmpack_mt.builders.registry import driver_for


def loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize(
    ("kind", "driver"),
    [
        ("c", ClangDriver),
        ("cxx", ClangDriver),
        ("cmake", CMakeDriver),
        ("command", CommandDriver),
        ("cargo", CargoDriver),
    ],
)
def test_each_kind_gets_its_driver(kind: Kind, driver: type) -> None:
    assert isinstance(driver_for(kind), driver)


def test_a_c_build_loads_no_other_driver() -> None:
    loaded = loaded_after("from wasmpack_mt.builders.registry import driver_for\ndriver_for('c')")
    assert "wasmpack_mt.builders.clang" in loaded
    others = {"cargo", "cmake", "command"}
    assert not {f"wasmpack_mt.builders.{name}" for name in others} & loaded


def test_the_pipeline_loads_neither_the_check_nor_wasmtime_nor_yaml() -> None:
    loaded = loaded_after("import wasmpack_mt.pipeline")
    assert not {"wasmpack_mt.wasm.check", "wasmtime", "yaml"} & loaded


def test_the_wasm_package_loads_a_name_s_module_on_first_use() -> None:
    from wasmpack_mt import wasm
    from wasmpack_mt.wasm.check import check_module

    assert "wasmpack_mt.wasm.check" not in loaded_after("import wasmpack_mt.wasm")
    assert wasm.check_module is check_module
    for name in wasm.__all__:
        assert getattr(wasm, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = wasm.nothing
