"""Workbooks that went through LibreOffice, as an official's would.

LibreOffice comes from Debian's packages (.ci/run installs it). Locally the test is
skipped when soffice is missing, never in CI.
"""

import os
import shutil

import openpyxl
import pytest

from sheets_tool.annotate import annotate
from sheets_tool.template_book import write_template
from sheets_tool.templates import load_template
from sheets_tool.validate import validate_paths

from .conftest import SAMPLES, soffice_convert

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"), reason="LibreOffice (soffice) not installed"
)


def test_template_filled_and_saved_by_libreoffice(tmp_path):
    path = write_template(load_template("roster"), tmp_path / "src" / "to.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Danh sách tổ"]
    for r, (name, position, role) in enumerate(
        [
            ("Phạm Hồng Chương", "Trưởng thôn Đông Thái", "Tổ trưởng"),
            ("Mai Thị Hằng", "Bí thư Chi đoàn", "Tổ phó"),
            ("Nguyễn Bá Khuê", "Công an viên", "Tổ viên"),
        ],
        start=2,
    ):
        col = {c.value: c.column for c in ws[1]}
        ws.cell(row=r, column=col["TT"], value=r - 1)
        ws.cell(row=r, column=col["Họ và tên"], value=name)
        ws.cell(row=r, column=col["Chức vụ"], value=position)
        ws.cell(row=r, column=col["Vai trò trong tổ"], value=role)
        ws.cell(row=r, column=col["Thôn phụ trách"], value="Thôn Đông Thái")
        ws.cell(row=r, column=col["Số điện thoại"], value=f"091234567{r}")
    wb.save(path)
    saved = soffice_convert(path, tmp_path, "xlsx:Calc MS Excel 2007 XML")
    report = validate_paths([saved], profile="ha-tinh-2022")
    assert report.files[0].template == "roster"
    assert report.records == 3
    assert report.errors == 0


def test_annotated_copy_opens_in_libreoffice(tmp_path):
    sample = SAMPLES / "bad" / "daily-broken-rows.xlsx"
    report = validate_paths([sample])
    written = annotate(report.files[0], tmp_path)
    assert written is not None
    pdf = soffice_convert(written, tmp_path, "pdf")
    assert pdf.stat().st_size > 1000
