"""The driver of every project kind (the drivers import the contract in `driver`, not this)."""

from __future__ import annotations

from wasmpack_mt.builders.cargo import CargoDriver
from wasmpack_mt.builders.clang import ClangDriver
from wasmpack_mt.builders.cmake import CMakeDriver
from wasmpack_mt.builders.command import CommandDriver
from wasmpack_mt.builders.config import Kind
from wasmpack_mt.builders.driver import Driver


def drivers() -> dict[Kind, Driver]:
    """The driver of every project kind."""
    return {
        "c": ClangDriver(),
        "cxx": ClangDriver(),
        "cmake": CMakeDriver(),
        "command": CommandDriver(),
        "cargo": CargoDriver(),
    }
