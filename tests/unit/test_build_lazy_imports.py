"""A build loads only what it uses: the driver of its kind, and the check only for a fresh check.

Each case runs in a fresh interpreter and reads `sys.modules`; nothing is timed.
"""

from __future__ import annotations

import importlib
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


@pytest.mark.parametrize(
    ("package", "name", "home"),
    [
        ("wasmpack_mt.wasm", "check_module", "wasmpack_mt.wasm.check"),
        ("wasmpack_mt.bundle", "bundle_module", "wasmpack_mt.bundle.checked"),
    ],
)
def test_a_stage_package_loads_a_name_s_module_on_first_use(
    package: str, name: str, home: str
) -> None:
    stage = importlib.import_module(package)

    assert home not in loaded_after(f"import {package}")
    assert getattr(stage, name) is getattr(importlib.import_module(home), name)
    assert not [exported for exported in stage.__all__ if not hasattr(stage, exported)]
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = stage.nothing
