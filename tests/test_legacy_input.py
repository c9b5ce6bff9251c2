"""Files as old offices keep them: hidden sheets (an old copy, a lookup list) and cells
typed in the legacy Vietnamese fonts."""

from __future__ import annotations

import openpyxl
from click.testing import CliRunner

from sheets_tool.cli import cli
from sheets_tool.validate import validate_paths

HEADER = ["TT", "Họ và tên", "Chức vụ", "Vai trò trong tổ"]
ROWS = [
    [1, "Nguyễn Văn An", "Trưởng thôn", "Tổ trưởng"],
    [2, "Trần Thị Bình", "Chi hội trưởng Phụ nữ", "Thành viên"],
]


def with_hidden_copy(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Thôn Trung"
    for row in (HEADER, *ROWS):
        ws.append(row)
    old = wb.create_sheet("Bản cũ")
    for row in (HEADER, [1, "Lê Văn Cũ", "Trưởng thôn", "Tổ trưởng"]):
        old.append(row)
    old.sheet_state = "hidden"
    lists = wb.create_sheet("DS")
    for role in ("Tổ trưởng", "Tổ phó", "Thành viên"):
        lists.append([role])
    lists.sheet_state = "veryHidden"
    path = tmp_path / "to-cns.xlsx"
    wb.save(path)
    return path


def test_a_hidden_sheet_is_skipped_with_a_note_and_read_on_request(tmp_path):
    path = with_hidden_copy(tmp_path)
    (report,) = validate_paths([path], "roster").files
    assert report.records == 2
    notes = [(f.code, f.sheet, f.severity) for f in report.findings if f.code.startswith("file.")]
    assert notes == [("file.hidden_sheet", "Bản cũ", "warning")]  # not the hidden list
    (everything,) = validate_paths([path], "roster", include_hidden=True).files
    assert everything.records == 3
    assert not [f for f in everything.findings if f.code == "file.hidden_sheet"]
    result = CliRunner().invoke(cli, ["validate", str(path), "--include-hidden"])
    assert "3 dòng dữ liệu" in result.output
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert "Bản cũ: cảnh báo: Sheet đang ẩn nên không được đọc" in result.output
