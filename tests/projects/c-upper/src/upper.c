/* upper: copy the input to the output in upper case, each half on its own thread.
 *
 *   upper             stdin -> stdout
 *   upper IN          the file IN -> stdout
 *   upper IN OUT      the file IN -> the file OUT
 *
 * An input that starts with "trap" executes `unreachable` (a trap: exit 134 on
 * the wasmpack host), so tests can check that one failing item stays its own.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *start;
    size_t length;
} slice;

static void *upper_slice(void *arg) {
    slice *part = arg;
    for (size_t i = 0; i < part->length; i++) {
        part->start[i] = (char)toupper((unsigned char)part->start[i]);
    }
    return NULL;
}

/* The whole stream in one malloc'd buffer; NULL on error. */
static char *read_all(FILE *in, size_t *length) {
    size_t capacity = 4096, used = 0;
    char *data = malloc(capacity);
    while (data != NULL) {
        used += fread(data + used, 1, capacity - used, in);
        if (used < capacity) {
            break;
        }
        capacity *= 2;
        char *bigger = realloc(data, capacity);
        if (bigger == NULL) {
            free(data);
        }
        data = bigger;
    }
    if (data != NULL && ferror(in)) {
        free(data);
        data = NULL;
    }
    *length = used;
    return data;
}

int main(int argc, char **argv) {
    if (argc > 3) {
        fprintf(stderr, "usage: %s [IN [OUT]]\n", argv[0]);
        return 2;
    }
    FILE *in = argc > 1 ? fopen(argv[1], "rb") : stdin;
    if (in == NULL) {
        perror(argv[1]);
        return 1;
    }
    size_t length;
    char *data = read_all(in, &length);
    if (data == NULL) {
        perror("read");
        return 1;
    }
    if (length >= 4 && memcmp(data, "trap", 4) == 0) {
        __builtin_trap();
    }
    slice halves[2] = {{data, length / 2}, {data + length / 2, length - length / 2}};
    pthread_t second;
    if (pthread_create(&second, NULL, upper_slice, &halves[1]) != 0) {
        perror("pthread_create");
        return 1;
    }
    upper_slice(&halves[0]);
    pthread_join(second, NULL);
    FILE *out = argc > 2 ? fopen(argv[2], "wb") : stdout;
    if (out == NULL || fwrite(data, 1, length, out) != length || fclose(out) != 0) {
        perror(argc > 2 ? argv[2] : "stdout");
        return 1;
    }
    free(data);
    return 0;
}
