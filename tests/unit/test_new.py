"""`wasmpack new` and the template library, without compiling anything."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from wasmpack_mt import templates
from wasmpack_mt.builders.config import load_config
from wasmpack_mt.cli import main
from wasmpack_mt.errors import UsageError

TEMPLATE_NAMES = ["c", "cmake", "cpp", "python", "rust"]
WASMPACK_PROJECTS = ["c", "cmake", "cpp", "rust"]
"""The templates `wasmpack build` builds (python is built by pip and scikit-build-core)."""


def test_every_expected_template_ships_with_a_description() -> None:
    shipped = {t.name: t.description for t in templates.available_templates()}
    assert sorted(shipped) == TEMPLATE_NAMES
    assert all(shipped.values())
    assert templates.DEFAULT_TEMPLATE in shipped


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_every_template_has_a_readme_with_the_commands(template: str) -> None:
    readme = (templates.get_template(template).path / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# {{name}}\n")
    for command in templates.next_steps(template, "{{name}}"):
        assert command in readme


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_placeholders_are_substituted(tmp_path: Path, template: str) -> None:
    project = templates.create_project(tmp_path / "fib-demo", template)

    source_files = sorted(
        p for p in templates.get_template(template).path.rglob("*") if p.is_file()
    )
    created = sorted(p for p in project.rglob("*") if p.is_file())
    assert [p.relative_to(project) for p in created] == sorted(
        Path(
            templates.render(
                p.relative_to(templates.get_template(template).path).as_posix(), "fib-demo"
            )
        )
        for p in source_files
    )
    for file in created:
        assert "{{" not in file.read_text(encoding="utf-8"), file
    assert (project / "README.md").read_text(encoding="utf-8").startswith("# fib-demo\n")


@pytest.mark.parametrize("template", WASMPACK_PROJECTS)
def test_project_file_is_valid_and_names_the_artifact(tmp_path: Path, template: str) -> None:
    project = templates.create_project(tmp_path / "fib-demo", template)

    config = load_config(project)

    assert config.name == "fib-demo"
    assert config.kind == {"c": "c", "cpp": "cxx", "cmake": "cmake", "rust": "cargo"}[template]
    assert config.entry == "command"
    assert config.run.max_threads == 64
    if template == "cmake":
        assert config.cmake.target == "fib-demo"
        assert "add_executable(fib-demo " in (project / "CMakeLists.txt").read_text("utf-8")
    if template == "rust":
        cargo = tomllib.loads((project / "Cargo.toml").read_text(encoding="utf-8"))
        assert cargo["package"]["name"] == "fib-demo"
        assert "dependencies" not in cargo, "crates.io is unreachable: std only"


def test_new_refuses_a_non_empty_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fib").mkdir()
    (tmp_path / "fib" / "notes.txt").write_text("mine", encoding="utf-8")

    assert main(["new", "fib"]) == UsageError.exit_code

    err = capsys.readouterr().err
    assert "already exists and is not empty" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in (tmp_path / "fib").iterdir()) == ["notes.txt"]


def test_new_refuses_an_existing_file(tmp_path: Path) -> None:
    (tmp_path / "fib").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="not empty"):
        templates.create_project(tmp_path / "fib")
    assert (tmp_path / "fib").read_text(encoding="utf-8") == "mine"


def test_new_fills_the_empty_current_directory_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "fib").mkdir()
    monkeypatch.chdir(tmp_path / "fib")
    inode = (tmp_path / "fib").stat().st_ino

    assert main(["new", "."]) == 0

    assert (tmp_path / "fib").stat().st_ino == inode
    settings = tomllib.loads((tmp_path / "fib" / "wasmpack.toml").read_text(encoding="utf-8"))
    assert settings["name"] == "fib"
    assert "cd " not in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fib"]


@pytest.mark.parametrize("name", ["1fib", "fib!", "my fib", "-fib", "f" * 65, "fib.c", "é"])
def test_bad_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(UsageError, match="invalid project name"):
        templates.create_project(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "template"),
    [
        ("fn", "rust"),
        ("std", "rust"),
        ("all", "cmake"),
        ("json", "python"),
        ("wasmpack-mt", "python"),
    ],
)
def test_names_reserved_by_the_build_tool_are_refused(
    tmp_path: Path, name: str, template: str
) -> None:
    with pytest.raises(UsageError, match="reserved"):
        templates.create_project(tmp_path / name, template)
    assert list(tmp_path.iterdir()) == []


def test_unknown_template_lists_the_valid_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "fib", "--template", "go"]) == UsageError.exit_code
    err = capsys.readouterr().err.strip()
    assert err == (
        "error: unknown template 'go': choose one of c, cmake, cpp, python, rust (--template NAME)"
    )
    assert list(tmp_path.iterdir()) == []


def test_missing_name_says_what_to_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new"]) == UsageError.exit_code
    assert "wasmpack new NAME" in capsys.readouterr().err


def test_list_shows_every_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--list"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == TEMPLATE_NAMES


def test_new_prints_the_next_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "fib", "-t", "rust"]) == 0
    out = capsys.readouterr().out
    assert "cd fib\n  wasmpack build\n  wasmpack run\n" in out
    assert (tmp_path / "fib" / "Cargo.toml").is_file()


def test_a_failed_copy_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def failing_render(text: str, name: str) -> str:
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return text

    monkeypatch.setattr(templates, "render", failing_render)
    with pytest.raises(UsageError, match=r"cannot create .*fib: disk full; choose a path"):
        templates.create_project(tmp_path / "fib")
    assert list(tmp_path.iterdir()) == []


def test_an_uncreatable_path_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "/dev/null/x"]) != 0
    err = capsys.readouterr().err
    assert "cannot create /dev/null/x:" in err and "Traceback" not in err


def test_the_python_template_is_a_scikit_build_core_package(tmp_path: Path) -> None:
    project = templates.create_project(tmp_path / "fib-demo", "python")

    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["build-system"]["build-backend"] == "scikit_build_core.build"
    assert pyproject["project"]["scripts"] == {"fib-demo": "fib_demo:main"}
    skbuild = pyproject["tool"]["scikit-build"]
    assert (skbuild["wheel"]["py-api"], skbuild["wheel"]["platlib"]) == ("py3", False)
    cmake = (project / "CMakeLists.txt").read_text(encoding="utf-8")
    assert cmake.index("find_package(Wasmpack REQUIRED)") < cmake.index("project(fib-demo ")
    assert "wasmpack_add_artifact(fib-demo " in cmake
    assert "RUNTIME DESTINATION fib_demo)" in cmake
    assert (project / "src" / "main.c").read_bytes() == (
        templates.get_template("c").path / "src" / "main.c"
    ).read_bytes().replace(b"{{name}}", b"fib-demo")


def test_new_prints_the_python_templates_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "fib", "-t", "python"]) == 0
    out = capsys.readouterr().out
    assert "cd fib\n  pip wheel . -w dist --no-deps\n  pip install dist/*.whl\n  fib\n" in out


def test_bytecode_that_pip_compiled_into_a_template_is_not_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = tmp_path / "templates"
    shutil.copytree(templates.templates_dir(), shipped)
    cache = shipped / "python" / "src" / "{{module}}" / "__pycache__"
    cache.mkdir()
    (cache / "__init__.cpython-311.pyc").write_bytes(b"\xa7\r\r\n\0\0")
    monkeypatch.setattr(templates, "templates_dir", lambda: shipped)

    project = templates.create_project(tmp_path / "fib", "python")

    assert not list(project.rglob("__pycache__"))
    assert (project / "src" / "fib" / "__init__.py").is_file()
