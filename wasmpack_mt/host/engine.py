"""The process-wide wasmtime Engine and the compiled-module cache.

One Engine serves every run: a `FuncType` or `Module` made for one Engine and
used with another aborts the process. Compiled modules are cached in
`<cache>/modules/`, keyed by the wasmtime version, the engine settings and the
module's sha256. Each entry carries the sha256 of its serialized bytes, which
catches accidental corruption (a torn or damaged file is recompiled, never
deserialized). It is no defence against tampering: deserializing runs native
code, so the cache directory must be as trusted as the user's own files.
"""

from __future__ import annotations

import hashlib
import threading
from importlib.metadata import version
from pathlib import Path

import wasmtime

from wasmpack_mt.atomic import atomic_write_bytes
from wasmpack_mt.errors import HostError
from wasmpack_mt.log import logger
from wasmpack_mt.paths import cache_home

ENGINE_SETTINGS = "threads+shared-memory+exceptions+epoch-interruption"
_DIGEST_BYTES = 32

_engine: wasmtime.Engine | None = None
_engine_lock = threading.Lock()


def engine() -> wasmtime.Engine:
    """The one Engine of this process, configured for wasi-threads."""
    global _engine  # noqa: PLW0603 - a lazily built process-wide singleton
    with _engine_lock:
        if _engine is None:
            config = wasmtime.Config()
            config.wasm_threads = True
            config.shared_memory = True
            config.wasm_exceptions = True  # the standard (exnref) encoding, as clang >= 20 emits
            config.epoch_interruption = True
            _engine = wasmtime.Engine(config)
        return _engine


def modules_dir() -> Path:
    """Where compiled modules are cached."""
    return cache_home() / "modules"


def cache_key(wasm: bytes) -> str:
    """The cache file name for `wasm` under this wasmtime version and settings."""
    salt = f"wasmtime-{version('wasmtime')}|{ENGINE_SETTINGS}|".encode()
    return hashlib.sha256(salt + hashlib.sha256(wasm).digest()).hexdigest()


def compile_module(wasm: bytes, *, use_cache: bool = True) -> tuple[wasmtime.Module, bool]:
    """Compile `wasm` (or load it from the cache); return the module and whether it was cached."""
    path = modules_dir() / f"{cache_key(wasm)}.cwasm"
    if use_cache:
        cached = _load_cached(path)
        if cached is not None:
            return cached, True
    try:
        module = wasmtime.Module(engine(), wasm)
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


def _load_cached(path: Path) -> wasmtime.Module | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    digest, serialized = blob[:_DIGEST_BYTES], blob[_DIGEST_BYTES:]
    if hashlib.sha256(serialized).digest() != digest:
        logger.debug("corrupt module cache entry %s: recompiling", path)
        return None
    try:
        return wasmtime.Module.deserialize(engine(), serialized)
    except wasmtime.WasmtimeError:
        logger.debug("unusable module cache entry %s: recompiling", path)
        return None


def _store_cached(path: Path, serialized: bytes) -> None:
    """Write the entry atomically; a cache that cannot be written is only a slower run."""
    try:
        atomic_write_bytes(path, hashlib.sha256(serialized).digest() + serialized)
    except OSError as exc:
        logger.debug("cannot cache compiled module in %s: %s", path.parent, exc)
