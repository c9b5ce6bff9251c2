"""What every command shares: options, opening the registry and the store, and
printing findings like a compiler does."""

from __future__ import annotations

import datetime as dt
import errno
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from ..findings import Finding, Report, severity_label
from ..i18n import LANGS, Text, count, language, tr
from ..registry import Registry, RegistryError, load_registry
from ..store import DEFAULT_STORE, Store, StoreError
from ..templates import TEMPLATE_NAMES

F = TypeVar("F", bound=Callable[..., Any])


def lang_option(f: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default=language,
        help=Text(
            "Ngôn ngữ của thông báo và tiêu đề; mặc định: $SHEETS_TOOL_LANG, hoặc vi.",
            "Language of messages and headers; default: $SHEETS_TOOL_LANG, or vi.",
        ),
    )(f)


def lang_switch(f: F) -> F:
    """``--lang`` on a command group: it only chooses the language of help and messages
    (read before click parses anything: :mod:`.localize`)."""
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        expose_value=False,
        help=Text(
            "Ngôn ngữ (vi, en) của hướng dẫn và thông báo; mặc định: $SHEETS_TOOL_LANG, hoặc vi.",
            "Language (vi, en) of help and messages; default: $SHEETS_TOOL_LANG, or vi.",
        ),
    )(f)


def format_option(f: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=Text(
            "text để người đọc, json cho chương trình.", "text for people, json for programs."
        ),
    )(f)


def template_option(f: F) -> F:
    return click.option(
        "--template",
        "template",
        type=click.Choice(["auto", *TEMPLATE_NAMES]),
        default="auto",
        show_default=True,
        help=Text(
            "Loại mẫu; auto: nhận ra từ dòng tiêu đề.",
            "Record kind; auto detects it from the headers.",
        ),
    )(f)


def profile_option(f: F) -> F:
    return click.option(
        "--profile",
        default="none",
        show_default=True,
        metavar="NAME|FILE",
        help=Text(
            "Quy định về tổ: một bộ quy định có sẵn (xem 'sheets-tool profiles') hoặc một "
            "tệp .toml.",
            "Team rules: a built-in profile (see 'sheets-tool profiles') or a .toml file.",
        ),
    )(f)


def credentials_option(f: F) -> F:
    return click.option(
        "--credentials",
        metavar="FILE",
        help=Text(
            "Khóa tài khoản dịch vụ Google (JSON) để đọc Google Sheets; mặc định: "
            "$SHEETS_TOOL_CREDENTIALS, $GOOGLE_APPLICATION_CREDENTIALS, đường dẫn của gspread.",
            "Google service-account key (JSON) for Google Sheets sources; default: "
            "$SHEETS_TOOL_CREDENTIALS, $GOOGLE_APPLICATION_CREDENTIALS, gspread's path.",
        ),
    )(f)


def debug_option(f: F) -> F:
    return click.option(
        "--debug",
        is_flag=True,
        help=Text("In toàn bộ traceback khi có sự cố.", "Show the full traceback of a failure."),
    )(f)


def fail(message: str) -> NoReturn:
    raise click.UsageError(message)


def must_be_xlsx(path: Path) -> str:
    return tr(
        "tệp ghi ra phải có đuôi .xlsx: {path}", "the output must end in .xlsx: {path}", path=path
    )


# what the system says when a file cannot be written, as an official reads it
OS_REASONS = {
    errno.ENOSPC: ("ổ đĩa đã đầy", "the disk is full"),
    errno.EDQUOT: ("hết dung lượng được cấp", "disk quota exceeded"),
    errno.EFBIG: ("tệp vượt quá dung lượng cho phép", "the file is larger than allowed"),
    errno.EACCES: ("không có quyền ghi", "permission denied"),
    errno.EPERM: ("không có quyền ghi", "permission denied"),
    errno.EROFS: ("ổ đĩa chỉ đọc", "read-only file system"),
    errno.ENOENT: ("thư mục không tồn tại", "no such folder"),
    errno.EEXIST: ("đã có một tệp trùng tên thư mục", "a file is in the way of a folder"),
    errno.ENOTDIR: ("một phần của đường dẫn là tệp, không phải thư mục", "not a directory"),
    errno.EISDIR: ("đó là một thư mục", "it is a folder"),
}


def os_reason(exc: OSError) -> str:
    """Why ``exc`` stopped a write, in the user's language."""
    reason = OS_REASONS.get(exc.errno or 0)
    if reason is None:
        return exc.strerror or str(exc)
    return reason[0] if language() == "vi" else reason[1]


def cannot_write(path: Path, exc: OSError) -> NoReturn:
    """Exit 2 saying what stopped ``path`` from being written (nothing was put there)."""
    detail = os_reason(exc)
    if exc.filename and str(exc.filename) != str(path) and exc.strerror:
        detail += f": {exc.filename}"
    click.echo(
        tr(
            "{path}: không ghi được ({detail})",
            "{path}: cannot write ({detail})",
            path=path,
            detail=detail,
        ),
        err=True,
    )
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
    n = [
        count(len(report.files), "file", "files", "tệp", lang),
        count(report.records, "record", "records", "dòng dữ liệu", lang),
        count(report.errors, "error", "errors", "lỗi", lang),
        count(report.warnings, "warning", "warnings", "cảnh báo", lang),
    ]
    lines.append(f"{n[0]}, {n[1]}: {n[2]}, {n[3]}.")
    return "\n".join(lines)


def store_option(f: F) -> F:
    return click.option(
        "--store",
        "store_path",
        default=DEFAULT_STORE,
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help=Text(
            "Tệp SQLite lưu mọi báo cáo đã nhận.", "The SQLite file that keeps every submission."
        ),
    )(f)


def registry_option(f: F) -> F:
    return click.option(
        "--registry",
        "registry_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=Text(
            "Sổ đơn vị ('sheets-tool registry init'): các thôn phải báo cáo và số hộ của "
            "từng thôn. Không có sổ: dùng danh mục đơn vị hành chính, thôn theo báo cáo.",
            "The registry workbook ('sheets-tool registry init'): the villages expected "
            "and their households. Without it: the official units, villages as reported.",
        ),
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
        self.fail(
            tr(
                "'{value}' không phải một ngày: hãy viết 2021-08-05 hoặc 05/08/2021",
                "'{value}' is not a day: write 2021-08-05 or 05/08/2021",
                value=value,
            ),
            param,
            ctx,
        )


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
        with click.progressbar(
            items, file=sys.stderr, label=tr("Đang đọc", "Reading"), show_pos=True
        ) as bar:
            yield from bar

    return advance()
