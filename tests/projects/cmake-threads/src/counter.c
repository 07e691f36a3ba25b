#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int counter;

static void *work(void *arg) {
    int times = *(int *)arg;
    for (int i = 0; i < times; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void) {
    pthread_t threads[COUNTER_WORKERS];
    int times = 50000;
    for (int i = 0; i < COUNTER_WORKERS; i++) pthread_create(&threads[i], NULL, work, &times);
    for (int i = 0; i < COUNTER_WORKERS; i++) pthread_join(threads[i], NULL);
    printf("cmake workers %d counter %d\n", COUNTER_WORKERS, counter);
    return 0;
}
