"""`wasmpack web`: the page of `wasmpack serve` as static files for any web server."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wasmpack_mt.cli.guest_args import add_rest
from wasmpack_mt.cli.page_args import add_run_options, page_settings_for
from wasmpack_mt.errors import UsageError


def _add_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    add_run_options(parser, defaults)
    parser.add_argument(
        "-o", "--output", metavar="DIR", default=None if defaults else argparse.SUPPRESS,
        help="the directory to write (replaced if it holds an earlier page)",
    )  # fmt: skip
    parser.add_argument(
        "--install", action="store_true", default=False if defaults else argparse.SUPPRESS,
        help="only install the page's JavaScript libraries (npm ci, into the cache) and exit",
    )  # fmt: skip


def register(subparsers: Any) -> None:
    """Add the `web` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "web",
        help="write the browser page for a .wasm module as static files",
        usage="wasmpack web [FILE] -o DIR [--file HOST::GUEST ...] [--env K=V ...] [-- ARGS...]"
        "\n       wasmpack web --install",
        description="Write the page `wasmpack serve` serves into DIR, for a static host "
        "that sends the two cross-origin isolation headers (printed, with server config).",
    )
    _add_options(parser, defaults=True)
    add_rest(parser)
    parser.set_defaults(handler=web_command)


def server_config(out: Path) -> str:
    """How to send the headers from common servers."""
    from wasmpack_mt.web import HEADERS

    coop, coep = HEADERS.items()
    return "\n".join([
        "serve it with these response headers (the page needs them for threads):",
        *(f"  {key}: {value}" for key, value in HEADERS.items()),
        f"nginx:   add_header {coop[0]} {coop[1]} always; "
        f"add_header {coep[0]} {coep[1]} always;",
        f'Apache:  Header set {coop[0]} "{coop[1]}"',
        f'         Header set {coep[0]} "{coep[1]}"',
        f"Netlify, Cloudflare Pages: {out / '_headers'} (written) sets them",
    ])  # fmt: skip


def web_command(args: argparse.Namespace) -> int:
    """Write the page and say how to serve it."""
    from wasmpack_mt.web import check_output_dir, install_libraries, publish_site

    if args.install:
        print(install_libraries())
        return 0
    file, wasm, settings = page_settings_for(args, "web", _add_options)
    if not args.output:
        raise UsageError("wasmpack web needs -o DIR, the directory to write the page into")
    out = Path(args.output)
    check_output_dir(out)
    publish_site(out, wasm, settings, install_libraries())
    print(f"wrote {out}/: the page for {file} (open index.html through a web server)")
    print(server_config(out))
    return 0
