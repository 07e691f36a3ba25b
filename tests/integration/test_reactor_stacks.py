"""A real C reactor called from several Python threads at once: own stack and TLS per thread.

The exports of tests/projects/c-reactor-stack meet the other callers inside the
module (a counter in shared memory) before they look at their stack buffer,
thread-locals or pthread_self(), so each check runs with all calls inside wasm
at once; an export returns -1 when the callers never met.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from wasmpack_mt.host import Program, Reactor
from wasmpack_mt.toolchains.model import Language, Toolchain

CALLERS = 3
JOIN_SECONDS = 120


@pytest.fixture
def program(
    toolchain_for: Callable[[Language], Toolchain],
    project_copy: Callable[[str], Path],
    wasmpack: Callable[..., subprocess.CompletedProcess[str]],
) -> Program:
    """The fixture project, built with the real CLI and loaded."""
    toolchain_for("c")
    built = wasmpack("build", project_copy("c-reactor-stack"))
    return Program.load(built.stdout.strip().splitlines()[-1])


def call_in_threads(reactor: Reactor, name: str, args: Sequence[tuple[int, ...]]) -> list[object]:
    """Call export `name` once per args tuple, each from its own new Python thread."""
    results: list[object] = [None] * len(args)

    def work(index: int) -> None:
        results[index] = reactor.call(name, *args[index])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(args))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_SECONDS)
    assert not any(thread.is_alive() for thread in threads), f"{name} calls did not return"
    return results


@pytest.mark.toolchain("c")
def test_calls_running_at_once_do_not_overwrite_each_others_stack(program: Program) -> None:
    with program.reactor() as reactor:
        assert reactor.parallel
        changed = call_in_threads(reactor, "stack_check", [(t, CALLERS) for t in (1, 2, 3)])
    assert changed == [0] * CALLERS


@pytest.mark.toolchain("c")
def test_each_calling_thread_has_its_own_thread_locals(program: Program) -> None:
    tags = [11, 22, 33]
    with program.reactor() as reactor:
        seen = call_in_threads(reactor, "tls_check", [(tag, CALLERS) for tag in tags])
        # `seeded` starts at 7 in every thread; tls_seed sets it to 100 in the caller's TLS
        first = reactor.call("tls_seed")
        again = reactor.call("tls_seed")
        other = call_in_threads(reactor, "tls_seed", [()])
    assert seen == tags
    assert (first, again, other) == (7, 100, [7])


@pytest.mark.toolchain("c")
def test_pthread_self_differs_between_callers_and_calls_can_start_threads(
    program: Program,
) -> None:
    with program.reactor() as reactor:
        selves = call_in_threads(reactor, "thread_self", [(CALLERS,)] * CALLERS)
        joined = call_in_threads(reactor, "spawn_and_join", [(41,), (99,)])
    assert all(isinstance(s, int) and s > 0 for s in selves), selves
    assert len(set(selves)) == CALLERS
    assert joined == [42, 100]


@pytest.mark.toolchain("c")
def test_a_stdio_lock_held_by_one_calling_thread_is_busy_for_another(program: Program) -> None:
    # libc's FILE locks are keyed on the thread id: each calling thread needs its own
    with program.reactor() as reactor:
        holder, trier = call_in_threads(reactor, "file_lock_check", [(1,), (2,)])
    assert (holder, trier) == (0, 1)


@pytest.mark.toolchain("c")
def test_a_small_stack_size_still_runs_the_calls(program: Program) -> None:
    with program.reactor(stack_size=64 * 1024) as reactor:
        changed = call_in_threads(reactor, "stack_check", [(5, 2), (6, 2)])
    assert changed == [0, 0]
