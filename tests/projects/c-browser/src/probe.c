/* probe MODE [ARG]: one behaviour of a host per mode.
 *
 * meet        two threads wait for each other inside wasm (memory.atomic.wait);
 *             both see 2 arrivals only if they ran at the same time
 * trap        a thread executes `unreachable` while main waits in pthread_join
 * exit N      a thread calls exit(N) while main waits in pthread_join
 * cat PATH    print a file
 * env NAME    print an environment variable
 * random      print whether 32 random bytes came (not all zero)
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MEET_TIMEOUT_MS 20000

static _Atomic int32_t arrived;

/* Arrive and wait (at most MEET_TIMEOUT_MS) for `parties` arrivals; return how many came. */
static int32_t meet(int32_t parties) {
    int32_t seen = atomic_fetch_add(&arrived, 1) + 1;
    if (seen >= parties) {
        __builtin_wasm_memory_atomic_notify((int32_t *)&arrived, UINT32_MAX);
        return seen;
    }
    for (int32_t waited = 0; seen < parties && waited < MEET_TIMEOUT_MS; waited++) {
        __builtin_wasm_memory_atomic_wait32((int32_t *)&arrived, seen, 1000000);
        seen = atomic_load(&arrived);
    }
    return seen;
}

static void *meet_thread(void *arg) {
    printf("thread %d met %d of 2\n", (int)(intptr_t)arg, meet(2));
    return NULL;
}

static void *trap_thread(void *arg) {
    (void)arg;
    __builtin_trap();
}

static void *exit_thread(void *arg) {
    exit((int)(intptr_t)arg);
}

static int run_threads(void *(*body)(void *), intptr_t arg, int count) {
    pthread_t threads[2];
    for (int i = 0; i < count; i++) {
        if (pthread_create(&threads[i], NULL, body, (void *)(arg + i)) != 0) {
            fprintf(stderr, "probe: cannot start a thread\n");
            return 1;
        }
    }
    for (int i = 0; i < count; i++) {
        pthread_join(threads[i], NULL);
    }
    return 0;
}

static int cat(const char *path) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        perror(path);
        return 1;
    }
    char buffer[4096];
    size_t got;
    while ((got = fread(buffer, 1, sizeof buffer, file)) > 0) {
        fwrite(buffer, 1, got, stdout);
    }
    fclose(file);
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "meet") == 0) {
        return run_threads(meet_thread, 0, 2);
    }
    if (strcmp(mode, "trap") == 0) {
        return run_threads(trap_thread, 0, 1);
    }
    if (strcmp(mode, "exit") == 0 && argc == 3) {
        return run_threads(exit_thread, atoi(argv[2]), 1);
    }
    if (strcmp(mode, "cat") == 0 && argc == 3) {
        return cat(argv[2]);
    }
    if (strcmp(mode, "env") == 0 && argc == 3) {
        const char *value = getenv(argv[2]);
        printf("%s=%s\n", argv[2], value ? value : "(unset)");
        return 0;
    }
    if (strcmp(mode, "random") == 0) {
        unsigned char bytes[32] = {0};
        int nonzero = 0;
        if (getentropy(bytes, sizeof bytes) != 0) {
            perror("getentropy");
            return 1;
        }
        for (size_t i = 0; i < sizeof bytes; i++) {
            nonzero |= bytes[i];
        }
        printf("random bytes: %s\n", nonzero ? "yes" : "all zero");
        return 0;
    }
    fprintf(stderr, "usage: probe meet | trap | exit N | cat PATH | env NAME | random\n");
    return 2;
}
