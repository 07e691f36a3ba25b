"""`wasmpack wheel`'s names and metadata, and its refusals (before anything is built)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wasmpack_mt import __version__
from wasmpack_mt.builders.config import load_config
from wasmpack_mt.cli import main
from wasmpack_mt.errors import ConfigError
from wasmpack_mt.wheel.metadata import wheel_metadata


@pytest.mark.parametrize(
    "case",
    [
        ("fib", "1.0-banana", "'1.0-banana' is not a PEP 440 version"),
        ("fib+x", "1.0", "'fib+x' is not a valid Python distribution name"),
        ("fib-", "1.0", "'fib-' is not a valid Python distribution name"),
        ("2fib", "1.0", "gives the package name '2fib', which Python cannot import"),
        ("json", "1.0", "hides Python's standard library module"),
    ],
)
def test_bad_names_and_versions_are_one_error_and_no_wheel(
    c_project: Callable[..., Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: tuple[str, str, str],
) -> None:
    name, version, message = case
    project = c_project(name, version)
    out = tmp_path / "out"

    assert main(["wheel", str(project), "-o", str(out)]) == ConfigError.exit_code

    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err
    assert not out.exists() and not (project / "build").exists()


def test_a_directory_that_is_no_project_is_one_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["wheel", str(tmp_path), "-o", str(tmp_path / "out")]) == ConfigError.exit_code
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "is not a wasmpack project" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_metadata_comes_from_cargo_toml(tmp_path: Path) -> None:
    (tmp_path / "Cargo.toml").write_text(
        '[package]\nname = "tool"\nversion = "1.2.3"\ndescription = "A threaded tool"\n'
        'license = "MIT OR Apache-2.0"\nrepository = "https://example.org/tool"\n',
        encoding="utf-8",
    )
    (tmp_path / "README.md").write_text("# tool\n", encoding="utf-8")
    (tmp_path / "LICENSE-MIT").write_text("MIT\n", encoding="utf-8")

    metadata = wheel_metadata(load_config(tmp_path))

    assert metadata.render() == (
        "Metadata-Version: 2.1\nName: tool\nVersion: 1.2.3\nSummary: A threaded tool\n"
        "License: MIT OR Apache-2.0\nProject-URL: Repository, https://example.org/tool\n"
        f"Requires-Python: >=3.11\nRequires-Dist: wasmpack-mt>={__version__}\n"
        "Description-Content-Type: text/markdown\n\n# tool\n"
    )
    assert [p.name for p in metadata.license_files] == ["LICENSE-MIT"]


def test_metadata_comes_from_pyprojects_project_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "tool"\ndescription = "From pyproject"\n'
        '[project.urls]\nHomepage = "https://example.org"\n'
        '[tool.wasmpack]\nname = "tool"\nversion = "2.0"\nkind = "c"\nsources = ["*.c"]\n',
        encoding="utf-8",
    )
    text = wheel_metadata(load_config(tmp_path)).render()
    assert "Summary: From pyproject\n" in text
    assert "Project-URL: Homepage, https://example.org\n" in text
    assert "Version: 2.0\n" in text
