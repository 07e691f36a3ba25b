"""The project in a directory, seen from the commands that use its output (`wasmpack run`).

It reads the project file through the build stage, so it lives beside the
stages, like `pipeline`, and imports nothing heavy: `wasmpack run` starts fast.
"""

from __future__ import annotations

from pathlib import Path

from wasmpack_mt.builders.config import default_artifact
from wasmpack_mt.errors import ConfigError, UsageError


def built_artifact(project_dir: Path) -> Path:
    """The artifact `wasmpack build` wrote for the project in `project_dir`.

    Relative to the current directory when it lies below it (that spelling is
    the guest's `argv[0]`). No project, or no artifact yet, is a `UsageError`.
    """
    try:
        artifact = default_artifact(project_dir)
    except ConfigError as exc:
        raise UsageError(f"no FILE given and {exc}; or pass the .wasm file to run") from None
    if not artifact.is_file():
        raise UsageError(f"{artifact} does not exist; run `wasmpack build` first or pass a FILE")
    here = Path.cwd()
    return artifact.relative_to(here) if artifact.is_relative_to(here) else artifact
