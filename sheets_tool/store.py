"""The submission store: every validated report kept in an embedded SQLite file.

A submission is one file as received (a village's sheet, a commune's, a lower summary):
its rows, each with its unit, period, typed values and the cells they came from, its
findings, its content hash and when it was received. The same content twice is stored
once. Rows are never replaced in place: every version of a unit's row for a period
stays, and :mod:`sheets_tool.versions` decides which one counts. Each ingest is a batch,
one transaction; content given again is marked as given in the new batch.

Cross-day checks use the store: a running total (``shops``, ``payment_accounts``,
``sellers``) below the village's previous day is an error; ``new_shops`` that disagrees
with today − yesterday is a warning. Timeliness: daily reports are due at 17:00 the
same day, monthly ones on the 20th of the next month (both configurable).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import ERROR, WARNING, FileReport, Finding, jsonable
from .i18n import tr
from .templates import load_template
from .units import Unit

DEFAULT_STORE = "sheets-tool.db"
SCHEMA_VERSION = 2
CUMULATIVE = ("shops", "payment_accounts", "sellers")
DAILY = load_template("daily")
REPORT_KINDS = ("daily", "monthly")
# an error on one of these makes the whole file unusable: it then supersedes nothing
FILE_LEVEL = ("file.", "header.")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batches (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL,
    kind TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    period TEXT NOT NULL,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL,
    rows INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    UNIQUE (kind, content_hash)
);
CREATE TABLE IF NOT EXISTS rows (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    commune_code TEXT NOT NULL,
    sheet TEXT,
    row INTEGER,
    excluded INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rows_period ON rows (kind, period, unit_code);
CREATE INDEX IF NOT EXISTS rows_submission ON rows (submission_id);
CREATE TABLE IF NOT EXISTS findings (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    sheet TEXT,
    row INTEGER,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_submission ON findings (submission_id);
"""
# made when a store is opened (after _create or a migration, and in stores made before it)
UNIT_NAME_INDEX = "CREATE INDEX IF NOT EXISTS rows_unit_name ON rows (unit_code, unit_name)"
# the villages of a commune in the rows ("." follows "-" in the codes "18259-dong-thai")
UNIT_NAMES = "SELECT DISTINCT unit_code, unit_name FROM rows WHERE unit_code >= ? AND unit_code < ?"
# an ingest waits this long for another process's ingest to finish
BUSY_TIMEOUT_MS = 10 * 60 * 1000


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
    """One file (or Google Sheet, or lower summary) as it was received: its rows may be
    of several units and periods. ``superseded_by`` (in :meth:`Store.history`) is the
    later submission that replaced its rows, None while one of them is the newest."""

    id: int
    batch: int
    kind: str
    unit_code: str
    unit_name: str
    period: str
    source: str
    content_hash: str
    received_at: str
    status: str
    rows: int
    errors: int
    warnings: int
    superseded_by: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__, current=self.superseded_by is None)


@dataclass
class IncomingRow:
    """A row on its way into the store."""

    unit: Unit | None  # None: matched to no unit (kept, excluded, for the count)
    commune_code: str  # the commune the row belongs to, "" when unknown
    name: str  # the unit's name as typed
    period: str
    sheet: str | None
    row: int | None
    values: dict[str, Any]
    cells: dict[str, str]
    excluded: bool
    received_at: dt.datetime
    status: str
    source: str = ""  # where a lower summary says the row came from


@dataclass
class Incoming:
    """A submission on its way into the store: one file's rows and findings."""

    kind: str
    source: str
    content_hash: str
    reporter: Unit | None
    rows: list[IncomingRow]
    findings: list[Finding]
    report: FileReport | None = None  # gets the store's own findings (across days)
    check_days: bool = True  # compare running totals with the day before
    unplaced: int = 0  # rows that belong to no period or no unit (listed, not stored)


@dataclass
class Delivery:
    """What one ingest did with each submission."""

    submissions: list[int] = field(default_factory=list)  # every id, new or known
    stored: list[int] = field(default_factory=list)  # new submission ids
    unchanged: int = 0  # submissions already stored with the same content
    superseded: int = 0  # accepted rows of units that had an earlier version


@dataclass
class RowVersion:
    """A stored row: one unit's values for one period, as one submission gave them."""

    id: int
    submission: int
    batch: int
    kind: str
    period: str
    unit_code: str
    unit_name: str
    commune_code: str
    sheet: str | None
    row: int | None
    excluded: bool
    received_at: str
    status: str
    values: dict[str, Any]
    cells: dict[str, str]
    source: str  # the report the row came from (through a lower summary: its source)
    submitted: str  # the file it was read from, where its sheet and cells are

    @property
    def cell(self) -> str | None:
        """The cell naming the row's unit: its village cell, else its unit-code cell."""
        return self.cells.get("village") or self.cells.get("unit_code")

    def place(self) -> str:
        """ "van-linh.xlsx, 05-08!B7": where a person finds the row."""
        where = Path(self.submitted).name if "://" not in self.submitted else self.submitted
        if self.sheet and self.cell:
            return f"{where}, {self.sheet}!{self.cell}"
        return f"{where}, {self.sheet}" if self.sheet else where


class Store:
    """An open store. Use as a context manager, or call :meth:`close`.

    Several processes may use one store at once: it is in WAL mode, each ingest is one
    ``BEGIN IMMEDIATE`` transaction and waits for the others (``BUSY_TIMEOUT_MS``).
    """

    def __init__(self, path: str | Path = DEFAULT_STORE, *, create: bool = True) -> None:
        self.path = Path(path)
        existed = self.path.exists()
        try:
            self._open_retrying(path, create)
        except StoreError:
            if not existed:  # a store begun on a full disk is not left half made
                for made in (self.path, *(Path(f"{self.path}{s}") for s in SIDE_FILES)):
                    made.unlink(missing_ok=True)
            raise

    def _open_retrying(self, path: str | Path, create: bool) -> None:
        if not create and not self.path.is_file():
            raise StoreError(
                tr(
                    "{path}: chưa có kho lưu trữ ở đây (lệnh ingest hoặc consolidate sẽ tạo)",
                    "{path}: no store here (ingest or consolidate makes one)",
                    path=path,
                )
            )
        # a new store opened by several processes at once: the switch to WAL can find
        # the file locked without waiting for it, so the opening is tried again
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self._open(path)
                return
            except sqlite3.OperationalError as exc:
                if _disk_failed(exc):
                    raise _cannot_write(path, exc) from None
                if "unable to open" in str(exc):
                    raise StoreError(
                        tr(
                            "{path}: không mở được kho lưu trữ ({e})",
                            "{path}: cannot open the store ({e})",
                            path=path,
                            e=exc,
                        )
                    ) from None
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise _not_a_store(path, exc) from None
                time.sleep(random.uniform(0.01, 0.1))
            except sqlite3.DatabaseError as exc:
                raise _not_a_store(path, exc) from None
            except OSError as exc:
                raise StoreError(
                    tr(
                        "{path}: không tạo được kho lưu trữ ({e})",
                        "{path}: cannot create the store ({e})",
                        path=path,
                        e=exc.strerror,
                    )
                ) from None

    def _open(self, path: str | Path) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            self.con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.con.execute("PRAGMA foreign_keys = ON")
            _schema(self.con, path)  # another program's file: refused before any write
            if self.con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.con.execute("PRAGMA journal_mode = WAL")
            with self.transaction() as con:
                self._prepare(con, path)
        except BaseException:
            self.con.close()
            raise

    def _prepare(self, con: sqlite3.Connection, path: str | Path) -> None:
        found = _schema(con, path)  # again: another process may have made the store meanwhile
        if found == 0:
            _create(con)
            con.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif found == 1:
            _migrate_v1(con)
        elif found != SCHEMA_VERSION:
            raise StoreError(
                tr(
                    "{path}: kho theo lược đồ {found}, phiên bản này đọc lược đồ {mine}",
                    "{path}: store schema {found}, this version reads {mine}",
                    path=path,
                    found=found,
                    mine=SCHEMA_VERSION,
                )
            )
        # added within schema 2, so made here for every store (a reader without it is
        # unharmed)
        con.execute(UNIT_NAME_INDEX)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (``BEGIN IMMEDIATE``): two ingests never
        interleave, so each sees what the other stored."""
        self.con.execute("BEGIN IMMEDIATE")
        try:
            yield self.con
            self.con.execute("COMMIT")
        except BaseException as exc:
            if self.con.in_transaction:
                self.con.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and _disk_failed(exc):
                raise _cannot_write(self.path, exc) from None
            raise

    # reading ---------------------------------------------------------------

    def _submissions(self, where: str, args: Sequence[Any]) -> list[Submission]:
        cur = self.con.execute(
            "SELECT id, batch, kind, unit_code, unit_name, period, source, content_hash,"
            " received_at, status, rows, errors, warnings FROM submissions WHERE "
            + where
            + " ORDER BY period, unit_code, id",
            tuple(args),
        )
        return [Submission(*r) for r in cur.fetchall()]

    def history(self, unit: str) -> list[Submission]:
        """Every submission with rows of a unit (its code or name, or the code or name of
        its commune), superseded ones included, each with the submission that replaced
        it."""
        subs = self._submissions(
            "unit_code = ? OR unit_name = ? OR id IN (SELECT submission_id FROM rows"
            " WHERE unit_code = ? OR unit_name = ? OR commune_code = ?)",
            (unit, unit, unit, unit, unit),
        )
        if not subs:
            return []
        from .versions import choose, numeric_keys  # which row counts: decided there

        ids = [s.id for s in subs]
        marks = ",".join("?" * len(ids))
        mine = self._versions(f"r.submission_id IN ({marks})", ids)
        replaced: dict[int, list[int | None]] = defaultdict(list)  # submission → by whom
        for kind, period, code in sorted({(v.kind, v.period, v.unit_code) for v in mine}):
            versions = self._versions(
                "r.kind = ? AND r.period = ? AND r.unit_code = ?", (kind, period, code)
            )
            choice = choose(versions, numeric_keys(load_template(kind)))
            by = choice.counted.submission if choice.counted else None
            for v in versions:
                replaced[v.submission].append(by if v in choice.superseded else None)
        for sub in subs:
            fates = replaced.get(sub.id, [])
            if fates and all(fates):
                sub.superseded_by = max(f for f in fates if f is not None)
        return subs

    def unit_names(self, commune_code: str) -> dict[str, str]:
        """The codes of the villages of a commune in the store's rows ("18259-..."), with
        the name each was stored under (an index range, whatever the history's length)."""
        cur = self.con.execute(UNIT_NAMES, (f"{commune_code}-", f"{commune_code}."))
        return dict(cur.fetchall())

    def versions(self, kind: str, period: str) -> list[RowVersion]:
        """Every stored row of a period, every version, oldest first."""
        return self._versions("r.kind = ? AND r.period = ?", (kind, period))

    def _versions(self, where: str, args: Sequence[Any]) -> list[RowVersion]:
        cur = self.con.execute(
            "SELECT r.id, r.submission_id, s.batch, r.kind, r.period, r.unit_code, r.unit_name,"
            " r.commune_code, r.sheet, r.row, r.excluded, r.received_at, r.status, r.data,"
            " s.source FROM rows r JOIN submissions s ON s.id = r.submission_id WHERE "
            + where
            + " ORDER BY s.batch, s.id, r.id",
            tuple(args),
        )
        out = []
        for r in cur.fetchall():
            rid, sid, batch, kind, per, code, name, commune, sheet, row = r[:10]
            doc = json.loads(r[13])
            out.append(
                RowVersion(
                    rid, sid, batch, kind, per, code, name, commune, sheet, row,
                    bool(r[10]), r[11], r[12], doc["values"], doc["cells"],
                    doc.get("source") or r[14], r[14],
                )
            )  # fmt: skip
        return out

    def findings_of(self, versions: Iterable[RowVersion]) -> list[Finding]:
        """The stored findings of these rows, and of their files as a whole."""
        wanted = {(v.submission, v.sheet, v.row) for v in versions}
        out: list[Finding] = []
        for sid in sorted({w[0] for w in wanted}):
            source = self.con.execute(
                "SELECT source FROM submissions WHERE id = ?", (sid,)
            ).fetchone()[0]
            for sheet, row, data in self.con.execute(
                "SELECT sheet, row, data FROM findings WHERE submission_id = ?", (sid,)
            ):
                doc = json.loads(data)
                if row is None or (sid, sheet, row) in wanted or doc["code"].startswith(FILE_LEVEL):
                    out.append(_finding(doc, source))
        return out

    # writing ---------------------------------------------------------------

    def deliver(self, incoming: Sequence[Incoming], received_at: dt.datetime) -> Delivery:
        """Keep submissions, in one transaction: content stored before is not stored
        again (it is marked as given again, which makes it the newest); rows are compared
        with the day before (daily reports) inside the same transaction."""
        done = Delivery()
        with self.transaction() as con:
            batch = int(
                con.execute(
                    "INSERT INTO batches (started_at) VALUES (?)",
                    (received_at.isoformat(timespec="minutes"),),
                ).lastrowid
                or 0
            )
            for sub in sorted(incoming, key=_order):
                same = con.execute(
                    "SELECT id FROM submissions WHERE kind = ? AND content_hash = ?",
                    (sub.kind, sub.content_hash),
                ).fetchone()
                if same:
                    con.execute("UPDATE submissions SET batch = ? WHERE id = ?", (batch, same[0]))
                    done.unchanged += 1
                    done.submissions.append(int(same[0]))
                    continue
                if sub.kind == "daily" and sub.check_days:
                    _cross_day(con, sub)
                new_id = _insert(con, batch, sub, received_at)
                done.stored.append(new_id)
                done.submissions.append(new_id)
                for r in sub.rows:
                    if r.unit is None or r.excluded:  # a row with errors replaces nothing
                        continue
                    earlier = con.execute(
                        "SELECT 1 FROM rows WHERE kind = ? AND period = ? AND unit_code = ?"
                        " AND submission_id != ? LIMIT 1",
                        (sub.kind, r.period, r.unit.code, new_id),
                    ).fetchone()
                    done.superseded += earlier is not None
        return done


def _order(sub: Incoming) -> tuple[str, str]:
    """Submissions go in by period, so that each day is compared with the one before."""
    return (min((r.period for r in sub.rows), default=""), sub.source)


def _insert(con: sqlite3.Connection, batch: int, sub: Incoming, received_at: dt.datetime) -> int:
    periods = sorted({r.period for r in sub.rows})
    period = periods[0] if len(periods) == 1 else f"{periods[0]}..{periods[-1]}" if periods else ""
    errors = sum(f.severity == ERROR for f in sub.findings)
    when = max((r.received_at for r in sub.rows), default=received_at)
    late = any(r.status == "late" for r in sub.rows)
    cur = con.execute(
        "INSERT INTO submissions (batch, kind, unit_code, unit_name, period, source,"
        " content_hash, received_at, status, rows, errors, warnings)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            batch,
            sub.kind,
            sub.reporter.code if sub.reporter else "",
            sub.reporter.name if sub.reporter else "",
            period,
            sub.source,
            sub.content_hash,
            when.isoformat(timespec="minutes"),
            "late" if late else "on_time",
            len(sub.rows),
            errors,
            len(sub.findings) - errors,
        ),
    )
    new_id = int(cur.lastrowid or 0)
    con.executemany(
        "INSERT INTO rows (submission_id, kind, period, unit_code, unit_name, commune_code,"
        " sheet, row, excluded, received_at, status, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                new_id,
                sub.kind,
                r.period,
                r.unit.code if r.unit else "",
                r.unit.name if r.unit else r.name,
                r.commune_code,
                r.sheet,
                r.row,
                int(r.excluded),
                r.received_at.isoformat(timespec="minutes"),
                r.status,
                json.dumps(
                    {"values": _plain(r.values), "cells": r.cells}
                    | ({"source": r.source} if r.source else {}),
                    ensure_ascii=False,
                ),
            )
            for r in sub.rows
        ],
    )
    con.executemany(
        "INSERT INTO findings VALUES (?, ?, ?, ?)",
        [
            (
                new_id,
                f.sheet,
                f.row,
                json.dumps(f.to_dict("vi") | {"params": jsonable_params(f)}, ensure_ascii=False),
            )
            for f in sub.findings
        ],
    )
    return new_id


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: jsonable(v)
        for k, v in values.items()
        if isinstance(v, (int, float, str, dt.date)) and not isinstance(v, bool)
    }


def _finding(doc: dict[str, Any], source: str) -> Finding:
    """A finding as the store keeps it, back as a Finding (its file in ``path``)."""
    params = dict(doc.get("params") or {})
    params.setdefault("path", source)
    return Finding(
        severity=doc["severity"],
        code=doc["code"],
        params=params,
        sheet=doc.get("sheet"),
        row=doc.get("row"),
        column=doc.get("column"),
        cell=doc.get("cell"),
        value=doc.get("value"),
    )


def _create(con: sqlite3.Connection) -> None:
    """The tables (statement by statement: executescript would end the transaction)."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            con.execute(statement)


SIDE_FILES = ("-wal", "-shm", "-journal")


def _disk_failed(exc: sqlite3.Error) -> bool:
    """SQLite could not write: the disk is full, or refused the write."""
    return any(m in str(exc) for m in ("disk is full", "disk I/O error"))


def _cannot_write(path: str | Path, exc: sqlite3.Error) -> StoreError:
    return StoreError(
        tr(
            "{path}: không ghi được vào kho lưu trữ: ổ đĩa đầy hoặc không ghi được ({e}); "
            "không có gì bị thay đổi. Hãy giải phóng chỗ trống rồi chạy lại.",
            "{path}: the store could not be written: the disk is full or refused the write "
            "({e}); nothing was changed. Free some space and run again.",
            path=path,
            e=exc,
        )
    )


def _not_a_store(path: str | Path, why: object) -> StoreError:
    return StoreError(
        tr(
            "{path}: không phải kho lưu trữ của sheets-tool ({why})",
            "{path}: not a sheets-tool store ({why})",
            path=path,
            why=why,
        )
    )


def _schema(con: sqlite3.Connection, path: str | Path) -> int:
    """The store's schema version, 0 for an empty file; another program's file is
    refused (:class:`StoreError`)."""
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return 0
    found = None
    if "meta" in tables:
        found = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    if found is None:
        raise _not_a_store(path, tr("không có số hiệu lược đồ", "no schema version"))
    return int(found[0])


def _migrate_v1(con: sqlite3.Connection) -> None:
    """Schema 1 (a submission per commune and period, superseded as a whole) to 2 (rows
    carry their unit and period; a submission is one file). Nothing is dropped: every
    submission becomes a batch of its own, in the order it was received."""
    con.execute("ALTER TABLE submissions RENAME TO submissions_v1")
    con.execute("ALTER TABLE rows RENAME TO rows_v1")
    con.execute("ALTER TABLE findings RENAME TO findings_v1")
    con.execute("DROP INDEX IF EXISTS submissions_current")
    con.execute("DROP INDEX IF EXISTS rows_unit")
    _create(con)
    con.execute("INSERT INTO batches (id, started_at) SELECT id, received_at FROM submissions_v1")
    con.execute(
        "INSERT INTO submissions (id, batch, kind, unit_code, unit_name, period, source,"
        " content_hash, received_at, status, rows, errors, warnings)"
        " SELECT id, id, kind, unit_code, unit_name, period, source,"
        " content_hash || CASE WHEN n > 1 THEN '#' || unit_code || '#' || period ELSE '' END,"
        " received_at, status, rows, errors, warnings FROM (SELECT *, COUNT(*) OVER"
        " (PARTITION BY kind, content_hash) AS n FROM submissions_v1)"
    )
    con.execute(
        "INSERT INTO rows (submission_id, kind, period, unit_code, unit_name, commune_code,"
        " sheet, row, excluded, received_at, status, data)"
        " SELECT r.submission_id, s.kind, r.period, r.unit_code, r.unit_name, s.unit_code,"
        " r.sheet, r.row, r.excluded, s.received_at, s.status, r.data"
        " FROM rows_v1 r JOIN submissions_v1 s ON s.id = r.submission_id"
    )
    con.execute(
        "INSERT INTO findings SELECT submission_id, json_extract(data, '$.sheet'),"
        " json_extract(data, '$.row'), data FROM findings_v1"
    )
    for table in ("findings_v1", "rows_v1", "submissions_v1"):
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))


def jsonable_params(f: Finding) -> dict[str, Any]:
    return {k: (v if isinstance(v, dict) else jsonable(v)) for k, v in f.params.items()}


def file_hash(path: str | Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------
# across days


def _previous(con: sqlite3.Connection, period: str, codes: set[str]) -> dict[str, Any]:
    """Each village's newest accepted values on the day before ``period``."""
    day = (dt.date.fromisoformat(period) - dt.timedelta(days=1)).isoformat()
    marks = ",".join("?" * len(codes))
    out: dict[str, Any] = {}
    for code, data in con.execute(
        "SELECT r.unit_code, r.data FROM rows r JOIN submissions s ON s.id = r.submission_id"
        f" WHERE r.kind = 'daily' AND r.period = ? AND r.unit_code IN ({marks})"
        " AND r.excluded = 0 ORDER BY s.batch, s.id, r.id",
        (day, *sorted(codes)),
    ):
        out[code] = json.loads(data)["values"]  # the newest last
    return out


def _cross_day(con: sqlite3.Connection, sub: Incoming) -> None:
    """A running total below the day before is an error (the row is excluded); new shops
    that disagree with today − yesterday a warning."""
    by_period: dict[str, list[IncomingRow]] = defaultdict(list)
    for r in sub.rows:
        if r.unit is not None:
            by_period[r.period].append(r)
    for period, rows in by_period.items():
        before_all = _previous(con, period, {r.unit.code for r in rows if r.unit})
        for r in rows:
            assert r.unit is not None
            before = before_all.get(r.unit.code)
            if before is None:
                continue
            found = []
            for key in CUMULATIVE:
                now, then = r.values.get(key), before.get(key)
                if isinstance(now, (int, float)) and isinstance(then, (int, float)) and now < then:
                    found.append(
                        Finding(
                            severity=ERROR,
                            code="daily.cumulative_decreased",
                            params={
                                "label": DAILY.column(key).label_vi,
                                "value": now,
                                "previous": then,
                                "unit": r.unit.name,
                            },
                            sheet=r.sheet,
                            row=r.row,
                            column=key,
                            cell=r.cells.get(key),
                            value=now,
                        )
                    )
            new, now, then = r.values.get("new_shops"), r.values.get("shops"), before.get("shops")
            if (
                isinstance(new, int)
                and isinstance(now, int)
                and isinstance(then, int)
                and new != now - then
            ):
                found.append(
                    Finding(
                        severity=WARNING,
                        code="daily.new_shops_mismatch",
                        params={"value": new, "expected": now - then, "unit": r.unit.name},
                        sheet=r.sheet,
                        row=r.row,
                        column="new_shops",
                        cell=r.cells.get("new_shops"),
                        value=new,
                    )
                )
            if any(f.severity == ERROR for f in found):
                r.excluded = True
            sub.findings.extend(found)
            if sub.report is not None:
                sub.report.findings.extend(found)
