/* Two pthreads meet at a barrier: it only opens when both run at the same time. */
#include <pthread.h>
#include <stdio.h>

static pthread_barrier_t meet;
static int done[2];

static void *worker(void *arg) {
    int index = *(int *)arg;
    pthread_barrier_wait(&meet);
    done[index] = 1;
    return NULL;
}

int main(void) {
    pthread_t threads[2];
    int ids[2] = {0, 1};
    pthread_barrier_init(&meet, NULL, 2);
    for (int i = 0; i < 2; i++) {
        if (pthread_create(&threads[i], NULL, worker, &ids[i]) != 0) {
            puts("pthread_create failed");
            return 1;
        }
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(threads[i], NULL);
    }
    printf("both threads passed the barrier: %d\n", done[0] + done[1] == 2);
    return done[0] + done[1] == 2 ? 0 : 1;
}
