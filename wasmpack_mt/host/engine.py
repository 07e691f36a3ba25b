"""The process-wide wasmtime Engines and the compiled-module cache.

Two Engines serve every run, one with epoch interruption (it can stop a
computing thread; `Program.run` and reactors need that) and one without (wasm
runs at the engine's full speed, about 1.1-1.5x faster; for a process that ends
when the run does, like `wasmpack run`). A `FuncType`, `Module` or memory made
for one Engine and used with another aborts the process, so everything of one
run comes from one Engine. Compiled modules are cached in `<cache>/modules/`,
keyed by the wasmtime library (its size and mtime), the engine settings and the module's sha256.
Each entry carries the sha256 of its serialized bytes, which catches
accidental corruption (a torn or damaged file is recompiled, never
deserialized). It is no defence against tampering: deserializing runs native
code, so the cache directory must be as trusted as the user's own files.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import wasmtime

from wasmpack_mt.atomic import atomic_write_bytes
from wasmpack_mt.errors import HostError
from wasmpack_mt.host import native
from wasmpack_mt.log import logger
from wasmpack_mt.paths import cache_home

_DIGEST_BYTES = 32

_engines: dict[bool, wasmtime.Engine] = {}
_engine_lock = threading.Lock()


def engine_settings(interruptible: bool) -> str:
    """The settings that make compiled code of one Engine differ from the other's."""
    return "threads+shared-memory+exceptions" + ("+epoch-interruption" if interruptible else "")


def engine(interruptible: bool = True) -> wasmtime.Engine:
    """The Engine of this process for wasi-threads, with or without epoch interruption."""
    with _engine_lock:
        found = _engines.get(interruptible)
        if found is None:
            config = wasmtime.Config()
            config.wasm_threads = True
            config.shared_memory = True
            config.wasm_exceptions = True  # the standard (exnref) encoding, as clang >= 20 emits
            config.epoch_interruption = interruptible
            found = _engines[interruptible] = wasmtime.Engine(config)
        return found


def modules_dir() -> Path:
    """Where compiled modules are cached."""
    return cache_home() / "modules"


def cache_key(wasm: bytes, interruptible: bool = True) -> str:
    """The cache file name for `wasm` under this wasmtime version and engine settings."""
    salt = f"wasmtime-{native.library_identity()}|{engine_settings(interruptible)}|".encode()
    return hashlib.sha256(salt + hashlib.sha256(wasm).digest()).hexdigest()


def compile_module(
    wasm: bytes, *, use_cache: bool = True, interruptible: bool = True
) -> tuple[wasmtime.Module, bool]:
    """Compile `wasm` (or load it from the cache); return the module and whether it was cached."""
    path = modules_dir() / f"{cache_key(wasm, interruptible)}.cwasm"
    if use_cache:
        cached = _load_cached(path, interruptible)
        if cached is not None:
            return cached, True
    try:
        module = wasmtime.Module(engine(interruptible), wasm)
    except wasmtime.WasmtimeError as exc:
        from wasmpack_mt.wasm.features import legacy_exceptions_message  # only when refused

        if legacy := legacy_exceptions_message(wasm):
            raise HostError(legacy) from None
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid module"
        raise HostError(
            f"not a valid WebAssembly module ({first_line}); pass a .wasm file built "
            "for wasm32-wasip1-threads"
        ) from None
    if use_cache:
        _store_cached(path, bytes(module.serialize()))
    return module, False


def _load_cached(path: Path, interruptible: bool) -> wasmtime.Module | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    digest, serialized = blob[:_DIGEST_BYTES], blob[_DIGEST_BYTES:]
    if hashlib.sha256(serialized).digest() != digest:
        logger.debug("corrupt module cache entry %s: recompiling", path)
        return None
    try:
        return wasmtime.Module.deserialize(engine(interruptible), serialized)
    except wasmtime.WasmtimeError:
        logger.debug("unusable module cache entry %s: recompiling", path)
        return None


def _store_cached(path: Path, serialized: bytes) -> None:
    """Write the entry atomically; a cache that cannot be written is only a slower run."""
    try:
        atomic_write_bytes(path, hashlib.sha256(serialized).digest() + serialized)
    except OSError as exc:
        logger.debug("cannot cache compiled module in %s: %s", path.parent, exc)
