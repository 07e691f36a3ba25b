"""The contract between the pipeline and the build drivers (one per project kind)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from wasmpack_mt.builders.config import Profile, ProjectConfig


@dataclass(frozen=True)
class BuildRequest:
    """What to build: a validated project, a profile and a private work directory."""

    config: ProjectConfig
    profile: Profile
    work_dir: Path
    bin: str | None = None
    """`--bin` from the command line; overrides the project file (cargo only)."""
    before_work: Callable[[], None] | None = None
    """Called by the driver just before it runs a compiler, linker or build tool, maybe more
    than once (the C/C++ driver skips it when everything is up to date; the others call it
    on every build). The pipeline passes it only when no check verdict is kept."""

    def starting_work(self) -> None:
        """Tell the pipeline that a compiler, linker or build tool is about to run."""
        if self.before_work is not None:
            self.before_work()


@dataclass(frozen=True)
class BuildResult:
    """A linked module and the facts the manifest records about it."""

    module: Path
    languages: tuple[str, ...]
    toolchain_name: str
    toolchain_version: str
    flags: tuple[str, ...]
    """The effective compile and link flags (paths inside the project made relative)."""
    inputs: tuple[Path, ...]
    """The files whose contents make up the source digest."""
    features: tuple[str, ...] = ()
    """Wasm features the build enabled beyond the threads baseline (`simd`)."""


class Driver(Protocol):
    """Turns one kind of project into a linked wasm32-wasip1-threads module."""

    def build(self, request: BuildRequest) -> BuildResult:
        """Build `request` and return the linked module (inside `request.work_dir`)."""
        ...
