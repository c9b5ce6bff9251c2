"""What the store gives back: a unit's history (which submission replaced which, the
``history --format json`` output), where a stored row is found (``RowVersion.place``,
the text a conflict or a repeat points to), and each finding read back exactly as it was
kept: severity, code, sheet, row, column, cell, value, its parameters and the file it
came from, so its message reads the same in Vietnamese and English."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from sheets_tool.cli import cli
from sheets_tool.findings import ERROR, WARNING, Finding
from sheets_tool.store import Incoming, IncomingRow, RowVersion, Store
from sheets_tool.units import Unit

COMMUNE = Unit("06505", "Xã Vạn Linh", "commune", "200")
PHO_CU = Unit("06505-pho-cu", "Phố Cũ", "village", "06505")
DAY = "2021-08-05"
RECEIVED = dt.datetime(2021, 8, 5, 16, 30)


def row(unit: Unit, shops: int, *, excluded: bool = False, at: int = 7) -> IncomingRow:
    return IncomingRow(
        unit=unit,
        commune_code="06505",
        name=unit.name,
        period=DAY,
        sheet="05-08",
        row=at,
        values={"date": dt.date(2021, 8, 5), "households": 300, "shops": shops},
        cells={"village": f"B{at}", "households": f"C{at}", "shops": f"D{at}"},
        excluded=excluded,
        received_at=RECEIVED,
        status="on_time",
    )


def incoming(source: str, *rows: IncomingRow, findings: list[Finding] | None = None) -> Incoming:
    return Incoming(
        kind="daily",
        source=source,
        content_hash=source,  # one content per file name is enough here
        reporter=COMMUNE,
        rows=list(rows),
        findings=findings or [],
    )


def version(submitted: str, sheet: str | None, cells: dict[str, str]) -> RowVersion:
    return RowVersion(
        1, 1, 1, "daily", DAY, "06505-pho-cu", "Phố Cũ", "06505", sheet, 7, False,
        "2021-08-05T16:30", "on_time", {}, cells, submitted, submitted,
    )  # fmt: skip


# ---------------------------------------------------------------------------
# place: where a person finds the row


def test_place_is_the_file_name_the_sheet_and_the_village_cell():
    v = version("/srv/inbox/van-linh.xlsx", "05-08", {"village": "B7", "shops": "D7"})
    assert v.place() == "van-linh.xlsx, 05-08!B7"


def test_place_keeps_a_google_sheet_address_whole():
    url = "https://docs.google.com/spreadsheets/d/1AbC"
    assert version(url, "05-08", {"village": "B7"}).place() == f"{url}, 05-08!B7"


def test_place_uses_the_unit_code_cell_when_the_row_has_no_village_cell():
    v = version("van-linh.xlsx", "Đơn vị", {"unit_code": "A9", "shops": "D9"})
    assert v.place() == "van-linh.xlsx, Đơn vị!A9"


def test_place_prefers_the_village_cell_to_the_unit_code_cell():
    v = version("van-linh.xlsx", "05-08", {"village": "B7", "unit_code": "A7"})
    assert v.place() == "van-linh.xlsx, 05-08!B7"


def test_place_without_a_cell_or_a_sheet_says_as_much_as_it_knows():
    assert version("a/van-linh.xlsx", "05-08", {"shops": "D7"}).place() == "van-linh.xlsx, 05-08"
    assert version("a/van-linh.xlsx", None, {"village": "B7"}).place() == "van-linh.xlsx"
    assert version("a/van-linh.xlsx", None, {}).place() == "van-linh.xlsx"


# ---------------------------------------------------------------------------
# history and its JSON


def test_history_json_says_which_submission_replaced_which_and_which_is_current(tmp_path):
    store_path = tmp_path / "s.db"
    with Store(store_path) as store:
        store.deliver([incoming("first.xlsx", row(PHO_CU, 10))], RECEIVED)
        store.deliver([incoming("second.xlsx", row(PHO_CU, 12))], RECEIVED)
    result = CliRunner().invoke(
        cli, ["history", "06505", "--store", str(store_path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert [(i["source"], i["superseded_by"], i["current"]) for i in items] == [
        ("first.xlsx", 2, False),
        ("second.xlsx", None, True),
    ]
    assert items[0] == {
        "id": 1,
        "batch": 1,
        "kind": "daily",
        "unit_code": "06505",
        "unit_name": "Xã Vạn Linh",
        "period": DAY,
        "source": "first.xlsx",
        "content_hash": "first.xlsx",
        "received_at": "2021-08-05T16:30",
        "status": "on_time",
        "rows": 1,
        "errors": 0,
        "warnings": 0,
        "superseded_by": 2,
        "current": False,
    }


def test_history_of_a_unit_whose_only_row_has_an_error_lists_it_as_not_replaced(tmp_path):
    # nothing counts for Phố Cũ: no version replaces another
    with Store(tmp_path / "s.db") as store:
        store.deliver([incoming("bad.xlsx", row(PHO_CU, 400, excluded=True))], RECEIVED)
        history = store.history("06505-pho-cu")
    assert [(h.source, h.superseded_by, h.to_dict()["current"]) for h in history] == [
        ("bad.xlsx", None, True)
    ]


# ---------------------------------------------------------------------------
# findings kept and read back


def test_a_row_finding_is_read_back_as_it_was_found_with_its_file(tmp_path):
    fell = Finding(
        severity=ERROR,
        code="daily.cumulative_decreased",
        params={"label": "Số hộ có cửa hàng số", "value": 10, "previous": 12.0, "unit": "Phố Cũ"},
        sheet="05-08",
        row=7,
        column="shops",
        cell="D7",
        value=10,
    )
    with Store(tmp_path / "s.db") as store:
        store.deliver(
            [incoming("in/van-linh.xlsx", row(PHO_CU, 10, excluded=True), findings=[fell])],
            RECEIVED,
        )
        (back,) = store.findings_of(store.versions("daily", DAY))
    assert back == Finding(
        severity=ERROR,
        code="daily.cumulative_decreased",
        params={
            "label": "Số hộ có cửa hàng số",
            "value": 10,
            "previous": 12,  # a whole number reads as one
            "unit": "Phố Cũ",
            "path": "in/van-linh.xlsx",
        },
        sheet="05-08",
        row=7,
        column="shops",
        cell="D7",
        value=10,
    )
    assert back.message("vi") == (
        "Phố Cũ: 'Số hộ có cửa hàng số' giảm từ 12 (hôm trước) xuống 10; số cộng dồn không "
        "được giảm."
    )
    assert back.message("en").startswith(
        "Phố Cũ: 'Số hộ có cửa hàng số' fell from 12 (the day before) to 10;"
    )


def test_a_file_finding_keeps_its_localised_hint_and_its_own_path(tmp_path):
    hint = {
        "vi": " Có phải là cột 'So cua hang' ở D4?",
        "en": " Is it the column 'So cua hang' at D4?",
    }
    missing = Finding(
        severity=ERROR,
        code="header.missing_column",
        params={"header_row": 4, "label": "Số hộ có cửa hàng số", "hint": hint},
        sheet="05-08",
        row=4,
        column="shops",
    )
    # a lower summary names the report a finding came from: that path is kept
    relayed = Finding(
        severity=WARNING,
        code="consolidate.repeated_row",
        params={"unit": "Phố Cũ", "other": "pho-cu.xlsx, 05-08!B7", "path": "pho-cu.xlsx"},
    )
    with Store(tmp_path / "s.db") as store:
        store.deliver(
            [incoming("van-linh.xlsx", row(PHO_CU, 10), findings=[missing, relayed])], RECEIVED
        )
        back = store.findings_of(store.versions("daily", DAY))
    assert back == [
        Finding(
            severity=ERROR,
            code="header.missing_column",
            params={
                "header_row": 4,
                "label": "Số hộ có cửa hàng số",
                "hint": hint,
                "path": "van-linh.xlsx",
            },
            sheet="05-08",
            row=4,
            column="shops",
        ),
        relayed,
    ]
    assert back[0].message("vi") == (
        "Dòng tiêu đề (dòng 4) thiếu cột bắt buộc 'Số hộ có cửa hàng số'."
        " Có phải là cột 'So cua hang' ở D4?"
    )
    assert (
        back[0]
        .message("en")
        .endswith("'Số hộ có cửa hàng số'. Is it the column 'So cua hang' at D4?")
    )
    assert back[1].message("en") == (
        "Phố Cũ: the same numbers are also at pho-cu.xlsx, 05-08!B7; counted once."
    )


def test_findings_of_other_rows_are_not_read_back(tmp_path):
    other = Unit("06505-na-ri", "Nà Ri", "village", "06505")
    shops_high = Finding(
        severity=ERROR,
        code="daily.cumulative_decreased",
        params={"label": "Số hộ có cửa hàng số", "value": 1, "previous": 2, "unit": "Nà Ri"},
        sheet="05-08",
        row=8,
        cell="D8",
    )
    with Store(tmp_path / "s.db") as store:
        store.deliver(
            [incoming("f.xlsx", row(PHO_CU, 10), row(other, 1, at=8), findings=[shops_high])],
            RECEIVED,
        )
        versions = store.versions("daily", DAY)
        mine = [v for v in versions if v.unit_code == PHO_CU.code]
        assert store.findings_of(mine) == []
        assert [f.cell for f in store.findings_of(versions)] == ["D8"]
