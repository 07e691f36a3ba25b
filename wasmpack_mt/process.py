"""The one way wasmpack runs external commands.

Every command is echoed (`+ cmd`, visible with -v). Captured output of a
failed command is written to a log file whose path and last lines go into the
raised `CommandFailed`; live output (compiler messages) is shown as it comes.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
from collections.abc import Container, Mapping, Sequence
from pathlib import Path

from wasmpack_mt.errors import CommandFailed
from wasmpack_mt.log import logger
from wasmpack_mt.paths import logs_dir

Command = Sequence[str | os.PathLike[str]]
TAIL_LINES = 25


def format_command(cmd: Command) -> str:
    """A shell-quoted rendering of `cmd`, for echoing and error messages."""
    return shlex.join(os.fspath(part) for part in cmd)


def run(
    cmd: Command,
    *,
    step: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    capture: bool = True,
    timeout: float | None = None,
    ok_codes: Container[int] = (0,),
) -> str:
    """Run `cmd` and return its output (empty when not captured).

    `step` names the work for the error message. `env` replaces the
    environment entirely (start from `os.environ` to extend it). An exit code
    outside `ok_codes` raises `CommandFailed`.
    """
    argv = [os.fspath(part) for part in cmd]
    logger.debug("+ %s", format_command(argv))
    try:
        completed = subprocess.run(
            argv,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if capture else None,
            stderr=subprocess.STDOUT if capture else None,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as exc:
        raise CommandFailed(f"{step}: cannot run {argv[0]!r}: {exc.strerror}") from None
    except subprocess.TimeoutExpired:
        raise CommandFailed(f"{step}: {argv[0]} did not finish within {timeout} s") from None
    output = completed.stdout or ""
    if completed.returncode not in ok_codes:
        if not capture:
            raise CommandFailed(f"{step} failed (exit {completed.returncode})")
        log = _keep_log(step, argv, output)
        tail = "\n".join(output.rstrip().splitlines()[-TAIL_LINES:])
        raise CommandFailed(
            f"{step} failed (exit {completed.returncode}); full log: {log}", details=tail
        )
    return output


def _keep_log(step: str, argv: list[str], output: str) -> Path:
    """Write a failed command and its output where the user can read it later."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", step).strip("-").lower() or "command"
    path = logs_dir() / f"{time.strftime('%Y%m%d-%H%M%S')}-{slug}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"$ {format_command(argv)}\n{output}", encoding="utf-8")
    return path
