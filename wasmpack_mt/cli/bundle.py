"""`wasmpack bundle FILE --name N --version V`: check a module built elsewhere, embed a manifest."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add the `bundle` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "bundle",
        help="check a .wasm linked by another build and embed its manifest",
        description="Check FILE's thread ABI and write it with the wasmpack manifest embedded "
        "(in place, or to -o), exactly as `wasmpack build` does after linking. CMake builds "
        "call it through wasmpack_add_artifact(). The artifact's path is the last line printed.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the linked .wasm module")
    parser.add_argument("--name", required=True, help="the artifact's name")
    parser.add_argument("--version", required=True, help="the artifact's version")
    parser.add_argument(
        "--entry",
        choices=("command", "reactor"),
        default="command",
        help="entry kind when the module has neither _start nor _initialize (command)",
    )
    parser.add_argument(
        "--max-threads", type=int, metavar="N", help="suggested thread limit of runs (64)"
    )
    parser.add_argument(
        "--language",
        action="append",
        default=[],
        metavar="LANG",
        help="a source language (c, cxx, rust); repeatable",
    )
    parser.add_argument("--toolchain", default="", help="the toolchain's name, as recorded")
    parser.add_argument("--toolchain-version", default="", help="the toolchain's version")
    parser.add_argument(
        "--source-root",
        type=Path,
        metavar="DIR",
        help="digest every file of this project directory as the source digest",
    )
    parser.add_argument("-o", "--output", type=Path, help="write here instead of over FILE")
    parser.set_defaults(handler=run_bundle)


def run_bundle(args: argparse.Namespace) -> int:
    """Check, embed, write; print the artifact path."""
    from wasmpack_mt.builders.project_tree import project_files
    from wasmpack_mt.bundle import ArtifactFacts, bundle_module, source_digest
    from wasmpack_mt.errors import UsageError

    if args.max_threads is not None and args.max_threads < 1:
        raise UsageError("--max-threads must be 1 or more")
    try:
        module = args.file.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror}; pass a linked .wasm") from None
    digest = ""
    if args.source_root is not None:
        if not args.source_root.is_dir():
            raise UsageError(f"--source-root {args.source_root} is not a directory")
        digest = source_digest(project_files(args.source_root.resolve()), args.source_root)
    facts = ArtifactFacts(
        name=args.name,
        version=args.version,
        entry=args.entry,
        max_threads=args.max_threads,
        languages=tuple(args.language),
        toolchain=args.toolchain,
        toolchain_version=args.toolchain_version,
        source_digest=digest,
    )
    print(bundle_module(module, facts, args.output or args.file, args.file.name))
    return 0
