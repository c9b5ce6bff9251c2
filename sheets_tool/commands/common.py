"""What every command shares: options, opening the registry and the store, and
printing findings like a compiler does."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from ..findings import Finding, Report, severity_label
from ..registry import Registry, RegistryError, load_registry
from ..store import DEFAULT_STORE, Store, StoreError
from ..templates import TEMPLATE_NAMES

F = TypeVar("F", bound=Callable[..., Any])

SUMMARY = {
    "vi": "{files} tệp, {records} dòng dữ liệu: {errors} lỗi, {warnings} cảnh báo.",
    "en": "{files} files, {records} records: {errors} errors, {warnings} warnings.",
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


def fail(message: str) -> NoReturn:
    raise click.UsageError(message)


def cannot_write(path: Path, exc: OSError) -> NoReturn:
    """Exit 2 saying what stopped ``path`` from being written (nothing was put there)."""
    detail = exc.strerror or str(exc)
    if exc.filename and str(exc.filename) != str(path) and exc.strerror:
        detail += f": {exc.filename}"
    click.echo(f"{path}: cannot write ({detail})", err=True)
    sys.exit(2)


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


def open_registry(path: Path | None) -> Registry | None:
    if path is None:
        return None
    try:
        return load_registry(path)
    except RegistryError as exc:
        fail(str(exc))


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


def open_store(path: Path, *, create: bool = True) -> Store:
    try:
        return Store(path, create=create)
    except StoreError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


def progress(items: Any) -> Any:
    """A progress bar on stderr when many files are read on a terminal."""
    items = list(items)
    if len(items) < 5 or not sys.stderr.isatty():
        return items

    def advance() -> Any:
        with click.progressbar(items, file=sys.stderr, label="Đang đọc", show_pos=True) as bar:
            yield from bar

    return advance()
