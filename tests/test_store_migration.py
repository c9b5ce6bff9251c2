"""A store written by the previous version (schema 1: a submission per commune and
period, superseded as a whole) opened by this one: every submission, row and finding is
still there, exactly, in the new tables; each old submission is a batch of its own; the
store says schema 2 and opens again; new ingests go on from it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from sheets_tool.findings import ERROR, WARNING, Finding
from sheets_tool.store import UNIT_NAMES, Incoming, IncomingRow, Store
from sheets_tool.units import Unit
from sheets_tool.versions import counted

# the tables as sheets_tool 0.x (before "nothing lost, nothing doubled") created them
SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE submissions (
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
CREATE INDEX submissions_current ON submissions (kind, period, superseded_by);
CREATE TABLE rows (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    unit_code TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    period TEXT NOT NULL,
    sheet TEXT,
    row INTEGER,
    excluded INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX rows_unit ON rows (unit_code, period);
CREATE TABLE findings (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    data TEXT NOT NULL
);
INSERT INTO meta VALUES ('schema', '1');
"""

V = "Xã Vạn Linh"
# id, kind, unit_code, unit_name, period, source, hash, received_at, status, superseded_by,
# rows, errors, warnings
SUBMISSIONS_V1 = [
    (1, "daily", "06505", V, "2021-08-05", "in/vl-05.xlsx", "h1", "2021-08-05T16:30",
     "on_time", 3, 2, 1, 1),
    # one file of two days was two submissions with the same content hash
    (2, "daily", "06505", V, "2021-08-06", "in/vl-06-07.xlsx", "h2", "2021-08-07T09:00",
     "late", None, 1, 0, 0),
    (3, "daily", "06505", V, "2021-08-05", "in/vl-05-fixed.xlsx", "h3", "2021-08-05T18:10",
     "late", None, 2, 0, 0),
    (4, "daily", "06505", V, "2021-08-07", "in/vl-06-07.xlsx", "h2", "2021-08-07T09:00",
     "on_time", None, 1, 0, 0),
    # the same hash in another kind is no clash
    (5, "monthly", "06505", V, "2021-08", "in/vl-08.xlsx", "h1", "2021-09-02T08:00",
     "on_time", None, 1, 0, 0),
]  # fmt: skip


def data(households: int, shops: int, at: int) -> str:
    return json.dumps(
        {
            "values": {"households": households, "shops": shops},
            "cells": {"village": f"B{at}", "households": f"C{at}", "shops": f"D{at}"},
        },
        ensure_ascii=False,
    )


# submission_id, unit_code, unit_name, period, sheet, row, excluded, data
ROWS_V1 = [
    (1, "06505-pho-cu", "Phố Cũ", "2021-08-05", "05-08", 6, 0, data(300, 10, 6)),
    (1, "06505-na-ri", "Nà Ri", "2021-08-05", "05-08", 7, 1, data(90, 95, 7)),
    (2, "06505-pho-cu", "Phố Cũ", "2021-08-06", "06-08", 6, 0, data(300, 11, 6)),
    (3, "06505-pho-cu", "Phố Cũ", "2021-08-05", "05-08", 6, 0, data(312, 10, 6)),
    (3, "06505-na-ri", "Nà Ri", "2021-08-05", "05-08", 7, 0, data(95, 9, 7)),
    (4, "06505-pho-cu", "Phố Cũ", "2021-08-07", "07-08", 6, 0, data(300, 12, 6)),
    (5, "06505-pho-cu", "Phố Cũ", "2021-08", "08-2021", 6, 0, data(300, 12, 6)),
]

SHOPS = "Số hộ có cửa hàng số"
TOO_MANY = Finding(
    severity=ERROR,
    code="daily.cumulative_decreased",
    params={"label": SHOPS, "value": 95, "previous": 96, "unit": "Nà Ri"},
    sheet="05-08",
    row=7,
    column="shops",
    cell="D7",
    value=95,
)
FUZZY = Finding(
    severity=WARNING,
    code="header.fuzzy",
    params={"text": "So cua hang", "label": SHOPS},
    sheet="05-08",
    row=4,
    column="shops",
    cell="D4",
)


def stored(f: Finding) -> str:
    """A finding as schema 1 kept it."""
    return json.dumps(f.to_dict("vi") | {"params": f.params}, ensure_ascii=False)


def old_store(path):
    con = sqlite3.connect(path)
    con.executescript(SCHEMA_V1)
    con.executemany(f"INSERT INTO submissions VALUES ({','.join('?' * 13)})", SUBMISSIONS_V1)
    con.executemany("INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ROWS_V1)
    con.executemany(
        "INSERT INTO findings VALUES (?, ?)", [(1, stored(TOO_MANY)), (1, stored(FUZZY))]
    )
    con.commit()
    con.close()
    return path


def raw(path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_submission_keeps_its_fields_and_becomes_a_batch_of_its_own(tmp_path):
    path = old_store(tmp_path / "old.db")
    with Store(path) as store:
        history = sorted(store.history("06505"), key=lambda s: s.id)
    fields = "id kind unit_code unit_name period source received_at status rows errors warnings"
    # every field but the content hash (below) and superseded_by (no longer a column)
    assert [tuple(getattr(s, f) for f in fields.split()) for s in history] == [
        (*s[:6], *s[7:9], *s[10:]) for s in SUBMISSIONS_V1
    ]
    assert [s.batch for s in history] == [1, 2, 3, 4, 5]
    assert raw(path, "SELECT id, started_at FROM batches ORDER BY id") == [
        (1, "2021-08-05T16:30"),
        (2, "2021-08-07T09:00"),
        (3, "2021-08-05T18:10"),
        (4, "2021-08-07T09:00"),
        (5, "2021-09-02T08:00"),
    ]
    # one file, two submissions: each keeps a hash of its own (schema 2 allows one per kind)
    assert [s.content_hash for s in history] == [
        "h1",
        "h2#06505#2021-08-06",
        "h3",
        "h2#06505#2021-08-07",
        "h1",
    ]
    # the correction still replaces the first file; nothing else was replaced
    assert [s.superseded_by for s in history] == [3, None, None, None, None]


def test_every_row_keeps_its_unit_period_place_and_values(tmp_path):
    path = old_store(tmp_path / "old.db")
    periods = [("daily", "2021-08-05"), ("daily", "2021-08-06"), ("daily", "2021-08-07")]
    with Store(path) as store:
        got = [v for kind, period in [*periods, ("monthly", "2021-08")] for v in
               store.versions(kind, period)]  # fmt: skip
        rows = counted(store, "daily", "2021-08-05")
    by_id = {s[0]: s for s in SUBMISSIONS_V1}
    assert [
        (v.submission, v.unit_code, v.unit_name, v.period, v.sheet, v.row, v.excluded,
         {"values": v.values, "cells": v.cells})
        for v in sorted(got, key=lambda v: v.id)
    ] == [(*r[:6], bool(r[6]), json.loads(r[7])) for r in ROWS_V1]  # fmt: skip
    # what the old rows took from their submission, each row now carries
    for v in got:
        sid, kind, commune, _, _, source, _, received_at, status, *_ = by_id[v.submission]
        assert (v.batch, v.kind, v.commune_code, v.received_at, v.status) == (
            sid, kind, commune, received_at, status
        )  # fmt: skip
        assert v.source == v.submitted == source
    assert rows["06505-pho-cu"].values["households"] == 312
    assert rows["06505-na-ri"].place() == "vl-05-fixed.xlsx, 05-08!B7"


def test_every_finding_keeps_its_row_and_reads_back_whole(tmp_path):
    path = old_store(tmp_path / "old.db")
    with Store(path) as store:
        first = [v for v in store.versions("daily", "2021-08-05") if v.submission == 1]
        pho_cu = [v for v in first if v.unit_code == "06505-pho-cu"]
        of_all = store.findings_of(first)
        of_pho_cu = store.findings_of(pho_cu)
    here = {"path": "in/vl-05.xlsx"}
    too_many = Finding(**{**TOO_MANY.__dict__, "params": TOO_MANY.params | here})
    fuzzy = Finding(**{**FUZZY.__dict__, "params": FUZZY.params | here})
    assert of_all == [too_many, fuzzy]
    assert of_pho_cu == [fuzzy]  # Nà Ri's error is not Phố Cũ's; the header's is the file's
    assert of_all[0].message("vi") == (
        "Nà Ri: 'Số hộ có cửa hàng số' giảm từ 96 (hôm trước) xuống 95; số cộng dồn không "
        "được giảm."
    )
    assert raw(path, "SELECT submission_id, sheet, row FROM findings") == [
        (1, "05-08", 7),
        (1, "05-08", 4),
    ]


def test_the_migrated_store_is_schema_2_opens_again_and_takes_new_ingests(tmp_path):
    path = old_store(tmp_path / "old.db")
    Store(path).close()
    assert raw(path, "SELECT value FROM meta WHERE key = 'schema'") == [("2",)]
    assert sorted(r[0] for r in raw(path, "SELECT name FROM sqlite_master WHERE type='table'")) == [
        "batches",
        "findings",
        "meta",
        "rows",
        "submissions",
    ]
    indexes = raw(path, "SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")
    assert sorted(r[0] for r in indexes) == [
        "findings_submission",
        "rows_period",
        "rows_submission",
        "rows_unit_name",
    ]
    pho_cu = Unit("06505-pho-cu", "Phố Cũ", "village", "06505")
    when = dt.datetime(2021, 8, 8, 16, 0)
    new = Incoming(
        kind="daily",
        source="in/vl-08.xlsx",
        content_hash="h8",
        reporter=Unit("06505", V, "commune", "200"),
        rows=[
            IncomingRow(
                unit=pho_cu,
                commune_code="06505",
                name="Phố Cũ",
                period="2021-08-08",
                sheet="08-08",
                row=6,
                values={"households": 300, "shops": 13},
                cells={"village": "B6"},
                excluded=False,
                received_at=when,
                status="on_time",
            )
        ],
        findings=[],
    )
    with Store(path) as store:  # opened a second time: nothing to migrate
        delivery = store.deliver([new], when)
        assert delivery.stored == [6]
        assert [s.id for s in store.history("06505")] == [5, 1, 3, 2, 4, 6]
    assert raw(path, "SELECT id, started_at FROM batches WHERE id > 5") == [(6, "2021-08-08T16:00")]


def test_a_store_made_before_the_unit_index_gets_it_when_opened(tmp_path):
    """The index the look-up of a commune's stored villages uses (it keeps the cost of
    that look-up flat in the length of the history) is added to an older schema-2 store."""
    path = tmp_path / "s.db"
    with Store(path) as store:
        store.con.execute("DROP INDEX rows_unit_name")
    with Store(path) as store:
        names = {r[0] for r in store.con.execute("SELECT name FROM sqlite_master")}
        assert "rows_unit_name" in names
        plan = " ".join(
            str(r) for r in store.con.execute("EXPLAIN QUERY PLAN " + UNIT_NAMES, ("1-", "1."))
        )
        assert "rows_unit_name" in plan
