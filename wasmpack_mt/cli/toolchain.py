"""`wasmpack toolchain list|bootstrap`: show and build wasm32-wasip1-threads toolchains."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wasmpack_mt.toolchains.model import CORE_LANGUAGES

if TYPE_CHECKING:
    from wasmpack_mt.toolchains import Candidate, Toolchain


def register(subparsers: Any) -> None:
    """Add `toolchain list` and `toolchain bootstrap`."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "toolchain", help="list or bootstrap wasm32-wasip1-threads toolchains"
    )
    actions = parser.add_subparsers(dest="toolchain_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="every toolchain found, with paths and versions")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_toolchains)
    boot = actions.add_parser(
        "bootstrap", help="build the threads sysroots (C, C++) and Rust std this machine lacks"
    )
    boot.add_argument(
        "--lang",
        default=",".join(CORE_LANGUAGES),
        help="comma-separated languages to bootstrap (default: c,cxx,rust); cxx-eh is the "
        "flavour with C++ exceptions and setjmp/longjmp (clang 22, about 2 more minutes)",
    )
    boot.add_argument(
        "--prefix",
        type=Path,
        default=None,
        help="where to put the results (default: ~/.cache/wasmpack/toolchains; "
        "set WASMPACK_TOOLCHAINS_DIR to the same path to use them)",
    )
    boot.set_defaults(handler=bootstrap_toolchains)


def describe(candidate: Candidate) -> dict[str, Any]:
    """A JSON-ready view of one candidate."""
    return {
        "kind": candidate.kind,
        "path": os.fspath(candidate.path),
        "version": candidate.version,
        "ready": sorted(candidate.ready),
        "missing": {
            lang: [{"what": m.what, "fix": m.fix} for m in gaps]
            for lang, gaps in candidate.missing.items()
        },
        "toolchains": {lang: _toolchain_fields(tc) for lang, tc in candidate.ready.items()},
    }


def _toolchain_fields(toolchain: Toolchain) -> dict[str, Any]:
    from dataclasses import asdict

    return {k: os.fspath(v) if isinstance(v, Path) else v for k, v in asdict(toolchain).items()}


def list_toolchains(args: argparse.Namespace) -> int:
    """Print every candidate found, best first."""
    from wasmpack_mt.toolchains import find_all

    candidates = [describe(c) for c in find_all()]
    if args.json:
        print(json.dumps(candidates, indent=2))
        return 0
    if not candidates:
        print("no toolchain found; run `wasmpack toolchain bootstrap`")
    for item in candidates:
        ready = ", ".join(item["ready"]) or "nothing yet"
        print(f"{item['kind']:13} {item['version']:10} {item['path']}  (ready: {ready})")
        for lang, toolchain in item["toolchains"].items():
            print(f"    {lang}: sysroot {toolchain.get('sysroot')}")
        for lang, gaps in item["missing"].items():
            for gap in gaps:
                print(f"    {lang}: needs {gap['what']} -> {gap['fix']}")
    return 0


def bootstrap_toolchains(args: argparse.Namespace) -> int:
    """Build what the requested languages need, then report where it went."""
    from wasmpack_mt.cli.languages import parse_languages
    from wasmpack_mt.toolchains.bootstrap import bootstrap

    started = time.monotonic()
    entries = bootstrap(parse_languages(args.lang), args.prefix)
    for lang, entry in entries.items():
        print(f"{lang}: {entry}")
    print(f"bootstrap finished in {time.monotonic() - started:.1f} s")
    if args.prefix is not None:
        print(f"to use it: export WASMPACK_TOOLCHAINS_DIR={args.prefix.resolve()}")
    return 0
