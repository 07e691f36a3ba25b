/* The helpers declared in bench.h. */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifndef BENCH_NO_THREADS
#include <pthread.h>
#endif

double bench_now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

long bench_arg(int argc, char **argv, int index, const char *name) {
    char *end = NULL;
    long value = index < argc ? strtol(argv[index], &end, 10) : 0;
    if (index >= argc || *end != '\0' || value <= 0) {
        fprintf(stderr, "usage: %s THREADS SIZE (bad %s)\n", argv[0], name);
        exit(2);
    }
    return value;
}

void bench_split(uint64_t total, int part, int parts, uint64_t *begin, uint64_t *end) {
    *begin = total * (uint64_t)part / (uint64_t)parts;
    *end = total * (uint64_t)(part + 1) / (uint64_t)parts;
}

void bench_report(uint64_t result, double started_ms) {
    double elapsed = bench_now_ms() - started_ms;
    printf("result %016llx\ncompute_ms %.3f\n", (unsigned long long)result, elapsed);
}

#ifdef BENCH_NO_THREADS
void bench_parallel(int threads, void (*work)(int, int, void *), void *context) {
    if (threads != 1) {
        fprintf(stderr, "built without threads: only 1 thread\n");
        exit(2);
    }
    work(0, 1, context);
}
#else
struct bench_part {
    void (*work)(int, int, void *);
    void *context;
    int part, threads;
};

static void *bench_thread(void *arg) {
    struct bench_part *part = arg;
    part->work(part->part, part->threads, part->context);
    return NULL;
}

void bench_parallel(int threads, void (*work)(int, int, void *), void *context) {
    if (threads == 1) {
        work(0, 1, context);
        return;
    }
    pthread_t ids[64];
    struct bench_part parts[64];
    if (threads > 64) {
        fprintf(stderr, "at most 64 threads\n");
        exit(2);
    }
    for (int i = 0; i < threads; i++) {
        parts[i] = (struct bench_part){work, context, i, threads};
        if (pthread_create(&ids[i], NULL, bench_thread, &parts[i]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            exit(3);
        }
    }
    for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
}
#endif
