"""Roster consolidation: teams per unit, villages without a team, the printable list."""

import datetime as dt
import json

import openpyxl
import pytest
from click.testing import CliRunner

from sheets_tool.cli import cli
from sheets_tool.registry import load_registry
from sheets_tool.roster_book import write_roster_summary
from sheets_tool.rosters import consolidate_rosters
from sheets_tool.units import Unit

from .conftest import SAMPLES, formula_cells, recalculate
from .test_consolidate import NEEDS_LO

DUC_THO = SAMPLES / "duc-tho"
ROSTERS = sorted((DUC_THO / "rosters").glob("*.xlsx"))


@pytest.fixture(scope="module")
def summary():
    registry = load_registry(DUC_THO / "registry.xlsx")
    return consolidate_rosters(ROSTERS, level="district", registry=registry, profile="ha-tinh-2022")


def test_teams_members_and_villages_without_a_team(summary):
    assert summary.scope.name == "Huyện Đức Thọ"
    by_name = {c.unit.name: c for c in summary.children}
    assert (by_name["Xã Tùng Ảnh"].teams, by_name["Xã Tùng Ảnh"].members) == (4, 12)
    assert (by_name["Xã Đức Lạng"].teams, by_name["Xã Đức Lạng"].members) == (3, 10)
    assert [v.name for v in summary.without_team] == ["Thôn Hòa Lạc"]
    assert by_name["Xã Tùng Ảnh"].without_team == 1
    codes = sorted(f.code for f in summary.findings)
    assert codes == [
        "team.deputy_position",
        "team.leader_position",
        "team.person_in_several_teams",
        "team.size",
    ]


def test_the_workbook_and_its_printable_list(summary, tmp_path):
    out = write_roster_summary(summary, tmp_path / "to-cns.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Tổ",
        "Thành viên",
        "Chưa có tổ",
        "Vi phạm",
        "Danh sách in",
    ]
    printable = wb["Danh sách in"]
    texts = [c.value for row in printable.iter_rows(max_row=5) for c in row if c.value]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts
    assert "Độc lập - Tự do - Hạnh phúc" in texts
    assert "UBND HUYỆN ĐỨC THỌ" in texts
    assert printable.page_setup.orientation == "landscape"
    assert printable.page_setup.paperSize == 9  # A4
    assert printable.print_title_rows == "$7:$7"
    assert printable["C9"].font.name == printable["A1"].font.name == "Times New Roman"
    assert printable["A8"].value == "Tổ Xã Tùng Ảnh"


def test_a_summary_roster_is_a_roster_again(summary, tmp_path):
    """The district's "Thành viên" sheet reads back as the same people and teams."""
    from sheets_tool.validate import validate_file

    out = write_roster_summary(summary, tmp_path / "to-cns.xlsx")
    again = validate_file(out, "roster")
    people = [(e.team, e.values["name"]) for e in again.entries if e.sheet == "Thành viên"]
    assert len(people) == 22
    assert ("Thôn Đông Thái", "Phạm Hồng Chương") in people


@NEEDS_LO
def test_roster_formulas_recalculate_to_their_cached_values(summary, tmp_path):
    out = write_roster_summary(summary, tmp_path / "to-cns.xlsx")
    cells = formula_cells(out)
    recalculated = openpyxl.load_workbook(recalculate(out, tmp_path), data_only=True)
    assert len(cells) > 50
    for (sheet, ref), (formula, cached) in cells.items():
        assert recalculated[sheet][ref].value == cached, (sheet, ref, formula)


def test_roster_consolidation_command(tmp_path):
    out = tmp_path / "huyen.xlsx"
    result = CliRunner().invoke(
        cli,
        [
            "consolidate",
            *map(str, ROSTERS),
            "--level",
            "district",
            "--registry",
            str(DUC_THO / "registry.xlsx"),
            "--profile",
            "ha-tinh-2022",
            "-o",
            str(out),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 1  # a team of four where the profile says three
    doc = json.loads(result.output)
    assert doc["totals"] == {"teams": 7, "members": 22, "villages_without_team": 1, "breaches": 4}
    assert out.exists()


# ---------------------------------------------------------------------------
# rosters one level up: the communes' summaries give the same numbers


def _numbers(summary):
    doc = summary.to_dict()
    children = {u["code"]: u["values"] for u in doc["units"]}
    teams = sorted((t.unit.code, len(t.members), t.breaches) for t in summary.teams)
    breaches = sorted(f.code for f in summary.findings if f.code.startswith("team."))
    return children, doc["totals"], teams, breaches


def _via_summaries(groups, level, registry, tmp_path, profile="ha-tinh-2022"):
    """Consolidate each group of inputs at ``level`` and write it; the written summaries."""
    out = []
    for n, inputs in enumerate(groups):
        lower = consolidate_rosters(inputs, level=level, registry=registry, profile=profile)
        out.append(write_roster_summary(lower, tmp_path / f"{level}-{n}.xlsx"))
    return out


def test_commune_summaries_consolidate_to_the_direct_numbers(summary, tmp_path):
    registry = load_registry(DUC_THO / "registry.xlsx")
    communes = _via_summaries([[p] for p in ROSTERS], "commune", registry, tmp_path)
    again = consolidate_rosters(
        communes, level="district", registry=registry, profile="ha-tinh-2022"
    )
    assert _numbers(again) == _numbers(summary)
    assert again.to_dict()["totals"] == {
        "teams": 7,
        "members": 22,
        "villages_without_team": 1,
        "breaches": 4,
    }
    by_name = {
        c.unit.name: (c.teams, c.members, c.without_team, c.breaches) for c in again.children
    }
    assert by_name["Xã Tùng Ảnh"] == (4, 12, 1, 2)
    assert by_name["Xã Đức Lạng"] == (3, 10, 0, 2)
    # only the data sheet is read back, and the breaches point at it
    assert {f.sheet for f in again.findings if f.code.startswith("team.")} == {"Thành viên"}


def test_an_english_summary_is_english_and_reads_back_to_the_same_numbers(summary, tmp_path):
    registry = load_registry(DUC_THO / "registry.xlsx")
    communes = []
    for n, path in enumerate(ROSTERS):
        lower = consolidate_rosters(
            [path], level="commune", registry=registry, profile="ha-tinh-2022"
        )
        communes.append(write_roster_summary(lower, tmp_path / f"c{n}.xlsx", lang="en"))
    wb = openpyxl.load_workbook(communes[0])
    assert wb.sheetnames == [
        "Summary",
        "Teams",
        "Members",
        "Without a team",
        "Breaches",
        "Print list",
    ]
    heads = {ws.title: [c.value for c in ws[1]] for ws in wb.worksheets}
    assert heads["Breaches"][:2] == ["Severity", "Code"]
    assert heads["Members"][:3] == ["No.", "Unit code", "Village in charge"]
    assert [c.value for c in wb["Summary"][4]][:4] == ["No.", "Code", "Unit", "Teams"]
    texts = {c.value for row in wb.worksheets[0].iter_rows() for c in row if c.value}
    assert not {"Mức", "Vi phạm", "Tổng cộng", "Số tổ"} & texts
    again = consolidate_rosters(
        communes, level="district", registry=registry, profile="ha-tinh-2022"
    )
    assert _numbers(again) == _numbers(summary)
    assert {f.sheet for f in again.findings if f.code.startswith("team.")} == {"Members"}


def _roster(make_xlsx, name, commune, members):
    """A roster of ``commune``: (village in charge, name, position, role) rows."""
    rows = [
        [f"UBND {commune.upper()}"],
        [],
        ["TT", "Thôn phụ trách", "Họ và tên", "Chức vụ", "Vai trò trong tổ"],
        *[[n, *m] for n, m in enumerate(members, start=1)],
    ]
    return make_xlsx(rows, name=name, sheet="Tổ CNS")


def test_same_named_villages_of_two_communes_stay_apart(make_xlsx, tmp_path):
    """Đức Lạng has a Thôn Đông Thái too: through a district summary (one data sheet for
    both communes) the two teams stay two, each with its own commune."""
    registry = load_registry(DUC_THO / "registry.xlsx")
    registry.add(
        Unit("18307-dong-thai", "Thôn Đông Thái", "village", "18307", None, dt.date(2025, 6, 30))
    )
    duc_lang = _roster(
        make_xlsx,
        "duc-lang.xlsx",
        "Xã Đức Lạng",
        [
            ("Thôn Đông Thái", "Nguyễn Văn An", "Trưởng thôn", "Tổ trưởng"),
            ("Thôn Đông Thái", "Lê Thị Bình", "Bí thư Chi đoàn", "Tổ phó"),
            ("Thôn Đông Thái", "Trần Văn Cường", "Công an viên", "Tổ viên"),
            ("Thôn Đông Thái", "Phạm Văn Dũng", "Giáo viên", "Tổ viên"),  # four: team.size
        ],
    )
    tung_anh = DUC_THO / "rosters" / "tung-anh.xlsx"
    kw = {"registry": registry, "profile": "ha-tinh-2022"}
    direct = consolidate_rosters([duc_lang, tung_anh], level="province", **kw)
    communes = _via_summaries([[duc_lang], [tung_anh]], "commune", registry, tmp_path)
    (district,) = _via_summaries([communes], "district", registry, tmp_path)
    again = consolidate_rosters([district], level="province", **kw)
    assert _numbers(again) == _numbers(direct)
    teams = {t.unit.code: (t.label, len(t.members), t.breaches) for t in again.teams}
    assert teams["18307-dong-thai"] == ("Thôn Đông Thái", 4, 1)
    assert teams["18259-dong-thai"] == ("Thôn Đông Thái", 3, 2)
    assert teams["18259"] == ("Xã Tùng Ảnh", 3, 0)  # the commune's own team stays its own
    assert again.to_dict()["totals"] == {
        "teams": 5,
        "members": 16,
        "villages_without_team": 3,
        "breaches": 3,
    }


# ---------------------------------------------------------------------------
# the printable list


def test_the_printable_list_leaves_out_members_with_errors(make_xlsx, tmp_path):
    roster = _roster(
        make_xlsx,
        "tung-anh.xlsx",
        "Xã Tùng Ảnh",
        [
            ("Thôn Đông Thái", "Nguyễn Xuân Vinh", "Trưởng thôn", "Tổ trưởng"),
            ("Thôn Đông Thái", "Mai Thị Hằng", "Bí thư Chi đoàn", "Tổ phó"),
            ("Thôn Đông Thái", None, "Công an viên", "Tổ viên"),  # no name
            ("Thôn Đông Thái", "Phạm Hồng Chương", "Bí thư chi bộ", "Tổ trưởng"),  # second
            ("Thôn Thông Tự", "Phan Doãn Sơn", "Trưởng thôn", "Tổ trưởng"),
            ("Thôn Thông Tự", "Phan Thị Nam", "Bí thư Chi đoàn", "Tổ phó"),
            ("Thôn Thông Tự", "Nguyễn Bá Khuê", "Giáo viên", "Tổ viên"),
        ],
    )
    registry = load_registry(DUC_THO / "registry.xlsx")
    s = consolidate_rosters([roster], level="commune", registry=registry, profile="ha-tinh-2022")
    wb = openpyxl.load_workbook(write_roster_summary(s, tmp_path / "xa.xlsx"), data_only=True)
    printable = wb["Danh sách in"]
    rows = [[c.value for c in row] for row in printable.iter_rows(min_row=8, max_col=7)]
    assert [r[:3] for r in rows if r[2]] == [
        ["1", "", "Nguyễn Xuân Vinh"],  # team.size (an error) is the team's, not his
        ["2", "", "Mai Thị Hằng"],
        ["3", "", "Phan Doãn Sơn"],
        ["4", "", "Phan Thị Nam"],
        ["5", "", "Nguyễn Bá Khuê"],
    ]
    assert [r[0] for r in rows if r[0] and r[0].startswith("Tổ ")] == [
        "Tổ Thôn Đông Thái",
        "Tổ Thôn Thông Tự",
    ]
    assert "Danh sách ấn định 5 người." in [r[0] for r in rows]
    # the two left out stay on the findings sheet, with their cells in the roster
    found = {(r[1], r[3], r[4]) for r in wb["Vi phạm"].iter_rows(min_row=2, values_only=True)}
    assert {("field.required", "Tổ CNS", "C6"), ("team.leader_count", "Tổ CNS", "E7")} <= found
    assert ("team.size", "Tổ CNS", "C4") in found
    # the data sheet keeps every member, for the next level's numbers
    assert wb["Thành viên"].max_row - 1 == 7
    assert s.to_dict()["totals"]["members"] == 7
