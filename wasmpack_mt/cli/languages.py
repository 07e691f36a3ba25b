"""`--lang c,cxx,rust`: the language list `doctor` and `toolchain bootstrap` take."""

from __future__ import annotations

from wasmpack_mt.errors import UsageError
from wasmpack_mt.toolchains.model import LANGUAGES, Language


def parse_languages(text: str) -> list[Language]:
    """`c,cxx` → ["c", "cxx"]; unknown names are a usage error."""
    langs: list[Language] = []
    for name in (part.strip() for part in text.split(",") if part.strip()):
        match = [lang for lang in LANGUAGES if lang == name]
        if not match:
            raise UsageError(
                f"unknown language {name!r} in --lang; use a comma-separated list "
                f"of {', '.join(LANGUAGES)}"
            )
        langs.append(match[0])
    if not langs:
        raise UsageError(f"--lang is empty; use a comma-separated list of {', '.join(LANGUAGES)}")
    return langs
