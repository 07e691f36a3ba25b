"""Stage 4: the artifact, a plain .wasm carrying its manifest in a custom section."""
