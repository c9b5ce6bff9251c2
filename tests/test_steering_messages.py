"""What an official reads about a steering committee file: every steering finding's code,
place (sheet, row, column key, cell), value and message in Vietnamese and English, for
the shipped bad samples and for small committees written here: one head who is the
commune chairman, a deputy, the decision list and the task table naming the same people,
near-identical names, and villages looked after."""

from __future__ import annotations

from typing import Any

from sheets_tool.commands.common import format_finding
from sheets_tool.validate import validate_paths

from .conftest import SAMPLES, findings_seen

DECISION = ["TT", "Họ và tên", "Chức vụ", "Chức danh BCĐ"]
HAI = [1, "Nguyễn Văn Hải", "Chủ tịch UBND xã", "Trưởng ban"]
LOI = [2, "Lê Doãn Lợi", "Phó Chủ tịch UBND xã", "Phó ban"]
CANH = [3, "Võ Thị Thanh Cảnh", "Công chức Văn hóa - Xã hội", "Ủy viên"]


# Võ Thị Thanh Cảnh (row 4 of the decision list) is given no task
CANH_NOT_IN_TASKS = (
    "steering.tables_differ",
    "Quyết định",
    4,
    "name",
    "B4",
    "Võ Thị Thanh Cảnh",
    "'Võ Thị Thanh Cảnh' có trong danh sách quyết định nhưng không có trong bảng "
    "phân công nhiệm vụ.",
    "'Võ Thị Thanh Cảnh' is in the decision list but not in the task table.",
)


def seen(path: Any) -> list[tuple]:
    return findings_seen(path, "steering")


def test_a_name_spelt_differently_in_the_two_tables_is_shown_with_its_likely_twin():
    path = SAMPLES / "bad" / "steering-names-differ.xlsx"
    assert seen(path) == [
        (
            "steering.tables_differ",
            "Phân công",
            11,
            "name",
            "B11",
            "Phạm Thị Hương",
            "'Phạm Thị Hương' có trong bảng phân công nhiệm vụ nhưng không có trong danh sách "
            "quyết định. Có phải là 'Phạm Thị Hường' ở Quyết định!C13?",
            "'Phạm Thị Hương' is in the task table but not in the decision list. "
            "Is it 'Phạm Thị Hường' at Quyết định!C13?",
        ),
        (
            "steering.head_not_chairman",
            "Quyết định",
            8,
            "position",
            "D8",
            "Phó Chủ tịch UBND xã",
            "Trưởng ban là 'Phó Chủ tịch UBND xã'; Trưởng ban phải là Chủ tịch UBND xã.",
            "The head is 'Phó Chủ tịch UBND xã'; the head must be the commune chairman "
            "(Chủ tịch UBND xã).",
        ),
        (
            "steering.tables_differ",
            "Quyết định",
            13,
            "name",
            "C13",
            "Phạm Thị Hường",
            "'Phạm Thị Hường' có trong danh sách quyết định nhưng không có trong bảng phân "
            "công nhiệm vụ. Có phải là 'Phạm Thị Hương' ở Phân công!B11?",
            "'Phạm Thị Hường' is in the decision list but not in the task table. "
            "Is it 'Phạm Thị Hương' at Phân công!B11?",
        ),
    ]


def test_the_cli_prints_where_and_what_for_a_name_missing_from_the_task_table():
    path = SAMPLES / "bad" / "steering-names-differ.xlsx"
    (report,) = validate_paths([path], "steering").files
    differ = [f for f in report.findings if f.code == "steering.tables_differ"]
    assert [format_finding("bcd.xlsx", f, "en") for f in differ] == [
        "bcd.xlsx:Phân công!B11: error: 'Phạm Thị Hương' is in the task table but not in "
        "the decision list. Is it 'Phạm Thị Hường' at Quyết định!C13?",
        "bcd.xlsx:Quyết định!C13: error: 'Phạm Thị Hường' is in the decision list but not in "
        "the task table. Is it 'Phạm Thị Hương' at Phân công!B11?",
    ]
    assert format_finding("bcd.xlsx", differ[1], "vi") == (
        "bcd.xlsx:Quyết định!C13: lỗi: 'Phạm Thị Hường' có trong danh sách quyết định nhưng "
        "không có trong bảng phân công nhiệm vụ. Có phải là 'Phạm Thị Hương' ở Phân công!B11?"
    )


def test_two_heads_are_reported_at_the_second_and_a_missing_deputy_at_the_first_row():
    path = SAMPLES / "bad" / "steering-two-heads.xlsx"
    assert seen(path) == [
        (
            "steering.no_deputy",
            "Quyết định",
            6,
            "committee_role",
            "E6",
            None,
            "Ban chỉ đạo chưa có Phó ban.",
            "The committee has no deputy head.",
        ),
        (
            "steering.head_count",
            "Quyết định",
            7,
            "committee_role",
            "E7",
            2,
            "Ban chỉ đạo có 2 Trưởng ban; phải có đúng một.",
            "The committee has 2 heads; it must have exactly one.",
        ),
    ]


def test_a_committee_without_a_head_is_reported_at_its_first_member(make_xlsx):
    no_head = [1, "Nguyễn Văn Hải", "Chủ tịch UBND xã", "Ủy viên"]
    path = make_xlsx([DECISION, no_head, LOI, CANH], sheet="Quyết định")
    assert seen(path) == [
        (
            "steering.head_count",
            "Quyết định",
            2,
            "committee_role",
            "D2",
            0,
            "Ban chỉ đạo có 0 Trưởng ban; phải có đúng một.",
            "The committee has 0 heads; it must have exactly one.",
        )
    ]


def test_a_head_whose_position_is_blank_is_not_taken_for_the_chairman(make_xlsx):
    blank = [1, "Nguyễn Văn Hải", None, "Trưởng ban"]
    path = make_xlsx([DECISION, blank, LOI, CANH], sheet="Quyết định")
    assert seen(path) == [
        (
            "steering.head_not_chairman",
            "Quyết định",
            2,
            "position",
            "C2",
            None,
            "Trưởng ban là ''; Trưởng ban phải là Chủ tịch UBND xã.",
            "The head is ''; the head must be the commune chairman (Chủ tịch UBND xã).",
        )
    ]


def test_the_chairman_written_out_or_abbreviated_heads_the_committee(make_xlsx):
    for position in ("Chủ tịch Ủy ban nhân dân xã", "CT UBND xã", "Chủ tịch UBND xã"):
        head = [1, "Nguyễn Văn Hải", position, "Trưởng ban"]
        assert seen(make_xlsx([DECISION, head, LOI, CANH], sheet="Quyết định")) == []


def test_a_task_table_with_duties_only_is_compared_with_the_decision_list(make_xlsx):
    tasks = [
        ["TT", "Họ và tên", "Nhiệm vụ được phân công"],
        [1, "Nguyễn Văn Hải", "Phụ trách chung"],
        [2, "Lê Doãn Lợi", "Kinh tế số"],
        [3, "Trần Văn Bình", "Tuyên truyền"],
    ]
    path = make_xlsx([DECISION, HAI, LOI, CANH], sheet="Quyết định", more={"Phân công": tasks})
    assert seen(path) == [
        (
            "steering.tables_differ",
            "Phân công",
            4,
            "name",
            "B4",
            "Trần Văn Bình",
            "'Trần Văn Bình' có trong bảng phân công nhiệm vụ nhưng không có trong danh sách "
            "quyết định.",
            "'Trần Văn Bình' is in the task table but not in the decision list.",
        ),
        CANH_NOT_IN_TASKS,
    ]


def test_a_village_only_task_table_is_compared_even_when_the_decision_list_has_duties(
    make_xlsx,
):
    """The decision list has its own duties column: it is still the decision list, and
    the separate table of villages is the task table it is compared with."""
    decision = [[*DECISION, "Nhiệm vụ"]] + [[*m, "Tuyên truyền"] for m in (HAI, LOI, CANH)]
    tasks = [
        ["TT", "Họ và tên", "Thôn phụ trách"],
        [1, "Nguyễn Văn Hải", "Thôn Đông Thái"],
        [2, "Lê Doãn Lợi", "Thôn Thông Tự"],
    ]
    path = make_xlsx(decision, sheet="Quyết định", more={"Phân công": tasks})
    assert seen(path) == [CANH_NOT_IN_TASKS]


def test_without_a_decision_list_no_table_is_held_against_another(make_xlsx):
    """No table names roles on the committee: nothing says which list is the decision."""
    members = [
        ["TT", "Họ và tên", "Chức vụ"],
        [1, "Nguyễn Văn Hải", "Chủ tịch UBND xã"],
        [2, "Lê Doãn Lợi", "Phó Chủ tịch UBND xã"],
    ]
    tasks = [["TT", "Họ và tên", "Nhiệm vụ được phân công"], [1, "Nguyễn Văn Hải", "Chung"]]
    assert seen(make_xlsx(members, sheet="Danh sách", more={"Phân công": tasks})) == []


def test_a_row_without_a_name_is_a_required_field_not_a_missing_person(make_xlsx):
    decision = [DECISION, HAI, LOI, CANH, [4, None, "Công chức Tư pháp", "Ủy viên"]]
    tasks = [
        ["TT", "Họ và tên", "Nhiệm vụ được phân công"],
        [1, "Nguyễn Văn Hải", "Phụ trách chung"],
        [2, "Lê Doãn Lợi", "Kinh tế số"],
        [3, "Võ Thị Thanh Cảnh", "Tổng hợp"],
        [4, None, "Tuyên truyền"],
    ]
    path = make_xlsx(decision, sheet="Quyết định", more={"Phân công": tasks})
    assert [(code, sheet, cell) for code, sheet, _r, _c, cell, *_ in seen(path)] == [
        ("field.required", "Phân công", "B5"),
        ("field.required", "Quyết định", "B5"),
    ]


def test_near_identical_names_in_the_decision_list_are_pointed_out(make_xlsx):
    huong = [4, "Phạm Thị Hường", "Công chức Tư pháp", "Ủy viên"]
    huong2 = [5, "Phạm Thị Hương", "Chủ tịch Hội Phụ nữ xã", "Ủy viên"]
    path = make_xlsx([DECISION, HAI, LOI, CANH, huong, huong2], sheet="Quyết định")
    assert seen(path) == [
        (
            "names.near_identical",
            "Quyết định",
            6,
            "name",
            "B6",
            "Phạm Thị Hương",
            "Hai tên gần giống nhau: 'Phạm Thị Hương' và 'Phạm Thị Hường' (Quyết định!B5). "
            "Có phải cùng một người bị gõ sai?",
            "Two near-identical names: 'Phạm Thị Hương' and 'Phạm Thị Hường' "
            "(Quyết định!B5). Is one a typo of the other?",
        )
    ]


def test_members_without_a_village_are_not_taken_for_a_village_without_a_team():
    """Tùng Ảnh: the decision list names no village (the task table does); the
    committee file has nothing to correct."""
    roster = SAMPLES / "good" / "ha-tinh-tung-anh-roster.xlsx"
    steering = SAMPLES / "good" / "ha-tinh-tung-anh-steering.xlsx"
    report = validate_paths([roster, steering], profile="ha-tinh-2022")
    assert report.files[1].findings == []
