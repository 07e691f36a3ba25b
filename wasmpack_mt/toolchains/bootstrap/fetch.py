"""Download source package files, verified by sha256 before anything unpacks them."""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.log import logger
from wasmpack_mt.toolchains.spec import SourceCandidate, SourceFile, SourcePackage

DOWNLOAD_TIMEOUT_S = 60.0
_CHUNK = 1 << 20


class Unreachable(Exception):
    """A file could not be had from one URL (404, network error)."""


def _read_chunk(response: Any, url: str) -> bytes:
    """The next piece of a download; a network failure becomes `Unreachable`."""
    try:
        chunk: bytes = response.read(_CHUNK)
    except OSError as exc:
        raise Unreachable(f"{url}: {exc}") from None
    return chunk


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def download(url: str, dest: Path, expected_sha256: str) -> None:
    """Fetch `url` to `dest` atomically, only if its sha256 matches."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                response = urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S)
            except (urllib.error.URLError, OSError, ValueError) as exc:
                raise Unreachable(f"{url}: {getattr(exc, 'reason', exc)}") from None
            with response:
                # A network failure mid-download is "unreachable"; a disk error is not.
                while chunk := _read_chunk(response, url):
                    digest.update(chunk)
                    out.write(chunk)
        if digest.hexdigest() != expected_sha256:
            raise ToolchainError(
                f"sha256 mismatch for {url}: expected {expected_sha256}, got "
                f"{digest.hexdigest()}; the file was discarded; retry later, or fix the mirror "
                "or the sha256 in toolchains.yaml"
            )
        tmp.rename(dest)
    finally:
        tmp.unlink(missing_ok=True)


def fetch_file(file: SourceFile, mirrors: list[str], downloads: Path) -> Path:
    """A verified local copy of `file`: from the download cache, else from a mirror."""
    cached = downloads / file.name
    if cached.is_file():
        if sha256_of(cached) == file.sha256:
            return cached
        logger.warning("cached %s does not match its sha256; downloading it again", cached)
        cached.unlink()
    failures = []
    for base in mirrors:
        url = f"{base}/{file.pool}"
        try:
            logger.info("    downloading %s", url)
            download(url, cached, file.sha256)
        except Unreachable as exc:
            failures.append(str(exc))
            continue
        return cached
    raise Unreachable("; ".join(failures) or f"{file.pool}: no mirror configured")


@dataclass(frozen=True)
class FetchedSource:
    """The candidate version that could be had, and its verified files."""

    candidate: SourceCandidate
    files: tuple[Path, ...]


def fetch_source(package: SourcePackage, mirrors: list[str], downloads: Path) -> FetchedSource:
    """The first candidate version whose files can all be fetched and verified."""
    tried: list[str] = []
    for candidate in package.candidates:
        try:
            paths = tuple(fetch_file(f, mirrors, downloads) for f in candidate.files)
        except Unreachable as exc:
            tried.append(f"{candidate.version} ({exc})")
            continue
        return FetchedSource(candidate, paths)
    raise ToolchainError(
        f"no version of source package {package.name} could be downloaded "
        f"(tried {', '.join(c.version for c in package.candidates) or 'none'} from "
        f"{', '.join(mirrors) or 'no mirror'}); check the network and the apt sources, "
        "or add a reachable version to toolchains.yaml",
        details="\n".join(f"  {line}" for line in tried),
    )
