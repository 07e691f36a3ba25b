"""Stage 5: run wasi-threads modules on wasmtime with one OS thread per spawned instance.

Public API: `Program.load(path_or_bytes)`, `Program.run(...) -> RunResult`,
`Program.reactor() -> Reactor` (call exports from many threads), `Limits`,
`Preopen`, `GuestTrap`; `run_resource(package, name, argv)` for modules shipped in
Python packages. See `wasmpack_mt.host.program`
and `wasmpack_mt.host.reactor` for thread safety.
"""

from wasmpack_mt.host.program import Limits, Program, RunResult
from wasmpack_mt.host.reactor import GuestTrap, Reactor
from wasmpack_mt.host.resource import load_resource, run_resource
from wasmpack_mt.host.wasi.context import Preopen

__all__ = [
    "GuestTrap",
    "Limits",
    "Preopen",
    "Program",
    "Reactor",
    "RunResult",
    "load_resource",
    "run_resource",
]
