"""Writing the artifact atomically, and the source digest."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from wasmpack_mt.bundle import Manifest, read_manifest, source_digest, write_artifact
from wasmpack_mt.errors import BuildError, UsageError


def test_write_artifact_creates_directories_and_reads_back(
    tmp_path: Path, module_bytes: bytes, manifest: Manifest
) -> None:
    target = tmp_path / "dist" / "fib.wasm"
    assert write_artifact(target, module_bytes, manifest) == target
    assert read_manifest(target.read_bytes()) == manifest
    assert sorted(p.name for p in target.parent.iterdir()) == ["fib.wasm"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_same_inputs_give_identical_files(
    tmp_path: Path, module_bytes: bytes, manifest: Manifest
) -> None:
    first = write_artifact(tmp_path / "a.wasm", module_bytes, manifest).read_bytes()
    second = write_artifact(tmp_path / "b.wasm", module_bytes, manifest).read_bytes()
    assert first == second


def test_failure_mid_write_leaves_no_file(
    tmp_path: Path, module_bytes: bytes, manifest: Manifest, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    target = tmp_path / "out" / "fib.wasm"
    with pytest.raises(BuildError, match="No space left on device") as caught:
        write_artifact(target, module_bytes, manifest)
    assert "\n" not in str(caught.value)
    assert list(target.parent.iterdir()) == []


def test_failure_keeps_the_previous_artifact(
    tmp_path: Path, module_bytes: bytes, manifest: Manifest, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = write_artifact(tmp_path / "fib.wasm", module_bytes, manifest)
    before = target.read_bytes()

    def failing_replace(self: Path, target: Path) -> Path:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(BuildError):
        write_artifact(target, b"\0asm\x01\0\0\0", manifest)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["fib.wasm"]


def test_unwritable_directory_is_a_one_line_error(
    tmp_path: Path, module_bytes: bytes, manifest: Manifest
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(BuildError, match=r"cannot write .*; check the directory's permissions"):
        write_artifact(blocker / "fib.wasm", module_bytes, manifest)


def _tree(root: Path) -> list[Path]:
    (root / "src").mkdir(parents=True)
    (root / "src" / "main.c").write_text("int main(void) { return 0; }\n")
    (root / "src" / "util.c").write_text("int util(void) { return 1; }\n")
    (root / "include.h").write_text("#pragma once\n")
    return [root / "src" / "main.c", root / "src" / "util.c", root / "include.h"]


def test_digest_ignores_order_location_and_mtime(tmp_path: Path) -> None:
    files = _tree(tmp_path / "a")
    digest = source_digest(files, tmp_path / "a")
    assert digest.startswith("sha256:") and len(digest) == len("sha256:") + 64
    assert source_digest(reversed(files), tmp_path / "a") == digest
    shutil.copytree(tmp_path / "a", tmp_path / "elsewhere" / "b")
    os.utime(tmp_path / "elsewhere" / "b" / "include.h", (1, 1))
    relative = [Path("include.h"), Path("src/util.c"), Path("src/main.c")]
    assert source_digest(relative, tmp_path / "elsewhere" / "b") == digest


def test_digest_changes_with_content_and_names(tmp_path: Path) -> None:
    files = _tree(tmp_path)
    digest = source_digest(files, tmp_path)
    files[0].write_text("int main(void) { return 1; }\n")
    changed = source_digest(files, tmp_path)
    assert changed != digest
    files[0].rename(tmp_path / "src" / "main2.c")
    files[0] = tmp_path / "src" / "main2.c"
    assert source_digest(files, tmp_path) not in (digest, changed)
    assert source_digest(files[:2], tmp_path) != source_digest(files, tmp_path)


def test_digest_rejects_outside_and_missing_files(tmp_path: Path) -> None:
    files = _tree(tmp_path / "proj")
    (tmp_path / "outside.c").write_text("")
    with pytest.raises(UsageError, match="outside the project root"):
        source_digest([*files, tmp_path / "outside.c"], tmp_path / "proj")
    with pytest.raises(UsageError, match=r"cannot read source file src/gone\.c"):
        source_digest([*files, Path("src/gone.c")], tmp_path / "proj")


def test_digest_does_not_follow_links_out_of_the_project(tmp_path: Path) -> None:
    files = _tree(tmp_path / "proj")
    (tmp_path / "shared.h").write_text("#define SHARED 1\n")
    link = tmp_path / "proj" / "shared.h"
    link.symlink_to(tmp_path / "shared.h")
    with_link = source_digest([*files, link], tmp_path / "proj")  # named by its place inside
    (tmp_path / "shared.h").write_text("#define SHARED 2\n")
    assert source_digest([*files, link], tmp_path / "proj") not in (
        with_link,
        source_digest(files, tmp_path / "proj"),
    )
