"""sync against the emulator: the summary is right in the spreadsheet (proved by
LibreOffice recalculating the exported target), never half-written, not rewritten when
nothing changed, and a run costs reads in proportion to what changed."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pytest

from sheets_tool import gsheets
from sheets_tool.sync import load_config, run_once
from sheets_tool.testing.sheets_api import Emulator

from .conftest import CHI_LANG, recalculate
from .test_gsheets import VAN_LINH, Y_TICH, daily_rows

DAY = dt.date(2021, 8, 5)


@pytest.fixture
def world(tmp_path: Path):
    with Emulator() as google:
        key = google.service_account(tmp_path / "key.json")
        email = json.loads(key.read_text())["client_email"]
        # the communes' sheets, typed as officials type them in a vi_VN spreadsheet
        sources = {
            "Xã Vạn Linh": google.create(
                "Vạn Linh - báo cáo ngày",
                {"Báo cáo": daily_rows("Vạn Linh", VAN_LINH)},
                share={email: "writer"},
            ),
            "Xã Y Tịch": google.create(
                "Y Tịch - báo cáo ngày",
                {"Báo cáo": daily_rows("Y Tịch", Y_TICH, sent="17:45")},
                share={email: "writer"},
            ),
        }
        target = google.create(
            "Huyện Chi Lăng - tổng hợp", {"Ghi chú": [["Của huyện"]]}, share={email: "writer"}
        )
        lines = [
            "[sync]",
            'kind = "daily"',
            'level = "district"',
            f'registry = "{CHI_LANG / "registry.xlsx"}"',
            'store = "sync.db"',
            'output = "out"',
            f'target = "gsheet:{target}"',
            f'credentials = "{key}"',
        ]
        for unit, sid in sources.items():
            lines += ["", "[[sources]]", f'unit = "{unit}"', f'spreadsheet = "gsheet:{sid}"']
        (tmp_path / "sync.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        yield google, load_config(tmp_path / "sync.toml"), sources, target


def _run(google: Emulator, config: object) -> object:
    budget = gsheets.Budget(per_minute=1000, sleep=lambda s: None)
    return run_once(config, day=DAY, budget=budget, base_url=google.url)  # type: ignore[arg-type]


def test_the_summary_in_the_spreadsheet_recalculates_to_the_villages_sums(
    world, tmp_path: Path
) -> None:
    google, config, _sources, target = world
    result = _run(google, config)
    assert result.failed == 0, result.messages
    exported = tmp_path / "target.xlsx"
    exported.write_bytes(google.export_xlsx(target))
    book = openpyxl.load_workbook(recalculate(exported, tmp_path), data_only=True)
    rows = list(book["Tổng hợp"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[:3] == ("STT", "Mã", "Đơn vị"))
    columns = {name: n for n, name in enumerate(rows[head])}
    by_unit = {r[2]: r for r in rows[head + 1 :] if r[1]}
    # codes stayed text in Google: every commune row still carries its code as text
    assert all(isinstance(r[1], str) and r[1].isdigit() for r in by_unit.values())
    # each commune's total, computed by the formulas as Google holds them, equals the
    # sum of its villages' numbers as the officials typed them
    for unit, villages in (("Xã Vạn Linh", VAN_LINH), ("Xã Y Tịch", Y_TICH)):
        row = by_unit[unit]
        assert row[columns["Tổng số hộ"]] == sum(h for _n, h, _s in villages)
        assert row[columns["Số hộ có cửa hàng số"]] == sum(s for _n, _h, s in villages)
        payments = columns["Số hộ có tài khoản thanh toán điện tử"]
        assert row[payments] == sum(s + 5 for _n, _h, s in villages)
        assert row[columns["Số đơn hàng"]] == 3 * len(villages)
        assert row[columns["Doanh thu (đồng)"]] == 1_250_000 * len(villages)
    # and the whole sheet agrees with the local summary, recalculated the same way
    local = openpyxl.load_workbook(recalculate(result.summary, tmp_path / "local"), data_only=True)
    assert [r[:13] for r in rows] == [r[:13] for r in local["Tổng hợp"].iter_rows(values_only=True)]
    assert book["Ghi chú"]["A1"].value == "Của huyện"  # the district's own tab untouched


def test_nothing_changed_nothing_written_and_reads_scale_with_changes(world) -> None:
    google, config, sources, _target = world
    _run(google, config)
    google.log.clear()
    second = _run(google, config)
    assert second.failed == 0, second.messages
    assert google.writes() == 0  # no "Kiểm tra" tab, no target written again
    assert google.reads() == 1  # one Drive listing: nothing else was read
    # one official edits: that source is read again, and only it
    sid = sources["Xã Y Tịch"]
    rows = daily_rows("Y Tịch", [(n, h + 1, s) for n, h, s in Y_TICH], sent="17:50")
    google.edit(sid, "Báo cáo", rows)
    google.log.clear()
    third = _run(google, config)
    assert third.failed == 0, third.messages
    changed = 1
    assert google.reads() <= 1 + 2 * changed
    assert third.read == 1 and third.unchanged == 1


def test_a_failed_write_leaves_the_previous_summary(world) -> None:
    google, config, sources, target = world
    _run(google, config)
    before = google.book(target).values_get("'Tổng hợp'!A1:Z200", render="FORMULA")
    more = [(n, h + 10, s) for n, h, s in VAN_LINH]
    google.edit(sources["Xã Vạn Linh"], "Báo cáo", daily_rows("Vạn Linh", more))
    google.fail(500, times=50, kinds=("sheets.spreadsheets.batchUpdate",))
    result = _run(google, config)
    assert result.failed >= 1
    google.faults.clear()
    after = google.book(target).values_get("'Tổng hợp'!A1:Z200", render="FORMULA")
    assert after == before  # neither empty nor half-written


def test_a_retry_of_a_write_that_went_through_is_harmless(world) -> None:
    google, config, _sources, target = world
    # the first write adds the tabs; its answer is lost, the client retries
    google.fail(0, kinds=("sheets.spreadsheets.batchUpdate",), after=True)
    result = _run(google, config)
    assert result.failed == 0, result.messages
    titles = [s.title for s in google.book(target).sheets]
    assert titles.count("Tổng hợp") == 1


def test_a_view_only_source_is_read_but_reported_as_failed(world) -> None:
    google, config, sources, _target = world
    email = json.loads(config.credentials.read_text())["client_email"]
    google.share(sources["Xã Y Tịch"], email, "reader")
    result = _run(google, config)
    assert (result.read, result.failed) == (2, 1)
    (message,) = [m for m in result.messages if m.startswith("Xã Y Tịch")]
    assert "Người chỉnh sửa (Editor)" in message and email in message
    assert google.book(sources["Xã Y Tịch"]).by_title("Kiểm tra") is None


def test_a_revoked_key_or_no_network_fails_the_run_with_a_message(world) -> None:
    google, config, _sources, _target = world
    google.accounts.revoke(json.loads(config.credentials.read_text())["client_email"])
    result = _run(google, config)
    assert result.failed >= 1 and result.read == 0
    assert any("invalid_grant" in m and "--credentials" in m for m in result.messages)
    assert "Excel" not in " ".join(result.messages)
    assert re.search(r"lỗi [1-9]", config.log_path.read_text())
    google.stop()  # no network: neither the token endpoint nor the APIs answer
    down = run_once(
        config,
        day=DAY,
        budget=gsheets.Budget(per_minute=1000, sleep=lambda s: None, max_attempts=1),
        base_url=google.url,
    )
    assert down.failed >= 1
    assert any("không kết nối được Google" in m for m in down.messages), down.messages


def test_every_keeps_going_after_a_failed_run(world, monkeypatch) -> None:
    from sheets_tool import sync as sync_module

    google, config, _sources, _target = world
    google.fail_token(500, times=20)  # the token endpoint is down for a while
    reports = []

    def stop_after_two(seconds: float) -> None:
        if len(reports) >= 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(sync_module.time, "sleep", stop_after_two)
    budget = gsheets.Budget(per_minute=1000, sleep=lambda s: None)
    with pytest.raises(KeyboardInterrupt):
        sync_module.run_every(
            config, 900, reports.append, day=DAY, budget=budget, base_url=google.url
        )
    assert len(reports) == 2 and all(r.failed for r in reports)


def test_sync_takes_credentials_on_the_command_line(world, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sheets_tool.cli import cli

    _google, config, _sources, _target = world
    result = CliRunner().invoke(
        cli, ["sync", str(config.path), "--credentials", str(tmp_path / "missing.json")]
    )
    assert result.exit_code == 2
    assert "missing.json" in result.output
