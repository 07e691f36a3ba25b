"""Downloads are verified by sha256 before use; unreachable sources name what was tried."""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path

import pytest

from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.toolchains.bootstrap.apt import mirror_base_urls
from wasmpack_mt.toolchains.bootstrap.fetch import fetch_source
from wasmpack_mt.toolchains.spec import SourceCandidate, SourceFile, SourcePackage


def fabricated_mirror(tmp_path: Path) -> tuple[str, str, str]:
    """A file:// mirror holding one small tarball; returns (base URL, pool path, sha256)."""
    content = tmp_path / "content" / "hello.c"
    content.parent.mkdir(parents=True)
    content.write_text("int main(void) { return 0; }\n")
    pool = "pool/main/h/hello/hello_1.0.orig.tar.xz"
    archive = tmp_path / "mirror" / pool
    archive.parent.mkdir(parents=True)
    with tarfile.open(archive, "w:xz") as tar:
        tar.add(content, arcname="hello-1.0/hello.c")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    return (tmp_path / "mirror").as_uri(), pool, digest


def package(*candidates: tuple[str, str, str]) -> SourcePackage:
    """A source package with (version, pool, sha256) candidates, in order."""
    return SourcePackage(
        "hello",
        "tar",
        tuple(
            SourceCandidate(version, (SourceFile(pool, sha),)) for version, pool, sha in candidates
        ),
    )


def test_verified_download_is_cached_and_reverified(tmp_path: Path) -> None:
    mirror, pool, digest = fabricated_mirror(tmp_path)
    downloads = tmp_path / "downloads"
    fetched = fetch_source(package(("1.0", pool, digest)), [mirror], downloads)
    assert fetched.files == (downloads / "hello_1.0.orig.tar.xz",)
    good = fetched.files[0].read_bytes()
    fetched.files[0].write_bytes(b"corrupted in the cache")
    again = fetch_source(package(("1.0", pool, digest)), [mirror], downloads)
    assert again.files[0].read_bytes() == good


def test_sha256_mismatch_is_refused_and_nothing_is_kept(tmp_path: Path) -> None:
    mirror, pool, _ = fabricated_mirror(tmp_path)
    downloads = tmp_path / "downloads"
    with pytest.raises(ToolchainError, match=r"sha256 mismatch for file://.*expected 0000"):
        fetch_source(package(("1.0", pool, "0" * 64)), [mirror], downloads)
    assert list(downloads.iterdir()) == []


def test_unreachable_candidates_fall_through_in_order(tmp_path: Path) -> None:
    mirror, pool, digest = fabricated_mirror(tmp_path)
    missing = "pool/main/h/hello/hello_2.0.orig.tar.xz"
    fetched = fetch_source(
        package(("2.0", missing, digest), ("1.0", pool, digest)), [mirror], tmp_path / "downloads"
    )
    assert fetched.candidate.version == "1.0"


def test_every_candidate_unreachable_names_what_was_tried(tmp_path: Path) -> None:
    mirror, _, digest = fabricated_mirror(tmp_path)
    with pytest.raises(ToolchainError) as info:
        fetch_source(
            package(("2.0", "pool/a.tar.xz", digest), ("3.0", "pool/b.tar.xz", digest)),
            [mirror],
            tmp_path / "downloads",
        )
    assert "no version of source package hello could be downloaded (tried 2.0, 3.0" in str(
        info.value
    )
    assert "pool/a.tar.xz" in info.value.details and "pool/b.tar.xz" in info.value.details


def test_mirrors_come_from_the_apt_configuration(tmp_path: Path) -> None:
    (tmp_path / "sources.list.d").mkdir()
    (tmp_path / "sources.list.d" / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm\n"
        "Components: main\n\n# comment\nTypes: deb\nURIs: http://mirror.example/debian-security/\n"
        "Suites: bookworm-security\n"
    )
    (tmp_path / "sources.list").write_text(
        "# deb http://commented.example/debian bookworm main\n"
        "deb [arch=amd64] http://other.example/debian bookworm main\n"
    )
    assert mirror_base_urls(tmp_path) == [
        "http://mirror.example/debian",
        "http://mirror.example/debian-security",
        "http://other.example/debian",
    ]
