"""Kind `cmake`: configure with wasmpack's toolchain file, build one target."""

from __future__ import annotations

import json
import os
import shlex
import shutil
from pathlib import Path
from typing import Any

from wasmpack_mt import process
from wasmpack_mt.builders.config import ProjectConfig
from wasmpack_mt.builders.driver import BuildRequest, BuildResult
from wasmpack_mt.builders.plan import BuildPlan, plan_build
from wasmpack_mt.builders.porting import cmake_toolchain_file
from wasmpack_mt.builders.posix_compat import ready_posix_compat
from wasmpack_mt.builders.project_tree import project_files
from wasmpack_mt.builders.support import thread_stack_object
from wasmpack_mt.builders.toolchain_lookup import default_clang
from wasmpack_mt.errors import BuildError, ConfigError
from wasmpack_mt.log import step
from wasmpack_mt.toolchains.model import ClangToolchain

BUILD_TYPES = {"release": "Release", "debug": "Debug"}


class CMakeDriver:
    """Builds `kind = "cmake"` projects; finds the target's file through CMake's file API."""

    def build(self, request: BuildRequest) -> BuildResult:
        """Configure (every build; CMake reuses its cache), build the target, locate it."""
        config = request.config
        source_dir = (config.root / config.cmake.source_dir).resolve()
        if not (source_dir / "CMakeLists.txt").is_file():
            raise ConfigError(
                f"{config.source}: {config.key('cmake.source-dir')}: no CMakeLists.txt in "
                f"{source_dir}; point source-dir at the directory that has it"
            )
        toolchain = default_clang(exceptions=config.exceptions)
        build_dir = request.work_dir / "cmake"
        query = build_dir / ".cmake" / "api" / "v1" / "query" / "codemodel-v2"
        query.parent.mkdir(parents=True, exist_ok=True)
        query.touch()
        plan = plan_build(config, request.profile, toolchain, request.work_dir)
        if plan.posix_compat:
            ready_posix_compat(toolchain)
        settings = cache_settings(request, toolchain, plan)
        cmd: list[str | os.PathLike[str]] = [
            "cmake", "--no-warn-unused-cli", "-S", source_dir, "-B", build_dir,
            *(["-G", "Ninja"] if shutil.which("ninja") else []),
            *settings,
        ]  # fmt: skip
        request.starting_work()
        with step("cmake configure"):
            process.run(cmd, step="cmake configure", cwd=config.root, capture=False)
        target = config.cmake.target or _only_executable(build_dir, config)
        with step(f"cmake build {target}"):
            process.run(
                ["cmake", "--build", build_dir, "--target", target, "--parallel", "2"],
                step="cmake build",
                cwd=config.root,
                capture=False,
            )
        artifact, languages = _target_artifact(build_dir, target, config)
        return BuildResult(
            module=artifact,
            languages=languages,
            toolchain_name=f"clang ({toolchain.kind}) + cmake",
            toolchain_version=toolchain.version,
            flags=(
                *plan.recorded_flags(["c", "cxx", "link"]),
                *(f"-D{name}={value}" for name, value in config.cmake.cache),
            ),
            inputs=project_files(config.root),
            features=plan.features(),
        )


def cache_settings(request: BuildRequest, toolchain: ClangToolchain, plan: BuildPlan) -> list[str]:
    """The -D settings: toolchain file, profile, the plan's flags, the project's cache variables.

    The toolchain file (written for the project's memory layout and POSIX layer)
    keeps the target, runtime, thread ABI, memory and `posix` groups whatever a
    user's CMAKE_<LANG>_FLAGS say; the other groups go to CMAKE_<LANG>_FLAGS,
    optimisation to the build type's flags. CMake pastes these strings
    into shell command lines, so each flag is shell-quoted (paths may hold spaces).
    """
    config = request.config
    build_type = BUILD_TYPES[request.profile]
    profile_flags = plan.only("c", "codegen")
    if request.profile == "release":
        profile_flags.append("-DNDEBUG")
    in_file = ("target", "runtime", "abi", "memory", "posix")
    outside = (*in_file, "codegen")
    ld_flags = [*plan.flags("link", skip=outside), *(f"-l{lib}" for lib in plan.libraries)]
    if config.memory.thread_stack_size is not None:
        stack = thread_stack_object(toolchain, request.work_dir, config.memory.thread_stack_size)
        ld_flags.append(os.fspath(stack))
    toolchain_file = cmake_toolchain_file(toolchain, plan.memory, posix=plan.posix_compat)
    return [
        f"-DCMAKE_TOOLCHAIN_FILE={toolchain_file}",
        f"-DCMAKE_BUILD_TYPE={build_type}",
        f"-DCMAKE_C_FLAGS={_flag_string(plan.flags('c', skip=outside))}",
        f"-DCMAKE_CXX_FLAGS={_flag_string(plan.flags('cxx', skip=outside))}",
        f"-DCMAKE_C_FLAGS_{build_type.upper()}={_flag_string(profile_flags)}",
        f"-DCMAKE_CXX_FLAGS_{build_type.upper()}={_flag_string(profile_flags)}",
        f"-DCMAKE_EXE_LINKER_FLAGS={_flag_string(ld_flags)}",
        *(f"-D{name}={value}" for name, value in config.cmake.cache),
    ]


def _flag_string(flags: list[str]) -> str:
    """`flags` shell-quoted for a -D value.

    CMake removes one pair of single quotes around a whole -D value, which
    would break `'a b' 'c d'`; a leading space keeps the value intact.
    """
    text = shlex.join(flags)
    return f" {text}" if text.startswith("'") and text.endswith("'") else text


def _codemodel(build_dir: Path) -> tuple[Path, dict[str, Any]]:
    reply = build_dir / ".cmake" / "api" / "v1" / "reply"
    indexes = sorted(reply.glob("index-*.json"))
    if not indexes:
        raise BuildError(f"CMake wrote no file-API reply in {reply}; is cmake older than 3.14?")
    index = json.loads(indexes[-1].read_text(encoding="utf-8"))
    model_file = next(item["jsonFile"] for item in index["objects"] if item["kind"] == "codemodel")
    return reply, json.loads((reply / model_file).read_text(encoding="utf-8"))


def _targets(build_dir: Path) -> dict[str, dict[str, Any]]:
    """Every target of the first configuration, by name, with its file-API details."""
    reply, model = _codemodel(build_dir)
    found: dict[str, dict[str, Any]] = {}
    for ref in model["configurations"][0]["targets"]:
        found[ref["name"]] = json.loads((reply / ref["jsonFile"]).read_text(encoding="utf-8"))
    return found


def _only_executable(build_dir: Path, config: ProjectConfig) -> str:
    executables = sorted(
        name for name, target in _targets(build_dir).items() if target["type"] == "EXECUTABLE"
    )
    if len(executables) == 1:
        return executables[0]
    listed = ", ".join(executables) or "none"
    raise ConfigError(
        f"{config.source}: {config.key('cmake.target')}: the project has {len(executables)} "
        f'executables ({listed}); name the one to package, e.g. [cmake] target = "app"'
    )


def _target_artifact(
    build_dir: Path, name: str, config: ProjectConfig
) -> tuple[Path, tuple[str, ...]]:
    target = _targets(build_dir).get(name)
    if target is None or target["type"] != "EXECUTABLE":
        raise ConfigError(
            f"{config.source}: {config.key('cmake.target')}: {name!r} is not an executable "
            "target of the project; name an add_executable() target"
        )
    artifact = Path(target["artifacts"][0]["path"])
    if not artifact.is_absolute():
        artifact = build_dir / artifact
    languages = sorted(
        {
            "cxx" if group["language"] == "CXX" else group["language"].lower()
            for group in target.get("compileGroups", [])
        }
    )
    return artifact, tuple(languages)
