"""Package-level names imported on first use (PEP 562), so that importing one
submodule of a stage does not import the whole stage.

`wasmpack run` imports `wasm.module` and `bundle.manifest`; with eager
re-exports in their packages' `__init__` it would also import the checker and
the artifact writer, a cost every run paid at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: name -> its submodule in `homes`, imported on use."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{home}"), name)

    return __getattr__
