"""Kernels built with and without wasm SIMD (and with LTO), run on the wasmpack host.

Usage: python bench/simd_speed.py [RUNS]. Builds three small C programs with
`wasmpack build` (default: SIMD on; `--no-simd`; SIMD + `-flto` with the
kernel in its own translation unit), runs the variants interleaved RUNS times
and prints, per variant, the best wall time and the best CPU time (user+sys
of `wasmpack run`, steadier on a loaded machine) with the CPU ratio to the
no-SIMD build. The variants must print the same answer.

- fib: recursive fib(36), nothing to vectorise (the control).
- sort: LSD radix sort of 8M pseudo-random u32 (counting passes).
- mix: an integer hash mix over two 8M-element arrays, 64 rounds (vectorisable).

Needs the C toolchain (`wasmpack doctor`).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WASMPACK = [sys.executable, "-m", "wasmpack_mt"]
MAIN = """
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
uint64_t kernel(uint32_t *a, uint32_t *b, uint32_t n);
int main(void) {
    uint32_t n = 1u << 23;
    uint32_t *a = malloc(n * 4), *b = malloc(n * 4);
    uint32_t x = 2463534242u;
    for (uint32_t i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        a[i] = x; b[i] = i;
    }
    printf("%llu\\n", (unsigned long long)kernel(a, b, n));
    return 0;
}
"""
KERNELS = {
    "fib": """
#include <stdint.h>
static uint64_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
uint64_t kernel(uint32_t *a, uint32_t *b, uint32_t n) { (void)a; (void)b; (void)n; return fib(36); }
""",
    "sort": """
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
uint64_t kernel(uint32_t *a, uint32_t *b, uint32_t n) {
    for (int shift = 0; shift < 32; shift += 8) {
        uint32_t count[257];
        memset(count, 0, sizeof count);
        for (uint32_t i = 0; i < n; i++) count[((a[i] >> shift) & 255) + 1]++;
        for (int d = 0; d < 256; d++) count[d + 1] += count[d];
        for (uint32_t i = 0; i < n; i++) b[count[(a[i] >> shift) & 255]++] = a[i];
        uint32_t *t = a; a = b; b = t;
    }
    uint64_t check = 0;
    for (uint32_t i = 0; i + 1 < n; i++) check += a[i] <= a[i + 1];
    return check + a[n / 2];
}
""",
    "mix": """
#include <stdint.h>
uint64_t kernel(uint32_t *a, uint32_t *b, uint32_t n) {
    for (int round = 0; round < 64; round++)
        for (uint32_t i = 0; i < n; i++) {
            uint32_t v = a[i] * 2654435761u + b[i];
            v ^= v >> 15; v *= 2246822519u; v ^= v >> 13;
            a[i] = v + (uint32_t)round;
        }
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n; i++) sum += a[i];
    return sum;
}
""",
}
VARIANTS = {
    "no-simd": ([], "--no-simd"),
    "simd": ([], None),
    "simd+lto": (["-flto"], None),
}


def project(root: Path, name: str, lto_flags: list[str]) -> Path:
    """A wasmpack project: main.c + kernel.c (separate units, so LTO can inline across)."""
    root.mkdir(parents=True)
    (root / "main.c").write_text(MAIN)
    (root / "kernel.c").write_text(KERNELS[name])
    flags = ", ".join(f'"{flag}"' for flag in lto_flags)
    (root / "wasmpack.toml").write_text(
        f'name = "{name}"\nkind = "c"\nsources = ["*.c"]\n'
        f'cflags = [{flags}]\nldflags = [{flags}]\n[memory]\nmaximum = "256MiB"\n'
    )
    return root


def timed_run(artifact: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds and output of one `wasmpack run`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    output = subprocess.run(
        [*WASMPACK, "run", str(artifact)], check=True, capture_output=True, text=True
    ).stdout
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, output.strip()


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    wall: dict[tuple[str, str], float] = {}
    cpu: dict[tuple[str, str], float] = {}
    with tempfile.TemporaryDirectory() as temp:
        artifacts: dict[tuple[str, str], Path] = {}
        for name in KERNELS:
            for variant, (lto, flag) in VARIANTS.items():
                root = project(Path(temp) / f"{name}-{variant}", name, lto)
                build = [*WASMPACK, "-q", "build", str(root), *([flag] if flag else [])]
                out = subprocess.run(build, check=True, capture_output=True, text=True).stdout
                artifacts[name, variant] = Path(out.strip().splitlines()[-1])
        for _ in range(runs):
            for name in KERNELS:
                answers = set()
                for variant in VARIANTS:
                    seconds, used, answer = timed_run(artifacts[name, variant])
                    key = (name, variant)
                    wall[key] = min(wall.get(key, seconds), seconds)
                    cpu[key] = min(cpu.get(key, used), used)
                    answers.add(answer)
                assert len(answers) == 1, f"{name}: the variants disagree: {answers}"
    print(f"best of {runs}: wall s / cpu s of `wasmpack run` (cpu ratio to no-simd)")
    print("| kernel | " + " | ".join(VARIANTS) + " |")
    print("|---|" + "---|" * len(VARIANTS))
    for name in KERNELS:
        base = cpu[name, "no-simd"]
        cells = [
            f"{wall[name, v]:.2f} / {cpu[name, v]:.2f} ({cpu[name, v] / base:.2f}x)"
            for v in VARIANTS
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
