"""Threaded Wasm in Python wheels, end to end, with real pip, scikit-build-core and CMake.

wasmpack-mt is not on the package index here, so its wheel is built from this
checkout and offered to pip with --find-links, as a user does before a
release. One fresh venv (without pip: the outer pip installs into it through
`pip --python`) serves the module: each test installs into it and runs the
console scripts it gets.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.utils import parse_wheel_filename
from packaging.version import Version
from support import fib, validate_wasm, wasmpack

from wasmpack_mt import __version__
from wasmpack_mt.bundle import read_manifest
from wasmpack_mt.toolchains.model import Language, Toolchain
from wasmpack_mt.toolchains.store import default_prefix

REPO = Path(__file__).resolve().parents[2]
SEED = f"fib(4) = {fib(4)}\nfib(5) = {fib(5)}\n"
pytestmark = pytest.mark.slow


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: no PYTHONPATH pointing at this checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, **extra}


def run(
    *args: str | Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    expect: int | None = 0,
) -> subprocess.CompletedProcess[str]:
    """Run a command as a user would; assert its exit code unless `expect` is None."""
    result = subprocess.run(
        [os.fspath(a) for a in args],
        cwd=cwd,
        env=dict(env) if env is not None else clean_env(),
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if expect is not None:
        assert result.returncode == expect, (
            f"{' '.join(map(str, args))}: exit {result.returncode}, expected {expect}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


def pip(*args: str | Path, expect: int | None = 0) -> subprocess.CompletedProcess[str]:
    """The outer interpreter's pip."""
    return run(sys.executable, "-m", "pip", "--disable-pip-version-check", *args, expect=expect)


@dataclass(frozen=True)
class Venv:
    """A fresh virtual environment holding wasmpack-mt (from its local wheel)."""

    root: Path
    wheelhouse: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    def script(self, name: str) -> Path:
        return self.root / "bin" / name

    @property
    def site_packages(self) -> Path:
        """Asked of the venv's own interpreter (Debian's python3 patches the default scheme)."""
        code = "import sysconfig; print(sysconfig.get_path('purelib'))"
        return Path(run(self.python, "-c", code).stdout.strip())

    def pip(self, *args: str | Path, expect: int | None = 0) -> subprocess.CompletedProcess[str]:
        """pip acting on this venv."""
        return pip("--python", self.python, *args, expect=expect)


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """wasmpack-mt's own wheel, built from this checkout."""
    out = tmp_path_factory.mktemp("wheelhouse")
    pip("wheel", "--no-deps", "-w", out, REPO)
    (wheel,) = out.glob("*.whl")
    assert parse_wheel_filename(wheel.name)[:2] == ("wasmpack-mt", Version(__version__))
    return out


def test_wasmpack_mt_wheel_ships_its_license_types_templates_and_cmake_module(
    wheelhouse: Path,
) -> None:
    (wheel,) = wheelhouse.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"wasmpack_mt-{__version__}.dist-info"
        metadata = archive.read(f"{info}/METADATA").decode()
        license_text = archive.read(f"{info}/licenses/LICENSE").decode()
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert "License-Expression: Apache-2.0" in metadata.splitlines()
    assert license_text.split()[:3] == ["Apache", "License", "Version"]
    assert "[cmake.prefix]\nwasmpack = wasmpack_mt.cmake" in entry_points
    assert {
        "wasmpack_mt/py.typed",
        "wasmpack_mt/cmake/WasmpackConfig.cmake",
        "wasmpack_mt/_data/templates/python/pyproject.toml",
        "wasmpack_mt/_data/templates/python/src/main.c",
    } <= names


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> Venv:
    """A fresh venv with wasmpack-mt and scikit-build-core (for --no-build-isolation).

    It gets the `ninja` package too, so its builds use the generator that pip's
    isolated builds fetch when the machine has no ninja.
    """
    root = tmp_path_factory.mktemp("venv") / "env"
    run(sys.executable, "-m", "venv", "--without-pip", root)
    env = Venv(root, wheelhouse)
    (local,) = wheelhouse.glob("*.whl")  # this checkout's, whatever the index holds
    env.pip("install", local, "scikit-build-core>=1.0", "ninja")
    return env


@pytest.fixture
def new_project(
    tmp_path: Path, toolchain_for: Callable[[Language], Toolchain]
) -> Callable[[str, str], Path]:
    """`wasmpack new NAME --template T` in tmp_path (after making sure its toolchain exists)."""

    def create(template: str, name: str = "fib-demo") -> Path:
        toolchain_for("rust" if template == "rust" else "c")
        wasmpack("new", name, "--template", template, cwd=tmp_path)
        return tmp_path / name

    return create


def only_wheel(directory: Path) -> Path:
    """The one file in `directory`, which must be a wheel."""
    files = sorted(directory.iterdir())
    assert len(files) == 1 and files[0].suffix == ".whl", files
    return files[0]


def assert_installed_artifact(venv: Venv, package: str, name: str, version: str) -> None:
    """The installed .wasm carries its manifest, passes `wasmpack check` and wasm-tools."""
    wasm = venv.site_packages / package / f"{name}.wasm"
    manifest = read_manifest(wasm.read_bytes())
    assert manifest is not None
    assert (manifest.name, manifest.version, manifest.entry) == (name, version, "command")
    assert manifest.max_threads == 64
    assert manifest.source_digest.startswith("sha256:")
    run(venv.python, "-m", "wasmpack_mt", "check", wasm)
    validate_wasm(wasm)


@pytest.mark.toolchain("c")
def test_python_template_builds_one_reproducible_py3_wheel_with_and_without_isolation(
    toolchain_for: Callable[[Language], Toolchain], venv: Venv, tmp_path: Path
) -> None:
    toolchain_for("c")
    # As a user does after `pip install wasmpack-mt`: the template comes from the installed wheel.
    run(venv.python, "-m", "wasmpack_mt", "new", "fib-py", "--template", "python", cwd=tmp_path)
    project = tmp_path / "fib-py"
    isolated, plain = tmp_path / "isolated", tmp_path / "plain"

    # pip's isolated build: scikit-build-core and wasmtime from the index, wasmpack-mt local.
    pip("wheel", "--no-deps", "--find-links", venv.wheelhouse, "-w", isolated, project)
    venv.pip("wheel", "--no-build-isolation", "--no-deps", "-w", plain, project)

    wheel = only_wheel(isolated)
    assert wheel.name == "fib_py-0.1.0-py3-none-any.whl"
    name, version, _, tags = parse_wheel_filename(wheel.name)
    assert (name, str(version), sorted(map(str, tags))) == ("fib-py", "0.1.0", ["py3-none-any"])
    assert only_wheel(plain).read_bytes() == wheel.read_bytes()

    venv.pip("install", "--no-deps", wheel)
    try:
        seed = run(venv.script("fib-py"), cwd=tmp_path)
        assert seed.stdout == SEED
        heavy = run(venv.script("fib-py"), "3", "12", cwd=tmp_path)
        assert heavy.stdout.splitlines()[-1] == f"total = {3 * fib(12)}"
        assert run(venv.python, "-m", "fib_py", cwd=tmp_path).stdout == SEED
        usage = run(venv.script("fib-py"), "nine", cwd=tmp_path, expect=2)
        assert usage.stderr.startswith("usage: fib-py [N K]")
        assert_installed_artifact(venv, "fib_py", "fib-py", "0.1.0")
        wasm = (venv.site_packages / "fib_py" / "fib-py.wasm").read_bytes()
        manifest = read_manifest(wasm)
        assert manifest is not None and manifest.languages == ("c",)
        assert manifest.toolchain.startswith("clang (") and manifest.toolchain.endswith(" + cmake")
    finally:
        venv.pip("uninstall", "--yes", "fib-py")


@pytest.mark.parametrize(
    "template",
    [
        pytest.param("c", marks=pytest.mark.toolchain("c")),
        pytest.param("cmake", marks=pytest.mark.toolchain("c")),
        pytest.param("rust", marks=pytest.mark.toolchain("rust")),
    ],
)
def test_wasmpack_wheel_installs_runs_and_uninstalls(
    new_project: Callable[[str, str], Path], venv: Venv, tmp_path: Path, template: str
) -> None:
    project = new_project(template, "fib-demo")

    first = Path(wasmpack("wheel", project, "-o", tmp_path / "one").stdout.splitlines()[-1])
    second = Path(wasmpack("wheel", project, "-o", tmp_path / "two").stdout.splitlines()[-1])
    assert first.name == "fib_demo-0.1.0-py3-none-any.whl"
    assert first.read_bytes() == second.read_bytes()

    before = set(venv.root.rglob("*"))
    venv.pip("install", "--no-deps", first)
    installed = set((venv.site_packages / "fib_demo").rglob("*"))
    cache = tmp_path / "user-cache"
    seed = run(venv.script("fib-demo"), cwd=tmp_path, env=clean_env(WASMPACK_CACHE_DIR=str(cache)))
    assert seed.stdout == SEED
    assert list((cache / "modules").glob("*.cwasm")), "the compiled module is cached per user"
    assert set((venv.site_packages / "fib_demo").rglob("*")) == installed, "nothing written there"
    assert run(venv.script("fib-demo"), "7", cwd=tmp_path, expect=2).stdout == ""
    assert_installed_artifact(venv, "fib_demo", "fib-demo", "0.1.0")

    venv.pip("uninstall", "--yes", "fib-demo")
    left = {p for p in set(venv.root.rglob("*")) - before if "__pycache__" not in p.parts}
    assert not left, sorted(left)


@pytest.mark.toolchain("c")
def test_console_script_passes_arguments_stdio_directory_and_exit_code(
    project_copy: Callable[[str], Path],
    venv: Venv,
    tmp_path: Path,
    toolchain_for: Callable[..., Toolchain],
) -> None:
    toolchain_for("c")
    project = project_copy("c-wheel-io")
    wheel = Path(wasmpack("wheel", project, "-o", tmp_path / "out").stdout.splitlines()[-1])
    assert wheel.name == "wheel_io-2.0.1-py3-none-any.whl"
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("from a file\n", encoding="utf-8")

    venv.pip("install", "--no-deps", wheel)
    try:
        result = run(
            venv.script("wheel-io"), "notes.txt", "7", cwd=work, stdin="from stdin\n", expect=7
        )
        assert result.stdout == "from a file\nfrom stdin\nprogram: wheel-io\n"
        missing = run(venv.script("wheel-io"), "absent.txt", "0", cwd=work, expect=3)
        assert "absent.txt" in missing.stderr
    finally:
        venv.pip("uninstall", "--yes", "wheel-io")


@pytest.mark.toolchain("c")
def test_a_project_without_an_artifact_is_one_error_and_no_wheel(
    tmp_path: Path, toolchain_for: Callable[..., Toolchain]
) -> None:
    toolchain_for("c")
    project = tmp_path / "lib-only"
    project.mkdir()
    (project / "wasmpack.toml").write_text('name = "lib-only"\nkind = "cmake"\n', "utf-8")
    (project / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.20)\nproject(lib LANGUAGES C)\n"
        "add_library(helper STATIC helper.c)\n",
        "utf-8",
    )
    (project / "helper.c").write_text("int helper(void) { return 1; }\n", "utf-8")
    out = tmp_path / "out"

    result = wasmpack("wheel", project, "-o", out, expect=2)

    assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "0 executables" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.toolchain("c")
def test_the_cmake_runner_works_without_the_build_environment(
    new_project: Callable[[str, str], Path], venv: Venv, tmp_path: Path
) -> None:
    """The toolchain file made inside a build environment names a runner that still imports
    wasmpack_mt from an interpreter that lacks it (the isolated-build failure)."""
    project = new_project("c", "fib-demo")
    bare = tmp_path / "bare"
    run(sys.executable, "-m", "venv", "--without-pip", bare)
    env = clean_env(
        PYTHONPATH=str(venv.site_packages),
        WASMPACK_CACHE_DIR=str(tmp_path / "cache"),
        WASMPACK_TOOLCHAINS_DIR=str(default_prefix()),
    )
    toolchain_file = run(
        bare / "bin" / "python", "-m", "wasmpack_mt", "-q", "cmake-toolchain", env=env
    ).stdout.strip()
    line = next(x for x in Path(toolchain_file).read_text("utf-8").splitlines() if "EMULATOR" in x)
    runner = line.split('"')[1]
    artifact = Path(wasmpack("build", project).stdout.splitlines()[-1])

    result = run(runner, artifact, "2", "10", env=clean_env())

    assert result.stdout.splitlines()[-1] == f"total = {2 * fib(10)}"
