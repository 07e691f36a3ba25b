/* wheel-io FILE CODE: on a second thread, copy FILE (a path relative to the
 * current directory) and then stdin to stdout; exit with CODE. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static const char *path;
static int failed;

static void copy(FILE *from) {
    int c;
    while ((c = fgetc(from)) != EOF) {
        putchar(c);
    }
}

static void *worker(void *arg) {
    (void)arg;
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        perror(path);
        failed = 1;
        return NULL;
    }
    copy(file);
    fclose(file);
    copy(stdin);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s FILE CODE\n", argv[0]);
        return 2;
    }
    path = argv[1];
    pthread_t thread;
    if (pthread_create(&thread, NULL, worker, NULL) != 0) {
        fprintf(stderr, "cannot start a thread\n");
        return 1;
    }
    pthread_join(thread, NULL);
    printf("program: %s\n", argv[0]);
    return failed ? 3 : atoi(argv[2]);
}
