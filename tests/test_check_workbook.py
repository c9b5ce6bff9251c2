"""check_workbook, for a workbook already read, and what validate_files hands back: the
"none" profile by default; a header with no data rows under it is one warning at the
header row, unless a required column is missing (that says enough); a file that broke
the reader comes back with a workbook marked unreadable, as its report is."""

from __future__ import annotations

import pytest

from sheets_tool import validate
from sheets_tool.reader import read_workbook
from sheets_tool.validate import check_workbook, validate_files

from .conftest import SAMPLES, findings_seen

ROSTER = SAMPLES / "good" / "ha-tinh-tung-anh-roster.xlsx"


def test_a_workbook_already_read_is_checked_under_no_profile_by_default():
    result = check_workbook(read_workbook(ROSTER))
    report = result.report
    assert (report.path, report.template, report.readable, report.records) == (
        str(ROSTER),
        "roster",
        True,
        12,
    )
    assert report.findings == []
    assert len(result.entries) == 12


def test_a_header_without_data_rows_is_one_warning_at_the_header_row(make_xlsx):
    title = ["DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG THÔN ĐÔNG THÁI"]
    path = make_xlsx([title, [], ["TT", "Họ và tên", "Chức vụ", "Vai trò trong tổ"]])
    assert findings_seen(path, "roster") == [
        (
            "file.no_records",
            "Sheet1",
            3,
            None,
            None,
            None,
            "Sheet có dòng tiêu đề nhưng không có dòng số liệu nào.",
            "The sheet has a header row but no data rows.",
        )
    ]
    (result,) = validate_files([path], "roster")
    assert [f.severity for f in result.report.findings] == ["warning"]
    assert (result.report.readable, result.report.records) == (True, 0)


def test_a_header_missing_a_required_column_and_without_rows_says_only_that(make_xlsx):
    path = make_xlsx([["TT", "Họ và tên", "Chức vụ"]], sheet="Thôn Đông Thái")
    assert findings_seen(path, "roster") == [
        (
            "header.missing_column",
            "Thôn Đông Thái",
            1,
            "role",
            None,
            None,
            "Dòng tiêu đề (dòng 1) thiếu cột bắt buộc 'Vai trò trong tổ'.",
            "The header row (row 1) lacks the required column 'Vai trò trong tổ'.",
        )
    ]


def test_a_file_that_breaks_the_reader_comes_back_with_an_unreadable_workbook(
    monkeypatch: pytest.MonkeyPatch,
):
    def broken(path, template=None):
        raise KeyError("styles.xml")

    monkeypatch.setattr(validate, "read_workbook", broken)
    (result,) = validate_files([ROSTER], "roster")
    assert (result.report.readable, result.workbook.readable) == (False, False)
    assert (result.workbook.path, result.workbook.template) == (str(ROSTER), None)
    assert [f.code for f in result.report.findings] == ["file.unreadable"]
    assert result.entries == []
