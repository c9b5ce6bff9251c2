"""Consolidating rosters: teams and members per unit, villages without a team, rule
breaches, and a print-ready member list to attach to a decision.

Rosters have no period: ``sheets-tool consolidate`` takes this path when neither
``--date`` nor ``--month`` is given. Each team is matched to its village (or, for a
commune's own team, its commune) in the registry; the "Thành viên" sheet of a summary is
itself a roster, so a district can consolidate its communes' summaries: a summary is
recognised by its sheet names and only that sheet is read, each team by its unit code, to
the same numbers as consolidating the rosters directly. The print-ready list leaves out
members whose rows have errors; they stay on the findings sheet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import python_calamine
import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_rowcol_to_cell

from . import guard
from .findings import ERROR, Finding
from .hierarchy import ConsolidationError, ancestry, check_level, children, scope_of
from .reader import Record, Table, Workbook, read_grids
from .registry import Registry, unit_finding
from .summary import save_workbook, write_findings
from .templates import Column, Profile, Template, load_profile, load_template
from .units import Unit
from .validate import (
    LEADER,
    Entry,
    FileResult,
    check_across,
    check_workbook,
    commune_of,
    shown,
    teams_of,
    validate_files,
)

TEAM_CODES = ("team.",)
# Team findings shown at the team's first row for a cell to point to, but about the whole
# team, not that member (as is "team.leader_count" when the team has no leader).
TEAM_WIDE = ("team.size", "team.deputy_missing", "team.member_missing")
SUMMARY_SHEETS = ("Tổng hợp", "Tổ", "Thành viên", "Chưa có tổ", "Vi phạm", "Danh sách in")
DATA_SHEET = "Thành viên"


@dataclass
class Team:
    unit: Unit
    label: str
    members: list[Entry]
    source: str
    breaches: int = 0

    @property
    def leader(self) -> str:
        return next(
            (e.values.get("name", "") for e in self.members if e.values.get("role") == LEADER), ""
        )


@dataclass
class RosterChild:
    unit: Unit
    teams: int
    members: int
    without_team: int
    breaches: int


@dataclass
class RosterSummary:
    level: str
    scope: Unit
    child_level: str
    children: list[RosterChild]
    teams: list[Team]
    without_team: list[Unit]
    findings: list[Finding]
    ancestry: dict[str, dict[str, Unit]] = field(default_factory=dict)
    profile: str = "none"

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "level": self.level,
            "period": None,
            "kind": "roster",
            "unit": {"code": self.scope.code, "name": self.scope.name},
            "units": [
                {
                    "code": c.unit.code,
                    "name": c.unit.name,
                    "parent": c.unit.parent,
                    "values": {
                        "teams": c.teams,
                        "members": c.members,
                        "villages_without_team": c.without_team,
                        "breaches": c.breaches,
                    },
                    "status": "missing" if c.teams == 0 else "on_time",
                }
                for c in self.children
            ],
            "totals": {
                "teams": len(self.teams),
                "members": sum(len(t.members) for t in self.teams),
                "villages_without_team": len(self.without_team),
                "breaches": sum(t.breaches for t in self.teams),
            },
            "findings": [f.to_dict(lang) | {"path": f.params.get("path")} for f in self.findings],
        }

    def printable(self) -> list[tuple[Team, list[Entry]]]:
        """The teams, by unit code, with the members to print: those whose rows have no
        error (the others stay on the findings sheet); teams with none left out."""
        errors = {
            (f.params.get("path"), f.sheet, f.row)
            for f in self.findings
            if f.severity == ERROR and f.row is not None and _about_member(f)
        }
        out = []
        for t in sorted(self.teams, key=lambda t: t.unit.code):
            members = [e for e in t.members if (t.source, e.sheet, e.row) not in errors]
            if members:
                out.append((t, members))
        return out


def _about_member(f: Finding) -> bool:
    """Whether a finding is about the member on its row, not the whole team."""
    if f.code == "team.leader_count":
        return bool(f.value)  # at the second leader; no leader at all is the team's
    return f.code not in TEAM_WIDE


# ---------------------------------------------------------------------------
# reading roster summaries made one level down


@cache
def _data_template() -> Template:
    """The roster template with the unit code column of a summary's data sheet."""
    roster = load_template("roster")
    code = Column("unit_code", "Mã đơn vị", "Unit code", "text")
    return replace(roster, columns=(*roster.columns, code))


def summary_teams(path: str | Path) -> list[Workbook] | None:
    """The teams of a roster summary written by :func:`write_roster_summary`, from its
    "Thành viên" sheet alone; None for any other input. Only the summary's sheet names
    make it read the file.

    Each team (the rows of one unit code) is a workbook of its own, titled with its
    commune, so that it is checked as it was in its commune's roster: two communes'
    villages of the same name stay apart, and the checks across files (a person in
    several teams) stay within a commune.
    """
    if not guard.inspect(path).ok:
        return None
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        try:
            if not set(SUMMARY_SHEETS) <= set(wb.sheet_names):
                return None
            sheet = wb.get_sheet_by_name(DATA_SHEET)
            grid = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        finally:
            wb.close()
    except (python_calamine.CalamineError, OSError, ValueError):
        return None
    book = read_grids(str(path), [(DATA_SHEET, grid, merged)], _data_template())
    if not book.readable or not book.records:
        return [book]
    table = book.tables[0]
    by_code: dict[str, list[Record]] = defaultdict(list)
    for rec in book.records:
        by_code[shown(rec.raw.get("unit_code"))].append(rec)
    teams = [
        Workbook(
            book.path,
            book.template,
            [
                Table(
                    table.sheet,
                    table.header_row,
                    table.columns,
                    table.header_text,
                    records,
                    title=[shown(records[0].raw.get("commune"))],
                )
            ],
        )
        for records in by_code.values()
    ]
    teams[0].findings = book.findings
    return teams


def consolidate_rosters(
    inputs: Sequence[str | Path], *, level: str, registry: Registry, profile: Profile | str = "none"
) -> RosterSummary:
    """Teams of the inputs, matched to the registry, summarised for one unit of ``level``."""
    check_level(level)
    prof = load_profile(profile) if isinstance(profile, str) else profile
    rosters: list[str | Path] = []
    from_summaries: list[FileResult] = []
    for path in inputs:
        read_back = summary_teams(path)
        if read_back is None:
            rosters.append(path)
        else:
            from_summaries.extend(check_workbook(w, prof) for w in read_back)
    check_across(from_summaries, prof)
    for res in from_summaries:
        res.report.findings.sort(key=Finding.sort_key)
    results = validate_files(rosters, "roster", prof) + from_summaries
    findings: list[Finding] = list(registry.findings)
    teams: list[Team] = []
    for res in results:
        for f in res.report.findings:
            f.params.setdefault("path", res.report.path)
            findings.append(f)
        if not res.report.readable:
            continue
        title_commune = commune_of(res.workbook)
        for label, members in teams_of(res.entries).items():
            unit, problem = _unit_of(registry, label, members[0], title_commune)
            if unit is None:
                assert problem is not None
                problem.params["path"] = res.report.path
                findings.append(problem)
                continue
            rows = {(e.sheet, e.row) for e in members}
            breaches = sum(
                1
                for f in res.report.findings
                if f.code.startswith(TEAM_CODES) and (f.sheet, f.row) in rows
            )
            teams.append(Team(unit, label, members, res.report.path, breaches))
    if not teams:
        raise ConsolidationError("no team in the inputs could be matched to the registry", findings)
    scope = scope_of(registry, (t.unit.code for t in teams), level, findings)
    teams = [t for t in teams if registry.ancestor_at(t.unit.code, level) == scope]
    with_team = {t.unit.code for t in teams}
    without = [v for v in registry.descendants(scope.code, "village") if v.code not in with_team]
    kids = children(registry, scope, own_row=scope.code in with_team)
    teams_of_child: dict[str | None, list[Team]] = defaultdict(list)
    for t in teams:
        teams_of_child[kids.child_of(t.unit.code)].append(t)
    missing_of: dict[str | None, int] = defaultdict(int)
    for v in without:
        missing_of[kids.child_of(v.code)] += 1
    child_rows = [
        RosterChild(
            child,
            len(teams_of_child[child.code]),
            sum(len(t.members) for t in teams_of_child[child.code]),
            missing_of[child.code],
            sum(t.breaches for t in teams_of_child[child.code]),
        )
        for child in kids.units
    ]
    name = profile if isinstance(profile, str) else profile.name
    return RosterSummary(
        level,
        scope,
        kids.level,
        child_rows,
        teams,
        without,
        findings,
        ancestry(registry, [*(t.unit for t in teams), *without]),
        name,
    )


def _unit_of(
    registry: Registry, label: str, first: Entry, title_commune: str | None
) -> tuple[Unit | None, Finding | None]:
    """The registry unit of a team (by its unit code when it was read back from a
    summary), or the finding that says why there is none."""
    code = first.values.get("unit_code")
    if code:
        unit = registry.units.get(code)
        if unit is not None:
            return unit, None
        return None, Finding(
            severity=ERROR,
            code="registry.unknown_unit",
            params={"name": f"{label} ({code})", "hint": ""},
            sheet=first.sheet,
            row=first.row,
            column="unit_code",
            cell=first.cells.get("unit_code"),
            value=code,
        )
    commune_name = first.values.get("commune") or title_commune
    commune = registry.find(commune_name, "commune").unit if commune_name else None
    if first.level == "commune":
        match = registry.find(label, "commune")
        unit = commune or match.unit
    else:
        match = registry.find(label, "village", within=commune.code if commune else None)
        unit = match.unit
    if unit is not None:
        return unit, None
    cell = first.cells.get("village_in_charge") or first.cells.get("name")
    return None, unit_finding(label, match, first.sheet, first.row, "village_in_charge", cell)


# ---------------------------------------------------------------------------
# the workbook

MEMBER_HEADERS = [
    "TT",
    "Mã đơn vị",
    "Thôn phụ trách",
    "Xã",
    "Ông/Bà",
    "Họ và tên",
    "Chức vụ",
    "Vai trò trong tổ",
    "Số điện thoại",
    "Mã xã",
    "Mã huyện",
]


def write_roster_summary(summary: RosterSummary, path: str | Path, lang: str = "vi") -> Path:
    """Write the roster summary (see :func:`sheets_tool.summary.save_workbook`)."""
    return save_workbook(path, lambda tmp: _write(summary, tmp))


def _write(s: RosterSummary, path: Path) -> None:
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_format_properties": {"font_name": "Times New Roman", "font_size": 12},
        },
    )
    font = {"font_name": "Times New Roman", "font_size": 12}
    head = wb.add_format(
        {
            **font,
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "bg_color": "#DDEBF7",
        }
    )
    cell = wb.add_format({**font, "border": 1, "valign": "top", "text_wrap": True})
    num = wb.add_format({**font, "border": 1})
    bold = wb.add_format({**font, "bold": True})
    title = wb.add_format({**font, "bold": True, "font_size": 13})
    total_fmt = wb.add_format({**font, "bold": True, "border": 1, "top": 2})
    summary, teams_ws, members_ws, missing_ws, breaches_ws, printable = (
        wb.add_worksheet(name) for name in SUMMARY_SHEETS
    )

    def chain(unit: Unit, level: str) -> Unit | None:
        return s.ancestry.get(unit.code, {}).get(level)

    # "Tổ": a row per team
    team_heads = [
        "Mã đơn vị",
        "Tổ",
        "Mã xã",
        "Xã",
        "Mã huyện",
        "Huyện",
        "Số thành viên",
        "Tổ trưởng",
        "Số vi phạm",
        "Nguồn",
    ]
    for c, h in enumerate(team_heads):
        teams_ws.write_string(0, c, h, head)
    for r, t in enumerate(s.teams, start=1):
        commune, district = chain(t.unit, "commune"), chain(t.unit, "district")
        values: list[Any] = [
            t.unit.code,
            t.unit.name,
            commune.code if commune else "",
            commune.name if commune else "",
            district.code if district else "",
            district.name if district else "",
            len(t.members),
            t.leader,
            t.breaches,
            t.source,
        ]
        for c, v in enumerate(values):
            if isinstance(v, int):
                teams_ws.write_number(r, c, v)
            else:
                teams_ws.write_string(r, c, str(v))
    for c, w in enumerate((18, 22, 8, 18, 9, 16, 10, 22, 9, 40)):
        teams_ws.set_column(c, c, w)
    teams_ws.freeze_panes(1, 0)

    # "Thành viên": a roster again, for the next level
    for c, h in enumerate(MEMBER_HEADERS):
        members_ws.write_string(0, c, h, head)
    r = 1
    for t in s.teams:
        commune, district = chain(t.unit, "commune"), chain(t.unit, "district")
        for e in t.members:
            v = e.values
            member = [
                str(r),
                t.unit.code,
                t.unit.name,
                commune.name if commune else "",
                v.get("title", ""),
                v.get("name", ""),
                v.get("position", ""),
                v.get("role", ""),
                v.get("phone", ""),
                commune.code if commune else "",
                district.code if district else "",
            ]
            for c, value in enumerate(member):
                members_ws.write_string(r, c, str(value))
            r += 1
    n_members = r - 1
    for c, w in enumerate((5, 18, 20, 18, 7, 24, 30, 14, 13, 8, 9)):
        members_ws.set_column(c, c, w)
    members_ws.freeze_panes(1, 0)

    # "Chưa có tổ"
    for c, h in enumerate(["Mã đơn vị", "Thôn", "Xã"]):
        missing_ws.write_string(0, c, h, head)
    for r, v in enumerate(s.without_team, start=1):
        commune = chain(v, "commune")
        missing_ws.write_string(r, 0, v.code)
        missing_ws.write_string(r, 1, v.name)
        missing_ws.write_string(r, 2, commune.name if commune else "")
    missing_ws.set_column(0, 2, 22)

    # "Vi phạm"
    write_findings(
        breaches_ws,
        s.findings,
        "vi",
        head,
        wb.add_format({"font_color": "#0563C1", "underline": 1}),
        wb.add_format({"bg_color": "#FFC7CE"}),
    )

    # "Tổng hợp": formulas over the sheets above, with their cached values
    summary.write_string(0, 0, "TỔNG HỢP TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG", title)
    summary.write_string(1, 0, f"{s.scope.name} — quy định: {s.profile}", bold)
    heads = [
        "STT",
        "Mã",
        "Đơn vị",
        "Số tổ",
        "Số thành viên",
        "Số thôn chưa có tổ",
        "Số vi phạm quy định",
    ]
    for c, h in enumerate(heads):
        summary.write_string(3, c, h, head)
    summary.set_row(3, 32)
    code_col = {"village": "A", "commune": "C", "district": "E"}[s.child_level]
    n_teams, n_missing = len(s.teams), len(s.without_team)

    def rng(sheet: str, col: str, last: int) -> str:
        return f"{quote_sheetname(sheet)}!${col}$2:${col}${max(last + 1, 2)}"

    member_code_col = {"village": "B", "commune": "J", "district": "K"}[s.child_level]
    for n, child in enumerate(s.children):
        row = 4 + n
        ref = xl_rowcol_to_cell(row, 1, col_abs=True)
        summary.write_number(row, 0, n + 1, num)
        summary.write_string(row, 1, child.unit.code, num)
        summary.write_string(row, 2, child.unit.name, cell)
        summary.write_formula(
            row, 3, f"=COUNTIFS({rng('Tổ', code_col, n_teams)},{ref})", num, child.teams
        )
        summary.write_formula(
            row,
            4,
            f"=COUNTIFS({rng('Thành viên', member_code_col, n_members)},{ref})",
            num,
            child.members,
        )
        if s.child_level == "village":
            summary.write_formula(
                row,
                5,
                f"=COUNTIFS({rng('Chưa có tổ', 'A', n_missing)},{ref})",
                num,
                child.without_team,
            )
        else:
            summary.write_number(row, 5, child.without_team, num)
        summary.write_formula(
            row,
            6,
            f"=SUMIFS({rng('Tổ', 'I', n_teams)},{rng('Tổ', code_col, n_teams)},{ref})",
            num,
            child.breaches,
        )
    last = 4 + len(s.children) - 1
    total = last + 1
    summary.write_string(total, 2, "Tổng cộng", total_fmt)
    for c in range(3, 7):
        col = xl_col_to_name(c)
        summary.write_formula(
            total, c, f"=SUM({col}5:{col}{last + 1})", total_fmt, _sum(s.children, c)
        )
    summary.set_column(0, 0, 5)
    summary.set_column(1, 1, 16)
    summary.set_column(2, 2, 28)
    summary.set_column(3, 6, 14)
    summary.set_landscape()
    summary.set_paper(9)
    summary.fit_to_pages(1, 0)
    summary.repeat_rows(3)
    summary.activate()

    _printable(printable, s, wb, font, cell)
    wb.close()


def _sum(children: list[RosterChild], column: int) -> int:
    attr = {3: "teams", 4: "members", 5: "without_team", 6: "breaches"}[column]
    return sum(getattr(c, attr) for c in children)


def _printable(ws: Any, s: RosterSummary, wb: Any, font: dict[str, Any], cell: Any) -> None:
    """The member list to attach to a decision: national header, A4 landscape, the header
    row repeated on every page, Times New Roman (its header unshaded, for printing)."""
    center_bold = wb.add_format({**font, "bold": True, "align": "center"})
    center_italic = wb.add_format({**font, "italic": True, "align": "center"})
    head = wb.add_format(
        {
            **font,
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
        }
    )
    group = wb.add_format({**font, "bold": True, "border": 1})
    widths = (6, 8, 26, 34, 14, 22, 14)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    issuer = f"UBND {s.scope.name.upper()}"
    ws.merge_range(0, 0, 0, 2, issuer, center_bold)
    ws.merge_range(0, 3, 0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", center_bold)
    ws.merge_range(1, 3, 1, 6, "Độc lập - Tự do - Hạnh phúc", center_bold)
    ws.merge_range(3, 0, 3, 6, "DANH SÁCH THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG", center_bold)
    ws.merge_range(4, 0, 4, 6, f"{s.scope.name}", center_italic)
    heads = [
        "TT",
        "Ông/Bà",
        "Họ và tên",
        "Chức vụ",
        "Vai trò trong tổ",
        "Thôn phụ trách",
        "Số điện thoại",
    ]
    for c, h in enumerate(heads):
        ws.write_string(6, c, h, head)
    r, n = 7, 0
    for t, members in s.printable():
        ws.merge_range(r, 0, r, 6, f"Tổ {t.unit.name}", group)
        r += 1
        for e in members:
            n += 1
            v = e.values
            for c, value in enumerate(
                [
                    str(n),
                    v.get("title", ""),
                    v.get("name", ""),
                    v.get("position", ""),
                    v.get("role", ""),
                    t.unit.name,
                    v.get("phone", ""),
                ]
            ):
                ws.write_string(r, c, str(value), cell)
            r += 1
    ws.write_string(
        r + 1, 0, f"Danh sách ấn định {n} người.", wb.add_format({**font, "italic": True})
    )
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(6)
    ws.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&CTrang &P/&N")
