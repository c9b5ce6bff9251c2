"""What every rule works on: a typed record (:class:`Entry`), one file's result, and
the sink that collects findings with the profile's severities."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..findings import FileReport, Finding
from ..reader import Workbook
from ..templates import Profile

LEADER, DEPUTY, MEMBER = "Tổ trưởng", "Tổ phó", "Tổ viên"
HEAD, VICE, COMMITTEE_MEMBER = "Trưởng ban", "Phó ban", "Ủy viên"
NUMERIC = ("whole", "number", "money")


@dataclass
class Entry:
    """A record with typed values; ``cells`` says where each value came from."""

    sheet: str
    row: int
    values: dict[str, Any]
    cells: dict[str, str]
    team: str | None = None
    level: str = "village"  # "village" or "commune" (rosters)
    table: int = 0
    raw_dates: dict[str, Any] = field(default_factory=dict)
    bad: set[str] = field(default_factory=set)  # keys whose value was refused


@dataclass
class FileResult:
    """One file's report and typed entries, for checks across files."""

    report: FileReport
    workbook: Workbook
    entries: list[Entry] = field(default_factory=list)


class Sink:
    """Collects findings for one file, with the profile's severities."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.findings: list[Finding] = []

    def add(
        self,
        severity: str,
        code: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        cell: str | None = None,
        found: Any = None,
        **params: Any,
    ) -> None:
        self.findings.append(
            Finding(
                severity=severity,
                code=code,
                params=params,
                sheet=sheet,
                row=row,
                column=column,
                cell=cell,
                value=found,
            )
        )

    def rule(
        self,
        code: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        cell: str | None = None,
        found: Any = None,
        **params: Any,
    ) -> None:
        self.add(self.profile.severity_of(code), code, sheet, row, column, cell, found, **params)
