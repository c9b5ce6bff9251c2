"""Writing tabs into a Google spreadsheet so that what the official sees is right and
never half-written.

All the tabs of one write go in **one** ``spreadsheets.batchUpdate``, which Google
applies entirely or not at all: missing tabs are added (with sheet ids chosen here, so
that the same request can fill them), grids grown to fit, every old value cleared and
every new one set. A run that fails or is killed at any point leaves either the previous
contents or the new ones, never empty tabs.

Each value is sent as what it is, not as text for Google to parse: text (codes such as
"06463" included) as ``stringValue``, numbers as ``numberValue``, dates as serial
numbers with a date format, and the formulas sheets-tool wrote as ``formulaValue`` with
the argument separator of the spreadsheet's locale (";" where the decimal mark is a
comma, as in vi_VN; "," otherwise). A cell a person typed as "=..." is text.

A retried request whose first attempt succeeded finds its tabs already added: the write
is then made again against the spreadsheet as it is (adding nothing), so a retry is
harmless.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from . import gsheets

FIELDS = "userEnteredValue,userEnteredFormat.numberFormat"
DATE_FORMAT = {"type": "DATE", "pattern": "dd/mm/yyyy"}
DATE_TIME_FORMAT = {"type": "DATE_TIME", "pattern": "dd/mm/yyyy hh:mm"}
# locales whose decimal mark is a comma, where Google separates a formula's arguments
# with ";" (Google's documentation on locales and formulas; the emulator follows it)
_COMMA_DECIMAL = (
    "vi",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "nl",
    "ru",
    "pl",
    "tr",
    "id",
    "da",
    "sv",
    "nb",
    "fi",
    "cs",
    "sk",
    "hu",
    "ro",
    "uk",
    "el",
    "bg",
    "hr",
    "sl",
    "lt",
    "lv",
    "et",
)
_EPOCH = dt.datetime(1899, 12, 30)

Tabs = dict[str, tuple[list[list[Any]], str]]


def comma_decimal(locale: str) -> bool:
    lang = locale.split("_")[0].lower()
    return lang in _COMMA_DECIMAL and locale not in ("es_MX", "es_US", "pt_BR_x")


def serial(value: dt.date | dt.datetime) -> float:
    """A date as the spreadsheet serial number (days since 1899-12-30)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    days = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
    return int(days) if days == int(days) else round(days, 10)


def localized_formula(text: str, locale: str) -> str:
    """A formula written with Excel's "," between arguments, in the locale's syntax."""
    if not comma_decimal(locale):
        return text
    out, quoted = [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        out.append(";" if ch == "," and not quoted else ch)
    return "".join(out)


def cell(value: Any, locale: str) -> dict[str, Any]:
    """One value as the API's CellData (userEnteredValue and, for dates, the format)."""
    if value is None or value == "":
        return {}
    if isinstance(value, gsheets.Formula):
        return {"userEnteredValue": {"formulaValue": localized_formula(value.text, locale)}}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, (int, float)):
        return {"userEnteredValue": {"numberValue": value}}
    if isinstance(value, dt.datetime):
        fmt = (
            DATE_TIME_FORMAT
            if (value.hour, value.minute, value.second) != (0, 0, 0)
            else DATE_FORMAT
        )
        return {
            "userEnteredValue": {"numberValue": serial(value)},
            "userEnteredFormat": {"numberFormat": fmt},
        }
    if isinstance(value, dt.date):
        return {
            "userEnteredValue": {"numberValue": serial(value)},
            "userEnteredFormat": {"numberFormat": DATE_FORMAT},
        }
    return {"userEnteredValue": {"stringValue": str(value)}}


def digest(tabs: Tabs) -> str:
    """What a write would put in the spreadsheet, as a hash (to skip an unchanged one)."""
    doc = [[t, how, rows] for t, (rows, how) in sorted(tabs.items())]
    text = json.dumps(doc, ensure_ascii=False, default=lambda v: repr(v))
    return hashlib.sha256(text.encode()).hexdigest()


def _new_id(title: str, taken: set[int]) -> int:
    n = int(hashlib.sha256(title.encode()).hexdigest()[:7], 16) + 1
    while n in taken:
        n += 1
    return n


def requests_for(tabs: Tabs, sheets: list[dict[str, Any]], locale: str) -> list[dict[str, Any]]:
    """The one batch that replaces ``tabs`` in a spreadsheet whose sheets' properties are
    ``sheets`` (other tabs are not touched)."""
    existing = {s["properties"]["title"]: s["properties"] for s in sheets}
    taken = {int(p.get("sheetId", 0)) for p in existing.values()}
    requests: list[dict[str, Any]] = []
    for title, (rows, _how) in tabs.items():
        height = max(len(rows), 1)
        width = max((len(r) for r in rows), default=1) or 1
        props = existing.get(title)
        if props is None:
            sheet_id = _new_id(title, taken)
            taken.add(sheet_id)
            grid = {"rowCount": max(height, 100), "columnCount": max(width, 26)}
            requests.append(
                {
                    "addSheet": {
                        "properties": {"sheetId": sheet_id, "title": title, "gridProperties": grid}
                    }
                }
            )
        else:
            sheet_id = int(props.get("sheetId", 0))
            grid = dict(props.get("gridProperties", {}))
            rows_now, cols_now = grid.get("rowCount", 1000), grid.get("columnCount", 26)
            if height > rows_now or width > cols_now:
                requests.append(
                    {
                        "updateSheetProperties": {
                            "properties": {
                                "sheetId": sheet_id,
                                "gridProperties": {
                                    "rowCount": max(height, rows_now),
                                    "columnCount": max(width, cols_now),
                                },
                            },
                            "fields": "gridProperties.rowCount,gridProperties.columnCount",
                        }
                    }
                )
            # every old value and number format goes, whatever its extent
            requests.append({"updateCells": {"range": {"sheetId": sheet_id}, "fields": FIELDS}})
        if rows:
            requests.append(
                {
                    "updateCells": {
                        "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                        "rows": [{"values": [cell(v, locale) for v in row]} for row in rows],
                        "fields": FIELDS,
                    }
                }
            )
    return requests


def write_tabs(
    ref: gsheets.SheetRef,
    tabs: Tabs,
    google: gsheets.Google | None = None,
    known: tuple[list[dict[str, Any]], str] | None = None,
) -> tuple[list[dict[str, Any]], str]:
    """Replace the contents of ``tabs`` (title → (rows, how)) in one spreadsheet, in one
    atomic request (see the module). ``known``: the spreadsheet's sheets and locale as
    last seen, which saves reading them; if they are out of date (a tab deleted or
    resized since), Google refuses the batch, and they are read and the batch made
    again. Returns the sheets and locale as they are after the write."""
    from gspread.exceptions import APIError

    google = google or gsheets.current()
    http = google.client.http_client
    with gsheets._translated(google, ref):
        for attempt in range(2):
            if known is None:
                fields = "properties(locale),sheets(properties(sheetId,title,gridProperties))"
                meta = http.fetch_sheet_metadata(ref.key, params={"fields": fields})
                known = (meta.get("sheets", []), meta.get("properties", {}).get("locale", "vi_VN"))
            sheets, locale = known
            requests = requests_for(tabs, sheets, locale)
            try:
                http.batch_update(ref.key, {"requests": requests})
            except APIError as exc:
                # out-of-date sheets, or a retry of a batch that did go through (its
                # tabs exist now): read them and make the batch again
                if attempt == 0 and exc.response.status_code == 400:
                    known = None
                    continue
                raise
            return _after(sheets, requests), locale
    raise AssertionError("unreachable")  # pragma: no cover


def _after(sheets: list[dict[str, Any]], requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sheets' properties once ``requests`` are applied (what the next write needs)."""
    out = {int(s["properties"].get("sheetId", 0)): dict(s["properties"]) for s in sheets}
    for r in requests:
        if "addSheet" in r:
            props = r["addSheet"]["properties"]
            out[props["sheetId"]] = dict(props)
        elif "updateSheetProperties" in r:
            props = r["updateSheetProperties"]["properties"]
            out[props["sheetId"]]["gridProperties"] = props["gridProperties"]
    return [{"properties": p} for p in out.values()]
