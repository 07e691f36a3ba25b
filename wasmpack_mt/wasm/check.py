"""`check_module`: does a module follow the wasi-threads ABI that hosts expect?

Each rule has a stable, readable ID (`memory-not-shared`) and a fixed severity
(table `RULES`); each message names the fix. The summary reports the features
the module uses, its memory, its entry kind and whether it is threaded.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from wasmpack_mt.abi import (
    HOST_ALLOCATOR_EXPORTS,
    IMPORT_MODULES,
    MEMORY_EXPORT,
    MEMORY_IMPORT,
    PAGE_SIZE,
    REACTOR_PARALLEL_EXPORTS,
    THREAD_SPAWN_SIGNATURE,
    THREAD_START,
    THREAD_START_SIGNATURE,
    THREADS_MODULE,
    WASI_PREVIEW1_MODULE,
)
from wasmpack_mt.errors import CheckFailed
from wasmpack_mt.wasm.code_scan import scan_features
from wasmpack_mt.wasm.features import LEGACY_FIX, exception_handling
from wasmpack_mt.wasm.host_rules import is_spawn
from wasmpack_mt.wasm.main_rule import main_findings
from wasmpack_mt.wasm.module import FuncType, Import, Limits, WasmModule, parse_module
from wasmpack_mt.wasm.report import (
    RULES,
    CheckReport,
    Entry,
    Features,
    Finding,
    MemoryInfo,
    Summary,
    counted,
)
from wasmpack_mt.wasm.symbol_hints import hint_for
from wasmpack_mt.wasm.wasi_abi import preview1_type

if TYPE_CHECKING:
    import wasmtime

__all__ = [
    "RULES",
    "CheckReport",
    "Finding",
    "check_module",
    "prepare_validation",
    "raise_on_errors",
    "wasmtime_rejection",
]

SPAWN_TYPE = FuncType(*THREAD_SPAWN_SIGNATURE)
START_TYPE = FuncType(*THREAD_START_SIGNATURE)
NO_ARGS = FuncType((), ())
MEMORY32_MAX_PAGES = 65536  # 4 GiB
LARGE_MEMORY_PAGES = 32768  # 2 GiB: the cap of many hosts for shared memories
MAX_MEMORY_FLAG = "-Wl,--max-memory=<bytes>"


def check_module(data: bytes, *, validate: bool = True) -> CheckReport:
    """Check `data` against the wasi-threads ABI; malformed input raises `WasmFormatError`.

    With `validate`, wasmtime's validator (threads and shared memory enabled)
    also runs; its rejection becomes the `invalid-module` error.
    """
    module = parse_module(data)
    findings: list[Finding] = []
    memory = _memory_info(module)
    findings += _memory_findings(module, memory)
    findings += _thread_findings(module, memory)
    findings += _import_findings(module)
    findings += _preview1_findings(module)
    entry = _entry_kind(module)
    findings += _entry_findings(module, entry)
    findings += main_findings(module, entry)
    findings += _reactor_findings(module, entry, memory)
    rejection = wasmtime_rejection(data) if validate else None
    exceptions = exception_handling(module, data, rejection=rejection, validated=validate)
    if exceptions == "legacy":
        findings.append(_finding("legacy-exceptions", LEGACY_FIX))
    elif rejection:
        findings.append(
            _finding("invalid-module", f"{rejection}; rebuild with a current toolchain")
        )
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda finding: order[finding.severity])
    threaded = _thread_spawn(module) is not None and memory is not None and memory.shared
    summary = Summary(_features(module, data), memory, entry, threaded, exceptions)
    return CheckReport(tuple(findings), summary)


def raise_on_errors(report: CheckReport, subject: str) -> None:
    """Raise `CheckFailed` when `report` has errors; each error line goes into `details`."""
    if not report.errors:
        return
    lines = [f"error[{f.rule_id}]: {f.message}" for f in report.errors]
    raise CheckFailed(errors_found(subject, len(lines)), details="\n".join(lines))


def errors_found(subject: str, count: int) -> str:
    """The one line that ends a failed check."""
    them = "it" if count == 1 else "them"
    found = counted(count, "error")
    return f"{subject}: wasmpack check found {found}; fix {them} as each says, then rebuild"


def wasmtime_rejection(data: bytes) -> str | None:
    """wasmtime's complaint about `data` on one line, or None when it validates."""
    import wasmtime

    try:
        wasmtime.Module.validate(_validating_engine(), data)
    except wasmtime.WasmtimeError as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return " ".join(lines[:2]) or "validation failed"
    return None


def prepare_validation() -> None:
    """Load wasmtime and its validating engine now (e.g. in a thread while a compiler runs),
    so that `check_module` does not wait for them."""
    _validating_engine()


@functools.cache
def _validating_engine() -> wasmtime.Engine:
    """One engine with threads, shared memory, memory64 and exceptions enabled."""
    import wasmtime

    config = wasmtime.Config()
    config.wasm_threads = True
    config.shared_memory = True
    config.wasm_memory64 = True
    config.wasm_exceptions = True
    return wasmtime.Engine(config)


def _finding(rule_id: str, message: str) -> Finding:
    return Finding(rule_id, RULES[rule_id][0], message)


def _memory_info(module: WasmModule) -> MemoryInfo | None:
    imported = module.imported("memory")
    limits: Limits
    if imported and isinstance(imported[0].type, Limits):
        limits, name = imported[0].type, f"{imported[0].module}.{imported[0].name}"
    elif module.memories:
        limits, name = module.memories[0], None
    else:
        return None
    export = module.export(MEMORY_EXPORT)
    exported = export is not None and export.kind == "memory" and export.index == 0
    return MemoryInfo(name, exported, limits.shared, limits.min, limits.max, limits.is64)


def _memory_findings(module: WasmModule, memory: MemoryInfo | None) -> list[Finding]:
    if memory is None:
        return [
            _finding(
                "memory-not-imported",
                "the module has no memory; link with -Wl,--import-memory so the host can share one",
            )
        ]
    found = []
    if memory.imported_as is None:
        found.append(
            _finding(
                "memory-not-imported",
                "the module defines its own memory, so "
                "threads cannot share it; link with -Wl,--import-memory",
            )
        )
    elif memory.imported_as != _ENV_MEMORY:
        found.append(
            _finding(
                "memory-not-imported",
                f"the memory is imported as "
                f"{memory.imported_as} but hosts provide {_ENV_MEMORY}; "
                "link with -Wl,--import-memory",
            )
        )
    elif not memory.shared:
        found.append(
            _finding(
                "memory-not-shared",
                f"{_ENV_MEMORY} is not shared; compile and "
                "link with -pthread for --target=wasm32-wasip1-threads",
            )
        )
    if not memory.exported:
        found.append(
            _finding(
                "memory-not-exported",
                "the memory is not exported as `memory` "
                "(WASI hosts read it there); link with -Wl,--export-memory",
            )
        )
    if memory.memory64:
        found.append(
            _finding(
                "memory-64-bit", "the memory is 64-bit; build for wasm32-wasip1-threads, not wasm64"
            )
        )
    if memory.shared:
        found += _shared_limits_findings(memory)
    return found


def _shared_limits_findings(memory: MemoryInfo) -> list[Finding]:
    fix = f"link with {MAX_MEMORY_FLAG}"
    if memory.max_pages is None:
        return [
            _finding(
                "memory-no-maximum",
                f"the shared memory declares no maximum, which hosts reject; {fix}",
            )
        ]
    maximum = _pages_text(memory.max_pages)
    if not memory.memory64 and memory.max_pages > MEMORY32_MAX_PAGES:
        return [
            _finding(
                "memory-too-large",
                f"the maximum memory {maximum} is above the "
                f"4 GiB a 32-bit memory can address; {fix} at most 4 GiB",
            )
        ]
    if memory.max_pages > LARGE_MEMORY_PAGES:
        return [
            _finding(
                "memory-large",
                f"the maximum memory {maximum} is above 2 GiB, "
                f"which many hosts refuse; {fix} at most 2 GiB",
            )
        ]
    if memory.max_pages == memory.min_pages:
        return [
            _finding(
                "memory-cannot-grow",
                "the shared memory's maximum equals its "
                f"minimum ({maximum}), so malloc cannot grow it; {fix}",
            )
        ]
    return []


_ENV_MEMORY = ".".join(MEMORY_IMPORT)


def _thread_spawn(module: WasmModule) -> Import | None:
    return next((imp for imp in module.imports if is_spawn(imp)), None)


def _thread_findings(module: WasmModule, memory: MemoryInfo | None) -> list[Finding]:
    spawn = _thread_spawn(module)
    if spawn is None:
        return [
            _finding(
                "no-thread-spawn",
                "wasi.thread-spawn is not imported, so the module "
                "never starts a thread; build with -pthread and create threads",
            )
        ]
    found = []
    if spawn.type != SPAWN_TYPE:
        found.append(
            _finding(
                "thread-spawn-signature",
                "wasi.thread-spawn is imported as "
                f"{_describe(spawn.type)}, hosts provide (i32) -> (i32); "
                "rebuild with the wasm32-wasip1-threads libc",
            )
        )
    # An unshared env.memory is reported once, as memory-not-shared.
    unshared_env_memory = memory is not None and memory.imported_as == _ENV_MEMORY
    if (memory is None or not memory.shared) and not unshared_env_memory:
        found.append(
            _finding(
                "thread-spawn-without-shared-memory",
                "wasi.thread-spawn is "
                "imported but the memory is not shared, so threads would not "
                "see each other's data; link with -pthread",
            )
        )
    start = module.export(THREAD_START)
    if start is None or start.kind != "func":
        found.append(
            _finding(
                "thread-start-missing",
                "wasi.thread-spawn is imported but "
                "wasi_thread_start is not exported; link the threads libc "
                "(-pthread) or export it (-Wl,--export=wasi_thread_start)",
            )
        )
    elif (sig := module.func_type(start.index)) != START_TYPE:
        found.append(
            _finding(
                "thread-start-signature",
                f"wasi_thread_start is "
                f"{_describe(sig)}, hosts call it as (i32, i32) -> (); "
                "use the wasm32-wasip1-threads libc's definition",
            )
        )
    if any(module.export(name) is None for name in HOST_ALLOCATOR_EXPORTS):
        found.append(
            _finding(
                "malloc-not-exported",
                "malloc/free are not exported; Node and "
                "browser hosts (@emnapi/wasi-threads) need them: link with "
                "-Wl,--export=malloc,--export=free",
            )
        )
    return found


def _import_findings(module: WasmModule) -> list[Finding]:
    undefined: dict[str, list[str]] = {}
    unknown: dict[str, list[str]] = {}
    for imp in module.imports:
        if imp.module == MEMORY_IMPORT[0] and not (
            (imp.module, imp.name) == MEMORY_IMPORT and imp.kind == "memory"
        ):
            undefined.setdefault(hint_for(imp.name), []).append(imp.name)
        elif imp.module == THREADS_MODULE and not is_spawn(imp):
            unknown.setdefault(THREADS_MODULE, []).append(imp.name)
        elif imp.module not in IMPORT_MODULES:
            unknown.setdefault(imp.module, []).append(imp.name)
    found = [
        _finding(
            "undefined-symbol",
            f"undefined symbol{'s' if len(names) > 1 else ''} {_names(names)}: {hint}",
        )
        for hint, names in undefined.items()
    ]
    found += [
        _finding(
            "unknown-import",
            f"{_names([f'{mod}.{name}' for name in names])}: no "
            "wasi-threads host provides these imports (only env.memory, "
            "wasi.thread-spawn and wasi_snapshot_preview1.*); define them in the module",
        )
        for mod, names in unknown.items()
    ]
    return found


def _preview1_findings(module: WasmModule) -> list[Finding]:
    """Imports from wasi_snapshot_preview1 that are no preview1 function, or of another type.

    A module may import one function several times; each copy must have its type.
    """
    found = []
    for imp in module.imports:
        if imp.module != WASI_PREVIEW1_MODULE:
            continue
        expected = preview1_type(imp.name) if imp.kind == "func" else None
        if expected is None:
            problem = (
                f"{WASI_PREVIEW1_MODULE}.{imp.name} ({imp.kind}) is not a WASI preview1 function"
            )
        elif imp.type != expected:
            problem = (
                f"{WASI_PREVIEW1_MODULE}.{imp.name} is imported as {_describe(imp.type)}, "
                f"WASI preview1 defines {expected}"
            )
        else:
            continue
        fix = "rebuild against the wasm32-wasip1-threads libc, which declares it right"
        found.append(_finding("wasi-import-signature", f"{problem}; {fix}"))
    return found


def _entry_kind(module: WasmModule) -> Entry:
    if (start := module.export("_start")) is not None and start.kind == "func":
        return "command"
    functions = [e for e in module.exports if e.kind == "func" and e.name != THREAD_START]
    return "reactor" if functions else "none"


def _entry_findings(module: WasmModule, entry: Entry) -> list[Finding]:
    if entry == "none":
        return [
            _finding(
                "no-entry-point",
                "the module exports neither _start nor any "
                "function; define main (command) or export functions (reactor)",
            )
        ]
    start = module.export("_start")
    if entry == "command" and start is not None:
        sig = module.func_type(start.index)
        if sig != NO_ARGS:
            return [
                _finding(
                    "start-signature",
                    f"_start is {_describe(sig)}, hosts call it "
                    "as () -> (); let the libc's crt1 define it",
                )
            ]
    return []


def _reactor_findings(module: WasmModule, entry: Entry, memory: MemoryInfo | None) -> list[Finding]:
    """A reactor over shared memory needs the per-thread instance ABI for parallel calls."""
    if entry != "reactor" or memory is None or not memory.shared or memory.imported_as is None:
        return []
    missing = [name for name in REACTOR_PARALLEL_EXPORTS if not module.export(name)]
    if not missing:
        return []
    return [
        _finding(
            "reactor-shared-stack",
            f"the reactor does not export {_names(missing)}, so every instance starts on the "
            "same shadow stack and TLS block and a host cannot run its exports from several "
            'threads at once; for a kind = "c"/"cxx" build set entry = "reactor" in '
            "wasmpack.toml, otherwise add to the link flags "
            + "-Wl,"
            + ",".join(f"--export={name}" for name in missing),
        )
    ]


def _features(module: WasmModule, data: bytes) -> Features:
    if module.target_features is None:
        scanned = scan_features(data, module.sections)
        return Features("unknown", None) if scanned is None else Features("code", scanned)
    used = sorted(name for name, prefix in module.target_features.items() if prefix in "+=")
    return Features("target_features", tuple(used))


def _describe(value: FuncType | Limits | str | None) -> str:
    return "missing" if value is None else str(value)


def _names(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _pages_text(pages: int) -> str:
    return f"{pages} pages ({pages * PAGE_SIZE / 2**20:g} MiB)"
