/* sort THREADS N: N pseudo-random u32 keys, split into THREADS slices; each thread
 * fills its slice and sorts it with an LSD radix sort (4 passes of 8 bits). The
 * checksum is the sum of the keys, after checking every slice is sorted (exit 1 if not). */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

struct sort_job {
    uint64_t count;
    uint32_t *keys;
    uint32_t *scratch;
    uint64_t sums[64];
    int unsorted;
};

static uint32_t key_at(uint64_t i) {
    uint32_t x = (uint32_t)i * 0x9e3779b9u + 0x7f4a7c15u;
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    return x ^ (x >> 16);
}

static void radix_sort(uint32_t *keys, uint32_t *scratch, uint64_t count) {
    for (int shift = 0; shift < 32; shift += 8) {
        uint64_t offsets[256] = {0};
        for (uint64_t i = 0; i < count; i++) offsets[(keys[i] >> shift) & 0xff]++;
        uint64_t total = 0;
        for (int digit = 0; digit < 256; digit++) {
            uint64_t n = offsets[digit];
            offsets[digit] = total;
            total += n;
        }
        for (uint64_t i = 0; i < count; i++) scratch[offsets[(keys[i] >> shift) & 0xff]++] = keys[i];
        uint32_t *swap = keys;
        keys = scratch;
        scratch = swap;
    }
}

static void sort_part(int part, int threads, void *context) {
    struct sort_job *job = context;
    uint64_t begin, end, sum = 0;
    bench_split(job->count, part, threads, &begin, &end);
    uint32_t *keys = job->keys + begin;
    for (uint64_t i = begin; i < end; i++) keys[i - begin] = key_at(i);
    radix_sort(keys, job->scratch + begin, end - begin);
    for (uint64_t i = 0; i < end - begin; i++) {
        sum += keys[i];
        if (i > 0 && keys[i - 1] > keys[i]) job->unsorted = 1;
    }
    job->sums[part] = sum;
}

int main(int argc, char **argv) {
    int threads = (int)bench_arg(argc, argv, 1, "THREADS");
    static struct sort_job job;
    job.count = (uint64_t)bench_arg(argc, argv, 2, "N");
    job.keys = malloc(job.count * sizeof(uint32_t));
    job.scratch = malloc(job.count * sizeof(uint32_t));
    if (job.keys == NULL || job.scratch == NULL) {
        fprintf(stderr, "out of memory for %llu keys\n", (unsigned long long)job.count);
        return 3;
    }
    double started = bench_now_ms();
    bench_parallel(threads, sort_part, &job);
    uint64_t sum = 0;
    for (int part = 0; part < threads; part++) sum += job.sums[part];
    if (job.unsorted) {
        fprintf(stderr, "not sorted\n");
        return 1;
    }
    bench_report(sum, started);
    return 0;
}
