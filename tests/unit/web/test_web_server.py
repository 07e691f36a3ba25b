"""The page server: only its root's regular files, with the isolation headers."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from wasmpack_mt.errors import UsageError
from wasmpack_mt.web.server import BadPath, PageServer, resolve_request


@pytest.fixture
def root(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "lib").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html>\n")
    (site / "page.js").write_text("export {}\n")
    (site / "fib.wasm").write_bytes(b"\0asm\1\0\0\0")
    (site / "lib" / "a b.js").write_text("export {}\n")
    (tmp_path / "secret.txt").write_text("outside the root\n")
    (site / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (site / "inside.js").symlink_to(site / "page.js")
    return site.resolve()


@pytest.fixture
def server(root: Path) -> Iterator[PageServer]:
    page_server = PageServer(root, "127.0.0.1", 0)
    thread = threading.Thread(target=page_server.serve_forever, daemon=True)
    thread.start()
    yield page_server
    page_server.shutdown()
    page_server.server_close()
    thread.join(timeout=10)


def get(server: PageServer, target: str, **headers: str) -> http.client.HTTPResponse:
    """A raw request: `target` is sent as written (clients would normalise `..`)."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), port, timeout=10)
    connection.request("GET", target, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.parametrize(
    "target", ["/../secret.txt", "/lib/../../secret.txt", "/%2e%2e/secret.txt", "/./page.js",
               "/lib/..%2f..%2fsecret.txt", "/lib%5c..%5csecret.txt", "/%00", "/%ff"],
)  # fmt: skip
def test_dot_segments_and_odd_bytes_are_refused(root: Path, target: str) -> None:
    with pytest.raises(BadPath):
        resolve_request(root, target)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/", "index.html"),
        ("/page.js?v=1#top", "page.js"),
        ("/lib/a%20b.js", "lib/a b.js"),
        ("/inside.js", "page.js"),
    ],
)
def test_files_under_the_root_are_found(root: Path, target: str, expected: str) -> None:
    assert resolve_request(root, target) == root / expected


@pytest.mark.parametrize("target", ["/escape.txt", "/lib", "/lib/", "/missing.js", "/page.js/"])
def test_links_out_directories_and_missing_files_are_not_served(root: Path, target: str) -> None:
    assert resolve_request(root, target) is None


def test_server_sends_isolation_headers_and_content_types(server: PageServer) -> None:
    page = get(server, "/")
    assert page.status == 200
    assert page.getheader("Cross-Origin-Opener-Policy") == "same-origin"
    assert page.getheader("Cross-Origin-Embedder-Policy") == "require-corp"
    assert page.getheader("Cross-Origin-Resource-Policy") == "same-origin"
    assert page.getheader("Content-Type") == "text/html; charset=utf-8"
    assert get(server, "/fib.wasm").getheader("Content-Type") == "application/wasm"
    assert get(server, "/page.js").getheader("Content-Type").startswith("text/javascript")


def test_server_refuses_paths_out_of_its_root(server: PageServer) -> None:
    assert get(server, "/../secret.txt").status == 400
    assert get(server, "/%2e%2e/secret.txt").status == 400
    assert get(server, "/escape.txt").status == 404
    assert get(server, "/lib/").status == 404  # no directory listing


def test_unchanged_files_are_revalidated_not_resent(server: PageServer) -> None:
    etag = get(server, "/page.js").getheader("ETag")
    assert etag
    assert get(server, "/page.js", **{"If-None-Match": etag}).status == 304
    assert get(server, "/page.js", **{"If-None-Match": '"other"'}).status == 200


def test_busy_port_is_a_usage_error(server: PageServer, root: Path) -> None:
    port = server.server_address[1]
    with pytest.raises(UsageError, match=f"port {port} on 127.0.0.1 is in use"):
        PageServer(root, "127.0.0.1", port)
