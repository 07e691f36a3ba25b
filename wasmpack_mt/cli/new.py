"""`wasmpack new`: create a project from a template."""

from __future__ import annotations

import argparse
import os
import shlex
from pathlib import Path
from typing import Any

from wasmpack_mt.errors import UsageError


def register(subparsers: Any) -> None:
    """Add the `new` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "new",
        help="create a project that computes Fibonacci numbers on threads",
        description="Create the directory NAME holding a project from a template. "
        "Its program computes fib(4) and fib(5) on two threads; `cd NAME && wasmpack "
        "build && wasmpack run` works without edits.",
    )
    parser.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help="directory to create; its last part is the project name",
    )
    parser.add_argument(
        "-t",
        "--template",
        default=None,
        metavar="TEMPLATE",
        help="c (default), cpp, rust, cmake or python; see --list",
    )
    parser.add_argument("--list", action="store_true", help="list the templates and exit")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from wasmpack_mt import templates

    if args.list:
        for template in templates.available_templates():
            print(f"{template.name:<8} {template.description}")
        return 0
    if not args.name:
        raise UsageError("missing project name: run `wasmpack new NAME` (see --list for templates)")
    chosen = args.template or templates.DEFAULT_TEMPLATE
    project = templates.create_project(Path(args.name), chosen)
    shown = os.path.relpath(project) if project.is_relative_to(Path.cwd()) else os.fspath(project)
    print(f"Created {chosen} project {project.name!r} in {shown}")
    print("Next:")
    if project != Path.cwd():
        print(f"  cd {shlex.quote(shown)}")
    for step in templates.next_steps(chosen, project.name):
        print(f"  {step}")
    return 0
