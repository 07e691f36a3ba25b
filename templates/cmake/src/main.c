/* {{name}}: compute Fibonacci numbers on several threads at once.
 *
 * Without arguments: fib(4) and fib(5) on two threads.
 * With "N K": N threads each compute fib(K), then the total is printed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 64
#define MAX_K 60

typedef struct {
    unsigned n;
    unsigned long long result;
} fib_job;

static unsigned long long fib(unsigned n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static void *run_job(void *arg) {
    fib_job *job = arg;
    job->result = fib(job->n);
    return NULL;
}

/* Run every job on its own thread and wait for all of them. */
static int run_jobs(fib_job *jobs, unsigned count) {
    pthread_t threads[MAX_THREADS];
    unsigned started = 0;
    int error = 0;
    while (started < count) {
        error = pthread_create(&threads[started], NULL, run_job, &jobs[started]);
        if (error != 0) {
            fprintf(stderr, "error: cannot start thread %u: %s\n", started, strerror(error));
            break;
        }
        started++;
    }
    for (unsigned i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
    }
    return error;
}

static int parse_count(const char *text, unsigned low, unsigned high, unsigned *out) {
    char *end;
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < low || value > high) {
        return -1;
    }
    *out = (unsigned)value;
    return 0;
}

int main(int argc, char **argv) {
    fib_job jobs[MAX_THREADS];
    if (argc == 1) {
        jobs[0].n = 4;
        jobs[1].n = 5;
        if (run_jobs(jobs, 2) != 0) {
            return 1;
        }
        for (unsigned i = 0; i < 2; i++) {
            printf("fib(%u) = %llu\n", jobs[i].n, jobs[i].result);
        }
        return 0;
    }
    unsigned threads, k;
    if (argc != 3 || parse_count(argv[1], 1, MAX_THREADS, &threads) != 0
        || parse_count(argv[2], 0, MAX_K, &k) != 0) {
        fprintf(stderr, "usage: %s [N K]  (N threads, 1..%d, each computing fib(K), K 0..%d)\n",
                argv[0], MAX_THREADS, MAX_K);
        return 2;
    }
    for (unsigned i = 0; i < threads; i++) {
        jobs[i].n = k;
    }
    if (run_jobs(jobs, threads) != 0) {
        return 1;
    }
    unsigned long long total = 0;
    for (unsigned i = 0; i < threads; i++) {
        printf("thread %u: fib(%u) = %llu\n", i, jobs[i].n, jobs[i].result);
        total += jobs[i].result;
    }
    printf("total = %llu\n", total);
    return 0;
}
