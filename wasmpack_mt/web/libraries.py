"""The page's JavaScript libraries, installed from npm with a lockfile.

`npm/package.json` and `npm/package-lock.json` pin the versions and integrity
hashes. `npm ci` installs them once into the user cache, in a folder named by
the lockfile's digest, so an upgraded wasmpack with a new lockfile gets its
own copy. The page serves them itself: nothing is fetched from a third party
at page load.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.log import step
from wasmpack_mt.paths import cache_home
from wasmpack_mt.process import run

NPM_DIR = Path(__file__).resolve().parent / "npm"
LOCKFILE = NPM_DIR / "package-lock.json"
PACKAGES = {
    # what the page imports as lib/NAME/ -> (npm package, the files of it to serve)
    "browser_wasi_shim": ("@bjorn3/browser_wasi_shim", "dist"),
    "wasi-threads": ("@emnapi/wasi-threads", "dist"),
}
_INSTALL_FIX = "install Node.js and npm (Debian: apt-get install npm), then run the command again"


def libraries_dir() -> Path:
    """Where this wasmpack's locked libraries live once installed (may not exist yet)."""
    digest = hashlib.sha256(LOCKFILE.read_bytes()).hexdigest()[:16]
    return cache_home() / "web" / f"npm-{digest}"


def installed_libraries() -> Path | None:
    """The installed `node_modules`, or None if `npm ci` has not run for this lockfile."""
    modules = libraries_dir() / "node_modules"
    complete = all((modules / package / files).is_dir() for package, files in PACKAGES.values())
    return modules if complete else None


def install_libraries() -> Path:
    """`npm ci` into the cache (once) and return the `node_modules` folder."""
    if (modules := installed_libraries()) is not None:
        return modules
    npm = shutil.which("npm")
    if npm is None:
        raise ToolchainError(f"the page's JavaScript libraries are not installed and npm is "
                             f"not on PATH; {_INSTALL_FIX}")  # fmt: skip
    target = libraries_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        step(f"installing the page's JavaScript libraries (npm ci, once) into {target}"),
        tempfile.TemporaryDirectory(dir=target.parent, prefix=".npm-") as scratch,
    ):
        staging = Path(scratch) / "npm"
        staging.mkdir()
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(NPM_DIR / name, staging / name)
        run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--omit=dev"],
            step="npm ci for the page's JavaScript libraries",
            cwd=staging,
            timeout=600,
        )
        if installed_libraries() is None:  # else a concurrent install finished first
            shutil.rmtree(target, ignore_errors=True)
            staging.rename(target)
    return target / "node_modules"
