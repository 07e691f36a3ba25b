"""Find every toolchain candidate, best first, and say what each one lacks.

Pure functions over a `SearchEnv` (environment, PATH, bootstrap prefix) and a
`Prober`; nothing here writes files, so tests run it on fabricated trees.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wasmpack_mt.toolchains.model import (
    EXCEPTIONS,
    ClangToolchain,
    ExceptionFlags,
    Language,
    RustToolchain,
    Toolchain,
)
from wasmpack_mt.toolchains.packages import install_command
from wasmpack_mt.toolchains.probe import Prober, at_least, parse_version, version_text
from wasmpack_mt.toolchains.search import SearchEnv, bootstrap_keys
from wasmpack_mt.toolchains.spec import ToolchainsSpec
from wasmpack_mt.toolchains.store import entry_path, is_complete

LLVM_TOOLS = ("llvm-ar", "llvm-ranlib", "llvm-nm")


def bootstrap_fix(lang: str) -> str:
    """The command that builds what `lang` needs."""
    return f"wasmpack toolchain bootstrap --lang {lang}"


@dataclass(frozen=True)
class Missing:
    """A part a candidate lacks, and the command (or action) that supplies it."""

    what: str
    fix: str


@dataclass(frozen=True)
class Candidate:
    """One toolchain found on the machine, ready for some languages."""

    kind: str
    path: Path
    version: str
    languages: tuple[Language, ...]
    """The languages this kind of toolchain can serve."""
    ready: dict[Language, Toolchain] = field(default_factory=dict)
    missing: dict[Language, tuple[Missing, ...]] = field(default_factory=dict)


def find_candidates(
    spec: ToolchainsSpec, env: SearchEnv, probe: Prober, lang: Language | None = None
) -> list[Candidate]:
    """Every candidate, best first: wasi-sdk, then system clang, then Rust compilers.

    With `lang`, only the families that can build it are probed.
    """
    found: list[Candidate] = []
    if lang != "rust":
        found += wasi_sdk_candidates(spec, env, probe)
        found += system_clang_candidates(spec, env, probe)
    if lang in (None, "rust"):
        found += rust_candidates(spec, env, probe)
    return found


# --- wasi-sdk -----------------------------------------------------------------------------


def wasi_sdk_roots(spec: ToolchainsSpec, env: SearchEnv) -> Iterator[Path]:
    """Directories that may hold a wasi-sdk, in priority order, without duplicates."""
    seen: set[Path] = set()
    roots = [Path(env.environ[name]) for name in spec.wasi_sdk.env if env.environ.get(name)]
    roots += [Path(root) for root in spec.wasi_sdk.roots]
    for name in spec.system_clang.candidates:
        clang = env.which(name)
        if clang is not None:
            roots.append(clang.resolve().parent.parent)
    for root in roots:
        key = root.resolve()
        if key not in seen and is_wasi_sdk(spec, root):
            seen.add(key)
            yield root


def is_wasi_sdk(spec: ToolchainsSpec, root: Path) -> bool:
    """Whether `root` looks like a wasi-sdk (its clang and sysroot exist)."""
    return (root / spec.wasi_sdk.clang).exists() and (root / spec.wasi_sdk.sysroot).is_dir()


def _misnamed_sdks(spec: ToolchainsSpec, env: SearchEnv) -> Iterator[Candidate]:
    """A candidate that is never ready for each `$WASI_SDK_PATH` that is not a wasi-sdk."""
    sdk = spec.wasi_sdk
    for name in sdk.env:
        value = env.environ.get(name)
        if value and not is_wasi_sdk(spec, Path(value)):
            problem = Missing(
                f"a wasi-sdk at ${name}={value} (no {sdk.clang} or {sdk.sysroot} there)",
                f"point {name} at a wasi-sdk >= {sdk.min_version}, or unset it",
            )
            yield Candidate(
                "wasi-sdk", Path(value), "?", ("c", "cxx"), {}, {"c": (problem,), "cxx": (problem,)}
            )


def threads_triple(spec: ToolchainsSpec, sysroot: Path) -> str | None:
    """The threads triple whose libc.a the sysroot has (the current one preferred)."""
    for triple in (spec.triple, *spec.legacy_triples):
        if (sysroot / "lib" / triple / "libc.a").is_file():
            return triple
    return None


def libcxx_has_threads(spec: ToolchainsSpec, sysroot: Path, triple: str) -> bool:
    """Whether the sysroot's libc++ for `triple` exists and was built with threads."""
    config = sysroot / "include" / triple / "c++" / "v1" / "__config_site"
    if not (sysroot / "lib" / triple / "libc++.a").is_file() or not config.is_file():
        return False
    text = config.read_text(errors="replace")
    return not any(marker in text for marker in spec.wasi_sdk.cxx_no_threads_markers)


def _sdk_version(spec: ToolchainsSpec, root: Path, clang: Path, probe: Prober) -> str:
    version_file = root / spec.wasi_sdk.version_file
    if version_file.is_file():
        first = version_file.read_text(errors="replace").strip().splitlines()
        if first:
            return version_text(parse_version(first[0]))
    return version_text(parse_version(probe([clang, "--version"]) or ""))


def wasi_sdk_candidates(spec: ToolchainsSpec, env: SearchEnv, probe: Prober) -> Iterator[Candidate]:
    """A candidate per wasi-sdk found; ready only with a threads sysroot."""
    sdk = spec.wasi_sdk
    yield from _misnamed_sdks(spec, env)
    for root in wasi_sdk_roots(spec, env):
        clang, sysroot = root / sdk.clang, root / sdk.sysroot
        version = _sdk_version(spec, root, clang, probe)
        found = Candidate("wasi-sdk", root, version, ("c", "cxx"))
        other_fix = f"or unset WASI_SDK_PATH and run `{bootstrap_fix('c')}`"
        if not at_least(parse_version(version), sdk.min_version):
            problem = Missing(
                f"wasi-sdk >= {sdk.min_version} (found {version} at {root})",
                f"install wasi-sdk {sdk.min_version} or newer, {other_fix}",
            )
            found.missing.update({"c": (problem,), "cxx": (problem,)})
            yield found
            continue
        triple = threads_triple(spec, sysroot)
        if triple is None:
            problem = Missing(
                f"threads sysroot {sysroot}/lib/{spec.triple}",
                f"install a wasi-sdk that ships {spec.triple}, {other_fix}",
            )
            found.missing.update({"c": (problem,), "cxx": (problem,)})
            yield found
            continue
        cxx_threads = libcxx_has_threads(spec, sysroot, triple)
        toolchain = ClangToolchain(
            kind="wasi-sdk",
            version=version,
            triple=triple,
            cc=clang,
            cxx=root / sdk.clangxx,
            ar=root / sdk.ar,
            ranlib=root / sdk.ranlib,
            nm=root / sdk.nm,
            sysroot=sysroot,
            cxx_threads=cxx_threads,
        )
        found.ready["c"] = toolchain
        if cxx_threads:
            found.ready["cxx"] = toolchain
        else:
            found.missing["cxx"] = (
                Missing(
                    f"libc++ with threads in {sysroot}",
                    f"install a wasi-sdk whose libc++ has threads, or run `{bootstrap_fix('cxx')}`",
                ),
            )
        yield found


# --- system clang + sysroot ---------------------------------------------------------------


def private_resource_dir(env: SearchEnv, version: str) -> Path:
    """Where the bootstrap puts a resource dir that names Debian's builtins as clang expects."""
    return env.prefix / f"resource-dir-clang-{version}"


def _sibling_tool(env: SearchEnv, clang: Path, tool: str, major: int) -> Path | None:
    """`tool` next to the real clang binary (Debian: /usr/lib/llvm-N/bin), else `tool-N` on PATH."""
    beside = clang.resolve().parent / tool
    return beside if beside.is_file() else env.which(f"{tool}-{major}") or env.which(tool)


def _clang_sysroots(
    spec: ToolchainsSpec, env: SearchEnv, probe: Prober
) -> tuple[dict[Language, Path], dict[Language, Missing]]:
    """The threads sysroot for c and cxx: `$WASI_SYSROOT`, else the bootstrapped entries."""
    explicit = env.environ.get(spec.system_clang.sysroot_env)
    if explicit:
        root = Path(explicit)
        if threads_triple(spec, root) is None:
            bad = Missing(
                f"threads libc in ${spec.system_clang.sysroot_env}={root}",
                f"point {spec.system_clang.sysroot_env} at a sysroot with lib/"
                f"{spec.triple}/libc.a, or unset it and run `{bootstrap_fix('c')}`",
            )
            return {}, {"c": bad, "cxx": bad}
        sysroots: dict[Language, Path] = {"c": root}
        no_eh = Missing(
            f"the bootstrapped exceptions sysroot (${spec.system_clang.sysroot_env} is set)",
            f"unset {spec.system_clang.sysroot_env} and run `{bootstrap_fix(EXCEPTIONS)}`",
        )
        if libcxx_has_threads(spec, root, spec.triple):
            return {**sysroots, "cxx": root}, {EXCEPTIONS: no_eh}
        no_cxx = Missing(f"libc++ with threads in {root}", bootstrap_fix("cxx"))
        return sysroots, {"cxx": no_cxx, EXCEPTIONS: no_eh}
    keys = bootstrap_keys(spec, env, probe)
    found: dict[Language, Path] = {}
    missing: dict[Language, Missing] = {}
    pairs: tuple[tuple[Language, str | None], ...] = (
        ("c", keys.c),
        ("cxx", keys.cxx),
        (EXCEPTIONS, keys.cxx_eh),
    )
    for lang, key in pairs:
        entry = entry_path(env.prefix, lang, key) if key else None
        if entry is not None and is_complete(entry):
            found[lang] = entry
        elif entry is not None and entry.exists():
            missing[lang] = Missing(
                f"a complete bootstrap ({entry} has no completion marker)", bootstrap_fix(lang)
            )
        else:
            missing[lang] = Missing(
                f"threads sysroot for {lang} (not bootstrapped yet)", bootstrap_fix(lang)
            )
    return found, missing


@dataclass(frozen=True)
class _ClangParts:
    """What a system clang has around it, and what it lacks (apart from a sysroot)."""

    resource_dir: Path | None
    ar: Path
    ranlib: Path
    nm: Path
    problems: tuple[Missing, ...]


def _clang_parts(
    spec: ToolchainsSpec, env: SearchEnv, probe: Prober, clang: Path, version: tuple[int, ...]
) -> _ClangParts:
    wanted = spec.system_clang
    major = version[0]

    def install(part: str, major: int = major) -> str:
        return install_command([wanted.packages[part].format(major=major)])

    problems: list[Missing] = []
    if not at_least(version, wanted.min_version):
        minimum = (parse_version(wanted.min_version) or (0,))[0]
        problems.append(
            Missing(f"clang >= {wanted.min_version}", f"{install('clang', minimum)} (or newer)")
        )
    if _sibling_tool(env, clang, "wasm-ld", major) is None:
        problems.append(Missing("wasm-ld", install("wasm_ld")))
    resource = Path((probe([clang, "-print-resource-dir"]) or "").strip())
    resource_dir: Path | None = None
    if not (resource / wanted.builtins_expected).is_file():
        resource_dir = private_resource_dir(env, version_text(version))
        if not (resource / wanted.builtins_debian).is_file():
            problems.append(Missing("compiler-rt builtins for wasm32", install("builtins")))
        elif not resource_dir.is_dir():
            problems.append(Missing(f"private resource dir {resource_dir}", bootstrap_fix("c")))
    ar, ranlib, nm = (_sibling_tool(env, clang, t, major) for t in LLVM_TOOLS)
    if ar is None or ranlib is None or nm is None:
        problems.append(Missing("/".join(LLVM_TOOLS), install("llvm_tools")))
        ar = ranlib = nm = Path()  # never used: the problem keeps the candidate unready
    return _ClangParts(resource_dir, ar, ranlib, nm, tuple(problems))


def system_clang_candidates(
    spec: ToolchainsSpec, env: SearchEnv, probe: Prober
) -> Iterator[Candidate]:
    """A candidate per distinct clang on PATH, best first.

    Clangs too old for the exceptions flavour offer it only when no clang on
    PATH is new enough (then their gap says which one to install).
    """
    clangs: list[tuple[Path, tuple[int, ...]]] = []
    for name in spec.system_clang.candidates:
        clang = env.which(name)
        if clang is None or clang.resolve() in {c.resolve() for c, _ in clangs}:
            continue
        version = parse_version(probe([clang, "--version"]) or "")
        if version is not None:
            clangs.append((clang, version))
    any_eh = any(at_least(version, spec.exceptions.min_clang) for _, version in clangs)
    sysroots: tuple[dict[Language, Path], dict[Language, Missing]] | None = None
    for clang, version in clangs:
        eh_capable = at_least(version, spec.exceptions.min_clang)
        languages: tuple[Language, ...] = ("c", "cxx")
        if eh_capable or not any_eh:
            languages += (EXCEPTIONS,)
        found = Candidate("system-clang", clang, version_text(version), languages)
        parts = _clang_parts(spec, env, probe, clang, version)
        if sysroots is None:
            sysroots = _clang_sysroots(spec, env, probe)
        for lang in found.languages:
            sysroot_gap = (sysroots[1][lang],) if lang in sysroots[1] else ()
            gaps = parts.problems + sysroot_gap
            if lang == EXCEPTIONS:  # bootstrapping cxx-eh also makes the resource dir
                gaps = _exceptions_gaps(spec, version) + sysroot_gap + parts.problems
            if gaps:
                found.missing[lang] = gaps
                continue
            found.ready[lang] = ClangToolchain(
                kind="system-clang",
                version=version_text(version),
                triple=spec.triple,
                cc=clang,
                cxx=clang.with_name(clang.name.replace("clang", "clang++", 1)),
                ar=parts.ar,
                ranlib=parts.ranlib,
                nm=parts.nm,
                sysroot=sysroots[0][lang],
                resource_dir=parts.resource_dir,
                cxx_threads=lang != "c",
                exceptions=_exception_flags(spec) if lang == EXCEPTIONS else None,
            )
        yield found


def _exceptions_gaps(spec: ToolchainsSpec, version: tuple[int, ...]) -> tuple[Missing, ...]:
    """What a clang lacks for standard (exnref) wasm exceptions: a recent enough version."""
    wanted = spec.exceptions.min_clang
    if at_least(version, wanted):
        return ()
    eh_clang = spec.bootstrap.compiler_for(spec.bootstrap.cxx_eh).cc
    return (
        Missing(
            f"clang >= {wanted} for standard wasm exceptions (found {version_text(version)})",
            f"{install_command([eh_clang])}, then `{bootstrap_fix(EXCEPTIONS)}`",
        ),
    )


def _exception_flags(spec: ToolchainsSpec) -> ExceptionFlags:
    eh = spec.exceptions
    return ExceptionFlags(cflags=eh.cflags, cxxflags=eh.cxxflags, ldflags=eh.ldflags)


# --- Rust ---------------------------------------------------------------------------------


def _rustc_version(rustc: Path, probe: Prober) -> str | None:
    parsed = parse_version(probe([rustc, "--version"]) or "")
    return version_text(parsed) if parsed else None


def _bad_version(spec: ToolchainsSpec, version: str) -> Missing | None:
    reason = spec.rust.bad_versions.get(version)
    if reason is None:
        return None
    return Missing(
        f"a rustc other than {version}: {reason}",
        "rustup update stable (or install any other rustc version)",
    )


def rust_candidates(spec: ToolchainsSpec, env: SearchEnv, probe: Prober) -> Iterator[Candidate]:
    """A rustup compiler with the threads target first, then Debian's with the bootstrapped std."""
    rustc, cargo = env.which(spec.rust.rustup_rustc), env.which(spec.rust.rustup_cargo)
    system_rustc = env.which(spec.rust.system_rustc)
    if rustc is not None and cargo is not None and rustc != system_rustc:
        version = _rustc_version(rustc, probe)
        if version is not None:
            found = Candidate("rustup", rustc, version, ("rust",))
            sysroot = Path((probe([rustc, "--print", "sysroot"]) or "").strip())
            target_lib = sysroot / "lib" / "rustlib" / spec.triple / "lib"
            bad = _bad_version(spec, version)
            if bad is not None:
                found.missing["rust"] = (bad,)
            elif not any(target_lib.glob("libstd-*.rlib")):
                found.missing["rust"] = (
                    Missing(
                        f"the {spec.triple} target for rustc {version}",
                        f"rustup target add {spec.triple} (needs network), or "
                        f"`{bootstrap_fix('rust')}`",
                    ),
                )
            else:
                found.ready["rust"] = RustToolchain("rustup", version, spec.triple, cargo, rustc)
            yield found
    system_cargo = env.which(spec.rust.system_cargo)
    if system_rustc is None or system_cargo is None:
        return
    version = _rustc_version(system_rustc, probe)
    if version is None:
        return
    found = Candidate("bootstrapped", system_rustc, version, ("rust",))
    bad = _bad_version(spec, version)
    key = bootstrap_keys(spec, env, probe).rust
    entry = entry_path(env.prefix, "rust", key) if key else None
    if bad is not None:
        found.missing["rust"] = (bad,)
    elif entry is None or not is_complete(entry):
        state = "is incomplete" if entry is not None and entry.exists() else "not built yet"
        found.missing["rust"] = (
            Missing(f"Rust std for {spec.triple} ({state})", bootstrap_fix("rust")),
        )
    else:
        found.ready["rust"] = RustToolchain(
            "bootstrapped", version, spec.triple, system_cargo, system_rustc, sysroot=entry
        )
    yield found
