#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "rendezvous.h"

#define ROUNDS 100000

static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
static long total;
static int timeouts;

static void *worker(void *arg) {
    (void)arg;
    /* Only passes when all WORKERS threads run at the same time. */
    if (rendezvous_wait(WORKERS) != 0) {
        pthread_mutex_lock(&total_lock);
        timeouts++;
        pthread_mutex_unlock(&total_lock);
    }
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&total_lock);
        total++;
        pthread_mutex_unlock(&total_lock);
    }
    return NULL;
}

int main(void) {
    pthread_attr_t defaults;
    size_t stack_size = 0;
    pthread_attr_init(&defaults);
    pthread_attr_getstacksize(&defaults, &stack_size);
    printf("default thread stack %zu\n", stack_size);
    pthread_t threads[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        if (pthread_create(&threads[i], NULL, worker, NULL) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    }
    for (int i = 0; i < WORKERS; i++) {
        pthread_join(threads[i], NULL);
    }
    printf("rendezvous %d of %d, timeouts %d\n", rendezvous_arrived(), WORKERS, timeouts);
    printf("total %ld\n", total);
    return total == (long)WORKERS * ROUNDS && timeouts == 0 ? 0 : 1;
}
