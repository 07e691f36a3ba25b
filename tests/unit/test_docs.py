"""The docs in `docs/` build cleanly and describe every option the CLI accepts."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from wasmpack_mt.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
GLOBAL_SECTION = "Global options and exit codes"
GLOBAL_OPTIONS = {"-h", "--help", "--version", "--debug", "-v", "--verbose", "-q", "--quiet"}
"""Documented once, in the global section (`build --debug` is also `build`'s own)."""


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every (sub)command's parser with its path, e.g. ("toolchain", "list")."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                yield (*path, name), subparser
                yield from commands(subparser, (*path, name))


def option_strings(parser: argparse.ArgumentParser) -> set[str]:
    """Every option string the parser's --help lists."""
    return {
        option
        for action in parser._actions
        if action.help != argparse.SUPPRESS
        for option in action.option_strings
    }


def sections() -> dict[str, str]:
    """Each docs heading and the text under it, up to the next heading of its level or above.

    Lines in fenced code blocks are never headings (`# a shell comment`).
    """
    found: dict[str, str] = {}
    for page in sorted(DOCS.glob("*.md")):
        headings: list[tuple[int, str, int]] = []
        lines = page.read_text(encoding="utf-8").splitlines()
        fenced = False
        for number, line in enumerate(lines):
            if line.startswith("```"):
                fenced = not fenced
            elif not fenced and (match := re.match(r"(#+) (.*)", line)):
                headings.append((len(match.group(1)), match.group(2), number))
        for index, (level, title, start) in enumerate(headings):
            end = next((n for lvl, _, n in headings[index + 1 :] if lvl <= level), len(lines))
            found[f"{page.name}: {title}"] = "\n".join(lines[start:end])
    return found


def mentions(text: str, option: str) -> bool:
    """Whether `option` appears in `text` as a whole word (`-o` is not in `--output`)."""
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


@pytest.mark.parametrize(
    ("path", "parser"),
    list(commands(build_parser())),
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else "",
)
def test_every_option_of_every_command_is_documented_in_its_section(
    path: tuple[str, ...], parser: argparse.ArgumentParser
) -> None:
    command = f"`wasmpack {' '.join(path)}"
    texts = [text for title, text in sections().items() if command in title]
    assert texts, f"no docs heading names {command}`; add one (docs/commands.md)"
    own = option_strings(parser) - GLOBAL_OPTIONS
    if path == ("build",):
        own.add("--debug")  # after `build` it is the deprecated profile alias
    missing = sorted(option for option in own if not any(mentions(t, option) for t in texts))
    assert not missing, f"{command}` options missing from its docs section: {missing}"


def test_global_options_are_documented() -> None:
    parser = build_parser()
    section = sections()[f"commands.md: {GLOBAL_SECTION}"]
    every = option_strings(parser) | {o for _, sub in commands(parser) for o in option_strings(sub)}
    expected = every & GLOBAL_OPTIONS
    assert expected == GLOBAL_OPTIONS
    assert not [option for option in sorted(expected) if not mentions(section, option)]


def test_mkdocs_build_is_strict_clean_and_readme_links_resolve(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(docs/([\w-]+)\.md(?:#([\w-]+))?\)", readme)
    assert links, "the README links to no docs page"
    for page, anchor in links:
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in html, f"README: docs/{page}.md#{anchor}"
