/* spawn SAMPLES: the median time of one pthread_create + pthread_join of an empty
 * thread, over SAMPLES tries after 10 warm-up tries. Prints `median_us <microseconds>`. */
#include "bench.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *empty(void *arg) { return arg; }

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double create_and_join(void) {
    pthread_t id;
    double started = bench_now_ms();
    if (pthread_create(&id, NULL, empty, NULL) != 0) {
        fprintf(stderr, "pthread_create failed\n");
        exit(3);
    }
    pthread_join(id, NULL);
    return bench_now_ms() - started;
}

int main(int argc, char **argv) {
    long samples = bench_arg(argc, argv, 1, "SAMPLES");
    double *times = malloc((size_t)samples * sizeof(double));
    if (times == NULL) return 3;
    for (int i = 0; i < 10; i++) create_and_join();
    for (long i = 0; i < samples; i++) times[i] = create_and_join();
    qsort(times, (size_t)samples, sizeof(double), by_value);
    printf("median_us %.1f\n", times[samples / 2] * 1e3);
    return 0;
}
