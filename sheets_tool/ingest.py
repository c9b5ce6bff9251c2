"""Ingest: validated reports matched to their units and kept in the store.

Each row is matched to its village (or, for a commune's own team, its commune) in the
registry. Without a registry of villages for a commune, its villages are taken from the
reports under it, with one warning per commune. Rows with an error (their own, the
file's, the registry's, a village given twice, or the cross-day checks') are kept but
marked excluded, so they are counted as received and listed, never summed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .findings import ERROR, WARNING, Finding, Report
from .registry import Match, Registry, unit_finding
from .rules.base import Entry, FileResult
from .store import (
    FILE_LEVEL,
    REPORT_KINDS,
    Deadlines,
    Delivery,
    Incoming,
    IncomingRow,
    Store,
    file_hash,
    period_of,
)
from .templates import Profile
from .text import match_key
from .unit_names import is_commune, is_commune_team
from .units import REFORM_DATE, Unit
from .validate import validate_files

DEADLINES = Deadlines()


@dataclass
class IngestResult(Delivery):
    """What one ingest did: per file its report (with the store's own findings added)."""

    report: Report = field(default_factory=lambda: Report([]))
    # the unit (or commune) codes of the inputs' rows, by kind and period
    units: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    # the periods of each input's rows, by its path: (kind, period)
    periods: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    unplaced: int = 0  # rows with no period, or no unit and no commune: excluded, listed


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    registry: Registry | None = None,
    *,
    template: str | None = None,
    profile: Profile | str = "none",
    received_at: dt.datetime | None = None,
    deadlines: Deadlines = DEADLINES,
    within: Unit | None = None,
) -> IngestResult:
    """Validate reports, match their rows to the registry and keep them in the store,
    in one transaction. Without ``registry``, the official units of the rows' dates are
    used and villages are taken from the reports. ``within`` narrows the matching of
    commune names to one unit (a district, a province)."""
    results = validate_files(paths, template, profile)
    return ingest_results(
        results, store, registry, received_at=received_at, deadlines=deadlines, within=within
    )


def ingest_results(
    results: Sequence[FileResult],
    store: Store,
    registry: Registry | None = None,
    *,
    received_at: dt.datetime | None = None,
    deadlines: Deadlines = DEADLINES,
    within: Unit | None = None,
    more: Sequence[Incoming] = (),
) -> IngestResult:
    """Keep already validated files (see :func:`ingest_paths`), and ``more`` submissions
    made otherwise (lower summaries), in the store: one transaction."""
    received_at = received_at or dt.datetime.now().replace(second=0, microsecond=0)
    registries: dict[bool, Registry] = {}
    told: set[str] = set()  # communes already warned about their villages
    incoming = list(more)
    for res in results:
        kind = res.report.template
        if not res.report.readable or kind not in REPORT_KINDS or not res.entries:
            continue
        reg = registry or _official(registries, res)
        reg.stored = store.unit_names
        incoming.append(prepare(res, reg, received_at, deadlines, within, told))
    units: dict[tuple[str, str], set[str]] = {}
    periods: dict[str, set[tuple[str, str]]] = {}
    for sub in incoming:
        for r in sub.rows:
            periods.setdefault(sub.source, set()).add((sub.kind, r.period))
            code = r.unit.code if r.unit else r.commune_code
            if code:
                units.setdefault((sub.kind, r.period), set()).add(code)
    outcome = IngestResult(
        **vars(store.deliver(incoming, received_at)),
        report=Report([r.report for r in results]),
        units=units,
        periods=periods,
        unplaced=sum(sub.unplaced for sub in incoming),
    )
    for res in results:
        res.report.findings.sort(key=Finding.sort_key)
    return outcome


def _official(cache: dict[bool, Registry], res: FileResult) -> Registry:
    """The official units (no villages) on the date of the file's first row."""
    day = next((d for e in res.entries if (d := _entry_day(e))), dt.date.today())
    after = day >= REFORM_DATE
    if after not in cache:
        cache[after] = Registry.official(day)
    return cache[after]


def prepare(
    res: FileResult,
    registry: Registry,
    received_at: dt.datetime,
    deadlines: Deadlines = DEADLINES,
    within: Unit | None = None,
    told: set[str] | None = None,
) -> Incoming:
    """A validated file as a submission for the store: every row with its unit, period,
    received time and whether it is excluded; the findings of the matching added to the
    file's report."""
    report = res.report
    kind = str(report.template)
    told = set() if told is None else told
    matched = _match(res, registry, within, told)
    periods = [period_of(kind, e.values) for e in res.entries]
    _duplicates(res, matched, periods)
    blocking = any(
        f.severity == ERROR and (f.row is None or f.code.startswith(FILE_LEVEL))
        for f in report.findings
    )
    error_rows = {(f.sheet, f.row) for f in report.findings if f.severity == ERROR}
    latest: dict[str, dt.datetime] = {}
    for e, period in zip(res.entries, periods, strict=True):
        sent = _sent_at(e, period) if period else None
        if sent and period and (period not in latest or sent > latest[period]):
            latest[period] = sent
    rows = []
    for e, (unit, commune), period in zip(res.entries, matched, periods, strict=True):
        if period is None:
            continue  # no date: a field finding says so
        when = _sent_at(e, period) or latest.get(period) or received_at
        rows.append(
            IncomingRow(
                unit,
                commune.code if commune else "",
                str(e.values.get("village") or ""),
                period,
                e.sheet,
                e.row,
                e.values,
                e.cells,
                blocking or unit is None or (e.sheet, e.row) in error_rows,
                when,
                deadlines.status(kind, period, when),
            )
        )
    communes = {r.commune_code for r in rows}
    reporter = registry.units.get(communes.pop()) if len(communes) == 1 else None
    rows_here = {(e.sheet, e.row) for e in res.entries}
    findings = [
        f
        for f in report.findings
        if (f.sheet, f.row) in rows_here or f.row is None or f.code.startswith(FILE_LEVEL)
    ]
    unplaced = sum(p is None for p in periods) + sum(
        r.unit is None and not r.commune_code for r in rows
    )
    return Incoming(
        kind,
        report.path,
        res.workbook.content_hash or file_hash(report.path),
        reporter,
        rows,
        findings,
        report,
        unplaced=unplaced,
    )


def _match(
    res: FileResult, registry: Registry, within: Unit | None, told: set[str]
) -> list[tuple[Unit | None, Unit | None]]:
    """Each entry's unit and commune (None when not found: a finding says why)."""
    findings = res.report.findings
    context = match_key(" ".join(t for table in res.workbook.tables[:1] for t in table.title))
    out: list[tuple[Unit | None, Unit | None]] = []
    for e in res.entries:
        on = _entry_day(e)
        commune: Unit | None = None
        commune_name = e.values.get("commune")
        if commune_name:
            match = registry.find(
                commune_name, "commune", within=within.code if within else None, on=on
            )
            commune = match.unit or _by_context(registry, match, context)
            if commune is None:
                findings.append(
                    _not_found(registry, commune_name, "commune", within, on, match, e, "commune")
                )
                out.append((None, None))
                continue
        label = str(e.values.get("village") or "")
        if commune is not None and (is_commune(label) or is_commune_team(label)):
            out.append((commune, commune))
            continue
        match = registry.find(
            label,
            "village",
            within=commune.code if commune else within.code if within else None,
            on=on,
        )
        unit = match.unit
        if unit is None and commune is not None:
            unit = registry.reported_village(commune.code, label)
            if unit is not None and commune.code not in told:
                told.add(commune.code)
                findings.append(villages_not_listed(commune, registry))
        if unit is None:
            scope = commune or within
            findings.append(_not_found(registry, label, "village", scope, on, match, e, "village"))
            out.append((None, commune))
            continue
        out.append((unit, commune or registry.units.get(unit.parent or "")))
    return out


VILLAGES_FROM_REPORTS = ("registry.no_villages", "registry.none_given")


def villages_not_listed(commune: Unit, registry: Registry) -> Finding:
    """One warning per commune whose villages come from the reports, with the fix."""
    if registry.path:
        return Finding(
            severity=WARNING,
            code="registry.no_villages",
            params={"commune": commune.name, "registry": registry.path},
        )
    return Finding(severity=WARNING, code="registry.none_given", params={"commune": commune.name})


def _by_context(registry: Registry, match: Match, context: str) -> Unit | None:
    """An ambiguous commune name decided by the district or province the title names
    ("Xã Vạn Linh, huyện Chi Lăng")."""
    if not match.candidates or not context:
        return None
    fits = [
        u
        for u in match.candidates
        if any(
            f" {match_key(a.name)} " in f" {context} "
            for a in registry.ancestors(u.code)[1:]
            if a.level in ("district", "province")
        )
    ]
    return fits[0] if len(fits) == 1 else None


def _duplicates(
    res: FileResult, matched: list[tuple[Unit | None, Unit | None]], periods: list[str | None]
) -> None:
    """The same unit twice for one period in one file: an error on each, naming the
    other; neither row is counted."""
    seen: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e, (unit, _commune), period in zip(res.entries, matched, periods, strict=True):
        if unit is not None and period is not None:
            seen[(unit.code, period)].append(e)
    for (_code, _period), entries in seen.items():
        if len(entries) < 2:
            continue
        for e in entries:
            others = ", ".join(f"{o.cells.get('village') or o.row}" for o in entries if o is not e)
            res.report.findings.append(
                Finding(
                    severity=ERROR,
                    code="report.duplicate_unit",
                    params={"unit": e.values.get("village", ""), "other": others},
                    sheet=e.sheet,
                    row=e.row,
                    column="village",
                    cell=e.cells.get("village"),
                    value=e.values.get("village"),
                )
            )


def _not_found(
    registry: Registry,
    name: str,
    level: str,
    within: Unit | None,
    on: dt.date | None,
    match: Match,
    e: Entry,
    column: str,
) -> Finding:
    """Why ``name`` matched no unit: the unit is there but not in force on the report's
    date (a report dated 2099: the date is what is wrong), or it is not there."""
    if on is not None and registry.find(name, level, within.code if within else None).unit:
        return Finding(
            severity=ERROR,
            code="registry.not_in_force",
            params={"name": name, "date": f"{on:%d/%m/%Y}"},
            sheet=e.sheet,
            row=e.row,
            column=column,
            cell=e.cells.get(column),
            value=name,
        )
    return unit_finding(name, match, e.sheet, e.row, column, e.cells.get(column))


def _entry_day(e: Entry) -> dt.date | None:
    day = e.values.get("date") or e.values.get("month")
    return day if isinstance(day, dt.date) else None


def _sent_at(e: Entry, period: str) -> dt.datetime | None:
    sent = e.values.get("sent_at")
    if isinstance(sent, dt.datetime):
        return sent
    if isinstance(sent, dt.time):
        day = dt.date.fromisoformat(period) if len(period) == 10 else None
        return dt.datetime.combine(day, sent) if day else None
    return None
