"""The status page (``consolidate --html``): its numbers are the summary's, its status
list is the status sheet's, it renders in a real browser offline on a phone and a
desktop, and names typed into sheets stay text."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sheets_tool import svg
from sheets_tool.cli import cli
from sheets_tool.consolidate import (
    STATUS_LABELS,
    ConsolidationError,
    DataRow,
    Trend,
    consolidate,
    summarise,
    summarise_store,
)
from sheets_tool.findings import Finding
from sheets_tool.registry import Registry, load_registry
from sheets_tool.report_book import write_summary
from sheets_tool.status_page import ORDER, render_status_page, write_status_page
from sheets_tool.store import Store

from .browser import browser, needs_chromium  # noqa: F401  (a fixture)
from .conftest import CHI_LANG
from .reports import HEADER

DAY = dt.date(2021, 8, 5)
AT = dt.datetime(2021, 8, 5, 16, 0)


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    """The sample district's week in a store; the summary of 5/8 with its 30-day trend,
    as a workbook, a page and the JSON the command prints."""
    folder = tmp_path_factory.mktemp("district")
    registry = load_registry(CHI_LANG / "registry.xlsx")
    store = Store(folder / "s.db")
    files = sorted((CHI_LANG / "daily").glob("*.xlsx"))
    summary = consolidate(
        files, level="district", registry=registry, store=store, day=DAY, history=30
    )
    xlsx = write_summary(summary, folder / "huyen.xlsx")
    html = write_status_page(summary, folder / "huyen.html", now=dt.datetime(2021, 8, 5, 17, 30))
    yield summary, xlsx, html, summary.to_dict(), store, registry
    store.close()


# ---------------------------------------------------------------------------
# the page's numbers are the summary's

UNIT_NUMBERS = """() => Object.fromEntries(
  Array.from(document.querySelectorAll('#numbers tr[data-code]')).map(tr => [
    tr.dataset.code,
    Object.fromEntries(Array.from(tr.querySelectorAll('td[data-key]'))
      .map(td => [td.dataset.key, Number(td.dataset.value)]))]))"""
SHARES = """() => Object.fromEntries(
  Array.from(document.querySelectorAll('#targets section[data-indicator]')).map(s => [
    s.dataset.indicator,
    Object.fromEntries(Array.from(s.querySelectorAll('li[data-code]'))
      .map(li => [li.dataset.code, Number(li.dataset.share)]))]))"""
WHO = """() => Array.from(document.querySelectorAll('#who tbody tr')).map(tr => [
  tr.dataset.code, tr.dataset.status, tr.querySelector('.badge').textContent,
  tr.dataset.reported + '/' + tr.dataset.expected, tr.dataset.received])"""
COUNTS = """() => Object.fromEntries(Array.from(document.querySelectorAll('#counts li'))
  .map(li => [li.dataset.status, Number(li.dataset.count)]))"""


@needs_chromium()
def test_the_numbers_in_the_page_are_the_summarys_for_every_unit(browser, district):  # noqa: F811
    _summary, _xlsx, html, doc, *_ = district
    page = browser.load(html, 1280).page
    shown = page.evaluate(UNIT_NUMBERS)
    assert {u["code"] for u in doc["units"]} | {""} == set(shown)
    for unit in doc["units"]:
        assert shown[unit["code"]] == pytest.approx(unit["values"]), unit["name"]
    assert shown[""] == pytest.approx(doc["totals"])
    assert doc["totals"]["households"] > 0
    shares = page.evaluate(SHARES)
    for key in ("shops_pct", "sellers_pct"):
        want = {u["code"]: u["indicators"][key] for u in doc["units"]}
        assert shares[key] == pytest.approx({c: v for c, v in want.items() if v is not None})
        # the units without a share are named, not dropped
        blank = [u["name"] for u in doc["units"] if u["indicators"][key] is None]
        text = page.locator(f"#targets section[data-indicator={key}] .no-share").inner_text()
        assert all(name in text for name in blank)
        total = page.locator(f".total-indicator[data-indicator={key}]").get_attribute("data-share")
        assert float(total) == pytest.approx(doc["indicators"][key])
    # and the figures read as Vietnamese write them
    van_linh = next(u for u in doc["units"] if u["name"] == "Xã Vạn Linh")
    cell = page.locator(f"#numbers tr[data-code='{van_linh['code']}'] td[data-key=households]")
    assert cell.inner_text() == f"{van_linh['values']['households']:,.0f}".replace(",", ".")


@needs_chromium()
def test_the_status_list_is_the_status_sheet(browser, district):  # noqa: F811
    summary, xlsx, html, *_ = district
    page = browser.load(html, 1280).page
    who = page.evaluate(WHO)
    ws = openpyxl.load_workbook(xlsx)["Tình hình báo cáo"]
    head = next(r for r in range(1, 20) if ws.cell(r, 2).value == "Mã")
    sheet = {
        r[1].value: (r[4].value, r[3].value, r[5].value or "")
        for r in ws.iter_rows(min_row=head + 1)
    }
    assert {code: (label, rep, at) for code, _s, label, rep, at in who} == sheet
    assert len(sheet) == len(summary.children) > 3
    # the units to chase first: missing, then errors, late, on time
    assert [ORDER.index(s) for _c, s, *_ in who] == sorted(ORDER.index(s) for _c, s, *_ in who)
    counts = page.evaluate(COUNTS)
    labels = {v[0]: k for k, v in STATUS_LABELS.items()}
    on_sheet = {labels[ws.cell(r, 3).value]: ws.cell(r, 5).value for r in range(2, head)
                if ws.cell(r, 3).value in labels}  # fmt: skip
    assert counts == {k: sum(s == k for _c, s, *_ in who) for k in ORDER}
    assert set(on_sheet) == set(counts)


def test_the_trend_is_each_days_summary(district):
    summary, *_, store, registry = district
    trend = summary.trend
    assert trend is not None and len(trend.periods) == 30 and trend.periods[-1] == "2021-08-05"
    days = [p for p, t in zip(trend.periods, trend.totals, strict=True) if t is not None]
    assert days == ["2021-08-02", "2021-08-03", "2021-08-04", "2021-08-05"]
    for period, totals in zip(trend.periods, trend.totals, strict=True):
        try:
            day = summarise_store(store, registry, kind="daily", period=period, scope=summary.scope)
        except ConsolidationError:
            assert totals is None, period
            continue
        assert totals == {k: day.totals[k] for k in trend.keys}, period
    assert trend.totals[-1] == {k: summary.totals[k] for k in trend.keys}


# ---------------------------------------------------------------------------
# a real browser, offline, on a phone and a desktop


@needs_chromium()
@pytest.mark.parametrize("width", [1280, 360])
def test_it_renders_offline_with_no_error(browser, district, tmp_path, width):  # noqa: F811
    html = district[2]
    loaded = browser.load(html, width)
    page = loaded.page
    shot = tmp_path / f"status-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    assert loaded.requests == [html.resolve().as_uri()]
    assert [m for m in loaded.console if m[0] in ("error", "warning")] == []
    assert loaded.errors == [] and loaded.dialogs == []
    for selector in ("#counts li", "#who tbody tr", "#targets svg.bar", "#trend svg.chart"):
        assert page.locator(selector).first.is_visible(), selector
    assert page.locator("#scope").inner_text() == "Huyện Chi Lăng"
    # nothing wider than the screen: wide tables scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@needs_chromium()
def test_it_prints_on_a4_with_no_blank_page(browser, district, tmp_path):  # noqa: F811
    """Chromium's print to PDF, read back with poppler's pdftotext."""
    pdf = tmp_path / "status.pdf"
    browser.load(district[2], 1280).page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]  # each page ends with a form feed
    assert 1 <= len(pages) <= 4, len(pages)
    assert all(page.strip() for page in pages)  # no blank page
    assert "Tổng cộng" in text and "Huyện Chi Lăng" in text


@needs_chromium()
def test_the_browser_check_sees_a_page_that_reaches_out(browser, tmp_path):  # noqa: F811
    """The offline check must be able to fail: a page with a web font and an error."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<html><head><link rel="stylesheet" href="https://fonts.example.invalid/a.css">'
        "</head><body><script>console.error('x')</script></body></html>"
    )
    loaded = browser.load(bad, 360)
    assert "https://fonts.example.invalid/a.css" in loaded.requests
    assert ("error", "x") in loaded.console


# ---------------------------------------------------------------------------
# names typed into sheets stay text

PAYLOADS = [
    "<script>alert('thôn')</script>",
    '<img src=x onerror="alert(2)">',
    '=HYPERLINK("http://evil.invalid","Bấm vào")',
    "Thôn </td></tr></table><h1>giả</h1>",
]


def hostile_report(path: Path) -> Path:
    """A commune's daily report whose village and reporter names carry HTML and formula
    payloads, typed as text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "05-08"
    ws["A1"] = "UBND XÃ VẠN LINH"
    ws["A2"] = "BÁO CÁO KẾT QUẢ PHÁT TRIỂN KINH TẾ SỐ"
    ws["A3"] = "Xã Vạn Linh, huyện Chi Lăng - Ngày 05/08/2021"
    ws.append([])
    ws.append([*HEADER, "Doanh nghiệp hỗ trợ", "Người báo cáo"])
    for n, name in enumerate(PAYLOADS, start=1):
        ws.append([n, name, 100 + n, 10 * n, 20, 1, n, 3, name, name])
        for col in (2, 9, 10):
            ws.cell(row=5 + n, column=col).data_type = "s"
    # a finding that quotes a payload: a number that is not one
    ws.append([9, f"{PAYLOADS[0]} 2", "<b>nhiều</b>", 1, 1, 0, 0, 0, "", "<i>x</i>"])
    wb.save(path)
    return path


@needs_chromium()
def test_names_from_sheets_show_as_text_and_nothing_runs(browser, tmp_path):  # noqa: F811
    src = hostile_report(tmp_path / "van-linh.xlsx")
    out = tmp_path / "xa.html"
    result = CliRunner().invoke(
        cli,
        [
            "consolidate", str(src), "--level", "commune", "--date", "2021-08-05",
            "--store", str(tmp_path / "s.db"), "-o", str(tmp_path / "xa.xlsx"),
            "--html", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    text = out.read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text and "<h1>giả" not in text
    loaded = browser.load(out, 360)
    assert loaded.dialogs == [] and loaded.errors == []
    assert loaded.page.evaluate("document.querySelectorAll('script, img, h1').length") == 1
    who = loaded.page.locator("#who").inner_text()
    numbers = loaded.page.locator("#numbers").inner_text()
    for name in PAYLOADS:
        assert name.strip() in who + numbers, name
    assert loaded.requests == [out.resolve().as_uri()]
    # the workbook written beside it holds the names as text, not formulas
    book = openpyxl.load_workbook(tmp_path / "xa.xlsx")
    formulas = [
        c.value
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f" and "HYPERLINK" in str(c.value) and "evil" in str(c.value)
    ]
    assert formulas == []


# ---------------------------------------------------------------------------
# size, the command, sync


def test_a_province_of_2000_villages_is_under_a_megabyte():
    """A province after the reform (communes under the province), 13 villages a
    commune, a finding for one village in ten, a 30-day trend."""
    on = dt.date(2026, 1, 15)
    registry = Registry.official(on)
    province = next(u for u in registry.units.values() if u.name == "Tỉnh Thanh Hóa")
    communes = [u for u in registry.children(province.code) if u.valid_on(on)]
    rows, findings = [], []
    for c in communes:
        for k in range(13):
            village = registry.village(c, f"Thôn Làng Mới Số {k + 1}")
            late = k % 5 == 0
            rows.append(
                DataRow(
                    village,
                    {"households": 300.0 + k, "shops": 100.0 + k, "payment_accounts": 150.0,
                     "new_shops": 2.0, "sellers": 31.0 + k, "orders": 57.0},
                    "2026-01-15T18:05" if late else "2026-01-15T16:40",
                    "late" if late else "on_time",
                    f"bao-cao/{c.code}/{village.code}.xlsx",
                )
            )  # fmt: skip
            if k % 10 == 0:
                findings.append(
                    Finding(
                        severity="warning", code="daily.new_shops_mismatch",
                        params={"path": f"bao-cao/{c.code}/{village.code}.xlsx",
                                "unit": village.name, "value": 2, "expected": 3,
                                "commune": c.code},
                        sheet="15-01", row=6, column="new_shops", cell="G6", value=2,
                    )
                )  # fmt: skip
    assert len(rows) >= 2000
    summary = summarise("daily", province, on.isoformat(), rows, registry)
    summary.findings = findings
    summary.located = {(str(f.params["path"]), "15-01", 6): f.params["commune"] for f in findings}
    keys = ["shops", "payment_accounts", "sellers"]
    periods = [(on - dt.timedelta(days=d)).isoformat() for d in range(29, -1, -1)]
    summary.trend = Trend(
        keys, periods, [{k: 1000.0 * n for k in keys} for n in range(len(periods))]
    )
    size = len(render_status_page(summary).encode("utf-8"))
    print(f"status page: {len(communes)} communes, {len(rows)} villages: {size:,} bytes")
    assert size < 1_000_000


def test_the_command_writes_the_page_and_refuses_what_it_cannot(tmp_path):
    files = [str(p) for p in sorted((CHI_LANG / "daily").glob("*-2021-08-05.xlsx"))]
    base = ["consolidate", *files, "--level", "district", "--date", "2021-08-05",
            "--store", str(tmp_path / "s.db"), "-o", str(tmp_path / "h.xlsx")]  # fmt: skip
    page = tmp_path / "trang" / "h.html"
    result = CliRunner().invoke(cli, [*base, "--html", str(page), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert str(page) in result.output
    text = page.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "Who reported" in text
    assert not list(page.parent.glob("*.tmp"))
    result = CliRunner().invoke(cli, [*base, "--html", str(tmp_path / "h.txt")])
    assert result.exit_code == 2 and "phải có đuôi .html" in result.output
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    result = CliRunner().invoke(cli, [*base, "--html", str(blocked / "h.html")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    rosters = ["consolidate", str(CHI_LANG / "registry.xlsx"), "--level", "commune",
               "-o", str(tmp_path / "r.xlsx"), "--html", str(tmp_path / "r.html")]  # fmt: skip
    result = CliRunner().invoke(cli, rosters)
    assert result.exit_code == 2 and "danh sách tổ không có trang tình hình" in result.output


def test_english_and_vietnamese_pages_carry_the_same_numbers(district):
    summary, *_ = district
    vi = render_status_page(summary, "vi")
    en = render_status_page(summary, "en")
    assert '<html lang="vi">' in vi and "Tình hình nộp báo cáo" in vi
    assert "Who reported" in en and "Tình hình nộp báo cáo" not in en
    pick = 'data-value="'
    assert [x.split('"')[0] for x in vi.split(pick)[1:]] == [
        x.split('"')[0] for x in en.split(pick)[1:]
    ]
    assert json.dumps(summary.to_dict("vi")["units"]) == json.dumps(summary.to_dict("en")["units"])


# ---------------------------------------------------------------------------
# the charts


def test_axis_maxima_are_round_numbers_at_or_above_the_value():
    assert [svg.nice_ceiling(v) for v in (0, 0.07, 0.5, 0.51, 3, 1234, 2500, 2501)] == [
        1.0, 0.1, 0.5, 1.0, 5.0, 2000.0, 2500.0, 5000.0,
    ]  # fmt: skip


def test_a_share_bar_fills_its_share_and_marks_the_target():
    under = str(svg.share_bar(0.25, 0.5, 1.0, "<b>Thôn A</b>: 25%"))
    assert 'width="25.00"' in under and "#b91c1c" in under  # red under target
    assert 'x1="50.00"' in under  # the target line
    assert "&lt;b&gt;Thôn A&lt;/b&gt;" in under and "<b>" not in under
    assert "#15803d" in str(svg.share_bar(0.5, 0.5, 1.0, "x"))  # at target: green
    assert 'width="100.00"' in str(svg.share_bar(3.0, 0.5, 1.0, "x"))  # capped
    assert "stroke-dasharray" in str(svg.share_bar(None, 0.5, 1.0, "x"))  # no share


def test_a_line_chart_breaks_where_a_period_has_no_data():
    chart = str(
        svg.line_chart(
            ["01", "02", "03", "04", "05"],
            [("<i>a</i>", [1.0, 2.0, None, 4.0, 5.0]), ("b", [None] * 5)],
            str,
            "t",
        )
    )
    assert chart.count("<polyline") == 2  # 01–02 and 04–05; nothing for b
    assert chart.count("<circle") == 4
    assert "&lt;i&gt;a&lt;/i&gt;" in chart and "<i>" not in chart
    assert ">05<" in chart  # the last date is always labelled
