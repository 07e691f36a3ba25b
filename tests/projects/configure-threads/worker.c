#include <stdio.h>

#include "config.h"

#if HAVE_PTHREAD
#include <pthread.h>

static int value;

static void *set_value(void *arg) {
    value = *(int *)arg;
    return 0;
}
#endif

int main(void) {
#if HAVE_PTHREAD
    pthread_t thread;
    int input = 42;
    pthread_create(&thread, 0, set_value, &input);
    pthread_join(thread, 0);
    printf("configured for %s, thread says %d\n", CONFIGURED_HOST, value);
#else
    printf("configured for %s without threads\n", CONFIGURED_HOST);
#endif
    return 0;
}
