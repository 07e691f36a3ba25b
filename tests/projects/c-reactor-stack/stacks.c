/* Exports that fail when concurrent calls share one shadow stack or TLS block.
 * Each check meets the other callers inside the module (a counter in shared
 * memory), so they are all running at the same time; -1 means they never met. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define BUFFER 256
#define MEET_TIMEOUT_ROUNDS 10000 /* of 1 ms each */

static _Atomic int32_t arrived[8];
static _Thread_local int32_t mine;
static _Thread_local int32_t seeded = 7;

/* Wait until `parties` callers have arrived at counter `which`; 1 if they all did. */
static int wait_all(int which, int32_t parties) {
    _Atomic int32_t *counter = &arrived[which];
    int32_t seen = atomic_fetch_add(counter, 1) + 1;
    if (seen >= parties) {
        __builtin_wasm_memory_atomic_notify((int32_t *)counter, UINT32_MAX);
        return 1;
    }
    for (int i = 0; seen < parties && i < MEET_TIMEOUT_ROUNDS; i++) {
        __builtin_wasm_memory_atomic_wait32((int32_t *)counter, seen, 1000000);
        seen = atomic_load(counter);
    }
    return seen >= parties;
}

/* Fill a stack buffer with `tag`, meet, fill again, meet: bytes another call changed. */
int32_t stack_check(int32_t tag, int32_t parties) {
    volatile unsigned char buf[BUFFER];
    for (int i = 0; i < BUFFER; i++) buf[i] = (unsigned char)tag;
    int met = wait_all(0, parties);
    for (int i = 0; i < BUFFER; i++) buf[i] = (unsigned char)tag;
    met &= wait_all(1, parties);
    int32_t changed = 0;
    for (int i = 0; i < BUFFER; i++) changed += buf[i] != (unsigned char)tag;
    return met ? changed : -1;
}

/* Store `tag` in a thread-local, meet the others (who store theirs), read it back. */
int32_t tls_check(int32_t tag, int32_t parties) {
    mine = tag;
    int met = wait_all(2, parties);
    return met ? mine : -1;
}

/* The initialised thread-local as this thread first sees it (7), then change it. */
int32_t tls_seed(void) {
    int32_t first = seeded;
    seeded = 100;
    return first;
}

/* This thread's pthread_self(), after meeting the others. */
int32_t thread_self(int32_t parties) {
    int met = wait_all(3, parties);
    return met ? (int32_t)(uintptr_t)pthread_self() : -1;
}

/* Role 1 holds stdout's lock while role 2 tries to take it: 1 if it was busy. */
int32_t file_lock_check(int32_t role) {
    int32_t busy = 0;
    if (role == 1) flockfile(stdout);
    int met = wait_all(4, 2);
    if (role == 2) {
        busy = ftrylockfile(stdout) != 0;
        if (!busy) funlockfile(stdout);
    }
    met &= wait_all(5, 2);
    if (role == 1) funlockfile(stdout);
    return met ? busy : -1;
}

static void *add_one(void *arg) {
    return (void *)((uintptr_t)arg + 1);
}

/* Start a pthread from inside a call and join it: `value + 1`. */
int32_t spawn_and_join(int32_t value) {
    pthread_t thread;
    void *result = 0;
    if (pthread_create(&thread, 0, add_one, (void *)(uintptr_t)value) != 0) return -2;
    if (pthread_join(thread, &result) != 0) return -3;
    return (int32_t)(uintptr_t)result;
}
