"""Kind `command`: run the project's own build (make, configure && make) under `wasmpack env`."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from wasmpack_mt import process
from wasmpack_mt.builders.clang import C_SUFFIXES, CXX_SUFFIXES
from wasmpack_mt.builders.driver import BuildRequest, BuildResult
from wasmpack_mt.builders.plan import BuildPlan, plan_build
from wasmpack_mt.builders.porting import clang_env
from wasmpack_mt.builders.posix_compat import ready_posix_compat
from wasmpack_mt.builders.project_tree import project_files
from wasmpack_mt.builders.toolchain_lookup import default_clang
from wasmpack_mt.errors import BuildError
from wasmpack_mt.log import step
from wasmpack_mt.toolchains.model import ClangToolchain

BUILD_PRODUCTS = frozenset({".o", ".obj", ".a", ".lo", ".la", ".d", ".wasm", ".log"})
"""Suffixes of files a build leaves in the tree; not part of the source digest."""
SOURCES = C_SUFFIXES | CXX_SUFFIXES


class CommandDriver:
    """Builds `kind = "command"` projects."""

    def build(self, request: BuildRequest) -> BuildResult:
        """Run `[command] run` with the porting environment; take `[command] output`."""
        config = request.config
        toolchain = default_clang(exceptions=config.exceptions)
        plan = plan_build(config, request.profile, toolchain, request.work_dir)
        if plan.posix_compat:
            ready_posix_compat(toolchain)
        env = command_env(toolchain, plan)
        output = config.root / config.command.output
        # The digest covers the sources as they are before the build writes into the tree.
        inputs = tuple(
            p for p in project_files(config.root) if p.suffix not in BUILD_PRODUCTS and p != output
        )
        run = config.command.run
        argv = ["sh", "-c", run] if isinstance(run, str) else list(run)
        request.starting_work()
        with step(f"run {shlex.join(argv) if isinstance(run, tuple) else run}"):
            process.run(
                argv, step="the project's build command", cwd=config.root, env=env, capture=False
            )
        if not output.is_file():
            raise BuildError(
                f"the build command finished but {output} does not exist; "
                f"set [command] output in {config.source.name} to the .wasm it writes"
            )
        return BuildResult(
            module=output,
            languages=_languages(inputs),
            toolchain_name=f"clang ({toolchain.kind}) + command",
            toolchain_version=toolchain.version,
            flags=plan.recorded_flags(["c", "cxx", "link"]),
            inputs=inputs,
            features=plan.features(),
        )


def command_env(toolchain: ClangToolchain, plan: BuildPlan) -> dict[str, str]:
    """os.environ plus the porting variables, with CFLAGS/CXXFLAGS/LDFLAGS/LIBS from the plan.

    CC and CXX carry the target and runtime groups and the `posix` group's
    compile flags (so configure's probes see the sysroot and the layer's
    headers); the flags variables carry every other group.
    """
    ported = clang_env(toolchain, plan.memory, posix=plan.posix_compat)
    carried = ("target", "runtime")
    in_cc = (*carried, "posix")
    ported["CFLAGS"] = shlex.join(plan.flags("c", skip=in_cc))
    ported["CXXFLAGS"] = shlex.join(plan.flags("cxx", skip=in_cc))
    ported["LDFLAGS"] = shlex.join(plan.flags("link", skip=(*carried, "codegen")))
    if plan.libraries:
        ported["LIBS"] = " ".join(f"-l{lib}" for lib in plan.libraries)
    return {**os.environ, **ported}


def _languages(files: tuple[Path, ...]) -> tuple[str, ...]:
    """The languages whose sources the project holds (C when none is recognised)."""
    found = {"cxx" if f.suffix in CXX_SUFFIXES else "c" for f in files if f.suffix in SOURCES}
    return tuple(sorted(found)) or ("c",)
