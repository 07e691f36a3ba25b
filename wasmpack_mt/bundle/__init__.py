"""Stage 4: the artifact, a plain .wasm carrying its manifest in a custom section."""

from wasmpack_mt.bundle.artifact import source_digest, write_artifact
from wasmpack_mt.bundle.checked import (
    ArtifactFacts,
    bundle_module,
    checked_manifest,
    prepare_check,
)
from wasmpack_mt.bundle.manifest import SECTION_NAME, Manifest, embed_manifest, read_manifest

__all__ = [
    "SECTION_NAME",
    "ArtifactFacts",
    "Manifest",
    "bundle_module",
    "checked_manifest",
    "embed_manifest",
    "prepare_check",
    "read_manifest",
    "source_digest",
    "write_artifact",
]
