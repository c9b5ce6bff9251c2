"""The command line, as people and programs use it, through click's CliRunner."""

import json
import subprocess
import sys

import openpyxl
import pytest
from click.testing import CliRunner

from sheets_tool.cli import cli
from sheets_tool.validate import validate_paths

from .conftest import SAMPLES, sha256

GOOD = sorted((SAMPLES / "good").glob("*.xlsx"))
BROKEN = SAMPLES / "bad" / "daily-broken-rows.xlsx"


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_validate_good_samples_exit_0():
    result = run("validate", *GOOD, "--profile", "ha-tinh-2022")
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith(f"{len(GOOD)} tệp, 83 dòng")


def test_text_output_reads_like_a_compiler():
    result = run("validate", BROKEN)
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "!E6:" in x)
    assert line == (f"{BROKEN}:05-08!E6: lỗi: Số hộ có cửa hàng số (400) lớn hơn tổng số hộ (312).")
    assert result.output.splitlines()[-1] == "1 tệp, 6 dòng dữ liệu: 7 lỗi, 2 cảnh báo."


def test_english_messages():
    result = run("validate", BROKEN, "--lang", "en")
    assert "!E6: error: Households with a shop (400) exceed households (312)." in result.output
    assert result.output.splitlines()[-1] == "1 file, 6 records: 7 errors, 2 warnings."


def test_json_equals_the_library_result():
    paths = [BROKEN, SAMPLES / "bad" / "empty.xlsx", GOOD[0]]
    result = run("validate", *paths, "--format", "json")
    doc = json.loads(result.output)
    assert doc == validate_paths(paths).to_dict()
    assert set(doc) == {"files", "summary"}
    assert set(doc["summary"]) == {"files", "records", "errors", "warnings"}
    finding = doc["files"][0]["findings"][0]
    assert set(finding) == {
        "severity",
        "code",
        "sheet",
        "row",
        "column",
        "cell",
        "value",
        "message",
    }
    assert set(doc["files"][0]) == {"path", "template", "records", "findings"}


def test_unreadable_file_exits_2_and_the_others_are_still_checked():
    result = run(
        "validate", SAMPLES / "bad" / "password-protected.xlsx", BROKEN, "--format", "json"
    )
    assert result.exit_code == 2
    doc = json.loads(result.output)
    assert doc["files"][0]["findings"][0]["code"] == "file.encrypted"
    assert doc["files"][1]["records"] == 6


def test_missing_file_is_a_finding_not_a_traceback(tmp_path):
    result = run("validate", tmp_path / "khong-co.xlsx")
    assert result.exit_code == 2
    assert "Không tìm thấy tệp" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["validate", "x.xlsx", "--profile", "khong-co"],
        ["validate", "x.xlsx", "--template", "weekly"],
        ["template", "roster"],
        ["template", "weekly", "-o", "x.xlsx"],
        ["template", "roster", "-o", "x.csv"],
    ],
)
def test_misuse_exits_2(args):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_annotate_writes_marked_copies_and_never_touches_inputs(tmp_path):
    inputs = [
        BROKEN,
        SAMPLES / "bad" / "steering-names-differ.xlsx",
        GOOD[0],
        SAMPLES / "bad" / "empty.xlsx",
    ]
    before = {p: sha256(p) for p in inputs}
    result = run("validate", *inputs, "--annotate", tmp_path / "out")
    assert result.exit_code == 2  # the empty file
    assert {p: sha256(p) for p in inputs} == before
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(
        [
            "daily-broken-rows.annotated.xlsx",
            "steering-names-differ.annotated.xlsx",
            f"{GOOD[0].stem}.annotated.xlsx",
        ]
    )
    wb = openpyxl.load_workbook(tmp_path / "out" / "daily-broken-rows.annotated.xlsx")
    assert wb.sheetnames[0] == "Lỗi"
    errors = wb["Lỗi"]
    assert errors.max_row == 1 + 9
    assert errors["D2"].hyperlink.location == "'05-08'!E6"
    cell = wb["05-08"]["E6"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "400" in cell.comment.text and "row.shops_exceed_households" in cell.comment.text
    # the data is unchanged in the copy
    assert cell.value == 400


def test_annotated_copy_never_turns_a_typed_value_into_a_formula(tmp_path, make_xlsx):
    path = make_xlsx(
        [
            [
                "Thôn",
                "Tổng số hộ",
                "Số hộ có cửa hàng số",
                "Số hộ có tài khoản thanh toán điện tử",
                "Ngày",
            ],
            ["Phố Cũ", '\'=HYPERLINK("http://x")', 3, 3, "05/08/2021"],
        ]
    )
    run("validate", path, "--annotate", tmp_path / "out")
    wb = openpyxl.load_workbook(tmp_path / "out" / "t.annotated.xlsx")
    values = [c.value for c in wb["Lỗi"]["G"] if c.value]
    assert any("HYPERLINK" in v for v in values)
    assert all(c.data_type != "f" for c in wb["Lỗi"]["G"])


def test_template_command_writes_and_describes(tmp_path):
    out = tmp_path / "to-cns.xlsx"
    result = run("template", "roster", "-o", out)
    assert result.exit_code == 0 and out.exists()
    result = run("template", "daily", "--describe", "--format", "json")
    doc = json.loads(result.output)
    assert doc["name"] == "daily"
    keys = {c["key"] for c in doc["columns"]}
    assert {"date", "village", "households", "shops", "revenue", "reporter"} <= keys
    assert all({"key", "label", "type", "required"} <= set(c) for c in doc["columns"])
    english = json.loads(
        run("template", "daily", "--describe", "--format", "json", "--lang", "en").output
    )
    assert english["columns"][1]["label"] == "Report date"


def test_profiles_command():
    result = run("profiles")
    assert "nghe-an-2023" in result.output and "(5–10)" in result.output
    doc = json.loads(run("profiles", "--format", "json").output)
    assert {p["name"] for p in doc} >= {"mic-2022", "ha-tinh-2023", "none"}


def test_every_command_has_help_with_an_example():
    for name in cli.commands:
        assert "Ví dụ:" in run(name, "--help").output, name
        assert "Example" in run(name, "--help", "--lang", "en").output, name


@pytest.mark.parametrize(
    "args",
    [
        ["registry", "init", "--province", "Lạng Sơn", "--as-of", "2021-08-05"],
        ["template", "daily"],
        [
            "consolidate",
            str(SAMPLES / "chi-lang" / "daily" / "van-linh-2021-08-05.xlsx"),
            "--level",
            "commune",
            "--date",
            "2021-08-05",
            "--registry",
            str(SAMPLES / "chi-lang" / "registry.xlsx"),
        ],
    ],
    ids=["registry-init", "template", "consolidate"],
)
def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(tmp_path, args):
    """-o inside a path whose 'folder' is a file: one line on what stopped it, no
    traceback, nothing left behind."""
    blocker = tmp_path / "bao-cao"
    blocker.write_text("")
    output = blocker / "out.xlsx"
    extra = ["--store", str(tmp_path / "s.db")] if args[0] == "consolidate" else []
    result = CliRunner().invoke(cli, [*args, *extra, "-o", str(output)])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines()[-1] == (
        f"{output}: không ghi được (đã có một tệp trùng tên thư mục: {blocker})"
    )
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["bao-cao", *(["s.db"] if extra else [])]
    )


HEAVY = ("gspread", "google", "requests", "openpyxl", "pandas")


@pytest.mark.parametrize(
    "args",
    [["--help"], ["validate", str(SAMPLES / "good" / "lang-son-van-linh-daily-2021-08-02.xlsx")]],
)
def test_help_and_a_local_validation_load_no_google_or_openpyxl(args):
    """They start fast because the heavy libraries are imported where they are used
    (make bench prints the times): neither loads gspread, google-auth, requests nor
    openpyxl."""
    code = (
        "import sys\n"
        "from sheets_tool.cli import cli\n"
        "try:\n"
        f"    cli({args!r}, prog_name='sheets-tool')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "[]"
