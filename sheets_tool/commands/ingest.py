"""``sheets-tool ingest`` and ``sheets-tool history``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from .. import gsheets
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
    help="When the files were received (default: now), unless a report gives "
    "its own 'Thời gian gửi'.",
)
@format_option
@lang_option
@credentials_option
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
        line = (
            (
                f"Lưu {len(outcome.stored)} báo cáo mới ({outcome.superseded} dòng thay thế"
                f" bản cũ), {outcome.unchanged} không đổi."
            )
            if lang == "vi"
            else (
                f"Stored {len(outcome.stored)} new submissions ({outcome.superseded} rows"
                f" superseding an earlier version), {outcome.unchanged} unchanged."
            )
        )
        click.echo(line)
    sys.exit(outcome.report.exit_code())


@click.command()
@click.argument("unit")
@store_option
@format_option
def history(unit: str, store_path: Path, fmt: str) -> None:
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
        click.echo(f"{unit}: chưa có báo cáo nào trong {store_path}")
        return
    for i in items:
        mark = " " if i.superseded_by is None else "×"
        click.echo(
            f"{mark} #{i.id:<4} {i.kind:<7} {i.period:<10} {i.unit_name:<22} "
            f"{i.received_at:<16} {i.status:<7} {i.rows:>3} dòng, {i.errors} lỗi  "
            f"{i.source}"
        )
