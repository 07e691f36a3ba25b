"""Bootstrap bookkeeping: atomic cache entries, apt handling, CLI errors."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest

from wasmpack_mt.cli import main
from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.toolchains.bootstrap import apt
from wasmpack_mt.toolchains.bootstrap.libraries import make_resource_dir
from wasmpack_mt.toolchains.store import (
    MARKER,
    exclusive,
    install_entry,
    is_complete,
    recipe_key,
    remove_leftovers,
    remove_stale,
)


def test_interrupted_build_leaves_nothing_trusted(tmp_path: Path) -> None:
    def failing(dest: Path) -> None:
        (dest / "lib").mkdir()
        (dest / "lib" / "libc.a").write_text("half")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        install_entry(tmp_path, "c", "k1", failing, {})
    assert list(tmp_path.iterdir()) == []


def test_complete_entry_replaces_a_half_built_one(tmp_path: Path) -> None:
    leftover = tmp_path / "c-k1"
    (leftover / "lib").mkdir(parents=True)
    assert not is_complete(leftover)

    def build(dest: Path) -> None:
        (dest / "ok").write_text("1")

    entry = install_entry(tmp_path, "c", "k1", build, {"part": "c"})
    assert entry == leftover and is_complete(entry)
    assert not (entry / "lib").exists()
    assert json.loads((entry / MARKER).read_text()) == {"key": "k1", "part": "c"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c-k1"]


def test_leftovers_of_killed_runs_are_removed_under_the_lock(tmp_path: Path) -> None:
    (tmp_path / ".tmp-c-1234" / "entry").mkdir(parents=True)
    (tmp_path / "c-k1").mkdir()
    with exclusive(tmp_path):
        assert remove_leftovers(tmp_path) == [tmp_path / ".tmp-c-1234"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "c-k1"]


def test_recipe_key_changes_with_its_inputs() -> None:
    assert recipe_key("a", {"x": 1}) == recipe_key("a", {"x": 1})
    assert recipe_key("a", {"x": 1}) != recipe_key("a", {"x": 2})
    assert len(recipe_key(Path("/p"))) == 16


def test_stale_cxx_entries_never_take_the_exceptions_flavour_with_them(tmp_path: Path) -> None:
    keep, old, eh = "0" * 16, "1" * 16, "2" * 16
    for name in (f"cxx-{keep}", f"cxx-{old}", f"cxx-eh-{eh}"):
        (tmp_path / name).mkdir()
    assert remove_stale(tmp_path, "cxx", keep) == [tmp_path / f"cxx-{old}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"cxx-{keep}", f"cxx-eh-{eh}"]


def test_an_unset_optional_recipe_field_keeps_existing_keys() -> None:
    from wasmpack_mt.toolchains.spec import default_spec

    cxx = default_spec().bootstrap.cxx
    assert cxx.compiler is None
    without_field = {k: v for k, v in dataclasses.asdict(cxx).items() if k != "compiler"}
    assert recipe_key("c", cxx) == recipe_key("c", without_field)


def test_resource_dir_names_debian_builtins_as_clang_expects(tmp_path: Path) -> None:
    clang_res = tmp_path / "res"
    (clang_res / "include").mkdir(parents=True)
    (clang_res / "lib" / "wasi").mkdir(parents=True)
    (clang_res / "lib" / "wasi" / "libclang_rt.builtins-wasm32.a").write_text("ar")
    made = tmp_path / "private"
    make_resource_dir(
        made,
        clang_res,
        "lib/wasm32-unknown-wasip1-threads/libclang_rt.builtins.a",
        "lib/wasi/libclang_rt.builtins-wasm32.a",
    )
    expected = made / "lib" / "wasm32-unknown-wasip1-threads" / "libclang_rt.builtins.a"
    assert expected.read_text() == "ar"
    assert (made / "include").resolve() == (clang_res / "include").resolve()
    assert (made / "lib" / "wasi" / "libclang_rt.builtins-wasm32.a").is_file()


def test_non_debian_host_gets_one_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(
        ToolchainError, match=r"needs a Debian or Ubuntu host.*>= 22 .*WASI_SDK_PATH"
    ):
        apt.require_debian("22")


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="needs dpkg")
def test_missing_packages_without_root_print_the_apt_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert apt.missing_packages(["dpkg", "wasmpack-no-such-package"]) == [
        "wasmpack-no-such-package"
    ]
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(
        ToolchainError,
        match=r"run: sudo apt-get install -y "
        r"--no-install-recommends wasmpack-no-such-package$",
    ):
        apt.ensure_packages(["dpkg", "wasmpack-no-such-package"])


def test_cli_rejects_an_unknown_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["toolchain", "bootstrap", "--lang", "c,go"]) == 2
    assert main(["doctor", "--lang", ""]) == 2
    err = capsys.readouterr().err
    assert "error: unknown language 'go' in --lang" in err and "Traceback" not in err


@pytest.mark.skipif(Path("/opt/wasi-sdk").exists(), reason="a real wasi-sdk is installed")
def test_doctor_without_any_toolchain_fails_naming_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", os.fspath(tmp_path))
    monkeypatch.delenv("WASI_SDK_PATH", raising=False)
    assert main(["doctor", "--json", "--lang", "c,cxx"]) == 1
    reports = json.loads(capsys.readouterr().out)
    assert [(r["language"], r["ready"]) for r in reports] == [("c", False), ("cxx", False)]
    assert "run `wasmpack toolchain bootstrap --lang cxx`" in reports[1]["error"]
