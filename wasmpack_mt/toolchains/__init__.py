"""Stage 1: find or bootstrap a wasm32-wasip1-threads toolchain for a language."""
