"""Build a project's artifact and pack it, with a launcher package, into a wheel."""

from __future__ import annotations

import tempfile
from pathlib import Path

from wasmpack_mt import __version__
from wasmpack_mt.builders.config import Profile, load_config
from wasmpack_mt.log import logger
from wasmpack_mt.pipeline import build_project
from wasmpack_mt.wheel.archive import write_wheel
from wasmpack_mt.wheel.metadata import WheelMetadata, wheel_metadata

LAUNCHER = '''\
"""{name} {version}: a wasi-threads program packaged by wasmpack-mt.

The console script `{name}` (or `python -m {package}`) runs {wasm} on the
wasmpack host with real threads: its arguments, stdin/stdout/stderr, the
current directory and the exit code are the program's own.
"""

MODULE = "{wasm}"


def main() -> None:
    """Run the program like a native command and exit with its exit code."""
    import sys

    from wasmpack_mt.cli.packaged import run_packaged

    sys.exit(run_packaged(__name__, MODULE))
'''
MAIN = '''\
"""`python -m {package}`: the same as the `{name}` command."""

from {package} import main

main()
'''


def build_wheel(project_dir: Path, out_dir: Path, *, profile: Profile = "release") -> Path:
    """Build the project in `project_dir` and write its wheel into `out_dir`; return its path.

    The name and version are validated before anything is built.
    """
    config = load_config(project_dir)
    metadata = wheel_metadata(config)
    with tempfile.TemporaryDirectory(prefix="wasmpack-wheel-") as scratch:
        artifact = build_project(
            project_dir, profile=profile, output=Path(scratch) / f"{config.name}.wasm"
        )
        module = artifact.read_bytes()
    destination = out_dir.absolute() / metadata.wheel_name
    logger.info("==> packing %s", destination.name)
    return write_wheel(destination, wheel_files(metadata, module), metadata.dist_info)


def wheel_files(metadata: WheelMetadata, module: bytes) -> dict[str, bytes]:
    """Every file of the wheel but RECORD, by archive path."""
    package, wasm = metadata.package, f"{metadata.name}.wasm"
    values = {"name": metadata.name, "version": metadata.version, "package": package}
    info = metadata.dist_info
    files = {
        f"{package}/__init__.py": LAUNCHER.format(**values, wasm=wasm).encode(),
        f"{package}/__main__.py": MAIN.format(**values).encode(),
        f"{package}/{wasm}": module,
        f"{info}/METADATA": metadata.render().encode(),
        f"{info}/WHEEL": (
            "Wheel-Version: 1.0\n"
            f"Generator: wasmpack-mt {__version__}\n"
            "Root-Is-Purelib: true\n"
            "Tag: py3-none-any\n"
        ).encode(),
        f"{info}/entry_points.txt": (
            f"[console_scripts]\n{metadata.name} = {package}:main\n"
        ).encode(),
    }
    for license_file in metadata.license_files:
        files[f"{info}/licenses/{license_file.name}"] = license_file.read_bytes()
    return files
