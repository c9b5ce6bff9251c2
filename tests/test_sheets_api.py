"""The Google Sheets/Drive emulator: its fidelity to Google's recorded answers, and what
a client sees through HTTP (gspread and google-auth, unchanged, against it)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from sheets_tool import gsheets
from sheets_tool.testing.replay import TOOL_KINDS, replay
from sheets_tool.testing.sheets_api import Emulator

EMAIL = "sheets-tool@so-tt-test.iam.gserviceaccount.com"


def test_fidelity_to_the_recorded_answers_is_measured_and_printed() -> None:
    report = replay()
    # printed on every run (pytest -rP shows it; `make fidelity` prints it alone)
    print("\n" + report.table())
    assert sum(report.total.values()) == 2130
    assert report.share >= 0.90
    for kind in TOOL_KINDS:
        misses = [m for m in report.misses if m.kind == kind]
        # the one exception: a column's width after autoResizeDimensions (a call
        # sheets-tool never makes) depends on font metrics the emulator does not have
        unexplained = [
            m for m in misses if m.cassette != "WorksheetTest.test_auto_resize_columns.json"
        ]
        foreign = report.foreign[kind]
        assert len(unexplained) <= foreign, (kind, unexplained[:3])
        assert (
            report.same[kind] + foreign + len(misses) - len(unexplained)
            >= report.total[kind] - foreign
        )


@pytest.fixture(scope="module")
def google() -> Emulator:
    with Emulator() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def key(google: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return google.service_account(tmp_path_factory.mktemp("key") / "key.json")


def _client(google: Emulator, key: Path, scopes: list[str] | None = None) -> object:
    import gspread

    budget = gsheets.Budget(sleep=lambda s: None)
    http = gsheets.make_http_client(budget, google.url)
    return gspread.service_account(
        filename=key,
        http_client=http,
        scopes=scopes or ["https://www.googleapis.com/auth/spreadsheets"],
    )


def test_gspread_reads_what_an_official_typed(google: Emulator, key: Path) -> None:
    email = _email(key)
    sid = google.create(
        "Thôn Bản Nà",
        {"Báo cáo": [["Mã", "Số hộ", "Ngày"], ["0042", "1.234,5", "05/08/2021"]]},
        share={email: "reader"},
    )
    client = _client(google, key)
    ws = client.open_by_key(sid).worksheet("Báo cáo")  # type: ignore[attr-defined]
    # typed in a vi_VN sheet: the code became a number, the decimal comma was read,
    # the date became a serial number shown in the locale's format
    assert ws.get("A2:C2", value_render_option="UNFORMATTED_VALUE")[0][:2] == [42, 1234.5]
    assert ws.get("C2", value_render_option="FORMATTED_VALUE") == [["05/08/2021"]]
    assert ws.get(
        "C2", value_render_option="UNFORMATTED_VALUE", date_time_render_option="SERIAL_NUMBER"
    ) == [[44413]]


def test_not_shared_and_view_only_are_refused_as_google_refuses(
    google: Emulator, key: Path
) -> None:
    from gspread.exceptions import APIError

    email = _email(key)
    private = google.create("Riêng", {"A": [["x"]]})
    viewer = google.create("Chỉ xem", {"A": [["x"]]}, share={email: "reader"})
    client = _client(google, key)
    with pytest.raises(PermissionError) as refused:  # gspread's name for a 403
        client.open_by_key(private)  # type: ignore[attr-defined]
    assert isinstance(refused.value.__cause__, APIError)
    assert refused.value.__cause__.response.status_code == 403
    ws = client.open_by_key(viewer).sheet1  # type: ignore[attr-defined]
    with pytest.raises(APIError) as err:
        ws.update([["y"]], "A1")
    assert err.value.response.status_code == 403
    assert google.book(viewer).values_get("A!A1")["values"] == [["x"]]


def test_a_read_only_token_cannot_write(google: Emulator, key: Path) -> None:
    from gspread.exceptions import APIError

    sid = google.create("Ghi", {"A": [["x"]]}, share={_email(key): "writer"})
    client = _client(google, key, ["https://www.googleapis.com/auth/spreadsheets.readonly"])
    ws = client.open_by_key(sid).sheet1  # type: ignore[attr-defined]
    with pytest.raises(APIError) as err:
        ws.update([["y"]], "A1")
    assert err.value.response.status_code == 403
    assert "insufficient authentication scopes" in str(err.value)


def test_a_forged_key_gets_no_token(google: Emulator, key: Path, tmp_path: Path) -> None:
    import json

    from google.auth.exceptions import RefreshError

    other = Emulator().start()
    try:
        forged = json.loads(other.service_account(tmp_path / "other.json").read_text())
    finally:
        other.stop()
    real = json.loads(key.read_text())
    forged.update(
        client_email=real["client_email"],
        private_key_id=real["private_key_id"],
        token_uri=real["token_uri"],
    )
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged))
    with pytest.raises(RefreshError):
        _client(google, path).open_by_key("x" * 30)  # type: ignore[attr-defined]


def test_faults_are_injected_and_every_request_logged(google: Emulator, key: Path) -> None:
    sid = google.create("Lỗi", {"A": [["1"]]}, share={_email(key): "writer"})
    client = _client(google, key)
    before = google.counts()["sheets.spreadsheets.get"]
    google.fail(429, retry_after="0")
    client.open_by_key(sid)  # type: ignore[attr-defined]  # retried by RetryingHTTPClient
    statuses = [e.status for e in google.log if e.kind == "sheets.spreadsheets.get"][-2:]
    assert statuses == [429, 200]
    assert google.counts()["sheets.spreadsheets.get"] == before + 2


def test_fields_masks_are_applied(google: Emulator, key: Path) -> None:
    sid = google.create("Mặt nạ", {"A": [["1"]], "B": [["2"]]}, share={_email(key): "reader"})
    client = _client(google, key)
    meta = client.http_client.fetch_sheet_metadata(
        sid, params={"fields": "sheets(properties(title))"}
    )  # type: ignore[attr-defined]
    assert meta == {"sheets": [{"properties": {"title": "A"}}, {"properties": {"title": "B"}}]}


def test_export_as_xlsx_keeps_formulas_for_recalculation(google: Emulator) -> None:
    import openpyxl

    sid = google.create("Xuất", {"A": [[1, 2, "=SUM(A1;B1)"], ["'0042"]]})
    book = openpyxl.load_workbook(io.BytesIO(google.export_xlsx(sid)))
    ws = book["A"]
    assert ws["C1"].value == "=SUM(A1,B1)"  # Excel's separator in the file
    assert ws["A2"].value == "0042" and ws["A1"].value == 1


def test_the_module_runs_as_a_server(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sheets_tool.testing.sheets_api",
            "--port",
            "0",
            "--key",
            str(tmp_path / "k.json"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("Google Sheets emulator at http://127.0.0.1:")
        assert (tmp_path / "k.json").is_file()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _email(key: Path) -> str:
    import json

    return str(json.loads(key.read_text())["client_email"])


@pytest.mark.parametrize(
    ("typed", "locale", "value", "shown"),
    [
        ("0042", "en_US", 42, "42"),  # recorded: a leading-zero code becomes a number
        ("'0042", "vi_VN", "0042", "0042"),  # the apostrophe keeps it text
        ("1.234,5", "vi_VN", 1234.5, "1.234,5"),
        ("1,234.5", "en_US", 1234.5, "1,234.5"),
        ("1,5", "de_DE", 1.5, "1,5"),
        ("12%", "en_US", 0.12, "12%"),
        ("05/08/2021", "vi_VN", 44413, "05/08/2021"),  # day first: 5 August
        ("8/5/2021", "en_US", 44413, "8/5/2021"),  # month first: 5 August
        ("2021-08-05", "fr_FR", 44413, "2021-08-05"),
        ("TRUE", "vi_VN", True, "TRUE"),
        ("Thôn Nà Phầy", "vi_VN", "Thôn Nà Phầy", "Thôn Nà Phầy"),
        ("3_1_0", "en_US", "3_1_0", "3_1_0"),  # recorded: stays text
        ("=SUM(1;2)", "vi_VN", 3, "3"),
        ("=SUM(1,2)", "en_US", 3, "3"),
        ("=SUM(1;2)", "en_US", "#ERROR!", "#ERROR!"),  # the other locale's separator
        ("=SUM(1,2)", "vi_VN", 1.2, "1,2"),  # in vi_VN, 1,2 is one number
        ("=1/0", "en_US", "#DIV/0!", "#DIV/0!"),
        ("=NOPE(1)", "en_US", "#NAME?", "#NAME?"),
    ],
)
def test_typed_values_are_parsed_as_google_parses_them(
    typed: str, locale: str, value: object, shown: str
) -> None:
    from sheets_tool.testing.model import Spreadsheet

    book = Spreadsheet("k", "t", locale)
    book.values_update("A1", [[typed]], "USER_ENTERED")
    assert book.values_get("A1", render="UNFORMATTED_VALUE")["values"] == [[value]]
    assert book.values_get("A1")["values"] == [[shown]]
    book.values_update("B1", [[typed]], "RAW")
    assert book.values_get("B1", render="UNFORMATTED_VALUE")["values"] == [[typed]]


def test_formulas_read_other_cells_and_tabs() -> None:
    from sheets_tool.testing.model import Spreadsheet

    book = Spreadsheet("k", "t", "vi_VN")
    book.batch_update([{"addSheet": {"properties": {"title": "Dữ liệu"}}}])
    book.values_update("'Dữ liệu'!A1", [["06463", 5], ["06463", 7], ["06464", 100]], "RAW")
    book.values_update("Sheet1!A1", [["06463", "=SUMIFS('Dữ liệu'!B:B;'Dữ liệu'!A:A;A1)"]], "RAW")
    # sent RAW, a formula is text; sent USER_ENTERED it is computed
    assert book.values_get("Sheet1!B1")["values"] == [["=SUMIFS('Dữ liệu'!B:B;'Dữ liệu'!A:A;A1)"]]
    book.values_update("Sheet1!B1", [["=SUMIFS('Dữ liệu'!B:B;'Dữ liệu'!A:A;A1)"]], "USER_ENTERED")
    assert book.values_get("Sheet1!B1", render="UNFORMATTED_VALUE")["values"] == [[12]]
    # the code typed USER_ENTERED became a number and matches no text code any more
    book.values_update("Sheet1!A1", [["06463"]], "USER_ENTERED")
    assert book.values_get("Sheet1!B1", render="UNFORMATTED_VALUE")["values"] == [[0]]
