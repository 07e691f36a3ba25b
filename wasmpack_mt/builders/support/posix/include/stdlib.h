/* wasmpack's POSIX compatibility layer: <stdlib.h> plus mkstemp, which
 * wasi-libc leaves out (see unistd.h in this directory for how the layer works).
 */
#include_next <stdlib.h>

#if !defined(WASMPACK_COMPAT_STDLIB_H) && !defined(__wasilibc_unmodified_upstream) \
    && !defined(__need_malloc_and_calloc)
#define WASMPACK_COMPAT_STDLIB_H

#ifdef __cplusplus
extern "C" {
#endif

int mkstemp(char *);
int mkostemp(char *, int);

#ifdef __cplusplus
}
#endif

#endif
