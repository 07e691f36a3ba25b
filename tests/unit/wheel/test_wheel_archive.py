"""The wheel file: reproducible bytes, PEP 427 layout, RECORD hashes, atomic writing."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from packaging.utils import parse_wheel_filename

from wasmpack_mt.wheel.archive import wheel_bytes, write_wheel
from wasmpack_mt.wheel.metadata import WheelMetadata
from wasmpack_mt.wheel.project import wheel_files

DIST_INFO = "fib-1.0.dist-info"
FILES = {
    f"{DIST_INFO}/WHEEL": b"Wheel-Version: 1.0\n",
    "fib/fib.wasm": b"\0asm\1\0\0\0",
    f"{DIST_INFO}/METADATA": b"Metadata-Version: 2.1\n",
    "fib/__init__.py": b"",
}


def test_the_same_files_give_the_same_bytes_whatever_their_order() -> None:
    reordered = dict(reversed(list(FILES.items())))
    assert wheel_bytes(FILES, DIST_INFO) == wheel_bytes(reordered, DIST_INFO)


def test_entries_are_sorted_with_dist_info_and_record_last_at_fixed_time_and_mode() -> None:
    with zipfile.ZipFile(io.BytesIO(wheel_bytes(FILES, DIST_INFO))) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == [
        "fib/__init__.py",
        "fib/fib.wasm",
        f"{DIST_INFO}/METADATA",
        f"{DIST_INFO}/WHEEL",
        f"{DIST_INFO}/RECORD",
    ]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_source_date_epoch_sets_the_entry_times(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    with zipfile.ZipFile(io.BytesIO(wheel_bytes(FILES, DIST_INFO))) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_record_lists_every_file_with_its_sha256_and_size() -> None:
    with zipfile.ZipFile(io.BytesIO(wheel_bytes(FILES, DIST_INFO))) as archive:
        rows = list(csv.reader(io.StringIO(archive.read(f"{DIST_INFO}/RECORD").decode())))
        contents = {name: archive.read(name) for name in archive.namelist()}
    assert rows[-1] == [f"{DIST_INFO}/RECORD", "", ""]
    assert sorted(row[0] for row in rows[:-1]) == sorted(FILES)
    for name, digest, size in rows[:-1]:
        expected = base64.urlsafe_b64encode(hashlib.sha256(contents[name]).digest())
        assert digest == "sha256=" + expected.rstrip(b"=").decode()
        assert int(size) == len(contents[name])


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(Exception, match="cannot write"):
        write_wheel(blocker / "fib-1.0-py3-none-any.whl", FILES, DIST_INFO)
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-dir"]


def test_the_files_make_a_py3_wheel_with_one_console_script() -> None:
    metadata = WheelMetadata(
        name="fib-demo", version=parse_wheel_filename("x-1.0-py3-none-any.whl")[1]
    )
    files = wheel_files(metadata, b"\0asm\1\0\0\0")
    name, version, _, tags = parse_wheel_filename(metadata.wheel_name)
    assert (name, str(version), [str(t) for t in tags]) == ("fib-demo", "1.0", ["py3-none-any"])
    info = "fib_demo-1.0.dist-info"
    assert files[f"{info}/entry_points.txt"] == b"[console_scripts]\nfib-demo = fib_demo:main\n"
    assert b"Root-Is-Purelib: true\nTag: py3-none-any\n" in files[f"{info}/WHEEL"]
    assert files["fib_demo/fib-demo.wasm"] == b"\0asm\1\0\0\0"
    launcher = files["fib_demo/__init__.py"].decode()
    compile(launcher, "fib_demo/__init__.py", "exec")
    assert 'MODULE = "fib-demo.wasm"' in launcher and "run_packaged(__name__, MODULE)" in launcher
    compile(files["fib_demo/__main__.py"], "fib_demo/__main__.py", "exec")
