"""Stage 2: drive clang, CMake, make/configure or cargo to a linked module."""
