/* hello: print one line from a second thread (BENCH_NO_THREADS: from the main thread).
 * The start-up benchmark times the whole process. */
#include <stdio.h>
#ifndef BENCH_NO_THREADS
#include <pthread.h>
#endif

static void *greet(void *arg) {
    printf("hello from %s\n", (const char *)arg);
    return NULL;
}

int main(void) {
#ifdef BENCH_NO_THREADS
    greet("the main thread");
#else
    pthread_t id;
    if (pthread_create(&id, NULL, greet, "a thread") != 0) return 3;
    pthread_join(id, NULL);
#endif
    return 0;
}
