"""Consolidation up the hierarchy: village → commune → district → province.

:func:`consolidate` takes report workbooks (which it validates and keeps in the store)
and summaries made by this module one level down (whose "Dữ liệu" sheet it reads
back), and computes, for one period, a row per child unit of the summarised unit, the
totals, the indicators against their targets and who reported on time, late or not at
all. The numbers are the same whether a district consolidates its villages' reports
directly or its communes' summaries: every summary carries its village rows.
:mod:`sheets_tool.summary` writes the result as a workbook with live formulas.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from . import guard
from .findings import ERROR, WARNING, Finding, jsonable
from .reader import Workbook, read_workbook
from .registry import Registry
from .store import Deadlines, Store, ingest_paths
from .templates import Profile, Template, load_template
from .units import REFORM_DATE, Unit

SUMMARY_LEVELS = ("commune", "district", "province")
STATUS_LABELS = {
    "on_time": ("Đúng hạn", "On time"),
    "late": ("Muộn", "Late"),
    "missing": ("Chưa báo cáo", "Missing"),
}


class ConsolidationError(ValueError):
    """Nothing can be written; the message says why (exit 2), and ``findings`` what was
    wrong with the inputs."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


@dataclass(frozen=True)
class Indicator:
    key: str
    label_vi: str
    label_en: str
    numerator: str
    denominator: str
    target: float


@dataclass
class Targets:
    """Indicator targets and deadlines, from a TOML file (``--targets``)."""

    indicators: tuple[Indicator, ...] = (
        Indicator(
            "shops_pct",
            "% hộ có cửa hàng số",
            "% households with an online shop",
            "shops",
            "households",
            0.5,
        ),
        Indicator(
            "sellers_pct",
            "% hộ có giao dịch",
            "% households that sold",
            "sellers",
            "households",
            0.1,
        ),
    )
    deadlines: Deadlines = field(default_factory=Deadlines)


def load_targets(path: str | Path | None) -> Targets:
    """Targets from a TOML file: ``[targets] shops_pct = 0.5``, ``sellers_pct = 0.1``;
    ``[deadlines] daily = "17:00"``, ``monthly_day = 20``."""
    base = Targets()
    if path is None:
        return base
    try:
        with Path(path).open("rb") as fh:
            raw = tomllib.load(fh)
    except OSError as exc:
        raise ConsolidationError(f"cannot read targets {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConsolidationError(f"{path}: not valid TOML: {exc}") from None
    given = raw.get("targets", {})
    known = {i.key for i in base.indicators}
    for key, value in given.items():
        if key not in known:
            raise ConsolidationError(f"{path}: unknown target '{key}' (one of {sorted(known)})")
        if not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ConsolidationError(f"{path}: target '{key}' must be a share from 0 to 1")
    indicators = tuple(
        Indicator(
            i.key,
            i.label_vi,
            i.label_en,
            i.numerator,
            i.denominator,
            float(given.get(i.key, i.target)),
        )
        for i in base.indicators
    )
    dl = raw.get("deadlines", {})
    try:
        daily = dt.time.fromisoformat(dl.get("daily", "17:00"))
        monthly_day = int(dl.get("monthly_day", 20))
    except (TypeError, ValueError):
        raise ConsolidationError(
            f'{path}: deadlines are daily = "HH:MM" and monthly_day = a day of the month'
        ) from None
    if not 1 <= monthly_day <= 28:
        raise ConsolidationError(f"{path}: monthly_day must be from 1 to 28")
    return Targets(indicators, Deadlines(daily, monthly_day))


@dataclass
class DataRow:
    """A reporting unit's value of one indicator for the period ("Dữ liệu", long form)."""

    unit: Unit  # a village, or a commune for the commune's own team
    values: dict[str, float]
    received_at: str = ""
    status: str = "on_time"
    source: str = ""


@dataclass
class ChildRow:
    unit: Unit
    values: dict[str, float]
    indicators: dict[str, float | None]
    status: str  # on_time | late | missing
    expected: int = 0  # reporting units expected under it
    reported: int = 0


@dataclass
class Summary:
    kind: str
    level: str
    scope: Unit
    period: str
    keys: list[str]
    template: Template
    child_level: str
    children: list[ChildRow]
    data: list[DataRow]
    totals: dict[str, float]
    total_indicators: dict[str, float | None]
    expected: list[tuple[Unit, DataRow | None]]  # reporting units and their row
    findings: list[Finding] = field(default_factory=list)
    targets: Targets = field(default_factory=Targets)
    excluded: int = 0
    ancestry: dict[str, dict[str, Unit]] = field(default_factory=dict)  # code → level → unit

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return self.targets.indicators if self.kind == "daily" else ()

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "level": self.level,
            "period": self.period,
            "kind": self.kind,
            "unit": {"code": self.scope.code, "name": self.scope.name},
            "units": [
                {
                    "code": c.unit.code,
                    "name": c.unit.name,
                    "parent": c.unit.parent,
                    "values": {k: jsonable(v) for k, v in c.values.items()},
                    "indicators": c.indicators,
                    "status": c.status,
                    "reported": c.reported,
                    "expected": c.expected,
                }
                for c in self.children
            ],
            "totals": {k: jsonable(v) for k, v in self.totals.items()},
            "indicators": self.total_indicators,
            "findings": [f.to_dict(lang) | {"path": f.params.get("path")} for f in self.findings],
        }


def numeric_keys(template: Template) -> list[str]:
    return [c.key for c in template.columns if c.type in ("whole", "number", "money")]


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


# ---------------------------------------------------------------------------
# reading summaries made one level down


def summary_book(path: str | Path) -> Workbook | None:
    """The "Dữ liệu" sheet of a workbook written by
    :func:`sheets_tool.summary.write_summary`, read once; None for any other input. Only
    such a sheet name makes it read the whole file."""
    if not guard.inspect(path).ok:
        return None
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        names = set(wb.sheet_names)
        wb.close()
    except (python_calamine.CalamineError, OSError, ValueError):
        return None
    if not names & {"Dữ liệu", "Data"}:
        return None
    book = read_workbook(path, load_template("summary_data"))
    if book.readable and any(t.sheet in ("Dữ liệu", "Data") for t in book.tables):
        return book
    return None


def read_summary_rows(
    book: Workbook, registry: Registry, kind: str, period: str
) -> tuple[list[DataRow], list[Finding]]:
    """The village rows a lower-level summary carries, for ``kind`` and ``period``."""
    path = book.path
    rows: dict[str, DataRow] = {}
    findings: list[Finding] = []
    for rec in book.records:
        raw = rec.raw
        if str(raw.get("kind", "")) != kind or _text(raw.get("period")) != period:
            continue
        code = _text(raw.get("unit_code"))
        unit = registry.units.get(code)
        if unit is None:
            findings.append(
                Finding(
                    ERROR,
                    "registry.unknown_unit",
                    {"name": f"{raw.get('unit_name', '')} ({code})", "hint": "", "path": str(path)},
                    rec.sheet,
                    rec.row,
                    "unit_code",
                    rec.cells.get("unit_code"),
                    code,
                )
            )
            continue
        value = raw.get("value")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        row = rows.setdefault(
            code,
            DataRow(
                unit,
                {},
                _text(raw.get("received_at")),
                _status_key(raw.get("status")),
                _text(raw.get("source")) or str(path),
            ),
        )
        row.values[_text(raw.get("indicator"))] = float(value)
    return list(rows.values()), findings


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return "" if value is None else str(value).strip()


def _status_key(value: Any) -> str:
    text = _text(value)
    for key, labels in STATUS_LABELS.items():
        if text in (key, *labels):
            return key
    return "on_time"


# ---------------------------------------------------------------------------
# the consolidation


def consolidate(
    inputs: Sequence[str | Path],
    *,
    level: str,
    registry: Registry,
    store: Store,
    day: dt.date | None = None,
    month: str | None = None,
    targets: Targets | None = None,
    profile: Profile | str = "none",
    received_at: dt.datetime | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> Summary:
    """Consolidate ``inputs`` for a day (daily reports) or a month (monthly reports).

    Report workbooks are validated and ingested into ``store``; the summary then takes
    the current submissions of the period from the store, plus the rows of any lower
    summaries given as inputs. Raises :class:`ConsolidationError` when nothing can be
    written (no period, inputs from several units of ``level``, an unknown level).
    """
    if level not in SUMMARY_LEVELS:
        raise ConsolidationError(f"--level is one of {', '.join(SUMMARY_LEVELS)}")
    if (day is None) == (month is None):
        raise ConsolidationError(
            "give the period: --date YYYY-MM-DD (daily reports) or "
            "--month YYYY-MM (monthly reports)"
        )
    kind = "daily" if day else "monthly"
    period = day.isoformat() if day else str(month)
    on = day or dt.date.fromisoformat(f"{month}-01")
    if level == "district" and on >= REFORM_DATE:
        raise ConsolidationError("there is no district level from 1/7/2025: use --level province")
    targets = targets or Targets()
    template = load_template(kind)
    findings: list[Finding] = list(registry.findings)
    summaries: list[Workbook] = []
    reports: list[str | Path] = []
    for path in inputs:
        book = summary_book(path)
        if book is None:
            reports.append(path)
        else:
            summaries.append(book)
    excluded = 0
    if reports:
        outcome = ingest_paths(
            progress(reports) if progress else reports,
            store,
            registry,
            template=kind,
            profile=profile,
            received_at=received_at,
            deadlines=targets.deadlines,
        )
        for fr in outcome.report.files:
            for f in fr.findings:
                f.params.setdefault("path", fr.path)
                findings.append(f)
    data: dict[str, DataRow] = {}
    counted = set(numeric_keys(template))
    for r in store.current_rows(kind, period):
        unit = registry.units.get(r["unit_code"])
        if unit is None:
            continue
        if r["excluded"]:
            excluded += 1
            continue
        values = {
            k: float(v)
            for k, v in r["values"].items()
            if k in counted and isinstance(v, (int, float))
        }
        data[unit.code] = DataRow(unit, values, r["received_at"], r["status"], r["source"])
    for book in summaries:
        rows, found = read_summary_rows(book, registry, kind, period)
        findings.extend(found)
        for row in rows:
            if row.unit.code in data:
                findings.append(
                    Finding(
                        WARNING,
                        "consolidate.duplicate_unit",
                        {"unit": row.unit.name, "path": book.path},
                        None,
                        None,
                        None,
                        None,
                        row.unit.code,
                    )
                )
                continue
            data[row.unit.code] = row
    if not data:
        raise ConsolidationError(
            f"no usable {kind} rows for {period} in the inputs or the store ({store.path})",
            findings,
        )
    scope = _scope(registry, data.values(), level)
    rows = [d for d in data.values() if registry.ancestor_at(d.unit.code, level) == scope]
    summary = summarise(kind, scope, period, rows, registry, targets, on)
    summary.level, summary.findings, summary.excluded = level, findings, excluded
    return summary


def _scope(registry: Registry, rows: Iterable[DataRow], level: str) -> Unit:
    found: dict[str, Unit] = {}
    for row in rows:
        unit = registry.ancestor_at(row.unit.code, level)
        if unit is not None:
            found[unit.code] = unit
    if not found:
        raise ConsolidationError(f"the inputs' units have no {level} in the registry")
    if len(found) > 1:
        names = ", ".join(u.name for u in sorted(found.values(), key=lambda u: u.code))
        raise ConsolidationError(
            f"the inputs belong to several units of level {level}: "
            f"{names}; consolidate each, or choose a higher --level"
        )
    return next(iter(found.values()))


def _child_level(registry: Registry, scope: Unit) -> str:
    levels = {u.level for u in registry.children(scope.code)}
    for level in ("district", "commune", "village"):
        if level in levels:
            return level
    return "village"


def summarise(
    kind: str,
    scope: Unit,
    period: str,
    rows: list[DataRow],
    registry: Registry,
    targets: Targets | None = None,
    on: dt.date | None = None,
) -> Summary:
    """Totals per child unit of ``scope`` from its reporting units' rows (no I/O)."""
    targets = targets or Targets()
    if on is None:
        on = dt.date.fromisoformat(period if len(period) == 10 else f"{period}-01")
    template = load_template(kind)
    keys = [k for k in numeric_keys(template) if any(k in r.values for r in rows)]
    child_level = _child_level(registry, scope)
    children_units = sorted(
        (u for u in registry.children(scope.code) if u.level == child_level and u.valid_on(on)),
        key=lambda u: u.code,
    )
    # the commune's own team reports as the commune itself: a row of its own
    if child_level == "village" and any(r.unit.code == scope.code for r in rows):
        children_units.append(scope)
    by_code = {r.unit.code: r for r in rows}
    expected: list[tuple[Unit, DataRow | None]] = []
    for unit in registry.descendants(scope.code, "village"):
        if unit.valid_on(on):
            expected.append((unit, by_code.get(unit.code)))
    expected.extend((r.unit, r) for r in rows if r.unit.level != "village")
    # each row and expected unit goes to its child once (not a scan per child)

    def child_of(code: str) -> str | None:
        if code == scope.code:
            return code
        unit = registry.ancestor_at(code, child_level)
        return unit.code if unit else None

    rows_of: dict[str | None, list[DataRow]] = defaultdict(list)
    for r in rows:
        rows_of[child_of(r.unit.code)].append(r)
    expected_of: dict[str | None, list[tuple[Unit, DataRow | None]]] = defaultdict(list)
    for u, found in expected:
        expected_of[child_of(u.code)].append((u, found))
    children = []
    for child in children_units:
        mine = rows_of[child.code]
        values = {k: sum(r.values.get(k, 0.0) for r in mine) for k in keys}
        under = expected_of[child.code]
        statuses = {r.status for _u, r in under if r is not None}
        reported = sum(r is not None for _u, r in under)
        status = (
            "missing"
            if reported == 0
            else "late"
            if "late" in statuses or reported < len(under)
            else "on_time"
        )
        indicators = (
            {
                i.key: ratio(values.get(i.numerator, 0), values.get(i.denominator, 0))
                for i in targets.indicators
            }
            if kind == "daily"
            else {}
        )
        children.append(ChildRow(child, values, indicators, status, len(under), reported))
    totals = {k: sum(c.values[k] for c in children) for k in keys}
    total_ind = (
        {
            i.key: ratio(totals.get(i.numerator, 0), totals.get(i.denominator, 0))
            for i in targets.indicators
        }
        if kind == "daily"
        else {}
    )
    ancestry = {
        u.code: {a.level: a for a in registry.ancestors(u.code)}
        for u in [*(r.unit for r in rows), *(u for u, _r in expected)]
    }
    return Summary(
        kind,
        scope.level,
        scope,
        period,
        keys,
        template,
        child_level,
        children,
        rows,
        totals,
        total_ind,
        expected,
        [],
        targets,
        0,
        ancestry,
    )
