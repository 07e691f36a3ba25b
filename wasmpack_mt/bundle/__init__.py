"""Stage 4: the artifact, a plain .wasm carrying its manifest in a custom section."""

from wasmpack_mt.bundle.artifact import source_digest, write_artifact
from wasmpack_mt.bundle.manifest import SECTION_NAME, Manifest, embed_manifest, read_manifest

__all__ = [
    "SECTION_NAME",
    "Manifest",
    "embed_manifest",
    "read_manifest",
    "source_digest",
    "write_artifact",
]
