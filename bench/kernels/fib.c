/* fib THREADS N: 4 recursive fib(N) computations split over THREADS threads. */
#include "bench.h"

enum { TASKS = 4 };

struct fib_job {
    int n;
    uint64_t results[TASKS];
};

static uint64_t fib(int n) { return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2); }

static void fib_part(int part, int threads, void *context) {
    struct fib_job *job = context;
    uint64_t begin, end;
    bench_split(TASKS, part, threads, &begin, &end);
    for (uint64_t task = begin; task < end; task++) job->results[task] = fib(job->n);
}

int main(int argc, char **argv) {
    int threads = (int)bench_arg(argc, argv, 1, "THREADS");
    struct fib_job job = {.n = (int)bench_arg(argc, argv, 2, "N")};
    double started = bench_now_ms();
    bench_parallel(threads, fib_part, &job);
    uint64_t sum = 0;
    for (int task = 0; task < TASKS; task++) sum += job.results[task];
    bench_report(sum, started);
    return 0;
}
