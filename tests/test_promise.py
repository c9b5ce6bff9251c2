"""Nothing lost, nothing doubled: the district's totals equal the villages' own numbers,
whatever shape the reports arrive in. Each test is a case that lost or doubled numbers
before rows carried their own unit (see CHANGELOG)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheets_tool.cli import cli
from sheets_tool.consolidate import ConsolidationError, consolidate
from sheets_tool.registry import load_registry
from sheets_tool.report_book import write_summary
from sheets_tool.store import Store
from sheets_tool.versions import counted

from .conftest import CHI_LANG
from .reports import COMMUNE_OF, KEYS, VILLAGES, daily_file, values

DAY = dt.date(2021, 8, 5)
AT = dt.datetime(2021, 8, 5, 16, 0)
REGISTRY = CHI_LANG / "registry.xlsx"
NUMBERS = {v: values(150 + 17 * i, i) for i, v in enumerate(COMMUNE_OF)}


def expected(villages, key="households"):
    return float(sum(NUMBERS[v][key] for v in villages))


@pytest.fixture
def registry():
    return load_registry(REGISTRY)


def run(store, inputs, registry, level="district", **kw):
    kw.setdefault("received_at", AT)
    return consolidate(inputs, level=level, registry=registry, store=store, day=DAY, **kw)


def commune_file(folder: Path, commune: str, name: str | None = None, **changes) -> Path:
    rows = [(v, {**NUMBERS[v], **changes.get(v, {})}) for v in VILLAGES[commune]]
    return daily_file(folder / (name or f"{commune}.xlsx"), commune, rows)


def village_files(folder: Path, commune: str) -> list[Path]:
    return [
        daily_file(folder / f"{commune}-{n}.xlsx", commune, [(v, NUMBERS[v])])
        for n, v in enumerate(VILLAGES[commune])
    ]


def balanced(summary) -> None:
    rec = summary.reconciliation
    assert rec.balanced, rec
    assert rec.counted == len(summary.data)
    for key in summary.keys:
        assert summary.totals[key] == sum(r.values.get(key, 0) for r in summary.data)


def test_one_file_per_village(tmp_path, registry):
    """Four (six) village files of one commune: every village counted, none missing."""
    with Store(tmp_path / "s.db") as store:
        summary = run(store, village_files(tmp_path, "Vạn Linh"), registry, level="commune")
    assert summary.totals["households"] == expected(VILLAGES["Vạn Linh"])
    assert [c.status for c in summary.children] == ["on_time"] * 6
    balanced(summary)


@pytest.mark.parametrize("order", ["villages first", "commune first", "mixed"])
def test_village_files_and_commune_files_in_any_order(tmp_path, registry, order):
    villages = village_files(tmp_path / "v", "Vạn Linh") + village_files(tmp_path / "v", "Y Tịch")
    communes = [commune_file(tmp_path, c) for c in VILLAGES]
    with Store(tmp_path / "s.db") as store:
        if order == "villages first":
            run(store, villages, registry)
            summary = run(store, communes, registry)
        elif order == "commune first":
            run(store, communes, registry)
            summary = run(store, villages, registry, unit="Huyện Chi Lăng")
        else:
            summary = run(store, [*communes[::-1], *villages], registry)
    assert summary.totals["households"] == expected(COMMUNE_OF)
    assert {c.status for c in summary.children if c.reported} == {"on_time"}
    balanced(summary)


def test_a_bad_resubmission_never_replaces_the_good_report(tmp_path, registry):
    good = [commune_file(tmp_path, c) for c in VILLAGES]
    bad = commune_file(
        tmp_path / "resent",
        "Vạn Linh",
        **{
            "Phố Cũ": {"households": -5},
            "Thôn Lùng Cằm": {"shops": 9999},
            "Đồng Lùm": {"orders": "nhiều"},
        },
    )
    with Store(tmp_path / "s.db") as store:
        before = run(store, good, registry)
        after = run(store, [bad], registry, received_at=AT + dt.timedelta(hours=1))
    assert after.totals == before.totals
    used = [f.cell for f in after.findings if f.code == "consolidate.using_earlier"]
    assert used == ["B6", "B7", "B8"]
    assert set(after.earlier) == {"06505-pho-cu", "06505-lung-cam", "06505-dong-lum"}
    codes = {(f.code, f.cell) for f in after.findings}
    assert codes >= {
        ("field.negative", "C6"),
        ("row.shops_exceed_households", "D7"),
        ("field.not_number", "H8"),
    }
    rec = after.reconciliation
    assert (rec.read, rec.excluded) == (15 + 6, len(after.earlier))
    assert rec.superseded == 6 - len(after.earlier)
    balanced(after)
    out = write_summary(after, tmp_path / "huyen.xlsx")
    wb = openpyxl.load_workbook(out)
    notes = [r[7].value for r in wb["Theo thôn"].iter_rows(min_row=8) if r[7].value]
    assert len(notes) == len(after.earlier)
    assert all(n.startswith("Đang dùng bản nhận lúc 2021-08-05 16:00") for n in notes)
    notes = [r[7].value for r in wb["Tình hình báo cáo"].iter_rows(min_row=8) if r[7].value]
    assert notes == [
        "Dùng bản nhận trước (bản mới có lỗi): Thôn Đồng Lùm, Thôn Lùng Cằm, Thôn Phố Cũ"
    ]


def test_a_file_missing_a_required_column_supersedes_nothing(tmp_path, registry):
    good = [commune_file(tmp_path, c) for c in VILLAGES]
    rows = [(v, NUMBERS[v]) for v in VILLAGES["Vạn Linh"]]
    header = [h for h in daily_file.__defaults__[1] if h != "Tổng số hộ"]
    broken = daily_file(tmp_path / "resent.xlsx", "Vạn Linh", rows, header=header)
    with Store(tmp_path / "s.db") as store:
        before = run(store, good, registry)
        after = run(store, [broken], registry)
    assert after.totals == before.totals
    assert "header.missing_column" in {f.code for f in after.findings}
    assert after.reconciliation.excluded == 6
    balanced(after)


@pytest.mark.parametrize("twin", ["Phố Cũ", "Phố\u200b Cũ", "Phố Cũ\x07"])
def test_the_same_village_twice_in_one_sheet_is_an_error_on_both(tmp_path, registry, twin):
    rows = [(v, NUMBERS[v]) for v in VILLAGES["Vạn Linh"]]
    rows.append((twin, values(10)))
    path = daily_file(tmp_path / "van-linh.xlsx", "Vạn Linh", rows, writer="xlsxwriter")
    with Store(tmp_path / "s.db") as store:
        summary = run(store, [path], registry, level="commune")
    dupes = [(f.code, f.cell) for f in summary.findings if f.code == "report.duplicate_unit"]
    assert dupes == [("report.duplicate_unit", "B6"), ("report.duplicate_unit", "B12")]
    assert summary.totals["households"] == expected(VILLAGES["Vạn Linh"][1:])
    assert (summary.reconciliation.read, summary.reconciliation.excluded) == (7, 2)
    assert summary.rejected == {"06505-pho-cu"}
    by_code = {c.unit.code: c.status for c in summary.children}
    assert by_code["06505-pho-cu"] == "excluded"  # as on "Tình hình báo cáo"
    balanced(summary)


def test_the_same_village_with_different_numbers_in_two_files_of_one_run(tmp_path, registry):
    one = commune_file(tmp_path, "Y Tịch")
    other = daily_file(tmp_path / "ban-don.xlsx", "Y Tịch", [("Bản Đon", values(999))])
    with Store(tmp_path / "s.db") as store:
        summary = run(store, [one, other], registry, level="commune")
        conflicts = [f for f in summary.findings if f.code == "consolidate.conflicting_rows"]
        assert len(conflicts) == 2
        assert {Path(f.params["path"]).name for f in conflicts} == {"Y Tịch.xlsx", "ban-don.xlsx"}
        assert "ban-don.xlsx" in conflicts[0].params["others"] + conflicts[1].params["others"]
        assert summary.totals["households"] == expected(VILLAGES["Y Tịch"][1:])
        balanced(summary)
        # the next run, with the right file only, settles it
        again = run(store, [one], registry, level="commune")
    assert again.totals["households"] == expected(VILLAGES["Y Tịch"])
    balanced(again)


@pytest.mark.parametrize(
    ("changed", "given"), [("Xã Y Tịch", "Xã Vạn Linh"), ("Xã Vạn Linh", "Xã Y Tịch")]
)
def test_a_duplicate_code_in_the_registry_is_an_error_and_drops_nothing(tmp_path, changed, given):
    """A commune's row typed with another's code: the official list says which row owns
    the code; the other is used with its own official code, and an error says so."""
    wb = openpyxl.load_workbook(REGISTRY)
    ws = wb["Đơn vị"]
    rows = {ws.cell(r, 2).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows[changed], 1).value = ws.cell(rows[given], 1).value
    wb.save(tmp_path / "registry.xlsx")
    registry = load_registry(tmp_path / "registry.xlsx")
    (dupe,) = [f for f in registry.findings if f.code == "registry.duplicate_code"]
    assert (dupe.params["name"], dupe.params["other"]) == (changed, given)
    assert "official code" in dupe.message("en")
    assert {registry.units[c].name for c in ("06505", "06520")} == {"Xã Vạn Linh", "Xã Y Tịch"}
    files = [commune_file(tmp_path, c) for c in VILLAGES]
    with Store(tmp_path / "s.db") as store:
        summary = run(store, files, registry)
    assert summary.totals["households"] == expected(COMMUNE_OF)
    assert [f.code for f in summary.findings] == ["registry.duplicate_code"]
    balanced(summary)


def test_a_duplicate_village_in_the_registry_names_both_rows(tmp_path):
    wb = openpyxl.load_workbook(REGISTRY)
    ws = wb["Thôn"]
    ws.append(["", "Xã Vạn Linh", "Phố  Cũ", 10])
    wb.save(tmp_path / "registry.xlsx")
    registry = load_registry(tmp_path / "registry.xlsx")
    (dupe,) = [f for f in registry.findings if f.code == "registry.duplicate_village"]
    assert dupe.severity == "error" and dupe.params["other"] == "Thôn!C2"


def test_one_store_serves_commune_after_commune_and_the_district(tmp_path, registry):
    with Store(tmp_path / "s.db") as store:
        for commune in VILLAGES:
            summary = run(store, [commune_file(tmp_path, commune)], registry, level="commune")
            assert summary.scope.name == f"Xã {commune}"
            assert summary.totals["households"] == expected(VILLAGES[commune])
        district = run(store, [], registry, unit="Huyện Chi Lăng")
    assert district.totals["households"] == expected(COMMUNE_OF)
    balanced(district)


def test_from_the_store_alone_without_a_unit_says_what_to_give(tmp_path, registry):
    with Store(tmp_path / "s.db") as store, pytest.raises(ConsolidationError, match="--unit"):
        run(store, [], registry)


def test_without_a_registry_villages_come_from_the_reports(tmp_path):
    files = [commune_file(tmp_path, c) for c in VILLAGES]
    with Store(tmp_path / "s.db") as store:
        summary = run(store, files, None)
    assert summary.scope.name == "Huyện Chi Lăng"
    assert summary.totals["households"] == expected(COMMUNE_OF)
    warned = [f for f in summary.findings if f.code == "registry.none_given"]
    assert sorted(f.params["commune"] for f in warned) == [
        "Xã Quan Sơn",
        "Xã Vạn Linh",
        "Xã Y Tịch",
    ]
    assert len(summary.expected) == 15 and summary.unregistered
    balanced(summary)


def test_a_registry_without_villages_says_so_once_per_commune(tmp_path):
    from sheets_tool.registry import init_registry

    path = init_registry("Lạng Sơn", tmp_path / "registry.xlsx", dt.date(2021, 8, 1))
    with Store(tmp_path / "s.db") as store:
        summary = run(store, [commune_file(tmp_path, "Vạn Linh")], load_registry(path))
    assert summary.totals["households"] == expected(VILLAGES["Vạn Linh"])
    codes = [f.code for f in summary.findings]
    assert codes == ["registry.no_villages"]
    assert "sheet Thôn of" in summary.findings[0].message("en")
    assert str(path) in summary.findings[0].message("en")


def test_a_commune_by_code_full_name_or_unambiguous_short_name(registry):
    assert registry.find("06505", "commune").unit.name == "Xã Vạn Linh"
    assert registry.find("Thị trấn Chi Lăng", "commune").unit.code == "06466"
    assert registry.find("Vạn Linh", "commune").unit.code == "06505"


def test_folders_globs_lock_files_and_dates_as_officials_write_them(tmp_path):
    folder = tmp_path / "bao-cao" / "05-08"
    for commune in VILLAGES:
        commune_file(folder, commune)
    (folder / "~$Vạn Linh.xlsx").write_bytes(b"Excel's lock file")
    args = ["--level", "district", "--registry", str(REGISTRY), "--format", "json"]
    runner = CliRunner()
    for inputs, date in (
        ([str(tmp_path / "bao-cao")], "05/08/2021"),
        ([f"{folder}/*.xlsx"], "2021-08-05"),
    ):
        out = tmp_path / f"{len(inputs)}-{date.replace('/', '')}.xlsx"
        result = runner.invoke(
            cli,
            [
                "consolidate",
                *inputs,
                "--date",
                date,
                "--store",
                str(tmp_path / "s.db"),
                "-o",
                str(out),
                *args,
            ],
        )
        assert result.exit_code == 0, result.output
        doc = json.loads(result.output)
        assert doc["totals"]["households"] == expected(COMMUNE_OF)
        assert doc["reconciliation"]["balanced"]


def _ingest(store: Path, files: list[Path]) -> subprocess.Popen[str]:
    code = (
        "import sys; from sheets_tool.cli import main; sys.argv = ['sheets-tool', 'ingest',"
        f" *{[str(f) for f in files]!r}, '--registry', {str(REGISTRY)!r}, '--store',"
        f" {str(store)!r}, '--format', 'json']; main()"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_parallel_ingests_never_crash_nor_leave_two_versions_counted(tmp_path, registry):
    files = sorted((CHI_LANG / "daily").glob("*.xlsx"))
    store = tmp_path / "s.db"
    procs = [_ingest(store, files) for _ in range(6)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, [o[1][-500:] for o in outs]
    docs = [json.loads(o[0]) for o in outs]
    assert sum(len(d["stored"]) for d in docs) == len(files)  # each file stored once
    # two versions of one commune-day at once: one counts, whichever came last
    sample = CHI_LANG / "daily" / "van-linh-2021-08-05.xlsx"
    wb = openpyxl.load_workbook(sample)
    wb.active["C6"] = 999  # households of Phố Cũ
    wb.save(tmp_path / "van-linh-2021-08-05.xlsx")
    procs = [_ingest(store, [tmp_path / "van-linh-2021-08-05.xlsx"]), _ingest(store, [sample])]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    with Store(store) as st:
        rows = counted(st, "daily", "2021-08-05")
        versions = [v for v in st.versions("daily", "2021-08-05") if v.unit_code == "06505-pho-cu"]
    assert len(versions) == 2  # the sample's and the edited: history keeps each
    assert rows["06505-pho-cu"].values["households"] in (312, 999)
    assert sum(v.unit_code.startswith("06505-") for v in rows.values()) == 6


def test_a_store_of_the_previous_version_is_migrated_with_its_history(tmp_path):
    import sqlite3

    old = tmp_path / "old.db"
    con = sqlite3.connect(old)
    con.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema', '1');
        CREATE TABLE submissions (id INTEGER PRIMARY KEY, kind TEXT NOT NULL,
            unit_code TEXT NOT NULL, unit_name TEXT NOT NULL, period TEXT NOT NULL,
            source TEXT NOT NULL, content_hash TEXT NOT NULL, received_at TEXT NOT NULL,
            status TEXT NOT NULL, superseded_by INTEGER, rows INTEGER NOT NULL,
            errors INTEGER NOT NULL, warnings INTEGER NOT NULL,
            UNIQUE (kind, unit_code, period, content_hash));
        CREATE TABLE rows (submission_id INTEGER NOT NULL, unit_code TEXT NOT NULL,
            unit_name TEXT NOT NULL, period TEXT NOT NULL, sheet TEXT, row INTEGER,
            excluded INTEGER NOT NULL, data TEXT NOT NULL);
        CREATE TABLE findings (submission_id INTEGER NOT NULL, data TEXT NOT NULL);
        INSERT INTO submissions VALUES (1, 'daily', '06505', 'Xã Vạn Linh', '2021-08-05',
            'a.xlsx', 'h1', '2021-08-05T16:30', 'on_time', 2, 1, 0, 0);
        INSERT INTO submissions VALUES (2, 'daily', '06505', 'Xã Vạn Linh', '2021-08-05',
            'b.xlsx', 'h2', '2021-08-05T16:45', 'on_time', NULL, 1, 0, 0);
        INSERT INTO rows VALUES (1, '06505-pho-cu', 'Phố Cũ', '2021-08-05', 'S', 6, 0,
            '{"values": {"households": 300}, "cells": {"village": "B6"}}');
        INSERT INTO rows VALUES (2, '06505-pho-cu', 'Phố Cũ', '2021-08-05', 'S', 6, 0,
            '{"values": {"households": 312}, "cells": {"village": "B6"}}');
        """
    )
    con.close()
    with Store(old) as store:
        assert len(store.versions("daily", "2021-08-05")) == 2
        assert counted(store, "daily", "2021-08-05")["06505-pho-cu"].values["households"] == 312
        assert [h.superseded_by for h in store.history("06505")] == [2, None]


# ---------------------------------------------------------------------------
# the property: any split, any order, repeats and corrections


@st.composite
def deliveries(draw):
    """Runs of files: each run gives some villages' numbers (some rows with an error),
    split into files one per village, one per commune, or mixed with overlaps, some
    files repeated, in any order; and what each village's latest valid row is."""
    runs, latest, valid_so_far = [], {}, []
    for _ in range(draw(st.integers(1, 3))):
        present = draw(st.lists(st.sampled_from(list(COMMUNE_OF)), unique=True, min_size=1))
        numbers = {v: values(draw(st.integers(50, 500)), draw(st.integers(0, 99))) for v in present}
        bad = set(draw(st.lists(st.sampled_from(present), unique=True, max_size=2)))
        for v in bad:  # more shops than households: an error, the row is not counted
            numbers[v] = {**numbers[v], "shops": numbers[v]["households"] + 1}
        files = []
        for commune, villages in VILLAGES.items():
            mine = [v for v in villages if v in present]
            shape = draw(st.sampled_from(["village", "commune", "mixed", "overlap"]))
            if not mine:
                continue
            if shape == "village":
                chunks = [[v] for v in mine]
            elif shape == "commune":
                chunks = [mine]
            elif shape == "mixed":
                cut = draw(st.integers(0, len(mine)))
                chunks = [c for c in (mine[:cut], mine[cut:]) if c]
            else:  # the commune's file and some village files with the same numbers
                chunks = [mine, *[[v] for v in mine if draw(st.booleans())]]
            files += [(commune, [(v, numbers[v]) for v in chunk]) for chunk in chunks]
        if draw(st.booleans()):
            files.append(draw(st.sampled_from(files)))  # the same file given twice
        runs.append(draw(st.permutations(files)))
        latest.update({v: numbers[v] for v in present if v not in bad})
        valid_so_far.append(bool(latest))
    return runs, latest, valid_so_far


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deliveries())
def test_any_split_and_order_gives_the_villages_latest_valid_numbers(case):
    runs, latest, valid_so_far = case
    registry = load_registry(REGISTRY)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.db") as store:
        for r, files in enumerate(runs):
            paths = [
                daily_file(Path(tmp) / str(r) / f"{n}.xlsx", commune, rows)
                for n, (commune, rows) in enumerate(files)
            ]
            if not valid_so_far[r]:  # every row so far has an error: nothing to write
                with pytest.raises(
                    ConsolidationError, match="không có dòng báo cáo ngày dùng được"
                ):
                    run(store, paths, registry)
                continue
            summary = run(store, paths, registry, received_at=AT + dt.timedelta(minutes=r))
            balanced(summary)
        if not latest:
            return
        summary = run(store, [], registry, unit="Huyện Chi Lăng")
    balanced(summary)
    assert summary.reconciliation.counted == len(latest)
    for key in KEYS:
        assert summary.totals.get(key, 0) == sum(v[key] for v in latest.values()), key


def test_the_samples_three_shapes_of_one_day_give_one_summary(tmp_path, registry):
    """samples/chi-lang: commune files (daily/), one file per village (by-village/), a
    mixture with a file sent twice (mixed/): the same numbers and statuses."""
    from sheets_tool.inputs import expand_inputs

    shapes = {
        "daily": sorted((CHI_LANG / "daily").glob("*-2021-08-05.xlsx")),
        "by-village": expand_inputs([CHI_LANG / "by-village"]),
        "mixed": expand_inputs([CHI_LANG / "mixed"]),
    }
    assert (len(shapes["by-village"]), len(shapes["mixed"])) == (15, 9)
    results = {}
    for name, files in shapes.items():
        with Store(tmp_path / f"{name}.db") as store:
            results[name] = run(store, files, registry)
        balanced(results[name])
        assert results[name].findings == []
    first = results["daily"]
    for other in results.values():
        assert other.totals == first.totals
        assert [(c.unit.code, c.values, c.status) for c in other.children] == [
            (c.unit.code, c.values, c.status) for c in first.children
        ]


def test_villages_spelled_alike_but_for_their_marks_stay_apart_without_a_registry(tmp_path):
    na = daily_file(tmp_path / "na.xlsx", "Vạn Linh", [("Bản Na", values(100))])
    na2 = daily_file(tmp_path / "na2.xlsx", "Vạn Linh", [("Bản Nà", values(200))])
    for order in ([na, na2], [na2, na]):
        with Store(tmp_path / f"{order[0].stem}.db") as store:
            run(store, [order[0]], None, level="commune")  # two runs
            summary = run(store, [order[1]], None, level="commune")
            both = run(store, [na, na2], None, level="commune")  # and one
        for s in (summary, both):
            assert s.totals["households"] == 300.0
            assert sorted(c.unit.name for c in s.children) == ["Bản Na", "Bản Nà"]
            balanced(s)


def test_an_old_lower_summary_never_undoes_a_correction(tmp_path, registry):
    first = commune_file(tmp_path / "v1", "Vạn Linh")
    fixed = commune_file(tmp_path / "v2", "Vạn Linh", **{"Phố Cũ": {"households": 999}})
    with Store(tmp_path / "commune.db") as store:
        old = write_summary(run(store, [first], registry, level="commune"), tmp_path / "xa.xlsx")
    with Store(tmp_path / "district.db") as store:
        run(store, [first], registry)
        run(store, [fixed], registry, received_at=AT + dt.timedelta(hours=2))
        summary = run(store, [old], registry, received_at=AT + dt.timedelta(hours=3))
    assert (
        summary.totals["households"]
        == expected(VILLAGES["Vạn Linh"]) - NUMBERS["Phố Cũ"]["households"] + 999
    )
    (stale,) = [f for f in summary.findings if f.code == "consolidate.stale_summary"]
    assert stale.params["unit"] == "Thôn Phố Cũ" and stale.params["path"] == str(old)
    balanced(summary)


def test_rows_with_no_day_or_no_commune_are_received_and_excluded(tmp_path, registry):
    rows = [(v, NUMBERS[v]) for v in VILLAGES["Vạn Linh"]]
    path = daily_file(tmp_path / "vl.xlsx", "Vạn Linh", rows)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.insert_cols(2)
    ws["B5"] = "Ngày"
    for r in range(6, 12):
        ws.cell(r, 2).value = dt.datetime(2021, 8, 5)
    ws["B7"] = None  # one row without its day
    wb.save(path)
    with Store(tmp_path / "s.db") as store:
        summary = run(store, [path], registry, level="commune")
    rec = summary.reconciliation
    assert (rec.read, rec.counted, rec.excluded) == (6, 5, 1)
    assert ("field.required", "B7") in {(f.code, f.cell) for f in summary.findings}
    balanced(summary)


def test_a_file_level_error_is_kept_and_listed_from_the_store_alone(tmp_path, registry):
    rows = [(v, NUMBERS[v]) for v in VILLAGES["Vạn Linh"]]
    header = [h for h in daily_file.__defaults__[1] if h != "Tổng số hộ"]
    with Store(tmp_path / "s.db") as store:
        run(store, [commune_file(tmp_path, "Vạn Linh")], registry, level="commune")
        run(store, [daily_file(tmp_path / "b.xlsx", "Vạn Linh", rows, header=header)], registry)
        summary = run(store, [], registry, level="commune", unit="06505")
        good, bad = store.history("06505")
    assert "header.missing_column" in {f.code for f in summary.findings}
    assert bad.source.endswith("b.xlsx") and bad.errors >= 1
    assert good.superseded_by is None  # still the one that counts
    balanced(summary)


def test_the_scope_comes_from_the_rows_of_the_period(tmp_path, registry):
    other_day = daily_file(
        tmp_path / "yt.xlsx", "Y Tịch", [("Bản Đon", values(100))], day=dt.date(2021, 8, 7)
    )
    with Store(tmp_path / "s.db") as store:
        summary = run(store, [commune_file(tmp_path, "Vạn Linh"), other_day], registry, "commune")
    assert summary.scope.name == "Xã Vạn Linh"


def test_a_report_without_an_indicator_column_still_gives_a_summary(tmp_path, registry):
    """No row gives "Số hộ có giao dịch thành công": the indicator is 0, not a crash."""
    header = [h for h in daily_file.__defaults__[1] if h != "Số hộ có giao dịch thành công"]
    rows = [(v, NUMBERS[v]) for v in VILLAGES["Y Tịch"]]
    path = daily_file(tmp_path / "yt.xlsx", "Y Tịch", rows, header=header)
    with Store(tmp_path / "s.db") as store:
        summary = run(store, [path], registry, level="commune")
    assert summary.totals["sellers"] == 0 and summary.total_indicators["sellers_pct"] == 0
    write_summary(summary, tmp_path / "xa.xlsx")
    balanced(summary)


def test_a_title_naming_the_commune_then_its_district_after_a_dash(tmp_path, registry):
    """ "UBND XÃ VẠN LINH - HUYỆN CHI LĂNG": the commune is Vạn Linh, no row is lost."""
    path = commune_file(tmp_path, "Vạn Linh")
    wb = openpyxl.load_workbook(path)
    wb.active["A1"] = "ỦY BAN NHÂN DÂN XÃ VẠN LINH - HUYỆN CHI LĂNG"
    wb.active["A3"] = "Ngày 05/08/2021"
    wb.save(path)
    with Store(tmp_path / "s.db") as store:
        summary = run(store, [path], registry)
    assert summary.totals["households"] == expected(VILLAGES["Vạn Linh"])
    assert summary.findings == []


def test_ingest_counts_as_replacing_only_the_rows_without_errors(tmp_path, registry):
    from sheets_tool.ingest import ingest_paths

    bad = commune_file(tmp_path / "resent", "Vạn Linh", **{"Phố Cũ": {"households": -5}})
    with Store(tmp_path / "s.db") as store:
        ingest_paths([commune_file(tmp_path, "Vạn Linh")], store, registry)
        outcome = ingest_paths([bad], store, registry)
    assert outcome.superseded == 5  # six rows resent, one with an error
