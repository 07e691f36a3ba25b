"""wasmpack-mt: multithreaded C, C++ and Rust as one portable wasi-threads module."""

__version__ = "0.1.0"
