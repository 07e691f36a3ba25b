"""The wheel's names and core metadata, from the project file (and Cargo.toml / [project])."""

from __future__ import annotations

import keyword
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.utils import InvalidName, canonicalize_name
from packaging.version import InvalidVersion, Version

from wasmpack_mt import __version__
from wasmpack_mt.builders.config import ProjectConfig
from wasmpack_mt.errors import ConfigError

REQUIRES_PYTHON = ">=3.11"
README_NAMES = ("README.md", "README.rst", "README.txt", "README")
LICENSE_PATTERN = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE)([-._][\w.-]+)?$", re.IGNORECASE)
_CONTENT_TYPES = {".md": "text/markdown", ".rst": "text/x-rst"}


@dataclass(frozen=True)
class WheelMetadata:
    """What METADATA says and the names the wheel's files are made from."""

    name: str
    """The distribution name as written in the project file."""
    version: Version
    summary: str = ""
    license: str = ""
    urls: tuple[tuple[str, str], ...] = ()
    readme: Path | None = None
    license_files: tuple[Path, ...] = ()

    @property
    def file_name(self) -> str:
        """The name part of wheel and .dist-info names (PEP 427 escaping)."""
        return canonicalize_name(self.name).replace("-", "_")

    @property
    def package(self) -> str:
        """The import package holding the module and the console script's code."""
        return self.file_name

    @property
    def dist_info(self) -> str:
        """The .dist-info directory name."""
        return f"{self.file_name}-{self.version}.dist-info"

    @property
    def wheel_name(self) -> str:
        """The wheel's file name."""
        return f"{self.file_name}-{self.version}-py3-none-any.whl"

    def render(self) -> str:
        """The METADATA file (core metadata 2.1) with the README as the description."""
        lines = [
            "Metadata-Version: 2.1",
            f"Name: {self.name}",
            f"Version: {self.version}",
        ]
        if self.summary:
            lines.append(f"Summary: {' '.join(self.summary.split())}")
        if self.license:
            lines.append(f"License: {' '.join(self.license.split())}")
        lines += [f"Project-URL: {label}, {url}" for label, url in self.urls]
        lines += [
            f"Requires-Python: {REQUIRES_PYTHON}",
            f"Requires-Dist: wasmpack-mt>={__version__}",
        ]
        if self.readme is None:
            return "\n".join(lines) + "\n"
        content_type = _CONTENT_TYPES.get(self.readme.suffix.lower(), "text/plain")
        lines.append(f"Description-Content-Type: {content_type}")
        return "\n".join(lines) + "\n\n" + self.readme.read_text(encoding="utf-8")


def wheel_metadata(config: ProjectConfig) -> WheelMetadata:
    """Validate the project's name and version for a wheel and gather its metadata."""
    where = f"{config.source}: {config.key('name')}"
    try:
        canonicalize_name(config.name, validate=True)
    except InvalidName:
        raise ConfigError(
            f"{where}: {config.name!r} is not a valid Python distribution name (letters, digits "
            "and single '-', '_' or '.' between them); rename the project"
        ) from None
    try:
        version = Version(config.version)
    except InvalidVersion:
        raise ConfigError(
            f"{config.source}: {config.key('version')}: {config.version!r} is not a PEP 440 "
            'version; write e.g. version = "1.2.0"'
        ) from None
    package = canonicalize_name(config.name).replace("-", "_")
    if not package.isidentifier() or keyword.iskeyword(package):
        raise ConfigError(
            f"{where}: {config.name!r} gives the package name {package!r}, which Python cannot "
            "import; rename the project so it starts with a letter"
        )
    if package in sys.stdlib_module_names:
        raise ConfigError(
            f"{where}: {config.name!r} would install a package {package!r} that hides Python's "
            "standard library module of that name; rename the project"
        )
    described = _described(config)
    root = config.root
    readme = next((root / n for n in README_NAMES if (root / n).is_file()), None)
    return WheelMetadata(
        name=config.name,
        version=version,
        summary=_text(described.get("description")),
        license=_license(described.get("license")),
        urls=_urls(described),
        readme=readme,
        license_files=tuple(
            sorted(p for p in root.iterdir() if p.is_file() and LICENSE_PATTERN.match(p.name))
        ),
    )


def _described(config: ProjectConfig) -> dict[str, Any]:
    """The table describing the package: pyproject's [project] or Cargo.toml's [package]."""
    for file, table in (("pyproject.toml", "project"), ("Cargo.toml", "package")):
        path = config.root / file
        if not path.is_file():
            continue
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read: {exc}; fix the file") from None
        found = document.get(table)
        if isinstance(found, dict):
            return found
    return {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _license(value: object) -> str:
    """An SPDX string, or pyproject's {text = ...}."""
    if isinstance(value, dict):
        return _text(value.get("text"))
    return _text(value)


def _urls(described: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Cargo's homepage/repository/documentation, or pyproject's [project.urls]."""
    urls = described.get("urls")
    if isinstance(urls, dict):
        return tuple((str(k), v) for k, v in urls.items() if isinstance(v, str))
    return tuple(
        (key.capitalize(), described[key])
        for key in ("homepage", "repository", "documentation")
        if isinstance(described.get(key), str)
    )
