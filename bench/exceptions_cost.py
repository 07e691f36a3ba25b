"""What the exceptions flavour costs: the C++ template built with and without `exceptions = true`.

Usage: python bench/exceptions_cost.py [RUNS] [K]. Creates the `cpp` template
twice (`wasmpack new -t cpp`), adds `exceptions = true` to one, builds both and
prints module size and the best of RUNS wall times of `wasmpack run -- 2 K`
(2 threads, fib(K) each; host start-up included, module cache warm). Needs the
cxx and cxx-eh toolchains. Note that the two flavours use different clangs
(the bootstrap compiler vs clang >= 20), so the ratio includes the compiler.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path


def wasmpack(*args: str, cwd: Path | None = None) -> str:
    """Run the CLI; its stdout."""
    result = subprocess.run(
        [sys.executable, "-m", "wasmpack_mt", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def project(root: Path, name: str, exceptions: bool) -> Path:
    """The cpp template as `root/name`, with exceptions on when asked."""
    wasmpack("new", "-t", "cpp", str(root / name))
    if exceptions:
        config = root / name / "wasmpack.toml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace('kind = "cxx"\n', 'kind = "cxx"\nexceptions = true\n'))
    return Path(wasmpack("-q", "build", str(root / name)).strip().splitlines()[-1])


def best_of(runs: int, artifact: Path, k: str) -> float:
    """The fastest of `runs` wall times of running the artifact on 2 threads."""
    times = []
    for _ in range(runs + 1):  # the first run fills the compiled-module cache
        started = time.perf_counter()
        wasmpack("run", str(artifact), "--", "2", k)
        times.append(time.perf_counter() - started)
    return min(times[1:])


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    k = sys.argv[2] if len(sys.argv) > 2 else "32"
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        plain = project(root, "plain", exceptions=False)
        eh = project(root, "eh", exceptions=True)
        sizes = {name: path.stat().st_size for name, path in (("plain", plain), ("eh", eh))}
        times = {"plain": best_of(runs, plain, k), "eh": best_of(runs, eh, k)}
    print(f"C++ template, 2 threads x fib({k}), best of {runs}; size in bytes, time in s")
    for name, label in (("plain", "-fno-exceptions (cxx)"), ("eh", "exceptions = true (cxx-eh)")):
        print(f"{label:28} size {sizes[name]:9d}  run {times[name]:6.3f}")
    print(
        f"ratio eh / plain: size x{sizes['eh'] / sizes['plain']:.2f}, "
        f"time x{times['eh'] / times['plain']:.2f}"
    )


if __name__ == "__main__":
    main()
