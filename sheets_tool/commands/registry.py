"""``sheets-tool registry``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..registry import init_registry
from ..units import UnitsUnavailable
from .common import cannot_write, fail, lang_option


@click.group()
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
        fail(str(exc.args[0]))
    except UnitsUnavailable as exc:
        click.echo(f"official units unavailable: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:
        cannot_write(output, exc)
    click.echo(str(written))
