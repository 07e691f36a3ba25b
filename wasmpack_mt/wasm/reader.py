"""A bounds-checked cursor over WebAssembly bytes, with strict LEB128 decoding.

Every read checks its limit first, so malformed input raises `WasmFormatError`
naming what was expected and at which offset, never an IndexError.
"""

from __future__ import annotations

from wasmpack_mt.errors import WasmFormatError

FIX = "pass the .wasm file the linker wrote, or rebuild it"


def format_error(what: str, offset: int) -> WasmFormatError:
    """The one-line error for malformed input at `offset` (from the start of the file)."""
    return WasmFormatError(f"not a valid WebAssembly module: {what} at offset {offset:#x}; {FIX}")


class ByteReader:
    """Reads `data[pos:end]`; offsets in errors are absolute positions in `data`."""

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end

    def at_end(self) -> bool:
        """Whether every byte up to the limit was consumed."""
        return self.pos >= self.end

    def fail(self, what: str, offset: int | None = None) -> WasmFormatError:
        """An error about the current position (or `offset`)."""
        return format_error(what, self.pos if offset is None else offset)

    def byte(self, what: str = "byte") -> int:
        """One byte."""
        if self.pos >= self.end:
            raise self.fail(f"unexpected end of data reading {what}")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def take(self, size: int, what: str = "bytes") -> bytes:
        """`size` raw bytes."""
        inner = self.sub(size, what)
        return self.data[inner.pos : inner.end]

    def sub(self, size: int, what: str) -> ByteReader:
        """A reader over the next `size` bytes; this reader skips past them."""
        if size > self.end - self.pos:
            raise self.fail(
                f"{what} of {size} bytes runs past the end ({self.end - self.pos} left)"
            )
        inner = ByteReader(self.data, self.pos, self.pos + size)
        self.pos += size
        return inner

    def uleb(self, bits: int = 32, what: str = "integer") -> int:
        """An unsigned LEB128 integer of at most `bits` bits (u32 by default)."""
        start = self.pos
        result = shift = 0
        for _ in range((bits + 6) // 7):
            byte = self.byte(what)
            result |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                if result >> bits:
                    raise self.fail(f"{what} does not fit in u{bits}", start)
                return result
        raise self.fail(f"LEB128 {what} longer than {(bits + 6) // 7} bytes", start)

    def sleb(self, bits: int = 33, what: str = "integer") -> int:
        """A signed LEB128 integer of at most `bits` bits (s33 by default, as heap types)."""
        start = self.pos
        result = shift = 0
        for _ in range((bits + 6) // 7):
            byte = self.byte(what)
            result |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                if byte & 0x40:
                    result -= 1 << shift
                if not -(1 << (bits - 1)) <= result < 1 << (bits - 1):
                    raise self.fail(f"{what} does not fit in s{bits}", start)
                return result
        raise self.fail(f"LEB128 {what} longer than {(bits + 6) // 7} bytes", start)

    def count(self, what: str) -> int:
        """A vector length; each element takes at least one byte, so it cannot exceed those left."""
        start = self.pos
        value = self.uleb(32, f"{what} count")
        if value > self.end - self.pos:
            raise self.fail(
                f"{what} count {value} exceeds the {self.end - self.pos} bytes left", start
            )
        return value

    def name(self, what: str = "name") -> str:
        """A length-prefixed UTF-8 string."""
        start = self.pos
        raw = self.take(self.uleb(32, f"{what} length"), what)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.fail(f"{what} is not valid UTF-8", start) from None


def encode_uleb(value: int) -> bytes:
    """`value` (>= 0) as unsigned LEB128."""
    if value < 0:
        raise ValueError(f"unsigned LEB128 cannot encode {value}")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode_name(text: str) -> bytes:
    """`text` as a WebAssembly name: length then UTF-8 bytes."""
    raw = text.encode("utf-8")
    return encode_uleb(len(raw)) + raw
