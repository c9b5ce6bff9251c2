"""Writing ready-to-fill template workbooks with xlsxwriter.

Each workbook has an instructions sheet in plain Vietnamese (or English), the header
row, dropdowns for every choice column, whole-number, amount and date validation on
the input cells, a frozen header, widths that fit, the header locked and the input
cells unlocked (sheet protection without a password, so an official can lift it).
The output is deterministic: the same definition gives the same bytes inside the
package, which lets a test catch committed templates drifting from their definitions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter

from .files import atomic_path
from .templates import Template

INPUT_ROWS = 500
FIXED_CREATED = dt.datetime(2026, 1, 1)
_TYPE_HINTS = {
    "vi": {
        "whole": "số nguyên ≥ 0",
        "number": "số ≥ 0",
        "money": "số tiền (đồng)",
        "date": "ngày/tháng/năm",
        "month": "tháng/năm",
        "datetime": "giờ:phút ngày/tháng/năm",
        "phone": "10 số, bắt đầu bằng 0",
        "choice": "chọn trong danh sách",
        "text": "chữ",
    },
    "en": {
        "whole": "whole number ≥ 0",
        "number": "number ≥ 0",
        "money": "amount (VND)",
        "date": "day/month/year",
        "month": "month/year",
        "datetime": "hh:mm day/month/year",
        "phone": "10 digits, starting 0",
        "choice": "pick from the list",
        "text": "text",
    },
}


def write_template(
    template: Template, path: str | Path, lang: str = "vi", rows: int = INPUT_ROWS
) -> Path:
    """Write the ready-to-fill workbook for ``template`` to ``path`` (atomically)."""
    with atomic_path(path) as tmp:
        _write(template, tmp, lang, rows)
    return Path(path)


def _write(template: Template, path: Path, lang: str, rows: int) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties(
        {"title": template.label(lang), "author": "sheets-tool", "created": FIXED_CREATED}
    )
    head = wb.add_format(
        {
            "bold": True,
            "text_wrap": True,
            "valign": "vcenter",
            "align": "center",
            "border": 1,
            "bg_color": "#DDEBF7",
            "font_name": "Times New Roman",
            "font_size": 12,
        }
    )
    title = wb.add_format({"bold": True, "font_size": 14, "font_name": "Times New Roman"})
    body = wb.add_format(
        {"font_name": "Times New Roman", "font_size": 12, "text_wrap": True, "valign": "top"}
    )
    unlocked = {
        "locked": False,
        "font_name": "Times New Roman",
        "font_size": 12,
        "border": 1,
        "border_color": "#BFBFBF",
    }
    formats = {
        "text": wb.add_format({**unlocked, "num_format": "@"}),
        "phone": wb.add_format({**unlocked, "num_format": "@"}),
        "choice": wb.add_format(unlocked),
        "whole": wb.add_format({**unlocked, "num_format": "#,##0"}),
        "number": wb.add_format({**unlocked, "num_format": "#,##0.##"}),
        "money": wb.add_format({**unlocked, "num_format": "#,##0"}),
        "date": wb.add_format({**unlocked, "num_format": "dd/mm/yyyy"}),
        "month": wb.add_format({**unlocked, "num_format": "mm/yyyy"}),
        "datetime": wb.add_format({**unlocked, "num_format": "hh:mm dd/mm/yyyy"}),
    }

    guide = wb.add_worksheet("Hướng dẫn" if lang == "vi" else "Instructions")
    data = wb.add_worksheet(template.sheet_title(lang))
    lists = wb.add_worksheet("Danh mục" if lang == "vi" else "Lists")

    # instructions
    guide.set_column(0, 0, 4)
    guide.set_column(1, 1, 90)
    guide.set_paper(9)  # A4
    guide.fit_to_pages(1, 0)
    guide.write(0, 1, template.label(lang), title)
    for i, line in enumerate(template.instructions(lang)):
        guide.write(2 + i, 0, i + 1, body)
        guide.write_string(2 + i, 1, line, body)
        guide.set_row(2 + i, 17 * (1 + len(line) // 85))  # wrapped lines need the height
    r = 3 + len(template.instructions(lang))
    guide.write_string(r, 1, "Các cột:" if lang == "vi" else "Columns:", title)
    hints = _TYPE_HINTS[lang]
    for i, col in enumerate(template.columns):
        need = (" (bắt buộc)" if lang == "vi" else " (required)") if col.required else ""
        choices = f": {', '.join(col.choices)}" if col.choices else ""
        guide.write_string(
            r + 1 + i, 1, f"{col.label(lang)}{need} — {hints[col.type]}{choices}", body
        )

    # choice lists live on their own sheet, referenced by the dropdowns
    lists.write_string(0, 0, "Danh mục lựa chọn" if lang == "vi" else "Choice lists", title)
    list_refs: dict[str, str] = {}
    list_col = 0
    for col in template.columns:
        if not col.choices:
            continue
        # "Danh mục: ..." so that the reader never takes this row for the data header
        caption = ("Danh mục: " if lang == "vi" else "List: ") + col.label(lang)
        lists.write_string(1, list_col, caption, head)
        for i, choice in enumerate(col.choices):
            lists.write_string(2 + i, list_col, choice)
        letter = xlsxwriter.utility.xl_col_to_name(list_col)
        sheet = lists.get_name()
        list_refs[col.key] = f"='{sheet}'!${letter}$3:${letter}${2 + len(col.choices)}"
        lists.set_column(list_col, list_col, max(14, len(caption) + 2))
        list_col += 1
    lists.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    lists.hide()

    # the data sheet
    data.set_row(0, 48)
    last = rows
    for c, col in enumerate(template.columns):
        data.write_string(0, c, col.label(lang), head)
        data.set_column(c, c, max(col.width, 6), formats[col.type])
        for r in range(1, last + 1):  # explicit unlocked cells: every program honours them
            data.write_blank(r, c, None, formats[col.type])
        _validation(
            data,
            col.type,
            col.key,
            c,
            last,
            list_refs,
            col.open_choice,
            col.label(lang),
            lang,
            col.required,
        )
    data.freeze_panes(1, 0)
    data.set_landscape()
    data.set_paper(9)
    data.fit_to_pages(1, 0)
    data.repeat_rows(0)
    data.protect(
        "",
        {
            "format_columns": True,
            "format_rows": True,
            "insert_rows": True,
            "delete_rows": True,
            "sort": True,
            "autofilter": True,
        },
    )
    data.activate()
    wb.close()


def _validation(
    ws: Any,
    type_: str,
    key: str,
    c: int,
    last: int,
    list_refs: dict[str, str],
    open_choice: bool,
    label: str,
    lang: str,
    required: bool,
) -> None:
    vi = lang == "vi"
    opts: dict[str, Any]
    if type_ == "choice":
        opts = {"validate": "list", "source": list_refs[key]}
        if open_choice:
            opts["error_type"] = "information"
    elif type_ == "whole":
        opts = {"validate": "integer", "criteria": ">=", "value": 0}
    elif type_ in ("number", "money"):
        opts = {"validate": "decimal", "criteria": ">=", "value": 0}
    elif type_ in ("date", "month"):
        opts = {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(2000, 1, 1),
            "maximum": dt.date(2100, 12, 31),
        }
    elif type_ == "phone":
        opts = {"validate": "length", "criteria": "between", "minimum": 9, "maximum": 13}
    else:
        return
    hint = _TYPE_HINTS[lang][type_]
    opts.update(
        {
            "input_title": label[:32],
            "input_message": (hint + (" — bắt buộc" if vi else " — required") * required)[:255],
            "error_title": ("Giá trị không hợp lệ" if vi else "Invalid value"),
            "error_message": ((f"Cột '{label}': {hint}.") if vi else f"'{label}': {hint}.")[:255],
        }
    )
    ws.data_validation(1, c, last, c, opts)


def write_all(folder: str | Path) -> list[Path]:
    """Write every template, Vietnamese and English, into ``folder`` (``make templates``)."""
    from .templates import all_templates

    out = []
    for tpl in all_templates():
        out.append(write_template(tpl, Path(folder) / f"{tpl.name}.xlsx", "vi"))
        out.append(write_template(tpl, Path(folder) / f"{tpl.name}.en.xlsx", "en"))
    return out
