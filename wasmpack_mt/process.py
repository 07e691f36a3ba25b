"""The one way wasmpack runs external commands.

Every command is echoed (`+ cmd`, visible with -v). Captured output of a
failed command is written to a log file whose path and last lines go into the
raised `CommandFailed`; live output (compiler messages) is shown as it comes
and also kept, so that a failure can be explained (`CommandFailed.output`).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Container, Mapping, Sequence
from pathlib import Path
from typing import IO, TextIO

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
    if not capture:
        code, shown = _run_live(argv, step, cwd, env, timeout)
        if code not in ok_codes:
            log = _keep_log(step, argv, shown)
            raise CommandFailed(f"{step} failed (exit {code}); full log: {log}", output=shown)
        return ""
    try:
        completed = subprocess.run(
            argv,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
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
        log = _keep_log(step, argv, output)
        tail = "\n".join(output.rstrip().splitlines()[-TAIL_LINES:])
        raise CommandFailed(
            f"{step} failed (exit {completed.returncode}); full log: {log}",
            details=tail,
            output=output,
        )
    return output


def _run_live(
    argv: list[str],
    step: str,
    cwd: Path | None,
    env: Mapping[str, str] | None,
    timeout: float | None,
) -> tuple[int, str]:
    """Run `argv` showing its stdout and stderr as they come; its exit code and both, merged."""
    kept: list[bytes] = []
    lock = threading.Lock()

    def relay(source: IO[bytes], sink: TextIO) -> None:
        raw: IO[bytes] | None = getattr(sink, "buffer", None)  # absent on an io.StringIO
        for line in iter(source.readline, b""):
            if raw is not None:
                raw.write(line)
                raw.flush()
            else:
                sink.write(line.decode(errors="replace"))
                sink.flush()
            with lock:
                kept.append(line)

    try:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except FileNotFoundError as exc:
        raise CommandFailed(f"{step}: cannot run {argv[0]!r}: {exc.strerror}") from None
    assert process.stdout is not None and process.stderr is not None
    relays = [
        threading.Thread(target=relay, args=(process.stdout, sys.stdout), daemon=True),
        threading.Thread(target=relay, args=(process.stderr, sys.stderr), daemon=True),
    ]
    for thread in relays:
        thread.start()
    try:
        code = process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise CommandFailed(f"{step}: {argv[0]} did not finish within {timeout} s") from None
    finally:
        for thread in relays:
            thread.join()
        process.stdout.close()
        process.stderr.close()
    return code, b"".join(kept).decode(errors="replace")


def _keep_log(step: str, argv: list[str], output: str) -> Path:
    """Write a failed command and its output where the user can read it later."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", step).strip("-").lower() or "command"
    path = logs_dir() / f"{time.strftime('%Y%m%d-%H%M%S')}-{slug}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"$ {format_command(argv)}\n{output}", encoding="utf-8")
    return path
