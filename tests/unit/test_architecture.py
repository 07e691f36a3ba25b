"""Data flows one way through the stages: each imports only itself and earlier ones."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "wasmpack_mt"
STAGES = ("toolchains", "builders", "wasm", "bundle", "host", "batch")
COMMON = ("atomic", "errors", "log", "paths", "process")


def imported_packages(path: Path) -> set[str]:
    """The `wasmpack_mt.<name>` packages and modules that `path` imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        names.update(m.split(".")[1] for m in modules if m.startswith("wasmpack_mt."))
    return names


@pytest.mark.parametrize("stage", STAGES)
def test_stage_imports_only_earlier_stages(stage: str) -> None:
    allowed = {*STAGES[: STAGES.index(stage) + 1], *COMMON}
    for path in sorted((PACKAGE / stage).rglob("*.py")):
        wrong = imported_packages(path) - allowed
        assert not wrong, f"{path.relative_to(PACKAGE)} imports later stage(s) {sorted(wrong)}"


@pytest.mark.parametrize("module", COMMON)
def test_common_modules_import_no_stage(module: str) -> None:
    assert imported_packages(PACKAGE / f"{module}.py") <= set(COMMON)


def test_batch_runs_artifacts_without_the_build_stages() -> None:
    for path in sorted((PACKAGE / "batch").rglob("*.py")):
        wrong = imported_packages(path) & {"toolchains", "builders"}
        assert not wrong, f"{path.relative_to(PACKAGE)} imports build stage(s) {sorted(wrong)}"
