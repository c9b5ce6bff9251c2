"""Rules of a row and of a sheet: ``shops`` ≤ ``households``... (``row.*``), total rows
and footers against the rows above, dates typed month first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .. import parse
from ..findings import ERROR, WARNING
from ..reader import Workbook
from ..templates import Template
from ..text import (
    clean,
)
from .base import (
    NUMERIC,
    Entry,
    Sink,
)

_ROW_RULES = (
    ("shops", "households", "row.shops_exceed_households"),
    ("payment_accounts", "households", "row.payment_exceed_households"),
    ("sellers", "shops", "row.sellers_exceed_shops"),
    ("new_shops", "shops", "row.new_shops_exceed_shops"),
)


def check_rows(entries: Sequence[Entry], template: Template, sink: Sink) -> None:
    keys = template.keys
    for e in entries:
        for small, big, code in _ROW_RULES:
            if small in keys and big in keys:
                a, b = e.values.get(small), e.values.get(big)
                if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a > b:
                    sink.add(
                        ERROR,
                        code,
                        e.sheet,
                        e.row,
                        small,
                        e.cells.get(small),
                        a,
                        **{small: a, big: b},
                    )


def check_totals(workbook: Workbook, entries: Sequence[Entry], sink: Sink) -> None:
    """A typed "Tổng cộng" row must equal the sum of the data rows above it."""
    template = workbook.template
    assert template is not None
    for t_index, table in enumerate(workbook.tables):
        rows = [e for e in entries if e.table == t_index]
        previous = 0
        for total in table.totals:
            part = [e for e in rows if previous < e.row < total.row]
            previous = total.row
            for col in template.columns:
                if col.type not in NUMERIC or col.key == "stt" or col.key not in total.raw:
                    continue
                stated = parse.parse_number(total.raw[col.key])
                if not stated.ok or stated.value is None or any(col.key in e.bad for e in part):
                    continue  # a refused value above is reported already
                counted = sum(e.values.get(col.key) or 0 for e in part)
                if abs(stated.value - counted) > 1e-6:
                    sink.add(
                        WARNING,
                        "row.total_mismatch",
                        table.sheet,
                        total.row,
                        col.key,
                        total.cells[col.key],
                        stated.value,
                        label=col.label_vi,
                        value=stated.value,
                        expected=counted,
                    )


def check_footers(workbook: Workbook, entries: Sequence[Entry], sink: Sink) -> None:
    """ "Danh sách ấn định 40 người" against the people listed above it."""
    for t_index, table in enumerate(workbook.tables):
        for footer in table.footers:
            counted = sum(1 for e in entries if e.table == t_index and e.row < footer.row)
            if counted != footer.stated:
                sink.add(
                    ERROR,
                    "footer.count_mismatch",
                    table.sheet,
                    footer.row,
                    None,
                    footer.cell,
                    footer.text,
                    text=footer.text,
                    stated=footer.stated,
                    counted=counted,
                )


def check_date_locale(entries: Sequence[Entry], template: Template, sink: Sink) -> None:
    """Real dates next to "25/10/2022" text in one column: typed under a US locale, so
    the real dates (day ≤ 12) may have day and month swapped."""
    for col in template.columns:
        if col.type != "date":
            continue
        text_late = [
            e.raw_dates[col.key]
            for e in entries
            if isinstance(e.raw_dates.get(col.key), str)
            and (v := e.values.get(col.key))
            and v.day > 12
        ]
        if not text_late:
            continue
        for e in entries:
            raw = e.raw_dates.get(col.key)
            if isinstance(raw, (dt.date, dt.datetime)) and raw.day <= 12 and raw.month != raw.day:
                shown = raw.strftime("%d/%m/%Y")
                sink.add(
                    WARNING,
                    "field.date_maybe_swapped",
                    e.sheet,
                    e.row,
                    col.key,
                    e.cells.get(col.key),
                    shown,
                    value=shown,
                    label=col.label_vi,
                    example=clean(text_late[0]),
                )
