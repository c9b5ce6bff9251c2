"""Rules across the files of one commune: a person in several teams, villages without
a team or looked after twice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..reader import Workbook
from ..templates import Profile
from ..text import person_key
from ..unit_names import is_commune, name_key, unit_in_text
from .base import (
    Entry,
    FileResult,
    Sink,
)
from .steering import villages_in_charge
from .teams import unit_key


def commune_of(workbook: Workbook) -> str | None:
    """The commune a file's title rows name, as written ("UBND XÃ TÙNG ẢNH - HUYỆN ĐỨC
    THỌ" → "XÃ TÙNG ẢNH")."""
    for table in workbook.tables[:1]:
        for line in table.title:
            found = unit_in_text(line, ("commune",))
            if found:
                return found
    return None


def check_across(results: Sequence[FileResult], profile: Profile) -> None:
    """Checks that need several files at once, among the files of one commune (as their
    title rows name it; files that name none are taken together)."""
    groups: dict[str | None, list[FileResult]] = defaultdict(list)
    for res in results:
        if res.report.readable:
            commune = commune_of(res.workbook)
            groups[name_key(commune, "commune") if commune else None].append(res)
    for group in groups.values():
        _check_commune(group, profile)


def _check_commune(results: Sequence[FileResult], profile: Profile) -> None:
    rosters = [r for r in results if r.report.template == "roster"]
    steering = [r for r in results if r.report.template == "steering"]
    # a person in several teams
    seen: dict[str, list[tuple[FileResult, Entry]]] = defaultdict(list)
    for res in rosters:
        for e in res.entries:
            key = person_key(e.values.get("name", ""))
            if key:
                seen[key + "|" + e.values.get("phone", "")].append((res, e))
    for places in seen.values():
        teams = {unit_key(e.team or "") for _r, e in places}
        if len(teams) < 2:
            continue
        names = ", ".join(dict.fromkeys(e.team or "" for _r, e in places))
        for res, e in places[1:]:
            sink = Sink(profile)
            sink.rule(
                "team.person_in_several_teams",
                e.sheet,
                e.row,
                "name",
                e.cells.get("name"),
                e.values.get("name"),
                name=e.values.get("name"),
                teams=names,
            )
            res.report.findings.extend(sink.findings)
    # villages: named anywhere (residence, task table) but without a team
    team_units = {
        unit_key(e.team or "") for r in rosters for e in r.entries if e.level == "village"
    }
    named: dict[str, tuple[FileResult, Entry, str]] = {}
    for res in rosters:
        for e in res.entries:
            village = e.values.get("village")
            if village and not is_commune(village):
                named.setdefault(unit_key(village), (res, e, village))
    for res in steering:
        for key, (e, village) in villages_in_charge(res.entries).items():
            named.setdefault(key, (res, e, village))  # each village, not the whole cell
    if rosters:
        for key, (res, e, village) in named.items():
            if key and key not in team_units:
                sink = Sink(profile)
                column = "village" if res.report.template == "roster" else "village_in_charge"
                sink.rule(
                    "roster.village_without_team",
                    e.sheet,
                    e.row,
                    column,
                    e.cells.get(column),
                    village,
                    village=village,
                )
                res.report.findings.extend(sink.findings)
    # every village with a team is looked after by a steering committee member
    labels = {
        unit_key(e.team or ""): e.team for r in rosters for e in r.entries if e.level == "village"
    }
    for res in steering:
        if not any(e.values.get("village_in_charge") for e in res.entries):
            continue
        covered = villages_in_charge(res.entries)
        first = res.entries[0]
        for key, label in labels.items():
            if key not in covered:
                sink = Sink(profile)
                sink.rule(
                    "steering.village_unassigned",
                    first.sheet,
                    None,
                    "village_in_charge",
                    None,
                    label,
                    village=label,
                )
                res.report.findings.extend(sink.findings)
