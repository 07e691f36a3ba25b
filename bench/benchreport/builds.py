"""Build every benchmark program for every host: wasmpack (threads), plain wasip1, native."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from benchreport.measure import run
from benchreport.tools import REPO, Missing, PlainC, Tool, WasmpackC

KERNELS_DIR = REPO / "bench" / "kernels"
# program -> its sources in bench/kernels (bench.h is copied beside them)
PROGRAMS: dict[str, tuple[str, ...]] = {
    "fib": ("bench.c", "fib.c"),
    "mix": ("bench.c", "mix.c"),
    "sort": ("bench.c", "sort.c"),
    "spawn": ("bench.c", "spawn.c"),
    "threads": ("bench.c", "threads.c"),
    "hello": ("hello.c",),
}
PLAIN_PROGRAMS = ("fib", "mix", "sort", "hello")  # those that build without pthreads
NO_WASI_THREADS = "the wasmtime CLI has no wasi-threads (removed in 47): plain 1-thread build only"

Command = list[str] | Missing


@dataclass
class Hosts:
    """What the report can run: per host, its label (or why it is missing)."""

    wasmpack: str | Missing
    node: Tool | Missing
    wasmtime: Tool | Missing
    native: Tool | Missing
    plain: PlainC | Missing
    threads_c: WasmpackC | Missing


@dataclass
class Programs:
    """argv prefixes per (host, program); the program's own arguments follow."""

    commands: dict[tuple[str, str], Command] = field(default_factory=dict)

    def command(self, host: str, program: str) -> Command:
        return self.commands.get((host, program), Missing("not built"))


def project_dir(work: Path, program: str) -> Path:
    """A wasmpack project holding one benchmark program's sources."""
    project = work / "projects" / program
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    for name in (*PROGRAMS[program], "bench.h"):
        shutil.copy2(KERNELS_DIR / name, project / name)
    sources = ", ".join(f'"{name}"' for name in PROGRAMS[program])
    (project / "wasmpack.toml").write_text(
        f'name = "{program}"\nkind = "c"\nsources = [{sources}]\n'
    )
    return project


def wasmpack_build(project: Path, timeout_s: float) -> Path | Missing:
    """`wasmpack build -q PROJECT`; the artifact is the last line of stdout."""
    result = run([sys.executable, "-m", "wasmpack_mt", "-q", "build", project], timeout_s)
    if not result.ok:
        return Missing(f"wasmpack build failed: {result.failure()}")
    return Path(result.stdout.strip().splitlines()[-1])


def node_memory_args(artifact: Path, timeout_s: float) -> list[str] | Missing:
    """The imported memory's initial and maximum pages, from `wasmpack inspect --json`."""
    result = run([sys.executable, "-m", "wasmpack_mt", "inspect", "--json", artifact], timeout_s)
    if not result.ok:
        return Missing(f"wasmpack inspect failed: {result.failure()}")
    for entry in json.loads(result.stdout)["imports"]:
        if entry["kind"] == "memory":
            limits = entry["type"].split()[-1]  # "shared 2..16384"
            initial, _, maximum = limits.partition("..")
            return [initial, maximum]
    return Missing("the artifact imports no memory")


def build_all(hosts: Hosts, programs: list[str], work: Path, timeout_s: float) -> Programs:
    """Build each program for each host that is there; a failed build becomes a Missing."""
    built = Programs()
    for program in programs:
        sources = [KERNELS_DIR / name for name in PROGRAMS[program]]
        _build_wasm(built, hosts, program, work, timeout_s)
        if isinstance(hosts.native, Missing):
            built.commands["native", program] = hosts.native
        else:
            binary = work / "native" / program
            binary.parent.mkdir(parents=True, exist_ok=True)
            flags = ["-O2", "-pthread"]
            compiled = run([*hosts.native.argv, *flags, *sources, "-o", binary], timeout_s)
            built.commands["native", program] = (
                [str(binary)] if compiled.ok else Missing(f"native build: {compiled.failure()}")
            )
        built.commands["wasmtime", program] = _plain(hosts, program, sources, work, timeout_s)
    return built


def _build_wasm(built: Programs, hosts: Hosts, program: str, work: Path, timeout_s: float) -> None:
    artifact = (
        hosts.wasmpack
        if isinstance(hosts.wasmpack, Missing)
        else wasmpack_build(project_dir(work, program), timeout_s)
    )
    if isinstance(artifact, Missing):
        built.commands["wasmpack", program] = artifact
        built.commands["node", program] = artifact
        return
    runner = [sys.executable, "-m", "wasmpack_mt", "run", str(artifact), "--"]
    built.commands["wasmpack", program] = runner
    if isinstance(hosts.node, Missing):
        built.commands["node", program] = hosts.node
        return
    memory = node_memory_args(artifact, timeout_s)
    built.commands["node", program] = (
        memory if isinstance(memory, Missing) else [*hosts.node.argv, str(artifact), *memory]
    )


def _plain(
    hosts: Hosts, program: str, sources: list[Path], work: Path, timeout_s: float
) -> Command:
    if program not in PLAIN_PROGRAMS:
        return Missing(NO_WASI_THREADS)
    if isinstance(hosts.wasmtime, Missing):
        return hosts.wasmtime
    if isinstance(hosts.plain, Missing):
        return hosts.plain
    module = work / "plain" / f"{program}.wasm"
    module.parent.mkdir(parents=True, exist_ok=True)
    flags = ["-O2", "-DBENCH_NO_THREADS"]
    compiled = run([*hosts.plain.cc, *flags, *sources, "-o", module], timeout_s)
    if not compiled.ok:
        return Missing(f"plain wasip1 build: {compiled.failure()}")
    return [*hosts.wasmtime.argv, str(module)]
