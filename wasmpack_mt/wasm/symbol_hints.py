"""What to do about an undefined symbol (an `env.*` import other than memory).

A data table of shell-style patterns, first match wins; the check groups the
undefined symbols of a module by hint so each fix is named once. A failed
build's output is explained from the same table (`wasm.build_hints`).
"""

from __future__ import annotations

from fnmatch import fnmatchcase

_MATH = (
    "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "exp",
    "exp2", "expm1", "log", "log2", "log10", "log1p", "pow", "sqrt", "cbrt", "hypot", "fmod",
    "remainder", "floor", "ceil", "round", "trunc", "lround", "llround", "rint", "lrint",
    "nearbyint", "frexp", "ldexp", "modf", "erf", "erfc", "tgamma", "lgamma", "fma", "fmin",
    "fmax", "copysign", "nan", "scalbn",
)  # fmt: skip

_COMPAT_ON = (
    "wasmpack's POSIX compatibility layer adds it; it is on unless `posix-compat = false` "
    "or `--no-posix-compat` turned it off (docs/porting.md)"
)

HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("__cxa_throw", "__cxa_allocate_exception", "__cxa_begin_catch", "__cxa_end_catch",
         "__cxa_rethrow", "__cxa_free_exception", "__gxx_personality_*", "_Unwind_*"),
        "C++ exceptions need the exceptions toolchain: set exceptions = true in wasmpack.toml "
        "(or `wasmpack env --exceptions`), or compile with -fno-exceptions",
    ),
    (
        ("__stack_pointer", "__memory_base", "__table_base", "__indirect_function_table",
         "GOT.*"),
        "the module was linked as position-independent code or a shared library: "
        "drop -fPIC/-shared and link an executable",
    ),
    (
        ("pipe", "dup", "dup2", "chown", "fchown", "lchown", "getuid", "geteuid", "getgid",
         "getegid", "alarm", "sigaction", "sigemptyset", "sigfillset", "sigaddset", "sigdelset",
         "sigismember", "sigprocmask", "pthread_sigmask", "kill", "mkstemp", "mkostemp",
         "getpriority", "setpriority"),
        f"wasi-libc lacks this POSIX function; {_COMPAT_ON}",
    ),
    (
        ("pthread_*", "__tls_*", "__wasm_init_tls", "__wasm_signal", "sem_*"),
        "threads support is missing: compile and link every file with -pthread "
        "for --target=wasm32-wasip1-threads",
    ),
    (
        ("__cxa_*", "_Znw*", "_Zna*", "_Zdl*", "_Zda*", "_ZNSt*", "_ZSt*", "_ZTV*", "_ZTI*"),
        "the C++ runtime is not linked: link with clang++ (libc++ and libc++abi)",
    ),
    (
        ("signal", "raise"),
        f"signals are emulated in wasi-libc; {_COMPAT_ON}; or compile with "
        "-D_WASI_EMULATED_SIGNAL and link -lwasi-emulated-signal",
    ),
    (
        ("mmap", "munmap", "mprotect", "msync"),
        f"mmap is emulated in wasi-libc; {_COMPAT_ON}; or compile with -D_WASI_EMULATED_MMAN "
        "and link -lwasi-emulated-mman",
    ),
    (
        ("clock", "times", "getrusage"),
        f"process clocks are emulated in wasi-libc; {_COMPAT_ON}; or compile with "
        "-D_WASI_EMULATED_PROCESS_CLOCKS and link -lwasi-emulated-process-clocks",
    ),
    (
        ("getpid",),
        f"getpid is emulated in wasi-libc; {_COMPAT_ON}; or compile with "
        "-D_WASI_EMULATED_GETPID and link -lwasi-emulated-getpid",
    ),
    (
        ("main", "__main_argc_argv", "__main_void"),
        "there is no main function: define main, or build a reactor (-mexec-model=reactor)",
    ),
    (
        ("setjmp", "longjmp", "__wasm_setjmp*", "__wasm_longjmp", "emscripten_longjmp"),
        "setjmp/longjmp need the exceptions toolchain: set exceptions = true in wasmpack.toml "
        "(or `wasmpack env --exceptions`)",
    ),
    (
        tuple(_MATH) + tuple(f"{name}f" for name in _MATH) + tuple(f"{name}l" for name in _MATH),
        "link the math library with -lm",
    ),
)  # fmt: skip

DEFAULT_HINT = (
    "define the symbols in your sources or link the library that provides them (-l<name>); "
    "llvm-nm on the sysroot's lib/ shows which one"
)


def hint_for(symbol: str) -> str:
    """The fix to suggest for one undefined `symbol`."""
    for patterns, hint in HINTS:
        if any(fnmatchcase(symbol, pattern) for pattern in patterns):
            return hint
    return DEFAULT_HINT
