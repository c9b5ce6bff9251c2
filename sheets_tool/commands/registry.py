"""``sheets-tool registry``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..i18n import Text, tr, vietnamese
from ..registry import init_registry
from ..units import UnitsUnavailable
from .common import cannot_write, fail, lang_option, lang_switch


@click.group()
@lang_switch
@vietnamese(
    """Sổ đơn vị: đơn vị nào thuộc đơn vị nào, và các thôn.

    \b
    Ví dụ:
      sheets-tool registry init --province "Lạng Sơn" --as-of 2021-08-01 -o registry.xlsx
    """
)
def registry() -> None:
    """The registry of units: which unit belongs to which parent, and the villages.

    \b
    Example:
      sheets-tool registry init --province "Lạng Sơn" --as-of 2021-08-01 -o registry.xlsx
    """


@registry.command("init")
@click.option(
    "--province",
    required=True,
    help=Text("Tỉnh, ví dụ 'Hà Tĩnh'.", "The province, e.g. 'Hà Tĩnh'."),
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    help=Text(
        "Ngày mà các đơn vị phải đang có hiệu lực (mặc định: hôm nay).",
        "The date the units must be in force on (default: today).",
    ),
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=Text("Tệp sổ đơn vị sẽ ghi (.xlsx).", "The registry workbook to write (.xlsx)."),
)
@lang_option
@vietnamese(
    """Ghi một sổ đơn vị có sẵn các đơn vị hành chính chính thức; mỗi xã nhập các thôn của
    mình vào sheet "Thôn".

    \b
    Ví dụ:
      sheets-tool registry init --province "Hà Tĩnh" --as-of 2022-10-04 -o ha-tinh.xlsx
      sheets-tool registry init --province "Lạng Sơn" -o lang-son.xlsx   # đơn vị hiện hành
    """
)
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
        fail(str(exc.args[0]))
    except UnitsUnavailable as exc:
        click.echo(
            tr(
                "không có danh mục đơn vị hành chính: {exc}",
                "official units unavailable: {exc}",
                exc=exc,
            ),
            err=True,
        )
        sys.exit(2)
    except OSError as exc:
        cannot_write(output, exc)
    click.echo(str(written))
