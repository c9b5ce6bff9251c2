"""What an official reads about a sheet's own sums and dates: a total row against the
data rows above it (since the total before it), a footer count against the list, and
real dates that may have had their day and month swapped; each finding's code, place
(sheet, row, column key, cell), value and message in Vietnamese and English."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sheets_tool.templates import parse_template

from .conftest import SAMPLES, findings_seen

DAILY = [
    "TT",
    "Ngày báo cáo",
    "Thôn",
    "Tổng số hộ",
    "Số hộ có cửa hàng số",
    "Số hộ có tài khoản thanh toán điện tử",
    "Sản lượng tiêu thụ (kg)",
]
DAY = dt.date(2021, 8, 2)


def totals_seen(path: Any) -> list[tuple]:
    return findings_seen(path, "daily", prefix="row.total")


def daily(make_xlsx: Any, *rows: list[Any], name: str = "t.xlsx") -> Any:
    return make_xlsx([DAILY, *rows], name=name, sheet="02-08")


# --- total rows ------------------------------------------------------------------


def test_a_total_row_that_disagrees_with_the_rows_above_names_the_column_and_the_sum():
    path = SAMPLES / "bad" / "daily-broken-rows.xlsx"
    assert totals_seen(path) == [
        (
            "row.total_mismatch",
            "05-08",
            12,
            "shops",
            "E12",
            527,
            "Dòng tổng cộng ghi Số hộ có cửa hàng số = 527 nhưng cộng các dòng trên được 853.",
            "The total row says Số hộ có cửa hàng số = 527 but the rows above add up to 853.",
        ),
        (
            "row.total_mismatch",
            "05-08",
            12,
            "sellers",
            "H12",
            120,
            "Dòng tổng cộng ghi Số hộ có giao dịch thành công = 120 nhưng cộng các dòng trên "
            "được 602.",
            "The total row says Số hộ có giao dịch thành công = 120 but the rows above add up "
            "to 602.",
        ),
    ]


def test_a_second_total_row_adds_up_only_the_rows_since_the_first(make_xlsx):
    """Sub-totals per cluster of villages: "Cộng" under the first two villages, "Tổng
    cộng" under the next two; the second is held to its own two rows (50 + 30), not to
    all four, and the first, right, says nothing."""
    path = daily(
        make_xlsx,
        [1, DAY, "Thôn Nà Phái", 300, 50, 40],
        [2, DAY, "Thôn Bản Thí", 200, 40, 30],
        ["Cộng", None, None, 500, 90, 70],
        [3, DAY, "Thôn Khòn Pát", 100, 20, 10],
        [4, DAY, "Thôn Nà Rào", 150, 30, 20],
        ["Tổng cộng", None, None, 250, 51, 30],
    )
    assert totals_seen(path) == [
        (
            "row.total_mismatch",
            "02-08",
            7,
            "shops",
            "E7",
            51,
            "Dòng tổng cộng ghi Số hộ có cửa hàng số = 51 nhưng cộng các dòng trên được 50.",
            "The total row says Số hộ có cửa hàng số = 51 but the rows above add up to 50.",
        )
    ]


def test_a_total_cell_holding_only_an_invisible_character_is_blank(make_xlsx):
    """A zero-width space pasted from a web page: nothing is stated, nothing compared,
    and the file is read as usual (no ``file.unreadable``)."""
    path = daily(
        make_xlsx,
        [1, DAY, "Thôn Nà Phái", 300, 50, 40],
        [2, DAY, "Thôn Bản Thí", 200, 40, 30],
        ["Tổng cộng", None, None, "\u200b", 90, 70],
    )
    assert findings_seen(path, "daily") == []


def test_a_total_one_millionth_away_from_the_rows_is_rounding_not_a_mismatch(make_xlsx):
    """The tolerance is strict: a difference of exactly 0.000001 is not reported, one
    above it is."""
    rows = [
        [1, DAY, "Thôn Nà Phái", 300, 50, 40, 0],
        [2, DAY, "Thôn Bản Thí", 200, 40, 30, 0],
    ]
    tolerated = daily(make_xlsx, *rows, ["Tổng cộng", None, None, 500, 90, 70, 0.000001])
    assert totals_seen(tolerated) == []
    above = ["Tổng cộng", None, None, 500, 90, 70, 0.000002]
    reported = daily(make_xlsx, *rows, above, name="u.xlsx")
    assert [f[:6] for f in totals_seen(reported)] == [
        ("row.total_mismatch", "02-08", 4, "quantity", "G4", 0.000002)
    ]


# --- footers ---------------------------------------------------------------------


def test_a_footer_count_that_disagrees_with_the_list_is_reported_at_the_footer():
    path = SAMPLES / "bad" / "roster-duplicate-and-footer.xlsx"
    assert findings_seen(path, "roster", prefix="footer.") == [
        (
            "footer.count_mismatch",
            "Tổ CNS",
            14,
            None,
            "A14",
            "Danh sách ấn định 3 người",
            "Dòng cuối ghi 'Danh sách ấn định 3 người' (3 người) nhưng danh sách có 4 người.",
            "The footer says 'Danh sách ấn định 3 người' (3 people) but the list has 4.",
        )
    ]


# --- dates typed month first -------------------------------------------------------


def test_real_dates_next_to_late_text_dates_may_have_day_and_month_swapped():
    path = SAMPLES / "bad" / "daily-us-locale-dates.xlsx"
    example_vi = "(cột này có ngày dạng chữ như '13/10/2021', máy nhập theo kiểu Mỹ)"
    example_en = "(the column also has text dates such as '13/10/2021': typed under a US locale)"
    assert findings_seen(path, "daily") == [
        (
            "field.date_maybe_swapped",
            "Tổng hợp tuần",
            row,
            "date",
            f"B{row}",
            shown,
            f"Ngày {shown} ở cột 'Ngày báo cáo' có thể đã bị đảo ngày và tháng {example_vi}. "
            "Hãy kiểm tra.",
            f"Date {shown} in 'Ngày báo cáo' may have day and month swapped {example_en}. "
            "Check it.",
        )
        for row, shown in ((2, "10/08/2021"), (3, "11/08/2021"))
    ]


TRAINING = parse_template(
    {
        "name": "training",
        "label_vi": "Lớp tập huấn",
        "label_en": "Training course",
        "columns": [
            {"key": "stt", "label_vi": "TT", "label_en": "No.", "type": "text"},
            {"key": "name", "label_vi": "Họ và tên", "label_en": "Full name", "type": "text"},
            {"key": "start", "label_vi": "Ngày bắt đầu", "label_en": "Start", "type": "date"},
            {"key": "end", "label_vi": "Ngày kết thúc", "label_en": "End", "type": "date"},
        ],
    },
    "training.toml",
)


def test_each_date_column_is_judged_on_its_own_text_dates(make_xlsx):
    """The first date column holds real dates only: nothing says how they were typed,
    so they stand. The second has a text date "25/10/2022": its real dates with a day of
    12 or less are pointed out, even though the first column came before it."""
    path = make_xlsx(
        [
            ["TT", "Họ và tên", "Ngày bắt đầu", "Ngày kết thúc"],
            [1, "Nguyễn Văn An", dt.datetime(2022, 10, 3), "25/10/2022"],
            [2, "Trần Thị Bình", dt.datetime(2022, 10, 4), dt.datetime(2022, 11, 5)],
        ],
        sheet="Lớp 1",
    )
    assert findings_seen(path, TRAINING) == [
        (
            "field.date_maybe_swapped",
            "Lớp 1",
            3,
            "end",
            "D3",
            "05/11/2022",
            "Ngày 05/11/2022 ở cột 'Ngày kết thúc' có thể đã bị đảo ngày và tháng (cột này có "
            "ngày dạng chữ như '25/10/2022', máy nhập theo kiểu Mỹ). Hãy kiểm tra.",
            "Date 05/11/2022 in 'Ngày kết thúc' may have day and month swapped (the column also "
            "has text dates such as '25/10/2022': typed under a US locale). Check it.",
        )
    ]
