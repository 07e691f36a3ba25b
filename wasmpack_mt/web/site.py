"""The page as static files: what `wasmpack web` writes and `wasmpack serve` serves.

Its layout::

    index.html page.js program.js thread.js guest.js   the page (wasmpack's own)
    lib/browser_wasi_shim/ lib/wasi-threads/           the npm libraries it imports
    NAME.wasm, files/N                                 the module and preloaded files
    wasmpack-page.json                                 the run's settings
    _headers                                           the two headers, for Netlify/Cloudflare Pages
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from pathlib import Path

from wasmpack_mt.errors import UsageError
from wasmpack_mt.web.libraries import PACKAGES
from wasmpack_mt.web.settings import PageSettings

PAGE_DIR = Path(__file__).resolve().parent / "page"
CONFIG_NAME = "wasmpack-page.json"
HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
}
_LICENSE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE-MIT", "LICENSE-APACHE", "package.json")


def write_site(root: Path, wasm: bytes, settings: PageSettings, node_modules: Path) -> None:
    """Write the page for `settings` into the empty or new directory `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for asset in sorted(PAGE_DIR.iterdir()):
        if asset.is_file():
            shutil.copyfile(asset, root / asset.name)
    for name, (package, files) in PACKAGES.items():
        source = node_modules / package
        shutil.copytree(source / files, root / "lib" / name)
        for license_name in _LICENSE_NAMES:  # their licenses travel with them
            if (source / license_name).is_file():
                shutil.copyfile(source / license_name, root / "lib" / name / license_name)
    (root / settings.module_name).write_bytes(wasm)
    urls = []
    for index, item in enumerate(settings.files):
        url = f"files/{index}"
        (root / "files").mkdir(exist_ok=True)
        shutil.copyfile(item.host, root / url)
        urls.append(url)
    config = json.dumps(settings.to_json_object(urls), indent=2, ensure_ascii=False)
    (root / CONFIG_NAME).write_text(config + "\n", encoding="utf-8")
    headers = "".join(f"  {key}: {value}\n" for key, value in HEADERS.items())
    (root / "_headers").write_text(f"/*\n{headers}", encoding="utf-8")


def publish_site(out: Path, wasm: bytes, settings: PageSettings, node_modules: Path) -> None:
    """Write the page into `out` whole or not at all (a temp dir renamed into place).

    An existing `out` is replaced only if it is empty or an earlier page.
    """
    check_output_dir(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as scratch:
        staged = Path(scratch) / "site"
        write_site(staged, wasm, settings, node_modules)
        old = Path(scratch) / "old"
        if out.exists():
            out.rename(old)
        try:
            staged.rename(out)
        except BaseException:
            with contextlib.suppress(OSError):
                old.rename(out)
            raise


def check_output_dir(out: Path) -> None:
    """Refuse an `out` that exists and is neither empty nor an earlier page."""
    if out.exists() and not (
        out.is_dir() and (not any(out.iterdir()) or (out / CONFIG_NAME).is_file())
    ):
        raise UsageError(
            f"{out} exists and is not a page written by `wasmpack web`; "
            "choose another -o directory or remove it"
        )
