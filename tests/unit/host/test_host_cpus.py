"""WASMPACK_CPUS: the core count every run passes its guest, bounded by the thread limit."""

from __future__ import annotations

import os

from wasmpack_mt.host.cpus import CPUS_VARIABLE, RAYON_VARIABLE, host_cpus, with_cpus


def test_the_guest_gets_the_cores_bounded_by_max_threads() -> None:
    cores = host_cpus()
    assert cores == len(os.sched_getaffinity(0))
    assert with_cpus({"A": "1"}, 1024) == {
        "A": "1",
        CPUS_VARIABLE: str(cores),
        RAYON_VARIABLE: str(cores),
    }
    assert with_cpus({}, 1)[CPUS_VARIABLE] == "1"
    assert with_cpus({}, 0)[CPUS_VARIABLE] == "1"  # no spawned threads: still one core


def test_a_value_the_user_set_is_kept() -> None:
    assert with_cpus({CPUS_VARIABLE: "12", RAYON_VARIABLE: "5"}, 2) == {
        CPUS_VARIABLE: "12",
        RAYON_VARIABLE: "5",
    }
    assert with_cpus({RAYON_VARIABLE: "5"}, 1)[CPUS_VARIABLE] == "1"
