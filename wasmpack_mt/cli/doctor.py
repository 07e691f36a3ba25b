"""`wasmpack doctor`: is each language ready, with what, and how to fix what is missing."""

from __future__ import annotations

import argparse
import json
from typing import Any


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


def doctor(args: argparse.Namespace) -> int:
    """Print the per-language verdicts; exit 0 only when every requested language is ready."""
    from wasmpack_mt.cli.languages import parse_languages
    from wasmpack_mt.toolchains.diagnosis import all_ready, diagnose

    diagnoses = diagnose(None if args.lang is None else parse_languages(args.lang))
    if args.json:
        print(json.dumps([diagnosis.to_dict() for diagnosis in diagnoses], indent=2))
        return 0 if all_ready(diagnoses) else 1
    for diagnosis in diagnoses:
        toolchain = diagnosis.toolchain
        if toolchain is None:
            optional = "" if diagnosis.required else " (optional)"
            print(f"{diagnosis.language:6} NOT READY{optional}  {diagnosis.error}")
            for gap in diagnosis.gaps:
                print(f"      {gap.toolchain}: missing {gap.missing}\n        fix: {gap.fix}")
            continue
        print(
            f"{diagnosis.language:6} ready      {toolchain.kind} {toolchain.version} "
            f"({diagnosis.path}), sysroot {toolchain.sysroot or 'built in'}"
        )
        for gap in diagnosis.gaps:
            print(f"      (passed over {gap.toolchain}: missing {gap.missing})")
    return 0 if all_ready(diagnoses) else 1
