/* threads COUNT: start COUNT threads that all wait at one barrier (so all are alive at
 * once), then join them. The RSS benchmark reads the whole process's peak RSS. */
#include "bench.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_barrier_t all_started;

static void *wait_for_all(void *arg) {
    pthread_barrier_wait(&all_started);
    return arg;
}

int main(int argc, char **argv) {
    long count = bench_arg(argc, argv, 1, "COUNT");
    pthread_t *ids = malloc((size_t)count * sizeof(pthread_t));
    if (ids == NULL) return 3;
    pthread_barrier_init(&all_started, NULL, (unsigned)count + 1);
    for (long i = 0; i < count; i++) {
        if (pthread_create(&ids[i], NULL, wait_for_all, NULL) != 0) {
            fprintf(stderr, "pthread_create failed at thread %ld\n", i + 1);
            return 3;
        }
    }
    pthread_barrier_wait(&all_started);
    for (long i = 0; i < count; i++) pthread_join(ids[i], NULL);
    printf("threads %ld\n", count);
    return 0;
}
