"""What the page needs to know about a run, read from the module itself.

Memory limits come from the module's memory import, whether it spawns threads
from its `wasi.thread-spawn` import, and the worker pool size from the
manifest's thread hint; nothing about the module is hard-coded in the page.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wasmpack_mt.bundle.manifest import thread_hint
from wasmpack_mt.errors import HostError, UsageError
from wasmpack_mt.wasm import parse_module
from wasmpack_mt.wasm.module import Limits


@dataclass(frozen=True)
class GuestFile:
    """A host file preloaded into the page's in-memory file system at `guest`."""

    host: Path
    guest: str


@dataclass(frozen=True)
class PageSettings:
    """One run of one module in the page (written as `wasmpack-page.json`)."""

    module_name: str
    memory: Limits | None
    """The imported memory's limits; None when the module defines its own."""
    spawns_threads: bool
    thread_hint: int | None
    """The manifest's `threads.max`: the number of workers to preload."""
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    files: tuple[GuestFile, ...] = ()

    def to_json_object(self, file_urls: list[str]) -> dict[str, Any]:
        """The page's config; `file_urls[i]` is where the page fetches `files[i]`."""
        memory = None
        if self.memory is not None:
            memory = {"initial": self.memory.min, "shared": self.memory.shared}
            if self.memory.max is not None:
                memory["maximum"] = self.memory.max
        return {
            "module": self.module_name,
            "args": [self.module_name, *self.args],
            "env": self.env,
            "memory": memory,
            "threads": {"spawn": self.spawns_threads, "pool": self.thread_hint},
            "files": [
                {"guest": item.guest, "url": url}
                for item, url in zip(self.files, file_urls, strict=True)
            ],
        }


def page_settings(
    wasm: bytes,
    module_name: str,
    args: list[str],
    env: dict[str, str],
    files: list[GuestFile],
) -> PageSettings:
    """Settings for running `wasm` (a command module) in the page."""
    module = parse_module(wasm)
    if module.export("_start") is None:
        raise HostError(
            f"{module_name} has no _start export (a reactor?); the page runs command modules: "
            'build with entry = "command" and a main function'
        )
    memories = [imp.type for imp in module.imported("memory") if isinstance(imp.type, Limits)]
    if memories and memories[0].is64:
        raise HostError(f"{module_name} imports a 64-bit memory; the page runs wasm32 modules")
    spawns = any(imp.module == "wasi" and imp.name == "thread-spawn" for imp in module.imports)
    return PageSettings(
        module_name=module_name,
        memory=memories[0] if memories else None,
        spawns_threads=spawns,
        thread_hint=thread_hint(wasm) if spawns else None,
        args=tuple(args),
        env=dict(env),
        files=tuple(files),
    )


def parse_guest_file(spec: str) -> GuestFile:
    """`HOST::GUEST` (or `HOST`, placed at `/` + its name) for --file."""
    host_text, sep, guest = spec.partition("::")
    host = Path(host_text)
    if not host_text or (sep and not guest):
        raise UsageError(f"--file {spec!r} is not HOST::GUEST; write e.g. --file in.txt::/in.txt")
    if not host.is_file():
        raise UsageError(f"--file {host_text}: no such file; name an existing file to preload")
    guest_path = posixpath.normpath(posixpath.join("/", guest or host.name))
    if guest_path == "/":
        raise UsageError(f"--file {spec!r}: the guest path must name a file under /")
    return GuestFile(host=host, guest=guest_path)
