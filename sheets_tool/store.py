"""The submission store: every validated report kept in an embedded SQLite file.

A submission is what one reporting unit (a commune) sent for one period: its rows (one
per village, typed values and the cells they came from), its findings, where it came
from, its content hash and when it was received. The same content twice is stored once;
a corrected resubmission supersedes the earlier one, and both stay in the history.

Cross-day checks use the store: a running total (``shops``, ``payment_accounts``,
``sellers``) below the village's previous day is an error; ``new_shops`` that disagrees
with today − yesterday is a warning. Timeliness: daily reports are due at 17:00 the
same day, monthly ones on the 20th of the next month (both configurable).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import ERROR, WARNING, FileReport, Finding, Report, jsonable
from .registry import Registry, unit_finding
from .templates import Profile, load_template
from .text import fold_key
from .units import Unit
from .validate import Entry, FileResult, is_commune, validate_files

DEFAULT_STORE = "sheets-tool.db"
SCHEMA_VERSION = 1
CUMULATIVE = ("shops", "payment_accounts", "sellers")
DAILY = load_template("daily")
REPORT_KINDS = ("daily", "monthly")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    period TEXT NOT NULL,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL,
    superseded_by INTEGER REFERENCES submissions(id),
    rows INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    UNIQUE (kind, unit_code, period, content_hash)
);
CREATE INDEX IF NOT EXISTS submissions_current ON submissions (kind, period, superseded_by);
CREATE TABLE IF NOT EXISTS rows (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    unit_code TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    period TEXT NOT NULL,
    sheet TEXT,
    row INTEGER,
    excluded INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rows_unit ON rows (unit_code, period);
CREATE TABLE IF NOT EXISTS findings (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    data TEXT NOT NULL
);
"""


class StoreError(RuntimeError):
    """The store file cannot be used; the message says why."""


@dataclass(frozen=True)
class Deadlines:
    """When reports are due: daily at ``daily`` on the day, monthly on ``monthly_day``
    of the next month (to the end of that day)."""

    daily: dt.time = dt.time(17, 0)
    monthly_day: int = 20

    def due(self, kind: str, period: str) -> dt.datetime | None:
        if kind == "daily":
            return dt.datetime.combine(dt.date.fromisoformat(period), self.daily)
        if kind == "monthly":
            year, month = map(int, period.split("-"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            return dt.datetime(year, month, self.monthly_day, 23, 59, 59)
        return None

    def status(self, kind: str, period: str, received: dt.datetime) -> str:
        due = self.due(kind, period)
        return "on_time" if due is None or received <= due else "late"


def period_of(kind: str, values: dict[str, Any]) -> str | None:
    """ "2021-08-05" for a daily row, "2023-03" for a monthly one."""
    if kind == "daily" and isinstance(values.get("date"), dt.date):
        return str(values["date"].isoformat())
    if kind == "monthly" and isinstance(values.get("month"), dt.date):
        return f"{values['month']:%Y-%m}"
    return None


@dataclass
class Submission:
    id: int
    kind: str
    unit_code: str
    unit_name: str
    period: str
    source: str
    content_hash: str
    received_at: str
    status: str
    superseded_by: int | None
    rows: int
    errors: int
    warnings: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__, current=self.superseded_by is None)


@dataclass
class IngestResult:
    """What one ingest did: per file its report (with the store's own findings added)."""

    report: Report
    stored: list[int] = field(default_factory=list)  # new submission ids
    unchanged: int = 0  # submissions already stored with the same content
    superseded: int = 0


class Store:
    """An open store. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path = DEFAULT_STORE) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.con = sqlite3.connect(self.path, timeout=30)
            self.con.execute("PRAGMA foreign_keys = ON")
            self.con.executescript(SCHEMA)
            found = self.con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if found is None:
                with self.con:
                    self.con.execute(
                        "INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
                    )
            elif int(found[0]) != SCHEMA_VERSION:
                raise StoreError(
                    f"{path}: store schema {found[0]}, this version reads {SCHEMA_VERSION}"
                )
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a sheets-tool store ({exc})") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the store ({exc.strerror})") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.con:
            yield self.con

    # reading ---------------------------------------------------------------

    def _submissions(self, where: str, args: Sequence[Any]) -> list[Submission]:
        cur = self.con.execute(
            "SELECT id, kind, unit_code, unit_name, period, source, content_hash, received_at,"
            " status, superseded_by, rows, errors, warnings FROM submissions WHERE "
            + where
            + " ORDER BY period, unit_code, id",
            tuple(args),
        )
        return [Submission(*r) for r in cur.fetchall()]

    def history(self, unit: str) -> list[Submission]:
        """Every submission of a unit (code or name), superseded ones included."""
        return self._submissions("unit_code = ? OR unit_name = ?", (unit, unit))

    def current(self, kind: str, period: str) -> list[Submission]:
        return self._submissions(
            "kind = ? AND period = ? AND superseded_by IS NULL", (kind, period)
        )

    def current_rows(self, kind: str, period: str) -> list[dict[str, Any]]:
        """The rows of the current submissions for a period, excluded ones marked."""
        cur = self.con.execute(
            "SELECT r.unit_code, r.unit_name, r.period, r.sheet, r.row, r.excluded, r.data,"
            " s.id, s.source, s.received_at, s.status, s.unit_code FROM rows r"
            " JOIN submissions s ON s.id = r.submission_id"
            " WHERE s.kind = ? AND s.period = ? AND s.superseded_by IS NULL"
            " ORDER BY r.unit_code",
            (kind, period),
        )
        out = []
        for (
            code,
            name,
            per,
            sheet,
            row,
            excluded,
            data,
            sid,
            source,
            received,
            status,
            reporter,
        ) in cur.fetchall():
            doc = json.loads(data)
            out.append(
                {
                    "unit_code": code,
                    "unit_name": name,
                    "period": per,
                    "sheet": sheet,
                    "row": row,
                    "excluded": bool(excluded),
                    "values": doc["values"],
                    "cells": doc["cells"],
                    "submission": sid,
                    "source": source,
                    "received_at": received,
                    "status": status,
                    "reporter": reporter,
                }
            )
        return out

    def findings(self, submission_id: int) -> list[dict[str, Any]]:
        cur = self.con.execute(
            "SELECT data FROM findings WHERE submission_id = ?", (submission_id,)
        )
        return [json.loads(r[0]) for r in cur.fetchall()]

    def previous_values(self, unit_code: str, period: str) -> dict[str, Any] | None:
        """The village's values on the day before ``period`` (daily), if stored."""
        day = dt.date.fromisoformat(period) - dt.timedelta(days=1)
        cur = self.con.execute(
            "SELECT r.data FROM rows r JOIN submissions s ON s.id = r.submission_id"
            " WHERE s.kind = 'daily' AND r.unit_code = ? AND r.period = ?"
            " AND s.superseded_by IS NULL AND r.excluded = 0",
            (unit_code, day.isoformat()),
        )
        found = cur.fetchone()
        return dict(json.loads(found[0])["values"]) if found else None

    # writing ---------------------------------------------------------------

    def add(
        self,
        *,
        kind: str,
        unit: Unit,
        period: str,
        source: str,
        content_hash: str,
        received_at: dt.datetime,
        status: str,
        rows: list[dict[str, Any]],
        findings: list[Finding],
    ) -> tuple[int | None, int | None]:
        """Store a submission; (new id, superseded id). (None, None) when the same
        content is stored already."""
        with self.transaction() as con:
            same = con.execute(
                "SELECT id FROM submissions WHERE kind = ? AND unit_code = ? AND period = ?"
                " AND content_hash = ?",
                (kind, unit.code, period, content_hash),
            ).fetchone()
            if same:
                return None, None
            previous = con.execute(
                "SELECT id FROM submissions WHERE kind = ? AND unit_code = ? AND period = ?"
                " AND superseded_by IS NULL",
                (kind, unit.code, period),
            ).fetchone()
            errors = sum(f.severity == ERROR for f in findings)
            cur = con.execute(
                "INSERT INTO submissions (kind, unit_code, unit_name, period, source,"
                " content_hash, received_at, status, superseded_by, rows, errors, warnings)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
                (
                    kind,
                    unit.code,
                    unit.name,
                    period,
                    source,
                    content_hash,
                    received_at.isoformat(timespec="minutes"),
                    status,
                    len(rows),
                    errors,
                    len(findings) - errors,
                ),
            )
            new_id = int(cur.lastrowid or 0)
            if previous:
                con.execute(
                    "UPDATE submissions SET superseded_by = ? WHERE id = ?", (new_id, previous[0])
                )
            con.executemany(
                "INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        new_id,
                        r["unit_code"],
                        r["unit_name"],
                        period,
                        r["sheet"],
                        r["row"],
                        int(r["excluded"]),
                        json.dumps(
                            {"values": r["values"], "cells": r["cells"]}, ensure_ascii=False
                        ),
                    )
                    for r in rows
                ],
            )
            con.executemany(
                "INSERT INTO findings VALUES (?, ?)",
                [
                    (
                        new_id,
                        json.dumps(
                            f.to_dict("vi") | {"params": jsonable_params(f)}, ensure_ascii=False
                        ),
                    )
                    for f in findings
                ],
            )
            return new_id, (previous[0] if previous else None)


def jsonable_params(f: Finding) -> dict[str, Any]:
    return {k: (v if isinstance(v, dict) else jsonable(v)) for k, v in f.params.items()}


def file_hash(path: str | Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------
# resolving rows to units


def resolve_units(result: FileResult, registry: Registry) -> dict[int, Unit]:
    """entry index → its village (or commune, for a commune team's row); a finding on the
    row for a name the registry does not know, or knows twice."""
    out: dict[int, Unit] = {}
    for i, e in enumerate(result.entries):
        on = _entry_day(e)
        commune: Unit | None = None
        commune_name = e.values.get("commune")
        if commune_name:
            match = registry.find(commune_name, "commune", on=on)
            if match.unit is None:
                result.report.findings.append(
                    unit_finding(
                        commune_name, match, e.sheet, e.row, "commune", e.cells.get("commune")
                    )
                )
                continue
            commune = match.unit
        label = e.values.get("village") or ""
        if commune is not None and (is_commune(label) or _names_commune(label)):
            out[i] = commune
            continue
        match = registry.find(label, "village", within=commune.code if commune else None, on=on)
        if match.unit is None:
            result.report.findings.append(
                unit_finding(label, match, e.sheet, e.row, "village", e.cells.get("village"))
            )
            continue
        out[i] = match.unit
    return out


def _names_commune(label: str) -> bool:
    """ "Tổ CNS phường", "Tổ công nghệ số xã": the commune's own team."""
    folded = fold_key(label)
    return folded.endswith((" xa", " phuong", " thi tran")) or folded in {"xa", "phuong"}


def _entry_day(e: Entry) -> dt.date | None:
    day = e.values.get("date") or e.values.get("month")
    return day if isinstance(day, dt.date) else None


# ---------------------------------------------------------------------------
# ingest


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    registry: Registry,
    *,
    template: str | None = None,
    profile: Profile | str = "none",
    received_at: dt.datetime | None = None,
    deadlines: Deadlines = Deadlines(),
) -> IngestResult:
    """Validate reports, match their rows to the registry and keep them in the store.

    Rows with an error (their own, the registry's, or the cross-day checks') are kept but
    marked excluded. Files are taken in period order, so that each day is compared with
    the day before it whatever order they were given in.
    """
    results = validate_files(paths, template, profile)
    return ingest_results(results, store, registry, received_at=received_at, deadlines=deadlines)


def ingest_results(
    results: Sequence[FileResult],
    store: Store,
    registry: Registry,
    *,
    received_at: dt.datetime | None = None,
    deadlines: Deadlines = Deadlines(),
) -> IngestResult:
    """Keep already validated files (see :func:`ingest_paths`) in the store."""
    received_at = received_at or dt.datetime.now().replace(second=0, microsecond=0)
    outcome = IngestResult(Report([r.report for r in results]))
    groups = []
    for res in results:
        kind = res.report.template
        if not res.report.readable or kind not in REPORT_KINDS:
            continue
        units = resolve_units(res, registry)
        content_hash = res.workbook.content_hash or file_hash(res.report.path)
        by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, e in enumerate(res.entries):
            period = period_of(kind, e.values)
            unit = units.get(i)
            if unit is None or period is None:
                continue
            reporter = unit if unit.level == "commune" else registry.units.get(unit.parent or "")
            by_key[(reporter.code if reporter else unit.code, period)].append(i)
        for (reporter_code, period), indexes in by_key.items():
            groups.append((period, reporter_code, res, kind, units, indexes, content_hash))
    for period, reporter_code, res, kind, units, indexes, content_hash in sorted(
        groups, key=lambda g: (g[0], g[1])
    ):
        _ingest_group(
            store,
            res,
            kind,
            period,
            registry.units[reporter_code],
            units,
            indexes,
            content_hash,
            received_at,
            deadlines,
            outcome,
        )
    for res in results:
        res.report.findings.sort(key=Finding.sort_key)
    return outcome


def _ingest_group(
    store: Store,
    res: FileResult,
    kind: str,
    period: str,
    reporter: Unit,
    units: dict[int, Unit],
    indexes: list[int],
    content_hash: str,
    received_at: dt.datetime,
    deadlines: Deadlines,
    outcome: IngestResult,
) -> None:
    report: FileReport = res.report
    entries = [res.entries[i] for i in indexes]
    if kind == "daily":
        _cross_day(store, [(units[i], res.entries[i]) for i in indexes], period, report)
    error_rows = {(f.sheet, f.row) for f in report.findings if f.severity == ERROR}
    sent = [_sent_at(e, period) for e in entries]
    when = max((s for s in sent if s is not None), default=received_at)
    rows = []
    for i, e in zip(indexes, entries, strict=True):
        unit = units[i]
        values = {
            k: jsonable(v)
            for k, v in e.values.items()
            if isinstance(v, (int, float, str, dt.date)) and not isinstance(v, bool)
        }
        rows.append(
            {
                "unit_code": unit.code,
                "unit_name": unit.name,
                "sheet": e.sheet,
                "row": e.row,
                "excluded": (e.sheet, e.row) in error_rows,
                "values": values,
                "cells": e.cells,
            }
        )
    rows_here = {(e.sheet, e.row) for e in entries}
    findings = [f for f in report.findings if (f.sheet, f.row) in rows_here or f.row is None]
    new_id, old_id = store.add(
        kind=kind,
        unit=reporter,
        period=period,
        source=report.path,
        content_hash=content_hash,
        received_at=when,
        status=deadlines.status(kind, period, when),
        rows=rows,
        findings=findings,
    )
    if new_id is None:
        outcome.unchanged += 1
        return
    outcome.stored.append(new_id)
    outcome.superseded += old_id is not None


def _sent_at(e: Entry, period: str) -> dt.datetime | None:
    sent = e.values.get("sent_at")
    if isinstance(sent, dt.datetime):
        return sent
    if isinstance(sent, dt.time):
        day = dt.date.fromisoformat(period) if len(period) == 10 else None
        return dt.datetime.combine(day, sent) if day else None
    return None


def _cross_day(
    store: Store, rows: list[tuple[Unit, Entry]], period: str, report: FileReport
) -> None:
    for unit, e in rows:
        before = store.previous_values(unit.code, period)
        if before is None:
            continue
        for key in CUMULATIVE:
            now, then = e.values.get(key), before.get(key)
            if isinstance(now, (int, float)) and isinstance(then, (int, float)) and now < then:
                report.findings.append(
                    Finding(
                        ERROR,
                        "daily.cumulative_decreased",
                        {
                            "label": DAILY.column(key).label_vi,
                            "value": now,
                            "previous": then,
                            "unit": unit.name,
                        },
                        e.sheet,
                        e.row,
                        key,
                        e.cells.get(key),
                        now,
                    )
                )
        new, now, then = e.values.get("new_shops"), e.values.get("shops"), before.get("shops")
        if (
            isinstance(new, int)
            and isinstance(now, int)
            and isinstance(then, int)
            and new != now - then
        ):
            report.findings.append(
                Finding(
                    WARNING,
                    "daily.new_shops_mismatch",
                    {"value": new, "expected": now - then, "unit": unit.name},
                    e.sheet,
                    e.row,
                    "new_shops",
                    e.cells.get("new_shops"),
                    new,
                )
            )
