"""Each village's day compared with its day before, as the store does while it keeps a
daily report: a running total that falls is an error at the cell (the row is then not
counted), and ``new_shops`` that is not today's shops minus yesterday's a warning; each
finding with its sheet, row, column, cell, value and message."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sheets_tool.findings import ERROR, WARNING, Finding
from sheets_tool.store import Incoming, IncomingRow, Store
from sheets_tool.units import Unit

COMMUNE = Unit("06505", "Xã Vạn Linh", "commune", "200")
PHO_CU = Unit("06505-pho-cu", "Phố Cũ", "village", "06505")
NA_RI = Unit("06505-na-ri", "Nà Ri", "village", "06505")
SHOPS = "Số hộ có cửa hàng số"


def day_row(unit: Unit, day: int, at: int, **values: Any) -> IncomingRow:
    return IncomingRow(
        unit=unit,
        commune_code="06505",
        name=unit.name,
        period=f"2021-08-{day:02d}",
        sheet=f"{day:02d}-08",
        row=at,
        values={"date": dt.date(2021, 8, day), **values},
        cells={"village": f"B{at}", "shops": f"D{at}", "new_shops": f"F{at}"},
        excluded=False,
        received_at=dt.datetime(2021, 8, day, 16, 0),
        status="on_time",
    )


def day_file(name: str, *rows: IncomingRow) -> Incoming:
    return Incoming("daily", name, name, COMMUNE, list(rows), [])


def compared(tmp_path, yesterday: list[IncomingRow], today: list[IncomingRow]) -> Incoming:
    """Today's file as the store leaves it after keeping both days: its findings, and its
    rows marked excluded or not."""
    sub = day_file("today.xlsx", *today)
    with Store(tmp_path / "s.db") as store:
        store.deliver([day_file("yesterday.xlsx", *yesterday)], dt.datetime(2021, 8, 4, 17))
        store.deliver([sub], dt.datetime(2021, 8, 5, 17))
    return sub


def test_a_running_total_below_the_day_before_is_an_error_at_its_cell(tmp_path):
    sub = compared(
        tmp_path,
        [day_row(PHO_CU, 4, 7, shops=10, payment_accounts=5)],
        [day_row(PHO_CU, 5, 7, shops=9, payment_accounts=5)],
    )
    assert sub.findings == [
        Finding(
            severity=ERROR,
            code="daily.cumulative_decreased",
            params={"label": SHOPS, "value": 9, "previous": 10, "unit": "Phố Cũ"},
            sheet="05-08",
            row=7,
            column="shops",
            cell="D7",
            value=9,
        )
    ]
    assert sub.findings[0].message("vi") == (
        "Phố Cũ: 'Số hộ có cửa hàng số' giảm từ 10 (hôm trước) xuống 9; số cộng dồn không "
        "được giảm."
    )
    assert sub.rows[0].excluded is True


def test_a_village_without_a_day_before_does_not_stop_the_others_being_compared(tmp_path):
    sub = compared(
        tmp_path,
        [day_row(PHO_CU, 4, 7, shops=10)],
        [day_row(NA_RI, 5, 6, shops=3), day_row(PHO_CU, 5, 7, shops=8)],
    )
    assert [(f.code, f.params["unit"], f.cell) for f in sub.findings] == [
        ("daily.cumulative_decreased", "Phố Cũ", "D7")
    ]
    assert [r.excluded for r in sub.rows] == [False, True]


def test_new_shops_that_disagree_with_the_growth_are_a_warning(tmp_path):
    sub = compared(
        tmp_path,
        [day_row(PHO_CU, 4, 7, shops=10)],
        [day_row(PHO_CU, 5, 7, shops=12, new_shops=3)],
    )
    assert sub.findings == [
        Finding(
            severity=WARNING,
            code="daily.new_shops_mismatch",
            params={"value": 3, "expected": 2, "unit": "Phố Cũ"},
            sheet="05-08",
            row=7,
            column="new_shops",
            cell="F7",
            value=3,
        )
    ]
    assert sub.findings[0].message("en") == (
        "Phố Cũ: new shops today says 3 but households with a shop grew by 2 since the day before."
    )
    assert sub.rows[0].excluded is False  # a warning: the row still counts


def test_new_shops_equal_to_the_growth_or_not_comparable_say_nothing(tmp_path):
    agrees = compared(
        tmp_path / "a",
        [day_row(PHO_CU, 4, 7, shops=10)],
        [day_row(PHO_CU, 5, 7, shops=12, new_shops=2)],
    )
    no_new_shops = compared(
        tmp_path / "b", [day_row(PHO_CU, 4, 7, shops=10)], [day_row(PHO_CU, 5, 7, shops=12)]
    )
    no_shops_today = compared(
        tmp_path / "c", [day_row(PHO_CU, 4, 7, shops=10)], [day_row(PHO_CU, 5, 7, new_shops=2)]
    )
    no_shops_yesterday = compared(
        tmp_path / "d",
        [day_row(PHO_CU, 4, 7, households=40)],
        [day_row(PHO_CU, 5, 7, shops=12, new_shops=2)],
    )
    for sub in (agrees, no_new_shops, no_shops_today, no_shops_yesterday):
        assert sub.findings == []
