"""A wasmpack project that needs no compiler to load (the wheel's checks come before the build)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def c_project(tmp_path: Path) -> Callable[..., Path]:
    """A `kind = "c"` project called `name` at `version`, with extra files."""

    def make(name: str = "fib", version: str = "0.1.0", **files: str) -> Path:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        (root / "wasmpack.toml").write_text(
            f'name = "{name}"\nversion = "{version}"\nkind = "c"\nsources = ["main.c"]\n',
            encoding="utf-8",
        )
        (root / "main.c").write_text("int main(void) { return 0; }\n", encoding="utf-8")
        for relative, text in files.items():
            (root / relative).write_text(text, encoding="utf-8")
        return root

    return make
