"""Writing a consolidation as a summary workbook with live formulas (xlsxwriter).

* "Tổng hợp": a row per child unit; every total and percentage is a formula
  (SUMIFS over "Dữ liệu", SUM, IFERROR) written with its cached value, so a viewer that
  never recalculates shows the right number and an official who fixes a number in
  "Dữ liệu" sees the totals move. Units under target are highlighted by conditional
  formatting against target cells the official can change; a chart per indicator.
* "Dữ liệu": a row per reporting unit and a column per indicator, which the formulas read
  and the next level reads back (it also reads the long form, a row per indicator, that
  earlier summaries have).
* "Tình hình báo cáo": each child unit (those that sent nothing included), on time / late /
  missing / errors not counted, how many of the units under it reported and when, what
  is missing; the reconciliation.
* "Theo thôn" (when the children are not villages): the same for each village.
* "Lỗi": rows excluded or flagged, each linked to its file, sheet and cell.

Values that came from people are written as strings or numbers, never as formulas or
links. The file is written atomically.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_rowcol_to_cell

from .consolidate import STATUS_LABELS, Summary, child_notes, unit_notes
from .files import save_workbook
from .findings import ERROR, Finding, finding_table
from .templates import load_template

TITLES = {
    "daily": ("TỔNG HỢP KẾT QUẢ PHÁT TRIỂN KINH TẾ SỐ", "DIGITAL ECONOMY SUMMARY"),
    "monthly": (
        "TỔNG HỢP KẾT QUẢ HOẠT ĐỘNG CỦA TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG",
        "COMMUNITY DIGITAL TEAMS: MONTHLY SUMMARY",
    ),
}
SHEETS = {
    "vi": {
        "summary": "Tổng hợp",
        "data": "Dữ liệu",
        "status": "Tình hình báo cáo",
        "by_village": "Theo thôn",
        "errors": "Lỗi",
    },
    "en": {
        "summary": "Summary",
        "data": "Data",
        "status": "Reporting",
        "by_village": "By village",
        "errors": "Findings",
    },
}
# the columns of the long form of "Dữ liệu" (earlier summaries), read but not written
LONG_ONLY = ("indicator", "indicator_name", "value")
# which "Dữ liệu" column identifies a child unit of each level
CODE_COLUMN = {
    "village": "unit_code",
    "commune": "commune_code",
    "district": "district_code",
    "province": "province_code",
}


def period_text(kind: str, period: str, lang: str = "vi") -> str:
    """ "Ngày 05/08/2021" (a daily period), "Tháng 03/2023" (a monthly one)."""
    if kind == "daily":
        d = dt.date.fromisoformat(period)
        return f"Ngày {d:%d/%m/%Y}" if lang == "vi" else f"Date {d:%d/%m/%Y}"
    year, month = period.split("-")
    return f"Tháng {month}/{year}" if lang == "vi" else f"Month {month}/{year}"


def write_summary(summary: Summary, path: str | Path, lang: str = "vi") -> Path:
    """Write ``summary`` to ``path`` (see :func:`save_workbook`)."""
    return save_workbook(path, lambda tmp: _Writer(summary, tmp, lang).write())


class _Writer:
    def __init__(self, summary: Summary, path: Path, lang: str) -> None:
        self.s = summary
        self.lang = lang
        self.vi = lang == "vi"
        self.names = SHEETS[lang]
        self.wb = xlsxwriter.Workbook(
            str(path),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        self.wb.set_properties(
            {"title": self._title(), "author": "sheets-tool", "created": dt.datetime(2026, 1, 1)}
        )
        self.wb.set_calc_mode("auto")
        f = self.wb.add_format
        self.f_title = f({"bold": True, "font_size": 13, "font_name": "Times New Roman"})
        self.f_head = f(
            {
                "bold": True,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
                "border": 1,
                "bg_color": "#DDEBF7",
                "font_name": "Times New Roman",
            }
        )
        self.f_text = f({"border": 1, "font_name": "Times New Roman"})
        self.f_num = f({"border": 1, "num_format": "#,##0", "font_name": "Times New Roman"})
        self.f_pct = f({"border": 1, "num_format": "0.0%", "font_name": "Times New Roman"})
        self.f_pct_in = f({"num_format": "0%", "bold": True, "bg_color": "#FFF2CC", "border": 1})
        self.f_total = f(
            {
                "bold": True,
                "border": 1,
                "num_format": "#,##0",
                "top": 2,
                "font_name": "Times New Roman",
            }
        )
        self.f_total_pct = f(
            {
                "bold": True,
                "border": 1,
                "num_format": "0.0%",
                "top": 2,
                "font_name": "Times New Roman",
            }
        )
        self.f_under = f({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.f_date = f({"num_format": "dd/mm/yyyy hh:mm"})
        self.f_link = f({"font_color": "#0563C1", "underline": 1})

    def _title(self) -> str:
        vi, en = TITLES[self.s.kind]
        return vi if self.vi else en

    def _period_text(self) -> str:
        return period_text(self.s.kind, self.s.period, self.lang)

    def write(self) -> None:
        summary = self.wb.add_worksheet(self.names["summary"])
        data = self.wb.add_worksheet(self.names["data"])
        status = self.wb.add_worksheet(self.names["status"])
        if self.s.child_level != "village":
            self._by_village(self.wb.add_worksheet(self.names["by_village"]))
        errors = self.wb.add_worksheet(self.names["errors"])
        data_rows = self._data(data)
        self._summary(summary, data_rows)
        self._status(status)
        self._errors(errors)
        summary.activate()
        self.wb.close()

    # "Dữ liệu" -----------------------------------------------------------------

    def _data(self, ws: Any) -> int:
        """A row per reporting unit, a column per indicator (blank where the unit gave
        no number); the identity columns as the template ``summary_data`` lists them."""
        tpl = load_template("summary_data")
        labels = {c.key: c.label(self.lang) for c in self.s.template.columns}
        widths = {c.key: c.width for c in tpl.columns}
        names = [c.key for c in tpl.columns if c.type != "number" and c.key not in LONG_ONLY]
        at = names.index("received_at")
        order = [*names[:at], *self.s.keys, *names[at:]]
        self.data_cols = {key: i for i, key in enumerate(order)}
        for i, key in enumerate(order):
            head = labels[key] if key in labels else tpl.column(key).label(self.lang)
            ws.write_string(0, i, head, self.f_head)
            ws.set_column(i, i, widths[key])
        text_cols = [(self.data_cols[k], k) for k in names]
        number_cols = [(self.data_cols[k], k) for k in self.s.keys]
        r = 0
        for r, row in enumerate(sorted(self.s.data, key=lambda d: d.unit.code), start=1):
            chain = self.s.ancestry.get(row.unit.code, {})
            cells: dict[str, str] = {
                "period": self.s.period,
                "kind": self.s.kind,
                "unit_code": row.unit.code,
                "unit_name": row.unit.name,
                "received_at": row.received_at,
                "status": STATUS_LABELS[row.status][0 if self.vi else 1],
                "source": row.source,
            }
            for level in ("commune", "district", "province"):
                unit = chain.get(level)
                cells[f"{level}_code"] = unit.code if unit else ""
                cells[f"{level}_name"] = unit.name if unit else ""
            for c, key in text_cols:
                ws.write_string(r, c, cells[key])
            for c, key in number_cols:
                if key in row.values:
                    ws.write_number(r, c, row.values[key])
        ws.freeze_panes(1, 3)
        ws.autofilter(0, 0, max(r, 1), len(order) - 1)
        return r  # the last data row (0-based), or 0 when there is none

    def _range(self, key: str, last: int) -> str:
        col = xl_col_to_name(self.data_cols[key])
        return f"{quote_sheetname(self.names['data'])}!${col}$2:${col}${max(last + 1, 2)}"

    # "Tổng hợp" ----------------------------------------------------------------

    def _summary(self, ws: Any, last_data: int) -> None:
        s = self.s
        labels = {c.key: c.label(self.lang) for c in s.template.columns}
        ws.write_string(0, 0, self._title(), self.f_title)
        ws.write_string(1, 0, f"{s.scope.name} — {self._period_text()}", self.f_title)
        target_cells = {}
        r = 3
        for ind in s.indicators:
            label = ind.label_vi if self.vi else ind.label_en
            ws.write_string(r, 1, ("Chỉ tiêu " if self.vi else "Target ") + label)
            ws.write_number(r, 3, ind.target, self.f_pct_in)
            target_cells[ind.key] = xl_rowcol_to_cell(r, 3, row_abs=True, col_abs=True)
            r += 1
        head = r + 1
        columns = [
            "STT" if self.vi else "No.",
            "Mã" if self.vi else "Code",
            "Đơn vị" if self.vi else "Unit",
        ]
        columns += [labels.get(k, k) for k in s.keys]
        columns += [(i.label_vi if self.vi else i.label_en) for i in s.indicators]
        columns += ["Tình trạng báo cáo" if self.vi else "Reporting"]
        for c, text in enumerate(columns):
            ws.write_string(head, c, text, self.f_head)
        ws.set_row(head, 45)
        ws.set_column(0, 0, 5)
        ws.set_column(1, 1, 16)
        ws.set_column(2, 2, 26)
        ws.set_column(3, len(columns) - 1, 13)
        first = head + 1
        key_col = {k: 3 + i for i, k in enumerate(s.keys)}
        ind_col = {i.key: 3 + len(s.keys) + n for n, i in enumerate(s.indicators)}
        code_range = {lv: self._range(col, last_data) for lv, col in CODE_COLUMN.items()}
        value_range = {key: self._range(key, last_data) for key in s.keys}
        for n, child in enumerate(s.children):
            row = first + n
            ws.write_number(row, 0, n + 1, self.f_text)
            ws.write_string(row, 1, child.unit.code, self.f_text)
            name = child.unit.name
            if child.unit.code == s.scope.code:
                name += " (tổ cấp xã)" if self.vi else " (commune team)"
            ws.write_string(row, 2, name, self.f_text)
            level = "village" if child.unit.code == s.scope.code else s.child_level
            code_cell = xl_rowcol_to_cell(row, 1, col_abs=True)
            for key, c in key_col.items():
                formula = f"=SUMIFS({value_range[key]},{code_range[level]},{code_cell})"
                ws.write_formula(row, c, formula, self.f_num, _cached(child.values[key]))
            for ind in s.indicators:
                num = xl_rowcol_to_cell(row, key_col[ind.numerator])
                den = xl_rowcol_to_cell(row, key_col[ind.denominator])
                value = child.indicators.get(ind.key)
                ws.write_formula(
                    row,
                    ind_col[ind.key],
                    f'=IFERROR({num}/{den},"")',
                    self.f_pct,
                    "" if value is None else value,
                )
            ws.write_string(
                row, len(columns) - 1, STATUS_LABELS[child.status][0 if self.vi else 1], self.f_text
            )
        last = first + len(s.children) - 1
        total = last + 1
        ws.write_string(total, 2, "Tổng cộng" if self.vi else "Total", self.f_total)
        ws.write_blank(total, 0, None, self.f_total)
        ws.write_blank(total, 1, None, self.f_total)
        for key, c in key_col.items():
            col = xl_col_to_name(c)
            ws.write_formula(
                total,
                c,
                f"=SUM({col}{first + 1}:{col}{last + 1})",
                self.f_total,
                _cached(s.totals[key]),
            )
        for ind in s.indicators:
            num = xl_rowcol_to_cell(total, key_col[ind.numerator])
            den = xl_rowcol_to_cell(total, key_col[ind.denominator])
            value = s.total_indicators.get(ind.key)
            ws.write_formula(
                total,
                ind_col[ind.key],
                f'=IFERROR({num}/{den},"")',
                self.f_total_pct,
                "" if value is None else value,
            )
            if s.children:
                ws.conditional_format(
                    first,
                    ind_col[ind.key],
                    total,
                    ind_col[ind.key],
                    {
                        "type": "cell",
                        "criteria": "<",
                        "value": target_cells[ind.key],
                        "format": self.f_under,
                    },
                )
        ws.freeze_panes(head + 1, 3)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(head)
        self._charts(ws, first, last, total, ind_col)

    def _charts(self, ws: Any, first: int, last: int, total: int, ind_col: dict[str, int]) -> None:
        if not self.s.children:
            return
        sheet = self.names["summary"]
        anchor = total + 3
        for n, ind in enumerate(self.s.indicators):
            chart = self.wb.add_chart({"type": "column"})
            label = ind.label_vi if self.vi else ind.label_en
            chart.add_series(
                {
                    "name": label,
                    "categories": [sheet, first, 2, last, 2],
                    "values": [sheet, first, ind_col[ind.key], last, ind_col[ind.key]],
                    "data_labels": {"value": True, "num_format": "0%"},
                }
            )
            chart.set_title({"name": label})
            chart.set_y_axis({"num_format": "0%", "min": 0})
            chart.set_legend({"none": True})
            chart.set_size({"width": 620, "height": 300})
            ws.insert_chart(anchor + 16 * n, 1, chart)

    # "Tình hình báo cáo", "Theo thôn" -------------------------------------------

    def _status(self, ws: Any) -> None:
        """Each child unit (communes that sent nothing included), the counts of each
        status and the reconciliation."""
        s = self.s
        rows = [
            (
                c.unit.code,
                c.unit.name,
                f"{c.reported}/{c.expected}",
                c.status,
                c.received_at,
                "; ".join(c.sources),
                "; ".join(child_notes(s, c, self.lang)),
            )
            for c in s.children
        ]
        heads = (
            [
                "STT",
                "Mã",
                "Đơn vị",
                "Đã báo cáo",
                "Tình trạng",
                "Thời gian nhận",
                "Nguồn",
                "Ghi chú",
            ]
            if self.vi
            else ["No.", "Code", "Unit", "Reported", "Status", "Received at", "Source", "Note"]
        )
        self._status_table(ws, self._status_title(), heads, rows)
        rec = s.reconciliation
        lines = (
            [
                ("Dòng đã nhận", rec.read),
                ("Được tính", rec.counted),
                ("Bị loại (có lỗi)", rec.excluded),
                ("Bị thay thế", rec.superseded),
            ]
            if self.vi
            else [
                ("Rows received", rec.read),
                ("Counted", rec.counted),
                ("Excluded (errors)", rec.excluded),
                ("Superseded", rec.superseded),
            ]
        )
        ws.write_string(0, 6, "Đối chiếu" if self.vi else "Reconciliation", self.f_title)
        for n, (label, value) in enumerate(lines, start=1):
            ws.write_string(n, 6, label)
            ws.write_number(n, 7, value)

    def _status_title(self) -> str:
        return ("Tình hình báo cáo — " if self.vi else "Reporting — ") + self._period_text()

    def _by_village(self, ws: Any) -> None:
        """Each reporting unit (village, or a commune's own team) under the scope."""
        s = self.s
        rows = []
        for unit, data in sorted(s.expected, key=lambda ur: ur[0].code):
            parent = s.ancestry.get(unit.code, {}).get("commune")
            rows.append(
                (
                    unit.code,
                    unit.name,
                    parent.name if parent and parent.code != unit.code else "",
                    data.status if data else "excluded" if unit.code in s.rejected else "missing",
                    data.received_at if data else "",
                    data.source if data else "",
                    "; ".join(unit_notes(s, unit.code, self.lang)),
                )
            )
        heads = (
            ["STT", "Mã", "Đơn vị", "Thuộc", "Tình trạng", "Thời gian nhận", "Nguồn", "Ghi chú"]
            if self.vi
            else ["No.", "Code", "Unit", "Part of", "Status", "Received at", "Source", "Note"]
        )
        self._status_table(ws, self._status_title(), heads, rows)

    def _status_table(
        self,
        ws: Any,
        title: str,
        heads: list[str],
        rows: list[tuple[str, str, str, str, str, str, str]],
    ) -> None:
        """A status table: the title, the count of each status (COUNTIF over the status
        column), then a row per unit (code, name, third column, status key, received
        at, source, note)."""
        counts_at = 1
        head = counts_at + len(STATUS_LABELS) + 1
        for c, text in enumerate(heads):
            ws.write_string(head, c, text, self.f_head)
        for c, width in enumerate((5, 18, 26, 14, 16, 17, 40, 50)):
            ws.set_column(c, c, width)
        for n, (code, name, third, status, received, source, note) in enumerate(rows):
            r = head + 1 + n
            ws.write_number(r, 0, n + 1)
            ws.write_string(r, 1, code)
            ws.write_string(r, 2, name)
            ws.write_string(r, 3, third)
            ws.write_string(r, 4, STATUS_LABELS[status][0 if self.vi else 1])
            ws.write_string(r, 5, received.replace("T", " "))
            ws.write_string(r, 6, source)
            ws.write_string(r, 7, note)
        last = head + len(rows)
        status_col = f"$E${head + 2}:$E${max(last + 1, head + 2)}"
        ws.write_string(0, 0, title, self.f_title)
        statuses = [r[3] for r in rows]
        for n, (key, labels) in enumerate(STATUS_LABELS.items()):
            label = labels[0 if self.vi else 1]
            ws.write_string(counts_at + n, 2, label)
            ws.write_formula(
                counts_at + n, 4, f'=COUNTIF({status_col},"{label}")', None, statuses.count(key)
            )
        ws.freeze_panes(head + 1, 0)

    # "Lỗi" ------------------------------------------------------------------------

    def _errors(self, ws: Any) -> None:
        write_findings(ws, self.s.findings, self.lang, self.f_head, self.f_link, self.f_under)


SHEET_COLUMNS = ("severity", "code", "file", "sheet", "cell", "value", "message")


def write_findings(
    ws: Any, findings: list[Finding], lang: str, head: Any, link: Any, error: Any
) -> None:
    """A findings sheet: each finding with a link to its file, sheet and cell.

    The link is a HYPERLINK formula with a file URI: xlsxwriter's "external:" links turn
    "/" into "\\", which only Windows resolves.
    """
    heads, rows = finding_table(findings, lang, SHEET_COLUMNS)
    for c, text in enumerate(heads):
        ws.write_string(0, c, text, head)
    for c, width in enumerate((9, 28, 40, 14, 7, 16, 90)):
        ws.set_column(c, c, width)
    at_cell = SHEET_COLUMNS.index("cell")
    for n, (f, row) in enumerate(zip(findings, rows, strict=True), start=1):
        path = str(f.params.get("path") or "")
        for c, text in enumerate(row):
            if c == at_cell and path and f.sheet and f.cell:
                uri = f"{Path(path).resolve().as_uri()}#{quote_sheetname(f.sheet)}!{f.cell}"
                uri = uri.replace('"', '""')
                ws.write_formula(n, c, f'=HYPERLINK("{uri}","{f.cell}")', link, f.cell)
            else:
                ws.write_string(n, c, text, error if c == 0 and f.severity == ERROR else None)
    ws.freeze_panes(1, 0)


def _cached(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
