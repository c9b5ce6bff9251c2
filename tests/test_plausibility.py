"""Values that type-check but cannot be right: 10^20 households, 10^17 đồng in a village
in a day, a report of 2099, a decision dated next year, one person twice in a steering
committee, a report of another period given to a consolidation. Bounds are data in the
template definitions; warnings by default."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from click.testing import CliRunner

from sheets_tool.cli import cli
from sheets_tool.templates import DefinitionError, load_template, parse_template
from sheets_tool.validate import validate_paths

from .conftest import SAMPLES, findings_seen

CHI_LANG = SAMPLES / "chi-lang"
VAN_LINH = CHI_LANG / "daily" / "van-linh-2021-08-05.xlsx"
NEXT_YEAR = dt.date.today().year + 1


def van_linh(tmp_path, name, title=None, cells=None):
    """The Vạn Linh report of 5/8/2021 with its title or cells changed."""
    wb = openpyxl.load_workbook(VAN_LINH)
    ws = wb.active
    if title:
        ws["A3"] = title
    for ref, value in (cells or {}).items():
        ws[ref] = value
    path = tmp_path / name
    wb.save(path)
    return path


def test_the_bounds_are_data_in_the_template_definitions():
    daily = load_template("daily")
    assert daily.column("households").max == 10_000
    assert daily.column("revenue").max == 10_000_000_000
    assert daily.column("date").max_days_ahead == 1
    assert load_template("roster").column("decision_date").max_days_ahead == 0
    described = daily.to_dict("vi")["columns"]
    assert {"key": "households", "max": 10_000}.items() <= next(
        c for c in described if c["key"] == "households"
    ).items()


def test_a_bound_is_checked_when_the_template_is_read():
    column = {"key": "n", "label_vi": "Số", "label_en": "Number", "type": "whole"}

    def template(**more):
        raw = {"name": "t", "label_vi": "Mẫu", "label_en": "Form"}
        return parse_template(raw | {"columns": [column | more]}, "t.toml")

    with pytest.raises(DefinitionError, match="max"):
        template(max="lots")
    with pytest.raises(DefinitionError, match="max_days_ahead"):
        template(max_days_ahead=-1)
    with pytest.raises(DefinitionError, match="bound_severity"):
        template(max=5, bound_severity="fatal")
    assert template(max=5, bound_severity="error").column("n").bound_severity == "error"


def test_numbers_beyond_plausible_are_warned_at_their_cell(tmp_path):
    path = van_linh(tmp_path, "huge.xlsx", cells={"C6": 10**20, "J7": 10**17})
    found = [f for f in findings_seen(path, "daily") if f[0] == "field.implausible"]
    assert [(f[1], f[2], f[3], f[4]) for f in found] == [
        ("05-08", 6, "households", "C6"),
        ("05-08", 7, "revenue", "J7"),
    ]
    assert found[0][6] == (
        "'100000000000000000000' ở cột 'Tổng số hộ' lớn hơn mức có thể có (10.000). "
        "Kiểm tra lại số liệu (thừa chữ số, nhập nhầm cột?)."
    )
    (report,) = validate_paths([path], "daily").files
    assert {f.severity for f in report.findings if f.code == "field.implausible"} == {"warning"}


def test_the_shipped_samples_are_all_plausible():
    paths = sorted(SAMPLES.rglob("*.xlsx"))
    report = validate_paths(paths, None)
    bounds = [
        (fr.path, f.code)
        for fr in report.files
        for f in fr.findings
        if f.code in ("field.implausible", "field.future_date")
    ]
    assert bounds == []


def test_a_report_dated_in_the_future_is_warned(tmp_path):
    path = van_linh(tmp_path, "far.xlsx", title="Xã Vạn Linh, huyện Chi Lăng - Ngày 05/08/2099")
    found = [f for f in findings_seen(path, "daily") if f[0] == "field.future_date"]
    assert [(f[1], f[2], f[3]) for f in found] == [("05-08", None, "date")]
    assert "05/08/2099" in found[0][6] and "tương lai" in found[0][6]


def test_a_decision_dated_in_the_future_is_warned(make_xlsx):
    path = make_xlsx(
        [
            ["TT", "Họ và tên", "Chức vụ", "Vai trò trong tổ", "Số quyết định", "Ngày quyết định"],
            [1, "Nguyễn Văn An", "Trưởng thôn", "Tổ trưởng", "170/QĐ-UBND",
             dt.datetime(NEXT_YEAR, 10, 4)],
            [2, "Trần Thị Bình", "Chi hội trưởng Phụ nữ", "Thành viên", "170/QĐ-UBND",
             dt.datetime(2022, 10, 4)],
        ],
        sheet="Thôn Trung",
    )  # fmt: skip
    found = [f for f in findings_seen(path, "roster") if f[0] == "field.future_date"]
    assert [(f[2], f[3], f[4]) for f in found] == [(2, "decision_date", "F2")]


def test_the_same_person_twice_in_a_steering_committee_is_an_error(make_xlsx):
    rows = [
        ["TT", "Họ và tên", "Chức vụ", "Chức danh BCĐ"],
        [1, "Nguyễn Văn Hải", "Chủ tịch UBND xã", "Trưởng ban"],
        [2, "Lê Doãn Lợi", "Phó Chủ tịch UBND xã", "Phó ban"],
        [3, "Võ Thị Thanh Cảnh", "Công chức Văn hóa - Xã hội", "Ủy viên"],
        [4, "Lê Doãn  Lợi", "Phó Chủ tịch UBND xã", "Ủy viên"],
    ]
    found = [
        f
        for f in findings_seen(make_xlsx(rows, sheet="Quyết định"), "steering")
        if f[0] == "steering.duplicate_person"
    ]
    assert [(f[2], f[4]) for f in found] == [(5, "B5")]
    assert found[0][6] == (
        "'Lê Doãn Lợi' có tên hai lần trong danh sách Ban chỉ đạo (cũng ở Quyết định!B3)."
    )


def consolidate(tmp_path, *files, lang="vi"):
    return CliRunner().invoke(
        cli,
        [
            "consolidate", *map(str, files), "--level", "district", "--date", "2021-08-05",
            "--registry", str(CHI_LANG / "registry.xlsx"), "--store", str(tmp_path / "s.db"),
            "-o", str(tmp_path / "h.xlsx"), "--format", "json", "--lang", lang,
        ],
    )  # fmt: skip


def test_a_report_of_2099_is_told_by_its_date_not_as_an_unknown_unit(tmp_path):
    far = van_linh(tmp_path, "far.xlsx", title="Xã Vạn Linh, huyện Chi Lăng - Ngày 05/08/2099")
    result = consolidate(tmp_path, far, CHI_LANG / "daily" / "quan-son-2021-08-05.xlsx")
    codes = {f["code"] for f in json.loads(result.output)["findings"]}
    assert "registry.not_in_force" in codes and "registry.unknown_unit" not in codes
    assert "field.future_date" in codes


def test_a_report_of_another_period_is_said_to_be_so(tmp_path):
    past = van_linh(tmp_path, "past.xlsx", title="Xã Vạn Linh, huyện Chi Lăng - Ngày 05/08/2020")
    result = consolidate(tmp_path, past, CHI_LANG / "daily" / "quan-son-2021-08-05.xlsx")
    doc = json.loads(result.output)
    other = [f for f in doc["findings"] if f["code"] == "report.other_period"]
    assert len(other) == 1 and other[0]["severity"] == "warning"
    assert other[0]["message"] == (
        "Số liệu của tệp này thuộc kỳ 2020-08-05, không phải kỳ đang tổng hợp (2021-08-05): "
        "đã lưu nhưng không tính vào bảng tổng hợp này. Kiểm tra lại ngày báo cáo."
    )
