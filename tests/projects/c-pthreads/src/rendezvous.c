#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "rendezvous.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_here = PTHREAD_COND_INITIALIZER;
static int arrived;

int rendezvous_wait(int parties) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 10;
    int result = 0;
    pthread_mutex_lock(&lock);
    arrived++;
    if (arrived == parties) {
        pthread_cond_broadcast(&all_here);
    }
    while (arrived < parties && result == 0) {
        if (pthread_cond_timedwait(&all_here, &lock, &deadline) == ETIMEDOUT) {
            result = -1;
        }
    }
    pthread_mutex_unlock(&lock);
    return result;
}

int rendezvous_arrived(void) {
    pthread_mutex_lock(&lock);
    int count = arrived;
    pthread_mutex_unlock(&lock);
    return count;
}
