"""The package's shape: stages import only what their allow-list names, only the CLI talks to
the terminal or ends the process, and no two modules import each other (lazily or not).

Data flows one way: toolchains → builders → wasm → bundle → host (and web, the
browser's host). Besides the stages there are common modules (any stage may
import them; they import only each other), composition modules (`pipeline`:
runs builders → wasm → bundle for `wasmpack build`; `project`: finds a
project's artifact; `settings_docs`: renders the settings tables; only the CLI
imports them) and the CLI (`cli/`, `__main__`), which may import anything.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "wasmpack_mt"
COMMON = (
    "abi", "atomic", "errors", "lazy", "log", "paths", "process", "settings", "sizes", "templates",
)  # fmt: skip
"""`templates` holds the files `wasmpack new` writes: data, importing only `errors`/`paths`."""
COMPOSITION = ("pipeline", "project", "settings_docs", "wheel")
CLI = ("cli", "__main__")
DATA = ("cmake",)
"""Packages that hold files for other tools (the CMake modules) and import nothing."""
STAGE_ALLOWS: dict[str, set[str]] = {
    "toolchains": set(),
    "builders": {"toolchains"},
    "wasm": set(),
    "bundle": {"wasm"},
    "web": {"wasm", "bundle"},
    "host": {"wasm", "bundle"},
    "batch": {"wasm", "bundle", "host"},
}
"""Each stage may import itself, the common modules and these stages (never a later one)."""
HOST_BUNDLE_MODULES = {"wasmpack_mt.bundle", "wasmpack_mt.bundle.manifest"}
"""The host only reads bundles (their manifest); writing them is the build's business."""
WASI_ENGINE_SEAM = {"wasmpack_mt.host.wasi"}
"""What `host/wasi/` may import from the host: only itself (its `seam` names what it needs
of the engine, `wasi.memory` reads guest memory). Never the engine's threads, session, native."""


def module_name(path: Path) -> str:
    """`wasmpack_mt/host/session.py` -> `wasmpack_mt.host.session` (packages by `__init__`)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path) -> set[str]:
    """The package's modules that `path` imports anywhere (inside functions too).

    `from pkg import name` counts as importing `pkg.name` when that is a module.
    Importing a module also runs its parent packages' `__init__`, so those count
    too, except the importer's own ancestors (already running).
    """
    me = module_name(path)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [f"{node.module}.{alias.name}" for alias in node.names]
            found |= {t if t in MODULES else node.module for t in targets}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    found = {name for name in found if name in MODULES and name != me}
    parents = {
        ".".join(name.split(".")[:depth])
        for name in found
        for depth in range(2, name.count(".") + 1)
    }
    return found | {p for p in parents if p in MODULES and not f"{me}.".startswith(f"{p}.")}


def part_of(module: str) -> str:
    """The top-level part a module belongs to: a stage, a common module, `cli`, ..."""
    return module.split(".")[1] if "." in module else module


def files_of(part: str) -> Iterator[Path]:
    return (path for name, path in MODULES.items() if part_of(name) == part)


@pytest.mark.parametrize("stage", STAGE_ALLOWS)
def test_stage_imports_only_its_allow_list(stage: str) -> None:
    allowed = {stage, *STAGE_ALLOWS[stage], *COMMON}
    paths = list(files_of(stage))
    assert paths
    for path in paths:
        wrong = {part_of(name) for name in imports_of(path)} - allowed
        assert not wrong, f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}"


def test_host_only_reads_bundles() -> None:
    for path in files_of("host"):
        bundle = {name for name in imports_of(path) if part_of(name) == "bundle"}
        assert bundle <= HOST_BUNDLE_MODULES, f"{path.relative_to(PACKAGE)} imports {bundle}"


def test_wasi_sees_the_engine_only_through_its_seam() -> None:
    paths = list((PACKAGE / "host" / "wasi").glob("*.py"))
    assert paths
    for path in paths:
        host = {name for name in imports_of(path) if part_of(name) == "host"}
        outside = {name for name in host if not any(name.startswith(ok) for ok in WASI_ENGINE_SEAM)}
        assert not outside, f"{path.relative_to(PACKAGE)} imports {sorted(outside)}"


@pytest.mark.parametrize("module", COMMON)
def test_common_modules_import_only_common_modules(module: str) -> None:
    assert {part_of(name) for name in imports_of(PACKAGE / f"{module}.py")} <= set(COMMON)


def test_only_the_cli_imports_the_composition_and_the_cli() -> None:
    for name, path in MODULES.items():
        part = part_of(name)
        forbidden = (
            set() if part in CLI else set(CLI) | (set() if part in COMPOSITION else {*COMPOSITION})
        )
        wrong = {part_of(target) for target in imports_of(path)} & forbidden
        assert not wrong, f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}"


def test_every_module_has_a_place() -> None:
    known = {*STAGE_ALLOWS, *COMMON, *COMPOSITION, *CLI, *DATA, "wasmpack_mt"}
    assert {part_of(name) for name in MODULES} <= known


@pytest.mark.parametrize("package", DATA)
def test_data_packages_import_nothing_of_the_package(package: str) -> None:
    for path in files_of(package):
        assert not imports_of(path), f"{path.relative_to(PACKAGE)} imports {imports_of(path)}"


def terminal_or_exit_uses(path: Path) -> list[str]:
    """Where `path` prints, writes sys.stdout/stderr, reads sys.argv or ends the process."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        where = f"{path.name}:{getattr(node, 'lineno', 0)}"
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("print", "exit", "quit")
        ):
            found.append(f"{where} calls {node.func.id}()")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            pair = (node.value.id, node.attr)
            if pair in (("sys", "argv"), ("sys", "exit"), ("os", "_exit")):
                found.append(f"{where} uses {'.'.join(pair)}")
        if isinstance(node, ast.Attribute) and node.attr in ("write", "writelines"):
            stream = node.value
            if (
                isinstance(stream, ast.Attribute)
                and isinstance(stream.value, ast.Name)
                and (stream.value.id, stream.attr) in (("sys", "stdout"), ("sys", "stderr"))
            ):
                found.append(f"{where} writes sys.{stream.attr}")
        if isinstance(node, ast.Name) and node.id == "SystemExit":
            found.append(f"{where} uses SystemExit")
        if isinstance(node, ast.ImportFrom) and node.module in ("sys", "os"):
            names = {alias.name for alias in node.names}
            if names & {"argv", "exit", "_exit", "stdout", "stderr"}:
                found.append(f"{where} imports {sorted(names)} from {node.module}")
    return found


def test_only_the_cli_prints_reads_argv_or_exits() -> None:
    """The library raises `WasmpackError`s and logs through `wasmpack_mt.log`; the CLI talks."""
    found = [
        use
        for name, path in MODULES.items()
        if part_of(name) not in CLI
        for use in terminal_or_exit_uses(path)
    ]
    assert not found


def test_the_terminal_check_sees_what_it_forbids(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import sys, os\nprint(1)\nsys.stderr.write('x')\nsys.argv\nos._exit(1)\n"
        "raise SystemExit\n",
        encoding="utf-8",
    )
    assert len(terminal_or_exit_uses(sample)) == 5


def import_cycles() -> list[set[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    graph = {name: imports_of(path) for name, path in MODULES.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = {stack.pop()}
            while node not in group:
                group.add(stack.pop())
            if len(group) > 1:
                cycles.append(group)

    for name in graph:
        if name not in index:
            visit(name)
    return cycles


def test_no_import_cycles_even_lazy_ones() -> None:
    assert not [sorted(group) for group in import_cycles()]
