"""The errors a user can act on.

The library raises these and never exits; only the CLI turns them into one
`error: ...` line (plus `details` above it) and an exit code.
"""

from __future__ import annotations


class WasmpackError(Exception):
    """A problem the user can fix: the message states the cause and the fix."""

    exit_code = 1

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(message)
        self.details = details


class UsageError(WasmpackError):
    """Bad command-line arguments or an unusable input path."""

    exit_code = 2


class ConfigError(UsageError):
    """An invalid project file (`wasmpack.toml`, `[tool.wasmpack]`) or `toolchains.yaml`."""


class ToolchainError(WasmpackError):
    """A toolchain is missing, unusable, or could not be bootstrapped."""

    exit_code = 3


class BuildError(WasmpackError):
    """Compiling or linking failed."""

    exit_code = 4


class CommandFailed(WasmpackError):
    """An external command exited non-zero; its log is kept on disk."""

    exit_code = 4

    def __init__(self, message: str, *, details: str = "", output: str = "") -> None:
        super().__init__(message, details=details)
        self.output = output
        """Everything the command printed (stdout and stderr), for explaining the failure."""


class WasmFormatError(WasmpackError):
    """The input is not a well-formed WebAssembly module."""

    exit_code = 5


class CheckFailed(WasmpackError):
    """`wasmpack check` found errors in a module's thread ABI."""

    exit_code = 6


class HostError(WasmpackError):
    """The host cannot run a module (bad imports, own shared memory, ...)."""

    exit_code = 7
