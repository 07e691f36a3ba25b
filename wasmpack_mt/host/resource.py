"""Modules shipped inside Python packages (wheels): load and run them as native commands.

A wheel made by `wasmpack wheel` or the `python` template carries `NAME.wasm`
next to its `__init__.py`; its console script calls `run_resource(__name__,
"NAME.wasm")` through `wasmpack_mt.cli.packaged`. The compiled code is cached
in the user's cache directory (keyed by the module's bytes), never beside the
module, so a read-only site-packages works. Importing this module costs nothing
beyond the host itself (`importlib.resources` is imported when a module runs).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from wasmpack_mt.errors import UsageError
from wasmpack_mt.host.program import Limits, Program, RunResult
from wasmpack_mt.host.wasi.context import Preopen


def resource_bytes(package: str, name: str) -> bytes:
    """The bytes of resource `name` of the importable `package`."""
    from importlib import resources

    try:
        return resources.files(package).joinpath(name).read_bytes()
    except (ModuleNotFoundError, OSError) as exc:
        raise UsageError(
            f"cannot read {name} from package {package}: {exc}; reinstall the package"
        ) from None


def load_resource(package: str, name: str) -> Program:
    """`Program.load` of the module shipped as resource `name` of `package`."""
    return Program.load(resource_bytes(package, name))


def run_resource(
    package: str,
    name: str,
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    dirs: Sequence[Preopen | str] | None = None,
    limits: Limits | None = None,
) -> RunResult:
    """Run a packaged command module as a native program would run.

    `argv[0]` is the program name the guest sees. Defaults: the process's
    environment, the current directory preopened as `.`, the process's
    stdin/stdout/stderr, and the thread limit the module's manifest suggests.
    """
    program = load_resource(package, name)
    if env is None:
        env = {**os.environ}
    if dirs is None:
        dirs = [Preopen(Path.cwd(), ".")]
    return program.run(argv, env=env, dirs=dirs, limits=limits)
