"""More of what an official reads about teams and steering committees: a name written
twice in a team is compared with others as first written; a row of the task table with
no name stands for nobody, so it does not hide a person of the decision list."""

from __future__ import annotations

from .conftest import findings_seen

ROSTER = ["TT", "Họ và tên", "Chức vụ", "Vai trò trong tổ"]
AN = [1, "Nguyễn Văn An", "Trưởng thôn", "Tổ trưởng"]
DECISION = ["TT", "Họ và tên", "Chức vụ", "Chức danh BCĐ"]
HAI = [1, "Nguyễn Văn Hải", "Chủ tịch UBND xã", "Trưởng ban"]
LOI = [2, "Lê Doãn Lợi", "Phó Chủ tịch UBND xã", "Phó ban"]
TASKS = ["TT", "Họ và tên", "Nhiệm vụ được phân công"]


def test_a_name_written_twice_is_compared_with_others_as_first_written(make_xlsx):
    """Hường is listed twice (the second time in capitals); Hương, a letter away, is
    pointed at the first Hường, as she was first written."""
    rows = [
        ROSTER,
        AN,
        [2, "Phạm Thị Hường", "Bí thư Chi đoàn", "Tổ phó"],
        [3, "PHẠM THỊ HƯỜNG", "Bí thư Chi đoàn", "Tổ viên"],
        [4, "Phạm Thị Hương", "Công an viên", "Tổ viên"],
    ]
    path = make_xlsx(rows, sheet="Thôn Đông Thái")
    assert findings_seen(path, "roster") == [
        (
            "team.duplicate_person",
            "Thôn Đông Thái",
            4,
            "name",
            "B4",
            "PHẠM THỊ HƯỜNG",
            "'PHẠM THỊ HƯỜNG' có tên hai lần trong tổ 'Thôn Đông Thái' (cũng ở B3).",
            "'PHẠM THỊ HƯỜNG' is listed twice in team 'Thôn Đông Thái' (also at B3).",
        ),
        (
            "names.near_identical",
            "Thôn Đông Thái",
            5,
            "name",
            "B5",
            "Phạm Thị Hương",
            "Hai tên gần giống nhau: 'Phạm Thị Hương' và 'Phạm Thị Hường' (Thôn Đông Thái!B3). "
            "Có phải cùng một người bị gõ sai?",
            "Two near-identical names: 'Phạm Thị Hương' and 'Phạm Thị Hường' "
            "(Thôn Đông Thái!B3). Is one a typo of the other?",
        ),
    ]


def test_a_task_row_without_a_name_stands_for_nobody(make_xlsx):
    """The task table has a row whose name was left blank: the blank is a required
    field, and the member it was meant for is still missing from the task table."""
    decision = [DECISION, HAI, LOI, [3, "Hoàng Văn Nam", "Công chức Tư pháp", "Ủy viên"]]
    tasks = [
        TASKS,
        [1, "Nguyễn Văn Hải", "Phụ trách chung"],
        [2, "Lê Doãn Lợi", "Kinh tế số"],
        [3, None, "Tuyên truyền"],
    ]
    path = make_xlsx(decision, sheet="Quyết định", more={"Phân công": tasks})
    assert findings_seen(path, "steering") == [
        (
            "field.required",
            "Phân công",
            4,
            "name",
            "B4",
            None,
            "Cột 'Họ và tên' bắt buộc nhập nhưng đang để trống.",
            "'Họ và tên' is required but empty.",
        ),
        (
            "steering.tables_differ",
            "Quyết định",
            4,
            "name",
            "B4",
            "Hoàng Văn Nam",
            "'Hoàng Văn Nam' có trong danh sách quyết định nhưng không có trong "
            "bảng phân công nhiệm vụ.",
            "'Hoàng Văn Nam' is in the decision list but not in the task table.",
        ),
    ]
