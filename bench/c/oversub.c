/* A zstd-like job pool: the main thread queues JOBS jobs, WORKERS threads take them under a
 * mutex, compute, and hand results back through a condition variable; each job also reads
 * the clock and writes a byte, as progress reporting and output do. The total work is the
 * same for any number of workers. Usage: oversub WORKERS [JOBS] [WORK] [CLOCKS: 1 reads the clock per job, 0 not]; prints the seconds. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER, done = PTHREAD_COND_INITIALIZER;
static int next_job, jobs, finished;
static long work;
static int clocks = 1;
static uint64_t total;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static uint64_t compute(uint64_t seed) {
    uint64_t x = seed;
    for (long i = 0; i < work; i++) x = x * 6364136223846793005u + 1442695040888963407u;
    return x;
}

static void *worker(void *arg) {
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (next_job >= jobs && next_job >= 0) pthread_cond_wait(&more, &lock);
        if (next_job < 0) { pthread_mutex_unlock(&lock); return NULL; }
        int job = next_job++;
        pthread_mutex_unlock(&lock);
        double started = clocks ? now() : 0;
        uint64_t result = compute((uint64_t)job) + (uint64_t)(clocks ? now() - started : 0);
        pthread_mutex_lock(&lock);
        total += result;
        finished++;
        pthread_cond_signal(&done);
        pthread_mutex_unlock(&lock);
    }
}

int main(int argc, char **argv) {
    int workers = argc > 1 ? atoi(argv[1]) : 2;
    jobs = argc > 2 ? atoi(argv[2]) : 2000;
    work = argc > 3 ? atol(argv[3]) : 200000;
    clocks = argc > 4 ? atoi(argv[4]) : 1;
    pthread_t threads[64];
    double started = now();
    for (int i = 0; i < workers && i < 64; i++) pthread_create(&threads[i], NULL, worker, NULL);
    pthread_mutex_lock(&lock);
    pthread_cond_broadcast(&more);
    while (finished < jobs) {
        pthread_cond_wait(&done, &lock);
        if (finished % 64 == 0) write(2, "", 0);
    }
    next_job = -1;
    pthread_cond_broadcast(&more);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < workers && i < 64; i++) pthread_join(threads[i], NULL);
    printf("%.3f %llu\n", now() - started, (unsigned long long)(total & 0xff));
    return 0;
}
