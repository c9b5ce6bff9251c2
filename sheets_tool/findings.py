"""Findings: what validation says about a file, as data.

A :class:`Finding` has a stable ``code`` (tests and programs rely on it), a severity,
where it is (sheet, row, column key, A1 cell), the value found, and parameters from
which the message is made in Vietnamese (default) or English.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .messages import render

ERROR = "error"
WARNING = "warning"


def col_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """1-based row and 0-based column → "B7"."""
    return f"{col_letter(col)}{row}"


def jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


@dataclass(kw_only=True)
class Finding:
    severity: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    value: Any = None

    def message(self, lang: str = "vi") -> str:
        return render(self.code, self.params, lang)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "value": jsonable(self.value),
            "message": self.message(lang),
        }

    def sort_key(self) -> tuple[str, int, int, str]:
        order = {ERROR: 0, WARNING: 1}
        return (self.sheet or "", self.row or 0, order.get(self.severity, 2), self.code)


# what a reader sees of a finding, in the order every findings table uses
SEVERITY_LABELS = {
    "vi": {ERROR: "Lỗi", WARNING: "Cảnh báo"},
    "en": {ERROR: "Error", WARNING: "Warning"},
}
FINDING_COLUMNS: dict[str, tuple[str, str]] = {
    "severity": ("Mức", "Severity"),
    "code": ("Mã lỗi", "Code"),
    "file": ("Tệp", "File"),
    "sheet": ("Sheet", "Sheet"),
    "cell": ("Ô", "Cell"),
    "row": ("Dòng", "Row"),
    "column": ("Cột", "Column"),
    "value": ("Giá trị", "Value"),
    "message": ("Nội dung", "Message"),
}


def severity_label(severity: str, lang: str = "vi") -> str:
    """ "error" → "Lỗi" (vi) or "Error" (en)."""
    return SEVERITY_LABELS[lang][severity]


def finding_table(
    findings: list[Finding], lang: str = "vi", columns: tuple[str, ...] = tuple(FINDING_COLUMNS)
) -> tuple[list[str], list[list[Any]]]:
    """The headers and the rows of a findings table with ``columns`` (keys of
    :data:`FINDING_COLUMNS`): the one shape behind the summary's "Lỗi" sheet, the
    annotated copy's, the Google Sheet's "Kiểm tra" tab and the CLI. A value is the
    text as typed ("" when none), never a number or a formula."""
    heads = [FINDING_COLUMNS[c][0 if lang == "vi" else 1] for c in columns]
    rows = []
    for f in findings:
        cells: dict[str, Any] = {
            "severity": severity_label(f.severity, lang),
            "code": f.code,
            "file": str(f.params.get("path") or ""),
            "sheet": f.sheet or "",
            "cell": f.cell or "",
            "row": f.row,
            "column": f.column or "",
            "value": "" if f.value is None else str(f.value),
            "message": f.message(lang),
        }
        rows.append([cells[c] for c in columns])
    return heads, rows


@dataclass
class FileReport:
    """The result of validating one file."""

    path: str
    template: str | None = None
    records: int = 0
    findings: list[Finding] = field(default_factory=list)
    readable: bool = True

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "path": self.path,
            "template": self.template,
            "records": self.records,
            "findings": [f.to_dict(lang) for f in self.findings],
        }


@dataclass
class Report:
    """The result of validating several files together."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def unreadable(self) -> int:
        return sum(not f.readable for f in self.files)

    def exit_code(self) -> int:
        """2 if a file could not be read, 1 if there are errors, else 0."""
        if self.unreadable:
            return 2
        return 1 if self.errors else 0

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "files": [f.to_dict(lang) for f in self.files],
            "summary": {
                "files": len(self.files),
                "records": self.records,
                "errors": self.errors,
                "warnings": self.warnings,
            },
        }
