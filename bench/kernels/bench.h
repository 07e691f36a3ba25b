/* Shared by the benchmark kernels: a monotonic clock and "run the work on T threads".
 *
 * Every kernel is `PROGRAM THREADS SIZE`; it prints `result <checksum>` (the same for
 * every thread count and every host) and `compute_ms <milliseconds>` (the monotonic
 * time of the work itself, thread start-up included, process start-up excluded).
 * With 1 thread the work runs on the main thread. BENCH_NO_THREADS builds the
 * 1-thread program without pthreads, for a plain wasm32-wasip1 target.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

/* Milliseconds on the monotonic clock. */
double bench_now_ms(void);

/* Parse a positive integer argument; exits with status 2 on anything else. */
long bench_arg(int argc, char **argv, int index, const char *name);

/* Call work(part, threads, context) for part = 0..threads-1, each part on its own
 * thread when threads > 1, and wait for all of them. Exits with status 3 if a thread
 * cannot be created. */
void bench_parallel(int threads, void (*work)(int part, int threads, void *context), void *context);

/* The [begin, end) range of part `part` when `total` items are split over `parts`. */
void bench_split(uint64_t total, int part, int parts, uint64_t *begin, uint64_t *end);

/* Print the checksum and the compute time since `started_ms`. */
void bench_report(uint64_t result, double started_ms);

#endif
