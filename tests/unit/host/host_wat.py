"""WAT modules written for the host tests, compiled with `wasmtime.wat2wasm`.

`behaviour_module` builds a threaded module whose main thread and one worker
run given WAT; `(call $behave (i32.const N))` does one of the behaviours (spin,
wait forever, sleep in poll_oneoff, block reading stdin, proc_exit, trap).
Memory map: 300 worker-started flag, 304 main-ready flag, 400 spawn result,
1024 wait address, 2048.. poll_oneoff structs, 2400.. stdin iovec.
"""

from __future__ import annotations

import wasmtime

SPIN, WAIT, SLEEP, READ_STDIN, EXIT_42, TRAP, RETURN = range(7)

IMPORTS = """
  (import "env" "memory" (memory 1 100 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get"
    (func $environ_get (param i32 i32) (result i32)))
"""

HELPERS = """
  (func $behave (param $what i32)
    (if (i32.eq (local.get $what) (i32.const 0)) (then (loop $l (br $l))))
    (if (i32.eq (local.get $what) (i32.const 1)) (then
      (loop $l
        (drop (memory.atomic.wait32 (i32.const 1024) (i32.const 0) (i64.const -1)))
        (br $l))))
    (if (i32.eq (local.get $what) (i32.const 2)) (then
      ;; one clock subscription: monotonic, 1000 s from now
      (i32.store8 (i32.const 2056) (i32.const 0))
      (i32.store (i32.const 2064) (i32.const 1))
      (i64.store (i32.const 2072) (i64.const 1000000000000))
      (loop $l
        (drop (call $poll (i32.const 2048) (i32.const 2200) (i32.const 1) (i32.const 2300)))
        (br $l))))
    (if (i32.eq (local.get $what) (i32.const 3)) (then
      (i32.store (i32.const 2400) (i32.const 2500))
      (i32.store (i32.const 2404) (i32.const 16))
      (loop $l
        (drop (call $fd_read (i32.const 0) (i32.const 2400) (i32.const 1) (i32.const 2410)))
        (br $l))))
    (if (i32.eq (local.get $what) (i32.const 4)) (then (call $exit (i32.const 42))))
    (if (i32.eq (local.get $what) (i32.const 5)) (then unreachable)))

  (func $await_flag (param $address i32)
    (block $done (loop $l
      (br_if $done (i32.atomic.load (local.get $address)))
      (drop (memory.atomic.wait32 (local.get $address) (i32.const 0) (i64.const 10000000)))
      (br $l))))

  (func $set_flag (param $address i32)
    (i32.atomic.store (local.get $address) (i32.const 1))
    (drop (memory.atomic.notify (local.get $address) (i32.const -1))))

  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 2600) (local.get $ptr))
    (i32.store (i32.const 2604) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 2600) (i32.const 1) (i32.const 2608))))
"""


def module(body: str, imports: str = IMPORTS) -> bytes:
    """A module with the shared-memory imports, the helpers and `body`."""
    return bytes(wasmtime.wat2wasm(f"(module {imports} {HELPERS} {body})"))


def behaviour_module(worker: str, main: str) -> bytes:
    """Spawn a worker running the WAT `worker`, wait until it started, then run the WAT `main`."""
    return module(f"""
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $set_flag (i32.const 300))
    {worker})
  (func (export "_start")
    (i32.store (i32.const 400) (call $spawn (i32.const 0)))
    (call $await_flag (i32.const 300))
    {main})
""")


# The per-thread instance ABI a reactor needs for parallel calls, as wasm-ld
# emits it for C: a stack pointer and TLS base per instance, TLS geometry, and
# a bump `malloc` (a counter at address 8, blocks from 4096 up).
REACTOR_THREAD_ABI = """
  (global $sp (export "__stack_pointer") (mut i32) (i32.const 4096))
  (global $tls_base (mut i32) (i32.const 0))
  (global (export "__tls_size") i32 (i32.const 20))
  (global (export "__tls_align") i32 (i32.const 32))
  (func (export "__wasm_init_tls") (param $block i32) (global.set $tls_base (local.get $block)))
  (func (export "malloc") (param $size i32) (result i32)
    (i32.add (i32.const 4096) (i32.atomic.rmw.add (i32.const 8) (local.get $size))))
  (func (export "stack_pointer") (result i32) (global.get $sp))
  (func (export "tls_base") (result i32) (global.get $tls_base))
"""
