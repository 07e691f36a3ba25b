/* Scheduling priorities: WASI has none, so every thread runs at the default
 * priority 0. getpriority reports it; setpriority accepts 0 and fails with
 * ENOSYS for anything else (the priority cannot change).
 */
#include <errno.h>
#include <sys/resource.h>

static int known(int which) {
    return which == PRIO_PROCESS || which == PRIO_PGRP || which == PRIO_USER;
}

int getpriority(int which, id_t who) {
    (void)who;
    if (!known(which)) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

int setpriority(int which, id_t who, int priority) {
    (void)who;
    if (!known(which)) {
        errno = EINVAL;
        return -1;
    }
    if (priority != 0) {
        errno = ENOSYS;
        return -1;
    }
    return 0;
}
