"""The core count a guest sees: `WASMPACK_CPUS` and `RAYON_NUM_THREADS` in its environment.

WASI has no call for it, so wasmpack's POSIX compatibility layer answers
`sysconf(_SC_NPROCESSORS_ONLN)` (and `get_nprocs`, C++'s
`hardware_concurrency`) from `WASMPACK_CPUS`, and Rust's rayon sizes its pool
from `RAYON_NUM_THREADS`; every host sets them (the Node runner in
tests/portability/ and browser runners too).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

CPUS_VARIABLE = "WASMPACK_CPUS"
RAYON_VARIABLE = "RAYON_NUM_THREADS"


def host_cpus() -> int:
    """The cores this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def with_cpus(env: Mapping[str, str], max_threads: int) -> dict[str, str]:
    """`env` with WASMPACK_CPUS and RAYON_NUM_THREADS set to the cores bounded by
    `max_threads`, each unless already set."""
    cores = str(max(1, min(host_cpus(), max_threads)))
    return {**env, **{name: cores for name in (CPUS_VARIABLE, RAYON_VARIABLE) if name not in env}}
