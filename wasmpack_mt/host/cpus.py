"""The core count a guest sees: `WASMPACK_CPUS` in its environment.

WASI has no call for it, so wasmpack's POSIX compatibility layer answers
`sysconf(_SC_NPROCESSORS_ONLN)` (and `get_nprocs`, C++'s
`hardware_concurrency`) from this variable; every host sets it (the Node
runner in tests/portability/ and browser runners too).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

CPUS_VARIABLE = "WASMPACK_CPUS"


def host_cpus() -> int:
    """The cores this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def with_cpus(env: Mapping[str, str], max_threads: int) -> dict[str, str]:
    """`env` with WASMPACK_CPUS set to the cores bounded by `max_threads`, unless already set."""
    if CPUS_VARIABLE in env:
        return dict(env)
    return {**env, CPUS_VARIABLE: str(max(1, min(host_cpus(), max_threads)))}
