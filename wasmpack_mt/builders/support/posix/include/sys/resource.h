/* wasmpack's POSIX compatibility layer: <sys/resource.h> plus the scheduling
 * priority calls wasi-libc leaves out (see ../unistd.h for how the layer works).
 */
#include_next <sys/resource.h>

#if !defined(WASMPACK_COMPAT_SYS_RESOURCE_H) && !defined(__wasilibc_unmodified_upstream) \
    && !defined(PRIO_PROCESS)
#define WASMPACK_COMPAT_SYS_RESOURCE_H

#define __NEED_id_t
#include <bits/alltypes.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PRIO_MIN (-20)
#define PRIO_MAX 20
#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

int getpriority(int, id_t);
int setpriority(int, id_t, int);

#ifdef __cplusplus
}
#endif

#endif
