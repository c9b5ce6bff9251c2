"""``sheets-tool template`` and ``sheets-tool profiles``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..i18n import Text, tr, vietnamese
from ..template_book import write_template
from ..templates import TEMPLATE_NAMES, load_profile, load_template, profile_names
from .common import cannot_write, fail, format_option, lang_option, must_be_xlsx


@click.command()
@click.argument("name", type=click.Choice(TEMPLATE_NAMES))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=Text("Nơi ghi tệp .xlsx để điền.", "Where to write the ready-to-fill .xlsx."),
)
@click.option(
    "--describe",
    is_flag=True,
    help=Text(
        "In định nghĩa của mẫu thay vì ghi tệp.", "Print the definition instead of a workbook."
    ),
)
@format_option
@lang_option
@vietnamese(
    """Ghi một tệp mẫu sẵn để điền, hoặc mô tả các cột của một mẫu.

    \b
    Ví dụ:
      sheets-tool template roster -o to-cns.xlsx
      sheets-tool template daily -o bao-cao-ngay.xlsx --lang en
      sheets-tool template daily --describe --format json
    """
)
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
        fail(
            tr(
                "hãy cho -o TỆP.xlsx để ghi tệp mẫu, hoặc --describe để in định nghĩa",
                "give -o FILE.xlsx to write the workbook, or --describe to print the template",
            )
        )
    if output.suffix.lower() != ".xlsx":
        fail(must_be_xlsx(output))
    try:
        write_template(tpl, output, lang)
    except OSError as exc:
        cannot_write(output, exc)
    click.echo(str(output))


@click.command()
@format_option
@lang_option
@vietnamese(
    """Liệt kê các bộ quy định có sẵn (dùng một bộ với --profile TÊN).

    \b
    Ví dụ:
      sheets-tool profiles
    Địa phương thêm quy định riêng bằng một tệp .toml: xem templates/profiles/.
    """
)
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
