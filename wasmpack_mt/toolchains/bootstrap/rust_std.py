"""Build Rust std for the threads target from Debian's rust-web-src, offline."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from wasmpack_mt.errors import ToolchainError
from wasmpack_mt.log import step
from wasmpack_mt.process import run
from wasmpack_mt.toolchains.bootstrap.libraries import BUILD_JOBS
from wasmpack_mt.toolchains.packages import install_command
from wasmpack_mt.toolchains.spec import ToolchainsSpec

THROWAWAY = "wasmpack_std_probe"


def library_dir(spec: ToolchainsSpec) -> Path:
    """Debian's std sources with vendored dependencies (newest first if several)."""
    found: list[Path] = []
    for pattern in map(Path, spec.bootstrap.rust.library_globs):
        found += Path(pattern.anchor).glob(str(pattern.relative_to(pattern.anchor)))
    vendored = [p for p in sorted(found, reverse=True) if (p / "vendor").is_dir()]
    if not vendored:
        raise ToolchainError(
            f"Rust std sources not found (looked for {', '.join(spec.bootstrap.rust.library_globs)}"
            f"); run: {install_command(list(spec.bootstrap.apt.rust))}"
        )
    return vendored[0]


def _write_throwaway(root: Path, library: Path) -> None:
    (root / "src").mkdir(parents=True)
    (root / "src" / "lib.rs").write_text("#![no_std]\n", encoding="utf-8")
    (root / "Cargo.toml").write_text(
        f'[package]\nname = "{THROWAWAY}"\nversion = "0.0.0"\nedition = "2021"\n\n[workspace]\n',
        encoding="utf-8",
    )
    cargo_home = root / "cargo-home"
    cargo_home.mkdir()
    (cargo_home / "config.toml").write_text(
        '[source.crates-io]\nreplace-with = "rust-std-vendor"\n\n'
        f'[source.rust-std-vendor]\ndirectory = "{library / "vendor"}"\n\n'
        "[net]\noffline = true\n",
        encoding="utf-8",
    )


def build_rust_sysroot(
    spec: ToolchainsSpec, *, cargo: Path, rustc: Path, c_sysroot: Path, work: Path, sysroot: Path
) -> None:
    """Build std with `-Zbuild-std` and assemble a sysroot usable with `--sysroot`."""
    recipe = spec.bootstrap.rust
    library = library_dir(spec)
    crate = work / "crate"
    _write_throwaway(crate, library)
    env = {
        **os.environ,
        "CARGO_HOME": os.fspath(crate / "cargo-home"),
        "RUSTC": os.fspath(rustc),
        "RUSTC_BOOTSTRAP": "1",
        "RUSTFLAGS": recipe.rustflags,
        "CARGO_TARGET_DIR": os.fspath(crate / "target"),
    }
    for name in ("RUSTUP_TOOLCHAIN", "CARGO_BUILD_TARGET", "RUSTC_WRAPPER"):
        env.pop(name, None)
    with step(f"Rust std for {spec.triple}: cargo -Zbuild-std (offline, -j{BUILD_JOBS})"):
        run(
            [
                cargo,
                "build",
                "--release",
                "--offline",
                "-j",
                str(BUILD_JOBS),
                "--target",
                spec.triple,
                f"-Zbuild-std={recipe.build_std}",
            ],
            step="build Rust std",
            cwd=crate,
            env=env,
        )
    deps = crate / "target" / spec.triple / "release" / "deps"
    target_lib = sysroot / "lib" / "rustlib" / spec.triple / "lib"
    self_contained = target_lib / "self-contained"
    self_contained.mkdir(parents=True)
    for rlib in deps.glob("*.rlib"):
        if not rlib.name.startswith(f"lib{THROWAWAY}"):
            shutil.copy2(rlib, target_lib / rlib.name)
    for name in recipe.self_contained:
        shutil.copy2(c_sysroot / "lib" / spec.triple / name, self_contained / name)
    host_triple, host_libdir = _host_std(rustc)
    host = sysroot / "lib" / "rustlib" / host_triple
    (host / "bin").mkdir(parents=True)
    (host / "lib").symlink_to(host_libdir)
    (host / "bin" / "rust-lld").symlink_to(recipe.lld)


def _host_std(rustc: Path) -> tuple[str, str]:
    """This rustc's host triple and the directory of its host std (build scripts link it)."""
    verbose = run([rustc, "-vV"], step="ask rustc for its host")
    hosts = [
        line.removeprefix("host:").strip()
        for line in verbose.splitlines()
        if line.startswith("host:")
    ]
    if not hosts:
        raise ToolchainError(f"{rustc} -vV names no host; check that it is a working rustc")
    libdir = run([rustc, "--print", "target-libdir"], step="ask rustc for its std").strip()
    return hosts[0], libdir
