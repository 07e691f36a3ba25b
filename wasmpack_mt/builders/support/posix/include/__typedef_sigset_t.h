/* wasmpack's POSIX compatibility layer: a sigset_t that holds every signal.
 *
 * wasi-libc's own header is a placeholder (`typedef unsigned char sigset_t`,
 * "keep this in sync with musl"): 8 bits cannot hold signals 1-64, so
 * sigfillset/sigaddset could not be honest. This file, first on the include
 * path, takes its place with musl's definition under the same include guard.
 * wasi-libc's own functions never look inside a sigset_t.
 */
#ifndef __wasilibc___typedef_sigset_t_h
#define __wasilibc___typedef_sigset_t_h

typedef struct __sigset_t {
    unsigned long __bits[128 / sizeof(long)];
} sigset_t;

#endif
