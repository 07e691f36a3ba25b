"""Stage 5: run wasi-threads modules on wasmtime with one OS thread per spawned instance."""
