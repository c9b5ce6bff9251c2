"""``sheets-tool ingest`` and ``sheets-tool history``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from .. import gsheets
from ..consolidate import status_label
from ..i18n import Text, count, tr, vietnamese
from ..ingest import ingest_paths
from ..inputs import expand_inputs
from .common import (
    credentials_option,
    format_option,
    format_report,
    lang_option,
    open_registry,
    open_store,
    profile_option,
    progress,
    registry_option,
    store_option,
    template_option,
)


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH|URL...")
@registry_option
@store_option
@template_option
@profile_option
@click.option(
    "--received-at",
    type=click.DateTime(["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]),
    help=Text(
        "Thời điểm nhận các tệp (mặc định: bây giờ), trừ khi báo cáo có cột 'Thời gian gửi'.",
        "When the files were received (default: now), unless a report gives "
        "its own 'Thời gian gửi'.",
    ),
)
@format_option
@lang_option
@credentials_option
@vietnamese(
    """Kiểm tra các báo cáo và lưu vào kho (cùng một nội dung chỉ lưu một lần; bản gửi
    lại đã sửa thay thế bản trước).

    \b
    Ví dụ:
      sheets-tool ingest samples/chi-lang/daily/*.xlsx --registry samples/chi-lang/registry.xlsx
    """
)
def ingest(
    paths: tuple[str, ...],
    registry_path: Path,
    store_path: Path,
    template: str,
    profile: str,
    received_at: dt.datetime | None,
    fmt: str,
    lang: str,
    credentials: str | None,
) -> None:
    """Validate reports and keep them in the store (same content stored once; a
    corrected resubmission supersedes the earlier one).

    \b
    Example:
      sheets-tool ingest samples/chi-lang/daily/*.xlsx --registry samples/chi-lang/registry.xlsx
    """
    reg = open_registry(registry_path)
    with open_store(store_path) as store, gsheets.session(credentials):
        outcome = ingest_paths(
            progress(expand_inputs(paths)),
            store,
            reg,
            template=None if template == "auto" else template,
            profile=profile,
            received_at=received_at,
        )
    if fmt == "json":
        doc = outcome.report.to_dict(lang) | {
            "stored": outcome.stored,
            "unchanged": outcome.unchanged,
            "superseded": outcome.superseded,
            "submissions": outcome.submissions,
        }
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(outcome.report, lang))
        if lang == "vi":
            click.echo(
                f"Lưu {len(outcome.stored)} báo cáo mới ({outcome.superseded} dòng thay thế"
                f" bản cũ), {outcome.unchanged} không đổi."
            )
        else:
            stored = count(len(outcome.stored), "new submission", "new submissions", "", lang)
            rows = count(outcome.superseded, "row", "rows", "", lang)
            click.echo(
                f"Stored {stored} ({rows} superseding an earlier version), "
                f"{outcome.unchanged} unchanged."
            )
    sys.exit(outcome.report.exit_code())


@click.command()
@click.argument("unit")
@store_option
@format_option
@lang_option
@vietnamese(
    """Mọi lần gửi báo cáo của một đơn vị (mã hoặc đúng tên), kể cả các bản đã bị thay
    thế.

    \b
    Ví dụ:
      sheets-tool history 06505
    """
)
def history(unit: str, store_path: Path, fmt: str, lang: str) -> None:
    """Every submission of a unit (its code or exact name), superseded ones too.

    \b
    Example:
      sheets-tool history 06505
    """
    with open_store(store_path, create=False) as store:
        items = store.history(unit)
    if fmt == "json":
        click.echo(json.dumps([i.to_dict() for i in items], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo(
            tr(
                "{unit}: chưa có báo cáo nào trong {store}",
                "{unit}: no submissions in {store}",
                unit=unit,
                store=store_path,
            )
        )
        return
    for i in items:
        mark = " " if i.superseded_by is None else "×"
        click.echo(
            f"{mark} #{i.id:<4} {i.kind:<7} {i.period:<10} {i.unit_name:<22} "
            f"{i.received_at:<16} {status_label(i.status, lang):<9} "
            f"{count(i.rows, 'row', 'rows', 'dòng', lang):>9}, "
            f"{count(i.errors, 'error', 'errors', 'lỗi', lang)}  {i.source}"
        )
