"""Stage 4: the artifact, a plain .wasm carrying its manifest in a custom section.

The names below are imported on first use (`wasmpack_mt.lazy`).
"""

from typing import TYPE_CHECKING

from wasmpack_mt.lazy import lazy_exports

if TYPE_CHECKING:
    from wasmpack_mt.bundle.artifact import source_digest, write_artifact
    from wasmpack_mt.bundle.checked import ArtifactFacts, bundle_module, checked_manifest
    from wasmpack_mt.bundle.manifest import SECTION_NAME, Manifest, embed_manifest, read_manifest

__all__ = [
    "SECTION_NAME",
    "ArtifactFacts",
    "Manifest",
    "bundle_module",
    "checked_manifest",
    "embed_manifest",
    "read_manifest",
    "source_digest",
    "write_artifact",
]

if not TYPE_CHECKING:  # type checkers see the imports above, typos included
    __getattr__ = lazy_exports(
        __name__,
        {
            "source_digest": "artifact",
            "write_artifact": "artifact",
            "ArtifactFacts": "checked",
            "bundle_module": "checked",
            "checked_manifest": "checked",
            "SECTION_NAME": "manifest",
            "Manifest": "manifest",
            "embed_manifest": "manifest",
            "read_manifest": "manifest",
        },
    )
