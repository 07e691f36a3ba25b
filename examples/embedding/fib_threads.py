"""Call a Wasm reactor's `fib` from several Python threads at the same time.

fib.c is a reactor (no main): `wasmpack build` in this directory turns it into
dist/fib.wasm, and this script does that itself when the file is missing or
older than its sources. Every Python thread calls the exports through one
`Reactor`: each thread gets its own instance over the module's one shared
memory, with its own shadow stack and TLS block, so the calls run in parallel
(calls into wasm release the GIL).

To show that the calls really overlap, each thread first calls `meet`, which
waits inside the module until every thread has arrived. It reports them all
only if they were running at the same time; had the calls been serialised
behind one lock, the first would time out alone.

Usage: python3 examples/embedding/fib_threads.py [N ...]   (default: 4 5)
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from wasmpack_mt import log
from wasmpack_mt.errors import WasmpackError
from wasmpack_mt.host import Program, Reactor
from wasmpack_mt.pipeline import build_project

HERE = Path(__file__).resolve().parent
ARTIFACT = HERE / "dist" / "fib.wasm"
SOURCES = (HERE / "fib.c", HERE / "wasmpack.toml")
MEET_TIMEOUT_MS = 10_000


def load_program() -> Program:
    """dist/fib.wasm, built first when it is missing, older than its sources, or was built
    by a wasmpack that did not yet export what parallel calls need (`__stack_pointer`)."""
    newest_source = max(source.stat().st_mtime for source in SOURCES)
    if ARTIFACT.exists() and ARTIFACT.stat().st_mtime >= newest_source:
        program = Program.load(ARTIFACT)
        if "__stack_pointer" in program.shape.exports:
            return program
    return Program.load(build_project(HERE))


def call_fib(reactor: Reactor, n: int, parties: int) -> tuple[int, int]:
    """In this thread's instance: meet the other threads, then compute fib(n)."""
    met = reactor.call("meet", parties, MEET_TIMEOUT_MS)
    value = reactor.call("fib", n)
    assert isinstance(met, int) and isinstance(value, int)
    return met, value


def fib_on_threads(program: Program, ns: list[int]) -> list[tuple[int, int] | WasmpackError]:
    """Call `fib(n)` for every n, each from its own Python thread, all at once."""
    outcomes: list[tuple[int, int] | WasmpackError] = [
        WasmpackError("the thread did not finish") for _ in ns
    ]

    def work(index: int, n: int) -> None:
        try:
            outcomes[index] = call_fib(reactor, n, len(ns))
        except WasmpackError as exc:
            outcomes[index] = exc

    with program.reactor() as reactor:
        threads = [threading.Thread(target=work, args=item) for item in enumerate(ns)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return outcomes


def main(argv: list[str]) -> int:
    """Print fib(n) for each n and whether the calls overlapped; 0 only if they did."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ns", nargs="*", type=int, default=[4, 5], metavar="N")
    args = parser.parse_args(argv)
    if len(args.ns) < 2 or not all(0 <= n <= 60 for n in args.ns):
        parser.error("give at least two numbers between 0 and 60")
    log.configure()
    try:
        program = load_program()
        outcomes = fib_on_threads(program, args.ns)
    except WasmpackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    overlapped = True
    for n, outcome in zip(args.ns, outcomes, strict=True):
        if isinstance(outcome, WasmpackError):
            print(f"error: fib({n}): {outcome}", file=sys.stderr)
            return outcome.exit_code
        met, value = outcome
        print(f"fib({n}) = {value}")
        overlapped = overlapped and met >= len(args.ns)
    if overlapped:
        print(f"overlap: yes, all {len(args.ns)} calls were inside the module at the same time")
        return 0
    print("overlap: no, a call waited alone inside the module: the calls were serialised")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
