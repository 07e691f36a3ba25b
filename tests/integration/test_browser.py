"""The artifact runs in a browser: `wasmpack serve` and `wasmpack web` in headless Chromium.

The page runs the module's main thread in a Worker and each wasi-threads
thread in another, over one shared memory, with WASI from an npm library.
These tests open it in Debian's chromium through chromedriver (selenium), wait
for the page's completion signal (`<body data-exit-code>`), and read what it
shows. Without chromium they skip, unless WASMPACK_REQUIRE_BROWSER is set (CI).
"""

from __future__ import annotations

import functools
import http.server
import os
import select
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import ToolchainFor, build, fib, wasmpack

from wasmpack_mt.toolchains.model import Language

PROJECTS = Path(__file__).resolve().parent.parent / "projects"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)  # fmt: skip
PAGE_TIMEOUT = 120
SERVE_START_TIMEOUT = 600  # the first `wasmpack serve` runs npm ci
TEMPLATE_LANGUAGE: dict[str, Language] = {"c": "c", "rust": "rust"}


def browser_required() -> bool:
    """Whether a missing browser fails the tests (WASMPACK_REQUIRE_BROWSER, set by CI)."""
    return os.environ.get("WASMPACK_REQUIRE_BROWSER", "") not in ("", "0")


@dataclass(frozen=True)
class PageResult:
    """What the page showed when the run ended."""

    exit_code: int
    stdout: str
    stderr: str
    isolated: str
    cores: int


class Browser:
    """Headless Chromium driven through chromedriver."""

    def __init__(self, profile: Path) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)

    def run_page(self, url: str, screenshot: Path | None = None) -> PageResult:
        """Open `url`, wait for the run to end, and read the page."""
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver.get(url)
        body = self.driver.find_element(By.TAG_NAME, "body")
        try:
            WebDriverWait(self.driver, PAGE_TIMEOUT).until(
                lambda _: body.get_attribute("data-exit-code") is not None
            )
        except TimeoutException:
            pytest.fail(f"the page did not finish within {PAGE_TIMEOUT} s; it shows:\n{body.text}")
        if screenshot is not None:
            assert self.driver.save_screenshot(str(screenshot))
        text = {
            name: self.driver.find_element(By.ID, name).get_property("textContent")
            for name in ("stdout", "stderr", "isolated")
        }
        return PageResult(
            exit_code=int(body.get_attribute("data-exit-code") or ""),
            stdout=str(text["stdout"]),
            stderr=str(text["stderr"]),
            isolated=str(text["isolated"]),
            cores=int(self.driver.execute_script("return navigator.hardwareConcurrency")),
        )


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One headless Chromium for the module's tests (skip, or fail in CI, without one)."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).is_file()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install -e '.[test]')")
    if missing:
        message = f"no browser for the page tests: missing {', '.join(missing)}; " \
            "install Debian's chromium and chromium-driver"  # fmt: skip
        if browser_required():
            pytest.fail(message)
        pytest.skip(message)
    chromium = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.driver.quit()


@contextmanager
def serving(*argv: str | Path, cwd: Path | None = None) -> Iterator[str]:
    """`wasmpack serve --port 0 ARGV` running; yields the page's URL from its first line."""
    log = (cwd or Path.cwd()) / f"serve-{os.getpid()}-{threading.get_ident()}.log"
    with (
        log.open("w+") as stderr,
        subprocess.Popen(
            [sys.executable, "-m", "wasmpack_mt", "serve", "--port", "0", *map(str, argv)],
            cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, text=True,
        ) as server,
    ):  # fmt: skip
        try:
            assert server.stdout is not None
            ready, _, _ = select.select([server.stdout], [], [], SERVE_START_TIMEOUT)
            first = server.stdout.readline() if ready else "(nothing)"
            stderr.seek(0)
            assert first.startswith("serving "), f"wasmpack serve said {first!r}\n{stderr.read()}"
            yield first.split(" at ")[1].split()[0]
        finally:
            server.terminate()
    log.unlink()


@pytest.fixture(scope="module")
def built() -> dict[str, Path]:
    """Artifacts built once per module, by project name."""
    return {}


@pytest.fixture
def probe(
    toolchain_for: ToolchainFor, built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """tests/projects/c-browser, built once: meet, trap, exit N, cat, env, random."""
    toolchain_for("c")
    if "c-browser" not in built:
        project = tmp_path_factory.mktemp("probe") / "c-browser"
        shutil.copytree(PROJECTS / "c-browser", project)
        built["c-browser"] = build(project)
    return built["c-browser"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "template",
    [pytest.param("c", marks=pytest.mark.toolchain("c")),
     pytest.param("rust", marks=pytest.mark.toolchain("rust"))],
)  # fmt: skip
def test_new_build_serve_runs_the_seed_in_the_browser(
    browser: Browser, toolchain_for: ToolchainFor, tmp_path: Path, template: str
) -> None:
    toolchain_for(TEMPLATE_LANGUAGE[template])
    wasmpack("new", "demo", "--template", template, cwd=tmp_path)
    project = tmp_path / "demo"
    wasmpack("build", cwd=project)

    with serving(cwd=project) as url:  # no FILE: the project's artifact, as a new user runs it
        seed = browser.run_page(url, screenshot=tmp_path / f"page-{template}.png")
    assert seed.isolated == "crossOriginIsolated = true"
    assert (seed.exit_code, seed.stderr) == (0, "")
    assert seed.stdout == f"fib(4) = {fib(4)}\nfib(5) = {fib(5)}\n"
    assert (tmp_path / f"page-{template}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    with serving("--", "2", "25", cwd=project) as url:
        heavy = browser.run_page(url)
    assert (heavy.exit_code, heavy.stderr) == (0, "")
    lines = [f"thread {i}: fib(25) = {fib(25)}" for i in range(2)] + [f"total = {2 * fib(25)}"]
    assert heavy.stdout.splitlines() == lines


def test_two_threads_run_at_once_in_the_page(browser: Browser, probe: Path) -> None:
    with serving(probe, "--", "meet", cwd=probe.parent) as url:
        page = browser.run_page(url)
    assert page.isolated == "crossOriginIsolated = true"
    assert (page.exit_code, page.stderr) == (0, "")
    # Each thread waits inside wasm until the other arrives: 2 of 2 only if they overlapped.
    assert sorted(page.stdout.splitlines()) == ["thread 0 met 2 of 2", "thread 1 met 2 of 2"]


def test_a_trap_in_a_thread_ends_the_run_with_134(browser: Browser, probe: Path) -> None:
    with serving(probe, "--", "trap", cwd=probe.parent) as url:
        page = browser.run_page(url)
    assert page.exit_code == 134  # as `wasmpack run` exits on a trap
    assert page.stderr.startswith("error: wasm trap in thread ")
    assert "unreachable" in page.stderr


@pytest.mark.parametrize("code", [3, 0])
def test_exit_in_a_thread_ends_the_run_with_its_code(
    browser: Browser, probe: Path, code: int
) -> None:
    with serving(probe, "--", "exit", str(code), cwd=probe.parent) as url:
        page = browser.run_page(url)
    assert (page.exit_code, page.stdout, page.stderr) == (code, "", "")


def test_the_usage_error_exit_code_of_main_is_shown(browser: Browser, probe: Path) -> None:
    with serving(probe, "--", "bogus", cwd=probe.parent) as url:
        page = browser.run_page(url)
    assert page.exit_code == 2
    assert page.stderr.startswith("usage: probe")


def test_files_env_clocks_and_random_reach_the_guest(
    browser: Browser, probe: Path, tmp_path: Path
) -> None:
    data = tmp_path / "input.txt"
    data.write_text("preloaded\nfrom the host\n")
    options = ("--file", f"{data}::/data/ïn.txt", "--env", "GREETING=hello")
    runs = {
        ("cat", "/data/ïn.txt"): "preloaded\nfrom the host\n",  # and a non-ASCII argument
        ("env", "GREETING"): "GREETING=hello\n",
        ("random",): "random bytes: yes\n",
    }
    for args, expected in runs.items():
        with serving(probe, *options, "--", *args, cwd=tmp_path) as url:
            page = browser.run_page(url)
        assert (page.exit_code, page.stdout, page.stderr) == (0, expected, "")
    with serving(probe, "--", "env", "WASMPACK_CPUS", cwd=tmp_path) as url:
        page = browser.run_page(url)
    assert page.stdout == f"WASMPACK_CPUS={page.cores}\n"


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Python's plain static file server, quiet."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class _IsolatedStaticHandler(_StaticHandler):
    """The plain server plus the two headers a user would configure."""

    def end_headers(self) -> None:
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()


@contextmanager
def static_server(root: Path, isolated: bool = True) -> Iterator[str]:
    handler = functools.partial(
        _IsolatedStaticHandler if isolated else _StaticHandler, directory=str(root)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_web_output_runs_from_a_plain_static_server(
    browser: Browser, probe: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    written = wasmpack("web", probe, "-o", site, "--", "meet")
    assert "add_header Cross-Origin-Embedder-Policy require-corp" in written.stdout
    assert 'Header set Cross-Origin-Opener-Policy "same-origin"' in written.stdout
    with static_server(site) as url:
        page = browser.run_page(url)
    assert page.isolated == "crossOriginIsolated = true"
    assert (page.exit_code, page.stderr) == (0, "")
    assert sorted(page.stdout.splitlines()) == ["thread 0 met 2 of 2", "thread 1 met 2 of 2"]


def test_a_page_served_without_the_headers_says_what_is_missing(
    browser: Browser, probe: Path, tmp_path: Path
) -> None:
    wasmpack("web", probe, "-o", tmp_path / "site", "--", "meet")
    with static_server(tmp_path / "site", isolated=False) as url:
        page = browser.run_page(url)
    assert page.isolated == "crossOriginIsolated = false"
    assert page.exit_code == 7
    assert "Cross-Origin-Embedder-Policy: require-corp" in page.stderr
    assert page.stdout == ""
