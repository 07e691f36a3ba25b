"""The markdown tables: times per host and the ratios of our host to the others."""

from __future__ import annotations

from dataclasses import dataclass, field

from benchreport.runs import Cell
from benchreport.suites import Line

Cells = dict[tuple[str, str], Cell]
HOST_HEADERS = {
    "wasmpack": "`wasmpack run`",
    "node": "Node + @emnapi/wasi-threads",
    "wasmtime": "wasmtime CLI (plain wasip1)",
    "native": "native",
    "wasmpack-build": "`wasmpack build`",
    "bare": "bare clang commands",
}
RATIO_HOSTS = {"native": "÷ native", "node": "÷ Node", "wasmtime": "÷ wasmtime CLI"}


@dataclass
class Notes:
    """Numbered reasons for the n/a and failed cells, each reason once."""

    reasons: list[str] = field(default_factory=list)

    def ref(self, note: str) -> str:
        if note not in self.reasons:
            self.reasons.append(note)
        return f"[{self.reasons.index(note) + 1}]"

    def mark(self, note: str) -> str:
        word = "n/a" if note.startswith("n/a") else "failed"
        return f"{word} {self.ref(note)}"

    def render(self) -> str:
        return "\n".join(
            f"[{number}] {reason.removeprefix('n/a: ')}"
            for number, reason in enumerate(self.reasons, 1)
        )


def value_text(metric: str, value: float) -> str:
    if metric == "spawn_us":
        return f"{value / 1000:.1f} ms" if value >= 1000 else f"{value:.0f} µs"
    if metric == "rss_mib":
        return f"{value:.0f} MiB"
    if value >= 0.1:
        return f"{value:.2f} s"
    return f"{value * 1000:.0f} ms" if value >= 0.001 else f"{value * 1e6:.0f} µs"


def ratio_text(value: float) -> str:
    if value < 0.1:
        return f"{value:.2g}x"
    digits = 2 if value < 10 else 1 if value < 100 else 0
    return f"{value:.{digits}f}x"


def ratio(cells: Cells, line: Line, ours: str, other: str) -> float | None:
    """Our host's median over another host's, for one line; None when either is missing."""
    mine = cells[line.row, ours].medians().get(line.metric) if (line.row, ours) in cells else None
    theirs = cells.get((line.row, other), Cell()).medians().get(line.metric)
    if mine is None or not theirs:
        return None
    return mine / theirs


@dataclass(frozen=True)
class Section:
    """One table: its lines, a column per host, then a column per ratio (ours over a host)."""

    title: str
    lines: list[Line]
    hosts: list[str]
    ratio_hosts: dict[str, str]


def render(section: Section, cells: Cells, notes: Notes) -> str:
    """One markdown table: a column per host, then a column per ratio of the first host."""
    ours = section.hosts[0]
    title, lines, hosts, ratio_hosts = (
        section.title,
        section.lines,
        section.hosts,
        section.ratio_hosts,
    )
    header = ["", *(HOST_HEADERS[host] for host in hosts)]
    header += [f"ours {label}" for label in ratio_hosts.values()]
    out = [f"**{title}**", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for line in lines:
        row = [line.label]
        for host in hosts:
            cell = cells.get((line.row, host), Cell(note="n/a: not measured"))
            value = cell.medians().get(line.metric)
            if cell.note is not None:
                row.append(notes.mark(cell.note))
            else:
                text = value_text(line.metric, value) if value is not None else "—"
                failed = cell.failure_note()
                row.append(f"{text} {notes.ref(failed)}" if failed else text)
        for other in ratio_hosts:
            found = ratio(cells, line, ours, other)
            row.append(ratio_text(found) if found is not None else "—")
        out.append("| " + " | ".join(row) + " |")
    return "\n".join(out)
