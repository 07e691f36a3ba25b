"""`wasmpack bundle`: check a module linked by another build and embed its manifest."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime

from wasmpack_mt.bundle import ArtifactFacts, bundle_module, read_manifest, source_digest
from wasmpack_mt.cli import main
from wasmpack_mt.errors import CheckFailed


def test_bundle_embeds_the_manifest_in_place(
    tmp_path: Path, module_bytes: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    module = tmp_path / "app.wasm"
    module.write_bytes(module_bytes)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.c").write_text("int main(void) { return 0; }\n", encoding="utf-8")

    code = main(
        [
            "bundle", str(module), "--name", "app", "--version", "1.2.0",
            "--max-threads", "8", "--language", "c", "--toolchain", "clang + cmake",
            "--toolchain-version", "19.1.7", "--source-root", str(tmp_path / "src"),
        ]
    )  # fmt: skip

    assert code == 0
    assert capsys.readouterr().out.strip() == str(module.absolute())
    manifest = read_manifest(module.read_bytes())
    assert manifest is not None
    assert (manifest.name, manifest.version, manifest.entry) == ("app", "1.2.0", "command")
    assert (manifest.memory_min_pages, manifest.memory_max_pages) == (2, 1024)
    assert (manifest.max_threads, manifest.languages) == (8, ("c",))
    assert manifest.source_digest == source_digest([tmp_path / "src" / "main.c"], tmp_path / "src")


def test_bundle_writes_the_same_bytes_as_the_library_path(
    tmp_path: Path, module_bytes: bytes
) -> None:
    module = tmp_path / "app.wasm"
    module.write_bytes(module_bytes)
    facts = ArtifactFacts(name="app", version="1.0", max_threads=4, languages=("c",))
    expected = bundle_module(module_bytes, facts, tmp_path / "lib.wasm", "app.wasm").read_bytes()

    argv = ["bundle", str(module), "--name", "app", "--version", "1.0", "--max-threads", "4"]
    assert main([*argv, "--language", "c", "-o", str(tmp_path / "cli.wasm")]) == 0

    assert (tmp_path / "cli.wasm").read_bytes() == expected
    assert module.read_bytes() == module_bytes, "-o leaves FILE as it was"


def test_a_module_failing_the_check_is_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unshared = bytes(wasmtime.wat2wasm('(module (memory 1 2) (func (export "_start")))'))
    module = tmp_path / "app.wasm"
    module.write_bytes(unshared)

    assert main(["bundle", str(module), "--name", "app", "--version", "1"]) == CheckFailed.exit_code

    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("error: app.wasm: wasmpack check found")
    assert module.read_bytes() == unshared
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.wasm"]
