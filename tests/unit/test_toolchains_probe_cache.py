"""Probes are kept on disk: a tool is asked again only when its path, size or mtime change."""

from __future__ import annotations

import os
from pathlib import Path

from wasmpack_mt.toolchains.probe import Prober


def counting_tool(tmp_path: Path) -> tuple[Path, Path]:
    """An executable that prints a version and counts its runs in a file."""
    counter = tmp_path / "runs"
    tool = tmp_path / "fake-clang"
    tool.write_text(f'#!/bin/sh\necho x >> "{counter}"\necho "clang version 19.1.7"\n')
    tool.chmod(0o755)
    return tool, counter


def runs(counter: Path) -> int:
    return len(counter.read_text().splitlines()) if counter.exists() else 0


def test_a_second_process_reads_the_stored_answer(tmp_path: Path) -> None:
    tool, counter = counting_tool(tmp_path)
    assert Prober()([tool, "--version"]) == "clang version 19.1.7\n"
    assert Prober()([tool, "--version"]) == "clang version 19.1.7\n"  # a new prober: from disk
    assert runs(counter) == 1
    assert Prober()([tool, "-print-resource-dir"]) is not None  # another command is asked
    assert runs(counter) == 2


def test_a_changed_tool_is_asked_again(tmp_path: Path) -> None:
    tool, counter = counting_tool(tmp_path)
    Prober()([tool, "--version"])
    stat = tool.stat()
    os.utime(tool, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    Prober()([tool, "--version"])
    assert runs(counter) == 2


def test_failures_are_not_stored(tmp_path: Path) -> None:
    counter = tmp_path / "runs"
    tool = tmp_path / "broken"
    tool.write_text(f'#!/bin/sh\necho x >> "{counter}"\nexit 1\n')
    tool.chmod(0o755)
    assert Prober()([tool, "--version"]) is None
    assert Prober()([tool, "--version"]) is None
    assert runs(counter) == 2
