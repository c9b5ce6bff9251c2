"""Consolidation up the hierarchy: village → commune → district → province.

:func:`consolidate` takes report workbooks (which it validates and keeps in the store)
and summaries made by this module one level down (whose "Dữ liệu" sheet it reads
back), and computes, for one period, a row per child unit of the summarised unit, the
totals, the indicators against their targets and who reported on time, late or not at
all. The numbers are the same whether a district consolidates its villages' reports
directly or its communes' summaries: every summary carries its village rows.
:mod:`sheets_tool.report_book` writes the result as a workbook with live formulas.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import python_calamine

from . import guard
from .findings import ERROR, WARNING, Finding, jsonable
from .hierarchy import (
    Children,
    ConsolidationError,
    ancestry,
    check_level,
    children,
    find_scope,
    is_under,
    scope_of,
)
from .i18n import tr
from .ingest import VILLAGES_FROM_REPORTS, IngestResult, ingest_results, villages_not_listed
from .reader import Workbook, read_workbook
from .registry import Registry
from .store import (
    REPORT_KINDS,
    Deadlines,
    Incoming,
    IncomingRow,
    RowVersion,
    Store,
    file_hash,
)
from .templates import Profile, Template, load_template
from .units import REFORM_DATE, Unit
from .validate import validate_files
from .versions import Choice, choose_all, numeric_keys

STATUS_LABELS = {
    "on_time": ("Đúng hạn", "On time"),
    "late": ("Muộn", "Late"),
    "missing": ("Chưa báo cáo", "Missing"),
    "excluded": ("Có lỗi, không tính", "Errors, not counted"),
}


def status_label(status: str, lang: str) -> str:
    """A status (on_time, late, ...) as a person reads it; an unknown one as it is."""
    labels = STATUS_LABELS.get(status)
    return status if labels is None else labels[0 if lang == "vi" else 1]


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
        raise ConsolidationError(
            tr(
                "không đọc được tệp chỉ tiêu {path}: {e}",
                "cannot read targets {path}: {e}",
                path=path,
                e=exc.strerror,
            )
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConsolidationError(
            tr(
                "{path}: không phải TOML hợp lệ: {e}",
                "{path}: not valid TOML: {e}",
                path=path,
                e=exc,
            )
        ) from None
    given, dl = raw.get("targets", {}), raw.get("deadlines", {})
    if not isinstance(given, dict) or not isinstance(dl, dict):
        raise ConsolidationError(
            tr(
                "{path}: chỉ tiêu và hạn báo cáo là các bảng: ",
                "{path}: targets and deadlines are tables: ",
                path=path,
            )
            + '[targets] shops_pct = 0.5, [deadlines] daily = "17:00"'
        )
    known = {i.key for i in base.indicators}
    for key, value in given.items():
        if key not in known:
            raise ConsolidationError(
                tr(
                    "{path}: không có chỉ tiêu '{key}' (là một trong {known})",
                    "{path}: unknown target '{key}' (one of {known})",
                    path=path,
                    key=key,
                    known=sorted(known),
                )
            )
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ConsolidationError(
                tr(
                    "{path}: chỉ tiêu '{key}' phải là một tỉ lệ từ 0 đến 1",
                    "{path}: target '{key}' must be a share from 0 to 1",
                    path=path,
                    key=key,
                )
            )
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
    try:
        daily = dt.time.fromisoformat(dl.get("daily", "17:00"))
        day = dl.get("monthly_day", 20)
        if isinstance(day, (bool, float)):  # 20.7 is no day, nor is true
            raise TypeError(day)
        monthly_day = int(day)
    except (TypeError, ValueError):
        raise ConsolidationError(
            tr(
                '{path}: hạn báo cáo là daily = "HH:MM" và monthly_day = một ngày trong tháng',
                '{path}: deadlines are daily = "HH:MM" and monthly_day = a day of the month',
                path=path,
            )
        ) from None
    if not 1 <= monthly_day <= 28:
        raise ConsolidationError(
            tr(
                "{path}: monthly_day phải từ 1 đến 28",
                "{path}: monthly_day must be from 1 to 28",
                path=path,
            )
        )
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
    status: str  # on_time | late | missing | excluded
    expected: int = 0  # reporting units expected under it
    reported: int = 0
    received_at: str = ""  # the latest of its counted rows
    sources: list[str] = field(default_factory=list)  # the files its counted rows came from
    # the reporting units expected under it, each with its counted row or None
    under: list[tuple[Unit, DataRow | None]] = field(default_factory=list)

    @property
    def silent(self) -> list[Unit]:
        """The expected units under it with no row counted."""
        return [u for u, r in self.under if r is None]


@dataclass
class Trend:
    """The totals of the scope for each of the periods up to the summary's, as a summary
    of each would show them (None: nothing counted that period)."""

    keys: list[str]
    periods: list[str]
    totals: list[dict[str, float] | None]


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
    ancestry: dict[str, dict[str, Unit]] = field(default_factory=dict)  # code → level → unit
    reconciliation: Reconciliation = field(default_factory=lambda: Reconciliation())
    earlier: dict[str, str] = field(default_factory=dict)  # unit code → received time used
    rejected: set[str] = field(default_factory=set)  # units whose every row was excluded
    unregistered: set[str] = field(default_factory=set)  # villages known from reports only
    trend: Trend | None = None  # earlier periods' totals, when asked for (``history``)
    hierarchy: Children | None = None  # the children, and which one each unit falls under
    # (file, sheet, row) of every stored row of the scope → the child unit it belongs to
    located: dict[tuple[str, str | None, int | None], str] = field(default_factory=dict)

    def child_of_finding(self, finding: Finding) -> str | None:
        """The code of the child unit whose row a finding is about, if any."""
        path = finding.params.get("path")
        if not path or finding.sheet is None or finding.row is None:
            return None
        return self.located.get((str(path), finding.sheet, finding.row))

    @property
    def excluded(self) -> int:
        """Rows not counted for errors (see :attr:`reconciliation`)."""
        return self.reconciliation.excluded

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
            "reconciliation": self.reconciliation.to_dict(),
            "findings": [f.to_dict(lang) | {"path": f.params.get("path")} for f in self.findings],
        }


def unit_notes(summary: Summary, code: str, lang: str = "vi") -> list[str]:
    """What a reader of the status of a reporting unit should know: an earlier version
    used because the newer one has errors; a unit known from the reports only."""
    vi = lang == "vi"
    notes = []
    if code in summary.earlier:
        when = summary.earlier[code].replace("T", " ")
        notes.append(
            f"Đang dùng bản nhận lúc {when}: bản mới hơn có lỗi (xem sheet Lỗi)"
            if vi
            else f"Using the version received at {when}: a newer one has errors (see Findings)"
        )
    if code in summary.unregistered:
        notes.append(
            "Chưa có trong sổ đăng ký (lấy theo báo cáo)"
            if vi
            else "Not in a registry (taken from the reports)"
        )
    return notes


def child_notes(summary: Summary, child: ChildRow, lang: str = "vi") -> list[str]:
    """The notes on a child unit's status: its own (:func:`unit_notes`) when it reports
    itself (a village, or a commune's own team), else which units under it sent nothing,
    had every row excluded, or are counted from an earlier version."""
    if child.unit.level == "village" or child.unit.code == summary.scope.code:
        return unit_notes(summary, child.unit.code, lang)
    names = {
        ("Chưa báo cáo", "Missing"): [u for u in child.silent if u.code not in summary.rejected],
        ("Có lỗi, không tính", "Errors, not counted"): [
            u for u in child.silent if u.code in summary.rejected
        ],
        ("Dùng bản nhận trước (bản mới có lỗi)", "Earlier version used (newer has errors)"): [
            u for u, _r in child.under if u.code in summary.earlier
        ],
    }
    return [
        f"{label[0 if lang == 'vi' else 1]}: {', '.join(u.name for u in units)}"
        for label, units in names.items()
        if units
    ]


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


# ---------------------------------------------------------------------------
# reading summaries made one level down


def summary_book(path: str | Path) -> Workbook | None:
    """The "Dữ liệu" sheet of a workbook written by
    :func:`sheets_tool.report_book.write_summary`, read once; None for any other input. Only
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


def summary_incoming(
    book: Workbook, registry: Registry, received_at: dt.datetime
) -> Incoming | None:
    """The rows a lower-level summary carries ("Dữ liệu": a line per unit with a column
    per indicator, or, in earlier summaries, a line per unit and indicator), as a
    submission for the store: a row per unit and period, with the received time and
    status the summary gives. A unit listed twice (for one indicator) is an error."""
    path = book.path
    findings: list[Finding] = []
    rows: dict[tuple[str, str], IncomingRow] = {}
    seen: dict[tuple[str, str, str], str | None] = {}
    twice: set[tuple[str, str]] = set()
    kinds = set()
    for rec in book.records:
        raw = rec.raw
        kind = _text(raw.get("kind"))
        period = _period(raw.get("period"), kind)
        values = _line_values(raw)
        if kind not in REPORT_KINDS or not period or not values:
            continue
        kinds.add(kind)
        code = _text(raw.get("unit_code"))
        unit = registry.units.get(code) or registry.reported_village(
            _text(raw.get("commune_code")), _text(raw.get("unit_name")), code
        )
        cell = rec.cells.get("unit_code")
        if unit is None:
            findings.append(
                Finding(
                    severity=ERROR,
                    code="registry.unknown_unit",
                    params={"name": f"{raw.get('unit_name', '')} ({code})", "hint": ""},
                    sheet=rec.sheet,
                    row=rec.row,
                    column="unit_code",
                    cell=cell,
                    value=code,
                )
            )
        again = [k for k in values if (code, period, k) in seen]
        if again:
            findings.append(
                Finding(
                    severity=ERROR,
                    code="report.duplicate_unit",
                    params={
                        "unit": _text(raw.get("unit_name")),
                        "other": seen[(code, period, again[0])],
                    },
                    sheet=rec.sheet,
                    row=rec.row,
                    column="unit_code",
                    cell=cell,
                    value=code,
                )
            )
            twice.add((code, period))
        for k in values:
            seen[(code, period, k)] = cell
        row = rows.setdefault(
            (code, period),
            IncomingRow(
                unit,
                _text(raw.get("commune_code")) or _commune_code(unit),
                _text(raw.get("unit_name")),
                period,
                rec.sheet,
                rec.row,
                {},
                {"unit_code": cell or ""},
                unit is None,
                _when(raw.get("received_at")) or received_at,
                _status_key(raw.get("status")),
                _text(raw.get("source")),
            ),
        )
        row.values.update(values)
    for key in twice:  # a unit listed twice: none of its lines is counted
        rows[key].excluded = True
    if len(kinds) != 1:
        return None
    for f in findings:
        f.params["path"] = str(path)
    return Incoming(
        kinds.pop(),
        str(path),
        file_hash(path),
        None,
        list(rows.values()),
        findings,
        check_days=False,
    )


def _line_values(raw: dict[str, Any]) -> dict[str, float]:
    """The numbers of one "Dữ liệu" line: its indicator and value (long form), or each
    indicator column that holds a number."""
    if "indicator" in raw or "value" in raw:
        value = raw.get("value")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return {}
        return {_text(raw.get("indicator")): float(value)}
    return {
        k: float(v)
        for k, v in raw.items()
        if k in _indicator_keys() and isinstance(v, (int, float)) and not isinstance(v, bool)
    }


@cache
def _indicator_keys() -> frozenset[str]:
    """The keys of the indicator columns of "Dữ liệu": the number columns the template
    takes from the reports (``indicators_from``), not the long form's "value"."""
    return frozenset(c.key for c in load_template("summary_data").columns if c.type == "number") - {
        "value"
    }


def _when(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(_text(value))  # "2021-08-05 16:30" or "…T16:30"
    except ValueError:
        return None


def _period(value: Any, kind: str) -> str:
    """The period a line names, also when Excel made the cell a date ("2021-07" typed
    into a summary becomes 1/7/2021)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat() if kind == "daily" else f"{value:%Y-%m}"
    return _text(value)


def _commune_code(unit: Unit | None) -> str:
    """The commune a line's unit belongs to when the summary left the column blank."""
    if unit is None:
        return ""
    return (unit.parent or "") if unit.level == "village" else unit.code


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _status_key(value: Any) -> str:
    text = _text(value)
    for key, labels in STATUS_LABELS.items():
        if text in (key, *labels):
            return key
    return "on_time"


# ---------------------------------------------------------------------------
# the consolidation


@dataclass
class Reconciliation:
    """Every stored row of the scope and period is counted, excluded or superseded."""

    read: int = 0
    counted: int = 0
    excluded: int = 0
    superseded: int = 0

    @property
    def balanced(self) -> bool:
        return self.read == self.counted + self.excluded + self.superseded

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__, balanced=self.balanced)

    def line(self, lang: str = "vi") -> str:
        if lang == "vi":
            return (
                f"Đối chiếu: {self.read} dòng đã nhận = {self.counted} được tính + "
                f"{self.excluded} bị loại + {self.superseded} bị thay thế."
            )
        return (
            f"Reconciliation: {self.read} rows received = {self.counted} counted + "
            f"{self.excluded} excluded + {self.superseded} superseded."
        )


def consolidate(
    inputs: Sequence[str | Path],
    *,
    level: str,
    store: Store,
    registry: Registry | None = None,
    day: dt.date | None = None,
    month: str | None = None,
    unit: str | None = None,
    targets: Targets | None = None,
    profile: Profile | str = "none",
    received_at: dt.datetime | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    history: int = 0,
) -> Summary:
    """Keep ``inputs`` in ``store``, then summarise a day (daily reports) or a month
    (monthly reports) for one unit of ``level``: :func:`ingest_inputs` (the one write,
    to the store) followed by :func:`summarise_store` (which only reads).

    The scope is ``unit`` (a code or name of ``level``), or the one unit of ``level``
    the inputs' rows belong to. Without ``registry``, the official units are used and
    villages are taken from the reports. Raises :class:`ConsolidationError` when
    nothing can be written (no period, inputs from several units of ``level``, nothing
    to count). ``history``: see :func:`summarise_store`.
    """
    check_level(level)
    if (day is None) == (month is None):
        raise ConsolidationError(
            tr(
                "hãy cho kỳ báo cáo: --date YYYY-MM-DD (báo cáo ngày) hoặc --month YYYY-MM "
                "(báo cáo tháng)",
                "give the period: --date YYYY-MM-DD (daily reports) or "
                "--month YYYY-MM (monthly reports)",
            )
        )
    kind = "daily" if day else "monthly"
    period = day.isoformat() if day else str(month)
    on = day or dt.date.fromisoformat(f"{month}-01")
    if level == "district" and on >= REFORM_DATE:
        raise ConsolidationError(
            tr(
                "từ 1/7/2025 không còn cấp huyện: hãy dùng --level province",
                "there is no district level from 1/7/2025: use --level province",
            )
        )
    if not inputs and unit is None:
        raise ConsolidationError(
            tr(
                "hãy cho các tệp cần tổng hợp, hoặc --unit để tổng hợp từ kho lưu trữ",
                "give the files to consolidate, or --unit to take the store's",
            )
        )
    targets = targets or Targets()
    registry = registry or Registry.official(on)
    scope = find_scope(registry, unit, level, on) if unit else None
    outcome, findings = ingest_inputs(
        inputs,
        store,
        registry,
        kind=kind,
        within=scope,
        targets=targets,
        profile=profile,
        received_at=received_at,
        progress=progress,
    )
    findings += _other_periods(outcome, kind, period)
    if scope is None:
        scope = scope_of(registry, outcome.units.get((kind, period), set()), level, findings)
    return summarise_store(
        store,
        registry,
        kind=kind,
        period=period,
        scope=scope,
        targets=targets,
        findings=findings,
        this_run=set(outcome.submissions),
        unplaced=outcome.unplaced,
        history=history,
    )


def _other_periods(outcome: IngestResult, kind: str, period: str) -> list[Finding]:
    """An input none of whose rows is of the period consolidated (a report dated 2099, or
    last year's file given by mistake): kept in the store, not counted here, and said."""
    found = []
    for path, periods in outcome.periods.items():
        mine = sorted(p for k, p in periods if k == kind)
        if mine and period not in mine:
            found.append(
                Finding(
                    severity=WARNING,
                    code="report.other_period",
                    params={"path": path, "periods": ", ".join(mine), "period": period},
                )
            )
    return found


def ingest_inputs(
    inputs: Sequence[str | Path],
    store: Store,
    registry: Registry,
    *,
    kind: str,
    within: Unit | None = None,
    targets: Targets | None = None,
    profile: Profile | str = "none",
    received_at: dt.datetime | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> tuple[IngestResult, list[Finding]]:
    """Validate the reports and lower summaries among ``inputs`` and keep them in
    ``store`` (one transaction); the outcome, and every finding about the inputs
    (each with its file's ``path``)."""
    targets = targets or Targets()
    received_at = received_at or dt.datetime.now().replace(second=0, microsecond=0)
    findings: list[Finding] = list(registry.findings)
    summaries: list[Incoming] = []
    reports: list[str | Path] = []
    for path in inputs:
        book = summary_book(path)
        sub = summary_incoming(book, registry, received_at) if book else None
        if sub is None:
            reports.append(path)
        else:
            summaries.append(sub)
            findings.extend(sub.findings)
    results = validate_files(progress(reports) if progress else reports, kind, profile)
    outcome = ingest_results(
        results,
        store,
        registry,
        received_at=received_at,
        deadlines=targets.deadlines,
        within=within,
        more=summaries,
    )
    for fr in outcome.report.files:
        for f in fr.findings:
            f.params.setdefault("path", fr.path)
            findings.append(f)
    return outcome, findings


def summarise_store(
    store: Store,
    registry: Registry,
    *,
    kind: str,
    period: str,
    scope: Unit,
    targets: Targets | None = None,
    findings: list[Finding] | None = None,
    this_run: set[int] | None = None,
    unplaced: int = 0,
    history: int = 0,
) -> Summary:
    """The summary of ``scope`` for ``period`` from the rows kept in ``store``, reading
    only: for every unit under the scope, the version of its row that counts (see
    :mod:`sheets_tool.versions`), with a reconciliation of every stored row.

    ``findings`` are those of the inputs just ingested, ``this_run`` their submission
    ids (the findings of earlier submissions are then read from the store) and
    ``unplaced`` the rows of the inputs that belong to no period or unit. With
    ``history``, :attr:`Summary.trend` holds the totals of that many periods up to this
    one (see :func:`trend`)."""
    targets = targets or Targets()
    findings = list(findings) if findings is not None else list(registry.findings)
    this_run = this_run or set()
    keys = numeric_keys(load_template(kind))
    in_scope, unknown, choices = _choose(store, registry, kind, period, scope, keys)
    for v in unknown:
        findings.append(
            Finding(
                severity=ERROR,
                code="registry.unknown_unit",
                params={"name": f"{v.unit_name} ({v.unit_code})", "hint": "", "path": v.submitted},
                sheet=v.sheet,
                row=v.row,
                column="village",
                cell=v.cells.get("village"),
                value=v.unit_name,
            )
        )
    data: list[DataRow] = []
    # rows of the inputs that belong to no period or unit are received and excluded too
    rec = Reconciliation(read=len(in_scope) + unplaced, excluded=unplaced)
    listed: list[RowVersion] = []
    earlier: dict[str, str] = {}
    for choice in choices:
        rec.excluded += len(choice.excluded)
        rec.superseded += len(choice.superseded)
        findings.extend(choice.findings)
        listed.extend(v for v in choice.excluded if v.submission not in this_run)
        if choice.counted is None:
            continue
        rec.counted += 1
        v = choice.counted
        values = {
            k: float(x)
            for k, x in v.values.items()
            if k in keys and isinstance(x, (int, float)) and not isinstance(x, bool)
        }
        data.append(DataRow(registry.units[v.unit_code], values, v.received_at, v.status, v.source))
        if choice.replaced_by_error:
            earlier[v.unit_code] = v.received_at
    findings.extend(store.findings_of(listed))
    told = {f.params.get("commune") for f in findings if f.code in VILLAGES_FROM_REPORTS}
    for commune in sorted({registry.units[c].parent or "" for c in registry.seen}):
        unit_c = registry.units.get(commune)
        if unit_c and unit_c.name not in told and is_under(registry, commune, scope):
            findings.append(villages_not_listed(unit_c, registry))
    if not data:
        raise ConsolidationError(
            tr(
                "không có dòng báo cáo {kind} dùng được cho kỳ {period} của {unit}, trong các "
                "tệp đầu vào cũng như trong kho ({store})",
                "no usable {kind} rows for {period} in {unit}, in the inputs or the store "
                "({store})",
                kind=tr("ngày" if kind == "daily" else "tháng", kind),
                period=period,
                unit=scope.name,
                store=store.path,
            ),
            findings,
        )
    rejected = frozenset(c.unit_code for c in choices if c.counted is None and c.unit_code)
    summary = summarise(kind, scope, period, data, registry, targets, rejected=rejected)
    summary.level, summary.findings = scope.level, findings
    summary.reconciliation = rec
    summary.earlier = earlier
    summary.rejected = set(rejected)
    summary.unregistered = set(registry.seen)
    assert summary.hierarchy is not None  # summarise() sets it
    kids = {c.unit.code for c in summary.children}  # valid on the day
    for v in in_scope:
        code = v.unit_code if v.unit_code in registry.units else v.commune_code
        child = summary.hierarchy.child_of(code)
        if child in kids:
            summary.located[(v.submitted, v.sheet, v.row)] = child
    if history:
        summary.trend = trend(store, registry, kind=kind, period=period, scope=scope, n=history)
    return summary


def _choose(
    store: Store, registry: Registry, kind: str, period: str, scope: Unit, keys: Sequence[str]
) -> tuple[list[RowVersion], list[RowVersion], list[Choice]]:
    """The stored rows of the scope and period, those of an unknown unit (marked
    excluded), and which version of each unit's row counts."""
    in_scope = [v for v in store.versions(kind, period) if _under(registry, v, scope)]
    unknown = [v for v in in_scope if v.unit_code and not _known(registry, v)]
    for v in unknown:
        v.excluded = True
    return in_scope, unknown, choose_all(in_scope, keys)


# what a trend follows: the daily running totals; the monthly counts of people helped;
# and over how many periods (the status page's, and sync's)
TREND_KEYS = {
    "daily": ("shops", "payment_accounts", "sellers"),
    "monthly": ("people_guided", "online_services", "vneid"),
}
TREND_PERIODS = {"daily": 30, "monthly": 12}


def trend(
    store: Store, registry: Registry, *, kind: str, period: str, scope: Unit, n: int
) -> Trend:
    """The scope's totals of :data:`TREND_KEYS` for the ``n`` periods (days or months)
    ending with ``period``, from the rows that count in each, as each period's summary
    totals them. Reads only."""
    if kind == "daily":
        last = dt.date.fromisoformat(period)
        periods = [(last - dt.timedelta(days=k)).isoformat() for k in range(n - 1, -1, -1)]
    else:
        year, month = map(int, period.split("-"))
        index = year * 12 + month - 1
        periods = [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - n + 1, index + 1)]
    keys = list(TREND_KEYS[kind])
    compared = numeric_keys(load_template(kind))  # versions are told apart as a summary does
    totals: list[dict[str, float] | None] = []
    for p in periods:
        choices = _choose(store, registry, kind, p, scope, compared)[2]
        counted = [c.counted for c in choices if c.counted is not None]
        totals.append(
            {k: sum(_number(v.values.get(k)) for v in counted) for k in keys} if counted else None
        )
    return Trend(keys, periods, totals)


def _number(value: Any) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if ok else 0.0


def _under(registry: Registry, v: RowVersion, scope: Unit) -> bool:
    """Whether a stored row belongs to the scope (by its unit, or by its commune)."""
    code = v.unit_code if v.unit_code in registry.units else v.commune_code
    return bool(code) and is_under(registry, code, scope)


def _known(registry: Registry, v: RowVersion) -> bool:
    """Whether a stored row's unit is known; a village of a commune whose villages the
    registry does not list is taken as the report named it."""
    return (
        v.unit_code in registry.units
        or registry.reported_village(v.commune_code, v.unit_name, v.unit_code) is not None
    )


def summarise(
    kind: str,
    scope: Unit,
    period: str,
    rows: list[DataRow],
    registry: Registry,
    targets: Targets | None = None,
    on: dt.date | None = None,
    rejected: frozenset[str] = frozenset(),
) -> Summary:
    """Totals per child unit of ``scope`` from its reporting units' rows (no I/O). A child
    with no row counted but some ``rejected`` (every version excluded) is "excluded", not
    "missing"."""
    targets = targets or Targets()
    if on is None:
        on = dt.date.fromisoformat(period if len(period) == 10 else f"{period}-01")
    template = load_template(kind)
    # the indicators' columns always, whether or not a row gave them (a missing count is 0):
    # every indicator finds its numerator and denominator among the values
    needed = {k for i in targets.indicators for k in (i.numerator, i.denominator)}
    needed = needed if kind == "daily" else set()
    keys = [k for k in numeric_keys(template) if k in needed or any(k in r.values for r in rows)]
    # the commune's own team reports as the commune itself: a row of its own
    kids = children(registry, scope, own_row=any(r.unit.code == scope.code for r in rows), on=on)
    by_code = {r.unit.code: r for r in rows}
    expected: list[tuple[Unit, DataRow | None]] = []
    for unit in registry.descendants(scope.code, "village"):
        if unit.valid_on(on):
            expected.append((unit, by_code.get(unit.code)))
    expected.extend((r.unit, r) for r in rows if r.unit.level != "village")
    # each row and expected unit goes to its child once (not a scan per child)
    child_of = kids.child_of
    rows_of: dict[str | None, list[DataRow]] = defaultdict(list)
    for r in rows:
        rows_of[child_of(r.unit.code)].append(r)
    expected_of: dict[str | None, list[tuple[Unit, DataRow | None]]] = defaultdict(list)
    for u, found in expected:
        expected_of[child_of(u.code)].append((u, found))
    child_rows = []
    for child in kids.units:
        mine = rows_of[child.code]
        values = {k: sum(r.values.get(k, 0.0) for r in mine) for k in keys}
        under = expected_of[child.code]
        got = [r for _u, r in under if r is not None]
        statuses = {r.status for r in got}
        reported = len(got)
        status = (
            ("excluded" if any(u.code in rejected for u, _r in under) else "missing")
            if reported == 0
            else "late"
            if "late" in statuses or reported < len(under)
            else "on_time"
        )
        indicators = (
            {i.key: ratio(values[i.numerator], values[i.denominator]) for i in targets.indicators}
            if kind == "daily"
            else {}
        )
        child_rows.append(
            ChildRow(
                child,
                values,
                indicators,
                status,
                len(under),
                reported,
                max((r.received_at for r in got), default=""),
                sorted({r.source for r in got if r.source}),
                under,
            )
        )
    totals = {k: sum(c.values[k] for c in child_rows) for k in keys}
    total_ind = (
        {i.key: ratio(totals[i.numerator], totals[i.denominator]) for i in targets.indicators}
        if kind == "daily"
        else {}
    )
    return Summary(
        kind,
        scope.level,
        scope,
        period,
        keys,
        template,
        kids.level,
        child_rows,
        rows,
        totals,
        total_ind,
        expected,
        [],
        targets,
        ancestry(registry, [*(r.unit for r in rows), *(u for u, _r in expected)]),
        hierarchy=kids,
    )
