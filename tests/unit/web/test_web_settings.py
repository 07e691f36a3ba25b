"""What the page is told about a module comes from the module itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from web_wat import PLAIN_WAT, REACTOR_WAT, THREADED_WAT, wasm

from wasmpack_mt.bundle import Manifest, embed_manifest
from wasmpack_mt.errors import HostError, UsageError
from wasmpack_mt.web import GuestFile, page_settings, parse_guest_file


def manifest(max_threads: int) -> Manifest:
    return Manifest(
        name="fib", version="0.1.0", entry="command", memory_min_pages=2,
        memory_max_pages=1024, max_threads=max_threads, languages=("c",),
        toolchain="system-clang", toolchain_version="19", source_digest="sha256:00",
    )  # fmt: skip


def test_limits_and_thread_hint_are_read_from_the_module() -> None:
    module = embed_manifest(wasm(THREADED_WAT), manifest(max_threads=6))
    settings = page_settings(module, "fib.wasm", ["2", "25"], {"K": "V"}, [])
    config = settings.to_json_object([])
    assert config["memory"] == {"initial": 2, "maximum": 1024, "shared": True}
    assert config["threads"] == {"spawn": True, "pool": 6}
    assert config["args"] == ["fib.wasm", "2", "25"]
    assert config["env"] == {"K": "V"}


def test_without_a_manifest_the_page_picks_the_pool_size() -> None:
    settings = page_settings(wasm(THREADED_WAT), "m.wasm", [], {}, [])
    assert settings.to_json_object([])["threads"] == {"spawn": True, "pool": None}


def test_a_module_without_threads_gets_no_pool_and_its_own_memory() -> None:
    config = page_settings(wasm(PLAIN_WAT), "m.wasm", [], {}, []).to_json_object([])
    assert config["memory"] is None
    assert config["threads"] == {"spawn": False, "pool": None}


def test_a_reactor_is_refused() -> None:
    with pytest.raises(HostError, match="no _start export"):
        page_settings(wasm(REACTOR_WAT), "r.wasm", [], {}, [])


def test_files_are_listed_with_their_urls(tmp_path: Path) -> None:
    data = tmp_path / "in.txt"
    data.write_text("x")
    settings = page_settings(wasm(PLAIN_WAT), "m.wasm", [], {}, [GuestFile(data, "/d/in.txt")])
    assert settings.to_json_object(["files/0"])["files"] == [
        {"guest": "/d/in.txt", "url": "files/0"}
    ]


@pytest.mark.parametrize(
    ("spec", "guest"),
    [("in.txt", "/in.txt"), ("in.txt::data/x", "/data/x"), ("in.txt::/a/../b", "/b")],
)
def test_guest_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec: str, guest: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("in.txt").write_text("x")
    assert parse_guest_file(spec) == GuestFile(Path("in.txt"), guest)


@pytest.mark.parametrize("spec", ["missing.txt", "::/x", "in.txt::", "in.txt::/"])
def test_bad_file_specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path("in.txt").write_text("x")
    with pytest.raises(UsageError, match="--file"):
        parse_guest_file(spec)
