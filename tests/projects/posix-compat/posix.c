/* Each line: what a POSIX call did under wasmpack's compatibility layer. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static void on_signal(int sig) { caught = sig; }

static const char *outcome(int result) {
    static char text[64];
    if (result == 0) {
        return "ok";
    }
    snprintf(text, sizeof text, "%d %s", result, errno == ENOSYS ? "ENOSYS" : strerror(errno));
    return text;
}

void report_posix(const char *dir) {
    printf("nprocs %ld %ld %d\n", sysconf(_SC_NPROCESSORS_ONLN), sysconf(_SC_NPROCESSORS_CONF),
           get_nprocs());
    printf("pagesize %ld\n", sysconf(_SC_PAGESIZE)); /* other names still reach wasi-libc */
    printf("phys pages %ld\n", sysconf(_SC_PHYS_PAGES)); /* indeterminate, not negative */
    int fds[2];
    errno = 0;
    printf("pipe %s\n", outcome(pipe(fds)));
    char carried[32] = "";
    write(fds[1], "through the pipe", 16);
    ssize_t got = read(fds[0], carried, sizeof carried - 1);
    close(fds[1]);
    printf("pipe carried '%.*s', then end of file %zd\n", (int)got, carried,
           read(fds[0], carried, 1));
    close(fds[0]);
    printf("priority %d, raise it %s\n", getpriority(PRIO_PROCESS, 0),
           outcome(setpriority(PRIO_PROCESS, 0, -5)));
    printf("dup %d %s\n", dup(1), errno == ENOSYS ? "ENOSYS" : "?");
    printf("dup2 same %d\n", dup2(1, 1));
    printf("chown %s\n", outcome(chown(dir, 1, 1)));
    printf("fchown %s\n", outcome(fchown(1, 1, 1)));
    printf("ids %d %d %d %d\n", (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid());
    printf("alarm %u\n", alarm(5));
    printf("getpid %s\n", getpid() > 0 ? "positive" : "not positive");
    printf("clock %s\n", clock() >= 0 ? "ok" : "failed");

    sigset_t all, none, old;
    sigfillset(&all);
    sigemptyset(&none);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    pthread_sigmask(SIG_SETMASK, &none, &old);
    printf("blocked SIGINT %d SIGTERM %d\n", sigismember(&old, SIGINT), sigismember(&old, SIGTERM));
    pthread_sigmask(SIG_SETMASK, &none, &old);
    printf("unblocked SIGINT %d\n", sigismember(&old, SIGINT));
    struct sigaction action, previous;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    printf("sigaction %s\n", outcome(sigaction(SIGUSR1, &action, NULL)));
    sigaction(SIGUSR1, NULL, &previous);
    printf("handler kept %d\n", previous.sa_handler == on_signal);
    raise(SIGUSR1);
    printf("raised, caught %d\n", (int)caught);
    action.sa_flags = SA_SIGINFO;
    printf("siginfo handler %s\n", outcome(sigaction(SIGUSR2, &action, NULL)));

    char path[512];
    snprintf(path, sizeof path, "%s/tmp.XXXXXX", dir);
    int fd = mkstemp(path);
    printf("mkstemp %s\n", fd >= 0 && strstr(path, "XXXXXX") == NULL ? "created" : strerror(errno));
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
}
