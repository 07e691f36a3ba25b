#!/usr/bin/env bash
# From nothing to the concurrent-fib seed in Wasm, on a fresh Debian 12 machine:
# install wasmpack-mt (with its test extras), bootstrap the threaded C, C++ and
# Rust toolchains, then create, build and run the seed program in every
# language. Run as root (or with sudo for apt) from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# A bare Debian has python3 without pip, and its python3 refuses `pip install`
# outside a virtual environment (PEP 668): install what is missing, use a .venv.
stdlib="$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')"
managed=""
[ -z "${VIRTUAL_ENV:-}" ] && [ -e "$stdlib/EXTERNALLY-MANAGED" ] && managed=yes
missing=()
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
[ -n "$managed" ] && ! dpkg -s python3-venv >/dev/null 2>&1 && missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [ -n "$managed" ]; then
    python3 -m venv .venv
    source .venv/bin/activate
    echo "note: installed into .venv; run 'source .venv/bin/activate' before the tests"
fi
python3 -m pip install -q -e '.[test]'

wasmpack toolchain bootstrap    # cached in ~/.cache/wasmpack: a second run takes about a second
wasmpack doctor                 # c, cxx and rust: ready

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
for template in c cpp rust cmake; do
    echo "==> the seed in $template: fib(4) and fib(5) on two threads"
    (
        cd "$workdir"
        wasmpack -q new "fib-$template" --template "$template" >/dev/null
        cd "fib-$template"
        wasmpack -q build >/dev/null
        wasmpack run
    )
done
echo "==> heavier: 2 threads each computing fib(32), in C"
wasmpack run "$workdir/fib-c/dist/fib-c.wasm" -- 2 32
