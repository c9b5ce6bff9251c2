"""The ``sheets-tool`` command: a thin click layer over the library.

Each command parses its options, calls one library function and turns its result into
text (for people) or JSON (for programs). Exit codes: 0 fine, 1 the data has errors,
2 misuse or a file that cannot be read. No traceback unless ``--debug``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__, gsheets
from .annotate import annotate
from .consolidate import STATUS_LABELS, Summary, consolidate, load_targets
from .findings import Finding, Report, severity_label
from .hierarchy import ConsolidationError
from .ingest import ingest_paths
from .inputs import expand_inputs
from .registry import Registry, RegistryError, init_registry, load_registry
from .report_book import write_summary
from .roster_book import write_roster_summary
from .rosters import consolidate_rosters
from .store import DEFAULT_STORE, Store, StoreError
from .sync import SyncError, SyncResult, load_config, parse_every, run_every, run_once
from .template_book import write_template
from .templates import TEMPLATE_NAMES, DefinitionError, load_profile, load_template, profile_names
from .units import UnitsUnavailable
from .validate import validate_paths

F = TypeVar("F", bound=Callable[..., Any])

SUMMARY = {
    "vi": "{files} tệp, {records} dòng dữ liệu: {errors} lỗi, {warnings} cảnh báo.",
    "en": "{files} files, {records} records: {errors} errors, {warnings} warnings.",
}
NOT_ANNOTATED = {
    "vi": "Google Sheet không có bản chú thích; 'sheets-tool sync' ghi tab Kiểm tra vào đó.",
    "en": "a Google Sheet gets no annotated copy; 'sheets-tool sync' writes its Kiểm tra tab.",
}


def lang_option(f: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["vi", "en"]),
        default="vi",
        show_default=True,
        help="Language of messages and headers.",
    )(f)


def format_option(f: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="text for people, json for programs.",
    )(f)


def template_option(f: F) -> F:
    return click.option(
        "--template",
        "template",
        type=click.Choice(["auto", *TEMPLATE_NAMES]),
        default="auto",
        show_default=True,
        help="Record kind; auto detects it from the headers.",
    )(f)


def profile_option(f: F) -> F:
    return click.option(
        "--profile",
        default="none",
        show_default=True,
        metavar="NAME|FILE",
        help="Team rules: a built-in profile (see 'sheets-tool profiles') or a .toml file.",
    )(f)


def credentials_option(f: F) -> F:
    return click.option(
        "--credentials",
        metavar="FILE",
        help="Google service-account key (JSON) for Google Sheets sources; default: "
        "$SHEETS_TOOL_CREDENTIALS, $GOOGLE_APPLICATION_CREDENTIALS, gspread's path.",
    )(f)


def debug_option(f: F) -> F:
    return click.option("--debug", is_flag=True, help="Show the full traceback of a failure.")(f)


def _fail(message: str) -> None:
    raise click.UsageError(message)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sheets-tool")
def cli() -> None:
    """Templates, reading and validation of the rosters and reports of Vietnam's
    community digital teams (Tổ công nghệ số cộng đồng).

    \b
    Start with:
      sheets-tool template roster -o to-cns.xlsx     # a sheet to fill in
      sheets-tool validate to-cns.xlsx --profile ha-tinh-2022
    """


def format_finding(path: str, f: Finding, lang: str) -> str:
    """``file:sheet!cell: severity: message``, like a compiler."""
    where = path
    if f.sheet:
        where += f":{f.sheet}"
        if f.cell:
            where += f"!{f.cell}"
    return f"{where}: {severity_label(f.severity, lang).lower()}: {f.message(lang)}"


def format_report(report: Report, lang: str) -> str:
    lines = [format_finding(fr.path, f, lang) for fr in report.files for f in fr.findings]
    lines.append(
        SUMMARY[lang].format(
            files=len(report.files),
            records=report.records,
            errors=report.errors,
            warnings=report.warnings,
        )
    )
    return "\n".join(lines)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH|URL...")
@template_option
@profile_option
@format_option
@click.option(
    "--annotate",
    "annotate_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write a copy of each file with the findings marked on its cells.",
)
@lang_option
@credentials_option
@debug_option
def validate(
    paths: tuple[str, ...],
    template: str,
    profile: str,
    fmt: str,
    annotate_dir: Path | None,
    lang: str,
    credentials: str | None,
    debug: bool,
) -> None:
    """Check filled workbooks (or shared Google Sheets) against their template and a
    locality's team rules.

    \b
    Examples:
      sheets-tool validate samples/good/*.xlsx
      sheets-tool validate "https://docs.google.com/spreadsheets/d/KEY/edit" --credentials sa.json
      sheets-tool validate to-cns.xlsx --profile ha-tinh-2022 --annotate out/
      sheets-tool validate bao-cao.xlsx --template daily --format json

    Exit 0: no errors (warnings allowed); 1: errors found; 2: misuse or a file that
    could not be read.
    """
    try:
        prof = load_profile(profile)
    except DefinitionError as exc:
        _fail(str(exc))
    with gsheets.session(credentials):
        report = validate_paths(
            expand_inputs(paths), None if template == "auto" else template, prof, debug=debug
        )
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, lang))
    if annotate_dir is not None:
        for fr in report.files:
            if gsheets.is_google(fr.path):
                click.echo(f"{fr.path}: {NOT_ANNOTATED[lang]}", err=True)
                continue
            try:
                written = annotate(fr, annotate_dir, lang)
            except (OSError, ValueError) as exc:
                if debug:
                    raise
                click.echo(f"{fr.path}: {exc}", err=True)
                sys.exit(2)
            if written:
                label = "chú thích" if lang == "vi" else "annotated"
                click.echo(f"{label}: {written}", err=True)
    sys.exit(report.exit_code())


@cli.command()
@click.argument("name", type=click.Choice(TEMPLATE_NAMES))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the ready-to-fill .xlsx.",
)
@click.option("--describe", is_flag=True, help="Print the definition instead of a workbook.")
@format_option
@lang_option
def template(name: str, output: Path | None, describe: bool, fmt: str, lang: str) -> None:
    """Write a ready-to-fill workbook, or describe a template's columns.

    \b
    Examples:
      sheets-tool template roster -o to-cns.xlsx
      sheets-tool template daily -o bao-cao-ngay.xlsx --lang en
      sheets-tool template daily --describe --format json
    """
    tpl = load_template(name)
    if describe:
        if fmt == "json":
            click.echo(json.dumps(tpl.to_dict(lang), ensure_ascii=False, indent=2))
        else:
            click.echo(f"{tpl.name}: {tpl.label(lang)}")
            for col in tpl.columns:
                need = "*" if col.required else " "
                choices = f" [{', '.join(col.choices)}]" if col.choices else ""
                click.echo(f"  {need} {col.key:<20} {col.type:<7} {col.label(lang)}{choices}")
        return
    if output is None:
        _fail("give -o FILE.xlsx to write the workbook, or --describe to print the template")
        return
    if output.suffix.lower() != ".xlsx":
        _fail(f"the output must end in .xlsx: {output}")
    try:
        write_template(tpl, output, lang)
    except OSError as exc:
        click.echo(f"{output}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    click.echo(str(output))


@cli.command()
@format_option
@lang_option
def profiles(fmt: str, lang: str) -> None:
    """List the built-in rule profiles (use one with --profile NAME).

    \b
    Example:
      sheets-tool profiles
    A locality adds its own rules as a .toml file: see templates/profiles/.
    """
    items = [load_profile(n) for n in profile_names()]
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "name": p.name,
                        "label": p.label(lang),
                        "source": p.source,
                        "min_size": p.min_size,
                        "max_size": p.max_size,
                        "severity": p.severity,
                    }
                    for p in items
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for p in items:
        size = ""
        if p.min_size or p.max_size:
            size = f" ({p.min_size or '?'}–{p.max_size or '…'})"
        click.echo(f"{p.name:<15} {p.label(lang)}{size}")


def store_option(f: F) -> F:
    return click.option(
        "--store",
        "store_path",
        default=DEFAULT_STORE,
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The SQLite file that keeps every submission.",
    )(f)


def registry_option(f: F) -> F:
    return click.option(
        "--registry",
        "registry_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="The registry workbook ('sheets-tool registry init'): the villages expected "
        "and their households. Without it: the official units, villages as reported.",
    )(f)


def _open_registry(path: Path | None) -> Registry | None:
    if path is None:
        return None
    try:
        return load_registry(path)
    except RegistryError as exc:
        _fail(str(exc))
        raise  # unreachable: _fail raises


class DayType(click.ParamType[dt.date]):
    """A day as 2021-08-05 or as officials write it, 05/08/2021."""

    name = "date"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(str(value).strip(), fmt).date()
            except ValueError:
                continue
        self.fail(f"'{value}' is not a day: write 2021-08-05 or 05/08/2021", param, ctx)


def _open_store(path: Path) -> Store:
    try:
        return Store(path)
    except StoreError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


def _progress(items: Any) -> Any:
    """A progress bar on stderr when many files are read on a terminal."""
    items = list(items)
    if len(items) < 5 or not sys.stderr.isatty():
        return items

    def advance() -> Any:
        with click.progressbar(items, file=sys.stderr, label="Đang đọc", show_pos=True) as bar:
            yield from bar

    return advance()


@cli.group()
def registry() -> None:
    """The registry of units: which unit belongs to which parent, and the villages.

    \b
    Example:
      sheets-tool registry init --province "Lạng Sơn" --as-of 2021-08-01 -o registry.xlsx
    """


@registry.command("init")
@click.option("--province", required=True, help="The province, e.g. 'Hà Tĩnh'.")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The date the units must be in force on (default: today).",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@lang_option
def registry_init(province: str, as_of: dt.datetime | None, output: Path, lang: str) -> None:
    """Write a registry pre-filled with the official units; each commune types its
    villages into its "Thôn" sheet.

    \b
    Examples:
      sheets-tool registry init --province "Hà Tĩnh" --as-of 2022-10-04 -o ha-tinh.xlsx
      sheets-tool registry init --province "Lạng Sơn" -o lang-son.xlsx   # units in force today
    """
    try:
        written = init_registry(province, output, as_of.date() if as_of else None, lang)
    except LookupError as exc:
        _fail(str(exc.args[0]))
        return
    except UnitsUnavailable as exc:
        click.echo(f"official units unavailable: {exc}", err=True)
        sys.exit(2)
    click.echo(str(written))


@cli.command()
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
    reg = _open_registry(registry_path)
    with _open_store(store_path) as store, gsheets.session(credentials):
        outcome = ingest_paths(
            _progress(expand_inputs(paths)),
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


@cli.command()
@click.argument("unit")
@store_option
@format_option
def history(unit: str, store_path: Path, fmt: str) -> None:
    """Every submission of a unit (its code or exact name), superseded ones too.

    \b
    Example:
      sheets-tool history 06505
    """
    with _open_store(store_path) as store:
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


@cli.command("consolidate")
@click.argument("inputs", nargs=-1, metavar="[PATH|FOLDER|URL]...")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The summary workbook to write (.xlsx).",
)
@click.option(
    "--level",
    type=click.Choice(["commune", "district", "province"]),
    required=True,
    help="The level of the unit the summary is for.",
)
@click.option(
    "--date",
    "day",
    type=DayType(),
    help="The day, for daily reports: 2021-08-05 or 05/08/2021 (neither --date nor "
    "--month: rosters).",
)
@click.option("--month", type=click.DateTime(["%Y-%m"]), help="The month, for monthly reports.")
@click.option(
    "--unit",
    metavar="CODE|NAME",
    help="The unit to summarise (of --level); by default the one the inputs belong to. "
    "With no files, the summary is made from the store alone.",
)
@registry_option
@store_option
@click.option(
    "--targets",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A TOML file with indicator targets and deadlines.",
)
@profile_option
@format_option
@lang_option
@credentials_option
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
        _fail(f"the output must end in .xlsx: {output}")
    reg = _open_registry(registry_path)
    try:
        goals = load_targets(targets)
    except ConsolidationError as exc:
        _fail(str(exc))
        return
    files = expand_inputs(inputs)
    if day is None and month is None:  # rosters have no period
        if reg is None:
            _fail("rosters are matched to the villages of a registry: give --registry FILE")
        if not files:
            _fail("give the rosters to consolidate")
        with gsheets.session(credentials):
            _consolidate_rosters(files, output, level, reg, profile, fmt, lang)
        return
    with _open_store(store_path) as store, gsheets.session(credentials):
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
                progress=_progress,
            )
        except ConsolidationError as exc:
            for f in exc.findings:
                click.echo(format_finding(str(f.params.get("path", "")), f, lang))
            click.echo(
                f"{'không ghi được bảng tổng hợp' if lang == 'vi' else 'nothing written'}: {exc}",
                err=True,
            )
            sys.exit(2)
    try:
        write_summary(result, output, lang)
    except OSError as exc:
        click.echo(f"{output}: {exc}", err=True)
        sys.exit(2)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        for f in result.findings:
            click.echo(format_finding(str(f.params.get("path", "")), f, lang))
        click.echo(format_consolidation(result, lang))
        click.echo(result.reconciliation.line(lang))
        click.echo(str(output))
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
        for f in exc.findings:
            click.echo(format_finding(str(f.params.get("path", "")), f, lang))
        click.echo(
            f"{'không ghi được bảng tổng hợp' if lang == 'vi' else 'nothing written'}: {exc}",
            err=True,
        )
        sys.exit(2)
    except OSError as exc:
        click.echo(f"{output}: {exc}", err=True)
        sys.exit(2)
    doc = result.to_dict(lang)
    if fmt == "json":
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        for f in result.findings:
            click.echo(format_finding(str(f.params.get("path", "")), f, lang))
        totals = doc["totals"]
        click.echo(
            f"{result.scope.name}: {totals['teams']} tổ, {totals['members']} thành viên, "
            f"{totals['villages_without_team']} thôn chưa có tổ, {totals['breaches']} vi phạm."
            if lang == "vi"
            else f"{result.scope.name}: {totals['teams']} teams, {totals['members']} members, "
            f"{totals['villages_without_team']} villages without a team, "
            f"{totals['breaches']} breaches."
        )
        click.echo(str(output))
    sys.exit(1 if any(f.severity == "error" for f in result.findings) else 0)


@cli.command()
@click.argument("config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--once", "once", is_flag=True, help="One run, then exit (the default).")
@click.option("--every", metavar="DURATION", help="Keep running: a run every 15m, 1h, 900s...")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Read and check the sources; write nothing (store, Google, files).",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The day to consolidate (default: today in the configured time zone).",
)
@click.option(
    "--month",
    type=click.DateTime(["%Y-%m"]),
    help="The month to consolidate (default for monthly reports: last month).",
)
def sync(
    config: Path,
    once: bool,
    every: str | None,
    dry_run: bool,
    day: dt.datetime | None,
    month: dt.datetime | None,
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
        _fail("--once and --every exclude each other")
    try:
        cfg = load_config(config)
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


def format_consolidation(result: Summary, lang: str) -> str:
    counts = {k: sum(c.status == k for c in result.children) for k in STATUS_LABELS}
    if lang == "vi":
        return (
            f"{result.scope.name}, {result.period}: {len(result.children)} đơn vị "
            f"({counts['on_time']} đúng hạn, {counts['late']} muộn, {counts['missing']} "
            f"chưa báo cáo, {counts['excluded']} có lỗi không tính), {len(result.data)} dòng "
            f"số liệu, {result.excluded} dòng bị loại."
        )
    return (
        f"{result.scope.name}, {result.period}: {len(result.children)} units "
        f"({counts['on_time']} on time, {counts['late']} late, {counts['missing']} "
        f"missing, {counts['excluded']} with errors not counted), {len(result.data)} data "
        f"rows, {result.excluded} rows excluded."
    )


def main() -> None:
    cli(prog_name="sheets-tool")


if __name__ == "__main__":  # pragma: no cover
    main()
