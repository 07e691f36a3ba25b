"""{{name}}: a threaded C program, compiled to WebAssembly, run by wasmpack-mt's host.

The console script `{{name}}` (or `python -m {{module}}`) runs {{name}}.wasm with real
threads: its arguments, stdin/stdout/stderr, the current directory and the exit code
are the program's own.
"""

MODULE = "{{name}}.wasm"


def main() -> None:
    """Run the program like a native command and exit with its exit code."""
    import sys

    from wasmpack_mt.cli.packaged import run_packaged

    sys.exit(run_packaged(__name__, MODULE))
