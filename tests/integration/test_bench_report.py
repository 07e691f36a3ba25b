"""`python bench/report.py` runs end to end (tiny sizes) and writes the JSON it documents.

No timing is asserted: only that every host that is there measured something, that the
rest say why they are missing, and that bad options are one `error:` line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import ToolchainFor

REPORT = Path(__file__).resolve().parents[2] / "bench" / "report.py"


def report(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPORT), *args],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.mark.slow
def test_quick_report_measures_fib_on_every_host_or_says_why_not(
    toolchain_for: ToolchainFor, tmp_path: Path
) -> None:
    toolchain_for("c")
    out = tmp_path / "report.json"
    result = report("--quick", "--only", "fib", "--fib", "20", "--no-fetch", "--json", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(out.read_text())
    assert data["schema"] == 1
    assert data["settings"]["sizes"]["fib"] == 20
    lines = {(line["row"], line["metric"]): line for line in data["lines"]}
    assert set(lines) == {(row, metric) for row in ("fib-1t", "fib-2t")
                          for metric in ("wall_s", "compute_s", "cpu_s")}  # fmt: skip
    for line in lines.values():
        assert line["values"]["wasmpack"] > 0, line
        assert line["values"]["native"] > 0, line
        assert line["ratios"]["native"] > 0, line
        for host, value in line["values"].items():
            note = line["notes"].get(host)
            assert (value is None) == (note is not None), (host, line)
            assert note is None or note.startswith("n/a: "), (host, note)
    assert lines["fib-2t", "wall_s"]["notes"]["wasmtime"].startswith("n/a: ")
    assert "| recursive fib(20), 4 times, 1 thread |" in result.stdout


def test_unknown_part_is_one_error_line() -> None:
    result = report("--only", "fib,nope")
    assert result.returncode == 2
    assert "error: --only: unknown nope" in result.stderr
    assert "Traceback" not in result.stderr
