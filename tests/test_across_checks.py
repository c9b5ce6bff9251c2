"""What an official reads about the checks across a commune's files: a person listed in
two teams, a village named in a roster or in the committee's task list that has no
team, and a village with a team that no committee member looks after; each finding's
code, place (sheet, row, column key, cell), value and message in Vietnamese and English,
and which file it is reported in."""

from __future__ import annotations

from typing import Any

from sheets_tool.validate import validate_paths

from .conftest import SAMPLES

TITLE = ["UBND XÃ TÙNG ẢNH"]
ROSTER = ["TT", "Họ và tên", "Chức vụ", "Vai trò trong tổ", "Thôn nơi ở", "Số điện thoại"]
STEERING = ["TT", "Họ và tên", "Chức vụ", "Chức danh BCĐ", "Thôn phụ trách"]
HAI = [1, "Nguyễn Văn Hải", "Chủ tịch UBND xã", "Trưởng ban"]
LOI = [2, "Lê Doãn Lợi", "Phó Chủ tịch UBND xã", "Phó ban"]


def seen(*paths: Any, prefix: str = "") -> list[list[tuple]]:
    """For each file checked together: (code, sheet, row, column key, cell, value, vi
    message, en message) of its findings whose code starts with ``prefix``."""
    report = validate_paths(paths, profile="none")
    return [
        [
            (f.code, f.sheet, f.row, f.column, f.cell, f.value, f.message("vi"), f.message("en"))
            for f in fr.findings
            if f.code.startswith(prefix)
        ]
        for fr in report.files
    ]


def roster(make_xlsx: Any, name: str, heading: str, *members: list[Any]) -> Any:
    """One team of Tùng Ảnh under a heading row such as "I. TỔ CNS THÔN ĐÔNG THÁI"."""
    return make_xlsx([TITLE, [], ROSTER, [heading], *members], name=name, sheet="Tổ CNS")


def dong_thai(make_xlsx: Any) -> Any:
    return roster(
        make_xlsx,
        "dong-thai.xlsx",
        "I. TỔ CNS THÔN ĐÔNG THÁI",
        [1, "Nguyễn Văn An", "Trưởng thôn", "Tổ trưởng", "Thôn Đông Thái", "0912345678"],
        [2, "Trần Thị Bình", "Bí thư Chi đoàn", "Tổ phó", "Thôn Đông Thái", "0912345679"],
    )


def thong_tu(make_xlsx: Any, *more: list[Any]) -> Any:
    return roster(
        make_xlsx,
        "thong-tu.xlsx",
        "I. TỔ CNS THÔN THÔNG TỰ",
        [1, "Lê Văn Cường", "Trưởng thôn", "Tổ trưởng", "Thôn Thông Tự", "0912345670"],
        *more,
    )


def committee(make_xlsx: Any, *in_charge: str, name: str = "bcd.xlsx") -> Any:
    """The committee of Tùng Ảnh; ``in_charge`` are the villages its members look after."""
    rows = [[*member, village] for member, village in zip((HAI, LOI), in_charge, strict=True)]
    return make_xlsx([TITLE, [], STEERING, *rows], name=name, sheet="Quyết định")


# --- a person in several teams ------------------------------------------------------


def test_a_person_in_two_teams_is_reported_where_listed_again_with_both_teams(make_xlsx):
    """An (same name, same phone) leads Đông Thái and is a member of Thông Tự, in
    another file of the commune: the second listing is reported, naming both teams."""
    again = [2, "Nguyễn Văn An", "Công an viên", "Tổ viên", "Thôn Thông Tự", "0912345678"]
    first, second = dong_thai(make_xlsx), thong_tu(make_xlsx, again)
    assert seen(first, second, prefix="team.") == [
        [],
        [
            (
                "team.person_in_several_teams",
                "Tổ CNS",
                6,
                "name",
                "B6",
                "Nguyễn Văn An",
                "'Nguyễn Văn An' có tên trong nhiều tổ: Thôn Đông Thái, Thôn Thông Tự.",
                "'Nguyễn Văn An' is in several teams: Thôn Đông Thái, Thôn Thông Tự.",
            )
        ],
    ]


def test_namesakes_with_different_phones_are_two_people(make_xlsx):
    namesake = [2, "Nguyễn Văn An", "Công an viên", "Tổ viên", "Thôn Thông Tự", "0987654321"]
    assert seen(dong_thai(make_xlsx), thong_tu(make_xlsx, namesake), prefix="team.") == [[], []]


# --- villages without a team -----------------------------------------------------------


def test_a_village_of_residence_without_a_team_is_named_at_the_cell():
    path = SAMPLES / "bad" / "roster-two-leaders.xlsx"
    (found,) = seen(path, prefix="roster.")
    assert found == [
        (
            "roster.village_without_team",
            "Tổ CNS",
            row,
            "village",
            f"F{row}",
            village,
            f"'{village}' có trong danh sách nhưng chưa có tổ công nghệ số.",
            f"'{village}' is named but has no digital team.",
        )
        for row, village in ((11, "Thôn Thông Tự"), (12, "Thôn Trung Hòa"))
    ]


def test_a_village_in_the_committees_list_without_a_team_is_named_alone(make_xlsx):
    """Lợi looks after "Thôn Đông Thái, thôn Hòa Lạc": Đông Thái has a team, Hòa Lạc
    has none; the finding names Hòa Lạc, not the whole cell."""
    steering = committee(make_xlsx, "Thôn Đông Thái", "Thôn Đông Thái, thôn Hòa Lạc")
    assert seen(dong_thai(make_xlsx), steering, prefix="roster.") == [
        [],
        [
            (
                "roster.village_without_team",
                "Quyết định",
                5,
                "village_in_charge",
                "E5",
                "thôn Hòa Lạc",
                "'thôn Hòa Lạc' có trong danh sách nhưng chưa có tổ công nghệ số.",
                "'thôn Hòa Lạc' is named but has no digital team.",
            )
        ],
    ]


# --- villages nobody on the committee looks after ----------------------------------------


def test_a_village_with_a_team_and_nobody_on_the_committee_is_reported_in_the_committee_file(
    make_xlsx,
):
    """Thông Tự has a team; the committee looks after Đông Thái only. The finding is the
    committee file's, on its sheet, in the column to fill; no one row or cell is wrong."""
    steering = committee(make_xlsx, "Thôn Đông Thái", "Thôn Đông Thái")
    assert seen(dong_thai(make_xlsx), thong_tu(make_xlsx), steering, prefix="steering.") == [
        [],
        [],
        [
            (
                "steering.village_unassigned",
                "Quyết định",
                None,
                "village_in_charge",
                None,
                "Thôn Thông Tự",
                "'Thôn Thông Tự' chưa có thành viên Ban chỉ đạo phụ trách.",
                "'Thôn Thông Tự' is not looked after by any committee member.",
            )
        ],
    ]


# --- which files are checked together ------------------------------------------------------


def test_files_that_name_no_commune_are_checked_together_and_apart_from_a_named_one(
    make_xlsx,
):
    untitled = make_xlsx(
        [ROSTER, ["I. TỔ CNS THÔN HÒA LẠC"], [1, "Phan Văn Dũng", "Trưởng thôn", "Tổ trưởng"]],
        name="hoa-lac.xlsx",
    )
    steering = make_xlsx(
        [STEERING, [*HAI, "Thôn Thông Tự"], [*LOI, "Thôn Thông Tự"]],
        name="bcd.xlsx",
        sheet="Quyết định",
    )
    # Đông Thái (Tùng Ảnh) is no concern of the committee that names no commune; Hòa Lạc is
    unassigned = seen(dong_thai(make_xlsx), untitled, steering, prefix="steering.")[2]
    assert [(code, value) for code, _s, _r, _c, _cell, value, *_ in unassigned] == [
        ("steering.village_unassigned", "Thôn Hòa Lạc")
    ]
