"""``sheets-tool sync``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from .. import gsheets
from ..i18n import Text, tr, vietnamese
from ..registry import RegistryError
from ..store import StoreError
from ..sync import SyncError, SyncResult, load_config, parse_every, run_every, run_once
from .common import fail, lang_option


@click.command()
@click.argument("config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--once",
    "once",
    is_flag=True,
    help=Text("Chạy một lần rồi thoát (mặc định).", "One run, then exit (the default)."),
)
@click.option(
    "--every",
    metavar="DURATION",
    help=Text(
        "Chạy liên tục: một lần sau mỗi 15m, 1h, 900s...",
        "Keep running: a run every 15m, 1h, 900s...",
    ),
)
@click.option(
    "--dry-run",
    is_flag=True,
    help=Text(
        "Đọc và kiểm tra các nguồn; không ghi gì (kho, Google, tệp).",
        "Read and check the sources; write nothing (store, Google, files).",
    ),
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    help=Text(
        "Ngày cần tổng hợp (mặc định: hôm nay theo múi giờ trong cấu hình).",
        "The day to consolidate (default: today in the configured time zone).",
    ),
)
@click.option(
    "--month",
    type=click.DateTime(["%Y-%m"]),
    help=Text(
        "Tháng cần tổng hợp (mặc định với báo cáo tháng: tháng trước).",
        "The month to consolidate (default for monthly reports: last month).",
    ),
)
@click.option(
    "--credentials",
    type=click.Path(dir_okay=False, path_type=Path),
    help=Text(
        "Khóa JSON của tài khoản dịch vụ (thay cho credentials trong [sync] của CONFIG).",
        "The service account's JSON key (instead of [sync] credentials in CONFIG).",
    ),
)
@lang_option
@vietnamese(
    """Đọc các Google Sheet được chia sẻ, lưu vào kho, ghi bảng tổng hợp và một tab
    "Kiểm tra" vào mỗi nguồn.

    \b
    Ví dụ:
      sheets-tool sync sync.toml --once
      sheets-tool sync sync.toml --every 15m
      sheets-tool sync sync.toml --dry-run

    Mã thoát 0: mọi nguồn đã đọc hoặc không đổi; 1: có nguồn bị lỗi (các nguồn khác vẫn
    chạy); 2: không bắt đầu được (cấu hình, khóa truy cập, đang có lần chạy khác).
    """
)
def sync(
    config: Path,
    once: bool,
    every: str | None,
    dry_run: bool,
    day: dt.datetime | None,
    month: dt.datetime | None,
    credentials: Path | None,
    lang: str,
) -> None:
    """Read the shared Google Sheets, keep them in the store, write the summary and a
    "Kiểm tra" tab into each source.

    \b
    Examples:
      sheets-tool sync sync.toml --once
      sheets-tool sync sync.toml --every 15m
      sheets-tool sync sync.toml --dry-run

    Exit 0: every source read or unchanged; 1: a source failed (the others went on);
    2: the run could not start (configuration, credentials, another run going).
    """
    if once and every:
        fail(tr("không dùng --once cùng --every", "--once and --every exclude each other"))
    try:
        cfg = load_config(config)
        if credentials is not None:
            cfg.credentials = credentials
        kwargs: dict[str, Any] = {
            "dry_run": dry_run,
            "day": day.date() if day else None,
            "month": f"{month:%Y-%m}" if month else None,
        }
        if every:
            run_every(cfg, parse_every(every), _print_sync, **kwargs)
            return
        result = run_once(cfg, **kwargs)
    except (SyncError, gsheets.SheetsError, RegistryError, StoreError) as exc:
        click.echo(f"sync: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(0)
    _print_sync(result)
    sys.exit(result.exit_code())


def _print_sync(result: SyncResult) -> None:
    for message in result.messages:
        click.echo(f"  {message}", err=True)
    click.echo(result.line())
