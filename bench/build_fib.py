"""The threaded fib workload: C on the wasmpack host vs native gcc, and Rust vs C on the host.

Usage: python bench/build_fib.py [N]. One run per configuration, wall time of
the whole process (host start-up included). The Rust part needs the Rust
toolchain; it is skipped with a note when missing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wasmpack_mt.errors import WasmpackError

PROJECTS = Path(__file__).resolve().parent.parent / "tests" / "projects"


def timed(cmd: list[str]) -> tuple[float, str]:
    """Wall time and stdout of one run of `cmd`."""
    started = time.perf_counter()
    result = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return time.perf_counter() - started, result.stdout.strip()


def build(project: Path) -> Path:
    """`wasmpack build -q` the project; return the artifact."""
    result = subprocess.run(
        [sys.executable, "-m", "wasmpack_mt", "-q", "build", str(project)],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(result.stdout.strip().splitlines()[-1])


def host(artifact: Path, threads: int, n: int) -> list[str]:
    return [sys.executable, "-m", "wasmpack_mt", "run", str(artifact), "--", str(threads), str(n)]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        for name in ("c-fib", "rust-fib"):
            shutil.copytree(PROJECTS / name, root / name)
        c_wasm = build(root / "c-fib")
        native = root / "fib-native"
        subprocess.run(
            ["gcc", "-O2", "-pthread", str(root / "c-fib" / "src" / "fib.c"), "-o", str(native)],
            check=True,
        )
        startup, _ = timed(host(c_wasm, 1, 1))
        print(f"fib({n}) per thread; one run each; wall seconds; host start-up {startup:.2f}")
        for threads in (1, 2):
            wasm_time, _ = timed(host(c_wasm, threads, n))
            native_time, _ = timed([str(native), str(threads), str(n)])
            print(
                f"C  {threads} thread(s): host {wasm_time:6.2f}  native gcc {native_time:6.2f}"
                f"  ratio {wasm_time / native_time:5.2f}x"
            )
        try:
            rust_wasm = build(root / "rust-fib")
        except (subprocess.CalledProcessError, WasmpackError) as exc:
            print(f"Rust skipped: cannot build rust-fib ({exc})")
            return
        for threads in (1, 4):
            rust_time, _ = timed(host(rust_wasm, threads, n))
            c_time, _ = timed(host(c_wasm, threads, n))
            print(
                f"host {threads} thread(s): Rust {rust_time:6.2f}  C {c_time:6.2f}"
                f"  ratio Rust/C {rust_time / c_time:5.2f}x"
            )


if __name__ == "__main__":
    main()
