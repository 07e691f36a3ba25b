"""Pick the toolchain a language builds with, or explain exactly how to get one."""

from __future__ import annotations

from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.toolchains.detect import Candidate, bootstrap_fix, find_candidates
from wasmpack_mt.toolchains.model import LANGUAGES, Language, Toolchain
from wasmpack_mt.toolchains.probe import Prober
from wasmpack_mt.toolchains.search import SearchEnv
from wasmpack_mt.toolchains.spec import ToolchainsSpec, default_spec


def find_all(
    spec: ToolchainsSpec | None = None,
    env: SearchEnv | None = None,
    probe: Prober | None = None,
    lang: Language | None = None,
) -> list[Candidate]:
    """Every toolchain candidate on this machine (for `lang`, if given), best first."""
    return find_candidates(
        spec or default_spec(), env or SearchEnv.current(), probe or Prober(), lang
    )


def choose(candidates: list[Candidate], lang: Language) -> Toolchain:
    """The best ready toolchain for `lang`, or a `ToolchainError` naming the fix."""
    if lang not in LANGUAGES:
        raise ToolchainError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    relevant = [c for c in candidates if lang in c.languages]
    for candidate in relevant:
        if lang in candidate.ready:
            return candidate.ready[lang]
    if not relevant:
        raise ToolchainError(
            f"no {lang} toolchain for wasm32-wasip1-threads found; "
            f"run `{bootstrap_fix(lang)}` (see `wasmpack doctor`)"
        )
    # The best candidate's first gap is the most useful thing to fix.
    best = relevant[0]
    gap = best.missing[lang][0]
    others = "\n".join(
        f"  {c.kind} {c.version} at {c.path}: needs {m.what} -> {m.fix}"
        for c in relevant
        for m in c.missing.get(lang, ())
    )
    raise ToolchainError(
        f"{lang} toolchain not ready: {best.kind} {best.version} at {best.path} needs {gap.what}; "
        f"fix: {gap.fix}",
        details=f"candidates tried for {lang}:\n{others}",
    )


def resolve(
    lang: Language,
    spec: ToolchainsSpec | None = None,
    env: SearchEnv | None = None,
    probe: Prober | None = None,
) -> Toolchain:
    """The toolchain to build `lang` with (see `ClangToolchain` / `RustToolchain`)."""
    return choose(find_all(spec, env, probe, lang), lang)
