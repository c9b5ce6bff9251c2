"""``sheets-tool consolidate``: reports (a day or a month) or rosters."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from .. import gsheets
from ..consolidate import STATUS_LABELS, TREND_PERIODS, Summary, consolidate, load_targets
from ..hierarchy import SUMMARY_LEVELS, ConsolidationError
from ..i18n import Text, count, tr, vietnamese
from ..inputs import expand_inputs
from ..registry import Registry
from ..report_book import write_summary
from ..roster_book import write_roster_summary
from ..rosters import consolidate_rosters
from .common import (
    DayType,
    cannot_write,
    credentials_option,
    fail,
    format_finding,
    format_option,
    lang_option,
    must_be_xlsx,
    open_registry,
    open_store,
    profile_option,
    progress,
    registry_option,
    store_option,
)


@click.command("consolidate")
@click.argument("inputs", nargs=-1, metavar="[PATH|FOLDER|URL]...")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=Text("Tệp tổng hợp sẽ ghi (.xlsx).", "The summary workbook to write (.xlsx)."),
)
@click.option(
    "--level",
    type=click.Choice(SUMMARY_LEVELS),
    required=True,
    help=Text("Cấp của đơn vị được tổng hợp.", "The level of the unit the summary is for."),
)
@click.option(
    "--date",
    "day",
    type=DayType(),
    help=Text(
        "Ngày, với báo cáo ngày: 2021-08-05 hoặc 05/08/2021 (không có --date và --month: "
        "tổng hợp danh sách tổ).",
        "The day, for daily reports: 2021-08-05 or 05/08/2021 (neither --date nor "
        "--month: rosters).",
    ),
)
@click.option(
    "--month",
    type=click.DateTime(["%Y-%m"]),
    help=Text("Tháng, với báo cáo tháng: 2023-03.", "The month, for monthly reports: 2023-03."),
)
@click.option(
    "--unit",
    metavar="CODE|NAME",
    help=Text(
        "Đơn vị được tổng hợp (thuộc cấp --level); mặc định: đơn vị chứa các tệp đầu vào. "
        "Không có tệp nào: tổng hợp từ kho lưu trữ.",
        "The unit to summarise (of --level); by default the one the inputs belong to. "
        "With no files, the summary is made from the store alone.",
    ),
)
@registry_option
@store_option
@click.option(
    "--targets",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=Text(
        "Tệp TOML ghi chỉ tiêu và hạn báo cáo.", "A TOML file with indicator targets and deadlines."
    ),
)
@click.option(
    "--html",
    "html",
    type=click.Path(dir_okay=False, path_type=Path),
    help=Text(
        "Ghi thêm trang tình hình (một tệp HTML đọc được trên điện thoại): ai đã báo cáo, "
        "chỉ tiêu, xu hướng, các vấn đề.",
        "Also write the status page (one HTML file to read on a phone): who reported, "
        "the targets, the trend, the problems.",
    ),
)
@profile_option
@format_option
@lang_option
@credentials_option
@vietnamese(
    """Tổng hợp báo cáo (hoặc bảng tổng hợp của cấp dưới) thành một tệp tổng hợp có công
    thức.

    \b
    Ví dụ:
      sheets-tool consolidate samples/chi-lang/daily/ --level district \\
          --date 2021-08-05 --registry samples/chi-lang/registry.xlsx -o huyen.xlsx
      sheets-tool consolidate "xa-*.tong-hop.xlsx" --level district --month 2023-03 \\
          --registry registry.xlsx -o huyen-thang-3.xlsx --format json
      sheets-tool consolidate --level district --unit "Huyện Chi Lăng" --date 05/08/2021 \\
          -o huyen.xlsx        # chỉ từ kho lưu trữ

    Mã thoát 0: đã ghi, không tệp nào có lỗi; 1: đã ghi, nhưng có dòng bị loại vì lỗi
    (liệt kê ở sheet "Lỗi"); 2: không ghi gì.
    """
)
def consolidate_command(
    inputs: tuple[str, ...],
    output: Path,
    level: str,
    day: dt.date | None,
    month: dt.datetime | None,
    unit: str | None,
    registry_path: Path | None,
    store_path: Path,
    targets: Path | None,
    html: Path | None,
    profile: str,
    fmt: str,
    lang: str,
    credentials: str | None,
) -> None:
    """Consolidate reports (or summaries one level down) into a summary workbook with
    live formulas.

    \b
    Examples:
      sheets-tool consolidate samples/chi-lang/daily/ --level district \\
          --date 2021-08-05 --registry samples/chi-lang/registry.xlsx -o huyen.xlsx
      sheets-tool consolidate "xa-*.tong-hop.xlsx" --level district --month 2023-03 \\
          --registry registry.xlsx -o huyen-thang-3.xlsx --format json
      sheets-tool consolidate --level district --unit "Huyện Chi Lăng" --date 05/08/2021 \\
          -o huyen.xlsx        # from the store alone

    Exit 0: written, no input had errors; 1: written, but rows were excluded for errors
    (listed in "Lỗi"); 2: nothing written.
    """
    if output.suffix.lower() != ".xlsx":
        fail(must_be_xlsx(output))
    if html is not None and html.suffix.lower() not in (".html", ".htm"):
        fail(
            tr(
                "trang tình hình phải có đuôi .html: {html}",
                "the status page must end in .html: {html}",
                html=html,
            )
        )
    reg = open_registry(registry_path)
    try:
        goals = load_targets(targets)
    except ConsolidationError as exc:
        fail(str(exc))
    files = expand_inputs(inputs)
    if day is None and month is None:  # rosters have no period
        if html is not None:
            fail(
                tr(
                    "--html dành cho báo cáo (một ngày hoặc một tháng): danh sách tổ không "
                    "có trang tình hình",
                    "--html is for reports (a day or a month): rosters have no status page",
                )
            )
        if reg is None:
            fail(
                tr(
                    "danh sách tổ được đối chiếu với các thôn trong sổ đơn vị: hãy cho "
                    "--registry TỆP",
                    "rosters are matched to the villages of a registry: give --registry FILE",
                )
            )
        if not files:
            fail(tr("hãy cho các danh sách tổ cần tổng hợp", "give the rosters to consolidate"))
        with gsheets.session(credentials):
            _consolidate_rosters(files, output, level, reg, profile, fmt, lang)
        return
    with open_store(store_path) as store, gsheets.session(credentials):
        try:
            result = consolidate(
                files,
                level=level,
                registry=reg,
                store=store,
                day=day,
                month=f"{month:%Y-%m}" if month else None,
                unit=unit,
                targets=goals,
                profile=profile,
                progress=progress,
                history=TREND_PERIODS["daily" if day else "monthly"] if html else 0,
            )
        except ConsolidationError as exc:
            _nothing_written(exc, lang)
    try:
        write_summary(result, output, lang)
    except OSError as exc:
        cannot_write(output, exc)
    if html is not None:
        from ..status_page import write_status_page  # Jinja2, only when a page is asked for

        try:
            write_status_page(result, html, lang)
        except OSError as exc:
            cannot_write(html, exc)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        for f in result.findings:
            click.echo(format_finding(str(f.params.get("path", "")), f, lang))
        click.echo(format_consolidation(result, lang))
        click.echo(result.reconciliation.line(lang))
        click.echo(str(output))
        if html is not None:
            click.echo(str(html))
    errors = any(f.severity == "error" for f in result.findings)
    sys.exit(1 if errors or result.excluded else 0)


def _consolidate_rosters(
    inputs: list[str],
    output: Path,
    level: str,
    reg: Registry | None,
    profile: str,
    fmt: str,
    lang: str,
) -> None:
    try:
        assert reg is not None
        result = consolidate_rosters(inputs, level=level, registry=reg, profile=profile)
        write_roster_summary(result, output, lang)
    except ConsolidationError as exc:
        _nothing_written(exc, lang)
    except OSError as exc:
        cannot_write(output, exc)
    doc = result.to_dict(lang)
    if fmt == "json":
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        for f in result.findings:
            click.echo(format_finding(str(f.params.get("path", "")), f, lang))
        totals = doc["totals"]
        parts = (
            count(totals["teams"], "team", "teams", "tổ", lang),
            count(totals["members"], "member", "members", "thành viên", lang),
            count(
                totals["villages_without_team"],
                "village without a team",
                "villages without a team",
                "thôn chưa có tổ",
                lang,
            ),
            count(totals["breaches"], "breach", "breaches", "vi phạm", lang),
        )
        click.echo(f"{result.scope.name}: {', '.join(parts)}.")
        click.echo(str(output))
    sys.exit(1 if any(f.severity == "error" for f in result.findings) else 0)


def format_consolidation(result: Summary, lang: str) -> str:
    counts = {k: sum(c.status == k for c in result.children) for k in STATUS_LABELS}
    if lang == "vi":
        return (
            f"{result.scope.name}, {result.period}: {len(result.children)} đơn vị "
            f"({counts['on_time']} đúng hạn, {counts['late']} muộn, {counts['missing']} "
            f"chưa báo cáo, {counts['excluded']} có lỗi không tính), {len(result.data)} dòng "
            f"số liệu, {result.excluded} dòng bị loại."
        )
    units = count(len(result.children), "unit", "units", "", lang)
    rows = count(len(result.data), "data row", "data rows", "", lang)
    excluded = count(result.excluded, "row", "rows", "", lang)
    return (
        f"{result.scope.name}, {result.period}: {units} ({counts['on_time']} on time, "
        f"{counts['late']} late, {counts['missing']} missing, {counts['excluded']} with "
        f"errors not counted), {rows}, {excluded} excluded."
    )


def _nothing_written(exc: ConsolidationError, lang: str) -> NoReturn:
    """What was wrong with the inputs, why no summary was written; exit 2."""
    for f in exc.findings:
        click.echo(format_finding(str(f.params.get("path", "")), f, lang))
    nothing = tr("không ghi được bảng tổng hợp", "nothing written")
    click.echo(f"{nothing}: {exc}", err=True)
    sys.exit(2)
