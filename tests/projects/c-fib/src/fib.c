#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static void *worker(void *arg) {
    long *slot = arg;
    *slot = fib((int)*slot);
    return NULL;
}

/* usage: fib [THREADS [N]] -- prints the sum of THREADS results of fib(N). */
int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    int n = argc > 2 ? atoi(argv[2]) : 30;
    if (threads < 1 || threads > 64) {
        fprintf(stderr, "threads must be 1..64\n");
        return 2;
    }
    pthread_t ids[64];
    long results[64];
    for (int i = 0; i < threads; i++) {
        results[i] = n;
        pthread_create(&ids[i], NULL, worker, &results[i]);
    }
    long total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        total += results[i];
    }
    printf("fib(%d) x %d = %ld\n", n, threads, total);
    return 0;
}
