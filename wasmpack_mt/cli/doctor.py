"""`wasmpack doctor`: is each language ready, with what, and how to fix what is missing."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from wasmpack_mt.toolchains.model import CORE_LANGUAGES, LANGUAGES, Language


def register(subparsers: Any) -> None:
    """Add the `doctor` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "doctor", help="check that C, C++ and Rust can build for wasm32-wasip1-threads"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--lang",
        default=None,
        help="comma-separated languages to check (default: c,cxx,rust, and the optional "
        "cxx-eh flavour, which only fails the check when named here)",
    )
    parser.set_defaults(handler=doctor)


def diagnose(langs: Sequence[Language], candidates: list[Any]) -> list[dict[str, Any]]:
    """One report per language: the toolchain chosen, or every gap with its fix."""
    from wasmpack_mt.errors import ToolchainError
    from wasmpack_mt.toolchains.resolve import choose

    reports = []
    for lang in langs:
        relevant = [c for c in candidates if lang in c.languages]
        report: dict[str, Any] = {"language": lang}
        try:
            toolchain = choose(candidates, lang)
        except ToolchainError as exc:
            report |= {"ready": False, "error": str(exc), "fixes": _fixes(relevant, lang)}
        else:
            position = next(i for i, c in enumerate(relevant) if c.ready.get(lang) is toolchain)
            report |= {
                "ready": True,
                "kind": toolchain.kind,
                "version": toolchain.version,
                "path": str(relevant[position].path),
                "sysroot": str(toolchain.sysroot or ""),
                # Better-ranked candidates that were passed over, and why.
                "skipped": _fixes(relevant[:position], lang),
            }
        reports.append(report)
    return reports


def _fixes(candidates: list[Any], lang: str) -> list[dict[str, str]]:
    fixes: list[dict[str, str]] = []
    for candidate in candidates:
        for gap in candidate.missing.get(lang, ()):
            fixes.append(
                {
                    "toolchain": f"{candidate.kind} {candidate.version} at {candidate.path}",
                    "missing": gap.what,
                    "fix": gap.fix,
                }
            )
    return fixes


def doctor(args: argparse.Namespace) -> int:
    """Print the per-language verdicts; exit 0 only when every requested language is ready."""
    from wasmpack_mt.cli.toolchain import parse_languages
    from wasmpack_mt.toolchains import find_all

    explicit = args.lang is not None
    langs = list(parse_languages(args.lang if explicit else ",".join(LANGUAGES)))
    required = langs if explicit else list(CORE_LANGUAGES)
    reports = diagnose(langs, find_all())
    if args.json:
        print(json.dumps(reports, indent=2))
    else:
        for report in reports:
            if report["ready"]:
                print(
                    f"{report['language']:6} ready      {report['kind']} {report['version']} "
                    f"({report['path']}), sysroot {report['sysroot'] or 'built in'}"
                )
                for skip in report["skipped"]:
                    print(f"      (passed over {skip['toolchain']}: missing {skip['missing']})")
                continue
            optional = "" if report["language"] in required else " (optional)"
            print(f"{report['language']:6} NOT READY{optional}  {report['error']}")
            for fix in report["fixes"]:
                print(
                    f"      {fix['toolchain']}: missing {fix['missing']}\n        fix: {fix['fix']}"
                )
    return 0 if all(r["ready"] for r in reports if r["language"] in required) else 1
