"""`wasmpack check` on modules linked by the real clang and threads sysroot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import wasmtime

from wasmpack_mt.bundle import Manifest, read_manifest, source_digest, write_artifact
from wasmpack_mt.cli import main
from wasmpack_mt.process import run
from wasmpack_mt.toolchains.model import ClangToolchain, Language, Toolchain
from wasmpack_mt.wasm.check import check_module

pytestmark = pytest.mark.toolchain("c")

THREADED_C = r"""
#include <pthread.h>
#include <stdio.h>
#ifdef WITH_MISSING
extern int not_defined_anywhere(int);
#endif
static int counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *work(void *arg) {
  pthread_mutex_lock(&lock);
  counter += (int)(long)arg;
  pthread_mutex_unlock(&lock);
  return 0;
}
int main(void) {
  pthread_t threads[2];
  for (long i = 0; i < 2; i++) pthread_create(&threads[i], 0, work, (void *)(i + 1));
  for (int i = 0; i < 2; i++) pthread_join(threads[i], 0);
#ifdef WITH_MISSING
  counter += not_defined_anywhere(counter);
#endif
  printf("%d\n", counter);
  return 0;
}
"""
PLAIN_C = "int add(int a, int b) { return a + b; }\n"
MAX_MEMORY = "-Wl,--max-memory=67108864"


@pytest.fixture
def clang(toolchain_for: Callable[[Language], Toolchain]) -> ClangToolchain:
    toolchain = toolchain_for("c")
    assert isinstance(toolchain, ClangToolchain)
    return toolchain


def compile_c(
    clang: ClangToolchain, tmp_path: Path, source: str, flags: list[str], name: str
) -> Path:
    src = tmp_path / f"{name}.c"
    src.write_text(source)
    out = tmp_path / f"{name}.wasm"
    run([clang.cc, *flags, "-O2", src, "-o", out], step=f"compile {name}")
    return out


def threaded(clang: ClangToolchain, tmp_path: Path, extra: list[str], name: str) -> Path:
    flags = [*clang.cflags(), *clang.ldflags(), *extra]
    return compile_c(clang, tmp_path, THREADED_C, flags, name)


def plain(clang: ClangToolchain, tmp_path: Path, extra: list[str], name: str) -> Path:
    flags = ["--target=wasm32-wasip1", "-nostdlib", "-Wl,--no-entry", "-Wl,--export=add", *extra]
    return compile_c(clang, tmp_path, PLAIN_C, flags, name)


def rule_ids(path: Path) -> list[str]:
    return [finding.rule_id for finding in check_module(path.read_bytes()).findings]


def test_pthread_program_passes(clang: ClangToolchain, tmp_path: Path) -> None:
    wasm = threaded(clang, tmp_path, [MAX_MEMORY], "good")
    report = check_module(wasm.read_bytes())
    assert report.findings == ()
    summary = report.summary
    assert summary.threaded
    assert summary.entry == "command"
    assert summary.features.uses("atomics") and summary.features.uses("bulk-memory")
    assert summary.memory is not None
    assert summary.memory.max_pages == 67108864 // 65536
    assert main(["check", str(wasm)]) == 0


def test_artifact_from_a_real_module_stays_loadable(clang: ClangToolchain, tmp_path: Path) -> None:
    wasm = threaded(clang, tmp_path, [MAX_MEMORY], "artifact")
    manifest = Manifest(
        name="counter",
        version="0.1.0",
        entry="command",
        memory_min_pages=2,
        memory_max_pages=1024,
        max_threads=4,
        languages=("c",),
        toolchain=clang.kind,
        toolchain_version=clang.version,
        source_digest=source_digest([tmp_path / "artifact.c"], tmp_path),
        build_flags=(MAX_MEMORY,),
    )
    target = write_artifact(tmp_path / "dist" / "counter.wasm", wasm.read_bytes(), manifest)
    data = target.read_bytes()
    assert read_manifest(data) == manifest
    assert check_module(data).findings == ()
    config = wasmtime.Config()
    config.wasm_threads = True
    config.shared_memory = True
    wasmtime.Module(wasmtime.Engine(config), data)
    assert [p.name for p in target.parent.iterdir()] == ["counter.wasm"]


def test_without_max_memory_the_memory_cannot_grow(clang: ClangToolchain, tmp_path: Path) -> None:
    assert rule_ids(threaded(clang, tmp_path, [], "nomax")) == ["memory-cannot-grow"]


def test_undefined_symbol_is_named(
    clang: ClangToolchain, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = [MAX_MEMORY, "-DWITH_MISSING", "-Wl,--allow-undefined"]
    wasm = threaded(clang, tmp_path, extra, "missing")
    assert rule_ids(wasm) == ["undefined-symbol"]
    assert main(["check", str(wasm)]) == 6
    assert (
        "error[undefined-symbol]: undefined symbol not_defined_anywhere" in capsys.readouterr().out
    )


def test_module_without_shared_memory(clang: ClangToolchain, tmp_path: Path) -> None:
    wasm = plain(clang, tmp_path, ["-Wl,--import-memory"], "unshared")
    assert rule_ids(wasm) == ["memory-not-shared", "memory-not-exported", "no-thread-spawn"]


def test_module_with_its_own_memory(clang: ClangToolchain, tmp_path: Path) -> None:
    assert rule_ids(plain(clang, tmp_path, [], "own")) == ["memory-not-imported", "no-thread-spawn"]
