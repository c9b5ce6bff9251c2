"""Which version of a village's row counts when several are stored, and what the findings
about the others say: a run with two different files leaves the earlier report counted, a
conflict of three names the two others, a stale lower summary names the correction it
would have undone, a report with errors says which earlier version is used, and the
version counted in one file does not depend on the order its rows were read."""

from __future__ import annotations

import datetime as dt

from sheets_tool.findings import ERROR, WARNING, Finding
from sheets_tool.store import Incoming, IncomingRow, RowVersion, Store
from sheets_tool.templates import load_template
from sheets_tool.units import Unit
from sheets_tool.versions import choose, choose_all, counted, numeric_keys

KEYS = numeric_keys(load_template("daily"))
DAY = "2021-08-05"


def version(
    vid: int,
    batch: int,
    submitted: str,
    shops: int,
    *,
    received: str = "16:30",
    sheet: str = "05-08",
    row: int = 7,
    excluded: bool = False,
    source: str | None = None,
    unit_code: str = "06505-pho-cu",
) -> RowVersion:
    """Phố Cũ's row for 5 August as one file gave it; ``source`` is the village's own
    report when the row came through a lower summary (``submitted``)."""
    return RowVersion(
        id=vid,
        submission=vid,
        batch=batch,
        kind="daily",
        period=DAY,
        unit_code=unit_code,
        unit_name="Phố Cũ",
        commune_code="06505",
        sheet=sheet,
        row=row,
        excluded=excluded,
        received_at=f"{DAY}T{received}",
        status="on_time",
        values={"households": 300, "shops": shops},
        cells={"village": f"B{row}", "shops": f"D{row}"},
        source=source or submitted,
        submitted=submitted,
    )


def messages(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.severity, f.code, f.message("vi")) for f in findings]


# ---------------------------------------------------------------------------
# different numbers at once


def test_two_different_files_in_one_run_leave_the_earlier_report_counted():
    first = version(1, 1, "in/pho-cu.xlsx", 10)
    a = version(2, 2, "in/a.xlsx", 11, received="17:00")
    b = version(3, 2, "in/b.xlsx", 12, received="17:05")
    choice = choose([first, a, b], KEYS)
    assert choice.counted is first  # an earlier batch decides
    assert choice.excluded == [a, b]
    assert choice.superseded == []
    assert [(f.severity, f.code, f.params["path"]) for f in choice.findings] == [
        (ERROR, "consolidate.conflicting_rows", "in/a.xlsx"),
        (ERROR, "consolidate.conflicting_rows", "in/b.xlsx"),
        (WARNING, "consolidate.using_earlier", "in/pho-cu.xlsx"),
    ]
    assert choice.findings[2].message("vi") == (
        "Phố Cũ: bản mới nhất có lỗi (xem các lỗi của thôn này) nên đang dùng bản nhận lúc "
        "2021-08-05 16:30. Sửa lỗi và gửi lại để thay thế."
    )


def test_in_the_store_a_conflicting_run_does_not_lose_the_village_s_earlier_numbers(tmp_path):
    pho_cu = Unit("06505-pho-cu", "Phố Cũ", "village", "06505")

    def file(name: str, shops: int) -> Incoming:
        at = dt.datetime(2021, 8, 5, 16, 30)
        return Incoming(
            kind="daily",
            source=name,
            content_hash=name,
            reporter=pho_cu,
            rows=[
                IncomingRow(
                    unit=pho_cu,
                    commune_code="06505",
                    name="Phố Cũ",
                    period=DAY,
                    sheet="05-08",
                    row=7,
                    values={"households": 300, "shops": shops},
                    cells={"village": "B7"},
                    excluded=False,
                    received_at=at,
                    status="on_time",
                )
            ],
            findings=[],
        )

    with Store(tmp_path / "s.db") as store:
        store.deliver([file("pho-cu.xlsx", 10)], dt.datetime(2021, 8, 5, 16, 30))
        store.deliver([file("a.xlsx", 11), file("b.xlsx", 12)], dt.datetime(2021, 8, 5, 18, 0))
        rows = counted(store, "daily", DAY)
    assert {code: (v.submitted, v.values["shops"]) for code, v in rows.items()} == {
        "06505-pho-cu": ("pho-cu.xlsx", 10)
    }


def test_a_conflict_of_three_files_names_the_two_others_in_each_error():
    a = version(1, 1, "in/a.xlsx", 10, row=7)
    b = version(2, 1, "in/b.xlsx", 11, row=9)
    c = version(3, 1, "in/c.xlsx", 12, row=11)
    choice = choose([c, a, b], KEYS)
    assert choice.counted is None
    assert choice.excluded == [a, b, c]
    assert [f.params["others"] for f in choice.findings] == [
        "b.xlsx, 05-08!B9; c.xlsx, 05-08!B11",
        "a.xlsx, 05-08!B7; c.xlsx, 05-08!B11",
        "a.xlsx, 05-08!B7; b.xlsx, 05-08!B9",
    ]
    assert choice.findings[0].message("vi") == (
        "Phố Cũ: lần này nhận được hai bản số liệu khác nhau (bản kia: b.xlsx, 05-08!B9; "
        "c.xlsx, 05-08!B11); không bản nào được tính. Hãy chỉ giữ lại tệp đúng rồi tổng "
        "hợp lại."
    )


# ---------------------------------------------------------------------------
# an old lower summary


def test_a_stale_summary_names_when_its_numbers_and_the_correction_were_received():
    fixed = version(1, 1, "in/pho-cu-sua.xlsx", 12, received="18:10")
    stale = version(
        2, 2, "out/xa-van-linh.xlsx", 10, sheet="Dữ liệu", row=4, source="in/pho-cu.xlsx"
    )
    choice = choose([fixed, stale], KEYS)
    assert choice.counted is fixed
    assert choice.superseded == [stale]
    assert choice.findings == [
        Finding(
            severity=WARNING,
            code="consolidate.stale_summary",
            params={
                "unit": "Phố Cũ",
                "received": "2021-08-05 16:30",
                "newer": "2021-08-05 18:10",
                "path": "out/xa-van-linh.xlsx",
            },
            sheet="Dữ liệu",
            row=4,
            column="village",
            cell="B4",
            value="Phố Cũ",
        )
    ]
    assert choice.findings[0].message("en") == (
        "Phố Cũ: this summary carries numbers received at 2021-08-05 16:30, older than the "
        "version received at 2021-08-05 18:10; the newer one is used. Ask for the lower "
        "level's new summary."
    )


def test_a_stale_summary_after_two_corrections_names_the_newest_one_the_one_counted():
    first_fix = version(1, 1, "in/pho-cu-sua.xlsx", 11, received="17:00")
    second_fix = version(2, 2, "in/pho-cu-sua-2.xlsx", 12, received="18:10")
    stale = version(3, 3, "out/xa.xlsx", 10, sheet="Dữ liệu", row=4, source="in/pho-cu.xlsx")
    choice = choose([first_fix, second_fix, stale], KEYS)
    assert choice.counted is second_fix
    assert choice.superseded == [stale, first_fix]
    assert [(f.code, f.params["newer"]) for f in choice.findings] == [
        ("consolidate.stale_summary", "2021-08-05 18:10")
    ]


# ---------------------------------------------------------------------------
# a newer version with errors


def test_a_newer_report_with_errors_says_which_version_is_used_and_when_it_came():
    good = version(1, 1, "in/pho-cu.xlsx", 10, received="16:30")
    bad = version(2, 2, "in/pho-cu-2.xlsx", 400, received="18:00", excluded=True)
    choice = choose([good, bad], KEYS)
    assert choice.counted is good and choice.excluded == [bad]
    assert choice.replaced_by_error
    assert choice.findings == [
        Finding(
            severity=WARNING,
            code="consolidate.using_earlier",
            params={"unit": "Phố Cũ", "received": "2021-08-05 16:30", "path": "in/pho-cu.xlsx"},
            sheet="05-08",
            row=7,
            column="village",
            cell="B7",
            value="Phố Cũ",
        )
    ]
    assert choice.findings[0].message("en") == (
        "Phố Cũ: the newest version has errors (see this village's errors), so the version "
        "received at 2021-08-05 16:30 is used. Correct it and send it again to replace it."
    )


# ---------------------------------------------------------------------------
# the same numbers twice in one file


def test_in_one_file_the_row_on_the_first_sheet_by_name_is_counted_whatever_the_order():
    # one workbook gives Phố Cũ on its day's sheet and on a copy of it, the same numbers
    day_sheet = version(1, 1, "in/van-linh.xlsx", 10, sheet="05-08", row=12)
    copy = version(2, 1, "in/van-linh.xlsx", 10, sheet="Bản sao", row=6)
    for given in ([day_sheet, copy], [copy, day_sheet]):
        choice = choose(given, KEYS)
        assert choice.counted is day_sheet
        assert choice.superseded == [copy]
        assert [(f.code, f.cell, f.params["other"]) for f in choice.findings] == [
            ("consolidate.repeated_row", "B6", "van-linh.xlsx, 05-08!B12")
        ]


# ---------------------------------------------------------------------------
# rows of no unit


def test_a_row_of_no_unit_is_a_choice_of_its_own_with_no_unit_and_nothing_counted():
    lost = version(1, 1, "in/van-linh.xlsx", 10, row=9, excluded=True, unit_code="")
    pho_cu = version(2, 1, "in/van-linh.xlsx", 10, row=7)
    choices = choose_all([lost, pho_cu], KEYS)
    assert [(c.unit_code, c.counted, c.excluded, c.findings) for c in choices] == [
        ("", None, [lost], []),
        ("06505-pho-cu", pho_cu, [], []),
    ]
