/* Signal sets, masks and sigaction over wasi-libc's signal emulation.
 *
 * WebAssembly delivers no asynchronous signals; a handler runs only when the
 * program calls raise(). Sets are real bit sets, masks are kept per thread
 * and reported back as set, and sigaction installs handlers through the
 * emulation's signal(), remembering the whole struct for the next query.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define BITS_PER_WORD (8 * sizeof(unsigned long))

static int valid(int sig) { return sig > 0 && sig < _NSIG; }

static unsigned long *word(sigset_t *set, int sig) {
    return &((unsigned long *)set)[(sig - 1) / BITS_PER_WORD];
}

static unsigned long bit(int sig) { return 1UL << ((sig - 1) % BITS_PER_WORD); }

int sigemptyset(sigset_t *set) {
    memset(set, 0, sizeof *set);
    return 0;
}

int sigfillset(sigset_t *set) {
    memset(set, 0, sizeof *set);
    for (int sig = 1; sig < _NSIG; sig++) {
        *word(set, sig) |= bit(sig);
    }
    return 0;
}

int sigaddset(sigset_t *set, int sig) {
    if (!valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    *word(set, sig) |= bit(sig);
    return 0;
}

int sigdelset(sigset_t *set, int sig) {
    if (!valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    *word(set, sig) &= ~bit(sig);
    return 0;
}

int sigismember(const sigset_t *set, int sig) {
    if (!valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    return (*word((sigset_t *)set, sig) & bit(sig)) != 0;
}

static _Thread_local sigset_t thread_mask;

int pthread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict old) {
    if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK) {
        return EINVAL;
    }
    sigset_t previous = thread_mask;
    if (set != NULL) {
        sigset_t wanted = *set;
        const unsigned long *in = (const unsigned long *)&wanted;
        unsigned long *mask = (unsigned long *)&thread_mask;
        for (size_t i = 0; i < sizeof(sigset_t) / sizeof(unsigned long); i++) {
            mask[i] = how == SIG_BLOCK     ? mask[i] | in[i]
                      : how == SIG_UNBLOCK ? mask[i] & ~in[i]
                                           : in[i];
        }
    }
    if (old != NULL) {
        *old = previous;
    }
    return 0;
}

int sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict old) {
    int error = pthread_sigmask(how, set, old);
    if (error != 0) {
        errno = error;
        return -1;
    }
    return 0;
}

static struct sigaction installed[_NSIG];
static pthread_mutex_t installed_lock = PTHREAD_MUTEX_INITIALIZER;

/* Handlers taking siginfo_t are refused (ENOTSUP): raise() would call them
 * with one argument. */
int sigaction(int sig, const struct sigaction *restrict act, struct sigaction *restrict old) {
    if (!valid(sig) || (act != NULL && (sig == SIGKILL || sig == SIGSTOP))) {
        errno = EINVAL;
        return -1;
    }
    if (act != NULL && (act->sa_flags & SA_SIGINFO)) {
        errno = ENOTSUP;
        return -1;
    }
    pthread_mutex_lock(&installed_lock);
    struct sigaction previous = installed[sig];
    if (act != NULL) {
        if (signal(sig, act->sa_handler) == SIG_ERR) {
            pthread_mutex_unlock(&installed_lock);
            return -1;
        }
        installed[sig] = *act;
    }
    pthread_mutex_unlock(&installed_lock);
    if (old != NULL) {
        *old = previous;
    }
    return 0;
}

/* Only this process exists: signalling it raises the signal; others do not exist. */
int kill(pid_t pid, int sig) {
    if (pid != 0 && pid != getpid()) {
        errno = ESRCH;
        return -1;
    }
    if (sig == 0) {
        return 0;
    }
    return raise(sig);
}
