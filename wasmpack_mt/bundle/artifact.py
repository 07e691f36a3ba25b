"""Writing the artifact atomically, and the digest of the sources it came from."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from wasmpack_mt.atomic import write_output
from wasmpack_mt.bundle.manifest import Manifest, embed_manifest
from wasmpack_mt.errors import UsageError

DIGEST_PREFIX = "sha256:"


def write_artifact(path: Path, module: bytes, manifest: Manifest) -> Path:
    """Write `module` with `manifest` embedded to `path`; return `path`.

    The bytes go to a temporary file in the same directory, are fsynced, then
    renamed over `path`: a failure never leaves a partial file at `path`, nor a
    temporary file behind.
    """
    data = embed_manifest(module, manifest)
    return write_output(path, data)


def source_digest(files: Iterable[Path], root: Path) -> str:
    """`sha256:<hex>` over the sorted paths relative to `root` and their contents.

    Independent of modification times, of where `root` lives and of the order
    of `files`; paths may be absolute or relative to `root`.
    """
    root = root.resolve()
    entries: dict[str, Path] = {}
    for file in files:
        absolute = Path(os.path.normpath(root / file))  # links inside the project stay inside
        try:
            relative = absolute.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(
                f"source file {file} is outside the project root {root}; "
                "move it into the project or list it relative to the root"
            ) from None
        entries[relative] = absolute
    digest = hashlib.sha256()
    for relative in sorted(entries):
        try:
            content = entries[relative].read_bytes()
        except OSError as exc:
            raise UsageError(
                f"cannot read source file {relative}: {exc.strerror}; check the sources listed"
            ) from None
        name = relative.encode("utf-8")
        digest.update(len(name).to_bytes(8, "little") + name)
        digest.update(len(content).to_bytes(8, "little") + content)
    return DIGEST_PREFIX + digest.hexdigest()
