"""The console script of a packaged module: run it, report as `wasmpack run` does, exit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from wasmpack_mt.errors import WasmpackError


def run_packaged(package: str, name: str) -> int:
    """Run resource `name` of `package` with this process's arguments; return its exit code.

    Called by the `main()` of packages made by `wasmpack wheel` and the python
    template: `sys.exit(run_packaged(__name__, "NAME.wasm"))`.
    """
    from wasmpack_mt.host.resource import run_resource

    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else name
    try:
        result = run_resource(package, name, [program, *sys.argv[1:]])
    except WasmpackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    sys.stdout.flush()
    if result.report:
        print(result.report, file=sys.stderr)
    sys.stderr.flush()
    if result.threads_left_running:
        os._exit(result.exit_code & 0xFF)
    return result.exit_code
