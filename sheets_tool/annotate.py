"""Annotated copies: the offending cells highlighted, each with a comment carrying its
message, and a "Lỗi" sheet listing every finding with a link to its cell.

The input is never touched: the copy is loaded with openpyxl (formulas kept as
formulas), changed in memory and written atomically beside nothing the user owns.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from .files import atomic_path
from .findings import ERROR, FileReport, finding_table, severity_label

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
SHEET_TITLES = {"vi": "Lỗi", "en": "Findings"}
COLUMNS = ("severity", "code", "sheet", "cell", "row", "column", "value", "message")


def annotated_name(path: str | Path) -> str:
    p = Path(path)
    return f"{p.stem}.annotated.xlsx"


def annotate(report: FileReport, out_dir: str | Path, lang: str = "vi") -> Path | None:
    """Write the annotated copy of ``report.path`` into ``out_dir``; None if unreadable."""
    if not report.readable:
        return None
    source = Path(report.path)
    target = Path(out_dir) / annotated_name(source)
    if target.resolve() == source.resolve():
        raise ValueError(f"the annotated copy would overwrite the input {source}")
    wb = openpyxl.load_workbook(source, rich_text=True)
    # cell comments and fills
    by_cell: dict[tuple[str, str], list[str]] = {}
    worst: dict[tuple[str, str], str] = {}
    for f in report.findings:
        if not f.sheet or not f.cell or f.sheet not in wb.sheetnames:
            continue
        key = (f.sheet, f.cell)
        word = severity_label(f.severity, lang)
        by_cell.setdefault(key, []).append(f"{word}: {f.message(lang)} [{f.code}]")
        if worst.get(key) != ERROR:
            worst[key] = f.severity
    for (sheet, ref), lines in by_cell.items():
        cell = wb[sheet][ref]
        if type(cell).__name__ == "MergedCell":
            continue
        cell.fill = ERROR_FILL if worst[(sheet, ref)] == ERROR else WARNING_FILL
        text = "\n".join(lines)
        if cell.comment is not None:
            text = f"{cell.comment.text}\n---\n{text}"
        comment = Comment(text, "sheets-tool")
        comment.width, comment.height = 320, min(60 + 40 * len(lines), 400)
        cell.comment = comment
    # the findings sheet
    title = SHEET_TITLES[lang]
    name = title
    n = 2
    while name in wb.sheetnames:
        name = f"{title} ({n})"
        n += 1
    ws = wb.create_sheet(name, 0)
    heads, rows = finding_table(report.findings, lang, COLUMNS)
    ws.append(heads)
    for c in ws[1]:
        c.font = Font(bold=True)
    for f, row in zip(report.findings, rows, strict=True):
        ws.append(row)
        r = ws.max_row
        for cell in ws[r]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # values and sheet names as typed: never a formula
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            link = ws.cell(row=r, column=COLUMNS.index("cell") + 1)
            link.hyperlink = Hyperlink(
                ref=link.coordinate, location=f"{quote_sheetname(f.sheet)}!{f.cell}"
            )
            link.font = Font(color="0563C1", underline="single")
        ws.cell(row=r, column=1).fill = ERROR_FILL if f.severity == ERROR else WARNING_FILL
    for letter, width in zip("ABCDEFGH", (10, 30, 16, 8, 7, 18, 20, 90), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2, min_col=8, max_col=8):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = False
    wb.active = 0
    ws.sheet_view.tabSelected = True
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
