from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Write rows (lists of values) into a new workbook; `at` places the first row."""

    def make(
        rows: Iterable[Iterable[Any]],
        name: str = "t.xlsx",
        sheet: str = "Sheet1",
        at: str = "A1",
        merges: Iterable[str] = (),
        more: dict[str, Iterable[Iterable[Any]]] | None = None,
    ) -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet
        start = openpyxl.utils.cell.coordinate_from_string(at)
        col0 = openpyxl.utils.column_index_from_string(start[0])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.cell(row=start[1] + r, column=col0 + c, value=value)
        for rng in merges:
            ws.merge_cells(rng)
        for title, extra in (more or {}).items():
            other = wb.create_sheet(title)
            for row in extra:
                other.append(list(row))
        path = tmp_path / name
        wb.save(path)
        return path

    return make


def codes(report_or_file: Any) -> list[tuple[str, str | None]]:
    files = getattr(report_or_file, "files", [report_or_file])
    return [(f.code, f.cell) for fr in files for f in fr.findings]
