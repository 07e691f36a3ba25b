"""Where detection looks: environment, PATH and the bootstrap prefix, injectable for tests."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from wasmpack_mt.toolchains.probe import Prober
from wasmpack_mt.toolchains.spec import ToolchainsSpec
from wasmpack_mt.toolchains.store import default_prefix, recipe_key


@dataclass(frozen=True)
class SearchEnv:
    """The machine as detection sees it."""

    environ: Mapping[str, str]
    path: tuple[Path, ...]
    prefix: Path
    """Where `wasmpack toolchain bootstrap` puts its entries."""

    @classmethod
    def current(cls, prefix: Path | None = None) -> SearchEnv:
        """This process's environment, PATH and bootstrap prefix."""
        dirs = tuple(Path(d) for d in os.environ.get("PATH", "").split(os.pathsep) if d)
        return cls(dict(os.environ), dirs, (prefix or default_prefix()).absolute())

    def which(self, name: str) -> Path | None:
        """An executable named `name` (or at that absolute path)."""
        if os.sep in name:
            path = Path(name)
            return path if _executable(path) else None
        for directory in self.path:
            candidate = directory / name
            if _executable(candidate):
                return candidate
        return None


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


@dataclass(frozen=True)
class BootstrapKeys:
    """The cache keys the bootstrap uses now; None when its compiler is absent."""

    c: str | None
    cxx: str | None
    rust: str | None
    cxx_eh: str | None = None

    def of(self, part: str) -> str | None:
        """The key of `part` as the bootstrap names it (`c`, `cxx`, `rust`, `cxx-eh`)."""
        value: str | None = getattr(self, part.replace("-", "_"))
        return value


def bootstrap_keys(spec: ToolchainsSpec, env: SearchEnv, probe: Prober) -> BootstrapKeys:
    """Keys from the recipes plus the versions of the compilers that run them."""
    recipes = spec.bootstrap
    cc = env.which(recipes.compiler.cc)
    cc_version = probe([cc, "--version"]) if cc else None
    c_key = recipe_key(spec.triple, recipes.compiler, recipes.c, cc_version) if cc_version else None
    cxx_key = recipe_key(c_key, recipes.cxx) if c_key else None
    rustc = env.which(spec.rust.system_rustc)
    rustc_version = probe([rustc, "--version"]) if rustc else None
    rust_key = recipe_key(c_key, recipes.rust, rustc_version) if c_key and rustc_version else None
    eh_cc = env.which(recipes.compiler_for(recipes.cxx_eh).cc)
    eh_version = probe([eh_cc, "--version"]) if eh_cc else None
    eh_key = recipe_key(c_key, recipes.cxx_eh, eh_version) if c_key and eh_version else None
    return BootstrapKeys(c_key, cxx_key, rust_key, eh_key)
