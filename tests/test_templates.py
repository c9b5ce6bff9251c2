"""Template definitions, the ready-to-fill workbooks built from them, and profiles."""

import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheets_tool.template_book import write_all, write_template
from sheets_tool.templates import (
    TEMPLATE_NAMES,
    DefinitionError,
    load_profile,
    load_template,
    parse_template,
    profile_names,
)
from sheets_tool.validate import validate_paths

from .conftest import ROOT

DAILY_KEYS = {
    "date",
    "commune",
    "village",
    "households",
    "shops",
    "payment_accounts",
    "new_shops",
    "sellers",
    "orders",
    "quantity",
    "revenue",
    "supporter",
    "reporter",
}
ROSTER_KEYS = {"name", "title", "position", "role", "village", "village_in_charge", "phone", "note"}


def test_required_keys_are_defined():
    assert set(load_template("daily").keys) >= DAILY_KEYS
    assert set(load_template("roster").keys) >= ROSTER_KEYS
    for name in TEMPLATE_NAMES:
        tpl = load_template(name)
        assert any(c.required for c in tpl.columns)
        for col in tpl.columns:
            assert col.label_vi and col.label_en


def test_a_header_naming_two_columns_is_refused():
    raw = {
        "name": "x",
        "label_vi": "x",
        "label_en": "x",
        "columns": [
            {"key": "a", "label_vi": "Tên", "label_en": "Name", "type": "text"},
            {"key": "b", "label_vi": "Họ tên", "label_en": "TÊN", "type": "text"},
        ],
    }
    with pytest.raises(DefinitionError, match="names both"):
        parse_template(raw, "x.toml")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_committed_templates_match_their_definitions(tmp_path):
    """Fails when templates/*.toml changed and `make templates` was not run."""
    written = write_all(tmp_path)
    assert len(written) == 2 * len(TEMPLATE_NAMES)
    for fresh in written:
        committed = ROOT / "templates" / fresh.name
        assert committed.exists(), f"{committed.name} missing: run make templates"
        assert _parts(fresh) == _parts(committed), f"{committed.name} drifted: make templates"


def test_template_workbook_shape(tmp_path):
    path = write_template(load_template("roster"), tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "Hướng dẫn"
    ws = wb["Danh sách tổ"]
    assert wb.active.title == "Danh sách tổ"
    assert [c.value for c in ws[1]][:4] == ["TT", "Ông/Bà", "Họ và tên", "Chức vụ"]
    assert ws.freeze_panes == "A2"
    assert ws.protection.sheet
    assert ws["C2"].protection.locked is False
    assert ws["C1"].protection.locked is not False
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"list", "date", "textLength"} <= kinds
    role = next(dv for dv in ws.data_validations.dataValidation if "E2" in str(dv.sqref))
    assert role.type == "list" and "Danh mục" in role.formula1


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_blank_template_validates_with_one_warning(name, lang):
    """The ready-to-fill workbook as shipped: no data rows is a warning, nothing else (a
    blank steering template raised IndexError, read as an unreadable file)."""
    path = ROOT / "templates" / (f"{name}.xlsx" if lang == "vi" else f"{name}.en.xlsx")
    (report,) = validate_paths([path]).files
    assert report.readable and report.template == name
    assert [(f.severity, f.code) for f in report.findings] == [("warning", "file.no_records")]


def test_filled_template_validates(tmp_path):
    """What an official does: take the template, type a team in, validate it."""
    path = write_template(load_template("roster"), tmp_path / "to.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Danh sách tổ"]
    team = [
        (
            1,
            "Ông",
            "Phạm Hồng Chương",
            "Trưởng thôn",
            "Tổ trưởng",
            "Thôn Đông Thái",
            "Thôn Đông Thái",
            "0912345678",
        ),
        (
            2,
            "Bà",
            "Mai Thị Hằng",
            "Bí thư Chi đoàn",
            "Tổ phó",
            "Thôn Đông Thái",
            "Thôn Đông Thái",
            "0912345679",
        ),
        (
            3,
            "Ông",
            "Nguyễn Bá Khuê",
            "Công an viên",
            "Tổ viên",
            "Thôn Đông Thái",
            "Thôn Đông Thái",
            "0912345670",
        ),
    ]
    col = {c.value: c.column for c in ws[1]}
    headers = [
        "TT",
        "Ông/Bà",
        "Họ và tên",
        "Chức vụ",
        "Vai trò trong tổ",
        "Thôn nơi ở",
        "Thôn phụ trách",
        "Số điện thoại",
    ]
    for r, row in enumerate(team, start=2):
        for header, value in zip(headers, row, strict=True):
            ws.cell(row=r, column=col[header], value=value)
    wb.save(path)
    report = validate_paths([path], profile="ha-tinh-2022")
    assert report.files[0].template == "roster"
    assert report.records == 3
    assert report.errors == 0 and report.warnings == 0


def test_english_template_reads_back(tmp_path):
    path = write_template(load_template("daily"), tmp_path / "d.xlsx", "en")
    wb = openpyxl.load_workbook(path)
    ws = wb["Daily report"]
    header = [c.value for c in ws[1]]
    row = {
        "Report date": "05/08/2021",
        "Village": "Phố Cũ",
        "Households": 312,
        "Households with an online shop": 80,
        "Households with an e-payment account": 85,
    }
    for c, h in enumerate(header, start=1):
        if h in row:
            ws.cell(row=2, column=c, value=row[h])
    wb.save(path)
    report = validate_paths([path])
    assert report.files[0].template == "daily"
    assert report.errors == 0 and report.records == 1


def test_builtin_profiles():
    assert {
        "mic-2022",
        "lang-son-2021",
        "ha-tinh-2022",
        "ha-tinh-2023",
        "nghe-an-2023",
        "none",
    } <= set(profile_names())
    vinh = load_profile("nghe-an-2023")
    assert (vinh.min_size, vinh.max_size) == (5, 10)
    assert load_profile("ha-tinh-2022").severity_of("team.leader_position") == "warning"
    assert load_profile("ha-tinh-2023").severity_of("team.leader_position") == "error"


def test_a_locality_adds_rules_with_a_file(tmp_path, make_xlsx):
    rules = tmp_path / "xa-toi.toml"
    rules.write_text(
        'name = "xa-toi"\n[team]\nmin_size = 2\nmax_size = 2\n'
        '[severity]\n"team.size" = "warning"\n',
        encoding="utf-8",
    )
    path = make_xlsx(
        [
            ["Họ và tên", "Vai trò trong tổ"],
            ["A Văn Một", "Tổ trưởng"],
            ["B Văn Hai", "Tổ viên"],
            ["C Văn Ba", "Tổ viên"],
        ]
    )
    report = validate_paths([path], "roster", str(rules))
    assert [(f.code, f.severity) for f in report.files[0].findings] == [("team.size", "warning")]


@pytest.mark.parametrize(
    "text, message",
    [
        ('name = "x"\n[severity]\n"team.nope" = "error"\n', "unknown rule"),
        ('name = "x"\n[severity]\n"team.size" = "fatal"\n', "'error' or 'warning'"),
        ('name = "x"\n[team]\nmin_size = 5\nmax_size = 3\n', "min_size is larger"),
        ('name = "x"\n[team\n', "not valid TOML"),
        ("[team]\nmin_size = 3\n", "needs a name"),
    ],
)
@pytest.mark.usefixtures("english")
def test_bad_profile_files_say_why(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError, match=message):
        load_profile(path)


def test_unknown_profile_lists_the_builtins():
    with pytest.raises(DefinitionError, match="ha-tinh-2022"):
        load_profile("quang-tri-2030")
