/* wasmpack's POSIX compatibility layer: <unistd.h> plus what wasi-libc leaves out.
 *
 * The compat layer puts this directory first on the include path; the real
 * header comes from #include_next. Each function is declared only where
 * wasi-libc does not declare it (its declarations sit behind
 * __wasilibc_unmodified_upstream), and is defined in libwasmpack-posix.a:
 * see the .c files next to this directory for what each one does.
 */
#include_next <unistd.h>

#if !defined(WASMPACK_COMPAT_UNISTD_H) && !defined(__wasilibc_unmodified_upstream)
#define WASMPACK_COMPAT_UNISTD_H

#ifdef __cplusplus
extern "C" {
#endif

int pipe(int[2]);
int dup(int);
int dup2(int, int);
int chown(const char *, uid_t, gid_t);
int fchown(int, uid_t, gid_t);
int lchown(const char *, uid_t, gid_t);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
unsigned alarm(unsigned);

#ifdef __cplusplus
}
#endif

#endif
