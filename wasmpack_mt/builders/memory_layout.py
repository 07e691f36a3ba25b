"""The linear-memory layout (limits, initial size, main stack) as linker arguments."""

from __future__ import annotations

from wasmpack_mt.builders.config import MemoryConfig


def memory_linker_args(memory: MemoryConfig) -> list[str]:
    """wasm-ld arguments for the memory limits and main stack size."""
    args = [f"--max-memory={memory.maximum}"]
    if memory.initial is not None:
        args.append(f"--initial-memory={memory.initial}")
    if memory.stack_size is not None:
        args.append(f"-zstack-size={memory.stack_size}")
    return args


def clang_memory_flags(memory: MemoryConfig) -> list[str]:
    """The memory arguments as clang driver flags."""
    return [f"-Wl,{arg}" for arg in memory_linker_args(memory)]
