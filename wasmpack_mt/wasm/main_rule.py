"""Rule `main-not-linked`: a command module whose `main` the linker never found.

wasi-libc's `_start` refers to `main` (through `__main_argc_argv`) weakly, so
a link where no object defines it still succeeds: wasm-ld puts in a stub that
traps (`undefined_weak:main`), and the program dies at start. That happens when
`main` sits in an archive nothing else pulls in (googletest's
`libgtest_main.a`). The stub is found by its name in the `name` section.
"""

from __future__ import annotations

from wasmpack_mt.errors import WasmFormatError
from wasmpack_mt.wasm.module import WasmModule
from wasmpack_mt.wasm.reader import ByteReader
from wasmpack_mt.wasm.report import RULES, Entry, Finding

RULE_ID = "main-not-linked"
WEAK_STUB = "undefined_weak:"
MAIN_SYMBOLS = ("main", "__main_argc_argv")
_FUNCTION_NAMES = 1


def function_names(module: WasmModule) -> list[str]:
    """The function names of the `name` section (empty without one).

    The section is optional debug information: a malformed one ends the list
    where it breaks instead of failing the check.
    """
    names: list[str] = []
    for payload in module.custom_section("name"):
        reader = ByteReader(payload)
        try:
            while not reader.at_end():
                kind = reader.byte("name subsection id")
                body = reader.sub(reader.uleb(what="name subsection size"), "name subsection")
                if kind != _FUNCTION_NAMES:
                    continue
                for _ in range(body.count("function names")):
                    body.uleb(what="function index")
                    names.append(body.name("function name"))
        except WasmFormatError:
            continue
    return names


def main_findings(module: WasmModule, entry: Entry) -> list[Finding]:
    """An error when a command's `main` is a weak-undefined stub."""
    if entry != "command":
        return []
    stubs = set(function_names(module))
    missing = [name for name in MAIN_SYMBOLS if WEAK_STUB + name in stubs]
    if not missing:
        return []
    return [
        Finding(
            RULE_ID,
            RULES[RULE_ID][0],
            f"`{missing[0]}` was never linked (wasm-ld put in a stub that traps at start, "
            f"`{WEAK_STUB}{missing[0]}`); link the object or archive that defines main "
            "(e.g. add gtest_main to the target's libraries, or -Wl,--whole-archive for it), "
            "or build a reactor (-mexec-model=reactor)",
        )
    ]
