/* <unistd.h> entry points wasi-libc leaves out, as on a system where they
 * cannot succeed. WASI has no descriptor duplication (fd_renumber moves a
 * descriptor, it does not copy it), no file ownership, no users and no
 * timers. (pipe() is in pipe.c.)
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

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

/* These cannot fail. A WASI program has no user and no privileges (it cannot
 * change an owner), so it is the unprivileged `nobody`, 65534, never root:
 * programs that act differently as root (xz warns when fchown fails) do not. */
#define NOBODY 65534
uid_t getuid(void) { return NOBODY; }
uid_t geteuid(void) { return NOBODY; }
gid_t getgid(void) { return NOBODY; }
gid_t getegid(void) { return NOBODY; }

/* No timers: no alarm is ever pending, none is scheduled, SIGALRM never comes. */
unsigned alarm(unsigned seconds) {
    (void)seconds;
    return 0;
}
