"""What an official reads about single values, and what a library user gets back: a
month stated in the title stands for a sheet without a month column but never fills a
blank month cell; a company outside the suggested list is a warning and is kept; a
negative quantity is refused; a date typed in a text column reads day first; a role
column is not overridden by a role named in the note."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sheets_tool.validate import validate_files

from .conftest import findings_seen

MONTHLY = ["TT", "Tháng", "Tổ (thôn)", "Số buổi tuyên truyền, hướng dẫn"]
DAILY = [
    "Ngày báo cáo",
    "Thôn",
    "Tổng số hộ",
    "Số hộ có cửa hàng số",
    "Số hộ có tài khoản thanh toán điện tử",
    "Sản lượng tiêu thụ (kg)",
    "Doanh nghiệp hỗ trợ",
]
ROSTER = ["TT", "Họ và tên", "Chức vụ", "Vai trò trong tổ"]


def only_result(path: Any, template: str) -> Any:
    (result,) = validate_files([path], template)
    return result


def test_a_month_in_the_title_does_not_fill_a_blank_month_cell(make_xlsx):
    """The sheet has its own month column: the title's month is not a default for it,
    and the blank cell is reported in its own column."""
    rows = [
        ["BÁO CÁO KẾT QUẢ HOẠT ĐỘNG THÁNG 10/2022"],
        [],
        MONTHLY,
        [1, "10/2022", "Thôn Đông Thái", 3],
        [2, None, "Thôn Thông Tự", 2],
    ]
    path = make_xlsx(rows, sheet="Báo cáo tháng")
    assert findings_seen(path, "monthly") == [
        (
            "field.required",
            "Báo cáo tháng",
            5,
            "month",
            "B5",
            None,
            "Cột 'Tháng' bắt buộc nhập nhưng đang để trống.",
            "'Tháng' is required but empty.",
        )
    ]
    result = only_result(path, "monthly")
    assert [e.values.get("month") for e in result.entries] == [dt.date(2022, 10, 1), None]


def test_a_month_in_the_title_written_with_a_dash_is_every_row_s_month(make_xlsx):
    """No month column: 'THÁNG 10-2022' in the title is the month of every row, and no
    column is missing."""
    rows = [
        ["BÁO CÁO KẾT QUẢ HOẠT ĐỘNG THÁNG 10-2022"],
        [],
        ["TT", "Tổ (thôn)", "Số buổi tuyên truyền, hướng dẫn"],
        [1, "Thôn Đông Thái", 3],
        [2, "Thôn Thông Tự", 2],
    ]
    path = make_xlsx(rows, sheet="Báo cáo tháng")
    result = only_result(path, "monthly")
    assert result.report.findings == []
    assert [e.values["month"] for e in result.entries] == [dt.date(2022, 10, 1)] * 2


def daily(make_xlsx: Any, *rows: list[Any]) -> Any:
    return make_xlsx([DAILY, *rows], sheet="Báo cáo ngày")


def test_a_company_outside_the_suggested_list_is_a_warning_and_is_kept(make_xlsx):
    """'Doanh nghiệp hỗ trợ' suggests choices but takes others: 'Shopee' is a warning,
    not an error, and the row keeps it; 'VTP' reads as 'Viettel Post'."""
    path = daily(
        make_xlsx,
        ["05/08/2021", "Thôn Đông Thái", 100, 10, 20, 5, "Shopee"],
        ["05/08/2021", "Thôn Thông Tự", 100, 10, 20, 5, "VTP"],
    )
    result = only_result(path, "daily")
    assert [
        (f.severity, f.code, f.sheet, f.row, f.column, f.cell, f.value)
        for f in result.report.findings
    ] == [("warning", "field.other_choice", "Báo cáo ngày", 2, "supporter", "G2", "Shopee")]
    (other,) = result.report.findings
    assert other.message("vi") == (
        "'Shopee' ở cột 'Doanh nghiệp hỗ trợ' không có trong danh sách gợi ý "
        "(Viettel Post, Bưu điện)."
    )
    assert other.message("en") == (
        "'Shopee' in 'Doanh nghiệp hỗ trợ' is not one of the listed choices "
        "(Viettel Post, Bưu điện)."
    )
    assert [e.values["supporter"] for e in result.entries] == ["Shopee", "Viettel Post"]


def test_a_negative_quantity_is_refused(make_xlsx):
    path = daily(make_xlsx, ["05/08/2021", "Thôn Đông Thái", 100, 10, 20, -5, "Bưu điện"])
    assert findings_seen(path, "daily") == [
        (
            "field.negative",
            "Báo cáo ngày",
            2,
            "quantity",
            "F2",
            -5,
            "'-5' ở cột 'Sản lượng tiêu thụ (kg)' không được âm.",
            "'-5' in 'Sản lượng tiêu thụ (kg)' must not be negative.",
        )
    ]
    (entry,) = only_result(path, "daily").entries
    assert "quantity" not in entry.values


def test_a_date_typed_in_a_text_column_reads_day_first(make_xlsx):
    """Excel turned the decision number '05/08/2021' into a date: it is kept as the text
    the official typed, day first."""
    rows = [
        [*ROSTER, "Số quyết định"],
        [1, "Nguyễn Văn An", "Trưởng thôn", "Tổ trưởng", dt.datetime(2021, 8, 5)],
    ]
    result = only_result(make_xlsx(rows, sheet="Thôn Đông Thái"), "roster")
    assert result.report.findings == []
    assert [e.values["decision"] for e in result.entries] == ["05/08/2021"]


def test_the_role_column_wins_over_a_role_named_in_the_note(make_xlsx):
    """Cường is a member; his note recalls he once led another team. He is not read as
    a second leader."""
    rows = [
        [*ROSTER, "Ghi chú"],
        [1, "Nguyễn Văn An", "Trưởng thôn", "Tổ trưởng", None],
        [2, "Trần Thị Bình", "Bí thư Chi đoàn", "Tổ phó", None],
        [3, "Lê Văn Cường", "Công an viên", "Tổ viên", "Nguyên Tổ trưởng tổ cũ"],
    ]
    result = only_result(make_xlsx(rows, sheet="Thôn Đông Thái"), "roster")
    assert result.report.findings == []
    assert [(e.values["role"], e.cells["role"]) for e in result.entries] == [
        ("Tổ trưởng", "D2"),
        ("Tổ phó", "D3"),
        ("Tổ viên", "D4"),
    ]
