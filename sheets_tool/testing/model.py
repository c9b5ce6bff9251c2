"""The state of one emulated spreadsheet and the Sheets v4 operations on it.

Shapes follow the recorded answers in ``../shared/sheets-api-recordings`` (proto3 JSON:
fields at their default value are left out, except where the recordings show them, such
as ``sheetId: 0`` and ``index: 0`` in a sheet's properties). Cells are kept as the API's
CellData; :mod:`sheets_tool.testing.cells` parses what is entered and renders it.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from . import a1, cells
from .batch import REQUESTS

DEFAULT_ROWS, DEFAULT_COLS = 1000, 26
ROW_PIXELS, COL_PIXELS = 21, 100


class ApiError(Exception):
    """An answer other than 200, shaped as Google shapes it."""

    STATUS: ClassVar[dict[int, str]] = {
        400: "INVALID_ARGUMENT",
        401: "UNAUTHENTICATED",
        403: "PERMISSION_DENIED",
        404: "NOT_FOUND",
        409: "ALREADY_EXISTS",
        429: "RESOURCE_EXHAUSTED",
        500: "INTERNAL",
        503: "UNAVAILABLE",
    }

    def __init__(self, code: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "status": self.STATUS.get(self.code, "UNKNOWN"),
                **self.extra,
            }
        }


def bad(message: str) -> ApiError:
    return ApiError(400, message)


def _color(r: float, g: float, b: float) -> dict[str, Any]:
    return {k: v for k, v in (("red", r), ("green", g), ("blue", b)) if v}


# what a new spreadsheet's properties hold (recorded: ClientTest.test_create)
DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": _color(1, 1, 1),
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": _color(1, 1, 1)},
}
THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [
        {"colorType": kind, "color": {"rgbColor": _color(*rgb)}}
        for kind, rgb in (
            ("TEXT", (0, 0, 0)),
            ("BACKGROUND", (1, 1, 1)),
            ("ACCENT1", (0.25882354, 0.52156866, 0.95686275)),
            ("ACCENT2", (0.91764706, 0.2627451, 0.20784314)),
            ("ACCENT3", (0.9843137, 0.7372549, 0.015686275)),
            ("ACCENT4", (0.20392157, 0.65882355, 0.3254902)),
            ("ACCENT5", (1, 0.42745098, 0.003921569)),
            ("ACCENT6", (0.27450982, 0.7411765, 0.7764706)),
            ("LINK", (0.06666667, 0.33333334, 0.8)),
        )
    ],
}


@dataclass
class Sheet:
    props: dict[str, Any]
    cells: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    merges: list[dict[str, Any]] = field(default_factory=list)
    basic_filter: dict[str, Any] | None = None
    protected: list[dict[str, Any]] = field(default_factory=list)
    groups: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"ROWS": [], "COLUMNS": []}
    )
    dims: dict[str, dict[int, dict[str, Any]]] = field(
        default_factory=lambda: {"ROWS": {}, "COLUMNS": {}}
    )

    @property
    def id(self) -> int:
        return int(self.props.get("sheetId", 0))

    @property
    def title(self) -> str:
        return str(self.props["title"])

    @property
    def rows(self) -> int:
        return int(self.props["gridProperties"]["rowCount"])

    @property
    def cols(self) -> int:
        return int(self.props["gridProperties"]["columnCount"])

    def extent(self) -> tuple[int, int]:
        """Rows and columns up to the last cell holding a value."""
        used = [k for k, v in self.cells.items() if "userEnteredValue" in v]
        if not used:
            return 0, 0
        return max(r for r, _ in used) + 1, max(c for _, c in used) + 1

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"properties": self.props}
        if self.merges:
            out["merges"] = [grid_range_json(m) for m in self.merges]
        if self.basic_filter:
            out["basicFilter"] = {
                **self.basic_filter,
                "range": grid_range_json(self.basic_filter["range"]),
            }
        if self.protected:
            out["protectedRanges"] = [
                {**p, "range": grid_range_json(p["range"])} for p in self.protected
            ]
        for dim, key in (("ROWS", "rowGroups"), ("COLUMNS", "columnGroups")):
            if self.groups[dim]:
                out[key] = self.groups[dim]
        return out


def grid_range_json(r: dict[str, Any]) -> dict[str, Any]:
    """A GridRange as Google answers it: sheetId 0 left out (recorded in namedRanges)."""
    return {k: v for k, v in r.items() if not (k == "sheetId" and v == 0)}


class Spreadsheet:
    def __init__(self, key: str, title: str, locale: str = "en_US", time_zone: str = "Etc/GMT"):
        self.id = key
        self.props: dict[str, Any] = {
            "title": title,
            "locale": locale,
            "autoRecalc": "ON_CHANGE",
            "timeZone": time_zone,
            "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
            "spreadsheetTheme": copy.deepcopy(THEME),
        }
        self.sheets: list[Sheet] = [self.new_sheet({"sheetId": 0, "title": "Sheet1"})]
        self.named_ranges: list[dict[str, Any]] = []
        self.rng = random.Random(key)
        self.changed: Callable[[], None] = lambda: None  # Drive's modifiedTime
        self.last_written: list[tuple[int, int, int]] = []  # cells of the last values write
        self.caller = ""  # who sends the current request (protected ranges name them)

    # -- sheets -------------------------------------------------------------

    @property
    def locale(self) -> str:
        return str(self.props["locale"])

    def new_sheet(self, given: dict[str, Any]) -> Sheet:
        grid = {"rowCount": DEFAULT_ROWS, "columnCount": DEFAULT_COLS}
        grid.update(given.get("gridProperties", {}))
        props: dict[str, Any] = {
            "sheetId": given.get("sheetId"),
            "title": given.get("title"),
            "index": given.get("index", 0),
            "sheetType": given.get("sheetType", "GRID"),
            "gridProperties": grid,
        }
        for key in ("hidden", "tabColor", "tabColorStyle", "rightToLeft"):
            if given.get(key):
                props[key] = given[key]
        return Sheet(props)

    def new_id(self) -> int:
        taken = {s.id for s in self.sheets}
        while True:
            candidate = self.rng.randrange(1, 2**31 - 1)
            if candidate not in taken:
                return candidate

    def reindex(self) -> None:
        for i, sheet in enumerate(self.sheets):
            sheet.props["index"] = i

    def by_id(self, sheet_id: int | None) -> Sheet:
        for sheet in self.sheets:
            if sheet.id == (sheet_id or 0):
                return sheet
        raise bad(f"No grid with id: {sheet_id or 0}")

    def by_title(self, title: str) -> Sheet | None:
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        return None

    # -- ranges -------------------------------------------------------------

    def span(self, text: str) -> tuple[Sheet, int, int, int, int]:
        """A range's sheet and bounds, clipped to the grid; Google's 400 when it cannot
        be parsed or names no sheet. A named range may stand for the cells, alone or after
        a sheet's title (recorded: 'Sheet1'!NamedRange)."""
        name = text.rpartition("!")[2]
        for named in self.named_ranges:
            if named["name"] == name:
                return self.grid_span(named["range"])
        try:
            sp = a1.parse(text, [s.title for s in self.sheets])
        except a1.RangeError:
            raise bad(f"Unable to parse range: {text}") from None
        sheet = self.sheets[0] if sp.title is None else self.by_title(sp.title)
        if sheet is None:
            raise bad(f"Unable to parse range: {text}")
        r0 = sp.r0 or 0
        c0 = sp.c0 or 0
        r1 = sheet.rows if sp.r1 is None else sp.r1
        c1 = sheet.cols if sp.c1 is None else sp.c1
        if sp.single:
            r1 = r0 + 1
        if r0 >= sheet.rows or c0 >= sheet.cols:
            raise bad(
                f"Range ('{sheet.title}'!{text.rpartition('!')[2]}) exceeds grid limits. "
                f"Max rows: {sheet.rows}, max columns: {sheet.cols}"
            )
        return sheet, r0, c0, min(r1, sheet.rows), min(c1, sheet.cols)

    def grid_span(self, r: dict[str, Any]) -> tuple[Sheet, int, int, int, int]:
        sheet = self.by_id(r.get("sheetId"))
        return (
            sheet,
            r.get("startRowIndex", 0),
            r.get("startColumnIndex", 0),
            r.get("endRowIndex", sheet.rows),
            r.get("endColumnIndex", sheet.cols),
        )

    # -- cells --------------------------------------------------------------

    def lookup(self, title: str | None, row: int, col: int) -> dict[str, Any] | None:
        sheet = self.sheets[0] if title is None else self.by_title(title)
        return None if sheet is None else sheet.cells.get((row, col))

    def _seen_from(self, here: str) -> tuple[cells.Lookup, Callable[[str | None], int]]:
        """Look-ups for a formula on sheet ``here`` (a reference without a sheet's name
        is to its own sheet)."""
        return (
            lambda title, r, c: self.lookup(title or here, r, c),
            lambda title: self.height(title or here),
        )

    def height(self, title: str | None) -> int:
        sheet = self.sheets[0] if title is None else self.by_title(title)
        return 0 if sheet is None else sheet.extent()[0]

    def put(self, sheet: Sheet, row: int, col: int, data: dict[str, Any] | None) -> None:
        """Set (or with None/{} clear) a cell's value, keeping its format and note."""
        old = sheet.cells.get((row, col), {})
        keep = {
            k: v for k, v in old.items() if k in ("userEnteredFormat", "note", "dataValidation")
        }
        new = {**keep, **(data or {})}
        if "userEnteredFormat" in (data or {}) and "userEnteredFormat" in keep:
            new["userEnteredFormat"] = {**keep["userEnteredFormat"], **data["userEnteredFormat"]}  # type: ignore[index]
        new = {k: v for k, v in new.items() if v not in (None, {})}
        if new:
            sheet.cells[(row, col)] = new
        else:
            sheet.cells.pop((row, col), None)

    def recalc(self) -> None:
        """Every cell's effective and formatted value, formulas after the values they read."""
        for _pass in range(2):
            for sheet in self.sheets:
                for key, cell in list(sheet.cells.items()):
                    if "userEnteredValue" in cell:
                        sheet.cells[key] = cells.evaluate(
                            cell, self.locale, *self._seen_from(sheet.title)
                        )
                    else:
                        for k in ("effectiveValue", "formattedValue"):
                            cell.pop(k, None)

    # -- values -------------------------------------------------------------

    def values_get(
        self,
        text: str,
        major: str = "ROWS",
        render: str = "FORMATTED_VALUE",
        dates: str = "SERIAL_NUMBER",
    ) -> dict[str, Any]:
        sheet, r0, c0, r1, c1 = self.span(text)
        grid = []
        last_row = 0
        for r in range(r0, r1):
            row = [
                cells.render(sheet.cells.get((r, c)), render, dates, self.locale)
                for c in range(c0, c1)
            ]
            while row and row[-1] is None:
                row.pop()
            if row:
                last_row = r - r0 + 1
            grid.append(["" if v is None else v for v in row])
        grid = grid[:last_row]
        out: dict[str, Any] = {
            "range": a1.format_span(sheet.title, r0, c0, r1, c1),
            "majorDimension": major,
        }
        if major == "COLUMNS" and grid:
            width = max(len(r) for r in grid)
            cols = [[row[c] if c < len(row) else "" for row in grid] for c in range(width)]
            for col in cols:
                while col and col[-1] == "":
                    col.pop()
            grid = cols
        if grid:
            out["values"] = grid
        return out

    def values_update(
        self, text: str, values: Any, option: str | None, major: str | None = None
    ) -> dict[str, Any]:
        if option not in ("RAW", "USER_ENTERED"):
            raise bad("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
        if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
            raise ApiError(
                400,
                f"Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), "
                f"{_json_text(values)}",
                details=[
                    {
                        "@type": "type.googleapis.com/google.rpc.BadRequest",
                        "fieldViolations": [
                            {
                                "field": "data.values",
                                "description": "Invalid value at 'data.values' "
                                "(type.googleapis.com/google.protobuf.ListValue), "
                                f"{_json_text(values)}",
                            }
                        ],
                    }
                ],
            )
        if major == "COLUMNS":
            width = max((len(c) for c in values), default=0)
            values = [[c[i] if i < len(c) else None for c in values] for i in range(width)]
        sheet, r0, c0, r1, c1 = self.span(text)
        height = len(values)
        width = max((len(r) for r in values), default=0)
        sp = a1.parse(text, [s.title for s in self.sheets])
        too_big = (sp.r1 is not None and sp.r0 is not None and height > r1 - r0) or (
            sp.c1 is not None and sp.c0 is not None and width > c1 - c0
        )
        if too_big and not sp.single:
            raise bad(
                "Requested writing within range ["
                f"{text.rpartition('!')[2] if '!' in text else text}], but tried writing "
                f"to {'row' if height > r1 - r0 else 'column'} "
                f"[{r0 + height if height > r1 - r0 else a1.col_letters(c0 + width - 1)}]"
            )
        self._grow(sheet, r0 + height, c0 + width)
        written = []
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                if value is None:
                    continue
                self.put(sheet, r0 + r, c0 + c, cells.enter(value, option, self.locale) or None)
                written.append((r0 + r, c0 + c))
        self.recalc()
        self.changed()
        out: dict[str, Any] = {"spreadsheetId": self.id}
        if written:
            # counted as Google counts them (recorded: a 6×4 block holding two values is
            # "updatedRows": 2, "updatedColumns": 2, its range the whole block)
            out.update(
                updatedRange=a1.format_span(sheet.title, r0, c0, r0 + height, c0 + width),
                updatedRows=len({r for r, _ in written}),
                updatedColumns=len({c for _, c in written}),
                updatedCells=len(written),
            )
            self.last_written = [(sheet.id, r, c) for r, c in written]
        return out

    def _grow(self, sheet: Sheet, rows: int, cols: int) -> None:
        grid = sheet.props["gridProperties"]
        if rows > grid["rowCount"] or cols > grid["columnCount"]:
            raise bad(
                f"Range ('{sheet.title}'!{a1.cell_name(rows - 1, cols - 1)}) exceeds grid "
                f"limits. Max rows: {grid['rowCount']}, max columns: {grid['columnCount']}"
            )

    def values_append(
        self, text: str, values: Any, option: str | None, major: str | None = None
    ) -> dict[str, Any]:
        """Google's "table" detection, as the recordings show it: a one-cell range
        that is empty is written there; a filled one extends the block of touching
        cells it belongs to; a larger range extends the block of its cells reaching
        lowest (then furthest right). The values go in the row below, from the
        block's first column."""
        sheet, r0, c0, r1, c1 = self.span(text)
        if major == "COLUMNS":
            width = max((len(c) for c in values), default=0)
            values = [[c[i] if i < len(c) else None for c in values] for i in range(width)]
        filled = {
            k
            for k, v in sheet.cells.items()
            if "userEnteredValue" in v and r0 <= k[0] < r1 and c0 <= k[1] < c1
        }
        single = a1.parse(text, [s.title for s in self.sheets]).single
        if single:
            r1, c1 = sheet.rows, sheet.cols
            filled = {k for k, v in sheet.cells.items() if "userEnteredValue" in v}
        block: set[tuple[int, int]] = set()
        if single and (r0, c0) in filled:
            block = _block(filled, (r0, c0))
        elif not single and filled:
            blocks = []
            seen: set[tuple[int, int]] = set()
            for cell in sorted(filled):
                if cell not in seen:
                    b = _block(filled, cell)
                    seen |= b
                    blocks.append(b)
            block = max(blocks, key=lambda b: (max(r for r, _ in b), max(c for _, c in b)))
        out: dict[str, Any] = {"spreadsheetId": self.id}
        if block:
            top, left = min(r for r, _ in block), min(c for _, c in block)
            bottom, right = max(r for r, _ in block) + 1, max(c for _, c in block) + 1
            out["tableRange"] = a1.format_span(sheet.title, top, left, bottom, right)
            start, col = bottom, left
        else:
            start, col = r0, c0
        width = max((len(r) for r in values), default=0)
        grid = sheet.props["gridProperties"]
        grid["rowCount"] = max(grid["rowCount"], start + len(values))
        grid["columnCount"] = max(grid["columnCount"], col + width)
        where = a1.format_span(sheet.title, start, col, start + len(values), col + width)
        out["updates"] = self.values_update(where, values, option)
        return out

    def values_clear(self, text: str) -> dict[str, Any]:
        sheet, r0, c0, r1, c1 = self.span(text)
        for (r, c), _cell in list(sheet.cells.items()):
            if r0 <= r < r1 and c0 <= c < c1:
                self.put(sheet, r, c, {"userEnteredValue": None})
        self.recalc()
        self.changed()
        return {
            "spreadsheetId": self.id,
            "clearedRange": a1.format_span(sheet.title, r0, c0, r1, c1),
        }

    # -- batchUpdate ---------------------------------------------------------

    def batch_update(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """All requests or none, as Google applies them."""
        saved = copy.deepcopy((self.props, self.sheets, self.named_ranges))
        replies = []
        try:
            for i, request in enumerate(requests):
                (kind, body), *rest = request.items()
                handler = REQUESTS.get(kind)
                if handler is None or rest:
                    raise bad(f"Invalid requests[{i}]: unsupported request {kind}")
                try:
                    replies.append(handler(self, body))
                except ApiError as exc:
                    if exc.message.startswith("Invalid requests["):
                        raise
                    raise ApiError(
                        exc.code, f"Invalid requests[{i}].{kind}: {exc.message}", **exc.extra
                    ) from None
            self.recalc()
        except BaseException:
            self.props, self.sheets, self.named_ranges = saved
            raise
        self.changed()
        return replies

    # -- the whole spreadsheet ----------------------------------------------

    def to_json(
        self, *, grid: bool = False, ranges: list[str] | None = None, url: str = ""
    ) -> dict[str, Any]:
        sheets = []
        wanted: dict[int, list[tuple[int, int, int, int]]] = {}
        for text in ranges or []:
            sheet, r0, c0, r1, c1 = self.span(text)
            wanted.setdefault(sheet.id, []).append((r0, c0, r1, c1))
        for sheet in self.sheets:
            if ranges and sheet.id not in wanted:
                continue
            entry = sheet.to_json()
            if grid:
                entry["data"] = [
                    self._grid_data(sheet, *b)
                    for b in wanted.get(sheet.id, [(0, 0, sheet.rows, sheet.cols)])
                ]
            sheets.append(entry)
        out: dict[str, Any] = {"spreadsheetId": self.id, "properties": self.props, "sheets": sheets}
        if self.named_ranges:
            out["namedRanges"] = [
                {**n, "range": grid_range_json(n["range"])} for n in self.named_ranges
            ]
        out["spreadsheetUrl"] = url or f"https://docs.google.com/spreadsheets/d/{self.id}/edit"
        return copy.deepcopy(out)

    def _grid_data(self, sheet: Sheet, r0: int, c0: int, r1: int, c1: int) -> dict[str, Any]:
        rows = []
        for r in range(r0, r1):
            row = [_with_effective_format(sheet.cells.get((r, c), {})) for c in range(c0, c1)]
            while row and not row[-1]:
                row.pop()
            rows.append({"values": row} if row else {})
        while rows and not rows[-1]:
            rows.pop()
        data: dict[str, Any] = {}
        if r0:
            data["startRow"] = r0
        if c0:
            data["startColumn"] = c0
        if rows:
            data["rowData"] = rows
        data["rowMetadata"] = [self._dim(sheet, "ROWS", r) for r in range(r0, r1)]
        data["columnMetadata"] = [self._dim(sheet, "COLUMNS", c) for c in range(c0, c1)]
        return data

    @staticmethod
    def _dim(sheet: Sheet, dim: str, index: int) -> dict[str, Any]:
        base = {"pixelSize": ROW_PIXELS if dim == "ROWS" else COL_PIXELS}
        return {**base, **sheet.dims[dim].get(index, {})}


def _with_effective_format(cell: dict[str, Any]) -> dict[str, Any]:
    """A cell as grid data shows it: its effective format carries its number format
    (Google's effectiveFormat also holds the default text format, colours and padding;
    no recording shows one, so only the number format, which readers need, is given)."""
    number = cell.get("userEnteredFormat", {}).get("numberFormat")
    if not number or "userEnteredValue" not in cell:
        return cell
    return {**cell, "effectiveFormat": {"numberFormat": number}}


def _block(filled: set[tuple[int, int]], start: tuple[int, int]) -> set[tuple[int, int]]:
    """The cells of ``filled`` touching ``start`` through their sides."""
    block, todo = {start}, [start]
    while todo:
        r, c = todo.pop()
        for near in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if near in filled and near not in block:
                block.add(near)
                todo.append(near)
    return block


def _json_text(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
