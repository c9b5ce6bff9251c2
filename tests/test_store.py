"""The submission store: stored once, superseded, compared across days, on time or late."""

import datetime as dt
import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from sheets_tool.cli import cli
from sheets_tool.ingest import ingest_paths
from sheets_tool.registry import load_registry
from sheets_tool.store import Deadlines, Store
from sheets_tool.versions import counted

from .conftest import CHI_LANG

REGISTRY = CHI_LANG / "registry.xlsx"


def daily(commune: str, day: int) -> Path:
    return CHI_LANG / "daily" / f"{commune}-2021-08-{day:02d}.xlsx"


def edited(src: Path, dst: Path, changes: dict[str, object]) -> Path:
    wb = openpyxl.load_workbook(src)
    for ref, value in changes.items():
        wb.active[ref] = value
    wb.save(dst)
    return dst


def test_same_content_is_stored_once_and_a_correction_supersedes(tmp_path):
    reg = load_registry(REGISTRY)
    with Store(tmp_path / "s.db") as store:
        first = ingest_paths([daily("van-linh", 5)], store, reg)
        assert len(first.stored) == 1 and first.unchanged == 0
        again = ingest_paths([daily("van-linh", 5)], store, reg)
        assert again.stored == [] and again.unchanged == 1
        fixed = edited(daily("van-linh", 5), tmp_path / "van-linh-2021-08-05.xlsx", {"D6": 123})
        third = ingest_paths([fixed], store, reg)
        assert third.superseded == 6  # the commune's six village rows
        history = store.history("06505")
        assert [(h.id, h.superseded_by) for h in history] == [
            (1, third.stored[0]),
            (third.stored[0], None),
        ]
        rows = counted(store, "daily", "2021-08-05")
        assert rows["06505-pho-cu"].values["shops"] == 123
        assert len(store.versions("daily", "2021-08-05")) == 12  # history keeps both


def test_a_running_total_that_falls_is_an_error_and_the_row_is_excluded(tmp_path):
    reg = load_registry(REGISTRY)
    falls = edited(daily("van-linh", 5), tmp_path / "van-linh-2021-08-05.xlsx", {"D6": 10})
    with Store(tmp_path / "s.db") as store:
        # given out of order: the store still compares each day with the day before
        outcome = ingest_paths([falls, daily("van-linh", 4)], store, reg)
        codes = [(f.code, f.cell) for f in outcome.report.files[0].findings]
        assert ("daily.cumulative_decreased", "D6") in codes
        assert ("daily.new_shops_mismatch", "F6") in codes
        rows = {v.unit_code: v for v in store.versions("daily", "2021-08-05")}
        assert rows["06505-pho-cu"].excluded is True
        assert rows["06505-lung-cam"].excluded is False
        assert "06505-pho-cu" not in counted(store, "daily", "2021-08-05")


def test_deadlines():
    dl = Deadlines()
    assert dl.status("daily", "2021-08-05", dt.datetime(2021, 8, 5, 17, 0)) == "on_time"
    assert dl.status("daily", "2021-08-05", dt.datetime(2021, 8, 5, 17, 1)) == "late"
    assert dl.status("monthly", "2023-03", dt.datetime(2023, 4, 20, 22, 0)) == "on_time"
    assert dl.status("monthly", "2023-12", dt.datetime(2024, 1, 21, 8, 0)) == "late"
    assert (
        Deadlines(dt.time(20, 0)).status("daily", "2021-08-05", dt.datetime(2021, 8, 5, 19, 0))
        == "on_time"
    )


def test_received_time_without_a_time_column(tmp_path):
    reg = load_registry(REGISTRY)
    src = tmp_path / "y-tich-2021-08-05.xlsx"
    wb = openpyxl.load_workbook(daily("y-tich", 5))
    wb.active.delete_cols(13)  # no "Thời gian gửi"
    wb.save(src)
    with Store(tmp_path / "s.db") as store:
        ingest_paths([src], store, reg, received_at=dt.datetime(2021, 8, 6, 8, 0))
        (sub,) = store.history("06520")
        assert (sub.received_at, sub.status) == ("2021-08-06T08:00", "late")
        rows = store.versions("daily", "2021-08-05")
        assert {(v.received_at, v.status) for v in rows} == {("2021-08-06T08:00", "late")}


def test_unknown_village_is_a_finding_never_a_new_row(tmp_path):
    reg = load_registry(REGISTRY)
    src = edited(
        daily("quan-son", 5), tmp_path / "quan-son-2021-08-05.xlsx", {"B7": "Thôn Không Có"}
    )
    with Store(tmp_path / "s.db") as store:
        outcome = ingest_paths([src], store, reg)
        found = [(f.code, f.cell) for f in outcome.report.files[0].findings]
        assert ("registry.unknown_unit", "B7") in found
        assert len(counted(store, "daily", "2021-08-05")) == 4
        # the row is kept, excluded and matched to no unit: it is counted as received
        (unmatched,) = [v for v in store.versions("daily", "2021-08-05") if not v.unit_code]
        assert unmatched.excluded and unmatched.unit_name == "Thôn Không Có"


def test_ingest_history_and_consolidate_commands(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "s.db")
    files = sorted(str(p) for p in (CHI_LANG / "daily").glob("*-2021-08-0[45].xlsx"))
    result = runner.invoke(cli, ["ingest", *files, "--registry", str(REGISTRY), "--store", store])
    assert result.exit_code == 0, result.output
    assert "Lưu 6 báo cáo mới" in result.output, result.output
    result = runner.invoke(cli, ["history", "Xã Quan Sơn", "--store", store, "--format", "json"])
    doc = json.loads(result.output)
    assert [(d["period"], d["status"]) for d in doc] == [
        ("2021-08-04", "on_time"),
        ("2021-08-05", "late"),
    ]
    out = tmp_path / "huyen.xlsx"
    result = runner.invoke(
        cli,
        [
            "consolidate",
            *files,
            "--level",
            "district",
            "--date",
            "2021-08-05",
            "--registry",
            str(REGISTRY),
            "--store",
            store,
            "-o",
            str(out),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert set(doc) >= {"level", "period", "units", "totals", "findings"}
    assert doc["level"] == "district" and doc["period"] == "2021-08-05"
    unit = next(u for u in doc["units"] if u["code"] == "06517")
    assert set(unit) >= {"code", "name", "parent", "values", "status"}
    assert unit["status"] == "late" and unit["parent"] == "187"
    assert doc["totals"]["households"] == sum(u["values"]["households"] for u in doc["units"])
    assert out.exists()


def test_consolidate_exit_codes(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "s.db")
    broken = edited(
        daily("van-linh", 5), tmp_path / "van-linh-2021-08-05.xlsx", {"D6": 999}
    )  # more shops than households
    args = [
        "--level",
        "district",
        "--date",
        "2021-08-05",
        "--registry",
        str(REGISTRY),
        "--store",
        store,
    ]
    result = runner.invoke(cli, ["consolidate", str(broken), *args, "-o", str(tmp_path / "a.xlsx")])
    assert result.exit_code == 1, result.output
    assert "row.shops_exceed_households" not in result.output  # prose, not codes
    assert "1 dòng bị loại" in result.output
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert wb["Lỗi"]["B2"].value == "row.shops_exceed_households"
    link = wb["Lỗi"]["E2"].value
    assert link.startswith('=HYPERLINK("file:///') and link.endswith('#\'05-08\'!D6","D6")')
    # nothing for that day at all: exit 2 and no file
    result = runner.invoke(
        cli,
        [
            "consolidate",
            str(broken),
            "--level",
            "district",
            "--date",
            "2021-09-01",
            "--registry",
            str(REGISTRY),
            "--store",
            store,
            "-o",
            str(tmp_path / "b.xlsx"),
        ],
    )
    assert result.exit_code == 2 and not (tmp_path / "b.xlsx").exists()
    # no district level after the reform
    result = runner.invoke(
        cli,
        [
            "consolidate",
            str(broken),
            "--level",
            "district",
            "--month",
            "2026-01",
            "--registry",
            str(REGISTRY),
            "--store",
            store,
            "-o",
            str(tmp_path / "c.xlsx"),
        ],
    )
    assert result.exit_code == 2 and "không còn cấp huyện" in result.output


def test_a_store_in_a_new_folder_and_a_file_that_is_not_a_store(tmp_path):
    import pytest

    from sheets_tool.store import StoreError

    with Store(tmp_path / "new" / "folder" / "s.db") as store:
        assert store.history("06505") == []
    bad = tmp_path / "not.db"
    bad.write_text("hello")
    with pytest.raises(StoreError, match="không phải kho lưu trữ của sheets-tool"):
        Store(bad)


def test_another_program_s_sqlite_file_is_refused_unchanged(tmp_path):
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE contacts (name TEXT)")
        con.execute("INSERT INTO contacts VALUES ('Lê Văn Hải')")
    before = other.read_bytes()
    report = CHI_LANG / "daily" / "van-linh-2021-08-05.xlsx"
    assert report.is_file()
    for args in (["ingest", str(report)], ["history", "06505"]):
        result = CliRunner().invoke(cli, [*args, "--store", str(other)])
        assert result.exit_code == 2, result.output
        assert (
            f"{other}: không phải kho lưu trữ của sheets-tool (không có số hiệu lược đồ)"
            in result.output
        )
        assert other.read_bytes() == before  # not switched to WAL, no table added
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_history_without_a_store_says_so_and_makes_none(tmp_path):
    missing = tmp_path / "khong-co.db"
    result = CliRunner().invoke(cli, ["history", "06505", "--store", str(missing)])
    assert result.exit_code == 2
    assert (
        f"{missing}: chưa có kho lưu trữ ở đây (lệnh ingest hoặc consolidate sẽ tạo)"
        in result.output
    )
    assert list(tmp_path.iterdir()) == []


def test_nothing_written_still_says_what_was_wrong_with_the_inputs(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "consolidate",
            str(tmp_path / "missing.xlsx"),
            "--level",
            "district",
            "--date",
            "2021-08-05",
            "--registry",
            str(REGISTRY),
            "--store",
            str(tmp_path / "s.db"),
            "-o",
            str(tmp_path / "out.xlsx"),
        ],
    )
    assert result.exit_code == 2
    assert "missing.xlsx: lỗi: Không tìm thấy tệp" in result.output
    assert not (tmp_path / "out.xlsx").exists()
