"""Walking a project's files (for the source digest), skipping outputs and version control."""

from __future__ import annotations

import os
from pathlib import Path

SKIPPED_DIRS = frozenset({".git", "build", "dist", "target", "__pycache__", ".hg", ".svn"})
"""Directories that never hold a project's sources (outputs and version control)."""


def project_files(root: Path) -> tuple[Path, ...]:
    """Every regular file of the project (sorted), skipping outputs and version control.

    Symbolic links are left out: they may dangle (an editor's `.#file` lock) or
    point outside the project.
    """
    found: list[Path] = []
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in files:
            path = Path(current) / name
            if not path.is_symlink() and path.is_file():
                found.append(path)
    return tuple(sorted(found))
