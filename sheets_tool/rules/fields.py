"""Typing values: each cell as its column's type (``field.*``), defaults from a
table's title, the team a roster row belongs to."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from .. import parse
from ..findings import ERROR, WARNING
from ..reader import Record, Table, Workbook, group_label
from ..templates import Column, Template
from ..text import (
    clean,
    expand_abbreviations,
    fold_key,
    match_key,
    shown,
    split_honorific,
    strip_bullet,
)
from ..unit_names import is_commune
from .base import (
    Entry,
    Sink,
)


def _choices_text(col: Column) -> str:
    return ", ".join(col.choices)


def _type_value(col: Column, value: Any) -> tuple[Any, str | None]:
    """(typed value, error code) for one cell."""
    if col.type == "text":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (dt.date, dt.datetime)):
            return value.strftime("%d/%m/%Y"), None
        return clean(value), None
    if col.type == "choice":
        text = strip_bullet(value)
        found = col.choice_lookup.get(match_key(text))
        if found:
            return found, None
        return text, ("field.other_choice" if col.open_choice else "field.bad_choice")
    parsed: parse.Parsed
    if col.type == "whole":
        parsed = parse.parse_whole(value)
    elif col.type == "number":
        parsed = parse.parse_number(value)
        if parsed.ok and parsed.value is not None and parsed.value < 0:
            parsed = parse.Parsed(parsed.value, "field.negative")
    elif col.type == "money":
        parsed = parse.parse_money(value)
    elif col.type == "date":
        parsed = parse.parse_date(value)
    elif col.type == "month":
        parsed = parse.parse_date(value, allow_month=True)
        if not parsed.ok:
            parsed = parse.Parsed(None, "field.not_month")
    elif col.type == "datetime":
        parsed = parse.parse_datetime(value)
    elif col.type == "phone":
        parsed = parse.parse_phone(value)
    else:  # pragma: no cover - the loader refuses other types
        raise ValueError(col.type)
    return parsed.value, parsed.error


def _role_from_note(note: Any, col: Column) -> str | None:
    """ "Ghi chú: Tổ trưởng" → "Tổ trưởng" (whole words, any case or form)."""
    key = f" {match_key(note)} "
    for typed, choice in sorted(col.choice_lookup.items(), key=lambda kv: -len(kv[0])):
        if len(typed) > 3 and f" {typed} " in key:
            return choice
    return None


def _table_defaults(table: Table, template: Template) -> dict[str, Any]:
    """Values stated once in the title rows ("Báo cáo ngày 05/8/2021", "xã Vạn Linh")."""
    defaults: dict[str, Any] = {}
    keys = template.keys
    for line in table.title:
        if "date" in keys and "date" not in table.columns and "date" not in defaults:
            found = parse.find_date(line)
            if found:
                defaults["date"] = found
        if "month" in keys and "month" not in table.columns and "month" not in defaults:
            parsed = parse.parse_date(line, allow_month=True)
            m = re.search(r"th[aá]ng\s*\d{1,2}\s*(?:/|n[aă]m)\s*\d{4}", line, re.I)
            if m:
                parsed = parse.parse_date(m.group(0), allow_month=True)
            if parsed.ok and parsed.value:
                defaults["month"] = parsed.value
        if "commune" in keys and "commune" not in table.columns and "commune" not in defaults:
            label = group_label(line)
            if label and is_commune(label):
                defaults["commune"] = label
    return defaults


def _column_hint(table: Table, col: Column) -> dict[str, str]:
    """ "Có phải là cột 'X' ở C4?" — the closest unmatched header, if one is close: by
    spelling, or by holding every word of one of the column's names."""
    best: tuple[float, str, str] | None = None
    for cell, text in table.unmatched.items():
        words = set(fold_key(text).split())
        for name in (col.label_vi, *col.aliases):
            folded = fold_key(name)
            ratio = difflib.SequenceMatcher(None, folded, fold_key(text)).ratio()
            if set(folded.split()) <= words:
                ratio = max(ratio, 0.7)
            if ratio >= 0.6 and (best is None or ratio > best[0]):
                best = (ratio, text, cell)
    if not best:
        return {}
    _ratio, text, cell = best
    return {
        "vi": f" Có phải là cột '{text}' ở {cell}?",
        "en": f" Is it the column '{text}' at {cell}?",
    }


def type_records(workbook: Workbook, sink: Sink) -> list[Entry]:
    """Typed entries for every record, with field findings."""
    template = workbook.template
    assert template is not None
    entries: list[Entry] = []
    for t_index, table in enumerate(workbook.tables):
        defaults = _table_defaults(table, template)
        note_roles = (
            "role" in template.keys and "role" not in table.columns and "note" in table.columns
        )
        missing = [
            c
            for c in template.columns
            if c.required
            and c.key not in table.columns
            and c.key not in defaults
            and not (c.key == "role" and note_roles)
        ]
        for col in missing:
            sink.add(
                ERROR,
                "header.missing_column",
                table.sheet,
                table.header_row,
                col.key,
                None,
                None,
                label=col.label_vi,
                header_row=table.header_row,
                hint=_column_hint(table, col),
            )
        for key in ("date", "month"):  # a period stated in the title ("Ngày 05/08/2099")
            if key in defaults:
                col = template.column(key)
                _check_bounds(col, defaults[key], defaults[key], table.sheet, None, None, sink)
        missing_keys = {c.key for c in missing}
        default_team = _default_team(table)
        for record in table.records:
            entries.append(
                _type_record(
                    record, template, table, t_index, defaults, missing_keys, default_team, sink
                )
            )
    return entries


def _check_bounds(
    col: Column, typed: Any, raw: Any, sheet: str, row: int | None, cell: str | None, sink: Sink
) -> None:
    """A value its column's bounds say is not plausible (10^20 households, a report of
    2099): a warning by default, since the value may be right."""
    if col.max is not None and isinstance(typed, (int, float)) and typed > col.max:
        limit = f"{col.max:,.0f}".replace(",", ".")
        sink.add(
            col.bound_severity, "field.implausible", sheet, row, col.key, cell, raw,
            value=shown(raw), label=col.label_vi, max=limit,
        )  # fmt: skip
    if col.max_days_ahead is not None and isinstance(typed, dt.date):
        day = typed.date() if isinstance(typed, dt.datetime) else typed
        if day > dt.date.today() + dt.timedelta(days=col.max_days_ahead):
            sink.add(
                col.bound_severity, "field.future_date", sheet, row, col.key, cell, raw,
                value=f"{day:%d/%m/%Y}", label=col.label_vi,
            )  # fmt: skip


def _default_team(table: Table) -> str:
    for line in table.title:
        label = group_label(line)
        if label:
            return label
    return table.sheet


def _type_record(
    record: Record,
    template: Template,
    table: Table,
    t_index: int,
    defaults: dict[str, Any],
    missing_keys: set[str],
    default_team: str,
    sink: Sink,
) -> Entry:
    values: dict[str, Any] = dict(defaults)
    cells = dict(record.cells)
    raw_dates: dict[str, Any] = {}
    bad: set[str] = set()
    for col in template.columns:
        if col.key not in record.raw:
            continue
        raw = record.raw[col.key]
        if col.key == "name":
            title, name = split_honorific(raw)
            values["name"] = name
            if title and "title" not in record.raw:
                values["title"] = title
                cells["title"] = record.cells["name"]
            continue
        typed, error = _type_value(col, raw)
        if col.type in ("date", "month"):
            raw_dates[col.key] = raw
        if error:
            sev = WARNING if error == "field.other_choice" else ERROR
            sink.add(
                sev,
                error,
                record.sheet,
                record.row,
                col.key,
                record.cells[col.key],
                raw,
                value=shown(raw),
                label=col.label_vi,
                choices=_choices_text(col),
            )
            if sev == ERROR:
                bad.add(col.key)
                continue
        if typed not in ("", None):
            values[col.key] = typed
            _check_bounds(col, typed, raw, record.sheet, record.row, record.cells[col.key], sink)
    if "position" in values:
        values["position"] = strip_bullet(values["position"])
        values["position_full"] = expand_abbreviations(values["position"])
    if "role" in template.keys and "role" not in values and "note" in record.raw:
        role = _role_from_note(record.raw["note"], template.column("role"))
        if role:
            values["role"] = role
            cells["role"] = record.cells["note"]
    for col in template.columns:
        # a bad value is reported already; a missing column once, in the header
        if col.required and col.key not in values and col.key not in missing_keys | bad:
            bad.add(col.key)
            sink.add(
                ERROR,
                "field.required",
                record.sheet,
                record.row,
                col.key,
                record.cells.get(col.key),
                None,
                label=col.label_vi,
            )
    team = values.get("village_in_charge") or record.group or default_team
    level = "commune" if is_commune(team) else "village"
    return Entry(record.sheet, record.row, values, cells, team, level, t_index, raw_dates, bad)
