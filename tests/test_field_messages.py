"""What an official reads about fields and headers: a refused choice lists the choices;
a missing required column suggests the closest header that was not understood (by its
spelling, or because it holds every word of one of the column's names), or none when
nothing is close; and a role written in the note column is read as the role."""

from __future__ import annotations

from typing import Any

from sheets_tool.commands.common import format_finding
from sheets_tool.validate import validate_files, validate_paths

from .conftest import SAMPLES


def missing_columns(path: Any, template: str = "roster") -> list[tuple]:
    """(row, column, cell, vi message, en message) of each header.missing_column."""
    (report,) = validate_paths([path], template).files
    return [
        (f.row, f.column, f.cell, f.message("vi"), f.message("en"))
        for f in report.findings
        if f.code == "header.missing_column"
    ]


def role_missing(make_xlsx: Any, *headers: str) -> list[tuple]:
    """A roster whose header has ``headers`` where the role column should be."""
    rows = [["TT", "Họ và tên", "Chức vụ", *headers], [1, "Nguyễn Văn An", "Trưởng thôn"]]
    return missing_columns(make_xlsx(rows, sheet="Thôn Đông Thái"))


def role_hint(text: str, cell: str) -> tuple:
    return (
        1,
        "role",
        None,
        "Dòng tiêu đề (dòng 1) thiếu cột bắt buộc 'Vai trò trong tổ'. "
        f"Có phải là cột '{text}' ở {cell}?",
        "The header row (row 1) lacks the required column 'Vai trò trong tổ'. "
        f"Is it the column '{text}' at {cell}?",
    )


def test_a_refused_choice_lists_the_choices():
    path = SAMPLES / "bad" / "roster-duplicate-and-footer.xlsx"
    (report,) = validate_paths([path], "roster").files
    (bad,) = [f for f in report.findings if f.code == "field.bad_choice"]
    assert (bad.row, bad.column, bad.value) == (12, "role", "Trưởng nhóm kỹ thuật")
    assert format_finding("to.xlsx", bad, "vi") == (
        "to.xlsx:Tổ CNS!E12: lỗi: 'Trưởng nhóm kỹ thuật' không có trong danh sách của cột "
        "'Vai trò trong tổ' (Tổ trưởng, Tổ phó, Tổ viên)."
    )
    assert format_finding("to.xlsx", bad, "en") == (
        "to.xlsx:Tổ CNS!E12: error: 'Trưởng nhóm kỹ thuật' is not one of the choices of "
        "'Vai trò trong tổ' (Tổ trưởng, Tổ phó, Tổ viên)."
    )


def test_the_shipped_missing_column_sample_suggests_the_header_written_instead():
    path = SAMPLES / "bad" / "daily-missing-column.xlsx"
    assert missing_columns(path, "daily") == [
        (
            3,
            "households",
            None,
            "Dòng tiêu đề (dòng 3) thiếu cột bắt buộc 'Tổng số hộ'. Có phải là cột 'Số hộ "
            "dân cư toàn thôn' ở C3?",
            "The header row (row 3) lacks the required column 'Tổng số hộ'. Is it the column "
            "'Số hộ dân cư toàn thôn' at C3?",
        )
    ]


def test_a_header_holding_every_word_of_the_column_is_suggested(make_xlsx):
    """Spelt far from 'Vai trò trong tổ', but it holds all its words."""
    text = "Ghi rõ vai trò trong tổ của từng người"
    assert role_missing(make_xlsx, text) == [role_hint(text, "D1")]


def test_a_header_spelt_close_to_the_column_is_suggested(make_xlsx):
    assert role_missing(make_xlsx, "Vị trí trong tổ") == [role_hint("Vị trí trong tổ", "D1")]


def test_a_header_sharing_six_letters_in_ten_is_still_suggested(make_xlsx):
    """'Vai' against the name 'Vai trò': the similarity is 0.6, the threshold itself."""
    assert role_missing(make_xlsx, "Vai") == [role_hint("Vai", "D1")]


def test_an_unrelated_header_is_not_suggested(make_xlsx):
    assert role_missing(make_xlsx, "Số nhà") == [
        (
            1,
            "role",
            None,
            "Dòng tiêu đề (dòng 1) thiếu cột bắt buộc 'Vai trò trong tổ'.",
            "The header row (row 1) lacks the required column 'Vai trò trong tổ'.",
        )
    ]


def test_the_closer_spelling_wins_over_a_header_that_only_holds_the_words(make_xlsx):
    found = role_missing(make_xlsx, "Ghi rõ vai trò trong tổ của từng người", "Vị trí trong tổ")
    assert found == [role_hint("Vị trí trong tổ", "E1")]


def test_of_two_headers_equally_close_the_first_is_suggested(make_xlsx):
    first = "Ghi rõ vai trò trong tổ của người này"
    found = role_missing(make_xlsx, first, "Ghi rõ vai trò trong tổ của người kia")
    assert found == [role_hint(first, "D1")]


def test_the_words_of_a_name_in_another_order_are_suggested(make_xlsx):
    """'Tên, họ' holds exactly the words of the name 'Họ tên'."""
    rows = [
        ["TT", "Tên, họ", "Chức vụ", "Vai trò trong tổ"],
        [1, "Nguyễn Văn An", "Trưởng thôn", "Tổ trưởng"],
    ]
    assert missing_columns(make_xlsx(rows, sheet="Thôn Đông Thái")) == [
        (
            1,
            "name",
            None,
            "Dòng tiêu đề (dòng 1) thiếu cột bắt buộc 'Họ và tên'. Có phải là cột 'Tên, họ' ở B1?",
            "The header row (row 1) lacks the required column 'Họ và tên'. Is it the column "
            "'Tên, họ' at B1?",
        )
    ]


def test_a_note_naming_two_roles_is_read_as_the_longer_one(make_xlsx):
    """No role column: the note says the role. 'Trưởng nhóm' (the group's leader) is
    read before 'thành viên' (a member of something else)."""
    rows = [
        ["TT", "Họ và tên", "Chức vụ", "Ghi chú"],
        [1, "Nguyễn Văn An", "Trưởng thôn", "Trưởng nhóm; thành viên BCH Đoàn xã"],
        [2, "Trần Thị Bình", "Bí thư Chi đoàn", "Tổ phó"],
        [3, "Lê Văn Cường", "Công an viên", "Tổ viên"],
    ]
    (result,) = validate_files([make_xlsx(rows, sheet="Thôn Đông Thái")], "roster")
    assert result.report.findings == []
    assert [(e.values["role"], e.cells["role"]) for e in result.entries] == [
        ("Tổ trưởng", "D2"),
        ("Tổ phó", "D3"),
        ("Tổ viên", "D4"),
    ]
