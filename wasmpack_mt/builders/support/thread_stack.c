/* Linked when a project sets [memory] thread-stack-size (C, C++, CMake builds).
 *
 * wasi-libc (musl) has no linker flag for the default pthread stack size and
 * does not implement pthread_setattr_default_np: the default lives in
 * __default_stacksize, which this constructor sets before main runs.
 * wasmpack compiles it with -DWASMPACK_THREAD_STACK_SIZE=<bytes>.
 */
extern unsigned __default_stacksize;

__attribute__((constructor)) static void wasmpack_thread_stack_size(void) {
    __default_stacksize = WASMPACK_THREAD_STACK_SIZE;
}
