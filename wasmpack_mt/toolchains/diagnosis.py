"""`wasmpack doctor`'s verdicts: per language, the toolchain chosen or each gap and its fix."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.toolchains.detect import Candidate
from wasmpack_mt.toolchains.model import CORE_LANGUAGES, LANGUAGES, Language, Toolchain
from wasmpack_mt.toolchains.resolve import choose, find_all


@dataclass(frozen=True)
class Gap:
    """A part one candidate lacks for a language, and the command that supplies it."""

    toolchain: str
    """`<kind> <version> at <path>`."""
    missing: str
    fix: str

    def to_dict(self) -> dict[str, str]:
        """The JSON form."""
        return {"toolchain": self.toolchain, "missing": self.missing, "fix": self.fix}


@dataclass(frozen=True)
class Diagnosis:
    """One language: ready with `toolchain` (found at `path`), or not, with `error`.

    `gaps` are, when ready, the better-ranked candidates passed over and why;
    when not ready, every fix that would make a candidate ready.
    """

    language: Language
    toolchain: Toolchain | None
    path: Path | None
    error: str
    gaps: tuple[Gap, ...]
    required: bool = True
    """False for an optional flavour (`cxx-eh`) checked without being asked for."""

    @property
    def ready(self) -> bool:
        """Whether the language can be built."""
        return self.toolchain is not None

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form of `wasmpack doctor --json`."""
        if self.toolchain is None:
            fixes = [gap.to_dict() for gap in self.gaps]
            return {"language": self.language, "ready": False, "error": self.error, "fixes": fixes}
        return {
            "language": self.language,
            "ready": True,
            "kind": self.toolchain.kind,
            "version": self.toolchain.version,
            "path": os.fspath(self.path or ""),
            "sysroot": os.fspath(self.toolchain.sysroot or ""),
            "skipped": [gap.to_dict() for gap in self.gaps],
        }


def diagnose(
    langs: Sequence[Language] | None = None, candidates: list[Candidate] | None = None
) -> list[Diagnosis]:
    """One diagnosis per language, from `candidates` (default: every one on this machine).

    `langs` None means every language, the optional flavours (`cxx-eh`, not in
    `CORE_LANGUAGES`) reported but not required.
    """
    found = find_all() if candidates is None else candidates
    if langs is None:
        return [
            dataclasses.replace(_diagnose(lang, found), required=lang in CORE_LANGUAGES)
            for lang in LANGUAGES
        ]
    return [_diagnose(lang, found) for lang in langs]


def all_ready(diagnoses: Sequence[Diagnosis]) -> bool:
    """Whether every required language is ready (doctor's exit status)."""
    return all(diagnosis.ready for diagnosis in diagnoses if diagnosis.required)


def _diagnose(lang: Language, candidates: list[Candidate]) -> Diagnosis:
    relevant = [c for c in candidates if lang in c.languages]
    try:
        toolchain = choose(candidates, lang)
    except ToolchainError as exc:
        return Diagnosis(lang, None, None, str(exc), _gaps(relevant, lang))
    position = next(i for i, c in enumerate(relevant) if c.ready.get(lang) is toolchain)
    return Diagnosis(lang, toolchain, relevant[position].path, "", _gaps(relevant[:position], lang))


def _gaps(candidates: list[Candidate], lang: Language) -> tuple[Gap, ...]:
    return tuple(
        Gap(f"{candidate.kind} {candidate.version} at {candidate.path}", gap.what, gap.fix)
        for candidate in candidates
        for gap in candidate.missing.get(lang, ())
    )
