"""One findings model: every findings table (the summary's and the annotated copy's
sheets, the "Kiểm tra" tab, the CLI) comes from finding_table and one severity table."""

import openpyxl

from sheets_tool.annotate import annotate
from sheets_tool.findings import ERROR, WARNING, FileReport, Finding, finding_table
from sheets_tool.sync import check_tab


def _finding(**kw):
    base = dict(
        severity=ERROR,
        code="row.shops_over_households",
        params={"path": "xa.xlsx", "shops": 5, "households": 4},
        sheet='=HYPERLINK("http://x","y")',
        row=7,
        column="shops",
        cell="D7",
        value="=1+1",
    )
    return Finding(**{**base, **kw})


def test_one_table_in_both_languages():
    f = _finding()
    heads, rows = finding_table([f, _finding(severity=WARNING, value=None)], "vi")
    assert heads == ["Mức", "Mã lỗi", "Tệp", "Sheet", "Ô", "Dòng", "Cột", "Giá trị", "Nội dung"]
    assert rows[0][:3] == ["Lỗi", "row.shops_over_households", "xa.xlsx"]
    assert rows[0][5:8] == [7, "shops", "=1+1"]
    assert rows[1][0] == "Cảnh báo" and rows[1][7] == ""
    heads, rows = finding_table([f], "en", ("severity", "cell", "message"))
    assert heads == ["Severity", "Cell", "Message"]
    assert rows == [["Error", "D7", f.message("en")]]


def test_the_check_tab_is_the_same_table():
    f = _finding()
    tab = check_tab([f], "vi")
    assert tab[0] == ["Mức", "Mã lỗi", "Sheet", "Ô", "Giá trị", "Nội dung"]
    assert tab[1] == ["Lỗi", f.code, f.sheet, "D7", "=1+1", f.message("vi")]
    assert check_tab([], "en")[1][-1] == "No findings."


def test_user_text_on_the_annotated_findings_sheet_is_text(tmp_path, make_xlsx):
    source = make_xlsx([["Tên", "Số"], ["a", 1]], sheet="=SUM(1,2)")
    report = FileReport(str(source), "daily", 1, [_finding(sheet="=SUM(1,2)", cell="B2")])
    wb = openpyxl.load_workbook(annotate(report, tmp_path / "out"))
    ws = wb["Lỗi"]
    assert [c.value for c in ws[1]][:2] == ["Mức", "Mã lỗi"]
    assert ws["A2"].value == "Lỗi"
    for cell in ws[2]:
        if isinstance(cell.value, str):
            assert cell.data_type == "s", (cell.coordinate, cell.value)
