"""A failed build's output becomes `hint:` lines, from the table `wasmpack check` uses."""

from __future__ import annotations

from wasmpack_mt.errors import CommandFailed
from wasmpack_mt.wasm.build_hints import build_hints, with_hints
from wasmpack_mt.wasm.symbol_hints import hint_for

CLANG = (
    "benchzstd.c:684:9: error: call to undeclared function 'setpriority'; ISO C99 and later "
    "do not support implicit function declarations [-Wimplicit-function-declaration]\n"
    "file_io.c:109:6: error: call to undeclared function 'pipe'; ISO C99 and later do not "
    "support implicit function declarations [-Wimplicit-function-declaration]\n"
    "x.c:3:9: warning: implicit declaration of function 'frobnicate' is invalid in C99\n"
    '/sysroot/include/wasm32-wasip1-threads/signal.h:2:2: error: "wasm lacks signal support; '
    "to enable minimal signal emulation, compile with -D_WASI_EMULATED_SIGNAL and link with "
    '-lwasi-emulated-signal"\n'
    "t.cpp:4:5: error: cannot use 'throw' with exceptions disabled\n"
)
WASM_LD = (
    "wasm-ld: error: t.o: undefined symbol: __cxa_allocate_exception\n"
    "wasm-ld: error: t.o: undefined symbol: __cxa_throw\n"
    "wasm-ld: error: j.o: undefined symbol: setjmp\n"
    "wasm-ld: error: j.o: undefined symbol: main\n"
)


def test_each_cause_gets_one_hint_naming_its_symbols() -> None:
    hints = build_hints(CLANG + WASM_LD)
    assert hints[0] == f"setpriority, pipe: {hint_for('pipe')}"
    assert "POSIX compatibility layer" in hints[0] and "posix-compat = false" in hints[0]
    assert hints[1].startswith("frobnicate: not declared for wasm32-wasip1-threads")
    assert hints[2] == hint_for("signal") and "-lwasi-emulated-signal" in hints[2]
    # `throw` in a source and the linker's __cxa_* symbols: one cause, one line.
    assert hints[3] == f"__cxa_allocate_exception, __cxa_throw: {hint_for('__cxa_throw')}"
    assert hints[4] == f"setjmp: {hint_for('setjmp')}"
    assert hints[5] == f"main: {hint_for('main')}"
    assert len(hints) == 6


def test_output_without_a_known_cause_gives_no_hint() -> None:
    assert build_hints("make: *** [Makefile:3: all] Error 1\nx.c:1:1: error: expected ';'\n") == []
    assert build_hints("x.c:2:3: error: use of undeclared identifier 'counter'\n") == []


def test_hints_go_after_the_details_and_keep_the_message() -> None:
    error = CommandFailed("make failed (exit 2)", details="tail", output=WASM_LD)
    hinted = with_hints(error)
    assert str(hinted) == "make failed (exit 2)"
    lines = hinted.details.splitlines()
    assert lines[0] == "tail" and all(line.startswith("hint: ") for line in lines[1:])
    assert with_hints(CommandFailed("x failed", output="nothing known")).details == ""
