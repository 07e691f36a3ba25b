"""Which feature instructions the code section uses, for modules without `target_features`.

Walks every instruction of every function body, decoding immediates just far
enough to find the next opcode. Any opcode it does not know (GC, future
proposals) makes the answer "unknown" (None) rather than a guess.
"""

from __future__ import annotations

from wasmpack_mt.errors import WasmFormatError
from wasmpack_mt.wasm.module import Section
from wasmpack_mt.wasm.reader import ByteReader

CODE = 10
SCAN_LIMIT = 4 << 20
"""Larger code sections are not scanned (about 1 s per MiB): their features stay unknown."""
ALL_FEATURES = frozenset(["atomics", "bulk-memory", "simd128"])
_NO_IMMEDIATE = frozenset(
    [0x00, 0x01, 0x05, 0x0A, 0x0B, 0x0F, 0x19, 0x1A, 0x1B, 0xD1, *range(0x45, 0xC5)]
)
_ONE_INDEX = frozenset([0x0C, 0x0D, 0x10, 0x12, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0xD2])
_ONE_INDEX |= frozenset([0x07, 0x08, 0x09, 0x14, 0x15, 0x18])  # exceptions, call_ref
_BLOCKS = frozenset([0x02, 0x03, 0x04, 0x06])
_MEMARG = frozenset(range(0x28, 0x3F))
# 0xFC sub-opcodes -> number of u32 immediates (memory indices count as one).
_MISC_IMMEDIATES = {
    **dict.fromkeys(range(8), 0), 8: 2, 9: 1, 10: 2, 11: 1,
    12: 2, 13: 1, 14: 2, 15: 1, 16: 1, 17: 1,
}  # fmt: skip
_SIMD_MEMARG = frozenset([*range(0, 12), 92, 93])
_SIMD_MEMARG_LANE = frozenset(range(84, 92))
_SIMD_LANE = frozenset(range(21, 35))
_BULK_MEMORY = frozenset(range(8, 18))
LEGACY_EXCEPTIONS = frozenset([0x06, 0x07, 0x09, 0x18, 0x19])
"""try, catch, rethrow, delegate, catch_all: the legacy exception-handling encoding."""
STANDARD_EXCEPTIONS = frozenset([0x08, 0x0A, 0x1F])
"""throw, throw_ref, try_table: the standard (exnref) encoding (throw is in both)."""
V128 = 0x7B
"""The value type code of a 128-bit SIMD vector."""


class _Unknown(Exception):
    """An opcode this scanner cannot size: the answer becomes unknown."""


def scan_features(
    data: bytes, sections: list[Section], *, wanted: frozenset[str] = ALL_FEATURES
) -> tuple[str, ...] | None:
    """Features whose instructions appear, or None.

    `atomics`, `bulk-memory`, `simd128`, and `exceptions` / `legacy-exceptions`
    for the two exception-handling encodings. The scan stops once all of
    `wanted` were seen.
    """
    used: set[str] = set()
    for section in sections:
        if section.id != CODE:
            continue
        if section.size > SCAN_LIMIT:
            return None
        reader = ByteReader(data, section.payload_offset, section.end)
        try:
            for _ in range(reader.count("function body")):
                body = reader.sub(reader.uleb(32, "body size"), "function body")
                for _ in range(body.count("local group")):
                    body.uleb(32, "local count")
                    if _value_type(body) == V128:
                        used.add("simd128")  # a v128 local needs SIMD even with no SIMD opcode
                while not body.at_end():
                    _instruction(body, used)
                if wanted <= used:  # nothing more to learn
                    break
        except (_Unknown, WasmFormatError):
            return None
    return tuple(sorted(used))


def _value_type(reader: ByteReader) -> int:
    """Read one value type; its code (`V128` for SIMD vectors)."""
    code = reader.byte("value type")
    if code in (0x63, 0x64):
        reader.sleb(33, "heap type")
    elif not 0x69 <= code <= 0x7F:
        raise _Unknown
    return code


def _memarg(reader: ByteReader) -> None:
    align = reader.uleb(32, "alignment")
    if align & 0x40:
        reader.uleb(32, "memory index")
    reader.uleb(64, "offset")


def _instruction(reader: ByteReader, used: set[str]) -> None:
    op = reader.byte("opcode")
    if op in LEGACY_EXCEPTIONS:
        used.add("legacy-exceptions")
    elif op in STANDARD_EXCEPTIONS:
        used.add("exceptions")
    if op in _NO_IMMEDIATE:
        return
    if op in _ONE_INDEX:
        reader.uleb(32, "index")
    elif op in _BLOCKS:
        _block_type(reader)
    elif op in _MEMARG:
        _memarg(reader)
    elif op in (0x11, 0x13):  # call_indirect, return_call_indirect
        reader.uleb(32, "type index")
        reader.uleb(32, "table index")
    elif op == 0x0E:  # br_table
        for _ in range(reader.count("label") + 1):
            reader.uleb(32, "label")
    elif op in (0x3F, 0x40):  # memory.size, memory.grow
        reader.uleb(32, "memory index")
    elif op == 0x41:
        reader.sleb(32, "i32 constant")
    elif op == 0x42:
        reader.sleb(64, "i64 constant")
    elif op in (0x43, 0x44):
        reader.take(4 if op == 0x43 else 8, "float constant")
    elif op == 0x1C:  # select with types
        for _ in range(reader.count("select type")):
            _value_type(reader)
    elif op == 0x1F:  # try_table
        _block_type(reader)
        for _ in range(reader.count("catch clause")):
            kind = reader.byte("catch kind")
            if kind in (0, 1):  # catch / catch_ref: tag, label
                reader.uleb(32, "tag index")
            elif kind not in (2, 3):  # catch_all / catch_all_ref: label
                raise _Unknown
            reader.uleb(32, "label")
    elif op == 0xD0:  # ref.null
        reader.sleb(33, "heap type")
    elif op == 0xFC:
        _misc(reader, used)
    elif op == 0xFD:
        _simd(reader)
        used.add("simd128")
    elif op == 0xFE:
        if reader.uleb(32, "atomic opcode") == 0x03:  # atomic.fence
            reader.byte("fence flags")
        else:
            _memarg(reader)
        used.add("atomics")
    else:
        raise _Unknown


def _block_type(reader: ByteReader) -> None:
    # 0x40 (empty), a one-byte value type and a type index all read as one s33.
    if reader.sleb(33, "block type") in (-29, -28):  # (ref null ht), (ref ht)
        reader.sleb(33, "heap type")


def _misc(reader: ByteReader, used: set[str]) -> None:
    sub = reader.uleb(32, "0xfc opcode")
    if sub not in _MISC_IMMEDIATES:
        raise _Unknown
    for _ in range(_MISC_IMMEDIATES[sub]):
        reader.uleb(32, "index")
    if sub in _BULK_MEMORY:
        used.add("bulk-memory")


def _simd(reader: ByteReader) -> None:
    sub = reader.uleb(32, "0xfd opcode")
    if sub in _SIMD_MEMARG:
        _memarg(reader)
    elif sub in _SIMD_MEMARG_LANE:
        _memarg(reader)
        reader.byte("lane")
    elif sub in (12, 13):  # v128.const, i8x16.shuffle
        reader.take(16, "v128 immediate")
    elif sub in _SIMD_LANE:
        reader.byte("lane")
    elif sub > 0x113:
        raise _Unknown
