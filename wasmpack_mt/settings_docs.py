"""Write the key tables of the docs from the settings model: `python -m wasmpack_mt.settings_docs`.

Each table sits between `<!-- keys:NAME -->` and `<!-- /keys:NAME -->` in its
page; the test suite fails when a committed table differs from the model.
"""

from __future__ import annotations

import re
from pathlib import Path

from wasmpack_mt.builders.config import ProjectConfig
from wasmpack_mt.settings import documented_keys
from wasmpack_mt.toolchains.spec import ToolchainsSpec

DOCS = Path(__file__).resolve().parent.parent / "docs"
TABLES: dict[str, tuple[str, type]] = {
    "project-file": ("project-file.md", ProjectConfig),
    "toolchains-yaml": ("toolchains.md", ToolchainsSpec),
}
"""Marker name -> (docs page, model)."""


def key_table(model: type) -> str:
    """The markdown table of every key `model` reads."""
    lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for doc in documented_keys(model):
        cell = doc.doc.replace("|", "\\|")
        lines.append(f"| `{doc.key}` | {doc.kind} | {doc.default or '—'} | {cell} |")
    return "\n".join(lines) + "\n"


def rendered(page_text: str, name: str, model: type) -> str:
    """`page_text` with the block marked `name` replaced by the model's key table."""
    pattern = re.compile(rf"(<!-- keys:{name} -->\n).*?(<!-- /keys:{name} -->)", re.DOTALL)
    if not pattern.search(page_text):
        raise ValueError(f"no <!-- keys:{name} --> block")
    return pattern.sub(lambda m: m.group(1) + key_table(model) + m.group(2), page_text)


def stale_pages(docs: Path = DOCS) -> list[Path]:
    """The pages whose key tables differ from the model."""
    stale = []
    for name, (page, model) in TABLES.items():
        path = docs / page
        text = path.read_text(encoding="utf-8")
        if rendered(text, name, model) != text:
            stale.append(path)
    return stale


def write(docs: Path = DOCS) -> list[Path]:
    """Rewrite every key table from the model; the pages that changed."""
    changed = []
    for name, (page, model) in TABLES.items():
        path = docs / page
        text = path.read_text(encoding="utf-8")
        new = rendered(text, name, model)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


if __name__ == "__main__":
    write()
