"""toolchains.yaml loading: the shipped file parses; mistakes name the dotted key and a fix."""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from wasmpack_mt.errors import ConfigError
from wasmpack_mt.paths import data_path
from wasmpack_mt.toolchains.spec import PARSED_DIR, load_spec, parse_spec


def shipped() -> dict[str, Any]:
    """The repository's toolchains.yaml as plain data."""
    data: dict[str, Any] = yaml.safe_load(data_path("toolchains.yaml").read_text())
    return data


def test_shipped_file_loads_into_frozen_dataclasses() -> None:
    spec = load_spec(data_path("toolchains.yaml"))
    assert spec.triple == "wasm32-wasip1-threads"
    assert "wasm32-wasi-threads" in spec.legacy_triples
    first = spec.bootstrap.c.source.candidates[0]
    assert all(len(f.sha256) == 64 and not f.pool.startswith("http") for f in first.files)
    assert spec.bootstrap.cxx.cmake_defines["LIBCXX_ENABLE_THREADS"] == "ON"
    assert "1.94.0" in spec.rust.bad_versions
    with pytest.raises(AttributeError):
        spec.triple = "other"  # type: ignore[misc]


def test_unknown_key_suggests_the_right_one() -> None:
    data = copy.deepcopy(shipped())
    data["system_clang"]["canditates"] = data["system_clang"].pop("candidates")
    with pytest.raises(ConfigError) as info:
        parse_spec(data)
    message = str(info.value) + info.value.details
    assert (
        "system_clang.canditates: unknown key (did you mean 'system_clang.candidates'?)" in message
    )
    assert "system_clang.candidates: missing" in message


def test_every_problem_is_reported_in_one_pass() -> None:
    data = copy.deepcopy(shipped())
    data["bootstrap"]["c"]["source"]["candidates"][0]["files"][0]["sha265"] = "x"
    data["bootstrap"]["cxx"]["source"]["unpack"] = "zip"
    data["rust"]["bad_versions"] = ["1.94.0"]
    with pytest.raises(ConfigError) as info:
        parse_spec(data, "toolchains.yaml")
    everything = f"{info.value}\n{info.value.details}"
    assert (
        "bootstrap.c.source.candidates[0].files[0].sha265: unknown key (did you mean "
        "'bootstrap.c.source.candidates[0].files[0].sha256'?)" in everything
    )
    assert "bootstrap.cxx.source.unpack: expected 'dpkg-source' or 'tar'" in everything
    # cxx-eh shares the cxx source (a YAML anchor), so the bad unpack is reported there too.
    assert "bootstrap.cxx-eh.source.unpack: expected 'dpkg-source' or 'tar'" in everything
    assert "rust.bad_versions: expected a mapping" in everything
    assert "(and 3 more above)" in str(info.value)


def test_not_yaml_and_missing_file(tmp_path: Path) -> None:
    broken = tmp_path / "toolchains.yaml"
    broken.write_text("triple: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_spec(broken)
    with pytest.raises(ConfigError, match="cannot read"):
        load_spec(tmp_path / "absent.yaml")
    with pytest.raises(ConfigError, match="<top>: expected a mapping"):
        parse_spec(["a list"])


def test_code_holds_no_versions_urls_or_checksums() -> None:
    package = Path(__file__).resolve().parents[2] / "wasmpack_mt" / "toolchains"
    text = "\n".join(p.read_text() for p in package.rglob("*.py"))
    patterns = {
        "a URL": r"\w+://",
        "a sha256": r"\b[0-9a-f]{64}\b",
        "a version": r"[\"'](?!0\.0\.0)\d+\.\d+\.\d+",  # in a string literal
        "a minimum version": r"[\"'][^\"'\n]*>=\s*\d",  # in a string literal
        "a versioned package": r"[\"'](?:clang|lld|llvm|libclang-rt)-\d+",
        "a Debian package": r"[\"'](?:rustc-web|cargo-web|rust-web-src|wasi-libc_)",
    }
    for what, pattern in patterns.items():
        found = re.findall(pattern, text)
        assert not found, f"toolchains code holds {what}: {found[:3]}; move it to toolchains.yaml"


def test_a_file_parsed_before_is_read_back_without_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_cache: Path
) -> None:
    copy = tmp_path / "toolchains.yaml"
    copy.write_bytes(data_path("toolchains.yaml").read_bytes())
    first = load_spec(copy)
    assert len(list((private_cache / PARSED_DIR).iterdir())) == 1
    monkeypatch.setitem(sys.modules, "yaml", None)  # importing yaml now fails
    assert load_spec(copy) == first


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    data = shipped()
    path = tmp_path / "toolchains.yaml"
    path.write_text(yaml.safe_dump(data))
    assert load_spec(path).triple == data["triple"]
    data["triple"] = "wasm32-wasip1-threads-changed"
    path.write_text(yaml.safe_dump(data))
    assert load_spec(path).triple == "wasm32-wasip1-threads-changed"


def test_a_damaged_parsed_copy_is_parsed_again(tmp_path: Path, private_cache: Path) -> None:
    path = tmp_path / "toolchains.yaml"
    path.write_bytes(data_path("toolchains.yaml").read_bytes())
    expected = load_spec(path)
    for kept in (private_cache / PARSED_DIR).iterdir():
        kept.write_bytes(b"\xff not marshal")
    assert load_spec(path) == expected
    with pytest.raises(ConfigError, match="not valid YAML"):
        broken = tmp_path / "broken.yaml"
        broken.write_bytes(b"triple: [\xff\n")
        load_spec(broken)
