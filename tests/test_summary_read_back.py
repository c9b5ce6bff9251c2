"""A lower level's summary workbook read back as a submission for the store: the
"Dữ liệu" sheet, one line per unit and indicator, becomes one row per unit and period
with the received time, status and source the summary gives; unknown units and units
listed twice are errors whose rows are kept but not counted; lines with no report kind,
period or number are skipped, and a sheet mixing daily and monthly lines is no summary.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheets_tool.consolidate import consolidate, summary_book, summary_incoming
from sheets_tool.findings import ERROR, Finding
from sheets_tool.registry import load_registry
from sheets_tool.report_book import write_summary
from sheets_tool.store import IncomingRow, Store, file_hash
from sheets_tool.templates import load_template
from sheets_tool.units import Unit

from .conftest import CHI_LANG

NOW = dt.datetime(2021, 8, 6, 8, 0)  # when the district received the summary
COLUMNS = load_template("summary_data").columns
DOAN_KET = {
    "period": "2021-08-05",
    "kind": "daily",
    "unit_code": "06517-doan-ket",
    "unit_name": "Thôn Đoàn Kết",
    "commune_code": "06517",
    "commune_name": "Xã Quan Sơn",
    "received_at": "2021-08-05 17:40",
    "status": "Muộn",
    "source": "quan-son-2021-08-05.xlsx",
}
HUU_LAN = DOAN_KET | {
    "unit_code": "06517-huu-lan",
    "unit_name": "Thôn Hữu Lân",
    "received_at": dt.datetime(2021, 8, 5, 16, 55),
    "status": "Đúng hạn",
    "source": "huu-lan.xlsx",
}


@pytest.fixture
def registry():
    return load_registry(CHI_LANG / "registry.xlsx")


@pytest.fixture
def summary_file(make_xlsx):
    """A "Dữ liệu" sheet (or "Data" with ``lang="en"``) with the given lines."""

    def make(*lines: dict, lang: str = "vi") -> Path:
        head = [c.label(lang) for c in COLUMNS]
        rows = [[line.get(c.key) for c in COLUMNS] for line in lines]
        return make_xlsx([head, *rows], sheet="Dữ liệu" if lang == "vi" else "Data")

    return make


def read_back(path: Path, registry):
    book = summary_book(path)
    assert book is not None
    return summary_incoming(book, registry, NOW)


def test_village_lines_become_one_row_per_village(summary_file, registry):
    path = summary_file(
        DOAN_KET | {"indicator": "households", "value": 230},
        DOAN_KET | {"indicator": "shops", "value": 58},
        HUU_LAN | {"indicator": "households", "value": 187},
    )
    incoming = read_back(path, registry)
    assert (incoming.kind, incoming.source, incoming.reporter) == ("daily", str(path), None)
    assert incoming.content_hash == file_hash(path)
    assert incoming.findings == []
    assert not incoming.check_days  # a summary's rows are not compared with the day before
    assert incoming.rows == [
        IncomingRow(
            registry.units["06517-doan-ket"],
            "06517",
            "Thôn Đoàn Kết",
            "2021-08-05",
            "Dữ liệu",
            2,
            {"households": 230.0, "shops": 58.0},
            {"unit_code": "C2"},
            False,
            dt.datetime(2021, 8, 5, 17, 40),
            "late",
            "quan-son-2021-08-05.xlsx",
        ),
        IncomingRow(
            registry.units["06517-huu-lan"],
            "06517",
            "Thôn Hữu Lân",
            "2021-08-05",
            "Dữ liệu",
            4,
            {"households": 187.0},
            {"unit_code": "C4"},
            False,
            dt.datetime(2021, 8, 5, 16, 55),
            "on_time",
            "huu-lan.xlsx",
        ),
    ]


def test_an_english_summary_of_monthly_reports(summary_file, registry):
    line = DOAN_KET | {
        "period": "2021-07",
        "kind": "monthly",
        "received_at": "2021-08-21T09:15",
        "status": "Late",
        "indicator": "trainings",
        "value": 3,
    }
    incoming = read_back(summary_file(line, lang="en"), registry)
    assert incoming.kind == "monthly"
    [row] = incoming.rows
    assert (row.period, row.sheet, row.values) == ("2021-07", "Data", {"trainings": 3.0})
    assert (row.received_at, row.status) == (dt.datetime(2021, 8, 21, 9, 15), "late")


@pytest.mark.parametrize(
    ("given", "received_at"),
    [
        (None, NOW),  # no time: when this summary was received
        ("", NOW),
        ("sáng nay", NOW),
        ("2021-08-05 17:40", dt.datetime(2021, 8, 5, 17, 40)),
        ("2021-08-05T17:40", dt.datetime(2021, 8, 5, 17, 40)),
        (dt.datetime(2021, 8, 5, 18, 2), dt.datetime(2021, 8, 5, 18, 2)),
        (dt.date(2021, 8, 5), dt.datetime(2021, 8, 5, 0, 0)),
    ],
)
def test_the_received_time_a_summary_gives_or_else_now(summary_file, registry, given, received_at):
    line = DOAN_KET | {"received_at": given, "indicator": "households", "value": 230}
    [row] = read_back(summary_file(line), registry).rows
    assert row.received_at == received_at


@pytest.mark.parametrize(
    ("given", "status"),
    [
        ("Đúng hạn", "on_time"),
        ("On time", "on_time"),
        ("on_time", "on_time"),
        ("Muộn", "late"),
        ("Late", "late"),
        (" late ", "late"),
        ("Chưa báo cáo", "missing"),
        ("Missing", "missing"),
        ("Có lỗi, không tính", "excluded"),
        ("Errors, not counted", "excluded"),
        (None, "on_time"),  # no status, or one it does not know: on time
        ("muộn lắm", "on_time"),
    ],
)
def test_the_status_a_summary_gives_in_either_language(summary_file, registry, given, status):
    line = DOAN_KET | {"status": given, "indicator": "households", "value": 230}
    [row] = read_back(summary_file(line), registry).rows
    assert row.status == status


def test_the_commune_teams_own_row_without_a_commune_code(summary_file, registry):
    line = DOAN_KET | {
        "unit_code": "06517",
        "unit_name": "Xã Quan Sơn",
        "commune_code": None,
        "source": None,
        "indicator": "households",
        "value": 12,
    }
    [row] = read_back(summary_file(line), registry).rows
    assert (row.unit, row.commune_code, row.name) == (
        registry.units["06517"],
        "06517",
        "Xã Quan Sơn",
    )
    assert row.source == ""


def test_a_village_line_without_a_commune_code_belongs_to_its_commune(summary_file, registry):
    """A summary edited by hand, its commune column emptied: the village's commune, from
    the registry, so the commune's history still finds the row."""
    [row] = read_back(
        summary_file(DOAN_KET | {"commune_code": None, "indicator": "shops", "value": 58}),
        registry,
    ).rows
    assert (row.unit.code, row.commune_code) == ("06517-doan-ket", "06517")


@pytest.mark.parametrize(
    ("kind", "cell", "period"),
    [
        ("monthly", dt.datetime(2021, 7, 1), "2021-07"),  # "2021-07" typed, made 1/7/2021
        ("monthly", dt.date(2021, 7, 1), "2021-07"),
        ("daily", dt.datetime(2021, 8, 5), "2021-08-05"),
        ("daily", dt.datetime(2021, 8, 5, 17, 0), "2021-08-05"),
    ],
)
def test_a_period_excel_made_a_date_is_read_as_the_period(
    summary_file, registry, kind, cell, period
):
    line = DOAN_KET | {"kind": kind, "period": cell, "indicator": "households", "value": 230}
    [row] = read_back(summary_file(line), registry).rows
    assert row.period == period


def test_a_village_the_registry_does_not_list_is_taken_from_the_summary(summary_file, registry):
    """Xã Vân An has no villages in the registry: the summary's code and name are kept."""
    line = DOAN_KET | {
        "unit_code": "06469-na-phai-2",
        "unit_name": "Thôn Nà Phai",
        "commune_code": "06469",
        "indicator": "households",
        "value": 140,
    }
    incoming = read_back(summary_file(line), registry)
    assert incoming.findings == []
    [row] = incoming.rows
    until = dt.date(2025, 6, 30)  # the commune's dates
    village = Unit("06469-na-phai-2", "Thôn Nà Phai", "village", "06469", None, until)
    assert (row.unit, row.commune_code, row.excluded) == (village, "06469", False)
    assert registry.seen == {"06469-na-phai-2": village}


def test_an_unknown_unit_is_an_error_and_its_row_is_kept_excluded(summary_file, registry):
    line = DOAN_KET | {
        "unit_code": "06517-khong-co",
        "unit_name": "Thôn Không Có",
        "indicator": "households",
        "value": 99,
    }
    path = summary_file(DOAN_KET | {"indicator": "households", "value": 230}, line)
    incoming = read_back(path, registry)
    assert incoming.findings == [
        Finding(
            severity=ERROR,
            code="registry.unknown_unit",
            params={"name": "Thôn Không Có (06517-khong-co)", "hint": "", "path": str(path)},
            sheet="Dữ liệu",
            row=3,
            column="unit_code",
            cell="C3",
            value="06517-khong-co",
        )
    ]
    [f] = incoming.findings
    assert f.message("vi") == "Không có đơn vị 'Thôn Không Có (06517-khong-co)' trong sổ đăng ký."
    assert f.message("en") == "No unit 'Thôn Không Có (06517-khong-co)' in the registry."
    known, unknown = incoming.rows
    assert known.excluded is False
    assert (unknown.unit, unknown.excluded) == (None, True)
    assert (unknown.commune_code, unknown.name, unknown.cells) == (
        "06517",
        "Thôn Không Có",
        {"unit_code": "C3"},
    )


def test_a_code_excel_turned_into_a_number_is_named_as_typed(summary_file, registry):
    """ "06517" typed into a number cell is 6517: no such unit, named without ".0"."""
    line = DOAN_KET | {
        "unit_code": 6517,
        "unit_name": "Xã Quan Sơn",
        "commune_code": None,
        "indicator": "households",
        "value": 12,
    }
    incoming = read_back(summary_file(line), registry)
    [f] = incoming.findings
    assert (f.code, f.params["name"], f.value) == (
        "registry.unknown_unit",
        "Xã Quan Sơn (6517)",
        "6517",
    )
    [row] = incoming.rows
    assert (row.unit, row.commune_code, row.excluded) == (None, "", True)


def test_an_unknown_unit_without_a_name_is_named_by_its_code(summary_file, registry):
    line = DOAN_KET | {"unit_code": "06517-x", "unit_name": None, "indicator": "shops", "value": 1}
    [f] = read_back(summary_file(line), registry).findings
    assert f.params["name"].strip() == "(06517-x)"
    assert f.cell == "C2"


def test_a_unit_listed_twice_for_an_indicator_is_an_error_and_not_counted(summary_file, registry):
    path = summary_file(
        DOAN_KET | {"indicator": "households", "value": 230},
        DOAN_KET | {"indicator": "shops", "value": 58},  # another indicator: not twice
        DOAN_KET | {"indicator": "households", "value": 231},
        HUU_LAN | {"indicator": "households", "value": 187},
    )
    incoming = read_back(path, registry)
    assert incoming.findings == [
        Finding(
            severity=ERROR,
            code="report.duplicate_unit",
            params={"unit": "Thôn Đoàn Kết", "other": "C2", "path": str(path)},
            sheet="Dữ liệu",
            row=4,
            column="unit_code",
            cell="C4",
            value="06517-doan-ket",
        )
    ]
    [f] = incoming.findings
    assert f.message("en") == (
        "'Thôn Đoàn Kết' has two rows in one report (the other at C2); neither is counted. "
        "Delete the extra row or correct the village name, and send it again."
    )
    assert f.message("vi").startswith("'Thôn Đoàn Kết' có hai dòng trong cùng một báo cáo (dòng")
    assert [(r.unit.code, r.excluded) for r in incoming.rows] == [
        ("06517-doan-ket", True),
        ("06517-huu-lan", False),
    ]


def test_lines_without_a_report_kind_period_or_number_are_skipped(summary_file, registry):
    path = summary_file(
        DOAN_KET | {"kind": "weekly", "indicator": "households", "value": 1},
        DOAN_KET | {"period": None, "indicator": "households", "value": 2},
        DOAN_KET | {"indicator": "shops", "value": "không rõ"},
        DOAN_KET | {"indicator": "households", "value": 230},
        HUU_LAN | {"kind": None, "indicator": "households", "value": 3},
    )
    incoming = read_back(path, registry)
    assert incoming.findings == []
    assert [(r.unit.code, r.period, r.row, r.values) for r in incoming.rows] == [
        ("06517-doan-ket", "2021-08-05", 5, {"households": 230.0})
    ]


def test_daily_and_monthly_lines_together_are_not_a_summary(summary_file, registry):
    path = summary_file(
        DOAN_KET | {"indicator": "households", "value": 230},
        HUU_LAN | {"kind": "monthly", "period": "2021-07", "indicator": "trainings", "value": 2},
    )
    assert read_back(path, registry) is None


def test_a_sheet_with_no_usable_line_is_not_a_summary(summary_file, registry):
    path = summary_file(DOAN_KET | {"indicator": "households", "value": None})
    assert read_back(path, registry) is None


def test_an_english_summary_written_by_a_commune_reads_back(tmp_path, registry):
    """Quan Sơn's summary, written in English, carries each village's time, status, source."""
    report = CHI_LANG / "daily" / "quan-son-2021-08-05.xlsx"
    with Store(tmp_path / "xa.db") as store:
        commune = consolidate(
            [report], level="commune", registry=registry, store=store, day=dt.date(2021, 8, 5)
        )
    path = write_summary(commune, tmp_path / "quan-son.tong-hop.xlsx", "en")
    incoming = read_back(path, registry)
    assert incoming.findings == []
    assert {r.unit.code: r.values for r in incoming.rows} == {
        d.unit.code: d.values for d in commune.data
    }
    assert {(r.commune_code, r.received_at, r.status, r.source) for r in incoming.rows} == {
        ("06517", dt.datetime(2021, 8, 5, 17, 40), "late", str(report))
    }


def test_the_lines_must_be_on_the_data_sheet_itself(make_xlsx):
    """A workbook with a "Dữ liệu" sheet of notes and the summary's columns on another
    sheet is not a summary made by sheets-tool: it is read as a report."""
    head = [c.label("vi") for c in COLUMNS]
    line = [(DOAN_KET | {"indicator": "households", "value": 230}).get(c.key) for c in COLUMNS]
    path = make_xlsx(
        [["Ghi chú"], ["số liệu ở trang sau"]], sheet="Dữ liệu", more={"Tổng hợp": [head, line]}
    )
    assert summary_book(path) is None


@pytest.mark.parametrize("sheet", ["Dữ liệu", "Data"])
def test_a_summary_sheet_is_found_by_either_name(summary_file, sheet):
    path = summary_file(
        DOAN_KET | {"indicator": "households", "value": 230},
        lang="vi" if sheet == "Dữ liệu" else "en",
    )
    book = summary_book(path)
    assert book is not None
    assert [t.sheet for t in book.tables] == [sheet]


def test_wide_lines_a_unit_each_with_a_column_per_indicator(summary_file, registry):
    path = summary_file(
        DOAN_KET | {"households": 230, "shops": 58},
        HUU_LAN | {"households": 187, "revenue": 0},
    )
    incoming = read_back(path, registry)
    assert incoming.findings == []
    assert [(r.unit.code, r.row, r.values, r.status) for r in incoming.rows] == [
        ("06517-doan-ket", 2, {"households": 230.0, "shops": 58.0}, "late"),
        ("06517-huu-lan", 3, {"households": 187.0, "revenue": 0.0}, "on_time"),
    ]


def test_a_unit_on_two_wide_lines_is_an_error_and_not_counted(summary_file, registry):
    path = summary_file(
        DOAN_KET | {"households": 230, "shops": 58},
        HUU_LAN | {"households": 187},
        DOAN_KET | {"shops": 59},
    )
    incoming = read_back(path, registry)
    [f] = incoming.findings
    assert (f.code, f.cell, f.params["other"]) == ("report.duplicate_unit", "C4", "C2")
    assert [(r.unit.code, r.excluded) for r in incoming.rows] == [
        ("06517-doan-ket", True),
        ("06517-huu-lan", False),
    ]


def test_a_wide_line_with_no_number_is_skipped(summary_file, registry):
    path = summary_file(DOAN_KET | {"households": "không rõ"}, HUU_LAN | {"households": 187})
    assert [r.unit.code for r in read_back(path, registry).rows] == ["06517-huu-lan"]
