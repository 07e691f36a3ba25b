"""Kind `cargo`: cargo build for wasm32-wasip1-threads with the resolved rustc and sysroot."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from wasmpack_mt import process
from wasmpack_mt.builders.config import ProjectConfig
from wasmpack_mt.builders.driver import BuildRequest, BuildResult
from wasmpack_mt.builders.plan import BuildPlan, plan_build
from wasmpack_mt.builders.porting import rust_env
from wasmpack_mt.builders.project_tree import project_files
from wasmpack_mt.builders.toolchain_lookup import resolve_rust
from wasmpack_mt.errors import BuildError, ConfigError
from wasmpack_mt.log import step
from wasmpack_mt.toolchains.model import RustToolchain, add_encoded_flags

OFFLINE_SOURCE = "wasmpack-offline"


class CargoDriver:
    """Builds Cargo projects; finds the binary in cargo's JSON messages."""

    def build(self, request: BuildRequest) -> BuildResult:
        """Run cargo live (its messages shown), then ask it for the artifact as JSON."""
        config = request.config
        toolchain = resolve_rust()
        cmd = cargo_command(toolchain, config, request)
        plan = plan_build(config, request.profile, toolchain, request.work_dir)
        env = cargo_env(toolchain, config, plan)
        request.starting_work()
        with step(f"cargo build ({request.profile})"):
            process.run(cmd, step="cargo build", cwd=config.root, env=env, capture=False)
        # The build is fresh now, so this second run only prints the artifacts.
        messages = process.run(
            [*cmd, "--message-format=json", "--quiet"],
            step="cargo build (locating the binary)",
            cwd=config.root,
            env=env,
        )
        module = select_binary(messages, request.bin or config.cargo.bin, config)
        return BuildResult(
            module=module,
            languages=("rust",),
            toolchain_name=f"rustc ({toolchain.kind})",
            toolchain_version=toolchain.version,
            flags=plan.recorded_flags(["rust"]),
            inputs=tuple(
                p for p in project_files(config.root) if p.suffix in {".rs", ".toml", ".lock"}
            ),
            features=plan.features(),
        )


def cargo_command(
    toolchain: RustToolchain, config: ProjectConfig, request: BuildRequest
) -> list[str]:
    """The `cargo build` argv for this project and profile."""
    cmd = [os.fspath(toolchain.cargo), "build", "--target", toolchain.triple]
    if request.profile == "release":
        cmd.append("--release")
    if config.cargo.package:
        cmd += ["--package", config.cargo.package]
    if bin_name := request.bin or config.cargo.bin:
        cmd += ["--bin", bin_name]
    if config.cargo.features:
        cmd += ["--features", ",".join(config.cargo.features)]
    if config.cargo.offline_registry:
        cmd += offline_registry_args(config, config.cargo.offline_registry)
    return cmd


def offline_registry_args(config: ProjectConfig, registry: str) -> list[str]:
    """`--config` arguments that replace crates.io by a local directory source."""
    path = (config.root / registry).resolve()
    if not path.is_dir():
        raise ConfigError(
            f"{config.source}: {config.key('cargo.offline-registry')}: {path} is not a directory; "
            "install the crates (e.g. apt-get install librust-rayon-dev) or fix the path"
        )
    return [
        "--offline",
        "--config",
        f'source.crates-io.replace-with="{OFFLINE_SOURCE}"',
        "--config",
        f"source.{OFFLINE_SOURCE}.directory={json.dumps(os.fspath(path))}",
    ]


def cargo_env(toolchain: RustToolchain, config: ProjectConfig, plan: BuildPlan) -> dict[str, str]:
    """The environment: toolchain, then the plan's rustc flags in CARGO_ENCODED_RUSTFLAGS.

    The toolchain's own flags (the `abi` group) come with its environment; an
    `opt-level` set in the project file's profile overrides Cargo.toml's.
    """
    env = rust_env(toolchain, dict(os.environ))
    if level := config.profile(plan.profile).opt_level:
        env[f"CARGO_PROFILE_{'RELEASE' if plan.profile == 'release' else 'DEV'}_OPT_LEVEL"] = level
    return add_encoded_flags(env, "RUSTFLAGS", plan.flags("rust", skip=("abi",)))


def select_binary(messages: str, bin_name: str | None, config: ProjectConfig) -> Path:
    """The .wasm executable among cargo's compiler-artifact messages."""
    binaries: dict[str, Path] = {}
    for line in messages.splitlines():
        if not line.startswith("{"):
            continue
        message: dict[str, Any] = json.loads(line)
        executable = message.get("executable")
        if (
            message.get("reason") == "compiler-artifact"
            and executable
            and "bin" in message["target"]["kind"]
            and executable.endswith(".wasm")
        ):
            binaries[message["target"]["name"]] = Path(executable)
    if bin_name is not None:
        if bin_name not in binaries:
            raise BuildError(
                f"cargo built no binary named {bin_name!r}; check --bin / {config.key('cargo.bin')}"
            )
        return binaries[bin_name]
    if len(binaries) == 1:
        return next(iter(binaries.values()))
    if not binaries:
        raise BuildError(
            "cargo built no binary (.wasm); add src/main.rs or a [[bin]] target to Cargo.toml"
        )
    raise ConfigError(
        f"{config.source}: several binaries ({', '.join(sorted(binaries))}); "
        'choose one with --bin NAME or [cargo] bin = "NAME"'
    )
