#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>

#define THREADS 2

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_in = PTHREAD_COND_INITIALIZER;
static int arrived;

/* 1 when both threads were inside at the same time (waits at most ~10 s). */
static int meet(void) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 10;
    pthread_mutex_lock(&lock);
    if (++arrived == THREADS) pthread_cond_broadcast(&all_in);
    while (arrived < THREADS && pthread_cond_timedwait(&all_in, &lock, &deadline) == 0) {
    }
    int together = arrived == THREADS;
    pthread_mutex_unlock(&lock);
    return together;
}

/* Descends `depth` frames, then jumps back to the caller's setjmp with `value`. */
static void dive(jmp_buf *back, int depth, int value) {
    if (depth == 0) longjmp(*back, value);
    dive(back, depth - 1, value);
}

static void *work(void *arg) {
    int id = (int)(long)arg;
    int together = meet();
    long sum = 0;
    for (int round = 1; round <= 1000; round++) {
        jmp_buf back;
        int got = setjmp(back);
        if (got == 0) {
            dive(&back, round % 16, round * (id + 1));
            return NULL; /* never: dive always jumps */
        }
        sum += got;
    }
    return (void *)(sum * together);
}

int main(void) {
    pthread_t threads[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, work, (void *)i);
    for (int i = 0; i < THREADS; i++) {
        void *sum;
        pthread_join(threads[i], &sum);
        printf("thread %d jumped %ld\n", i, (long)sum);
    }
    return 0;
}
