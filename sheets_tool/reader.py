"""Reading the four records from workbooks as people really fill them.

One reader for every template. It finds the header row anywhere in the first 20 rows
(below title rows and merged title cells), matches headers by normalised aliases (and
by an unambiguous fuzzy match), copes with merged header and data cells, a row of
column numbers under the header, several teams in one sheet under village heading rows,
a second table lower in the sheet, total rows and footers such as "Danh sách ấn định
40 người". It returns raw values with their cell addresses; typing and checking is
:mod:`sheets_tool.validate`'s work.

Values are read with python-calamine (about 20 times faster than openpyxl here, see
``make bench``); :mod:`sheets_tool.guard` looks at the file first, because calamine
aborts the process on some hostile files instead of raising.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from . import gsheets, guard
from .findings import ERROR, WARNING, Finding, cell_ref, col_letter
from .templates import TEMPLATE_NAMES, Template, load_template
from .text import clean, fold_key, match_key
from .unit_names import unit_in_text

HEADER_SEARCH_ROWS = 20
FUZZY_CUTOFF = 0.84
FUZZY_MARGIN = 0.06

Grid = list[list[Any]]


@dataclass
class Record:
    """One data row: raw values by column key, with the cell each came from."""

    sheet: str
    row: int  # 1-based, as Excel shows it
    raw: dict[str, Any]
    cells: dict[str, str]
    group: str | None = None  # the village heading above the row, if any

    def cell(self, key: str) -> str | None:
        return self.cells.get(key)


@dataclass
class TotalRow:
    """A "Tổng cộng" row: kept apart from the data, checked against it."""

    row: int
    raw: dict[str, Any]
    cells: dict[str, str]


@dataclass
class Footer:
    """A line such as "Danh sách ấn định 40 người" below a list."""

    row: int
    cell: str
    text: str
    stated: int


@dataclass
class Table:
    """One header row and the data rows below it."""

    sheet: str
    header_row: int
    columns: dict[str, int]  # column key → 0-based column index
    header_text: dict[str, str]  # column key → header as typed
    records: list[Record] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)
    footers: list[Footer] = field(default_factory=list)
    title: list[str] = field(default_factory=list)  # text lines above the header
    unmatched: dict[str, str] = field(default_factory=dict)  # header cell → text not matched


@dataclass
class Workbook:
    """What was read from one file."""

    path: str
    template: Template | None
    tables: list[Table] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    readable: bool = True
    content_hash: str | None = None  # for sources that are not files (Google Sheets)

    @property
    def records(self) -> list[Record]:
        return [r for t in self.tables for r in t.records]


# ---------------------------------------------------------------------------
# header matching


@dataclass
class _HeaderMatch:
    key: str
    col: int
    text: str
    fuzzy: bool = False


class HeaderIndex:
    """Normalised header texts of one template, for exact and fuzzy matching."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.exact: dict[str, str] = {}
        for col in template.columns:
            for hk in col.header_keys():
                self.exact[hk] = col.key
        self._choices = list(self.exact)

    def match(self, text: str) -> str | None:
        return self.exact.get(match_key(text))

    def fuzzy(self, text: str, exclude: set[str]) -> tuple[str | None, list[str]]:
        """(key, []) for an unambiguous close match; (None, candidates) when unsure."""
        key = match_key(text)
        if not key or len(key) < 3:
            return None, []
        scores: dict[str, float] = {}
        for hk, col_key in self.exact.items():
            if col_key in exclude:
                continue
            ratio = difflib.SequenceMatcher(None, key, hk).ratio()
            if ratio > scores.get(col_key, 0.0):
                scores[col_key] = ratio
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        good = [(k, s) for k, s in ranked if s >= FUZZY_CUTOFF]
        if not good:
            return None, []
        if len(good) == 1 or good[0][1] - good[1][1] >= FUZZY_MARGIN:
            return good[0][0], []
        return None, [k for k, s in good if good[0][1] - s < FUZZY_MARGIN]


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _header_matches(row: Sequence[Any], index: HeaderIndex) -> list[_HeaderMatch]:
    found: list[_HeaderMatch] = []
    seen: set[str] = set()
    for c, value in enumerate(row):
        if not _is_text(value) or len(value) > 120:
            continue
        key = index.match(value)
        if key and key not in seen:
            seen.add(key)
            found.append(_HeaderMatch(key, c, clean(value)))
    return found


def _score(matches: list[_HeaderMatch], template: Template) -> float:
    required = {c.key for c in template.columns if c.required}
    keys = {m.key for m in matches if m.key != "stt"}
    # required columns weigh more; a lone match is not a header
    return len(keys) + len(keys & required) if len(keys) >= 2 else 0.0


def detect_header(
    grid: Grid, template: Template, start: int = 0, stop: int | None = None
) -> tuple[int, list[_HeaderMatch]] | None:
    """The best header row for ``template`` in rows [start, stop), or None."""
    index = HeaderIndex(template)
    stop = min(len(grid), stop if stop is not None else start + HEADER_SEARCH_ROWS)
    best: tuple[float, int, list[_HeaderMatch]] | None = None
    for r in range(start, stop):
        matches = _header_matches(grid[r], index)
        score = _score(matches, template)
        if score and (best is None or score > best[0]):
            best = (score, r, matches)
    return (best[1], best[2]) if best else None


# ---------------------------------------------------------------------------
# grid helpers

_HONORIFICS = {match_key(t) for t in ("Ông", "Bà", "Anh", "Chị", "Ông (bà)")}
_NUMBERING_CELL = re.compile(r"^\(?\s*(\d{1,2}|[a-zA-Z])\s*\)?$")


def _is_numbering_row(row: Sequence[Any]) -> bool:
    """A row of column numbers under a header: (1) (2) (3) or 1 2 3 or A B C."""
    values = [v for v in row if v not in ("", None)]
    if len(values) < 3:
        return False
    texts = [str(int(v)) if isinstance(v, float) and v.is_integer() else str(v) for v in values]
    if not all(_NUMBERING_CELL.match(t.strip()) for t in texts):
        return False
    digits = [int(m) for t in texts if (m := _NUMBERING_CELL.match(t.strip()).group(1)).isdigit()]  # type: ignore[union-attr]
    return not digits or digits == sorted(digits)


def _fill_merged(grid: Grid, merged: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Copy a vertically merged cell's value down its range (a village merged over its
    team's rows). Horizontal merges are left alone: a heading spread over a row must
    stay one value, not become a value in every column."""
    for (r0, c0), (r1, _c1) in merged:
        if r1 <= r0 or r0 >= len(grid):
            continue
        value = grid[r0][c0] if c0 < len(grid[r0]) else ""
        for r in range(r0 + 1, min(r1, len(grid) - 1) + 1):
            if c0 < len(grid[r]) and grid[r][c0] in ("", None):
                grid[r][c0] = value


def _row_texts(row: Sequence[Any]) -> list[tuple[int, Any]]:
    return [(c, v) for c, v in enumerate(row) if v not in ("", None)]


_GROUP_PREFIX = re.compile(r"^\s*(?:[IVXLC]+|\d{1,2}|[A-Z])\s*[.)/-]\s*", re.IGNORECASE)
_FOOTER = re.compile(
    r"(?:an dinh|gom|co|tong so|tong cong|tong|danh sach)\D{0,40}?(\d{1,4})\s*"
    r"(?:nguoi|thanh vien|dong chi|ong ba|ong\s*\(ba\)|ho)\b"
)
# the whole first text of a total row: "Tổng cộng", "Cộng:", "Tổng toàn xã" (never a
# name such as "Tống Văn Bình", whose fold key also starts with "tong")
_TOTAL = re.compile(
    r"^(?:tong cong|tong so|tong|cong|total|toan xa)(?: (?:toan )?(?:xa|thon|huyen|tinh))?$"
)
_SIGNATURE = re.compile(
    r"^(?:nguoi lap|nguoi bao cao|nguoi tong hop|tm\b|t/m|thu truong|xac nhan|noi nhan|"
    r"ky ten|chu tich|kt\b|phong van hoa|ubnd xa|uy ban nhan dan)"
)


def group_label(text: str) -> str | None:
    """The unit named by a heading row such as "I. TỔ CNS THÔN ĐÔNG THÁI", or None."""
    body = _GROUP_PREFIX.sub("", clean(text))
    label = unit_in_text(body) if len(body) <= 80 else None
    if not label:
        return None
    if label.isupper():
        label = label.title()
    return label[0].upper() + label[1:]


def _number_like(value: Any) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return bool(re.fullmatch(r"[\d.,\s]+", str(value))) and any(ch.isdigit() for ch in str(value))


# ---------------------------------------------------------------------------
# reading a sheet


class _SheetReader:
    def __init__(self, name: str, grid: Grid, merged: list[Any], template: Template) -> None:
        self.name = name
        self.grid = grid
        self.merged = merged
        self.template = template
        self.index = HeaderIndex(template)
        self.findings: list[Finding] = []

    def finding(
        self,
        severity: str,
        code: str,
        row: int | None = None,
        col: int | None = None,
        key: str | None = None,
        value: Any = None,
        **params: Any,
    ) -> None:
        self.findings.append(
            Finding(
                severity=severity,
                code=code,
                params=params,
                sheet=self.name,
                row=row,
                column=key,
                cell=cell_ref(row, col) if row is not None and col is not None else None,
                value=value,
            )
        )

    # header ----------------------------------------------------------------

    def _merged_span(self, r: int, c: int) -> tuple[int, int, int] | None:
        """(last row, first col, last col) of the merged range whose top-left is (r, c)."""
        for (r0, c0), (r1, c1) in self.merged:
            if r0 == r and c0 == c:
                return r1, c0, c1
        return None

    def build_table(self, r: int, matches: list[_HeaderMatch]) -> tuple[Table, int]:
        """Turn header row ``r`` into a table; returns it and the first data row."""
        grid = self.grid
        columns = {m.key: m.col for m in matches}
        texts = {m.key: m.text for m in matches}
        last_header = r
        # a merged header spanning rows; or sub-headers in the next row
        for m in matches:
            span = self._merged_span(r, m.col)
            if span:
                last_header = max(last_header, span[0])
        # a two-row header: the best row may be the upper or the lower one
        for other in (r - 1, r + 1):
            if not 0 <= other < len(grid):
                continue
            used = set(columns.values())
            sub = [
                s
                for s in _header_matches(grid[other], self.index)
                if s.key not in columns and s.col not in used
            ]
            for s in sub:
                columns[s.key] = s.col
                texts[s.key] = s.text
            if sub and other > r:
                last_header = max(last_header, other)
        for c, value in enumerate(grid[r]):
            key = self.index.match(value) if _is_text(value) else None
            if key and columns.get(key) not in (None, c):
                label = self.template.column(key).label_vi
                self.finding(
                    WARNING,
                    "header.duplicate",
                    r + 1,
                    c,
                    key,
                    clean(value),
                    label=label,
                    other=cell_ref(r + 1, columns[key]),
                )
        self._fuzzy_headers(r, last_header, columns, texts)
        data_start = last_header + 1
        if data_start < len(grid) and _is_numbering_row(grid[data_start]):
            data_start += 1
        self._split_merged_headers(r, columns, data_start)
        title = [clean(v) for row in grid[max(0, r - 12) : r] for v in row if _is_text(v)]
        used = set(columns.values())
        unmatched = {
            cell_ref(hr + 1, c): clean(v)
            for hr in range(r, last_header + 1)
            for c, v in enumerate(grid[hr])
            if c not in used and _is_text(v)
        }
        table = Table(self.name, r + 1, columns, texts, title=title, unmatched=unmatched)
        return table, data_start

    def _fuzzy_headers(
        self, r0: int, r1: int, columns: dict[str, int], texts: dict[str, str]
    ) -> None:
        used_cols = set(columns.values())
        for r in range(r0, r1 + 1):
            for c, value in enumerate(self.grid[r]):
                if c in used_cols or not _is_text(value) or len(value) > 120:
                    continue
                key, candidates = self.index.fuzzy(value, set(columns))
                if key:
                    columns[key] = c
                    texts[key] = clean(value)
                    used_cols.add(c)
                    label = self.template.column(key).label_vi
                    self.finding(
                        WARNING,
                        "header.fuzzy",
                        r + 1,
                        c,
                        key,
                        clean(value),
                        text=clean(value),
                        label=label,
                    )
                elif candidates:
                    names = ", ".join(f"'{self.template.column(k).label_vi}'" for k in candidates)
                    self.finding(
                        WARNING,
                        "header.ambiguous",
                        r + 1,
                        c,
                        None,
                        clean(value),
                        text=clean(value),
                        candidates=names,
                    )

    def _split_merged_headers(self, r: int, columns: dict[str, int], data_start: int) -> None:
        """A header merged over several columns ("Họ và tên" over Ông/Bà + name)."""
        has_title = "title" in self.template.keys
        for key, col in list(columns.items()):
            span = self._merged_span(r, col)
            if not span or span[2] == span[1]:
                continue
            sub_cols = range(span[1], span[2] + 1)
            sample = []  # this table's rows: up to the first empty row
            for row in self.grid[data_start : data_start + 200]:
                if not _row_texts(row):
                    break
                sample.append(row)
            filled = {
                c: [row[c] for row in sample if c < len(row) and row[c] not in ("", None)]
                for c in sub_cols
            }
            title_cols = [
                c
                for c, vals in filled.items()
                if vals and all(match_key(v) in _HONORIFICS for v in vals)
            ]
            if has_title and "title" not in columns and title_cols and key != "title":
                columns["title"] = title_cols[0]
            rest = [c for c in sub_cols if c not in title_cols]
            if rest:
                columns[key] = max(rest, key=lambda c: len(filled[c]))

    # data ------------------------------------------------------------------

    def read_tables(self) -> list[Table]:
        found = detect_header(self.grid, self.template)
        tables: list[Table] = []
        while found:
            r, matches = found
            table, data_start = self.build_table(r, matches)
            next_header = self._read_rows(table, data_start)
            tables.append(table)
            if next_header is None:
                break
            found = (next_header, _header_matches(self.grid[next_header], self.index))
        return tables

    def _read_rows(self, table: Table, start: int) -> int | None:
        """Read data rows into ``table``; the row of a second header if one follows."""
        grid = self.grid
        columns = table.columns
        key_cols = list(columns.items())
        letters = {k: col_letter(c) for k, c in key_cols}
        content_cols = {c for k, c in key_cols if k != "stt"}
        # top-left cells of ranges merged across columns (headings spread over a row)
        wide = {(r0, c0) for (r0, c0), (_r1, c1) in self.merged if c1 > c0}
        content_keys = [k for k in columns if k != "stt"]
        group: str | None = None
        blank_run = 0
        for r in range(start, len(grid)):
            row = grid[r]
            present = _row_texts(row)
            if not present:
                blank_run += 1
                continue
            first_text = next((clean(v) for _c, v in present if _is_text(v)), "")
            fk = fold_key(first_text)
            # a footer count ends the list
            fm = _FOOTER.search(fk)
            if fm and len(present) <= 2 and not _number_like(first_text):
                cell_col = next(c for c, v in present if _is_text(v))
                table.footers.append(
                    Footer(r + 1, cell_ref(r + 1, cell_col), first_text, int(fm.group(1)))
                )
                continue
            if blank_run and _SIGNATURE.match(fk) and len(present) <= 3:
                break
            blank_run = 0
            # another header row: a second table
            if len(present) >= 2 and all(_is_text(v) for _c, v in present):
                again = _header_matches(row, self.index)
                if _score(again, self.template) >= 3:
                    return r
            # a heading row naming a village: one text, outside the data columns, spread
            # over several columns, or numbered ("II. Thôn ..."). A lone village name in
            # the village column is a row that reported nothing, not a heading.
            if len(present) == 1 and _is_text(present[0][1]):
                c, text = present[0]
                if c not in content_cols or (r, c) in wide or _GROUP_PREFIX.match(text):
                    label = group_label(text)
                    if label:
                        group = label
                        continue
            raw: dict[str, Any] = {}
            for key, c in key_cols:
                value = row[c] if c < len(row) else ""
                if value not in ("", None) and not (isinstance(value, str) and not value.strip()):
                    raw[key] = value
            excel_row = str(r + 1)
            cells = {key: letter + excel_row for key, letter in letters.items()}
            if not any(k in raw for k in content_keys):
                continue  # only a number in the TT column, or text outside the table
            if _TOTAL.match(fk):
                table.totals.append(TotalRow(r + 1, raw, cells))
                continue
            table.records.append(Record(self.name, r + 1, raw, cells, group))
        return None


# ---------------------------------------------------------------------------
# the workbook


def _load_grids(
    path: Path, include_hidden: bool = False, hidden: list[tuple[str, Grid]] | None = None
) -> list[tuple[str, Grid, list[Any]]]:
    """The worksheets' cells and merged ranges; a hidden sheet (an old copy, a lookup
    list) is left out, put in ``hidden``, unless ``include_hidden``."""
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        sheets = []
        for meta in wb.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue  # chart sheets and macro sheets hold no table
            sheet = wb.get_sheet_by_name(meta.name)
            grid = sheet.to_python(skip_empty_area=False)
            if meta.visible != python_calamine.SheetVisibleEnum.Visible and not include_hidden:
                if hidden is not None:
                    hidden.append((meta.name, grid))
                continue
            merged = list(sheet.merged_cell_ranges or [])
            sheets.append((meta.name, grid, merged))
        return sheets
    finally:
        wb.close()


def detect_template(grids: list[tuple[str, Grid, list[Any]]]) -> tuple[Template | None, list[str]]:
    """The template whose headers match best; (None, tied names) when unsure."""
    scores: dict[str, float] = {}
    for name in TEMPLATE_NAMES:
        template = load_template(name)
        best = 0.0
        for _sheet, grid, _merged in grids:
            found = detect_header(grid, template)
            if found:
                best = max(best, _score(found[1], template))
        if best:
            scores[name] = best
    if not scores:
        return None, []
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None, [n for n, s in ranked if s == ranked[0][1]]
    return load_template(ranked[0][0]), []


def _refuse(result: Workbook, code: str, detail: str = "", **params: Any) -> Workbook:
    result.readable = False
    result.findings.append(Finding(severity=ERROR, code=code, params={"detail": detail, **params}))
    return result


def read_workbook(
    path: str | Path, template: str | Template | None = None, *, include_hidden: bool = False
) -> Workbook:
    """Read ``path`` (a file, a Google Sheets URL or ``gsheet:KEY``) as ``template`` (a
    name, a :class:`Template`, or None to detect it). Hidden sheets are skipped unless
    ``include_hidden``; one that has the template's header row gets a
    ``file.hidden_sheet`` note (a hidden list of choices does not).

    Never raises for a bad file: an unreadable one comes back with ``readable=False``
    and one ``file.*`` finding.
    """
    ref = gsheets.parse_ref(path)
    if ref is not None:  # a Google Sheets source: the same reader on its grids
        try:
            fetched = gsheets.fetch(ref)
        except gsheets.SheetsError as exc:
            tpl = load_template(template) if isinstance(template, str) else template
            return _refuse(Workbook(str(path), tpl), "file.google", str(exc))
        return read_fetched(fetched, template, str(path))
    p = Path(path)
    result = Workbook(str(path), None)
    inspection = guard.inspect(p)
    if not inspection.ok:
        return _refuse(result, inspection.code or "file.corrupt", inspection.detail)
    hidden: list[tuple[str, Grid]] = []
    try:
        grids = _load_grids(p, include_hidden, hidden)
    except python_calamine.PasswordError:
        return _refuse(result, "file.encrypted")
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        return _refuse(result, "file.corrupt", str(exc))
    result = read_grids(str(path), grids, template, inspection.formulas_without_value)
    if result.template is not None:
        result.findings[:0] = [
            Finding(severity=WARNING, code="file.hidden_sheet", params={}, sheet=name)
            for name, grid in hidden
            if detect_header(grid, result.template)
        ]
    return result


def read_fetched(
    fetched: gsheets.Fetched, template: str | Template | None = None, name: str | None = None
) -> Workbook:
    """Read a spreadsheet already fetched from Google Sheets."""
    result = read_grids(name or str(fetched.ref), fetched.grids, template)
    result.content_hash = fetched.content_hash
    return result


def read_grids(
    name: str,
    grids: list[tuple[str, Grid, list[Any]]],
    template: str | Template | None = None,
    formulas: dict[str, list[str]] | None = None,
) -> Workbook:
    """Read sheets given as (title, rows, merged ranges): the reader without the file."""
    tpl = load_template(template) if isinstance(template, str) else template
    result = Workbook(name, tpl)
    if tpl is None:
        tpl, tied = detect_template(grids)
        if tpl is None:
            tie = f" ({', '.join(tied)})" if tied else ""
            return _refuse(result, "file.template_unknown", hint={"vi": tie, "en": tie})
        result.template = tpl
    for title, grid, merged in grids:
        _fill_merged(grid, merged)
        reader = _SheetReader(title, grid, merged, tpl)
        result.tables.extend(reader.read_tables())
        result.findings.extend(reader.findings)
        for cell in (formulas or {}).get(title, []):
            m = re.match(r"([A-Z]+)(\d+)", cell)
            assert m
            result.findings.append(
                Finding(
                    severity=WARNING,
                    code="cell.formula_no_value",
                    params={},
                    sheet=title,
                    row=int(m.group(2)),
                    cell=cell,
                )
            )
    if not result.tables:
        return _refuse(
            result, "file.no_header", template=tpl.label_vi, hint=_no_header_hint(grids, tpl)
        )
    return result


def _no_header_hint(grids: list[tuple[str, Grid, list[Any]]], tpl: Template) -> dict[str, str]:
    """Name what the first sheet's top rows hold, so the official can see the mismatch."""
    for _name, grid, _merged in grids:
        for r, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
            texts = [clean(v) for v in row if _is_text(v)]
            if len(texts) >= 2:
                seen = ", ".join(f"'{t}'" for t in texts[:4])
                need = ", ".join(f"'{c.label_vi}'" for c in tpl.columns if c.required)
                need_en = ", ".join(f"'{c.label_en}'" for c in tpl.columns if c.required)
                return {
                    "vi": f" Dòng {r + 1} có {seen}; mẫu cần các cột {need}.",
                    "en": f" Row {r + 1} has {seen}; the template needs {need_en}.",
                }
    return {"vi": " Sheet không có dữ liệu.", "en": " The sheet is empty."}


__all__ = [
    "Footer",
    "HeaderIndex",
    "Record",
    "Table",
    "TotalRow",
    "Workbook",
    "col_letter",
    "detect_header",
    "detect_template",
    "group_label",
    "read_workbook",
]
