"""One settings model: every key read is documented, the docs tables are generated from it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from wasmpack_mt import settings, settings_docs
from wasmpack_mt.builders import config as config_module
from wasmpack_mt.builders.config import ProjectConfig, load_config
from wasmpack_mt.cli.run import parse_size as cli_parse_size
from wasmpack_mt.errors import UsageError
from wasmpack_mt.paths import data_path
from wasmpack_mt.settings import documented_keys
from wasmpack_mt.sizes import parse_size
from wasmpack_mt.toolchains import spec as spec_module
from wasmpack_mt.toolchains.spec import ToolchainsSpec


def test_committed_key_tables_match_the_model() -> None:
    stale = settings_docs.stale_pages()
    assert not stale, f"run `python -m wasmpack_mt.settings_docs` to refresh {stale}"


class RecordingProblems(settings.ProblemList):
    """A ProblemList that remembers itself, to see which keys the readers asked for."""

    made: ClassVar[list[RecordingProblems]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        RecordingProblems.made.append(self)


def asked_keys(monkeypatch: pytest.MonkeyPatch, module: Any, read: Any) -> set[str]:
    RecordingProblems.made.clear()
    monkeypatch.setattr(module, "ProblemList", RecordingProblems)
    read()
    return {re.sub(r"\[\d+\]", "[]", key) for p in RecordingProblems.made for key in p.asked}


def undocumented(asked: set[str], model: type) -> set[str]:
    documented = {doc.key for doc in documented_keys(model)}
    parents = {key.rsplit(".", 1)[0] for key in documented if "." in key}
    return asked - documented - parents


PROJECTS = {
    "c": 'kind = "c"\nsources = ["a.c"]\n[profile.release]\nopt-level = 3\n[run]\nmax-threads = 2',
    "cmake": 'kind = "cmake"\n[cmake]\ntarget = "t"\n[memory]\nmaximum = "64M"\n',
    "command": '[command]\nrun = "make"\noutput = "a.wasm"\n',
}


@pytest.mark.parametrize("kind", sorted(PROJECTS))
def test_every_project_key_read_is_documented(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "wasmpack.toml").write_text(PROJECTS[kind])
    asked = asked_keys(monkeypatch, config_module, lambda: load_config(tmp_path))
    assert "sources" in asked and "memory.maximum" in asked
    assert not undocumented(asked, ProjectConfig)


def test_every_toolchains_key_read_is_documented(monkeypatch: pytest.MonkeyPatch) -> None:
    data = yaml.safe_load(data_path("toolchains.yaml").read_text(encoding="utf-8"))
    asked = asked_keys(monkeypatch, spec_module, lambda: spec_module.parse_spec(data))
    assert "bootstrap.c.source.candidates[].files[].sha256" in asked
    assert not undocumented(asked, ToolchainsSpec)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1G", 1 << 30), ("1GiB", 1 << 30), ("256m", 256 << 20), ("64 KiB", 64 << 10), ("7", 7)],
)
def test_one_size_grammar_for_the_cli_and_the_project_file(
    text: str, expected: int, tmp_path: Path
) -> None:
    assert parse_size(text) == cli_parse_size(text) == expected
    if expected % 65536 == 0:
        (tmp_path / "wasmpack.toml").write_text(
            f'kind = "c"\nsources = ["a.c"]\n[memory]\nmaximum = "{text}"\n'
        )
        assert load_config(tmp_path).memory.maximum == expected


def test_ambiguous_units_name_the_fix(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="MB is ambiguous, write MiB"):
        cli_parse_size("256MB")
    (tmp_path / "wasmpack.toml").write_text(
        'kind = "c"\nsources = ["a.c"]\n[memory]\nmaximum = "1GB"\n'
    )
    with pytest.raises(Exception, match=r"memory\.maximum: .*GB is ambiguous, write GiB"):
        load_config(tmp_path)
