from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(autouse=True)
def _fresh_unit_name_patterns() -> None:
    """The unit-name patterns are built once per process and cached; each test builds
    them afresh, so that what a test checks is the code as it is now (mutation testing
    forks processes whose caches were filled before the code was changed)."""
    from sheets_tool import unit_names

    for built in (unit_names._prefixes, unit_names._team_prefixes, unit_names._in_text):
        built.cache_clear()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in English for the test (the library's default is Vietnamese)."""
    from sheets_tool.i18n import set_language

    set_language("en")
    yield
    set_language(None)


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


def findings_seen(
    path: Path, template: str, profile: Any = "none", prefix: str = ""
) -> list[tuple]:
    """(code, sheet, row, column key, cell, value, vi message, en message) of each finding
    of ``path`` read as ``template`` under ``profile`` whose code starts with ``prefix``:
    what an official reads, and where."""
    from sheets_tool.validate import validate_paths

    (report,) = validate_paths([path], template, profile).files
    return [
        (f.code, f.sheet, f.row, f.column, f.cell, f.value, f.message("vi"), f.message("en"))
        for f in report.findings
        if f.code.startswith(prefix)
    ]


CHI_LANG = SAMPLES / "chi-lang"

_RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice_convert(src: Path, out_dir: Path, to: str, *, recalc: bool = False) -> Path:
    """Open ``src`` in LibreOffice headless and save it as ``to`` in ``out_dir``.

    `soffice --convert-to` alone keeps cached values; with ``recalc`` a private profile
    sets the OOXML recalculation mode to "always", so every formula is computed
    (FIELD-NOTES). soffice exits 0 even when it wrote nothing: the output is checked.
    """
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed: .ci/run installs it"
    profile = out_dir / ("lo-recalc-profile" if recalc else "lo-profile")
    if recalc:
        (profile / "user").mkdir(parents=True, exist_ok=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_PROFILE)
    out = out_dir / ("recalculated" if recalc else "converted")
    out.mkdir(exist_ok=True)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    produced = out / f"{src.stem}.{to.split(':')[0]}"
    assert produced.exists(), f"LibreOffice did not write {produced}"
    return produced


def recalculate(path: Path, out_dir: Path) -> Path:
    """A copy of ``path`` with every formula recalculated by LibreOffice."""
    return soffice_convert(path, out_dir, "xlsx:Calc MS Excel 2007 XML", recalc=True)


def formula_cells(path: Path) -> dict[tuple[str, str], tuple[str, Any]]:
    """(sheet, cell) → (formula, cached value) for every formula in a workbook."""
    formulas = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    out[(ws.title, cell.coordinate)] = (
                        str(cell.value),
                        cached[ws.title][cell.coordinate].value,
                    )
    return out
