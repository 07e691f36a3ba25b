"""`wasmpack wheel`: a project's artifact as a `py3-none-any` wheel with a console script.

It composes the stages like `wasmpack_mt.pipeline` (build, check, bundle), then
packs the artifact with a small launcher package (`metadata`, `archive`,
`project`). No stage imports it.
"""

from wasmpack_mt.wheel.project import build_wheel

__all__ = ["build_wheel"]
