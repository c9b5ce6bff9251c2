"""Google Sheets, offline: the emulator (sheets_tool.testing.sheets_api) on 127.0.0.1,
which the tests start and stop."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sheets_tool import gsheets, sheets_write
from sheets_tool.cli import cli
from sheets_tool.store import Store
from sheets_tool.sync import SyncError, load_config, parse_every, run_lock, run_once
from sheets_tool.testing.replay import RECORDINGS, cassettes
from sheets_tool.testing.sheets_api import Emulator
from sheets_tool.validate import validate_paths
from sheets_tool.versions import counted

from .conftest import CHI_LANG

EMAIL = "sheets-tool@so-tt-test.iam.gserviceaccount.com"  # the emulator's first key
DAILY_HEAD = [
    "STT",
    "Tên thôn",
    "Tổng số hộ",
    "Số hộ có cửa hàng số",
    "Số hộ có tài khoản thanh toán điện tử",
    "Mở mới trong ngày",
    "Số hộ có giao dịch thành công",
    "Số đơn hàng",
    "Doanh thu (đồng)",
    "Người báo cáo",
    "Thời gian gửi",
]


def daily_rows(
    commune: str,
    villages: list[tuple[str, int, int]],
    date: str = "05/08/2021",
    sent: str = "16:30",
) -> list[list[object]]:
    rows: list[list[object]] = [
        [f"UBND XÃ {commune.upper()}"],
        [f"BÁO CÁO KINH TẾ SỐ NGÀY {date}"],
        [],
        DAILY_HEAD,
    ]
    for i, (name, households, shops) in enumerate(villages, start=1):
        rows.append(
            [
                i,
                name,
                households,
                shops,
                shops + 5,
                4,
                shops // 5,
                3,
                "1.250.000",
                "Hoàng Văn Tùng",
                sent,
            ]
        )
    return rows


VAN_LINH = [
    ("Phố Cũ", 312, 80),
    ("Thôn Lùng Cằm", 265, 75),
    ("Đồng Lùm", 198, 69),
    ("Thôn Hà Quảng", 287, 104),
    ("Nà Phầy", 221, 94),
    ("Thôn Làng Mới", 241, 111),
]
Y_TICH = [
    ("Bản Đon", 176, 60),
    ("Thôn Nà Hấy", 143, 50),
    ("Khòn Pạc", 201, 70),
    ("Thôn Còn Cuông", 158, 50),
]
KEYS = {
    "van-linh": "1VanLinhKey000000000",
    "y-tich": "1YTichKey00000000000",
    "target": "1HuyenChiLang0000000",
    "private": "1NotShared000000000",
}


@pytest.fixture
def fake():
    """The communes' sheets (typed as officials type them), the district's target, and
    a sheet nobody shared with the service account."""
    with Emulator() as google:
        editor = {EMAIL: "writer"}
        google.create(
            "Vạn Linh - báo cáo ngày",
            {"Báo cáo": daily_rows("Vạn Linh", VAN_LINH)},
            key=KEYS["van-linh"],
            share=editor,
        )
        google.create(
            "Y Tịch - báo cáo ngày",
            {"Báo cáo": daily_rows("Y Tịch", Y_TICH, sent="17:45")},
            key=KEYS["y-tich"],
            share=editor,
        )
        google.create(
            "Huyện Chi Lăng - tổng hợp",
            {"Ghi chú": [["Của huyện"]]},
            key=KEYS["target"],
            share=editor,
        )
        google.create("Chưa chia sẻ", {"Báo cáo": [["x"]]}, key=KEYS["private"])
        yield google


@pytest.fixture
def credentials(tmp_path, fake):
    return fake.service_account(tmp_path / "sa.json")


def requests_to(google: Emulator, key: str) -> list[str]:
    return [e.kind for e in google.log if f"/{key}" in e.path]


def tab(google: Emulator, key: str, title: str, render: str = "FORMULA") -> list[list[object]]:
    """A tab's values as the API answers them (formulas as formulas)."""
    quoted = "'" + title.replace("'", "''") + "'"
    return google.book(key).values_get(quoted, render=render).get("values", [])


def no_sleep_budget(**kw):
    return gsheets.Budget(per_minute=1000, sleep=lambda s: None, **kw)


@pytest.fixture
def session(credentials, fake):
    budget = no_sleep_budget()
    with gsheets.session(credentials, budget=budget, base_url=fake.url):
        yield budget


def test_references():
    ref = gsheets.parse_ref("https://docs.google.com/spreadsheets/d/1AbC_d-Ef2345678/edit#gid=7")
    assert (ref.key, ref.gid) == ("1AbC_d-Ef2345678", 7)
    assert gsheets.parse_ref("gsheet:1AbC_d-Ef2345678#Báo cáo").worksheet == "Báo cáo"
    assert gsheets.parse_ref("samples/good/x.xlsx") is None
    assert gsheets.parse_ref("gsheet:short") is None


def test_recorded_api_answers_become_grids():
    """The real API's batchGet answers (recorded by gspread) through the converter."""
    (text,) = [
        t for n, t in cassettes(RECORDINGS) if n == "SpreadsheetTest.test_values_batch_get.json"
    ]
    answers = [
        json.loads(i["response"]["body"]["string"])
        for i in json.loads(text)["interactions"]
        if "values:batchGet" in i["request"]["uri"]
    ]
    assert answers
    for answer in answers:
        for block in answer["valueRanges"]:
            rows = block.get("values", [])
            width = max((len(r) for r in rows), default=0)
            # the recorded rows, each padded with blanks to the widest recorded row
            expected = [[*r, *[""] * (width - len(r))] for r in rows]
            assert gsheets.values_to_grid(rows, "en_US") == expected
        # the answer's ranges side by side, with trailing blanks dropped as the API does
        columns = [b.get("values", []) for b in answer["valueRanges"]]
        depth = min(len(columns), *(len(c) for c in columns))
        ragged = [[c[n][0] for c in columns[: len(columns) - n]] for n in range(depth)]
        assert len({len(r) for r in ragged}) > 1
        width = len(ragged[0])
        grid = gsheets.values_to_grid(ragged, "en_US")
        assert grid == [[*r, *[""] * (width - len(r))] for r in ragged]


def test_a_google_source_reads_like_a_file_in_two_requests(fake, session):
    url = f"https://docs.google.com/spreadsheets/d/{KEYS['van-linh']}/edit"
    report = validate_paths([url])
    assert report.files[0].template == "daily"
    assert report.records == 6
    assert report.errors == 0
    assert requests_to(fake, KEYS["van-linh"]) == [
        "sheets.spreadsheets.get",
        "sheets.values.batchGet",
    ]
    (values,) = [e for e in fake.log if e.kind == "sheets.values.batchGet"]
    assert values.query["valueRenderOption"] == ["UNFORMATTED_VALUE"]


def test_codes_stay_text_and_dates_follow_the_locale(fake, session):
    # typed with a leading apostrophe (or in a column formatted as text): a code
    rows = [["Mã", "Ngày"], ["'007", "8/5/2021"]]
    share = {EMAIL: "reader"}
    fake.create("Mã", {"A": rows}, locale="en_US", key="1CodesKey0000000000", share=share)
    fetched = gsheets.fetch(gsheets.SheetRef("1CodesKey0000000000"))
    assert fetched.grids[0][1][1] == ["007", dt.date(2021, 8, 5)]
    raw = [["Mã", "Ngày"], ["007", "8/5/2021"]]  # stored as text, as a text column keeps it
    fake.create("Mã", {"A": raw}, key="1CodesKeyVi00000000", share=share, typed="RAW")
    fetched = gsheets.fetch(gsheets.SheetRef("1CodesKeyVi00000000"))
    assert fetched.grids[0][1][1] == ["007", "8/5/2021"]  # day first: the reader's job


def test_a_date_is_read_from_its_value_not_from_how_its_cell_shows_it(fake, session):
    """An en_US spreadsheet whose date column is formatted dd/mm/yyyy: shown as text,
    "05/08/2021" would be read month first, the 8th of May."""
    key = "1DatesKeyUs00000000"
    fake.create(
        "Ngày", {"A": [["Ngày", "Giờ gửi"]]}, locale="en_US", key=key, share={EMAIL: "reader"}
    )
    date = {"type": "DATE", "pattern": "dd/mm/yyyy"}
    time = {"type": "TIME", "pattern": "hh:mm"}
    cells = [
        {"userEnteredValue": {"numberValue": 44413}, "userEnteredFormat": {"numberFormat": date}},
        {"userEnteredValue": {"numberValue": 0.6875}, "userEnteredFormat": {"numberFormat": time}},
    ]
    fake.book(key).batch_update(
        [
            {
                "updateCells": {
                    "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 0},
                    "rows": [{"values": cells}],
                    "fields": "userEnteredValue,userEnteredFormat.numberFormat",
                }
            }
        ]
    )
    assert tab(fake, key, "A", "FORMATTED_VALUE")[1] == ["05/08/2021", "16:30"]
    fetched = gsheets.fetch(gsheets.SheetRef(key))
    assert fetched.grids[0][1][1] == [dt.date(2021, 8, 5), dt.time(16, 30)]


@pytest.mark.usefixtures("english")
def test_a_sheet_not_shared_says_whom_to_share_it_with(fake, credentials):
    with gsheets.session(credentials, budget=no_sleep_budget(), base_url=fake.url):
        report = validate_paths([f"gsheet:{KEYS['private']}", f"gsheet:{KEYS['van-linh']}"])
    finding = report.files[0].findings[0]
    assert finding.code == "file.google"
    assert f"Share it with {EMAIL} as Viewer" in finding.message("en")
    assert report.files[1].records == 6  # the other source is still read
    assert report.exit_code() == 2


def test_the_cli_without_credentials_says_what_to_do(tmp_path):
    result = CliRunner().invoke(
        cli,
        ["validate", "gsheet:1VanLinhKey000000000", "--credentials", str(tmp_path / "none.json")],
    )
    assert result.exit_code == 2
    assert "Hãy tạo khóa tài khoản dịch vụ (JSON)" in result.output
    english = CliRunner().invoke(
        cli,
        ["validate", "gsheet:1VanLinhKey000000000", "--credentials", str(tmp_path / "none.json")],
        env={"SHEETS_TOOL_LANG": "en"},
    )
    assert "Create a service account key" in english.output


@pytest.mark.usefixtures("english")
def test_missing_or_broken_credentials(tmp_path):
    with pytest.raises(gsheets.SheetsError, match="--credentials FILE"):
        gsheets.connect(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "authorized_user"}')
    with pytest.raises(gsheets.SheetsError, match="not a usable service-account key"):
        gsheets.connect(bad)


@pytest.mark.usefixtures("english")
def test_quota_errors_are_retried_with_bounds(fake, credentials):
    budget = no_sleep_budget()
    google = gsheets.connect(credentials, budget=budget, base_url=fake.url)
    fake.fail(429, retry_after="0")
    fake.fail(503)
    fetched = gsheets.fetch(gsheets.SheetRef(KEYS["van-linh"]), google)
    assert fetched.title == "Vạn Linh - báo cáo ngày"
    assert budget.reads == 4  # two failures, then metadata and values
    # a permanent 429: five attempts, then a clear error (never an endless loop)
    fake.fail(429, times=20)
    with pytest.raises(gsheets.SheetsError, match="quota") as err:
        gsheets.fetch(gsheets.SheetRef(KEYS["van-linh"]), google)
    assert not err.value.permanent
    assert len(fake.faults) == 15
    fake.faults.clear()


def test_backoff_is_bounded_and_honours_retry_after():
    budget = gsheets.Budget(base_delay=1, max_delay=8)
    assert budget.delay(0, "3") == 3
    assert budget.delay(0, "120") == 8
    assert all(0 <= budget.delay(n, None) <= 8 for n in range(10))


@pytest.mark.usefixtures("english")
def test_formula_text_is_never_sent_as_a_formula(fake, credentials):
    # validate and consolidate ask for read-only access: Google refuses them a write
    reader = gsheets.connect(credentials, budget=no_sleep_budget(), base_url=fake.url)
    with pytest.raises(gsheets.SheetsError, match="read-only"):
        sheets_write.write_tabs(gsheets.SheetRef(KEYS["target"]), {"A": ([["x"]], "RAW")}, reader)
    google = gsheets.connect(
        credentials, budget=no_sleep_budget(), base_url=fake.url, scopes=gsheets.SYNC_SCOPES
    )
    ref = gsheets.SheetRef(KEYS["target"])
    typed = '=IMPORTXML("http://x", "//a")'
    sheets_write.write_tabs(
        ref,
        {
            "Dữ liệu": ([["Thôn", typed, "06463"]], "RAW"),
            "Tổng hợp": ([[1, 2, gsheets.Formula("=SUM(A1,B1)")]], "USER_ENTERED"),
        },
        google,
    )
    book = fake.book(KEYS["target"])
    data = book.by_title("Dữ liệu").cells
    assert data[(0, 1)]["userEnteredValue"] == {"stringValue": typed}  # text, not a formula
    assert data[(0, 2)]["userEnteredValue"] == {"stringValue": "06463"}  # a code stays text
    # our formula, in the spreadsheet's locale (vi_VN: ";"), computed by Google
    summary = book.by_title("Tổng hợp").cells
    assert summary[(0, 2)]["userEnteredValue"] == {"formulaValue": "=SUM(A1;B1)"}
    assert tab(fake, KEYS["target"], "Tổng hợp", "UNFORMATTED_VALUE") == [[1, 2, 3]]
    assert tab(fake, KEYS["target"], "Ghi chú") == [["Của huyện"]]  # other tabs untouched


# ---------------------------------------------------------------------------
# sync


@pytest.fixture
def config(tmp_path, credentials):
    text = f"""
[sync]
kind = "daily"
level = "district"
registry = "{CHI_LANG / "registry.xlsx"}"
store = "sync.db"
output = "out"
target = "gsheet:{KEYS["target"]}"
credentials = "{credentials}"

[[sources]]
unit = "Xã Vạn Linh"
spreadsheet = "https://docs.google.com/spreadsheets/d/{KEYS["van-linh"]}/edit"

[[sources]]
unit = "Xã Y Tịch"
spreadsheet = "gsheet:{KEYS["y-tich"]}"
worksheet = "Báo cáo"
"""
    path = tmp_path / "sync.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def sync(config, fake, **kw):
    return run_once(
        config,
        day=dt.date(2021, 8, 5),
        budget=no_sleep_budget(),
        base_url=fake.url,
        now=dt.datetime(2021, 8, 5, 11, 0, tzinfo=dt.UTC),
        **kw,
    )


@pytest.mark.usefixtures("english")
def test_a_sync_run(fake, config):
    before = {k: tab(fake, KEYS[k], "Báo cáo") for k in ("van-linh", "y-tich")}
    result = sync(config, fake)
    assert (result.read, result.unchanged, result.failed) == (2, 0, 0)
    assert result.line().startswith("sync: 2 read, 0 unchanged, 0 failed; ")
    # the summary, locally (with its status page beside it) and in the target spreadsheet
    assert result.summary.exists()
    assert result.page == result.summary.with_suffix(".html")
    page = result.page.read_text(encoding="utf-8")
    assert "Tình hình nộp báo cáo" in page and "Diễn biến (30 ngày gần nhất)" in page
    target = fake.book(KEYS["target"])
    formulas = [
        c["userEnteredValue"]["formulaValue"]
        for c in target.by_title("Tổng hợp").cells.values()
        if "formulaValue" in c.get("userEnteredValue", {})
    ]
    # in the target's locale (vi_VN): ";" between arguments, never ","
    assert any(";" in f for f in formulas)
    assert not [f for f in formulas if "," in f.split('"')[0]]
    assert not any(
        "formulaValue" in c.get("userEnteredValue", {})
        for c in target.by_title("Dữ liệu").cells.values()
    )
    wb = openpyxl.load_workbook(result.summary, data_only=True)
    total = next(r for r in wb["Tổng hợp"].iter_rows(values_only=True) if r[2] == "Tổng cộng")
    assert total[3] == sum(h for _n, h, _s in VAN_LINH + Y_TICH)
    # each source got its "Kiểm tra" tab, and its own tabs are untouched
    for k in ("van-linh", "y-tich"):
        assert fake.book(KEYS[k]).by_title("Kiểm tra") is not None
        assert tab(fake, KEYS[k], "Báo cáo") == before[k]
    # Y Tịch sent at 17:45: late
    with Store(config.store) as store:
        (sub,) = [s for s in store.history("06520")]
        assert sub.status == "late"
    assert config.log_path.read_text().count("sync: 2 read") == 1


def test_unchanged_sources_are_not_read_again_and_a_change_is(fake, config):
    sync(config, fake)
    second = sync(config, fake)
    assert (second.read, second.unchanged) == (0, 2)
    assert second.reads == 1  # Drive's listing: nothing changed, nothing else read
    assert second.writes == 0
    fake.edit(KEYS["y-tich"], "Báo cáo", [["Bản Đon", 176, 61]], at="B5")  # a correction
    third = sync(config, fake)
    assert (third.read, third.unchanged) == (1, 1)
    with Store(config.store) as store:
        history = store.history("06520")
        assert [h.superseded_by is None for h in history] == [False, True]


@pytest.mark.usefixtures("english")
def test_a_failing_source_does_not_stop_the_run(fake, config):
    fake.files[KEYS["y-tich"]].permissions.pop(EMAIL)
    result = sync(config, fake)
    assert (result.read, result.failed) == (1, 1)
    assert f"Share it with {EMAIL}" in result.messages[0]
    assert result.exit_code() == 1
    assert result.summary.exists()


def test_a_run_that_dies_midway_resumes_without_counting_twice(fake, config, monkeypatch):
    import sheets_tool.sync as sync_module

    real = sync_module.ingest_results
    calls = []

    def dies_on_second(results, *a, **kw):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the machine went down
        return real(results, *a, **kw)

    monkeypatch.setattr(sync_module, "ingest_results", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        sync(config, fake)
    monkeypatch.setattr(sync_module, "ingest_results", real)
    result = sync(config, fake)
    assert (result.read, result.unchanged) == (1, 1)
    with Store(config.store) as store:
        assert len({v.submission for v in counted(store, "daily", "2021-08-05").values()}) == 2
        assert len(store.history("06505")) == 1


def test_dry_run_writes_nothing(fake, config):
    result = sync(config, fake, dry_run=True)
    assert result.read == 2 and result.writes == 0
    assert not config.store.exists() and result.summary is None
    assert fake.book(KEYS["van-linh"]).by_title("Kiểm tra") is None


@pytest.mark.usefixtures("english")
def test_two_runs_never_overlap(config):
    with run_lock(config.lock_path), pytest.raises(SyncError, match="another sync run"):
        run_once(config)


def test_every():
    assert parse_every("15m") == 900 and parse_every("1h") == 3600 and parse_every("30") == 30
    with pytest.raises(SyncError):
        parse_every("soon")


def test_sync_command_usage(tmp_path):
    bad = tmp_path / "sync.toml"
    bad.write_text("[sync]\nregistry = 'r.xlsx'\n")
    result = CliRunner().invoke(cli, ["sync", str(bad)])
    assert result.exit_code == 2 and "[sync] cần 'store'" in result.output
    result = CliRunner().invoke(cli, ["sync", str(bad), "--lang", "en"])
    assert result.exit_code == 2 and "[sync] needs 'store'" in result.output
    assert Path(bad).exists()


def test_the_budget_waits_when_a_minute_is_full():
    waits = []
    budget = gsheets.Budget(per_minute=3, sleep=waits.append)
    for _ in range(3):
        budget.take("GET")
    budget.take("POST")  # writes are counted apart
    assert waits == []
    budget.take("GET")
    assert len(waits) == 1 and 59 <= waits[0] <= 60
    assert (budget.reads, budget.writes) == (4, 1)


def test_processes_using_one_key_share_the_minute(tmp_path):
    """Two budgets on one file (two sync processes): the minute is shared."""
    now = [1000.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    path = tmp_path / "quota.json"
    one = gsheets.Budget(per_minute=3, shared=path, clock=lambda: now[0], sleep=sleep)
    two = gsheets.Budget(per_minute=3, shared=path, clock=lambda: now[0], sleep=sleep)
    one.take("GET")
    one.take("GET")
    now[0] += 10
    two.take("GET")
    assert waits == []
    two.take("POST")  # writes have their own minute
    assert waits == []
    two.take("GET")  # the fourth read of the minute waits for the first to age out
    assert waits == [50.0]
    assert (one.reads, two.reads, two.writes) == (2, 2, 1)


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('requests_per_minute = "abc"', "requests_per_minute = 'abc': cần một số nguyên"),
        ("requests_per_minute = 0", "requests_per_minute = 0: cần một số nguyên từ 1"),
        ('kind = "weekly"', "kind = 'weekly': cần một trong daily, monthly"),
        ('timezone = "Mars/Base"', "timezone 'Mars/Base' không phải múi giờ"),
        ('level = "galaxy"', "level = 'galaxy': cần một trong commune, district, province"),
        ("output = 5", "output = 5: cần một chuỗi"),
        ("store = [1]", "store = [1]: cần một chuỗi"),
        ("target = true", "target = True: cần một chuỗi"),
    ],
)
def test_a_config_value_of_the_wrong_kind_is_refused_before_anything_runs(tmp_path, line, said):
    key = line.split(" ")[0]
    values = {
        "kind": '"daily"',
        "level": '"district"',
        "registry": '"r.xlsx"',
        "store": '"s.db"',
        "output": '"out"',
        "target": '"gsheet:1HuyenChiLang0000000"',
    }
    main = "\n".join(f"{k} = {v}" for k, v in values.items() if k != key)
    config = tmp_path / "sync.toml"
    config.write_text(
        f'[sync]\n{main}\n{line}\n[[sources]]\nunit = "Xã Vạn Linh"\n'
        'spreadsheet = "gsheet:1VanLinhKey000000000"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["sync", str(config)])
    assert result.exit_code == 2, result.output
    assert said in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sync.toml"]


@pytest.mark.parametrize("text", ["sync = 5\n", "[sync]\nstore = 's'\n[[sources]]\n", "x = ["])
def test_a_config_of_the_wrong_shape_is_refused(tmp_path, text):
    config = tmp_path / "sync.toml"
    config.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["sync", str(config), "--lang", "en"])
    assert result.exit_code == 2 and result.output.startswith("sync: ")
    assert "Traceback" not in result.output
