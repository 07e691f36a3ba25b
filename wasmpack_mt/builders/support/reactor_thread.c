/* Linked into entry = "reactor" builds: the export a host calls once for each
 * new calling thread, after giving it its own stack and TLS block, so that
 * pthread_self() works there and tells calling threads apart.
 *
 * wasi-libc's __wasi_init_tp fills the thread's struct pthread (self, thread
 * list, locale) with the main thread's id and resets __default_stacksize,
 * which thread_stack.c may have set. This keeps that size and swaps the main
 * thread's id (the first int field holding it; the fields before it are
 * aligned pointers) for `tid`, unique per calling thread, so that libc locks
 * keyed on the id (stdio, recursive mutexes, the thread list) tell calling
 * threads apart. Returns 1 once the id is set.
 *
 * wasmpack compiles it with -DWASI_MAIN_THREAD_ID=<id> and
 * -DWASMPACK_THREAD_INIT_EXPORT="<export name>".
 */
#include <pthread.h>

extern void __wasi_init_tp(void);
extern unsigned __default_stacksize;

__attribute__((export_name(WASMPACK_THREAD_INIT_EXPORT)))
int wasmpack_thread_init(int tid) {
    unsigned keep = __default_stacksize;
    __wasi_init_tp();
    __default_stacksize = keep;
    int *fields = (int *)pthread_self();
    for (int i = 0; i < 16; i++) {
        if (fields[i] == WASI_MAIN_THREAD_ID) {
            fields[i] = tid;
            return 1;
        }
    }
    return 0;
}
