/* <unistd.h> entry points wasi-libc leaves out, as on a system where they
 * cannot succeed. WASI has no pipes, no descriptor duplication (fd_renumber
 * moves a descriptor, it does not copy it), no file ownership and no timers.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* No pipes: fail with ENOSYS, as a kernel without the call would. */
int pipe(int fds[2]) {
    (void)fds;
    errno = ENOSYS;
    return -1;
}

/* No duplication: fail with ENOSYS. dup2(fd, fd) only checks fd, as POSIX says. */
int dup(int fd) {
    (void)fd;
    errno = ENOSYS;
    return -1;
}

int dup2(int fd, int target) {
    if (fd == target) {
        return fcntl(fd, F_GETFD) == -1 ? -1 : fd;
    }
    errno = ENOSYS;
    return -1;
}

/* No ownership: changing it fails with ENOSYS; the file is left as it was. */
int chown(const char *path, uid_t owner, gid_t group) {
    (void)path, (void)owner, (void)group;
    errno = ENOSYS;
    return -1;
}

int fchown(int fd, uid_t owner, gid_t group) {
    (void)fd, (void)owner, (void)group;
    errno = ENOSYS;
    return -1;
}

int lchown(const char *path, uid_t owner, gid_t group) {
    (void)path, (void)owner, (void)group;
    errno = ENOSYS;
    return -1;
}

/* These cannot fail. WASI's stat reports uid and gid 0 for every file, so the
 * program's identity is 0 too: "is this file mine?" answers consistently. */
uid_t getuid(void) { return 0; }
uid_t geteuid(void) { return 0; }
gid_t getgid(void) { return 0; }
gid_t getegid(void) { return 0; }

/* No timers: no alarm is ever pending, none is scheduled, SIGALRM never comes. */
unsigned alarm(unsigned seconds) {
    (void)seconds;
    return 0;
}
