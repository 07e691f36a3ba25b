"""What a failed build's output says to fix: one `hint:` line per cause found.

The compiler and linker name the symptom (an undeclared function, an
undefined symbol, wasi-libc's `#error` about an emulation); the fix comes from
the table `wasmpack check` uses for undefined imports (`symbol_hints`), so
both explain a symbol the same way.
"""

from __future__ import annotations

import re

from wasmpack_mt.errors import CommandFailed
from wasmpack_mt.wasm.symbol_hints import DEFAULT_HINT, hint_for

_UNDECLARED = re.compile(
    r"(?:call to undeclared function|implicit declaration of function"
    r"|use of undeclared identifier) '(\w+)'"
)
_UNDEFINED = re.compile(r"undefined symbol: (\S+)")
_EMULATION = re.compile(r"-D_WASI_EMULATED_(\w+)")
_EMULATED_SYMBOL = {
    "SIGNAL": "signal",
    "MMAN": "mmap",
    "PROCESS_CLOCKS": "clock",
    "GETPID": "getpid",
}
_EXCEPTIONS = re.compile(r"with exceptions disabled")
_SETJMP = re.compile(r"[Ss]etjmp/longjmp|\b(?:setjmp|longjmp)\b.*not supported")
_UNKNOWN_FUNCTION = (
    "not declared for wasm32-wasip1-threads: wasi-libc lacks it (WASI has no such call) "
    "or a header is missing; include its header, or leave the call out when __wasi__ is "
    "defined (docs/porting.md)"
)


def build_hints(output: str) -> list[str]:
    """The fixes the output of a failed compiler, linker or build tool points to, in order.

    One line per fix, naming the symbols that led to it (`pipe, dup: ...`).
    """
    names: dict[str, list[str]] = {}
    for line in output.splitlines():
        for name, hint in _line_hints(line):
            listed = names.setdefault(hint, [])
            if name and name not in listed:
                listed.append(name)
    return [f"{_names(listed)}: {hint}" if listed else hint for hint, listed in names.items()]


def _names(names: list[str], limit: int = 6) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _line_hints(line: str) -> list[tuple[str | None, str]]:
    """(symbol or None, fix) for each cause one output line shows."""
    found: list[tuple[str | None, str]] = []
    if match := _UNDECLARED.search(line):
        name = match.group(1)
        hint = hint_for(name)
        if hint != DEFAULT_HINT:
            found.append((name, hint))
        elif "function" in match.group(0):
            found.append((name, _UNKNOWN_FUNCTION))
    if match := _UNDEFINED.search(line):
        found.append((match.group(1), hint_for(match.group(1))))
    if ("#error" in line or "error:" in line) and (match := _EMULATION.search(line)):
        symbol = _EMULATED_SYMBOL.get(match.group(1))
        if symbol is not None:
            found.append((None, hint_for(symbol)))
    if _EXCEPTIONS.search(line):
        found.append((None, hint_for("__cxa_throw")))
    if _SETJMP.search(line):
        found.append((None, hint_for("setjmp")))
    return found


def with_hints(error: CommandFailed) -> CommandFailed:
    """`error` with a `hint:` line per cause found in its output, after its details."""
    hints = build_hints(error.output)
    if not hints:
        return error
    lines = [error.details] if error.details else []
    lines += [f"hint: {hint}" for hint in hints]
    return CommandFailed(str(error), details="\n".join(lines), output=error.output)
