/* mix THREADS N: the sum of a 64-bit integer hash (splitmix64's finaliser, three
 * rounds) of 0..N-1, the range split over THREADS threads. */
#include "bench.h"

struct mix_job {
    uint64_t count;
    uint64_t sums[64];
};

static uint64_t mix64(uint64_t x) {
    for (int round = 0; round < 3; round++) {
        x += 0x9e3779b97f4a7c15ULL;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        x ^= x >> 31;
    }
    return x;
}

static void mix_part(int part, int threads, void *context) {
    struct mix_job *job = context;
    uint64_t begin, end, sum = 0;
    bench_split(job->count, part, threads, &begin, &end);
    for (uint64_t i = begin; i < end; i++) sum += mix64(i);
    job->sums[part] = sum;
}

int main(int argc, char **argv) {
    int threads = (int)bench_arg(argc, argv, 1, "THREADS");
    static struct mix_job job;
    job.count = (uint64_t)bench_arg(argc, argv, 2, "N");
    double started = bench_now_ms();
    bench_parallel(threads, mix_part, &job);
    uint64_t sum = 0;
    for (int part = 0; part < threads; part++) sum += job.sums[part];
    bench_report(sum, started);
    return 0;
}
