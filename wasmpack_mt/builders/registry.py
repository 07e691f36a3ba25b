"""The driver of every project kind (the drivers import the contract in `driver`, not this).

Each driver's module is imported only when a project of its kind is built, so a
C build never loads the CMake, Cargo or command drivers.
"""

from __future__ import annotations

from typing import assert_never

from wasmpack_mt.builders.config import Kind
from wasmpack_mt.builders.driver import Driver


def driver_for(kind: Kind) -> Driver:
    """The driver that builds projects of `kind`."""
    match kind:
        case "c" | "cxx":
            from wasmpack_mt.builders.clang import ClangDriver

            return ClangDriver()
        case "cmake":
            from wasmpack_mt.builders.cmake import CMakeDriver

            return CMakeDriver()
        case "command":
            from wasmpack_mt.builders.command import CommandDriver

            return CommandDriver()
        case "cargo":
            from wasmpack_mt.builders.cargo import CargoDriver

            return CargoDriver()
    assert_never(kind)
