#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *ask(void *out) {
    *(pid_t *)out = getpid();
    return NULL;
}

int main(void) {
    pid_t from_thread = 0;
    pthread_t thread;
    pthread_create(&thread, NULL, ask, &from_thread);
    pthread_join(thread, NULL);
    printf("pid %d, same in a thread: %s\n", (int)getpid(), from_thread == getpid() ? "yes" : "no");
    return 0;
}
