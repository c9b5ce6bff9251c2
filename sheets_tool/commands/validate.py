"""``sheets-tool validate``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import gsheets
from ..i18n import Text, vietnamese
from ..inputs import expand_inputs
from ..templates import DefinitionError, load_profile
from ..validate import validate_paths
from .common import (
    credentials_option,
    debug_option,
    fail,
    format_option,
    format_report,
    lang_option,
    profile_option,
    template_option,
)

NOT_ANNOTATED = Text(
    "Google Sheet không có bản chú thích; 'sheets-tool sync' ghi tab Kiểm tra vào đó.",
    "a Google Sheet gets no annotated copy; 'sheets-tool sync' writes its Kiểm tra tab.",
)
ANNOTATED = Text("chú thích", "annotated")


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH|URL...")
@template_option
@profile_option
@format_option
@click.option(
    "--annotate",
    "annotate_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help=Text(
        "Ghi vào thư mục này một bản sao của mỗi tệp, có đánh dấu lỗi trên từng ô.",
        "Write a copy of each file with the findings marked on its cells.",
    ),
)
@click.option(
    "--include-hidden",
    is_flag=True,
    help=Text(
        "Đọc cả các sheet đang ẩn (mặc định bỏ qua, có ghi chú).",
        "Read hidden sheets too (by default they are skipped, with a note).",
    ),
)
@lang_option
@credentials_option
@debug_option
@vietnamese(
    """Kiểm tra các tệp đã điền (hoặc Google Sheet được chia sẻ) theo mẫu của chúng và
    quy định về tổ của địa phương.

    \b
    Ví dụ:
      sheets-tool validate samples/good/*.xlsx
      sheets-tool validate "https://docs.google.com/spreadsheets/d/KEY/edit" --credentials sa.json
      sheets-tool validate to-cns.xlsx --profile ha-tinh-2022 --annotate out/
      sheets-tool validate bao-cao.xlsx --template daily --format json

    Mã thoát 0: không có lỗi (có thể có cảnh báo); 1: có lỗi; 2: dùng sai lệnh hoặc có
    tệp không đọc được.
    """
)
def validate(
    paths: tuple[str, ...],
    template: str,
    profile: str,
    fmt: str,
    annotate_dir: Path | None,
    include_hidden: bool,
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
        fail(str(exc))
    with gsheets.session(credentials):
        report = validate_paths(
            expand_inputs(paths),
            None if template == "auto" else template,
            prof,
            debug=debug,
            include_hidden=include_hidden,
        )
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, lang))
    if annotate_dir is not None:
        from ..annotate import annotate  # openpyxl: loaded only for annotated copies

        for fr in report.files:
            if gsheets.is_google(fr.path):
                click.echo(f"{fr.path}: {NOT_ANNOTATED.local(lang)}", err=True)
                continue
            try:
                written = annotate(fr, annotate_dir, lang)
            except (OSError, ValueError) as exc:
                if debug:
                    raise
                click.echo(f"{fr.path}: {exc}", err=True)
                sys.exit(2)
            if written:
                click.echo(f"{ANNOTATED.local(lang)}: {written}", err=True)
    sys.exit(report.exit_code())
