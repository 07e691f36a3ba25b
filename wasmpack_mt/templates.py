"""Project templates for `wasmpack new`.

A template is a directory under `templates/` (shipped in the wheel as
`wasmpack_mt/_data/templates`). Creating a project copies every file of it,
reading each as UTF-8 text and replacing the placeholders `{{name}}` (the
project name) and `{{module}}` (the name as a Python package: `-` becomes `_`),
in file contents and paths; there is no other templating. The project is assembled in a
hidden sibling directory and renamed into place, so a failure never leaves a
half-written project behind.
"""

from __future__ import annotations

import re
import secrets
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from wasmpack_mt.errors import UsageError
from wasmpack_mt.paths import data_path

NAME_PLACEHOLDER = "{{name}}"
MODULE_PLACEHOLDER = "{{module}}"
BYTECODE_DIR = "__pycache__"
DEFAULT_TEMPLATE = "c"

DESCRIPTIONS: dict[str, str] = {
    "c": "C with POSIX threads, built from a wasmpack.toml source list",
    "cpp": "C++ with std::thread (libc++ without exceptions)",
    "rust": "Rust with std::thread, built with cargo",
    "cmake": "C with POSIX threads, built with CMake (find_package(Threads))",
    "python": "C with POSIX threads in a py3-none-any wheel (scikit-build-core + CMake)",
}
"""One line per template, shown by `wasmpack new --list`."""

_NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "python": ("pip wheel . -w dist --no-deps", "pip install dist/*.whl", NAME_PLACEHOLDER),
}
"""The commands `wasmpack new` suggests, when they are not `wasmpack build` and `run`."""

_NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")

# Names the template's own build tool refuses for a package or target.
_RUST_RESERVED = frozenset(
    {
        *("as", "async", "await", "break", "const", "continue", "crate", "dyn", "else"),
        *("enum", "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop"),
        *("match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static"),
        *("struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while"),
        *("abstract", "become", "box", "do", "final", "macro", "override", "priv", "try"),
        *("typeof", "unsized", "virtual", "yield", "gen"),
        *("std", "core", "alloc", "proc_macro", "test", "build", "deps", "examples"),
        "incremental",
    }
)
_CMAKE_RESERVED = frozenset(
    {
        *("all", "clean", "help", "install", "test", "package", "package_source"),
        *("edit_cache", "rebuild_cache", "depend", "list_install_components"),
    }
)
_PYTHON_RESERVED = frozenset({*_CMAKE_RESERVED, *sys.stdlib_module_names, "wasmpack_mt"})
"""The python template is also a CMake target, and its package must not hide another."""
_RESERVED: dict[str, frozenset[str]] = {
    "rust": _RUST_RESERVED,
    "cmake": _CMAKE_RESERVED,
    "python": _PYTHON_RESERVED,
}


@dataclass(frozen=True)
class Template:
    """One project template: its name, a one-line description and its files."""

    name: str
    description: str
    path: Path


def templates_dir() -> Path:
    """The directory holding one subdirectory per template."""
    return data_path("templates")


def available_templates() -> list[Template]:
    """Every template shipped with wasmpack, sorted by name."""
    root = templates_dir()
    if not root.is_dir():
        return []
    return [
        Template(entry.name, DESCRIPTIONS.get(entry.name, ""), entry)
        for entry in sorted(root.iterdir())
        if entry.is_dir()
    ]


def get_template(name: str) -> Template:
    """The template called `name`; an unknown name lists the valid ones."""
    templates = available_templates()
    for template in templates:
        if template.name == name:
            return template
    valid = ", ".join(t.name for t in templates) or "none found (reinstall wasmpack-mt)"
    raise UsageError(f"unknown template {name!r}: choose one of {valid} (--template NAME)")


def check_project_name(name: str, template: str) -> None:
    """Refuse a name that cannot be an artifact, crate or CMake target name."""
    if not _NAME_PATTERN.fullmatch(name):
        raise UsageError(
            f"invalid project name {name!r}: use a letter followed by up to 63 letters, "
            "digits, '_' or '-' (for example: fib-threads)"
        )
    reserved = _RESERVED.get(template, frozenset())
    if name in reserved or module_name(name) in reserved:
        raise UsageError(
            f"project name {name!r} is reserved for the {template} template's build tool: "
            f"choose another name (for example: {name}_app)"
        )


def module_name(name: str) -> str:
    """The project name as a Python package name."""
    return name.replace("-", "_")


def next_steps(template: str, name: str) -> tuple[str, ...]:
    """The commands to run in a new project of `template` called `name`."""
    steps = _NEXT_STEPS.get(template, ("wasmpack build", "wasmpack run"))
    return tuple(render(step, name) for step in steps)


def render(text: str, name: str) -> str:
    """A template file's text (or path) with the project name substituted."""
    return text.replace(NAME_PLACEHOLDER, name).replace(MODULE_PLACEHOLDER, module_name(name))


def create_project(destination: Path, template_name: str = DEFAULT_TEMPLATE) -> Path:
    """Create a project from a template at `destination`; its last part is the name.

    Refuses an existing file or non-empty directory. Returns the project directory.
    """
    template = get_template(template_name)
    destination = Path.cwd() / destination
    name = destination.name
    check_project_name(name, template.name)
    if destination.is_file() or (destination.is_dir() and any(destination.iterdir())):
        raise UsageError(
            f"{destination} already exists and is not empty: choose another project name "
            "or remove it first"
        )
    try:
        _create_from(template.path, destination)
    except OSError as exc:
        raise UsageError(
            f"cannot create {destination}: {exc.strerror or exc}; "
            "choose a path in a writable directory"
        ) from None
    return destination


def _create_from(template: Path, destination: Path) -> None:
    """Fill a staging directory beside `destination`, then move it into place."""
    name = destination.name
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = destination.parent / f".{name}.wasmpack-new-{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        _copy_rendered(template, staging, name)
        if destination.is_dir():
            # An existing empty directory (maybe the shell's cwd) is kept: fill it.
            for entry in sorted(staging.iterdir()):
                entry.rename(destination / entry.name)
            staging.rmdir()
        else:
            staging.rename(destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _copy_rendered(source: Path, target: Path, name: str) -> None:
    """Copy every file below `source` to `target`, substituting the project name.

    Bytecode caches are skipped: pip compiles the python template's package
    when it installs wasmpack-mt.
    """
    for file in sorted(source.rglob("*")):
        if not file.is_file() or BYTECODE_DIR in file.relative_to(source).parts:
            continue
        out = target / render(file.relative_to(source).as_posix(), name)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render(file.read_text(encoding="utf-8"), name), encoding="utf-8")
