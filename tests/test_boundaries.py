"""The edges of the rules: a value equal to its bound passes and one more fails; a running
total that falls by exactly 1 is caught; a commune with some villages missing is late; a
header cell about as close to two columns is ambiguous, not guessed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheets_tool import Store, consolidate, load_registry, read_workbook, validate_file

from .conftest import CHI_LANG, codes
from .reports import COMMUNE_OF, HEADER, VILLAGES, daily_file, values

DAY = dt.date(2021, 8, 5)
REGISTRY = CHI_LANG / "registry.xlsx"
# the cell of each column in a daily_file row (header at row 5, first village at row 6)
COLUMN = {"households": "C", "shops": "D", "payment_accounts": "E", "new_shops": "F"}
COLUMN |= {"sellers": "G", "orders": "H"}
BASE = {
    "households": 100,
    "shops": 50,
    "payment_accounts": 60,
    "new_shops": 5,
    "sellers": 10,
    "orders": 3,
}


@pytest.fixture(scope="module")
def registry():
    return load_registry(REGISTRY)


# ---------------------------------------------------------------------------
# the row rules: a count may equal the count it is part of, never exceed it

ROW_RULES = [
    ("shops", "households", "row.shops_exceed_households"),
    ("payment_accounts", "households", "row.payment_exceed_households"),
    ("sellers", "shops", "row.sellers_exceed_shops"),
    ("new_shops", "shops", "row.new_shops_exceed_shops"),
]


def _row_codes(tmp_path: Path, numbers: dict[str, int]) -> list[tuple[str, str | None]]:
    path = daily_file(tmp_path / "x.xlsx", "Vạn Linh", [("Phố Cũ", numbers)])
    result = validate_file(path, "daily")
    assert result.report.readable
    return [c for c in codes(result.report) if c[0].startswith("row.")]


def test_the_base_row_passes_every_row_rule(tmp_path):
    assert _row_codes(tmp_path, BASE) == []


@pytest.mark.parametrize(("small", "big", "code"), ROW_RULES, ids=[r[2] for r in ROW_RULES])
def test_a_count_equal_to_its_whole_passes(tmp_path, small, big, code):
    numbers = {**BASE, small: BASE[big]}
    assert _row_codes(tmp_path, numbers) == []


@pytest.mark.parametrize(("small", "big", "code"), ROW_RULES, ids=[r[2] for r in ROW_RULES])
def test_one_more_than_its_whole_fails(tmp_path, small, big, code):
    numbers = {**BASE, small: BASE[big] + 1}
    assert _row_codes(tmp_path, numbers) == [(code, f"{COLUMN[small]}6")]


# ---------------------------------------------------------------------------
# running totals across days: a fall of 1 is a fall


def _day(store, registry, day: dt.date, pho_cu: dict[str, int], folder: Path):
    rows = [("Phố Cũ", pho_cu), ("Đồng Lùm", BASE)]
    path = daily_file(folder / f"{day}.xlsx", "Vạn Linh", rows, day=day)
    return consolidate(
        [path],
        level="commune",
        registry=registry,
        store=store,
        day=day,
        received_at=dt.datetime.combine(day, dt.time(16, 0)),
    )


def _fell(summary) -> list[tuple[str, str | None]]:
    return [(f.code, f.cell) for f in summary.findings if f.code == "daily.cumulative_decreased"]


@pytest.mark.parametrize("key", ["shops", "payment_accounts", "sellers"])
def test_a_running_total_one_below_the_day_before_is_an_error(tmp_path, registry, key):
    with Store(tmp_path / "s.db") as store:
        first = _day(store, registry, DAY - dt.timedelta(days=1), BASE, tmp_path)
        assert _fell(first) == []
        today = {**BASE, key: BASE[key] - 1}
        if key == "shops":
            today["new_shops"] = 0
        summary = _day(store, registry, DAY, today, tmp_path)
    assert _fell(summary) == [("daily.cumulative_decreased", f"{COLUMN[key]}6")]
    assert summary.reconciliation.excluded == 1  # Phố Cũ's row is not counted
    assert summary.totals[key] == BASE[key]  # Đồng Lùm's alone


@pytest.mark.parametrize("key", ["shops", "payment_accounts", "sellers"])
def test_a_running_total_equal_to_the_day_before_is_fine(tmp_path, registry, key):
    with Store(tmp_path / "s.db") as store:
        _day(store, registry, DAY - dt.timedelta(days=1), BASE, tmp_path)
        summary = _day(store, registry, DAY, {**BASE, "new_shops": 0}, tmp_path)
    assert _fell(summary) == []
    assert summary.reconciliation.excluded == 0
    assert summary.totals[key] == 2 * BASE[key]


# ---------------------------------------------------------------------------
# a child unit's status: late when some of its villages are missing

NUMBERS = {v: values(120 + 11 * i, i) for i, v in enumerate(COMMUNE_OF)}
AT = dt.datetime(2021, 8, 5, 16, 0)  # before the 17:00 deadline


def _commune(folder: Path, commune: str, villages: list[str]) -> Path:
    return daily_file(folder / f"{commune}.xlsx", commune, [(v, NUMBERS[v]) for v in villages])


def _statuses(tmp_path, registry, files, level):
    with Store(tmp_path / f"{level}.db") as store:
        summary = consolidate(
            files, level=level, registry=registry, store=store, day=DAY, received_at=AT
        )
    return {c.unit.name: c.status for c in summary.children}


def test_a_commune_with_some_villages_on_time_and_others_missing_is_late(tmp_path, registry):
    files = [
        _commune(tmp_path, "Vạn Linh", VILLAGES["Vạn Linh"][:3]),  # 3 of 6, on time
        _commune(tmp_path, "Y Tịch", VILLAGES["Y Tịch"]),  # all, on time
    ]
    status = _statuses(tmp_path, registry, files, "district")
    assert status["Xã Vạn Linh"] == "late"
    assert status["Xã Y Tịch"] == "on_time"
    assert status["Xã Quan Sơn"] == "missing"  # none
    # one level up: the district, with Quan Sơn's and half Vạn Linh's villages missing
    province = _statuses(tmp_path, registry, files, "province")
    assert province["Huyện Chi Lăng"] == "late"


def test_a_commune_with_one_village_missing_is_late_and_all_on_time_is_on_time(tmp_path, registry):
    files = [
        _commune(tmp_path, "Vạn Linh", VILLAGES["Vạn Linh"][1:]),  # all but one
        _commune(tmp_path, "Y Tịch", VILLAGES["Y Tịch"]),
        _commune(tmp_path, "Quan Sơn", VILLAGES["Quan Sơn"]),
    ]
    status = _statuses(tmp_path, registry, files, "district")
    assert status["Xã Vạn Linh"] == "late"
    assert status["Xã Y Tịch"] == status["Xã Quan Sơn"] == "on_time"
    assert _statuses(tmp_path, registry, files, "province")["Huyện Chi Lăng"] == "late"
    everything = [*files[1:], _commune(tmp_path / "all", "Vạn Linh", VILLAGES["Vạn Linh"])]
    assert _statuses(tmp_path / "all", registry, everything, "province")["Huyện Chi Lăng"] == (
        "on_time"
    )


# ---------------------------------------------------------------------------
# fuzzy headers: a cell about as close to two columns is not given to either


def _header_file(tmp_path: Path, make_xlsx, text: str) -> Path:
    header = ["STT", "Tên thôn", "Tổng số hộ", text, "Số đơn hàng"]
    assert text not in HEADER  # not an exact header: only the fuzzy match can place it
    rows = [["UBND XÃ VẠN LINH"], ["BÁO CÁO"], ["Ngày 05/08/2021"], [], header]
    rows.append([1, "Phố Cũ", 100, 20, 3])
    return make_xlsx(rows, name="h.xlsx")


def test_a_header_about_as_close_to_two_columns_is_ambiguous(tmp_path, make_xlsx):
    # "Số hộ có đơn hàng số" is nearly as close to "Số hộ có cửa hàng số" (shops) as to
    # "Số hộ có đơn hàng" (sellers)
    path = _header_file(tmp_path, make_xlsx, "Số hộ có đơn hàng số")
    found = codes(validate_file(path, "daily").report)
    assert ("header.ambiguous", "D5") in found
    assert not [c for c in found if c[0] == "header.fuzzy"]
    columns = read_workbook(path, "daily").tables[0].columns
    assert "shops" not in columns and "sellers" not in columns


def test_a_header_clearly_closer_to_one_column_is_matched_to_it(tmp_path, make_xlsx):
    path = _header_file(tmp_path, make_xlsx, "Số hộ có cửa hàng")
    found = codes(validate_file(path, "daily").report)
    assert ("header.fuzzy", "D5") in found
    assert not [c for c in found if c[0] == "header.ambiguous"]
    assert read_workbook(path, "daily").tables[0].columns["shops"] == 3  # column D
