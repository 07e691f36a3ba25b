/* A reactor module (no main) for fib_threads.py: the host calls its exports.
 *
 * fib(n)          the n-th Fibonacci number, computed naively (CPU work).
 * meet(k, ms)     wait inside wasm until k callers have called meet, at most
 *                 about `ms` milliseconds; returns how many had arrived. It
 *                 returns k only if the callers were running at the same time:
 *                 a host that serialised calls would make the first one time out.
 *
 * Both are exported by wasmpack.toml (`exports`); the counter lives in the
 * shared linear memory, so every instance of the module sees the same one.
 */
#include <stdatomic.h>
#include <stdint.h>

static _Atomic int32_t arrived;

uint64_t fib(uint32_t n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int32_t meet(int32_t parties, int32_t timeout_ms) {
    int32_t seen = atomic_fetch_add(&arrived, 1) + 1;
    if (seen >= parties) {
        __builtin_wasm_memory_atomic_notify((int32_t *)&arrived, UINT32_MAX);
        return seen;
    }
    for (int32_t waited = 0; seen < parties && waited < timeout_ms; waited++) {
        /* Sleep until `arrived` changes from `seen`, or 1 ms passes. */
        __builtin_wasm_memory_atomic_wait32((int32_t *)&arrived, seen, 1000000);
        seen = atomic_load(&arrived);
    }
    return seen;
}
