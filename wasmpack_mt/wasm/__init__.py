"""Stage 3: read and write WebAssembly binaries, and check their thread ABI."""
