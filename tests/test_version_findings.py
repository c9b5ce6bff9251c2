"""Where the findings about a unit's versions point (a row given twice, two different
rows at once): the file, sheet, row and the cell of the unit's name (or of its code when
the row names it by code), with the unit's name as the value, as the findings sheet and
the annotated copy show them."""

from __future__ import annotations

from sheets_tool.findings import ERROR, WARNING, Finding
from sheets_tool.store import RowVersion
from sheets_tool.templates import load_template
from sheets_tool.versions import choose, numeric_keys

KEYS = numeric_keys(load_template("daily"))


def version(vid: int, submitted: str, row: int, cells: dict[str, str], shops: int) -> RowVersion:
    return RowVersion(
        id=vid,
        submission=vid,
        batch=1,
        kind="daily",
        period="2021-08-05",
        unit_code="06505-pho-cu",
        unit_name="Phố Cũ",
        commune_code="06505",
        sheet="05-08",
        row=row,
        excluded=False,
        received_at="2021-08-05T16:30",
        status="on_time",
        values={"households": 300, "shops": shops},
        cells=cells,
        source=submitted,
        submitted=submitted,
    )


def test_a_row_given_twice_is_a_warning_at_the_repeat_naming_the_counted_one():
    commune = version(1, "in/van-linh.xlsx", 7, {"village": "B7", "shops": "D7"}, 10)
    village = version(2, "in/pho-cu.xlsx", 5, {"village": "C5", "shops": "E5"}, 10)
    choice = choose([commune, village], KEYS)
    assert choice.counted is village  # the first by file name
    assert choice.findings == [
        Finding(
            severity=WARNING,
            code="consolidate.repeated_row",
            params={"unit": "Phố Cũ", "other": "pho-cu.xlsx, 05-08!C5", "path": "in/van-linh.xlsx"},
            sheet="05-08",
            row=7,
            column="village",
            cell="B7",
            value="Phố Cũ",
        )
    ]


def test_two_different_rows_at_once_are_errors_at_the_unit_code_cell_when_there_is_no_name():
    by_code = version(1, "a.xlsx", 7, {"unit_code": "A7", "shops": "D7"}, 10)
    by_name = version(2, "b.xlsx", 9, {"village": "B9", "unit_code": "A9"}, 11)
    choice = choose([by_code, by_name], KEYS)
    assert choice.counted is None
    assert [
        (f.severity, f.code, f.sheet, f.row, f.column, f.cell, f.value) for f in choice.findings
    ] == [
        (ERROR, "consolidate.conflicting_rows", "05-08", 7, "village", "A7", "Phố Cũ"),
        (ERROR, "consolidate.conflicting_rows", "05-08", 9, "village", "B9", "Phố Cũ"),
    ]
    assert choice.findings[0].params == {
        "unit": "Phố Cũ",
        "others": "b.xlsx, 05-08!B9",
        "path": "a.xlsx",
    }
