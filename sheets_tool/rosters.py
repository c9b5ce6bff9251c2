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

from . import guard
from .findings import ERROR, Finding
from .hierarchy import ConsolidationError, ancestry, check_level, children, scope_of
from .reader import Record, Table, Workbook, read_grids
from .registry import Registry, unit_finding
from .rules.across import check_across, commune_of
from .rules.base import LEADER, Entry, FileResult
from .rules.teams import teams_of
from .templates import Column, Profile, Template, load_profile, load_template
from .text import shown
from .units import Unit
from .validate import check_workbook, validate_files

TEAM_CODES = ("team.",)
# Team findings shown at the team's first row for a cell to point to, but about the whole
# team, not that member (as is "team.leader_count" when the team has no leader).
TEAM_WIDE = ("team.size", "team.deputy_missing", "team.member_missing")
# the sheets of a roster summary (see :mod:`sheets_tool.roster_book`); by their names a
# summary is recognised and its "members" sheet read back, in either language
ROSTER_SHEETS = {
    "vi": {
        "summary": "Tổng hợp",
        "teams": "Tổ",
        "members": "Thành viên",
        "without": "Chưa có tổ",
        "breaches": "Vi phạm",
        "print": "Danh sách in",
    },
    "en": {
        "summary": "Summary",
        "teams": "Teams",
        "members": "Members",
        "without": "Without a team",
        "breaches": "Breaches",
        "print": "Print list",
    },
}


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
            names = next(
                (n for n in ROSTER_SHEETS.values() if set(n.values()) <= set(wb.sheet_names)),
                None,
            )
            if names is None:
                return None
            data_sheet = names["members"]
            sheet = wb.get_sheet_by_name(data_sheet)
            grid = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        finally:
            wb.close()
    except (python_calamine.CalamineError, OSError, ValueError):
        return None
    book = read_grids(str(path), [(data_sheet, grid, merged)], _data_template())
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
