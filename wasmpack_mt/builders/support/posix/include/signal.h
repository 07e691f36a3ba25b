/* wasmpack's POSIX compatibility layer: <signal.h> plus the signal-set and
 * sigaction API that wasi-libc leaves out (see unistd.h in this directory).
 *
 * WebAssembly delivers no asynchronous signals: a handler runs only when the
 * program itself calls raise() (wasi-libc's signal emulation, which the layer
 * links). Masks are kept per thread and reported back faithfully.
 */
#include_next <signal.h>

#if !defined(WASMPACK_COMPAT_SIGNAL_H) && !defined(__wasilibc_unmodified_upstream) \
    && !defined(SIG_BLOCK)
#define WASMPACK_COMPAT_SIGNAL_H

#define __NEED_sigset_t
#define __NEED_pid_t
#define __NEED_uid_t
#define __NEED_pthread_t
#include <bits/alltypes.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SA_NOCLDSTOP 1
#define SA_NOCLDWAIT 2
#define SA_SIGINFO 4
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

typedef struct {
    int si_signo;
    int si_errno;
    int si_code;
    pid_t si_pid;
    uid_t si_uid;
    int si_status;
} siginfo_t;

struct sigaction {
    union {
        void (*sa_handler)(int);
        void (*sa_sigaction)(int, siginfo_t *, void *);
    } __sa_handler;
    sigset_t sa_mask;
    int sa_flags;
    void (*sa_restorer)(void);
};
#define sa_handler __sa_handler.sa_handler
#define sa_sigaction __sa_handler.sa_sigaction

int sigemptyset(sigset_t *);
int sigfillset(sigset_t *);
int sigaddset(sigset_t *, int);
int sigdelset(sigset_t *, int);
int sigismember(const sigset_t *, int);
int sigprocmask(int, const sigset_t *__restrict, sigset_t *__restrict);
int pthread_sigmask(int, const sigset_t *__restrict, sigset_t *__restrict);
int sigaction(int, const struct sigaction *__restrict, struct sigaction *__restrict);
int kill(pid_t, int);

#ifdef __cplusplus
}
#endif

#endif
