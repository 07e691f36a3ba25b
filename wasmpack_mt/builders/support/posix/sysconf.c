/* sysconf answers wasi-libc gets wrong, wrapped at link time
 * (-Wl,--wrap=sysconf) so calls from inside libc and libc++ come here too:
 *
 * - _SC_NPROCESSORS_ONLN/CONF, and through them get_nprocs() and C++
 *   std::thread::hardware_concurrency(), report what the host passes in
 *   WASMPACK_CPUS (wasmpack run, the Node and browser runners set it).
 *   Without it, or with an unreadable value, wasi-libc's answer (1) stands.
 * - _SC_PHYS_PAGES/_SC_AVPHYS_PAGES: wasi-libc returns musl's internal table
 *   codes (negative page counts); a program cannot know the host's memory, so
 *   the answer is -1 with errno unchanged: "indeterminate", as POSIX allows.
 *
 * Every other name goes to wasi-libc unchanged.
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
    switch (name) {
    case _SC_NPROCESSORS_ONLN:
    case _SC_NPROCESSORS_CONF: {
        long count = host_cpus();
        return count > 0 ? count : __real_sysconf(name);
    }
    case _SC_PHYS_PAGES:
    case _SC_AVPHYS_PAGES:
        return -1;
    default:
        return __real_sysconf(name);
    }
}
