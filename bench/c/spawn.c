/* 200 x pthread_create + pthread_join of an empty thread; prints the median in microseconds. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SAMPLES 200

static void *empty(void *arg) { return arg; }

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void) {
    static double samples[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
        pthread_t thread;
        double started = now_us();
        if (pthread_create(&thread, NULL, empty, NULL) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
        pthread_join(thread, NULL);
        samples[i] = now_us() - started;
    }
    qsort(samples, SAMPLES, sizeof samples[0], by_value);
    printf("%.1f\n", samples[SAMPLES / 2]);
    return 0;
}
