"""Why a build without `exceptions = true` failed, when the project throws or uses setjmp.

The default C++ library is built with -fno-exceptions and the default C build
has no setjmp/longjmp, so such a project fails to compile (`cannot use 'throw'
with exceptions disabled`, setjmp.h's #error) or to link (`__cxa_throw`).
After a failure, the project's C/C++ sources are searched for what needs the
exceptions flavour, so the error can name the option that fixes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from wasmpack_mt.builders.project_tree import project_files

SOURCE_SUFFIXES = frozenset(
    {".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".h", ".hh", ".hpp", ".hxx"}
)
MAX_FILES = 5000
MAX_BYTES = 1 << 20
"""Larger files (generated tables) are not searched."""
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_USES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("C++ exceptions", re.compile(r"\bthrow\b|\btry\s*\{|\bcatch\s*\(")),
    ("setjmp/longjmp", re.compile(r"\b(?:sig)?(?:setjmp|longjmp)\s*\(|<setjmp\.h>|<csetjmp>")),
)


@dataclass(frozen=True)
class ExceptionUse:
    """The first place a project needs the exceptions flavour."""

    what: str
    """`C++ exceptions` or `setjmp/longjmp`."""
    path: Path
    line: int


def find_exception_use(root: Path) -> ExceptionUse | None:
    """The first use of C++ exceptions or setjmp/longjmp in the sources under `root`."""
    sources = [p for p in project_files(root) if p.suffix in SOURCE_SUFFIXES][:MAX_FILES]
    for path in sources:
        try:
            if path.stat().st_size > MAX_BYTES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        code = _COMMENTS.sub(lambda m: "\n" * m.group().count("\n"), text)
        for what, pattern in _USES:
            if match := pattern.search(code):
                line = code.count("\n", 0, match.start()) + 1
                return ExceptionUse(what, path.relative_to(root), line)
    return None


def exceptions_fix(source_name: str) -> str:
    """How to turn the exceptions flavour on, for a project file called `source_name`."""
    return (
        f"set exceptions = true in {source_name} (outside wasmpack build: "
        "`wasmpack env --exceptions`), after `wasmpack toolchain bootstrap --lang cxx-eh`"
    )
