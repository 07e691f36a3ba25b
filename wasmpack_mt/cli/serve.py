"""`wasmpack serve`: run the artifact in a browser page, with threads on Web Workers."""

from __future__ import annotations

import argparse
import ipaddress
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType
from typing import Any

from wasmpack_mt.cli.guest_args import add_rest
from wasmpack_mt.cli.page_args import add_run_options, page_settings_for
from wasmpack_mt.errors import UsageError
from wasmpack_mt.log import logger


def _add_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    keep = argparse.SUPPRESS
    add_run_options(parser, defaults)
    parser.add_argument(
        "--port", type=int, metavar="N", default=8000 if defaults else keep,
        help="the port to listen on (default 8000; 0 picks a free one)",
    )  # fmt: skip
    parser.add_argument(
        "--host", metavar="ADDRESS", default="127.0.0.1" if defaults else keep,
        help="the address to listen on (default 127.0.0.1, this machine only)",
    )  # fmt: skip


def register(subparsers: Any) -> None:
    """Add the `serve` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="run a .wasm module in a browser page (threads on Web Workers)",
        usage="wasmpack serve [FILE] [--port N] [--host ADDRESS] [--file HOST::GUEST ...] "
        "[--env K=V ...] [-- ARGS...]",
        description="Serve a page that runs the module with its arguments, shows its "
        "stdout, stderr and exit code, with the headers that give it threads. Runs until "
        "Ctrl-C. The first use installs the page's JavaScript libraries with npm.",
    )
    _add_options(parser, defaults=True)
    add_rest(parser)
    parser.set_defaults(handler=serve_command)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve_command(args: argparse.Namespace) -> int:
    """Serve the page until interrupted."""
    from wasmpack_mt.web import PageServer, install_libraries, write_site

    signal.signal(signal.SIGTERM, _stop)  # clean up the page's temp dir on SIGTERM too
    file, wasm, settings = page_settings_for(args, "serve", _add_options)
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port; use 1 to 65535, or 0 for any free one")
    if not _is_loopback(args.host):
        logger.warning(
            "browsers give threads (cross-origin isolation) only to secure origins: from "
            "another machine, open the page through HTTPS (e.g. a TLS proxy), not plain http"
        )
    node_modules = install_libraries()
    with tempfile.TemporaryDirectory(prefix="wasmpack-serve-") as scratch:
        root = Path(scratch) / "page"
        write_site(root, wasm, settings, node_modules)
        server = PageServer(root, args.host, args.port)
        print(f"serving {file} at {server.url} (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
        finally:
            server.server_close()
    return 0
