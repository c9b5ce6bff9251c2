"""Roster consolidation: teams per unit, villages without a team, the printable list."""

import json

import openpyxl
import pytest
from click.testing import CliRunner

from sheets_tool.cli import cli
from sheets_tool.registry import load_registry
from sheets_tool.rosters import consolidate_rosters, write_roster_summary

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
