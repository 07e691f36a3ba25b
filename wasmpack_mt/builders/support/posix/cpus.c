/* The core count: sysconf(_SC_NPROCESSORS_ONLN/CONF), and through it
 * get_nprocs() and C++ std::thread::hardware_concurrency(), report what the
 * host passes in WASMPACK_CPUS (wasmpack run, the Node and browser runners
 * set it). Without it, or with an unreadable value, wasi-libc's answer stands.
 *
 * The link wraps sysconf (-Wl,--wrap=sysconf), so calls from inside libc and
 * libc++ come here too.
 */
#include <stdlib.h>
#include <unistd.h>

#define MAX_CPUS 4096

long __real_sysconf(int name);

static long host_cpus(void) {
    const char *text = getenv("WASMPACK_CPUS");
    if (text == NULL || *text == '\0') {
        return -1;
    }
    char *end;
    long count = strtol(text, &end, 10);
    return (*end == '\0' && count > 0 && count <= MAX_CPUS) ? count : -1;
}

long __wrap_sysconf(int name) {
    if (name == _SC_NPROCESSORS_ONLN || name == _SC_NPROCESSORS_CONF) {
        long count = host_cpus();
        if (count > 0) {
            return count;
        }
    }
    return __real_sysconf(name);
}
