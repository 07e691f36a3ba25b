"""The structure of a WebAssembly module, decoded as far as wasmpack needs.

`parse_module` frames every section (with offsets) and decodes the type,
import, function, memory and export sections plus the custom sections
(`target_features`, `producers`). Code and data stay undecoded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from wasmpack_mt.errors import WasmFormatError
from wasmpack_mt.wasm.reader import ByteReader, format_error

MAGIC = b"\0asm"
VERSION = b"\x01\0\0\0"
SECTION_NAMES = (
    "custom", "type", "import", "function", "table", "memory", "global",
    "export", "start", "element", "code", "data", "datacount", "tag",
)  # fmt: skip
CUSTOM, TYPE, IMPORT, FUNCTION, TABLE, MEMORY, GLOBAL, EXPORT = range(8)
SECTION_ORDER = (1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11)
"""The ids of the non-custom sections in the one order the binary format allows."""
VALUE_TYPES = {
    0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128",
    0x70: "funcref", 0x6F: "externref", 0x6E: "anyref", 0x69: "exnref",
}  # fmt: skip
ExternKind = Literal["func", "table", "memory", "global", "tag"]
EXTERN_KINDS: tuple[ExternKind, ...] = ("func", "table", "memory", "global", "tag")


@dataclass(frozen=True)
class Section:
    """One section: `offset` of its id byte, `payload_offset`/`size` of its contents."""

    id: int
    offset: int
    payload_offset: int
    size: int
    name: str = ""
    """The name of a custom section (empty for the others)."""

    @property
    def kind(self) -> str:
        """`type`, `import`, ..., or `custom`."""
        return SECTION_NAMES[self.id]

    @property
    def end(self) -> int:
        """Offset just past the section."""
        return self.payload_offset + self.size


@dataclass(frozen=True)
class FuncType:
    """A function signature."""

    params: tuple[str, ...]
    results: tuple[str, ...]

    def __str__(self) -> str:
        return f"({', '.join(self.params)}) -> ({', '.join(self.results)})"


@dataclass(frozen=True)
class Limits:
    """Memory or table limits (in pages for memories)."""

    min: int
    max: int | None
    shared: bool = False
    is64: bool = False

    def __str__(self) -> str:
        text = f"{self.min}..{'' if self.max is None else self.max}"
        return ("shared " if self.shared else "") + ("i64 " if self.is64 else "") + text


@dataclass(frozen=True)
class Import:
    """One import; `type` is a FuncType (func), Limits (memory, table) or a text (global, tag)."""

    module: str
    name: str
    kind: ExternKind
    type: FuncType | Limits | str


@dataclass(frozen=True)
class Export:
    """One export and the index it refers to in its kind's index space."""

    name: str
    kind: ExternKind
    index: int


@dataclass
class WasmModule:
    """What `parse_module` decoded."""

    sections: list[Section] = field(default_factory=list)
    types: list[FuncType] = field(default_factory=list)
    """Function types by type index."""
    imports: list[Import] = field(default_factory=list)
    function_types: list[int] = field(default_factory=list)
    """The type index of each function defined in the module."""
    memories: list[Limits] = field(default_factory=list)
    """Memories the module defines itself (imported ones are in `imports`)."""
    exports: list[Export] = field(default_factory=list)
    custom: list[tuple[str, bytes]] = field(default_factory=list)
    target_features: dict[str, str] | None = None
    """`target_features`: feature name -> prefix (`+` used, `-` disallowed, `=` required)."""
    producers: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """`producers` section: field (`language`, `processed-by`, `sdk`) -> (name, version)."""

    def imported(self, kind: ExternKind) -> list[Import]:
        """Imports of one kind, in index-space order."""
        return [imp for imp in self.imports if imp.kind == kind]

    def export(self, name: str) -> Export | None:
        """The export called `name`, if any."""
        return next((exp for exp in self.exports if exp.name == name), None)

    def func_type(self, index: int) -> FuncType | None:
        """The signature of function `index` (imports come first in the index space)."""
        imported = self.imported("func")
        if index < len(imported):
            sig = imported[index].type
            return sig if isinstance(sig, FuncType) else None
        local = index - len(imported)
        if local >= len(self.function_types):
            return None
        type_index = self.function_types[local]
        return self.types[type_index] if type_index < len(self.types) else None

    def export_type(self, export: Export) -> FuncType | Limits | None:
        """The signature of an exported function, or the limits of an exported memory."""
        if export.kind == "func":
            return self.func_type(export.index)
        if export.kind == "memory":
            memories = [imp.type for imp in self.imported("memory")] + list(self.memories)
            limits = memories[export.index] if export.index < len(memories) else None
            return limits if isinstance(limits, Limits) else None
        return None

    def custom_section(self, name: str) -> list[bytes]:
        """Payloads of every custom section called `name`."""
        return [payload for section_name, payload in self.custom if section_name == name]


def iter_sections(data: bytes) -> list[Section]:
    """Frame the sections of `data` after checking its header."""
    if len(data) < 8:
        what = "empty input" if not data else f"only {len(data)} bytes (a module has at least 8)"
        raise format_error(what, 0)
    if data[:4] != MAGIC:
        raise format_error(f"no \\0asm magic (found {data[:4]!r})", 0)
    if data[6:8] == b"\x01\0":
        raise format_error("a WebAssembly component, not a core module (wasm32-wasip2?)", 4)
    if data[4:8] != VERSION:
        version = int.from_bytes(data[4:8], "little")
        raise format_error(f"unsupported binary version {version} (expected 1)", 4)
    reader = ByteReader(data, 8)
    sections: list[Section] = []
    last_rank = -1
    while not reader.at_end():
        offset = reader.pos
        section_id = reader.byte("section id")
        if section_id >= len(SECTION_NAMES):
            raise reader.fail(f"unknown section id {section_id}", offset)
        if section_id != CUSTOM:
            rank = SECTION_ORDER.index(section_id)
            if rank <= last_rank:
                raise reader.fail(_misplaced(sections, section_id), offset)
            last_rank = rank
        size = reader.uleb(32, "section size")
        body = reader.sub(size, f"{SECTION_NAMES[section_id]} section")
        name = body.name("custom section name") if section_id == CUSTOM else ""
        sections.append(Section(section_id, offset, body.end - size, size, name))
    return sections


def _misplaced(before: list[Section], section_id: int) -> str:
    """Why a section may not come after the sections `before` it."""
    kind = SECTION_NAMES[section_id]
    if any(section.id == section_id for section in before):
        return f"duplicate {kind} section"
    previous = [section.kind for section in before if section.id != CUSTOM][-1]
    return f"{kind} section out of order (after the {previous} section)"


def parse_module(data: bytes) -> WasmModule:
    """Decode `data`; raises `WasmFormatError` (one line, with an offset) when malformed."""
    module = WasmModule(sections=iter_sections(data))
    decoders = {
        TYPE: _read_types,
        IMPORT: _read_imports,
        FUNCTION: _read_functions,
        MEMORY: _read_memories,
        EXPORT: _read_exports,
    }
    for section in module.sections:
        reader = ByteReader(data, section.payload_offset, section.end)
        if section.id == CUSTOM:
            reader.name()
            payload = reader.take(reader.end - reader.pos)
            module.custom.append((section.name, payload))
            _read_known_custom(module, section.name, data, reader.end - len(payload), reader.end)
            continue
        decoder = decoders.get(section.id)
        if decoder is None:
            continue
        decoder(module, reader)
        if not reader.at_end():
            raise reader.fail(f"{section.kind} section has {reader.end - reader.pos} extra bytes")
    return module


def _read_value_type(reader: ByteReader) -> str:
    offset = reader.pos
    code = reader.byte("value type")
    if code in VALUE_TYPES:
        return VALUE_TYPES[code]
    if code in (0x63, 0x64):  # (ref null? heaptype)
        heap = reader.sleb(33, "heap type")
        return f"ref{' null' if code == 0x63 else ''} {heap}"
    raise reader.fail(f"unknown value type {code:#x}", offset)


def _read_limits(reader: ByteReader, what: str) -> Limits:
    offset = reader.pos
    flags = reader.byte(f"{what} limits flags")
    if flags & ~0x0F:
        raise reader.fail(f"unknown {what} limits flags {flags:#x}", offset)
    is64 = bool(flags & 0x04)
    bits = 64 if is64 else 32
    minimum = reader.uleb(bits, f"{what} minimum")
    maximum = reader.uleb(bits, f"{what} maximum") if flags & 0x01 else None
    if flags & 0x08:  # custom-page-sizes proposal
        reader.uleb(32, "page size")
    return Limits(minimum, maximum, shared=bool(flags & 0x02), is64=is64)


def _read_types(module: WasmModule, reader: ByteReader) -> None:
    for _ in range(reader.count("type")):
        offset = reader.pos
        form = reader.byte("type form")
        if form != 0x60:
            raise reader.fail(f"type form {form:#x} (GC proposal) is not supported", offset)
        params = tuple(_read_value_type(reader) for _ in range(reader.count("parameter")))
        results = tuple(_read_value_type(reader) for _ in range(reader.count("result")))
        module.types.append(FuncType(params, results))


def _read_imports(module: WasmModule, reader: ByteReader) -> None:
    for _ in range(reader.count("import")):
        module_name = reader.name("import module name")
        name = reader.name("import name")
        offset = reader.pos
        kind_code = reader.byte("import kind")
        import_type: FuncType | Limits | str
        if kind_code == 0:
            type_offset = reader.pos
            type_index = reader.uleb(32, "type index")
            if type_index >= len(module.types):
                raise reader.fail(
                    f"import {module_name}.{name}: unknown type {type_index}", type_offset
                )
            import_type = module.types[type_index]
        elif kind_code == 1:
            _read_value_type(reader)
            import_type = _read_limits(reader, "table")
        elif kind_code == 2:
            import_type = _read_limits(reader, "memory")
        elif kind_code == 3:
            value = _read_value_type(reader)
            mutable = reader.byte("global mutability")
            import_type = f"{'mut ' if mutable else ''}{value}"
        elif kind_code == 4:
            reader.byte("tag attribute")
            import_type = f"tag type {reader.uleb(32, 'type index')}"
        else:
            raise reader.fail(f"unknown import kind {kind_code}", offset)
        module.imports.append(Import(module_name, name, EXTERN_KINDS[kind_code], import_type))


def _read_functions(module: WasmModule, reader: ByteReader) -> None:
    module.function_types = [reader.uleb(32, "type index") for _ in range(reader.count("function"))]


def _read_memories(module: WasmModule, reader: ByteReader) -> None:
    module.memories = [_read_limits(reader, "memory") for _ in range(reader.count("memory"))]


def _read_exports(module: WasmModule, reader: ByteReader) -> None:
    for _ in range(reader.count("export")):
        name = reader.name("export name")
        offset = reader.pos
        kind_code = reader.byte("export kind")
        if kind_code >= len(EXTERN_KINDS):
            raise reader.fail(f"unknown export kind {kind_code}", offset)
        index = reader.uleb(32, "export index")
        module.exports.append(Export(name, EXTERN_KINDS[kind_code], index))


def _read_known_custom(module: WasmModule, name: str, data: bytes, start: int, end: int) -> None:
    """Decode `target_features` and `producers`, skipping malformed ones (engines ignore them)."""
    reader = ByteReader(data, start, end)
    try:
        if name == "target_features":
            features = {}
            for _ in range(reader.count("feature")):
                prefix = chr(reader.byte("feature prefix"))
                features[reader.name("feature name")] = prefix
            module.target_features = features
        elif name == "producers":
            producers: dict[str, list[tuple[str, str]]] = {}
            for _ in range(reader.count("producers field")):
                entries = producers.setdefault(reader.name("producers field name"), [])
                for _ in range(reader.count("producer")):
                    entries.append((reader.name("producer name"), reader.name("producer version")))
            module.producers = producers
    except WasmFormatError:
        return
