/* pipe(): an in-process pipe. WASI cannot create descriptors, so both ends
 * live in this program: descriptors numbered from PIPE_FD_BASE up, a shared
 * buffer of PIPE_BUF bytes, a mutex and a condition variable. The link wraps
 * read, write, close, fcntl and poll (-Wl,--wrap=...): calls on these numbers
 * are served here, every other call goes on to wasi-libc unchanged.
 *
 * It is enough for the self-pipe trick (xz) and for pipes between threads:
 * blocking and O_NONBLOCK reads and writes, end of file once every writer is
 * closed, EPIPE once every reader is (no SIGPIPE: nothing would deliver it),
 * and poll() over pipe ends mixed with real descriptors. Other calls on a
 * pipe end (fstat, lseek, dup) reach the host, which answers EBADF.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PIPE_FD_BASE 0x20000000
#define MAX_ENDS 64
#ifndef PIPE_BUF
#define PIPE_BUF 4096 /* POSIX asks for at least 512; 4096 as on Linux */
#endif
#define CAPACITY PIPE_BUF
#define POLL_SLICE_MS 10

ssize_t __real_read(int, void *, size_t);
ssize_t __real_write(int, const void *, size_t);
int __real_close(int);
int __real_fcntl(int, int, ...);
int __real_poll(struct pollfd *, nfds_t, int);

struct buffer {
    char data[CAPACITY];
    size_t head, count;
    int readers, writers;
};

struct end {
    struct buffer *buffer; /* NULL: the slot is free */
    int writing;
    int status_flags; /* O_NONBLOCK */
};

static struct end ends[MAX_ENDS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;

/* The open end `fd` names, or NULL; call with `lock` held. */
static struct end *end_of(int fd) {
    if (fd < PIPE_FD_BASE || fd >= PIPE_FD_BASE + MAX_ENDS) {
        return NULL;
    }
    struct end *end = &ends[fd - PIPE_FD_BASE];
    return end->buffer != NULL ? end : NULL;
}

static int is_pipe_fd(int fd) { return fd >= PIPE_FD_BASE && fd < PIPE_FD_BASE + MAX_ENDS; }

int pipe(int fds[2]) {
    struct buffer *buffer = calloc(1, sizeof *buffer);
    if (buffer == NULL) {
        errno = ENFILE;
        return -1;
    }
    pthread_mutex_lock(&lock);
    int found[2], count = 0;
    for (int i = 0; i < MAX_ENDS && count < 2; i++) {
        if (ends[i].buffer == NULL) {
            found[count++] = i;
        }
    }
    if (count < 2) {
        pthread_mutex_unlock(&lock);
        free(buffer);
        errno = EMFILE;
        return -1;
    }
    buffer->readers = buffer->writers = 1;
    ends[found[0]] = (struct end){buffer, 0, 0};
    ends[found[1]] = (struct end){buffer, 1, 0};
    pthread_mutex_unlock(&lock);
    fds[0] = PIPE_FD_BASE + found[0];
    fds[1] = PIPE_FD_BASE + found[1];
    return 0;
}

static ssize_t failed(int error) {
    pthread_mutex_unlock(&lock);
    errno = error;
    return -1;
}

ssize_t __wrap_read(int fd, void *data, size_t size) {
    if (!is_pipe_fd(fd)) {
        return __real_read(fd, data, size);
    }
    pthread_mutex_lock(&lock);
    struct end *end = end_of(fd);
    if (end == NULL || end->writing) {
        return failed(EBADF);
    }
    struct buffer *buffer = end->buffer;
    while (buffer->count == 0 && buffer->writers > 0 && size > 0) {
        if (end->status_flags & O_NONBLOCK) {
            return failed(EAGAIN);
        }
        pthread_cond_wait(&changed, &lock);
    }
    size_t done = 0;
    while (done < size && buffer->count > 0) {
        ((char *)data)[done++] = buffer->data[buffer->head];
        buffer->head = (buffer->head + 1) % CAPACITY;
        buffer->count--;
    }
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    return (ssize_t)done;
}

ssize_t __wrap_write(int fd, const void *data, size_t size) {
    if (!is_pipe_fd(fd)) {
        return __real_write(fd, data, size);
    }
    pthread_mutex_lock(&lock);
    struct end *end = end_of(fd);
    if (end == NULL || !end->writing) {
        return failed(EBADF);
    }
    struct buffer *buffer = end->buffer;
    size_t done = 0;
    while (done < size) {
        if (buffer->readers == 0) {
            if (done > 0) {
                break;
            }
            return failed(EPIPE);
        }
        /* Up to PIPE_BUF bytes go in at once or not at all, as POSIX asks. */
        size_t wanted = size - done <= PIPE_BUF ? size - done : 1;
        if (CAPACITY - buffer->count < wanted) {
            if (end->status_flags & O_NONBLOCK) {
                if (done > 0) {
                    break;
                }
                return failed(EAGAIN);
            }
            pthread_cond_wait(&changed, &lock);
            continue;
        }
        while (done < size && buffer->count < CAPACITY) {
            buffer->data[(buffer->head + buffer->count) % CAPACITY] = ((const char *)data)[done++];
            buffer->count++;
        }
        pthread_cond_broadcast(&changed);
    }
    pthread_mutex_unlock(&lock);
    return (ssize_t)done;
}

int __wrap_close(int fd) {
    if (!is_pipe_fd(fd)) {
        return __real_close(fd);
    }
    pthread_mutex_lock(&lock);
    struct end *end = end_of(fd);
    if (end == NULL) {
        return (int)failed(EBADF);
    }
    struct buffer *buffer = end->buffer;
    if (end->writing) {
        buffer->writers--;
    } else {
        buffer->readers--;
    }
    end->buffer = NULL;
    if (buffer->readers == 0 && buffer->writers == 0) {
        free(buffer);
    }
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    return 0;
}

int __wrap_fcntl(int fd, int command, ...) {
    va_list args;
    va_start(args, command);
    int argument = va_arg(args, int);
    va_end(args);
    if (!is_pipe_fd(fd)) {
        return __real_fcntl(fd, command, argument);
    }
    pthread_mutex_lock(&lock);
    struct end *end = end_of(fd);
    if (end == NULL) {
        return (int)failed(EBADF);
    }
    int result = 0;
    switch (command) {
    case F_GETFL:
        result = (end->writing ? O_WRONLY : O_RDONLY) | end->status_flags;
        break;
    case F_SETFL:
        end->status_flags = argument & O_NONBLOCK;
        break;
    case F_GETFD:
    case F_SETFD:
        break;
    default:
        return (int)failed(EINVAL);
    }
    pthread_mutex_unlock(&lock);
    return result;
}

/* Readiness of every pipe end in `fds`; the number ready. Call with `lock` held. */
static int poll_pipes(struct pollfd *fds, nfds_t count) {
    int ready = 0;
    for (nfds_t i = 0; i < count; i++) {
        if (!is_pipe_fd(fds[i].fd)) {
            continue;
        }
        struct end *end = end_of(fds[i].fd);
        short events = 0;
        if (end == NULL) {
            events = POLLNVAL;
        } else if (end->writing) {
            events = end->buffer->readers == 0 ? POLLERR
                     : end->buffer->count < CAPACITY ? (fds[i].events & POLLOUT) : 0;
        } else {
            events = end->buffer->count > 0 ? (fds[i].events & POLLIN)
                     : end->buffer->writers == 0 ? POLLHUP : 0;
        }
        fds[i].revents = events;
        ready += events != 0;
    }
    return ready;
}

static long long now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* With pipe ends in the set, the real descriptors are polled in slices of
 * POLL_SLICE_MS (the ends are checked between slices); without, unchanged. */
int __wrap_poll(struct pollfd *fds, nfds_t count, int timeout) {
    nfds_t pipes = 0;
    for (nfds_t i = 0; i < count; i++) {
        pipes += is_pipe_fd(fds[i].fd);
    }
    if (pipes == 0) {
        return __real_poll(fds, count, timeout);
    }
    struct pollfd real[count > pipes ? count - pipes : 1];
    nfds_t reals = 0;
    for (nfds_t i = 0; i < count; i++) {
        if (!is_pipe_fd(fds[i].fd)) {
            real[reals++] = fds[i];
        }
    }
    long long deadline = timeout < 0 ? -1 : now_ms() + timeout;
    for (;;) {
        int ready = 0;
        if (reals > 0) {
            ready = __real_poll(real, reals, 0);
            if (ready < 0) {
                return -1;
            }
        }
        pthread_mutex_lock(&lock);
        ready += poll_pipes(fds, count);
        pthread_mutex_unlock(&lock);
        long long left = deadline < 0 ? POLL_SLICE_MS : deadline - now_ms();
        if (ready > 0 || left <= 0) {
            for (nfds_t i = 0, j = 0; i < count; i++) {
                if (!is_pipe_fd(fds[i].fd)) {
                    fds[i].revents = real[j++].revents;
                }
            }
            return ready;
        }
        int slice = left < POLL_SLICE_MS ? (int)left : POLL_SLICE_MS;
        if (reals > 0) {
            int waited = __real_poll(real, reals, slice);
            if (waited < 0) {
                return -1;
            }
        } else {
            struct timespec pause = {0, slice * 1000000L};
            nanosleep(&pause, NULL);
        }
    }
}
