"""`wasmpack web` writes the page whole or not at all; the CLI's errors are one line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support import wasmpack
from web_wat import PLAIN_WAT, THREADED_WAT, wasm

from wasmpack_mt.errors import UsageError
from wasmpack_mt.web import GuestFile, page_settings, publish_site
from wasmpack_mt.web.site import CONFIG_NAME, PAGE_DIR


def test_the_site_has_the_page_libraries_module_files_and_headers(
    tmp_path: Path, node_modules: Path
) -> None:
    data = tmp_path / "in.txt"
    data.write_text("hello")
    module = wasm(THREADED_WAT)
    settings = page_settings(module, "fib.wasm", ["1"], {}, [GuestFile(data, "/in.txt")])
    out = tmp_path / "site"
    publish_site(out, module, settings, node_modules)
    for asset in PAGE_DIR.iterdir():
        assert (out / asset.name).read_bytes() == asset.read_bytes()
    assert (out / "lib" / "browser_wasi_shim" / "index.js").is_file()
    assert (out / "lib" / "wasi-threads" / "LICENSE").is_file()
    assert (out / "fib.wasm").read_bytes() == module
    assert (out / "files" / "0").read_text() == "hello"
    config = json.loads((out / CONFIG_NAME).read_text())
    assert config["files"] == [{"guest": "/in.txt", "url": "files/0"}]
    assert "Cross-Origin-Embedder-Policy: require-corp" in (out / "_headers").read_text()


def test_an_earlier_page_is_replaced_and_nothing_is_left_beside_it(
    tmp_path: Path, node_modules: Path
) -> None:
    out = tmp_path / "site"
    for wat in (THREADED_WAT, PLAIN_WAT):
        module = wasm(wat)
        publish_site(out, module, page_settings(module, "m.wasm", [], {}, []), node_modules)
    assert (out / "m.wasm").read_bytes() == wasm(PLAIN_WAT)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["node_modules", "site"]


def test_a_directory_that_is_not_a_page_is_left_alone(tmp_path: Path, node_modules: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    module = wasm(PLAIN_WAT)
    with pytest.raises(UsageError, match="not a page written by `wasmpack web`"):
        publish_site(out, module, page_settings(module, "m.wasm", [], {}, []), node_modules)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_a_failed_write_leaves_no_half_page(tmp_path: Path, node_modules: Path) -> None:
    module = wasm(PLAIN_WAT)
    settings = page_settings(module, "m.wasm", [], {}, [GuestFile(tmp_path / "gone", "/gone")])
    with pytest.raises(FileNotFoundError):
        publish_site(tmp_path / "site", module, settings, node_modules)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["node_modules"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "missing.wasm"], "missing.wasm: no such file"),
        (["serve", "m.wasm", "--port", "70000"], "--port 70000 is not a port"),
        (["serve", "m.wasm", "--bogus"], "unknown option --bogus"),
        (["serve", "m.wasm", "--file", "nope.txt"], "--file nope.txt: no such file"),
        (["serve", "r.wasm"], "no _start export"),
        (["web", "m.wasm"], "wasmpack web needs -o DIR"),
        (["web", "m.wasm", "-o", "mine"], "not a page written by `wasmpack web`"),
    ],
)
def test_cli_errors_are_one_line(tmp_path: Path, argv: list[str], message: str) -> None:
    (tmp_path / "m.wasm").write_bytes(wasm(PLAIN_WAT))
    (tmp_path / "r.wasm").write_bytes(wasm('(module (func (export "work")))'))
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    result = wasmpack(*argv, cwd=tmp_path, expect=None)
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: ")
    assert message in line


def test_missing_npm_is_one_error_naming_the_fix(tmp_path: Path, private_cache: Path) -> None:
    (tmp_path / "m.wasm").write_bytes(wasm(PLAIN_WAT))
    env = {**os.environ, "PATH": str(tmp_path), "WASMPACK_CACHE_DIR": str(private_cache)}
    for argv in (["web", "--install"], ["serve", "m.wasm"], ["web", "m.wasm", "-o", "site"]):
        result = wasmpack(*argv, cwd=tmp_path, env=env, expect=3)
        (line,) = result.stderr.strip().splitlines()
        assert "npm is not on PATH; install Node.js and npm" in line
    assert not (tmp_path / "site").exists()
