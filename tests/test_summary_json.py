"""What a program gets from ``consolidate --format json`` (``Summary.to_dict``): the
exact keys and values for the unit, its child units, totals, indicators, the
reconciliation and the findings (each with its file's path, in the language asked for);
and the reconciliation line the text output ends with, in Vietnamese and English.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sheets_tool.cli import cli
from sheets_tool.consolidate import DataRow, Reconciliation, summarise
from sheets_tool.findings import ERROR, WARNING, Finding
from sheets_tool.registry import load_registry
from sheets_tool.templates import load_template

from .conftest import CHI_LANG

REGISTRY = CHI_LANG / "registry.xlsx"


@pytest.fixture
def registry():
    return load_registry(REGISTRY)


def quan_son(registry, **kw):
    """Xã Quan Sơn on 5/8/2021: two of its five villages reported, Bản Ngõa's rows all
    excluded."""
    units = registry.units
    rows = [
        DataRow(
            units["06517-doan-ket"],
            {"households": 230.0, "shops": 58.0, "sellers": 14.0, "revenue": 2660000.5},
            "2021-08-05T17:40",
            "late",
        ),
        DataRow(units["06517-huu-lan"], {"households": 187.0, "shops": 58.0, "sellers": 0.0}),
    ]
    return summarise("daily", kw.pop("scope", units["06517"]), "2021-08-05", rows, registry, **kw)


def test_a_commune_summary_as_json(registry):
    summary = quan_son(registry, rejected=frozenset({"06517-ngoa"}))
    summary.reconciliation = Reconciliation(read=4, counted=2, excluded=1, superseded=1)
    zero = {"households": 0, "shops": 0, "sellers": 0, "revenue": 0}
    no_ratio = {"shops_pct": None, "sellers_pct": None}
    assert summary.to_dict("en") == {
        "level": "commune",
        "period": "2021-08-05",
        "kind": "daily",
        "unit": {"code": "06517", "name": "Xã Quan Sơn"},
        "units": [
            {
                "code": "06517-doan-ket",
                "name": "Thôn Đoàn Kết",
                "parent": "06517",
                "values": {"households": 230, "shops": 58, "sellers": 14, "revenue": 2660000.5},
                "indicators": {"shops_pct": 58 / 230, "sellers_pct": 14 / 230},
                "status": "late",
                "reported": 1,
                "expected": 1,
            },
            {
                "code": "06517-huu-lan",
                "name": "Thôn Hữu Lân",
                "parent": "06517",
                "values": {"households": 187, "shops": 58, "sellers": 0, "revenue": 0},
                "indicators": {"shops_pct": 58 / 187, "sellers_pct": 0.0},
                "status": "on_time",
                "reported": 1,
                "expected": 1,
            },
            {
                "code": "06517-lung-vai",
                "name": "Thôn Lùng Vài",
                "parent": "06517",
                "values": zero,
                "indicators": no_ratio,
                "status": "missing",
                "reported": 0,
                "expected": 1,
            },
            {
                "code": "06517-ngoa",
                "name": "Bản Ngõa",
                "parent": "06517",
                "values": zero,
                "indicators": no_ratio,
                "status": "excluded",
                "reported": 0,
                "expected": 1,
            },
            {
                "code": "06517-pa-phieng",
                "name": "Thôn Pá Phiêng",
                "parent": "06517",
                "values": zero,
                "indicators": no_ratio,
                "status": "missing",
                "reported": 0,
                "expected": 1,
            },
        ],
        "totals": {"households": 417, "shops": 116, "sellers": 14, "revenue": 2660000.5},
        "indicators": {"shops_pct": 116 / 417, "sellers_pct": 14 / 417},
        "reconciliation": {
            "read": 4,
            "counted": 2,
            "excluded": 1,
            "superseded": 1,
            "balanced": True,
        },
        "findings": [],
    }


def test_whole_numbers_are_json_integers(registry):
    doc = json.loads(json.dumps(quan_son(registry).to_dict()))
    assert doc["totals"]["households"] == 417 and isinstance(doc["totals"]["households"], int)
    assert doc["units"][0]["values"]["revenue"] == 2660000.5


def test_a_district_summary_counts_the_villages_of_each_commune(registry):
    summary = quan_son(registry, scope=registry.units["187"])
    doc = summary.to_dict()
    assert (doc["level"], doc["unit"]) == ("district", {"code": "187", "name": "Huyện Chi Lăng"})
    by_code = {u["code"]: u for u in doc["units"]}
    assert len(by_code) == 20  # the district's communes
    quan_son_row = by_code["06517"]
    assert (quan_son_row["name"], quan_son_row["parent"]) == ("Xã Quan Sơn", "187")
    assert (quan_son_row["reported"], quan_son_row["expected"], quan_son_row["status"]) == (
        2,
        5,
        "late",
    )
    assert (by_code["06520"]["reported"], by_code["06520"]["expected"]) == (0, 4)  # Y Tịch
    assert (by_code["06469"]["reported"], by_code["06469"]["expected"]) == (0, 0)  # Vân An


def test_a_monthly_summary_has_no_indicators(registry):
    units = registry.units
    rows = [DataRow(units["06517-doan-ket"], {"trainings": 3.0})]
    doc = summarise("monthly", units["06517"], "2021-07", rows, registry).to_dict()
    assert (doc["kind"], doc["period"], doc["indicators"]) == ("monthly", "2021-07", {})
    assert doc["totals"] == {"trainings": 3}
    assert [u["indicators"] for u in doc["units"]] == [{}] * 5


def findings(path: str) -> list[Finding]:
    return [
        Finding(
            severity=ERROR,
            code="registry.unknown_unit",
            params={"name": "Thôn Không Có (06517-khong-co)", "hint": "", "path": path},
            sheet="Dữ liệu",
            row=3,
            column="unit_code",
            cell="C3",
            value="06517-khong-co",
        ),
        Finding(  # a finding of the registry itself: no file path
            severity=WARNING,
            code="registry.unknown_unit",
            params={"name": "Thôn Mới (06517-moi)"},
            sheet="Thôn",
            row=7,
        ),
    ]


def test_findings_carry_their_path_and_the_message_in_the_language_asked(registry):
    summary = quan_son(registry)
    summary.findings = findings("xa-quan-son.xlsx")
    first = {
        "severity": "error",
        "code": "registry.unknown_unit",
        "sheet": "Dữ liệu",
        "row": 3,
        "column": "unit_code",
        "cell": "C3",
        "value": "06517-khong-co",
    }
    assert summary.to_dict("en")["findings"] == [
        first
        | {
            "message": "No unit 'Thôn Không Có (06517-khong-co)' in the registry.",
            "path": "xa-quan-son.xlsx",
        },
        {
            "severity": "warning",
            "code": "registry.unknown_unit",
            "sheet": "Thôn",
            "row": 7,
            "column": None,
            "cell": None,
            "value": None,
            "message": "No unit 'Thôn Mới (06517-moi)' in the registry.",
            "path": None,
        },
    ]
    vietnamese = "Không có đơn vị 'Thôn Không Có (06517-khong-co)' trong sổ đăng ký."
    assert summary.to_dict("vi")["findings"][0] == first | {
        "message": vietnamese,
        "path": "xa-quan-son.xlsx",
    }
    assert summary.to_dict()["findings"][0]["message"] == vietnamese  # Vietnamese by default


@pytest.mark.parametrize(
    ("rec", "balanced"),
    [
        (Reconciliation(read=15, counted=12, excluded=2, superseded=1), True),
        (Reconciliation(read=15, counted=12, excluded=2, superseded=0), False),
        (Reconciliation(), True),
    ],
)
def test_the_reconciliation_as_json(rec, balanced):
    assert rec.to_dict() == {
        "read": rec.read,
        "counted": rec.counted,
        "excluded": rec.excluded,
        "superseded": rec.superseded,
        "balanced": balanced,
    }


def test_the_reconciliation_line_in_both_languages():
    rec = Reconciliation(read=15, counted=12, excluded=2, superseded=1)
    vi = "Đối chiếu: 15 dòng đã nhận = 12 được tính + 2 bị loại + 1 bị thay thế."
    assert rec.line("vi") == vi
    assert rec.line() == vi  # Vietnamese by default
    assert rec.line("en") == (
        "Reconciliation: 15 rows received = 12 counted + 2 excluded + 1 superseded."
    )


# --- through the command ----------------------------------------------------------------


@pytest.fixture
def commune_summary(make_xlsx):
    """Quan Sơn's summary of 5/8/2021 with one known village and one unknown."""
    columns = load_template("summary_data").columns
    line = {
        "period": "2021-08-05",
        "kind": "daily",
        "commune_code": "06517",
        "received_at": "2021-08-05 16:30",
        "status": "Đúng hạn",
    }
    lines = [
        line | {"unit_code": "06517-doan-ket", "unit_name": "Thôn Đoàn Kết"},
        line | {"unit_code": "06517-khong-co", "unit_name": "Thôn Không Có"},
    ]
    rows = [
        [(x | {"indicator": "households", "value": 230}).get(c.key) for c in columns] for x in lines
    ]
    return make_xlsx([[c.label("vi") for c in columns], *rows], "xa.xlsx", sheet="Dữ liệu")


def consolidate_cli(path, tmp_path, *more):
    args = [
        "consolidate",
        str(path),
        "--level",
        "commune",
        "--date",
        "2021-08-05",
        "--registry",
        str(REGISTRY),
        "--store",
        str(tmp_path / "s.db"),
        "-o",
        str(tmp_path / "out.xlsx"),
        *more,
    ]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "No unit 'Thôn Không Có (06517-khong-co)' in the registry."),
        ("vi", "Không có đơn vị 'Thôn Không Có (06517-khong-co)' trong sổ đăng ký."),
    ],
)
def test_consolidate_json_output(commune_summary, tmp_path, lang, message):
    result = consolidate_cli(commune_summary, tmp_path, "--format", "json", "--lang", lang)
    assert result.exit_code == 1  # written, but a row was excluded
    doc = json.loads(result.output)
    assert list(doc) == [
        "level",
        "period",
        "kind",
        "unit",
        "units",
        "totals",
        "indicators",
        "reconciliation",
        "findings",
    ]
    assert (doc["level"], doc["period"], doc["kind"]) == ("commune", "2021-08-05", "daily")
    assert doc["unit"] == {"code": "06517", "name": "Xã Quan Sơn"}
    assert doc["units"][0] == {
        "code": "06517-doan-ket",
        "name": "Thôn Đoàn Kết",
        "parent": "06517",
        "values": {"households": 230, "shops": 0, "sellers": 0},
        "indicators": {"shops_pct": 0.0, "sellers_pct": 0.0},
        "status": "on_time",
        "reported": 1,
        "expected": 1,
    }
    assert doc["totals"] == {"households": 230, "shops": 0, "sellers": 0}
    assert doc["reconciliation"] == {
        "read": 2,
        "counted": 1,
        "excluded": 1,
        "superseded": 0,
        "balanced": True,
    }
    assert doc["findings"] == [
        {
            "severity": "error",
            "code": "registry.unknown_unit",
            "sheet": "Dữ liệu",
            "row": 3,
            "column": "unit_code",
            "cell": "C3",
            "value": "06517-khong-co",
            "message": message,
            "path": str(commune_summary),
        }
    ]


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("vi", "Đối chiếu: 2 dòng đã nhận = 1 được tính + 1 bị loại + 0 bị thay thế."),
        ("en", "Reconciliation: 2 rows received = 1 counted + 1 excluded + 0 superseded."),
    ],
)
def test_consolidate_text_output_ends_with_the_reconciliation(
    commune_summary, tmp_path, lang, line
):
    result = consolidate_cli(commune_summary, tmp_path, "--lang", lang)
    assert result.exit_code == 1
    assert result.output.splitlines()[-2:] == [line, str(tmp_path / "out.xlsx")]
