"""A small static server for the page: its own files only, with the isolation headers.

Cross-origin isolation (`Cross-Origin-Opener-Policy: same-origin` and
`Cross-Origin-Embedder-Policy: require-corp`) is what gives the page
SharedArrayBuffer, and so threads. The server answers GET and HEAD for
regular files under its root: no directory listing, no `.`/`..` segments,
nothing a symbolic link points to outside the root.
"""

from __future__ import annotations

import errno
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from wasmpack_mt.errors import UsageError
from wasmpack_mt.log import logger
from wasmpack_mt.web.site import HEADERS

RESPONSE_HEADERS = {
    **HEADERS,
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".md": "text/plain; charset=utf-8",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"


class BadPath(Exception):
    """A request path that is refused outright (400), not merely missing (404)."""


def resolve_request(root: Path, target: str) -> Path | None:
    """The file under `root` that request target `target` names, or None (404).

    Raises `BadPath` for targets with `.`/`..` segments, backslashes, NUL or
    undecodable escapes. `root` must be resolved (absolute, no symlinks).
    """
    raw = urlsplit(target).path
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise BadPath(f"undecodable path {raw!r}") from None
    segments = path.split("/")
    if not path.startswith("/") or any(_refused(segment) for segment in segments):
        raise BadPath(f"refused path {raw!r}")
    if path == "/":
        segments = ["", "index.html"]
    if "" in segments[1:]:  # a trailing or doubled slash: a directory, never listed
        return None
    candidate = root.joinpath(*segments[1:])
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return real if real.is_relative_to(root) and real.is_file() else None


def _refused(segment: str) -> bool:
    return segment in (".", "..") or "\\" in segment or "\0" in segment


class _PageHandler(BaseHTTPRequestHandler):
    server: PageServer
    server_version = "wasmpack"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def _respond(self, with_body: bool) -> None:
        try:
            path = resolve_request(self.server.root, self.path)
        except BadPath as exc:
            self._refuse(HTTPStatus.BAD_REQUEST, str(exc))
            return
        if path is None:
            self._refuse(HTTPStatus.NOT_FOUND, "not found")
            return
        stat = path.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        if self.headers.get("If-None-Match") == etag:  # the workers revalidate each script
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._headers(None, None, etag)
            return
        body = path.read_bytes()
        self.send_response(HTTPStatus.OK)
        self._headers(CONTENT_TYPES.get(path.suffix, DEFAULT_CONTENT_TYPE), len(body), etag)
        if with_body:
            self.wfile.write(body)

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        body = f"{status.value} {status.phrase}: {message}\n".encode()
        self.send_response(status)
        self._headers("text/plain; charset=utf-8", len(body))
        self.wfile.write(body)

    def _headers(self, content_type: str | None, length: int | None, etag: str = "") -> None:
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(length))
        if etag:
            self.send_header("ETag", etag)
        for key, value in RESPONSE_HEADERS.items():
            self.send_header(key, value)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


class PageServer(ThreadingHTTPServer):
    """Serves the directory `root` on `host:port` (port 0: a free one)."""

    daemon_threads = True

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = root.resolve()
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            super().__init__((host, port), _PageHandler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(
                    f"port {port} on {host} is in use; pass --port with another port "
                    "(--port 0 picks a free one)"
                ) from None
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}; "
                             "check --host and --port") from None  # fmt: skip

    @property
    def url(self) -> str:
        """The page's address, e.g. http://127.0.0.1:8000/."""
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}/"
