#!/usr/bin/env bash
# From nothing to threaded Fibonacci in Wasm on a fresh Debian 12 machine:
# install wasmpack-mt, bootstrap the threaded C toolchain, then create, build
# and run the C template in a temporary directory. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's own python3 refuses `pip install` outside a virtual environment (PEP 668).
stdlib="$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')"
if [ -z "${VIRTUAL_ENV:-}" ] && [ -e "$stdlib/EXTERNALLY-MANAGED" ]; then
    python3 -m venv .venv || { echo "error: run: sudo apt-get install python3-venv" >&2; exit 1; }
    source .venv/bin/activate
fi
python3 -m pip install -e .

wasmpack toolchain bootstrap
wasmpack doctor

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
cd "$workdir"
wasmpack new fib --template c
cd fib
wasmpack build
wasmpack run                    # fib(4) = 3, fib(5) = 5: computed on two threads
wasmpack run dist/fib.wasm -- 2 30 # the heavier run: 2 threads each computing fib(30)
