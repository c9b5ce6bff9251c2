"""What an official reads about a roster's teams: each team finding's code, place (sheet,
row, column key, cell), value and message in Vietnamese and English, under the shipped
profiles and under profiles that set only a minimum or only a maximum size, or only the
deputy's position."""

from __future__ import annotations

from typing import Any

from sheets_tool.commands.common import format_finding
from sheets_tool.templates import parse_profile
from sheets_tool.validate import validate_paths

from .conftest import SAMPLES, findings_seen

HEADER = ["TT", "Họ và tên", "Chức vụ", "Vai trò trong tổ"]
AN = [1, "Nguyễn Văn An", "Trưởng thôn", "Tổ trưởng"]
BINH = [2, "Trần Thị Bình", "Bí thư Chi đoàn", "Tổ phó"]
CUONG = [3, "Lê Văn Cường", "Công an viên", "Tổ viên"]


def seen(path: Any, profile: Any = "none", prefix: str = "team.") -> list[tuple]:
    return findings_seen(path, "roster", profile, prefix)


def team(make_xlsx: Any, *rows: list[Any]) -> Any:
    return make_xlsx([HEADER, *rows], sheet="Thôn Đông Thái")


def test_a_team_of_four_under_a_rule_of_exactly_three_with_positions_and_a_twin():
    path = SAMPLES / "bad" / "roster-duplicate-and-footer.xlsx"
    rules = "'Trưởng thôn' hoặc 'Thôn trưởng' hoặc 'Tổ trưởng tổ dân phố'"
    assert seen(path, "ha-tinh-2022") == [
        (
            "team.size",
            "Tổ CNS",
            10,
            "name",
            "C10",
            4,
            "Tổ 'Thôn Đông Thái' có 4 người; quy định ha-tinh-2022: đúng 3 người.",
            "Team 'Thôn Đông Thái' has 4 members; ha-tinh-2022 requires exactly 3.",
        ),
        (
            "team.leader_position",
            "Tổ CNS",
            10,
            "position",
            "D10",
            "BT chi bộ Thôn Đông Thái",
            "Tổ trưởng của tổ 'Thôn Đông Thái' là 'BT chi bộ Thôn Đông Thái'; quy định "
            f"ha-tinh-2022: Tổ trưởng là {rules}.",
            "The leader of team 'Thôn Đông Thái' is 'BT chi bộ Thôn Đông Thái'; ha-tinh-2022 "
            "expects 'Trưởng thôn' or 'Thôn trưởng' or 'Tổ trưởng tổ dân phố'.",
        ),
        (
            "team.deputy_position",
            "Tổ CNS",
            11,
            "position",
            "D11",
            "Thôn trưởng thôn Đông Thái",
            "Tổ phó của tổ 'Thôn Đông Thái' là 'Thôn trưởng thôn Đông Thái'; quy định "
            "ha-tinh-2022: Tổ phó là 'Bí thư Chi đoàn' hoặc 'Bí thư Đoàn'.",
            "The deputy of team 'Thôn Đông Thái' is 'Thôn trưởng thôn Đông Thái'; "
            "ha-tinh-2022 expects 'Bí thư Chi đoàn' or 'Bí thư Đoàn'.",
        ),
        (
            "team.duplicate_person",
            "Tổ CNS",
            13,
            "name",
            "C13",
            "Mai Thị Hằng",
            "'Mai Thị Hằng' có tên hai lần trong tổ 'Thôn Đông Thái' (cũng ở C12).",
            "'Mai Thị Hằng' is listed twice in team 'Thôn Đông Thái' (also at C12).",
        ),
    ]


def test_the_cli_prints_a_position_rule_as_a_list_of_choices():
    path = SAMPLES / "bad" / "roster-ha-tinh-2023-positions.xlsx"
    (report,) = validate_paths([path], "roster", "ha-tinh-2022").files
    (deputy,) = [f for f in report.findings if f.code == "team.deputy_position"]
    assert format_finding("to.xlsx", deputy, "vi") == (
        "to.xlsx:Thôn Tân Hương!C4: cảnh báo: Tổ phó của tổ 'Thôn Tân Hương' là 'Công chức "
        "Tư pháp'; quy định ha-tinh-2022: Tổ phó là 'Bí thư Chi đoàn' hoặc 'Bí thư Đoàn'."
    )
    assert format_finding("to.xlsx", deputy, "en") == (
        "to.xlsx:Thôn Tân Hương!C4: warning: The deputy of team 'Thôn Tân Hương' is 'Công "
        "chức Tư pháp'; ha-tinh-2022 expects 'Bí thư Chi đoàn' or 'Bí thư Đoàn'."
    )


def test_a_size_range_is_said_as_from_to():
    path = SAMPLES / "bad" / "roster-nghe-an-team-size.xlsx"
    assert seen(path, "nghe-an-2023") == [
        (
            "team.size",
            "Khối 1",
            4,
            "name",
            "B4",
            11,
            "Tổ 'Khối 1' có 11 người; quy định nghe-an-2023: từ 5 đến 10 người.",
            "Team 'Khối 1' has 11 members; nghe-an-2023 requires 5 to 10 members.",
        ),
        (
            "team.size",
            "Khối 2",
            4,
            "name",
            "B4",
            4,
            "Tổ 'Khối 2' có 4 người; quy định nghe-an-2023: từ 5 đến 10 người.",
            "Team 'Khối 2' has 4 members; nghe-an-2023 requires 5 to 10 members.",
        ),
    ]


def test_a_minimum_alone_is_said_as_at_least(make_xlsx):
    profile = parse_profile({"name": "it-nhat-4", "team": {"min_size": 4}}, "test")
    assert seen(team(make_xlsx, AN, BINH, CUONG), profile) == [
        (
            "team.size",
            "Thôn Đông Thái",
            2,
            "name",
            "B2",
            3,
            "Tổ 'Thôn Đông Thái' có 3 người; quy định it-nhat-4: ít nhất 4 người.",
            "Team 'Thôn Đông Thái' has 3 members; it-nhat-4 requires at least 4 members.",
        )
    ]


def test_a_maximum_alone_is_said_as_at_most(make_xlsx):
    profile = parse_profile({"name": "toi-da-2", "team": {"max_size": 2}}, "test")
    assert seen(team(make_xlsx, AN, BINH, CUONG), profile) == [
        (
            "team.size",
            "Thôn Đông Thái",
            2,
            "name",
            "B2",
            3,
            "Tổ 'Thôn Đông Thái' có 3 người; quy định toi-da-2: không quá 2 người.",
            "Team 'Thôn Đông Thái' has 3 members; toi-da-2 requires at most 2 members.",
        )
    ]


def test_two_leaders_are_reported_at_the_second():
    path = SAMPLES / "bad" / "roster-two-leaders.xlsx"
    assert seen(path) == [
        (
            "team.leader_count",
            "Tổ CNS",
            15,
            "role",
            "E15",
            2,
            "Tổ 'Thôn Đông Thái' có 2 Tổ trưởng; mỗi tổ phải có đúng một Tổ trưởng.",
            "Team 'Thôn Đông Thái' has 2 leaders; every team has exactly one.",
        )
    ]


def test_a_team_without_a_leader_is_reported_at_its_first_member(make_xlsx):
    no_leader = [1, "Nguyễn Văn An", "Trưởng thôn", "Tổ viên"]
    assert seen(team(make_xlsx, no_leader, BINH, CUONG)) == [
        (
            "team.leader_count",
            "Thôn Đông Thái",
            2,
            "role",
            "D2",
            0,
            "Tổ 'Thôn Đông Thái' có 0 Tổ trưởng; mỗi tổ phải có đúng một Tổ trưởng.",
            "Team 'Thôn Đông Thái' has 0 leaders; every team has exactly one.",
        )
    ]


def test_a_deputy_rule_applies_when_the_profile_sets_no_leader_rule(make_xlsx):
    profile = parse_profile(
        {"name": "pho", "village": {"deputy_positions": ["Bí thư Chi đoàn", "Bí thư Đoàn"]}},
        "test",
    )
    deputy = [2, "Trần Thị Bình", "Công an viên", "Tổ phó"]
    assert seen(team(make_xlsx, AN, deputy, CUONG), profile) == [
        (
            "team.deputy_position",
            "Thôn Đông Thái",
            3,
            "position",
            "C3",
            "Công an viên",
            "Tổ phó của tổ 'Thôn Đông Thái' là 'Công an viên'; quy định pho: Tổ phó là "
            "'Bí thư Chi đoàn' hoặc 'Bí thư Đoàn'.",
            "The deputy of team 'Thôn Đông Thái' is 'Công an viên'; pho expects "
            "'Bí thư Chi đoàn' or 'Bí thư Đoàn'.",
        )
    ]


def test_a_leader_whose_position_is_blank_breaks_the_position_rule(make_xlsx):
    blank = [1, "Nguyễn Văn An", None, "Tổ trưởng"]
    assert seen(team(make_xlsx, blank, BINH, CUONG), "ha-tinh-2022") == [
        (
            "team.leader_position",
            "Thôn Đông Thái",
            2,
            "position",
            "C2",
            None,
            "Tổ trưởng của tổ 'Thôn Đông Thái' là ''; quy định ha-tinh-2022: Tổ trưởng là "
            "'Trưởng thôn' hoặc 'Thôn trưởng' hoặc 'Tổ trưởng tổ dân phố'.",
            "The leader of team 'Thôn Đông Thái' is ''; ha-tinh-2022 expects 'Trưởng thôn' "
            "or 'Thôn trưởng' or 'Tổ trưởng tổ dân phố'.",
        )
    ]


def test_a_team_without_a_deputy_where_the_profile_wants_one():
    path = SAMPLES / "bad" / "roster-nghe-an-team-size.xlsx"
    assert seen(path, "ha-tinh-2022", prefix="team.deputy_missing") == [
        (
            "team.deputy_missing",
            "Khối 2",
            4,
            "role",
            "D4",
            None,
            "Tổ 'Khối 2' chưa có Tổ phó (quy định ha-tinh-2022).",
            "Team 'Khối 2' has no deputy (ha-tinh-2022).",
        )
    ]


def test_a_commune_team_without_an_officer_the_profile_requires(make_xlsx):
    rows = [
        HEADER,
        [1, "Lê Doãn Lợi", "PCT UBND xã", "Tổ trưởng"],
        [2, "Nguyễn Đắc Thắng", "Bí thư Đoàn xã", "Tổ phó"],
        [3, "Lê Văn Cường", "Công an viên", "Tổ viên"],
    ]
    path = make_xlsx(rows, sheet="Xã Tùng Ảnh")
    assert seen(path, "ha-tinh-2022") == [
        (
            "team.member_missing",
            "Xã Tùng Ảnh",
            2,
            "position",
            "C2",
            None,
            "Tổ 'Xã Tùng Ảnh' chưa có thành viên là 'Công chức' hoặc 'Công nghệ thông tin' "
            "hoặc 'Văn hóa' (quy định ha-tinh-2022).",
            "Team 'Xã Tùng Ảnh' has no member who is 'Công chức' or 'Công nghệ thông tin' or "
            "'Văn hóa' (ha-tinh-2022).",
        )
    ]


def test_near_identical_names_in_a_team_are_pointed_out(make_xlsx):
    huong = [2, "Phạm Thị Hường", "Bí thư Chi đoàn", "Tổ phó"]
    huong2 = [3, "Phạm Thị Hương", "Công an viên", "Tổ viên"]
    assert seen(team(make_xlsx, AN, huong, huong2), prefix="names.") == [
        (
            "names.near_identical",
            "Thôn Đông Thái",
            4,
            "name",
            "B4",
            "Phạm Thị Hương",
            "Hai tên gần giống nhau: 'Phạm Thị Hương' và 'Phạm Thị Hường' (Thôn Đông Thái!B3). "
            "Có phải cùng một người bị gõ sai?",
            "Two near-identical names: 'Phạm Thị Hương' and 'Phạm Thị Hường' "
            "(Thôn Đông Thái!B3). Is one a typo of the other?",
        )
    ]
