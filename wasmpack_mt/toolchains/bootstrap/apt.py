"""Debian packages the bootstrap needs, and the mirror the machine's apt uses."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from wasmpack_mt.errors import CommandFailed, ToolchainError
from wasmpack_mt.log import step
from wasmpack_mt.process import run
from wasmpack_mt.toolchains.packages import install_command

APT_DIR = Path("/etc/apt")


def require_debian(wasi_sdk_min_version: str) -> None:
    """Fail with one clear line when this is not a Debian-like host."""
    if shutil.which("dpkg-query") is None or shutil.which("apt-get") is None:
        raise ToolchainError(
            "the bootstrap needs a Debian or Ubuntu host (dpkg/apt-get not found); "
            f"on other systems install wasi-sdk >= {wasi_sdk_min_version} and set WASI_SDK_PATH"
        )


def missing_packages(names: Iterable[str]) -> list[str]:
    """The packages among `names` that dpkg does not list as installed."""
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return []
    # dpkg-query exits 1 when some names are unknown; its output still lists the rest.
    out = run(
        ["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\\n", *wanted],
        step="check installed packages",
        ok_codes=(0, 1),
    )
    installed = {
        line.split()[0] for line in out.splitlines() if line.endswith(" installed") and line.split()
    }
    return [name for name in wanted if name not in installed]


def ensure_packages(names: Iterable[str]) -> None:
    """Install missing packages when root; otherwise fail naming the apt-get command."""
    missing = missing_packages(names)
    if not missing:
        return
    if os.geteuid() != 0:
        raise ToolchainError(
            f"missing Debian packages: {' '.join(missing)}; run: sudo {install_command(missing)}"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    argv = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    with step(f"apt-get install {' '.join(missing)}"):
        try:
            run(argv, step="apt-get install", env=env)
        except CommandFailed:
            # Typically "Unable to locate package" on a fresh machine with empty lists.
            run(["apt-get", "update"], step="apt-get update", env=env)
            run(argv, step="apt-get install", env=env)


def mirror_base_urls(apt_dir: Path = APT_DIR) -> list[str]:
    """Base URLs of the Debian archives apt is configured with, in file order."""
    urls: list[str] = []
    for sources in sorted((apt_dir / "sources.list.d").glob("*.sources")):
        for stanza in re.split(r"\n\s*\n", sources.read_text(errors="replace")):
            fields = _deb822_fields(stanza)
            if "deb" in fields.get("types", "").split() or "deb-src" in fields.get("types", ""):
                urls += fields.get("uris", "").split()
    lists = [apt_dir / "sources.list", *sorted((apt_dir / "sources.list.d").glob("*.list"))]
    for listing in lists:
        if listing.is_file():
            for line in listing.read_text(errors="replace").splitlines():
                words = re.sub(r"\[[^\]]*\]", "", line.split("#", 1)[0]).split()
                if len(words) >= 2 and words[0] in ("deb", "deb-src"):
                    urls.append(words[1])
    return list(dict.fromkeys(url.rstrip("/") for url in urls if "://" in url))


def _deb822_fields(stanza: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in stanza.splitlines():
        if line.startswith("#") or ":" not in line or line[:1].isspace():
            continue
        name, value = line.split(":", 1)
        fields[name.strip().lower()] = value.strip()
    return fields
