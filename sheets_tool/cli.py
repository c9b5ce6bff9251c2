"""The ``sheets-tool`` command: a thin click layer over the library.

Each command parses its options, calls one library function and turns its result into
text (for people) or JSON (for programs). Exit codes: 0 fine, 1 the data has errors,
2 misuse or a file that cannot be read. No traceback unless ``--debug``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .annotate import annotate
from .findings import Finding, Report
from .templates import TEMPLATE_NAMES, DefinitionError, load_profile, load_template, profile_names
from .validate import validate_paths
from .writer import write_template

F = TypeVar("F", bound=Callable[..., Any])

SUMMARY = {
    "vi": "{files} tệp, {records} dòng dữ liệu: {errors} lỗi, {warnings} cảnh báo.",
    "en": "{files} files, {records} records: {errors} errors, {warnings} warnings.",
}
SEVERITY = {
    "vi": {"error": "lỗi", "warning": "cảnh báo"},
    "en": {"error": "error", "warning": "warning"},
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
    return f"{where}: {SEVERITY[lang][f.severity]}: {f.message(lang)}"


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
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
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
@debug_option
def validate(
    paths: tuple[Path, ...],
    template: str,
    profile: str,
    fmt: str,
    annotate_dir: Path | None,
    lang: str,
    debug: bool,
) -> None:
    """Check filled workbooks against their template and a locality's team rules.

    \b
    Examples:
      sheets-tool validate samples/good/*.xlsx
      sheets-tool validate to-cns.xlsx --profile ha-tinh-2022 --annotate out/
      sheets-tool validate bao-cao.xlsx --template daily --format json

    Exit 0: no errors (warnings allowed); 1: errors found; 2: misuse or a file that
    could not be read.
    """
    try:
        prof = load_profile(profile)
    except DefinitionError as exc:
        _fail(str(exc))
    report = validate_paths(paths, None if template == "auto" else template, prof, debug=debug)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, lang))
    if annotate_dir is not None:
        for fr in report.files:
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


def main() -> None:
    cli(prog_name="sheets-tool")


if __name__ == "__main__":  # pragma: no cover
    main()
