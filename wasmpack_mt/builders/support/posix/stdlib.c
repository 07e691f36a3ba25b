/* mkstemp and mkostemp, which wasi-libc leaves out (WASI has no temporary
 * directory): they work as POSIX says on any path the program may open,
 * creating the file with O_CREAT | O_EXCL and mode 0600.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ATTEMPTS 100

int mkostemp(char *template, int flags) {
    static const char letters[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    size_t length = strlen(template);
    if (length < 6 || memcmp(template + length - 6, "XXXXXX", 6) != 0) {
        errno = EINVAL;
        return -1;
    }
    char *suffix = template + length - 6;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        unsigned char random[6];
        if (getentropy(random, sizeof random) != 0) {
            return -1;
        }
        for (int i = 0; i < 6; i++) {
            suffix[i] = letters[random[i] % (sizeof letters - 1)];
        }
        int fd = open(template, O_RDWR | O_CREAT | O_EXCL | flags, 0600);
        if (fd >= 0 || errno != EEXIST) {
            return fd;
        }
    }
    memcpy(suffix, "XXXXXX", 6);
    errno = EEXIST;
    return -1;
}

int mkstemp(char *template) { return mkostemp(template, 0); }
